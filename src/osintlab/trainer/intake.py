"""Intake for ``osintlab grade``: read a cohort's submissions from an LMS ZIP, a folder
``STUDENT/MODULE/*.ipynb`` or nbgrader's exchange inbox, into :class:`Submission` records.

Every file a trainee handed in is assigned to a student and a module, or reported as not
assigned; nothing here runs a trainee's code, and nothing is dropped without a note:

* a symbolic link anywhere in a source (a student folder pointing at ``solutions/``, a
  notebook pointing at a trainer's file, a link inside a ZIP) is refused, never followed;
* an exchange submission is refused when the user who owns it is not the student it names
  (nbgrader's own ``collect`` only warns), so a forged folder cannot replace a classmate's;
* ZIP members are checked (path, kind, size, compression) before a byte is written, and
  written by streaming with a running count, so a ZIP bomb costs neither memory nor disk;
* LMS resubmissions (``alice_01-foundations (1).ipynb``, ``…-v2``, ``…_2026-03-04T10-15``)
  grade the newest version and say which files were left out;
* two raw ids that clean up to the same id (``Jane Doe`` / ``Jane&Doe``) are both graded,
  under ids that stay apart, and reported; one bad file name never stops the cohort.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .nbgrader import exchange_inbound

__all__ = [
    "Submission",
    "collect_submissions",
    "check_gradebook",
    "DEFAULT_REGEXP",
    "GradeError",
    "safe_student_id",
    "assign_ids",
    "notebook_version",
    "extract_zip",
]

#: Default file-name pattern for LMS downloads: ``<student>_<anything with the module>.ipynb``.
DEFAULT_REGEXP = r".*[/\\](?P<student_id>[^/\\_]+)_(?P<file_id>[^/\\]+\.ipynb)$"

#: Largest single ZIP member (bytes) and largest total extracted from one ZIP.
MAX_MEMBER = 50_000_000
MAX_TOTAL = 2_000_000_000
#: A member that inflates more than this many times is refused (a ZIP bomb), unless tiny.
MAX_RATIO = 200
#: Nested ZIPs are opened this many levels deep.
MAX_DEPTH = 2


class GradeError(ValueError):
    """Bad input to ``osintlab grade`` (the message names it)."""


def safe_student_id(raw: str) -> str:
    """A student id nbgrader and file systems accept: letters, digits, ``. _ @ -``.
    Accented letters keep their base letter, so ``jürgen`` and ``jörgen`` stay apart.

    >>> safe_student_id("Jane Doe"), safe_student_id("jürgen")
    ('Jane_Doe', 'jurgen')
    """
    ascii_ = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode("ascii")
    sid = re.sub(r"[^A-Za-z0-9._@-]+", "_", ascii_.strip()).strip("._")
    if not sid:
        raise GradeError(f"student id {raw!r} has no usable characters")
    return sid


def assign_ids(raws) -> tuple[dict[str, str], list[str]]:
    """Clean ids for raw student names, kept apart when two clean up alike.

    A raw name that is already clean keeps its id; the others of a colliding group get the id
    plus a short fingerprint of the raw name (the same in every run). Returns
    ``({raw: id}, notes)``; a raw name with no usable characters is left out (and noted).

    >>> ids, notes = assign_ids(["a_b", "a b", "Jane Doe", "Jane&Doe"])
    >>> ids["a_b"], ids["a b"].startswith("a_b-"), ids["Jane Doe"] != ids["Jane&Doe"]
    ('a_b', True, True)
    >>> len(notes)
    2
    """
    groups: dict[str, list[str]] = {}
    ids, notes = {}, []
    for raw in sorted(set(raws)):
        try:
            groups.setdefault(safe_student_id(raw), []).append(raw)
        except GradeError as exc:
            notes.append(f"{exc}: not graded")
    for clean, members in groups.items():
        if len(members) == 1:
            ids[members[0]] = clean
            continue
        for raw in members:
            fp = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:6]
            ids[raw] = clean if raw == clean else f"{clean}-{fp}"
        notes.append(
            f"student ids {', '.join(repr(m) for m in members)} all clean up to {clean!r}: "
            f"graded apart as {', '.join(ids[m] for m in members)}"
        )
    return ids, notes


@dataclass
class Submission:
    student: str
    module: str
    files: dict = field(default_factory=dict)  # notebook name -> Path
    extra: dict = field(default_factory=dict)  # other file name -> Path (timestamp, secret)
    problems: list = field(default_factory=list)  # why (part of) it cannot be graded
    notes: list = field(default_factory=list)  # graded, but worth knowing
    timestamp: str | None = None
    raw_id: str = ""  # the student id as the source spelled it


# ---------------------------------------------------------------------------------------------
# Names, versions, links
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


#: Suffixes LMSs and browsers add to a resubmitted file: `` (1)``, ``-v2``, ``-2`` (Canvas),
#: a date and time.
_VERSION_SUFFIX = re.compile(
    r"(?:\s*\((?P<paren>\d{1,3})\)"
    r"|[-_ .]?[vV](?P<v>\d{1,3})"
    r"|-(?P<dash>\d{1,2})"
    r"|[-_ ](?P<ts>\d{4}-?\d{2}-?\d{2}(?:[T_ -]?\d{2}[-:.h]?\d{2}(?:[-:.m]?\d{2})?)?))$"
)


def notebook_version(stem: str, names: list[str], *, suffix: bool = True):
    """``(name, rank)`` if file stem ``stem`` is a version of one of the notebook ``names``.

    With ``suffix=True`` the stem may carry an LMS prefix (``Ann_1234_assignsubmission_file_``).
    ``rank`` orders versions: the plain name ranks lowest, then ``(1)``, ``-v2``, ... and
    timestamps by time. None when the stem is not a version of any name.

    >>> notebook_version("ann_01-foundations (2)", ["01-foundations"])
    ('01-foundations', (2, ''))
    >>> notebook_version("01-foundations-v3", ["01-foundations"], suffix=False)[1]
    (3, '')
    >>> notebook_version("notes", ["01-foundations"]) is None
    True
    """
    number, stamp, rest = 0, "", stem.strip()
    for _ in range(3):
        hit = _matches(rest, names, suffix)
        if hit:
            return hit, (number, stamp)
        m = _VERSION_SUFFIX.search(rest)
        if not m:
            return None
        if m.group("ts"):
            stamp = stamp or re.sub(r"\D", "", m.group("ts"))
        else:
            n = m.group("paren") or m.group("v") or m.group("dash")
            number = max(number, int(n))
        rest = rest[: m.start()].rstrip()
    return None


def _matches(stem: str, names: list[str], suffix: bool) -> str | None:
    for n in sorted(names, key=len, reverse=True):
        if stem == n or (suffix and stem.endswith(n)):
            return n
    return None


def _links_in(folder: Path) -> list[str]:
    """Symbolic links at or anywhere under ``folder`` (never followed)."""
    if folder.is_symlink():
        return [folder.name]
    found = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            if p.is_symlink():
                found.append(p.relative_to(folder).as_posix())
    return sorted(found)


def _pick_newest(sub: Submission, versions: dict[str, list[tuple]]) -> None:
    """Attach the newest version of each notebook to ``sub`` and say which ones were left."""
    for name, cands in versions.items():
        cands.sort(key=lambda c: (c[1], _mtime(c[0]), c[0].name))
        newest = cands[-1][0]
        sub.files[name] = newest
        if len(cands) > 1:
            older = ", ".join(repr(c[0].name) for c in cands[:-1])
            sub.notes.append(
                f"{len(cands)} versions of {name}.ipynb: graded the newest, {newest.name!r}; "
                f"not graded: {older}"
            )


def _mtime(p: Path) -> float:
    try:
        return p.stat().st_mtime
    except OSError:
        return 0.0


def _assign_files(
    sub: Submission, candidates: list[Path], expected: list[str], *, suffix: bool = False
) -> None:
    """Map found notebooks onto the module's expected notebook names (newest version wins)."""
    versions: dict[str, list[tuple]] = {}
    leftovers = []
    for p in candidates:
        hit = notebook_version(p.stem, expected, suffix=suffix)
        if hit:
            versions.setdefault(hit[0], []).append((p, hit[1]))
        else:
            leftovers.append(p)
    _pick_newest(sub, versions)
    missing = [n for n in expected if n not in sub.files]
    if len(missing) == 1 and leftovers:
        pick = max(leftovers, key=_mtime)
        sub.files[missing[0]] = pick
        sub.notes.append(f"wrongly named file {pick.name!r} graded as {missing[0]}.ipynb")
        leftovers.remove(pick)
        missing = []
    for name in missing:
        sub.problems.append(f"missing notebook {name}.ipynb")
    if leftovers:
        sub.notes.append("ignored extra file(s) " + ", ".join(sorted(p.name for p in leftovers)))


