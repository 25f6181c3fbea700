"""The offline workshop bundle (osintlab.trainer.bundle, install.py): build, install, refuse, doctor.

One bundle is built per session for this machine (Linux x86-64, this Python). Building it and
the resolution checks for Windows and macOS need the package registry (PyPI, plus npm for the
classroom proxy): that is the one moment a trainer has internet, and CI reaches the registries;
pip's cache keeps a rebuild cheap. Everything after the build runs with NO network: the install
and the self-test run inside a network namespace (`unshare --net`, root only; the tests that
need it skip with the reason elsewhere).
"""

from __future__ import annotations

import errno
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from osintlab.trainer import bundle as B
from osintlab.trainer import bundle_install as I

ROOT = Path(__file__).resolve().parents[1]
PY = I.python_key()
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("bundle")]

# Run a command inside a new network namespace with only loopback up (Jupyter kernels talk to
# nbgrader over 127.0.0.1; a fresh namespace has `lo` down). Brought up with one ioctl, so the
# test needs no iproute2.
LO_UP = """
import fcntl, os, socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
flags = struct.unpack("16sH", fcntl.ioctl(s, 0x8913, struct.pack("16sH", b"lo", 0))[:18])[1]
fcntl.ioctl(s, 0x8914, struct.pack("16sH", b"lo", flags | 1))
os.execvp(sys.argv[1], sys.argv[1:])
"""


def _namespaces_available() -> str | None:
    if platform.system() != "Linux" or I.machine_key() != "linux-x86_64":
        return "the offline install test builds a Linux x86-64 bundle"
    if shutil.which("unshare") is None:
        return "unshare (util-linux) is not installed"
    if os.geteuid() != 0:
        return "a network namespace needs root (CI runs as root)"
    probe = subprocess.run(
        ["unshare", "--net", sys.executable, "-c", LO_UP, "true"], capture_output=True, text=True
    )
    if probe.returncode:
        return f"network namespaces are not available here: {probe.stderr.strip()[-200:]}"
    return None


