"""Red-team attacks on intake, feedback, cohort secrets and processes (issue 16, items 4-6;
the attack-by-attack review is ../shared/reviews/redteam.md). One test per attack class:
generator replay, exchange forgery, feedback exfiltration, hostile names, a lost gradebook,
ZIP bombs, and a lab server that outlives `osintlab lab`."""

from __future__ import annotations

import base64
import codecs
import csv
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import nbformat
import pytest

from cohort_fixture import GOOD_91, HIDDEN_MARK, M1, M2, answer, make_course, released
from osintlab import cli, grading
from osintlab.trainer import cohort_secret, feedback, intake
from osintlab.trainer.cohort import GradeError, grade_cohort

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = {M1: [M1], M2: [M2]}


def _nb(text: str = "") -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(text))
    return nb


# ---------------------------------------------------------------------------------------------
# Generator replay: a secret cohort's answers cannot be regenerated from what trainees get
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def secret_cohort(tmp_path_factory):
    from osintlab.scenario import writer as writer_mod

    tmp = tmp_path_factory.mktemp("secret")
    old = os.environ.get(cohort_secret.ENV)
    os.environ[cohort_secret.ENV] = str(tmp / "trainer-secrets")
    answers = {}
    real = writer_mod.DatasetWriter.add_key

    def spy(self, qid, value, kind="value", **options):  # the trainer's own build, observed
        answers[qid] = (value, kind, options)
        return real(self, qid, value, kind, **options)

    writer_mod.DatasetWriter.add_key = spy
    try:
        out = tmp / "datasets"
        # (a seed the generator cannot serve is dropped and another drawn, as the CLI does;
        # every answer is recorded again by the build that succeeds)
        record, manifest = cohort_secret.build_new_cohort(out, progress=False)
        yield {"record": record, "out": out, "manifest": manifest, "answers": answers}
    finally:
        writer_mod.DatasetWriter.add_key = real
        if old is None:
            os.environ.pop(cohort_secret.ENV, None)
        else:
            os.environ[cohort_secret.ENV] = old


def test_generator_replay_reveals_no_answers(secret_cohort, monkeypatch):
    from osintlab import data
    from osintlab.scenario.build import build_datasets

    record, out = secret_cohort["record"], secret_cohort["out"]
    seed = record["seed"]
    assert seed.bit_length() == cohort_secret.SEED_BITS
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] is None and manifest["cohort"] == record["cohort"]
    # the seed, and the grading salt, are nowhere in what trainees receive
    for p in out.rglob("*"):
        if p.is_file():
            blob = p.read_bytes()
            assert str(seed).encode() not in blob, p
            assert hex(seed)[2:].encode() not in blob, p
            assert record["grading_salt"][:16].encode() not in blob, p
    # replaying the generator with what the manifest says is impossible...
    with pytest.raises(ValueError, match="bad seed"):
        build_datasets(manifest["seed"], out.parent / "replay", progress=False)
    # ...and the course's public seed gives other answers
    public = json.loads((ROOT / "datasets" / "answer_keys.json").read_text())
    mine = json.loads((out / "answer_keys.json").read_text())
    assert set(public) == set(mine)
    assert sum(public[q]["hash"] != mine[q]["hash"] for q in mine) > len(mine) // 2
    # the published salts come from a 128-bit seed; the grading keys from a separate secret
    grading_path, note = cohort_secret.grading_keys_for(out)
    assert note == "" and grading_path is not None
    assert out not in grading_path.parents and not grading_path.is_relative_to(ROOT)
    assert oct(grading_path.stat().st_mode & 0o777) == "0o600"
    gkeys = json.loads(grading_path.read_text())
    assert set(gkeys) == set(mine)
    for qid, key in gkeys.items():
        assert key["salt"] != mine[qid]["salt"] and key["hash"] != mine[qid]["hash"]
        assert key["salt"] == cohort_secret.grading_salt_for(record, qid)
        # the published key of a right answer, rebuilt with the published salt, is the
        # published key: it never becomes the grading key
        value, kind, options = secret_cohort["answers"][qid]
        rebuilt = grading.make_key(qid, value, kind=kind, salt=mine[qid]["salt"], **options)
        assert rebuilt["hash"] == mine[qid]["hash"] != key["hash"]
        assert grading.compare(key, value).ok and grading.compare(mine[qid], value).ok
    # while grading, check_answer reads the trainer's keys
    monkeypatch.setenv("OSINTLAB_DATA", str(out))
    monkeypatch.setenv(grading.KEYS_ENV, str(grading_path))
    assert grading.load_keys() == gkeys
    qid = sorted(gkeys)[0]
    assert grading.check_answer(qid, secret_cohort["answers"][qid][0], quiet=True)
    monkeypatch.delenv(grading.KEYS_ENV)
    assert grading.load_keys() == mine
    assert data.datasets_dir() == out.resolve()


