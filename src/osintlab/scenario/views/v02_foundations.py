"""View: module 01 (OSINT foundations and evidence handling).

A seized evidence package with planted tampering, a log of captures made in several offices in
local time, an investigator's activity log with OPSEC errors, and intelligence sources to grade.
"""
from __future__ import annotations

import json
import os
import stat
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from ... import evidence
from ...timeutil import utc_iso
from ...web import Media, Page
from .. import identifiers as ids
from ..webpages import front_jobs_url, story_pages

PKG = "foundations/seized_package"


def _page(world, url) -> Page:
    p = next(p for p in story_pages(world) if p["url"] == url)
    return Page(p["url"], p["site"], p["title"], p["html"], p["text"], p["filetype"],
                p["published"], p["language"], tuple(Media(*m) for m in p["media"]))


def build(world, writer) -> None:
    writer.section("foundations", "Module 01: evidence handling, time stamps, OPSEC and "
                   "source grading.")
    _seized_package(world, writer)
    _captures(world, writer)
    _activity_log(world, writer)
    _sources(world, writer)


# -- a seized package, tampered --------------------------------------------------------------

def _seized_package(world, writer):
    rng = world.rng("foundations/package")
    root = writer.root / PKG
    when = world.now - timedelta(days=rng.randrange(20, 40), hours=rng.randrange(24))
    collector = "Inspector " + rng.choice(["R. Latif", "S. Iqbal", "M. Haider", "N. Javed"])
    page = _page(world, front_jobs_url(world))
    evidence.package_from_page(page, root, when=when, collector=collector, identity="RI-03",
                               case_ref=world.case_ref, url_requested=page.url)
    custody_when = when
    for actor, action, note in [
            (collector, "sealed", "package sealed and copied to case storage"),
            ("Evidence clerk " + rng.choice(["T. Ahmed", "F. Bibi", "K. Rana"]), "received",
             "received for case storage"),
            ("Analyst " + rng.choice(["H. Nawaz", "A. Saleem"]), "copied",
             "working copy made for analysis")]:
        custody_when += timedelta(hours=rng.randrange(2, 30))
        evidence.add_custody(root, actor, action, note, when=custody_when)
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    items = sorted(manifest["items"])
    # Tampering: one item altered, one file slipped in, one custody entry edited afterwards.
    altered = rng.choice([i for i in items if i != "capture.json"])
    target = root / altered
    os.chmod(target, stat.S_IRUSR | stat.S_IWUSR)
    blob = target.read_bytes()
    if altered.endswith(".html"):
        new_phone = ids.phone_number(rng, "PK")
        text = blob.decode("utf-8").replace("Only CNIC and passport.",
                                            f"Only CNIC and passport. Alt: {new_phone}")
        blob = text.encode("utf-8")
    else:                           # images: flip bytes near the end, as a careless edit would
        blob = blob[:-64] + bytes(b ^ 0x5A for b in blob[-64:-32]) + blob[-32:]
    target.write_bytes(blob)
    added = f"items/media/{rng.randrange(3, 9):02d}_{rng.choice(['photo', 'scan', 'img'])}.png"
    (root / added).write_bytes(_tiny_png(rng))
    entries = evidence.read_custody(root)
    broken = rng.randrange(2, len(entries) + 1)
    entries[broken - 1]["actor"] = entries[broken - 1]["actor"] + " (amended)"
    log = root / "custody.jsonl"
    os.chmod(log, stat.S_IRUSR | stat.S_IWUSR)
    log.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries),
                   encoding="utf-8")
    for p in root.rglob("*"):      # committed data stays writable; the package API is write-once
        if p.is_file():
            os.chmod(p, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)
    writer.document(PKG, "An evidence package handed over by another unit: the capture of the "
                    "front's vacancies page (`items/`, `capture.json`, `manifest.json`, "
                    "`custody.jsonl`). Something happened to it after it was sealed; "
                    "`osintlab.evidence.verify_package` tells you what.")
    writer.add_key("01.altered_items", [altered], kind="set",
                   hint="compare each item's SHA-256 with the manifest")
    writer.add_key("01.added_items", [added], kind="set")
    writer.add_key("01.custody_break", broken, hint="the seq number of the first entry that "
                   "no longer chains")
    writer.add_key("01.capture_html_sha256", evidence.sha256_bytes(page.html.encode("utf-8")),
                   fold=True, hint="hash the bytes of items/page.html in your own package")


