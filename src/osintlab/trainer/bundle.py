"""A workshop with no internet: build a USB-stick bundle that installs the course offline.

What a trainer does -> which function:

    find a missing wheel before the workshop   -> check_wheel_sets(combos)   (metadata only)
    build the bundle (internet once)           -> build_bundle(out, platforms, pythons, seed)
    which pip platform tags a machine means    -> pip_platform_args("macos-arm64", "3.12")
    checksum every file of a bundle            -> write_manifest(folder)

A bundle folder holds ``wheels/`` (the course as a wheel and every dependency, for each chosen
platform and Python, with one pinned list per combination; on Linux the list includes
JupyterHub, so the same set serves a laptop and the classroom server), ``course/`` (lessons, exercises,
solutions unless left out, docs, and the datasets built for the trainer's seed),
``server/`` (the tested JupyterHub configuration and, when npm is available at build time,
configurable-http-proxy with its dependencies), the installers ``install.sh``, ``install.bat``,
``install.ps1`` (all run ``install.py``, a copy of ``osintlab.trainer.bundle_install``), the
doctors, a one-page ``README.txt``, a printable ``trainee-card.txt``, ``bundle.json`` and
``SHA256SUMS``, which the installer verifies before it installs anything.

>>> pip_platform_args("windows-x86_64", "3.12")
['--platform', 'win_amd64', '--python-version', '3.12', '--implementation', 'cp']
>>> combos(["macos-arm64"], ["3.12", "3.13"])
[('macos-arm64', '3.12'), ('macos-arm64', '3.13')]
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import bundle_install
from .nbgrader import TRAINEE_OUTPUTS

PYTHONS = ["3.11", "3.12", "3.13"]
# pip takes platform tags literally (it widens only manylinux2014 and macOS versions), so Linux
# lists every glibc level from manylinux2014 (2.17) to 2.28: the wheels then run on any Linux
# with glibc >= 2.28 (Debian 10, Ubuntu 20.04, RHEL 8 and newer). macOS 12 covers 12 and later.
PLATFORM_TAGS = {
    "linux-x86_64": [f"manylinux_2_{n}_x86_64" for n in range(28, 16, -1)]
    + ["manylinux2014_x86_64"],
    "windows-x86_64": ["win_amd64"],
    "macos-arm64": ["macosx_12_0_arm64"],
    "macos-x86_64": ["macosx_12_0_x86_64"],
}
PLATFORMS = list(PLATFORM_TAGS)
SERVER_PLATFORMS = ("linux-x86_64",)  # the classroom JupyterHub runs on Linux
CHP = "configurable-http-proxy@5"
COURSE_PARTS = [
    "course",
    "exercises",
    "solutions",
    "docs",
    "README.md",
    "nbgrader_config.py",
    "LICENSE",
    "LICENSE-CONTENT.md",  # the course text and data are shared under it
]
SKIP = {
    "__pycache__",
    ".ipynb_checkpoints",
    *TRAINEE_OUTPUTS,
    "gradebook.db",
    "gradebook.db-journal",
}


class BundleBuildError(Exception):
    """A bundle cannot be built or checked; the message names the problem and the fix."""


def combos(platforms: list[str], pythons: list[str]) -> list[tuple[str, str]]:
    """Every (platform, Python) pair a bundle carries, validated."""
    bad = [p for p in platforms if p not in PLATFORM_TAGS]
    if bad:
        raise BundleBuildError(f"unknown platform {bad[0]!r}: choose from {', '.join(PLATFORMS)}")
    bad = [v for v in pythons if v not in PYTHONS]
    if bad:
        raise BundleBuildError(f"unsupported Python {bad[0]!r}: choose from {', '.join(PYTHONS)}")
    return [(p, v) for p in platforms for v in pythons]


def pip_platform_args(platform: str, python: str) -> list[str]:
    """pip's options that select wheels for another machine (``pip download``/``install``)."""
    args = []
    for tag in PLATFORM_TAGS[platform]:
        args += ["--platform", tag]
    return args + ["--python-version", python, "--implementation", "cp"]


def course_root() -> Path:
    """The course checkout to bundle: the current folder or a parent, else this package's repo."""
    here = Path.cwd().resolve()
    repo = Path(__file__).resolve().parents[3]
    for folder in (here, *here.parents, repo):
        if (folder / "pyproject.toml").is_file() and (folder / "nbgrader_config.py").is_file():
            return folder
    raise BundleBuildError(
        "cannot find the course checkout (a folder with pyproject.toml and "
        "nbgrader_config.py): run osintlab bundle inside your checkout"
    )


