"""Carrying a query to a real engine: the same tree written in Google's, Bing's, DuckDuckGo's
or Yandex's syntax, with a warning for every operator the engine lacks."""

from __future__ import annotations

import re

from .query import And, Filter, Match, Near, Not, Or, parse

#: What each engine documents, as of 2026 (help pages change: test a query before relying on it).
ENGINES = {
    "google": {
        "name": "Google",
        "or": "OR",
        "site": "site:",
        "inurl": "inurl:",
        "intitle": "intitle:",
        "intext": "intext:",
        "filetype": "filetype:",
        "before": "before:",
        "after": "after:",
        "wildcard": True,
        "around": "AROUND",
        "groups": True,
        "max_terms": 32,
        "precedence": "applies OR before AND",
    },
    "bing": {
        "name": "Bing",
        "or": "OR",
        "site": "site:",
        "inurl": None,
        "intitle": "intitle:",
        "intext": "inbody:",
        "filetype": "filetype:",
        "before": None,
        "after": None,
        "wildcard": False,
        "around": None,
        "groups": True,
        "max_terms": 10,
        "precedence": "applies AND before OR",
    },
    "duckduckgo": {
        "name": "DuckDuckGo",
        "or": "OR",
        "site": "site:",
        "inurl": "inurl:",
        "intitle": "intitle:",
        "intext": None,
        "filetype": "filetype:",
        "before": None,
        "after": None,
        "wildcard": False,
        "around": None,
        "groups": False,
        "max_terms": None,
        "precedence": "does not document whether AND or OR comes first",
    },
    "yandex": {
        "name": "Yandex",
        "or": "|",
        "site": "site:",
        "inurl": None,
        "intitle": "title:",
        "intext": None,
        "filetype": "mime:",
        "before": "date:<",
        "after": "date:>",
        "wildcard": True,
        "around": None,
        "groups": True,
        "max_terms": None,
        "precedence": "does not document whether AND or OR comes first",
    },
}
#: Where the limits come from: Google's results page says it ignores words after the 32nd;
#: Bing's help says "only the first 10 terms are used" and that AND binds tighter than OR
#: (Bing Query Language, "Operator precedence"). DuckDuckGo and Yandex document neither here.


def translate(query: str, engine: str = "google") -> tuple[str, list[str]]:
    """Rewrite ``query`` in the syntax of ``engine`` (google, bing, duckduckgo, yandex).

    Returns ``(query_text, warnings)``: one warning for each operator the engine lacks (the
    operator is then dropped or weakened, so the real engine returns *more* than the offline
    one, never silently less). Every OR group is written in brackets, because engines disagree
    on precedence (Google reads ``a b OR c`` as a AND (b OR c), Bing as (a AND b) OR c): the
    warning says so. A query longer than the engine's documented term limit is flagged: the
    engine ignores the terms after the limit, so split it (:func:`split_or_query`).

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
                return (
                    f"{phrase(node.left.words)} AROUND({node.distance}) {phrase(node.right.words)}"
                )
            warn(f"{name} has no AROUND(n): the two terms are only required on the same page")
            return f"{phrase(node.left.words)} {phrase(node.right.words)}"
        if isinstance(node, Filter):
            op = spec[node.kind]
            label = f"{node.kind}:"
            if op is None:
                hint = (
                    " (use the date filter on the results page)"
                    if node.kind in ("before", "after")
                    else ""
                )
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
            if len(parts) > 1 and key != "google":  # Google reads OR first, as we do
                warn(
                    f"{name} {spec['precedence']}: every OR group is bracketed so "
                    "that each engine reads the same query"
                )
            if not spec["groups"] or len(parts) < 2:
                return body
            return f"({body})"
        raise TypeError(node)

    tree = parse(query)
    out = re.sub(r"\s+", " ", r(tree, top=True)).strip()
    n = count_terms(out)
    if spec["max_terms"] and n > spec["max_terms"]:
        warnings.append(
            f"{name} uses only the first {spec['max_terms']} terms: this query has "
            f"{n}, so everything after the {spec['max_terms']}th is ignored — split "
            "it into several queries (search.split_or_query)"
        )
    return out, warnings


def count_terms(query_text: str) -> int:
    """Terms as an engine counts them: words and operators with their values, not the OR
    keywords or brackets; a quoted phrase counts its words.

    >>> count_terms('(naukri OR nokri) "free visa" site:example.com')
    5
    """
    text = re.sub(r"[()]", " ", query_text)
    return len([w for w in text.replace('"', " ").split() if w not in ("OR", "|", "AND")])


def split_or_query(query: str, engine: str = "google") -> list[str]:
    """Split a query whose OR groups make it too long for ``engine`` into several queries that
    fit, each keeping every other condition: one alternative of the longest OR group per query
    (repeat until each fits). Run them all and merge the results.

    >>> split_or_query("site:example.com (naukri OR nokri OR nokari)", "bing")
    ['site:example.com (naukri OR nokri OR nokari)']
    """
    spec = ENGINES[str(engine).lower()]
    limit = spec["max_terms"]
    text, _ = translate(query, engine)
    if not limit or count_terms(text) <= limit:
        return [text]
    tree = parse(query)
    groups = [i for i in (tree.items if isinstance(tree, And) else [tree]) if isinstance(i, Or)]
    if not groups:
        return [text]
    big = max(groups, key=lambda g: len(g.items))
    rest = [i for i in (tree.items if isinstance(tree, And) else []) if i is not big]
    half = max(1, len(big.items) // 2)
    out = []
    for chunk in (big.items[:half], big.items[half:]):
        sub = Or(tuple(chunk)) if len(chunk) > 1 else chunk[0]
        node = And(tuple(rest + [sub])) if rest else sub
        out.extend(split_or_query(_unparse(node), engine))
    return out


def _unparse(node) -> str:
    return translate_tree(node)


def translate_tree(node) -> str:
    """The offline engine's own syntax for a tree (used to split queries)."""
    if isinstance(node, Match):
        text = _q(["*" if w is None else w for w in node.words])
        return (
            text
            if node.field == "content"
            else ("intitle:" if node.field == "title" else "intext:") + text
        )
    if isinstance(node, Near):
        return f"{_q(node.left.words)} AROUND({node.distance}) {_q(node.right.words)}"
    if isinstance(node, Filter):
        v = f'"{node.value}"' if " " in node.value else node.value
        return f"{node.kind}:{v}"
    if isinstance(node, Not):
        return "-" + translate_tree(node.item)
    if isinstance(node, And):
        return " ".join(translate_tree(i) for i in node.items)
    if isinstance(node, Or):
        return "(" + " OR ".join(translate_tree(i) for i in node.items) + ")"
    raise TypeError(node)


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