def _tiny_png(rng) -> bytes:
    import io
    from PIL import Image
    img = Image.new("RGB", (32, 32), tuple(rng.randrange(256) for _ in range(3)))
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=False)
    return out.getvalue()


# -- captures in local time --------------------------------------------------------------------

OFFICES = [  # (office, country, zone, labels officers write)
    ("AHT Circle Lahore", "Pakistan", "Asia/Karachi", ["PKT", "Asia/Karachi", "UTC+5", "+05:00"]),
    ("CID Dhaka", "Bangladesh", "Asia/Dhaka", ["BST", "Asia/Dhaka", "UTC+6", "+06:00"]),
    ("Liaison Dubai", "United Arab Emirates", "Asia/Dubai", ["GST", "Asia/Dubai", "UTC+4"]),
    ("Liaison Bangkok", "Thailand", "Asia/Bangkok", ["ICT", "Asia/Bangkok", "UTC+7"]),
    ("Field team Myawaddy", "Myanmar", "Asia/Yangon", ["MMT", "Asia/Yangon", "UTC+06:30"]),
]


def _captures(world, writer):
    rng = world.rng("foundations/captures")
    pages = [p["url"] for p in story_pages(world)]
    rows, utc_list = [], []
    base = world.now - timedelta(days=3)
    n = rng.randrange(10, 14)
    offices = [OFFICES[i - 1] if i <= 5 else rng.choice(OFFICES) for i in range(1, n + 1)]
    abroad = [i for i in range(6, n + 1) if offices[i - 1][1] != "Pakistan"]
    travellers = set(rng.sample(abroad, min(2, len(abroad))))
    for i in range(1, n + 1):
        office, country, zone, labels = offices[i - 1]
        # Captures cluster within hours of each other, so zone errors reorder them.
        moment = base + timedelta(minutes=rng.randrange(0, 9 * 60))
        label = labels[0] if i <= 5 and labels[0] in ("BST", "GST") else rng.choice(labels)
        if i in travellers:
            # A liaison officer whose laptop still runs on home time writes that zone: the
            # written zone, not the office's, says which clock the time was read from.
            zone, label = "Asia/Karachi", rng.choice(["PKT", "Asia/Karachi", "+05:00"])
        local = moment.astimezone(ZoneInfo(zone))
        rows.append({"capture_id": f"CAP-{i:02d}", "office": office, "office_country": country,
                     "officer": f"Officer {chr(64 + i)}", "url": rng.choice(pages),
                     "captured_local": local.strftime("%Y-%m-%d %H:%M:%S"),
                     "zone_written": label})
        utc_list.append((f"CAP-{i:02d}", utc_iso(moment)))
    writer.write_csv("foundations/captures.csv", rows, {
        "capture_id": "Capture reference",
        "office": "Office of the officer who captured", "office_country": "Country of the office",
        "officer": "Who captured", "url": "Page captured",
        "captured_local": "Capture time as the officer wrote it: local wall time, no offset",
        "zone_written": "The time zone as the officer wrote it (abbreviation, IANA name or "
                        "offset; abbreviations can be ambiguous)"},
        "Captures of pages of the case (the front's site, registers, news) made the same week "
        "by five offices, each in local time as the officer wrote it.")
    writer.add_key("01.captures_utc", [u for _, u in utc_list], kind="list", form="time",
                   hint="use the zone each officer wrote; only where it is ambiguous (BST, "
                        "GST) fall back to the zone of the office's country")
    writer.add_key("01.first_capture", min(utc_list, key=lambda x: x[1])[0])


# -- an investigator's activity log ----------------------------------------------------------

RULES = {
    "personal_account": "used a personal account instead of the research identity",
    "unauthorised_engagement": "interacted with a subject (like, follow, message, comment, "
                               "join) without written authorisation",
    "attributable_network": "went online from the office network instead of the managed, "
                            "non-attributable connection",
    "personal_device": "used a personal phone or computer",
}


