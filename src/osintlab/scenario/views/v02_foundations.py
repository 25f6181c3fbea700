"""View: module 01 (OSINT foundations and evidence handling).

A seized evidence package with planted tampering, a log of captures made in several offices in
local time, an investigator's activity log with OPSEC errors, and intelligence sources to grade.
"""

from __future__ import annotations

import json
import os
import stat
from datetime import timedelta
from zoneinfo import ZoneInfo

from ... import evidence
from ...timeutil import utc_iso
from ...web import Media, Page
from .. import identifiers as ids
from ..webpages import story_pages, vacancies_url_of

PKG = "foundations/seized_package"


def _page(world, url) -> Page:
    p = next(p for p in story_pages(world) if p["url"] == url)
    return Page(
        p["url"],
        p["site"],
        p["title"],
        p["html"],
        p["text"],
        p["filetype"],
        p["published"],
        p["language"],
        tuple(Media(*m) for m in p["media"]),
    )


def build(world, writer) -> None:
    writer.section(
        "foundations", "Module 01: evidence handling, time stamps, OPSEC and source grading."
    )
    _tasking(world, writer)
    _seized_package(world, writer)
    _captures(world, writer)
    _activity_log(world, writer)
    _sources(world, writer)


# -- a seized package, tampered --------------------------------------------------------------


def _seized_package(world, writer):
    rng = world.rng("foundations/package")
    root = writer.root / PKG
    when = world.now - timedelta(days=rng.randrange(20, 40), hours=rng.randrange(24))
    collector = "Inspector " + rng.choice(["A. Karim", "S. Hossain", "M. Rahman", "N. Akter"])
    agency = world.partner_agency
    # The Dhaka unit's capture of the partner agency's home page (the lesson works on the
    # front's own site, so the exercise examines the Bangladeshi thread).
    page = _page(world, f"https://{agency.domain}/")
    evidence.package_from_page(
        page,
        root,
        when=when,
        collector=collector,
        identity="RI-03",
        case_ref=world.case_ref,
        url_requested=page.url,
    )
    custody_when = when
    for actor, action, note in [
        (collector, "sealed", "package sealed and copied to case storage"),
        (
            "Evidence clerk " + rng.choice(["T. Ahmed", "F. Bibi", "K. Rana"]),
            "received",
            "received for case storage",
        ),
        (
            "Analyst " + rng.choice(["H. Nawaz", "A. Saleem"]),
            "copied",
            "working copy made for analysis",
        ),
    ]:
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
        new_phone = ids.phone_number(rng, "BD")
        text = blob.decode("utf-8").replace(
            "Phone/IMO/WhatsApp:", f"Phone/IMO/WhatsApp: {new_phone} /", 1
        )
        blob = text.encode("utf-8")
    else:  # images: flip bytes near the end, as a careless edit would
        blob = blob[:-64] + bytes(b ^ 0x5A for b in blob[-64:-32]) + blob[-32:]
    target.write_bytes(blob)
    added = f"items/media/{rng.randrange(3, 9):02d}_{rng.choice(['photo', 'scan', 'img'])}.png"
    (root / added).write_bytes(_tiny_png(rng))
    entries = evidence.read_custody(root)
    broken = rng.randrange(2, len(entries) + 1)
    entries[broken - 1]["actor"] = entries[broken - 1]["actor"] + " (amended)"
    log = root / "custody.jsonl"
    os.chmod(log, stat.S_IRUSR | stat.S_IWUSR)
    log.write_text(
        "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries), encoding="utf-8"
    )
    for p in root.rglob("*"):  # committed data stays writable; the package API is write-once
        if p.is_file():
            os.chmod(p, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)
    writer.document(
        PKG,
        "An evidence package handed over by the Dhaka unit: its capture of "
        "the partner agency's home page (`items/`, `capture.json`, `manifest.json`, "
        "`custody.jsonl`). Something happened to it after it was sealed; "
        "`osintlab.evidence.verify_package` tells you what.",
    )
    writer.add_key(
        "01.altered_items",
        [altered],
        kind="set",
        hint="compare each item's SHA-256 with the manifest",
    )
    writer.add_key("01.added_items", [added], kind="set")
    writer.add_key(
        "01.custody_break", broken, hint="the seq number of the first entry that no longer chains"
    )
    # Task 4's evidence: the field the editor changed in that entry (it is always the actor).
    writer.add_key(
        "01.custody_edited_field",
        "actor",
        fold=True,
        hint="the name of the entry's field whose value was changed",
    )
    # Task 2: the seized HTML against its manifest and the live page (the live page does not
    # change, so the verdict depends on whether the HTML is the altered item).
    writer.add_key(
        "01.seized_html_verdict",
        "altered after sealing" if altered == "items/page.html" else "intact",
        fold=True,
        hint="compare the file's hash with the manifest's, then with the live page's",
    )
    jobs = _page(world, vacancies_url_of(agency))
    writer.add_key(
        "01.capture_html_sha256",
        evidence.sha256_bytes(jobs.html.encode("utf-8")),
        fold=True,
        hint="hash the bytes of items/page.html in your own package",
    )


