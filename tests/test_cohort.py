"""Trainer workflow: `osintlab grade` on a mixed cohort of the drill course (tests/cohort_fixture.py).

One cohort is graded once per module (the expensive step); the tests then check grades.csv,
the statuses of broken and cheating submissions, feedback without hidden tests, the report,
idempotent re-runs that keep manual grades, and the LMS-zip intake.
"""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import nbformat
import pytest

from cohort_fixture import GOOD_91, GOOD_92, HIDDEN_MARK, M1, M2, answer, make_course, released
from osintlab.trainer import cohort, feedback
from osintlab.trainer.cohort import grade_cohort

pytestmark = pytest.mark.xdist_group("cohort")
TIMEOUT = 4


# ---------------------------------------------------------------------------------------------
# Pure functions
# ---------------------------------------------------------------------------------------------


def test_visible_part_and_hidden_lines():
    src = "a = 1\n### BEGIN HIDDEN TESTS\nassert a == 1\n\n### END HIDDEN TESTS\nb = 2"
    assert feedback.visible_part(src) == "a = 1\n# (hidden tests ran here)\nb = 2"
    assert feedback.hidden_lines(src) == ["assert a == 1"]
    assert feedback.visible_part("x") == "x" and feedback.hidden_lines("x") == []


def test_leaks_finds_hidden_lines_in_highlighted_html():
    page = "<pre><span>assert</span> <span>a</span> == <span>&quot;x&quot;</span></pre>"
    assert feedback.leaks(page, ['assert a == "x"', "short"]) == ['assert a == "x"']
    assert feedback.leaks("<p>nothing</p>", ['assert a == "x"']) == []


def test_sanitize_replaces_tracebacks_and_hides_hidden_part():
    nb = nbformat.v4.new_notebook()
    src = "check(x)\n### BEGIN HIDDEN TESTS\nassert secret_value(x) == 42\n### END HIDDEN TESTS"
    cell = nbformat.v4.new_code_cell(src)
    cell.metadata["nbgrader"] = {
        "grade": True,
        "grade_id": "t1",
        "points": 1,
        "locked": True,
        "solution": False,
        "schema_version": 3,
    }
    cell.outputs = [
        nbformat.v4.new_output(
            "error",
            ename="AssertionError",
            evalue="",
            traceback=[
                "\x1b[0;31m---\x1b[0m",
                "Cell \x1b[0;32mIn[3], line 3\x1b[0m",
                "----> 3 assert secret_value(x) == 42",
            ],
        )
    ]
    nb.cells.append(cell)
    clean = feedback.sanitize(
        nb, [{"grade_id": "t1", "label": "Task 1", "points": 1, "score": 0, "kind": "auto"}]
    )
    text = json.dumps(clean)
    assert "secret_value" not in text
    assert "a hidden check failed" in text
    assert clean.cells[0].cell_type == "markdown" and "Task 1" in clean.cells[0].source
    assert "secret_value" in json.dumps(nb), "the input notebook is not modified"


def test_grade_items_reads_labels_and_skills(tmp_path):
    root = make_course(tmp_path)
    nb = nbformat.read(root / "solutions" / M1 / f"{M1}.ipynb", as_version=4)
    items = feedback.grade_items(nb)
    assert [i["kind"] for i in items] == ["auto", "auto", "auto", "manual"]
    assert items[1]["label"] == "Task 2: even numbers"
    assert items[1]["skill"] == "filtering records"
    assert sum(i["points"] for i in items) == 8


def test_module_detection_and_student_ids():
    mods = ["01-foundations", "02-social-media", M1]
    assert (
        cohort._module_of("Ann_12_assignsubmission_file_01-foundations.ipynb", mods)
        == "01-foundations"
    )
    assert cohort._module_of("ann_02_work.ipynb", mods) == "02-social-media"
    assert cohort._module_of("ann_1234_work.ipynb", mods) is None
    assert cohort.safe_student_id(" Ann Ames ") == "Ann_Ames"
    with pytest.raises(cohort.GradeError, match="no usable"):
        cohort.safe_student_id("+++")