def requirements(root: Path) -> tuple[list[str], list[str]]:
    """(the course's dependencies, the extra ones of the classroom server) from pyproject.toml."""
    import tomllib

    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    server = [
        r
        for r in project.get("optional-dependencies", {}).get("test", [])
        if re.match(r"jupyterhub\b", r)
    ]
    return list(project["dependencies"]), server or ["jupyterhub>=5,<7"]


def _last_error(text: str) -> str:
    errors = [ln.strip() for ln in text.splitlines() if ln.strip().startswith("ERROR")]
    return errors[-1] if errors else (text.strip().splitlines() or ["pip failed"])[-1]


def _pip(args: list[str], *, offline: bool = False, timeout: float = 1800):
    env = (
        bundle_install.offline_pip_env()
        if offline
        else dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    )
    return subprocess.run(
        [sys.executable, "-m", "pip", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def resolve(reqs: list[str], platform: str, python: str, *, find_links: Path | None = None) -> dict:
    """Resolve ``reqs`` for one platform and Python without installing or downloading wheels.

    Online (``find_links`` None) pip reads only the metadata the index serves (PEP 658);
    offline it resolves against a wheels folder, which proves a bundle is complete. Returns
    ``{"ok": bool, "wheels": [(name, version, filename)], "error": str}``.
    """
    with tempfile.TemporaryDirectory(prefix="osintlab-resolve-") as tmp:
        report = Path(tmp) / "report.json"
        args = [
            "install",
            "--dry-run",
            "--ignore-installed",
            "--only-binary=:all:",
            *pip_platform_args(platform, python),
            "--target",
            str(Path(tmp) / "t"),
            "--report",
            str(report),
            "-q",
        ]
        if find_links is not None:
            args += ["--no-index", "--find-links", str(find_links)]
        run = _pip(args + list(reqs), offline=find_links is not None)
        if run.returncode or not report.is_file():
            return {"ok": False, "wheels": [], "error": _last_error(run.stdout + run.stderr)}
        items = json.loads(report.read_text(encoding="utf-8"))["install"]
    wheels = [
        (
            i["metadata"]["name"],
            i["metadata"]["version"],
            i["download_info"]["url"].rsplit("/", 1)[-1],
        )
        for i in items
    ]
    return {"ok": True, "wheels": wheels, "error": ""}


def check_wheel_sets(
    pairs: list[tuple[str, str]], root: Path | None = None, *, workers: int = 3, progress=print
) -> list[dict]:
    """Check that every (platform, Python) pair resolves to wheels, fetching only metadata.

    Finds a missing wheel (a dependency without a wheel for Windows or macOS, a Python too new
    for a pinned library) before the workshop. Returns one row per pair:
    ``{"platform", "python", "ok", "wheels", "error"}``.
    """
    root = root or course_root()
    course, server = requirements(root)

    def one(pair):
        platform, python = pair
        reqs = course + (server if platform in SERVER_PLATFORMS else [])
        res = resolve(reqs, platform, python)
        row = {
            "platform": platform,
            "python": python,
            "ok": res["ok"],
            "wheels": len(res["wheels"]),
            "error": res["error"],
        }
        if progress:
            progress(
                f"  {'ok     ' if res['ok'] else 'MISSING'} {platform} Python {python}: "
                + (f"{row['wheels']} wheels" if res["ok"] else res["error"])
            )
        return row

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(one, pairs))


# -- building ----------------------------------------------------------------------------------


def build_course_wheel(root: Path, dest: Path) -> Path:
    """The course package as a wheel (built from a copy, so the checkout stays clean)."""
    with tempfile.TemporaryDirectory(prefix="osintlab-wheel-") as tmp:
        src = Path(tmp) / "src"
        shutil.copytree(
            root / "src",
            src / "src",
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"),
        )
        for name in ("pyproject.toml", "README.md", "LICENSE", "LICENSE-CONTENT.md"):
            if (root / name).is_file():
                shutil.copy2(root / name, src / name)
        args = ["wheel", "--no-deps", "-q", "-w", str(dest), str(src)]
        try:
            import setuptools  # noqa: F401
            import wheel  # noqa: F401

            args.insert(1, "--no-build-isolation")  # offline-friendly when both are here
        except ImportError:
            pass
        run = _pip(args)
        if run.returncode:
            raise BundleBuildError(f"cannot build the course wheel: {_last_error(run.stderr)}")
    built = sorted(dest.glob("osintlab-*.whl"), key=lambda p: p.stat().st_mtime)
    return built[-1]


def download_wheels(
    course_wheel: Path, extra: list[str], platform: str, python: str, dest: Path
) -> list[str]:
    """Download the course's dependencies (and ``extra``) for one platform into ``dest``.

    Returns the wheel files of this set. Files already in ``dest`` (pure-Python wheels shared
    by several platforms) are not fetched again, and pip's cache makes a rebuild cheap.
    """
    run = _pip(
        [
            "download",
            "--only-binary=:all:",
            *pip_platform_args(platform, python),
            "-d",
            str(dest),
            "--progress-bar",
            "off",
            str(course_wheel),
            *extra,
        ]
    )
    if run.returncode:
        raise BundleBuildError(
            f"{platform} Python {python}: {_last_error(run.stdout + run.stderr)}"
            " - run osintlab bundle --check-only to see every missing wheel"
        )
    # pip names each file of the set as it saves it or finds it already there
    files = re.findall(r"^(?:Saved|File was already downloaded) (.+\.whl)\s*$", run.stdout, re.M)
    return sorted({Path(f).name for f in files} | {course_wheel.name})


def pin_wheel_set(
    wheels: Path, files: list[str], platform: str, python: str, version: str, extra: list[str]
) -> dict:
    """Write the pinned list the installer uses for one platform and Python.

    The list comes from the wheels pip reported; if this pip reports nothing, resolve offline
    against the folder instead (slower, same result).
    """
    if len(files) < 2:
        res = resolve([f"osintlab=={version}", *extra], platform, python, find_links=wheels)
        if not res["ok"]:
            raise BundleBuildError(
                f"the bundle is incomplete for {platform} Python {python}: {res['error']}"
            )
        files = [f for _, _, f in res["wheels"]]
    pins = sorted({"==".join(f.split("-")[:2]) for f in files}, key=str.lower)
    (wheels / f"{bundle_install.combo_key(platform, python)}.txt").write_text(
        "\n".join(pins) + "\n", encoding="utf-8"
    )
    return {
        "wheels": len(files),
        "bytes": sum((wheels / f).stat().st_size for f in files),
        "server": bool(extra),
    }


def _copy_course(root: Path, dest: Path, with_solutions: bool) -> None:
    dest.mkdir(parents=True)
    ignore = shutil.ignore_patterns(*SKIP)
    for part in COURSE_PARTS:
        src = root / part
        if part == "solutions" and not with_solutions:
            (dest / "solutions").mkdir()
            (dest / "solutions" / "README.md").write_text(
                "The exercise masters (with model answers and hidden tests) were left out of "
                "this workshop bundle; the trainer holds them.\n",
                encoding="utf-8",
            )
        elif src.is_dir():
            shutil.copytree(src, dest / part, ignore=ignore)
        elif src.is_file():
            shutil.copy2(src, dest / part)


def _copy_datasets(root: Path, dest: Path, seed: int | str | None, progress) -> int | str:
    """The committed datasets, or a fresh scenario built for the trainer's secret cohort:
    ``seed`` is ``"secret"`` (a new one), a stored cohort id, or the trainer's own number.
    A secret cohort's seed is written nowhere in the bundle (the manifest names the cohort);
    returns the default seed, or the cohort id."""
    if seed is None:
        shutil.copytree(root / "datasets", dest, ignore=shutil.ignore_patterns(*SKIP))
        return json.loads((dest / "manifest.json").read_text(encoding="utf-8"))["seed"]
    from . import cohort_secret

    if seed == "secret":
        return cohort_secret.build_new_cohort(dest, progress=progress)[0]["cohort"]
    if isinstance(seed, str):
        try:
            record = cohort_secret.load_cohort(seed)
        except cohort_secret.CohortSecretError as exc:
            raise BundleBuildError(str(exc)) from None
    else:
        record = cohort_secret.cohort_for_seed(seed)
    cohort_secret.build_secret_datasets(record, dest, progress=progress)
    return record["cohort"]


def _pack_proxy(dest: Path, log) -> bool:
    """configurable-http-proxy and its (pure JavaScript) dependencies, for an offline server."""
    npm = shutil.which("npm")
    if not npm:
        log("  npm not found: the bundle carries no configurable-http-proxy (see README.txt)")
        return False
    dest.mkdir(parents=True)
    run = subprocess.run(
        [
            npm,
            "install",
            "--prefix",
            str(dest),
            "--no-audit",
            "--no-fund",
            "--omit=dev",
            "--no-package-lock",
            CHP,
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if run.returncode or not (dest / "node_modules" / "configurable-http-proxy").is_dir():
        shutil.rmtree(dest, ignore_errors=True)
        log(
            f"  npm could not fetch {CHP} ({(run.stderr.strip().splitlines() or ['?'])[-1]}): "
            "the bundle carries no proxy (see README.txt)"
        )
        return False
    for junk in ("package.json", "package-lock.json"):
        (dest / junk).unlink(missing_ok=True)
    return True


def write_manifest(folder: Path) -> int:
    """Write ``SHA256SUMS`` (``sha256sum -c`` format) for every file under ``folder``."""
    lines = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()):
        rel = path.relative_to(folder).as_posix()
        if rel != bundle_install.MANIFEST:
            lines.append(f"{bundle_install.sha256_file(str(path))}  {rel}")
    (folder / bundle_install.MANIFEST).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def build_bundle(
    out: str | os.PathLike,
    platforms: list[str] | None = None,
    pythons: list[str] | None = None,
    seed: int | None = None,
    *,
    with_solutions: bool = True,
    with_server: bool = True,
    force: bool = False,
    log=print,
) -> dict:
    """Build the workshop bundle into ``out``; returns its ``bundle.json`` plus size and time.

    Needs the package registry (and npm for the classroom proxy) once. Builds into a sibling
    ``.partial`` folder and renames it at the end, so a failed build leaves nothing behind.
    """
    t0 = time.monotonic()
    out = Path(out).resolve()
    pairs = combos(platforms or PLATFORMS, pythons or PYTHONS)
    if out.exists() and any(out.iterdir()) and not force:
        raise BundleBuildError(
            f"{out} already exists and is not empty: pick a new folder or add --force to replace it"
        )
    root = course_root()
    course_reqs, server_reqs = requirements(root)
    version = re.search(
        r'^version\s*=\s*"([^"]+)"', (root / "pyproject.toml").read_text(encoding="utf-8"), re.M
    ).group(1)
    partial = out.with_name(out.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    wheels = partial / "wheels"
    wheels.mkdir(parents=True)
    total = 5 + len(pairs)
    step = iter(range(1, total + 1))
    try:
        log(f"[{next(step)}/{total}] building the course wheel (osintlab {version})")
        course_wheel = build_course_wheel(root, wheels)
        sets = {}
        for platform, python in pairs:
            extra = server_reqs if with_server and platform in SERVER_PLATFORMS else []
            t = time.monotonic()
            log(
                f"[{next(step)}/{total}] wheels for {bundle_install.PLATFORM_NAMES[platform]}, "
                f"Python {python}"
            )
            files = download_wheels(course_wheel, extra, platform, python, wheels)
            key = bundle_install.combo_key(platform, python)
            sets[key] = pin_wheel_set(wheels, files, platform, python, version, extra)
            log(
                f"      {sets[key]['wheels']} wheels, {sets[key]['bytes'] / 2**20:.0f} MB "
                f"({time.monotonic() - t:.0f} s)"
            )
        log(
            f"[{next(step)}/{total}] course files and datasets"
            + (" for a secret cohort" if seed is not None else " (the course's default seed)")
        )
        _copy_course(root, partial / "course", with_solutions)
        used_seed = _copy_datasets(root, partial / "course" / "datasets", seed, progress=False)
        log(f"[{next(step)}/{total}] classroom server files")
        has_proxy = False
        if with_server and any(p in SERVER_PLATFORMS for p, _ in pairs):
            shutil.copytree(
                root / "docs" / "deploy",
                partial / "server" / "deploy",
                ignore=shutil.ignore_patterns(*SKIP),
            )
            (partial / "server" / "trainees-example.csv").write_text(
                "username,full_name\nalice,Alice Example\nbob,Bob Example\n", encoding="utf-8"
            )
            has_proxy = _pack_proxy(partial / "server" / "chp", log)
        info = {
            "name": "OSINT Lab workshop bundle",
            "version": version,
            "built": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "platforms": sorted({p for p, _ in pairs}, key=PLATFORMS.index),
            "pythons": sorted({v for _, v in pairs}, key=PYTHONS.index),
            "combos": sets,
            "solutions": with_solutions,
            "proxy": has_proxy,
            "course_bytes": _folder_bytes(partial / "course"),
            # the seed is the trainer's secret: it is written nowhere in the bundle (the
            # datasets' manifest names the cohort; the seed stays in the trainer's secrets)
            "custom_seed": seed is not None,
        }
        log(f"[{next(step)}/{total}] installers, README and trainee card")
        (partial / "bundle.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        write_scripts(partial, info)
        log(f"[{next(step)}/{total}] checksums")
        n_files = write_manifest(partial)
        if out.exists():
            shutil.rmtree(out)
        partial.rename(out)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    size = _folder_bytes(out)
    seconds = time.monotonic() - t0
    shown_seed = (
        f"secret cohort {used_seed}, kept in your secrets folder" if seed is not None else used_seed
    )
    digest = hashlib.sha256((out / bundle_install.MANIFEST).read_bytes()).hexdigest()
    log(
        f"Bundle ready in {out}: {n_files} files, {size / 2**20:.0f} MB, built in {seconds:.0f} s "
        f"(seed: {shown_seed}). "
        f"SHA256SUMS fingerprint {digest[:16]}."
    )
    return dict(info, path=str(out), bytes=size, seconds=seconds, files=n_files, fingerprint=digest)


# -- the scripts and the folder's README -------------------------------------------------------


def write_scripts(folder: Path, info: dict) -> None:
    """install.py, install.sh / .bat / .ps1, the doctors, README.txt and trainee-card.txt."""
    shutil.copy2(Path(bundle_install.__file__), folder / "install.py")
    newest_first = list(reversed(info["pythons"]))
    sh_versions = " ".join(f"python{v}" for v in newest_first)
    _write(
        folder / "install.sh",
        f"""#!/bin/sh
# OSINT Lab offline installer (Linux, macOS). Nothing is downloaded.
#   ./install.sh                      install into ~/osintlab (--target DIR for elsewhere)
#   ./install.sh --doctor             check this computer and the bundle
#   sudo ./install.sh --server --accounts trainees.csv    the classroom JupyterHub (Linux)
cd "$(dirname "$0")" || exit 2
for py in {sh_versions} python3 python; do
    if command -v "$py" >/dev/null 2>&1; then
        exec "$py" install.py "$@"
    fi
done
echo "install: no Python found: install Python {newest_first[-1]}-{newest_first[0]} (python.org or your system's packages), then run ./install.sh again" >&2
exit 2
""",
        executable=True,
    )
    _write(
        folder / "doctor.sh",
        '#!/bin/sh\nexec "$(dirname "$0")/install.sh" --doctor "$@"\n',
        executable=True,
    )
    bat_versions = " ".join(newest_first)
    _write(
        folder / "install.bat",
        f"""@echo off
rem OSINT Lab offline installer for Windows. Nothing is downloaded.
rem   install.bat                 install into %USERPROFILE%\\osintlab (--target DIR for elsewhere)
rem   install.bat --doctor        check this computer and the bundle
setlocal
cd /d "%~dp0"
set "PY="
for %%V in ({bat_versions}) do if not defined PY py -%%V -c "" >nul 2>&1 && set "PY=py -%%V"
if not defined PY python -c "" >nul 2>&1 && set "PY=python"
if not defined PY (
  echo install: no Python found: install Python {newest_first[0]} ^(python.org, tick "Add python.exe to PATH"^), then run install.bat again
  exit /b 2
)
%PY% install.py %*
exit /b %errorlevel%
""",
        crlf=True,
    )
    _write(
        folder / "doctor.bat",
        '@echo off\r\ncall "%~dp0install.bat" --doctor %*\r\npause\r\n',
        crlf=True,
    )
    ps_versions = ", ".join(f"'{v}'" for v in newest_first)
    _write(
        folder / "install.ps1",
        f"""# OSINT Lab offline installer for Windows PowerShell. Nothing is downloaded.
#   powershell -ExecutionPolicy Bypass -File install.ps1            install into ~\\osintlab
#   powershell -ExecutionPolicy Bypass -File install.ps1 --doctor   check this computer
Set-Location -LiteralPath $PSScriptRoot
$py = $null
if (Get-Command py -ErrorAction SilentlyContinue) {{
    foreach ($v in @({ps_versions})) {{
        & py "-$v" -c "" 2>$null
        if ($LASTEXITCODE -eq 0) {{ $py = @('py', "-$v"); break }}
    }}
}}
if (-not $py -and (Get-Command python -ErrorAction SilentlyContinue)) {{ $py = @('python') }}
if (-not $py) {{
    Write-Error "install: no Python found: install Python {newest_first[0]} (python.org, tick 'Add python.exe to PATH'), then run install.ps1 again"
    exit 2
}}
$exe, $rest = $py
& $exe @rest install.py @args
exit $LASTEXITCODE
""",
        crlf=True,
    )
    _write(folder / "README.txt", readme_text(info), crlf=True)
    _write(folder / "trainee-card.txt", card_text(info), crlf=True)


def _write(path: Path, text: str, *, executable: bool = False, crlf: bool = False) -> None:
    with open(path, "w", encoding="utf-8", newline="\r\n" if crlf else "\n") as fh:
        fh.write(text)
    if executable:
        path.chmod(0o755)


def readme_text(info: dict) -> str:
    """The bundle's one-page README (plain text: it opens in Notepad)."""
    names = ", ".join(bundle_install.PLATFORM_NAMES[p] for p in info["platforms"])
    proxy = (
        "server/chp/ holds configurable-http-proxy and its dependencies (from npm); the "
        "server needs Node.js installed (apt install nodejs)."
        if info.get("proxy")
        else "This bundle carries no configurable-http-proxy (npm was not available when it "
        "was built): install it on the server while it still has internet "
        "(npm install -g configurable-http-proxy@5), or rebuild the bundle where npm works."
    )
    return f"""OSINT Lab {info["version"]} - workshop bundle (built {info["built"]})
================================================================================
Installs the course with NO internet. Carries wheels for: {names};
Python {", ".join(info["pythons"])}. Needs about 2 GB free disk space.

LAPTOP (trainee or trainer)
  1. Copy this whole folder from the stick to the laptop (faster and safer than
     running from the stick). Python {info["pythons"][-1]} must be installed (python.org).
  2. Windows: double-click install.bat  (or: powershell -ExecutionPolicy Bypass
     -File install.ps1).  Linux/macOS: ./install.sh   in a terminal here.
     It verifies every file against SHA256SUMS, creates a virtual environment in
     ~/osintlab/.venv and installs from wheels/ only. A failed install removes
     what it created. Other folder: --target D:\\osintlab. Reinstall: --force.
  3. Start the course: ~/osintlab/start-osintlab.bat (Windows) or
     ~/osintlab/start-osintlab.sh - JupyterLab opens course/00-start-here.ipynb.

WHEN A LAPTOP FAILS: run doctor.bat (Windows) or ./doctor.sh. One line per
problem with its fix: Python version, platform, disk space, port 8888 in use,
files missing / blocked by an antivirus / corrupt / altered, a broken install.

CLASSROOM SERVER (Linux x86-64, as root, no internet)
  sudo ./install.sh --server --accounts trainees.csv [--trainer trainer]
  installs the course, JupyterHub and the tested configuration into
  /opt/osintlab-hub, creates the trainer's and every trainee's Linux account
  (CSV with a 'username' column, see server/trainees-example.csv), the nbgrader
  exchange /srv/nbgrader/exchange, /etc/jupyter/nbgrader_config.py, read-only
  datasets in /srv/osintlab-datasets, the trainer's course in ~trainer/osintlab
  and the service osintlab-hub (systemctl enable --now osintlab-hub; port 8000).
  Passwords are written to /opt/osintlab-hub/secrets/. The formgrader is at
  http://SERVER:8000/user/trainer/formgrader (open it in its own tab).
  {proxy}
  Over a network anyone can sniff, put HTTPS in front (see docs/deploy.md).

CONTENTS  wheels/ (pinned list per platform and Python), course/ (lessons,
exercises{", solutions" if info["solutions"] else ""}, docs, datasets), server/, install.py (the installer,
Python standard library only), SHA256SUMS, bundle.json, trainee-card.txt.
The datasets' scenario seed is the trainer's; do not share it with trainees.
"""


def card_text(info: dict) -> str:
    """A card to print for each trainee."""
    return f"""OSINT LAB - TRAINEE CARD
------------------------
Install (no internet needed)
  1. Copy the folder OSINT-Lab from the USB stick to your Desktop.
  2. Windows: double-click install.bat.   Mac/Linux: open a terminal in the
     folder and type  ./install.sh
  3. Start: open your user folder > osintlab > start-osintlab
     (JupyterLab opens in your browser; begin with 00-start-here).
Needs Python {info["pythons"][-1]} (ask the trainer) and about 2 GB free disk space.

Something fails?  Double-click doctor.bat (Mac/Linux: ./doctor.sh) and show the
lines marked PROBLEM to the trainer: each one says what to do.

Classroom server (if the trainer uses one)
  Address: http://__________________:8000      Workshop password: __________
  Assignments tab: Fetch, work, Validate, Submit.
"""
