"""View: module 05 (requesting electronic evidence from service providers abroad).

Provider profiles (real, sourced and dated; plus the scenario's fictional exchange, OTC desk
and ISP), the case's request needs, requests already sent (for deadline arithmetic), provider
returns (subscriber records, an IP login log in UTC, the ISP's address assignments in local
time with a clock offset) and a colleague's draft requests with defects.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from ... import eevidence as ee
from ...eevidence.providers import fictional_providers
from ...reference.gazetteer import PLACES
from ...timeutil import utc_iso
from .. import identifiers as ids
from .. import names
from ..world import PLATFORMS

ROOT = "eevidence"
PKT = ZoneInfo("Asia/Karachi")

#: Data items a request can ask for, with their category (EU Reg. 2023/1543 Art. 3(9)-(12)).
DATA_ITEMS = [
    ("Name given when the account was registered", "subscriber"),
    ("E-mail address linked to the account", "subscriber"),
    ("Phone number linked to the account", "subscriber"),
    ("Date the account was created and the type of service", "subscriber"),
    ("Payment details on file (card, mobile wallet or bank account)", "subscriber"),
    ("Identity document submitted for KYC checks", "subscriber"),
    ("Installation address of the broadband subscriber", "subscriber"),
    (
        "IP address and source port of one stated login time, requested only to identify the user",
        "identification",
    ),
    (
        "Which subscriber held a stated public IP address and port at a stated time",
        "identification",
    ),
    ("History of all login and logout times with IP addresses over three months", "traffic"),
    (
        "List of accounts the user exchanged messages with, with dates and times (no text)",
        "traffic",
    ),
    ("Device location records", "traffic"),
    ("Deposit and withdrawal history with blockchain transaction ids", "traffic"),
    ("Numbers blocking or blocked by the user", "traffic"),
    ("Text of direct messages", "content"),
    ("Photos and videos stored in the account, including private ones", "content"),
    ("Voice notes sent in chats", "content"),
    ("Posts the user has deleted", "content"),
    ("Last-seen time and the IP address of the most recent connection", "traffic"),
]

AUTHORITY = (
    "Joint investigation team SILVER ROUTE: FIA Anti-Human Trafficking Circle, Lahore, "
    "with the NCCIA (training unit)"
)
EMAIL = "ahtc.lahore@fia-gov.example"
#: The power the request is made under (not the offence): a PECA s. 31 notice issued through the
#: NCCIA, PECA's investigation agency (legal facts pk-peca-s31, pk-nccia-who-signs).
LEGAL = (
    "Prevention of Electronic Crimes Act 2016 s. 31 (notice issued through the NCCIA, the "
    "designated PECA investigation agency)"
)
PROCESS = (
    "PECA s. 31 notice of the NCCIA, Lahore, with the court's acknowledgment (copy and "
    "English translation attached)"
)


def build(world, writer) -> None:
    writer.section(
        ROOT,
        "Module 05: requesting electronic evidence from service providers "
        "abroad — provider profiles, request needs, preservation deadlines, provider "
        "returns and draft requests.",
    )
    providers = {**ee.PROVIDERS, **{p.provider_id: p for p in fictional_providers(world)}}
    _providers(world, writer, providers)
    items = _data_items(world, writer)
    _needs(world, writer, providers, items)
    _preservations(world, writer)
    _returns(world, writer)
    _drafts(world, writer, providers)
    _emergency(world, writer)


# -- provider profiles -------------------------------------------------------------------------


def _providers(world, writer, providers):
    writer.write_json(
        f"{ROOT}/providers.json",
        {
            "checked": ee.CHECKED,
            "note": "Real providers: facts from their published law-enforcement guidelines, each "
            "with source, as-of date and status (primary = read in the provider's own "
            "text; secondary = read only in a summary, verify before relying on it). "
            "Policies change: check the current guidelines before sending a request. "
            "Kestrel Digital Exchange, Tigris OTC Desk and PunjabNet Broadband are "
            "fictional. The scenario's platforms stand for real ones: "
            + ", ".join(f"{v['name']} = {v['modelled_on']}" for v in PLATFORMS.values())
            + ".",
            "providers": [p.as_dict() for p in providers.values()],
        },
        "Provider profiles: legal entity by user location, portal, identifiers accepted, data "
        "they can and cannot produce, preservation period, emergency standard, requester "
        "authentication — every fact with source, as_of and status. Load with "
        "`osintlab.eevidence.load_providers()`.",
    )


# -- data items --------------------------------------------------------------------------------


def _data_items(world, writer):
    rng = world.rng("eevidence/items")
    order = list(range(len(DATA_ITEMS)))
    rng.shuffle(order)
    items = {}
    rows = []
    for n, i in enumerate(order, start=1):
        item_id = f"D{n:02d}"
        desc, cat = DATA_ITEMS[i]
        items[desc] = (item_id, cat)
        rows.append({"item_id": item_id, "description": desc})
    rows.sort(key=lambda r: r["item_id"])
    writer.write_csv(
        f"{ROOT}/data_items.csv",
        rows,
        {
            "item_id": "Data item reference (used in needs.csv)",
            "description": "What the investigator wants from a provider",
        },
        "Data items an investigator may ask a provider for. Each belongs to one category: "
        "subscriber, identification, traffic or content (EU Reg. 2023/1543 Art. 3).",
    )
    writer.add_key(
        "05.categories",
        {iid: cat for iid, cat in items.values()},
        kind="mapping",
        hint="identity/billing = subscriber; one IP+port+time only to identify = "
        "identification; who/when/where = traffic; the substance = content",
    )
    return items


# -- needs -------------------------------------------------------------------------------------


def _needs(world, writer, providers, items):
    rng = world.rng("eevidence/needs")
    acc = lambda owner, platform, role=None: next(  # noqa: E731
        a
        for a in world.accounts
        if a.owner == owner and a.platform == platform and (role is None or a.role == role)
    )
    rec, bd = world.actor_by_role("recruiter_pk"), world.actor_by_role("recruiter_bd")
    smug, vendor = world.actor_by_role("smuggler"), world.actor_by_role("document_vendor")
    fac = world.actor_by_role("facilitator_ae")
    front = world.front
    emergency = next(e for e in world.events if e.kind == "help_message")
    victim = next(v for v in world.victims if v.victim_id == emergency.victims[0])
    borrowed = _borrowed_phone(world)
    w = {x.role: x for x in world.wallets}
    exch_dep = next(x for x in world.wallets if x.role == "exchange_deposit" and x.chain == "tron")
    otc = w["otc"]
    I = lambda *descs: ";".join(items[d][0] for d in descs)  # noqa: E731, E741
    S = [d for d, c in DATA_ITEMS]
    page = acc(front.org_id, "chaupal", "recruitment ads")
    page_preserved = rng.random() < 0.5
    rec_tt = acc(rec.actor_id, "jhalak", "short recruitment videos")
    smug_tt = acc(smug.actor_id, "jhalak", "smuggling adverts")
    backups = [a for a in world.accounts if a.backup_of == smug_tt.account_id]
    smug_backup = backups[-1]
    vendor_ch = acc(vendor.actor_id, "paigham")
    bd_acc = acc(bd.actor_id, "paigham")
    fac_acc = acc(fac.actor_id, "chaupal")
    rec_profile = acc(rec.actor_id, "chaupal")
    needs = [
        (
            "the front's recruitment page",
            "chaupal",
            "user_id",
            page.account_id,
            "PK",
            I(S[0], S[1], S[2], S[9]),
            "Posts the fraudulent job ads; was taken down once and replaced by a back-up page",
            False,
            True,
            page_preserved,
        ),
        (
            "recruiter's short-video account",
            "jhalak",
            "username",
            rec_tt.handle,
            "PK",
            I(S[0], S[2], S[3], S[7]),
            "Recruitment videos; links the recruiter's phone to the front",
            False,
            False,
            False,
        ),
        (
            "smuggler's main short-video account",
            "jhalak",
            "username",
            smug_tt.handle,
            "PK",
            I(S[0], S[1], S[9]),
            "'Dunki' adverts; renamed repeatedly, back-up accounts appear and vanish within weeks",
            False,
            True,
            False,
        ),
        (
            "smuggler's back-up account, run from Italy by an associate",
            "jhalak",
            "username",
            smug_backup.handle,
            "IT",
            I(S[0], S[2], S[3]),
            "Testimonial videos of crossings; operated from Italy according to a witness",
            False,
            False,
            False,
        ),
        (
            "recruiter's WhatsApp number",
            "whatsapp",
            "phone",
            rec.phones[0],
            "PK",
            I(S[0], S[3], S[13]),
            "Number printed in every ad; recruits were told to message it",
            False,
            False,
            False,
        ),
        (
            "recruiter's messages with recruits",
            "chaupal",
            "user_id",
            rec_profile.account_id,
            "PK",
            I(S[14], S[15]),
            "Victims say the 'processing fee' was agreed in messages on "
            "this profile (Messenger personal chats may be end-to-end encrypted: the text may not "
            "exist at the provider)",
            False,
            False,
            False,
        ),
        (
            "document vendor's channel",
            "paigham",
            "username",
            vendor_ch.handle,
            "PK",
            I(S[2], S[7]),
            "Sells forged visas for bitcoin",
            False,
            False,
            False,
        ),
        (
            "partner recruiter in Bangladesh",
            "paigham",
            "username",
            bd_acc.handle,
            "BD",
            I(S[2], S[7]),
            "Recruits in Dhaka and Sylhet for the same front",
            False,
            False,
            False,
        ),
        (
            "Dubai facilitator's profile",
            "chaupal",
            "user_id",
            fac_acc.account_id,
            "AE",
            I(S[0], S[1], S[9]),
            "Meets recruits at Dubai airport",
            False,
            False,
            False,
        ),
        (
            "exchange deposit address receiving the consolidated fees",
            "kestrel",
            "wallet",
            exch_dep.address,
            "AE",
            I(S[5], S[4], S[12]),
            "Last hop of the victims' USDT before cash-out",
            False,
            False,
            False,
        ),
        (
            "OTC broker's wallet",
            "tigris",
            "wallet",
            otc.address,
            "AE",
            I(S[0], S[2]),
            "Bought USDT from the ringleader's consolidation wallet",
            False,
            False,
            False,
        ),
        (
            "home broadband connection used by the recruiter's account",
            "punjabnet",
            "ip_port_time",
            "see returns/ip_logs.csv",
            "PK",
            I(S[8], S[6]),
            "The short-video platform's IP log points to this ISP's CGNAT addresses",
            False,
            False,
            False,
        ),
        (
            f"phone that sent {victim.name.split()[0]}'s 'help me' message",
            "whatsapp",
            "phone",
            borrowed,
            "MM",
            I(S[0], S[3], S[18]),
            f"{victim.name} reports being beaten and "
            "moved tomorrow; a location pin was sent from this borrowed phone",
            True,
            False,
            False,
        ),
    ]
    rng.shuffle(needs)
    rows, addressees, channels, sequences, deciding = [], {}, {}, {}, {}
    for n, (
        what,
        service,
        kind,
        ident,
        cc,
        data_items,
        why,
        life,
        deletion,
        preserved,
    ) in enumerate(needs, start=1):
        nid = f"N{n:02d}"
        prov = providers[ee.PLATFORM_PROVIDER.get(service, service)]
        cats = sorted({cat for iid, cat in items.values() if iid in data_items.split(";")})
        addressees[nid] = prov.addressee(cc)
        channels[nid] = ee.choose_channel(
            cats,
            prov.provider_id,
            risk_to_life=life,
            deletion_risk=deletion,
            already_preserved=preserved,
            providers=providers,
        )
        plan = ee.plan_requests(
            cats,
            prov.provider_id,
            risk_to_life=life,
            deletion_risk=deletion,
            already_preserved=preserved,
            providers=providers,
        )
        sequences[nid] = [step.channel for step in plan]
        deciding[nid] = first_step_fact(plan[0].channel, deletion, cats, prov)
        rows.append(
            {
                "need_id": nid,
                "what": what,
                "service": service,
                "identifier_kind": kind,
                "identifier": ident,
                "user_country": cc,
                "data_items": data_items,
                "why_it_matters": why,
                "risk_to_life": life,
                "deletion_risk": deletion,
                "already_preserved": preserved,
            }
        )
    writer.write_csv(
        f"{ROOT}/needs.csv",
        rows,
        {
            "need_id": "Need reference",
            "what": "The account, number, wallet or connection",
            "service": "Where it lives: a scenario platform (chaupal, jhalak, paigham), whatsapp, "
            "or a provider id (kestrel, tigris, punjabnet)",
            "identifier_kind": "Form of the identifier (user_id, username, phone, wallet, "
            "ip_port_time)",
            "identifier": "The identifier itself",
            "user_country": "Where the user is believed to "
            "be (ISO 3166 alpha-2); decides the provider's legal entity",
            "data_items": "Data wanted: item_ids of data_items.csv, ';'-separated",
            "why_it_matters": "Why the data matters to the case",
            "risk_to_life": "A life is at imminent risk",
            "deletion_risk": "The data may soon disappear (renamed/deleted accounts)",
            "already_preserved": "A preservation request has already been confirmed",
        },
        "What the case needs from providers, and why. Which provider, which legal entity and "
        "which channel is for you to work out.",
        types={"risk_to_life": "bool", "deletion_risk": "bool", "already_preserved": "bool"},
    )
    writer.add_key(
        "05.addressees",
        addressees,
        kind="mapping",
        fold=True,
        hint="entity by the user's location; the scenario platforms stand for real providers",
    )
    writer.add_key(
        "05.channels",
        channels,
        kind="mapping",
        hint="apply the routing rules in order: life, domestic, deletion, content/"
        "no direct channel, otherwise voluntary",
    )
    writer.add_key(
        "05.sequences",
        sequences,
        kind="mapping",
        hint="the whole plan per need, in order: emergency first where a life is "
        "at risk, preservation before anything slow, voluntary for non-content, "
        "MLA for content or a provider without a direct channel",
    )
    writer.add_key(
        "05.deciding_fact",
        deciding,
        kind="mapping",
        hint="the fact of the need that puts its first step first: " + ", ".join(FIRST_STEP_FACTS),
    )


#: Why a plan's first step comes first (Module 05, Task 3): the fact of the need that decides it.
FIRST_STEP_FACTS = (
    "risk_to_life",
    "provider_in_own_country",
    "deletion_risk",
    "mla_takes_months",
    "non_content_direct",
    "no_direct_channel",
)


def first_step_fact(channel: str, deletion_risk: bool, categories, prov) -> str:
    """The fact that decides a plan's first channel (the rules of ``ee.plan_requests``)."""
    if channel == "emergency":
        return "risk_to_life"
    if channel == "domestic":
        return "provider_in_own_country"
    if channel == "preservation":
        return "deletion_risk" if deletion_risk else "mla_takes_months"
    if channel == "voluntary":
        return "non_content_direct"
    if channel == "mla":
        return (
            "mla_takes_months"
            if "content" in categories and prov.direct_requests.value
            else "no_direct_channel"
        )
    raise ValueError(f"no deciding fact for a plan that starts with {channel!r}")