def test_bad_sources_are_named(tmp_path, capsys):
    from osintlab.cli import main

    root = make_course(tmp_path / "c")
    with pytest.raises(cohort.GradeError, match="no such file"):
        grade_cohort(tmp_path / "nope", tmp_path / "out", course_root=root, progress=False)
    (tmp_path / "x.txt").write_text("hi")
    with pytest.raises(cohort.GradeError, match="expected a .zip"):
        grade_cohort(tmp_path / "x.txt", tmp_path / "out", course_root=root, progress=False)
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(cohort.GradeError, match="not a readable ZIP"):
        grade_cohort(tmp_path / "bad.zip", tmp_path / "out", course_root=root, progress=False)
    with pytest.raises(cohort.GradeError, match="unknown module"):
        grade_cohort(tmp_path, tmp_path / "out", course_root=root, modules=["07-x"], progress=False)
    assert main(["grade", str(tmp_path / "nope"), "--out", str(tmp_path / "o")]) == 2
    assert "no such file" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# A mixed cohort
# ---------------------------------------------------------------------------------------------

LOOP = "while True:\n    pass\nevens = []"
SWALLOW = (
    "import time\nwhile True:\n    try:\n"
    "        time.sleep(0.05)\n    except BaseException:\n        pass"
)
ALWAYS_EQUAL = (
    "class Anything(list):\n    def __eq__(self, other): return True\n"
    "    def __ne__(self, other): return False\n    __hash__ = None\n"
)


def _put(base: Path, student: str, module: str, nb, name: str | None = None) -> Path:
    d = base / student / module
    d.mkdir(parents=True, exist_ok=True)
    path = d / f"{name or module}.ipynb"
    nbformat.write(nb, path)
    return path


def _edit_tests(nb, new_source=None, delete=False, strip=False):
    cells = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and cell.cell_type == "code":
            if delete:
                continue
            if strip:
                cell.metadata.pop("nbgrader")
            if new_source is not None:
                cell.source = new_source
        cells.append(cell)
    nb.cells = cells
    return nb


def build_cohort(root: Path, base: Path) -> dict:
    r1, r2 = released(root, M1), released(root, M2)
    wrong = {
        **GOOD_91,
        "s1": "total = 0",
        "s2": "evens = []",
        "s3": "distinct = []",
    }
    _put(base, "alice", M1, answer(r1, GOOD_91))
    _put(base, "alice", M2, answer(r2, GOOD_92))
    _put(base, "bob", M1, r1)  # untouched release
    _put(base, "mallory", M1, _edit_tests(answer(r1, wrong), "assert True"))
    _put(base, "eve", M1, _edit_tests(answer(r1, wrong), delete=True))
    _put(base, "sly", M1, _edit_tests(answer(r1, wrong), "assert True", strip=True))
    _put(
        base,
        "patcher",
        M1,
        answer(
            r1,
            {
                **GOOD_91,
                "s1": (
                    "import osintlab.grading as g\n"
                    "vars(g)['check_answer'] = lambda *a, **k: True\n"
                    "try:\n    g.compare = lambda *a: None\nexcept AttributeError:\n    pass\n"
                    # the right value, but not an int: only the hidden check fails
                    "total = float(sum(numbers))"
                ),
            },
        ),
    )
    _put(
        base,
        "swapper",
        M1,
        answer(
            r1,
            {
                **GOOD_91,
                "s3": (
                    "import sys, types\nfake = types.ModuleType('osintlab.grading')\n"
                    "fake.check_answer = lambda *a, **k: True\n"
                    "sys.modules['osintlab.grading'] = fake\ndistinct = ['x']"
                ),
            },
        ),
    )
    _put(
        base,
        "trickster",
        M1,
        answer(
            r1,
            {
                "s1": ALWAYS_EQUAL + "total = Anything()",
                "s2": ALWAYS_EQUAL + "evens = Anything()",
                "s3": ALWAYS_EQUAL + "distinct = Anything()",
            },
        ),
    )
    _put(base, "loopy", M1, answer(r1, {**GOOD_91, "s2": LOOP}))
    _put(base, "stubborn", M1, answer(r1, {**GOOD_91, "s2": SWALLOW}))
    _put(base, "killer", M1, answer(r1, {**GOOD_91, "s2": "import os\nos._exit(1)"}))
    _put(
        base,
        "huge",
        M1,
        answer(
            r1, {**GOOD_91, "s1": "for i in range(200000):\n    print(i)\ntotal = sum(numbers)"}
        ),
    )
    bloated = answer(r1, GOOD_91)
    bloated.cells[1].outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="y" * 3_000_000)
    ]
    _put(base, "bloated", M1, bloated)
    _put(base, "misnamed", M1, answer(r1, GOOD_91), name="My work (1)")
    d = base / "corrupt" / M1
    d.mkdir(parents=True)
    (d / f"{M1}.ipynb").write_text('{"cells": [ this is not json')
    (base / "missing" / M1).mkdir(parents=True)
    (base / "missing" / M1 / "notes.txt").write_text("forgot the notebook")
    return {"r1": r1, "r2": r2}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cohort")
    root = make_course(tmp / "course")
    base = tmp / "submissions"
    build_cohort(root, base)
    out = tmp / "out"
    res = grade_cohort(
        base, out, timeout=TIMEOUT, course_root=root, datasets=root / "datasets", progress=False
    )
    return {"root": root, "base": base, "out": out, "res": res}


