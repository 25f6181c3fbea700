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
import os
import shutil
import tempfile
from dataclasses import astuple
from pathlib import Path

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Bool, Integer, List, Unicode

__all__ = [
    "RobustExecute",
    "BudgetExecute",
    "IsolatedExecute",
    "TrimOutputs",
    "incidents",
    "answer_names",
]

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
    """Human-readable problems recorded in an autograded notebook, in cell order (first,
    whether it was graded without isolation, see :class:`IsolatedExecute`)."""
    found = []
    meta = nb.metadata.get(META, {})
    if str(meta.get("isolation", "")).startswith("NOT"):
        found.append(meta["isolation"])
    for key, what in (
        ("trainee_kernel", "the trainee's kernel failed"),
        ("checks_kernel", "the checks kernel failed"),
        ("checks_setup", "a setup cell failed in the checks kernel"),
    ):
        if meta.get(key):
            found.append(f"{what}: {meta[key]}")
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


# ---------------------------------------------------------------------------------------------
# Isolated grading: the trainee's cells in a sandbox, the checks in a fresh kernel
# ---------------------------------------------------------------------------------------------


def _cell_kind(cell, trusted: dict | None = None) -> str:
    """``test`` (autograded tests), ``setup`` (locked code the trainer wrote), ``trainee``.

    ``trusted`` (``{grade_id: kind}`` from the gradebook, see :func:`trusted_kinds`) decides
    when given: a cell a trainee added or relabelled as locked is still the trainee's."""
    if cell.cell_type != "code":
        return "markdown"
    meta = cell.metadata.get("nbgrader", {})
    if trusted is not None:
        return trusted.get(meta.get("grade_id"), "trainee")
    if meta.get("grade") and not meta.get("solution"):
        return "test"
    if meta.get("locked") and not meta.get("solution") and not meta.get("grade"):
        return "setup"
    return "trainee"


def trusted_kinds(resources) -> dict | None:
    """``{grade_id: "test" | "setup"}`` of the notebook's code cells as the gradebook knows
    them (the released assignment), or None outside nbgrader's autograde."""
    info = (resources or {}).get("nbgrader") or {}
    if not info.get("db_url"):
        return None
    from nbgrader.api import Gradebook, MissingEntry

    try:
        with Gradebook(info["db_url"]) as gb:
            nb = gb.find_notebook(info["notebook"], info["assignment"])
            graded = {c.name for c in nb.grade_cells if c.cell_type == "code"}
            solution = {c.name for c in nb.solution_cells}
            kinds = {}
            for c in nb.source_cells:
                if c.cell_type != "code":
                    continue
                if c.name in graded and c.name not in solution:
                    kinds[c.name] = "test"
                elif c.locked and c.name not in graded and c.name not in solution:
                    kinds[c.name] = "setup"
            return kinds
    except MissingEntry:
        return None


def _names(source: str) -> tuple[set, set]:
    """(names the code reads, names it binds) of a cell, from its syntax tree."""
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:
        # IPython magics and the like: drop lines ast cannot read
        lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
        try:
            tree = ast.parse("\n".join(lines))
        except SyntaxError:
            return set(), set()
    reads, binds = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for a in node.names:
                binds.add((a.asname or a.name).split(".")[0])
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            binds.add(node.name)
        elif isinstance(node, ast.Name):
            (reads if isinstance(node.ctx, ast.Load) else binds).add(node.id)
        elif isinstance(node, ast.arg):
            binds.add(node.arg)
    return reads, binds


def answer_names(nb, trusted: dict | None = None) -> dict[int, list[str]]:
    """For each test cell (by index), the names it reads that only the trainee's cells can
    give it: not builtins, not bound by the locked setup cells or by earlier test cells."""
    return {i: names for i, (names, _) in _answer_names(nb, trusted).items()}


