"""Benchmark for module 02 (osintlab.social): selector extraction and indicator scoring over
100,000 posts, and the link graph of 100,000 posts.

Targets (issue 3): extraction + scoring < 10 s on 2 cores; link graph < 10 s.

    PYTHONPATH=src python benchmarks/02_social.py [--posts 100000] [--jobs 2]

The 100,000 posts are platform exports of several scenario seeds stacked together (distinct
texts, numbers and wallets per seed), generated once into the per-user cache
(``osintlab.data.cache_dir()/bench``) and never committed.
"""

from __future__ import annotations

import argparse
import os
import platform
import time


def corpus(n: int):
    import pandas as pd

    from osintlab.data import cache_dir
    from osintlab.scenario.socialposts import generate
    from osintlab.scenario.views.v20_social import tables
    from osintlab.scenario.world import build_world

    path = cache_dir() / "bench" / f"social_posts_{n}.pkl"
    if path.exists():
        return pd.read_pickle(path)
    frames, total, seed = [], 0, 1000
    while total < n:
        t = tables(generate(build_world(seed)))
        df = pd.DataFrame(t["posts"])
        df["post_id"] = f"S{seed}-" + df["post_id"]
        df["account_id"] = f"S{seed}-" + df["account_id"].astype(str)
        frames.append(df)
        total += len(df)
        seed += 1
    posts = pd.concat(frames, ignore_index=True).head(n)
    path.parent.mkdir(parents=True, exist_ok=True)
    posts.to_pickle(path)
    return posts


def lexicon_quality(seeds=(20260301, 7, 3)):
    """False positives on the near-miss posts and recall on real ads of the labelled sample
    (``social/lexicon_sample.csv``) of each seed, at the exercise's threshold (3)."""
    import pandas as pd

    from osintlab import social
    from osintlab.scenario.socialposts import generate
    from osintlab.scenario.views.v20_social import tables
    from osintlab.scenario.world import build_world

    print("| seed | list | benign near-misses | false positives | FP rate | ads | recall |")
    print("|---|---|---|---|---|---|---|")
    for seed in seeds:
        sample = pd.DataFrame(tables(generate(build_world(seed)))["sample"])
        scores = social.score_posts(sample, id_col="sample_id", n_jobs=1)
        for lst in ("recruitment", "smuggling"):
            r = social.false_positive_rate(scores, sample, list_name=lst, id_col="sample_id")
            print(
                f"| {seed} | {lst} | {r['benign']} | {r['false_positives']} | "
                f"{r['false_positive_rate']:.3f} | {r['ads']} | {r['recall']:.3f} |"
            )


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=100_000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--lexicon-only", action="store_true", help="only the lexicon's FP rate")
    args = ap.parse_args(argv)
    lexicon_quality()
    if args.lexicon_only:
        return
    from osintlab import social

    t = time.perf_counter()
    posts = corpus(args.posts)
    prep = time.perf_counter() - t
    rows = []

    def children_cpu():
        try:
            import resource
        except ImportError:  # Windows: no child CPU accounting
            return 0.0
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        return r.ru_utime + r.ru_stime

    def timed(label, fn):
        t0, c0, k0 = time.perf_counter(), time.process_time(), children_cpu()
        out = fn()
        rows.append(
            (label, time.perf_counter() - t0, time.process_time() - c0 + children_cpu() - k0)
        )
        return out

    sel = timed(
        f"extract selectors (n_jobs={args.jobs})",
        lambda: social.selectors_table(posts, n_jobs=args.jobs),
    )
    timed(
        f"score indicators (n_jobs={args.jobs})",
        lambda: social.score_posts(posts, n_jobs=args.jobs),
    )
    extraction_scoring = rows[0][1] + rows[1][1]
    extraction_scoring_cpu = rows[0][2] + rows[1][2]
    graph = timed("build link graph (from selectors)", lambda: social.build_graph(sel))
    timed("merge accounts into actors", lambda: social.merge_actors(graph))
    link_graph = rows[2][1] + rows[3][1]
    link_graph_cpu = rows[2][2] + rows[3][2]
    timed("extract selectors (n_jobs=1)", lambda: social.selectors_table(posts, n_jobs=1))
    timed("score indicators (n_jobs=1)", lambda: social.score_posts(posts, n_jobs=1))
    print(
        f"posts: {len(posts):,} (corpus ready in {prep:.1f} s); selectors: {len(sel):,}; "
        f"graph: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges"
    )
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}"
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average at the end (1 min): {load:.1f} — other jobs share the cores")
    print("| step | wall s | CPU s (process + workers) |\n|---|---|---|")
    for label, sec, cpu in rows:
        print(f"| {label} | {sec:.2f} | {cpu:.2f} |")
    single = rows[4][2] + rows[5][2]
    print(
        f"| **extraction + scoring, 2 workers (target < 10 s)** | **{extraction_scoring:.2f}** "
        f"| {extraction_scoring_cpu:.2f} |"
    )
    print(
        f"| **extraction + scoring, 1 process** | **{rows[4][1] + rows[5][1]:.2f}** | "
        f"{single:.2f} |"
    )
    print(
        f"| **link graph: build + merge (target < 10 s)** | **{link_graph:.2f}** | "
        f"{link_graph_cpu:.2f} |"
    )
    print(
        f"| link graph including selector extraction (1 process) | "
        f"{rows[4][1] + link_graph:.2f} | {rows[4][2] + link_graph_cpu:.2f} |"
    )


if __name__ == "__main__":
    main()