def _rows(out: Path) -> dict:
    with (out / "grades.csv").open(newline="", encoding="utf-8") as fh:
        return {(r["student_id"], r["assignment"]): r for r in csv.DictReader(fh)}


def _items(out: Path) -> dict:
    with (out / "items.csv").open(newline="", encoding="utf-8") as fh:
        return {
            (r["student_id"], r["assignment"], r["item"].split("-", 1)[1]): r
            for r in csv.DictReader(fh)
        }


def _score(items, student, item):
    return float(items[(student, M1, item)]["score"] or 0)


@pytest.mark.slow
def test_grades_csv_columns_and_honest_scores(graded):
    out = graded["out"]
    with (out / "grades.csv").open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header[:5] == ["student_id", "assignment", "score", "max_score", "auto_score"]
    assert "status" in header
    rows = _rows(out)
    assert rows[("alice", M1)]["score"] == "7" and rows[("alice", M1)]["max_score"] == "8"
    assert rows[("alice", M1)]["status"] == "ok"
    assert rows[("alice", M1)]["needs_manual_grade"] == "True"  # the written answer
    assert rows[("alice", M2)]["score"] == "3" == rows[("alice", M2)]["max_score"]
    assert rows[("bob", M1)]["score"] == "0" and rows[("bob", M1)]["status"] == "ok"
    assert graded["res"].graded == 15 and graded["res"].skipped == 0


@pytest.mark.slow
@pytest.mark.parametrize("student", ["mallory", "eve", "sly", "trickster"])
def test_tampering_scores_nothing(graded, student):
    items = _items(graded["out"])
    for item in ("test_total", "test_evens", "test_distinct"):
        assert _score(items, student, item) == 0, (student, item)
    row = _rows(graded["out"])[(student, M1)]
    assert row["score"] == "0"
    if student == "trickster":
        assert row["status"] == "check by hand: defines __eq__ (an always-equal object?)"


@pytest.mark.slow
def test_monkeypatching_the_checking_helpers_scores_nothing(graded):
    items = _items(graded["out"])
    assert _score(items, "patcher", "test_total") == 0  # patched check_answer
    assert _score(items, "patcher", "test_evens") == 3  # the rest is graded normally
    assert _score(items, "swapper", "test_distinct") == 0  # replaced sys.modules entry
    rows = _rows(graded["out"])
    assert rows[("patcher", M1)]["status"] == "check by hand: patches the checking helpers"
    assert "replaces imported modules" in rows[("swapper", M1)]["status"]
    assert rows[("alice", M1)]["status"] == "ok"


def test_suspicious_code_is_flagged_not_graded_away():
    nb = nbformat.v4.new_notebook()
    own = nbformat.v4.new_code_cell("import hashlib\nhashlib.sha256 = lambda *a: None")
    own.metadata["nbgrader"] = {"solution": True, "grade": False, "locked": False, "grade_id": "s"}
    locked = nbformat.v4.new_code_cell("import importlib  # course code may do this")
    locked.metadata["nbgrader"] = {"locked": True, "grade_id": "setup"}
    honest = nbformat.v4.new_code_cell(
        "from osintlab.grading import check_answer\ncheck_answer('01.x', total)\nok = a == b"
    )
    nb.cells = [locked, own, honest]
    assert cohort.suspicious_code(nb) == ["patches hashlib/json"]
    own.source = "import hashlib\nh = hashlib.sha256(b'page').hexdigest()"  # honest hashing
    assert cohort.suspicious_code(nb) == []


