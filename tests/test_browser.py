"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium, installed by .ci/run)
against a real JupyterLab with nbgrader's extensions, configured as `osintlab lab` configures it
(osintlab.trainer.lab): a trainee's and a trainer's JupyterLab.

* JupyterLab opens course/00-start-here.ipynb, runs every cell, and a knowledge-check widget
  renders and answers a click;
* a trainee opens module 00 and an exercise: no news / update pop-up, no Create Assignment
  panel, no formgrader or course list; a trainer has all three;
* a trainee walks the Python primer (runs it all) and an exercise (fills one answer and runs
  its check) and no dialog, toast or browser pop-up appears at any step;
* nbgrader's Assignments panel lists the released modules (from an exchange on disk);
* the formgrader, opened in its own tab, lists a cohort graded by `osintlab grade`.

On failure a screenshot is written to test-artifacts/ (git-ignored; CI keeps it).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from cohort_fixture import GOOD_91, M1, M2, answer, make_course, released
from osintlab.trainer.lab import stop_group

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("OSINTLAB_CHROMIUM", "/usr/bin/chromium")
EXERCISE = "01-foundations"
PRIMER = ROOT / "course" / "00-start-here-2.ipynb"
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stand_in_lesson(path: Path) -> None:
    """Used only until course/00-start-here.ipynb exists in this checkout."""
    from osintlab.trainer.authoring import Notebook

    nb = Notebook("start")
    nb.md("# Start here (stand-in)")
    nb.code("1 + 1")
    nb.code(
        "from osintlab.widgets import knowledge_check\n"
        'knowledge_check("Which zone is PKT?", ["UTC+5", "UTC+6"], answer=0,\n'
        '                explain="Pakistan Standard Time is UTC+5.")'
    )
    nb.save(path)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A graded cohort as the formgrader's course, an exchange with two released modules, the
    module 00 lesson and a released exercise."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} missing (.ci/run installs Debian's chromium)")
    pytest.importorskip("playwright.sync_api")
    from osintlab.trainer.cohort import grade_cohort
    from osintlab.trainer.nbgrader import api as nbgrader_api

    tmp = tmp_path_factory.mktemp("lab")
    course_src = make_course(tmp / "drill")
    subs = tmp / "subs"
    r1, r2 = released(course_src, M1), released(course_src, M2)
    for student, nb in (("alice", answer(r1, GOOD_91)), ("bob", r1), ("carol", r1)):
        (subs / student / M1).mkdir(parents=True)
        nbformat.write(nb, subs / student / M1 / f"{M1}.ipynb")
    (subs / "alice" / M2).mkdir(parents=True)
    nbformat.write(r2, subs / "alice" / M2 / f"{M2}.ipynb")
    out = tmp / "out"
    grade_cohort(
        subs,
        out,
        timeout=30,
        course_root=course_src,
        datasets=course_src / "datasets",
        progress=False,
    )
    course = out / "course"  # the graded cohort: the formgrader's course
    exchange = tmp / "exchange"
    exchange.mkdir()
    api = nbgrader_api(course, timeout=30, exchange=exchange)
    for m in (M1, M2):
        assert api.release_assignment(m)["success"]
    etc = tmp / "etc"
    etc.mkdir()
    (etc / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.Exchange.root = {str(exchange)!r}\n"
        "c.CourseDirectory.course_id = 'osintlab'\n"
    )
    lesson = ROOT / "course" / "00-start-here.ipynb"
    (course / "course").mkdir()
    if lesson.is_file():
        shutil.copy(lesson, course / "course" / lesson.name)
    else:
        _stand_in_lesson(course / "course" / "00-start-here.ipynb")
    if PRIMER.is_file():
        shutil.copy(PRIMER, course / "course" / PRIMER.name)
    exercise = ROOT / "exercises" / EXERCISE / f"{EXERCISE}.ipynb"
    (course / "exercises" / EXERCISE).mkdir(parents=True)
    shutil.copy(exercise, course / "exercises" / EXERCISE / exercise.name)
    yield {"tmp": tmp, "course": course, "etc": etc}


