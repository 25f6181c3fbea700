"""A search page for learning: a query box, filters, highlighted results and the translation
for real engines (ipywidgets)."""

from __future__ import annotations

import html as _html
import re

from .engine import SearchResults, search
from .query import QuerySyntaxError
from .translate import translate_all


def render_html(df, limit: int = 10) -> str:
    """Results (from :func:`search`, or a table with the same columns) as a small
    search-results page (HTML)."""
    if len(df) == 0:
        return "<i>No pages match.</i>"
    total = df.total if isinstance(df, SearchResults) else len(df)
    parts = [
        f"<div style='color:#555'>{total} page(s) match"
        f"{'' if total <= limit else f'; showing the first {limit}'}</div>"
    ]
    for _, r in df.head(limit).iterrows():
        snip = _html.escape(r["snippet"])
        snip = re.sub(r"\*\*(.+?)\*\*", r"<mark>\1</mark>", snip)
        parts.append(
            f"<div style='margin:6px 0'><b>{_html.escape(r['title'])}</b><br>"
            f"<span style='color:#060'>{_html.escape(r['url'])}</span> "
            f"<span style='color:#777'>· {r['published']} · {r['filetype']} · "
            f"{r['language']}</span><br>{snip}</div>"
        )
    return "".join(parts)


def search_page(query: str = "", limit: int = 10):
    """An interactive search page: a query box, filters (file type, language, date), results
    with highlighted snippets and the translation for real engines. For learning only."""
    import ipywidgets as w

    box = w.Text(
        value=query,
        placeholder='e.g. "free visa" site:rozgar-hub.example -interview',
        layout=w.Layout(width="70%"),
    )
    ftype = w.Dropdown(
        options=["any", "html", "pdf", "docx", "xls"], value="any", description="file type"
    )
    lang = w.Dropdown(
        options=["any", "en", "ur", "ur-Latn", "bn"], value="any", description="language"
    )
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
            mine = df.table[df.table["language"] == lang.value]
            df = SearchResults(mine, query=df.query, total=len(mine))
        out.value = render_html(df, limit)
        t = translate_all(q)
        engines.value = (
            "<table>"
            + "".join(
                f"<tr><td><b>{_html.escape(r.engine)}</b></td><td><code>{_html.escape(r.query)}"
                f"</code></td><td style='color:#a60'>{_html.escape(r.warnings)}</td></tr>"
                for r in t.itertuples()
            )
            + "</table>"
        )

    go.on_click(run)
    box.continuous_update = False
    box.observe(run, "value")
    if query:
        run()
    return w.VBox(
        [
            w.HBox([box, go]),
            w.HBox([ftype, lang, after]),
            out,
            w.HTML("<b>Carry it to work:</b>"),
            engines,
        ]
    )


def spelling_chart(groups: dict[str, dict[str, str]], *, title: str = ""):
    """A bar chart of how many pages contain each spelling, one colour per word, with a legend.

    ``groups`` maps a word (the legend entry) to ``{spelling: label}``; returns the matplotlib
    ``Axes``.

    >>> ax = spelling_chart({"job": {"naukri": "naukri", "nokri": "nokri"}})
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['job']
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    from .engine import count

    colours = ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1"]
    labels, values, colour = [], [], []
    for i, (_word, spellings) in enumerate(groups.items()):
        for spelling, label in spellings.items():
            labels.append(label)
            values.append(count(spelling))
            colour.append(colours[i % len(colours)])
    fig, ax = plt.subplots(figsize=(7, 0.32 * len(labels) + 1.2))
    ax.barh(labels, values, color=colour)
    ax.invert_yaxis()
    ax.set_xlabel("pages containing the spelling")
    ax.set_title(title or "Same word, many spellings: each is a separate entry in the index")
    handles = [Patch(color=colours[i % len(colours)], label=w) for i, w in enumerate(groups)]
    ax.legend(handles=handles, title="word", loc="lower right")
    fig.tight_layout()
    return ax
