"""osintlab.device: integrity, parsing, bad input, timeline, contacts, selectors, findings."""

import json
import shutil
import sqlite3
from datetime import UTC

import pandas as pd
import pytest

from osintlab import data, device


@pytest.fixture(scope="module")
def ext():
    return device.open_extraction(data.path("device/extraction"))


@pytest.fixture(scope="module")
def tl(ext):
    return device.timeline(ext)


@pytest.fixture()
def copy(tmp_path):
    dest = tmp_path / "extraction"
    shutil.copytree(data.path("device/extraction"), dest)
    return dest


def _report(root):
    return json.loads((root / "extraction_report.json").read_text(encoding="utf-8"))


def _write_report(root, report):
    (root / "extraction_report.json").write_text(json.dumps(report), encoding="utf-8")


# -- opening and integrity --------------------------------------------------------------------


def test_open_reports_planted_problems(ext):
    assert ext.report["device"]["imei"].isdigit()
    assert ext.device_tz == "Asia/Karachi"
    altered = ext.integrity.query("status == 'altered'")["path"].tolist()
    assert len(altered) == 1 and altered[0].startswith("sdcard/DCIM/")
    status = dict(zip(ext.databases["name"], ext.databases["status"]))
    assert status["History"] == "corrupt"
    assert status["bc_store.db"] == "unknown_schema"
    for name in ("contacts2.db", "calllog.db", "mmssms.db", "paigham.db"):
        assert status[name] == "ok"
    assert len(ext.problems) == 3 and not ext.ok
    assert "3 problem(s)" in repr(ext)


def test_open_never_writes(copy):
    before = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    e = device.open_extraction(copy)
    device.timeline(e)
    device.photo_metadata(e)
    after = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    assert before == after
    assert e.verify().equals(e.integrity)


def test_open_missing_folder_and_bad_path():
    with pytest.raises(device.DeviceError, match="no extraction folder"):
        device.open_extraction("no/such/folder")
    with pytest.raises(device.DeviceError, match="not a folder path"):
        device.open_extraction(42)


def test_missing_and_corrupt_report(copy):
    (copy / "extraction_report.json").write_text("{not json", encoding="utf-8")
    e = device.open_extraction(copy)
    assert any("not valid JSON" in p for p in e.problems)
    assert set(e.integrity["status"]) == {"unlisted"}
    (copy / "extraction_report.json").unlink()
    e = device.open_extraction(copy)
    assert any("missing" in p for p in e.problems)
    with pytest.raises(device.DeviceError, match="no device time zone"):
        device.timeline(e)
    assert len(device.timeline(e, tz="Asia/Karachi")) > 0


def test_added_and_missing_files(copy):
    (copy / "sdcard" / "extra.txt").write_text("slipped in", encoding="utf-8")
    report = _report(copy)
    report["files"].append({"path": "sdcard/gone.jpg", "bytes": 1, "sha256": "0" * 64})
    _write_report(copy, report)
    v = device.verify_extraction(copy)
    st = dict(zip(v["path"], v["status"]))
    assert st["sdcard/extra.txt"] == "unlisted" and st["sdcard/gone.jpg"] == "missing"


