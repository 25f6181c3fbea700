"""The ground truth of Operation SILVER ROUTE, generated deterministically from a seed.

:func:`build_world` returns a :class:`World`: the people, organisations, accounts, devices,
wallets, victims and a timeline in UTC. Nothing here is written to ``datasets/`` directly: each
view in :mod:`osintlab.scenario.views` shows trainees the slice an investigator would actually
see (an ad, a photo, a ledger) and records the answers in salted keys.

    >>> w = build_world(7)
    >>> w.front.kind, len(w.core_actors()) >= 6
    ('front', True)
    >>> build_world(7).front.name == w.front.name
    True

Randomness comes from :meth:`World.rng`, one independent stream per purpose, so a view added
later never changes what earlier views produce for the same seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..reference.gazetteer import PLACES, SMUGGLING_ROUTES
from ..reference.platforms import PLATFORMS  # noqa: F401  (re-exported: scenario.PLATFORMS)
from . import identifiers as ids
from . import names

OPERATION = "Operation SILVER ROUTE"

ROLES = {
    "ringleader": "Runs the recruitment front and takes the consolidated proceeds",
    "recruiter_pk": "Posts the job ads in Punjab, answers recruits on WhatsApp, collects fees",
    "recruiter_bd": "Partner agent in Bangladesh; recruits in Dhaka and Sylhet",
    "facilitator_ae": "Meets recruits in Dubai and books the onward flights to Bangkok",
    "handler_th": "Moves recruits from Bangkok across the border into the compound",
    "smuggler": "Advertises 'dunki' routes to Europe and organises the crossings",
    "document_vendor": "Sells forged visas and documents for bitcoin",
    "money_agent": "Saraf/hawala agent who holds smuggling fees as a 'guarantee'",
    "mule": "Holds a wallet that receives victim fees on the network's behalf",
    "recruiter_pk2": "Second recruiter in Punjab, mostly on the short-video platform",
}


@dataclass
class Organisation:
    org_id: str
    name: str
    kind: str  # front, partner_agency, licensed_recruiter, otc_broker, exchange, isp, ...
    country: str
    place: str  # key into gazetteer.PLACES
    address: str
    domain: str | None = None
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    licence_no: str | None = None  # genuine licence (on the register)
    claimed_licence_no: str | None = None  # what an unlicensed front prints in its ads
    registered_on: date | None = None


@dataclass
class Actor:
    actor_id: str
    name: str
    alias: str
    role: str
    cell: str  # recruitment, smuggling, documents, money
    gender: str
    nationality: str
    place: str
    birth_year: int
    org_id: str | None = None
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    wallets: list[str] = field(default_factory=list)  # wallet_ids
    devices: list[str] = field(default_factory=list)  # device_ids


@dataclass
class Account:
    account_id: str
    platform: str
    handle: str  # current handle
    display_name: str
    owner: str  # actor_id, org_id, victim_id or "public"
    created: date
    kind: str = "personal"  # personal, page, channel
    handle_history: list[tuple[str, date]] = field(default_factory=list)  # earlier handles
    backup_of: str | None = None  # account_id this one backs up
    phones: list[str] = field(default_factory=list)  # shown in bio / contact info
    emails: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    bio: str = ""
    role: str = ""  # what the account is for in the story


@dataclass
class Device:
    device_id: str
    kind: str  # camera, phone
    make: str
    model: str
    serial: str  # body serial (camera) or IMEI (phone)
    owner: str
    clock_tz: str  # zone the device clock is set to (may be wrong!)
    software: str = ""


@dataclass
class Wallet:
    wallet_id: str
    chain: str  # tron (USDT TRC-20) or btc
    address: str
    owner: str  # actor_id or org_id
    role: str  # fee_collection, consolidation, mule, otc, exchange_deposit, ...


@dataclass
class Victim:
    victim_id: str
    name: str
    gender: str
    age: int
    country: str
    place: str
    recruiter: str  # actor_id
    job_promised: str
    salary_promised: str
    fee_amount: int
    fee_currency: str  # PKR, BDT, USDT
    fee_method: str  # cash, mobile_wallet, usdt
    paid_utc: datetime
    departed_utc: datetime
    crossed_utc: datetime
    status: str  # in_compound, escaped, emergency, returned
    phone: str


@dataclass
class Event:
    utc: datetime
    place: str
    kind: str
    description: str
    actors: list[str] = field(default_factory=list)
    victims: list[str] = field(default_factory=list)

    @property
    def tz(self) -> str:
        return PLACES[self.place].tz

    @property
    def local(self) -> datetime:
        return self.utc.astimezone(ZoneInfo(self.tz))


@dataclass
class World:
    seed: int
    start: date  # first activity of the network
    now: datetime  # the moment the case lands on the trainee's desk (UTC)
    case_ref: str
    organisations: list[Organisation]
    actors: list[Actor]
    accounts: list[Account]
    devices: list[Device]
    wallets: list[Wallet]
    victims: list[Victim]
    events: list[Event]
    compound: dict  # the fictional scam compound: name, lat, lon
    office: dict  # the front's office: address, lat, lon
    smuggling_route: str  # key into gazetteer.SMUGGLING_ROUTES
    public_users: list[Account] = field(default_factory=list)

    # -- random streams ---------------------------------------------------------------------
    def rng(self, purpose: str) -> random.Random:
        """An independent random stream for ``purpose``, fixed by the seed."""
        return random.Random(f"osintlab/{self.seed}/{purpose}")

    # -- look-ups -----------------------------------------------------------------------------
    @property
    def front(self) -> Organisation:
        return next(o for o in self.organisations if o.kind == "front")

    @property
    def partner_agency(self) -> Organisation:
        return next(o for o in self.organisations if o.kind == "partner_agency")

    def org(self, org_id: str) -> Organisation:
        return next(o for o in self.organisations if o.org_id == org_id)

    def actor(self, actor_id: str) -> Actor:
        return next(a for a in self.actors if a.actor_id == actor_id)

    def actor_by_role(self, role: str) -> Actor:
        return next(a for a in self.actors if a.role == role)

    def core_actors(self) -> list[Actor]:
        return list(self.actors)

    def accounts_of(self, owner: str) -> list[Account]:
        return [a for a in self.accounts if a.owner == owner]

    def wallet(self, wallet_id: str) -> Wallet:
        return next(w for w in self.wallets if w.wallet_id == wallet_id)

    def device(self, device_id: str) -> Device:
        return next(d for d in self.devices if d.device_id == device_id)

    def licensed_recruiters(self) -> list[Organisation]:
        return [o for o in self.organisations if o.kind == "licensed_recruiter"]


# ---------------------------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------------------------


def _utc(day: date, hour: int, minute: int, tz: str) -> datetime:
    """A local wall time at a place, converted to UTC."""
    return datetime.combine(day, time(hour, minute), ZoneInfo(tz)).astimezone(UTC)


def _email_local(name: str, rng: random.Random) -> str:
    first, last = name.lower().split(" ", 1)
    last = last.replace(" ", "")
    return rng.choice(
        [
            f"{first}.{last}",
            f"{first}{last}{rng.randrange(10, 99)}",
            f"{first[0]}{last}",
            f"{first}_{last}",
        ]
    )


FREEMAIL = ("mailbox.example", "postbox.example", "inbox.example")


def _licence_pk(rng: random.Random) -> str:
    # Synthetic pattern documented in datasets/README.md: OEP licence "NNNN/LHR" style with a
    # 5-digit number starting 9, a range the course reserves for invented promoters.
    return f"9{rng.randrange(1000, 9999)}/{rng.choice(['LHR', 'RWP', 'ISB', 'FSD', 'GRW'])}"


def _licence_bd(rng: random.Random) -> str:
    return f"RL-9{rng.randrange(100, 999)}"


def _handle(rng: random.Random, *parts: str) -> str:
    words = [ids.slug(p).replace("-", "") for p in parts if p]
    sep = rng.choice(["_", ".", ""])
    return sep.join(words)[:28]


def build_world(seed: int) -> World:
    """Generate the whole scenario for ``seed`` (any integer 0 .. 2**128-1: a secret cohort's
    seed has 128 bits; every random stream is seeded from text, so any size works)."""
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**128:
        raise ValueError(f"bad seed {seed!r}: expected a whole number from 0 to 2**128-1")
    base = random.Random(f"osintlab/{seed}/world")
    start = date(2026, 1, 5) + timedelta(days=base.randrange(0, 45))
    case_ref = f"SR-{start.year}-{base.randrange(1000, 9999)}"

    orgs = _organisations(base, start)
    actors = _actors(base, orgs)
    devices = _devices(base, actors)
    wallets = _wallets(base, actors, orgs)
    accounts, public = _accounts(base, actors, orgs, start)
    victims = _victims(base, actors, start)
    compound = {
        "name": "Riverside Park compound",
        "place": "myawaddy",
        "lat": round(16.69 + base.uniform(-0.08, 0.08), 5),
        "lon": round(98.50 + base.uniform(-0.03, 0.02), 5),
    }
    front = next(o for o in orgs if o.kind == "front")
    office = {
        "address": front.address,
        "place": front.place,
        "lat": round(PLACES[front.place].lat + base.uniform(-0.03, 0.03), 5),
        "lon": round(PLACES[front.place].lon + base.uniform(-0.03, 0.03), 5),
    }
    route = base.choice(sorted(SMUGGLING_ROUTES))
    last_crossing = max(v.crossed_utc for v in victims)
    now = (last_crossing + timedelta(days=base.randrange(20, 40))).replace(
        hour=6, minute=0, second=0, microsecond=0
    )
    world = World(
        seed=seed,
        start=start,
        now=now,
        case_ref=case_ref,
        organisations=orgs,
        actors=actors,
        accounts=accounts,
        devices=devices,
        wallets=wallets,
        victims=victims,
        events=[],
        compound=compound,
        office=office,
        smuggling_route=route,
        public_users=public,
    )
    world.events = _events(world, base)
    return world


def _organisations(rng: random.Random, start: date) -> list[Organisation]:
    orgs: list[Organisation] = []
    front_name = f"{rng.choice(names.FRONT_WORDS_A)} {rng.choice(names.FRONT_WORDS_B)}"
    front_place = rng.choice(["lahore", "gujranwala"])
    front_domain = ids.domain_for(front_name)
    orgs.append(
        Organisation(
            "ORG-01",
            front_name,
            "front",
            "PK",
            front_place,
            f"Office {rng.randrange(2, 40)}, {rng.choice(['Al-Hafeez', 'Siddique', 'Mall View', 'City'])}"
            f" Plaza, {rng.choice(names.STREETS_PK)}, {PLACES[front_place].name}",
            domain=front_domain,
            phones=[ids.phone_number(rng, "PK")],
            emails=[
                f"careers@{front_domain}",
                f"{ids.slug(front_name).split('-')[0]}.jobs@{rng.choice(FREEMAIL)}",
            ],
            claimed_licence_no=_licence_pk(rng),
            registered_on=start - timedelta(days=rng.randrange(20, 60)),
        )
    )
    agency = f"{rng.choice(names.AGENCY_WORDS)} {rng.choice(names.AGENCY_SUFFIX)}"
    agency_place = rng.choice(["dhaka", "sylhet"])
    agency_domain = ids.domain_for(agency)
    orgs.append(
        Organisation(
            "ORG-02",
            agency,
            "partner_agency",
            "BD",
            agency_place,
            f"House {rng.randrange(3, 90)}, {rng.choice(names.STREETS_BD)}, {PLACES[agency_place].name}",
            domain=agency_domain,
            phones=[ids.phone_number(rng, "BD")],
            emails=[f"info@{agency_domain}"],
            claimed_licence_no=_licence_bd(rng),
            registered_on=start - timedelta(days=rng.randrange(30, 120)),
        )
    )
    # Decoys: genuinely licensed recruiters that advertise similar jobs, lawfully.
    # Each decoy has a web site of its own: a name is drawn again when its domain is taken
    # (which also rules out a repeated name; two names can share a domain, as "... Overseas
    # Employment Promoters" and "... Overseas Placement Bureau" do).
    domains = {front_domain, agency_domain}
    for i in range(6):
        pk = i < 4
        while True:
            words = rng.choice(names.LEGIT_WORDS if pk else names.BD_LEGIT_WORDS)
            name = f"{words} {rng.choice(names.LEGIT_SUFFIX if pk else names.BD_LEGIT_SUFFIX)}"
            domain = ids.domain_for(name)
            if domain not in domains:
                domains.add(domain)
                break
        place = rng.choice(
            ["lahore", "rawalpindi", "islamabad", "faisalabad"]
            if pk
            else ["dhaka", "sylhet", "comilla"]
        )
        orgs.append(
            Organisation(
                f"ORG-{len(orgs) + 1:02d}",
                name,
                "licensed_recruiter",
                "PK" if pk else "BD",
                place,
                f"{rng.randrange(1, 200)}-{rng.choice('ABCDEFG')}, "
                f"{rng.choice(names.STREETS_PK if pk else names.STREETS_BD)}, {PLACES[place].name}",
                domain=domain,
                phones=[ids.phone_number(rng, "PK" if pk else "BD")],
                emails=[f"hr@{domain}"],
                licence_no=_licence_pk(rng) if pk else _licence_bd(rng),
                registered_on=start - timedelta(days=rng.randrange(400, 4000)),
            )
        )
    # Money side (all fictional).
    orgs.append(
        Organisation(
            f"ORG-{len(orgs) + 1:02d}",
            "Kestrel Digital Exchange",
            "exchange",
            "AE",
            "dubai",
            "Fictional virtual-asset exchange, Dubai",
            domain="kestrel-exchange.example",
            emails=["lawenforcement@kestrel-exchange.example"],
        )
    )
    orgs.append(
        Organisation(
            f"ORG-{len(orgs) + 1:02d}",
            "Tigris OTC Desk",
            "otc_broker",
            "AE",
            "dubai",
            "Fictional over-the-counter crypto broker, Deira, Dubai",
            phones=[ids.phone_number(rng, "AE")],
        )
    )
    orgs.append(
        Organisation(
            f"ORG-{len(orgs) + 1:02d}",
            "PunjabNet Broadband",
            "isp",
            "PK",
            "lahore",
            "Fictional internet service provider, Lahore",
            domain="punjabnet.example",
            emails=["lea-desk@punjabnet.example"],
        )
    )
    return orgs


def _actors(rng: random.Random, orgs: list[Organisation]) -> list[Actor]:
    roles = [
        "ringleader",
        "recruiter_pk",
        "recruiter_bd",
        "facilitator_ae",
        "handler_th",
        "smuggler",
        "document_vendor",
    ]
    optional = ["money_agent", "mule", "recruiter_pk2"]
    rng.shuffle(optional)
    roles += optional[: rng.randrange(0, 4)]
    specs = {
        "ringleader": ("PK", "m", ["lahore", "gujranwala"], "recruitment"),
        "recruiter_pk": ("PK", "m", ["gujranwala", "sialkot", "lahore"], "recruitment"),
        "recruiter_pk2": ("PK", "f", ["lahore", "faisalabad"], "recruitment"),
        "recruiter_bd": ("BD", "m", ["dhaka", "sylhet"], "recruitment"),
        "facilitator_ae": ("PK", "m", ["dubai"], "recruitment"),
        "handler_th": ("MM", "m", ["mae_sot", "myawaddy"], "recruitment"),
        "smuggler": ("PK", "m", ["gujrat", "mandi_bahauddin", "quetta"], "smuggling"),
        "document_vendor": ("PK", "m", ["rawalpindi", "lahore"], "documents"),
        "money_agent": ("PK", "m", ["quetta", "gujrat"], "money"),
        "mule": ("PK", "m", ["faisalabad", "sialkot"], "money"),
    }
    person_names = names.unique_names(rng, [(specs[r][0], specs[r][1]) for r in roles])
    aliases = rng.sample(names.ALIASES, len(roles))
    front, agency = orgs[0], orgs[1]
    actors = []
    for i, (role, name) in enumerate(zip(roles, person_names), start=1):
        nat, gender, homes, cell = specs[role]
        place = rng.choice(homes)
        phone_country = PLACES[place].country if role != "facilitator_ae" else "AE"
        phones = [ids.phone_number(rng, phone_country if phone_country != "MM" else "TH")]
        if role in ("ringleader", "recruiter_pk", "smuggler", "recruiter_bd"):
            phones.append(ids.phone_number(rng, "PK" if nat == "PK" else nat))
        emails = [f"{_email_local(name, rng)}@{rng.choice(FREEMAIL)}"]
        org_id = (
            front.org_id
            if role in ("ringleader", "recruiter_pk", "recruiter_pk2", "facilitator_ae")
            else agency.org_id
            if role == "recruiter_bd"
            else None
        )
        actors.append(
            Actor(
                f"A{i:02d}",
                name,
                aliases[i - 1],
                role,
                cell,
                gender,
                nat,
                place,
                rng.randrange(1972, 2000),
                org_id,
                phones,
                emails,
            )
        )
    # The office phone is shared: the ringleader and the Punjab recruiter both answer it. A
    # shared number links them, which module 02 teaches is a lead, not proof of identity.
    ring = next(a for a in actors if a.role == "ringleader")
    rec = next(a for a in actors if a.role == "recruiter_pk")
    rec.phones.append(front.phones[0])
    ring.phones.append(front.phones[0])
    # The smuggler reuses the Punjab recruiter's second SIM for a while (cross-cell link).
    smug = next(a for a in actors if a.role == "smuggler")
    smug.phones.append(rec.phones[1])
    return actors


CAMERAS = [
    ("Canon", "EOS 2000D", "Canon", "CN"),
    ("Nikon", "D3500", "Nikon", "NK"),
    ("Sony", "ILCE-6400", "Sony", "SY"),
    ("Fujifilm", "X-T30", "Fujifilm", "FJ"),
]
PHONES = [
    ("Samsung", "SM-A546E", "Android 14"),
    ("Xiaomi", "Redmi Note 12", "Android 13"),
    ("Infinix", "Hot 30", "Android 13"),
    ("Tecno", "Spark 10 Pro", "Android 13"),
    ("Vivo", "Y36", "Android 13"),
    ("Oppo", "A78", "Android 13"),
]


def _devices(rng: random.Random, actors: list[Actor]) -> list[Device]:
    devices = []
    ring = next(a for a in actors if a.role == "ringleader")
    make, model, _, prefix = rng.choice(CAMERAS)
    # The front's camera: its clock was set in Dubai and never changed (a planted time-zone trap).
    cam = Device(
        "D01",
        "camera",
        make,
        model,
        ids.camera_serial(rng, prefix),
        ring.actor_id,
        clock_tz="Asia/Dubai",
    )
    devices.append(cam)
    ring.devices.append(cam.device_id)
    for actor in actors:
        make, model, os_ = rng.choice(PHONES)
        dev = Device(
            f"D{len(devices) + 1:02d}",
            "phone",
            make,
            model,
            ids.imei(rng),
            actor.actor_id,
            clock_tz=PLACES[actor.place].tz,
            software=os_,
        )
        devices.append(dev)
        actor.devices.append(dev.device_id)
    # A decoy camera of the same make and model owned by a licensed recruiter's photographer:
    # same model is not same device; only the serial links photos to one body.
    decoy = Device(
        f"D{len(devices) + 1:02d}",
        "camera",
        cam.make,
        cam.model,
        ids.camera_serial(rng, cam.serial[:2]),
        "ORG-03",
        clock_tz="Asia/Karachi",
    )
    devices.append(decoy)
    return devices


def _wallets(rng: random.Random, actors: list[Actor], orgs: list[Organisation]) -> list[Wallet]:
    wallets: list[Wallet] = []

    def add(chain: str, owner: str, role: str) -> Wallet:
        addr = (
            ids.tron_address(rng)
            if chain == "tron"
            else ids.btc_address(rng, rng.choice(["p2wpkh", "p2wpkh", "p2pkh", "p2sh", "p2tr"]))
        )
        w = Wallet(f"W{len(wallets) + 1:02d}", chain, addr, owner, role)
        wallets.append(w)
        return w

    by_role = {a.role: a for a in actors}
    for role in ("recruiter_pk", "recruiter_bd", "recruiter_pk2"):
        if role in by_role:
            for _ in range(2 if role == "recruiter_pk" else 1):
                by_role[role].wallets.append(
                    add("tron", by_role[role].actor_id, "fee_collection").wallet_id
                )
    ring = by_role["ringleader"]
    ring.wallets.append(add("tron", ring.actor_id, "consolidation").wallet_id)
    if "mule" in by_role:
        by_role["mule"].wallets.append(add("tron", by_role["mule"].actor_id, "mule").wallet_id)
    vendor = by_role["document_vendor"]
    vendor.wallets.append(add("btc", vendor.actor_id, "document_sales").wallet_id)
    smug = by_role["smuggler"]
    smug.wallets.append(add("tron", smug.actor_id, "smuggling_fees").wallet_id)
    otc = next(o for o in orgs if o.kind == "otc_broker")
    exch = next(o for o in orgs if o.kind == "exchange")
    add("tron", otc.org_id, "otc")
    add("tron", exch.org_id, "exchange_deposit")
    add("tron", exch.org_id, "exchange_hot")
    add("btc", exch.org_id, "exchange_deposit")
    return wallets


def _accounts(
    rng: random.Random, actors: list[Actor], orgs: list[Organisation], start: date
) -> tuple[list[Account], list[Account]]:
    accounts: list[Account] = []
    next_id = {
        "chaupal": 100004000000000 + rng.randrange(10**9),
        "jhalak": 7100000000000000000 + rng.randrange(10**12),
        "paigham": 1700000000 + rng.randrange(10**8),
    }

    def new_id(platform: str) -> str:
        next_id[platform] += rng.randrange(1000, 900000)
        return str(next_id[platform])

    front = orgs[0]
    agency = orgs[1]
    word = ids.slug(front.name).split("-")
    base_handle = "".join(word[:2])

    def add(
        platform,
        handle,
        display,
        owner,
        created,
        kind="personal",
        role="",
        phones=(),
        emails=(),
        links=(),
        bio="",
        history=(),
        backup_of=None,
    ) -> Account:
        acc = Account(
            new_id(platform),
            platform,
            handle,
            display,
            owner,
            created,
            kind,
            list(history),
            backup_of,
            list(phones),
            list(emails),
            list(links),
            bio,
            role,
        )
        accounts.append(acc)
        return acc

    by_role = {a.role: a for a in actors}
    ring, rec, bd = by_role["ringleader"], by_role["recruiter_pk"], by_role["recruiter_bd"]
    smug, vendor = by_role["smuggler"], by_role["document_vendor"]
    d = lambda days: start + timedelta(days=days)  # noqa: E731

    # The front's page and channel, then back-ups after the first takedown.
    page = add(
        "chaupal",
        f"{base_handle}.jobs",
        front.name,
        front.org_id,
        d(-25),
        "page",
        "recruitment ads",
        phones=[front.phones[0], rec.phones[0]],
        emails=[front.emails[1]],
        links=[f"https://{front.domain}/"],
        bio=f"Jobs in Dubai & Bangkok. Visa + ticket free. Licence {front.claimed_licence_no}",
        history=[(f"{base_handle}.overseas", d(-25))],
    )
    add(
        "chaupal",
        f"{base_handle}.jobs{rng.randrange(1, 9)}",
        front.name,
        front.org_id,
        d(rng.randrange(50, 80)),
        "page",
        "back-up after takedown",
        phones=[rec.phones[0]],
        backup_of=page.account_id,
        bio="New page! Old page blocked. Same team, same jobs.",
    )
    add(
        "paigham",
        f"{base_handle}_jobs_official",
        f"{front.name} (Official)",
        front.org_id,
        d(-10),
        "channel",
        "job channel",
        phones=[rec.phones[1]],
        links=[f"https://{front.domain}/apply"],
    )
    # Personal accounts of the network.
    first = lambda a: ids.slug(a.name.split()[0]).replace("-", "")  # noqa: E731
    last = lambda a: ids.slug(a.name.split()[-1]).replace("-", "")  # noqa: E731
    ring_acc = add(
        "chaupal",
        _handle(rng, first(ring), last(ring)),
        ring.name,
        ring.actor_id,
        d(-900),
        role="personal profile",
        links=[f"https://{front.domain}/"],
        bio=f"CEO {front.name}",
    )
    del ring_acc
    rec_old = f"{first(rec)}_{ids.slug(rec.alias).replace('-', '')}"
    rec_main = add(
        "jhalak",
        f"{ids.slug(rec.alias).replace('-', '')}.{base_handle}",
        f"{rec.alias} {front.name.split()[0]}",
        rec.actor_id,
        d(-5),
        role="short recruitment videos",
        phones=[rec.phones[0]],
        history=[(rec_old, d(-5))],
        bio="Dubai/Bangkok jobs. WhatsApp only ☝️",
    )
    add(
        "jhalak",
        f"{ids.slug(rec.alias).replace('-', '')}.{base_handle}{rng.randrange(10, 99)}",
        f"{rec.alias} {front.name.split()[0]} 2",
        rec.actor_id,
        d(rng.randrange(40, 70)),
        role="back-up of the short-video account",
        phones=[rec.phones[0]],
        backup_of=rec_main.account_id,
        bio="Backup account. Follow for jobs.",
    )
    add(
        "chaupal",
        _handle(rng, first(rec), last(rec)),
        rec.name,
        rec.actor_id,
        d(-700),
        role="personal profile",
        phones=[rec.phones[0]],
    )
    add(
        "chaupal",
        f"{ids.slug(agency.name).replace('-', '')}",
        agency.name,
        agency.org_id,
        d(-40),
        "page",
        "partner recruitment ads (Bangladesh)",
        phones=[bd.phones[0]],
        emails=[agency.emails[0]],
        links=[f"https://{agency.domain}/"],
        bio=f"Licence {agency.claimed_licence_no}. Thailand & Dubai jobs.",
    )
    add(
        "paigham",
        _handle(rng, first(bd), "jobs", "bd"),
        bd.name,
        bd.actor_id,
        d(-30),
        role="recruiter account",
        phones=[bd.phones[1] if len(bd.phones) > 1 else bd.phones[0]],
    )
    # Smuggling cell: renamed often, with numbered back-ups.
    smug_base = f"{rng.choice(['dunki', 'game', 'europe'])}_{ids.slug(smug.alias).replace('-', '')}"
    smug_main = add(
        "jhalak",
        smug_base,
        f"{smug.alias} Travel",
        smug.actor_id,
        d(-60),
        role="smuggling adverts",
        phones=[smug.phones[0]],
        history=[
            (f"{ids.slug(PLACES[smug.place].name).replace('-', '')}_travels", d(-60)),
            (f"{smug_base}_official", d(10)),
        ],
        bio="Europe by road 🇵🇰➡️🇮🇷➡️🇹🇷➡️🇬🇷 guarantee ✅",
    )
    for n in (1, 2):
        add(
            "jhalak",
            f"{smug_base}{n}",
            f"{smug.alias} Travel {n}",
            smug.actor_id,
            d(30 * n + rng.randrange(0, 20)),
            role="back-up smuggling account",
            phones=[smug.phones[-1]],
            backup_of=smug_main.account_id,
        )
    add(
        "paigham",
        f"{smug_base}_group",
        f"{smug.alias} Europe Group",
        smug.actor_id,
        d(-50),
        "channel",
        "smuggling channel with testimonials",
        phones=[smug.phones[0]],
    )
    add(
        "paigham",
        _handle(rng, "docs", ids.slug(vendor.alias).replace("-", ""), "pk"),
        f"{vendor.alias} Documents",
        vendor.actor_id,
        d(-80),
        "channel",
        "forged visas and documents for bitcoin",
        phones=[vendor.phones[0]],
    )
    for role, acc_role in (
        ("facilitator_ae", "Dubai contact"),
        ("handler_th", "border contact"),
        ("recruiter_pk2", "short-video recruiter"),
        ("money_agent", "saraf account"),
        ("mule", "personal profile"),
    ):
        if role in by_role:
            a = by_role[role]
            platform = "jhalak" if role == "recruiter_pk2" else "chaupal"
            add(
                platform,
                _handle(rng, first(a), last(a), str(rng.randrange(1, 99))),
                a.name,
                a.actor_id,
                d(-rng.randrange(100, 1500)),
                role=acc_role,
                phones=[a.phones[0]],
            )
    # Licensed recruiters (decoys) have pages that look similar but carry a real licence.
    for org in orgs:
        if org.kind == "licensed_recruiter":
            add(
                "chaupal",
                ids.slug(org.name).replace("-", "")[:24],
                org.name,
                org.org_id,
                org.registered_on + timedelta(days=30),
                "page",
                "licensed recruiter (decoy)",
                phones=org.phones,
                emails=org.emails,
                links=[f"https://{org.domain}/"],
                bio=f"Govt. licensed OEP {org.licence_no}"
                if org.country == "PK"
                else f"BMET licensed {org.licence_no}",
            )
    # Ordinary users (decoys and audience).
    public: list[Account] = []
    people = names.unique_names(
        rng, [(rng.choice(["PK", "PK", "BD"]), rng.choice("mf")) for _ in range(40)]
    )
    for person in people:
        platform = rng.choice(["chaupal", "chaupal", "jhalak", "paigham"])
        a = Account(
            new_id(platform),
            platform,
            _handle(rng, *person.lower().split(), str(rng.randrange(1, 999))),
            person,
            "public",
            d(-rng.randrange(30, 3000)),
            role="ordinary user",
        )
        public.append(a)
    return accounts, public


JOBS = [
    ("data entry operator", "USD 1,200/month"),
    ("customer support agent", "USD 1,500/month"),
    ("hotel receptionist", "AED 4,500/month"),
    ("online sales (typing) staff", "USD 1,300/month"),
    ("IT helpdesk assistant", "USD 1,800/month"),
]


def _victims(rng: random.Random, actors: list[Actor], start: date) -> list[Victim]:
    by_role = {a.role: a for a in actors}
    n_pk, n_bd = rng.randrange(9, 13), rng.randrange(3, 6)
    specs = [("PK", rng.choice("mmmf")) for _ in range(n_pk)] + [
        ("BD", rng.choice("mmf")) for _ in range(n_bd)
    ]
    person_names = names.unique_names(rng, specs)
    victims = []
    emergency_index = rng.randrange(n_pk + n_bd)
    for i, ((country, gender), name) in enumerate(zip(specs, person_names), start=1):
        if country == "PK":
            place = rng.choice(
                ["gujranwala", "sialkot", "gujrat", "faisalabad", "mandi_bahauddin", "lahore"]
            )
            recruiter = (
                by_role.get("recruiter_pk2", by_role["recruiter_pk"])
                if rng.random() < 0.3
                else by_role["recruiter_pk"]
            )
            method = rng.choice(["cash", "mobile_wallet", "usdt", "usdt"])
            if method == "usdt":
                amount, currency = rng.choice([1200, 1500, 1800, 2000]), "USDT"
            else:
                amount, currency = rng.choice([350_000, 400_000, 450_000, 500_000]), "PKR"
        else:
            place = rng.choice(["dhaka", "sylhet", "comilla"])
            recruiter = by_role["recruiter_bd"]
            method = rng.choice(["cash", "mobile_wallet", "usdt"])
            if method == "usdt":
                amount, currency = rng.choice([1000, 1200, 1500]), "USDT"
            else:
                amount, currency = rng.choice([300_000, 350_000, 400_000]), "BDT"
        tz = PLACES[place].tz
        pay_day = start + timedelta(days=rng.randrange(10, 90))
        paid = _utc(pay_day, rng.randrange(9, 21), rng.randrange(60), tz)
        departed = _utc(
            pay_day + timedelta(days=rng.randrange(7, 25)),
            rng.randrange(1, 23),
            rng.randrange(60),
            "Asia/Karachi" if country == "PK" else "Asia/Dhaka",
        )
        crossed = departed + timedelta(days=rng.randrange(2, 6), hours=rng.randrange(0, 12))
        job, salary = rng.choice(JOBS)
        status = (
            "emergency"
            if i - 1 == emergency_index
            else rng.choice(["in_compound", "in_compound", "escaped", "returned"])
        )
        victims.append(
            Victim(
                f"V{i:02d}",
                name,
                gender,
                rng.randrange(19, 31),
                country,
                place,
                recruiter.actor_id,
                job,
                salary,
                amount,
                currency,
                method,
                paid,
                departed,
                crossed,
                status,
                ids.phone_number(rng, country),
            )
        )
    return victims


def _events(world: World, rng: random.Random) -> list[Event]:
    ev: list[Event] = []
    front = world.front
    ring = world.actor_by_role("ringleader")
    ev.append(
        Event(
            _utc(front.registered_on, 11, 0, "Asia/Karachi"),
            front.place,
            "organisation",
            f"{front.name} website domain registered",
            [ring.actor_id],
        )
    )
    for acc in world.accounts:
        if acc.owner.startswith(
            ("A", "ORG-01", "ORG-02")
        ) and acc.created >= world.start - timedelta(days=120):
            owner_place = (
                world.actor(acc.owner).place
                if acc.owner.startswith("A")
                else world.org(acc.owner).place
            )
            ev.append(
                Event(
                    _utc(
                        acc.created, rng.randrange(9, 23), rng.randrange(60), PLACES[owner_place].tz
                    ),
                    owner_place,
                    "account_created",
                    f"{PLATFORMS[acc.platform]['name']} account @{acc.handle} created"
                    + (" as a back-up" if acc.backup_of else ""),
                    [acc.owner] if acc.owner.startswith("A") else [],
                )
            )
    for v in world.victims:
        ev.append(
            Event(
                v.paid_utc,
                v.place,
                "fee_paid",
                f"{v.name} pays a {v.fee_amount:,} {v.fee_currency} 'processing fee' "
                f"({v.fee_method.replace('_', ' ')})",
                [v.recruiter],
                [v.victim_id],
            )
        )
        origin = "lahore" if v.country == "PK" else "dhaka"
        ev.append(
            Event(
                v.departed_utc,
                origin,
                "departure",
                f"{v.name} flies {PLACES[origin].name} to Dubai on a visit visa",
                [],
                [v.victim_id],
            )
        )
        ev.append(
            Event(
                v.departed_utc + timedelta(hours=rng.randrange(20, 40)),
                "dubai",
                "transit",
                f"{v.name} is met in Dubai and flown on to Bangkok",
                [world.actor_by_role("facilitator_ae").actor_id],
                [v.victim_id],
            )
        )
        ev.append(
            Event(
                v.crossed_utc,
                "myawaddy",
                "border_crossing",
                f"{v.name} is taken across the Moei river into the compound; passport "
                "and phone taken",
                [world.actor_by_role("handler_th").actor_id],
                [v.victim_id],
            )
        )
    emergency = next(v for v in world.victims if v.status == "emergency")
    ev.append(
        Event(
            world.now - timedelta(hours=rng.randrange(10, 30)),
            "myawaddy",
            "help_message",
            f"{emergency.name} sends a 'help me' message with a location pin from a borrowed phone",
            [],
            [emergency.victim_id],
        )
    )
    ev.sort(key=lambda e: (e.utc, e.kind, e.description))
    return ev
