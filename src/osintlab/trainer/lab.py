"""JupyterLab for an offline classroom: no news, no update check, no extension manager, and
nbgrader's authoring and grading panels only for trainers.

What a trainer does -> which function:

    open the course for trainees (``osintlab lab``)      -> classroom_env(write_lab_config(d))
    open it with nbgrader's trainer panels (``--trainer``) -> write_lab_config(d, trainer=True)
    give a JupyterHub's servers the same settings          -> ``python -m osintlab.trainer.lab DIR``
    see what a trainee's JupyterLab switches off           -> disabled_plugins()
    run the server, and stop it when stopped oneself        -> run_server(cmd, cwd, env)

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
import signal
import subprocess
import sys
import time
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


class _Stopped(Exception):
    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


#: The signals that stop ``osintlab lab`` (and with it the server it started).
STOP_SIGNALS = tuple(
    getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n)
)


def run_server(cmd: list[str], cwd=None, env=None, *, grace: float = 10.0) -> int:
    """Run ``cmd`` (JupyterLab) in a process group of its own and wait for it; when this
    process is stopped (Ctrl+C, SIGTERM, SIGHUP: a closed terminal) or fails, stop the whole
    group: terminate, wait up to ``grace`` seconds, then kill. Returns the server's exit
    code, 0 after Ctrl+C, or 128 + the signal's number.

    >>> run_server([sys.executable, "-c", "raise SystemExit(3)"])
    3
    """
    posix = os.name == "posix"
    extra = (
        {"start_new_session": True}
        if posix
        else {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
    )
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, **extra)

    def on_signal(signum, frame):
        raise _Stopped(signum)

    previous = {}
    for sig in STOP_SIGNALS:
        try:
            previous[sig] = signal.signal(sig, on_signal)
        except (ValueError, OSError):  # not the main thread: nothing to catch
            pass
    try:
        return proc.wait()
    except KeyboardInterrupt:
        return 0
    except _Stopped as stop:
        return 0 if stop.signum == signal.SIGINT else 128 + stop.signum
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        stop_group(proc, grace)


def stop_group(proc: subprocess.Popen, grace: float = 10.0) -> None:
    """Stop ``proc`` and every process of its group (started with ``start_new_session``):
    SIGTERM, up to ``grace`` seconds for a clean shutdown, then SIGKILL for what is left."""
    if os.name != "posix":
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        return
    pgid = proc.pid

    def send(sig) -> bool:
        try:
            os.killpg(pgid, sig)
            return True
        except (ProcessLookupError, PermissionError):
            return False

    if proc.poll() is None or send(0):
        send(signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if proc.poll() is not None and not send(0):
                break
            time.sleep(0.1)
        send(signal.SIGKILL)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


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