def _answer_names(nb, trusted: dict | None = None) -> dict[int, tuple[list[str], list[str]]]:
    """Per test cell: (trainee-only names, names the setup bound that the test reads)."""
    import builtins

    owned = set(dir(builtins)) | {"get_ipython", "display", "In", "Out", "exit", "quit"}
    setup: set = set()
    tests: set = set()
    out = {}
    for i, cell in enumerate(nb.cells):
        kind = _cell_kind(cell, trusted)
        if kind == "setup":
            setup |= _names(cell.source)[1]
        elif kind == "test":
            reads, binds = _names(cell.source)
            mine = reads - binds - tests
            out[i] = (sorted(mine - owned - setup), sorted((mine & setup) - owned))
            tests |= binds
    return out


def _extract_source(names: list[str]) -> str:
    from .answers import MIME

    return (
        f"__import__('IPython').display.publish_display_data({{{MIME!r}: __import__("
        f"'osintlab.trainer.answers', fromlist=['dump_names']).dump_names(globals(), {names!r})}})"
    )


def _load_source(path: str, names: list[str], shared: list[str]) -> str:
    return (
        "__import__('osintlab.trainer.answers', fromlist=['load_names']).load_names("
        f"globals(), open({path!r}, encoding='utf-8').read(), {names!r}, {shared!r})"
    )


class BudgetExecute(RobustExecute):
    """:class:`RobustExecute` with a wall-clock budget for the whole notebook.

    Once ``budget`` seconds have passed, the remaining ordinary cells are not run; cells
    tagged as answer extraction (``metadata.osintlab.extract``) still run with a short time
    limit so the answers computed so far can be graded."""

    budget = Integer(900, help="seconds for the whole notebook").tag(config=True)
    extract_timeout = Integer(20).tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        import time

        self._deadline = time.monotonic() + self.budget
        self._cell_timeout = self.timeout
        self._extract_failed = False
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):
        import time

        if cell.cell_type != "code" or not cell.source.strip():
            return super().preprocess_cell(cell, resources, index)
        extract = cell.metadata.get(META, {}).get("extract", False)
        left = self._deadline - time.monotonic()
        if extract:
            if self._extract_failed:
                cell.outputs = []
                return cell, resources
            self.timeout = max(1, min(self._cell_timeout, self.extract_timeout))
        elif left <= 0:
            cell.outputs = [
                _error_output(
                    "NotRun", f"not run: the notebook's time budget ({self.budget} s) is used up"
                )
            ]
            _mark(cell, "time budget used up")
            return cell, resources
        else:
            self.timeout = max(1, min(self._cell_timeout, int(left) + 1))
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        finally:
            self.timeout = self._cell_timeout
        if extract and cell.metadata.get(META, {}).get("incident"):
            self._extract_failed = True
        return cell, resources


def _keys_for_checks(base: Path, uid: int) -> str:
    """The trainer's grading keys (``OSINTLAB_KEYS``) as the checks kernel can read them: the
    keys file itself, or, when the kernel runs as a user of its own, a copy that only that user
    can read (the secrets folder is the trainer's alone). ``""`` when grading with the
    published keys."""
    keys = os.environ.get("OSINTLAB_KEYS", "")
    if not keys or uid < 0:
        return keys
    copy_ = base / "grading-keys.json"
    shutil.copyfile(keys, copy_)
    os.chown(copy_, uid, uid)
    os.chmod(copy_, 0o400)
    return str(copy_)


def _give(folder: Path, uid: int) -> None:
    """Make ``folder`` and everything in it the sandbox user's (when there is one)."""
    if uid < 0:
        return
    for dirpath, dirs, files in os.walk(folder):
        os.chown(dirpath, uid, uid)
        for n in dirs + files:
            os.chown(os.path.join(dirpath, n), uid, uid, follow_symlinks=False)


