"""The offline web archive: WARC snapshots, capture index, first seen / as of / changes."""

import pytest

from osintlab import archive, evidence, web
from osintlab.archive import Snapshot

URL = "https://x.example/jobs"
SNAPS = [
    Snapshot(URL, "2026-03-09T08:00:00Z", "<p>fee 5 lakh</p>"),
    Snapshot(URL, "2026-03-01T10:00:00Z", "<p>fee 4 lakh</p>"),
    Snapshot(URL, "2026-03-05T10:00:00+05:00", "<p>fee 4 lakh</p>"),
]


def test_round_trip_and_questions(tmp_path):
    path = tmp_path / "a.warc.gz"
    assert archive.write_warc(path, SNAPS) == 3
    snaps, problems = archive.read_warc(path)
    assert problems == [] and len(snaps) == 3
    idx = archive.capture_index(snaps)
    assert archive.first_seen(idx, URL) == "2026-03-01T10:00:00Z"
    assert archive.as_of(idx, URL, "2026-03-08").text == "<p>fee 4 lakh</p>"
    assert archive.as_of(idx, URL, "2026-02-01") is None
    ch = archive.changes(idx, URL)
    assert [c["changed_utc"] for c in ch] == ["2026-03-09T08:00:00Z"]
    assert ch[0]["not_before_utc"] == "2026-03-05T05:00:00Z"
    with pytest.raises(archive.ArchiveError, match="never captured"):
        archive.first_seen(idx, "https://y.example/")


def test_same_capture_same_bytes():
    assert archive.warc_bytes(SNAPS) == archive.warc_bytes(SNAPS)


def test_bad_input_is_named_and_the_batch_goes_on(tmp_path):
    with pytest.raises(archive.ArchiveError, match="snapshot 0 .*no date"):
        archive.write_warc(tmp_path / "x.warc", [Snapshot(URL, "", "x")])
    with pytest.raises(archive.ArchiveError, match="no time zone"):
        archive.write_warc(tmp_path / "x.warc", [Snapshot(URL, "2026-03-01 10:00", "x")])
    good = tmp_path / "good.warc"
    archive.write_warc(good, SNAPS[:2])
    blob = good.read_bytes()
    cut = blob.rfind(b"WARC/1.0")
    bad = tmp_path / "bad.warc"
    bad.write_bytes(blob[:cut] + b"XXXX/1.0" + blob[cut + 8 :])
    nodate = tmp_path / "nodate.warc"
    nodate.write_bytes(blob.replace(b"WARC-Date: 2026-03-09T08:00:00Z\r\n", b""))
    snaps, problems = archive.read_warc([bad, tmp_path / "missing.warc", nodate, good])
    assert len(snaps) == 1 + 1 + 2  # the good records of every file
    where = [p.item for p in problems]
    assert any("bad.warc" in w for w in where) and any("missing.warc" in w for w in where)
    assert any(
        "nodate.warc record 0" in w and "no date" in p.reason for w, p in zip(where, problems)
    )


def test_a_capture_package_holds_its_warc_record(tmp_path):
    url = web.list_pages().iloc[0]["url"]
    pkg = evidence.capture_page(url, tmp_path / "E1", collector="T", identity="RI-1")
    snaps, problems = archive.read_warc(pkg / "items" / "page.warc")
    assert problems == [] and snaps[0].url == web.fetch(url).url
    assert snaps[0].text == (pkg / "items" / "page.html").read_text(encoding="utf-8")
    assert evidence.verify_package(pkg).ok