def test_large_seeds_work_everywhere_and_secret_is_a_seed():
    from osintlab.scenario.world import build_world

    big = 2**128 - 1
    assert build_world(big).seed == big
    assert cli._seed(str(big)) == big and cli._seed("secret") == "secret"
    assert cli._seed("c-0123456789abcdef") == "c-0123456789abcdef"
    for bad in (str(2**128), "-1", "c-xyz"):
        with pytest.raises(Exception, match="bad seed"):
            cli._seed(bad)
    with pytest.raises(Exception, match="bad seed"):
        cli._number_seed("secret")


def test_stored_cohort_is_needed_to_rebuild(tmp_path, monkeypatch):
    monkeypatch.setenv(cohort_secret.ENV, str(tmp_path / "s"))
    with pytest.raises(cohort_secret.CohortSecretError, match="backup"):
        cohort_secret.load_cohort("c-0123456789abcdef")
    ds = tmp_path / "d"
    ds.mkdir()
    (ds / "manifest.json").write_text(json.dumps({"seed": None, "cohort": "c-0123456789abcdef"}))
    path, note = cohort_secret.grading_keys_for(ds)
    assert path is None and "published self-check keys" in note


# ---------------------------------------------------------------------------------------------
# Exchange forgery: another user's folder in a trainee's name, links into the trainer's files
# ---------------------------------------------------------------------------------------------


def _inbound(tmp_path: Path) -> Path:
    inbound = tmp_path / "exchange" / "osintlab" / "inbound"
    inbound.mkdir(parents=True)
    return inbound


def _submit(inbound: Path, name: str, text: str = "") -> Path:
    d = inbound / name
    d.mkdir()
    nbformat.write(_nb(text), d / f"{name.split('+')[1]}.ipynb")
    (d / "timestamp.txt").write_text(name.split("+")[2])
    return d


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs chown")
def test_exchange_forgery_by_another_owner_is_refused(tmp_path):
    inbound = _inbound(tmp_path)
    _submit(inbound, f"alice+{M1}+2026-03-01 10:00:00.000000 UTC+aa", "alice = 'real'")
    forged = _submit(inbound, f"alice+{M1}+2099-01-01 09:00:00.000000 UTC+zz", "forged = 1")
    for p in (forged, *forged.iterdir()):
        os.chown(p, 2002, 2002)  # mallory, who is not alice
    subs, unmatched, kind = intake.collect_submissions(tmp_path / "exchange", EXPECTED, tmp_path)
    alice = next(s for s in subs if s.student == "alice")
    assert kind == "exchange" and "+aa" in str(alice.files[M1])
    assert alice.timestamp.startswith("2026-03-01"), "the forger's timestamp is not taken"
    assert any("owned by uid 2002" in n for n in alice.notes)
    assert any("2099" in u and "refused" in u for u in unmatched)
    # a forgery alone (no real submission) is a row with a clear status, not a grade
    (inbound / f"alice+{M1}+2026-03-01 10:00:00.000000 UTC+aa").rename(tmp_path / "gone")
    subs, _, _ = intake.collect_submissions(tmp_path / "exchange", EXPECTED, tmp_path)
    alice = next(s for s in subs if s.student == "alice")
    assert not alice.files and "refused" in alice.problems[0]


