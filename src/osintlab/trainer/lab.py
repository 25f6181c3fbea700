"""JupyterLab for an offline classroom: no news, no update check, no extension manager, and
nbgrader's authoring and grading panels only for trainers.

What a trainer does -> which function:

    open the course for trainees (``osintlab lab``)      -> classroom_env(write_lab_config(d))
    open it with nbgrader's trainer panels (``--trainer``) -> write_lab_config(d, trainer=True)
    give a JupyterHub's servers the same settings          -> ``python -m osintlab.trainer.lab DIR``
    see what a trainee's JupyterLab switches off           -> disabled_plugins()

The settings are an ordinary Jupyter configuration folder that JupyterLab finds through
``JUPYTER_CONFIG_PATH``:

    DIR/jupyter_server_config.json   server side: no news feed, no update check, a read-only
                                     extension manager, (trainees) no formgrader / course list
    DIR/labconfig/page_config.json   front-end plugins switched off (``disabledExtensions``)
    DIR/lab-settings/overrides.json  default settings: never ask about news, never check
                                     for updates (JupyterLab's ``app_settings_dir``)

A trainee can still change the notification settings in *Settings*; nothing here fetches
anything from the network.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

#: Default user settings: the news question ("get notified about official Jupyter news?")
#: is only asked while ``fetchNews`` is "none".
OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}
}
#: Switched off for everyone: it searches PyPI, which a classroom cannot reach.
OFFLINE_PLUGINS = ("@jupyterlab/extensionmanager-extension:plugin",)
#: nbgrader's trainer tools: the Create Assignment panel, the formgrader, the course list.
#: Trainees keep the Assignments list (fetch, submit, feedback) and the Validate button.
TRAINER_PLUGINS = (
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:course-list",
)
TRAINER_SERVER_EXTENSIONS = (
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.course_list",
)


def disabled_plugins(*, trainer: bool = False) -> list[str]:
    """The JupyterLab plugins switched off for a trainee (or a trainer).

    >>> "@jupyter/nbgrader:create-assignment" in disabled_plugins()
    True
    >>> disabled_plugins(trainer=True)
    ['@jupyterlab/extensionmanager-extension:plugin']
    """
    return list(OFFLINE_PLUGINS) + ([] if trainer else list(TRAINER_PLUGINS))


def write_lab_config(folder, *, trainer: bool = False) -> Path:
    """Write the classroom configuration into ``folder`` (created if missing) and return it.

    >>> import tempfile
    >>> d = write_lab_config(tempfile.mkdtemp())
    >>> sorted(p.relative_to(d).as_posix() for p in d.rglob("*.json"))
    ['jupyter_server_config.json', 'lab-settings/overrides.json', 'labconfig/page_config.json']
    """
    folder = Path(folder).resolve()
    settings = folder / "lab-settings"
    server = {
        "LabApp": {
            "app_settings_dir": str(settings),
            "news_url": None,
            "check_for_updates_class": "jupyterlab.NeverCheckForUpdate",
            "extension_manager": "readonly",
        }
    }
    if not trainer:
        server["ServerApp"] = {
            "jpserver_extensions": dict.fromkeys(TRAINER_SERVER_EXTENSIONS, False)
        }
    page = {"disabledExtensions": dict.fromkeys(disabled_plugins(trainer=trainer), True)}
    for path, data in (
        (folder / "jupyter_server_config.json", server),
        (folder / "labconfig" / "page_config.json", page),
        (settings / "overrides.json", OVERRIDES),
    ):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return folder


def classroom_env(config_folder, env=None) -> dict:
    """A copy of ``env`` (default: this process's) in which Jupyter also reads
    ``config_folder``, ahead of the installation's own configuration.

    >>> classroom_env("/tmp/lab", {"JUPYTER_CONFIG_PATH": "/etc/x"})["JUPYTER_CONFIG_PATH"] \\
    ...     == os.pathsep.join([str(Path("/tmp/lab")), "/etc/x"])
    True
    """
    env = dict(os.environ if env is None else env)
    paths = [str(Path(config_folder))] + [
        p for p in env.get("JUPYTER_CONFIG_PATH", "").split(os.pathsep) if p
    ]
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(paths)
    return env


def main(argv: list[str] | None = None) -> int:
    """``python -m osintlab.trainer.lab DIR``: write ``DIR/trainee`` and ``DIR/trainer`` for a
    JupyterHub (see docs/deploy.md)."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m osintlab.trainer.lab DIR", file=sys.stderr)
        return 2
    for role in ("trainee", "trainer"):
        print(write_lab_config(Path(args[0]) / role, trainer=role == "trainer"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
