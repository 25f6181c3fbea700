"""Intake for ``osintlab grade``: read a cohort's submissions from an LMS ZIP, a folder
``STUDENT/MODULE/*.ipynb`` or nbgrader's exchange inbox, into :class:`Submission` records.

Every file a trainee handed in is assigned to a student and a module, or reported as not
assigned; nothing here runs a trainee's code.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .nbgrader import exchange_inbound

__all__ = [
    "Submission",
    "collect_submissions",
    "DEFAULT_REGEXP",
    "GradeError",
    "safe_student_id",
]


#: Default file-name pattern for LMS downloads: ``<student>_<anything with the module>.ipynb``.
DEFAULT_REGEXP = r".*[/\\](?P<student_id>[^/\\_]+)_(?P<file_id>[^/\\]+\.ipynb)$"


class GradeError(ValueError):
    """Bad input to ``osintlab grade`` (the message names it)."""


def safe_student_id(raw: str) -> str:
    """A student id nbgrader and file systems accept: letters, digits, ``. _ @ -``.

    >>> safe_student_id("Jane Doe")
    'Jane_Doe'
    """
    sid = re.sub(r"[^A-Za-z0-9._@-]+", "_", raw.strip()).strip("._")
    if not sid:
        raise GradeError(f"student id {raw!r} has no usable characters")
    return sid


@dataclass
class Submission:
    student: str
    module: str
    files: dict = field(default_factory=dict)  # notebook name -> Path
    extra: dict = field(default_factory=dict)  # other file name -> Path (timestamp, secret)
    problems: list = field(default_factory=list)  # why (part of) it cannot be graded
    notes: list = field(default_factory=list)  # graded, but worth knowing
    timestamp: str | None = None


# ---------------------------------------------------------------------------------------------
# Intake
# ---------------------------------------------------------------------------------------------


def _module_of(name: str, modules: list[str]) -> str | None:
    low = name.lower()
    for m in sorted(modules, key=len, reverse=True):
        if m.lower() in low:
            return m
    for num in re.findall(r"(?<!\d)(\d\d)(?!\d)", low):
        hits = [m for m in modules if m.startswith(num + "-")]
        if len(hits) == 1:
            return hits[0]
    return None


def _assign_files(sub: Submission, candidates: list[Path], expected: list[str]) -> None:
    """Map found notebooks onto the module's expected notebook names."""
    by_name = {p.stem: p for p in candidates}
    leftovers = [p for p in candidates if p.stem not in expected]
    for name in expected:
        if name in by_name:
            sub.files[name] = by_name[name]
    missing = [n for n in expected if n not in sub.files]
    if len(missing) == 1 and leftovers:
        pick = max(leftovers, key=lambda p: p.stat().st_mtime)
        sub.files[missing[0]] = pick
        sub.notes.append(f"wrongly named file {pick.name!r} graded as {missing[0]}.ipynb")
        leftovers.remove(pick)
        missing = []
    for name in missing:
        sub.problems.append(f"missing notebook {name}.ipynb")
    if leftovers:
        sub.notes.append("ignored extra file(s) " + ", ".join(sorted(p.name for p in leftovers)))


def _from_folders(root: Path, expected: dict[str, list[str]]) -> list[Submission]:
    subs = []
    for sdir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        student = safe_student_id(sdir.name)
        loose: dict[str, list[Path]] = {}  # STUDENT/<module>.ipynb without a folder
        for nb in sorted(sdir.glob("*.ipynb")):
            module = _module_of(nb.name, list(expected))
            if module is not None and not (sdir / module).is_dir():
                loose.setdefault(module, []).append(nb)
        for module, cands in loose.items():
            sub = Submission(student, module)
            _assign_files(sub, cands, expected[module])
            subs.append(sub)
        for mdir in sorted(p for p in sdir.iterdir() if p.is_dir()):
            module = mdir.name if mdir.name in expected else _module_of(mdir.name, list(expected))
            if module is None:
                continue
            sub = Submission(student, module)
            if mdir.name != module:
                sub.notes.append(f"folder {mdir.name!r} taken as module {module}")
            subs.append(_fill_from_folder(sub, mdir, expected[module]))
    return subs


def _fill_from_folder(sub, folder: Path, expected_names):
    """Attach the notebooks and nbgrader's submission files found in ``folder`` to ``sub``."""
    cands = [p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts]
    _assign_files(sub, cands, expected_names)
    for extra in ("timestamp.txt", "submission_secret.txt"):
        if (folder / extra).is_file():
            sub.extra[extra] = folder / extra
    return sub


def _looks_like_folders(root: Path, modules: list[str]) -> bool:
    return any(
        m.is_dir() and m.name in modules for s in root.iterdir() if s.is_dir() for m in s.iterdir()
    )


