"""The course self-test behind ``osintlab check``: is this checkout fit to hand to a cohort?

For each exercise module it releases the master afresh and compares the release with the
committed ``exercises/`` byte for byte, then autogrades, through real nbgrader with the course's
one configuration, the solution (it must score full autograded marks) and the untouched
release (it must score zero). Before that it checks the datasets against their manifest, or,
with a seed, builds a fresh scenario so the solutions are graded on data they have never seen.

    >>> rows = run_check(["01-foundations"], progress=False)      # doctest: +SKIP
    >>> all(passed for _, _, passed, _ in rows)                   # doctest: +SKIP
    True
"""

from __future__ import annotations

import filecmp
import tempfile
from pathlib import Path

from .. import MODULES
from .nbgrader import course_root

__all__ = ["run_check", "compare_trees", "exercise_modules"]


def exercise_modules(root: Path, names: list[str] | None) -> list[str]:
    """The exercise modules of the course at ``root``: ``names`` checked, or all of them."""
    available = [m for m in MODULES if (root / "solutions" / m / f"{m}.ipynb").is_file()]
    if not names:
        return available
    unknown = [n for n in names if n not in available]
    if unknown:
        raise SystemExit(
            f"osintlab: unknown module(s) {', '.join(unknown)}; exercises exist for "
            f"{', '.join(available) or 'none'}"
        )
    return names


def compare_trees(a: Path, b: Path) -> list[str]:
    """One line per file that differs between folders ``a`` (fresh) and ``b`` (committed)."""
    problems = []
    cmp = filecmp.dircmp(a, b, ignore=[".ipynb_checkpoints", "__pycache__"])
    stack = [(cmp, "")]
    while stack:
        c, rel = stack.pop()
        problems += [f"{rel}{n}: only in the fresh release" for n in c.left_only]
        problems += [f"{rel}{n}: only in exercises/" for n in c.right_only]
        for n in c.common_files:
            if (Path(c.left) / n).read_bytes() != (Path(c.right) / n).read_bytes():
                problems.append(f"{rel}{n}: differs from a fresh release")
        stack += [(sub, f"{rel}{name}/") for name, sub in c.subdirs.items()]
    return problems


def run_check(
    modules: list[str] | None = None, seed: int | None = None, progress: bool = True
) -> list[tuple[str, str, bool, str]]:
    """Run the self-test; return rows (module, check, passed, detail)."""
    from tqdm import tqdm

    from .. import data
    from .autograde import autograde_notebooks, release

    root = course_root()
    rows = []
    names = exercise_modules(root, modules)
    with tempfile.TemporaryDirectory(prefix="osintlab-check-") as t:
        tmp = Path(t)
        datasets = None
        if seed is not None:
            from ..scenario.build import build_datasets

            datasets = tmp / "datasets"
            build_datasets(seed, datasets, progress=False)
            rows.append(("data", f"build seed {seed}", True, str(datasets)))
        else:
            try:
                problems = data.verify()
                rows.append(
                    (
                        "data",
                        "datasets match manifest",
                        not problems,
                        "; ".join(problems[:3]) or str(data.datasets_dir()),
                    )
                )
                # The kernels grade against the folder just verified: they run in a scratch
                # folder, from which data's own search would not find the course's datasets.
                datasets = data.datasets_dir()
            except data.DatasetError as exc:
                rows.append(("data", "datasets match manifest", False, str(exc)))
        for m in tqdm(names, desc="self-test", unit="module", disable=not progress):
            fresh = release(m, tmp / "release", root)
            diffs = (
                compare_trees(fresh, root / "exercises" / m)
                if (root / "exercises" / m).is_dir()
                else ["exercises/ folder missing"]
            )
            rows.append(
                (
                    m,
                    "exercises/ equals a fresh release",
                    not diffs,
                    "; ".join(diffs[:3]) or "in sync",
                )
            )
            res = autograde_notebooks(
                m,
                {
                    "solution": root / "solutions" / m / f"{m}.ipynb",
                    "untouched": fresh / f"{m}.ipynb",
                },
                datasets=datasets,
                source_root=root,
            )
            sol, blank = res["solution"], res["untouched"]
            failed = [g for g, (s, mx, k) in sol.cells.items() if k == "code" and s != mx]
            rows.append(
                (
                    m,
                    "solution scores full autograded marks",
                    sol.status == "ok" and sol.max_auto > 0 and not failed,
                    f"{sol.auto_score:g}/{sol.max_auto:g}"
                    + (f" failed: {', '.join(failed)}" if failed else "")
                    + ("" if sol.status == "ok" else f" ({sol.status})"),
                )
            )
            rows.append(
                (
                    m,
                    "untouched exercise scores zero",
                    blank.status == "ok" and blank.score == 0,
                    f"{blank.score:g}/{blank.max_score:g}",
                )
            )
    return rows