def test_locked_database_is_reported(copy):
    path = copy / "data/com.android.providers.contacts/databases/calllog.db"
    holder = sqlite3.connect(path, timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        e = device.open_extraction(copy)
        row = e.databases[e.databases["name"] == "calllog.db"].iloc[0]
        assert row["status"] == "locked", row["detail"]
        with pytest.raises(device.DeviceError, match="locked"):
            e.table("calllog.db", "calls")
        tl = device.timeline(e)
        assert "locked" in device.skipped_sources(e)[row["path"]]
        assert (tl["kind"] != "call").all()
    finally:
        holder.rollback()
        holder.close()


def test_missing_table_unknown_columns_and_encrypted(copy):
    sms = copy / "data/com.android.providers.telephony/databases/mmssms.db"
    con = sqlite3.connect(sms)
    con.execute("DROP TABLE sms")
    con.commit()
    con.close()
    calls = copy / "data/com.android.providers.contacts/databases/calllog.db"
    con = sqlite3.connect(calls)
    con.execute("ALTER TABLE calls RENAME COLUMN duration TO dur_v2")
    con.commit()
    con.close()
    enc = copy / "data/example.paigham.messenger/databases/paigham.db"
    enc.write_bytes(b"\x8a\x01 encrypted backup " * 50)
    e = device.open_extraction(copy)
    st = dict(zip(e.databases["name"], e.databases["status"]))
    assert st["mmssms.db"] == "missing_tables"
    assert st["calllog.db"] == "unknown_schema"
    assert st["paigham.db"] == "not_sqlite"
    tl = device.timeline(e)
    assert tl.empty and len(device.skipped_sources(e)) >= 5
    assert list(tl.columns) == device.TIMELINE_COLUMNS
    with pytest.raises(device.DeviceError, match="missing_tables"):
        e.database("mmssms.db")


def test_table_access(ext):
    calls = ext.table("calllog.db", "calls")
    assert {"_file", "_table", "_row", "number", "date"} <= set(calls.columns)
    with pytest.raises(device.DeviceError, match="no table"):
        ext.table("calllog.db", "nope")
    with pytest.raises(device.DeviceError, match="not in this extraction"):
        ext.table("whatsapp.db", "messages")
    with pytest.raises(device.DeviceError, match="corrupt"):
        ext.table("History", "urls")


# -- numbers ------------------------------------------------------------------------------------


def test_normalise_number():
    assert device.normalise_number("0300-5551234") == "+923005551234"
    assert device.normalise_number("+92 300 5551234") == "+923005551234"
    assert device.normalise_number("00923005551234") == "+923005551234"
    assert device.normalise_number("https://wa.me/923005551234") == "+923005551234"
    assert device.normalise_number("01855-561554", "BD") == "+8801855561554"
    assert device.normalise_number("PAISAPAY") is None
    assert device.normalise_number(None) is None
    with pytest.raises(device.DeviceError):
        device.normalise_number("12")
    with pytest.raises(device.DeviceError, match="not text"):
        device.normalise_number(["0300"])


# -- timeline and contacts --------------------------------------------------------------------


def test_timeline(ext, tl):
    assert list(tl.columns) == device.TIMELINE_COLUMNS
    assert str(tl["utc"].dt.tz) == "UTC" and tl["utc"].is_monotonic_increasing
    assert str(tl["local"].dt.tz) == "Asia/Karachi"
    assert (tl["local"] - tl["utc"]).abs().max() == pd.Timedelta(0)  # same instants
    assert set(tl["kind"]) == {"call", "sms", "message"}
    calls = ext.table("calllog.db", "calls")
    first = tl[tl["kind"] == "call"].iloc[0]
    raw = calls[calls["_id"] == first["row"]].iloc[0]
    assert first["utc"] == pd.to_datetime(raw["date"], unit="ms", utc=True)
    assert set(device.skipped_sources(ext)) == set(ext.databases.query("status != 'ok'")["path"])
    assert not tl.attrs  # nothing rides on the table
    with pytest.raises(device.DeviceError, match="Extraction"):
        device.timeline("device/extraction")


def test_timeline_numbers_are_e164(tl):
    numbers = tl["counterpart"][~tl["counterpart"].str.contains(":")]
    alnum = numbers[~numbers.str.startswith("+")]
    assert alnum.str.fullmatch(r"[A-Z]+").all()  # sender IDs such as PAISAPAY


def test_contact_frequency_and_graph(tl):
    freq = device.contact_frequency(tl)
    assert (freq["total"] == freq["calls"] + freq["sms"] + freq["messages"]).all()
    assert freq["total"].is_monotonic_decreasing
    assert freq.iloc[0]["name"].endswith("Boss")  # the lesson phone talks most to the boss
    g = device.communication_graph(tl, owner="me", min_events=3)
    assert g.nodes["me"]["kind"] == "owner"
    assert all(d["weight"] >= 3 for _, _, d in g.edges(data=True))
    with pytest.raises(device.DeviceError, match="min_events"):
        device.communication_graph(tl, min_events=0)
    with pytest.raises(device.DeviceError, match="missing columns"):
        device.contact_frequency(pd.DataFrame({"x": [1]}))
    with pytest.raises(device.DeviceError, match="DataFrame"):
        device.contact_frequency([1, 2])


# -- selectors, photos, findings ------------------------------------------------------------------


def test_selectors_and_cross_reference(ext, tl):
    sel = device.extract_selectors(ext, tl)
    wallets = sorted(sel.loc[sel["kind"].str.startswith("wallet"), "selector"].unique())
    known = data.load("device/case_selectors.csv")
    assert wallets and set(wallets) <= set(known["selector"])  # all already on the ledger
    x = device.cross_reference(sel, known)
    assert (x["kind"] == "phone").sum() >= 2
    # handles match case-insensitively and with or without @
    mine = pd.DataFrame(
        [
            {
                "selector": "@" + known.loc[known["kind"] == "handle", "selector"].iloc[0].upper(),
                "kind": "handle",
                "file": "f",
                "table": "t",
                "row": 1,
            }
        ]
    )
    assert len(device.cross_reference(mine, known)) >= 1
    with pytest.raises(device.DeviceError, match="known"):
        device.cross_reference(sel, known.drop(columns="source"))
    with pytest.raises(device.DeviceError, match="Extraction"):
        device.extract_selectors(None)


def test_photo_metadata(ext, copy):
    ph = device.photo_metadata(ext)
    cam = ph[ph["serial"].notna()].iloc[0]
    assert pd.isna(cam["utc"]) and "another camera" in cam["note"]
    assert cam["serial"] and cam["make"] != ext.report["device"]["make"]
    stripped = ph[ph["make"].isna()]
    assert len(stripped) > 0 and stripped["utc"].isna().all()
    own = ph[ph["file"].str.startswith("sdcard/DCIM/") & ph["utc"].notna()]
    assert len(own) >= 5 and set(own["zone_used"]) <= {"+05:00", "Asia/Karachi"}
    (copy / "sdcard" / "broken.jpg").write_bytes(b"not an image")
    ph2 = device.photo_metadata(device.open_extraction(copy))
    assert "cannot read image" in ph2.set_index("file").loc["sdcard/broken.jpg", "note"]


def test_finding_and_export(ext, tl, tmp_path):
    f = device.finding(ext, tl.iloc[0], note="first call", examiner="Tester")
    assert f["file_matches_report"] and f["table"] == "calls" and f["row"] == int(tl.iloc[0]["row"])
    assert f["record"]["utc"].startswith(str(tl.iloc[0]["utc"].date()))
    json.dumps(f)  # plain data only
    out = device.export_findings([f], tmp_path / "out" / "findings.json")
    assert json.loads(out.read_text(encoding="utf-8"))["findings"][0]["note"] == "first call"
    with pytest.raises(device.DeviceError, match="provenance"):
        device.finding(ext, {"text": "x"}, note="n", examiner="e")
    with pytest.raises(device.DeviceError, match="note"):
        device.finding(ext, tl.iloc[0], note=" ", examiner="e")
    with pytest.raises(device.DeviceError, match="not in the extraction"):
        device.finding(ext, {"file": "x.db", "table": "t", "row": 1}, note="n", examiner="e")
    with pytest.raises(device.DeviceError, match="finding 0 lacks"):
        device.export_findings([{"note": "x"}], tmp_path / "f.json")
    with pytest.raises(device.DeviceError, match="list"):
        device.export_findings("x", tmp_path / "f.json")


def test_altered_file_in_finding(copy):
    e = device.open_extraction(copy)
    tl = device.timeline(e)
    path = copy / tl.iloc[0]["file"]
    path.write_bytes(path.read_bytes() + b"\x00")
    f = device.finding(e, tl.iloc[0], note="x", examiner="e")
    assert f["file_matches_report"] is False


# -- an extraction that is what it says (issue 21 item 3) -------------------------------------

MSG_DB = "data/example.paigham.messenger/databases/paigham.db"


def test_extraction_type_matches_content(ext):
    assert ext.report["extraction"]["type"].startswith("full file system")
    assert (ext.root / MSG_DB).is_file()  # third-party app data: FFS, not logical
    assert (ext.root / (MSG_DB + "-wal")).is_file()
    listed = {f["path"] for f in ext.report["files"]}
    assert MSG_DB + "-wal" in listed  # the WAL is hashed like every file
    assert "paigham.db-wal" not in set(ext.databases["name"])  # read with its database


def test_wal_is_read_without_touching_the_evidence(ext):
    before = sorted(p.name for p in (ext.root / MSG_DB).parent.iterdir())
    frames = device.read_wal(ext.root / (MSG_DB + "-wal"))
    assert frames and all(f["valid"] for f in frames) and frames[-1]["commit"] > 0
    msgs = ext.table("paigham.db", "messages")
    after = sorted(p.name for p in (ext.root / MSG_DB).parent.iterdir())
    assert before == after, "reading must not create -shm files or checkpoint the WAL"
    assert (ext.verify()["status"] == "ok").sum() == len(ext.integrity) - 1
    # SQLite itself, on a copy, agrees with the toolkit about the current state
    assert len(msgs) == len(device.timeline(ext).query("app == 'Paigham'"))


def test_deleted_rows_are_recovered(ext, tl):
    gone = device.deleted_rows(ext, "paigham.db", "messages")
    assert len(gone) == 4
    assert gone["text"].str.contains("delete", case=False).any()
    assert not set(gone["msg_id"]) & set(ext.table("paigham.db", "messages")["msg_id"])
    assert (gone["_file"] == MSG_DB).all() and gone["recovered_from"].str.contains("-wal").all()
    assert device.deleted_rows(ext, "calllog.db", "calls").empty  # no WAL, nothing to say


def test_deleted_rows_vanish_when_a_writing_tool_checkpoints(copy):
    db = copy / MSG_DB
    con = sqlite3.connect(db)  # what a careless SQLite browser does
    n = con.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
    con.close()  # closing checkpoints the WAL
    wal = copy / (MSG_DB + "-wal")
    assert not wal.exists() or not device.read_wal(wal)
    e = device.open_extraction(copy)
    assert len(e.table("paigham.db", "messages")) == n
    assert device.deleted_rows(e, "paigham.db", "messages").empty
    assert (e.integrity["status"] != "ok").sum() >= 2  # the database and its WAL changed


def test_time_conversions():
    from datetime import datetime

    noon = datetime(2026, 3, 1, 12, tzinfo=UTC)
    assert device.epoch_to_utc(1772366400, "unix_s") == noon
    assert device.epoch_to_utc(1772366400123, "unix_ms") == noon.replace(microsecond=123000)
    assert device.epoch_to_utc(13416840000000000, "webkit") == noon  # Chrome: 1601
    assert device.epoch_to_utc(1772366400000000, "unix_us") == noon
    assert device.epoch_to_utc(1772366400, "unix_ms").year == 1970  # the trap
    assert device.guess_epoch(1772366400) == "unix_s"
    assert device.guess_epoch(1772366400000) == "unix_ms"
    assert device.guess_epoch(13416840000000000) == "webkit"
    with pytest.raises(device.DeviceError, match="epoch"):
        device.epoch_to_utc(1, "unix")
    with pytest.raises(device.DeviceError, match="no time"):
        device.guess_epoch(5)


def test_sms_date_and_date_sent_differ(ext):
    sms = ext.table("mmssms.db", "sms")
    inc = sms[sms["type"] == 1]
    assert (inc["date_sent"] < inc["date"]).all()  # sent by the other phone, then received
    assert (sms.loc[sms["type"] == 2, "date_sent"] == 0).all()
    first = inc.iloc[0]
    tl_row = device.timeline(ext).query("file.str.endswith('mmssms.db') and row == @first._id")
    assert tl_row["utc"].iloc[0] == pd.Timestamp(device.epoch_to_utc(int(first["date"]), "unix_ms"))


def test_messenger_seconds_read_as_milliseconds_give_1970(ext, tl):
    raw = ext.table("paigham.db", "messages").iloc[0]
    assert device.guess_epoch(int(raw["timestamp"])) == "unix_s"
    assert device.epoch_to_utc(int(raw["timestamp"]), "unix_ms").year == 1970
    row = tl[(tl["file"] == MSG_DB) & (tl["row"] == raw["msg_id"])].iloc[0]
    assert row["utc"] == pd.Timestamp(device.epoch_to_utc(int(raw["timestamp"]), "unix_s"))


def test_minimise_hides_uninvolved_contacts(tl):
    freq = device.contact_frequency(tl)
    keep = set(freq["counterpart"].head(2))
    m = device.minimise(freq, keep)
    assert m["counterpart"].head(2).tolist() == freq["counterpart"].head(2).tolist()
    rest = m.iloc[2:]
    assert rest["counterpart"].str.startswith("uninvolved contact").all()
    assert not set(freq["counterpart"].iloc[2:]) & set(m["counterpart"])
    if "name" in m:
        assert (rest["name"] == rest["counterpart"]).all()


# -- the exercise's exhibit: the partner agent's phone ---------------------------------------------


@pytest.fixture(scope="module")
def partner():
    return device.open_extraction(data.path("device/partner_extraction"))


def test_partner_phone_is_a_different_exhibit(ext, partner):
    assert partner.report["exhibit_ref"] != ext.report["exhibit_ref"]
    assert partner.report["device"]["imei"] != ext.report["device"]["imei"]
    assert partner.device_tz == "Asia/Dhaka"
    status = dict(zip(partner.databases["name"], partner.databases["status"]))
    assert status["History"] == "ok" and status["paigham.db"] == "ok"
    assert sorted(s for s in status.values() if s != "ok") == ["not_sqlite", "unknown_schema"]
    assert (partner.integrity["status"] == "altered").sum() == 1


def test_partner_keys_follow_from_the_data(partner):
    from osintlab.grading import check_answer

    tl = device.timeline(partner)
    freq = device.contact_frequency(tl)
    kin = ("Bou ", "Ammu ", "Abbu ", "Bhaiya ", "Apu ")
    family = freq[freq["name"].fillna("").str.startswith(kin)]
    assert freq.iloc[0]["counterpart"] in set(family["counterpart"])  # the wife, not a lead
    assert check_answer("07.family_numbers", family["counterpart"].tolist(), quiet=True)
    rest = freq[~freq["counterpart"].isin(family["counterpart"])]
    assert check_answer("07.top_counterpart", rest.iloc[0]["counterpart"], quiet=True)
    gone = device.deleted_rows(partner, "paigham.db", "messages")
    assert len(gone) == 4 and gone["text"].str.contains(" jon ").any()


def test_partner_photos_changed_zone_while_travelling(partner):
    from osintlab.grading import check_answer
    from osintlab.timeutil import to_utc

    ph = device.photo_metadata(partner)
    ok = ph[ph["integrity"] == "ok"].copy()
    ok["name"] = ok["file"].str.rsplit("/", n=1).str[-1]
    abroad = ok[(ok["lat"] - 23.8).abs() > 3]
    assert len(abroad) >= 2 and set(ok["zone_used"]) == {"Asia/Dhaka"}  # the tool's assumption
    assert check_answer("07.travel_photos", abroad["name"].tolist(), quiet=True)
    right = {
        n: to_utc(
            s.replace(":", "-", 2), "Asia/Bangkok" if n in set(abroad["name"]) else "Asia/Dhaka"
        )
        for n, s in zip(ok["name"], ok["datetime_original"])
    }
    assert check_answer("07.photo_times_utc", right, quiet=True)
    roaming = device.timeline(partner).query("counterpart == 'ROAMING'")
    assert roaming["text"].str.contains("Thailand").any()


def test_partner_history_is_webkit_and_tool_summary_is_off(partner):
    from osintlab.grading import check_answer

    urls = partner.table("History", "urls")
    visits = partner.table("History", "visits")
    flight = urls[urls["url"].str.contains("flights")].iloc[0]
    first = visits[visits["url"] == flight["id"]]["visit_time"].min()
    assert device.guess_epoch(int(first)) == "webkit"
    assert check_answer(
        "07.first_flight_search_utc", device.epoch_to_utc(int(first), "webkit"), quiet=True
    )
    entry = partner.report["tool_summary"]["messages_with_crypto_addresses"][0]
    raw = partner.table("paigham.db", "messages")
    ts = int(raw.loc[raw["msg_id"] == entry["row"], "timestamp"].iloc[0])
    true = pd.Timestamp(device.epoch_to_utc(ts, "unix_s"))
    assert (pd.Timestamp(entry["utc"]) - true) == pd.Timedelta(hours=6)  # local time labelled Z
