"""The per-module checks process: setup once, each submission's checks in a fresh fork,
scored by nbgrader exactly as a kernel's outputs are."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from nbformat import from_dict
from nbgrader.utils import determine_grade

from osintlab.trainer import checks_process, sandbox
from osintlab.trainer.preprocessors import _point

MODES = [False] + ([True] if sandbox.probe()[0] else [])


def _area(tmp_path: Path) -> Path:
    area = tmp_path / "z"
    for sub in ("t", "t/empty", "c", "c/template"):
        (area / sub).mkdir(parents=True)
    os.symlink("empty", area / "t" / "current")
    os.symlink("template", area / "c" / "current")
    return area


@pytest.fixture(params=MODES, ids=lambda m: "bubblewrap" if m else "no sandbox")
def proc(request, tmp_path):
    area = _area(tmp_path)
    box = sandbox.Box(
        area / "t" / "current",
        sandbox.socket_folder(),
        isolate=request.param,
        checks=area / "c" / "current",
        switchable=True,
    )
    p = checks_process.ChecksProcess(box, ["state = {'n': 0}\nprint('setup ran')"])
    p.area = area
    yield p
    p.close()
    shutil.rmtree(box.sockets, ignore_errors=True)


def _submission(p, name: str, text: str) -> None:
    """What the grader does before each submission: its folders, then the links."""
    (p.area / "t" / name).mkdir()
    (p.area / "t" / name / "answer.txt").write_text(text)
    shutil.copytree(p.area / "c" / "template", p.area / "c" / name)
    _point(p.area / "t" / "current", name)
    _point(p.area / "c" / "current", name)


def _grade(outputs, points=2):
    cell = from_dict(
        {
            "cell_type": "code",
            "source": "",
            "metadata": {"nbgrader": {"grade": True, "solution": False, "points": points}},
            "outputs": outputs,
        }
    )
    return determine_grade(cell)[0]


def test_setup_runs_once_and_every_submission_starts_after_it(proc):
    assert proc.setup_outputs() == [
        [{"output_type": "stream", "name": "stdout", "text": "setup ran\n"}]
    ]
    for name in ("a", "b"):
        _submission(proc, name, name)
        ((out, incident),) = proc.run(["state['n'] += 1\nassert state['n'] == 1"], timeout=10)
        assert out == [] and incident is None  # the first submission's change is gone


def test_outputs_score_as_nbgrader_scores_a_kernel(proc):
    _submission(proc, "a", "x")
    cells = [
        "assert True",  # nothing: full marks
        "assert 1 == 2, 'not yet'",  # error: 0
        "import sys; print('careful', file=sys.stderr)",  # stderr: 0
        "import warnings; warnings.warn('a warning')",  # a warning is stderr too: 0
        "0.5",  # a number as the result: that many points (partial credit)
        "print('fine')",
    ]
    results = proc.run(cells, timeout=10)
    assert [_grade(out) for out, _ in results] == [2, 0, 0, 0, 0.5, 2]
    assert results[1][0][0]["ename"] == "AssertionError"
    assert results[1][0][0]["evalue"] == "not yet"


def test_a_cell_that_hangs_or_kills_its_process_gets_an_incident_and_the_rest_run(proc):
    _submission(proc, "a", "x")
    results = proc.run(
        ["k = 41", "while True: pass", "k += 1", "import os; os._exit(1)", "assert k == 42"],
        timeout=2,
    )
    incidents = [i for _, i in results]
    assert incidents == [None, "timeout", None, "kernel died", None]
    assert _grade(results[1][0]) == 0 and _grade(results[3][0]) == 0
    assert _grade(results[4][0]) == 2  # state before the failures was replayed


def test_the_checks_see_this_submissions_files_read_only(proc):
    for name in ("a", "b"):
        _submission(proc, name, f"answer of {name}")
        scratch = "/scratch" if proc.box.isolate else str(proc.area / "t" / "current")
        checks = "/checks" if proc.box.isolate else str(proc.area / "c" / "current")
        ((out, _), (out2, _)) = proc.run(
            [
                f"assert open({scratch + '/answer.txt'!r}).read() == {'answer of ' + name!r}",
                f"open({checks + '/work/mine.txt'!r}, 'w').write('x')\n"
                "import os\nassert os.path.realpath('.').endswith(" + repr(f"/{name}/work") + ")",
            ],
            timeout=10,
        )
        assert out == [] and out2 == [], (out, out2)
        assert (proc.area / "c" / name / "work" / "mine.txt").exists()
    if proc.box.isolate:
        ((out, _),) = proc.run(["open('/scratch/answer.txt', 'w')"], timeout=10)
        assert out[0]["ename"] in ("OSError", "PermissionError")


def test_close_all_stops_every_process(tmp_path):
    area = _area(tmp_path)
    box = sandbox.Box(
        area / "t" / "current",
        sandbox.socket_folder(),
        isolate=False,
        checks=area / "c" / "current",
        switchable=True,
    )
    cleaned = []
    p = checks_process.checks_process(
        ("test",), lambda: checks_process.ChecksProcess(box, [], cleanup=lambda: cleaned.append(1))
    )
    assert checks_process.checks_process(("test",), lambda: None) is p  # reused
    checks_process.close_all()
    assert not p.alive() and cleaned == [1]
    shutil.rmtree(box.sockets, ignore_errors=True)


def test_nothing_a_submissions_checks_start_or_leave_in_tmp_reaches_the_next(proc):
    _submission(proc, "a", "x")
    ((out, _),) = proc.run(
        [
            "import subprocess, sys\n"
            "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
            "open('/tmp/left-by-a', 'w').write('a') if " + repr(proc.box.isolate) + " else None\n"
            "print(child.pid)"
        ],
        timeout=10,
    )
    pid = int(out[0]["text"])
    if not proc.box.isolate:  # the same pid namespace: the grader can look
        import time

        for _ in range(50):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            pytest.fail("a process a check started outlived the submission")
    _submission(proc, "b", "y")
    ((out, _),) = proc.run(
        [
            f"import os\nassert not os.path.exists('/tmp/left-by-a')\n"
            f"try:\n    os.kill({pid}, 0)\nexcept ProcessLookupError:\n    pass\n"
            "else:\n    raise AssertionError('still running')"
        ],
        timeout=10,
    )
    assert out == [], out


def test_a_cell_that_prints_without_end_is_cut(proc):
    _submission(proc, "a", "x")
    n = checks_process.STREAM_MAX
    ((out, _), (out2, _)) = proc.run(
        [f"for _ in range({n // 1000 + 50}): print('x' * 999)", "print('next cell')"],
        timeout=30,
    )
    assert len(out) == 1 and len(out[0]["text"]) < n + 100
    assert out[0]["text"].endswith("[... output cut ...]\n")
    assert out2[0]["text"] == "next cell\n"  # the limit is per cell


def test_a_run_cut_short_never_feeds_the_next_submission(proc, monkeypatch):
    _submission(proc, "a", "x")
    proc.setup_outputs()  # cut short while the checks run, not while the setup does
    calls = []
    real = proc._read

    def interrupted(timeout):
        calls.append(1)
        raise KeyboardInterrupt

    monkeypatch.setattr(proc, "_read", interrupted)
    with pytest.raises(KeyboardInterrupt):
        proc.run(["print('a')"], timeout=10)
    monkeypatch.setattr(proc, "_read", real)
    assert calls and not proc.alive()  # stopped: the grader starts a new one


def test_an_interrupted_setup_stops_the_process_too(proc, monkeypatch):
    monkeypatch.setattr(proc, "_read", lambda timeout: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        proc.run(["print('a')"], timeout=10)
    assert not proc.alive()


def test_messages_are_read_whole_however_they_arrive():
    r, w = os.pipe()
    lines = checks_process._Lines(r)
    os.write(w, b'{"a": 1}\n{"b"')
    assert lines.read(1) == {"a": 1}
    os.write(w, b': 2}\n{"c": ')
    assert lines.read(1) == {"b": 2}
    with pytest.raises(TimeoutError):
        lines.read(0.1)
    os.write(w, b"3}\n")
    os.close(w)
    assert lines.read(1) == {"c": 3}
    assert lines.read(1) is None
    os.close(r)
