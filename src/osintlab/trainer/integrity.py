"""Nothing the trainer owns may change while a cohort is graded.

``osintlab grade`` takes a :func:`fingerprint` of the course checkout, the datasets (with the
answer keys), the installed ``osintlab`` package and the packages that run and score the
notebooks (nbgrader, nbclient, nbconvert, jupyter_client, ipykernel, IPython, traitlets), and
the interpreter's start-up hooks (``*.pth``, ``sitecustomize.py``, IPython start-up files),
before the first notebook runs and again after the last. If anything differs it refuses to
report grades and names what changed (:func:`changes`). With the sandbox
(:mod:`osintlab.trainer.sandbox`) a trainee's code cannot write any of it; the check also
catches what the sandbox could not stop (grading without bubblewrap) and any other process
that changed the course meanwhile.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "keys.json").write_text("{}")
    >>> before = fingerprint({"datasets": d})
    >>> _ = (d / "keys.json").write_text('{"x": 1}')
    >>> changes(before, fingerprint({"datasets": d}))
    ['datasets: keys.json changed']
"""

from __future__ import annotations

import hashlib
import importlib
import os
import site
import sys
from pathlib import Path

__all__ = ["fingerprint", "changes", "snapshot", "trainer_paths", "out_problem", "PACKAGES"]

#: Installed packages whose code decides a grade.
PACKAGES = (
    "osintlab",
    "nbgrader",
    "nbclient",
    "nbconvert",
    "jupyter_client",
    "ipykernel",
    "IPython",
    "traitlets",
)

SKIP_DIRS = {
    ".git",
    "__pycache__",
    ".ipynb_checkpoints",
    ".pytest_cache",
    ".ruff_cache",
    ".mypy_cache",
    "node_modules",
    ".venv",
}


def _files(folder: Path, skip: tuple = ()):
    skip_abs = [os.path.realpath(s) for s in skip]
    for dirpath, dirnames, filenames in os.walk(folder):
        real = os.path.realpath(dirpath)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in SKIP_DIRS
            and not d.startswith("datasets.bak")
            and os.path.realpath(os.path.join(dirpath, d)) not in skip_abs
        )
        if any(real == s or real.startswith(s + os.sep) for s in skip_abs):
            continue
        for name in sorted(filenames):
            if name.endswith((".pyc", ".pyo")):
                continue
            yield Path(dirpath) / name


def _digest(path: Path) -> str:
    try:
        if path.is_symlink():
            return "link:" + os.readlink(path)
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()
    except OSError as exc:
        return f"unreadable:{exc.errno}"


def fingerprint(paths: dict, skip: tuple = ()) -> dict[str, dict]:
    """``{label: {relative path: sha256}}`` of every file under each labelled folder (or of
    each listed file, or of what a callable lists then); ``skip`` folders are left out."""
    out: dict[str, dict] = {}
    for label, where in paths.items():
        entries: dict[str, str] = {}
        if callable(where):
            where = where()
        items = where if isinstance(where, list) else [where]
        for item in items:
            item = Path(item)
            if item.is_dir():
                for f in _files(item, skip):
                    key = f.relative_to(item).as_posix()
                    entries[key if len(items) == 1 else f.as_posix()] = _digest(f)
            elif item.exists() or item.is_symlink():
                entries[item.as_posix() if len(items) > 1 else item.name] = _digest(item)
        out[label] = entries
    return out


def changes(before: dict, after: dict, limit: int = 12) -> list[str]:
    """What differs between two fingerprints, as ``label: path changed/added/removed``."""
    found = []
    for label in sorted(set(before) | set(after)):
        b, a = before.get(label, {}), after.get(label, {})
        for path in sorted(set(b) | set(a)):
            if path not in a:
                found.append(f"{label}: {path} removed")
            elif path not in b:
                found.append(f"{label}: {path} added")
            elif a[path] != b[path]:
                found.append(f"{label}: {path} changed")
    if len(found) > limit:
        found = found[:limit] + [f"... and {len(found) - limit} more"]
    return found


def _startup_files() -> list[Path]:
    folders = []
    try:
        folders += site.getsitepackages()
    except AttributeError:  # virtualenv's old site.py
        pass
    try:
        folders.append(site.getusersitepackages())
    except AttributeError:
        pass
    files: list[Path] = []
    for folder in dict.fromkeys(folders):
        p = Path(folder)
        if p.is_dir():
            files += sorted(p.glob("*.pth"))
            files += [p / n for n in ("sitecustomize.py", "usercustomize.py")]
    for p in sys.path:
        if p and os.path.isdir(p):
            files += [Path(p) / n for n in ("sitecustomize.py", "usercustomize.py")]
    startup = Path.home() / ".ipython" / "profile_default" / "startup"
    files.append(startup)
    return files


def trainer_paths(course_root: Path, datasets: Path | None) -> dict:
    """The folders and files :func:`fingerprint` covers for a grading run."""
    paths: dict[str, Path | list[Path]] = {"course": Path(course_root)}
    if datasets is not None:
        paths["datasets"] = Path(datasets)
    for name in PACKAGES:
        try:
            mod = importlib.import_module(name)
        except ImportError:
            continue
        if getattr(mod, "__file__", None):
            paths[f"package {name}"] = Path(mod.__file__).resolve().parent
    # start-up hooks, listed again at each fingerprint: a new .pth shows up as "added"
    paths["start-up hooks"] = _startup_files
    return paths


def out_problem(out: Path, course_root: Path, source: Path | None = None) -> str | None:
    """Why ``out`` may not be the output folder (inside the course, the package or the
    submissions), or None."""
    out = Path(os.path.realpath(out))
    places = [(Path(course_root), "the course checkout")]
    try:
        import osintlab

        places.append((Path(osintlab.__file__).parent, "the installed osintlab package"))
    except ImportError:  # pragma: no cover
        pass
    if source is not None and Path(source).is_dir():
        places.append((Path(source), "the submissions (SOURCE)"))
    for place, what in places:
        real = Path(os.path.realpath(place))
        if out == real or real in out.parents:
            return f"--out {out} is inside {what} ({real}); choose a folder outside it"
    return None


def snapshot(course_root: Path, datasets: Path | None, out: Path | None = None) -> dict:
    """The fingerprint of everything the trainer owns for a grading run (the course without
    its datasets, which are a label of their own, and without ``out``)."""
    paths = trainer_paths(course_root, datasets)
    course = {"course": paths.pop("course")}
    skip = tuple(str(p) for p in (datasets, out) if p is not None)
    return {**fingerprint(course, skip=skip), **fingerprint(paths)}
