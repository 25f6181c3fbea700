"""Attacks from the security review (../shared/reviews/redteam.md) against `osintlab grade`.

A cohort of the drill course (tests/cohort_fixture.py) where attackers (``aa_*``, graded first)
sit beside honest classmates (``zz_*``, graded after them) is graded once with bubblewrap
isolation, then the honest classmates are graded again in a fresh run ("the next run"). Each
attack must score only what its honest content deserves, leave the classmates' grades alone in
both runs, and change nothing the trainer owns.

Classes: contamination (answer keys, grading.py, .pth/sitecustomize.py), persistence (a daemon
outliving the run, a classmate's staged notebook), in-kernel hooks (IPython's error reporting,
the kernel's reply, an atexit racer, patched builtins/sys.modules/osintlab.data, forged answer
messages), resource exhaustion (memory, processes, a huge file, an endless loop, many slow
cells).
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import nbformat
import pytest

from cohort_fixture import GOOD_91, M1, answer, make_course, released
from osintlab.trainer import cohort, sandbox
from osintlab.trainer.cohort import grade_cohort

pytestmark = pytest.mark.xdist_group("cohort")

ISOLATED, WHY = sandbox.probe()
needs_bwrap = pytest.mark.skipif(not ISOLATED, reason=f"no working bubblewrap: {WHY}")
TIMEOUT = 6
HONEST = {"s1": GOOD_91["s1"], "s2": GOOD_91["s2"], "s3": GOOD_91["s3"]}
WRONG = {"s1": "total = 0", "s2": "evens = []", "s3": "distinct = []"}
FULL = 7  # auto points of the drill (2 + 3 + 2)
MARKER = "98765"  # argument of the attackers' sleep processes, found in /proc afterwards

ATTACKS = {
    # --- contamination: write what the trainer owns ----------------------------------------
    "aa_keys": (
        "import os, json, pathlib\n"
        "p = pathlib.Path(os.environ['OSINTLAB_DATA']) / 'answer_keys.json'\n"
        "try:\n    p.write_text('{}')\nexcept OSError as e:\n    print('refused', e)\n"
        "total = 0",
        {},
    ),
    "aa_grading": (
        "import osintlab.grading as g\n"
        "try:\n    open(g.__file__, 'a').write('\\ncompare = lambda *a: None\\n')\n"
        "except OSError as e:\n    print('refused', e)\ntotal = 0",
        {},
    ),
    "aa_pth": (
        "import site, pathlib\n"
        "for d in site.getsitepackages():\n"
        "    for n, t in (('zz_osl.pth', 'import os\\n'), ('sitecustomize.py', 'x = 1\\n')):\n"
        "        try:\n            (pathlib.Path(d) / n).write_text(t)\n"
        "        except OSError as e:\n            print('refused', e)\ntotal = 0",
        {},
    ),
    # --- persistence ------------------------------------------------------------------------
    "aa_daemon": (
        "import subprocess\n"
        f"subprocess.Popen(['sleep', '{MARKER}'], start_new_session=True)\n"
        "import os\nif os.fork() == 0:\n    os.setsid()\n"
        f"    os.execvp('sleep', ['sleep', '{MARKER}'])\n"
        "total = sum(numbers)",
        {"test_total": 2},
    ),
    "aa_staged": (
        "import glob\nhit = 0\n"
        "for top in ('/tmp', '/work', '/root', '/home', '/scratch', '/proc/1/cwd'):\n"
        "    for pat in ('**/*.ipynb', '**/gradebook*.db', '**/answer_keys.json'):\n"
        "        for p in glob.glob(top + '/' + pat, recursive=True):\n"
        "            try:\n                open(p, 'a').write(' '); hit += 1\n"
        "            except OSError:\n                pass\n"
        "print('files reached:', hit)\ntotal = 0",
        {},
    ),
    # --- in-kernel hooks --------------------------------------------------------------------
    "aa_events": (
        "ip = get_ipython()\nip._showtraceback = lambda *a, **k: None\n"
        "ip.events.register('post_run_cell', lambda r: setattr(r, 'error_in_exec', None))\n"
        "total = 0",
        {},
    ),
    "aa_reply": (
        "k = get_ipython().kernel\n_orig = k.do_execute\n"
        "async def fake(*a, **kw):\n    r = _orig(*a, **kw)\n"
        "    r = (await r) if hasattr(r, '__await__') else r\n"
        "    r['status'] = 'ok'\n    return r\n"
        "k.do_execute = fake\ntotal = 0",
        {},
    ),
    "aa_atexit": (
        "import atexit, subprocess, sys\n"
        "atexit.register(lambda: subprocess.Popen([sys.executable, '-c', "
        "'import glob,sqlite3,time\\nfor _ in range(50):\\n"
        '    for p in glob.glob("/**/gradebook.db", recursive=True):\\n'
        '        c=sqlite3.connect(p); c.execute("update grade set auto_score=99"); c.commit()\\n'
        "    time.sleep(0.1)'], start_new_session=True))\n"
        "total = 0",
        {},
    ),
    "aa_builtins": (
        "class AE(list):\n    def __eq__(self, o): return True\n    __hash__ = None\n"
        "len.__self__.sorted = lambda *a, **k: AE()\n"
        "import sys, types\nfake = types.ModuleType('osintlab.grading')\n"
        "fake.check_answer = lambda *a, **k: True\nfake.compare = lambda *a: True\n"
        "getattr(sys, 'mod' + 'ules')['osintlab.grading'] = fake\n"
        "import osintlab.data as d\nd.load = lambda *a, **k: []\n"
        "total = 0",
        {},
    ),
    "aa_forged": (
        "from IPython.display import publish_display_data\n"
        "from osintlab.trainer.answers import MIME\n"
        "import json\n"
        "publish_display_data({MIME: json.dumps({'present': {'total': 999}, 'absent': []})})\n"
        "ip = get_ipython()\n"
        "ip.events.register('post_run_cell', lambda r: publish_display_data("
        "{MIME: json.dumps({'present': {'total': 999, 'evens': 1}, 'absent': []})}))\n"
        "total = 0",
        {},
    ),
    # --- resource exhaustion ----------------------------------------------------------------
    "aa_memory": (
        "try:\n    x = bytearray(16 * 1024**3)\nexcept MemoryError:\n    print('no memory')\n"
        "total = sum(numbers)",
        {"test_total": 2},
    ),
    "aa_procs": (
        "import subprocess\nps = []\n"
        "try:\n    for _ in range(5000):\n"
        f"        ps.append(subprocess.Popen(['sleep', '{MARKER}']))\n"
        "except OSError as e:\n    print('stopped after', len(ps), e)\n"
        "total = sum(numbers)",
        {"test_total": 2},
    ),
    "aa_bigfile": (
        "f = open('big.bin', 'wb')\n"
        "try:\n    f.truncate(10**12)\nexcept OSError as e:\n    print('refused', e)\n"
        "total = sum(numbers)",
        {"test_total": 2},
    ),
    "aa_loop": ("total = sum(numbers)\nwhile True:\n    pass", {"test_total": 2}),
}


def _attack(r1, code):
    """The attack in the first solution cell, wrong answers in the others."""
    return answer(r1, {**WRONG, "s1": code})


def _rows(out: Path) -> dict:
    with (out / "grades.csv").open(newline="", encoding="utf-8") as fh:
        return {r["student_id"]: r for r in csv.DictReader(fh)}


def _items(out: Path) -> dict:
    with (out / "items.csv").open(newline="", encoding="utf-8") as fh:
        return {
            (r["student_id"], r["item"].split("-", 1)[1]): float(r["score"] or 0)
            for r in csv.DictReader(fh)
        }


def _put(base: Path, student: str, nb) -> None:
    d = base / student / M1
    d.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, d / f"{M1}.ipynb")


def _leftover_processes() -> list[str]:
    found = []
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            cmd = (p / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if MARKER.encode() in cmd:
            found.append(p.name)
    return found


@pytest.fixture(scope="module")
def attacked(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("redteam")
    root = make_course(tmp / "course")
    r1 = released(root, M1)
    base = tmp / "src"
    for student, (code, _) in ATTACKS.items():
        _put(base, student, _attack(r1, code))
    # a cell of the trainee's own, labelled as a locked setup cell: it must still run in the
    # trainee's sandbox, never in the kernel that runs the checks
    fake = _attack(r1, "total = 0")
    cell = nbformat.v4.new_code_cell(
        "import osintlab.grading as g\ng.check_answer = lambda *a, **k: True"
    )
    cell.metadata["nbgrader"] = {
        "grade": False,
        "solution": False,
        "locked": True,
        "grade_id": "d91-my-setup",
        "schema_version": 3,
    }
    fake.cells.insert(2, cell)
    _put(base, "aa_fakesetup", fake)
    _put(base, "zz_honest1", answer(r1, HONEST))
    _put(base, "zz_honest2", answer(r1, HONEST))
    # many slow cells: the notebook's wall-clock budget stops them, not the per-cell limit
    slow = answer(r1, HONEST)
    after_s1 = next(
        i + 1
        for i, c in enumerate(slow.cells)
        if c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("-s1")
    )
    for _ in range(6):
        slow.cells.insert(after_s1, nbformat.v4.new_code_cell("import time\ntime.sleep(5)"))
    _put(base, "aa_sleepy", slow)
    env = os.environ.get("OSINTLAB_NOTEBOOK_BUDGET")
    os.environ["OSINTLAB_NOTEBOOK_BUDGET"] = "16"
    try:
        res = grade_cohort(
            base,
            tmp / "out",
            timeout=TIMEOUT,
            course_root=root,
            datasets=root / "datasets",
            progress=False,
            jobs=2,
        )
    finally:
        if env is None:
            os.environ.pop("OSINTLAB_NOTEBOOK_BUDGET", None)
        else:
            os.environ["OSINTLAB_NOTEBOOK_BUDGET"] = env
    leftovers = _leftover_processes()
    # the next run: the honest classmates alone, in a fresh output folder
    nxt = tmp / "next"
    for s in ("zz_honest1", "zz_honest2"):
        _put(nxt, s, answer(r1, HONEST))
    grade_cohort(nxt, tmp / "out-next", timeout=TIMEOUT, course_root=root, progress=False, jobs=1)
    return {
        "root": root,
        "out": tmp / "out",
        "next": tmp / "out-next",
        "res": res,
        "leftovers": leftovers,
    }


@pytest.mark.slow
@needs_bwrap
@pytest.mark.parametrize("student", sorted(ATTACKS))
def test_attack_scores_only_its_honest_content(attacked, student):
    items = _items(attacked["out"])
    honest = ATTACKS[student][1]
    for item in ("test_total", "test_evens", "test_distinct"):
        assert items[(student, item)] == honest.get(item, 0), (student, item)


@pytest.mark.slow
@needs_bwrap
def test_a_cell_relabelled_as_setup_runs_with_the_trainee(attacked):
    items = _items(attacked["out"])
    assert sum(items[("aa_fakesetup", i)] for i in ("test_total", "test_evens")) == 0


@pytest.mark.slow
@needs_bwrap
def test_classmates_unaffected_in_this_run_and_the_next(attacked):
    for out in (attacked["out"], attacked["next"]):
        rows = _rows(out)
        for s in ("zz_honest1", "zz_honest2"):
            assert float(rows[s]["auto_score"]) == FULL, (out.name, rows[s])
            assert rows[s]["status"] == "ok", rows[s]


@pytest.mark.slow
@needs_bwrap
def test_no_process_outlives_grading(attacked):
    assert attacked["leftovers"] == []


@pytest.mark.slow
@needs_bwrap
def test_resource_attacks_get_a_clear_status(attacked):
    rows = _rows(attacked["out"])
    assert "timeout in d91-s1" in rows["aa_loop"]["status"]
    assert "time budget used up" in rows["aa_sleepy"]["status"]
    # the budget cut the sleeps (and what follows them); what ran before them is graded
    assert float(rows["aa_sleepy"]["auto_score"]) == 2


@pytest.mark.slow
@needs_bwrap
def test_trainer_files_unchanged(attacked):
    root = attacked["root"]
    import json

    keys = json.loads((root / "datasets" / "answer_keys.json").read_text())
    assert "91.total" in keys
    import osintlab.grading

    assert "compare = lambda" not in Path(osintlab.grading.__file__).read_text()


def test_out_inside_the_course_or_the_source_is_refused(tmp_path):
    root = make_course(tmp_path / "course")
    src = tmp_path / "src"
    (src / "alice" / M1).mkdir(parents=True)
    for out in (root / "out", src / "out", root):
        with pytest.raises(cohort.GradeError, match="inside"):
            grade_cohort(src, out, course_root=root, progress=False)


@pytest.mark.slow
def test_changed_trainer_files_refuse_the_report(tmp_path, monkeypatch):
    """Without the sandbox (as on a machine with no bubblewrap) a submission can write the
    answer keys; the grader must notice, name the file and report no grades."""
    monkeypatch.setenv("OSINTLAB_NO_SANDBOX", "1")
    sandbox.probe.cache_clear()
    try:
        root = make_course(tmp_path / "course")
        r1 = released(root, M1)
        code = (
            "import os, pathlib\n"
            "p = pathlib.Path(os.environ['OSINTLAB_DATA']) / 'answer_keys.json'\n"
            "p.write_text(p.read_text() + ' ')\ntotal = 0"
        )
        _put(tmp_path / "src", "aa_keys", _attack(r1, code))
        with pytest.raises(cohort.GradeError, match="answer_keys.json changed"):
            grade_cohort(
                tmp_path / "src",
                tmp_path / "out",
                timeout=TIMEOUT,
                course_root=root,
                datasets=root / "datasets",
                progress=False,
                jobs=1,
            )
        assert not (tmp_path / "out" / "grades.csv").exists()
    finally:
        sandbox.probe.cache_clear()


def test_kernel_sockets_fit_a_unix_socket_path_under_a_deep_temporary_folder(tmp_path, monkeypatch):
    """A test session's or a scratch course's temporary folder can be nested deep; a Unix
    socket's path cannot be longer than 107 bytes, and a kernel bound there never starts."""
    deep = tmp_path / ("nested-" * 12)
    deep.mkdir()
    monkeypatch.setattr(sandbox.tempfile, "tempdir", str(deep))
    folder = sandbox.socket_folder()
    try:
        assert len(str(folder / "kc" / "k-65535")) < 107
    finally:
        folder.rmdir()