# ---------------------------------------------------------------------------------------------
# Folders
# ---------------------------------------------------------------------------------------------


def _from_folders(root: Path, expected: dict[str, list[str]]) -> tuple[list, list]:
    subs, unmatched = [], []
    sdirs = []
    for p in sorted(root.iterdir()):
        if p.name.startswith("."):
            continue
        if p.is_symlink():
            unmatched.append(f"{p.name}: a symbolic link, refused (links are never followed)")
        elif p.is_dir():
            sdirs.append(p)
    ids, notes = assign_ids(p.name for p in sdirs)
    unmatched += notes
    for sdir in sdirs:
        if sdir.name not in ids:
            continue
        if sdir.name in expected:
            unmatched.append(
                f"{sdir.name}: a module folder where a student folder belongs (is the source "
                "one level too deep?); not graded"
            )
            continue
        student = ids[sdir.name]
        links = _links_in(sdir)
        top = [lk for lk in links if "/" not in lk]
        loose: dict[str, list[Path]] = {}  # STUDENT/<module>.ipynb without a folder
        for nb in sorted(sdir.glob("*.ipynb")):
            module = _module_of(nb.name, list(expected))
            if module is not None and not (sdir / module).is_dir():
                loose.setdefault(module, []).append(nb)
        found = []
        for module, cands in loose.items():
            sub = Submission(student, module, raw_id=sdir.name)
            if top:  # a link can point anywhere (solutions/, a trainer's file): refuse
                sub.problems.append(_refused_links(top))
            else:
                _assign_files(sub, cands, expected[module])
            found.append(sub)
        for mdir in sorted(p for p in sdir.iterdir() if p.is_dir()):
            module = mdir.name if mdir.name in expected else _module_of(mdir.name, list(expected))
            if module is None:
                continue
            sub = Submission(student, module, raw_id=sdir.name)
            if mdir.name != module:
                sub.notes.append(f"folder {mdir.name!r} taken as module {module}")
            found.append(_fill_from_folder(sub, mdir, expected[module]))
        if links and not found:
            unmatched.append(f"{sdir.name}: {_refused_links(links)}")
        elif not found:
            unmatched.append(f"{sdir.name}: no notebook for any module in this folder")
        subs += found
    return subs, unmatched


