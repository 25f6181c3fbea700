"""Install OSINT Lab from a workshop bundle with no network, and diagnose a laptop that fails.

This file is copied into every bundle as ``install.py`` (``osintlab bundle DIR`` writes it) and
runs there with nothing but the Python standard library, on the trainee's own Python, before
anything is installed; it must therefore import nothing of the ``osintlab`` package and keep to
syntax an old Python can still parse, so that a too-old Python gets a clear message instead of a
traceback.

What a trainer does -> which function:

    verify the bundle is complete and unaltered  -> verify_files(bundle)
    check this laptop can take the course        -> check_machine(bundle, target)
    "my laptop fails": one line per problem      -> doctor(bundle, target, port)
    install on a laptop (no network)             -> install(bundle, target)
    install the classroom JupyterHub (Linux)     -> install_server(bundle, prefix, accounts)

Every problem is reported as one line naming the problem and its fix. An install that fails
removes what it created, so the machine is left as it was.

>>> machine_key("Linux", "x86_64")
'linux-x86_64'
>>> machine_key("Windows", "AMD64")
'windows-x86_64'
>>> machine_key("Darwin", "arm64")
'macos-arm64'
"""

import argparse
import csv
import errno
import hashlib
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import zipfile

MIN_PYTHON = (3, 11)
GLIBC_MIN = (2, 28)  # the oldest glibc the Linux wheels are chosen for (manylinux_2_28)
DEFAULT_PORT = 8888  # JupyterLab's port
HUB_PORT = 8000  # JupyterHub's port
MANIFEST = "SHA256SUMS"
PLATFORM_NAMES = {
    "linux-x86_64": "Linux x86-64",
    "windows-x86_64": "Windows x86-64",
    "macos-arm64": "macOS Apple silicon (arm64)",
    "macos-x86_64": "macOS Intel (x86-64)",
}


class BundleError(Exception):
    """A problem with the bundle or the machine, as one line naming the problem and the fix."""


# -- where am I --------------------------------------------------------------------------------


def machine_key(system=None, machine=None):
    """The bundle's name for this operating system and processor, e.g. ``'windows-x86_64'``."""
    system = (system or platform.system()).lower()
    machine = (machine or platform.machine()).lower()
    arch = {
        "amd64": "x86_64",
        "x64": "x86_64",
        "x86_64": "x86_64",
        "aarch64": "arm64",
        "arm64": "arm64",
    }.get(machine, machine)
    name = {"darwin": "macos", "windows": "windows", "linux": "linux"}.get(system, system)
    return "%s-%s" % (name, arch)


def python_key(version=None):
    """``'3.12'`` for the running Python (or for ``version``, a tuple)."""
    v = version or sys.version_info
    return "%d.%d" % (v[0], v[1])


def combo_key(machine=None, python=None):
    """The bundle's name for one wheel set: ``'linux-x86_64-py3.12'``."""
    return "%s-py%s" % (machine or machine_key(), python or python_key())


def load_bundle(bundle):
    """Read ``bundle.json`` of the bundle folder (what it carries, for which machines)."""
    path = os.path.join(bundle, "bundle.json")
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise BundleError(
            "%s is not a complete OSINT Lab bundle (bundle.json is missing): copy "
            "the whole bundle folder again from the trainer's stick" % bundle
        )
    except (OSError, ValueError) as exc:
        raise BundleError(
            "bundle.json cannot be read (%s): copy the whole bundle folder again" % exc
        )


def default_target():
    return os.path.join(os.path.expanduser("~"), "osintlab")


# -- checksums ---------------------------------------------------------------------------------


