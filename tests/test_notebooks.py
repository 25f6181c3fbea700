"""Every lesson notebook executes offline, top to bottom, without an error."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "course").glob("*.ipynb"))


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_executes_offline(path, tmp_path, monkeypatch, request):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    errors = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert not errors, errors[0] if errors else ""
    # Shared with test_no_answers_in_lessons.py, which scans the outputs for exercise answers.
    from test_no_answers_in_lessons import store_executed

    cache = getattr(request.config, "cache", None)  # absent under -p no:cacheprovider
    if cache is not None:
        store_executed(path, nb, Path(cache.mkdir("executed-lessons")))


def test_every_module_has_its_lesson():
    from osintlab import MODULES

    have = {p.stem for p in LESSONS}
    solutions = {p.name for p in (ROOT / "solutions").iterdir() if p.is_dir()}
    for module in solutions:
        assert module in have, f"solutions/{module} has no lesson course/{module}.ipynb"
    assert set(MODULES) <= have, f"modules without a lesson: {sorted(set(MODULES) - have)}"
    assert solutions == set(MODULES) - {"00-start-here"}, "every module but 00 has an exercise"
