"""Search the offline web the way investigators search the real one: operators, exact Boolean
logic, ranked results with highlighted snippets, a search log for disclosure, username
enumeration and spelling variants — all offline, over ``datasets/web/pages.sqlite`` (SQLite FTS5).

    >>> from osintlab import search
    >>> hits = search.search('"free visa" site:rozgar-hub.example -interview')  # doctest: +SKIP
    >>> hits.columns.tolist()[:4]                                               # doctest: +SKIP
    ['rank', 'url', 'title', 'snippet']

Query language (Google-style; the result set of a query is *exactly* the set of pages that
satisfy it — no synonyms, no stemming, no "did you mean"):

==========================  ==================================================================
``visa ticket``             both words (AND is implicit; ``AND`` may be written)
``"free visa"``             the exact phrase (words in this order, punctuation ignored)
``"free * ticket"``         ``*`` inside quotes stands for exactly one word
``dunki OR donkey``         either (``|`` also works); OR binds tighter than the implicit AND
``-livestock``              exclude pages with the word (also ``-"phrase"``, ``-site:...``)
``( ... )``                 grouping
``site:example``            host is the domain or one of its sub-domains (``site:a.example/jobs``
                            also restricts the path)
``inurl:apply``             the URL contains the text (case-insensitive substring)
``intitle:x`` ``intext:x``  the word or ``"phrase"`` is in the title / in the body text
``filetype:pdf``            html, pdf, docx or xls (``ext:`` is the same)
``before:2026-03-01``       published strictly before that day; ``after:`` strictly after
``a AROUND(3) b``           ``a`` and ``b`` at most 3 words apart (either order, same field)
==========================  ==================================================================

Plain words match the title and the body text. Words are letters, digits and combining marks of
any script (Urdu and Bengali included), compared case-insensitively; ``0300-5551234`` is the two
words ``0300 5551234`` in that order. A malformed query raises :class:`QuerySyntaxError` (a
``ValueError``) whose message points at the position of the mistake.
"""
from __future__ import annotations

import hashlib
import html as _html
import json
import re
import sqlite3
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

__all__ = ["QuerySyntaxError", "search", "count", "load_corpus", "parse", "matches", "Engine",
           "translate", "translate_all", "ENGINES", "SearchLog", "result_hash",
           "find_username", "username_variants", "spelling_variants", "expand", "phone_query",
           "tokenize", "search_page"]

# ---------------------------------------------------------------------------------------------
# Tokens: the same definition as the FTS5 index (unicode61, categories L* N* Co M*)
# ---------------------------------------------------------------------------------------------

_TOKEN_RE = None


def _token_re():
    global _TOKEN_RE
    if _TOKEN_RE is None:
        import sys
        import unicodedata
        ranges, start, prev = [], None, None
        for cp in range(0x10000):
            ok = unicodedata.category(chr(cp))[0] in "LNM" or unicodedata.category(chr(cp)) == "Co"
            if ok and start is None:
                start = cp
            if not ok and start is not None:
                ranges.append((start, cp - 1))
                start = None
        if start is not None:
            ranges.append((start, 0xFFFF))
        cls = "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "")
                      for a, b in ranges)
        _TOKEN_RE = (re.compile(f"[{cls}]+"), cls)
        del sys
    return _TOKEN_RE


def tokenize(text: str) -> list[str]:
    """Split ``text`` into the lower-case words the index stores.

    >>> tokenize("Call 0300-5551234 (WhatsApp)!")
    ['call', '0300', '5551234', 'whatsapp']
    """
    if not isinstance(text, str):
        raise TypeError(f"tokenize needs text, not {type(text).__name__}")
    return [m.group().lower() for m in _token_re()[0].finditer(text)]


# ---------------------------------------------------------------------------------------------
# Errors and the query tree
# ---------------------------------------------------------------------------------------------

class QuerySyntaxError(ValueError):
    """A malformed query; ``position`` is the 0-based index of the mistake in ``query``."""

    def __init__(self, message: str, query: str, position: int):
        self.query, self.position, self.reason = query, position, message
        super().__init__(f"{message} (at position {position})\n    {query}\n    "
                         f"{' ' * position}^")


@dataclass(frozen=True)
class Match:
    """Words in sequence (``None`` = any one word) in ``field``: content, title or text."""
    words: tuple
    field: str = "content"


@dataclass(frozen=True)
class Near:
    left: Match
    right: Match
    distance: int


@dataclass(frozen=True)
class Filter:
    """A non-text restriction: site, inurl, filetype, before or after."""
    kind: str
    value: str


@dataclass(frozen=True)
class And:
    items: tuple


@dataclass(frozen=True)
class Or:
    items: tuple


@dataclass(frozen=True)
class Not:
    item: object


OPERATORS = {"site", "inurl", "intitle", "intext", "filetype", "ext", "before", "after"}
UNSUPPORTED = {"related", "cache", "link", "allintitle", "allinurl", "allintext", "inanchor",
               "allinanchor", "define", "numrange", "loc", "location", "info", "source",
               "weather", "stocks", "map", "movie", "daterange", "inpostauthor", "url", "title",
               "mime", "date", "inbody", "contains", "language", "lang", "host", "domain"}
FILETYPE_ALIASES = {"htm": "html", "doc": "docx", "xlsx": "xls"}


@dataclass
class _Tok:
    kind: str          # word, phrase, op, or, and, lp, rp, minus, around
    text: str
    pos: int
    value: object = None


_AROUND = re.compile(r"AROUND\((\d+)\)")