def test_exchange_and_folder_symlinks_are_refused(tmp_path):
    root = make_course(tmp_path / "course")
    inbound = _inbound(tmp_path)
    (inbound / f"mallory+{M1}+2026-03-01 10:00:00.000000 UTC+mm").symlink_to(
        root / "solutions" / M1
    )
    d = _submit(inbound, f"bob+{M1}+2026-03-01 10:00:00.000000 UTC+bb")
    (d / f"{M1}.ipynb").unlink()
    (d / f"{M1}.ipynb").symlink_to(root / "solutions" / M1 / f"{M1}.ipynb")
    subs, unmatched, _ = intake.collect_submissions(tmp_path / "exchange", EXPECTED, tmp_path)
    by = {s.student: s for s in subs}
    assert not by["mallory"].files and "symbolic link" in by["mallory"].problems[0]
    assert not by["bob"].files and "symbolic links" in by["bob"].problems[0]
    # folders: a student folder that is a link to solutions/, a linked notebook
    src = tmp_path / "folders"
    (src / "alice" / M1).mkdir(parents=True)
    nbformat.write(_nb(), src / "alice" / M1 / f"{M1}.ipynb")
    (src / "eve").symlink_to(root / "solutions")
    secret = tmp_path / "trainer-token.txt"
    secret.write_text("TOP-SECRET-TRAINER-TOKEN-1234")
    (src / "frank" / M1).mkdir(parents=True)
    (src / "frank" / M1 / f"{M1}.ipynb").symlink_to(secret)
    subs, unmatched, _ = intake.collect_submissions(src, EXPECTED, tmp_path / "w")
    by = {s.student: s for s in subs}
    assert "eve" not in by and any("eve" in u and "symbolic link" in u for u in unmatched)
    assert not by["frank"].files and "symbolic links" in by["frank"].problems[0]
    assert "TOP-SECRET" not in json.dumps([s.problems + s.notes for s in subs] + unmatched)
    assert by["alice"].files and not by["alice"].problems


# ---------------------------------------------------------------------------------------------
# Hostile names: traversal, unicode, colliding ids, resubmissions, an id with no characters
# ---------------------------------------------------------------------------------------------


