"""Benchmark `osintlab grade` (issue 10): a cohort of N trainees x every module.

Per notebook, side by side, ways of running the same graded notebooks:

* floor  — bare execution of the autograded notebooks with nbclient, one fresh kernel each,
           serially, and the same split over ``--floor-jobs`` processes (the 2-core floor: what
           grading cannot avoid on two cores: a kernel and the code);
* grade  — `osintlab grade` end to end (intake, nbgrader autograde in its worker processes,
           isolated: trainee's cells under bubblewrap, tests in a second, fresh kernel fed only
           the answers; merge, sanitised feedback, CSV, report), wall time / notebooks;
* grade, no sandbox — the same without bubblewrap (``--no-sandbox-too``; two kernels still);
* naive  — one `nbgrader autograde MODULE --student X` process per trainee (a sample of them).

Half the trainees submit the exercise master (full marks), half the untouched release.

    PYTHONPATH=$PWD/src python benchmarks/10_grade.py                 # modules of this checkout
    PYTHONPATH=$PWD/src python benchmarks/10_grade.py --course /path/to/checkout
    PYTHONPATH=$PWD/src python benchmarks/10_grade.py --drill         # the tests' drill course
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _cohort(course: Path, modules: list[str], n: int, dest: Path) -> int:
    import nbformat

    from osintlab.trainer.autograde import release

    count = 0
    for m in modules:
        rel = release(m, dest / "_release", course)
        master = nbformat.read(course / "solutions" / m / f"{m}.ipynb", as_version=4)
        blank = nbformat.read(rel / f"{m}.ipynb", as_version=4)
        for i in range(n):
            d = dest / "subs" / f"trainee{i:02d}" / m
            d.mkdir(parents=True)
            nbformat.write(master if i % 2 == 0 else blank, d / f"{m}.ipynb")
            count += 1
    return count


def _run_bare(p: Path, timeout: int) -> None:
    """One notebook through bare nbclient, outputs cleared first: the floor's unit of work."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(p, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    NotebookClient(
        nb,
        timeout=timeout,
        allow_errors=True,
        kernel_name="python3",
        resources={"metadata": {"path": str(p.parent)}},
    ).execute()


def _floor_chunk(paths: list[str], timeout: int) -> int:
    for p in map(Path, paths):
        _run_bare(p, timeout)
    return len(paths)