@pytest.mark.slow
@pytest.mark.parametrize(
    "student,status",
    [
        ("loopy", "timeout in d91-s2"),
        ("stubborn", "interrupt ignored in d91-s2"),
        ("killer", "kernel died in d91-s2"),
    ],
)
def test_runaway_code_gets_a_status_and_the_rest_is_graded(graded, student, status):
    row = _rows(graded["out"])[(student, M1)]
    assert row["status"] == status
    items = _items(graded["out"])
    assert _score(items, student, "test_evens") == 0
    assert _score(items, student, "test_total") == 2
    assert _score(items, student, "test_distinct") == 2  # after the kernel restart too


@pytest.mark.slow
def test_broken_files_get_a_clear_status(graded):
    rows = _rows(graded["out"])
    assert rows[("corrupt", M1)]["status"].startswith(f"corrupt notebook {M1}.ipynb")
    assert rows[("corrupt", M1)]["score"] == "0"
    assert rows[("missing", M1)]["status"] == f"missing notebook {M1}.ipynb"
    assert rows[("misnamed", M1)]["status"] == "ok" and rows[("misnamed", M1)]["score"] == "7"
    assert "wrongly named file 'My work (1).ipynb'" in rows[("misnamed", M1)]["note"]
    assert rows[("huge", M1)]["score"] == "7"
    assert "huge output trimmed in d91-s1" in rows[("huge", M1)]["status"]
    assert rows[("bloated", M1)]["score"] == "7" and rows[("bloated", M1)]["status"] == "ok"
    fb = (graded["out"] / "feedback" / "corrupt" / f"{M1}.html").read_text()
    assert "could not be graded" in fb and "corrupt notebook" in fb
    size = (graded["out"] / "course" / "autograded" / "huge" / M1 / f"{M1}.ipynb").stat().st_size
    assert size < 400_000


@pytest.mark.slow
def test_feedback_never_shows_hidden_tests(graded):
    out = graded["out"]
    pages = sorted((out / "feedback").rglob("*.html"))
    assert len(pages) == 17
    master = nbformat.read(graded["root"] / "solutions" / M1 / f"{M1}.ipynb", as_version=4)
    secret = [
        ln for c in master.cells if c.cell_type == "code" for ln in feedback.hidden_lines(c.source)
    ]
    assert any("find_spec" in s for s in secret) and any(HIDDEN_MARK in s for s in secret)
    for page in pages:
        raw = page.read_text(encoding="utf-8")
        text = feedback.html_text(raw)
        assert HIDDEN_MARK not in raw, page
        assert "BEGIN HIDDEN" not in text and "find_spec" not in text, page
        assert feedback.leaks(raw, secret) == [], page
    # ...yet it says what passed and failed, and why
    pat = feedback.html_text((out / "feedback" / "patcher" / f"{M1}.html").read_text())
    assert "a hidden check failed" in pat and "passed" in pat
    bob = feedback.html_text((out / "feedback" / "bob" / f"{M1}.html").read_text())
    assert "NotImplementedError" in bob and "failed" in bob
    pat2 = feedback.html_text((out / "feedback" / "alice" / f"{M1}.html").read_text())
    assert "to be marked by your trainer" in pat2


@pytest.mark.slow
def test_report_has_distributions_most_missed_and_skills(graded):
    page = (graded["out"] / "report.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") >= 4  # 2 modules x (scores, items)
    assert "Most-missed items" in page
    text = feedback.html_text(page)
    assert "filtering records" in text and "Task 2: even numbers" in text
    assert "corrupt notebook" in text  # submissions to check
    most = text.split("Most-missed items")[1].split("submission(s); median")[0]
    assert "Task 2: even numbers" in most and "filtering records" in most


