"""Small ipywidgets helpers for lessons: knowledge checks and explorers.

Widgets are for learning only: graded test cells never depend on widget state (nbgrader runs
notebooks headless and sees only default values).

    >>> kc = knowledge_check("Which zone is PKT?", ["UTC+5", "UTC+6"], answer=0,
    ...                      explain="Pakistan Standard Time is UTC+5 all year.")  # doctest: +SKIP
"""

from __future__ import annotations

__all__ = ["knowledge_check", "quiz", "row_picker"]


def knowledge_check(
    question: str,
    options: list[str],
    answer: int | set[int],
    explain: str = "",
    multiple: bool = False,
):
    """A multiple-choice question with immediate feedback and an explanation.

    ``answer`` is the index (or, with ``multiple=True``, the set of indices) of the right
    option(s). Returns the widget box (display it, or leave it as the cell's last value).
    """
    import ipywidgets as w

    if not options:
        raise ValueError("knowledge_check needs at least one option")
    right = {answer} if isinstance(answer, int) else set(answer)
    if not right or not all(0 <= i < len(options) for i in right):
        raise ValueError(f"answer {answer!r} does not index the {len(options)} options")
    title = w.HTML(f"<b>{question}</b>")
    if multiple:
        boxes = [
            w.Checkbox(description=o, indent=False, layout=w.Layout(width="95%")) for o in options
        ]
        chooser = w.VBox(boxes)
    else:
        chooser = w.RadioButtons(options=options, value=None, layout=w.Layout(width="95%"))
    button = w.Button(description="Check", button_style="primary")
    out = w.HTML()

    def check(_):
        chosen = (
            {i for i, b in enumerate(boxes) if b.value}
            if multiple
            else ({options.index(chooser.value)} if chooser.value is not None else set())
        )
        if not chosen:
            out.value = "<i>Choose an answer first.</i>"
        elif chosen == right:
            out.value = f"<span style='color:green'>&#10004; Right.</span> {explain}"
        else:
            out.value = "<span style='color:#b00'>&#10008; Not quite — think again.</span>" + (
                " (More than one option is right.)" if len(right) > 1 else ""
            )

    button.on_click(check)
    return w.VBox([title, chooser, button, out])


def quiz(questions: list[dict]):
    """Several knowledge checks in one box: dicts with question, options, answer, explain."""
    import ipywidgets as w

    return w.VBox([knowledge_check(**q) for q in questions])


def row_picker(table, column: str, options, columns=None, limit: int = 30):
    """A drop-down of ``options`` (values of ``column``, or ``(label, value)`` pairs) that shows
    the rows of ``table`` whose ``column`` equals the choice (at most ``limit`` rows, only
    ``columns`` if given). For exploring; quote UTC times and provenance in your notes.

    >>> import contextlib, io
    >>> import pandas as pd
    >>> with contextlib.redirect_stdout(io.StringIO()):  # outside Jupyter the rows print
    ...     box = row_picker(pd.DataFrame({"who": ["a", "b"], "n": [1, 2]}), "who", ["a", "b"])
    >>> type(box).__name__
    'VBox'
    >>> row_picker(pd.DataFrame({"who": ["a"]}), "whom", ["a"])
    Traceback (most recent call last):
    ...
    ValueError: row_picker: no column 'whom' in the table (columns: who)
    """
    import ipywidgets as w
    from IPython.display import display

    if column not in table.columns:
        raise ValueError(
            f"row_picker: no column {column!r} in the table (columns: {', '.join(table.columns)})"
        )
    options = list(options)
    if not options:
        raise ValueError("row_picker: no options to pick from")
    pick = w.Dropdown(options=options, description=column, layout=w.Layout(width="70%"))
    out = w.Output()

    def show(change=None):
        with out:
            out.clear_output()
            rows = table[table[column] == pick.value]
            display((rows[list(columns)] if columns else rows).head(limit))

    pick.observe(show, names="value")
    show()
    return w.VBox([pick, out])
