"""The nbgrader exchange round trip on one machine, through nbgrader's own exchange classes:
trainer release → trainees fetch → trainees submit → `osintlab grade` (collect, autograde,
feedback, release feedback) → trainees fetch their feedback."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import nbformat
import pytest

from cohort_fixture import GOOD_91, HIDDEN_MARK, M1, answer, make_course
from osintlab.trainer import feedback
from osintlab.trainer.cohort import grade_cohort
from osintlab.trainer.nbgrader import api as nbgrader_api

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("cohort")]


def _trainee(exchange: Path, home: Path, student: str):
    """An nbgrader exchange client for one trainee, with a private cache and home folder."""
    from nbgrader.auth import Authenticator
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    c = Config()
    c.Exchange.root = str(exchange)
    c.Exchange.cache = str(home / ".nbgrader_cache")
    c.CourseDirectory.root = str(home)
    c.CourseDirectory.course_id = "osintlab"
    c.CourseDirectory.assignment_id = M1
    c.CourseDirectory.student_id = student

    def run(cls_name: str, **extra):
        from nbgrader.exchange import default as ex

        cd = CourseDirectory(config=c)
        app = getattr(ex, cls_name)(coursedir=cd, authenticator=Authenticator(config=c), config=c)
        for k, v in extra.items():
            setattr(app, k, v)
        old = Path.cwd()
        import os

        os.chdir(home)
        try:
            return app.start()
        finally:
            os.chdir(old)

    return run


def test_release_fetch_submit_grade_feedback_fetch(tmp_path):
    root = make_course(tmp_path / "course")
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    # -- trainer: generate and release through nbgrader
    trainer = tmp_path / "trainer"
    shutil.copytree(root / "solutions" / M1, trainer / "source" / M1)
    api = nbgrader_api(trainer, timeout=30, exchange=exchange)
    assert api.generate_assignment(M1)["success"]
    res = api.release_assignment(M1)
    assert res["success"], res.get("log")
    assert (exchange / "osintlab" / "outbound" / M1 / f"{M1}.ipynb").is_file()
    # -- trainees: fetch, work, submit
    homes = {}
    for student in ("alice", "bob"):
        home = tmp_path / "home" / student
        home.mkdir(parents=True)
        run = _trainee(exchange, home, student)
        run("ExchangeFetchAssignment")
        nb_path = home / M1 / f"{M1}.ipynb"
        assert nb_path.is_file()
        released = nbformat.read(nb_path, as_version=4)
        assert HIDDEN_MARK not in nbformat.writes(released)
        if student == "alice":
            nbformat.write(answer(released, GOOD_91), nb_path)
        run("ExchangeSubmit")
        homes[student] = home
    inbound = list((exchange / "osintlab" / "inbound").iterdir())
    assert sorted(p.name.split("+")[0] for p in inbound) == ["alice", "bob"]
    # alice re-submits: the latest submission counts
    run = _trainee(exchange, homes["alice"], "alice")
    import time

    time.sleep(1.1)
    run("ExchangeSubmit")
    # -- trainer: one command collects, grades, writes feedback and releases it
    out = tmp_path / "out"
    result = grade_cohort(
        exchange,
        out,
        timeout=30,
        course_root=root,
        datasets=root / "datasets",
        release_feedback=True,
        progress=False,
    )
    assert result.source_kind == "exchange" and result.graded == 2
    with (out / "grades.csv").open(newline="") as fh:
        rows = {r["student_id"]: r for r in csv.DictReader(fh)}
    assert rows["alice"]["score"] == "7" and rows["alice"]["status"] == "ok"
    assert rows["alice"]["timestamp"] and rows["bob"]["score"] == "0"
    assert list((exchange / "osintlab" / "feedback").glob("*.html"))
    # -- trainees: fetch feedback
    for student, home in homes.items():
        _trainee(exchange, home, student)("ExchangeFetchFeedback")
        pages = list((home / M1 / "feedback").rglob("*.html"))
        assert len(pages) == 1, student
        page = pages[0].read_text(encoding="utf-8")
        assert f"Feedback: {M1} ({student})" in feedback.html_text(page)
        assert HIDDEN_MARK not in page and "find_spec" not in feedback.html_text(page)
    alice_page = feedback.html_text(
        next((homes["alice"] / M1 / "feedback").rglob("*.html")).read_text()
    )
    assert "passed" in alice_page and "to be marked by your trainer" in alice_page