def _floor_parallel(autograded: Path, timeout: int, jobs: int) -> tuple[float, int]:
    """The floor on ``jobs`` cores: the same notebooks split over ``jobs`` processes."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    paths = [str(p) for p in sorted(autograded.glob("*/*/*.ipynb"))]
    chunks = [paths[i::jobs] for i in range(jobs)]
    t = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("spawn")) as pool:
        n = sum(pool.map(_floor_chunk, chunks, [timeout] * jobs))
    return time.perf_counter() - t, n


def _floor(autograded: Path, timeout: int) -> tuple[float, int]:
    paths = sorted(autograded.glob("*/*/*.ipynb"))
    t = time.perf_counter()
    for p in paths:
        _run_bare(p, timeout)
    return time.perf_counter() - t, len(paths)


def _naive(course_dir: Path, modules: list[str], sample: int, env: dict) -> tuple[float, int]:
    work = course_dir.parent / "naive"
    shutil.copytree(course_dir, work)
    runs = 0
    t = time.perf_counter()
    for m in modules:
        students = sorted(p.name for p in (work / "submitted").iterdir() if (p / m).is_dir())[
            :sample
        ]
        for s in students:
            subprocess.run(
                ["nbgrader", "autograde", m, "--student", s, "--force"],
                cwd=work,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
            runs += 1
    return time.perf_counter() - t, runs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--course", type=Path, default=ROOT)
    ap.add_argument("--drill", action="store_true", help="use tests/cohort_fixture's course")
    ap.add_argument("--trainees", type=int, default=30)
    ap.add_argument("--naive-sample", type=int, default=4)
    ap.add_argument("--jobs", type=int, help="grading workers (default: osintlab's own)")
    ap.add_argument(
        "--floor-jobs",
        default="2,3",
        help="process counts the floor is measured with; the fastest is the floor",
    )
    ap.add_argument("--timeout", type=int, default=60)
    ap.add_argument("--module", action="append", dest="modules", help="only these modules")
    ap.add_argument("--no-naive", action="store_true", help="skip the naive way")
    ap.add_argument("--no-serial-floor", action="store_true", help="only the 2-core floor")
    ap.add_argument("--no-sandbox-too", action="store_true", help="also grade without bubblewrap")
    args = ap.parse_args()
    from osintlab.trainer.sandbox import probe

    isolated, why = probe()
    from osintlab.trainer.cohort import default_jobs, grade_cohort

    with tempfile.TemporaryDirectory(prefix="osintlab-bench-") as t:
        tmp = Path(t)
        course = args.course
        if args.drill:
            sys.path.insert(0, str(ROOT / "tests"))
            from cohort_fixture import make_course

            course = make_course(tmp / "drill")
        modules = sorted(
            p.name for p in (course / "solutions").iterdir() if (p / f"{p.name}.ipynb").is_file()
        )
        if args.modules:
            modules = [m for m in modules if m in args.modules]
        if not modules:
            print(f"no exercises in {course / 'solutions'}")
            return 1
        load_before = os.getloadavg()
        datasets = course / "datasets"
        os.environ["OSINTLAB_DATA"] = str(datasets)
        n = _cohort(course, modules, args.trainees, tmp)
        t0 = time.perf_counter()

        def grade(out: str):
            return grade_cohort(
                tmp / "subs",
                tmp / out,
                jobs=jobs,
                timeout=args.timeout,
                course_root=course,
                datasets=datasets,
                progress=False,
            )

        jobs = args.jobs or default_jobs()
        res = grade("out")
        grade_s = time.perf_counter() - t0
        assert res.graded == n, (res.graded, n)
        t1 = time.perf_counter()
        res2 = grade("out")
        rerun_s = time.perf_counter() - t1
        per = {}
        floors = {}
        for fj in [int(x) for x in args.floor_jobs.split(",")]:
            f_s, f_n = _floor_parallel(tmp / "out" / "course" / "autograded", args.timeout, fj)
            per[f"floor (nbclient, {fj} processes)"] = floors[fj] = f_s / f_n
        best = min(floors, key=floors.get)
        best_floor = f"floor (nbclient, {best} processes)"
        if not args.no_serial_floor:
            floor_s, n_floor = _floor(tmp / "out" / "course" / "autograded", args.timeout)
            per["floor (nbclient, serial)"] = floor_s / n_floor
        mode = "isolated, bubblewrap" if isolated else f"NOT isolated: {why}"
        per[f"osintlab grade ({jobs} workers, {mode}, end to end)"] = grade_s / n
        if args.no_sandbox_too and isolated:
            os.environ["OSINTLAB_NO_SANDBOX"] = "1"
            probe.cache_clear()
            t2 = time.perf_counter()
            grade("out-nosandbox")
            per[f"osintlab grade ({jobs} workers, two kernels, no sandbox)"] = (
                time.perf_counter() - t2
            ) / n
            os.environ.pop("OSINTLAB_NO_SANDBOX")
            probe.cache_clear()
        if not args.no_naive:
            env = dict(
                os.environ,
                PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
            )
            naive_s, n_naive = _naive(tmp / "out" / "course", modules, args.naive_sample, env)
            per["naive (nbgrader process per trainee)"] = naive_s / max(n_naive, 1)
        print(f"modules: {', '.join(modules)}; trainees: {args.trainees}; notebooks: {n}")
        print("| way | s / notebook | x fastest 2-core floor |\n|---|---|---|")
        for k, v in per.items():
            print(f"| {k} | {v:.2f} | {v / per[best_floor]:.2f} |")
        print(f"| re-run, nothing changed ({res2.skipped} kept) | {rerun_s / n:.3f} | - |")
        print(
            f"\nwall: grade {grade_s:.0f} s, fastest floor {floors[best] * n:.0f} s ({n} "
            f"notebooks), re-run {rerun_s:.1f} s; mean autograde per notebook in a worker: "
            f"{statistics.mean(res.notebook_seconds):.2f} s; load average before "
            f"{load_before[0]:.1f}, after {os.getloadavg()[0]:.1f} (1 min)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
