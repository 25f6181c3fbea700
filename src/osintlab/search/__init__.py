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

What an investigator does, and the function that does it (this package re-exports every name):

* run a query, get ranked results and the total                :func:`search`, :func:`count`
* run it through a log, for disclosure                         :class:`SearchLog`, :func:`result_hash`
* carry the query to Google, Bing, DuckDuckGo or Yandex        :func:`translate`, :func:`translate_all`
* find a username, a spelling, a phone number written any way  :func:`find_username`, :func:`username_variants`,
                                                               :func:`spelling_variants`, :func:`expand`,
                                                               :func:`phone_query`
* check a query without the index (the tests' oracle)          :func:`matches`, :func:`load_corpus`
* read how a query is understood                               :func:`parse`, :func:`tokenize`
* see why نوكري finds نوکری and ০১৭১১ finds 01711               :func:`fold_text`, :func:`scripts_of`
* try it in a page with filters                                :func:`search_page`

The parts: :mod:`~osintlab.search.query` (the query language: words, tree, parser, errors),
:mod:`~osintlab.search.engine` (the FTS5 engine and :func:`search`),
:mod:`~osintlab.search.oracle` (the pandas scan), :mod:`~osintlab.search.translate` (real
engines), :mod:`~osintlab.search.log` (the search log), :mod:`~osintlab.search.usernames`
(usernames, spellings, phone numbers) and :mod:`~osintlab.search.widget` (the search page).
:func:`search` returns a :class:`SearchResults`: it reads like its table (``hits["url"]``,
``len(hits)``), the table itself is ``hits.table`` and ``hits.total`` counts every match.
"""

from __future__ import annotations

from .engine import Engine, SearchResults, count, load_corpus, meta_tokens, search
from .log import SearchLog, result_hash
from .oracle import matches
from .query import (
    FILETYPE_ALIASES,
    OPERATORS,
    UNSUPPORTED,
    And,
    Filter,
    Match,
    Near,
    Not,
    Or,
    QuerySyntaxError,
    fold_text,
    parse,
    scripts_of,
    tokenize,
)
from .translate import ENGINES, count_terms, split_or_query, translate, translate_all
from .usernames import (
    VARIANT_GROUPS,
    expand,
    find_username,
    phone_query,
    spelling_variants,
    username_variants,
)
from .widget import render_html, search_page, spelling_chart

__all__ = [
    "QuerySyntaxError",
    "search",
    "count",
    "load_corpus",
    "parse",
    "matches",
    "Engine",
    "translate",
    "translate_all",
    "ENGINES",
    "SearchLog",
    "result_hash",
    "find_username",
    "username_variants",
    "spelling_variants",
    "expand",
    "phone_query",
    "count_terms",
    "split_or_query",
    "tokenize",
    "fold_text",
    "scripts_of",
    "search_page",
    "spelling_chart",
    # the result object (new with the package split)
    "SearchResults",
]