def sha256_file(path, chunk=1 << 20):
    """SHA-256 of a file, read in chunks (wheels are large)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


def read_manifest(bundle):
    """``{relative posix path: sha256}`` from the bundle's SHA256SUMS (``sha256sum`` format)."""
    path = os.path.join(bundle, MANIFEST)
    if not os.path.isfile(path):
        raise BundleError(
            "%s is missing from the bundle, so its files cannot be checked: copy "
            "the whole bundle folder again" % MANIFEST
        )
    sums = {}
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.rstrip("\r\n")
            if not line:
                continue
            m = re.match(r"^([0-9a-f]{64}) [ *](.+)$", line)
            if not m:
                raise BundleError(
                    "%s line %d is damaged: copy the whole bundle folder again" % (MANIFEST, n)
                )
            sums[m.group(2)] = m.group(1)
    return sums


def _looks_corrupt(path):
    # A wheel or zip that no longer opens is a broken copy (truncated download, bad stick),
    # not an edit: say so, the fix is the same but the trainer wants to know which.
    if not path.endswith((".whl", ".zip")):
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.testzip() is not None
    except (zipfile.BadZipFile, OSError, EOFError):
        return True


def verify_files(bundle, progress=None):
    """Check every file of the bundle against SHA256SUMS.

    Returns ``{"missing": [...], "blocked": [...], "corrupt": [...], "altered": [...]}`` (paths
    relative to the bundle; empty lists when all is well). "blocked" means the file exists but
    cannot be read - on Windows typically an antivirus holding or quarantining it.
    """
    sums = read_manifest(bundle)
    found = {"missing": [], "blocked": [], "corrupt": [], "altered": []}
    for i, (rel, digest) in enumerate(sorted(sums.items()), 1):
        path = os.path.join(bundle, *rel.split("/"))
        if progress:
            progress(i, len(sums))
        if not os.path.exists(path):
            found["missing"].append(rel)
            continue
        try:
            actual = sha256_file(path)
        except OSError:
            found["blocked"].append(rel)
            continue
        if actual != digest:
            found["corrupt" if _looks_corrupt(path) else "altered"].append(rel)
    return found


def _names(paths, limit=3):
    shown = ", ".join(paths[:limit])
    return shown + (" and %d more" % (len(paths) - limit) if len(paths) > limit else "")


def file_problems(found):
    """One line per kind of bad file, each naming the files and the fix."""
    fixes = {
        "missing": "%d file(s) missing (%s): the copy is incomplete or an antivirus quarantined "
        "them - restore them from quarantine or copy the bundle folder again",
        "blocked": "%d file(s) cannot be read (%s): an antivirus is probably holding them - "
        "allow the bundle folder in the antivirus, then run the installer again",
        "corrupt": "%d file(s) corrupt (%s): a broken download or a bad USB stick - copy the "
        "bundle folder again (from another stick if it happens twice)",
        "altered": "%d file(s) altered (%s): they differ from what the trainer built - copy the "
        "bundle folder again from the trainer's stick",
    }
    return [fixes[k] % (len(v), _names(v)) for k, v in found.items() if v]


# -- the machine -------------------------------------------------------------------------------


def check_python(info, version=None):
    """A one-line problem if this Python cannot use the bundle, else None."""
    v = tuple(version or sys.version_info[:2])
    carried = info.get("pythons", [])
    if v < MIN_PYTHON:
        return (
            "Python %s is too old (the course needs %s or newer, this bundle carries %s): "
            "install Python %s and run the installer with it"
            % (
                python_key(v),
                python_key(MIN_PYTHON),
                ", ".join(carried),
                carried[-1] if carried else "3.12",
            )
        )
    if carried and python_key(v) not in carried:
        return (
            "Python %s is not in this bundle (it carries %s): install Python %s, or ask the "
            "trainer for a bundle built with --python %s"
            % (python_key(v), ", ".join(carried), carried[-1], python_key(v))
        )
    return None