def test_grading_kernels_share_one_context_nobody_destroys():
    """A client collected in a reference cycle with its sockets made its own context's
    ``destroy()`` wait for ever (a grading worker hung in CI); every manager and client of a
    grading process uses one context that lives as long as the process."""
    box = sandbox.SandboxKernelManager()
    client = box.client()
    assert box.context is client.context is sandbox.grading_context()
    assert not box._created_context and not client._created_context


def test_only_the_checks_kernel_sees_the_grading_keys(tmp_path):
    """With a secret cohort seed the checks read the trainer's grading keys; the trainee's
    kernel gets neither the file nor its path."""
    keys = tmp_path / "keys.json"
    keys.write_text("{}")
    trainee = sandbox.Box(tmp_path / "t", tmp_path / "ks")
    checks = sandbox.Box(tmp_path / "t", tmp_path / "kc", checks=tmp_path / "c", keys=str(keys))
    assert "OSINTLAB_KEYS" not in trainee.env()
    assert sandbox.KEYS_INSIDE not in trainee.wrap(["python"])
    assert checks.env()["OSINTLAB_KEYS"] == sandbox.KEYS_INSIDE
    wrapped = checks.wrap(["python"])
    assert wrapped[wrapped.index(sandbox.KEYS_INSIDE) - 1] == str(keys)


