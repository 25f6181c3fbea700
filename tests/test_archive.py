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


def test_the_case_archive_reports_its_damaged_record_and_reads_the_rest():
    idx, problems = archive.load_archive()
    assert [p.item for p in problems] == ["crawl-partial.warc.gz record 0"]
    assert "no date" in problems[0].reason
    assert sum(len(c) for c in idx.values()) > 400


def test_case_archive_answers_first_seen_as_of_and_changes():
    from osintlab import data

    case = data.load("briefing/case.json")
    idx, _ = archive.load_archive()
    jobs = case["front"]["website"].rstrip("/") + "/jobs"
    change = archive.changes(idx, jobs)
    assert len(change) == 1
    old = archive.as_of(idx, jobs, change[0]["not_before_utc"])
    assert old.sha256 == change[0]["sha256_before"]
    assert archive.by_digest(idx, old.sha256).url == jobs
    seen = archive.find_in_archive(idx, case["front"]["claimed_licence"])
    assert list(seen["captured_utc"]) == sorted(seen["captured_utc"])
    deleted = [u for u in idx if "pardes-forum" in u and not web.exists(u)]
    assert len(deleted) == 1
    with pytest.raises(archive.ArchiveError, match="SHA-256"):
        archive.by_digest(idx, "0" * 64)
    with pytest.raises(archive.ArchiveError, match="non-empty"):
        archive.find_in_archive(idx, " ")


@pytest.mark.parametrize("seed", [7, 3])
def test_every_seed_has_the_archive_threads(seed):
    from datetime import UTC, datetime

    from osintlab.scenario import build_world
    from osintlab.scenario.webarchive import archive_plan

    world = build_world(seed)
    snaps, truth = archive_plan(world)
    idx = archive.capture_index(
        [Snapshot(s["url"], s["captured_utc"].isoformat(), s["html"]) for s in snaps]
    )
    vac = truth["vacancies"]
    (change,) = archive.changes(idx, vac["url"])
    assert change["changed_utc"] == vac["changed"].strftime("%Y-%m-%dT%H:%M:%SZ")
    lic = truth["partner_licence"]
    seen = archive.find_in_archive(idx, lic["licence"])
    assert seen["url"].iloc[0] == lic["url"]
    home = f"https://{world.partner_agency.domain}/"
    assert archive.first_seen(idx, home) < seen["captured_utc"].iloc[0]  # the trap
    assert truth["old_profiles"]
    assert max(s["captured_utc"] for s in snaps) < world.now.astimezone(UTC)
    assert isinstance(world.now, datetime)


def test_archive_view_is_the_same_bytes_twice():
    from osintlab.scenario import build_world
    from osintlab.scenario.webarchive import _build

    world = build_world(7)
    a, _ = _build(world)
    b, _ = _build(world)
    assert [(s["url"], s["captured_utc"], s["html"]) for s in a] == [
        (s["url"], s["captured_utc"], s["html"]) for s in b
    ]


def test_capture_index_names_a_snapshot_without_a_date():
    with pytest.raises(archive.ArchiveError, match="snapshot of https://x.example/jobs: .*no date"):
        archive.capture_index([Snapshot(URL, "", "x")])
    idx = archive.capture_index([Snapshot(URL, "2026-03-05T10:00:00+05:00", "x")])
    assert idx[URL][0].captured_utc == "2026-03-05T05:00:00Z"


def test_visible_text_and_web_helpers():
    assert archive.visible_text("<h1>T</h1><p>a &amp; b</p><p> </p><p>c</p>") == "a & b\nc"
    assert archive.visible_text("<title>x</title><div>only <b>div</b></div>") == "only div"
    assert not web.exists("not a url")
    media = web.media_table()
    assert len(media) and media["sha256"].str.len().eq(16).all()
