"""The course's one nbgrader configuration, and the nbgrader plumbing the trainer tools share.

nbgrader runs in four places, and all four take their settings from :func:`settings`:

=============================================  ================================================
where                                          how it gets the settings
=============================================  ================================================
the course root's ``nbgrader_config.py``       :func:`configure` (trainer's ``nbgrader ...``,
(solutions/ as source, exercises/ as release)  the formgrader on the checkout)
the self-test and ``osintlab release``         :func:`config` / :func:`api` on a scratch course
(:mod:`osintlab.trainer.autograde`)
the cohort grader ``osintlab grade``           :func:`config` with ``robust=True``: the same
(:mod:`osintlab.trainer.cohort`)               settings plus the robust preprocessors
the cohort course the formgrader opens         :func:`write_course_config` renders the settings
(``DIR/course/nbgrader_config.py``,            as plain literals, so the file loads wherever
see docs/deploy.md)                            nbgrader runs
=============================================  ================================================

So a solution accepted by ``osintlab check`` within :data:`TIMEOUT` seconds per cell gets the
same time in ``osintlab grade``, and a warning a library prints on stderr is dropped
(:data:`IGNORE_PATTERN`) wherever the notebook is autograded.

    >>> s = settings()
    >>> s["Execute"]["timeout"] == TIMEOUT, s["IgnorePattern"]["enabled"]
    (True, True)
    >>> "c.OverwriteCells.add_missing_cells = True" in course_config_text()
    True
"""

from __future__ import annotations

import contextlib
import logging
import os
import warnings
from pathlib import Path

__all__ = [
    "COURSE_ID",
    "TIMEOUT",
    "IGNORE_PATTERN",
    "TRAINEE_OUTPUTS",
    "settings",
    "configure",
    "config",
    "api",
    "quiet",
    "course_root",
    "exchange_inbound",
    "course_config_text",
    "write_course_config",
]

COURSE_ID = "osintlab"

#: Seconds per cell. The heaviest graded cell (training the ad classifier in module 07, tracing
#: the ledger in 06) takes a few seconds on 2 cores; 120 s leaves room on a slow laptop while
#: still stopping an infinite loop long before a cohort's grading stalls.
TIMEOUT = 120

#: nbgrader scores any stderr output in a test cell as 0. Our tests write nothing to stderr, but
#: third-party libraries sometimes warn; these lines are dropped during autograde so a warning
#: from a dependency never costs a trainee their marks.
IGNORE_PATTERN = r"(Warning|warn\(|FutureWarning|DeprecationWarning|it/s\]|\d+%\|)"

#: Folders a trainee's work writes next to the notebook (evidence packages, exports, saved
#: requests). They are never part of a released exercise or a course bundle.
TRAINEE_OUTPUTS = ("evidence", "output", "my-requests")

CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"


def settings(timeout: int = TIMEOUT) -> dict[str, dict[str, object]]:
    """The course's grading settings as ``{section: {trait: value}}`` (plain data)."""
    return {
        "CourseDirectory": {"course_id": COURSE_ID},
        # Keep kernels quiet about history and stop a cell that runs too long.
        "Execute": {
            "timeout": int(timeout),
            "interrupt_on_timeout": True,
            "extra_arguments": ["--HistoryManager.hist_file=:memory:"],
        },
        # A trainee who deletes a test cell or strips its metadata must not escape grading:
        # nbgrader re-inserts the cell from the gradebook and grades it.
        "OverwriteCells": {"add_missing_cells": True},
        "IgnorePattern": {"enabled": True, "pattern": IGNORE_PATTERN},
        "ClearSolutions": {"code_stub": {"python": CODE_STUB}},
    }


def configure(c, *, timeout: int = TIMEOUT):
    """Apply :func:`settings` to a traitlets config ``c`` (the ``c = get_config()`` of an
    ``nbgrader_config.py``) and return it."""
    for section, values in settings(timeout).items():
        for trait, value in values.items():
            setattr(getattr(c, section), trait, value)
    return c


#: Wall-clock seconds for one whole notebook (the trainee's cells), on top of :data:`TIMEOUT`
#: per cell: a notebook of many slow cells cannot stall a cohort's grading. The environment
#: variable ``OSINTLAB_NOTEBOOK_BUDGET`` overrides it (seconds).
NOTEBOOK_BUDGET = 900


def notebook_budget() -> int:
    """:data:`NOTEBOOK_BUDGET`, or ``$OSINTLAB_NOTEBOOK_BUDGET`` when set."""
    try:
        return max(1, int(os.environ.get("OSINTLAB_NOTEBOOK_BUDGET", NOTEBOOK_BUDGET)))
    except ValueError:
        return NOTEBOOK_BUDGET


