"""Smoke test of the workshop deployment (docs/deploy/jupyterhub_config.py, docs/deploy.md).

Starts a real JupyterHub on loopback with one trainer and two trainee accounts and runs the
nbgrader exchange flow through their single-user servers: the trainer releases a module with
the formgrader's API; each trainee fetches it, edits it through the contents API and submits it
through the Assignments extension; the trainer grades the exchange inbox with `osintlab grade
--release-feedback`; the trainees fetch their feedback. Only the spawner differs from the
deployed file (local processes as the current user, homes in a temp folder, instead of one
Linux account per trainee).

With OSINTLAB_HUB_PREFIX set to a classroom server installed from a workshop bundle
(`install.py --server --prefix P`), the same test runs the hub, the single-user servers, the
hub configuration and `osintlab grade` from that install instead of this checkout
(tests/test_bundle.py does this with no network).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import nbformat
import pytest

from cohort_fixture import GOOD_91, HIDDEN_MARK, M1, answer, make_course, released
from osintlab.trainer.lab import stop_group

ROOT = Path(__file__).resolve().parents[1]
PREFIX = os.environ.get("OSINTLAB_HUB_PREFIX")
HUB_BIN = Path(PREFIX) / ".venv" / "bin" if PREFIX else None
HUB_PY = str(HUB_BIN / "python") if PREFIX else sys.executable
DEPLOY = Path(PREFIX) / "deploy" if PREFIX else ROOT / "docs" / "deploy"
COURSE_FILES = Path(PREFIX) if PREFIX else ROOT
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("hub")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _need(cmd: str):
    path = os.pathsep.join(filter(None, [str(HUB_BIN or ""), os.environ.get("PATH", "")]))
    if shutil.which(cmd, path=path) is None:
        pytest.skip(f"{cmd} not installed (.ci/run installs it)")


class Hub:
    def __init__(self, base: str, token: str):
        self.base, self.token = base, token

    def call(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        data=None,
        form: dict | None = None,
        timeout: float = 120,
    ):
        body, headers = None, {"Authorization": f"token {token or self.token}"}
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif data is not None:
            body = json.dumps(data).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
            return json.loads(raw) if raw.strip().startswith((b"{", b"[")) else raw

    def start_server(self, user: str) -> str:
        try:
            self.call("POST", f"/hub/api/users/{user}", data={})
        except urllib.error.HTTPError as exc:
            if exc.code != 409:  # 409: allowed users already exist
                raise
        try:
            self.call("POST", f"/hub/api/users/{user}/server", data={})
        except urllib.error.HTTPError as exc:
            if exc.code not in (201, 202, 400):
                raise
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            info = self.call("GET", f"/hub/api/users/{user}")
            if info.get("servers", {}).get("", {}).get("ready"):
                break
            time.sleep(1)
        else:
            raise AssertionError(f"server of {user} did not start")
        token = self.call(
            "POST", f"/hub/api/users/{user}/tokens", data={"note": "smoke test", "expires_in": 3600}
        )["token"]
        return token


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    _need("configurable-http-proxy")
    _need("jupyterhub")
    tmp = tmp_path_factory.mktemp("hub")
    exchange = tmp / "exchange"
    exchange.mkdir()
    exchange.chmod(0o1777)
    etc = tmp / "etc-jupyter"
    etc.mkdir()
    shutil.copy(DEPLOY / "nbgrader_global.py", etc / "nbgrader_config.py")
    with (etc / "nbgrader_config.py").open("a") as fh:
        # test-only: every server runs under this test's uid, so name trainees explicitly
        # (on a real hub each trainee is a Linux user, or 'jovyan' + JUPYTERHUB_USER)
        fh.write(
            "\nif os.environ.get('JUPYTERHUB_USER') not in (None, 'trainer'):\n"
            "    c.CourseDirectory.student_id = os.environ['JUPYTERHUB_USER']\n"
        )
    homes = tmp / "home"
    # the trainer's checkout of the course (here: the drill course) and nbgrader config
    course = homes / "trainer" / "osintlab"
    make_course(course)
    shutil.copy(COURSE_FILES / "nbgrader_config.py", course / "nbgrader_config.py")
    released(course, M1)  # exercises/91-drill, as committed
    (homes / "trainer" / ".jupyter").mkdir(parents=True)
    shutil.copy(
        DEPLOY / "trainer_nbgrader_config.py", homes / "trainer" / ".jupyter" / "nbgrader_config.py"
    )
    for u in ("alice", "bob"):
        (homes / u).mkdir(parents=True)
    (tmp / "pw").write_text("workshop-" + secrets.token_hex(4))
    (tmp / "adminpw").write_text(secrets.token_hex(20))
    port, token = _free_port(), secrets.token_hex(16)
    cfg = tmp / "jupyterhub_config.py"
    cfg.write_text(f"""
