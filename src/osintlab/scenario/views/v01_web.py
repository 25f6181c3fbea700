"""View: the offline web (``web/pages.sqlite``) that lessons browse, capture and search."""
from __future__ import annotations

from ..webpages import story_pages

PAGE_COLUMNS = {
    "url": "Canonical URL (https, lower-case host, no trailing slash, no fragment); primary key",
    "site": "Host name of the site (all on reserved domains such as .example)",
    "title": "Page title",
    "html": "HTML source exactly as the offline web serves it",
    "text": "Visible text of the page (paragraphs separated by newlines)",
    "filetype": "html, pdf, docx or xls (what a filetype: search matches)",
    "published": "Publication date (YYYY-MM-DD) as the site states it",
    "language": "ISO 639-1 code: en, ur (Urdu script), bn; 'ur-Latn' for Roman Urdu",
}


def pages(world) -> list[dict]:
    """Every page of the offline web, in a stable order (extend here, not in the writer)."""
    return sorted(story_pages(world), key=lambda p: p["url"])


def build(world, writer) -> None:
    writer.section("web", "The offline web: sites of the recruitment front, its partner agency, "
                   "licensed recruiters, the licence registers and the news, served to lessons "
                   "by `osintlab.web` (no internet needed).")
    with writer.sqlite("web/pages.sqlite", "SQLite database of the offline web. Table `pages` "
                       "(columns below) and table `media` (url, page_url, position, "
                       "content_type, data BLOB) for images embedded in pages.",
                       columns=PAGE_COLUMNS) as con:
        con.execute("CREATE TABLE pages (url TEXT PRIMARY KEY, site TEXT, title TEXT, "
                    "html TEXT, text TEXT, filetype TEXT, published TEXT, language TEXT)")
        con.execute("CREATE TABLE media (url TEXT, page_url TEXT, position INTEGER, "
                    "content_type TEXT, data BLOB, PRIMARY KEY (page_url, position))")
        for p in pages(world):
            con.execute("INSERT INTO pages VALUES (?,?,?,?,?,?,?,?)",
                        (p["url"], p["site"], p["title"], p["html"], p["text"], p["filetype"],
                         p["published"], p["language"]))
            for i, (u, t, d) in enumerate(p["media"], start=1):
                con.execute("INSERT INTO media VALUES (?,?,?,?,?)", (u, p["url"], i, t, d))