def _tasking(world, writer):
    agency = world.partner_agency
    writer.write_json(
        "foundations/tasking.json",
        {
            "case_ref": world.case_ref,
            "from": "Case supervisor, FIA AHTC Lahore",
            "to": "Investigator (you)",
            "tasking": "The Bangladesh Police CID reports that the front recruits in Dhaka and "
            "Sylhet through a partner agency. Capture the partner agency's current "
            "vacancies page into an evidence package, and examine the package the "
            "Dhaka unit handed over (foundations/seized_package).",
            "partner_agency": agency.name,
            "partner_website": f"https://{agency.domain}/",
        },
        doc="The supervisor's tasking for the exercise: which site to capture (the partner "
        "agency's) and which handed-over package to examine.",
        columns={
            "tasking": "What to do",
            "partner_agency": "Name of the Bangladeshi partner",
            "partner_website": "Its website in the offline web",
        },
    )


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
        rows.append(
            {
                "capture_id": f"CAP-{i:02d}",
                "office": office,
                "office_country": country,
                "officer": f"Officer {chr(64 + i)}",
                "url": rng.choice(pages),
                "captured_local": local.strftime("%Y-%m-%d %H:%M:%S"),
                "zone_written": label,
            }
        )
        utc_list.append((f"CAP-{i:02d}", utc_iso(moment)))
    writer.write_csv(
        "foundations/captures.csv",
        rows,
        {
            "capture_id": "Capture reference",
            "office": "Office of the officer who captured",
            "office_country": "Country of the office",
            "officer": "Who captured",
            "url": "Page captured",
            "captured_local": "Capture time as the officer wrote it: local wall time, no offset",
            "zone_written": "The time zone as the officer wrote it (abbreviation, IANA name or "
            "offset; abbreviations can be ambiguous)",
        },
        "Captures of pages of the case (the front's site, registers, news) made the same week "
        "by five offices, each in local time as the officer wrote it.",
    )
    writer.add_key(
        "01.captures_utc",
        [u for _, u in utc_list],
        kind="list",
        form="time",
        hint="use the zone each officer wrote; only where it is ambiguous (BST, "
        "GST) fall back to the zone of the office's country",
    )
    writer.add_key("01.first_capture", min(utc_list, key=lambda x: x[1])[0])


# -- an investigator's activity log, audited against the unit's authorisations ---------------

#: The unit's rules for online work, each with the name the exercise uses.
RULES = {
    "personal_account": "used a personal account instead of the research identity",
    "personal_device": "used a personal phone or computer",
    "attributable_network": "went online from the office network instead of the managed, "
    "non-attributable connection",
    "no_authorisation": "cited no authorisation, an unknown one, or one issued to another identity",
    "outside_period": "acted before the authorisation started or after it expired",
    "outside_scope": "acted on a page or account the authorisation does not cover",
    "unauthorised_engagement": "interacted with a subject (like, follow, message, comment, "
    "join) without the authorisation allowing that action",
    "victim_contact": "interacted with a victim, a complainant or a family member from a "
    "research identity",
}
#: Actions that interact with the subject; everything else is passive viewing or capture.
ENGAGEMENT = ("like post", "follow account", "send message", "comment on post", "join channel")
#: What can be done on each kind of page (so the log never pairs "join" with a website).
ACTIONS = {
    "website": (["view page", "capture page", "search site"], []),
    "page": (
        ["view posts", "capture posts", "view page info"],
        ["like post", "follow account", "comment on post", "send message"],
    ),
    "channel": (["view channel", "capture channel"], ["join channel", "send message"]),
    "profile": (
        ["view profile", "capture profile", "view posts"],
        ["follow account", "send message"],
    ),
}
_PKT = ZoneInfo("Asia/Karachi")