def _activity_log(world, writer):
    rng = world.rng("foundations/activity")
    front_acc = world.accounts_of(world.front.org_id)
    targets = [f"@{a.handle} ({a.platform})" for a in front_acc] + \
        [f"https://{world.front.domain}/jobs", f"https://{world.front.domain}/contact"]
    rows, errors, by_rule = [], set(), {r: 0 for r in RULES}
    t = world.now - timedelta(days=6)
    passive = ["view profile", "search", "capture page", "view posts", "download image"]
    engage = ["like post", "follow account", "send message", "comment on post", "join group"]
    n = rng.randrange(24, 31)
    for i in range(1, n + 1):
        t += timedelta(minutes=rng.randrange(7, 95))
        action = rng.choice(passive + passive + engage)
        identity, device, network, authorised = "research identity RI-07", "research laptop", \
            "managed VPN", "no"
        broken = []
        if rng.random() < 0.15:
            identity = rng.choice(["personal account", "personal account (own name)"])
            broken.append("personal_account")
        if action in engage:
            if rng.random() < 0.35:
                authorised = "yes (engagement authorised by SP, ref. AUTH-" \
                             f"{rng.randrange(100, 999)})"
            else:
                broken.append("unauthorised_engagement")
        if rng.random() < 0.12:
            network = "office LAN (static IP)"
            broken.append("attributable_network")
        if rng.random() < 0.12:
            device = rng.choice(["personal phone", "home computer"])
            broken.append("personal_device")
        rows.append({"entry_id": f"L{i:03d}", "time_local": t.astimezone(
            ZoneInfo("Asia/Karachi")).strftime("%Y-%m-%d %H:%M"), "time_zone": "Asia/Karachi",
            "investigator": "SI Case Officer", "action": action,
            "target": rng.choice(targets), "identity_used": identity, "device": device,
            "network": network, "engagement_authorised": authorised})
        if broken:
            errors.add(f"L{i:03d}")
            for b in broken:
                by_rule[b] += 1
    if not errors:        # every log has something to find
        rows[-1]["identity_used"] = "personal account"
        errors.add(rows[-1]["entry_id"])
        by_rule["personal_account"] += 1
    writer.write_csv("foundations/activity_log.csv", rows, {
        "entry_id": "Log entry", "time_local": "Local wall time of the entry, no offset",
        "time_zone": "IANA zone the investigator's clock was set to",
        "investigator": "Who", "action": "What was done online",
        "target": "Account or page acted on",
        "identity_used": "Which identity/account was used",
        "device": "Device used", "network": "Connection used",
        "engagement_authorised": "For interactions: whether written authorisation existed "
                                 "('no' or 'yes (...)')"},
        "An investigator's online activity log for the week before the case conference. "
        "The unit's OPSEC rules are in the module 01 exercise.")
    writer.add_key("01.opsec_errors", sorted(errors), kind="set")
    writer.add_key("01.opsec_by_rule", by_rule, kind="mapping")


# -- sources to grade --------------------------------------------------------------------------

