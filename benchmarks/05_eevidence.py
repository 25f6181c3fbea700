"""Benchmarks for module 05 (osintlab.eevidence). Run from the repository root:

    python benchmarks/05_eevidence.py

Synthetic benchmark data is generated in memory (documentation-range IPs), never committed.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path


def timed(fn, repeat=1):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    rows = []
    t = statistics.median(
        float(
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "import time; t=time.perf_counter(); import osintlab.eevidence; "
                    "print(time.perf_counter()-t)",
                ],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for _ in range(5)
    )
    rows.append(
        ("`import osintlab.eevidence` (median of 5, fresh interpreter)", f"{t:.3f} s", "< 0.5 s")
    )

    import pandas as pd

    from osintlab import eevidence as ee

    def req(i):
        return ee.Request(
            kind=("preservation", "voluntary", "emergency", "mla")[i % 4],
            provider="tiktok",
            addressee="TikTok Pte. Ltd.",
            user_country="PK",
            authority="AHTC Lahore",
            officer="SI A. Rauf",
            contact_email="a@fia-gov.example",
            contact_phone="+923005550100",
            timezone="Asia/Karachi",
            case_ref=f"SR-{i}",
            offence="Trafficking in persons",
            facts="x" * 60,
            identifiers=[("username", f"user.{i}")],
            data=["subscriber"],
            date_from="2026-01-01T00:00:00+05:00",
            date_to="2026-02-01T00:00:00+05:00",
            link_to_offence="y" * 30,
            necessity="z" * 30,
            legal_basis="PTPA 2018",
        )

    reqs = [req(i) for i in range(10_000)]
    t = timed(lambda: [r.validate() for r in reqs])
    rows.append(("validate 10,000 requests", f"{t:.2f} s ({t / 1e4 * 1e6:.0f} µs each)", "< 5 s"))
    start = datetime(2026, 1, 1, 3, tzinfo=UTC)
    t = timed(
        lambda: [
            ee.preservation_deadline("us_2703f", start + timedelta(hours=i), extended=bool(i % 2))
            for i in range(100_000)
        ]
    )
    rows.append(("preservation_deadline × 100,000", f"{t:.2f} s", "< 5 s"))

    # A month of CGNAT assignments: 20 addresses × 31 port blocks, sessions of 1-4 h.
    rng = random.Random(5)
    isp, t0 = [], datetime(2026, 3, 1)
    for a in range(20):
        for b in range(31):
            t = t0
            while t < t0 + timedelta(days=30):
                d = timedelta(minutes=rng.randrange(60, 240))
                isp.append(
                    (
                        f"PN-{rng.randrange(10**6)}",
                        f"203.0.113.{a + 1}",
                        1024 + b * 2048,
                        1024 + b * 2048 + 2047,
                        t.strftime("%Y-%m-%d %H:%M:%S"),
                        (t + d).strftime("%Y-%m-%d %H:%M:%S"),
                    )
                )
                t += d + timedelta(seconds=rng.randrange(2, 60))
    isp = pd.DataFrame(
        isp,
        columns=[
            "subscriber_id",
            "public_ip",
            "port_start",
            "port_end",
            "session_start",
            "session_end",
        ],
    )
    log = pd.DataFrame(
        [
            (
                f"L{i}",
                (
                    datetime(2026, 3, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(29 * 86400))
                ).strftime("%Y-%m-%dT%H:%M:%SZ"),
                f"203.0.113.{rng.randrange(1, 22)}",
                rng.choice([None, rng.randrange(1024, 64512)]),
            )
            for i in range(20_000)
        ],
        columns=["log_id", "timestamp_utc", "ip", "source_port"],
    )
    t = timed(
        lambda: ee.correlate(log, isp, isp_tz="Asia/Karachi", isp_clock_offset_s=30, tolerance_s=2)
    )
    rows.append(
        (
            f"correlate 20,000 log rows with {len(isp):,} ISP records (30 days)",
            f"{t:.1f} s",
            "< 30 s",
        )
    )
    r = req(1)
    with tempfile.TemporaryDirectory() as tmp:
        t = timed(lambda: [ee.to_docx(r, Path(tmp) / f"r{i}.docx") for i in range(50)])
    rows.append(
        ("render 50 requests as DOCX", f"{t:.2f} s ({t / 50 * 1000:.0f} ms each)", "< 10 s")
    )
    t = timed(lambda: [ee.to_markdown(x) for x in reqs[:1000]])
    rows.append(("render 1,000 requests as Markdown", f"{t:.2f} s", "< 5 s"))

    # Lesson cells.
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read("course/05-e-evidence.ipynb", as_version=4)
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": "course"}}
    )
    cells = []
    with client.setup_kernel():
        total = time.perf_counter()
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                t = time.perf_counter()
                client.execute_cell(cell, i)
                cells.append(time.perf_counter() - t)
        total = time.perf_counter() - total
    rows.append(
        (
            "lesson `05-e-evidence.ipynb`: slowest cell / all cells",
            f"{max(cells):.2f} s / {total:.1f} s",
            "< 2 s / < 15 s",
        )
    )

    print("| measurement | result | budget |\n|---|---|---|")
    for m, r_, b in rows:
        print(f"| {m} | {r_} | {b} |")


if __name__ == "__main__":
    main()
