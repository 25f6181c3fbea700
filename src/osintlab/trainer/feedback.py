"""Feedback that says what passed, what failed and why — without showing hidden tests.

nbgrader's feedback HTML shows each test cell as it ran, hidden tests included, and a failing
cell's traceback prints the hidden ``assert`` lines even when ``ClearHiddenTests`` is added
(nbgrader issue #917). A trainee who reads them can write to the test instead of learning the
skill, and the hidden tests can no longer be reused with the next cohort. So before nbgrader
renders the feedback, :func:`sanitize` rewrites the autograded notebook:

* every test cell shows only its visible part; the hidden part becomes a one-line note;
* every traceback is replaced by the error's name and message, and a failure inside the hidden
  part says only "a hidden check failed" (with the error type when it is not an assert);
* any remaining output line that quotes a hidden-test line is dropped;
* a summary table at the top lists each item, its points, passed / failed / to be marked, and why.

:func:`leaks` checks rendered HTML (as text) for hidden-test lines; :mod:`osintlab.trainer.cohort`
withholds a feedback file rather than release one that leaks.

    >>> cell_src = "check(x)\\n### BEGIN HIDDEN TESTS\\nassert x == 42\\n### END HIDDEN TESTS"
    >>> visible_part(cell_src)
    'check(x)\\n# (hidden tests ran here)'
    >>> hidden_lines(cell_src)
    ['assert x == 42']
"""

from __future__ import annotations

import copy
import html
import re

__all__ = [
    "BEGIN_HIDDEN",
    "END_HIDDEN",
    "visible_part",
    "hidden_lines",
    "grade_items",
    "sanitize",
    "leaks",
    "html_text",
]

BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"
HIDDEN_NOTE = "# (hidden tests ran here)"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")
_SKILL = re.compile(r"(?im)^\W*skill\W*:\s*(.+?)\s*\**\s*$")
_TOOL = re.compile(
    r"`(?:osintlab\.)?((?:evidence|social|images|search|eevidence|crypto|device|"
    r"triage|timeutil|web|data|charts)\.[a-z_]\w*)"
)


def _nbmeta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def visible_part(source: str) -> str:
    """``source`` with every hidden-test region replaced by a one-line note."""
    out, hidden = [], False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped == BEGIN_HIDDEN:
            hidden = True
            out.append(HIDDEN_NOTE)
        elif stripped == END_HIDDEN:
            hidden = False
        elif not hidden:
            out.append(line)
    return "\n".join(out)


def _visible_line_count(source: str) -> int:
    """Number of lines before the first hidden region (all lines if there is none)."""
    for i, line in enumerate(source.splitlines()):
        if line.strip() == BEGIN_HIDDEN:
            return i
    return len(source.splitlines())


def hidden_lines(source: str) -> list[str]:
    """The non-blank lines inside hidden-test regions, stripped."""
    out, hidden = [], False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped == BEGIN_HIDDEN:
            hidden = True
        elif stripped == END_HIDDEN:
            hidden = False
        elif hidden and stripped:
            out.append(stripped)
    return out


def grade_items(nb) -> list[dict]:
    """The graded items of an exercise master, in order.

    Each item: ``grade_id``, ``kind`` (``auto`` for a test cell, ``manual`` for a written
    answer), ``points``, ``label`` (the heading of the task above it, without its points) and
    ``skill``: the cell's ``metadata.osintlab.skill``, else a ``Skill: ...`` line in the task,
    else the task's title with the toolkit functions it names (``social.selectors_table``).
    """
    items, label, skill = [], "", ""
    for cell in nb.cells:
        meta = _nbmeta(cell)
        if cell.cell_type == "markdown" and meta and not meta.get("grade"):
            text = cell.source.strip()
            heading = next((ln.lstrip("#").strip() for ln in text.splitlines() if ln.strip()), "")
            label = re.sub(r"\s*\([^)]*\bpoints?\b[^)]*\)\s*$", "", re.sub(r"[*_`]", "", heading))[
                :120
            ]
            found = _SKILL.search(text)
            if found:
                skill = re.sub(r"[*_`]", "", found.group(1)).strip()
            else:
                # the task's title without "Task N —", plus the toolkit functions it uses
                title = re.sub(
                    r"^(task|question|part|exercise)\s*\w*\s*[—:.-]+\s*", "", label, flags=re.I
                )
                tools = list(dict.fromkeys(_TOOL.findall(text)))[:2]
                skill = title + (f" ({', '.join(tools)})" if tools else "")
            continue
        if not meta.get("grade"):
            continue
        own = cell.get("metadata", {}).get("osintlab", {}).get("skill")
        items.append(
            {
                "grade_id": meta["grade_id"],
                "kind": "auto" if cell.cell_type == "code" else "manual",
                "points": float(meta.get("points", 0) or 0),
                "label": label or meta["grade_id"],
                "skill": own or skill or label or meta["grade_id"],
            }
        )
    return items


