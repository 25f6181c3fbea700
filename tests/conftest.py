"""Shared fixtures: the committed datasets, a scenario built from another seed, scratch dirs."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OTHER_SEED = 7


@pytest.fixture(autouse=True)
def _repo_datasets(monkeypatch, tmp_path_factory):
    """Every test reads the committed datasets unless it says otherwise, and saved requests go
    to a scratch folder, never into the checkout (a release would pick them up)."""
    monkeypatch.setenv("OSINTLAB_REQUESTS", str(tmp_path_factory.getbasetemp() / "my-requests"))
    monkeypatch.setenv("OSINTLAB_DATA", str(ROOT / "datasets"))
    monkeypatch.setenv("OSINTLAB_CACHE", str(ROOT / ".pytest_cache" / "osintlab-cache"))


@pytest.fixture(scope="session")
def other_seed_datasets(tmp_path_factory) -> Path:
    """Datasets of another seed, built once per test session (worker)."""
    from osintlab.scenario.build import build_datasets

    out = tmp_path_factory.mktemp("seed") / "datasets"
    build_datasets(OTHER_SEED, out, progress=False)
    return out


@pytest.fixture
def use_datasets(monkeypatch):
    """Point osintlab.data at another datasets folder for one test."""

    def use(folder: Path):
        monkeypatch.setenv("OSINTLAB_DATA", str(folder))

    return use


def pytest_configure(config):
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    # Everything the tests, their kernels and graders put in the system temporary folder
    # (evidence capture packages, scratch courses) goes into one folder of this session,
    # removed at its end; pytest's own tmp_path folders stay where they always were.
    if os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get("OSINTLAB_TESTS_TMP"):
        # an xdist worker: the controller's session folder is already TMPDIR
        tempfile.tempdir = None
        return
    system_tmp = tempfile.gettempdir()
    os.environ.setdefault("PYTEST_DEBUG_TEMPROOT", system_tmp)
    session_tmp = tempfile.mkdtemp(prefix="osintlab-tests-", dir=system_tmp)
    config._osintlab_tmp = (session_tmp, os.environ.get("TMPDIR"))
    os.environ["TMPDIR"] = os.environ["OSINTLAB_TESTS_TMP"] = session_tmp
    tempfile.tempdir = None


def pytest_unconfigure(config):
    session_tmp, before = getattr(config, "_osintlab_tmp", (None, None))
    if session_tmp is None:
        return
    os.environ.pop("OSINTLAB_TESTS_TMP", None)
    if before is None:
        os.environ.pop("TMPDIR", None)
    else:
        os.environ["TMPDIR"] = before
    tempfile.tempdir = None
    shutil.rmtree(session_tmp, ignore_errors=True)


#: Tests that skip when a tool is missing (Chromium, configurable-http-proxy, ExifTool, ruff,
#: root and network namespaces for the offline install). `.ci/run` installs every tool and sets
#: OSINTLAB_CI=1: there a skip of one of these fails the run, because a skipped offline-install
#: or hub test is not a passing one.
CI_MUST_RUN = (
    "tests/test_bundle.py::",
    "tests/test_hub.py::",
    "tests/test_browser.py::",
    "tests/test_style.py::",
    "tests/test_images.py::test_agrees_with_exiftool_composite",
)


def _must_run_in_ci(item) -> bool:
    if os.environ.get("OSINTLAB_CI") != "1":
        return False
    try:
        rel = Path(item.path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return False
    return f"{rel}::{item.name}".startswith(CI_MUST_RUN)


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Expose each phase's report on the test item (browser tests screenshot on failure), and
    in CI fail a test of :data:`CI_MUST_RUN` that skipped."""
    outcome = yield
    rep = outcome.get_result()
    if rep.skipped and not hasattr(rep, "wasxfail") and _must_run_in_ci(item):
        reason = rep.longrepr[-1] if isinstance(rep.longrepr, tuple) else str(rep.longrepr)
        rep.outcome = "failed"
        rep.longrepr = (
            f"CI must run this test, but it skipped: {reason} "
            "(.ci/run installs what it needs; see CI_MUST_RUN in tests/conftest.py)"
        )
    setattr(item, f"rep_{rep.when}", rep)
