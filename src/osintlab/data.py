"""Find and load the scenario's datasets from wherever a notebook runs.

The folder is found in this order:

1. the ``OSINTLAB_DATA`` environment variable (a trainer pointing a cohort at a fresh seed);
2. a ``datasets/`` folder with a ``manifest.json`` in the current folder or any parent
   (``course/``, ``solutions/M/``, ``exercises/M/``, nbgrader's ``autograded/STUDENT/M/``);
3. the ``datasets/`` of the checkout this package was installed from (``pip install -e .``);
4. the default seed's datasets in the per-user cache (a trainee's home after an exchange fetch,
   far from any checkout), as long as the generator that built them is this package's: the
   same :data:`GENERATOR_VERSION` in their ``manifest.json`` and the same
   :func:`generator_fingerprint` (the source the generator runs) in the note the CLI writes
   next to the cache, so an upgraded osintlab rebuilds the cache even if nobody bumped the
   version.

This module only finds, checks and loads: it never runs the scenario generator. When nothing is
found, or the cache is stale, :class:`DatasetError` names the command that prepares the data
(``osintlab data build``; ``osintlab lab`` prepares the cache by itself).

    >>> folder = datasets_dir()          # doctest: +SKIP
    >>> load("briefing/cast.csv").head() # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path, PurePosixPath

from .reference.hashing import sha256_file

__all__ = [
    "DatasetError",
    "datasets_dir",
    "path",
    "load",
    "manifest",
    "verify",
    "DEFAULT_SEED",
    "GENERATOR_VERSION",
    "cache_dir",
    "cached_datasets_dir",
    "stale_reason",
    "generator_fingerprint",
    "mark_cache_built",
]

DEFAULT_SEED = 20260301
ENV = "OSINTLAB_DATA"

#: Version of the scenario generator whose datasets this package reads. ``osintlab data build``
#: writes it into ``manifest.json``; bump it whenever a view changes what it writes, so that a
#: per-user cache built by an older version is rebuilt instead of served against new answer keys.
GENERATOR_VERSION = 1


class DatasetError(RuntimeError):
    """A dataset is missing, corrupt or out of date. The message names the file."""


def cache_dir() -> Path:
    """Per-user cache folder (``%LOCALAPPDATA%`` on Windows, ``~/.cache`` elsewhere)."""
    base = (
        os.environ.get("OSINTLAB_CACHE")
        or os.environ.get("LOCALAPPDATA")
        or os.environ.get("XDG_CACHE_HOME")
        or str(Path.home() / ".cache")
    )
    return Path(base) / "osintlab"


def _is_datasets(folder: Path) -> bool:
    return (folder / "manifest.json").is_file()


def datasets_dir(start: str | os.PathLike | None = None) -> Path:
    """Return the datasets folder in use (see the module docstring for the search order)."""
    env = os.environ.get(ENV)
    if env:
        folder = Path(env).expanduser()
        if not _is_datasets(folder):
            raise DatasetError(
                f"{ENV}={env}: no manifest.json there; build it with "
                f"'osintlab data build --out {env}'"
            )
        return folder.resolve()
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _is_datasets(folder / "datasets"):
            return folder / "datasets"
    repo = Path(__file__).resolve().parents[2] / "datasets"
    if _is_datasets(repo):
        return repo
    return _cached_default()


def cached_datasets_dir() -> Path:
    """Where the default seed's datasets live in the per-user cache (they may not exist yet)."""
    return cache_dir() / f"datasets-{DEFAULT_SEED}"


#: The parts of the package that are not the generator or anything it calls: editing them
#: never changes a dataset (the trainer machinery and the command line sit above the generator).
_NOT_GENERATOR = ("trainer", "cli.py", "__main__.py")


