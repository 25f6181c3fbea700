"""Benchmarks for module 07 (device extraction triage and AI-assisted screening).

Targets (issue 8):
  * a timeline of 1,000,000 events built in under 5 s;
  * classifier training and evaluation on the ad corpus in under 30 s on 2 cores (also for the
    evaluation by advertiser: group split, training, intervals and the model card).

The million-event extraction is generated on demand into the per-user cache (never committed):
the real call log, SMS and messenger databases of the scenario phone, scaled up by repeating
their rows with shifted times, plus the original contacts and report.

    PYTHONPATH=src python benchmarks/07_device_triage.py [--events 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import sys
import time
from pathlib import Path


def build_big_extraction(events: int) -> Path:
    from osintlab import data
    from osintlab.data import cache_dir

    src = data.path("device/extraction")
    dest = cache_dir() / f"bench-extraction-{events}"
    marker = dest / ".complete"
    if marker.exists():
        return dest
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(src, dest)
    parts = {
        "data/com.android.providers.contacts/databases/calllog.db": (
            "calls",
            "_id",
            "date",
            1000,
            0.4,
        ),
        "data/com.android.providers.telephony/databases/mmssms.db": (
            "sms",
            "_id",
            "date",
            1000,
            0.3,
        ),
        "data/example.paigham.messenger/databases/paigham.db": (
            "messages",
            "msg_id",
            "timestamp",
            1,
            0.3,
        ),
    }
    for rel, (table, key, tcol, unit, share) in parts.items():
        target = int(events * share)
        con = sqlite3.connect(dest / rel)
        cols = [c[1] for c in con.execute(f"PRAGMA table_info({table})")]
        rows = con.execute(f"SELECT * FROM {table}").fetchall()
        ki, ti = cols.index(key), cols.index(tcol)
        con.execute(f"DELETE FROM {table}")
        out, n, rnd = [], 0, 0
        while n < target:
            for r in rows:
                if n >= target:
                    break
                r = list(r)
                r[ki] = n + 1
                r[ti] = r[ti] + rnd * 37 * unit  # shift each copy by 37 s per round
                out.append(r)
                n += 1
            rnd += 1
        con.executemany(f"INSERT INTO {table} VALUES ({','.join('?' * len(cols))})", out)
        con.commit()
        con.close()
    # The scaled files no longer match the report: re-hash them into a benchmark report.
    report = json.loads((dest / "extraction_report.json").read_text(encoding="utf-8"))
    import hashlib

    for entry in report["files"]:
        p = dest / entry["path"]
        if p.exists():
            entry["sha256"] = hashlib.sha256(p.read_bytes()).hexdigest()
            entry["bytes"] = p.stat().st_size
    (dest / "extraction_report.json").write_text(json.dumps(report), encoding="utf-8")
    marker.write_text("ok", encoding="utf-8")
    return dest


def bench_timeline(events: int, repeat: int) -> dict:
    from osintlab import device

    t0 = time.perf_counter()
    folder = build_big_extraction(events)
    prep = time.perf_counter() - t0
    ext = device.open_extraction(folder)
    times, n = [], 0
    for _ in range(repeat):
        t = time.perf_counter()
        tl = device.timeline(ext)
        times.append(time.perf_counter() - t)
        n = len(tl)
    t = time.perf_counter()
    freq = device.contact_frequency(tl)
    t_freq = time.perf_counter() - t
    t = time.perf_counter()
    device.open_extraction(folder)
    t_open = time.perf_counter() - t
    return {
        "events": n,
        "timeline_best_s": min(times),
        "timeline_median_s": sorted(times)[len(times) // 2],
        "contact_frequency_s": t_freq,
        "open_and_verify_s": t_open,
        "prepare_s": prep,
        "counterparts": len(freq),
    }


def bench_classifier(repeat: int) -> dict:
    from osintlab import data, triage

    train = data.load("triage/ads_train.csv")
    test = data.load("triage/ads_test.csv")
    import sklearn.linear_model  # noqa: F401  (import cost measured separately)

    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        model = triage.train(train)
        report = triage.evaluate(model, test)
        triage.metrics_by_language(model, test)
        times.append(time.perf_counter() - t)
    import pandas as pd

    labelled = pd.concat([train, test], ignore_index=True)
    grouped = []
    for _ in range(repeat):
        t = time.perf_counter()
        g_train, g_test = triage.group_split(labelled, "advertiser", seed=0)
        g_model = triage.train(g_train)
        g_report = triage.evaluate(g_model, g_test)
        by = triage.metrics_by_language(g_model, g_test)
        triage.model_card(
            g_model,
            data_files={"ads": "-"},
            random_report=report,
            grouped_report=g_report,
            by_group=by,
            threshold=0.5,
        )
        grouped.append(time.perf_counter() - t)
    return {
        "train_ads": len(train),
        "test_ads": len(test),
        "train_eval_best_s": min(times),
        "grouped_best_s": min(grouped),
        "g_precision": g_report["precision"],
        "g_recall": g_report["recall"],
        "train_eval_median_s": sorted(times)[len(times) // 2],
        "precision": report["precision"],
        "recall": report["recall"],
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    print(
        f"python {platform.python_version()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
        if hasattr(os, "getloadavg")
        else ""
    )
    tl = bench_timeline(args.events, args.repeat)
    cl = bench_classifier(args.repeat)
    ok_tl = tl["timeline_best_s"] < 5
    ok_cl = cl["train_eval_best_s"] < 30 and cl["grouped_best_s"] < 30
    print("| measure | result | target |")
    print("|---|---|---|")
    print(
        f"| timeline of {tl['events']:,} events (best of {args.repeat}) | "
        f"{tl['timeline_best_s']:.2f} s (median {tl['timeline_median_s']:.2f} s) | < 5 s "
        f"{'✔' if ok_tl else '✘'} |"
    )
    print(
        f"| open + verify hashes of the scaled extraction | {tl['open_and_verify_s']:.2f} s | — |"
    )
    print(f"| contact frequency over the timeline | {tl['contact_frequency_s']:.2f} s | — |")
    print(
        f"| train + evaluate + per-language metrics ({cl['train_ads']:,} / {cl['test_ads']} "
        f"ads, best of {args.repeat}) | {cl['train_eval_best_s']:.2f} s (median "
        f"{cl['train_eval_median_s']:.2f} s) | < 30 s {'✔' if ok_cl else '✘'} |"
    )
    print(
        f"| group split by advertiser + train + evaluate + per-language intervals + model card "
        f"(best of {args.repeat}) | {cl['grouped_best_s']:.2f} s | < 30 s "
        f"{'✔' if cl['grouped_best_s'] < 30 else '✘'} |"
    )
    print(f"| test precision / recall | {cl['precision']:.3f} / {cl['recall']:.3f} | — |")
    print(
        f"| precision / recall on unseen advertisers | {cl['g_precision']:.3f} / "
        f"{cl['g_recall']:.3f} | — |"
    )
    return 0 if ok_tl and ok_cl else 1


if __name__ == "__main__":
    sys.exit(main())
