"""The scenario's offline web: pages and their media, served from ``datasets/web/pages.sqlite``.

Trainees "browse" and capture these pages exactly as they would live ones, without touching
the internet or real people.

    >>> page = fetch('https://silver-crest.example/jobs')  # doctest: +SKIP
    >>> page.title                          # doctest: +SKIP
    'Silver Crest Overseas Employment — jobs in Dubai and Bangkok'
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from . import data

__all__ = [
    "Page",
    "Media",
    "PageNotFound",
    "fetch",
    "normalise_url",
    "list_pages",
    "connect",
    "exists",
    "media_table",
    "WEB_DB",
]

WEB_DB = "web/pages.sqlite"


class PageNotFound(LookupError):
    """No page at that URL in the offline web."""


@dataclass(frozen=True)
class Media:
    url: str
    content_type: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class Page:
    url: str
    site: str
    title: str
    html: str = field(repr=False)
    text: str = field(repr=False)
    filetype: str
    published: str
    language: str
    media: tuple[Media, ...] = ()


def normalise_url(url: str) -> str:
    """Canonical form used as the page key: https, lower-case host, no fragment, no trailing /.

    >>> normalise_url("HTTPS://Jobs.Example/apply/#top")
    'https://jobs.example/apply'
    >>> normalise_url("jobs.example")
    'https://jobs.example/'
    """
    if not isinstance(url, str) or not url.strip():
        raise PageNotFound(f"{url!r} is not a URL")
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise PageNotFound(f"{url!r} is not a web URL")
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/")
    return urlunsplit(("https", parts.hostname.lower(), path, parts.query, ""))


def connect() -> sqlite3.Connection:
    """A read-only connection to the offline web database."""
    return data.load(WEB_DB)


def fetch(url: str) -> Page:
    """Return the page at ``url`` with its embedded media, or raise :class:`PageNotFound`."""
    key = normalise_url(url)
    con = connect()
    try:
        row = con.execute(
            "SELECT url, site, title, html, text, filetype, published, language "
            "FROM pages WHERE url = ?",
            (key,),
        ).fetchone()
        if row is None:
            raise PageNotFound(
                f"no page at {url!r} in the offline web (check the spelling; "
                "osintlab.web.list_pages() lists them)"
            )
        media = tuple(
            Media(u, t, bytes(d))
            for u, t, d in con.execute(
                "SELECT url, content_type, data FROM media WHERE page_url = ? ORDER BY position",
                (key,),
            )
        )
    finally:
        con.close()
    return Page(*row, media=media)


def list_pages(site: str | None = None):
    """All pages (or those of one ``site``) as a DataFrame without the HTML bodies."""
    import pandas as pd

    con = connect()
    try:
        sql = "SELECT url, site, title, filetype, published, language FROM pages"
        args: tuple = ()
        if site:
            sql += " WHERE site = ? OR site LIKE ?"
            args = (site, f"%.{site}")
        return pd.read_sql_query(sql + " ORDER BY url", con, params=args)
    finally:
        con.close()


def exists(url: str) -> bool:
    """Whether the live offline web still serves ``url`` (a deleted page may survive only in
    the archive, :mod:`osintlab.archive`).

    >>> exists(list_pages().iloc[0]["url"]), exists("https://pardes-forum.example/gone")
    (True, False)
    """
    try:
        key = normalise_url(url)
    except PageNotFound:
        return False
    con = connect()
    try:
        return con.execute("SELECT 1 FROM pages WHERE url = ?", (key,)).fetchone() is not None
    finally:
        con.close()


def media_table():
    """Every image embedded in a page: ``page_url``, ``url``, ``content_type`` and the first
    16 hex digits of its SHA-256 (the same picture on two pages has the same hash).

    >>> media_table().columns.tolist()
    ['page_url', 'url', 'content_type', 'sha256']
    """
    import hashlib

    import pandas as pd

    con = connect()
    try:
        rows = con.execute("SELECT page_url, url, content_type, data FROM media").fetchall()
    finally:
        con.close()
    out = [(p, u, t, hashlib.sha256(bytes(d)).hexdigest()[:16]) for p, u, t, d in rows]
    return pd.DataFrame(out, columns=["page_url", "url", "content_type", "sha256"])
