"""Benchmark for module 04 (issue 5): query latency of ``osintlab.search`` on a generated
100,000-page offline web, against a plain pandas scan of the same corpus as the baseline.

    PYTHONPATH=src python benchmarks/04_search.py [--pages 100000] [--repeat 5]

The corpus is the scenario's offline web (default seed) plus generated background pages
(Zipf-distributed vocabulary), written with the same schema and FTS5 index as
``datasets/web/pages.sqlite`` into the user cache (never committed). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

QUERIES = [
    "visa",
    '"free visa"',
    "dunki OR donkey OR dunky",
    "(dunki OR donkey OR ڈنکی) -livestock site:bazaar-ads.example",
    "site:rozgar-hub.example visa -dubai",
    'intitle:"licence" site:oep-register.example',
    "inurl:downloads filetype:pdf",
    "before:2025-01-01 after:2024-06-01 salary",
    '"visa * ticket"',
    "visa AROUND(3) ticket",
    "naukri OR nokri OR nokari OR naukari",
    "চাকরি",
    "intext:lakh intitle:europe",
    "-visa -job -dubai filetype:xls",
    '"processing fee" OR usdt',
    "fee AROUND(1) lakh -site:bazaar-ads.example",
    "hotel driver cook",
    '"0321 5550942" OR 03215550942 OR 923215550942',
    "site:example filetype:docx contract",
    "urgent -interview after:2025-01-01",
]


def build_corpus(n_pages: int) -> Path:
    from osintlab.data import DEFAULT_SEED, cache_dir
    from osintlab.scenario import build_world
    from osintlab.scenario.views.v01_web import create_web_db, pages
    from osintlab.scenario.webcorpus import filler_pages

    out = cache_dir() / f"osintlab-bench-web-{n_pages}.sqlite"
    if out.is_file():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    story = pages(build_world(DEFAULT_SEED))
    extra = filler_pages(max(0, n_pages - len(story)))
    tmp = out.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    create_web_db(con, sorted(story + extra, key=lambda p: p["url"]))
    con.commit()
    con.close()
    tmp.rename(out)
    print(
        f"built {n_pages} pages into {out} in {time.perf_counter() - start:.0f} s "
        f"({out.stat().st_size / 1e6:.0f} MB)",
        file=sys.stderr,
    )
    return out


def pct(values, q):
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(q / 100 * (len(values) - 1))))
    return values[k]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--baseline-repeat", type=int, default=1)
    args = ap.parse_args()
    import pandas as pd

    from osintlab import search as S

    db = build_corpus(args.pages)
    t = time.perf_counter()
    eng = S.Engine(db)
    open_s = time.perf_counter() - t
    n = eng.con.execute("SELECT count(*) FROM pages").fetchone()[0]
    S.tokenize("warm up")

    def timed(fn, repeat):
        out = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t0)
        return out

    page10, full, every, totals = [], [], [], {}
    for q in QUERIES:
        eng.search(q, limit=10)  # warm the page cache once
        page10 += timed(lambda: eng.search(q, limit=10), args.repeat)
        full += timed(lambda: eng.ids(q), args.repeat)
        every += timed(lambda: eng.search(q), 1)
        totals[q] = len(eng.ids(q))
    t = time.perf_counter()
    corpus = pd.read_sql_query(
        "SELECT url, site, title, text, filetype, published, language FROM pages", eng.con
    )
    load_s = time.perf_counter() - t
    base, agree = [], True
    for q in QUERIES:
        res = []
        base += timed(lambda: res.append(S.matches(q, corpus)), args.baseline_repeat)
        agree &= int(res[-1].sum()) == totals[q]
    ms = lambda s: f"{s * 1000:.1f} ms"  # noqa: E731
    print(
        f"\nCorpus: {n:,} pages, {db.stat().st_size / 1e6:.0f} MB; {len(QUERIES)} queries "
        f"x {args.repeat} runs (baseline x {args.baseline_repeat}).\n"
    )
    print("| measurement | p50 | p95 | max |")
    print("|---|---|---|---|")
    for label, vals in (
        ("`search(q, limit=10)` (ranked first page + snippets)", page10),
        ("exact result set only (`Engine.ids`)", full),
        ("`search(q)`: all results, each with a snippet", every),
        ("baseline: pandas scan (`matches(q, corpus)`)", base),
    ):
        print(f"| {label} | {ms(pct(vals, 50))} | {ms(pct(vals, 95))} | {ms(max(vals))} |")
    print(
        f"\nRatio baseline / search at p95: {pct(base, 95) / pct(page10, 95):.0f}x; "
        f"at p50: {pct(base, 50) / pct(page10, 50):.0f}x. Result sets identical to the scan: "
        f"{'yes' if agree else 'NO'}. One-off: open engine {ms(open_s)}, load corpus into "
        f"pandas {load_s:.1f} s. Result sizes: {min(totals.values()):,} to "
        f"{max(totals.values()):,} pages."
    )


if __name__ == "__main__":
    main()