def _lex(q: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n = 0, len(q)

    def read_phrase(at: int) -> tuple[str, int]:
        end = q.find('"', at + 1)
        if end < 0:
            raise QuerySyntaxError('unbalanced quote: this " is never closed', q, at)
        return q[at + 1:end], end + 1

    while i < n:
        c = q[i]
        if c.isspace():
            i += 1
        elif c == "(":
            toks.append(_Tok("lp", c, i))
            i += 1
        elif c == ")":
            toks.append(_Tok("rp", c, i))
            i += 1
        elif c == "|":
            toks.append(_Tok("or", c, i))
            i += 1
        elif c == '"':
            text, j = read_phrase(i)
            toks.append(_Tok("phrase", text, i))
            i = j
        elif c == "-" and (i + 1 >= n or q[i + 1].isspace()):
            raise QuerySyntaxError("'-' must be written directly before the word to exclude",
                                   q, i)
        elif c == "-" and q[i + 1] in "-)|":
            raise QuerySyntaxError("'-' must be followed by a word, phrase or group", q, i)
        elif c == "-":
            toks.append(_Tok("minus", c, i))
            i += 1
        else:
            m = _AROUND.match(q, i)
            if m:
                toks.append(_Tok("around", m.group(), i, int(m.group(1))))
                i = m.end()
                continue
            if q.startswith("AROUND(", i):
                raise QuerySyntaxError("write AROUND(n) with a whole number, e.g. AROUND(3)", q, i)
            j = i
            while j < n and not q[j].isspace() and q[j] not in '()"|':
                j += 1
            word = q[i:j]
            m = re.match(r"([A-Za-z_]+):", word)
            if m:
                name = m.group(1).lower()
                if name in OPERATORS:
                    vpos = i + m.end()
                    if vpos < n and q[vpos] == '"' and j == vpos:
                        text, j = read_phrase(vpos)
                        toks.append(_Tok("op", name, i, ("phrase", text, vpos)))
                    else:
                        val = word[m.end():]
                        if not val:
                            raise QuerySyntaxError(f"operator {name}: needs a value right after "
                                                   "the colon (no space)", q, i)
                        toks.append(_Tok("op", name, i, ("word", val, vpos)))
                    i = j
                    continue
                if name in UNSUPPORTED:
                    raise QuerySyntaxError(f"operator {name}: is not supported by this offline "
                                           "engine (see osintlab.search for the list)", q, i)
                raise QuerySyntaxError(f"unknown operator {name}: (known: "
                                       + ", ".join(sorted(OPERATORS)) + ")", q, i)
            if word == "OR":
                toks.append(_Tok("or", word, i))
            elif word == "AND":
                toks.append(_Tok("and", word, i))
            else:
                if "*" in word:
                    raise QuerySyntaxError("the wildcard * works only inside quotes, e.g. "
                                           '"free * ticket"', q, i + word.index("*"))
                toks.append(_Tok("word", word, i))
            i = j
    return toks


def _words(text: str, q: str, pos: int, allow_star: bool) -> tuple:
    out = []
    for part in text.split():
        if part == "*":
            if not allow_star:
                raise QuerySyntaxError("the wildcard * is not allowed here", q, pos)
            out.append(None)
        else:
            if "*" in part:
                raise QuerySyntaxError("write * as a word of its own inside quotes: "
                                       '"free * ticket"', q, pos + text.find(part))
            out.extend(tokenize(part))
    if not [w for w in out if w is not None]:
        raise QuerySyntaxError("nothing to search for here (no letters or digits)", q, pos)
    return tuple(out)


class _Parser:
    def __init__(self, q: str):
        self.q = q
        self.toks = _lex(q)
        self.i = 0

    def peek(self):
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self):
        t = self.peek()
        self.i += 1
        return t

    def parse(self):
        if not self.q.strip():
            raise QuerySyntaxError("the query is empty", self.q, 0)
        node = self.parse_or()
        t = self.peek()
        if t is not None:
            if t.kind == "rp":
                raise QuerySyntaxError("unbalanced parenthesis: this ')' has no '('", self.q, t.pos)
            raise QuerySyntaxError("unexpected text", self.q, t.pos)
        return node

    def parse_or(self):
        # OR binds tighter than the implicit AND (as in Google): a b OR c = a AND (b OR c).
        return self.parse_and_of_ors()

    def parse_and_of_ors(self):
        items, first = [], self.peek()
        while True:
            t = self.peek()
            if t is None or t.kind == "rp":
                break
            if t.kind == "and":
                self.take()
                nxt = self.peek()
                if not items or nxt is None or nxt.kind in ("rp", "or", "and"):
                    raise QuerySyntaxError("AND needs a term on both sides", self.q, t.pos)
                continue
            if t.kind == "or":
                raise QuerySyntaxError("OR needs a term on both sides", self.q, t.pos)
            alts = [self.parse_unary()]
            while self.peek() is not None and self.peek().kind == "or":
                o = self.take()
                nxt = self.peek()
                if nxt is None or nxt.kind in ("rp", "or", "and"):
                    raise QuerySyntaxError("OR needs a term on both sides", self.q, o.pos)
                alts.append(self.parse_unary())
            items.append(alts[0] if len(alts) == 1 else Or(tuple(alts)))
        if not items:
            pos = first.pos if first is not None else len(self.q)
            raise QuerySyntaxError("expected a search term here", self.q, pos)
        return items[0] if len(items) == 1 else And(tuple(items))

    def parse_unary(self):
        t = self.peek()
        if t.kind == "minus":
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind in ("rp", "or", "and", "minus", "around"):
                raise QuerySyntaxError("'-' must be followed by a word, phrase or group", self.q,
                                       t.pos)
            return Not(self.parse_primary())
        node = self.parse_primary()
        nxt = self.peek()
        if nxt is not None and nxt.kind == "around":
            self.take()
            right_tok = self.peek()
            if right_tok is None or right_tok.kind not in ("word", "phrase"):
                raise QuerySyntaxError("AROUND(n) needs a word or phrase on both sides", self.q,
                                       nxt.pos)
            right = self.parse_primary()
            for side in (node, right):
                if not isinstance(side, Match) or None in side.words:
                    raise QuerySyntaxError("AROUND(n) joins plain words or phrases (no * and "
                                           "no operators)", self.q, nxt.pos)
            node = Near(node, right, nxt.value)
            after = self.peek()
            if after is not None and after.kind == "around":
                raise QuerySyntaxError("chains of AROUND are not supported: join pairs with "
                                       "AND", self.q, after.pos)
        return node

    def parse_primary(self):
        t = self.take()
        q = self.q
        if t is None:
            raise QuerySyntaxError("the query ends where a term was expected", q, len(q))
        if t.kind == "lp":
            inner_start = self.peek()
            if inner_start is None:
                raise QuerySyntaxError("unbalanced parenthesis: this '(' is never closed", q, t.pos)
            if inner_start.kind == "rp":
                raise QuerySyntaxError("empty parentheses", q, t.pos)
            node = self.parse_and_of_ors()
            close = self.take()
            if close is None or close.kind != "rp":
                raise QuerySyntaxError("unbalanced parenthesis: this '(' is never closed", q, t.pos)
            return node
        if t.kind == "rp":
            raise QuerySyntaxError("unbalanced parenthesis: this ')' has no '('", q, t.pos)
        if t.kind == "phrase":
            return Match(_words(t.text, q, t.pos, allow_star=True))
        if t.kind == "word":
            return Match(_words(t.text, q, t.pos, allow_star=False))
        if t.kind == "op":
            return self._operator(t)
        if t.kind == "around":
            raise QuerySyntaxError("AROUND(n) needs a word or phrase on both sides", q, t.pos)
        raise QuerySyntaxError("expected a search term here", q, t.pos)

    def _operator(self, t: _Tok):
        q = self.q
        name, (vkind, val, vpos) = t.text, t.value
        if name in ("intitle", "intext"):
            return Match(_words(val, q, vpos, allow_star=vkind == "phrase"),
                         "title" if name == "intitle" else "text")
        if name == "inurl":
            v = val.strip().lower()
            if not v:
                raise QuerySyntaxError("inurl: needs some text", q, vpos)
            return Filter("inurl", v)
        if name == "site":
            v = val.strip().lower()
            v = re.sub(r"^[a-z]+://", "", v)
            if not re.fullmatch(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?:/\S*)?", v):
                raise QuerySyntaxError(f"site: needs a domain such as example.org, not {val!r}",
                                       q, vpos)
            return Filter("site", v.rstrip("/") if "/" in v else v)
        if name in ("filetype", "ext"):
            v = val.strip().lower().lstrip(".")
            if not re.fullmatch(r"[a-z0-9]{1,8}", v):
                raise QuerySyntaxError(f"filetype: needs a file extension such as pdf, not {val!r}",
                                       q, vpos)
            return Filter("filetype", FILETYPE_ALIASES.get(v, v))
        # before / after
        try:
            d = date.fromisoformat(val.strip())
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", val.strip()):
                raise ValueError
        except ValueError:
            raise QuerySyntaxError(f"{name}: needs a date written YYYY-MM-DD, not {val!r}", q,
                                   vpos) from None
        return Filter(name, d.isoformat())