def _start_lab(course: dict, role: str):
    """JupyterLab configured as `osintlab lab` (role "trainee") or `osintlab lab --trainer`
    configures it; stopped, with its kernels, when the test module ends."""
    from osintlab.trainer.lab import classroom_env, write_lab_config

    tmp = course["tmp"] / role
    port, token = _free_port(), secrets.token_hex(12)
    home = tmp / "home"
    settings = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab"
    (settings / "notebook-extension").mkdir(parents=True)
    # render every cell (JupyterLab 4 virtualises long notebooks); the news and update
    # settings come from the classroom configuration, not from here
    (settings / "notebook-extension" / "tracker.jupyterlab-settings").write_text(
        '{"windowingMode": "none"}'
    )
    config = write_lab_config(tmp / "lab-config", trainer=role == "trainer")
    env = classroom_env(
        config,
        dict(
            os.environ,
            JUPYTER_CONFIG_PATH=str(course["etc"]),
            HOME=str(home),
            OSINTLAB_DATA=str(ROOT / "datasets"),
            PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
        ),
    )
    root = course["course"]
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log_path = tmp / "lab.log"
    log = log_path.open("w")
    proc = subprocess.Popen(
        cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    raise AssertionError(
                        "JupyterLab did not start:\n" + log_path.read_text()[-3000:]
                    ) from None
                time.sleep(1)
        yield {"base": base, "token": token}
    finally:
        # shut kernels down through the server, then stop the server itself
        with contextlib.suppress(OSError):
            urllib.request.urlopen(
                urllib.request.Request(f"{base}/api/shutdown?token={token}", method="POST"),
                timeout=10,
            )
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        stop_group(proc, 30)  # the server and anything it left in its process group
        log.close()


@pytest.fixture(scope="module")
def lab(course):
    """A trainee's JupyterLab (`osintlab lab`)."""
    yield from _start_lab(course, "trainee")


@pytest.fixture(scope="module")
def trainer_lab(course):
    """A trainer's JupyterLab (`osintlab lab --trainer`)."""
    yield from _start_lab(course, "trainer")


@pytest.fixture
def page(course, request):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        pg = browser.new_page(viewport={"width": 1400, "height": 1000})
        pg.set_default_timeout(60_000)
        try:
            yield pg
        finally:
            rep = getattr(request.node, "rep_call", None)
            if rep is None or rep.failed:
                ARTIFACTS.mkdir(exist_ok=True)
                with contextlib.suppress(Exception):
                    pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
            browser.close()


def _menu(page, top: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{top}$")).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{item}$")).first.click()


def test_lesson_runs_and_knowledge_check_answers(lab, page):
    page.goto(f"{lab['base']}/lab/tree/course/00-start-here.ipynb?token={lab['token']}")
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for()
    page.locator("#jp-main-statusbar").get_by_text(re.compile(r"\bIdle\b")).first.wait_for(
        timeout=120_000
    )
    _run_all(page)
    outputs = " ".join(page.locator(".jp-OutputArea-output").all_inner_texts())
    assert "Traceback" not in outputs
    widget = page.locator(".widget-vbox", has=page.locator(".widget-radio-box")).first
    widget.scroll_into_view_if_needed()
    widget.locator(".widget-radio-box label").first.click()
    widget.locator("button", has_text="Check").click()
    page.locator(".widget-vbox >> text=/Right|Not quite/").first.wait_for(timeout=15_000)


def test_assignments_panel_lists_released_modules(lab, page):
    page.goto(f"{lab['base']}/lab?token={lab['token']}")
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").first.wait_for()
    _menu(page, "Nbgrader", "Assignment List")
    released_list = page.locator("#released_assignments_list")
    released_list.locator(f"text={M1}").first.wait_for(timeout=60_000)
    assert released_list.locator(f"text={M2}").count() >= 1