def _failure_message(output: dict, source: str) -> tuple[str, bool]:
    """(message, in_hidden) for an error output of a test cell."""
    ename = output.get("ename", "Error")
    evalue = (output.get("evalue") or "").strip()
    tb = _ANSI.sub("", "\n".join(output.get("traceback", [])))
    in_hidden = False
    m = _CELL_LINE.search(tb)
    if m and BEGIN_HIDDEN in source:
        in_hidden = int(m.group(1)) > _visible_line_count(source)
    if ename in ("CellTimeoutError", "KernelRestarted", "NotRun"):
        return (
            f"{ename}: {evalue}"
            if evalue
            else f"{ename}: the cell ran over the time limit and was stopped"
        ), False
    if in_hidden:
        if ename == "AssertionError":
            return "a hidden check failed", True
        return f"a hidden check failed with {ename}" + (
            f": {evalue}" if evalue and ename != "AssertionError" else ""
        ), True
    return (f"{ename}: {evalue}" if evalue else ename), False


def _drop_quoting_lines(text: str, secret: list[str]) -> str:
    if not secret or not text:
        return text
    return "\n".join(ln for ln in text.split("\n") if not any(s in ln for s in secret))


def sanitize(nb, items_status: list[dict] | None = None, *, title: str = ""):
    """Return a copy of autograded notebook ``nb`` that is safe to show the trainee.

    ``items_status`` (optional): rows with ``grade_id``, ``label``, ``points``, ``score``
    (None when not yet marked) used for the summary table; messages are filled in here.
    """
    import nbformat

    nb = copy.deepcopy(nb)
    secret = sorted(
        {
            ln
            for c in nb.cells
            if c.cell_type == "code"
            for ln in hidden_lines(c.source)
            if len(ln) >= 6
        }
    )
    why: dict[str, str] = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        meta = _nbmeta(cell)
        is_test = bool(meta.get("grade")) and not meta.get("solution")
        source = cell.source
        if is_test:
            cell.source = visible_part(source)
        new_outputs = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                if is_test:
                    message, _ = _failure_message(out, source)
                    why.setdefault(meta.get("grade_id", ""), message)
                else:
                    message = f"{out.get('ename', 'Error')}: {out.get('evalue', '')}".strip()
                message = _drop_quoting_lines(message, secret) or "an error occurred"
                new_outputs.append(
                    nbformat.v4.new_output(
                        "error",
                        ename=out.get("ename", "Error"),
                        evalue=message,
                        traceback=[message],
                    )
                )
                continue
            if is_test and BEGIN_HIDDEN in source and out.get("output_type") == "execute_result":
                continue  # the value of the hidden tests' last line
            if out.get("output_type") == "stream":
                text = _drop_quoting_lines(out.get("text", ""), secret)
                if is_test:  # visible and hidden checks often print the same tick
                    seen, kept = set(), []
                    for ln in text.split("\n"):
                        if ln.strip() and ln in seen:
                            continue
                        seen.add(ln)
                        kept.append(ln)
                    text = "\n".join(kept)
                out["text"] = text
            elif "data" in out:
                for mime in list(out["data"]):
                    value = out["data"][mime]
                    if isinstance(value, str) and mime.startswith("text/"):
                        out["data"][mime] = _drop_quoting_lines(value, secret)
            new_outputs.append(out)
        cell.outputs = new_outputs
    if items_status is not None:
        td = "style='border:1px solid #ccc;padding:3px 8px;text-align:left'"
        colour = {"passed": "#1a7f37", "failed": "#b00", "partly": "#b36b00"}
        rows = []
        for it in items_status:
            score, points = it.get("score"), it.get("points", 0)
            if it.get("kind") == "manual" and it.get("manual_score") is None:
                if it.get("auto_score") is not None:  # nbgrader: answer left unchanged
                    result, reason = "failed", "no answer written"
                else:
                    result, reason = "to be marked by your trainer", ""
            elif score is not None and points and score >= points:
                result, reason = "passed", ""
            else:
                result = "failed" if not score else "partly"
                reason = why.get(it["grade_id"], "no answer" if it.get("kind") == "auto" else "")
            got = "–" if score is None else f"{score:g}"
            rows.append(
                f"<tr><td {td}>{html.escape(it.get('label', it['grade_id']))}</td>"
                f"<td {td}>{got} / {points:g}</td>"
                f"<td {td}><b style='color:{colour.get(result, '#555')}'>{result}</b></td>"
                f"<td {td}>{html.escape(reason)}</td></tr>"
            )
        head = (
            f"# Feedback{': ' + title if title else ''}\n\n"
            "<table style='border-collapse:collapse'><tr>"
            + "".join(f"<th {td}>{h}</th>" for h in ("Item", "Points", "Result", "Why"))
            + "</tr>"
            + "".join(rows)
            + "</table>\n\n"
            "Hidden checks test the same skill in other ways; their code is not shown. "
            "A failed hidden check means your answer is not yet right in general, even when "
            "the visible check passed."
        )
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(head))
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"fb-{i:04d}"
    return nb


def html_text(page: str) -> str:
    """Visible text of an HTML page (tags removed, entities decoded, whitespace collapsed)."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    return re.sub(r"[ \t]+", " ", text)


def leaks(page: str, secret_lines: list[str]) -> list[str]:
    """Hidden-test lines (from the exercise master) that appear in rendered feedback HTML."""
    text = re.sub(r"\s+", "", html_text(page))
    return [ln for ln in secret_lines if len(ln) >= 6 and re.sub(r"\s+", "", ln) in text]