@lru_cache(maxsize=1)
def generator_fingerprint() -> str:
    """SHA-256 over the source the scenario generator runs: every module of this package
    below the trainer machinery (the generator, and the toolkit and reference code it calls)
    and the package's resources. Any edit to them gives another fingerprint.

    >>> len(generator_fingerprint()), generator_fingerprint() == generator_fingerprint()
    (64, True)
    """
    root = Path(__file__).resolve().parent
    files = {}
    for p in root.rglob("*"):
        rel = p.relative_to(root)
        if rel.parts[0] in _NOT_GENERATOR or "__pycache__" in rel.parts or not p.is_file():
            continue
        if p.suffix == ".py" or rel.parts[0] == "resources":
            files[rel.as_posix()] = p
    h = hashlib.sha256(f"generator {GENERATOR_VERSION}\n".encode())
    for rel in sorted(files):
        h.update(rel.encode() + b"\0" + hashlib.sha256(files[rel].read_bytes()).digest())
    return h.hexdigest()


def _fingerprint_note(folder: Path) -> Path:
    return folder.with_name(folder.name + ".generator")


def mark_cache_built(folder: str | os.PathLike | None = None) -> Path:
    """Record next to a freshly built per-user cache which generator built it (the CLI calls
    this after ``osintlab data build`` fills the cache); return the note's path."""
    note = _fingerprint_note(Path(folder or cached_datasets_dir()))
    note.write_text(generator_fingerprint() + "\n", encoding="utf-8")
    return note


def stale_reason(folder: str | os.PathLike) -> str | None:
    """Why the datasets in ``folder`` do not fit this package (missing, unreadable manifest, or
    built by another generator version; for the per-user cache also built from other
    generator source), or ``None`` if they do."""
    folder = Path(folder)
    if not _is_datasets(folder):
        return f"{folder}: no datasets there (no manifest.json)"
    try:
        found = _read_manifest(folder / "manifest.json").get("generator_version")
    except DatasetError as exc:
        return str(exc)
    if found != GENERATOR_VERSION:
        return (
            f"{folder}: built by scenario generator version {found}, this osintlab reads "
            f"version {GENERATOR_VERSION}"
        )
    if folder.resolve() == cached_datasets_dir().resolve():
        note = _fingerprint_note(folder)
        try:
            built_by = note.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            built_by = None
        if built_by != generator_fingerprint():
            return (
                f"{folder}: built by another osintlab than this one "
                f"({note.name} {'does not match' if built_by else 'is missing'})"
            )
    return None


def _cached_default() -> Path:
    folder = cached_datasets_dir()
    if not _is_datasets(folder):
        raise DatasetError(
            "no datasets found: OSINTLAB_DATA is not set, there is no datasets/ "
            "folder here or above, none in the osintlab checkout and none in the "
            f"per-user cache {folder}; run 'osintlab data build' to prepare them"
        )
    why = stale_reason(folder)
    if why:
        raise DatasetError(f"{why}; run 'osintlab data build' to rebuild the cache")
    return folder


def path(name: str) -> Path:
    """Absolute path of dataset file ``name`` (``'briefing/cast.csv'``); it must exist.

    >>> path("no/such.csv")  # doctest: +SKIP
    Traceback (most recent call last):
    osintlab.data.DatasetError: .../datasets/no/such.csv: no such dataset file ...
    """
    rel = PurePosixPath(str(name).replace("\\", "/"))
    if rel.is_absolute() or ".." in rel.parts:
        raise DatasetError(f"{name!r}: give a path inside datasets/, e.g. 'briefing/cast.csv'")
    folder = datasets_dir()
    target = folder.joinpath(*rel.parts)
    if not target.exists():
        raise DatasetError(f"{target}: no such dataset file (see datasets/README.md for the list)")
    return target


def manifest() -> dict:
    """The manifest of the datasets in use: seed and, per file, SHA-256, size and schema."""
    folder = datasets_dir()
    return _read_manifest(folder / "manifest.json")