def test_formgrader_lists_the_graded_cohort(trainer_lab, page):
    lab = trainer_lab
    page.goto(f"{lab['base']}/lab?token={lab['token']}")  # log in (sets the cookie)
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").first.wait_for()
    page.goto(f"{lab['base']}/formgrader/manage_submissions/{M1}?token={lab['token']}")
    table = page.locator("table")
    table.locator("text=alice").first.wait_for(timeout=60_000)
    text = table.first.inner_text()
    assert "bob" in text and "carol" in text
    page.goto(f"{lab['base']}/formgrader/manage_assignments?token={lab['token']}")
    page.locator(f"text={M1}").first.wait_for()
    assert page.locator(f"text={M2}").count() >= 1


def _open(page, lab, path: str) -> None:
    page.goto(f"{lab['base']}/lab/tree/{path}?token={lab['token']}")
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for()
    page.locator("#jp-main-statusbar").get_by_text(re.compile(r"\bIdle\b")).first.wait_for(
        timeout=120_000
    )


def _nbgrader_menu(page) -> list[str]:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Nbgrader$")).first.click()
    menu = page.locator(".lm-Menu").last
    menu.wait_for()
    items = [
        t.strip()
        for t in menu.locator(".lm-Menu-item:visible .lm-Menu-itemLabel").all_inner_texts()
    ]
    page.keyboard.press("Escape")
    return items


def _no_popup(page) -> None:
    time.sleep(5)  # the news question appears shortly after start-up if it comes
    assert page.locator(".Toastify__toast").count() == 0, page.locator(
        ".Toastify__toast"
    ).all_inner_texts()
    assert "official Jupyter news" not in page.content()


def test_trainee_lab_has_no_popup_and_no_trainer_panels(lab, page):
    _open(page, lab, "course/00-start-here.ipynb")
    _no_popup(page)
    _open(page, lab, f"exercises/{EXERCISE}/{EXERCISE}.ipynb")
    _no_popup(page)
    # the Validate button stays for trainees; the Create Assignment side panel does not exist
    page.locator(".jp-NotebookPanel-toolbar:visible", has_text="Validate").first.wait_for()
    assert page.locator("#nbgrader-create_assignemnt").count() == 0
    assert page.locator(".lm-TabBar-tab", has_text="Create Assignment").count() == 0
    items = _nbgrader_menu(page)
    assert "Assignment List" in items
    assert not {"Create assignment", "Formgrader", "Course List"} & set(items), items
    assert "Extension Manager" not in " ".join(
        page.locator(".lm-TabBar-tab").all_inner_texts()
        + page.locator(".lm-TabBar-tab").evaluate_all("ts => ts.map(t => t.title)")
    )


def test_trainer_lab_keeps_the_trainer_panels(trainer_lab, page):
    _open(page, trainer_lab, f"exercises/{EXERCISE}/{EXERCISE}.ipynb")
    _no_popup(page)
    assert page.locator("#nbgrader-create_assignemnt").count() == 1
    items = _nbgrader_menu(page)
    assert {"Assignment List", "Create assignment", "Formgrader", "Course List"} <= set(items), (
        items
    )


def _run_all(page, timeout=180) -> None:
    """Run All Cells and wait until every code cell shows its execution count."""
    _menu(page, "Run", "Run All Cells")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        prompts = page.locator(".jp-CodeCell .jp-InputPrompt").all_inner_texts()
        if (
            prompts
            and not any("*" in p for p in prompts)
            and all(re.search(r"\[\d+\]", p) for p in prompts)
        ):
            return
        time.sleep(1)
    raise AssertionError("the notebook did not finish running")


