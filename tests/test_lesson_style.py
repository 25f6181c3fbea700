"""Lessons read, not code walls (issue 19 item 2).

For every lesson in ``course/``: the median visible code cell has at most 4 non-blank lines and
no visible code cell is longer than 12 non-blank lines. Drawing, widget and formatting code lives
in toolkit helpers (``osintlab.charts``, ``osintlab.widgets``, ``osintlab.case``), so the notebook
shows one call.

A cell is *visible* unless its source is collapsed (``metadata.jupyter.source_hidden``). Only a
knowledge check may be collapsed — the trainee answers the widget, the question's text in
Python adds nothing to read — so hiding cannot be used to tuck teaching code away.
"""

from __future__ import annotations

import ast
import statistics
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "course").glob("*.ipynb"))
MEDIAN_MAX = 4
CELL_MAX = 12
#: (lesson stem, cell id) -> why this cell may be longer than CELL_MAX. Keep it short.
EXEMPT: dict[tuple[str, str], str] = {}
#: Calls a collapsed cell may hold (and nothing else).
COLLAPSIBLE = {"knowledge_check", "quiz"}


def _lines(source: str) -> int:
    return sum(1 for line in source.splitlines() if line.strip())


def _hidden(cell) -> bool:
    return bool(cell.metadata.get("jupyter", {}).get("source_hidden"))


def _code_cells(path):
    nb = nbformat.read(path, as_version=4)
    return [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]


def _only_a_check(source: str) -> bool:
    """The cell is imports plus one knowledge_check/quiz call."""
    tree = ast.parse(source)
    calls = [
        n
        for n in tree.body
        if isinstance(n, ast.Expr)
        and isinstance(n.value, ast.Call)
        and getattr(n.value.func, "id", getattr(n.value.func, "attr", "")) in COLLAPSIBLE
    ]
    rest = [n for n in tree.body if not isinstance(n, ast.Import | ast.ImportFrom)]
    return len(calls) == 1 and rest == calls


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_code_cells_are_short(path):
    cells = [c for c in _code_cells(path) if not _hidden(c)]
    if not cells:
        return  # the glossary: no code
    sizes = [_lines(c.source) for c in cells]
    assert statistics.median(sizes) <= MEDIAN_MAX, (
        f"{path.name}: median visible code cell {statistics.median(sizes)} lines > {MEDIAN_MAX}"
    )
    long = [
        (c.get("id"), n)
        for c, n in zip(cells, sizes, strict=True)
        if n > CELL_MAX and (path.stem, c.get("id")) not in EXEMPT
    ]
    assert not long, f"{path.name}: cells longer than {CELL_MAX} lines (id, lines): {long}"


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_only_knowledge_checks_are_collapsed(path):
    hidden = [c for c in _code_cells(path) if _hidden(c)]
    bad = [c.get("id") for c in hidden if not _only_a_check(c.source)]
    assert not bad, f"{path.name}: collapsed cells that are not a knowledge check: {bad}"


def test_exemptions_are_still_needed():
    for (stem, cell_id), why in EXEMPT.items():
        assert why, (stem, cell_id)
        cells = {c.get("id"): c for c in _code_cells(ROOT / "course" / f"{stem}.ipynb")}
        assert cell_id in cells and _lines(cells[cell_id].source) > CELL_MAX, (
            f"exemption {stem}/{cell_id} no longer needed: remove it"
        )


def test_the_rule_counts_lines_as_a_reader_does():
    assert _lines("a = 1\n\n   \nb = 2\n") == 2
    assert _only_a_check("from osintlab.widgets import knowledge_check\nknowledge_check('q', [])")
    assert not _only_a_check("x = 1\nknowledge_check('q', [])")
