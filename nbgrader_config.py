"""nbgrader configuration for OSINT Lab.

solutions/ is nbgrader's *source* (masters with solutions and hidden tests); exercises/ is its
*release* (what trainees get). Regenerate exercises/ with `osintlab release`, never by hand.
The course root is the folder that holds this file, so nbgrader finds it from any sub-folder.
"""
import os
from pathlib import Path

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.root = str(Path(__file__).resolve().parent)
c.CourseDirectory.course_id = "osintlab"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"

# The heaviest graded cell (training the ad classifier in module 07, tracing the ledger in 06)
# takes a few seconds on 2 cores; 120 s leaves room on a slow laptop while still stopping an
# infinite loop long before a cohort's grading stalls.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True

# A trainee who deletes a test cell or strips its metadata must not escape grading: nbgrader
# re-inserts the cell from the gradebook and grades it.
c.OverwriteCells.add_missing_cells = True

# nbgrader scores any stderr output in a test cell as 0. Our tests write nothing to stderr, but
# third-party libraries sometimes warn; drop such lines during autograde so a warning from a
# dependency never costs a trainee their marks.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"(Warning|warn\(|FutureWarning|DeprecationWarning|it/s\]|\d+%\|)"

# Keep kernels quiet about history and keep grading deterministic.
c.Execute.extra_arguments = ["--HistoryManager.hist_file=:memory:"]

# On a shared JupyterHub, point the exchange at the shared folder (see docs/deploy.md).
if os.environ.get("OSINTLAB_EXCHANGE"):
    c.Exchange.root = os.environ["OSINTLAB_EXCHANGE"]
