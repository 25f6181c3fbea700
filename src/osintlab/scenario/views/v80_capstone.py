"""View: the capstone (module 08) — the reports that reach the joint team in one week.

Each report comes from a different agency or partner, in its own format, mentioning selectors
written the way people write them. Triage rules are in the capstone exercise; the answer key is
computed with the course toolkit (osintlab.social) from the published posts, by exactly those
rules.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pandas as pd

from ...timeutil import utc_iso
from .. import identifiers as ids

SOURCES = [
    "FIA AHT Circle Lahore",
    "PTA (telecom regulator)",
    "National CERT",
    "NGO helpline",
    "Liaison officer Bangkok",
    "Bangladesh Police CID",
    "Immigration (FIA) Lahore airport",
    "Platform trust & safety team",
    "Kestrel Digital Exchange compliance",
    "Anonymous web tip",
]


#: Countries tried for numbers written without a country code (the case's countries).
REGIONS = ("PK", "BD", "AE", "TH")


def triage_class(row: dict, known: set[str]) -> str:
    """The capstone's triage rules (ground truth; trainees implement them on their own reading
    of the raw texts: ``life_at_risk`` and ``in_scope`` are never published as columns)."""
    if row["life_at_risk"]:
        return "emergency"
    if row["evidence_at_risk_days"] != "" and int(row["evidence_at_risk_days"]) <= 7:
        return "urgent"
    if not row["in_scope"]:
        return "refer"
    if row["_selectors"] & known:
        return "priority"
    return "routine"


def build(world, writer) -> None:
    from ... import social

    rng = world.rng("capstone/reports")
    writer.section(
        "capstone",
        "Module 08 (capstone): the reports that reach the joint "
        "investigation team in the week the case lands.",
    )
    posts = pd.read_csv(writer.root / "social" / "posts.csv", dtype=str, keep_default_na=False)
    table = social.selectors_table(posts)
    known = set(table.loc[table["kind"].isin(["phone", "crypto"]), "value"])
    msg = json.loads(
        (writer.root / "eevidence" / "emergency_message.json").read_text(encoding="utf-8")
    )
    msg_utc = pd.Timestamp(msg["received_utc"]).to_pydatetime()

    recruiter = world.actor_by_role("recruiter_pk")
    smuggler = world.actor_by_role("smuggler")
    facilitator = world.actor_by_role("facilitator_ae")
    bd = world.actor_by_role("recruiter_bd")
    emergency = next(v for v in world.victims if v.status == "emergency")
    fee_wallet = next(w for w in world.wallets if w.role == "fee_collection")
    stranger = ids.phone_number(rng, "PK")
    stranger2 = ids.phone_number(rng, "BD")
    front_page = next(a for a in world.accounts_of(world.front.org_id) if a.platform == "chaupal")
    style = lambda p: ids.format_phone_local(p, rng.choice(["national", "spaced", "compact"]))
    specs = [
        (
            "NGO helpline",
            "The family of " + emergency.name + " forwarded a 'help me' message "
            "with a location pin; the sender says they will be moved tomorrow.",
            True,
            "",
            True,
            [style(emergency.phone)],
        ),
        (
            "Platform trust & safety team",
            f"Page @{front_page.handle} has been reported for "
            "scam job ads and is scheduled for removal; content will then be deleted.",
            False,
            str(rng.randrange(2, 6)),
            True,
            [front_page.handle],
        ),
        (
            "PTA (telecom regulator)",
            "SIM ownership check requested for a number seen in job "
            "ads; the SIM was issued on a CNIC reported stolen.",
            False,
            "",
            True,
            [style(recruiter.phones[0])],
        ),
        (
            "National CERT",
            "Phishing campaign imitating a bank's SMS alerts; no link to recruitment seen.",
            False,
            "",
            False,
            [style(stranger)],
        ),
        (
            "Bangladesh Police CID",
            "A new complaint in Sylhet names an agent who took 3.5 lakh "
            "taka for a hotel job in Dubai.",
            False,
            "",
            True,
            [style(bd.phones[0])],
        ),
        (
            "Kestrel Digital Exchange compliance",
            "Unusual round-number USDT deposits from a wallet seen in fraud reports.",
            False,
            "",
            True,
            [fee_wallet.address],
        ),
        (
            "Immigration (FIA) Lahore airport",
            "Three young men on visit visas to Dubai said a "
            "'company' would give them work permits there.",
            False,
            "",
            True,
            [],
        ),
        (
            "Anonymous web tip",
            "A man offers 'game' to Italy for 25 lakh, pay after arrival.",
            False,
            "",
            True,
            [style(stranger2)],
        ),
        (
            "Liaison officer Bangkok",
            "Thai police report a group of South Asian men crossing "
            "towards Myawaddy last month; the organiser used a UAE number.",
            False,
            "",
            True,
            [style(facilitator.phones[0])],
        ),
        (
            "FIA AHT Circle Lahore",
            "A second victim's father reports the agent's new number.",
            False,
            "",
            True,
            [style(smuggler.phones[-1])],
        ),
        (
            "Platform trust & safety team",
            "A short-video account advertising 'dunki' will be "
            "suspended in 30 days unless the user appeals.",
            False,
            "30",
            True,
            [style(smuggler.phones[0])],
        ),
        ("Anonymous web tip", "Pirated cricket streams with betting links.", False, "", False, []),
    ]
    rng.shuffle(specs)
    rows = []
    base = world.now - timedelta(days=6)
    for i, (src, summary, life, risk_days, scope, sels) in enumerate(specs, start=1):
        received = base + timedelta(hours=rng.randrange(0, 6 * 24), minutes=rng.randrange(60))
        if life:  # the family forwards the help message a little after it arrived
            received = min(
                msg_utc + timedelta(minutes=rng.randrange(40, 180)),
                world.now - timedelta(minutes=30),
            )
        norm = set()
        for s in sels:
            norm |= {
                x.value
                for x in social.extract_selectors(s, regions=REGIONS)
                if x.kind in ("phone", "crypto")
            }
        rows.append(
            {
                "report_id": f"R{i:02d}",
                "received_utc": utc_iso(received),
                "from": src,
                "summary": summary,
                "life_at_risk": life,
                "evidence_at_risk_days": risk_days,
                "in_scope": scope,
                "selectors": "; ".join(sels),
                "_selectors": norm,
            }
        )
    rows.sort(key=lambda r: r["received_utc"])
    life = _report_texts(world, writer, rows, msg, emergency)
    for r in rows:  # the ground truth is what the senders wrote, not the clerk's summary
        r["life_at_risk"] = r["report_id"] in life
    expected = {r["report_id"]: triage_class(r, known) for r in rows}
    hidden = {"_selectors", "life_at_risk", "in_scope"}
    writer.write_csv(
        "capstone/incoming_reports.csv",
        [{k: v for k, v in r.items() if k not in hidden} for r in rows],
        {
            "report_id": "Report reference",
            "received_utc": "When it reached the joint team (UTC)",
            "from": "Agency or partner that sent it",
            "summary": "The duty clerk's one-line summary (made in a hurry: "
            "read the text in report_texts.csv)",
            "evidence_at_risk_days": "Days until online evidence is expected to "
            "disappear, as the sender first said (blank "
            "if not at risk)",
            "selectors": "Phone numbers, handles or wallets the report mentions, "
            "as written ('; '-separated)",
        },
        "Twelve reports received by the joint team in the week the case lands, "
        "oldest first. Whether a life is at risk and whether the matter is in "
        "scope is for the analyst to read in report_texts.csv.",
        types={"received_utc": "datetime_utc"},
    )
    writer.add_key(
        "08.out_of_scope",
        sorted(r["report_id"] for r in rows if not r["in_scope"]),
        kind="set",
        hint="read each text: is it about trafficking in persons or smuggling of migrants at all?",
    )
    writer.add_key(
        "08.triage",
        expected,
        kind="mapping",
        hint="apply the rules in order, on your own reading of the texts; a "
        "selector is known if it appears in the social-media posts; try the "
        "case's countries for national numbers",
    )
    # The network around the front: accounts merged with the front's Chaupal page on shared
    # selectors (module 02's rule: a selector used by one account only never merges).
    graph = social.build_graph(table)
    actors, _ = social.merge_actors(graph)
    front_page = next(
        a
        for a in world.accounts_of(world.front.org_id)
        if a.platform == "chaupal" and not a.backup_of
    )
    group = actors.get(front_page.account_id)
    writer.add_key(
        "08.front_group",
        sorted(a for a, g in actors.items() if g == group),
        kind="set",
        hint="every account merged into the same actor as the front's Chaupal page",
    )
    # Geolocation: the place nearest to the help message's location pin (module 05's file).
    from ... import images

    place, km = images.nearest_place(msg["location_pin"]["lat"], msg["location_pin"]["lon"])
    writer.add_key("08.pin_place", place, fold=True, hint="the scenario place nearest to the pin")
    writer.add_key(
        "08.pin_km",
        round(km, 1),
        kind="number",
        decimals=1,
        hint="images.nearest_place(lat, lon) returns (name, km)",
    )
    _contradictions_and_injects(world, writer, rows, posts, table)


# -- the reports as the senders wrote them: life at risk is read, not looked up ----------------


def _report_texts(world, writer, rows, msg, emergency) -> None:
    """Write ``capstone/report_texts.csv``: each report's raw text, with a danger to life now in
    three of them (the clerk's ``life_at_risk`` flag caught only one), and decoys that use the
    same words about the past or figuratively."""
    from ... import victims

    rng = world.rng("capstone/report-texts")
    first = emergency.name.split()[0]
    home = emergency.place.replace("_", " ").title()
    local = pd.Timestamp(msg["received_utc"]).tz_convert("Asia/Karachi").strftime("%d %b %H:%M")
    out, life, evidence = [], set(), {}
    for r in rows:
        src, summary, sels = r["from"], r["summary"], r["selectors"] or "none given"
        danger = []
        if src == "NGO helpline":
            subject, channel = "Help message forwarded by a family", "helpline call note"
            danger = [
                f"{first} says guards took his passport and phone and beat two boys today.",
                "He says they will be moved tomorrow to another building.",
            ]
            body = [
                f"Caller: the brother of {emergency.name}, from {home}.",
                f"He read us a WhatsApp message that reached him at {local} PKT, with a "
                "location pin.",
                *danger,
                "The family asks that nobody calls or messages the number back: the phone "
                "is borrowed.",
            ]
        elif src == "Liaison officer Bangkok":
            subject, channel = "South Asian men crossing near Mae Sot", "e-mail"
            danger = [
                "One of the men phoned his brother in Lahore yesterday: he said the group "
                "is locked in a room and beaten when they miss their targets."
            ]
            body = [
                summary.rstrip(".") + f" (organiser's number: {sels}).",
                *danger,
                "The brother has asked Thai police for help; details to follow.",
            ]
        elif src == "FIA AHT Circle Lahore":
            subject, channel = "Complaint: father of a missing recruit", "duty officer's note"
            danger = [
                f"He says his son called last night: the son is held until the family "
                f"pays another {rng.choice([2, 3, 4])} lakh, and the agent's men threatened "
                "to sell him to another company."
            ]
            body = [
                f"The father of a second victim came to the Circle this morning with the "
                f"agent's new number ({sels}).",
                *danger,
                "He asked that the family's name is not shared outside the case.",
            ]
        elif src == "Bangladesh Police CID":
            subject, channel = "New complaint, Sylhet", "e-mail"
            body = [
                summary.rstrip(".") + f" (agent's number: {sels}).",
                "The complainant's cousin went with the same agent; he was beaten in a "
                "compound last year but came back in March and is safe with his family.",
                "Both are willing to give statements.",
            ]
        elif src == "Platform trust & safety team" and "removal" in summary:
            subject, channel = "Page scheduled for removal", "e-mail"
            body = [
                summary,
                "One user commented under the ads: 'these people will kill your "
                "dreams, do not pay them'.",
                "Preservation must reach us before removal.",
            ]
        else:
            subject = " ".join(summary.split()[:6]).rstrip(",;.") + " ..."
            channel = "web form" if "web tip" in src else "e-mail"
            body = [summary, f"Selectors as written: {sels}."]
        if danger:
            life.add(r["report_id"])
            for sentence in danger:
                evidence[victims.evidence_id(r["report_id"], sentence)] = True
        text = f"Subject: {subject}\n" + " ".join(body)
        for sentence in danger:  # the planted sentences must survive the split as written
            assert victims.quote_sentence(text, sentence) == sentence, sentence
        out.append(
            {
                "report_id": r["report_id"],
                "received_utc": r["received_utc"],
                "from": src,
                "channel": channel,
                "text": text,
            }
        )
    out.sort(key=lambda x: x["received_utc"])
    writer.write_csv(
        "capstone/report_texts.csv",
        out,
        {
            "report_id": "Report reference (as in incoming_reports.csv)",
            "received_utc": "When it reached the joint team (UTC)",
            "from": "Agency or partner that sent it",
            "channel": "How it arrived",
            "text": "The report as the sender wrote it (first line: the subject)",
        },
        "The same twelve reports as the senders wrote them. The duty clerk's summaries and "
        "flags in incoming_reports.csv were made from these texts in a hurry.",
        types={"received_utc": "datetime_utc"},
    )
    writer.add_key(
        "08.life_first",
        sorted(life),
        kind="set",
        hint="read every text: a risk to someone's life or safety now, not in the "
        "past and not a figure of speech",
    )
    writer.add_key("08.life_first_evidence", evidence, kind="mapping")
    return life


# -- three planted contradictions and two injects that set the clock ----------------------------

#: The first steps a trainee can name (Task 6): the emergency always goes first.
STEPS = ("emergency_disclosure", "exchange_freeze", "preservation")


def _local(when, zone: str) -> str:
    """``when`` (UTC) as people write it locally, e.g. ``18:00 on 30 June``."""
    t = pd.Timestamp(when).tz_convert(zone)
    return f"{t:%H:%M} on {t.day} {t:%B}"


def _contradictions_and_injects(world, writer, rows, posts, table) -> None:
    """Write ``capstone/claims.csv`` (pairs of claims that cannot both be true),
    ``capstone/registry_replies.csv`` (the licensing registries' answers to the JIT) and
    ``capstone/injects.csv`` (messages that arrive after the case lands, with deadlines in the
    senders' local times). Keys: which claim holds per topic, the injects' deadlines in UTC and
    the order of the first steps."""
    rng = world.rng("capstone/contradictions")
    recruiter = world.actor_by_role("recruiter_pk")
    agency = world.partner_agency
    fee_wallet = next(w for w in world.wallets if w.role == "fee_collection")
    front_page = next(
        a
        for a in world.accounts_of(world.front.org_id)
        if a.platform == "chaupal" and not a.backup_of
    )
    now = pd.Timestamp(world.now)
    # K1: one number, two owners. PTA: the SIM's registered subscriber (a stolen CNIC); the
    # posts: the recruiter's contact number. Who *uses* it is shown by the posts.
    phone = recruiter.phones[0]
    owner_name = rng.choice(["Muhammad Aslam", "Ghulam Rasool", "Nazir Ahmed", "Bashir Khan"])
    # K2: a licence shown as valid on an old printed list, cancelled by the registry since.
    listed = (now - timedelta(days=rng.randrange(400, 700))).date()
    cancelled = (now - timedelta(days=rng.randrange(60, 300))).date()
    # K3 (with J2): the clerk's "removal in N days" against the provider's exact notice.
    tns = next(
        r
        for r in rows
        if r["from"] == "Platform trust & safety team"
        and r["evidence_at_risk_days"]
        and int(r["evidence_at_risk_days"]) <= 7
    )
    clerk_removal = pd.Timestamp(tns["received_utc"]) + timedelta(
        days=int(tns["evidence_at_risk_days"])
    )
    # Two deadlines after the case lands, at whole local hours, never equal.
    while True:
        freeze_at = (now + timedelta(hours=rng.randrange(9, 30))).floor("h")
        removal_at = (now + timedelta(hours=rng.randrange(9, 30))).floor("h")
        if (
            abs((freeze_at - removal_at).total_seconds()) >= 3 * 3600
            and abs((removal_at - clerk_removal).total_seconds()) >= 6 * 3600
        ):
            break
    claims = [
        (
            "K1",
            "PTA (telecom regulator)",
            f"The SIM {phone} is registered to {owner_name}, on a "
            "CNIC that its holder reported stolen: the subscriber of record is the user.",
        ),
        (
            "K1",
            "JIT selector index",
            f"{phone} is the recruiter's contact number: the front's "
            "job ads give it for applicants to call or message.",
        ),
        (
            "K2",
            f"Printed list of recruiting licences (as of {listed:%d %B %Y})",
            f"{agency.name}: licence {agency.claimed_licence_no}, valid.",
        ),
        (
            "K2",
            "Bangladesh Police CID (telephone call)",
            f"{agency.name} lost its licence {agency.claimed_licence_no}; it recruits without one.",
        ),
        (
            "K3",
            "Duty clerk's table (incoming_reports.csv)",
            f"Report {tns['report_id']}: the page @{front_page.handle} is at risk for "
            f"{tns['evidence_at_risk_days']} days from {tns['received_utc']}.",
        ),
        (
            "K3",
            "Platform legal team, Singapore (inject)",
            f"The page @{front_page.handle} will be removed at {_local(removal_at, 'Asia/Singapore')}"
            " Singapore time.",
        ),
    ]
    order = list(range(len(claims)))
    rng.shuffle(order)
    rows_out, ids = [], {}
    for n, i in enumerate(order, start=1):
        topic, src, text = claims[i]
        ids[i] = f"C{n:02d}"
        rows_out.append({"claim_id": f"C{n:02d}", "topic": topic, "source": src, "claim": text})
    rows_out.sort(key=lambda r: (r["topic"], r["claim_id"]))
    writer.write_csv(
        "capstone/claims.csv",
        rows_out,
        {
            "claim_id": "Claim reference",
            "topic": "What the claims are about (K1, K2, K3)",
            "source": "Who makes the claim",
            "claim": "The claim as made",
        },
        "Pairs of claims that cannot both be right. Resolve each with evidence from the case "
        "files: which one holds, and what shows it.",
    )
    for topic, i in (("k1", 1), ("k2", 3), ("k3", 5)):
        writer.add_key(
            f"08.{topic}_holds",
            ids[i],
            fold=True,
            hint=f"the claim_id of topic {topic.upper()} that the evidence supports",
        )
    # The registries' replies: the agency's licence cancelled; genuine licences valid.
    replies = [
        {
            "registry": "BMET (Bangladesh)",
            "licence_no": agency.claimed_licence_no,
            "holder": agency.name,
            "status": "cancelled",
            "status_date": cancelled.isoformat(),
        }
    ]
    for org in world.licensed_recruiters():
        replies.append(
            {
                "registry": "BMET (Bangladesh)"
                if org.country == "BD"
                else "Bureau of Emigration & Overseas Employment (Pakistan)",
                "licence_no": org.licence_no,
                "holder": org.name,
                "status": "valid",
                "status_date": (org.registered_on or listed).isoformat(),
            }
        )
    rng.shuffle(replies)
    for n, r in enumerate(replies, start=1):
        r["reply_id"] = f"L{n:02d}"
        r["answered_utc"] = utc_iso(now - timedelta(hours=rng.randrange(2, 20)))
    writer.write_csv(
        "capstone/registry_replies.csv",
        [
            {
                k: r[k]
                for k in (
                    "reply_id",
                    "registry",
                    "licence_no",
                    "holder",
                    "status",
                    "status_date",
                    "answered_utc",
                )
            }
            for r in replies
        ],
        {
            "reply_id": "Reply reference",
            "registry": "Licensing registry that answered",
            "licence_no": "Licence number asked about",
            "holder": "Holder on the registry",
            "status": "valid or cancelled, on the day of the reply",
            "status_date": "Date of issue (valid) or of cancellation (cancelled)",
            "answered_utc": "When the registry answered the JIT (UTC)",
        },
        "The licensing registries' answers to the JIT's checks this week (synthetic).",
        types={"answered_utc": "datetime_utc"},
    )
    # Injects: they arrive after the case lands; each deadline is given in the sender's zone.
    balance = rng.randrange(40, 160) * 100
    injects = [
        {
            "inject_id": "J1",
            "arrives_utc": utc_iso(now + timedelta(minutes=rng.randrange(15, 40))),
            "from": "Kestrel Digital Exchange compliance (Dubai)",
            "text": f"The wallet {fee_wallet.address} that sent the round-number USDT deposits "
            f"to us holds {balance:,} USDT in its Kestrel account. The holder has asked to "
            "withdraw everything. Under our policy we release the withdrawal at "
            f"{_local(freeze_at, 'Asia/Dubai')} Dubai time unless a law-enforcement "
            "request to hold the funds reaches us before then.",
        },
        {
            "inject_id": "J2",
            "arrives_utc": utc_iso(now + timedelta(minutes=rng.randrange(45, 90))),
            "from": "Platform legal team (Singapore)",
            "text": f"The page @{front_page.handle} will be removed at "
            f"{_local(removal_at, 'Asia/Singapore')} Singapore time after user reports. "
            "We keep its records only if a preservation request reaches us before the "
            "removal.",
        },
    ]
    writer.write_csv(
        "capstone/injects.csv",
        injects,
        {
            "inject_id": "Inject reference",
            "arrives_utc": "When it reaches the JIT (UTC)",
            "from": "Sender",
            "text": "The message (local times are the sender's)",
        },
        "Messages that reach the JIT in the first hours after the case lands.",
        types={"arrives_utc": "datetime_utc"},
    )
    writer.add_key(
        "08.inject_deadlines",
        {"J1": utc_iso(freeze_at), "J2": utc_iso(removal_at)},
        kind="mapping",
        form="time",
        hint="convert each local time with its zone: Dubai UTC+4, Singapore UTC+8",
    )
    later = ["exchange_freeze", "preservation"]
    later.sort(key=lambda s: freeze_at if s == "exchange_freeze" else removal_at)
    writer.add_key(
        "08.first_steps",
        ["emergency_disclosure", *later],
        kind="list",
        hint="life first; then the deadline that closes first",
    )
    # Self-checks: the K1 evidence exists in the posts (the recruiter's accounts publish it).
    posting = set(table.loc[(table["kind"] == "phone") & (table["value"] == phone), "account_id"])
    assert posting, "the recruiter's number must appear in the posts"