def _zip(path: Path, members: dict, when: dict | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in members.items():
            info = zipfile.ZipInfo(name, date_time=(when or {}).get(name, (2026, 3, 1, 10, 0, 0)))
            if text is None:  # a symbolic link member
                info.external_attr = (0o120777 << 16) | 0
                zf.writestr(info, "/etc/passwd")
            else:
                zf.writestr(info, text)
    return path


def test_hostile_names_never_stop_or_vanish(tmp_path):
    blank, good = nbformat.writes(_nb("blank")), nbformat.writes(_nb("good"))
    archive = _zip(
        tmp_path / "lms.zip",
        {
            f"../../evil_{M1}.ipynb": good,
            f"/abs_{M1}.ipynb": good,
            f"sub/../../evil2_{M1}.ipynb": good,
            f"..\\..\\winevil_{M1}.ipynb": good,
            f"link_{M1}.ipynb": None,
            f".._{M1}.ipynb": good,
            f"Jane Doe_{M1}.ipynb": good,
            f"Jane&Doe_{M1}.ipynb": blank,
            f"a b_{M1}.ipynb": good,
            f"a_b_{M1}.ipynb": blank,
            f"jürgen_{M1}.ipynb": good,
            f"jörgen_{M1}.ipynb": blank,
            f"alice_{M1}.ipynb": blank,
            f"alice_{M1} (1).ipynb": good,
            f"bob_{M1}.ipynb": blank,
            f"bob_{M1}-v2.ipynb": good,
            f"carol_{M1}_2026-03-01T09-00.ipynb": blank,
            f"carol_{M1}_2026-03-02T08-00.ipynb": good,
            "x;rm -rf ~;$(id)`id`_" + f"{M1}.ipynb": good,
            "y" * 300 + f"_{M1}.ipynb": good,  # longer than a file name may be
            f"dir_{M1}.ipynb": good,
            f"dir_{M1}.ipynb/inner_{M1}.ipynb": good,  # a file where a folder must go
        },
        when={f"alice_{M1}.ipynb": (2026, 3, 2, 10, 0, 0)},  # even when the older is "newer"
    )
    work = tmp_path / "w"
    subs, unmatched, kind = intake.collect_submissions(archive, EXPECTED, work)
    assert kind == "zip"
    assert not (tmp_path / f"evil_{M1}.ipynb").exists() and not list(tmp_path.glob("*evil*"))
    text = "\n".join(unmatched)
    for name in ("../../evil_", "/abs_", "sub/../../evil2_", "winevil"):
        assert name in text, name
    assert "no usable characters" in text and f".._{M1}.ipynb" in text
    by = {s.student: s for s in subs}
    link = by["link"]
    assert not link.files and "symbolic link" in link.problems[0]
    jane = [s for s in subs if s.student.startswith("Jane_Doe")]
    assert len(jane) == 2 and len({s.student for s in jane}) == 2, "a colliding id is never lost"
    assert all(any("cleans up like" in n for n in s.notes) for s in jane)
    assert {"a_b", "a"} <= set(by)  # "a_b_..." is student "a" under the default pattern
    assert "jurgen" in by and "jorgen" in by
    assert "clean up to 'Jane_Doe'" in text
    for student in ("alice", "bob", "carol"):
        sub = by[student]
        assert "good" in sub.files[M1].read_text(), student
        assert any("graded the newest" in n for n in sub.notes), student
    assert "x_rm_-rf_id_id" in by
    # folders: "a b" and "a_b" are two trainees, both graded under ids that stay apart
    src = tmp_path / "folders"
    for raw, text in (("a b", "good"), ("a_b", "blank"), ("Zoë", "good"), ("Zoe", "blank")):
        (src / raw / M1).mkdir(parents=True)
        nbformat.write(_nb(text), src / raw / M1 / f"{M1}.ipynb")
    (src / M1 / "x").mkdir(parents=True)  # a source one level too deep
    (src / "empty").mkdir()
    subs, unmatched, _ = intake.collect_submissions(src, EXPECTED, tmp_path / "w2")
    assert any("one level too deep" in u for u in unmatched)
    assert any(u.startswith("empty: no notebook") for u in unmatched)
    by = {s.raw_id: s.student for s in subs}
    assert by["a_b"] == "a_b" and by["a b"].startswith("a_b-") and by["Zoe"] == "Zoe"
    assert by["Zoë"].startswith("Zoe-") and len(set(by.values())) == 4
    assert any("'a b'" in u and "'a_b'" in u for u in unmatched)


def test_notebook_versions():
    names = [M1]
    assert intake.notebook_version(f"x_{M1}", names) == (M1, (0, ""))
    assert intake.notebook_version(f"x_{M1} (3)", names)[1] == (3, "")
    assert intake.notebook_version(f"x_{M1}-v12", names)[1] == (12, "")
    assert intake.notebook_version(f"x_{M1}-2", names)[1] == (2, "")
    assert intake.notebook_version(f"x_{M1}_2026-03-04T10-15", names)[1] == (0, "202603041015")
    assert intake.notebook_version("notes (1)", names) is None


# ---------------------------------------------------------------------------------------------
# ZIP bombs and oversized members
# ---------------------------------------------------------------------------------------------


def test_zip_bomb_and_oversized_member_are_never_inflated(tmp_path):
    import tracemalloc

    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open(f"carol_{M1}.ipynb", "w", force_zip64=True) as fh:
            chunk = b"\0" * (1 << 20)
            for _ in range(intake.MAX_MEMBER // len(chunk) + 8):  # ~58 MB of zeros
                fh.write(chunk)
        zf.writestr(f"alice_{M1}.ipynb", nbformat.writes(_nb("fine")))
        zf.writestr("notes/big.bin", os.urandom(3_000_000))
    assert archive.stat().st_size < 5_000_000
    tracemalloc.start()
    subs, unmatched, _ = intake.collect_submissions(archive, EXPECTED, tmp_path / "w")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20_000_000, f"the grader held {peak / 1e6:.0f} MB"
    by = {s.student: s for s in subs}
    assert not by["carol"].files and "not extracted" in by["carol"].problems[0]
    assert by["alice"].files
    extracted = sum(p.stat().st_size for p in (tmp_path / "w").rglob("*") if p.is_file())
    assert extracted < 4_000_000
    # a member over the size limit, whatever it compresses to
    refused, notes = intake.extract_zip(archive, tmp_path / "x", max_member=1_000_000)
    assert any("big.bin" in n and "limit 1 MB" in n for n in notes)
    assert not (tmp_path / "x" / "notes" / "big.bin").exists()


# ---------------------------------------------------------------------------------------------
# The gradebook: deleted, truncated or garbage is an error, never "0/0 ok"
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["deleted", "truncated", "garbage", "empty-sqlite"])
def test_lost_or_corrupt_gradebook_is_a_clear_error(tmp_path, damage, capsys):
    import sqlite3

    root = make_course(tmp_path / "course")
    out = tmp_path / "out"
    course = out / "course"
    course.mkdir(parents=True)
    state = {
        "modules": {},
        "submissions": {
            f"alice/{M1}": {"student": "alice", "module": M1, "graded": True, "digest": "x"}
        },
    }
    (course / "osintlab_state.json").write_text(json.dumps(state))
    db = course / "gradebook.db"
    if damage == "truncated":
        db.write_bytes(b"")
    elif damage == "garbage":
        db.write_bytes(os.urandom(4096))
    elif damage == "empty-sqlite":
        sqlite3.connect(db).close()
        db.write_bytes(b"SQLite format 3\x00" + b"\0" * 84)
    src = tmp_path / "subs" / "alice" / M1
    src.mkdir(parents=True)
    nbformat.write(_nb(), src / f"{M1}.ipynb")
    with pytest.raises(GradeError, match="gradebook|osintlab_state"):
        grade_cohort(tmp_path / "subs", out, course_root=root, progress=False)
    assert not (out / "grades.csv").exists()


# ---------------------------------------------------------------------------------------------
# Feedback exfiltration: the master printed encoded never reaches the page
# ---------------------------------------------------------------------------------------------


def _autograded_with_outputs(master, outputs: list[str]):
    """A release-like notebook whose first solution cell printed ``outputs``."""
    nb = nbformat.v4.new_notebook()
    for cell in master.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("solution"):
            c = nbformat.v4.new_code_cell("print(payload)")
            c.metadata["nbgrader"] = dict(meta)
            c.outputs = [nbformat.v4.new_output("stream", name="stdout", text=t) for t in outputs]
            outputs = []
            nb.cells.append(c)
    return nb


def test_feedback_exfiltration_is_caught(tmp_path):
    root = make_course(tmp_path / "course")
    master = nbformat.read(root / "solutions" / M1 / f"{M1}.ipynb", as_version=4)
    secrets_ = feedback.master_secrets(master)
    hidden = next(s for s in secrets_ if HIDDEN_MARK in s)
    model = "evens = [x for x in numbers if x % 2 == 0]"  # the fixture's model answer
    assert hidden in secrets_ and model in secrets_
    raw = nbformat.writes(master).encode()
    b64 = base64.b64encode(zlib.compress(raw)).decode()
    attacks = {
        "b64+zlib, 76-char lines": "\n".join(b64[i : i + 76] for i in range(0, len(b64), 76)),
        "b64 of one line": "data: " + base64.b64encode(hidden.encode()).decode() + " end",
        "urlsafe b64": base64.urlsafe_b64encode(hidden.encode()).decode(),
        "hex": hidden.encode().hex(),
        "rot13": codecs.encode(hidden, "rot13"),
        "reversed": hidden[::-1],
        "split string": "\n".join(repr(hidden[i : i + 5]) for i in range(0, len(hidden), 5)),
        "model answer split": " + ".join(repr(model[i : i + 4]) for i in range(0, len(model), 4)),
    }
    for name, payload in attacks.items():
        nb = _autograded_with_outputs(master, [payload])
        found = feedback.output_leaks(nb, secrets_)
        assert found, name
    # after sanitize the long encoded master is elided, and what is left cannot decode to it
    nb = _autograded_with_outputs(master, [b64])
    clean = feedback.sanitize(nb)
    text = feedback.output_text(clean)
    assert "characters not shown" in text and len(text) < feedback.NOTEBOOK_CHARS
    assert HIDDEN_MARK not in "".join(feedback._decoded(text))
    # honest outputs are not withheld
    honest = _autograded_with_outputs(
        master,
        ["42\n[2, 4, 6]\n", "{'personal_account': 3, 'attributable_network': 1}\n", "a" * 64],
    )
    assert feedback.output_leaks(honest, secrets_) == []
    # a flood of output is bounded per cell and per notebook
    flood = _autograded_with_outputs(master, ["line\n" * 200_000, "x " * 100_000])
    clean = feedback.sanitize(flood)
    assert len(feedback.output_text(clean)) <= feedback.NOTEBOOK_CHARS + 200


# ---------------------------------------------------------------------------------------------
# One nbgrader run with the intake and exfiltration attacks together
# ---------------------------------------------------------------------------------------------

LEAK = (
    "import base64, pathlib, zlib\n"
    "_here = pathlib.Path.cwd()\n"
    f"_rel = 'source/{M1}/{M1}.ipynb'\n"
    "_p = next((q / _rel for q in [_here, *_here.parents] if (q / _rel).is_file()), None)\n"
    "if _p is not None:\n"
    "    _b = base64.b64encode(zlib.compress(_p.read_bytes())).decode()\n"
    "    for _i in range(0, len(_b), 76):\n"
    "        print(_b[_i:_i + 76])\n"
    "    print(repr(_p.read_text()[:3000]))\n"
    "total = sum(numbers)"
)


@pytest.mark.slow
def test_hostile_cohort_end_to_end(tmp_path):
    from osintlab.trainer.nbgrader import TIMEOUT

    root = make_course(tmp_path / "course")
    r1 = released(root, M1)
    src = tmp_path / "subs"
    for student, nb in (
        (
            "alice",  # an honest answer that leaves a capture folder in the temporary folder
            answer(
                r1,
                {
                    **GOOD_91,
                    "s3": "import tempfile\n_pkg = tempfile.mkdtemp(prefix='evidence-')\n"
                    "distinct = sorted(set(numbers))",
                },
            ),
        ),
        ("leaker", answer(r1, {**GOOD_91, "s1": LEAK})),
    ):
        (src / student / M1).mkdir(parents=True)
        nbformat.write(nb, src / student / M1 / f"{M1}.ipynb")
    (src / "eve").symlink_to(root / "solutions")
    (src / "frank" / M1).mkdir(parents=True)
    token = tmp_path / "token.txt"
    token.write_text("TOP-SECRET-TRAINER-TOKEN-1234")
    (src / "frank" / M1 / f"{M1}.ipynb").symlink_to(token)
    out = tmp_path / "out"
    import tempfile

    before = set(Path(tempfile.gettempdir()).glob("evidence-*"))
    res = grade_cohort(
        src, out, timeout=TIMEOUT, course_root=root, datasets=root / "datasets", progress=False
    )
    assert set(Path(tempfile.gettempdir()).glob("evidence-*")) == before, "capture folders left"
    with (out / "grades.csv").open(newline="", encoding="utf-8") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    assert rows["alice"]["status"] == "ok" and float(rows["alice"]["auto_score"]) == 7
    assert "eve" not in rows and any("eve" in u for u in res.unmatched)
    assert "symbolic link" in rows["frank"]["status"] and rows["frank"]["score"] == "0"
    for page in (out / "feedback").rglob("*.html"):
        raw = page.read_text(encoding="utf-8")
        assert "TOP-SECRET" not in raw and HIDDEN_MARK not in raw, page
        decoded = "".join(feedback._decoded(feedback.html_text(raw)))
        assert HIDDEN_MARK not in decoded, page
    assert "TOP-SECRET" not in (out / "grades.csv").read_text()
    assert "TOP-SECRET" not in (out / "report.html").read_text()
    # the next run after the gradebook is lost refuses, instead of reporting 0/0 "ok"
    (out / "course" / "gradebook.db").unlink()
    with pytest.raises(GradeError, match="gradebook.db is missing"):
        grade_cohort(src, out, course_root=root, datasets=root / "datasets", progress=False)


# ---------------------------------------------------------------------------------------------
# Processes: osintlab lab stops the server it started
# ---------------------------------------------------------------------------------------------

CHILD = """
import os, signal, subprocess, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)   # a server slow to stop: needs the kill
signal.signal(signal.SIGINT, signal.SIG_IGN)
grand = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
open(sys.argv[1], "w").write(f"{os.getpid()} {grand.pid}")
time.sleep(600)
"""
PARENT = """
import sys
from osintlab.trainer.lab import run_server
sys.exit(run_server([sys.executable, "-c", sys.argv[1], sys.argv[2]], grace=2))
"""


def _gone(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


@pytest.mark.skipif(os.name != "posix", reason="process groups and signals are POSIX")
@pytest.mark.parametrize("sig", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_lab_server_is_stopped_with_osintlab_lab(tmp_path, sig):
    pids = tmp_path / "pids"
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    )
    parent = subprocess.Popen([sys.executable, "-c", PARENT, CHILD, str(pids)], env=env)
    try:
        deadline = time.monotonic() + 30
        while not (pids.exists() and pids.read_text().count(" ") == 1):
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)
        server, grand = map(int, pids.read_text().split())
        parent.send_signal(getattr(signal, sig))
        rc = parent.wait(timeout=30)
        assert rc == (0 if sig == "SIGINT" else 128 + getattr(signal, sig))
        deadline = time.monotonic() + 10
        while not (_gone(server) and _gone(grand)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _gone(server) and _gone(grand), "the server or its children outlived osintlab lab"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def test_osintlab_lab_uses_the_group_runner(monkeypatch):
    from osintlab.trainer import lab

    seen = {}
    monkeypatch.setattr(lab, "run_server", lambda cmd, cwd, env: seen.update(cmd=cmd) or 0)
    monkeypatch.chdir(ROOT)
    assert cli.main(["lab", "--no-browser"]) == 0
    assert "jupyterlab" in seen["cmd"]


def test_bundle_datasets_never_record_the_seed(tmp_path, monkeypatch):
    from osintlab.trainer import bundle

    monkeypatch.setenv(cohort_secret.ENV, str(tmp_path / "secrets"))
    dest = tmp_path / "stick" / "datasets"
    cohort = bundle._copy_datasets(ROOT, dest, 5, progress=False)
    manifest = json.loads((dest / "manifest.json").read_text())
    assert manifest["seed"] is None and manifest["cohort"] == cohort == cohort_secret.cohort_id(5)
    assert "Seed: `5`" not in (dest / "README.md").read_text()
    assert cohort_secret.grading_keys_for(dest)[0] is not None


def test_a_seed_the_generator_cannot_serve_is_replaced(tmp_path, monkeypatch):
    monkeypatch.setenv(cohort_secret.ENV, str(tmp_path / "s"))
    calls = []

    def flaky(record, out, **kw):
        calls.append(record["cohort"])
        if len(calls) < 3:
            raise ValueError("offline web: two pages at 'https://x.example/'")
        return {"seed": None, "cohort": record["cohort"]}

    monkeypatch.setattr(cohort_secret, "build_secret_datasets", flaky)
    record, manifest = cohort_secret.build_new_cohort(tmp_path / "d")
    assert len(calls) == 3 and manifest["cohort"] == record["cohort"] == calls[-1]
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == [f"{calls[-1]}.json"]


@pytest.mark.slow
def test_grading_uses_the_trainers_keys_not_the_published_ones(tmp_path, monkeypatch):
    """The published keys a trainee holds do not decide the grade: here they are made for
    wrong answers, and an honest submission still scores full marks from the trainer's keys."""
    from cohort_fixture import NUMBERS
    from osintlab.trainer.nbgrader import TIMEOUT

    monkeypatch.setenv(cohort_secret.ENV, str(tmp_path / "secrets"))
    root = make_course(tmp_path / "course")
    ds = root / "datasets"
    record = cohort_secret.cohort_for_seed(12345)
    truth = {
        "91.total": (sum(NUMBERS), "value"),
        "91.evens": ([x for x in NUMBERS if x % 2 == 0], "list"),
        "91.distinct": (sorted(set(NUMBERS)), "list"),
        "92.largest": (max(NUMBERS), "value"),
        "92.count": (len(NUMBERS), "value"),
    }
    published = {
        q: grading.make_key(q, [0] if k == "list" else -1, kind=k) for q, (_, k) in truth.items()
    }
    (ds / "answer_keys.json").write_text(json.dumps(published))
    (ds / "manifest.json").write_text(
        json.dumps({"seed": None, "cohort": record["cohort"], "files": {}})
    )
    keys = {
        q: grading.make_key(q, v, kind=k, salt=cohort_secret.grading_salt_for(record, q))
        for q, (v, k) in truth.items()
    }
    cohort_secret.write_grading_keys(record, keys, ds / "answer_keys.json")
    src = tmp_path / "subs" / "alice" / M1
    src.mkdir(parents=True)
    nbformat.write(answer(released(root, M1), GOOD_91), src / f"{M1}.ipynb")
    out = tmp_path / "out"
    grade_cohort(
        tmp_path / "subs", out, timeout=TIMEOUT, course_root=root, datasets=ds, progress=False
    )
    with (out / "grades.csv").open(newline="", encoding="utf-8") as fh:
        row = next(csv.DictReader(fh))
    assert row["status"] == "ok" and float(row["auto_score"]) == 7, row