def _remove(folder: Path) -> None:
    """Delete ``folder``, also when a trainee's code made parts of it read-only."""

    def unlock(func, path, _exc):
        for p in (os.path.dirname(path), path):
            try:
                if not os.path.islink(p):
                    os.chmod(p, 0o700)
            except OSError:
                pass
        try:
            func(path)
        except OSError:
            pass

    shutil.rmtree(folder, onerror=unlock)


def _point(link: Path, target: str) -> None:
    """Point the link ``link`` at ``target`` (a sibling folder) in one step."""
    tmp = link.with_name(f".{link.name}-{os.getpid()}")
    if tmp.is_symlink():
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, link)


class _Zone:
    """A checks process with its host folders: ``area/t`` (trainees' scratch folders),
    ``area/c`` (checks folders; ``template`` as the setup cells left it)."""

    def __init__(self, key, area: Path, datasets: str, keys: str, proc):
        self.key, self.area, self.datasets, self.keys, self.proc = key, area, datasets, keys, proc
        self.template = None  # _listing() of area/c/template once the setup cells ran


def _listing(folder: Path) -> list:
    """Every path below ``folder`` with its size and modification time."""
    out = []
    for dirpath, dirs, files in os.walk(folder):
        for n in sorted(dirs + files):
            st = os.lstat(os.path.join(dirpath, n))
            out.append(
                (os.path.relpath(os.path.join(dirpath, n), folder), st.st_size, st.st_mtime_ns)
            )
    return sorted(out)


