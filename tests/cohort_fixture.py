"""A tiny course of two drill exercises for the trainer-workflow tests (independent of the real
modules): built with osintlab.trainer.authoring, answer keys made with osintlab.grading.make_key, and
helpers that write the submissions of a mixed cohort (honest, cheating, broken)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from osintlab.grading import make_key
from osintlab.trainer.authoring import Notebook

NUMBERS = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3]
M1, M2 = "91-drill", "92-drill"
HIDDEN_MARK = "HIDDEN_SENTINEL_91"


def _drill1() -> Notebook:
    nb = Notebook("d91")
    nb.task("# Drill 91\nWork on the numbers below.", name="intro")
    nb.setup(f"from osintlab.grading import check_answer\nnumbers = {NUMBERS!r}", name="setup")
    nb.task("## Task 1: the total\nSkill: adding up a column\n\nSet `total`.", name="t1")
    nb.solution("total = sum(numbers)", name="s1")
    nb.test(
        'from osintlab.grading import check_answer\ncheck_answer("91.total", total)',
        2,
        hidden=f'_g.check_answer("91.total", total)  # {HIDDEN_MARK}\n'
        'assert type(total) is int, "total must be an int"',
        name="test_total",
    )
    nb.task(
        "## Task 2: even numbers\nSkill: filtering records\n\nSet `evens` to the even numbers.",
        name="t2",
    )
    nb.solution("evens = [x for x in numbers if x % 2 == 0]", name="s2")
    nb.test(
        'from osintlab.grading import check_answer\ncheck_answer("91.evens", evens)',
        3,
        hidden=f'_g.check_answer("91.evens", evens)  # {HIDDEN_MARK}\n'
        "assert type(evens) is list and all(type(x) is int for x in evens)",
        name="test_evens",
    )
    nb.task(
        "## Task 3: distinct values\nSkill: de-duplicating selectors\n\nSet `distinct`.", name="t3"
    )
    nb.solution("distinct = sorted(set(numbers))", name="s3")
    nb.test(
        'from osintlab.grading import check_answer\ncheck_answer("91.distinct", distinct)',
        2,
        hidden=f'_g.check_answer("91.distinct", distinct)  # {HIDDEN_MARK}',
        name="test_distinct",
    )
    nb.task("## Task 4: explain\nSkill: justifying a method\n\nWhy de-duplicate?", name="t4")
    nb.manual("Duplicates inflate counts. (Marking: 1 point for the idea.)", 1, name="why")
    return nb


def _drill2() -> Notebook:
    nb = Notebook("d92")
    nb.task("# Drill 92", name="intro")
    nb.setup(f"numbers = {NUMBERS!r}", name="setup")
    nb.task("## Task 1: the largest\nSkill: ranking values", name="t1")
    nb.solution("largest = max(numbers)", name="s1")
    nb.test(
        'from osintlab.grading import check_answer\ncheck_answer("92.largest", largest)',
        2,
        hidden='_g.check_answer("92.largest", largest)\nassert type(largest) is int',
        name="test_largest",
    )
    nb.task("## Task 2: how many\nSkill: counting records", name="t2")
    nb.solution("count = len(numbers)", name="s2")
    nb.test(
        'from osintlab.grading import check_answer\ncheck_answer("92.count", count)',
        1,
        hidden='_g.check_answer("92.count", count)',
        name="test_count",
    )
    return nb


def make_course(root: Path) -> Path:
    """Write solutions/ and datasets/ of the drill course under ``root``; return root."""
    root = Path(root)
    _drill1().save(root / "solutions" / M1 / f"{M1}.ipynb")
    _drill2().save(root / "solutions" / M2 / f"{M2}.ipynb")
    ds = root / "datasets"
    ds.mkdir(parents=True, exist_ok=True)
    (ds / "manifest.json").write_text(json.dumps({"seed": 0, "files": {}}))
    keys = {
        "91.total": make_key("91.total", sum(NUMBERS)),
        "91.evens": make_key("91.evens", [x for x in NUMBERS if x % 2 == 0], kind="list"),
        "91.distinct": make_key("91.distinct", sorted(set(NUMBERS)), kind="list"),
        "92.largest": make_key("92.largest", max(NUMBERS)),
        "92.count": make_key("92.count", len(NUMBERS)),
    }
    (ds / "answer_keys.json").write_text(json.dumps(keys))
    (root / "nbgrader_config.py").write_text("c = get_config()\n")
    return root


def released(root: Path, module: str) -> nbformat.NotebookNode:
    """The trainee version of ``module`` (solutions stubbed, hidden tests removed)."""
    from osintlab.trainer.autograde import release

    out = release(module, root / "exercises", root)
    return nbformat.read(out / f"{module}.ipynb", as_version=4)


def answer(nb, replacements: dict[str, str]):
    """A copy of release ``nb`` with solution cells (by grade-id suffix) replaced."""
    import copy

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        for suffix, src in replacements.items():
            if gid.endswith("-" + suffix):
                cell.source = src
    return nb


GOOD_91 = {
    "s1": "total = sum(numbers)",
    "s2": "evens = [x for x in numbers if x % 2 == 0]",
    "s3": "distinct = sorted(set(numbers))",
    "why": "Because duplicates inflate counts.",
}
GOOD_92 = {"s1": "largest = max(numbers)", "s2": "count = len(numbers)"}
