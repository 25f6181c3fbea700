"""Benchmark for module 06: load, cluster and trace 6 hops on a 1,000,000-transaction ledger.

Usage (from the repository root)::

    PYTHONPATH=$PWD/src python benchmarks/06_crypto.py            # 1,000,000 transactions
    PYTHONPATH=$PWD/src python benchmarks/06_crypto.py --n 100000

The ledger is generated once (``osintlab.scenario.ledgers.benchmark_ledger``) into the user cache
(``osintlab.data.cache_dir()/bench``) with ``crypto.save_utxo`` (an ``.npz`` of numpy arrays);
it is never committed. ``--csv`` also times loading the same ledger from plain CSV files. Each
measurement runs in a fresh process so that its peak memory (max RSS) is its own:

* **toolkit**: ``crypto.load_utxo("ledger.npz")`` (read the file written by
  ``crypto.save_utxo``, check every transaction, build the indexes),
  ``crypto.cluster_addresses`` (co-spend with CoinJoin detection), ``crypto.trace_forward``
  (haircut, 6 hops) from a seed output;
* **networkx baseline**: reads the same file into DataFrames, then the same steps written
  plainly with networkx — an address graph of
  co-spend edges and ``nx.connected_components``; a transaction graph (edge = an output spent by
  a later transaction) with a breadth-first 6-hop haircut trace. It skips the toolkit's checks
  (balance, missing inputs, order) and uses the toolkit's CoinJoin list for fairness.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path


def cache_path(n: int) -> Path:
    from osintlab.data import cache_dir

    return cache_dir() / "bench" / f"06-crypto-v3-{n}"


def generate(n: int) -> None:
    from osintlab.scenario.ledgers import benchmark_ledger

    folder = cache_path(n)
    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    from osintlab import crypto

    frames, seed = benchmark_ledger(n, seed=1)
    crypto.save_utxo(crypto.load_utxo(frames), folder / "ledger.npz")
    (folder / "seed.json").write_text(json.dumps({"seed": seed}))
    print(
        f"generated {n:,} transactions in {time.perf_counter() - t:.1f} s -> {folder}",
        file=sys.stderr,
    )


def read_frames(n: int):
    """The cached ledger as three DataFrames (what the networkx baseline starts from)."""
    from osintlab.crypto import _frames_from_npz

    folder = cache_path(n)
    return _frames_from_npz(folder / "ledger.npz"), seed_of(n)


def seed_of(n: int) -> str:
    return json.loads((cache_path(n) / "seed.json").read_text())["seed"]


def peak_mb() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r / 1024 if sys.platform != "darwin" else r / 1024 / 1024


def _preimport():
    # library import time is not what we measure: load them first, for both runs
    import networkx  # noqa: F401
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import scipy.sparse.csgraph  # noqa: F401


def run_toolkit(n: int) -> dict:
    from osintlab import crypto

    _preimport()
    out = {"read": 0.0}
    seed = seed_of(n)
    cpu0 = time.process_time()  # CPU time: less sensitive than wall time to a loaded machine
    t = time.perf_counter()
    led = crypto.load_utxo(cache_path(n) / "ledger.npz")  # read + validate + index
    out["load"] = time.perf_counter() - t
    assert led.problems.empty, led.problems.head()
    t = time.perf_counter()
    cl = crypto.cluster_addresses(led)
    out["cluster"] = time.perf_counter() - t
    t = time.perf_counter()
    tr = crypto.trace_forward(led, [seed], model="haircut", hops=6)
    out["trace"] = time.perf_counter() - t
    out["cpu"] = time.process_time() - cpu0
    seeds = many_seeds(led.txs["txid"].astype(str).to_numpy(), led.txs["is_coinbase"].to_numpy())
    t = time.perf_counter()
    tr_many = crypto.trace_forward(led, seeds, model="haircut", hops=6)
    out["trace_1000"] = time.perf_counter() - t
    out["tainted_outputs_1000"] = int((tr_many["hop"] > 0).sum())
    out["clusters"] = int(cl["cluster"].nunique())
    out["largest"] = int(cl["size"].max())
    out["tainted_outputs"] = int((tr["hop"] > 0).sum())
    out["peak_mb"] = peak_mb()
    out["txs"] = len(led)
    return out


def many_seeds(txids, is_coinbase) -> list[str]:
    """1,000 outpoints: both outputs of the first 500 ordinary transactions."""
    import numpy as np

    i0 = int(np.argmin(is_coinbase))
    return [f"{txids[i0 + k]}:{v}" for k in range(500) for v in (0, 1)]


def run_csv(n: int) -> dict:
    """Load the same ledger from plain CSV files (text identifiers, no dictionary encoding)."""
    from osintlab import crypto

    _preimport()
    folder = cache_path(n) / "csv"
    if not (folder / "txs.csv").is_file():
        frames, _ = read_frames(n)
        folder.mkdir(parents=True, exist_ok=True)
        for name, df in frames.items():
            df.to_csv(folder / f"{name}.csv", index=False)
        del frames
    t = time.perf_counter()
    led = crypto.load_utxo(folder)
    out = {"load_csv": time.perf_counter() - t}
    assert led.problems.empty
    t = time.perf_counter()
    crypto.cluster_addresses(led)
    out["cluster_csv"] = time.perf_counter() - t
    out["peak_mb"] = peak_mb()
    return out


def run_networkx(n: int) -> dict:
    import networkx as nx

    _preimport()
    out = {}
    t = time.perf_counter()
    frames, seed = read_frames(n)
    out["read"] = time.perf_counter() - t
    txs, inputs, outputs = frames["txs"], frames["inputs"], frames["outputs"]
    # "load": a transaction graph keyed by txid (edge = an output spent by a later tx)
    t = time.perf_counter()
    g = nx.DiGraph()
    g.add_nodes_from(txs["txid"])
    value = {(a, b): v for a, b, v in zip(outputs["txid"], outputs["vout"], outputs["value"])}
    owner = {(a, b): x for a, b, x in zip(outputs["txid"], outputs["vout"], outputs["address"])}
    for tx, pt, pv in zip(inputs["txid"], inputs["prev_txid"], inputs["prev_vout"]):
        g.add_edge(pt, tx, vout=int(pv))
    spent_by = {
        (pt, int(pv)): tx
        for tx, pt, pv in zip(inputs["txid"], inputs["prev_txid"], inputs["prev_vout"])
    }
    fee = dict(zip(txs["txid"], txs["fee"]))
    n_out = outputs.groupby("txid", sort=False).size().to_dict()
    out["load"] = time.perf_counter() - t
    # cluster: co-spend edges in an address graph, CoinJoins excluded (same list as toolkit)
    t = time.perf_counter()
    led_cj = set()  # generated ledger has none; detection cost is toolkit's
    ag = nx.Graph()
    ag.add_nodes_from(outputs["address"].unique())
    first = {}
    for tx, addr in zip(inputs["txid"], inputs["address"]):
        if tx in led_cj:
            continue
        f = first.setdefault(tx, addr)
        if f != addr:
            ag.add_edge(f, addr)
    comps = list(nx.connected_components(ag))
    out["cluster"] = time.perf_counter() - t

    # trace: BFS over the tx graph, haircut shares, 6 hops
    def bfs_trace(seed_list):
        taint, frontier = {}, set()
        for sd in seed_list:
            txid, vout = sd.split(":")
            key = (txid, int(vout))
            taint[key] = float(value[key])
            if key in spent_by:
                frontier.add(spent_by[key])
        hop = tainted_outputs = 0
        while frontier and hop < 6:
            hop += 1
            nxt = set()
            for tx in sorted(frontier):
                ins = [(p, d["vout"]) for p, _, d in g.in_edges(tx, data=True)]
                t_in = sum(taint.get(o, 0.0) for o in ins)
                total = sum(value[o] for o in ins)
                for k in range(n_out.get(tx, 0)):
                    share = t_in * value[(tx, k)] / total if total else 0.0
                    if share > 0:
                        if (tx, k) not in taint:
                            tainted_outputs += 1
                        taint[(tx, k)] = share
                        if (tx, k) in spent_by:
                            nxt.add(spent_by[(tx, k)])
            frontier = nxt
        return tainted_outputs

    t = time.perf_counter()
    tainted_outputs = bfs_trace([seed])
    out["trace"] = time.perf_counter() - t
    seeds = many_seeds(txs["txid"].astype(str).to_numpy(), txs["is_coinbase"].to_numpy())
    t = time.perf_counter()
    out["tainted_outputs_1000"] = bfs_trace(seeds)
    out["trace_1000"] = time.perf_counter() - t
    out["clusters"] = len(comps)
    out["largest"] = max(len(c) for c in comps)
    out["tainted_outputs"] = tainted_outputs
    out["peak_mb"] = peak_mb()
    out["txs"] = len(txs)
    del owner, fee
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--run", choices=["toolkit", "networkx", "csv"])
    ap.add_argument(
        "--csv",
        action="store_true",
        help="also measure loading from plain CSV files (slow; written once)",
    )
    ap.add_argument("--generate", action="store_true")
    args = ap.parse_args()
    if args.generate:
        generate(args.n)
        return
    if args.run:
        res = {"toolkit": run_toolkit, "networkx": run_networkx, "csv": run_csv}[args.run](args.n)
        print(json.dumps(res))
        return
    if not (cache_path(args.n) / "seed.json").is_file():
        subprocess.run([sys.executable, __file__, "--generate", "--n", str(args.n)], check=True)
    results = {}
    for which in ("toolkit", "networkx") + (("csv",) if args.csv else ()):
        p = subprocess.run(
            [sys.executable, __file__, "--run", which, "--n", str(args.n)],
            check=True,
            capture_output=True,
            text=True,
            env=os.environ,
        )
        results[which] = json.loads(p.stdout.strip().splitlines()[-1])
    tk, nxr = results["toolkit"], results["networkx"]
    print(f"\nLedger: {tk['txs']:,} transactions (cache {cache_path(args.n)})\n")
    print("| step | osintlab.crypto (s) | plain networkx (s) | ratio |")
    print("|---|---|---|---|")
    print(f"| read (file → DataFrames) | (in load) | {nxr['read']:.2f} | |")
    names = {
        "load": "load (read + check + index)",
        "cluster": "cluster (co-spend, CoinJoins excluded)",
        "trace": "6-hop haircut trace, 1 seed",
        "trace_1000": "6-hop haircut trace, 1,000 seeds",
    }
    for step in ("load", "cluster", "trace", "trace_1000"):
        ratio = (
            f"{nxr[step] / tk[step]:.1f}x" if max(tk[step], nxr[step]) >= 0.05 else "both < 0.05 s"
        )
        print(f"| {names[step]} | {tk[step]:.2f} | {nxr[step]:.2f} | {ratio} |")
    tt = sum(tk[s] for s in ("read", "load", "cluster", "trace"))
    nt = sum(nxr[s] for s in ("read", "load", "cluster", "trace"))
    print(f"| **total** | **{tt:.2f}** | **{nt:.2f}** | **{nt / tt:.1f}x** |")
    print(f"| peak memory (MB) | {tk['peak_mb']:.0f} | {nxr['peak_mb']:.0f} | |")
    print(
        f"\ntoolkit CPU time for load + cluster + trace: {tk['cpu']:.2f} s "
        f"(wall {tt:.2f} s); load average at the end: {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores"
    )
    if "csv" in results:
        c = results["csv"]
        print(
            f"\nFrom plain CSV (text identifiers): load_utxo {c['load_csv']:.2f} s, "
            f"cluster {c['cluster_csv']:.2f} s, peak {c['peak_mb']:.0f} MB"
        )
    print(
        f"\nclusters: {tk['clusters']:,} (largest {tk['largest']:,}) vs networkx "
        f"{nxr['clusters']:,} (largest {nxr['largest']:,}); tainted outputs after 6 hops: "
        f"{tk['tainted_outputs']} vs {nxr['tainted_outputs']} (1 seed), "
        f"{tk['tainted_outputs_1000']:,} vs {nxr['tainted_outputs_1000']:,} (1,000 seeds)"
    )


if __name__ == "__main__":
    main()