def _refused_links(links: list[str]) -> str:
    shown = ", ".join(links[:5]) + (" ..." if len(links) > 5 else "")
    return f"refused: the submission contains symbolic links ({shown}); links are never followed"


def _fill_from_folder(sub, folder: Path, expected_names):
    """Attach the notebooks and nbgrader's submission files found in ``folder`` to ``sub``."""
    links = _links_in(folder)
    if links:
        sub.problems.append(_refused_links(links))
        return sub
    try:
        cands = [p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts]
    except OSError as exc:  # one unreadable folder never stops the cohort
        sub.problems.append(f"unreadable submission folder {folder.name} ({exc.strerror})")
        return sub
    _assign_files(sub, cands, expected_names)
    for extra in ("timestamp.txt", "submission_secret.txt"):
        if (folder / extra).is_file():
            sub.extra[extra] = folder / extra
    return sub


def _looks_like_folders(root: Path, modules: list[str]) -> bool:
    return any(
        m.is_dir() and m.name in modules for s in root.iterdir() if s.is_dir() for m in s.iterdir()
    )


# ---------------------------------------------------------------------------------------------
# ZIP
# ---------------------------------------------------------------------------------------------


def _member_path(name: str) -> PurePosixPath | None:
    """The safe relative path of a ZIP member, or None (absolute, ``..``, a drive letter)."""
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if not parts or name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return None
    if any(p in ("..", "") for p in parts):
        return None
    return PurePosixPath(*[p for p in parts if p != "."]) if parts != (".",) else None