def offline(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    """Run ``cmd`` with no network at all (loopback only)."""
    return subprocess.run(
        ["unshare", "--net", sys.executable, "-c", LO_UP, *map(str, cmd)],
        capture_output=True,
        text=True,
        **kw,
    )


def clean_env() -> dict:
    """The environment of a fresh laptop: no checkout on PYTHONPATH, no test datasets."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "OSINTLAB_DATA", "VIRTUAL_ENV") and not k.startswith("PIP_")
    }
    return env


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    if I.machine_key() != "linux-x86_64" or PY not in B.PYTHONS:
        pytest.skip(
            f"the test bundle is built for Linux x86-64 and Python {B.PYTHONS}; "
            f"this is {I.machine_key()} Python {PY}"
        )
    out = tmp_path_factory.mktemp("stick") / "OSINT-Lab"
    t = time.monotonic()
    lines = []
    info = B.build_bundle(out, ["linux-x86_64"], [PY], log=lines.append)
    info["log"] = lines
    print(f"\nbundle built in {time.monotonic() - t:.0f} s, {info['bytes'] / 2**20:.0f} MB")
    return info


@pytest.fixture(scope="session")
def bundle_dir(built) -> Path:
    return Path(built["path"])


@pytest.fixture(scope="session")
def installed(bundle_dir, tmp_path_factory):
    """The bundle installed on a fresh machine with no network.

    One install serves the laptop tests and the classroom-server test (CI time): the server
    install (`--server --no-system`) is the laptop install (same function: checksums, course
    copy, venv, pip with no index, launcher) plus the hub configuration and the proxy.
    """
    reason = _namespaces_available()
    if reason:
        pytest.skip(reason)
    target = tmp_path_factory.mktemp("machine") / "osintlab"
    t = time.monotonic()
    run = offline(
        [sys.executable, bundle_dir / "install.py", "--server", "--no-system", "--prefix", target],
        env=clean_env(),
        timeout=1200,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Installed OSINT Lab" in run.stdout and "[5/6]" in run.stdout  # progress shown
    print(f"\noffline install in {time.monotonic() - t:.0f} s")
    return target


def clone(bundle: Path, dest: Path) -> Path:
    """A copy of the bundle made of hard links (cheap); replace a file before changing it."""
    shutil.copytree(bundle, dest, copy_function=os.link)
    return dest


def replace(path: Path, data: bytes) -> None:
    path.unlink()  # break the hard link: the shared bundle stays intact
    path.write_bytes(data)


# -- the build ---------------------------------------------------------------------------------


def test_bundle_has_everything_the_workshop_needs(built, bundle_dir):
    for name in (
        "install.sh",
        "install.bat",
        "install.ps1",
        "install.py",
        "doctor.sh",
        "doctor.bat",
        "README.txt",
        "trainee-card.txt",
        "SHA256SUMS",
        "bundle.json",
    ):
        assert (bundle_dir / name).is_file(), name
    course = bundle_dir / "course"
    for part in (
        "course/00-start-here.ipynb",
        "exercises/01-foundations",
        "solutions",
        "datasets/manifest.json",
        "docs/deploy.md",
        "README.md",
        "nbgrader_config.py",
        "LICENSE",
        "LICENSE-CONTENT.md",
    ):
        assert (course / part).exists(), part
    key = I.combo_key("linux-x86_64", PY)
    pins = (bundle_dir / "wheels" / f"{key}.txt").read_text().split()
    assert "osintlab==0.1.0" in pins and any(p.startswith("jupyterhub==") for p in pins)
    assert any(p.startswith("nbgrader==") for p in pins)
    info = json.loads((bundle_dir / "bundle.json").read_text())
    assert info["platforms"] == ["linux-x86_64"] and info["pythons"] == [PY]
    assert info["combos"][key]["server"] and "seed" not in info
    assert (bundle_dir / "server" / "deploy" / "jupyterhub_config.py").is_file()
    if shutil.which("npm"):
        assert (bundle_dir / "server" / "chp" / "node_modules" / "configurable-http-proxy").is_dir()
    assert any("wheels for Linux" in line for line in built["log"])  # progress is shown
    assert built["bytes"] > 50 * 2**20 and built["seconds"] > 0
    readme = (bundle_dir / "README.txt").read_text()
    assert "doctor" in readme and "--server" in readme and "configurable-http-proxy" in readme
    assert len(readme.splitlines()) <= 60  # one page


def test_checksums_are_sha256sum_compatible(bundle_dir):
    if shutil.which("sha256sum") is None:
        pytest.skip("coreutils sha256sum not installed")
    run = subprocess.run(
        ["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=bundle_dir, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert I.verify_files(str(bundle_dir)) == {
        "missing": [],
        "blocked": [],
        "corrupt": [],
        "altered": [],
    }


def test_cli_refuses_bad_bundle_requests(tmp_path):
    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "osintlab", "bundle", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )

    out = run()
    assert out.returncode == 2 and "give the folder" in out.stderr
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    out = run(str(tmp_path / "full"), "--platform", "linux-x86_64", "--python", PY)
    assert out.returncode == 2 and "--force" in out.stderr and len(out.stderr.splitlines()) == 1
    assert run("--platform", "solaris").returncode == 2


# -- offline install on a fresh laptop ---------------------------------------------------------


def test_offline_install_then_selftest_of_one_module(installed):
    venv_py = installed / ".venv" / "bin" / "python"
    where = subprocess.run(
        [venv_py, "-c", "import osintlab; print(osintlab.__file__)"],
        capture_output=True,
        text=True,
        env=clean_env(),
        cwd=installed,
    )
    assert str(installed / ".venv") in where.stdout  # the installed wheel, not src/
    assert (installed / "start-osintlab.sh").is_file()
    t = time.monotonic()
    run = offline(
        [installed / ".venv" / "bin" / "osintlab", "check", "01-foundations", "--quiet"],
        env=clean_env(),
        cwd=installed,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "PASS  01-foundations" in run.stdout and "0 failed" in run.stdout
    assert "datasets match manifest" in run.stdout
    print(
        f"\nself-test of 01-foundations from the installed bundle in {time.monotonic() - t:.0f} s"
    )


def test_doctor_on_a_healthy_installed_laptop(bundle_dir, installed):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = offline(
        [
            sys.executable,
            bundle_dir / "install.py",
            "--doctor",
            "--target",
            installed,
            "--port",
            port,
        ],
        env=clean_env(),
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no problems found" in run.stdout and "starts" in run.stdout


def test_existing_install_is_not_overwritten(bundle_dir, installed):
    run = subprocess.run(
        [sys.executable, bundle_dir / "install.py", "--target", installed],
        capture_output=True,
        text=True,
        env=clean_env(),
    )
    assert run.returncode == 2 and "--force" in run.stderr and len(run.stderr.splitlines()) == 1


def test_classroom_server_from_the_bundle_runs_the_hub_smoke_test(bundle_dir, installed):
    """tests/test_hub.py against the hub installed offline from the bundle."""
    if not (bundle_dir / "server" / "chp").is_dir() or shutil.which("node") is None:
        pytest.skip(
            "the bundle carries no configurable-http-proxy or Node.js is missing "
            "(npm and node are needed to build and run it)"
        )
    prefix = installed
    assert (prefix / ".venv" / "bin" / "jupyterhub").is_file()
    assert (prefix / ".venv" / "bin" / "configurable-http-proxy").is_file()
    assert (prefix / "deploy" / "jupyterhub_config.py").is_file()
    env = dict(
        clean_env(), OSINTLAB_HUB_PREFIX=str(prefix), PYTHONPATH=str(ROOT / "src")
    )  # the test's own helpers only
    hub = offline(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-n",
            "0",
            "-p",
            "no:cacheprovider",
            ROOT / "tests" / "test_hub.py",
        ],
        env=env,
        cwd=ROOT,
        timeout=1200,
    )
    assert hub.returncode == 0 and "2 passed" in hub.stdout, hub.stdout[-3000:] + hub.stderr


# -- bad input: one line, nothing left half-installed ------------------------------------------


def test_altered_file_is_refused_and_nothing_installed(bundle_dir, tmp_path):
    copy = clone(bundle_dir, tmp_path / "bundle")
    nb = copy / "course" / "exercises" / "01-foundations" / "01-foundations.ipynb"
    replace(nb, nb.read_bytes().replace(b"# YOUR CODE HERE", b"# YOUR CODE HERE!", 1))
    target = tmp_path / "osintlab"
    run = subprocess.run(
        [sys.executable, copy / "install.py", "--target", target],
        capture_output=True,
        text=True,
        env=clean_env(),
    )
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert "altered" in run.stderr and "01-foundations.ipynb" in run.stderr
    assert "copy the bundle" in run.stderr
    assert not target.exists()


def test_missing_corrupt_and_blocked_files_each_named(bundle_dir, tmp_path, monkeypatch):
    copy = clone(bundle_dir, tmp_path / "bundle")
    wheels = sorted((copy / "wheels").glob("*.whl"))
    wheels[0].unlink()  # antivirus quarantine
    replace(wheels[1], wheels[1].read_bytes()[:1000])  # truncated copy
    blocked = wheels[2]
    real = I.sha256_file

    def sha(path, chunk=1 << 20):  # root reads any file:
        if Path(path) == blocked:  # simulate the lock an
            raise PermissionError(13, "Permission denied", path)  # antivirus holds
        return real(path, chunk)

    monkeypatch.setattr(I, "sha256_file", sha)
    found = I.verify_files(str(copy))
    assert found["missing"] == [f"wheels/{wheels[0].name}"]
    assert found["corrupt"] == [f"wheels/{wheels[1].name}"]
    assert found["blocked"] == [f"wheels/{blocked.name}"]
    lines = I.file_problems(found)
    assert len(lines) == 3
    assert "quarantined" in lines[0] and "antivirus" in lines[1] and "corrupt" in lines[2]
    (copy / "SHA256SUMS").unlink()
    with pytest.raises(I.BundleError, match="SHA256SUMS is missing"):
        I.verify_files(str(copy))


def test_wrong_python_or_platform_is_one_line(bundle_dir):
    info = I.load_bundle(str(bundle_dir))
    old = I.check_python(info, (3, 10))
    assert "too old" in old and "install Python" in old
    other = "3.13" if PY != "3.13" else "3.12"
    assert f"--python {other}" in I.check_python(info, tuple(map(int, other.split("."))))
    assert I.check_python(info) is None
    win = I.check_platform(info, "windows-x86_64")
    assert "Windows x86-64" in win and "--platform windows-x86_64" in win
    assert I.check_platform(info) is None
    with pytest.raises(I.BundleError, match="bundle.json is missing"):
        I.load_bundle(str(bundle_dir / "course"))


def test_full_disk_is_refused_before_anything_is_written(bundle_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(
        I.shutil, "disk_usage", lambda p: shutil._ntuple_diskusage(10 << 30, 10 << 30, 5 << 20)
    )
    target = tmp_path / "osintlab"
    with pytest.raises(I.BundleError, match=r"only 5\.0 MB free .* --target"):
        I.install(str(bundle_dir), str(target))
    assert not target.exists()


def test_disk_full_during_install_leaves_the_machine_as_it_was(bundle_dir, tmp_path, monkeypatch):
    def full(*a, **k):  # the disk fills up after the course files are copied
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(I.subprocess, "call", full)
    target = tmp_path / "osintlab"
    with pytest.raises(I.BundleError, match="disk is full.*nothing was installed"):
        I.install(str(bundle_dir), str(target))
    assert not target.exists()
    # a reinstall with --force that fails puts the previous install (and work) back
    target.mkdir()
    (target / "my-work.ipynb").write_text("{}")
    with pytest.raises(I.BundleError):
        I.install(str(bundle_dir), str(target), force=True)
    assert (target / "my-work.ipynb").read_text() == "{}"
    assert not list(tmp_path.glob("osintlab.bak-*"))


def test_port_in_use_is_named_with_the_fix():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        msg = I.check_port(port)
    assert f"port {port} is already in use" in msg and "--port" in msg
    assert I.check_port(port) is None


def test_doctor_reports_each_problem_on_one_line(bundle_dir, tmp_path, monkeypatch):
    copy = clone(bundle_dir, tmp_path / "bundle")
    readme = copy / "course" / "README.md"
    replace(readme, readme.read_bytes() + b"\nedited\n")
    monkeypatch.setattr(
        I.shutil, "disk_usage", lambda p: shutil._ntuple_diskusage(10 << 30, 10 << 30, 1 << 20)
    )
    lines = []
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        n = I.doctor(str(copy), str(tmp_path / "osintlab"), s.getsockname()[1], out=lines.append)
    problems = [ln for ln in lines if ln.startswith("PROBLEM")]
    assert n == 3 == len(problems), lines
    assert any("already in use" in p for p in problems)
    assert any("free on the disk" in p for p in problems)
    assert any("altered (course/README.md)" in p for p in problems)
    assert any(ln.startswith("ok") and "Python" in ln for ln in lines)
    assert lines[-1] == "3 problem(s) found"


def test_bad_accounts_csv_is_refused_before_install(tmp_path):
    good = tmp_path / "ok.csv"
    good.write_text("username,full_name\nalice,Alice\nbob,Bob\n")
    assert I.read_accounts(str(good)) == ["alice", "bob"]
    bad = tmp_path / "bad.csv"
    bad.write_text("username\nalice\nBob Smith\n")
    with pytest.raises(I.BundleError, match="line 3: 'Bob Smith' is not a valid Linux user"):
        I.read_accounts(str(bad))
    with pytest.raises(I.BundleError, match="no 'username' column"):
        (tmp_path / "n.csv").write_text("name\nalice\n")
        I.read_accounts(str(tmp_path / "n.csv"))


# -- resolution check for the other platforms (metadata only) ----------------------------------


def test_windows_and_macos_wheel_sets_resolve():
    """One Python per platform covers 3.11-3.13 (the CLI checks every pair it is given)."""
    rows = B.check_wheel_sets(
        [("windows-x86_64", "3.12"), ("macos-arm64", "3.13"), ("macos-x86_64", "3.11")],
        ROOT,
        progress=None,
    )
    assert all(r["ok"] for r in rows), rows
    assert all(r["wheels"] > 50 for r in rows), rows


def test_resolution_check_names_a_missing_wheel():
    res = B.resolve(["pywin32"], "linux-x86_64", "3.12")  # Windows-only wheels
    assert not res["ok"] and "pywin32" in res["error"]


def test_check_only_command_reports_each_set(monkeypatch, capsys):
    """`osintlab bundle --check-only` (the resolution itself is tested above, online)."""
    from osintlab import cli

    seen = {}

    def fake(pairs):
        seen["pairs"] = pairs
        return [
            {
                "platform": p,
                "python": v,
                "ok": p != "macos-x86_64",
                "wheels": 120,
                "error": "ERROR: No matching distribution found for x",
            }
            for p, v in pairs
        ]

    monkeypatch.setattr(B, "check_wheel_sets", fake)
    rc = cli.main(
        [
            "bundle",
            "--check-only",
            "--platform",
            "windows-x86_64",
            "--platform",
            "macos-x86_64",
            "--python",
            "3.12",
            "--python",
            "3.13",
        ]
    )
    assert rc == 1 and len(seen["pairs"]) == 4
    assert "2 of 4 wheel sets resolve completely" in capsys.readouterr().out


def test_docstring_examples():
    import doctest

    for module in (B, I):
        assert doctest.testmod(module).failed == 0