def _from_zip(
    archive: Path, work: Path, expected: dict[str, list[str]], regexp: str
) -> tuple[list[Submission], list[str]]:
    from nbgrader.plugins import ExtractorPlugin, FileNameCollectorPlugin

    try:
        with zipfile.ZipFile(archive) as zf:
            bad = zf.testzip()
    except zipfile.BadZipFile as exc:
        raise GradeError(f"{archive}: not a readable ZIP file ({exc})") from None
    if bad:
        raise GradeError(f"{archive}: ZIP member {bad!r} is corrupt")
    arch, extracted = work / "archive", work / "extracted"
    arch.mkdir(parents=True)
    shutil.copy2(archive, arch / archive.name)
    ExtractorPlugin(force=True).extract(str(arch), str(extracted))
    if _looks_like_folders(extracted, list(expected)):
        return _from_folders(extracted, expected), []
    inner = [p for p in extracted.iterdir() if p.is_dir()]
    if len(inner) == 1 and _looks_like_folders(inner[0], list(expected)):
        return _from_folders(inner[0], expected), []
    collector = FileNameCollectorPlugin(named_regexp=regexp)
    found: dict[tuple[str, str], list[Path]] = {}
    unmatched = []
    for path in sorted(extracted.rglob("*")):
        if not path.is_file() or "__MACOSX" in path.parts:
            continue
        info = collector.collect(str(path))
        if info is None:
            if path.suffix == ".ipynb":
                unmatched.append(
                    f"{path.name}: file name does not match the pattern <student>_<module>.ipynb"
                )
            continue
        module = _module_of(info["file_id"], list(expected))
        if module is None:
            unmatched.append(f"{path.name}: cannot tell which module it is for")
            continue
        found.setdefault((safe_student_id(info["student_id"]), module), []).append(path)
    subs = []
    for (student, module), paths in sorted(found.items()):
        sub = Submission(student, module)
        # LMS file names carry a prefix; the notebook itself is named by what follows it.
        renamed = []
        for p in paths:
            stem = next((n for n in expected[module] if p.stem.endswith(n)), None)
            renamed.append((p, stem))
        cands = []
        for p, stem in renamed:
            if stem:
                sub.files.setdefault(stem, p)
            else:
                cands.append(p)
        missing = [n for n in expected[module] if n not in sub.files]
        if missing and cands:
            _assign_files(sub, cands, missing)
        elif missing:
            sub.problems += [f"missing notebook {n}.ipynb" for n in missing]
        subs.append(sub)
    return subs, unmatched


def _from_exchange(inbound: Path, expected: dict[str, list[str]]) -> list[Submission]:
    latest: dict[tuple[str, str], tuple[str, Path]] = {}
    for entry in inbound.iterdir():
        parts = entry.name.split("+")
        if not entry.is_dir() or len(parts) < 3:
            continue
        student, module, stamp = parts[0], parts[1], parts[2]
        if module not in expected:
            continue
        key = (student, module)
        if key not in latest or stamp > latest[key][0]:
            latest[key] = (stamp, entry)
    subs = []
    for (student, module), (stamp, entry) in sorted(latest.items()):
        sub = Submission(safe_student_id(student), module, timestamp=stamp)
        subs.append(_fill_from_folder(sub, entry, expected[module]))
    return subs


def collect_submissions(
    source: Path,
    expected: dict[str, list[str]],
    work: Path,
    *,
    regexp: str = DEFAULT_REGEXP,
    course_id: str = "osintlab",
) -> tuple[list[Submission], list[str], str]:
    """Read SOURCE; return (submissions, problems with unassignable files, kind of source)."""
    source = Path(source)
    if not source.exists():
        raise GradeError(f"{source}: no such file or folder")
    if source.is_file():
        if source.suffix.lower() != ".zip":
            raise GradeError(
                f"{source}: expected a .zip (LMS download), a folder "
                "STUDENT/MODULE/*.ipynb or an nbgrader exchange inbox"
            )
        subs, unmatched = _from_zip(source, work, expected, regexp)
        return subs, unmatched, "zip"
    inbound = exchange_inbound(source, course_id)
    if inbound is not None:
        return _from_exchange(inbound, expected), [], "exchange"
    return _from_folders(source, expected), [], "folders"


def _normalise(path: Path, max_bytes: int) -> tuple[object | None, str | None]:
    """Read a submitted notebook, clear its outputs; (notebook, None) or (None, problem)."""
    import nbformat

    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, f"unreadable notebook {path.name} ({exc.strerror})"
    if size > max_bytes:
        # Huge files are nearly always huge outputs; stream-parse would be nicer, but the JSON
        # still has to fit in memory once. Refuse beyond the limit rather than stall the batch.
        return None, f"notebook {path.name} is {size / 1e6:.0f} MB (limit {max_bytes / 1e6:.0f} MB)"
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # nbformat raises many kinds for a broken file
        msg = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        return None, f"corrupt notebook {path.name} ({msg})"
    if not isinstance(nb.get("cells"), list):
        return None, f"corrupt notebook {path.name} (no cells)"
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        cell.get("metadata", {}).pop("execution", None)
    nb.metadata.pop("widgets", None)
    return nb, None