def _borrowed_phone(world) -> str:
    return ids.phone_number(world.rng("eevidence/borrowed"), "MM")


# -- preservations already sent -----------------------------------------------------------------


def _preservations(world, writer):
    rng = world.rng("eevidence/preservations")
    # Who asked decides the rule: a direct request from Pakistan or Bangladesh runs under the
    # provider's voluntary policy; § 2703(f) only when US authorities asked on the unit's behalf;
    # a PECA s. 31 notice only for a provider in Pakistan (legal facts us-2703f-foreign,
    # pk-peca-s31).
    plan = [
        ("AHTC Lahore", "Asia/Karachi", "meta", "meta_policy", False),
        ("AHTC Lahore", "+05:00", "tiktok", "tiktok_policy", True),
        (
            "FBI Legal Attaché, Islamabad (US request for AHTC)",
            "Asia/Karachi",
            "google",
            "us_2703f",
            True,
        ),
        ("CID Dhaka (partner)", "Asia/Dhaka", "meta", "meta_policy", False),
        ("NCCIA Lahore (for the JIT)", "Asia/Karachi", "punjabnet", "pk_peca_s31", False),
        ("AHTC Lahore", "Asia/Karachi", "tiktok", "tiktok_policy", False),
    ]
    rng.shuffle(plan)
    rows, expiry, reminders, expired = [], {}, {}, []
    for n, (office, zone, prov, regime, extended) in enumerate(plan, start=1):
        reg = ee.REGIMES[regime]
        total = reg.days + (reg.extension_days or 0 if extended else 0)
        if n == 1:  # one has lapsed already
            days_ago = total + rng.randrange(3, 25)
        elif n == 2:  # one runs out within days
            days_ago = total - rng.randrange(3, 12)
        else:
            days_ago = rng.randrange(20, total - 15)
        # Many confirmations arrive around midnight local time: the UTC date then differs.
        local_day = (world.now - timedelta(days=days_ago)).date()
        hour = rng.choice([0, 1, 2, 3, 23, 10, 15])
        local = datetime(
            local_day.year,
            local_day.month,
            local_day.day,
            hour,
            rng.randrange(60),
            tzinfo=ee.attribution.resolve_zone(zone),
        )
        d = ee.preservation_deadline(regime, local, extended=extended)
        pid = f"P{n:02d}"
        rows.append(
            {
                "preservation_id": pid,
                "office": office,
                "provider": prov,
                "regime": regime,
                "confirmed_local": local.strftime("%Y-%m-%d %H:%M"),
                "zone": zone,
                "extended": extended,
            }
        )
        expiry[pid] = d.applies_until.date().isoformat()
        reminders[pid] = d.reminders[0][1].date().isoformat()
        if d.applies_until <= world.now:
            expired.append(pid)
    writer.write_csv(
        f"{ROOT}/preservations.csv",
        rows,
        {
            "preservation_id": "Reference",
            "office": "Office that sent it",
            "provider": "Provider id (see providers.json)",
            "regime": "Rule that sets the period: a key of osintlab.eevidence.REGIMES (who asked "
            "decides it: a provider's voluntary policy for a direct request from "
            "Pakistan or Bangladesh; 18 U.S.C. § 2703(f) only when US authorities asked)",
            "confirmed_local": "When the provider confirmed the preservation, in the office's "
            "local time (no offset written)",
            "zone": "The office's time zone (IANA name or UTC offset)",
            "extended": "True if an extension was granted",
        },
        "Preservation requests already confirmed by providers. Periods run from the "
        "confirmation moment and are counted in whole days in UTC.",
        types={"extended": "bool"},
    )
    writer.add_key(
        "05.expiry",
        expiry,
        kind="mapping",
        form="date",
        hint="UTC date the period that applies ends (with the extension where granted)",
    )
    writer.add_key(
        "05.reminders", reminders, kind="mapping", form="date", hint="UTC date 14 days before"
    )
    writer.add_key(
        "05.expired",
        expired,
        kind="set",
        hint="compare with the moment the case lands on your desk (briefing)",
    )


