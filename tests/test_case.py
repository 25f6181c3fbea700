import json
import zipfile

import pytest

from osintlab import evidence
from osintlab.case import CaseError, CaseWorkspace


@pytest.fixture
def ws(tmp_path):
    w = CaseWorkspace("SR-TEST-1")
    w.add(
        "link",
        "Recruiter B",
        subject="Ringleader A",
        source="social/posts.csv row 4",
        confidence="B2",
        module="02",
    )
    w.add(
        "place",
        "Office",
        subject="front",
        source="images/IMG_0003.jpg GPS",
        confidence="high",
        lat=31.5,
        lon=74.3,
        single=True,
    )
    w.add(
        "transfer",
        "1,500 USDT",
        subject="victim wallet",
        to="fee wallet",
        amount=1500,
        source="crypto/trc20.csv row 17",
        confidence="A1",
        utc="2026-04-01T08:00:00Z",
    )
    w.add(
        "event",
        "help message",
        subject="V03",
        source="briefing/timeline.csv row 40",
        confidence="b2",
        utc="2026-06-28T10:00:00+06:30",
    )
    f = tmp_path / "capture.html"
    f.write_text("<p>ad</p>")
    w.add_evidence(f, "capture of the ad", collected_by="SI Test")
    d = tmp_path / "request.docx"
    d.write_bytes(b"docx bytes")
    w.add_request(d)
    return w


def test_findings_need_provenance_and_valid_confidence(ws):
    with pytest.raises(CaseError, match="provenance"):
        ws.add("phone", "+923005551234", subject="X", source="", confidence="B2")
    with pytest.raises(CaseError, match="confidence"):
        ws.add("phone", "+923005551234", subject="X", source="a", confidence="Z9")
    assert ws.findings[-1].utc == "2026-06-28T03:30:00Z"
    assert ws.findings[-1].confidence == "B2"


def test_export_writes_report_requests_and_a_verifiable_zip(ws, tmp_path):
    out = ws.export(tmp_path / "package", collector="SI Test")
    html = out["report"].read_text()
    for title in (
        "Network",
        "Map",
        "Money flow",
        "Timeline",
        "Chronology (UTC)",
        "Evidence register",
    ):
        assert title in html
    assert [p.name for p in out["requests"]] == ["request.docx"]
    report = evidence.verify_package(out["evidence"])
    assert report.ok, report.problems
    with zipfile.ZipFile(out["evidence"]) as z:
        reg = json.loads(z.read("register.json"))
    assert reg["register"][0]["exhibit"] == "EX01" and len(reg["findings"]) == 4
    with pytest.raises(CaseError, match="write-once"):
        ws.export(tmp_path / "package", collector="SI Test")


def test_tampered_zip_is_detected(ws, tmp_path):
    out = ws.export(tmp_path / "p", collector="SI Test")
    with zipfile.ZipFile(out["evidence"]) as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["items/EX01/capture.html"] = b"<p>changed</p>"
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as z:
        for n, b in members.items():
            z.writestr(n, b)
    assert evidence.verify_package(bad).items("altered") == ["items/EX01/capture.html"]


def test_missing_evidence_refuses_export(ws, tmp_path):
    (tmp_path / "capture.html").unlink()
    with pytest.raises(CaseError, match="capture.html"):
        ws.export(tmp_path / "p2", collector="SI Test")
    assert not (tmp_path / "p2").exists()


def test_contradictions_refuse_or_are_flagged(ws, tmp_path):
    ws.add(
        "place",
        "Office (other)",
        subject="front",
        source="informant S07",
        confidence="D3",
        lat=32.1,
        lon=74.2,
        single=True,
    )
    assert len(ws.contradictions()) == 1
    with pytest.raises(CaseError, match="contradictory"):
        ws.export(tmp_path / "p3", collector="SI Test")
    out = ws.export(tmp_path / "p3", collector="SI Test", allow_contradictions=True)
    assert "Contradictions to resolve" in out["report"].read_text()


def test_bad_inputs(tmp_path):
    with pytest.raises(CaseError):
        CaseWorkspace(" ")
    w = CaseWorkspace("X")
    with pytest.raises(CaseError, match="does not exist"):
        w.add_evidence(tmp_path / "nope", "x")
    with pytest.raises(CaseError, match="does not exist"):
        w.add_request(tmp_path / "nope.docx")


def test_zip_with_unsafe_names_is_refused(tmp_path):
    bad = tmp_path / "evil.zip"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("../escape.txt", "x")
    with pytest.raises(evidence.EvidenceError, match="unsafe"):
        evidence.verify_package(bad)


def test_rerun_cell_does_not_duplicate_findings(tmp_path):
    ws = CaseWorkspace("SR-TEST")
    for _ in range(3):  # a trainee re-runs the same cell
        f = ws.add(
            "phone",
            "+923005551234",
            subject="Recruiter",
            source="social/posts.csv row 12",
            confidence="B2",
            module="02",
        )
        ws.add(
            "phone",
            "+923005551234",
            subject="Recruiter",
            source="device extraction",
            confidence="A2",
            module="07",
        )
    assert [x.finding_id for x in ws.findings] == ["F001", "F002"] and f.finding_id == "F001"
    doc = tmp_path / "r.docx"
    doc.write_text("x")
    ws.add_request(doc)
    ws.add_request(doc)
    ws.add_evidence(doc, "d")
    ws.add_evidence(doc, "d")
    assert len(ws.requests) == 1 and len(ws.evidence) == 1