def _no_dialog(page, dialogs: list, where: str) -> None:
    """No browser dialog, JupyterLab dialog or notification toast is showing (or was shown)."""
    assert not dialogs, f"{where}: browser dialog(s) {dialogs}"
    assert page.locator(".jp-Dialog").count() == 0, f"{where}: JupyterLab dialog " + " ".join(
        page.locator(".jp-Dialog").all_inner_texts()
    )
    assert page.locator(".Toastify__toast").count() == 0, f"{where}: notification " + " ".join(
        page.locator(".Toastify__toast").all_inner_texts()
    )


def _open_alone(page, lab, path: str) -> None:
    """Open ``path`` in a fresh workspace (no notebook left open by an earlier test)."""
    page.goto(f"{lab['base']}/lab/workspaces/walk/tree/{path}?reset&token={lab['token']}")
    page.locator(".jp-NotebookPanel:visible .jp-Cell").first.wait_for()
    page.locator("#jp-main-statusbar").get_by_text(re.compile(r"\bIdle\b")).first.wait_for(
        timeout=120_000
    )


def _save(page) -> None:
    page.locator(".jp-NotebookPanel:visible .jp-Notebook").first.click(position={"x": 5, "y": 5})
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    page.locator(".lm-TabBar-tab.jp-mod-current:not(.jp-mod-dirty)").first.wait_for(timeout=30_000)


def _cell_index(nb, grade_id: str) -> int:
    return next(
        i
        for i, c in enumerate(nb.cells)
        if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id
    )


def _run_cell(page, index: int) -> str:
    """Select cell ``index``, run it (Shift+Enter), wait for its count and return its output."""
    cell = page.locator(".jp-NotebookPanel:visible .jp-Notebook .jp-Cell").nth(index)
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-InputPrompt").click()
    page.keyboard.press("Shift+Enter")
    prompt = cell.locator(".jp-InputPrompt")
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if re.search(r"\[\d+\]", prompt.inner_text()):
            return cell.locator(".jp-OutputArea").inner_text()
        time.sleep(0.5)
    raise AssertionError(f"cell {index} did not finish")


def test_trainee_walks_the_primer_and_an_exercise_without_a_popup(lab, page):
    """Issue 19: the primer runs top to bottom, then one exercise answer is written in the
    browser and its check passes; nothing pops up on the way."""
    if not PRIMER.is_file():
        pytest.skip("no primer in this checkout")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    _open_alone(page, lab, f"course/{PRIMER.name}")
    _no_popup(page)
    _run_all(page)
    outputs = " ".join(page.locator(".jp-OutputArea-output").all_inner_texts())
    assert "Traceback" not in outputs, outputs[-2000:]
    _no_dialog(page, dialogs, "primer")
    _save(page)  # as a trainee does before opening the next notebook (else "leave page?")

    _open_alone(page, lab, f"exercises/{EXERCISE}/{EXERCISE}.ipynb")
    _no_popup(page)
    release = nbformat.read(ROOT / "exercises" / EXERCISE / f"{EXERCISE}.ipynb", as_version=4)
    solution = nbformat.read(ROOT / "solutions" / EXERCISE / f"{EXERCISE}.ipynb", as_version=4)
    setup, task, check = (
        _cell_index(release, g) for g in ("ex01-setup", "ex01-s3", "ex01-test_seized")
    )
    assert "Traceback" not in _run_cell(page, setup)
    # the trainee writes the answer of Task 3 in place of the stub
    answer_code = solution.cells[_cell_index(solution, "ex01-s3")].source
    answer_code = re.sub(r"### (BEGIN|END) SOLUTION\n?", "", answer_code)
    editor = (
        page.locator(".jp-NotebookPanel:visible .jp-Notebook .jp-Cell")
        .nth(task)
        .locator(".cm-content")
    )
    editor.scroll_into_view_if_needed()
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(answer_code)
    page.keyboard.press("Escape")
    out = _run_cell(page, task)
    assert "Traceback" not in out and "NotImplementedError" not in out, out
    out = _run_cell(page, check)
    assert "Error" not in out and "\u2714" in out, out
    _no_dialog(page, dialogs, "exercise")