# -- provider returns: subscriber records, IP log, ISP assignments -----------------------------

BLOCK = 2048


def _adjacent_sessions(rng, ips, blocks, timelines, used, day0, span_end):
    """Two consecutive, unused ISP sessions on one address and port block, early enough."""
    while True:
        ip, b = rng.choice(ips), rng.choice(blocks)
        line = timelines[(ip, b)]
        i = rng.randrange(1, len(line) - 1)
        a_s, b_s = line[i - 1], line[i]
        if (
            id(a_s) not in used
            and id(b_s) not in used
            and day0 <= b_s[0] <= span_end - timedelta(hours=6)
        ):
            return ip, b, a_s, b_s


def _returns(world, writer):
    rng = world.rng("eevidence/returns")
    rec = world.actor_by_role("recruiter_pk")
    rec_tt = next(
        a
        for a in world.accounts
        if a.owner == rec.actor_id
        and a.platform == "jhalak"
        and a.role == "short recruitment videos"
    )
    isp = next(o for o in world.organisations if o.kind == "isp")
    # Subscribers of the fictional ISP (the recruiter, an innocent family, many others).
    specs = [("PK", rng.choice("mf")) for _ in range(120)]
    people = names.unique_names(rng, specs)
    people = [p for p in people if p != rec.name][:110]
    sub_ids = sorted({f"PN-{rng.randrange(100000, 999999)}" for _ in range(200)})[:112]
    rng.shuffle(sub_ids)
    rec_sub, decoy_sub = sub_ids[0], sub_ids[1]
    home = PLACES[rec.place].name
    subs = [
        {
            "subscriber_id": rec_sub,
            "name": rec.name,
            "address": f"House {rng.randrange(2, 300)}, Street {rng.randrange(1, 40)}, "
            f"{rng.choice(names.STREETS_PK)}, {home}",
        }
    ]
    for sid, person in zip(sub_ids[1:], people):
        subs.append(
            {
                "subscriber_id": sid,
                "name": person,
                "address": f"House {rng.randrange(2, 300)}, Street {rng.randrange(1, 40)}, "
                f"{rng.choice(names.STREETS_PK)}, "
                f"{rng.choice(['Lahore', 'Gujranwala', 'Lahore Cantt'])}",
            }
        )
    others = [s["subscriber_id"] for s in subs[2:]]

    # Period: a few days in the recruitment phase.
    day0 = datetime.combine(
        world.start + timedelta(days=rng.randrange(20, 50)), datetime.min.time(), UTC
    )
    span_start, span_end = day0 - timedelta(hours=12), day0 + timedelta(days=4)
    ips = [ids.ip_v4(rng, 2) for _ in range(3)]
    ips = sorted(set(ips)) if len(set(ips)) == 3 else [f"203.0.113.{n}" for n in (17, 18, 19)]
    blocks = [(1024 + i * BLOCK, 1024 + (i + 1) * BLOCK - 1) for i in range(8)]
    offset_s = rng.randrange(25, 95)
    tolerance_s = 2
    # Contiguous sessions per (ip, block): true UTC times, small gaps.
    timelines = {}
    for ip in ips:
        for b in blocks:
            t = span_start - timedelta(minutes=rng.randrange(0, 180))
            line = []
            while t < span_end:
                dur = timedelta(minutes=rng.randrange(50, 240))
                line.append([t, t + dur, rng.choice(others)])
                t = t + dur + timedelta(seconds=rng.randrange(3, 90))
            timelines[(ip, b)] = line

    def covering(ip, b, t, margin=timedelta(minutes=5)):
        for s in timelines[(ip, b)]:
            if s[0] + margin <= t <= s[1] - margin:
                return s
        return None

    logs = []  # (true utc, ip, port or None, event, note, expected)
    used = set()

    def pick(t_from, t_to):
        while True:
            ip, b = rng.choice(ips), rng.choice(blocks)
            t = t_from + timedelta(seconds=rng.randrange(int((t_to - t_from).total_seconds())))
            s = covering(ip, b, t)
            if s and id(s) not in used:
                return ip, b, t.replace(microsecond=0), s

    day = lambda k: (day0 + timedelta(days=k, hours=3), day0 + timedelta(days=k, hours=17))  # noqa: E731
    # 1) plain identified logins (recruiter's sessions, port given)
    for k in range(3):
        ip, b, t, s = pick(*day(k))
        s[2] = rec_sub
        used.add(id(s))
        logs.append((t, ip, rng.randrange(b[0], b[1] + 1), "login", "", rec_sub))
    # 2) the job-ad upload: identified; read as UTC, the ISP records point to a decoy household
    while True:
        ip, b, t, s = pick(*day(1))
        d = covering(ip, b, t - timedelta(hours=5), margin=timedelta(minutes=10))
        if d is not None and d is not s and id(d) not in used:
            break
    s[2], d[2] = rec_sub, decoy_sub
    used.update({id(s), id(d)})
    upload_port = rng.randrange(b[0], b[1] + 1)
    logs.append((t, ip, upload_port, "upload", "video of the 'Dubai data entry' job ad", rec_sub))
    # 3) a login without a source port: every subscriber on that address shares it
    ip, b, t, s = pick(*day(2))
    s[2] = rec_sub
    used.add(id(s))
    logs.append((t, ip, None, "login", "", "ambiguous_no_port"))
    # 4) clock trap: the recruiter's session starts seconds after an innocent one ends
    ip, b, a_s, b_s = _adjacent_sessions(rng, ips, blocks, timelines, used, day0, span_end)
    b_s[0] = a_s[1] + timedelta(seconds=3)
    b_s[2] = rec_sub
    used.update({id(a_s), id(b_s)})
    t = a_s[1] + timedelta(seconds=10)
    logs.append((t, ip, rng.randrange(b[0], b[1] + 1), "login", "", rec_sub))
    clock_trap = (a_s[2], rec_sub)
    # 5) on a boundary: within the clock's residual uncertainty of two sessions
    ip, b, a_s, b_s = _adjacent_sessions(rng, ips, blocks, timelines, used, day0, span_end)
    b_s[0] = a_s[1] + timedelta(seconds=2)
    a_s[2] = rec_sub
    used.update({id(a_s), id(b_s)})
    logs.append(
        (
            a_s[1] + timedelta(seconds=1),
            ip,
            rng.randrange(b[0], b[1] + 1),
            "login",
            "",
            "ambiguous_clock",
        )
    )
    # 6) logins from abroad (Dubai hotel Wi-Fi) and a mobile network: not this ISP
    for _ in range(2):
        t = day(rng.randrange(4))[0] + timedelta(minutes=rng.randrange(600))
        logs.append(
            (
                t.replace(microsecond=0),
                ids.ip_v4(rng, 1),
                rng.randrange(1024, 65535),
                "login",
                "",
                "no_match",
            )
        )
    logs.sort(key=lambda x: x[0])

    log_rows = []
    for n, (t, ip, port, event, note, _) in enumerate(logs, start=1):
        log_rows.append(
            {
                "log_id": f"L{n:02d}",
                "provider": "tiktok",
                "account": rec_tt.handle,
                "event": event,
                "timestamp_utc": utc_iso(t),
                "ip": ip,
                "source_port": "" if port is None else port,
                "note": note,
            }
        )
    writer.write_csv(
        f"{ROOT}/returns/ip_logs.csv",
        log_rows,
        {
            "log_id": "Log entry",
            "provider": "Provider that returned the log",
            "account": "Account the log is about (the platform stands for TikTok)",
            "event": "login or upload",
            "timestamp_utc": "When, in UTC (ISO 8601, Z)",
            "ip": "Public IP address seen by the provider",
            "source_port": "Source port seen by the provider (empty where it was not logged)",
            "note": "What the event was, where the provider said",
        },
        "IP log returned by the short-video provider for the recruiter's account. Times are "
        "UTC, as providers report them.",
        types={"timestamp_utc": "datetime_utc"},
    )

    shift = timedelta(seconds=offset_s)
    isp_rows = []
    for (ip, b), line in sorted(timelines.items()):
        for s in line:
            isp_rows.append((s[0], ip, b, s))
    isp_rows.sort(key=lambda r: (r[0], r[1], r[2]))
    out = []
    for n, (_, ip, b, s) in enumerate(isp_rows, start=1):
        out.append(
            {
                "record_id": f"R{n:05d}",
                "subscriber_id": s[2],
                "public_ip": ip,
                "port_start": b[0],
                "port_end": b[1],
                "session_start": (s[0] + shift).astimezone(PKT).strftime("%Y-%m-%d %H:%M:%S"),
                "session_end": (s[1] + shift).astimezone(PKT).strftime("%Y-%m-%d %H:%M:%S"),
            }
        )
    writer.write_csv(
        f"{ROOT}/returns/isp_assignments.csv",
        out,
        {
            "record_id": "Record reference",
            "subscriber_id": "PunjabNet subscriber (see isp_subscribers.csv)",
            "public_ip": "Shared public (CGNAT) address",
            "port_start": "First port of the block assigned to the subscriber",
            "port_end": "Last port of the block",
            "session_start": "Start of the assignment: Pakistan local wall time as the ISP's "
            "logging server wrote it (no offset; see the cover letter)",
            "session_end": "End of the assignment, same clock",
        },
        f"{isp.name} (fictional ISP) address-assignment records for its CGNAT addresses over "
        "the period of the IP log. Local time, on a server clock that ran fast.",
        types={"port_start": "int", "port_end": "int"},
    )
    writer.write_csv(
        f"{ROOT}/returns/isp_subscribers.csv",
        subs,
        {
            "subscriber_id": "Subscriber reference",
            "name": "Subscriber name (invented)",
            "address": "Installation address (invented)",
        },
        f"{isp.name} subscribers named in the assignment records.",
    )
    letter = {
        "from": f"{isp.name} LEA desk ({isp.emails[0]})",
        "time_zone": "Asia/Karachi",
        "time_zone_note": "All times are Pakistan Standard Time (UTC+05:00) as written by our "
        "logging server, without an offset.",
        "clock_offset_seconds": offset_s,
        "clock_offset_note": f"An NTP audit found the logging server clock {offset_s} seconds "
        "AHEAD of true time throughout the period. Subtract it.",
        "residual_uncertainty_seconds": tolerance_s,
        "nat_note": "Addresses are shared by carrier-grade NAT: a subscriber can only be "
        "identified from address + source port + time.",
    }
    writer.write_json(
        f"{ROOT}/returns/isp_cover_letter.json",
        letter,
        "The ISP's cover letter: time zone, clock offset and residual "
        "uncertainty of its records, and its NAT caveat.",
    )
    # Subscriber record returned by the short-video provider.
    email = f"{ids.slug(rec.name).replace('-', '.')}{rng.randrange(10, 99)}@mailbox.example"
    last = max(logs, key=lambda x: x[0])
    writer.write_csv(
        f"{ROOT}/returns/subscriber_records.csv",
        [
            {
                "provider": "tiktok",
                "account": rec_tt.handle,
                "user_id": rec_tt.account_id,
                "name_registered": rec.alias + " " + world.front.name.split()[0],
                "email": email,
                "phone": rec.phones[0],
                "device_model": "Android phone",
                "created_utc": utc_iso(
                    datetime.combine(rec_tt.created, datetime.min.time(), UTC)
                    + timedelta(hours=14, minutes=7)
                ),
                "creation_ip": logs[0][1],
                "last_seen_utc": "",
                "last_ip": "",
            },
            {
                "provider": "whatsapp",
                "account": rec.phones[0],
                "user_id": "",
                "name_registered": rec.alias,
                "email": email,
                "phone": rec.phones[0],
                "device_model": "",
                "created_utc": utc_iso(
                    datetime.combine(
                        world.start - timedelta(days=rng.randrange(200, 900)),
                        datetime.min.time(),
                        UTC,
                    )
                    + timedelta(hours=rng.randrange(24))
                ),
                "creation_ip": "",
                "last_seen_utc": utc_iso(last[0] + timedelta(minutes=7)),
                "last_ip": last[1],
            },
        ],
        {
            "provider": "Provider",
            "account": "Username or phone number the request named",
            "user_id": "Numeric user id (where the provider has one)",
            "name_registered": "Name the user gave",
            "email": "E-mail on the account",
            "phone": "Phone on the account",
            "device_model": "Device model (if returned)",
            "created_utc": "Account creation / service start (UTC)",
            "creation_ip": "IP address at creation (if returned)",
            "last_seen_utc": "Last seen (UTC, if returned)",
            "last_ip": "IP address last seen (if returned)",
        },
        "Subscriber records returned for the recruiter's short-video account and WhatsApp "
        "number (each provider returns only the fields it publishes).",
        types={"created_utc": "datetime_utc"},
    )

    # Keys, computed with the toolkit and checked against the design.
    import pandas as pd

    log_df = pd.DataFrame(log_rows)
    isp_df = pd.DataFrame(out)
    res = ee.correlate(
        log_df, isp_df, isp_tz="Asia/Karachi", isp_clock_offset_s=offset_s, tolerance_s=tolerance_s
    )
    got = {
        r.log_id: (r.subscriber_id if r.status == "identified" else r.status)
        for r in res.itertuples()
    }
    want = {f"L{n:02d}": exp for n, (*_, exp) in enumerate(logs, start=1)}
    if got != want:
        raise AssertionError(
            f"eevidence view: correlation does not match the design: {got} != {want}"
        )
    upload_id = next(r["log_id"] for r in log_rows if r["event"] == "upload")
    naive = ee.correlate(log_df, isp_df, isp_tz="UTC")
    wrong = naive.set_index("log_id").loc[upload_id]
    if wrong["subscriber_id"] != decoy_sub:
        raise AssertionError("eevidence view: the UTC misreading does not give the decoy")
    writer.add_key(
        "05.isp_utc",
        {
            r["record_id"]: utc_iso(
                datetime.strptime(r["session_start"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=PKT)
                - shift
            )
            for r in out[:8]
        },
        kind="mapping",
        form="time",
        hint="local PKT -> UTC, then subtract the clock offset",
    )
    writer.add_key(
        "05.attribution",
        want,
        kind="mapping",
        hint="use the cover letter's zone, clock offset and residual uncertainty",
    )
    writer.add_key("05.suspect", rec_sub, hint="the subscriber the identified entries agree on")
    writer.add_key(
        "05.wrong_house", decoy_sub, hint="read the ISP's local times as if they were UTC"
    )
    writer.add_key(
        "05.clock_trap", clock_trap[0], hint="ignore the clock offset but keep the right zone"
    )


# -- a colleague's drafts ----------------------------------------------------------------------


def _base(world, kind, provider, addressee, cc, idents, data, start, end):
    return ee.Request(
        kind=kind,
        provider=provider,
        addressee=addressee,
        user_country=cc,
        authority=AUTHORITY,
        officer="Sub-Inspector (training) A. Rauf, badge 4471",
        contact_email=EMAIL,
        contact_phone="+92 300 5550100",
        timezone="Asia/Karachi",
        case_ref=world.case_ref,
        offence="Trafficking in persons and fraudulent overseas recruitment",
        facts=(
            f"{world.front.name} advertises jobs in Dubai and Bangkok, takes 'processing "
            "fees' and sends recruits on visit visas to a scam compound at the Thai-Myanmar "
            "border, where their passports and phones are taken."
        ),
        identifiers=idents,
        data=data,
        date_from=start,
        date_to=end,
        link_to_offence="The account advertised the fraudulent jobs and recruits contacted "
        "the recruiter through it.",
        necessity="The account holder's identity is unknown; this data is the only lead to "
        "the person who collected the fees.",
        legal_basis=LEGAL,
        formal_request_will_follow=(kind == "preservation"),
        legal_process=PROCESS,
        non_disclosure=True,
        contact_24_7="Duty officer, JIT SILVER ROUTE: +92 300 5550199 (24/7)",
        data_items=[
            "Name, e-mail address and phone number registered on the account",
            "Account creation date and the IP address used at creation",
        ]
        + (["Login IP addresses with source ports and UTC timestamps"] if "traffic" in data else [])
        + (
            ["Stored posts and messages of the account (to be preserved only)"]
            if "content" in data
            else []
        ),
        emergency_justification=(
            ""
            if kind != "emergency"
            else "A recruited victim reports being beaten and held; he will be "
            "moved tomorrow and his life is in danger."
        ),
    )


def _drafts(world, writer, providers):
    rng = world.rng("eevidence/drafts")
    rec, smug = world.actor_by_role("recruiter_pk"), world.actor_by_role("smuggler")
    smug_tt = next(
        a
        for a in world.accounts
        if a.owner == smug.actor_id and a.platform == "jhalak" and a.role == "smuggling adverts"
    )
    rec_fb = next(a for a in world.accounts if a.owner == rec.actor_id and a.platform == "chaupal")
    t0 = datetime.combine(world.start, datetime.min.time())
    iso = lambda dt, off="+05:00": dt.strftime("%Y-%m-%dT%H:%M:%S") + off  # noqa: E731
    start, end = t0 - timedelta(days=30), t0 + timedelta(days=90)
    drafts = {}
    d = _base(
        world,
        "preservation",
        "tiktok",
        "TikTok Inc.",
        "PK",
        [("username", smug_tt.handle)],
        ["subscriber", "traffic", "content"],
        start.strftime("%Y-%m-%d %H:%M"),
        end.strftime("%Y-%m-%d %H:%M"),
    )
    d.formal_request_will_follow = False
    drafts["preservation of the smuggler's account"] = d
    d = _base(
        world,
        "voluntary",
        "meta",
        "Meta Platforms, Inc.",
        "PK",
        [("display_name", rec_fb.display_name)],
        ["subscriber", "content"],
        iso(start),
        iso(end),
    )
    d.contact_email = f"rauf.aht{rng.randrange(10, 99)}@mailbox.example"
    drafts["disclosure from the recruiter's profile"] = d
    d = _base(
        world,
        "emergency",
        "whatsapp",
        "WhatsApp LLC",
        "MM",
        [("phone", ids.format_phone_local(_borrowed_phone(world), "spaced").replace("+95 ", "0"))],
        ["subscriber", "traffic"],
        iso(world.now - timedelta(days=2), "Z"),
        iso(world.now, "Z"),
    )
    d.emergency_justification = "Urgent, please reply today."
    d.non_disclosure = False
    d.timezone = "BST" if rng.random() < 0.5 else "IST"
    drafts["emergency request for the help message"] = d
    d = _base(
        world,
        "voluntary",
        "tiktok",
        "TikTok Pte. Ltd.",
        "PK",
        [("username", smug_tt.handle)],
        ["subscriber", "traffic"],
        iso(end),
        iso(start),
    )
    d.link_to_offence = ""
    d.necessity = "Needed."
    d.legal_basis = "Prevention of Smuggling of Migrants Act, 2018"  # the offence, not a power
    d.legal_process = ""
    drafts["disclosure from the smuggler's account"] = d
    d = _base(
        world,
        "preservation",
        "meta",
        "Meta Platforms, Inc.",
        "PK",
        [("user_id", rec_fb.account_id)],
        ["subscriber", "traffic", "content"],
        iso(start),
        iso(end),
    )
    if rng.random() < 0.5:
        d.legal_basis = ""
    drafts["preservation of the recruiter's profile"] = d
    items = list(drafts.items())
    rng.shuffle(items)
    key, index = {}, []
    for n, (title, req) in enumerate(items, start=1):
        did = f"DR{n}"
        req.request_id = did
        writer.write_json(
            f"{ROOT}/drafts/{did}.json", req.as_dict(), f"A colleague's draft: {title}."
        )
        key[did] = req.defect_codes(providers, now=world.now)
        index.append({"draft_id": did, "title": title, "kind": req.kind, "provider": req.provider})
    writer.write_csv(
        f"{ROOT}/drafts/index.csv",
        index,
        {
            "draft_id": "Draft reference (file drafts/<draft_id>.json)",
            "title": "What it is for",
            "kind": "Request kind",
            "provider": "Provider id",
        },
        "Draft requests a colleague left for review. Some are fine; most are not.",
    )
    writer.add_key(
        "05.draft_defects",
        key,
        kind="mapping",
        unordered=True,
        hint="a list of defect codes per draft (an empty list if none)",
    )


# -- the emergency -------------------------------------------------------------------------------


def _emergency(world, writer):
    ev = next(e for e in world.events if e.kind == "help_message")
    victim = next(v for v in world.victims if v.victim_id == ev.victims[0])
    rng = world.rng("eevidence/emergency")
    writer.write_json(
        f"{ROOT}/emergency_message.json",
        {
            "received_utc": utc_iso(ev.utc),
            "received_by": f"{victim.name.split()[0]}'s brother, in {PLACES[victim.place].name}",
            "from_number": _borrowed_phone(world),
            "service": "whatsapp",
            "victim": victim.name,
            "victim_age": victim.age,
            "text": (
                f"Bhai help me. They took passport and phone. {rng.choice(['Yesterday', 'Today'])} "
                "they beat two boys who refused to work. Tomorrow they move us to another "
                "building across the river. This phone is not mine, I must give it back."
            ),
            "location_pin": {"lat": world.compound["lat"], "lon": world.compound["lon"]},
            "note": "Forwarded to the unit by the family; the sender's own phone was taken.",
        },
        "The 'help me' message a victim sent from a borrowed phone, as the family forwarded "
        "it: the basis for an emergency disclosure request.",
    )