def check_platform(info, key=None):
    """A one-line problem if the bundle carries no wheels for this machine, else None."""
    key = key or machine_key()
    carried = info.get("platforms", [])
    if key not in carried:
        return (
            "this computer is %s, but the bundle carries wheels only for %s: ask the "
            "trainer for a bundle built with --platform %s"
            % (
                PLATFORM_NAMES.get(key, key),
                ", ".join(PLATFORM_NAMES.get(p, p) for p in carried),
                key,
            )
        )
    if key.startswith("linux"):
        libc, ver = platform.libc_ver()
        try:
            parts = tuple(int(x) for x in ver.split(".")[:2])
        except ValueError:
            parts = ()
        if libc == "glibc" and parts and parts < GLIBC_MIN:
            return (
                "this Linux has glibc %s, the bundle's wheels need %d.%d or newer: use a "
                "newer Linux (Ubuntu 20.04, Debian 10 or later)" % ((ver,) + GLIBC_MIN)
            )
    return None


def check_combo(info, key=None):
    """A one-line problem if this Python and machine together have no wheel set, else None."""
    combo = combo_key(key, None)
    if combo not in info.get("combos", {}):
        return (
            "the bundle has no wheel set for %s with Python %s: ask the trainer for a "
            "bundle built with --platform %s --python %s"
            % (
                PLATFORM_NAMES.get(key or machine_key(), key),
                python_key(),
                key or machine_key(),
                python_key(),
            )
        )
    return None


def _existing_parent(path):
    path = os.path.abspath(path)
    while not os.path.exists(path):
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    return path


def needed_bytes(info, bundle=None):
    """Disk space an install needs: the unpacked wheels (about 3x their size) and the course."""
    combo = info.get("combos", {}).get(combo_key(), {})
    if not combo.get("bytes"):
        return 1536 << 20  # no bundle at hand: a typical install
    return int(3 * combo["bytes"] + 2 * info.get("course_bytes", 0)) + (200 << 20)


def check_disk(target, needed, free=None):
    """A one-line problem if the disk holding ``target`` has less than ``needed`` bytes free."""
    where = _existing_parent(target)
    free = shutil.disk_usage(where).free if free is None else free
    if free < needed:
        return (
            "only %s free on the disk of %s, the course needs about %s: free some space "
            "(empty the recycle bin, delete downloads) or install elsewhere with --target"
            % (_size(free), where, _size(needed))
        )
    return None


