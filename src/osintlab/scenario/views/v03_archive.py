"""View: the offline web archive (``archive/``): dated snapshots of pages as WARC files (one per
crawl month), their capture index, and the archive tasks' keys (modules 01, 02 and 04).

One file holds a damaged record on purpose (it has no date): reading the archive reports it,
names the file and record, and goes on with the rest.
"""

from __future__ import annotations

import gzip
import hashlib

from ...archive import Snapshot, warc_bytes
from ...timeutil import utc_iso
from ..webarchive import archive_plan

INDEX_COLUMNS = {
    "url": "The page's URL (as the live web writes it; a deleted page is only here)",
    "captured_utc": "When the crawler captured it (UTC, ISO 8601 with Z)",
    "warc_file": "The WARC file that holds the capture (under archive/)",
    "record": "Position of the record in that file (0 = first)",
    "sha256": "SHA-256 of the captured HTML (the record's payload)",
}


def _damaged(snapshot: Snapshot) -> bytes:
    """One WARC record whose WARC-Date line is missing (a crawler fault), gzipped."""
    raw = warc_bytes([snapshot])
    line = f"WARC-Date: {snapshot.captured_utc}\r\n".encode()
    if line not in raw:
        raise ValueError("archive view: could not find the WARC-Date line to damage")
    return gzip.compress(raw.replace(line, b""), mtime=0)


def build(world, writer) -> None:
    snaps, truth = archive_plan(world)
    writer.section(
        "archive",
        "The offline web archive: dated captures of pages as WARC files (ISO 28500), read "
        "with `osintlab.archive` (first seen, what a page said on a date, when it changed). "
        "Pages that were edited or deleted, and renamed profiles under their old handles, are "
        "kept here as they were.",
    )
    months: dict[str, list[Snapshot]] = {}
    for s in snaps:
        when = utc_iso(s["captured_utc"])
        group = when[:7] if when >= "2025" else "before-2025"
        months.setdefault(group, []).append(Snapshot(s["url"], when, s["html"]))
    rows = []
    for month, items in sorted(months.items()):
        name = f"crawl-{month}.warc.gz"
        writer.write_bytes(
            f"archive/{name}",
            warc_bytes(items, gzip=True),
            f"WARC file of the captures made in {month} (one gzip member per record).",
        )
        for i, s in enumerate(items):
            sha = hashlib.sha256(s.text.encode("utf-8")).hexdigest()
            rows.append(
                {
                    "url": s.url,
                    "captured_utc": s.captured_utc,
                    "warc_file": name,
                    "record": i,
                    "sha256": sha,
                }
            )
    last = max(m for m in months if m[0].isdigit())
    writer.write_bytes(
        "archive/crawl-partial.warc.gz",
        _damaged(months[last][-1]),
        "A crawl that broke off: its one record has no WARC-Date, so it cannot be used "
        "(`archive.read_warc` reports it and reads the other files).",
    )
    writer.write_csv(
        "archive/captures.csv",
        rows,
        INDEX_COLUMNS,
        "The capture index: one row per capture, by URL and time.",
        types={"record": "int"},
    )

    vac = truth["vacancies"]
    writer.add_key(
        "01.vacancies_change",
        [utc_iso(vac["not_before"]), utc_iso(vac["changed"])],
        kind="list",
        form="time",
        hint="[last capture before the change, first capture after it]",
    )
    writer.add_key(
        "01.old_charge_line",
        vac["old_line"],
        fold=True,
        hint="the paragraph of the earlier version that states the service charge",
    )
    smuggler = next(a for a in world.accounts if a.role == "smuggling adverts")
    writer.add_key(
        "02.smuggler_archived_handles",
        sorted(truth["old_profiles"][smuggler.account_id]),
        kind="set",
        form="handle",
        hint="old handles whose archived profile shows the smuggler's number",
    )
    lic = truth["partner_licence"]
    writer.add_key(
        "04.partner_first_seen",
        utc_iso(lic["first"]),
        kind="time",
        hint="the earliest capture in the archive of any page that shows the licence number",
    )
    writer.add_key(
        "04.licence_before_company",
        lic["first"].date() < world.partner_agency.registered_on,
        hint="compare the first sighting with the company record's Incorporated date",
    )