def test_not_isolated_is_said_plainly(monkeypatch):
    from osintlab.trainer.preprocessors import incidents

    nb = nbformat.v4.new_notebook()
    nb.metadata["osintlab"] = {"isolation": "NOT isolated: bubblewrap (bwrap) is not installed"}
    assert incidents(nb) == ["NOT isolated: bubblewrap (bwrap) is not installed"]


def test_only_data_crosses():
    """What leaves the trainee's kernel is data: functions, a trainee's own classes and
    always-equal subclasses arrive as objects no check accepts; toolkit objects are rebuilt
    by the toolkit's own class from their fields."""
    import json

    from osintlab import eevidence as ee
    from osintlab.grading import CanonicalError, canonical
    from osintlab.trainer.answers import Untransferable, dump_names, load_names

    class Mine:
        pass

    class AE(str):
        def __eq__(self, other):
            return True

    req = ee.Request(kind="preservation", provider="tiktok", identifiers=[("username", "x")])
    ns = {"f": lambda: 1, "m": Mine(), "s": AE("a"), "req": req, "n": [1, (2, 3), {4}]}
    text = dump_names(ns, ["f", "m", "s", "req", "n", "gone"])
    assert "lambda" not in text and "Mine" in text  # a description, never code
    got = {"gone": "stale"}
    load_names(got, json.dumps(json.loads(text)), ["f", "m", "s", "req", "n", "gone"])
    assert "gone" not in got
    for name in ("f", "m", "s"):
        assert isinstance(got[name], Untransferable)
        with pytest.raises(CanonicalError):
            canonical(got[name])
    assert type(got["req"]) is ee.Request and got["req"] == req
    assert got["n"] == [1, (2, 3), {4}]
    # a forged toolkit class name outside the toolkit is refused
    forged = {"present": {"x": {"__osl__": "toolkit", "cls": "os:system", "fields": {}}}}
    load_names(got, json.dumps(forged), ["x"])
    assert isinstance(got["x"], Untransferable)


def test_setup_cells_come_from_the_gradebook_not_the_submission():
    from osintlab.trainer.preprocessors import _cell_kind

    cell = nbformat.v4.new_code_cell("x = 1")
    cell.metadata["nbgrader"] = {
        "locked": True,
        "grade": False,
        "solution": False,
        "grade_id": "mine",
    }
    assert _cell_kind(cell) == "setup"  # by its own label...
    assert _cell_kind(cell, {"setup": "setup"}) == "trainee"  # ...but not in the gradebook
