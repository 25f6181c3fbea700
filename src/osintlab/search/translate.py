"""Carrying a query to a real engine: the same tree written in Google's, Bing's, DuckDuckGo's
or Yandex's syntax, with a warning for every operator the engine lacks."""
from __future__ import annotations

import re

from .query import And, Filter, Match, Near, Not, Or, parse

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
