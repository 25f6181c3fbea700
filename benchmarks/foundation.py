"""Benchmarks for the course foundation (issue 2): import time, dataset build, lesson cells,
self-test. Run from the repository root:

    python benchmarks/foundation.py

Prints a Markdown table to paste into benchmarks/README.md.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def import_time(runs: int = 7) -> float:
    samples = []
    for _ in range(runs):
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                "import time; t=time.perf_counter(); import osintlab; print(time.perf_counter()-t)",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        samples.append(float(out.stdout))
    return statistics.median(samples)


def build_time() -> float:
    from osintlab.scenario.build import build_datasets

    with tempfile.TemporaryDirectory() as t:
        start = time.perf_counter()
        build_datasets(20260301, Path(t) / "d", progress=False)
        return time.perf_counter() - start


def lesson_cells(path: Path) -> tuple[float, float]:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    times = []
    with client.setup_kernel():
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                start = time.perf_counter()
                client.execute_cell(cell, i)
                times.append(time.perf_counter() - start)
    return max(times), sum(times)


def check_time() -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "osintlab", "check", "--quiet"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    return time.perf_counter() - start


def main() -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")
    rows = [
        ("`import osintlab` (median of 7)", f"{import_time():.3f} s", "< 0.5 s"),
        ("build all datasets (default seed)", f"{build_time():.2f} s", "-"),
    ]
    for nb in sorted((ROOT / "course").glob("*.ipynb")):
        slowest, total = lesson_cells(nb)
        rows.append(
            (
                f"lesson `{nb.name}`: slowest cell / all cells",
                f"{slowest:.2f} s / {total:.1f} s",
                "< 2 s / < 15 s",
            )
        )
    rows.append(("`osintlab check` (all modules, real nbgrader)", f"{check_time():.0f} s", "-"))
    print("| measurement | result | budget |\n|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} |")


if __name__ == "__main__":
    main()
