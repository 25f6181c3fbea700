import json
import os
import stat
from datetime import UTC, datetime

import pytest

from osintlab import data, evidence, web

WHEN = datetime(2026, 6, 1, 8, 30, tzinfo=UTC)


def front_jobs():
    return data.load("briefing/case.json")["front"]["website"].rstrip("/") + "/jobs"


@pytest.fixture
def package(tmp_path):
    return evidence.capture_page(
        front_jobs(),
        tmp_path / "E001",
        collector="SI Test",
        identity="RI-01",
        case_ref="SR-TEST",
        when=WHEN,
    )


def test_capture_writes_a_verifiable_package(package):
    report = evidence.verify_package(package)
    assert report.ok and report.checked >= 4
    record = json.loads((package / "capture.json").read_text())
    assert record["captured_utc"] == "2026-06-01T08:30:00Z"
    assert record["research_identity"] == "RI-01" and record["url_captured"].endswith("/jobs")
    page = web.fetch(front_jobs())
    assert evidence.sha256_file(package / "items" / "page.html") == evidence.sha256_bytes(
        page.html.encode()
    )
    assert (package / "items" / "screenshot.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert any((package / "items" / "media").iterdir())
    entries = evidence.read_custody(package)
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    assert all(e["action"] == "acquired" for e in entries)
    assert not os.stat(package / "items" / "page.html").st_mode & stat.S_IWUSR


def test_packages_are_write_once(package):
    with pytest.raises(evidence.PackageExists, match="write-once"):
        evidence.capture_page(front_jobs(), package, collector="SI Test", identity="RI-01")


def test_capture_of_missing_page_names_the_url_and_writes_nothing(tmp_path):
    with pytest.raises(web.PageNotFound, match="nowhere.example"):
        evidence.capture_page(
            "https://nowhere.example/x", tmp_path / "E2", collector="SI Test", identity="RI-01"
        )
    assert not (tmp_path / "E2").exists()


@pytest.mark.parametrize("who", [("", "RI-1"), ("SI X", " ")])
def test_capture_needs_collector_and_identity(tmp_path, who):
    with pytest.raises(evidence.EvidenceError):
        evidence.capture_page(front_jobs(), tmp_path / "E3", collector=who[0], identity=who[1])


def _writable(p):
    os.chmod(p, stat.S_IRUSR | stat.S_IWUSR)


def test_verify_names_altered_added_and_missing_items(package):
    html = package / "items" / "page.html"
    _writable(html)
    html.write_text(html.read_text() + "<!-- edited -->")
    (package / "items" / "extra.txt").write_text("slipped in")
    shot = package / "items" / "screenshot.png"
    _writable(shot)
    shot.unlink()
    report = evidence.verify_package(package)
    assert not report.ok
    assert report.items("altered") == ["items/page.html"]
    assert report.items("added") == ["items/extra.txt"]
    assert report.items("missing") == ["items/screenshot.png"]


def test_custody_log_chain_detects_edits_and_appends_cleanly(package):
    evidence.add_custody(
        package, "Clerk A", "received", "into storage", when=datetime(2026, 6, 2, tzinfo=UTC)
    )
    assert evidence.verify_package(package).ok
    log = package / "custody.jsonl"
    lines = log.read_text().splitlines()
    entry = json.loads(lines[1])
    entry["actor"] = "Someone else"
    lines[1] = json.dumps(entry)
    _writable(log)
    log.write_text("\n".join(lines) + "\n")
    report = evidence.verify_package(package)
    broken = [p for p in report.problems if p.kind == "custody-broken"]
    assert broken and broken[0].seq == 2
    with pytest.raises(evidence.EvidenceError):
        evidence.add_custody(package, "", "x")


def test_seized_package_problems():
    report = evidence.verify_package(data.path("foundations/seized_package"))
    kinds = {p.kind for p in report.problems}
    assert {"altered", "added", "custody-broken"} <= kinds


def test_verify_bad_packages(tmp_path):
    with pytest.raises(evidence.EvidenceError, match="no such"):
        evidence.verify_package(tmp_path / "none")
    (tmp_path / "p").mkdir()
    with pytest.raises(evidence.EvidenceError, match="manifest missing"):
        evidence.verify_package(tmp_path / "p")
    (tmp_path / "p" / "manifest.json").write_text("{")
    with pytest.raises(evidence.EvidenceError, match="corrupt"):
        evidence.verify_package(tmp_path / "p")


def test_working_copy_leaves_the_package_untouched(package, tmp_path):
    copy = evidence.working_copy(package, tmp_path / "work")
    (copy / "items" / "page.html").write_text("scribbles")
    assert evidence.verify_package(package).ok
    with pytest.raises(evidence.EvidenceError):
        evidence.working_copy(package, tmp_path / "work")


def test_hashing_inputs():
    assert (
        evidence.sha256_bytes(b"")
        == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )
    with pytest.raises(evidence.EvidenceError, match="encode"):
        evidence.sha256_bytes("text")
    with pytest.raises(evidence.EvidenceError, match="no such file"):
        evidence.sha256_file("/no/such/file")


def test_admiralty_code():
    assert evidence.admiralty_code("b", 2) == "B2"
    import numpy as np

    assert evidence.admiralty_code("C", np.int64(3)) == "C3"
    for bad in [("G", 1), ("A", 7), ("A", True), ("A", "1")]:
        with pytest.raises(evidence.EvidenceError):
            evidence.admiralty_code(*bad)


def test_web_fetch_and_urls():
    assert web.normalise_url("HTTPS://A.Example/x/#f") == "https://a.example/x"
    with pytest.raises(web.PageNotFound):
        web.normalise_url("ftp://a.example/")
    with pytest.raises(web.PageNotFound):
        web.normalise_url("")
    pages = web.list_pages()
    assert {"url", "site", "title", "published", "language"} <= set(pages.columns)
    page = web.fetch(pages.url.iloc[0])
    assert page.html.startswith("<!DOCTYPE html>")
