"""The ``osintlab`` command line for trainees and trainers.

osintlab lab                      open the course in JupyterLab
osintlab data build [--seed N]    (re)generate datasets/ for a new cohort
osintlab release [MODULE ...]     regenerate exercises/ from solutions/
osintlab check [MODULE ...]       course self-test: data, release sync, real nbgrader grading
osintlab grade SOURCE --out DIR   grade a cohort: grades.csv, feedback, report.html
osintlab bundle DIR               offline workshop bundle (USB stick); --check-only
osintlab doctor [BUNDLE]          diagnose a laptop that fails
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

# -- lab --------------------------------------------------------------------------------------


def cmd_lab(args) -> int:
    from .data import DatasetError
    from .trainer.nbgrader import course_root

    root = course_root()
    try:
        prepare_datasets(root)
    except DatasetError as exc:
        print(f"osintlab lab: {exc}", file=sys.stderr)
        return 2
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={root}",
        "--LabApp.default_url=/lab/tree/course/00-start-here.ipynb",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # workshop VMs and containers often run as root
    if args.no_browser:
        cmd.append("--no-browser")
    if args.port:
        cmd.append(f"--port={args.port}")
    cmd += args.extra
    print(f"Opening OSINT Lab in JupyterLab from {root} (Ctrl+C to stop)")
    from .trainer import lab

    with tempfile.TemporaryDirectory(prefix="osintlab-lab-") as config:
        env = lab.classroom_env(lab.write_lab_config(config, trainer=args.trainer))
        # the server runs in its own process group, stopped with this command (Ctrl+C,
        # SIGTERM, a closed terminal): it never outlives ``osintlab lab``
        return lab.run_server(cmd, cwd=root, env=env)


# -- data build -------------------------------------------------------------------------------


def cmd_data_build(args) -> int:
    from . import data
    from .scenario.build import build_datasets

    if isinstance(args.seed, str):  # "secret" or a stored cohort "c-..."
        return _build_secret(args)
    seed = data.DEFAULT_SEED if args.seed is None else args.seed
    out = Path(args.out) if args.out else _default_datasets(seed)
    if out == data.cached_datasets_dir():
        if data.stale_reason(out) is None and not args.force:
            print(f"The datasets in the per-user cache {out} are up to date")
            return 0
        return _build_cache(progress=not args.quiet)
    t = time.perf_counter()
    try:
        manifest = build_datasets(seed, out, force=args.force, progress=not args.quiet)
    except (ValueError, FileExistsError) as exc:
        print(f"osintlab data build: {exc}", file=sys.stderr)
        return 2
    print(
        f"Built {len(manifest['files'])} files for seed {seed} into {out} "
        f"in {time.perf_counter() - t:.1f} s"
    )
    return 0


def _build_secret(args) -> int:
    from .trainer import cohort_secret

    out = Path(args.out) if args.out else _default_datasets(-1)
    t = time.perf_counter()
    try:
        if args.seed == "secret":
            record, manifest = cohort_secret.build_new_cohort(
                out, force=args.force, progress=not args.quiet
            )
        else:
            record = cohort_secret.load_cohort(args.seed)
            manifest = cohort_secret.build_secret_datasets(
                record, out, force=args.force, progress=not args.quiet
            )
    except cohort_secret.CohortSecretError as exc:
        print(f"osintlab data build: {exc}", file=sys.stderr)
        return 2
    except (ValueError, FileExistsError) as exc:
        print(f"osintlab data build: {exc}", file=sys.stderr)
        return 2
    where = cohort_secret.secrets_dir()
    print(
        f"Built {len(manifest['files'])} files for secret cohort {record['cohort']} into {out} "
        f"in {time.perf_counter() - t:.1f} s.\nIts seed and grading keys are in {where} "
        "(never in the datasets): back that folder up. Rebuild with "
        f"'osintlab data build --seed {record['cohort']}'; grade with "
        f"'osintlab grade SOURCE --out DIR --datasets {out}'."
    )
    return 0


def _default_datasets(seed: int) -> Path:
    from . import data
    from .trainer.nbgrader import course_root

    try:
        return course_root() / "datasets"
    except FileNotFoundError:
        # No checkout (osintlab installed from a wheel): the per-user cache, which notebooks
        # find from any folder; another seed goes where the trainer stands.
        return data.cached_datasets_dir() if seed == data.DEFAULT_SEED else Path.cwd() / "datasets"


def _build_cache(progress: bool = True) -> int:
    """(Re)build the default seed into the per-user cache, replacing a stale copy."""
    import shutil

    from . import data
    from .scenario.build import build_datasets

    folder = data.cached_datasets_dir()
    why = data.stale_reason(folder)
    if folder.exists():
        print(f"Replacing the per-user dataset cache: {why or 'rebuild requested'}")
        shutil.rmtree(folder)  # a cache, not the trainer's data: no backup copy
    t = time.perf_counter()
    manifest = build_datasets(data.DEFAULT_SEED, folder, progress=progress)
    data.mark_cache_built(folder)
    print(
        f"Built {len(manifest['files'])} files for seed {data.DEFAULT_SEED} into {folder} "
        f"in {time.perf_counter() - t:.1f} s"
    )
    return 0


def prepare_datasets(start: Path | None = None, progress: bool = True) -> Path:
    """The datasets that notebooks under ``start`` will read. If there are none, or only a
    stale per-user cache, the default seed is built into the cache first (:mod:`osintlab.data`
    never runs the generator itself). A folder named in ``OSINTLAB_DATA`` is the trainer's
    choice and is never built behind their back."""
    from . import data

    try:
        return data.datasets_dir(start)
    except data.DatasetError:
        if os.environ.get(data.ENV):
            raise
    _build_cache(progress)
    return data.datasets_dir(start)


_SEED_HELP = (
    "expected 'secret' (a new 128-bit secret cohort seed), a stored cohort id c-..., "
    "or a whole number from 0 to 2**128-1"
)


def _seed(text: str) -> int | str:
    """A ``--seed``: a number, ``secret`` (a new secret cohort) or a stored cohort id."""
    from .trainer.cohort_secret import is_cohort_id

    if text.strip() == "secret" or is_cohort_id(text.strip()):
        return text.strip()
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"bad seed {text!r}: {_SEED_HELP}") from None
    if not 0 <= value < 2**128:
        raise argparse.ArgumentTypeError(f"bad seed {text!r}: {_SEED_HELP}")
    return value


def _number_seed(text: str) -> int:
    value = _seed(text)
    if isinstance(value, str):
        raise argparse.ArgumentTypeError(f"bad seed {text!r}: give a number here")
    return value


# -- release ----------------------------------------------------------------------------------


def cmd_release(args) -> int:
    from tqdm import tqdm

    from .trainer.autograde import release
    from .trainer.nbgrader import course_root
    from .trainer.selftest import exercise_modules

    root = course_root()
    modules = exercise_modules(root, args.modules)
    for m in tqdm(modules, desc="releasing", unit="module", disable=args.quiet):
        release(m, root / "exercises", root)
    print(f"Released {len(modules)} module(s) into {root / 'exercises'}")
    return 0


# -- check ------------------------------------------------------------------------------------


def cmd_check(args) -> int:
    from .trainer.selftest import run_check

    t = time.perf_counter()
    rows = run_check(args.modules, args.seed, progress=not args.quiet)
    width = max(len(r[0]) for r in rows)
    for module, check, ok, detail in rows:
        print(f"{'PASS' if ok else 'FAIL'}  {module:<{width}}  {check:<40} {detail}")
    failed = sum(not r[2] for r in rows)
    print(f"\n{len(rows) - failed} passed, {failed} failed in {time.perf_counter() - t:.0f} s")
    return 1 if failed else 0


# -- bundle, doctor ---------------------------------------------------------------------------


def cmd_bundle(args) -> int:
    from .trainer.bundle import (
        PLATFORMS,
        PYTHONS,
        BundleBuildError,
        build_bundle,
        check_wheel_sets,
        combos,
    )

    try:
        pairs = combos(args.platform or PLATFORMS, args.python or PYTHONS)
        if args.check_only:
            print(
                f"Resolving {len(pairs)} wheel set(s) against the package index "
                "(metadata only, nothing downloaded):"
            )
            rows = check_wheel_sets(pairs)
            missing = [r for r in rows if not r["ok"]]
            print(f"{len(rows) - len(missing)} of {len(rows)} wheel sets resolve completely")
            return 1 if missing else 0
        if not args.dir:
            raise BundleBuildError(
                "give the folder to write the bundle to, e.g. osintlab bundle E:/OSINT-Lab"
            )
        build_bundle(
            args.dir,
            args.platform,
            args.python,
            args.seed,
            with_solutions=not args.without_solutions,
            with_server=not args.no_server,
            force=args.force,
            log=(lambda *a: None) if args.quiet else print,
        )
    except BundleBuildError as exc:
        print(f"osintlab bundle: {exc}", file=sys.stderr)
        return 2
    return 0


def cmd_doctor(args) -> int:
    from .trainer.bundle_install import doctor

    return 1 if doctor(args.bundle, args.target, args.port) else 0


# -- entry point -------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="osintlab",
        description="OSINT Lab: an offline course in OSINT against trafficking and smuggling.",
    )
    sub = p.add_subparsers(dest="command", required=True)
    lab = sub.add_parser("lab", help="open the course in JupyterLab")
    lab.add_argument("--no-browser", action="store_true")
    lab.add_argument("--port", type=int)
    lab.add_argument(
        "--trainer",
        action="store_true",
        help="keep nbgrader's Create Assignment panel, formgrader and course list",
    )
    lab.set_defaults(extra=[])
    lab.set_defaults(func=cmd_lab)
    data = sub.add_parser("data", help="scenario datasets")
    dsub = data.add_subparsers(dest="data_command", required=True)
    build = dsub.add_parser("build", help="generate datasets/ from a seed")
    build.add_argument(
        "--seed",
        type=_seed,
        help="scenario seed (default: the course seed); 'secret' for a graded cohort: a new "
        "128-bit seed kept in the trainer's secrets folder, never in the datasets",
    )
    build.add_argument(
        "--out",
        help="target folder (default: datasets/ of the checkout; "
        "outside a checkout, the per-user cache notebooks read)",
    )
    build.add_argument(
        "--force",
        action="store_true",
        help="replace an existing folder (the old one is kept as a backup)",
    )
    build.add_argument("--quiet", action="store_true")
    build.set_defaults(func=cmd_data_build)
    rel = sub.add_parser("release", help="regenerate exercises/ from solutions/")
    rel.add_argument("modules", nargs="*", help="modules (default: all)")
    rel.add_argument("--quiet", action="store_true")
    rel.set_defaults(func=cmd_release)
    chk = sub.add_parser("check", help="course self-test through real nbgrader")
    chk.add_argument("modules", nargs="*")
    chk.add_argument(
        "--seed", type=_number_seed, help="grade the solutions on a fresh scenario seed"
    )
    chk.add_argument("--quiet", action="store_true")
    chk.set_defaults(func=cmd_check)
    bnd = sub.add_parser("bundle", help="build an offline workshop bundle (USB stick)")
    bnd.add_argument("dir", nargs="?", help="folder to write the bundle to")
    bnd.add_argument(
        "--platform",
        action="append",
        choices=["linux-x86_64", "windows-x86_64", "macos-arm64", "macos-x86_64"],
        help="repeat for several (default: all)",
    )
    bnd.add_argument(
        "--python",
        action="append",
        choices=["3.11", "3.12", "3.13"],
        help="repeat for several (default: all)",
    )
    bnd.add_argument(
        "--seed",
        type=_seed,
        help="build the datasets for a secret cohort: 'secret' (new), a cohort id c-..., or "
        "your own number (the bundle never records it)",
    )
    bnd.add_argument(
        "--without-solutions",
        action="store_true",
        help="leave the exercise masters out (graded workshops)",
    )
    bnd.add_argument("--no-server", action="store_true", help="no classroom JupyterHub files")
    bnd.add_argument(
        "--check-only",
        action="store_true",
        help="only check every wheel set resolves (metadata, no downloads)",
    )
    bnd.add_argument("--force", action="store_true", help="replace an existing bundle folder")
    bnd.add_argument("--quiet", action="store_true")
    bnd.set_defaults(func=cmd_bundle)
    doc = sub.add_parser("doctor", help="diagnose a laptop (and a bundle): one line per problem")
    doc.add_argument("bundle", nargs="?", help="the bundle folder to verify (optional)")
    doc.add_argument("--target", help="the installed course (default: ~/osintlab)")
    doc.add_argument("--port", type=int, default=8888, help="port JupyterLab will use")
    doc.set_defaults(func=cmd_doctor)
    from .trainer.cohort import add_parser as add_grade_parser

    add_grade_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        if args.command != "lab":
            parser.error(f"unrecognized arguments: {' '.join(unknown)}")
        args.extra = unknown  # e.g. --ServerApp.token=... is passed on to JupyterLab
    try:
        return args.func(args)
    except FileNotFoundError as exc:
        print(f"osintlab: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
