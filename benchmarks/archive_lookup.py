"""Benchmark for the offline web archive (issue 20): look-up time in an archive of 100,000
snapshots (``osintlab.archive``: read WARC files, build the capture index, first seen / as of /
changes, find a text).

    PYTHONPATH=src python benchmarks/archive_lookup.py [--snapshots 100000] [--repeat 5]

The archive is generated (10,000 URLs, 10 captures each by default, every third capture
edited), written as gzipped WARC files into the user cache (``osintlab.data.cache_dir()/bench``)
and never committed. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def build_archive(n: int, per_url: int = 10, files: int = 20) -> list[Path]:
    from osintlab.archive import Snapshot, write_warc
    from osintlab.data import cache_dir

    folder = cache_dir() / "bench" / f"archive-{n}"
    paths = sorted(folder.glob("*.warc.gz"))
    if len(paths) == files:
        return paths
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20)
    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    snaps = []
    for i in range(n):
        u, k = divmod(i, per_url)
        version = k // 3
        when = t0 + timedelta(days=7 * k, seconds=rng.randrange(86400))
        text = f"<p>Jobs in Dubai, page {u}.</p><p>Fee {3 + version}.5 lakh. Code RL-{u:05d}</p>"
        snaps.append(Snapshot(f"https://site{u % 97}.example/page/{u}", when.isoformat(), text))
    start = time.perf_counter()
    chunk = -(-n // files)
    for f in range(files):
        write_warc(folder / f"crawl-{f:02d}.warc.gz", snaps[f * chunk : (f + 1) * chunk])
    print(f"built {n:,} snapshots in {time.perf_counter() - start:.1f} s into {folder}")
    return sorted(folder.glob("*.warc.gz"))


def timed(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times), out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--snapshots", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    from osintlab import archive

    paths = build_archive(args.snapshots)
    rows = []
    best, med, (snaps, problems) = timed(lambda: archive.read_warc(paths), 1)
    rows.append(("read the WARC files (warcio), once", best, med))
    assert len(snaps) == args.snapshots and not problems, problems
    best, med, idx = timed(lambda: archive.capture_index(snaps), args.repeat)
    rows.append(("build the capture index", best, med))
    rng = random.Random(7)
    urls = rng.sample(sorted(idx), 1000)
    days = [f"2025-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}" for _ in urls]
    for label, fn in [
        ("first_seen, 1,000 URLs", lambda: [archive.first_seen(idx, u) for u in urls]),
        (
            "as_of (date D), 1,000 URLs",
            lambda: [archive.as_of(idx, u, d) for u, d in zip(urls, days)],
        ),
        ("changes, 1,000 URLs", lambda: [archive.changes(idx, u) for u in urls]),
        ("find_in_archive (text in all 100,000)", lambda: archive.find_in_archive(idx, "RL-04242")),
    ]:
        best, med, _ = timed(fn, args.repeat)
        rows.append((label, best, med))
    print(f"\n{args.snapshots:,} snapshots, {len(idx):,} URLs, {len(paths)} WARC files\n")
    print("| operation | best | median |")
    print("|---|---|---|")
    for label, best, med in rows:
        print(f"| {label} | {best * 1000:,.1f} ms | {med * 1000:,.1f} ms |")


if __name__ == "__main__":
    main()
