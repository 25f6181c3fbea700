"""The engine: SQLite FTS5 for words, an in-memory page index for filters, exact set logic.

The result set of a query is *exactly* the set of pages that satisfy it; ranking (BM25, then
newest first) only orders it. :func:`search` returns a :class:`SearchResults`: the ranked table
plus the query and the total number of matching pages.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..results import TableResult
from .query import And, Filter, Match, Near, Not, Or, _token_re, parse, tokenize

if TYPE_CHECKING:  # the log imports the engine, not the other way round
    from .log import SearchLog

_COLS = {"content": "{title text}", "title": "title", "text": "text"}
_ALL = 'meta : "pageall"'
_NONE = 'meta : "nomatch0"'
#: bm25 weights of the index columns title, text, meta (meta holds the filter tokens).
_BM25 = "bm25(pages_fts, 4.0, 1.0, 0.0)"


def _site_token(suffix: str) -> str:
    return "s" + hashlib.sha1(suffix.encode("utf-8")).hexdigest()[:12]


def meta_tokens(site: str, filetype: str, published: str) -> str:
    """The hidden ``meta`` column of the index: one token per site suffix, the file type and
    the publication year, month and day, so that ``site:``, ``filetype:``, ``before:`` and
    ``after:`` are evaluated by FTS5 together with the words.

    >>> meta_tokens("a.b.example", "pdf", "2026-01-05").split()[:3]
    ['pageall', 'fpdf', 'y2026']
    """
    toks = ["pageall", "f" + "".join(tokenize(filetype or "")) or "fnone"]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", published or ""):
        y, m, d = published.split("-")
        toks += [f"y{y}", f"m{y}{m}", f"d{y}{m}{d}"]
    labels = (site or "").lower().split(".")
    toks += [_site_token(".".join(labels[i:])) for i in range(len(labels))]
    return " ".join(toks)


def _or_tokens(tokens) -> str:
    tokens = list(tokens)
    if not tokens:
        return _NONE
    return "meta : (" + " OR ".join(f'"{t}"' for t in tokens) + ")"


def _date_expr(kind: str, iso: str, years: tuple[int, int]) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    lo, hi = years
    if kind == "before":
        toks = [f"y{k}" for k in range(lo, min(y, hi + 1))]
        toks += [f"m{y}{k:02d}" for k in range(1, m)]
        toks += [f"d{y}{m:02d}{k:02d}" for k in range(1, d)]
    else:
        toks = [f"y{k}" for k in range(max(y + 1, lo), hi + 1)]
        toks += [f"m{y}{k:02d}" for k in range(m + 1, 13)]
        toks += [f"d{y}{m:02d}{k:02d}" for k in range(d + 1, 32)]
    return _or_tokens(toks)


def _fts_phrase(words) -> str:
    return '"' + " ".join(words) + '"'


def _segments(words) -> list:
    out, cur = [], []
    for w in words:
        if w is None:
            if cur:
                out.append(cur)
            cur = []
        else:
            cur.append(w)
    if cur:
        out.append(cur)
    return out


def _wildcard_candidates(node: Match) -> str:
    """An FTS5 expression matching every page that can contain the wildcard phrase (a
    superset, checked word by word afterwards)."""
    segs = _segments(node.words)
    col = _COLS[node.field]
    if len(segs) == 1:
        return f"{col} : {_fts_phrase(segs[0])}"
    gap = len(node.words)
    return f"{col} : NEAR(" + " ".join(_fts_phrase(s) for s in segs) + f", {gap})"


def _fts(node, years=(1990, 2100)):
    """FTS5 expression for ``node``, or None if some part needs the page list or a check."""
    if isinstance(node, Match):
        if None in node.words:
            return None
        return f"{_COLS[node.field]} : {_fts_phrase(node.words)}"
    if isinstance(node, Near):
        # FTS5 lets the two phrases share a token ("a AROUND(1) a" would match one "a"): such
        # pairs are checked word by word instead.
        return None if set(node.left.words) & set(node.right.words) else _near_expr(node)
    if isinstance(node, Filter):
        if node.kind == "site":
            return None if "/" in node.value else f'meta : "{_site_token(node.value)}"'
        if node.kind == "filetype":
            return f'meta : "f{"".join(tokenize(node.value))}"'
        if node.kind in ("before", "after"):
            return _date_expr(node.kind, node.value, years)
        return None
    if isinstance(node, Not):
        inner = _fts(node.item, years)
        return None if inner is None else f"({_ALL} NOT ({inner}))"
    if isinstance(node, Or):
        parts = [_fts(i, years) for i in node.items]
        return None if None in parts else "(" + " OR ".join(f"({p})" for p in parts) + ")"
    if isinstance(node, And):
        pos = [_fts(i, years) for i in node.items if not isinstance(i, Not)]
        neg = [_fts(i.item, years) for i in node.items if isinstance(i, Not)]
        if None in pos or None in neg:
            return None
        expr = "(" + " AND ".join(f"({p})" for p in pos) + ")" if pos else _ALL
        if neg:
            expr = f"({expr}) NOT (" + " OR ".join(f"({n})" for n in neg) + ")"
        return "(" + expr + ")"
    return None


def _near_expr(node: Near) -> str:
    return (
        f"{_COLS[node.left.field]} : NEAR({_fts_phrase(node.left.words)} "
        f"{_fts_phrase(node.right.words)}, {node.distance})"
    )


def _near_in(tokens: list, node: Near) -> bool:
    """Two separate occurrences, at most ``distance`` words between them, either order."""
    a, b = node.left.words, node.right.words

    def starts(p):
        return [i for i in range(len(tokens) - len(p) + 1) if tuple(tokens[i : i + len(p)]) == p]

    sa, sb = starts(a), starts(b)
    for i in sa:
        for j in sb:
            if i + len(a) <= j and j - (i + len(a)) <= node.distance:
                return True
            if j + len(b) <= i and i - (j + len(b)) <= node.distance:
                return True
    return False


def _positive_leaves(node, out):
    """Text leaves that count towards ranking (not under a NOT)."""
    if isinstance(node, (Match, Near)):
        out.append(node)
    elif isinstance(node, (And, Or)):
        for i in node.items:
            _positive_leaves(i, out)
    return out


class _Meta:
    """URL, site and date of every page in memory (for inurl: and site:host/path)."""

    def __init__(self, con):
        rows = con.execute("SELECT docid, url, site FROM page_index ORDER BY docid").fetchall()
        self.urls = {r[0]: r[1] for r in rows}
        self.all = frozenset(self.urls)
        self.by_site: dict[str, set] = {}
        for d, _, s in rows:
            self.by_site.setdefault(s, set()).add(d)
        self.url_items = [(d, u.lower()) for d, u in self.urls.items()]

    def filter(self, f: Filter) -> set:
        if f.kind == "inurl":
            return {d for d, u in self.url_items if f.value in u}
        if f.kind == "site":
            host, _, path = f.value.partition("/")
            out = set()
            for s, ids in self.by_site.items():
                if s == host or s.endswith("." + host):
                    out |= ids
            rx = re.compile(rf"https://[^/]+/{re.escape(path)}(?:[/?#.]|$)")
            return {d for d in out if rx.match(self.urls[d].lower())}
        raise ValueError(f"unknown filter {f.kind!r}")


@dataclass(frozen=True, eq=False, repr=False)
class SearchResults(TableResult):
    """The answer to one search (:func:`search`): ``table`` is the ranked result list;
    ``query`` is the query as run and ``total`` the number of matching pages, even when
    ``limit`` cut the list."""

    query: str
    total: int

    def _summary(self) -> str:
        shown = "" if len(self.table) == self.total else f", showing {len(self.table)}"
        return f"{self.total} page(s) match {self.query!r}{shown}"


class Engine:
    """A search engine over one offline-web database (default: the scenario's).

    ``Engine(path)`` opens another database with the same schema (the benchmark's 100,000
    pages, for example); the module-level functions use the scenario's.
    """

    def __init__(self, path: str | Path | None = None):
        if path is None:
            from .. import data
            from ..web import WEB_DB

            path = data.path(WEB_DB)
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"no offline-web database at {self.path}")
        self.con = sqlite3.connect(
            f"{self.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
        )
        self._lock = threading.Lock()
        self._meta = None
        lo, hi = self.con.execute(
            "SELECT min(published), max(published) FROM page_index "
            "WHERE published GLOB '[0-9][0-9][0-9][0-9]-*'"
        ).fetchone()
        self.years = (int(lo[:4]), int(hi[:4])) if lo else (1990, 2100)

    @property
    def meta(self) -> _Meta:
        if self._meta is None:
            self._meta = _Meta(self.con)
        return self._meta

    # -- evaluation ----------------------------------------------------------------------------
    def _fts_ids(self, expr: str) -> set:
        return {
            r[0]
            for r in self.con.execute(
                "SELECT rowid FROM pages_fts WHERE pages_fts MATCH ?", (expr,)
            )
        }

    def _eval(self, node) -> set:
        expr = _fts(node, self.years)
        if expr is not None:
            return self._fts_ids(expr)
        if isinstance(node, Filter):
            return self.meta.filter(node)
        if isinstance(node, Match):  # a phrase with * : candidates, then check
            return self._check_wildcard(node, self._fts_ids(_wildcard_candidates(node)))
        if isinstance(node, Near):  # phrases sharing a word: candidates, then check
            fields = ("title", "text") if node.left.field == "content" else (node.left.field,)
            keep = set()
            for d, (title, text) in self._texts(self._fts_ids(_near_expr(node))).items():
                cols = {"title": title, "text": text}
                if any(_near_in(tokenize(cols[f] or ""), node) for f in fields):
                    keep.add(d)
            return keep
        if isinstance(node, Not):
            return set(self.meta.all) - self._eval(node.item)
        if isinstance(node, Or):
            out = set()
            for i in node.items:
                out |= self._eval(i)
            return out
        if isinstance(node, And):
            # Everything FTS5 can do goes into one expression; the rest is done with sets.
            fts_pos, fts_neg, other_pos, other_neg = [], [], [], []
            for i in node.items:
                inner = i.item if isinstance(i, Not) else i
                e = _fts(inner, self.years)
                (fts_neg if isinstance(i, Not) else fts_pos).append(e) if e is not None else (
                    other_neg if isinstance(i, Not) else other_pos
                ).append(inner)
            result = None
            if fts_pos:
                expr = "(" + " AND ".join(f"({p})" for p in fts_pos) + ")"
                if fts_neg:
                    expr += " NOT (" + " OR ".join(f"({n})" for n in fts_neg) + ")"
                result = self._fts_ids(expr)
                fts_neg = []
            for i in other_pos:
                if result is not None and not result:
                    return set()
                s = self._eval(i)
                result = s if result is None else result & s
            if result is None:
                result = set(self.meta.all)
            for e in fts_neg:
                result -= self._fts_ids(e)
            for i in other_neg:
                result -= self._eval(i)
            return result
        raise TypeError(f"cannot evaluate {node!r}")

    def _texts(self, ids) -> dict:
        ids = list(ids)
        out = {}
        for k in range(0, len(ids), 500):
            chunk = ids[k : k + 500]
            q = "SELECT docid, title, text FROM page_content WHERE docid IN (%s)" % ",".join(
                "?" * len(chunk)
            )
            out.update({d: (t, x) for d, t, x in self.con.execute(q, chunk)})
        return out

    def _check_wildcard(self, node: Match, cands: set) -> set:
        fields = ("title", "text") if node.field == "content" else (node.field,)
        keep = set()
        for d, (title, text) in self._texts(cands).items():
            cols = {"title": title, "text": text}
            if any(_seq_in(tokenize(cols[f] or ""), node.words) for f in fields):
                keep.add(d)
        return keep

    # -- public API ----------------------------------------------------------------------------
    def ids(self, query: str) -> set:
        """The docids of the pages that satisfy ``query`` (exact set)."""
        tree = parse(query)
        with self._lock:
            return self._eval(tree)

    def count(self, query: str) -> int:
        """How many pages satisfy ``query``."""
        tree = parse(query)
        with self._lock:
            expr = _fts(tree, self.years)
            if expr is not None:
                return self.con.execute(
                    "SELECT count(*) FROM pages_fts WHERE pages_fts MATCH ?", (expr,)
                ).fetchone()[0]
            return len(self._eval(tree))

    def _ranked(self, tree, limit):
        """(total, [(docid, bm25)]) in result order: bm25 (best first), then newest, then URL
        (docids are numbered in that order)."""
        expr = _fts(tree, self.years)
        if expr is not None:
            total = self.con.execute(
                "SELECT count(*) FROM pages_fts WHERE pages_fts MATCH ?", (expr,)
            ).fetchone()[0]
            sql = (
                f"SELECT rowid, {_BM25} AS s FROM pages_fts WHERE pages_fts MATCH ? "
                "ORDER BY s, rowid"
            )
            args = (expr,) if limit is None else (expr, limit)
            rows = self.con.execute(sql + ("" if limit is None else " LIMIT ?"), args).fetchall()
            return total, rows
        ids = self._eval(tree)
        exprs = []
        for leaf in _positive_leaves(tree, []):
            if isinstance(leaf, Near):
                e = _near_expr(leaf)
            elif None in leaf.words:
                e = _wildcard_candidates(leaf)
            else:
                e = _fts(leaf, self.years)
            exprs.append(f"({e})")
        scores = {}
        if exprs and ids:
            rank = " OR ".join(dict.fromkeys(exprs))
            if len(ids) <= 2000:
                id_list = sorted(ids)
                sql = (
                    f"SELECT rowid, {_BM25} FROM pages_fts WHERE pages_fts MATCH ? AND rowid "
                    "IN (%s)" % ",".join("?" * len(id_list))
                )
                scores = dict(self.con.execute(sql, [rank] + id_list).fetchall())
            else:
                for d, sc in self.con.execute(
                    f"SELECT rowid, {_BM25} FROM pages_fts WHERE pages_fts MATCH ?", (rank,)
                ):
                    if d in ids:
                        scores[d] = sc
        items = ((d, scores.get(d, 0.0)) for d in ids)
        if limit is None:
            return len(ids), sorted(items, key=lambda x: (x[1], x[0]))
        import heapq

        return len(ids), heapq.nsmallest(limit, items, key=lambda x: (x[1], x[0]))

    def search(
        self, query: str, limit: int | None = None, log: SearchLog | None = None
    ) -> SearchResults:
        """Ranked results (see :func:`search`)."""
        import pandas as pd

        if limit is not None and (
            not isinstance(limit, int) or isinstance(limit, bool) or limit < 1
        ):
            raise ValueError(f"limit must be a positive whole number or None, not {limit!r}")
        tree = parse(query)
        with self._lock:
            total, top = self._ranked(tree, limit)
            ids = [d for d, _ in top]
            snippets = self._snippets(tree, ids)
            info = self._info(ids)
            urls = None
            if log is not None:
                full = top if limit is None else self._ranked(tree, None)[1]
                urls = self._urls_in_order([d for d, _ in full])
        df = pd.DataFrame(
            [
                {
                    "rank": i,
                    "url": info[d][0],
                    "title": info[d][1],
                    "snippet": snippets.get(d, ""),
                    "published": info[d][2],
                    "site": info[d][3],
                    "filetype": info[d][4],
                    "language": info[d][5],
                    "score": round(-score, 4) if score else 0.0,
                }
                for i, (d, score) in enumerate(top, start=1)
            ],
            columns=[
                "rank",
                "url",
                "title",
                "snippet",
                "published",
                "site",
                "filetype",
                "language",
                "score",
            ],
        )
        if log is not None:
            log.record(query, urls, total)
        return SearchResults(df, query=query, total=total)

    def _urls_in_order(self, docids: list) -> list:
        found = {}
        for k in range(0, len(docids), 500):
            chunk = docids[k : k + 500]
            found.update(
                self.con.execute(
                    "SELECT docid, url FROM page_index WHERE docid IN (%s)"
                    % ",".join("?" * len(chunk)),
                    chunk,
                ).fetchall()
            )
        return [found[d] for d in docids]

    def _snippets(self, tree, ids: list) -> dict:
        if not ids:
            return {}
        leaves = [lf for lf in _positive_leaves(tree, [])]
        words = sorted(
            {
                w
                for lf in leaves
                for m in ((lf.left, lf.right) if isinstance(lf, Near) else (lf,))
                for w in m.words
                if w
            }
        )
        texts = self._texts(ids)
        return {d: _snippet(texts[d][1] or "", words) for d in ids if d in texts}

    def _info(self, ids: list) -> dict:
        out = {}
        for k in range(0, len(ids), 500):
            chunk = ids[k : k + 500]
            q = (
                "SELECT i.docid, i.url, p.title, i.published, i.site, i.filetype, i.language "
                "FROM page_index i JOIN pages p ON p.url = i.url WHERE i.docid IN (%s)"
                % ",".join("?" * len(chunk))
            )
            out.update({r[0]: r[1:] for r in self.con.execute(q, chunk)})
        return out

    def close(self) -> None:
        self.con.close()


def _seq_in(tokens: list, pattern: tuple) -> bool:
    k = len(pattern)
    for i in range(len(tokens) - k + 1):
        if all(p is None or tokens[i + j] == p for j, p in enumerate(pattern)):
            return True
    return False


def _snippet(text: str, words: list, width: int = 24) -> str:
    """A window of the body text around the first query word, words marked **like this**."""
    rx, _ = _token_re()
    toks = list(rx.finditer(text))
    if not toks:
        return text[:160]
    want = set(words)
    hits = [i for i, m in enumerate(toks) if m.group().lower() in want]
    first = hits[0] if hits else 0
    a = max(0, first - width // 3)
    b = min(len(toks), a + width)
    start, end = toks[a].start(), toks[b - 1].end()
    piece, last = [], start
    for m in toks[a:b]:
        piece.append(text[last : m.start()])
        w = m.group()
        piece.append(f"**{w}**" if w.lower() in want else w)
        last = m.end()
    out = "".join(piece).replace("\n", " · ")
    return ("…" if start > 0 else "") + out + ("…" if end < len(text) else "")


_ENGINES: dict = {}


def _engine() -> Engine:
    from .. import data
    from ..web import WEB_DB

    p = data.path(WEB_DB)
    key = (str(p), p.stat().st_mtime_ns)
    eng = _ENGINES.get(key)
    if eng is None:
        _ENGINES.clear()
        eng = _ENGINES[key] = Engine(p)
    return eng


def search(query: str, limit: int | None = None, *, log: SearchLog | None = None) -> SearchResults:
    """Search the offline web; return the pages that satisfy ``query``, best first.

    The result reads like a table (``hits["url"]``, ``len(hits)``; the table itself is
    ``hits.table``). Columns: ``rank``, ``url``, ``title``, ``snippet`` (body text around the
    first query word, query words marked ``**like this**``), ``published``, ``site``, ``filetype``,
    ``language``, ``score`` (BM25 relevance, higher is better; 0 when the query has no words).
    Ranked by BM25 (a title match weighs four times a body match), then newest first.
    ``hits.total`` is the number of matching pages even when ``limit`` cuts the list.
    With ``log=`` the search is recorded in a :class:`SearchLog`.

    >>> search('intitle:"licence" site:oep-register.example', limit=3)  # doctest: +SKIP
    """
    return _engine().search(query, limit=limit, log=log)


def count(query: str) -> int:
    """How many pages satisfy ``query``."""
    return _engine().count(query)


def load_corpus():
    """The whole offline web as a DataFrame: url, site, title, text, filetype, published,
    language (one row per page, sorted by URL)."""
    import pandas as pd

    con = _engine().con
    return pd.read_sql_query(
        "SELECT url, site, title, text, filetype, published, language FROM pages ORDER BY url", con
    )