def extract_zip(
    archive: Path,
    dest: Path,
    *,
    max_member: int = MAX_MEMBER,
    max_total: int = MAX_TOTAL,
    depth: int = MAX_DEPTH,
) -> tuple[dict[Path, str], list[str]]:
    """Extract ``archive`` into ``dest`` safely; return ``(refused, notes)``.

    Each member is checked before anything is written: its path (no absolute path, ``..`` or
    drive letter), its kind (links are refused), its declared size and compression ratio;
    then it is copied in chunks with a running count, so a header that lies cannot make it
    bigger. A refused *notebook* is left as an empty placeholder and named in ``refused``
    (path -> reason), so the trainee it belongs to gets a clear status. Nested ZIPs are opened
    up to ``depth`` levels, inside a folder named after them.

    >>> import io, tempfile
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w") as zf:
    ...     zf.writestr("../evil.ipynb", "{}"); zf.writestr("ok_01.ipynb", "{}")
    >>> p = Path(tempfile.mkdtemp()); _ = (p / "a.zip").write_bytes(buf.getvalue())
    >>> refused, notes = extract_zip(p / "a.zip", p / "x")
    >>> sorted(q.name for q in (p / "x").iterdir()), notes
    (['ok_01.ipynb'], ["'../evil.ipynb': unsafe path in the ZIP, not extracted"])
    """
    refused: dict[Path, str] = {}
    notes: list[str] = []
    total = 0
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise GradeError(f"{archive.name}: not a readable ZIP file ({exc})") from None
    with zf:
        for info in zf.infolist():
            name = info.filename
            if info.is_dir() or "__MACOSX" in name.replace("\\", "/").split("/"):
                continue
            rel = _member_path(name)
            if rel is None:
                notes.append(f"{name!r}: unsafe path in the ZIP, not extracted")
                continue
            target = dest.joinpath(*rel.parts)
            mode = (info.external_attr >> 16) & 0o170000
            why = None
            if mode == stat.S_IFLNK:
                why = "a symbolic link in the ZIP, refused"
            elif mode not in (0, stat.S_IFREG):
                why = "not a regular file, refused"
            elif info.file_size > max_member:
                why = (
                    f"{info.file_size / 1e6:.0f} MB unpacked (limit {max_member / 1e6:.0f} MB), "
                    "not extracted"
                )
            elif info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(
                info.compress_size, 1
            ):
                why = "compressed more than 200 times (a ZIP bomb?), not extracted"
            elif total + info.file_size > max_total:
                why = f"the ZIP unpacks to more than {max_total / 1e9:.0f} GB, not extracted"
            if why is None:
                try:
                    total += _copy_member(zf, info, target, max_member)
                except _TooBig:
                    why = f"larger than {max_member / 1e6:.0f} MB unpacked, not extracted"
                except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
                    why = f"corrupt in the ZIP ({type(exc).__name__}), not extracted"
                except NotImplementedError:
                    why = "packed with a method this Python cannot read, not extracted"
            if why is not None:
                placed = False
                try:  # an empty placeholder, so the trainee it belongs to gets the reason
                    if target.is_file() or target.is_symlink():
                        target.unlink()
                    if rel.suffix.lower() == ".ipynb" and not target.exists():
                        target.parent.mkdir(parents=True, exist_ok=True)
                        target.write_bytes(b"")
                        placed = True
                except OSError:  # a name this file system cannot hold
                    pass
                if placed:
                    refused[target] = f"notebook {rel.name}: {why}"
                else:
                    notes.append(f"{name!r}: {why}")
                continue
            if rel.suffix.lower() == ".zip":
                if depth <= 1:
                    notes.append(f"{name!r}: a ZIP nested too deep, not opened")
                else:
                    inner = target.with_name(target.stem)
                    try:
                        r2, n2 = extract_zip(
                            target,
                            inner,
                            max_member=max_member,
                            max_total=max_total - total,
                            depth=depth - 1,
                        )
                    except GradeError as exc:
                        n2, r2 = [f"{name!r}: {exc}"], {}
                    refused.update(r2)
                    notes += n2
                    total += sum(p.stat().st_size for p in inner.rglob("*") if p.is_file())
                target.unlink()
    return refused, notes


class _TooBig(Exception):
    pass


def _copy_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, limit: int) -> int:
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with zf.open(info) as src, open(target, "wb") as dst:
        while True:
            chunk = src.read(1 << 20)
            if not chunk:
                break
            written += len(chunk)
            if written > limit:
                raise _TooBig
            dst.write(chunk)
    stamp = _zip_time(info)
    if stamp:
        os.utime(target, (stamp, stamp))
    return written


