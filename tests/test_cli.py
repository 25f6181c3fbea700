import json
import subprocess
import sys
from pathlib import Path

import pytest

from osintlab import cli
from osintlab.trainer import lab

ROOT = Path(__file__).resolve().parents[1]


def run(*args, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-m", "osintlab", *args], capture_output=True, text=True, cwd=cwd
    )


def test_help_lists_the_commands():
    out = run("--help")
    assert out.returncode == 0
    for cmd in ("lab", "data", "release", "check", "grade"):
        assert cmd in out.stdout


@pytest.mark.parametrize("seed", ["-1", "abc", str(2**128), "c-nothex"])
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
    monkeypatch.setattr(lab, "run_server", lambda cmd, cwd, env: seen.update(cmd=cmd, cwd=cwd) or 0)
    monkeypatch.setattr(cli.os, "geteuid", lambda: 0, raising=False)
    monkeypatch.chdir(ROOT / "course")
    assert cli.main(["lab", "--no-browser"]) == 0
    assert seen["cwd"] == ROOT and f"--ServerApp.root_dir={ROOT}" in seen["cmd"]
    assert "--allow-root" in seen["cmd"] and "--no-browser" in seen["cmd"]
    assert any("00-start-here" in c for c in seen["cmd"])


def test_lab_outside_a_checkout_uses_the_installed_checkout(monkeypatch, tmp_path):
    seen = {}
    monkeypatch.setattr(lab, "run_server", lambda cmd, cwd, env: seen.update(cwd=cwd) or 0)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["lab"]) == 0
    assert seen["cwd"] == ROOT


def _wheel_install(monkeypatch, tmp_path):
    """osintlab installed without a checkout: only the per-user cache can hold datasets."""
    from osintlab import data
    from osintlab.scenario import build
    from osintlab.trainer import nbgrader

    monkeypatch.delenv("OSINTLAB_DATA")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OSINTLAB_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(
        data, "_is_datasets", lambda f: (f / "manifest.json").is_file() and "cache" in str(f)
    )

    def no_checkout():
        raise FileNotFoundError("no checkout")

    monkeypatch.setattr(nbgrader, "course_root", no_checkout)
    built = []

    def fake_build(seed, out, *, force=False, progress=True):  # the real one takes ~30 s
        built.append((seed, out))
        out.mkdir(parents=True)
        m = {"seed": seed, "generator_version": data.GENERATOR_VERSION, "files": {}}
        (out / "manifest.json").write_text(json.dumps(m))
        return m

    monkeypatch.setattr(build, "build_datasets", fake_build)
    return built


def test_prepare_datasets_builds_a_missing_or_stale_cache(monkeypatch, tmp_path):
    from osintlab import data

    built = _wheel_install(monkeypatch, tmp_path)
    folder = cli.prepare_datasets(tmp_path, progress=False)
    assert folder == data.cached_datasets_dir() and built == [(data.DEFAULT_SEED, folder)]
    assert cli.prepare_datasets(tmp_path, progress=False) == folder and len(built) == 1
    (folder / "manifest.json").write_text(json.dumps({"generator_version": 0, "files": {}}))
    assert cli.prepare_datasets(tmp_path, progress=False) == folder and len(built) == 2
    assert data.stale_reason(folder) is None


def test_data_build_outside_a_checkout_fills_the_cache(monkeypatch, tmp_path, capsys):
    from osintlab import data

    built = _wheel_install(monkeypatch, tmp_path)
    assert cli.main(["data", "build", "--quiet"]) == 0
    assert built == [(data.DEFAULT_SEED, data.cached_datasets_dir())]
    assert cli.main(["data", "build", "--quiet"]) == 0 and len(built) == 1
    assert "up to date" in capsys.readouterr().out


def test_nbgrader_extension_is_installed_for_jupyterlab():
    out = subprocess.run(
        [sys.executable, "-m", "jupyter", "server", "extension", "list"],
        capture_output=True,
        text=True,
    )
    assert "nbgrader" in (out.stdout + out.stderr)


@pytest.mark.slow
def test_lab_serves_the_course_with_nbgrader_active(tmp_path):
    """The first README command: JupyterLab starts at the course root with nbgrader's
    extension loaded (as root in CI, which needs --allow-root)."""
    import json as _json
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(__import__("os").environ, JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "osintlab",
            "lab",
            "--no-browser",
            f"--port={port}",
            "--ServerApp.token=t0k",
            "--ServerApp.ip=127.0.0.1",
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{base}/api/status?token=t0k", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        with urllib.request.urlopen(f"{base}/lab/api/extensions?token=t0k") as r:
            names = [e["name"] for e in _json.load(r)]
        assert any("nbgrader" in n for n in names)
        with urllib.request.urlopen(
            f"{base}/api/contents/course/00-start-here.ipynb?token=t0k&content=0"
        ) as r:
            assert r.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    # the JupyterLab server it started stopped with it (it used to outlive `osintlab lab`)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                break
        time.sleep(0.5)
    else:
        raise AssertionError(f"JupyterLab still listens on port {port} after osintlab lab ended")


def test_readme_keeps_its_two_commands_and_points_trainers_to_the_bundle():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme[readme.index("## Quick start") : readme.index("## What is in it")]
    blocks = [b.split("```")[0].strip() for b in quick.split("```bash")[1:]]
    assert blocks == ["pip install -e . && osintlab lab", 'pip install -e ".[test]" && pytest']
    trainers = readme[readme.index("## For trainers") :]
    assert "osintlab bundle" in trainers and "docs/workshop-checklist.md" in trainers
    assert (ROOT / "docs" / "workshop-checklist.md").is_file()
    # CI runs the README's test command as its last step
    ci = [ln for ln in (ROOT / ".ci" / "run").read_text().splitlines() if ln.strip()]
    assert ci[-1] == blocks[1]