def check_port(port, host="127.0.0.1"):
    """A one-line problem if another program already listens on ``port``, else None."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        if hasattr(socket, "SO_EXCLUSIVEADDRUSE"):  # Windows: really exclusive
            s.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
        s.bind((host, port))
    except OSError:
        return (
            "port %d is already in use by another program (another Jupyter?): close it, "
            "or start the course on another port with: osintlab lab --port %d"
            % (port, port + 1 if port < 65535 else 8890)
        )
    finally:
        s.close()
    return None


def check_venv():
    """A one-line problem if this Python cannot create virtual environments, else None."""
    try:
        import ensurepip  # noqa: F401
        import venv  # noqa: F401
    except ImportError:
        return (
            "this Python cannot create virtual environments (venv/ensurepip missing): on "
            "Debian/Ubuntu install the package python%s-venv, on other systems reinstall "
            "Python from python.org" % python_key()
        )
    return None


def check_machine(info, target, port=None):
    """All machine checks; a list of one-line problems (empty: this laptop can take it)."""
    problems = [check_python(info), check_platform(info)]
    if not any(problems):
        problems.append(check_combo(info))
    problems += [check_venv(), check_disk(target, needed_bytes(info))]
    if port:
        problems.append(check_port(port))
    return [p for p in problems if p]


def _size(n):
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return ("%.0f %s" % (n, unit)) if unit in ("B", "KB") else ("%.1f %s" % (n, unit))
        n /= 1024.0


# -- doctor ------------------------------------------------------------------------------------


def doctor(bundle, target=None, port=DEFAULT_PORT, out=print):
    """Diagnose a laptop: print one line per check; return the number of problems found.

    ``bundle`` None checks only the machine and the installed course in ``target``.
    """
    target = target or default_target()
    problems = []

    def report(problem, ok_text=""):
        if problem:
            problems.append(problem)
        out(("PROBLEM  " + problem) if problem else ("ok       " + ok_text))

    out(
        "OSINT Lab doctor - Python %s on %s"
        % (platform.python_version(), PLATFORM_NAMES.get(machine_key(), machine_key()))
    )
    info = {"pythons": [], "platforms": []}
    if bundle:
        try:
            info = load_bundle(bundle)
        except BundleError as exc:
            report(str(exc))
            bundle = None
    report(
        check_python(info),
        "Python %s is supported%s" % (python_key(), bundle and " by this bundle" or ""),
    )
    if bundle:
        report(
            check_platform(info) or check_combo(info),
            "the bundle carries wheels for this computer (%s)" % combo_key(),
        )
    report(check_venv(), "Python can create virtual environments")
    report(check_disk(target, needed_bytes(info)), "enough free disk space for %s" % target)
    report(check_port(port), "port %d is free for JupyterLab" % port)
    if bundle:
        try:
            lines = file_problems(verify_files(bundle))
            for line in lines:
                report(line)
            if not lines:
                report(
                    None, "all %d bundle files match %s" % (len(read_manifest(bundle)), MANIFEST)
                )
        except BundleError as exc:
            report(str(exc))
    installed = os.path.join(target, ".venv")
    if os.path.isdir(installed):
        try:
            ok = (
                subprocess.run(
                    [venv_python(installed), "-c", "import osintlab"],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    env=offline_pip_env(),
                    timeout=120,
                ).returncode
                == 0
            )
        except (OSError, subprocess.SubprocessError):
            ok = False
        report(
            None
            if ok
            else (
                "the course installed in %s does not start (an antivirus may have removed "
                "files from it): reinstall with the installer's --force (your work is kept "
                "in a backup folder)" % target
            ),
            "the course installed in %s starts" % target,
        )
    out("%d problem(s) found" % len(problems) if problems else "no problems found")
    return len(problems)


# -- install -----------------------------------------------------------------------------------


def venv_python(venv):
    if os.name == "nt":
        return os.path.join(venv, "Scripts", "python.exe")
    return os.path.join(venv, "bin", "python")


def offline_pip_env():
    """The environment for pip: no configuration files, no index, nothing from the network."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(
        PIP_CONFIG_FILE=os.devnull,
        PIP_NO_INDEX="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1",
        PYTHONNOUSERSITE="1",
    )
    env.pop("PYTHONPATH", None)
    return env


def _step(n, total, text):
    print("[%d/%d] %s" % (n, total, text), flush=True)


