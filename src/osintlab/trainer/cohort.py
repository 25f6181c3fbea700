"""Grade a cohort in one go: collect → autograde (nbgrader) → feedback → grades.csv → report.

    osintlab grade SOURCE --out DIR

SOURCE is one of

* an LMS download: a ``.zip`` of notebooks named by student and module (``alice_01-foundations
  .ipynb``; Moodle's ``Alice Ames_1234_assignsubmission_file_01-foundations.ipynb`` works too),
  extracted member by member after checks (:mod:`osintlab.trainer.intake`) and named with
  nbgrader's ``FileNameCollectorPlugin``;
* a folder laid out as ``STUDENT/MODULE/*.ipynb``;
* nbgrader's exchange inbox (``<exchange>/<course>/inbound`` or the exchange root), latest
  submission per trainee and module, as ``nbgrader collect`` takes it.

``DIR`` becomes an ordinary nbgrader course (``DIR/course``: source, release, submitted,
autograded, gradebook.db, an ``nbgrader_config.py`` so the formgrader opens it) plus the
trainer's outputs: ``DIR/grades.csv``, ``DIR/items.csv``, ``DIR/feedback/STUDENT/MODULE.html``
and ``DIR/report.html``.

How it grades: every submission is autograded by nbgrader's own ``Autograde`` converter,
in-process (no ``nbgrader`` process per trainee), by a small pool of worker processes (one
per core plus one). Each worker grades in a private scratch course with a snapshot of the
gradebook, so workers never write the same SQLite file; the parent merges the automatic scores
into the cohort gradebook. Manual scores live only there and are never overwritten, and a submission
whose notebook has not changed since the last run is not regraded, so re-running is idempotent.

A submission that cannot be (fully) graded gets a clear ``status`` and a grade for what could be
graded; other trainees are unaffected: a missing, corrupt or wrongly named notebook, an
infinite loop (nbgrader's per-cell time limit), an interrupt the code swallows or a kernel it
kills (:class:`osintlab.trainer.preprocessors.RobustExecute` restarts the kernel and carries
on), a huge output (trimmed). The nbgrader settings are the course's one configuration
(:mod:`osintlab.trainer.nbgrader`), the same as the self-test's.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from . import cohort_secret
from .intake import (  # noqa: F401  (re-exported: the intake used to live here)
    DEFAULT_REGEXP,
    GradeError,
    Submission,
    _module_of,
    _normalise,
    check_gradebook,
    collect_submissions,
    safe_student_id,
)
from .nbgrader import TIMEOUT, api, write_course_config
from .nbgrader import quiet as _quiet

__all__ = [
    "Submission",
    "collect_submissions",
    "grade_cohort",
    "CohortResult",
    "DEFAULT_REGEXP",
    "safe_student_id",
]

STATE = "osintlab_state.json"


#: Code in a trainee's own cells that tampers with how answers are checked. Grading cannot be
#: made safe against code running in the same kernel (it can patch hashlib, json, builtins...),
#: so such submissions are graded as usual and flagged for the trainer to look at.
SUSPICIOUS = [
    (
        r"\bhashlib\.\w+\s*=(?!=)|setattr\(\s*hashlib|\b_hashlib\b|\b(json|hmac)\.\w+\s*=(?!=)",
        "patches hashlib/json",
    ),
    (r"sys\.modules", "replaces imported modules"),
    (
        r"(vars|setattr|delattr|__dict__)\b[^\n]*grading|grading\.\w+\s*=[^=]|"
        r"\b(check_answer|compare|canonical)\s*=[^=]",
        "patches the checking helpers",
    ),
    (r"def\s+__(eq|ne|hash)__|__(eq|ne)__\s*=", "defines __eq__ (an always-equal object?)"),
    (r"\bbuiltins\b|__builtins__", "changes builtins"),
    (r"\bimportlib\b|__import__", "manipulates imports"),
    (
        r"get_ipython\(\)\.(events|showtraceback|run_cell|set_custom_exc)|"
        r"\bsys\.(excepthook|stderr\s*=)",
        "hooks the kernel's error reporting",
    ),
]


def suspicious_code(nb) -> list[str]:
    """Reasons to look at a submission by hand, from the cells a trainee may edit."""
    found = []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") != "code" or meta.get("locked") or meta.get("grade"):
            continue
        for pattern, reason in SUSPICIOUS:
            if reason not in found and re.search(pattern, cell.get("source", "")):
                found.append(reason)
    return found


# ---------------------------------------------------------------------------------------------
# nbgrader plumbing
# ---------------------------------------------------------------------------------------------


def default_jobs() -> int:
    """Grading worker processes: one per core, plus one. A grading worker spends part of each
    notebook waiting (kernel start-up, one message round trip per cell), and the extra
    worker keeps both cores of a workshop laptop busy meanwhile (measured in
    ``benchmarks/README.md``: 2.32 s per notebook with 3 workers on 2 cores, 3.16 s with 2)."""
    return (os.cpu_count() or 1) + 1


def _api(root: Path, timeout: int, exchange: Path | None = None):
    # The course's one configuration, with the preprocessors that survive a bad submission.
    return api(root, timeout=timeout, robust=True, exchange=exchange)


def _tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts:
            h.update(p.relative_to(folder).as_posix().encode())
            h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def _silence() -> None:
    import warnings

    warnings.filterwarnings("ignore", message=".*not in session.*")  # SQLAlchemy 2.x + nbgrader
    warnings.filterwarnings(
        "ignore",
        category=DeprecationWarning,
        module=r"(jupyter_client|jupyter_core|nbgrader|nbconvert|traitlets|zmq)",
    )


@dataclass
class GradeTask:
    """One submission to autograde, as a worker process receives it (picklable: paths as str)."""

    module: str
    student: str
    submitted: str  # the staged notebooks: course/submitted/STUDENT/MODULE
    source: str  # the master: course/source/MODULE
    work: str  # the worker's private scratch course
    timeout: int  # nbgrader's per-cell time limit, seconds
    datasets: str = ""  # OSINTLAB_DATA for the grading kernels ("" = find them)
    keys: str = ""  # OSINTLAB_KEYS: the trainer's grading keys ("" = the published ones)
    db: str = ""  # the gradebook snapshot to grade against
    worker: bool = False  # running in a pool worker (silence its stderr)

    def for_worker(self) -> GradeTask:
        """The same task, marked to run in a pool worker."""
        return GradeTask(**{**self.__dict__, "worker": True})


@dataclass
class GradeResult:
    """What a worker sends back: the automatic scores, or why there are none."""

    module: str
    student: str
    ok: bool
    error: str = ""
    notebooks: dict = field(default_factory=dict)  # notebook -> {"grades": {cell: [auto, max]},
    #                                                              "comments": {cell: text}}
    incidents: list = field(default_factory=list)  # kernel restarts, trimmed outputs, ...
    seconds: float = 0
    autograded: str = ""  # the worker's autograded folder, copied into the cohort course

    @classmethod
    def failed(cls, task: GradeTask, error: str) -> GradeResult:
        """A worker that crashed: nothing graded, the reason kept for the trainer."""
        return cls(task.module, task.student, ok=False, error=error[:300])


def _grade_task(task: GradeTask) -> GradeResult:
    """Worker: autograde one submission in a private scratch course; return its grades."""
    import nbformat
    from nbgrader.api import Gradebook

    from .preprocessors import incidents

    module, student = task.module, task.student
    _silence()
    if task.worker:
        # Kernels inherit this process's stderr and chat on it (ipykernel's TCP warning);
        # in a pool worker nothing useful goes there: results come back as data.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    course = Path(task.work)
    if course.exists():
        shutil.rmtree(course)
    (course / "source").mkdir(parents=True)
    shutil.copytree(task.source, course / "source" / module)
    shutil.copy2(task.db, course / "gradebook.db")
    shutil.copytree(task.submitted, course / "submitted" / student / module)
    # the kernels' temporary files (evidence captures, ...) go into the scratch course
    tmp = str(course / "tmp")
    os.makedirs(tmp, exist_ok=True)
    env = {"OSINTLAB_DATA": task.datasets, "OSINTLAB_KEYS": task.keys}
    env.update(TMPDIR=tmp, TEMP=tmp, TMP=tmp)
    env_before = {k: os.environ.get(k) for k in env}
    for k, v in env.items():
        if v:
            os.environ[k] = v  # the grading kernels inherit it
    t0 = time.perf_counter()
    api = _api(course, task.timeout)
    try:
        with _quiet():
            res = api.autograde(module, student, force=True, create=True)
    finally:
        for k, v in env_before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    out = GradeResult(
        module,
        student,
        ok=bool(res.get("success")),
        seconds=time.perf_counter() - t0,
        autograded=str(course / "autograded" / student / module),
    )
    if not out.ok:
        err = (res.get("error") or res.get("log") or "").strip().splitlines()
        out.error = next((ln for ln in reversed(err) if ln.strip()), "unknown error")[:300]
    adir = course / "autograded" / student / module
    for nb_path in sorted(adir.glob("*.ipynb")) if adir.is_dir() else []:
        try:
            out.incidents += incidents(nbformat.read(nb_path, as_version=4))
        except Exception:
            pass
    with Gradebook(f"sqlite:///{(course / 'gradebook.db').as_posix()}") as gb:
        try:
            sub = gb.find_submission(module, student)
        except Exception:
            return out
        for nb in sub.notebooks:
            out.notebooks[nb.name] = {
                "grades": {g.name: [g.auto_score, g.max_score] for g in nb.grades},
                "comments": {c.name: c.auto_comment for c in nb.comments},
            }
    return out


# ---------------------------------------------------------------------------------------------
# The cohort run
# ---------------------------------------------------------------------------------------------


@dataclass
class CohortResult:
    out: Path
    rows: list
    graded: int
    skipped: int
    seconds: float
    unmatched: list
    source_kind: str
    notebook_seconds: list = field(default_factory=list)

    @property
    def csv(self) -> Path:
        return self.out / "grades.csv"

    @property
    def report(self) -> Path:
        return self.out / "report.html"


def _expected_notebooks(root: Path, modules: list[str] | None) -> dict[str, list[str]]:
    sol = root / "solutions"
    found = {}
    for d in sorted(p for p in sol.iterdir() if p.is_dir()) if sol.is_dir() else []:
        nbs = sorted(p.stem for p in d.glob("*.ipynb"))
        if nbs:
            found[d.name] = nbs
    if modules:
        unknown = [m for m in modules if m not in found]
        if unknown:
            raise GradeError(
                f"unknown module(s) {', '.join(unknown)}; exercises exist for "
                f"{', '.join(found) or 'none'}"
            )
        found = {m: found[m] for m in modules}
    if not found:
        raise GradeError(f"{sol}: no exercise masters found")
    return found


def _prepare_module(course: Path, root: Path, module: str, state: dict, timeout: int) -> bool:
    """Copy the master into the cohort course and generate it when it changed; True if so."""
    src = root / "solutions" / module
    digest = _tree_digest(src)
    mstate = state.setdefault("modules", {}).setdefault(module, {})
    target = course / "source" / module
    if (
        mstate.get("digest") == digest
        and target.is_dir()
        and (course / "release" / module).is_dir()
    ):
        return False
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(src, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    with _quiet():
        res = _api(course, timeout).generate_assignment(module, force=True, create=True)
    if not res.get("success"):
        raise GradeError(
            f"nbgrader generate_assignment failed for {module}: "
            f"{(res.get('error') or res.get('log') or '')[-600:]}"
        )
    mstate["digest"] = digest
    return True


def _merge(course: Path, result: GradeResult, timestamp: str | None) -> None:
    from nbgrader.api import Gradebook

    module, student = result.module, result.student
    with Gradebook(f"sqlite:///{(course / 'gradebook.db').as_posix()}", "osintlab") as gb:
        gb.update_or_create_student(student)
        kwargs = {"timestamp": timestamp} if timestamp else {}
        try:
            gb.update_or_create_submission(module, student, **kwargs)
        except Exception:
            gb.update_or_create_submission(module, student)
        for nb_name, data in result.notebooks.items():
            nbsub = gb.find_submission_notebook(nb_name, module, student)
            for g in nbsub.grades:
                if g.name not in data["grades"]:
                    continue
                auto = data["grades"][g.name][0]
                g.auto_score = auto
                # nbgrader's rule: a manual score is kept, but a changed answer needs review.
                g.needs_manual_grade = (g.manual_score is not None) or (auto is None)
            for c in nbsub.comments:
                if c.name in data["comments"]:
                    c.auto_comment = data["comments"][c.name]
        gb.db.commit()
    dest = course / "autograded" / student / module
    if dest.exists():
        shutil.rmtree(dest)
    if result.autograded and Path(result.autograded).is_dir():
        shutil.copytree(result.autograded, dest)


def _read_state(out: Path) -> dict:
    p = out / "course" / STATE
    if p.is_file():
        try:
            return json.loads(p.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            pass
    return {"modules": {}, "submissions": {}}


def _write_state(out: Path, state: dict) -> None:
    p = out / "course" / STATE
    tmp = p.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, p)


def grade_cohort(
    source,
    out,
    *,
    modules: list[str] | None = None,
    jobs: int | None = None,
    timeout: int = TIMEOUT,
    regexp: str = DEFAULT_REGEXP,
    course_root: Path | None = None,
    datasets: Path | None = None,
    release_feedback: bool = False,
    max_notebook_mb: float = 50,
    progress: bool = True,
) -> CohortResult:
    """Grade every submission in ``source`` into ``out`` (see the module docstring)."""
    import nbformat
    from tqdm import tqdm

    from .nbgrader import course_root as find_root

    t_start = time.perf_counter()
    jobs = jobs or default_jobs()
    _silence()
    if not Path(source).exists():
        raise GradeError(f"{source}: no such file or folder")
    root = Path(course_root) if course_root else find_root()
    out = Path(out).resolve()
    from . import integrity

    expected = _expected_notebooks(root, modules)
    bad_out = integrity.out_problem(out, root, Path(source))
    if bad_out:
        raise GradeError(bad_out)
    course = out / "course"
    for sub in ("source", "submitted", "autograded"):
        (course / sub).mkdir(parents=True, exist_ok=True)
    write_course_config(course, timeout)
    if datasets is None:
        from .. import data

        try:
            datasets = data.datasets_dir(root)
        except data.DatasetError:
            datasets = None
    keys, keys_note = cohort_secret.grading_keys_for(datasets) if datasets else (None, "")
    if keys_note:
        print(f"osintlab grade: {keys_note}", file=sys.stderr)
    state = _read_state(out)
    check_gradebook(course, state)  # a lost gradebook is an error, never "0/0 ok"
    subs_state = state.setdefault("submissions", {})

    with tempfile.TemporaryDirectory(prefix="osintlab-grade-") as t:
        work = Path(t)
        submissions, unmatched, kind = collect_submissions(
            Path(source), expected, work / "intake", regexp=regexp
        )
        wanted = sorted({s.module for s in submissions})
        changed_modules = {m for m in wanted if _prepare_module(course, root, m, state, timeout)}

        # Normalise and stage each submission; decide what needs (re)grading.
        tasks, skipped = [], 0
        for sub in submissions:
            key = f"{sub.student}/{sub.module}"
            notebooks, digest = {}, hashlib.sha256()
            for name in expected[sub.module]:
                if name not in sub.files:
                    continue
                nb, problem = _normalise(sub.files[name], int(max_notebook_mb * 1e6))
                if problem:
                    sub.problems.append(problem)
                    continue
                notebooks[name] = nb
                digest.update(name.encode() + nbformat.writes(nb).encode())
                flags = suspicious_code(nb)
                if flags:
                    sub.problems.append("check by hand: " + ", ".join(flags))
            if sub.extra.get("timestamp.txt"):
                sub.timestamp = sub.extra["timestamp.txt"].read_text().strip() or sub.timestamp
            digest = digest.hexdigest() if notebooks else None
            prev = subs_state.get(key, {})
            entry = {
                "student": sub.student,
                "module": sub.module,
                "digest": digest,
                "problems": list(sub.problems),
                "notes": list(sub.notes),
                "timestamp": sub.timestamp,
                "incidents": prev.get("incidents", []),
                "error": prev.get("error", ""),
            }
            if not notebooks:
                entry["incidents"], entry["error"] = [], ""
                subs_state[key] = entry
                continue
            if (
                prev.get("digest") == digest
                and sub.module not in changed_modules
                and prev.get("graded")
            ):
                entry["graded"] = True
                entry["regraded_notes"] = prev.get("regraded_notes", [])
                subs_state[key] = entry
                skipped += 1
                continue
            if prev.get("graded") and prev.get("digest") != digest:
                entry["regraded_notes"] = [
                    "changed since the last run: regraded; any manual "
                    "score was kept and is flagged for review"
                ]
            staged = course / "submitted" / sub.student / sub.module
            if staged.exists():
                shutil.rmtree(staged)
            staged.mkdir(parents=True)
            for name, nb in notebooks.items():
                nbformat.write(nb, staged / f"{name}.ipynb")
            if sub.timestamp:
                (staged / "timestamp.txt").write_text(sub.timestamp)
            if sub.extra.get("submission_secret.txt"):
                shutil.copy2(sub.extra["submission_secret.txt"], staged / "submission_secret.txt")
            subs_state[key] = entry
            tasks.append(
                GradeTask(
                    sub.module,
                    sub.student,
                    submitted=str(staged),
                    source=str(course / "source" / sub.module),
                    work=str(work / "grade" / f"{sub.module}__{sub.student}"),
                    timeout=timeout,
                    datasets=str(datasets) if datasets else "",
                    keys=str(keys) if keys else "",
                )
            )

        # Everything the trainer owns, fingerprinted before any trainee code runs.
        owned_before = integrity.snapshot(root, datasets, out) if tasks else None

        # Snapshot the gradebook once; workers grade against private copies of it.
        snapshot = work / "gradebook-snapshot.db"
        if (course / "gradebook.db").exists():
            shutil.copy2(course / "gradebook.db", snapshot)
        for task in tasks:
            task.db = str(snapshot)

        # module by module: a worker keeps one checks process per module (checks_process)
        tasks.sort(key=lambda t: (t.module, t.student))
        n_jobs = max(1, min(jobs, len(tasks) or 1))
        seconds = []
        bar = tqdm(
            total=len(tasks), desc="grading", unit="notebook", disable=not progress, file=sys.stdout
        )
        results = []
        if tasks:
            if n_jobs == 1:
                for task in tasks:
                    results.append(_grade_task(task))
                    bar.set_postfix_str(f"{task.student}/{task.module}")
                    bar.update()
            else:
                import multiprocessing as mp

                with ProcessPoolExecutor(
                    max_workers=n_jobs, mp_context=mp.get_context("spawn")
                ) as pool:
                    futures = {pool.submit(_grade_task, t.for_worker()): t for t in tasks}
                    for fut in as_completed(futures):
                        task = futures[fut]
                        try:
                            results.append(fut.result())
                        except Exception as exc:  # a worker crashed: report, go on
                            results.append(
                                GradeResult.failed(
                                    task, f"grading worker failed: {type(exc).__name__}: {exc}"
                                )
                            )
                        bar.set_postfix_str(f"{task.student}/{task.module}")
                        bar.update()
        bar.close()
        from .checks_process import close_all

        close_all()  # the checks processes of grading in this process (n_jobs == 1)
        if owned_before is not None:
            changed = integrity.changes(owned_before, integrity.snapshot(root, datasets, out))
            if changed:
                raise GradeError(
                    "refusing to report grades: files the trainer owns changed while the "
                    "notebooks ran: " + "; ".join(changed)
                )

        for res in sorted(results, key=lambda r: (r.module, r.student)):
            key = f"{res.student}/{res.module}"
            entry = subs_state[key]
            seconds.append(res.seconds)
            entry["incidents"] = res.incidents
            entry["error"] = "" if res.ok else res.error
            if res.notebooks:
                _merge(course, res, entry.get("timestamp"))
                entry["graded"] = True
            else:
                entry["graded"] = False
        _write_state(out, state)

    from . import report

    rows = report.write_outputs(
        out,
        course,
        state,
        expected,
        root,
        release_feedback=release_feedback,
        exchange=(Path(source) if kind == "exchange" else None),
        timeout=timeout,
        unmatched=unmatched,
        jobs=jobs,
    )
    _write_state(out, state)
    return CohortResult(
        out, rows, len(tasks), skipped, time.perf_counter() - t_start, unmatched, kind, seconds
    )


# ---------------------------------------------------------------------------------------------
# Command line: osintlab grade
# ---------------------------------------------------------------------------------------------


def add_parser(sub) -> None:
    """Register ``osintlab grade`` on the CLI's sub-parsers."""
    g = sub.add_parser(
        "grade",
        help="grade a cohort: LMS zip, STUDENT/MODULE folders or the "
        "exchange inbox -> grades.csv, feedback, report.html",
        description=__doc__.split("\n\n")[0],
    )
    g.add_argument(
        "source",
        help="LMS .zip, folder STUDENT/MODULE/*.ipynb, or nbgrader "
        "exchange (root, course folder or inbound/)",
    )
    g.add_argument("--out", required=True, help="output folder (re-use it for re-runs)")
    g.add_argument(
        "--module",
        action="append",
        dest="modules",
        help="grade only this module (repeatable; default: all found)",
    )
    g.add_argument("--jobs", type=int, help="worker processes (default: one per core, plus one)")
    g.add_argument(
        "--timeout",
        type=int,
        default=TIMEOUT,
        help=f"seconds per cell (default {TIMEOUT}, as in the self-test)",
    )
    g.add_argument(
        "--regexp",
        default=DEFAULT_REGEXP,
        help="file-name pattern for LMS zips, with (?P<student_id>..) and "
        "(?P<file_id>..) groups (default: <student>_<...module...>.ipynb)",
    )
    g.add_argument("--datasets", help="datasets folder the notebooks read (default: the course's)")
    g.add_argument(
        "--release-feedback",
        action="store_true",
        help="exchange source: release the feedback so trainees can fetch it",
    )
    g.add_argument("--quiet", action="store_true")
    g.set_defaults(func=cmd_grade)


def cmd_grade(args) -> int:
    try:
        res = grade_cohort(
            args.source,
            args.out,
            modules=args.modules,
            jobs=args.jobs,
            timeout=args.timeout,
            regexp=args.regexp,
            datasets=Path(args.datasets) if args.datasets else None,
            release_feedback=args.release_feedback,
            progress=not args.quiet,
        )
    except GradeError as exc:
        print(f"osintlab grade: {exc}", file=sys.stderr)
        return 2
    from .sandbox import probe

    isolated, why = probe()
    if not isolated:
        print(
            f"WARNING: grading was NOT isolated ({why}): trainees' code ran without a "
            "sandbox (answers and checks were still kept apart; see docs/deploy.md)"
        )
    bad = [r for r in res.rows if r["status"] != "ok"]
    print(
        f"Graded {res.graded} notebook(s) ({res.skipped} unchanged, kept) from a "
        f"{res.source_kind} source in {res.seconds:.0f} s"
    )
    for r in bad:
        print(f"  {r['student_id']}/{r['assignment']}: {r['status']}")
    for u in res.unmatched:
        print(f"  not assigned: {u}")
    print(f"grades:   {res.csv}\nfeedback: {res.out / 'feedback'}\nreport:   {res.report}")
    return 0
