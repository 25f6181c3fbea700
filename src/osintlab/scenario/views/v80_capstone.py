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

SOURCES = ["FIA AHT Circle Lahore", "PTA (telecom regulator)", "National CERT",
           "NGO helpline", "Liaison officer Bangkok", "Bangladesh Police CID",
           "Immigration (FIA) Lahore airport", "Platform trust & safety team",
           "Kestrel Digital Exchange compliance", "Anonymous web tip"]


#: Countries tried for numbers written without a country code (the case's countries).
REGIONS = ("PK", "BD", "AE", "TH")


def triage_class(row: dict, known: set[str]) -> str:
    """The capstone's triage rules (ground truth; trainees implement them)."""
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
    writer.section("capstone", "Module 08 (capstone): the reports that reach the joint "
                   "investigation team in the week the case lands.")
    posts = pd.read_csv(writer.root / "social" / "posts.csv", dtype=str, keep_default_na=False)
    table = social.selectors_table(posts)
    known = set(table.loc[table["kind"].isin(["phone", "crypto"]), "value"])
    msg = json.loads((writer.root / "eevidence" / "emergency_message.json").read_text(
        encoding="utf-8"))
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
        ("NGO helpline", "The family of " + emergency.name + " forwarded a 'help me' message "
         "with a location pin; the sender says they will be moved tomorrow.", True, "", True,
         [style(emergency.phone)]),
        ("Platform trust & safety team", f"Page @{front_page.handle} has been reported for "
         "scam job ads and is scheduled for removal; content will then be deleted.", False,
         str(rng.randrange(2, 6)), True, [front_page.handle]),
        ("PTA (telecom regulator)", "SIM ownership check requested for a number seen in job "
         "ads; the SIM was issued on a CNIC reported stolen.", False, "", True,
         [style(recruiter.phones[0])]),
        ("National CERT", "Phishing campaign imitating a bank's SMS alerts; no link to "
         "recruitment seen.", False, "", False, [style(stranger)]),
        ("Bangladesh Police CID", "A new complaint in Sylhet names an agent who took 3.5 lakh "
         "taka for a hotel job in Dubai.", False, "", True, [style(bd.phones[0])]),
        ("Kestrel Digital Exchange compliance", "Unusual round-number USDT deposits from a "
         "wallet seen in fraud reports.", False, "", True, [fee_wallet.address]),
        ("Immigration (FIA) Lahore airport", "Three young men on visit visas to Dubai said a "
         "'company' would give them work permits there.", False, "", True, []),
        ("Anonymous web tip", "A man offers 'game' to Italy for 25 lakh, pay after arrival.",
         False, "", True, [style(stranger2)]),
        ("Liaison officer Bangkok", "Thai police report a group of South Asian men crossing "
         "towards Myawaddy last month; the organiser used a UAE number.", False, "", True,
         [style(facilitator.phones[0])]),
        ("FIA AHT Circle Lahore", "A second victim's father reports the agent's new number.",
         False, "", True, [style(smuggler.phones[-1])]),
        ("Platform trust & safety team", "A short-video account advertising 'dunki' will be "
         "suspended in 30 days unless the user appeals.", False, "30", True,
         [style(smuggler.phones[0])]),
        ("Anonymous web tip", "Pirated cricket streams with betting links.", False, "", False,
         []),
    ]
    rng.shuffle(specs)
    rows = []
    base = world.now - timedelta(days=6)
    for i, (src, summary, life, risk_days, scope, sels) in enumerate(specs, start=1):
        received = base + timedelta(hours=rng.randrange(0, 6 * 24), minutes=rng.randrange(60))
        if life:        # the family forwards the help message a little after it arrived
            received = min(msg_utc + timedelta(minutes=rng.randrange(40, 180)),
                           world.now - timedelta(minutes=30))
        norm = set()
        for s in sels:
            norm |= {x.value for x in social.extract_selectors(s, regions=REGIONS)
                     if x.kind in ("phone", "crypto")}
        rows.append({"report_id": f"R{i:02d}", "received_utc": utc_iso(received),
                     "from": src, "summary": summary, "life_at_risk": life,
                     "evidence_at_risk_days": risk_days, "in_scope": scope,
                     "selectors": "; ".join(sels), "_selectors": norm})
    expected = {r["report_id"]: triage_class(r, known) for r in rows}
    rows.sort(key=lambda r: r["received_utc"])
    writer.write_csv("capstone/incoming_reports.csv",
                     [{k: v for k, v in r.items() if k != "_selectors"} for r in rows], {
                         "report_id": "Report reference",
                         "received_utc": "When it reached the joint team (UTC)",
                         "from": "Agency or partner that sent it",
                         "summary": "What the report says",
                         "life_at_risk": "True if the report describes a risk to someone's "
                                         "life or safety now",
                         "evidence_at_risk_days": "Days until online evidence is expected to "
                                                  "disappear (blank if not at risk)",
                         "in_scope": "False if the matter is outside trafficking/smuggling "
                                     "(to be referred)",
                         "selectors": "Phone numbers, handles or wallets the report mentions, "
                                      "as written ('; '-separated)"},
                     "Twelve reports received by the joint team in the week the case lands, "
                     "oldest first.",
                     types={"received_utc": "datetime_utc", "life_at_risk": "bool",
                            "in_scope": "bool"})
    _report_texts(world, writer, rows, msg, emergency)
    writer.add_key("08.triage", expected, kind="mapping",
                   hint="apply the rules in order; a selector is known if it appears in the "
                        "social-media posts; try the case's countries for national numbers")
    # The network around the front: accounts merged with the front's Chaupal page on shared
    # selectors (module 02's rule: a selector used by one account only never merges).
    graph = social.build_graph(table)
    actors, _ = social.merge_actors(graph)
    front_page = next(a for a in world.accounts_of(world.front.org_id)
                      if a.platform == "chaupal" and not a.backup_of)
    group = actors.get(front_page.account_id)
    writer.add_key("08.front_group", sorted(a for a, g in actors.items() if g == group),
                   kind="set", hint="every account merged into the same actor as the front's "
                                    "Chaupal page")
    # Geolocation: the place nearest to the help message's location pin (module 05's file).
    from ... import images
    place, _ = images.nearest_place(msg["location_pin"]["lat"], msg["location_pin"]["lon"])
    writer.add_key("08.pin_place", place, fold=True, hint="the scenario place nearest to the pin")


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
            danger = [f"{first} says guards took his passport and phone and beat two boys "
                      "today.", "He says they will be moved tomorrow to another building."]
            body = [f"Caller: the brother of {emergency.name}, from {home}.",
                    f"He read us a WhatsApp message that reached him at {local} PKT, with a "
                    "location pin.", *danger,
                    "The family asks that nobody calls or messages the number back: the phone "
                    "is borrowed."]
        elif src == "Liaison officer Bangkok":
            subject, channel = "South Asian men crossing near Mae Sot", "e-mail"
            danger = ["One of the men phoned his brother in Lahore yesterday: he said the group "
                      "is locked in a room and beaten when they miss their targets."]
            body = [summary.rstrip(".") + f" (organiser's number: {sels}).", *danger,
                    "The brother has asked Thai police for help; details to follow."]
        elif src == "FIA AHT Circle Lahore":
            subject, channel = "Complaint: father of a missing recruit", "duty officer's note"
            danger = [f"He says his son called last night: the son is held until the family "
                      f"pays another {rng.choice([2, 3, 4])} lakh, and the agent's men threatened "
                      "to sell him to another company."]
            body = [f"The father of a second victim came to the Circle this morning with the "
                    f"agent's new number ({sels}).", *danger,
                    "He asked that the family's name is not shared outside the case."]
        elif src == "Bangladesh Police CID":
            subject, channel = "New complaint, Sylhet", "e-mail"
            body = [summary.rstrip(".") + f" (agent's number: {sels}).",
                    "The complainant's cousin went with the same agent; he was beaten in a "
                    "compound last year but came back in March and is safe with his family.",
                    "Both are willing to give statements."]
        elif src == "Platform trust & safety team" and "removal" in summary:
            subject, channel = "Page scheduled for removal", "e-mail"
            body = [summary, "One user commented under the ads: 'these people will kill your "
                    "dreams, do not pay them'.", "Preservation must reach us before removal."]
        else:
            subject = " ".join(summary.split()[:6]).rstrip(",;.") + " ..."
            channel = "web form" if "web tip" in src else "e-mail"
            body = [summary, f"Selectors as written: {sels}."]
        if danger:
            life.add(r["report_id"])
            for sentence in danger:
                evidence[victims.evidence_id(r["report_id"], sentence)] = True
        text = f"Subject: {subject}\n" + " ".join(body)
        for sentence in danger:         # the planted sentences must survive the split as written
            assert victims.quote_sentence(text, sentence) == sentence, sentence
        out.append({"report_id": r["report_id"], "received_utc": r["received_utc"],
                    "from": src, "channel": channel, "text": text})
    out.sort(key=lambda x: x["received_utc"])
    writer.write_csv("capstone/report_texts.csv", out, {
        "report_id": "Report reference (as in incoming_reports.csv)",
        "received_utc": "When it reached the joint team (UTC)",
        "from": "Agency or partner that sent it", "channel": "How it arrived",
        "text": "The report as the sender wrote it (first line: the subject)"},
        "The same twelve reports as the senders wrote them. The duty clerk's summaries and "
        "flags in incoming_reports.csv were made from these texts in a hurry.",
        types={"received_utc": "datetime_utc"})
    writer.add_key("08.life_first", sorted(life), kind="set",
                   hint="read every text: a risk to someone's life or safety now, not in the "
                        "past and not a figure of speech")
    writer.add_key("08.life_first_evidence", evidence, kind="mapping")
