"""The classroom JupyterLab configuration (osintlab.trainer.lab): what `osintlab lab` and the
workshop JupyterHub give trainees and trainers. The browser tests check the result in Chromium."""

import json
import os
import types
from pathlib import Path

from traitlets.config import Config

from osintlab import cli
from osintlab.trainer import lab
from osintlab.trainer.lab import TRAINER_PLUGINS, main, write_lab_config

ROOT = Path(__file__).resolve().parents[1]


def _read(folder: Path) -> dict:
    return {
        p.relative_to(folder).as_posix(): json.loads(p.read_text(encoding="utf-8"))
        for p in folder.rglob("*.json")
    }


def test_trainee_config_switches_off_news_updates_and_trainer_tools(tmp_path):
    files = _read(write_lab_config(tmp_path))
    lab = files["jupyter_server_config.json"]["LabApp"]
    assert lab["news_url"] is None and lab["extension_manager"] == "readonly"
    assert lab["check_for_updates_class"] == "jupyterlab.NeverCheckForUpdate"
    assert Path(lab["app_settings_dir"]) == (tmp_path / "lab-settings").resolve()
    note = files["lab-settings/overrides.json"]["@jupyterlab/apputils-extension:notification"]
    assert note == {"fetchNews": "false", "checkForUpdates": False}
    disabled = files["labconfig/page_config.json"]["disabledExtensions"]
    assert set(TRAINER_PLUGINS) <= {k for k, v in disabled.items() if v}
    assert "@jupyter/nbgrader:assignment-list" not in disabled  # trainees fetch and submit
    server = files["jupyter_server_config.json"]["ServerApp"]["jpserver_extensions"]
    assert server == {
        "nbgrader.server_extensions.formgrader": False,
        "nbgrader.server_extensions.course_list": False,
    }


def test_trainer_config_keeps_nbgrader(tmp_path):
    files = _read(write_lab_config(tmp_path, trainer=True))
    assert "ServerApp" not in files["jupyter_server_config.json"]
    assert not set(TRAINER_PLUGINS) & set(files["labconfig/page_config.json"]["disabledExtensions"])
    assert files["jupyter_server_config.json"]["LabApp"]["news_url"] is None


def test_osintlab_lab_points_jupyter_at_the_classroom_config(monkeypatch):
    seen = {}

    def call(cmd, cwd, env):
        folder = Path(env["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0])
        seen[len(seen)] = _read(folder)
        return 0

    monkeypatch.setattr(lab, "run_server", call)
    monkeypatch.chdir(ROOT)
    assert cli.main(["lab", "--no-browser"]) == 0
    assert cli.main(["lab", "--no-browser", "--trainer"]) == 0
    trainee, trainer = seen[0], seen[1]
    assert "ServerApp" in trainee["jupyter_server_config.json"]
    assert "ServerApp" not in trainer["jupyter_server_config.json"]


def test_hub_gives_trainees_and_trainers_their_config(tmp_path, monkeypatch, capsys):
    assert main([str(tmp_path)]) == 0
    monkeypatch.setenv("OSINTLAB_LAB_CONFIG", str(tmp_path))
    monkeypatch.setenv("OSINTLAB_TRAINERS", "trainer")
    c = Config()
    exec(
        compile(
            (ROOT / "docs" / "deploy" / "jupyterhub_config.py").read_text(),
            "jupyterhub_config.py",
            "exec",
        ),
        {"get_config": lambda: c},
    )
    hook = c.Spawner.pre_spawn_hook
    for user, role in (("alice", "trainee"), ("trainer", "trainer")):
        spawner = types.SimpleNamespace(
            user=types.SimpleNamespace(name=user), environment={"JUPYTER_CONFIG_PATH": "/etc/x"}
        )
        hook(spawner)
        assert spawner.environment["JUPYTER_CONFIG_PATH"] == os.pathsep.join(
            [str(tmp_path / role), "/etc/x"]
        )