@pytest.mark.slow
def test_rerun_is_idempotent_and_keeps_manual_grades(graded, tmp_path):
    from nbgrader.api import Gradebook

    out, root, base = graded["out"], graded["root"], graded["base"]
    before = (out / "grades.csv").read_text()
    res = grade_cohort(
        base, out, timeout=TIMEOUT, course_root=root, datasets=root / "datasets", progress=False
    )
    assert res.graded == 0 and res.skipped == 15
    assert (out / "grades.csv").read_text() == before
    db = f"sqlite:///{(out / 'course' / 'gradebook.db').as_posix()}"
    with Gradebook(db) as gb:  # the trainer marks the written answer
        g = gb.find_grade("d91-why", M1, M1, "alice")
        g.manual_score = 1.0
        g.needs_manual_grade = False
        gb.db.commit()
    # alice re-submits a changed notebook; everything else is unchanged
    nb = nbformat.read(base / "alice" / M1 / f"{M1}.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("(edited)"))
    nbformat.write(nb, base / "alice" / M1 / f"{M1}.ipynb")
    res = grade_cohort(
        base, out, timeout=TIMEOUT, course_root=root, datasets=root / "datasets", progress=False
    )
    assert res.graded == 1
    row = _rows(out)[("alice", M1)]
    assert row["score"] == "8" and row["manual_score"] == "1"
    assert "manual score was kept" in row["note"]
    with Gradebook(db) as gb:
        assert gb.find_grade("d91-why", M1, M1, "alice").manual_score == 1.0
    assert _rows(out)[("bob", M1)]["score"] == "0"


@pytest.mark.slow
def test_lms_zip_through_nbgrader_zip_collect(graded, tmp_path):
    root, base = graded["root"], graded["base"]
    archive = tmp_path / "lms.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(
            base / "alice" / M2 / f"{M2}.ipynb", f"Alice Ames_1001_assignsubmission_file_{M2}.ipynb"
        )
        zf.write(base / "bob" / M1 / f"{M1}.ipynb", f"bob_{M1}.ipynb")
        zf.writestr("carol_homework.ipynb", "{}")
        zf.writestr("readme.txt", "LMS export")
    out = tmp_path / "out"
    res = grade_cohort(
        archive, out, timeout=TIMEOUT, course_root=root, datasets=root / "datasets", progress=False
    )
    assert res.source_kind == "zip"
    rows = _rows(out)
    assert rows[("Alice_Ames", M2)]["score"] == "3"
    assert rows[("bob", M1)]["score"] == "0"
    assert any("carol_homework.ipynb" in u for u in res.unmatched)
    assert "carol_homework.ipynb" in (out / "report.html").read_text()


def test_trim_outputs_and_incidents():
    from osintlab.trainer.preprocessors import TrimOutputs, incidents

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print('x' * 10**6)")
    cell.metadata["nbgrader"] = {"grade_id": "big"}
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="x" * 1_000_000),
        nbformat.v4.new_output(
            "display_data", data={"text/plain": "y" * 500_000, "image/png": "z" * 500_000}
        ),
    ]
    slow = nbformat.v4.new_code_cell("while True: pass")
    slow.outputs = [
        nbformat.v4.new_output("error", ename="CellTimeoutError", evalue="", traceback=[])
    ]
    nb.cells = [cell, slow]
    TrimOutputs(max_chars=1000).preprocess(nb, {})
    assert len(json.dumps(nb)) < 5000
    assert incidents(nb) == ["huge output trimmed in big", "timeout in cell 2"]