def _pip_install(python, bundle, requirements, log):
    cmd = [
        python,
        "-m",
        "pip",
        "install",
        "--no-index",
        "--find-links",
        os.path.join(bundle, "wheels"),
        "--only-binary=:all:",
        "--progress-bar",
        "off",
        "-r",
        requirements,
    ]
    with open(log, "a", encoding="utf-8") as fh:
        fh.write("$ %s\n" % " ".join(cmd))
        fh.flush()
        rc = subprocess.call(cmd, stdout=fh, stderr=subprocess.STDOUT, env=offline_pip_env())
    if rc:
        with open(log, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        if "No space left" in text:
            raise OSError(errno.ENOSPC, "No space left on device")
        errors = [ln.strip() for ln in text.splitlines() if ln.startswith("ERROR")]
        raise BundleError(
            "pip could not install the wheels (%s): run the installer's doctor "
            "(doctor.bat / doctor.sh) and copy the bundle again if it reports a "
            "bad file" % (errors[-1] if errors else "exit code %d" % rc)
        )


def _launchers(target):
    # Start from the course folder: `osintlab` finds the course and its datasets from there.
    if os.name == "nt":
        path = os.path.join(target, "start-osintlab.bat")
        with open(path, "w", encoding="utf-8", newline="\r\n") as fh:
            fh.write('@echo off\r\ncd /d "%~dp0"\r\n".venv\\Scripts\\osintlab.exe" lab %*\r\n')
        return path
    path = os.path.join(target, "start-osintlab.sh")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('#!/bin/sh\ncd "$(dirname "$0")" && exec .venv/bin/osintlab lab "$@"\n')
    os.chmod(path, 0o755)
    return path


def _preflight(bundle, target, force):
    info = load_bundle(bundle)
    problems = [check_python(info), check_platform(info)]
    if not any(problems):
        problems.append(check_combo(info))
    problems.append(check_venv())
    problems = [p for p in problems if p]
    if problems:
        raise BundleError(problems[0])
    if os.path.exists(target) and (not os.path.isdir(target) or os.listdir(target)) and not force:
        raise BundleError(
            "%s already exists: start the installed course with %s, or reinstall "
            "with --force (your work there is kept as a backup folder)"
            % (
                target,
                os.path.join(
                    target, "start-osintlab.bat" if os.name == "nt" else "start-osintlab.sh"
                ),
            )
        )
    return info


def _verify_or_fail(bundle):
    lines = file_problems(verify_files(bundle))
    if lines:
        raise BundleError(lines[0] + ("" if len(lines) == 1 else " (and more: run the doctor)"))


def install(bundle, target=None, force=False, steps=None):
    """Install the course from ``bundle`` into ``target`` (course files + ``.venv``), offline.

    Verifies every checksum first; on any failure removes what it created (and puts back a
    previous install moved aside by ``force``), then raises BundleError with one line.
    Returns the seconds it took.
    """
    t0 = time.monotonic()
    bundle = os.path.abspath(bundle)
    target = os.path.abspath(target or default_target())
    total = 5 + len(steps or [])
    _step(1, total, "checking this computer and the bundle")
    info = _preflight(bundle, target, force)
    _step(2, total, "verifying the checksums of %d files" % len(read_manifest(bundle)))
    _verify_or_fail(bundle)
    problem = check_disk(target, needed_bytes(info))
    if problem:
        raise BundleError(problem)
    backup = None
    created = False
    was_empty = os.path.isdir(target) and not os.listdir(target)
    log = os.path.join(tempfile.gettempdir(), "osintlab-install-%d.log" % os.getpid())
    try:
        if os.path.exists(target) and force:
            backup = "%s.bak-%s" % (target, time.strftime("%Y%m%d-%H%M%S"))
            os.rename(target, backup)
        _step(3, total, "copying the course to %s" % target)
        created = True
        shutil.copytree(os.path.join(bundle, "course"), target, dirs_exist_ok=True)
        _step(4, total, "creating a virtual environment")
        venv = os.path.join(target, ".venv")
        rc = subprocess.call(
            [sys.executable, "-m", "venv", venv],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        if rc or not os.path.isfile(venv_python(venv)):
            raise BundleError(
                "Python could not create a virtual environment in %s: run the "
                "doctor (doctor.bat / doctor.sh)" % venv
            )
        _step(5, total, "installing the course and its libraries offline (a few minutes)")
        _pip_install(
            venv_python(venv), bundle, os.path.join(bundle, "wheels", combo_key() + ".txt"), log
        )
        check = subprocess.run(
            [venv_python(venv), "-c", "import osintlab, nbgrader, jupyterlab"],
            capture_output=True,
            text=True,
            env=offline_pip_env(),
        )
        if check.returncode:
            raise BundleError(
                "the installed course does not start (%s): run the doctor"
                % (check.stderr.strip().splitlines() or ["?"])[-1]
            )
        for i, step in enumerate(steps or [], 6):
            _step(i, total, step.__doc__.strip().splitlines()[0] if step.__doc__ else "setup")
            step(target, venv)
        launcher = _launchers(target)
    except BaseException as exc:
        if created and os.path.exists(target):
            shutil.rmtree(target, ignore_errors=True)
            if was_empty:
                os.mkdir(target)  # it was there, empty, before we started
        if backup:
            os.rename(backup, target)
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            raise BundleError(
                "the disk is full: free some space (or install elsewhere with "
                "--target) and run the installer again; nothing was installed"
            )
        if isinstance(exc, KeyboardInterrupt):
            raise BundleError("installation interrupted; nothing was installed")
        if isinstance(exc, BundleError):
            raise BundleError(str(exc) + "; nothing was installed")
        if isinstance(exc, OSError):
            raise BundleError(
                "cannot write %s (%s): pick a folder you may write to with "
                "--target; nothing was installed"
                % (getattr(exc, "filename", None) or target, exc.strerror or exc)
            )
        raise
    if os.path.exists(log):
        os.remove(log)
    print(
        "Installed OSINT Lab in %s in %.0f s. Start it with: %s"
        % (target, time.monotonic() - t0, launcher)
    )
    if backup:
        print("Your previous install (and work) is kept in %s" % backup)
    return time.monotonic() - t0


# -- the classroom server (Linux) --------------------------------------------------------------

USERNAME = re.compile(r"^[a-z_][a-z0-9_-]{0,31}$")


def read_accounts(path):
    """Trainee user names from a CSV with a ``username`` column (a header row), validated.

    Raises BundleError naming the first bad row, before anything is installed.
    """
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise BundleError(
            "cannot read the accounts file %s (%s): give a CSV with a 'username' "
            "column" % (path, exc.strerror or exc)
        )
    if not rows or "username" not in rows[0]:
        raise BundleError(
            "%s has no 'username' column: the first line must be a header such "
            "as 'username,full_name'" % path
        )
    names = []
    for n, row in enumerate(rows, 2):
        name = (row.get("username") or "").strip()
        if not USERNAME.match(name):
            raise BundleError(
                "%s line %d: %r is not a valid Linux user name (lower-case "
                "letters, digits, - and _, starting with a letter)" % (path, n, name)
            )
        if name in names:
            raise BundleError("%s line %d: %r appears twice" % (path, n, name))
        names.append(name)
    return names


def _copy_server_files(bundle):
    """copy the hub configuration and configurable-http-proxy"""

    def step(prefix, venv):
        shutil.copytree(os.path.join(bundle, "server", "deploy"), os.path.join(prefix, "deploy"))
        chp = os.path.join(bundle, "server", "chp")
        if os.path.isdir(chp):
            shutil.copytree(chp, os.path.join(prefix, "chp"), symlinks=True)
            entry = os.path.join(
                prefix,
                "chp",
                "node_modules",
                "configurable-http-proxy",
                "bin",
                "configurable-http-proxy",
            )
            if os.path.isfile(entry):
                os.chmod(entry, 0o755)
                link = os.path.join(venv, "bin", "configurable-http-proxy")
                with open(link, "w") as fh:
                    fh.write('#!/bin/sh\nexec node "%s" "$@"\n' % entry)
                os.chmod(link, 0o755)

    step.__doc__ = _copy_server_files.__doc__
    return step


def _system_setup(prefix_info):
    """configure the exchange, accounts, nbgrader and the jupyterhub service"""
    accounts, trainer, created = (
        prefix_info["accounts"],
        prefix_info["trainer"],
        prefix_info["created"],
    )

    def run(cmd):
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def write(path, text, mode=0o644):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if not os.path.exists(path):
            created.append(path)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(path, mode)

    def step(prefix, venv):
        import secrets

        for name in [trainer] + accounts:
            if subprocess.run(["id", "-u", name], capture_output=True).returncode:
                run(["useradd", "--create-home", "--shell", "/bin/bash", name])
                prefix_info["users"].append(name)
        exchange = "/srv/nbgrader/exchange"
        if not os.path.isdir(exchange):
            os.makedirs(exchange)
            created.append(exchange)
        os.chmod(exchange, 0o1777)
        datasets = "/srv/osintlab-datasets"
        if not os.path.exists(datasets):
            shutil.copytree(os.path.join(prefix, "datasets"), datasets)
            created.append(datasets)
        home = os.path.expanduser("~" + trainer)
        course = os.path.join(home, "osintlab")
        if not os.path.exists(course):
            shutil.copytree(os.path.join(prefix_info["bundle"], "course"), course)
            created.append(course)
            run(["chown", "-R", "%s:%s" % (trainer, trainer), course])
        write(
            os.path.join(home, ".jupyter", "nbgrader_config.py"),
            open(os.path.join(prefix, "deploy", "trainer_nbgrader_config.py")).read(),
        )
        run(["chown", "-R", "%s:%s" % (trainer, trainer), os.path.join(home, ".jupyter")])
        write(
            "/etc/jupyter/nbgrader_config.py",
            open(os.path.join(prefix, "deploy", "nbgrader_global.py")).read(),
        )
        secrets_dir = os.path.join(prefix, "secrets")
        os.makedirs(secrets_dir, mode=0o700, exist_ok=True)
        workshop = prefix_info["password"] or "workshop-" + secrets.token_hex(4)
        write(os.path.join(secrets_dir, "workshop-password"), workshop + "\n", 0o600)
        write(os.path.join(secrets_dir, "trainer-password"), secrets.token_hex(20) + "\n", 0o600)
        env = {
            "OSINTLAB_PASSWORD_FILE": os.path.join(secrets_dir, "workshop-password"),
            "OSINTLAB_ADMIN_PASSWORD_FILE": os.path.join(secrets_dir, "trainer-password"),
            "OSINTLAB_TRAINERS": trainer,
            "OSINTLAB_TRAINEES": ",".join(accounts),
            "OSINTLAB_EXCHANGE": exchange,
            "OSINTLAB_HUB_URL": "http://:%d" % HUB_PORT,
            "PATH": "%s:/usr/local/bin:/usr/bin:/bin" % os.path.join(venv, "bin"),
        }
        write(
            os.path.join(prefix, "jupyterhub_config.py"),
            "# OSINT Lab classroom hub (written by install.py --server)\n"
            "import os\nload_subconfig(%r)\n"
            "c.Spawner.environment.update({'OSINTLAB_DATA': %r})\n"
            % (os.path.join(prefix, "deploy", "jupyterhub_config.py"), datasets),
        )
        write(
            "/etc/systemd/system/osintlab-hub.service",
            "[Unit]\nDescription=OSINT Lab workshop JupyterHub\nAfter=network.target\n\n"
            "[Service]\nWorkingDirectory=%s\n%s\nExecStart=%s -m jupyterhub -f %s\n"
            "Restart=on-failure\n\n[Install]\nWantedBy=multi-user.target\n"
            % (
                prefix,
                "\n".join("Environment=%s=%s" % kv for kv in sorted(env.items())),
                venv_python(venv),
                os.path.join(prefix, "jupyterhub_config.py"),
            ),
        )
        if shutil.which("systemctl"):
            subprocess.run(["systemctl", "daemon-reload"], capture_output=True)
        print(
            "    trainees log in with the workshop password in %s; the trainer (%s) with "
            "the password in %s; start the hub: systemctl enable --now osintlab-hub"
            % (
                os.path.join(secrets_dir, "workshop-password"),
                trainer,
                os.path.join(secrets_dir, "trainer-password"),
            )
        )

    step.__doc__ = _system_setup.__doc__
    return step


def install_server(
    bundle,
    prefix="/opt/osintlab-hub",
    accounts=None,
    trainer="trainer",
    password=None,
    system=True,
    force=False,
):
    """Install the classroom JupyterHub from the bundle into ``prefix`` (Linux, no network).

    ``prefix`` gets the course (``course/``), a virtual environment with the course and
    JupyterHub (``.venv``), the tested hub configuration (``deploy/``) and configurable-http-proxy
    (``chp/``, if the bundle carries it). With ``system`` (as root) it also creates the Linux
    accounts of the trainer and of every trainee in the ``accounts`` CSV, the exchange
    ``/srv/nbgrader/exchange``, ``/etc/jupyter/nbgrader_config.py``, read-only datasets in
    ``/srv/osintlab-datasets``, the trainer's course in ``~trainer/osintlab`` and the systemd
    service ``osintlab-hub``. A failure undoes all of it.
    """
    info = load_bundle(bundle)
    if not machine_key().startswith("linux"):
        raise BundleError(
            "the classroom server installs on Linux only; on this computer use "
            "the laptop install (install.bat / install.sh without --server)"
        )
    names = read_accounts(accounts) if accounts else []
    if system and hasattr(os, "geteuid") and os.geteuid() != 0:
        raise BundleError(
            "the server install creates accounts and a service: run it as root "
            "(sudo ./install.sh --server ...), or with --no-system for the hub "
            "files only"
        )
    if not USERNAME.match(trainer):
        raise BundleError("%r is not a valid Linux user name for the trainer" % trainer)
    if (
        system
        and not os.path.isdir(os.path.join(bundle, "server", "chp"))
        and not shutil.which("configurable-http-proxy")
    ):
        raise BundleError(
            "the bundle carries no configurable-http-proxy and none is installed: "
            "rebuild the bundle where npm is available, or install it first "
            "(npm install -g configurable-http-proxy@5)"
        )
    if system and not shutil.which("node") and os.path.isdir(os.path.join(bundle, "server", "chp")):
        raise BundleError(
            "Node.js is not installed (configurable-http-proxy needs it): install "
            "the distribution's nodejs package (apt install nodejs) first"
        )
    if not info.get("combos", {}).get(combo_key(), {}).get("server"):
        raise BundleError(
            "the bundle has no server wheel set for Python %s: ask the trainer "
            "for a bundle built with --platform linux-x86_64 --python %s"
            % (python_key(), python_key())
        )
    state = {
        "bundle": os.path.abspath(bundle),
        "accounts": names,
        "trainer": trainer,
        "created": [],
        "users": [],
        "password": password,
    }
    steps = [_copy_server_files(bundle)] + ([_system_setup(state)] if system else [])
    try:
        return install(bundle, prefix, force=force, steps=steps)
    except BaseException:
        for path in reversed(state["created"]):
            if os.path.isdir(path):
                shutil.rmtree(path, ignore_errors=True)
            elif os.path.exists(path):
                os.remove(path)
        for name in state["users"]:
            subprocess.run(["userdel", "--remove", name], capture_output=True)
        raise


# -- command line ------------------------------------------------------------------------------


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(
        prog="install",
        description="Install OSINT Lab from this "
        "bundle with no network, or diagnose a laptop (doctor).",
    )
    p.add_argument("--bundle", default=here, help="the bundle folder (default: this folder)")
    p.add_argument("--target", help="where to install (default: %s)" % default_target())
    p.add_argument(
        "--force",
        action="store_true",
        help="reinstall over an existing install (the old one is kept as a backup)",
    )
    p.add_argument("--doctor", action="store_true", help="check this computer and the bundle")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help="port the doctor checks")
    p.add_argument(
        "--server", action="store_true", help="install the classroom JupyterHub (Linux, as root)"
    )
    p.add_argument("--prefix", default="/opt/osintlab-hub", help="where the server goes")
    p.add_argument("--accounts", help="CSV of trainee accounts (a 'username' column)")
    p.add_argument("--trainer", default="trainer", help="the trainer's user name")
    p.add_argument("--workshop-password", help="the trainees' shared password (default: random)")
    p.add_argument(
        "--no-system",
        action="store_true",
        help="server: only the hub files in --prefix, no accounts or service",
    )
    args = p.parse_args(argv)
    try:
        if args.doctor:
            return 1 if doctor(args.bundle, args.target, args.port) else 0
        if args.server:
            install_server(
                args.bundle,
                args.prefix,
                args.accounts,
                args.trainer,
                args.workshop_password,
                system=not args.no_system,
                force=args.force,
            )
        else:
            install(args.bundle, args.target, force=args.force)
    except BundleError as exc:
        print("install: " + str(exc), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
