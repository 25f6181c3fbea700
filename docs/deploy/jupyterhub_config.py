"""JupyterHub for an OSINT Lab workshop: one trainer, many trainees, nbgrader's shared exchange.

Tested by tests/test_hub.py (JupyterHub 6, configurable-http-proxy, nbgrader 0.9.6): the
trainer releases a module through the formgrader, two trainees fetch and submit it through
their own single-user servers, `osintlab grade` grades the exchange inbox and releases the
feedback, and the trainees fetch it. See docs/deploy.md.

Settings come from environment variables so the same file serves a VM, TLJH and the test:

    OSINTLAB_TRAINERS         comma-separated trainer user names (admins)      default: trainer
    OSINTLAB_TRAINEES         comma-separated allowed trainee names; empty = anyone with the
                              workshop password
    OSINTLAB_PASSWORD_FILE    file holding the trainees' shared workshop password (>= 8 chars)
    OSINTLAB_ADMIN_PASSWORD_FILE  file holding the trainers' password (>= 32 chars)
    OSINTLAB_EXCHANGE         nbgrader exchange folder                 default: /srv/nbgrader/exchange
    OSINTLAB_HUB_URL          URL the hub listens on (standalone hub; JupyterHub's default is
                              http://:8000; leave unset on TLJH, whose proxy owns the ports)
    OSINTLAB_MEM_LIMIT, OSINTLAB_CPU_LIMIT   per-trainee limits (standalone; on TLJH use
                              `tljh-config set limits.memory 2G` instead)
    OSINTLAB_CULL_IDLE=1      stop servers idle for an hour (standalone hub, needs
                              jupyterhub-idle-culler; TLJH runs its own culler)
    OSINTLAB_LAB_CONFIG       folder written by `python -m osintlab.trainer.lab DIR` (holds
                              trainee/ and trainer/): JupyterLab without news, update check or
                              extension manager, and nbgrader's trainer panels for trainers only
                              default: /srv/osintlab/lab-config (skipped if it does not exist)
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821


def _read(env: str) -> str:
    path = os.environ.get(env)
    return Path(path).read_text(encoding="utf-8").strip() if path else ""


trainers = {
    u.strip() for u in os.environ.get("OSINTLAB_TRAINERS", "trainer").split(",") if u.strip()
}
trainees = {u.strip() for u in os.environ.get("OSINTLAB_TRAINEES", "").split(",") if u.strip()}

if os.environ.get("OSINTLAB_HUB_URL"):
    c.JupyterHub.bind_url = os.environ["OSINTLAB_HUB_URL"]

# -- Who can log in ---------------------------------------------------------------------------
# One workshop password for trainees, a long separate one for trainers (JupyterHub >= 5).
# For a longer course use NativeAuthenticator or your organisation's OAuth / LDAP instead.
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = _read("OSINTLAB_PASSWORD_FILE")
c.SharedPasswordAuthenticator.admin_password = _read("OSINTLAB_ADMIN_PASSWORD_FILE")
c.Authenticator.admin_users = trainers
if trainees:
    c.Authenticator.allowed_users = trainees | trainers
else:
    c.Authenticator.allow_all = True  # JupyterHub >= 5 refuses everyone otherwise

# -- Single-user servers ----------------------------------------------------------------------
# JupyterLab opens on the course; the shared exchange is announced to nbgrader in every
# server (nbgrader also reads /etc/jupyter/nbgrader_config.py, see docs/deploy/nbgrader_global.py).
c.Spawner.default_url = "/lab"
c.Spawner.environment.update(
    {
        "OSINTLAB_EXCHANGE": os.environ.get("OSINTLAB_EXCHANGE", "/srv/nbgrader/exchange"),
    }
)
# Classroom JupyterLab, as `osintlab lab` opens it: trainees get no news or update pop-up, no
# extension manager, and no Create Assignment / formgrader / course list; trainers keep them.
lab_config = Path(os.environ.get("OSINTLAB_LAB_CONFIG", "/srv/osintlab/lab-config"))


def _classroom_lab(spawner):
    role = "trainer" if spawner.user.name in trainers else "trainee"
    folder = lab_config / role
    if (folder / "jupyter_server_config.json").is_file():
        paths = [str(folder), spawner.environment.get("JUPYTER_CONFIG_PATH", "")]
        spawner.environment = {
            **spawner.environment,
            "JUPYTER_CONFIG_PATH": os.pathsep.join(p for p in paths if p),
        }


c.Spawner.pre_spawn_hook = _classroom_lab
# Workshop limits (enforced by spawners that support them, e.g. TLJH's SystemdSpawner).
if os.environ.get("OSINTLAB_MEM_LIMIT"):
    c.Spawner.mem_limit = os.environ["OSINTLAB_MEM_LIMIT"]
if os.environ.get("OSINTLAB_CPU_LIMIT"):
    c.Spawner.cpu_limit = float(os.environ["OSINTLAB_CPU_LIMIT"])
# Free the machine when a trainee walks away (needs `pip install jupyterhub-idle-culler`):
if os.environ.get("OSINTLAB_CULL_IDLE") == "1":
    try:
        import jupyterhub_idle_culler  # noqa: F401
    except ImportError:
        pass
    else:
        c.JupyterHub.load_roles = [
            {
                "name": "idle-culler",
                "services": ["idle-culler"],
                "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
            }
        ]
        c.JupyterHub.services = [
            {
                "name": "idle-culler",
                "command": ["python3", "-m", "jupyterhub_idle_culler", "--timeout=3600"],
            }
        ]

# The formgrader runs inside the trainer's own server. JupyterHub >= 4.1 forbids framing it in
# JupyterLab's tab (Content-Security-Policy frame-ancestors 'none'; nbgrader #1870): trainers
# open https://HUB/user/<trainer>/formgrader in a browser tab of its own.
