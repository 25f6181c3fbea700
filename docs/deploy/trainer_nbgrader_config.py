"""The trainer's ~/.jupyter/nbgrader_config.py: where the course checkout lives, so the
formgrader finds it (the checkout's own nbgrader_config.py is loaded after this file)."""
from pathlib import Path

c = get_config()  # noqa: F821
c.CourseDirectory.root = str(Path.home() / "osintlab")
