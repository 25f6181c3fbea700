"""View: the offline web (``web/pages.sqlite``) that lessons browse, capture and search."""

from __future__ import annotations

from ...search import fold_text, meta_tokens
from ..invites import directory_pages
from ..webcorpus import corpus
from ..webpages import story_pages

#: FTS5 tokenizer of the search index: Unicode letters, digits and combining marks (so Urdu and
#: Bengali words with vowel signs stay whole), case-folded, diacritics kept.
FTS_TOKENIZE = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"

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
    extra, _ = corpus(world)
    out = sorted(story_pages(world) + extra + directory_pages(world), key=lambda p: p["url"])
    seen = set()
    for p in out:
        if p["url"] in seen:
            raise ValueError(f"offline web: two pages at {p['url']!r}")
        seen.add(p["url"])
    return out


def create_web_db(con, pages_list) -> None:
    """Create the offline web's tables and search index in ``con`` (used by the view and by the
    search benchmark, so both have the same schema)."""
    con.execute(
        "CREATE TABLE pages (url TEXT PRIMARY KEY, site TEXT, title TEXT, "
        "html TEXT, text TEXT, filetype TEXT, published TEXT, language TEXT)"
    )
    con.execute(
        "CREATE TABLE media (url TEXT, page_url TEXT, position INTEGER, "
        "content_type TEXT, data BLOB, PRIMARY KEY (page_url, position))"
    )
    con.execute(
        "CREATE TABLE page_index (docid INTEGER PRIMARY KEY, url TEXT, site TEXT, "
        "filetype TEXT, published TEXT, language TEXT, meta TEXT)"
    )
    for p in pages_list:
        con.execute(
            "INSERT INTO pages VALUES (?,?,?,?,?,?,?,?)",
            (
                p["url"],
                p["site"],
                p["title"],
                p["html"],
                p["text"],
                p["filetype"],
                p["published"],
                p["language"],
            ),
        )
        for j, (u, t, d) in enumerate(p.get("media", ()), start=1):
            con.execute("INSERT INTO media VALUES (?,?,?,?,?)", (u, p["url"], j, t, d))
    # docids run newest first (then by URL): the search ranks ties by docid.
    by_date = sorted(pages_list, key=lambda p: p["url"])
    by_date.sort(key=lambda p: p["published"], reverse=True)
    for i, p in enumerate(by_date, start=1):
        con.execute(
            "INSERT INTO page_index VALUES (?,?,?,?,?,?,?)",
            (
                i,
                p["url"],
                p["site"],
                p["filetype"],
                p["published"],
                p["language"],
                meta_tokens(p["site"], p["filetype"], p["published"]),
            ),
        )
    # The search index reads titles and texts through a view keyed by the stable docid
    # (external content: the text is stored once, in pages).
    con.execute(
        "CREATE VIEW page_content AS SELECT i.docid AS docid, p.title AS title, "
        "p.text AS text, i.meta AS meta FROM page_index i JOIN pages p ON p.url = i.url"
    )
    # The index holds the *folded* text (digits of every script as ASCII, Arabic-keyboard
    # letters as Urdu ones, no diacritics or zero-width joiners: see search.fold_text); it is
    # contentless — the pages' own text stays as written, in `pages`.
    con.execute(
        "CREATE VIRTUAL TABLE pages_fts USING fts5(title, text, meta, content='', "
        f'tokenize="{FTS_TOKENIZE}")'
    )
    urls = {p["url"]: p for p in pages_list}
    for docid, url, meta in con.execute("SELECT docid, url, meta FROM page_index").fetchall():
        p = urls[url]
        con.execute(
            "INSERT INTO pages_fts(rowid, title, text, meta) VALUES (?,?,?,?)",
            (docid, fold_text(p["title"] or ""), fold_text(p["text"] or ""), meta),
        )
    con.execute("INSERT INTO pages_fts(pages_fts) VALUES ('optimize')")


def build(world, writer) -> None:
    writer.section(
        "web",
        "The offline web: sites of the recruitment front, its partner agency, "
        "licensed recruiters, the licence registers, the news and a third-party directory "
        "of Paigham channels and groups (paigham-catalog.example, private groups listed by "
        "invite link), served to lessons "
        "by `osintlab.web` (no internet needed).",
    )
    with writer.sqlite(
        "web/pages.sqlite",
        "SQLite database of the offline web (more than "
        "5,000 pages). Table `pages` (columns below); table `media` (url, page_url, "
        "position, content_type, data BLOB) for images embedded in pages; table "
        "`page_index` (docid, url, site, filetype, published, language, meta) and "
        "the contentless FTS5 full-text index `pages_fts` (title, text, meta of the "
        "view `page_content`, folded by `osintlab.search.fold_text`) that "
        "`osintlab.search` queries.",
        columns=PAGE_COLUMNS,
    ) as con:
        create_web_db(con, pages(world))
