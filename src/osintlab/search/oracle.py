"""The same semantics as a plain pandas scan: slow, but independent of the index (the
benchmark's baseline and the tests' oracle).

    >>> import pandas as pd
    >>> pages = pd.DataFrame({
    ...     "url": ["https://jobs.example/a", "https://jobs.example/b", "https://news.example/c"],
    ...     "site": ["jobs.example", "jobs.example", "news.example"],
    ...     "title": ["Dubai jobs", "Hotel staff", "Visa scams"],
    ...     "text": ["Free visa and ticket, no interview", "Free visa, interview in Lahore",
    ...              "How a free visa offer traps workers"],
    ...     "filetype": "html", "published": "2026-01-05"})
    >>> matches('"free visa" -interview', pages).tolist()
    [False, False, True]
    >>> matches('"free visa" site:jobs.example', pages).tolist()
    [True, True, False]
    >>> matches("visa AROUND(1) ticket", pages).tolist()
    [True, False, False]
"""

from __future__ import annotations

import re

from .engine import load_corpus
from .query import And, Filter, Match, Near, Not, Or, _token_re, fold_text, parse


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
            lower[name] = df[name].fillna("").map(fold_text).str.lower()  # as the index folds
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
            a, b = _rx_seq(node.left.words)[len(f"(?<![{cls}])") :], _rx_seq(node.right.words)
            a_full = _rx_seq(node.left.words)
            gap = f"(?:[^{cls}]+[{cls}]+){{0,{node.distance}}}[^{cls}]+"
            b_core = b[len(f"(?<![{cls}])") :]
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
                    ok &= (
                        df["url"]
                        .str.lower()
                        .str.contains(rf"^https://[^/]+/{re.escape(path)}(?:[/?#.]|$)", regex=True)
                    )
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
