"""nbgrader configuration for OSINT Lab.

solutions/ is nbgrader's *source* (masters with solutions and hidden tests); exercises/ is its
*release* (what trainees get). Regenerate exercises/ with `osintlab release`, never by hand.
The course root is the folder that holds this file, so nbgrader finds it from any sub-folder.

The grading settings (time per cell, the stderr ignore pattern, re-inserting deleted test
cells, ...) are the course's one configuration in src/osintlab/trainer/nbgrader.py, shared with
`osintlab check` and `osintlab grade`; change them there.
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)
ROOT = Path(__file__).resolve().parent

try:
    from osintlab.trainer.nbgrader import configure
except ImportError:  # a checkout used before `pip install -e .`
    sys.path.insert(0, str(ROOT / "src"))
    from osintlab.trainer.nbgrader import configure

configure(c)
c.CourseDirectory.root = str(ROOT)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"

# On a shared JupyterHub, point the exchange at the shared folder (see docs/deploy.md).
if os.environ.get("OSINTLAB_EXCHANGE"):
    c.Exchange.root = os.environ["OSINTLAB_EXCHANGE"]