def _zip_time(info: zipfile.ZipInfo) -> float | None:
    import time

    try:
        return time.mktime((*info.date_time, 0, 0, -1))
    except (OverflowError, ValueError):
        return None


def _from_zip(
    archive: Path, work: Path, expected: dict[str, list[str]], regexp: str
) -> tuple[list[Submission], list[str]]:
    from nbgrader.plugins import FileNameCollectorPlugin

    try:
        with zipfile.ZipFile(archive) as zf:
            bad = zf.testzip()
    except zipfile.BadZipFile as exc:
        raise GradeError(f"{archive}: not a readable ZIP file ({exc})") from None
    if bad:
        raise GradeError(f"{archive}: ZIP member {bad!r} is corrupt")
    extracted = work / "extracted"
    extracted.mkdir(parents=True)
    refused, unmatched = extract_zip(archive, extracted)
    inner = [p for p in extracted.iterdir() if p.is_dir()]
    base = extracted if _looks_like_folders(extracted, list(expected)) else None
    if base is None and len(inner) == 1 and _looks_like_folders(inner[0], list(expected)):
        base = inner[0]
    if base is not None:
        subs, more = _from_folders(base, expected)
        _mark_refused(subs, refused)
        return subs, unmatched + more
    collector = FileNameCollectorPlugin(named_regexp=regexp)
    found: dict[tuple[str, str], list[Path]] = {}
    for path in sorted(extracted.rglob("*")):
        if not path.is_file():
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
        found.setdefault((info["student_id"], module), []).append(path)
    ids, notes = assign_ids(raw for raw, _ in found)
    unmatched += notes
    subs = []
    for (raw, module), paths in sorted(found.items()):
        if raw not in ids:
            unmatched += [f"{p.name}: student id {raw!r} has no usable characters" for p in paths]
            continue
        sub = Submission(ids[raw], module, raw_id=raw)
        # LMS file names carry a prefix; the notebook itself is named by what follows it.
        _assign_files(sub, paths, expected[module], suffix=True)
        subs.append(sub)
    _mark_refused(subs, refused)
    return subs, unmatched


def _mark_refused(subs: list[Submission], refused: dict[Path, str]) -> None:
    for sub in subs:
        for name, path in list(sub.files.items()):
            if path in refused:
                del sub.files[name]
                sub.problems = [p for p in sub.problems if name not in p] + [refused[path]]


# ---------------------------------------------------------------------------------------------
# nbgrader exchange
# ---------------------------------------------------------------------------------------------


def owner_problem(path: Path, student: str) -> str | None:
    """Why ``path`` cannot be ``student``'s submission, judged by who owns it; None if it can.

    The grader's own user (a trainer who copied files in) is trusted; otherwise the owner must
    be the system user named like the student (how JupyterHub and nbgrader's exchange name
    them). Where files have no owners (Windows) nothing is checked.
    """
    try:
        import pwd
    except ImportError:  # Windows: no owners to compare
        return None
    uid = path.lstat().st_uid
    if uid == os.getuid():
        return None
    try:
        owner = pwd.getpwuid(uid).pw_name
    except KeyError:
        owner = None
    if owner == student:
        return None
    return (
        f"submitted as {student!r} but owned by {owner or f'uid {uid}'}: refused "
        "(a forged submission? the trainee can submit again from their own account)"
    )


def _from_exchange(
    inbound: Path, expected: dict[str, list[str]], *, check_owner: bool = True
) -> tuple[list[Submission], list[str]]:
    latest: dict[tuple[str, str], tuple[str, Path]] = {}
    refused: dict[tuple[str, str], list[str]] = {}
    unmatched = []
    for entry in sorted(inbound.iterdir()):
        parts = entry.name.split("+")
        if len(parts) < 3:
            continue
        student, module, stamp = parts[0], parts[1], parts[2]
        if module not in expected:
            continue
        why = None
        if entry.is_symlink():
            why = "a symbolic link in the exchange, refused"
        elif not entry.is_dir():
            continue
        elif check_owner:
            why = owner_problem(entry, student)
        if why is None:
            links = _links_in(entry)
            if links:
                why = _refused_links(links)
        if why is not None:
            refused.setdefault((student, module), []).append(f"{entry.name}: {why}")
            unmatched.append(f"exchange {entry.name}: {why}")
            continue
        key = (student, module)
        if key not in latest or stamp > latest[key][0]:
            latest[key] = (stamp, entry)
    ids, notes = assign_ids({s for s, _ in latest} | {s for s, _ in refused})
    unmatched += notes
    subs = []
    for (student, module), (stamp, entry) in sorted(latest.items()):
        if student not in ids:
            continue
        sub = Submission(ids[student], module, timestamp=stamp, raw_id=student)
        for why in refused.get((student, module), []):
            sub.notes.append(f"not graded: {why}")
        subs.append(_fill_from_folder(sub, entry, expected[module]))
    for (student, module), whys in sorted(refused.items()):
        if (student, module) not in latest and student in ids:
            subs.append(Submission(ids[student], module, problems=list(whys), raw_id=student))
    return subs, unmatched


