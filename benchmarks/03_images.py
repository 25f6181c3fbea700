"""Benchmarks for module 03 (issue 4): metadata extraction speed against ExifTool, hashing, the
lesson's cells. Run from the repository root:

    python benchmarks/03_images.py [--copies 25]
    python benchmarks/03_images.py --index 10000     # the reverse-image index (issue 20)

The course's photo files (datasets/images/posted, ~45 files incl. damaged ones) are copied
``--copies`` times into a cache folder (never committed), so the batch holds 1,000+ files of
the kind the course uses. Prints a Markdown table to paste into benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def corpus(copies: int) -> Path:
    from osintlab import data

    src = data.path("images/posted")
    out = data.cache_dir() / f"bench-03-images-{copies}"
    files = sorted(p for p in src.iterdir() if p.is_file())
    if not out.is_dir() or len(list(out.iterdir())) != copies * len(files):
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        for k in range(copies):
            for p in files:
                shutil.copyfile(p, out / f"{k:03d}_{p.name}")
    return out


def timed(fn, runs: int) -> float:
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=25)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument(
        "--index",
        type=int,
        default=0,
        help="benchmark the reverse-image index at this many entries instead",
    )
    args = ap.parse_args()
    if args.index:
        bench_index(args.index, args.runs)
        return
    from osintlab import images

    folder = corpus(args.copies)
    files = sorted(folder.iterdir())
    n = len(files)
    mb = sum(p.stat().st_size for p in files) / 1e6
    images.extract_folder(folder, progress=False)  # warm the page cache and imports
    rows = []
    t1 = timed(lambda: images.extract_folder(folder, progress=False), args.runs)
    rows.append(("`images.extract_folder` (1 process)", t1, n / t1))
    t2 = timed(lambda: images.extract_folder(folder, progress=False, workers=2), args.runs)
    rows.append(("`images.extract_folder(workers=2)`", t2, n / t2))
    t3 = timed(lambda: [images.read_metadata(p) for p in files], args.runs)
    rows.append(("`images.read_metadata` loop", t3, n / t3))
    exiftool = shutil.which("exiftool")
    agree = ""
    if exiftool:
        cmd = [exiftool, "-json", "-n", "-G1", "-q", "-q", str(folder)]
        te = timed(
            lambda: subprocess.run(cmd, capture_output=True, check=False), max(1, args.runs // 2)
        )
        rows.append(("`exiftool -json -n -G1` (one batch)", te, n / te))
        version = subprocess.run([exiftool, "-ver"], capture_output=True, text=True).stdout.strip()
        ref = {
            d["System:FileName"]: d
            for d in json.loads(subprocess.run(cmd, capture_output=True, text=True).stdout)
        }
        ours = images.extract_folder(folder, progress=False).set_index("file")
        checked = bad = 0
        for name, d in ref.items():
            if name not in ours.index:
                continue
            lat, lon = d.get("Composite:GPSLatitude"), d.get("Composite:GPSLongitude")
            theirs = isinstance(lat, (int, float)) and isinstance(lon, (int, float))
            r = ours.loc[name]
            mine = r["latitude"] == r["latitude"] and r["latitude"] is not None
            if not theirs and not mine:
                continue
            checked += 1
            if (
                theirs != mine
                or abs(r["latitude"] - lat) > 1e-6
                or abs(r["longitude"] - lon) > 1e-6
            ):
                bad += 1
        agree = (
            f"{checked - bad}/{checked} files with GPS agree with ExifTool {version} "
            f"Composite lat/lon to 1e-6°"
        )
    sample = [p for p in files if p.suffix != ".txt"][:300]
    th = timed(
        lambda: [
            images.perceptual_hashes(p)
            for p in sample
            if images.read_metadata(p).status in ("ok", "no_exif")
        ],
        1,
    )
    print(f"Corpus: {n} files, {mb:.1f} MB ({args.copies} copies of datasets/images/posted)\n")
    print("| measurement | seconds | files per second |")
    print("|---|---|---|")
    for label, secs, rate in rows:
        print(f"| {label} | {secs:.3f} | {rate:,.0f} |")
    print(
        f"| pHash + 7 mirror/rotation variants, {len(sample)} files (incl. reading) | "
        f"{th:.2f} | {len(sample) / th:,.0f} |"
    )
    if exiftool:
        print(
            f"\nRatio extract_folder / ExifTool batch: {rows[0][2] / rows[3][2]:.0f}× "
            f"(1 process), {rows[1][2] / rows[3][2]:.0f}× (2 processes). {agree}."
        )
    else:
        print("\nExifTool not installed: no comparison.")


def bench_index(size: int, runs: int) -> None:
    """Query time of the offline reverse-image index at ``size`` entries: the course's photo
    folders (lesson and exercise threads) are hashed for real; the index is then filled up to
    ``size`` with random 64-bit hashes (a look-up scans every entry either way, so the query
    time does not depend on where the hashes came from)."""
    import numpy as np

    from osintlab import data, images

    folders = [data.path("images/posted"), data.path("images/partner")]
    files = [p for f in folders for p in sorted(f.iterdir()) if p.is_file()]
    t = time.perf_counter()
    idx = images.build_image_index(files)
    build = time.perf_counter() - t
    real = len(idx)
    rng = np.random.default_rng(0)
    extra = size - real
    idx.files = idx.files + [f"synthetic_{i:05d}.jpg" for i in range(extra)]
    idx.hashes = np.concatenate(
        [idx.hashes, rng.integers(0, 2**63, size=extra, dtype=np.int64).astype(np.uint64)]
    )
    queries = [p for p in files if p.name in set(idx.files)][:10]
    pre = [images.perceptual_hashes(q) for q in queries]
    lookups, with_hash = [], []
    for _ in range(runs):
        t = time.perf_counter()
        for q in queries:
            images.reverse_search(idx, q)
        with_hash.append((time.perf_counter() - t) / len(queries))
        t = time.perf_counter()
        for h in pre:
            images.reverse_search(idx, h)
        lookups.append((time.perf_counter() - t) / len(queries))
    print(
        f"Reverse-image index: {size:,} entries ({real} real files hashed in {build:.2f} s, "
        f"{real / build:,.0f} files/s; {extra:,} random hashes)\n"
    )
    print("| measurement | milliseconds per query |")
    print("|---|---|")
    print(
        f"| look-up only (8 variants against {size:,} hashes) | "
        f"{1000 * statistics.median(lookups):.2f} |"
    )
    print(f"| query file read + hashed + look-up | {1000 * statistics.median(with_hash):.2f} |")


if __name__ == "__main__":
    main()
