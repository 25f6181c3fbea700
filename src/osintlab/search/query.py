"""The query language: words as the index stores them, the query tree, and the parser.

A pure string-to-tree step: :func:`parse` turns a Google-style query into a tree of
:class:`Match`, :class:`Near`, :class:`Filter`, :class:`And`, :class:`Or` and :class:`Not`, or
raises :class:`QuerySyntaxError` pointing at the mistake. Every engine of :mod:`osintlab.search`
(the FTS5 index, the pandas oracle, the translation to real engines) reads the same tree.

    >>> parse("visa OR viza")
    Or(items=(Match(words=('visa',), field='content'), Match(words=('viza',), field='content')))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_TOKEN_RE = None


def _token_re():
    global _TOKEN_RE
    if _TOKEN_RE is None:
        import sys
        import unicodedata

        ranges, start, _prev = [], None, None
        for cp in range(0x10000):
            ok = unicodedata.category(chr(cp))[0] in "LNM" or unicodedata.category(chr(cp)) == "Co"
            if ok and start is None:
                start = cp
            if not ok and start is not None:
                ranges.append((start, cp - 1))
                start = None
        if start is not None:
            ranges.append((start, 0xFFFF))
        cls = "".join(
            re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges
        )
        _TOKEN_RE = (re.compile(f"[{cls}]+"), cls)
        del sys
    return _TOKEN_RE


_FOLD = None


def _fold_table() -> dict:
    global _FOLD
    if _FOLD is None:
        table = {}
        # Arabic-keyboard letters -> the Urdu letters (one word to a reader, not to an index)
        for a, b in {"ي": "ی", "ى": "ی", "ك": "ک", "ه": "ہ", "ە": "ہ", "ۀ": "ہ", "ھ": "ہ"}.items():
            table[ord(a)] = b
        # Arabic diacritics (harakat, superscript alef) and tatweel carry no letter
        for cp in list(range(0x064B, 0x0660)) + [0x0670, 0x0640]:
            table[cp] = None
        # zero-width space / non-joiner / joiner, word joiner, BOM: invisible, split words
        for cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF):
            table[cp] = None
        # digits of other scripts -> ASCII: Arabic-Indic, Eastern Arabic-Indic (Urdu),
        # Devanagari, Bengali
        for base in (0x0660, 0x06F0, 0x0966, 0x09E6):
            for i in range(10):
                table[base + i] = str(i)
        _FOLD = table
    return _FOLD


def fold_text(text: str) -> str:
    """The text as the index stores it: NFC, Arabic-keyboard letters as their Urdu forms
    (ي→ی, ك→ک, ه/ھ→ہ), Arabic diacritics, tatweel and zero-width characters removed, digits of
    every script as ASCII digits. Search folds both the pages and the query, so ``نوكري``,
    ``نَوکری`` and ``نوکری`` find the same pages, and ``০১৭১১`` finds ``01711``.

    >>> fold_text("نوكري ۰۳۰۰ ০১৭১১")
    'نوکری 0300 01711'
    """
    import unicodedata

    return unicodedata.normalize("NFC", text).translate(_fold_table())


_SCRIPTS = (
    ("Latin", lambda c: c.isascii() or "LATIN" in _uname(c)),
    ("Arabic", lambda c: "ARABIC" in _uname(c)),
    ("Bengali", lambda c: "BENGALI" in _uname(c)),
    ("Devanagari", lambda c: "DEVANAGARI" in _uname(c)),
)


def _uname(c: str) -> str:
    import unicodedata

    return unicodedata.name(c, "")


def scripts_of(word: str) -> list[str]:
    """The scripts of the letters in ``word`` (digits and marks ignored).

    >>> scripts_of("naukriنوکری")
    ['Latin', 'Arabic']
    """
    out = []
    for name, test in _SCRIPTS:
        if any(c.isalpha() and test(c) for c in word):
            out.append(name)
    return out


def tokenize(text: str) -> list[str]:
    """Split ``text`` into the lower-case, folded words the index stores (see
    :func:`fold_text`).

    >>> tokenize("Call 0300-5551234 (WhatsApp)!")
    ['call', '0300', '5551234', 'whatsapp']
    >>> tokenize("ফোন ০১৭১১-৫৫৫১২৩")
    ['ফোন', '01711', '555123']
    """
    if not isinstance(text, str):
        raise TypeError(f"tokenize needs text, not {type(text).__name__}")
    return [m.group().lower() for m in _token_re()[0].finditer(fold_text(text))]


class QuerySyntaxError(ValueError):
    """A malformed query; ``position`` is the 0-based index of the mistake in ``query``."""

    def __init__(self, message: str, query: str, position: int):
        self.query, self.position, self.reason = query, position, message
        super().__init__(f"{message} (at position {position})\n    {query}\n    {' ' * position}^")


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
UNSUPPORTED = {
    "related",
    "cache",
    "link",
    "allintitle",
    "allinurl",
    "allintext",
    "inanchor",
    "allinanchor",
    "define",
    "numrange",
    "loc",
    "location",
    "info",
    "source",
    "weather",
    "stocks",
    "map",
    "movie",
    "daterange",
    "inpostauthor",
    "url",
    "title",
    "mime",
    "date",
    "inbody",
    "contains",
    "language",
    "lang",
    "host",
    "domain",
}
FILETYPE_ALIASES = {"htm": "html", "doc": "docx", "xlsx": "xls"}


@dataclass
class _Tok:
    kind: str  # word, phrase, op, or, and, lp, rp, minus, around
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
        return q[at + 1 : end], end + 1

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
            raise QuerySyntaxError("'-' must be written directly before the word to exclude", q, i)
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
                        val = word[m.end() :]
                        if not val:
                            raise QuerySyntaxError(
                                f"operator {name}: needs a value right after the colon (no space)",
                                q,
                                i,
                            )
                        toks.append(_Tok("op", name, i, ("word", val, vpos)))
                    i = j
                    continue
                if name in UNSUPPORTED:
                    raise QuerySyntaxError(
                        f"operator {name}: is not supported by this offline "
                        "engine (see osintlab.search for the list)",
                        q,
                        i,
                    )
                raise QuerySyntaxError(
                    f"unknown operator {name}: (known: " + ", ".join(sorted(OPERATORS)) + ")", q, i
                )
            if word == "OR":
                toks.append(_Tok("or", word, i))
            elif word == "AND":
                toks.append(_Tok("and", word, i))
            else:
                if "*" in word:
                    raise QuerySyntaxError(
                        'the wildcard * works only inside quotes, e.g. "free * ticket"',
                        q,
                        i + word.index("*"),
                    )
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
                raise QuerySyntaxError(
                    'write * as a word of its own inside quotes: "free * ticket"',
                    q,
                    pos + text.find(part),
                )
            for word in tokenize(part):
                mixed = scripts_of(word)
                if len(mixed) > 1:
                    raise QuerySyntaxError(
                        f"the word {word!r} mixes {' and '.join(mixed)} letters — no page "
                        "writes a word that way (often two words pasted together, or a "
                        "look-alike letter from another script): put a space between them or "
                        "join them with OR",
                        q,
                        pos + max(0, text.find(part)),
                    )
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
                raise QuerySyntaxError(
                    "'-' must be followed by a word, phrase or group", self.q, t.pos
                )
            return Not(self.parse_primary())
        node = self.parse_primary()
        nxt = self.peek()
        if nxt is not None and nxt.kind == "around":
            self.take()
            right_tok = self.peek()
            if right_tok is None or right_tok.kind not in ("word", "phrase"):
                raise QuerySyntaxError(
                    "AROUND(n) needs a word or phrase on both sides", self.q, nxt.pos
                )
            right = self.parse_primary()
            for side in (node, right):
                if not isinstance(side, Match) or None in side.words:
                    raise QuerySyntaxError(
                        "AROUND(n) joins plain words or phrases (no * and no operators)",
                        self.q,
                        nxt.pos,
                    )
            node = Near(node, right, nxt.value)
            after = self.peek()
            if after is not None and after.kind == "around":
                raise QuerySyntaxError(
                    "chains of AROUND are not supported: join pairs with AND", self.q, after.pos
                )
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
            return Match(
                _words(val, q, vpos, allow_star=vkind == "phrase"),
                "title" if name == "intitle" else "text",
            )
        if name == "inurl":
            v = val.strip().lower()
            if not v:
                raise QuerySyntaxError("inurl: needs some text", q, vpos)
            return Filter("inurl", v)
        if name == "site":
            v = val.strip().lower()
            v = re.sub(r"^[a-z]+://", "", v)
            if not re.fullmatch(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?:/\S*)?", v):
                raise QuerySyntaxError(
                    f"site: needs a domain such as example.org, not {val!r}", q, vpos
                )
            return Filter("site", v.rstrip("/") if "/" in v else v)
        if name in ("filetype", "ext"):
            v = val.strip().lower().lstrip(".")
            if not re.fullmatch(r"[a-z0-9]{1,8}", v):
                raise QuerySyntaxError(
                    f"filetype: needs a file extension such as pdf, not {val!r}", q, vpos
                )
            return Filter("filetype", FILETYPE_ALIASES.get(v, v))
        # before / after
        try:
            d = date.fromisoformat(val.strip())
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", val.strip()):
                raise ValueError
        except ValueError:
            raise QuerySyntaxError(
                f"{name}: needs a date written YYYY-MM-DD, not {val!r}", q, vpos
            ) from None
        return Filter(name, d.isoformat())


def parse(query: str):
    """Parse ``query`` into its tree, or raise :class:`QuerySyntaxError`.

    >>> parse('visa -"no dunki"')
    And(items=(Match(words=('visa',), field='content'), Not(item=Match(words=('no', 'dunki'), field='content'))))
    """
    if not isinstance(query, str):
        raise QuerySyntaxError(f"a query is text, not {type(query).__name__}", str(query), 0)
    return _Parser(query.replace("“", '"').replace("”", '"')).parse()
