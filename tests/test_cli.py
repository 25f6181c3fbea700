import json
import subprocess
import sys
from pathlib import Path

import pytest

from osintlab import cli

ROOT = Path(__file__).resolve().parents[1]


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "osintlab", *args], capture_output=True,
                          text=True, cwd=cwd)


def test_help_lists_the_commands():
    out = run("--help")
    assert out.returncode == 0
    for cmd in ("lab", "data", "release", "check"):
        assert cmd in out.stdout


@pytest.mark.parametrize("seed", ["-1", "abc", "4294967296"])
def test_bad_seed_is_a_one_line_error(seed, tmp_path):
    out = run("data", "build", "--seed", seed, "--out", str(tmp_path / "d"))
    assert out.returncode == 2 and "bad seed" in out.stderr
    assert not (tmp_path / "d").exists()


def test_data_build_refuses_to_overwrite(tmp_path):
    target = tmp_path / "d"
    assert run("data", "build", "--seed", "5", "--out", str(target), "--quiet").returncode == 0
    assert json.loads((target / "manifest.json").read_text())["seed"] == 5
    out = run("data", "build", "--seed", "6", "--out", str(target), "--quiet")
    assert out.returncode == 2 and "--force" in out.stderr
    assert json.loads((target / "manifest.json").read_text())["seed"] == 5


def test_release_rejects_unknown_modules():
    with pytest.raises(SystemExit, match="unknown module"):
        cli.main(["release", "99-nothing"])


def test_lab_opens_the_course_root_and_allows_root(monkeypatch):
    seen = {}
    monkeypatch.setattr(cli.subprocess, "call",
                        lambda cmd, cwd, env: seen.update(cmd=cmd, cwd=cwd) or 0)
    monkeypatch.setattr(cli.os, "geteuid", lambda: 0, raising=False)
    monkeypatch.chdir(ROOT / "course")
    assert cli.main(["lab", "--no-browser"]) == 0
    assert seen["cwd"] == ROOT and f"--ServerApp.root_dir={ROOT}" in seen["cmd"]
    assert "--allow-root" in seen["cmd"] and "--no-browser" in seen["cmd"]
    assert any("00-start-here" in c for c in seen["cmd"])


def test_lab_outside_a_checkout_uses_the_installed_checkout(monkeypatch, tmp_path):
    seen = {}
    monkeypatch.setattr(cli.subprocess, "call", lambda cmd, cwd, env: seen.update(cwd=cwd) or 0)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["lab"]) == 0
    assert seen["cwd"] == ROOT


def test_nbgrader_extension_is_installed_for_jupyterlab():
    out = subprocess.run([sys.executable, "-m", "jupyter", "server", "extension", "list"],
                         capture_output=True, text=True)
    assert "nbgrader" in (out.stdout + out.stderr)
