"""Write course notebooks from Python: lessons and nbgrader exercise masters.

Authors keep notebooks readable by building them cell by cell; nbgrader metadata (grade ids,
points, locked cells, hidden tests) is filled in consistently, so every exercise behaves the
same in the grader.

    >>> nb = Notebook("demo")
    >>> nb.md("# Title")
    >>> nb.solution("x = 1 + 1")
    >>> nb.test("assert x == 2", points=1)
    >>> [c.cell_type for c in nb.cells]
    ['markdown', 'code', 'code']
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

__all__ = ["Notebook", "FRESH_GRADING"]

#: Hidden tests start with this: a fresh copy of osintlab.grading loaded from its file, so a
#: submission that patched or replaced the imported module cannot influence the verdict.
FRESH_GRADING = (
    "import importlib.machinery as _m, importlib.util as _u\n"
    "_s = _m.PathFinder.find_spec('osintlab.grading', "
    "_m.PathFinder.find_spec('osintlab').submodule_search_locations)\n"
    "_g = _u.module_from_spec(_s); _s.loader.exec_module(_g)\n"
)


def _clean(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


class Notebook:
    """A notebook under construction. ``prefix`` makes grade ids unique across modules."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.cells: list = []
        self._n = 0
        self.points = 0.0

    def _id(self, kind: str, name: str | None) -> str:
        self._n += 1
        return f"{self.prefix}-{name or f'{kind}{self._n:02d}'}"

    @staticmethod
    def _meta(grade_id, *, grade=False, solution=False, locked=False, points=None, task=False):
        meta = {
            "grade": grade,
            "grade_id": grade_id,
            "locked": locked,
            "schema_version": 3,
            "solution": solution,
            "task": task,
        }
        if points is not None:
            meta["points"] = points
        return {"nbgrader": meta}

    # -- lesson cells ---------------------------------------------------------------------------
    def md(self, text: str) -> None:
        self.cells.append(new_markdown_cell(_clean(text)))

    def code(self, source: str, tags: tuple[str, ...] = ()) -> None:
        cell = new_code_cell(_clean(source))
        if tags:
            cell.metadata["tags"] = list(tags)
        self.cells.append(cell)

    # -- exercise cells ---------------------------------------------------------------------------
    def task(self, text: str, name: str | None = None) -> None:
        """A locked instruction cell (trainees cannot edit it)."""
        cell = new_markdown_cell(_clean(text))
        cell.metadata.update(self._meta(self._id("task", name), locked=True))
        self.cells.append(cell)

    def setup(self, source: str, name: str | None = None) -> None:
        """Locked code the trainee runs but does not change (imports, loading data)."""
        cell = new_code_cell(_clean(source))
        cell.metadata.update(self._meta(self._id("setup", name), locked=True))
        self.cells.append(cell)

    def solution(self, source: str, name: str | None = None, *, stub: str = "") -> None:
        """A solution cell; the release replaces the solution region with a stub."""
        body = _clean(source)
        lines = [_clean(stub)] if stub else []
        lines += ["### BEGIN SOLUTION", body, "### END SOLUTION"]
        cell = new_code_cell("\n".join(lines))
        cell.metadata.update(self._meta(self._id("solution", name), solution=True))
        self.cells.append(cell)

    def test(self, visible: str, points: float, hidden: str = "", name: str | None = None) -> None:
        """An autograded test cell: visible checks plus optional hidden tests."""
        src = _clean(visible)
        if hidden:
            src += (
                "\n### BEGIN HIDDEN TESTS\n"
                + FRESH_GRADING
                + _clean(hidden)
                + "\n### END HIDDEN TESTS"
            )
        cell = new_code_cell(src)
        cell.metadata.update(
            self._meta(self._id("test", name), grade=True, locked=True, points=points)
        )
        self.cells.append(cell)
        self.points += points

    def manual(self, answer: str, points: float, name: str | None = None) -> None:
        """A manually graded written answer (markdown); ``answer`` is the model answer and
        marking guide, which the release replaces with 'YOUR ANSWER HERE'."""
        cell = new_markdown_cell(_clean(answer))
        cell.metadata.update(
            self._meta(self._id("manual", name), grade=True, solution=True, points=points)
        )
        self.cells.append(cell)
        self.points += points

    # -- output -----------------------------------------------------------------------------------
    def build(self):
        nb = new_notebook(cells=self.cells)
        nb.metadata["kernelspec"] = {
            "display_name": "Python 3 (ipykernel)",
            "language": "python",
            "name": "python3",
        }
        nb.metadata["language_info"] = {"name": "python"}
        for i, cell in enumerate(nb.cells):
            cell["id"] = f"{self.prefix}-c{i:03d}"
        return nb

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(self.build(), path)
        return path