def _sources(world, writer):
    rng = world.rng("foundations/sources")
    front = world.front
    v = rng.sample(world.victims, 2)
    topics = {
        "register": f"{front.name} is not on the register of licensed promoters.",
        "fee": f"{v[0].name.split()[0]}'s family paid the 'processing fee' to the agent "
               f"{world.actor(v[0].recruiter).alias}.",
        "dubai": "Recruits are met at Dubai airport by a Pakistani facilitator and flown on to "
                 "Bangkok.",
        "contact": "Families in Punjab lost contact with relatives soon after they reached "
                   "Thailand.",
        "owner": "The owner of the front is a serving police officer.",
        "office": "The front's office moved to the second floor of the same plaza last month.",
        "compound": "The recruits are held in a compound in Cambodia.",
    }
    # (kind, description, origin, topic, track record: None = no history, or (lo, hi) ratio)
    cast = [
        ("official_register", "Licence register (training copy)", "register", "register", None),
        ("informant", "Registered informant 'Falcon'", "informant_falcon",
         rng.choice(["office", "fee"]), (0.8, 1.0)),
        ("informant", "New walk-in informant", "walkin_1", rng.choice(["fee", "owner"]), None),
        ("complainant", f"Father of {v[0].name}", "family_1", "fee", None),
        ("complainant", f"Brother of {v[1].name}", "family_2", rng.choice(["dubai", "contact"]),
         None),
        ("social_media", "Anonymous comment under the front's ad", "anon_comment", "owner",
         None),
        ("media", "Newspaper report", "news", "contact", (0.5, 0.8)),
        ("partner_agency", "Liaison officer, Dubai", "liaison_ae", "dubai", (0.8, 1.0)),
        ("social_media", "Repost of the anonymous comment on a community page", "anon_comment",
         "owner", None),
        ("informant", "Informant 'Kite'", "informant_kite", "compound", (0.05, 0.3)),
        ("informant", "Informant 'Heron'", "informant_heron", rng.choice(["office", "contact"]),
         (0.25, 0.8)),
    ]
    rows = []
    for n, (kind, desc, origin, topic, record) in enumerate(cast, start=1):
        if record is None:
            reports = confirmed = 0
        else:
            reports = rng.randrange(6, 30)
            confirmed = min(reports, round(reports * rng.uniform(*record)))
        rows.append({"source_id": f"S{n:02d}", "source_kind": kind, "description": desc,
                     "origin": origin, "reports_so_far": reports,
                     "reports_confirmed": confirmed, "information": topics[topic],
                     "_topic": topic})
    for r in rows:
        same = [o["source_id"] for o in rows if o is not r and o["_topic"] == r["_topic"]]
        r["corroborated_by"] = ";".join(same)
        r["contradicted"] = r["_topic"] == "compound"
        r["consistency"] = ("no" if r["contradicted"] else "unknown" if r["_topic"] == "owner"
                            else "yes" if r["_topic"] == "register"
                            else rng.choice(["yes", "partial", "no"]))
    by_id = {r["source_id"]: r for r in rows}
    expected = {}
    for r in rows:
        expected[r["source_id"]] = grade_source(r, by_id)
    rows = [{k: v for k, v in r.items() if k != "_topic"} for r in rows]
    writer.write_csv("foundations/sources.csv", rows, {
        "source_id": "Source reference", "source_kind": "official_register, informant, "
        "complainant, social_media, media, partner_agency",
        "description": "Who or what the source is", "origin": "Where the information "
        "ultimately comes from (two rows with the same origin are NOT independent)",
        "reports_so_far": "Earlier reports from this source", "reports_confirmed":
        "How many of those were later confirmed", "information": "What the source reports now",
        "corroborated_by": "Other sources (source_id, ';'-separated) reporting the same thing",
        "consistency": "Fits what is already known: yes, partial, no, unknown",
        "contradicted": "True if confirmed information contradicts it"},
        "Sources and their reports, to be graded on the Admiralty (6x6) system by the rules "
        "in the module 01 exercise.",
        types={"reports_so_far": "int", "reports_confirmed": "int", "contradicted": "bool"})
    writer.add_key("01.admiralty", expected, kind="mapping",
                   hint="grade the source and the information separately")


def _reliability(row: dict) -> str:
    if row["source_kind"] == "official_register":
        return "A"
    if row["reports_so_far"] == 0:
        return "F"
    ratio = row["reports_confirmed"] / row["reports_so_far"]
    return "B" if ratio >= 0.8 else "C" if ratio >= 0.5 else "D" if ratio >= 0.25 else "E"


def grade_source(row: dict, by_id: dict) -> str:
    """The exercise's grading rules (kept here as the ground truth; trainees code them)."""
    rel = _reliability(row)
    independent = [s for s in str(row["corroborated_by"]).split(";") if s and
                   by_id[s]["origin"] != row["origin"] and _reliability(by_id[s]) in "ABC"]
    if row["contradicted"]:
        cred = 5
    elif independent:
        cred = 1
    else:
        cred = {"yes": 2, "partial": 3, "no": 4, "unknown": 6}[row["consistency"]]
    return f"{rel}{cred}"