def test_collect_from_folders_and_exchange(tmp_path):
    import os

    expected = {M1: [M1], M2: [M2]}
    nb = nbformat.v4.new_notebook()
    subs = tmp_path / "subs"
    for rel in (
        f"alice/{M1}/{M1}.ipynb",
        f"bob/{M2}.ipynb",
        f"carol/{M1}/a.ipynb",
        f"carol/{M1}/b.ipynb",
        f"dan/{M1}/.ipynb_checkpoints/{M1}.ipynb",
    ):
        (subs / rel).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, subs / rel)
    os.utime(subs / f"carol/{M1}/a.ipynb", (1, 1))
    found, unmatched, kind = cohort.collect_submissions(subs, expected, tmp_path / "w")
    by = {(s.student, s.module): s for s in found}
    assert kind == "folders" and unmatched == []
    assert by[("alice", M1)].files[M1].name == f"{M1}.ipynb" and not by[("alice", M1)].notes
    assert by[("bob", M2)].files[M2].name == f"{M2}.ipynb"
    carol = by[("carol", M1)]
    assert carol.files[M1].name == "b.ipynb"
    assert "wrongly named file 'b.ipynb'" in carol.notes[0] and "a.ipynb" in carol.notes[1]
    assert by[("dan", M1)].problems == [f"missing notebook {M1}.ipynb"]
    inbound = tmp_path / "exchange" / "osintlab" / "inbound"
    for name in (
        f"alice+{M1}+2026-01-01 10:00:00.000000 UTC+aa",
        f"alice+{M1}+2026-01-02 10:00:00.000000 UTC+bb",
        f"bob+{M2}+2026-01-01 09:00:00.000000 UTC+cc",
    ):
        (inbound / name).mkdir(parents=True)
        nbformat.write(nb, inbound / name / f"{name.split('+')[1]}.ipynb")
        (inbound / name / "timestamp.txt").write_text(name.split("+")[2])
    found, _, kind = cohort.collect_submissions(tmp_path / "exchange", expected, tmp_path / "w2")
    assert kind == "exchange"
    alice = next(s for s in found if s.student == "alice")
    assert alice.timestamp.startswith("2026-01-02") and "+bb" in str(alice.files[M1])


@pytest.mark.slow
def test_feedback_says_no_answer_for_an_untouched_written_answer(graded):
    bob = feedback.html_text((graded["out"] / "feedback" / "bob" / f"{M1}.html").read_text())
    assert "no answer written" in bob and "to be marked by your trainer" not in bob


@pytest.mark.slow
def test_a_checks_kernel_grades_the_same_when_no_checks_process_starts(
    graded, tmp_path, monkeypatch
):
    """The checks run in forks of one process per module (checks_process); where that
    process cannot start, a checks kernel per notebook gives the same grades."""
    import shutil

    from osintlab.trainer import checks_process

    def refuse(*args, **kwargs):
        raise checks_process.ChecksProcessError("no checks process here")

    monkeypatch.setattr(checks_process, "ChecksProcess", refuse)
    base = tmp_path / "subs"
    for student in ("alice", "bob", "mallory"):
        shutil.copytree(graded["base"] / student / M1, base / student / M1)
    out = tmp_path / "out"
    grade_cohort(
        base,
        out,
        jobs=1,
        timeout=TIMEOUT,
        course_root=graded["root"],
        datasets=graded["root"] / "datasets",
        progress=False,
    )
    rows, before = _rows(out), _rows(graded["out"])
    for student in ("alice", "bob", "mallory"):
        assert rows[(student, M1)]["auto_score"] == before[(student, M1)]["auto_score"], student
    assert rows[("alice", M1)]["score"] == "7"


@pytest.mark.slow
def test_checks_that_did_not_run_score_nothing(graded, tmp_path, monkeypatch):
    """A test cell without outputs has full marks in nbgrader: when neither the checks
    process nor a checks kernel runs, every test cell gets an error and the row says so."""
    import shutil

    from osintlab.trainer import checks_process, preprocessors

    def refuse(*args, **kwargs):
        raise checks_process.ChecksProcessError("no checks process here")

    def no_kernel(self, nb, resources=None, km=None):
        raise RuntimeError("no checks kernel here")

    monkeypatch.setattr(checks_process, "ChecksProcess", refuse)
    monkeypatch.setattr(preprocessors.RobustExecute, "preprocess", no_kernel)
    monkeypatch.setattr(preprocessors.BudgetExecute, "preprocess", preprocessors.Execute.preprocess)
    base = tmp_path / "subs"
    shutil.copytree(graded["base"] / "alice" / M1, base / "alice" / M1)
    out = tmp_path / "out"
    grade_cohort(
        base,
        out,
        jobs=1,
        timeout=TIMEOUT,
        course_root=graded["root"],
        datasets=graded["root"] / "datasets",
        progress=False,
    )
    row = _rows(out)[("alice", M1)]
    assert row["auto_score"] in ("0", "0.0"), row
    assert "checks kernel failed" in row["status"], row["status"]