def parse(query: str):
    """Parse ``query`` into its tree, or raise :class:`QuerySyntaxError`.

    >>> parse('visa -"no dunki"')
    And(items=(Match(words=('visa',), field='content'), Not(item=Match(words=('no', 'dunki'), field='content'))))
    """
    if not isinstance(query, str):
        raise QuerySyntaxError(f"a query is text, not {type(query).__name__}", str(query), 0)
    return _Parser(query.replace("“", '"').replace("”", '"')).parse()


# ---------------------------------------------------------------------------------------------
# The engine: FTS5 for words, an in-memory page index for filters, exact set logic
# ---------------------------------------------------------------------------------------------

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


def _wildcard_candidates(node: "Match") -> str:
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


def _near_expr(node: "Near") -> str:
    return (f"{_COLS[node.left.field]} : NEAR({_fts_phrase(node.left.words)} "
            f"{_fts_phrase(node.right.words)}, {node.distance})")


def _near_in(tokens: list, node: "Near") -> bool:
    """Two separate occurrences, at most ``distance`` words between them, either order."""
    a, b = node.left.words, node.right.words

    def starts(p):
        return [i for i in range(len(tokens) - len(p) + 1) if tuple(tokens[i:i + len(p)]) == p]
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


class Engine:
    """A search engine over one offline-web database (default: the scenario's).

    ``Engine(path)`` opens another database with the same schema (the benchmark's 100,000
    pages, for example); the module-level functions use the scenario's.
    """

    def __init__(self, path: str | Path | None = None):
        if path is None:
            from . import data
            from .web import WEB_DB
            path = data.path(WEB_DB)
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"no offline-web database at {self.path}")
        self.con = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                   check_same_thread=False)
        self._lock = threading.Lock()
        self._meta = None
        lo, hi = self.con.execute("SELECT min(published), max(published) FROM page_index "
                                  "WHERE published GLOB '[0-9][0-9][0-9][0-9]-*'").fetchone()
        self.years = (int(lo[:4]), int(hi[:4])) if lo else (1990, 2100)

    @property
    def meta(self) -> _Meta:
        if self._meta is None:
            self._meta = _Meta(self.con)
        return self._meta

    # -- evaluation ----------------------------------------------------------------------------
    def _fts_ids(self, expr: str) -> set:
        return {r[0] for r in self.con.execute(
            "SELECT rowid FROM pages_fts WHERE pages_fts MATCH ?", (expr,))}

    def _eval(self, node) -> set:
        expr = _fts(node, self.years)
        if expr is not None:
            return self._fts_ids(expr)
        if isinstance(node, Filter):
            return self.meta.filter(node)
        if isinstance(node, Match):            # a phrase with * : candidates, then check
            return self._check_wildcard(node, self._fts_ids(_wildcard_candidates(node)))
        if isinstance(node, Near):             # phrases sharing a word: candidates, then check
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
                (fts_neg if isinstance(i, Not) else fts_pos).append(e) if e is not None else \
                    (other_neg if isinstance(i, Not) else other_pos).append(inner)
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
            chunk = ids[k:k + 500]
            q = ("SELECT docid, title, text FROM page_content WHERE docid IN (%s)"
                 % ",".join("?" * len(chunk)))
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
                return self.con.execute("SELECT count(*) FROM pages_fts WHERE pages_fts MATCH ?",
                                        (expr,)).fetchone()[0]
            return len(self._eval(tree))

    def _ranked(self, tree, limit):
        """(total, [(docid, bm25)]) in result order: bm25 (best first), then newest, then URL
        (docids are numbered in that order)."""
        expr = _fts(tree, self.years)
        if expr is not None:
            total = self.con.execute("SELECT count(*) FROM pages_fts WHERE pages_fts MATCH ?",
                                     (expr,)).fetchone()[0]
            sql = (f"SELECT rowid, {_BM25} AS s FROM pages_fts WHERE pages_fts MATCH ? "
                   "ORDER BY s, rowid")
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
                sql = (f"SELECT rowid, {_BM25} FROM pages_fts WHERE pages_fts MATCH ? AND rowid "
                       "IN (%s)" % ",".join("?" * len(id_list)))
                scores = dict(self.con.execute(sql, [rank] + id_list).fetchall())
            else:
                for d, sc in self.con.execute(f"SELECT rowid, {_BM25} FROM pages_fts WHERE "
                                              "pages_fts MATCH ?", (rank,)):
                    if d in ids:
                        scores[d] = sc
        items = ((d, scores.get(d, 0.0)) for d in ids)
        if limit is None:
            return len(ids), sorted(items, key=lambda x: (x[1], x[0]))
        import heapq
        return len(ids), heapq.nsmallest(limit, items, key=lambda x: (x[1], x[0]))

    def search(self, query: str, limit: int | None = None, log: "SearchLog | None" = None):
        """Ranked results (see :func:`search`)."""
        import pandas as pd
        if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool)
                                  or limit < 1):
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
        df = pd.DataFrame([{"rank": i, "url": info[d][0], "title": info[d][1],
                            "snippet": snippets.get(d, ""), "published": info[d][2],
                            "site": info[d][3], "filetype": info[d][4], "language": info[d][5],
                            "score": round(-score, 4) if score else 0.0}
                           for i, (d, score) in enumerate(top, start=1)],
                          columns=["rank", "url", "title", "snippet", "published", "site",
                                   "filetype", "language", "score"])
        df.attrs["query"] = query
        df.attrs["total"] = total
        if log is not None:
            log.record(query, urls, total)
        return df

    def _urls_in_order(self, docids: list) -> list:
        found = {}
        for k in range(0, len(docids), 500):
            chunk = docids[k:k + 500]
            found.update(self.con.execute("SELECT docid, url FROM page_index WHERE docid IN (%s)"
                                          % ",".join("?" * len(chunk)), chunk).fetchall())
        return [found[d] for d in docids]

    def _snippets(self, tree, ids: list) -> dict:
        if not ids:
            return {}
        leaves = [lf for lf in _positive_leaves(tree, [])]
        words = sorted({w for lf in leaves for m in ((lf.left, lf.right) if isinstance(lf, Near)
                                                     else (lf,)) for w in m.words if w})
        texts = self._texts(ids)
        return {d: _snippet(texts[d][1] or "", words) for d in ids if d in texts}

    def _info(self, ids: list) -> dict:
        out = {}
        for k in range(0, len(ids), 500):
            chunk = ids[k:k + 500]
            q = ("SELECT i.docid, i.url, p.title, i.published, i.site, i.filetype, i.language "
                 "FROM page_index i JOIN pages p ON p.url = i.url WHERE i.docid IN (%s)"
                 % ",".join("?" * len(chunk)))
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
        piece.append(text[last:m.start()])
        w = m.group()
        piece.append(f"**{w}**" if w.lower() in want else w)
        last = m.end()
    out = "".join(piece).replace("\n", " · ")
    return ("…" if start > 0 else "") + out + ("…" if end < len(text) else "")


