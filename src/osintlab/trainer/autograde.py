"""Run real ``nbgrader`` on exercise notebooks, in one process, in a scratch course folder.

Used by ``osintlab check`` (the course self-test, :mod:`osintlab.trainer.selftest`),
``osintlab release`` and the tests, with the course's one configuration
(:mod:`osintlab.trainer.nbgrader`). Each call builds a temporary nbgrader course (source = the
masters in ``solutions/``), generates the assignment so the gradebook knows every graded cell,
places the submissions and autogrades them — the same path a trainer's cohort takes, without
one nbgrader process per student.

    >>> results = autograde_notebooks("01-foundations",
    ...     {"model": Path("solutions/01-foundations/01-foundations.ipynb")})  # doctest: +SKIP
    >>> results["model"].score == results["model"].max_auto                     # doctest: +SKIP
    True
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .nbgrader import TIMEOUT, TRAINEE_OUTPUTS, api, course_root, quiet

__all__ = ["release", "autograde_notebooks", "GradeResult"]


def _scratch_course(module: str, source_root: Path, tmp: Path) -> Path:
    src = source_root / "solutions" / module
    if not src.is_dir():
        raise FileNotFoundError(f"{src}: no exercise master for module {module!r}")
    shutil.copytree(
        src,
        tmp / "source" / module,
        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", *TRAINEE_OUTPUTS),
    )
    return tmp


def release(module: str, dest: Path, source_root: Path | None = None) -> Path:
    """Generate the trainee version of ``module`` into ``dest/module`` (replacing it)."""
    source_root = source_root or course_root()
    with tempfile.TemporaryDirectory(prefix="osintlab-release-") as t:
        tmp = _scratch_course(module, source_root, Path(t))
        with quiet():
            result = api(tmp).generate_assignment(module, force=True, create=True)
        if not result.get("success"):
            raise RuntimeError(
                f"nbgrader generate_assignment failed for {module}:\n"
                f"{result.get('error') or result.get('log')}"
            )
        out = Path(dest) / module
        if out.exists():
            shutil.rmtree(out)
        shutil.copytree(tmp / "release" / module, out)
    return out


@dataclass
class GradeResult:
    student: str
    score: float = 0.0
    max_score: float = 0.0
    max_auto: float = 0.0
    auto_score: float = 0.0
    needs_manual: bool = False
    status: str = "ok"
    cells: dict = field(default_factory=dict)  # grade_id -> (score, max)


def autograde_notebooks(
    module: str,
    submissions: dict[str, Path],
    *,
    datasets: Path | None = None,
    source_root: Path | None = None,
    timeout: int = TIMEOUT,
) -> dict[str, GradeResult]:
    """Autograde one notebook per student for ``module``; return a result per student."""
    from nbgrader.api import Gradebook

    source_root = source_root or course_root()
    results: dict[str, GradeResult] = {}
    env_before = os.environ.get("OSINTLAB_DATA")
    if datasets is not None:
        os.environ["OSINTLAB_DATA"] = str(Path(datasets).resolve())
    try:
        with tempfile.TemporaryDirectory(prefix="osintlab-grade-") as t:
            tmp = _scratch_course(module, source_root, Path(t))
            grader = api(tmp, timeout=timeout)
            with quiet():
                gen = grader.generate_assignment(module, force=True, create=True)
            if not gen.get("success"):
                raise RuntimeError(
                    f"nbgrader generate_assignment failed for {module}:\n"
                    f"{gen.get('error') or gen.get('log')}"
                )
            for student, nb in submissions.items():
                dest = tmp / "submitted" / student / module
                dest.mkdir(parents=True)
                shutil.copy2(nb, dest / f"{module}.ipynb")
                with quiet():
                    res = grader.autograde(module, student, force=True, create=True)
                result = GradeResult(student)
                if not res.get("success"):
                    result.status = "autograde failed: " + (res.get("error") or "")[-500:]
                results[student] = result
            with Gradebook(f"sqlite:///{(tmp / 'gradebook.db').as_posix()}") as gb:
                for student, result in results.items():
                    try:
                        sub = gb.find_submission_notebook(module, module, student)
                    except Exception:
                        result.status = result.status if result.status != "ok" else "not graded"
                        continue
                    result.score, result.max_score = sub.score, sub.max_score
                    result.needs_manual = sub.needs_manual_grade
                    for g in sub.grades:
                        result.cells[g.name] = (g.score, g.max_score, g.cell.cell_type)
                    result.max_auto = sum(
                        m for _, m, kind in result.cells.values() if kind == "code"
                    )
                    result.auto_score = sum(
                        (s or 0) for s, _, kind in result.cells.values() if kind == "code"
                    )
    finally:
        if datasets is not None:
            if env_before is None:
                os.environ.pop("OSINTLAB_DATA", None)
            else:
                os.environ["OSINTLAB_DATA"] = env_before
    return results
