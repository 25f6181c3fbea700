"""nbgrader preprocessors that keep one bad submission from breaking its own grading.

nbgrader's ``Execute`` stops the whole submission when a trainee's code kills the kernel
(``os._exit``, a segfault, running out of memory) or swallows the interrupt nbgrader sends on
a timeout (``except BaseException: pass`` inside a loop): the submission is left ungraded.
:class:`RobustExecute` restarts the kernel instead, replays the cells that ran cleanly before
(so later items can still be graded), records what happened in the cell's metadata and goes on.
:class:`TrimOutputs` caps huge outputs so an autograded notebook stays small enough to store,
render as feedback and open in the formgrader.

The cohort grader (:mod:`osintlab.trainer.cohort`) switches both on through
``c.Autograde.autograde_preprocessors`` (:func:`osintlab.trainer.nbgrader.config` with
``robust=True``); the incidents they record (``cell.metadata.osintlab.incident``) become the
submission's status in ``grades.csv``.
"""

from __future__ import annotations

import copy

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Integer

__all__ = ["RobustExecute", "TrimOutputs", "incidents"]

META = "osintlab"


def _error_output(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(
        output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]
    )


def _mark(cell, incident: str) -> None:
    cell.metadata.setdefault(META, {})["incident"] = incident


class RobustExecute(Execute):
    """nbgrader's ``Execute`` that survives a dead kernel or an ignored interrupt.

    On such a failure the kernel is restarted, the cells that had run without a fatal failure
    are re-run silently to rebuild the trainee's state, and execution continues with the next
    cell. The failing cell gets an error output (so it scores 0 if it is a test cell) and an
    ``incident`` note. After ``max_restarts`` restarts the remaining cells are not run.
    """

    max_restarts = Integer(3, help="kernel restarts allowed per notebook").tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._ok_cells: list[tuple[int, NotebookNode]] = []
        self._restarts = 0
        self._given_up = False
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code" or not cell.source.strip():
            return super().preprocess_cell(cell, resources, index)
        if self._given_up:
            cell.outputs = [
                _error_output("NotRun", "not run: the kernel kept dying earlier in this notebook")
            ]
            _mark(cell, "not run")
            return cell, resources
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except (DeadKernelError, CellTimeoutError) as exc:
            ignored = isinstance(exc, CellTimeoutError)
            what = (
                "the cell ignored the interrupt after the time limit"
                if ignored
                else "the kernel died while running this cell"
            )
            cell.outputs = [
                _error_output(
                    "KernelRestarted" if not ignored else "CellTimeoutError",
                    f"{what}; the kernel was restarted",
                )
            ]
            _mark(cell, "interrupt ignored" if ignored else "kernel died")
            self._recover()
            return cell, resources
        if not any(o.get("ename") == "CellTimeoutError" for o in cell.get("outputs", [])):
            self._ok_cells.append((index, cell))
        else:
            _mark(cell, "timeout")
        return cell, resources

    def _recover(self) -> None:
        self._restarts += 1
        if self._restarts > self.max_restarts:
            self._given_up = True
            return
        try:
            self._restart()
            for index, done in list(self._ok_cells):
                replay = copy.deepcopy(done)
                super().preprocess_cell(replay, self.resources, index)
        except (DeadKernelError, CellTimeoutError, RuntimeError, TimeoutError):
            self._given_up = True

    def _restart(self) -> None:
        from jupyter_core.utils import run_sync

        run_sync(self.km.restart_kernel)(now=True)
        run_sync(self.kc.wait_for_ready)(timeout=self.startup_timeout)


class TrimOutputs(NbGraderPreprocessor):
    """Cap every output of a code cell at ``max_chars`` characters (text and HTML)."""

    max_chars = Integer(100_000, help="largest output kept per cell").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        trimmed = False
        budget = self.max_chars
        kept = []
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                if len(out.text) > budget:
                    out.text = out.text[: max(budget, 0)] + "\n... output trimmed ...\n"
                    trimmed = True
                budget -= len(out.text)
            elif out.output_type in ("display_data", "execute_result"):
                for mime, value in list(out.get("data", {}).items()):
                    text = value if isinstance(value, str) else "".join(value)
                    if len(text) > budget:
                        if mime.startswith("text/"):
                            out.data[mime] = text[: max(budget, 0)] + "\n... output trimmed ..."
                        else:
                            del out.data[mime]
                        trimmed = True
                    budget -= min(len(text), max(budget, 0))
                if not out.get("data"):
                    continue
            elif out.output_type == "error":
                # keep ename/evalue; tracebacks are capped by nbgrader's LimitOutput
                if len(out.get("evalue", "")) > 2000:
                    out.evalue = out.evalue[:2000] + " ... (trimmed)"
                    trimmed = True
            kept.append(out)
        cell.outputs = kept
        if trimmed:
            cell.metadata.setdefault(META, {})["trimmed"] = True
        return cell, resources


def incidents(nb) -> list[str]:
    """Human-readable problems recorded in an autograded notebook, in cell order."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        name = cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell {i + 1}"
        meta = cell.metadata.get(META, {})
        incident = meta.get("incident")
        if not incident and any(
            o.get("ename") == "CellTimeoutError" for o in cell.get("outputs", [])
        ):
            incident = "timeout"
        if incident:
            found.append(f"{incident} in {name}")
        if meta.get("trimmed") or any(
            "Output truncated" in o.get("text", "")
            for o in cell.get("outputs", [])
            if o.get("output_type") == "stream"
        ):
            found.append(f"huge output trimmed in {name}")
    return found