class IsolatedExecute(NbGraderPreprocessor):
    """Grade a notebook so that only answers cross from the trainee's code to the checks.

    1. The trainee's notebook runs in a sandboxed kernel (:mod:`osintlab.trainer.sandbox`)
       with every test cell replaced by a cell that sends the answer variables it reads
       (:func:`answer_names`) out as plain data (:mod:`osintlab.trainer.answers`).
    2. A checks process (sandboxed too, read-only view of the trainee's scratch folder so
       files the trainee wrote can be checked) that has run only the locked setup cells
       receives, per test cell, that cell's answers and runs the test cell (visible and hidden
       parts, restored by nbgrader from the gradebook). By default it is a fresh fork of one
       process per grading worker and module that ran the leading setup cells once
       (:mod:`osintlab.trainer.checks_process`, ``reuse_checks``): the same state as a new
       kernel, without starting one and re-loading the datasets per notebook. If that process
       cannot start or stops answering, a new kernel per notebook runs the setup and the
       checks instead.
    3. The test cells' outputs (which nbgrader's ``SaveAutoGrades`` scores) come from step 2;
       every other cell keeps the trainee's own output from step 1.

    Hooks, monkeypatches, ``atexit`` handlers and forged replies in the trainee's kernel
    change only the answers it sends, never how they are checked.
    """

    timeout = Integer(120, help="seconds per cell").tag(config=True)
    startup_timeout = Integer(120).tag(config=True)
    budget = Integer(900, help="wall-clock seconds for the trainee's notebook").tag(config=True)
    memory_mb = Integer(4096).tag(config=True)
    processes = Integer(256).tag(config=True)
    file_mb = Integer(512).tag(config=True)
    cpu_seconds = Integer(900).tag(config=True)
    sandbox = Bool(True, help="use bubblewrap when it works here").tag(config=True)
    uid = Integer(-1, help="unprivileged uid for the kernels (grader running as root)").tag(
        config=True
    )
    scratch = Unicode("", help="host folder for the sandboxes (default: a temp folder)").tag(
        config=True
    )
    extra_arguments = List(["--HistoryManager.hist_file=:memory:"]).tag(config=True)
    reuse_checks = Bool(
        True,
        help="run the checks in forks of one process per module that ran the setup cells "
        "once (osintlab.trainer.checks_process), not in a new kernel per notebook",
    ).tag(config=True)

    def preprocess(self, nb, resources):
        from .answers import MIME
        from .sandbox import (
            NOT_ISOLATED,
            Box,
            Limits,
            probe,
            readable_datasets,
            socket_folder,
        )

        ok, why = probe() if self.sandbox else (False, "sandbox switched off")
        iso = nb.metadata.setdefault(META, {})
        iso["isolation"] = "bubblewrap" if ok else f"{NOT_ISOLATED}: {why}"
        uid = self.uid if (ok and os.geteuid() == 0) else -1
        if uid < 0 and ok and os.geteuid() == 0:
            uid = 200000 + os.getpid()
        limits = Limits(
            memory_mb=self.memory_mb,
            processes=self.processes,
            file_mb=self.file_mb,
            cpu_seconds=self.cpu_seconds,
            notebook_seconds=self.budget,
        )
        datasets = os.environ.get("OSINTLAB_DATA", "")
        if not datasets:
            try:
                from .. import data

                datasets = str(data.datasets_dir())
            except Exception:  # noqa: BLE001 - the notebooks will say so themselves
                datasets = ""
        trusted = trusted_kinds(resources)
        kinds = [_cell_kind(c, trusted) for c in nb.cells]
        first_test = kinds.index("test") if "test" in kinds else len(kinds)
        lead = [i for i in range(first_test) if kinds[i] == "setup"]
        zone = None
        # only in a sandbox: unsandboxed, a trainee's code could reach a process that outlives
        # its notebook (and the checks folders of later trainees)
        if self.reuse_checks and ok and first_test < len(kinds):
            try:
                zone = self._zone([nb.cells[i].source for i in lead], datasets, uid, ok, limits)
            except Exception as exc:  # noqa: BLE001 - grade with a checks kernel instead
                self.log.warning("no checks process (%s); using a checks kernel", exc)
        if zone is not None:
            base = Path(tempfile.mkdtemp(prefix="s-", dir=zone.area / "t"))
            checks_dir = zone.area / "c" / base.name  # filled once the setup cells ran
            scratch, datasets, keys = base, zone.datasets, zone.keys
        else:
            base = Path(tempfile.mkdtemp(prefix="osl-", dir=self.scratch or None))
            scratch, checks_dir, keys = base / "t", base / "c", None
        sockets = socket_folder()
        failed_zone = False
        try:
            os.chmod(base, 0o755)
            if zone is None and datasets and uid >= 0:
                datasets = readable_datasets(datasets, base / "datasets")
            if keys is None:
                keys = _keys_for_checks(base, uid)
            trainee_box = Box(
                scratch, sockets / "ks", datasets=datasets, limits=limits, uid=uid, isolate=ok
            )
            checks_box = Box(
                scratch,
                sockets / "kc",
                datasets=datasets,
                limits=limits,
                uid=uid,
                isolate=ok,
                checks=checks_dir,
                keys=keys,
            )
            both = _answer_names(nb, trusted)
            names = {i: a for i, (a, _) in both.items()}

            # 1. the trainee's cells, tests replaced by answer extraction
            trainee = copy.deepcopy(nb)
            for i, cell in enumerate(trainee.cells):
                if i in names:
                    cell.source = _extract_source(names[i] + both[i][1])
                    cell.metadata.setdefault(META, {})["extract"] = True
            runner = self._executor(BudgetExecute, trainee_box, budget=self.budget)
            res = {"metadata": {"path": trainee_box.work}}
            try:
                trainee, _ = runner.preprocess(trainee, res)
            except Exception as exc:  # noqa: BLE001 - the kernel did not even start
                import traceback

                self.log.warning("trainee kernel failed: %s", traceback.format_exc())
                iso["trainee_kernel"] = f"{type(exc).__name__}: {exc}"[:300]
            if os.environ.get("OSINTLAB_DEBUG_TRAINEE"):
                import nbformat

                nbformat.write(trainee, os.environ["OSINTLAB_DEBUG_TRAINEE"])
            # 2. answers, as files the checks kernel reads
            adir = checks_box.checks / "answers"
            adir.mkdir(parents=True, exist_ok=True)
            checks_cells = []
            for i, cell in enumerate(nb.cells):
                kind = _cell_kind(cell, trusted)
                if kind == "setup":
                    checks_cells.append((i, copy.deepcopy(cell)))
                elif kind == "test":
                    text = ""
                    for out in trainee.cells[i].get("outputs", []):
                        if out.get("output_type") == "display_data" and MIME in out.get("data", {}):
                            value = out["data"][MIME]
                            text = value if isinstance(value, str) else ""
                    (adir / f"{i}.json").write_text(text, encoding="utf-8")
                    inside = f"/checks/answers/{i}.json" if ok else str(adir / f"{i}.json")
                    loader = NotebookNode(
                        cell_type="code",
                        source=_load_source(inside, names[i], both[i][1]),
                        metadata={},
                        outputs=[],
                        execution_count=None,
                    )
                    checks_cells.append((None, loader))
                    checks_cells.append((i, copy.deepcopy(cell)))
            if uid >= 0:
                for p in adir.iterdir():
                    os.chown(p, uid, uid)
                os.chown(adir, uid, uid)
            checks = copy.deepcopy(nb)
            checks.cells = [c for _, c in checks_cells]
            for c in checks.cells:
                c.outputs = []
            done = False
            if zone is not None:
                try:
                    self._checks_in_process(zone, checks, checks_cells, lead, base, checks_dir, uid)
                    done = True
                except Exception as exc:  # noqa: BLE001 - the process failed: use a kernel
                    self.log.warning("checks process failed (%s); using a checks kernel", exc)
                    failed_zone = True  # stopped after this notebook: its folders are in use
                    for c in checks.cells:
                        c.outputs = []
            if not done:
                checker = self._executor(RobustExecute, checks_box)
                try:
                    checks, _ = checker.preprocess(checks, {"metadata": {"path": checks_box.work}})
                except Exception as exc:  # noqa: BLE001
                    iso["checks_kernel"] = f"{type(exc).__name__}: {exc}"[:300]
            # 3. outputs back into the notebook nbgrader scores
            for i, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                if i not in names:
                    src = trainee.cells[i]
                    # the trainee's own output, without any (forged) answer messages
                    cell.outputs = [
                        o for o in src.get("outputs", []) if MIME not in o.get("data", {})
                    ]
                    cell.execution_count = src.get("execution_count")
                    if src.metadata.get(META):
                        cell.metadata[META] = src.metadata[META]
            for (i, _), ran in zip(checks_cells, checks.cells):
                if i is None:
                    continue
                cell = nb.cells[i]
                if _cell_kind(cell, trusted) == "test":
                    cell.outputs = ran.get("outputs", [])
                    if iso.get("checks_kernel"):
                        # no outputs would mean full marks: the checks did not run
                        cell.outputs = [_error_output("ChecksNotRun", iso["checks_kernel"])]
                        _mark(ran, "checks not run")
                    cell.execution_count = ran.get("execution_count")
                    if ran.metadata.get(META):
                        cell.metadata[META] = ran.metadata[META]
                elif any(o.get("output_type") == "error" for o in ran.get("outputs", [])):
                    err = next(o for o in ran.outputs if o.get("output_type") == "error")
                    iso["checks_setup"] = f"{err.get('ename')}: {err.get('evalue')}"[:300]
        finally:
            _remove(base)
            if zone is not None:
                _remove(checks_dir)
                if failed_zone:
                    from . import checks_process

                    checks_process.discard(zone.key)
            shutil.rmtree(sockets, ignore_errors=True)
        return nb, resources

    def _executor(self, cls, box, **extra):
        """An nbclient executor of class ``cls`` whose kernel runs in ``box``."""
        from .sandbox import manager_class

        return cls(
            timeout=self.timeout,
            startup_timeout=self.startup_timeout,
            interrupt_on_timeout=True,
            extra_arguments=list(self.extra_arguments),
            kernel_manager_class=manager_class(box),
            kernel_name="python3",
            parent=self,
            **extra,
        )

    def _zone(self, setup: list[str], datasets: str, uid: int, isolate: bool, limits):
        """The checks process (and its folders) for these setup cells, started if need be."""
        from . import checks_process
        from .sandbox import Box, readable_datasets, socket_folder

        keys_env = os.environ.get("OSINTLAB_KEYS", "")
        stamp = (os.stat(keys_env).st_mtime_ns, os.stat(keys_env).st_size) if keys_env else ()
        key = (
            tuple(setup),
            datasets,
            keys_env,
            stamp,
            uid,
            isolate,
            astuple(limits),
            self.scratch,
            os.environ.get("PYTHONPATH", ""),
        )

        def start():
            # in the grading run's own temporary folder (``TMPDIR``, set per task): a worker
            # that is killed leaves nothing behind once the run's folder is removed
            # (read here, not through tempfile, which keeps the first TMPDIR it saw)
            where = self.scratch or os.environ.get("TMPDIR") or None
            if where and not os.path.isdir(where):
                where = None
            area = Path(tempfile.mkdtemp(prefix="osl-z-", dir=where))
            sockets = socket_folder()

            def cleanup():
                _remove(area)
                shutil.rmtree(sockets, ignore_errors=True)

            try:
                os.chmod(area, 0o755)
                for sub in ("t", "t/empty", "c", "c/template"):
                    (area / sub).mkdir()
                    os.chmod(area / sub, 0o755)
                _give(area / "c" / "template", uid)
                os.symlink("empty", area / "t" / "current")
                os.symlink("template", area / "c" / "current")
                data_ = datasets
                if datasets and uid >= 0:
                    data_ = readable_datasets(datasets, area / "datasets")
                keys = _keys_for_checks(area, uid)
                box = Box(
                    area / "t" / "current",
                    sockets,
                    datasets=data_,
                    limits=limits,
                    uid=uid,
                    isolate=isolate,
                    checks=area / "c" / "current",
                    keys=keys,
                    switchable=True,
                )
                proc = checks_process.ChecksProcess(
                    box, setup, startup_timeout=self.startup_timeout, cleanup=cleanup
                )
            except BaseException:
                cleanup()
                raise
            proc.zone = _Zone(key, area, data_, keys, proc)
            return proc

        zone = checks_process.checks_process(key, start).zone
        if not (zone.area / "t").is_dir():  # its folders were deleted under it
            checks_process.discard(key)
            zone = checks_process.checks_process(key, start).zone
        return zone

    def _checks_in_process(self, zone, checks, checks_cells, lead, base, checks_dir, uid) -> None:
        """Run the checks of one submission in a fork of the zone's checks process; fill the
        outputs into ``checks``' cells as a kernel would have."""
        from nbformat import from_dict

        setup_out = zone.proc.setup_outputs()
        template = zone.area / "c" / "template"
        if zone.template is None:  # what the setup cells left, for every submission
            zone.template = _listing(template)
        shutil.copytree(template, checks_dir, symlinks=True, dirs_exist_ok=True)
        _give(checks_dir, uid)
        _point(zone.area / "t" / "current", base.name)
        _point(zone.area / "c" / "current", checks_dir.name)
        rest = []
        for k, ((i, _), cell) in enumerate(zip(checks_cells, checks.cells)):
            if i is not None and i in lead:
                cell.outputs = [from_dict(o) for o in setup_out[lead.index(i)]]
            else:
                rest.append(k)
        results = zone.proc.run([checks.cells[k].source for k in rest], self.timeout)
        if _listing(zone.area / "c" / "template") != zone.template:
            # a check wrote where the next submission's checks start from: start afresh
            from . import checks_process

            checks_process.discard(zone.key)
        for k, (outputs, incident) in zip(rest, results):
            cell = checks.cells[k]
            cell.outputs = [from_dict(o) for o in outputs]
            if incident:
                _mark(cell, incident)