def collect_submissions(
    source: Path,
    expected: dict[str, list[str]],
    work: Path,
    *,
    regexp: str = DEFAULT_REGEXP,
    course_id: str = "osintlab",
    check_owner: bool = True,
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
        kind = "zip"
    else:
        inbound = exchange_inbound(source, course_id)
        if inbound is not None:
            subs, unmatched = _from_exchange(inbound, expected, check_owner=check_owner)
            kind = "exchange"
        else:
            subs, unmatched = _from_folders(source, expected)
            kind = "folders"
    if not subs:
        unmatched.append(f"no submissions found in {source.name} (is it the right folder?)")
    _note_collisions(subs)
    return subs, unmatched, kind


def _note_collisions(subs: list[Submission]) -> None:
    """Tell each trainee's row when their id was kept apart from a look-alike."""
    alike: dict[str, set[str]] = {}
    for sub in subs:
        if sub.raw_id:
            try:
                alike.setdefault(safe_student_id(sub.raw_id), set()).add(sub.raw_id)
            except GradeError:
                pass
    for sub in subs:
        try:
            others = alike.get(safe_student_id(sub.raw_id), set()) - {sub.raw_id}
        except GradeError:
            continue
        if sub.raw_id and others:
            sub.notes.append(
                f"student id {sub.raw_id!r} cleans up like {', '.join(map(repr, sorted(others)))}: "
                f"graded as {sub.student}"
            )


# ---------------------------------------------------------------------------------------------
# Reading a notebook, and the cohort's gradebook
# ---------------------------------------------------------------------------------------------


def _normalise(path: Path, max_bytes: int) -> tuple[object | None, str | None]:
    """Read a submitted notebook, clear its outputs; (notebook, None) or (None, problem)."""
    import nbformat

    if path.is_symlink():
        return None, f"notebook {path.name} is a symbolic link, refused"
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
        # never quote the file's content (status lines and feedback pages show this)
        msg = re.sub(r"""(['"]).*""", "", msg).rstrip(" :") or type(exc).__name__
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


def check_gradebook(course: Path, state: dict) -> None:
    """Refuse to go on when the cohort's gradebook is missing or unreadable but earlier runs
    graded into it: its scores (and the trainer's manual marks) would silently read as 0/0.

    Raises :class:`GradeError` naming the file and the way out.
    """
    db = Path(course) / "gradebook.db"
    graded = [k for k, e in state.get("submissions", {}).items() if e.get("graded")]
    fix = (
        f"restore it from a backup, or delete {Path(course) / 'osintlab_state.json'} to "
        "regrade everyone from scratch (manual marks are then lost)"
    )
    if not db.exists():
        if graded:
            raise GradeError(
                f"{db} is missing, but {len(graded)} submission(s) were graded into it "
                f"before; {fix}"
            )
        return
    try:
        with db.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise GradeError(f"{db} cannot be read ({exc.strerror}); {fix}") from None
    if not head and not graded:
        return
    if head != b"SQLite format 3\x00":
        raise GradeError(f"{db} is not an SQLite gradebook (corrupt or truncated); {fix}")
    import sqlite3

    try:
        con = sqlite3.connect(f"file:{db.as_posix()}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in con.execute("select name from sqlite_master")}
            n = con.execute("select count(*) from submitted_assignment").fetchone()[0]
            con.execute("pragma quick_check").fetchone()
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise GradeError(f"{db} is corrupt ({exc}); {fix}") from None
    if "grade" not in tables:
        raise GradeError(f"{db} is not an nbgrader gradebook; {fix}")
    if graded and n == 0:
        raise GradeError(
            f"{db} holds no submissions, but {len(graded)} were graded into it before; {fix}"
        )