def _split(cell) -> list[str]:
    return [x.strip() for x in str(cell or "").split(";") if x.strip()]


def audit_activity(log: list[dict], authorisations: list[dict]) -> dict[str, list[str]]:
    """The unit's audit of an activity log: entry id -> names of the rules it breaks.

    Plain dicts in, plain dict out (the exercise's ground truth; trainees write their own).
    Times are compared in UTC: each entry's ``time_local`` is read in its ``time_zone`` and each
    authorisation's validity in its ``zone``.
    """
    from ...timeutil import to_utc

    auths = {a["auth_ref"]: a for a in authorisations}
    protected = {t for a in authorisations for t in _split(a["do_not_contact"])}
    out = {}
    for e in log:
        broken = []
        if e["identity_used"].startswith("personal"):
            broken.append("personal_account")
        if e["device"] != "research laptop":
            broken.append("personal_device")
        if e["network"].startswith("office"):
            broken.append("attributable_network")
        a = auths.get(e["authorisation_ref"])
        if a is None or a["identity"] != e["identity_used"]:
            broken.append("no_authorisation")
        else:
            when = to_utc(e["time_local"], e["time_zone"])
            if (
                not to_utc(a["valid_from_local"], a["zone"])
                <= when
                <= to_utc(a["valid_to_local"], a["zone"])
            ):
                broken.append("outside_period")
            if e["target"] not in _split(a["scope"]):
                broken.append("outside_scope")
            if e["action"] in ENGAGEMENT and e["action"] not in _split(a["engagement_allowed"]):
                broken.append("unauthorised_engagement")
        if e["action"] in ENGAGEMENT and e["target"] in protected:
            broken.append("victim_contact")
        if broken:
            out[e["entry_id"]] = broken
    return out


