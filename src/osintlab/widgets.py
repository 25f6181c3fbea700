"""Small ipywidgets helpers for lessons: knowledge checks and explorers.

Widgets are for learning only: graded test cells never depend on widget state (nbgrader runs
notebooks headless and sees only default values).

    >>> kc = knowledge_check("Which zone is PKT?", ["UTC+5", "UTC+6"], answer=0,
    ...                      explain="Pakistan Standard Time is UTC+5 all year.")  # doctest: +SKIP
"""

from __future__ import annotations

__all__ = ["knowledge_check", "quiz", "row_picker", "triage_rule", "triage_explorer"]


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


#: The capstone's five triage classes, in the order the rules test them (lesson 08).
TRIAGE_ACTIONS = {
    "EMERGENCY": "emergency disclosure, police-to-police, victim safety plan",
    "URGENT": "capture now, preservation request today",
    "REFER": "pass to the competent unit, record the referral",
    "PRIORITY": "link to the network, task an analyst",
    "ROUTINE": "log, review weekly",
}


def triage_rule(life_at_risk: bool, evidence_days, in_scope: bool, known_selector: bool) -> str:
    """The lesson's triage rules, first match wins: life at risk, then evidence about to go
    (7 days or less), then out of scope, then a known selector, else routine.

    >>> triage_rule(False, 5, True, False)
    'URGENT'
    >>> triage_rule(True, 5, False, True)  # a life at risk outranks every other flag
    'EMERGENCY'
    >>> triage_rule(False, None, True, False)
    'ROUTINE'
    """
    if life_at_risk:
        return "EMERGENCY"
    if evidence_days is not None and evidence_days <= 7:
        return "URGENT"
    if not in_scope:
        return "REFER"
    if known_selector:
        return "PRIORITY"
    return "ROUTINE"


def triage_explorer():
    """Tick the flags of a report and read its triage class and first action (lesson 08).

    >>> type(triage_explorer()).__name__
    'VBox'
    """
    import ipywidgets as w

    life = w.Checkbox(description="life at risk", value=False, indent=False)
    days = w.Dropdown(
        options=[("not at risk", None)] + [(str(d), d) for d in (2, 5, 7, 14, 30)],
        description="evidence gone in (days)",
    )
    scope = w.Checkbox(description="in our scope", value=True, indent=False)
    known = w.Checkbox(description="touches a known selector", value=False, indent=False)
    out = w.HTML()

    def show(_=None):
        cls = triage_rule(life.value, days.value, scope.value, known.value)
        out.value = f"<b>{cls}</b> — {TRIAGE_ACTIONS[cls]}"

    for box in (life, days, scope, known):
        box.observe(show, names="value")
    show()
    return w.VBox([life, days, scope, known, out])
