"""nbgrader settings shared by everyone on the hub: install as /etc/jupyter/nbgrader_config.py
(TLJH: /opt/tljh/user/etc/jupyter/nbgrader_config.py). See docs/deploy.md."""

import os

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "osintlab"
c.Exchange.root = os.environ.get("OSINTLAB_EXCHANGE", "/srv/nbgrader/exchange")
