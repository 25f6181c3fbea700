"""Materialise the scenario: every view's files, ``README.md``, ``manifest.json`` and keys.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "datasets"
    >>> build_datasets(7, out, progress=False)["seed"]
    7

A build goes to a temporary sibling folder first and only replaces ``out`` when complete, so an
interrupted build never leaves half a dataset behind. An existing folder is never overwritten
unless ``force=True``, and even then the old one is kept as ``<out>.bak-<time>``.

A secret cohort's build (``cohort="c-…"``) writes no seed anywhere in the folder: the manifest
and README name the cohort instead, and ``grading_salt`` (qid -> salt) makes the trainer's
grading keys, returned in ``grading_keys`` (see :mod:`osintlab.trainer.cohort_secret`).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import pkgutil
import shutil
import tempfile
import time
from pathlib import Path

from ..data import GENERATOR_VERSION
from . import views
from .world import build_world
from .writer import DatasetWriter


def view_modules() -> list:
    """The view modules in build order (``views/vNN_name.py``, sorted by name)."""
    names = sorted(m.name for m in pkgutil.iter_modules(views.__path__) if m.name.startswith("v"))
    return [importlib.import_module(f"{views.__name__}.{n}") for n in names]


def build_datasets(
    seed: int,
    out: str | Path,
    *,
    force: bool = False,
    progress: bool = True,
    cohort: str | None = None,
    grading_salt=None,
    grading_keys: dict | None = None,
) -> dict:
    """Build the datasets of ``seed`` into ``out``; return the manifest."""
    world = build_world(seed)  # validates the seed before anything touches the disk
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not force:
        raise FileExistsError(
            f"{out} already exists; pass --force to replace it (the old folder is kept as a backup)"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-build-", dir=out.parent))
    try:
        writer = DatasetWriter(tmp, seed, grading_salt)
        writer.cohort = cohort
        modules = view_modules()
        bar = _progress(modules, progress)
        for module in bar:
            if progress:
                bar.set_postfix_str(module.__name__.rsplit(".", 1)[-1])
            module.build(world, writer)
        manifest = _finish(writer, tmp)
        if grading_keys is not None:
            grading_keys.update(writer.grading_keys)
        if out.exists():
            if any(out.iterdir()):
                backup = out.with_name(f"{out.name}.bak-{time.strftime('%Y%m%d-%H%M%S')}")
                out.rename(backup)
            else:
                out.rmdir()
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return manifest


def _progress(items, enabled):
    if not enabled:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, desc="building views", unit="view")


def _finish(writer: DatasetWriter, root: Path) -> dict:
    (root / "answer_keys.json").write_text(
        json.dumps(dict(sorted(writer.keys.items())), indent=1) + "\n", encoding="utf-8"
    )
    (root / "README.md").write_text(render_readme(writer), encoding="utf-8")
    files = {}
    for p in sorted(root.rglob("*")):
        if not p.is_file() or p.name == "manifest.json":
            continue
        rel = p.relative_to(root).as_posix()
        data = p.read_bytes()
        entry = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
        doc = writer.files.get(rel) or _documented_parent(writer, rel)
        if doc is None and rel not in ("answer_keys.json", "README.md"):
            raise ValueError(f"{rel} was written but not documented (use writer.document)")
        if doc is not None and doc.path == rel:
            if doc.columns:
                entry["columns"] = list(doc.columns)
            if doc.types:
                entry["types"] = doc.types
        files[rel] = entry
    manifest = {
        "scenario": "Operation SILVER ROUTE",
        "seed": writer.seed,
        "generator_version": GENERATOR_VERSION,
        "files": files,
    }
    if getattr(writer, "cohort", None):  # a secret cohort: its seed is the trainer's
        manifest = {"scenario": manifest["scenario"], "seed": None, "cohort": writer.cohort}
        manifest.update(generator_version=GENERATOR_VERSION, files=files)
    (root / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def _documented_parent(writer: DatasetWriter, rel: str):
    # A folder documented as a whole (e.g. images/ads/) covers the files inside it.
    for doc in writer.files.values():
        if rel.startswith(doc.path.rstrip("/") + "/"):
            return doc
    return None


def render_readme(writer: DatasetWriter) -> str:
    lines = [
        "# Datasets — Operation SILVER ROUTE",
        "",
        "Generated by `osintlab data build --seed N`; **do not edit by hand** (tests check that "
        "this folder equals a fresh build). Everything here is synthetic: people, organisations, "
        "handles, numbers, wallets and addresses are invented and use reserved ranges (see "
        "*Synthetic data is safe data* in docs/architecture.md, which also describes how this "
        "folder is built, found and checked). Places, laws and real providers are real.",
        "",
        (
            f"Seed: secret (cohort `{writer.cohort}`; the trainer keeps it). "
            if getattr(writer, "cohort", None)
            else f"Seed: `{writer.seed}`. "
        )
        + "`manifest.json` lists every file with its SHA-256 and size; "
        "`answer_keys.json` holds salted hashes of the exercise answers (never the answers).",
        "",
        "Times: columns ending in `_utc` are ISO 8601 UTC (`Z`). Columns ending in `_local` are "
        "wall-clock times *without* an offset; the row (or the file's description) says which "
        "zone they were recorded in. Converting them is part of the exercises.",
        "",
    ]
    by_section: dict[str, list] = {}
    for doc in writer.files.values():
        by_section.setdefault(doc.module, []).append(doc)
    for section, intro in writer.sections.items():
        lines += [f"## {section}", "", intro, ""]
        for doc in sorted(by_section.get(section, []), key=lambda d: d.path):
            lines += [f"### `{doc.path}`", "", doc.doc, ""]
            if doc.columns:
                lines += ["| column | type | meaning |", "|---|---|---|"]
                for col, meaning in doc.columns.items():
                    lines.append(f"| `{col}` | {doc.types.get(col, 'str')} | {meaning} |")
                lines.append("")
    return "\n".join(lines).rstrip() + "\n"