@lru_cache(maxsize=8)
def _read_manifest_cached(p: str, mtime: int) -> dict:
    try:
        return json.loads(Path(p).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DatasetError(
            f"{p}: manifest is corrupt ({exc}); rebuild with 'osintlab data build --force'"
        ) from None


def _read_manifest(p: Path) -> dict:
    return _read_manifest_cached(str(p), p.stat().st_mtime_ns)


_VERIFIED: dict[tuple, bool] = {}


def verify(name: str | None = None) -> list[str]:
    """Check files against the manifest; return the problems (empty when all is well).

    ``name`` checks one file (raising :class:`DatasetError` if it is damaged); ``None`` checks
    every file, and that the generator version is this package's, and returns one line per
    problem.
    """
    folder = datasets_dir()
    found = _read_manifest(folder / "manifest.json")
    files = found.get("files", {})
    names = [name] if name is not None else sorted(files)
    problems = []
    if name is None and found.get("generator_version") != GENERATOR_VERSION:
        problems.append(
            f"{folder}: built by scenario generator version "
            f"{found.get('generator_version')}, this osintlab reads version "
            f"{GENERATOR_VERSION} (rebuild with 'osintlab data build --force')"
        )
    for rel in names:
        entry = files.get(rel)
        target = folder.joinpath(*PurePosixPath(rel).parts)
        if entry is None:
            problems.append(f"{target}: not listed in manifest.json")
            continue
        if not target.exists():
            problems.append(f"{target}: missing (listed in manifest.json)")
            continue
        if target.is_dir():
            continue
        st = target.stat()
        stamp = (str(target), st.st_size, st.st_mtime_ns)
        if _VERIFIED.get(stamp):
            continue
        if st.st_size != entry["bytes"]:
            problems.append(
                f"{target}: {st.st_size} bytes, manifest says {entry['bytes']} "
                "(truncated or altered)"
            )
        elif sha256_file(target) != entry["sha256"]:
            problems.append(f"{target}: SHA-256 differs from manifest.json (altered or corrupt)")
        else:
            _VERIFIED[stamp] = True
    if name is not None and problems:
        raise DatasetError(problems[0] + "; rebuild with 'osintlab data build --force'")
    return problems


def load(name: str, *, verify_hash: bool = True):
    """Load a dataset file: CSV → DataFrame (typed from the manifest), JSON → Python data,
    SQLite → a read-only connection, anything else → its :class:`~pathlib.Path`.

    UTC columns become time-zone-aware ``datetime64[ns, UTC]``; local times written without an
    offset stay text on purpose, so that converting them is the trainee's deliberate step.
    """
    target = path(name)
    rel = PurePosixPath(str(name).replace("\\", "/")).as_posix()
    if verify_hash and target.is_file():
        verify(rel)
    suffix = target.suffix.lower()
    if suffix == ".csv":
        return _load_csv(target, rel)
    if suffix == ".json":
        try:
            return json.loads(target.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise DatasetError(f"{target}: not valid JSON ({exc})") from None
    if suffix in {".sqlite", ".db"}:
        import sqlite3

        return sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True)
    return target


def _load_csv(target: Path, rel: str):
    import pandas as pd

    entry = manifest().get("files", {}).get(rel, {})
    types = entry.get("types", {})
    str_cols = [c for c in entry.get("columns", {}) if types.get(c, "str") == "str"]
    try:
        df = pd.read_csv(
            target,
            dtype={c: str for c in str_cols},
            keep_default_na=False,
            na_values={c: [""] for c in types if types[c] != "str"},
        )
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise DatasetError(f"{target}: cannot read CSV ({exc})") from None
    for col, kind in types.items():
        if col not in df.columns:
            raise DatasetError(f"{target}: column {col!r} missing (see datasets/README.md)")
        if kind == "datetime_utc":
            df[col] = pd.to_datetime(df[col], utc=True, format="ISO8601")
        elif kind == "int":
            df[col] = df[col].astype("Int64") if df[col].isna().any() else df[col].astype("int64")
        elif kind == "float":
            df[col] = df[col].astype("float64")
        elif kind == "bool":
            df[col] = df[col].map({"True": True, "False": False, True: True, False: False})
    return df
