"""The trainer's ~/.jupyter/nbgrader_config.py: where the course checkout lives, so the
formgrader finds it (the checkout's own nbgrader_config.py is loaded after this file).

Only the course root belongs here. The grading settings (time per cell, the stderr ignore
pattern, re-inserting deleted test cells) come from the course's own nbgrader_config.py: the
checkout's, or the one `osintlab grade` writes into DIR/course. Both are built from
osintlab.trainer.nbgrader, the same settings `osintlab check` and `osintlab grade` use."""

from pathlib import Path

c = get_config()  # noqa: F821
c.CourseDirectory.root = str(Path.home() / "osintlab")