def config(
    root: Path,
    *,
    timeout: int = TIMEOUT,
    robust: bool = False,
    exchange: Path | None = None,
    isolated: bool = True,
    budget: int | None = None,
):
    """An nbgrader config for a scratch or cohort course at ``root`` (``source/``,
    ``release/``, ``gradebook.db`` inside it).

    ``robust=True`` (the cohort grader) autogrades with :mod:`osintlab.trainer.preprocessors`:
    a dead kernel or a swallowed interrupt does not stop a submission, huge outputs are trimmed.
    ``isolated=True`` (the default, also for the self-test) executes with
    :class:`~osintlab.trainer.preprocessors.IsolatedExecute`: the trainee's cells in a
    sandboxed kernel, the test cells in a fresh fork of a process that ran only the setup
    cells (:mod:`osintlab.trainer.checks_process`) and receives only the answers.
    """
    from traitlets.config import Config

    root = Path(root)
    c = Config()
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.source_directory = "source"
    c.CourseDirectory.release_directory = "release"
    c.CourseDirectory.db_url = f"sqlite:///{(root / 'gradebook.db').as_posix()}"
    configure(c, timeout=timeout)
    if isolated:
        c.IsolatedExecute.timeout = int(timeout)
        c.IsolatedExecute.budget = int(budget or notebook_budget())
    if robust or isolated:
        from nbconvert.preprocessors import ClearMetadataPreprocessor
        from nbgrader.preprocessors import (
            AssignLatePenalties,
            CheckCellMetadata,
            IgnorePattern,
            LimitOutput,
            SaveAutoGrades,
        )

        from .preprocessors import IsolatedExecute, RobustExecute, TrimOutputs

        c.Autograde.autograde_preprocessors = [
            IsolatedExecute if isolated else RobustExecute,
            IgnorePattern,
            ClearMetadataPreprocessor,
            LimitOutput,
            TrimOutputs,
            SaveAutoGrades,
            AssignLatePenalties,
            CheckCellMetadata,
        ]
        c.ExecutePreprocessor.startup_timeout = 120
        c.LimitOutput.max_lines = 300
        c.LimitOutput.max_traceback = 60
    if exchange is not None:
        c.Exchange.root = str(exchange)
    return c


def api(
    root: Path,
    *,
    timeout: int = TIMEOUT,
    robust: bool = False,
    exchange: Path | None = None,
    isolated: bool = True,
):
    """nbgrader's ``NbGraderAPI`` on the course at ``root`` with :func:`config`."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    cfg = config(root, timeout=timeout, robust=robust, exchange=exchange, isolated=isolated)
    return NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)


@contextlib.contextmanager
def quiet():
    """Silence nbgrader's INFO logging and its known warnings (keeps trainer output readable)."""
    loggers = [logging.getLogger(n) for n in ("traitlets", "nbgrader", "")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", module="nbgrader.*")
            warnings.filterwarnings("ignore", message=".*not in session.*")
            yield
    finally:
        for lg, lvl in zip(loggers, levels):
            lg.setLevel(lvl)


def course_root() -> Path:
    """The checkout holding ``nbgrader_config.py`` (current folder or a parent, else the repo
    this package was installed from)."""
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "nbgrader_config.py").is_file() and (folder / "solutions").is_dir():
            return folder
    repo = Path(__file__).resolve().parents[3]
    if (repo / "nbgrader_config.py").is_file():
        return repo
    raise FileNotFoundError(
        "cannot find the course folder (one with nbgrader_config.py and "
        "solutions/); run this inside your checkout of OSINT Lab"
    )


def exchange_inbound(source: Path, course_id: str = COURSE_ID) -> Path | None:
    """The inbound folder if ``source`` is an nbgrader exchange (root, course or inbound)."""
    source = Path(source)
    for cand in (source, source / "inbound", source / course_id / "inbound"):
        if cand.name == "inbound" and cand.is_dir():
            return cand
    return None


def course_config_text(timeout: int = TIMEOUT) -> str:
    """The ``nbgrader_config.py`` of a cohort course (``osintlab grade``'s ``DIR/course``),
    with :func:`settings` written out as literals: the formgrader and a plain
    ``nbgrader autograde`` there grade exactly as ``osintlab grade`` does (except for the
    robust preprocessors, which need this package)."""
    lines = [
        '"""nbgrader course written by `osintlab grade` (open the formgrader from this folder).',
        "",
        "Generated from osintlab.trainer.nbgrader.settings(); edit that, not this file.",
        '"""',
        "from pathlib import Path",
        "",
        "c = get_config()  # noqa: F821",
        "c.CourseDirectory.root = str(Path(__file__).resolve().parent)",
        'c.CourseDirectory.source_directory = "source"',
        'c.CourseDirectory.release_directory = "release"',
    ]
    for section, values in settings(timeout).items():
        for trait, value in values.items():
            lines.append(f"c.{section}.{trait} = {value!r}")
    return "\n".join(lines) + "\n"


def write_course_config(course: Path, timeout: int = TIMEOUT) -> Path:
    """Write :func:`course_config_text` as ``course/nbgrader_config.py``; return its path."""
    target = Path(course) / "nbgrader_config.py"
    target.write_text(course_config_text(timeout), encoding="utf-8")
    return target
