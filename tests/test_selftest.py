"""The course self-test through real nbgrader: release in sync, solutions full marks, untouched
exercises zero — on the committed scenario and on one built from another seed."""

from pathlib import Path

import pytest

from osintlab import MODULES
from osintlab.trainer.autograde import autograde_notebooks, release
from osintlab.trainer.selftest import compare_trees

ROOT = Path(__file__).resolve().parents[1]
EXERCISES = [m for m in MODULES if (ROOT / "solutions" / m / f"{m}.ipynb").is_file()]


def _failed(result):
    return {g: (s, m) for g, (s, m, kind) in result.cells.items() if kind == "code" and s != m}


@pytest.mark.parametrize("module", EXERCISES)
def test_exercises_equal_a_fresh_release(module, tmp_path):
    fresh = release(module, tmp_path, ROOT)
    assert compare_trees(fresh, ROOT / "exercises" / module) == [], (
        "exercises/ is out of date: run 'osintlab release'"
    )


@pytest.mark.slow
@pytest.mark.parametrize("module", EXERCISES)
def test_solution_full_marks_and_untouched_zero(module, tmp_path):
    fresh = release(module, tmp_path, ROOT)
    res = autograde_notebooks(
        module,
        {
            "solution": ROOT / "solutions" / module / f"{module}.ipynb",
            "untouched": fresh / f"{module}.ipynb",
        },
        datasets=ROOT / "datasets",
        source_root=ROOT,
    )
    sol, blank = res["solution"], res["untouched"]
    assert sol.status == "ok" and blank.status == "ok"
    auto_cells = [g for g, (_, _, kind) in sol.cells.items() if kind == "code"]
    # docs/authoring.md: at least 8 autograded test cells (the capstone: 6) and 20 points
    assert len(auto_cells) >= (6 if module == "08-capstone" else 8) and sol.max_auto >= 20
    assert _failed(sol) == {}
    assert sol.auto_score == sol.max_auto
    assert any(kind == "markdown" for _, _, kind in sol.cells.values()), "needs a manual answer"
    assert blank.score == 0


@pytest.mark.slow
@pytest.mark.parametrize("module", EXERCISES)
def test_solution_full_marks_on_another_seed(module, other_seed_datasets):
    res = autograde_notebooks(
        module,
        {"solution": ROOT / "solutions" / module / f"{module}.ipynb"},
        datasets=other_seed_datasets,
        source_root=ROOT,
    )
    assert _failed(res["solution"]) == {}
    assert res["solution"].auto_score == res["solution"].max_auto > 0