def _activity_log(world, writer):
    from ..names import PK_FEMALE, PK_MALE

    rng = world.rng("foundations/activity")
    day0 = (
        (world.now - timedelta(days=8))
        .astimezone(_PKT)
        .replace(hour=0, minute=0, second=0, microsecond=0)
    )
    fmt = "%Y-%m-%d %H:%M"
    front = world.accounts_of(world.front.org_id)
    recruiter = world.actor_by_role("recruiter_pk")
    acc = lambda a: f"@{a.handle} ({a.platform})"
    kind_of = {
        acc(a): ("profile" if a.kind == "personal" else a.kind)
        for a in front + world.accounts_of(recruiter.actor_id)
    }
    site = f"https://{world.front.domain}"
    for url in (site + "/", site + "/jobs", site + "/contact"):
        kind_of[url] = "website"
    channel = next(acc(a) for a in front if a.kind == "channel")
    main_page = next(acc(a) for a in front if a.kind == "page" and not a.backup_of)
    scope_osint = list(kind_of)
    # Victims' families, named in the complaints: never to be contacted from a research identity.
    families = []
    for v in rng.sample([v for v in world.victims if v.country == "PK"], 2):
        first = rng.choice(PK_FEMALE if rng.random() < 0.6 else PK_MALE)
        surname = v.name.split()[-1]
        families.append((f"@{first.lower()}.{surname.lower()}{rng.randrange(10, 99)} (chaupal)", v))
    licensed = rng.choice(world.licensed_recruiters())
    outsider = next(acc(a) for a in world.accounts_of(licensed.org_id))
    kind_of[outsider] = "page"
    for fam, _ in families:
        kind_of[fam] = "profile"
    osint_ref = f"AHTC-LHR/OSINT/{world.now.year}/{rng.randrange(10, 60):03d}"
    uc_ref = f"AHTC-LHR/UC/{world.now.year}/{rng.randrange(1, 9):03d}"
    o_from, o_to = day0 + timedelta(hours=9), day0 + timedelta(days=6, hours=18)
    u_from = day0 + timedelta(days=2, hours=10)
    u_to = u_from + timedelta(days=1, hours=8)
    do_not_contact = "; ".join(f for f, _ in families)
    auths = [
        {
            "auth_ref": osint_ref,
            "identity": "research identity RI-07",
            "granted_by": "Deputy Director, FIA AHT Circle Lahore",
            "granted_local": (o_from - timedelta(hours=20)).strftime(fmt),
            "valid_from_local": o_from.strftime(fmt),
            "valid_to_local": o_to.strftime(fmt),
            "zone": "Asia/Karachi",
            "purpose": "Passive observation and capture of the front's website and social-media "
            "accounts and the recruiter's accounts, for case " + world.case_ref,
            "scope": "; ".join(scope_osint),
            "engagement_allowed": "",
            "do_not_contact": do_not_contact,
        },
        {
            "auth_ref": uc_ref,
            "identity": "research identity RI-09",
            "granted_by": "Director, FIA AHT Circle Lahore (legal adviser consulted)",
            "granted_local": (u_from - timedelta(hours=19)).strftime(fmt),
            "valid_from_local": u_from.strftime(fmt),
            "valid_to_local": u_to.strftime(fmt),
            "zone": "Asia/Karachi",
            "purpose": "Limited engagement as a job-seeker: join the front's channel and ask "
            "about the advertised jobs and the fee; no offer to pay",
            "scope": "; ".join([channel, main_page]),
            "engagement_allowed": "join channel; send message",
            "do_not_contact": do_not_contact,
        },
    ]
    base = {
        "investigator": "SI Case Officer",
        "identity_used": "research identity RI-07",
        "device": "research laptop",
        "network": "managed VPN",
        "authorisation_ref": osint_ref,
        "time_zone": "Asia/Karachi",
    }
    uc = {
        **base,
        "investigator": "Inspector UC Officer",
        "identity_used": "research identity RI-09",
        "authorisation_ref": uc_ref,
    }
    rows = []

    def add(when, target, action, note="", **over):
        e = {
            **base,
            **over,
            "target": target,
            "target_kind": kind_of[target],
            "action": action,
            "note": note,
        }
        zone = ZoneInfo(e["time_zone"]) if e["time_zone"] != "UTC" else ZoneInfo("UTC")
        e["time_local"] = when.astimezone(zone).strftime(fmt)
        rows.append(e)

    def office_hours(day):
        return day0 + timedelta(days=day, hours=rng.randrange(9, 18), minutes=rng.randrange(60))

    # Routine, clean, passive work under the observation authorisation (some on the research
    # machine, whose clock is kept in UTC).
    for day in range(0, 7):
        for _ in range(rng.randrange(3, 6)):
            when = office_hours(day)
            if when > o_to:
                when = o_to - timedelta(minutes=rng.randrange(5, 90))
            target = rng.choice(scope_osint)
            action = rng.choice(ACTIONS[kind_of[target]][0])
            zone = "UTC" if rng.random() < 0.25 else "Asia/Karachi"
            add(
                when,
                target,
                action,
                rng.choice(["new vacancies?", "routine check", "", "capture for case file", ""]),
                time_zone=zone,
            )
    # The first entry of the week, on the UTC clock: it looks early but is inside the period.
    add(
        o_from + timedelta(minutes=rng.randrange(3, 40)),
        site + "/jobs",
        "capture page",
        "first capture under the authorisation",
        time_zone="UTC",
    )
    # Undercover engagement, inside its window and scope.
    t = u_from + timedelta(minutes=rng.randrange(20, 90))
    add(t, channel, "join channel", "joined as job-seeker", **uc)
    add(
        t + timedelta(minutes=rng.randrange(10, 40)),
        channel,
        "send message",
        "asked about Dubai data-entry job",
        **uc,
    )
    add(t + timedelta(hours=rng.randrange(3, 6)), channel, "view channel", "", **uc)
    # --- what the audit should find ---
    d = rng.randrange(1, 6)
    recruiter_profiles = [
        acc(a) for a in world.accounts_of(recruiter.actor_id) if a.kind == "personal"
    ]
    add(
        office_hours(d),
        rng.choice(recruiter_profiles),
        "view profile",
        "quick look from my own phone",
        identity_used="personal account (own name)",
        device="personal phone",
        network="mobile data (own SIM)",
    )
    add(
        office_hours(rng.randrange(0, 6)),
        rng.choice([site + "/", site + "/contact"]),
        "capture page",
        "VPN down, used the office line",
        network="office LAN (static IP)",
    )
    add(
        o_to + timedelta(hours=rng.randrange(2, 5), minutes=rng.randrange(60)),
        main_page,
        "view posts",
        "late check after the takedown notice",
    )
    add(
        office_hours(rng.randrange(1, 6)),
        outsider,
        "view posts",
        "compared with a licensed recruiter's ads",
    )
    add(
        office_hours(rng.randrange(0, 6)),
        main_page,
        "like post",
        "liked to keep the feed showing their posts",
    )
    fam, victim = families[0]
    add(
        office_hours(rng.randrange(1, 6)),
        fam,
        "send message",
        f"asked {victim.name.split()[0]}'s relative for his new number",
    )
    add(
        office_hours(rng.randrange(0, 6)),
        families[1][0],
        "view profile",
        "looked for photos of the missing man",
    )
    add(
        u_to + timedelta(hours=rng.randrange(1, 20)),
        channel,
        "send message",
        "follow-up question about the fee",
        **uc,
    )
    add(
        u_from + timedelta(hours=rng.randrange(1, 6)),
        rng.choice(recruiter_profiles),
        "follow account",
        "followed the recruiter to see his stories",
        **uc,
    )
    unref = rng.choice(scope_osint)
    add(
        office_hours(rng.randrange(0, 6)),
        unref,
        ACTIONS[kind_of[unref]][0][0],
        "forgot to note the authorisation",
        authorisation_ref="",
    )
    for r in rows:  # every action fits the kind of page it was done on
        if r["action"] not in ACTIONS[r["target_kind"]][0] + ACTIONS[r["target_kind"]][1]:
            raise AssertionError(f"activity log: {r['action']!r} on a {r['target_kind']}")
    from ...timeutil import to_utc

    rows.sort(key=lambda r: (to_utc(r["time_local"], r["time_zone"]), r["target"]))
    for i, r in enumerate(rows, start=1):
        r["entry_id"] = f"L{i:03d}"
    found = audit_activity(rows, auths)
    by_rule = {rule: sum(rule in v for v in found.values()) for rule in RULES}
    writer.write_csv(
        "foundations/authorisations.csv",
        auths,
        {
            "auth_ref": "Reference of the written authorisation",
            "identity": "The one research identity it covers",
            "granted_by": "Who signed it",
            "granted_local": "When it was signed (local time, zone in `zone`)",
            "valid_from_local": "Start of validity (local time, zone in `zone`)",
            "valid_to_local": "End of validity (local time, zone in `zone`)",
            "zone": "IANA zone of the three times above",
            "purpose": "What it is for, in the words of the authorisation",
            "scope": "The pages and accounts it covers ('; '-separated, as written in the log)",
            "engagement_allowed": "Interactions it allows ('; '-separated; blank: none, passive "
            "viewing and capture only)",
            "do_not_contact": "Accounts of victims, complainants and their families that no "
            "research identity may interact with ('; '-separated)",
        },
        "The unit's written authorisations for online work in the case week (under its "
        "standing orders): one for passive observation, one for limited engagement.",
    )
    writer.write_csv(
        "foundations/activity_log.csv",
        rows,
        {
            "entry_id": "Log entry, in time order",
            "time_local": "Clock time of the entry, no offset (zone in `time_zone`)",
            "time_zone": "Zone of the clock that logged it (the research machine keeps UTC)",
            "investigator": "Who",
            "identity_used": "Which identity or account was used",
            "device": "Device used",
            "network": "Connection used",
            "action": "What was done online",
            "target": "Page or account acted on",
            "target_kind": "website, page, channel or profile",
            "authorisation_ref": "Authorisation the officer cited (blank: none cited)",
            "note": "The officer's note",
        },
        "An investigator's online activity log for the case week, to audit against "
        "`authorisations.csv` and the unit's rules (module 01 exercise).",
    )
    writer.add_key("01.opsec_errors", sorted(found), kind="set")
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
        (
            "informant",
            "Registered informant 'Falcon'",
            "informant_falcon",
            rng.choice(["office", "fee"]),
            (0.8, 1.0),
        ),
        ("informant", "New walk-in informant", "walkin_1", rng.choice(["fee", "owner"]), None),
        ("complainant", f"Father of {v[0].name}", "family_1", "fee", None),
        (
            "complainant",
            f"Brother of {v[1].name}",
            "family_2",
            rng.choice(["dubai", "contact"]),
            None,
        ),
        ("social_media", "Anonymous comment under the front's ad", "anon_comment", "owner", None),
        ("media", "Newspaper report", "news", "contact", (0.5, 0.8)),
        ("partner_agency", "Liaison officer, Dubai", "liaison_ae", "dubai", (0.8, 1.0)),
        (
            "social_media",
            "Repost of the anonymous comment on a community page",
            "anon_comment",
            "owner",
            None,
        ),
        ("informant", "Informant 'Kite'", "informant_kite", "compound", (0.05, 0.3)),
        (
            "informant",
            "Informant 'Heron'",
            "informant_heron",
            rng.choice(["office", "contact"]),
            (0.25, 0.8),
        ),
    ]
    rows = []
    for n, (kind, desc, origin, topic, record) in enumerate(cast, start=1):
        if record is None:
            reports = confirmed = 0
        else:
            reports = rng.randrange(6, 30)
            confirmed = min(reports, round(reports * rng.uniform(*record)))
        rows.append(
            {
                "source_id": f"S{n:02d}",
                "source_kind": kind,
                "description": desc,
                "origin": origin,
                "reports_so_far": reports,
                "reports_confirmed": confirmed,
                "information": topics[topic],
                "_topic": topic,
            }
        )
    for r in rows:
        same = [o["source_id"] for o in rows if o is not r and o["_topic"] == r["_topic"]]
        r["corroborated_by"] = ";".join(same)
        r["contradicted"] = r["_topic"] == "compound"
        r["consistency"] = (
            "no"
            if r["contradicted"]
            else "unknown"
            if r["_topic"] == "owner"
            else "yes"
            if r["_topic"] == "register"
            else rng.choice(["yes", "partial", "no"])
        )
    by_id = {r["source_id"]: r for r in rows}
    expected = {}
    for r in rows:
        expected[r["source_id"]] = grade_source(r, by_id)
    rows = [{k: v for k, v in r.items() if k != "_topic"} for r in rows]
    writer.write_csv(
        "foundations/sources.csv",
        rows,
        {
            "source_id": "Source reference",
            "source_kind": "official_register, informant, "
            "complainant, social_media, media, partner_agency",
            "description": "Who or what the source is",
            "origin": "Where the information "
            "ultimately comes from (two rows with the same origin are NOT independent)",
            "reports_so_far": "Earlier reports from this source",
            "reports_confirmed": "How many of those were later confirmed",
            "information": "What the source reports now",
            "corroborated_by": "Other sources (source_id, ';'-separated) reporting the same thing",
            "consistency": "Fits what is already known: yes, partial, no, unknown",
            "contradicted": "True if confirmed information contradicts it",
        },
        "Sources and their reports, to be graded on the Admiralty (6x6) system by the rules "
        "in the module 01 exercise.",
        types={"reports_so_far": "int", "reports_confirmed": "int", "contradicted": "bool"},
    )
    writer.add_key(
        "01.admiralty",
        expected,
        kind="mapping",
        hint="grade the source and the information separately",
    )
    # Two rows that look like corroboration but come from one origin (a comment and its repost).
    origins: dict[str, list[str]] = {}
    for r in rows:
        origins.setdefault(r["origin"], []).append(r["source_id"])
    pair = next(ids_ for ids_ in origins.values() if len(ids_) > 1)
    writer.add_key(
        "01.same_origin_pair",
        pair,
        kind="set",
        hint="two source ids that report the same thing from the same origin",
    )


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
    independent = [
        s
        for s in str(row["corroborated_by"]).split(";")
        if s and by_id[s]["origin"] != row["origin"] and _reliability(by_id[s]) in "ABC"
    ]
    if row["contradicted"]:
        cred = 5
    elif independent:
        cred = 1
    else:
        cred = {"yes": 2, "partial": 3, "no": 4, "unknown": 6}[row["consistency"]]
    return f"{rel}{cred}"