_ENGINES: dict = {}


def _engine() -> Engine:
    from . import data
    from .web import WEB_DB
    p = data.path(WEB_DB)
    key = (str(p), p.stat().st_mtime_ns)
    eng = _ENGINES.get(key)
    if eng is None:
        _ENGINES.clear()
        eng = _ENGINES[key] = Engine(p)
    return eng


def search(query: str, limit: int | None = None, *, log: "SearchLog | None" = None):
    """Search the offline web; return a DataFrame of the pages that satisfy ``query``.

    Columns: ``rank``, ``url``, ``title``, ``snippet`` (body text around the first query
    word, query words marked ``**like this**``), ``published``, ``site``, ``filetype``,
    ``language``, ``score`` (BM25 relevance, higher is better; 0 when the query has no words).
    Ranked by BM25 (a title match weighs four times a body match), then newest first.
    ``df.attrs["total"]`` is the number of matching pages even when ``limit`` cuts the list.
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
    return pd.read_sql_query("SELECT url, site, title, text, filetype, published, language "
                             "FROM pages ORDER BY url", con)


# ---------------------------------------------------------------------------------------------
# The same semantics as a plain pandas scan (the benchmark's baseline and the tests' oracle)
# ---------------------------------------------------------------------------------------------

def _rx_seq(words) -> str:
    _, cls = _token_re()
    tok, sep = f"[{cls}]+", f"[^{cls}]+"
    parts = [tok if w is None else re.escape(w) for w in words]
    return f"(?<![{cls}])" + sep.join(parts) + f"(?![{cls}])"


def matches(query: str, corpus=None):
    """Boolean Series: which rows of ``corpus`` (default :func:`load_corpus`) satisfy ``query``,
    computed by scanning the text with pandas — slow, but independent of the index."""
    import pandas as pd
    df = load_corpus() if corpus is None else corpus
    tree = parse(query)
    _, cls = _token_re()
    lower = {}

    def col(name):
        if name not in lower:
            lower[name] = df[name].fillna("").str.lower()
        return lower[name]

    def fields(f):
        return ("title", "text") if f == "content" else (f,)

    def ev(node):
        if isinstance(node, Match):
            rx = _rx_seq(node.words)
            out = pd.Series(False, index=df.index)
            for f in fields(node.field):
                out |= col(f).str.contains(rx, regex=True)
            return out
        if isinstance(node, Near):
            a, b = _rx_seq(node.left.words)[len(f"(?<![{cls}])"):], _rx_seq(node.right.words)
            a_full = _rx_seq(node.left.words)
            gap = f"(?:[^{cls}]+[{cls}]+){{0,{node.distance}}}[^{cls}]+"
            b_core = b[len(f"(?<![{cls}])"):]
            rx = f"(?:{a_full}{gap}{b_core})|(?:{b}{gap}{a})"
            out = pd.Series(False, index=df.index)
            for f in fields(node.left.field):
                out |= col(f).str.contains(rx, regex=True)
            return out
        if isinstance(node, Filter):
            if node.kind == "site":
                host, _, path = node.value.partition("/")
                s = df["site"].str.lower()
                ok = (s == host) | s.str.endswith("." + host)
                if path:
                    ok &= df["url"].str.lower().str.contains(
                        rf"^https://[^/]+/{re.escape(path)}(?:[/?#.]|$)", regex=True)
                return ok
            if node.kind == "inurl":
                return df["url"].str.lower().str.contains(node.value, regex=False)
            if node.kind == "filetype":
                return df["filetype"] == node.value
            if node.kind == "before":
                return df["published"] < node.value
            return df["published"] > node.value
        if isinstance(node, Not):
            return ~ev(node.item)
        if isinstance(node, And):
            out = pd.Series(True, index=df.index)
            for i in node.items:
                out &= ev(i)
            return out
        if isinstance(node, Or):
            out = pd.Series(False, index=df.index)
            for i in node.items:
                out |= ev(i)
            return out
        raise TypeError(node)

    return ev(tree)


# ---------------------------------------------------------------------------------------------
# Carrying a query to a real engine
# ---------------------------------------------------------------------------------------------

#: What each engine documents, as of 2026 (help pages change: test a query before relying on it).
ENGINES = {
    "google": {"name": "Google", "or": "OR", "site": "site:", "inurl": "inurl:",
               "intitle": "intitle:", "intext": "intext:", "filetype": "filetype:",
               "before": "before:", "after": "after:", "wildcard": True, "around": "AROUND",
               "groups": True},
    "bing": {"name": "Bing", "or": "OR", "site": "site:", "inurl": None, "intitle": "intitle:",
             "intext": "inbody:", "filetype": "filetype:", "before": None, "after": None,
             "wildcard": False, "around": None, "groups": True},
    "duckduckgo": {"name": "DuckDuckGo", "or": "OR", "site": "site:", "inurl": "inurl:",
                   "intitle": "intitle:", "intext": None, "filetype": "filetype:",
                   "before": None, "after": None, "wildcard": False, "around": None,
                   "groups": False},
    "yandex": {"name": "Yandex", "or": "|", "site": "site:", "inurl": None, "intitle": "title:",
               "intext": None, "filetype": "mime:", "before": "date:<", "after": "date:>",
               "wildcard": True, "around": None, "groups": True},
}


def translate(query: str, engine: str = "google") -> tuple[str, list[str]]:
    """Rewrite ``query`` in the syntax of ``engine`` (google, bing, duckduckgo, yandex).

    Returns ``(query_text, warnings)``: one warning for each operator the engine lacks (the
    operator is then dropped or weakened, so the real engine returns *more* than the offline
    one, never silently less).

    >>> translate('"free visa" before:2026-03-01', "bing")[1]
    ['Bing has no before: operator: dropped (use the date filter on the results page)']
    """
    key = str(engine).lower().replace(" ", "")
    if key not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}: choose from {', '.join(ENGINES)}")
    spec, warnings = ENGINES[key], []
    name = spec["name"]

    def warn(msg):
        if msg not in warnings:
            warnings.append(msg)

    def phrase(words):
        if None in words and not spec["wildcard"]:
            warn(f"{name} does not document * inside quotes: each * dropped, phrase split")
            parts, cur = [], []
            for w in words:
                if w is None:
                    if cur:
                        parts.append(cur)
                    cur = []
                else:
                    cur.append(w)
            if cur:
                parts.append(cur)
            return " ".join(_q(p) for p in parts)
        return _q(["*" if w is None else w for w in words])

    def r(node, top=False):
        if isinstance(node, Match):
            text = phrase(node.words)
            if node.field == "content":
                return text
            op = spec["intitle" if node.field == "title" else "intext"]
            label = "intitle:" if node.field == "title" else "intext:"
            if op is None:
                warn(f"{name} has no {label} operator: the words are searched anywhere")
                return text
            return op + text
        if isinstance(node, Near):
            if spec["around"]:
                return f"{phrase(node.left.words)} AROUND({node.distance}) {phrase(node.right.words)}"
            warn(f"{name} has no AROUND(n): the two terms are only required on the same page")
            return f"{phrase(node.left.words)} {phrase(node.right.words)}"
        if isinstance(node, Filter):
            op = spec[node.kind]
            label = f"{node.kind}:"
            if op is None:
                hint = (" (use the date filter on the results page)"
                        if node.kind in ("before", "after") else "")
                warn(f"{name} has no {label} operator: dropped{hint}")
                return ""
            if node.kind in ("before", "after") and key == "yandex":
                return op + node.value.replace("-", "")
            if node.kind == "inurl" and " " in node.value:
                return op + '"' + node.value + '"'
            return op + node.value
        if isinstance(node, Not):
            inner = r(node.item)
            return f"-{inner}" if inner else ""
        if isinstance(node, And):
            return " ".join(p for p in (r(i) for i in node.items) if p)
        if isinstance(node, Or):
            parts = [p for p in (r(i) for i in node.items) if p]
            if not spec["groups"] and not top:
                warn(f"{name} does not document parentheses: check how it groups OR")
            body = f" {spec['or']} ".join(parts)
            return body if top or not spec["groups"] else f"({body})"
        raise TypeError(node)

    tree = parse(query)
    out = r(tree, top=True)
    return re.sub(r"\s+", " ", out).strip(), warnings


def _q(words) -> str:
    return words[0] if len(words) == 1 and words[0] != "*" else '"' + " ".join(words) + '"'


def translate_all(query: str):
    """The query for every engine, with its warnings, as a DataFrame."""
    import pandas as pd
    rows = []
    for key, spec in ENGINES.items():
        text, warns = translate(query, key)
        rows.append({"engine": spec["name"], "query": text, "warnings": "; ".join(warns)})
    return pd.DataFrame(rows, columns=["engine", "query", "warnings"])


# ---------------------------------------------------------------------------------------------
# Search log (for reproducibility and disclosure)
# ---------------------------------------------------------------------------------------------

def result_hash(urls) -> str:
    """SHA-256 of a ranked result list (URLs joined by newlines), to show later that a search
    gave exactly these results."""
    urls = list(urls)
    if not all(isinstance(u, str) for u in urls):
        raise TypeError("result_hash needs a list of URL strings")
    return hashlib.sha256("\n".join(urls).encode("utf-8")).hexdigest()


@dataclass
class SearchLog:
    """Every search you run, with the UTC time, the number of results and a hash of the ranked
    result list. ``officer`` and ``case_ref`` go into each entry.

    >>> log = SearchLog(officer="Trainee", case_ref="SR-2026-0001")
    >>> hits = log.search("dunki OR donkey")        # doctest: +SKIP
    >>> log.to_frame().columns.tolist()              # doctest: +SKIP
    ['n', 'utc', 'query', 'results', 'result_hash', 'engine', 'officer', 'case_ref']
    """
    officer: str = ""
    case_ref: str = ""
    entries: list = field(default_factory=list)

    def record(self, query: str, urls: list, total: int | None = None) -> dict:
        entry = {"n": len(self.entries) + 1,
                 "utc": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                 "query": query, "results": len(urls) if total is None else total,
                 "result_hash": result_hash(urls), "engine": "osintlab offline web",
                 "officer": self.officer, "case_ref": self.case_ref}
        self.entries.append(entry)
        return entry

    def search(self, query: str, limit: int | None = None):
        """Run :func:`search` and record it (the hash covers the full ranked list)."""
        return search(query, limit=limit, log=self)

    def to_frame(self):
        import pandas as pd
        return pd.DataFrame(self.entries, columns=["n", "utc", "query", "results", "result_hash",
                                                   "engine", "officer", "case_ref"])

    def save(self, path: str | Path) -> Path:
        """Write the log as CSV (``.csv``) or JSON lines (any other suffix)."""
        path = Path(path)
        if path.suffix.lower() == ".csv":
            self.to_frame().to_csv(path, index=False)
        else:
            path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n"
                                    for e in self.entries), encoding="utf-8")
        return path

    def verify(self) -> list[str]:
        """Re-run every logged query; return the entries whose results have changed."""
        problems = []
        for e in self.entries:
            now = search(e["query"])
            if result_hash(now["url"].tolist()) != e["result_hash"]:
                problems.append(f"entry {e['n']} ({e['query']!r}) gives different results now")
        return problems


# ---------------------------------------------------------------------------------------------
# Usernames and spelling variants
# ---------------------------------------------------------------------------------------------

def _profile_patterns():
    from .scenario.webcorpus import PLATFORM_NAMES, PROFILE_URLS
    return PROFILE_URLS, PLATFORM_NAMES


def _skeleton(handle: str) -> str:
    return re.sub(r"\d+$", "", re.sub(r"[._\-]", "", handle.lower()))


def username_variants(handle: str) -> list[str]:
    """Spellings of a handle people use elsewhere: other separators, no separator, with the
    trailing number removed.

    >>> username_variants("boss.alnoor75")
    ['boss-alnoor', 'boss-alnoor75', 'boss.alnoor', 'boss.alnoor75', 'boss_alnoor', 'boss_alnoor75', 'bossalnoor', 'bossalnoor75']
    """
    if not isinstance(handle, str) or not re.fullmatch(r"@?[A-Za-z0-9._\-]{2,40}", handle.strip()):
        raise ValueError(f"{handle!r} is not a username (letters, digits, . _ - only)")
    h = handle.strip().lstrip("@").lower()
    out = set()
    for base in {h, re.sub(r"\d+$", "", h) or h}:
        parts = [p for p in re.split(r"[._\-]", base) if p]
        for sep in ("", ".", "_", "-"):
            out.add(sep.join(parts))
    return sorted(out)


def find_username(handle: str):
    """Enumerate a username across the scenario's platforms (offline, like Sherlock or
    WhatsMyName do online): every profile whose handle is the same (``exact``) or the same
    letters with other separators or another trailing number (``variant``).

    A same handle is a lead, never proof: confirm with content (a phone number, a photo).
    Returns a DataFrame: platform, handle, match, url, title, published.
    """
    import pandas as pd
    h = username_variants(handle) and handle.strip().lstrip("@").lower()
    skel = _skeleton(h)
    patterns, labels = _profile_patterns()
    eng = _engine()
    rows = []
    for platform, pattern in patterns.items():
        prefix = pattern.split("{handle}")[0]
        for d, url in eng.meta.urls.items():
            if not url.startswith(prefix):
                continue
            found = url[len(prefix):]
            if "/" in found or not found:
                continue
            if found.lower() == h:
                kind = "exact"
            elif _skeleton(found) == skel:
                kind = "variant"
            else:
                continue
            rows.append({"platform": labels[platform], "handle": found, "match": kind,
                         "url": url, "docid": d})
    info = eng._info([r["docid"] for r in rows])
    for r in rows:
        r["title"], r["published"] = info[r["docid"]][1], info[r["docid"]][2]
        del r["docid"]
    df = pd.DataFrame(rows, columns=["platform", "handle", "match", "url", "title", "published"])
    return df.sort_values(["match", "platform", "handle"]).reset_index(drop=True)


#: Known spellings of words and names in Roman Urdu, Urdu, Bengali and English.
VARIANT_GROUPS = [
    ["naukri", "nokri", "nokari", "naukari", "nukri", "نوکری", "chakri", "chakori", "চাকরি"],
    ["dubai", "dubae", "dubbai", "dubay", "دبئی", "دبی", "দুবাই", "দুবাইতে"],
    ["visa", "veeza", "viza", "wiza", "ویزا", "ভিসা"],
    ["bangkok", "bankok", "bangkak", "بینکاک", "ব্যাংকক"],
    ["dunki", "dunky", "donki", "donkey", "dunkey", "ڈنکی", "ডাংকি"],
    ["europe", "yourap", "yorap", "urop", "یورپ", "ইউরোপ"],
    ["agent", "ejent", "ایجنٹ", "এজেন্ট"],
    ["free", "fri", "مفت", "ফ্রি"],
    ["salary", "tankhwa", "tankhwah", "tankhah", "تنخواہ", "বেতন"],
    ["zaroorat", "zarurat", "zaroorat", "ضرورت"],
    ["rabta", "raabta", "rabita", "رابطہ", "যোগাযোগ"],
    ["licence", "license", "lisens", "لائسنس", "লাইসেন্স"],
    ["fee", "fees", "fis", "فیس", "ফি"],
    ["muhammad", "mohammad", "mohammed", "muhammed", "mohamed", "mohd", "محمد", "মোহাম্মদ"],
    ["chaudhry", "chaudhary", "choudhary", "chaudhri", "choudhry", "chowdhury", "چوہدری",
     "চৌধুরী"],
    ["hussain", "hussein", "husain", "hossain", "hosen", "hossen", "حسین", "হোসেন"],
    ["rahman", "rehman", "rahmaan", "رحمان", "রহমান"],
    ["qureshi", "qureishi", "kureshi", "quraishi", "قریشی"],
    ["sheikh", "shaikh", "shaykh", "shekh", "شیخ", "শেখ"],
    ["ahmed", "ahmad", "ahmet", "احمد", "আহমেদ"],
    ["khan", "kan", "خان", "খান"],
]
_RULES = [("aa", "a"), ("ee", "i"), ("oo", "u"), ("q", "k"), ("w", "v"), ("ph", "f"),
          ("au", "o"), ("ou", "u"), ("y", "i"), ("z", "j")]


def _vocabulary(eng: Engine) -> set:
    vocab = getattr(eng, "_vocab", None)
    if vocab is None:
        with eng._lock:
            con = eng.con
            con.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.osl_vocab USING "
                        "fts5vocab(main, pages_fts, row)")
            vocab = {t for (t,) in con.execute("SELECT term FROM temp.osl_vocab")}
        eng._vocab = vocab
    return vocab


def spelling_variants(word: str, in_corpus: bool = False) -> list[str]:
    """Other spellings of ``word``: the known group it belongs to (Roman Urdu, Urdu and Bengali
    scripts, name transliterations) plus rule-made Roman-Urdu spellings (aa/a, ee/i, oo/u, q/k,
    w/v, ...). Rule-made spellings are kept only if they occur in the offline web; with
    ``in_corpus=True`` every variant must occur there.

    >>> spelling_variants("nokri")[:4]
    ['chakori', 'chakri', 'naukari', 'naukri']
    """
    if not isinstance(word, str) or len(tokenize(word)) != 1:
        raise ValueError(f"spelling_variants needs one word, not {word!r}")
    w = tokenize(word)[0]
    out = {w}
    for group in VARIANT_GROUPS:
        if w in group:
            out |= set(group)
    try:
        vocab = _vocabulary(_engine())
    except Exception:          # no datasets: known groups only
        vocab = None
    if vocab is not None:
        made = {w}
        for a, b in _RULES:
            for v in list(made):
                made |= {v.replace(a, b), v.replace(b, a)}
        out |= {v for v in made if v in vocab}
        if in_corpus:
            out = {v for v in out if v in vocab}
    return sorted(out)


def expand(words, in_corpus: bool = True) -> str:
    """A query with every word replaced by the OR of its spelling variants.

    >>> expand(["naukri", "dubai"], in_corpus=False)  # doctest: +ELLIPSIS
    '(chakori OR chakri OR ... OR চাকরি) (dubae OR dubai OR ...)'
    """
    if isinstance(words, str):
        words = words.split()
    words = list(words)
    if not words:
        raise ValueError("expand needs at least one word")
    parts = []
    for w in words:
        vs = spelling_variants(w, in_corpus=in_corpus) or [tokenize(w)[0]]
        parts.append(vs[0] if len(vs) == 1 else "(" + " OR ".join(vs) + ")")
    return " ".join(parts)


def phone_query(number: str) -> str:
    """A query that finds a phone number however it was written (``0300-5551234``,
    ``+92 300 5551234``, ``00923005551234``, ``wa.me/923005551234``, ``03005551234`` ...).

    >>> phone_query("+923005551234")
    '"0300 5551234" OR 03005551234 OR "92 300 5551234" OR 923005551234 OR 00923005551234 OR "0300 555 1234"'
    """
    from .scenario import identifiers as ids
    if not isinstance(number, str) or not re.fullmatch(r"\+\d{8,15}", number.strip()):
        raise ValueError(f"phone_query needs a number in E.164 form like +923005551234, "
                         f"not {number!r}")
    e164 = number.strip()
    nat = ids.format_phone_local(e164, "national")
    spaced = ids.format_phone_local(e164, "spaced")
    forms = [nat, nat.replace("-", ""), spaced, e164[1:], "00" + e164[1:]]
    local = nat.replace("-", "")
    if len(local) == 11:
        forms.append(f"{local[:4]} {local[4:7]} {local[7:]}")
    out = []
    for f in dict.fromkeys(forms):
        words = tokenize(f)
        out.append(_q(words))
    return " OR ".join(dict.fromkeys(out))


# ---------------------------------------------------------------------------------------------
# Widget
# ---------------------------------------------------------------------------------------------

def render_html(df, limit: int = 10) -> str:
    """Results as a small search-results page (HTML)."""
    if len(df) == 0:
        return "<i>No pages match.</i>"
    total = df.attrs.get("total", len(df))
    parts = [f"<div style='color:#555'>{total} page(s) match"
             f"{'' if total <= limit else f'; showing the first {limit}'}</div>"]
    for _, r in df.head(limit).iterrows():
        snip = _html.escape(r["snippet"])
        snip = re.sub(r"\*\*(.+?)\*\*", r"<mark>\1</mark>", snip)
        parts.append(f"<div style='margin:6px 0'><b>{_html.escape(r['title'])}</b><br>"
                     f"<span style='color:#060'>{_html.escape(r['url'])}</span> "
                     f"<span style='color:#777'>· {r['published']} · {r['filetype']} · "
                     f"{r['language']}</span><br>{snip}</div>")
    return "".join(parts)


def search_page(query: str = "", limit: int = 10):
    """An interactive search page: a query box, filters (file type, language, date), results
    with highlighted snippets and the translation for real engines. For learning only."""
    import ipywidgets as w
    box = w.Text(value=query, placeholder='e.g. "free visa" site:rozgar-hub.example -interview',
                 layout=w.Layout(width="70%"))
    ftype = w.Dropdown(options=["any", "html", "pdf", "docx", "xls"], value="any",
                       description="file type")
    lang = w.Dropdown(options=["any", "en", "ur", "ur-Latn", "bn"], value="any",
                      description="language")
    after = w.Text(value="", placeholder="YYYY-MM-DD", description="after")
    go = w.Button(description="Search", button_style="primary")
    out = w.HTML()
    engines = w.HTML()

    def run(_=None):
        q = box.value.strip()
        if ftype.value != "any" and q:
            q += f" filetype:{ftype.value}"
        if after.value.strip() and q:
            q += f" after:{after.value.strip()}"
        try:
            df = search(q)
        except QuerySyntaxError as exc:
            out.value = f"<pre style='color:#b00'>{_html.escape(str(exc))}</pre>"
            engines.value = ""
            return
        if lang.value != "any":
            total = int((df["language"] == lang.value).sum())
            df = df[df["language"] == lang.value]
            df.attrs["total"] = total
        out.value = render_html(df, limit)
        t = translate_all(q)
        engines.value = "<table>" + "".join(
            f"<tr><td><b>{_html.escape(r.engine)}</b></td><td><code>{_html.escape(r.query)}"
            f"</code></td><td style='color:#a60'>{_html.escape(r.warnings)}</td></tr>"
            for r in t.itertuples()) + "</table>"

    go.on_click(run)
    box.continuous_update = False
    box.observe(run, "value")
    if query:
        run()
    return w.VBox([w.HBox([box, go]), w.HBox([ftype, lang, after]), out,
                   w.HTML("<b>Carry it to work:</b>"), engines])