load_subconfig({str(DEPLOY / "jupyterhub_config.py")!r})
# -- test-only: local processes as this user, homes under a temp folder, loopback ports
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(homes)!r} + "/{{username}}"
c.Spawner.args = {["--allow-root"] if os.geteuid() == 0 else []!r}
c.Spawner.environment.update({{
    "JUPYTER_CONFIG_PATH": {str(etc)!r},
    "OSINTLAB_DATA": {str(course / "datasets")!r},
}})
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {_free_port()}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{_free_port()}"
c.JupyterHub.db_url = "sqlite:///{tmp}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{tmp}/cookie_secret"
c.JupyterHub.pid_file = "{tmp}/hub.pid"
c.ConfigurableHTTPProxy.pid_file = "{tmp}/proxy.pid"
c.JupyterHub.services = [{{"name": "smoke", "api_token": {token!r}}}]
c.JupyterHub.load_roles = [{{"name": "smoke", "services": ["smoke"],
    "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "list:users"]}}]
""")
    env = dict(
        os.environ,
        OSINTLAB_HUB_URL=f"http://127.0.0.1:{port}",
        OSINTLAB_TRAINERS="trainer",
        OSINTLAB_TRAINEES="alice,bob",
        OSINTLAB_PASSWORD_FILE=str(tmp / "pw"),
        OSINTLAB_ADMIN_PASSWORD_FILE=str(tmp / "adminpw"),
        OSINTLAB_EXCHANGE=str(exchange),
        OSINTLAB_MEM_LIMIT="2G",
        OSINTLAB_DATA=str(course / "datasets"),
        PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    )
    if PREFIX:  # everything from the installed bundle, nothing from this checkout
        env.pop("PYTHONPATH")
        env["PATH"] = os.pathsep.join([str(HUB_BIN), env.get("PATH", "")])
    log = (tmp / "hub.log").open("w")
    proc = subprocess.Popen(
        [HUB_PY, "-m", "jupyterhub", "-f", str(cfg)],
        cwd=tmp,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    h = Hub(f"http://127.0.0.1:{port}", token)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                h.call("GET", "/hub/api/", timeout=5)
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    raise AssertionError(
                        "hub did not start:\n" + (tmp / "hub.log").read_text()[-3000:]
                    ) from None
                time.sleep(1)
        yield {
            "hub": h,
            "tmp": tmp,
            "exchange": exchange,
            "course": course,
            "homes": homes,
            "env": env,
        }
    finally:
        stop_group(proc, 30)  # the hub, its proxy and spawned servers in its process group
        log.close()
        for pidfile in (tmp / "proxy.pid",):
            if pidfile.exists():
                try:
                    os.kill(int(pidfile.read_text()), 15)
                except (ValueError, ProcessLookupError):
                    pass


def test_login_page_and_workshop_password(hub):
    h = hub["hub"]
    page = urllib.request.urlopen(h.base + "/hub/login", timeout=30).read().decode()
    assert "password" in page.lower()


def test_exchange_flow_through_single_user_servers(hub):
    h, exchange, homes = hub["hub"], hub["exchange"], hub["homes"]
    tokens = {u: h.start_server(u) for u in ("trainer", "alice", "bob")}
    # trainer: the formgrader sees the course and releases the module to the exchange
    listed = h.call("GET", "/user/trainer/formgrader/api/assignments", token=tokens["trainer"])
    assert M1 in json.dumps(listed)
    res = h.call(
        "POST", f"/user/trainer/formgrader/api/assignment/{M1}/release", token=tokens["trainer"]
    )
    assert res["success"], res
    assert (exchange / "osintlab" / "outbound" / M1 / f"{M1}.ipynb").is_file()
    # trainees: Assignments extension lists it, fetch, work, submit
    for user in ("alice", "bob"):
        t = tokens[user]
        listing = h.call("GET", f"/user/{user}/assignments?course_id=osintlab", token=t)
        assert any(
            a["assignment_id"] == M1 and a["status"] == "released" for a in listing["value"]
        ), listing
        h.call(
            "POST",
            f"/user/{user}/assignments/fetch",
            token=t,
            form={"course_id": "osintlab", "assignment_id": M1},
        )
        path = f"{M1}/{M1}.ipynb"
        model = h.call("GET", f"/user/{user}/api/contents/{path}", token=t)
        nb = nbformat.from_dict(model["content"])
        assert HIDDEN_MARK not in json.dumps(model["content"])
        if user == "alice":
            nb = answer(nb, GOOD_91)
        h.call(
            "PUT",
            f"/user/{user}/api/contents/{path}",
            token=t,
            data={"type": "notebook", "format": "json", "content": nb},
        )
        out = h.call(
            "POST",
            f"/user/{user}/assignments/submit",
            token=t,
            form={"course_id": "osintlab", "assignment_id": M1},
        )
        assert out["success"], out
    inbound = sorted(p.name.split("+")[0] for p in (exchange / "osintlab" / "inbound").iterdir())
    assert inbound == ["alice", "bob"]
    # trainer: grade the inbox, release feedback (the command a trainer types in a terminal)
    grading = homes / "trainer" / "grading"
    run = subprocess.run(
        [
            HUB_PY,
            "-m",
            "osintlab",
            "grade",
            str(exchange),
            "--out",
            str(grading),
            "--release-feedback",
            "--quiet",
            "--timeout",
            "60",
        ],
        cwd=hub["course"],
        env=hub["env"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    grades = (grading / "grades.csv").read_text()
    assert f"alice,{M1},7,8" in grades and f"bob,{M1},0,8" in grades
    # trainees: fetch feedback through their servers
    for user in ("alice", "bob"):
        h.call(
            "POST",
            f"/user/{user}/assignments/fetch_feedback",
            token=tokens[user],
            form={"course_id": "osintlab", "assignment_id": M1},
        )
        pages = list((homes / user / M1 / "feedback").rglob("*.html"))
        assert len(pages) == 1, (user, pages)
        text = pages[0].read_text(encoding="utf-8")
        assert f"Feedback: {M1} ({user})" in text and HIDDEN_MARK not in text
