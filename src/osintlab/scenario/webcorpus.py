"""The wider offline web (module 04): job portals, classifieds, forums, social profiles, a company
registry, the licence registers, news, blogs and documents — more than 5,000 synthetic pages.

Most pages are ordinary background (licensed recruiters, livestock ads, cricket news), so that a
search has to be precise to find the few pages that matter. The story's traces are planted in
it: the front's ads in several languages and spellings, its WhatsApp number written in many
formats, a "dunki" smuggling cell on the classifieds, a company that borrows another recruiter's
licence number, the front's company record and its downloadable documents, and the Punjab
recruiter's handle reused across platforms (next to look-alike handles of other people).

:func:`corpus` returns the pages (dicts as in :mod:`.webpages`) and a ``truth`` dict that only
views use to write salted answer keys. :func:`filler_pages` makes any number of background pages
for benchmarks. Everything is drawn from ``world.rng("web/corpus/...")`` streams.

    >>> from osintlab.scenario import build_world
    >>> pages, truth = corpus(build_world(3))
    >>> len(pages) >= 5000, sorted(truth)[:2]
    (True, ['agencies', 'dunki_ads'])
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from ..reference.gazetteer import PLACES
from ..reference.platforms import PLATFORM_NAMES, PROFILE_URLS  # noqa: F401  (re-exported)
from . import identifiers as ids
from . import names
from .webpages import BD_REGISTER_SITE, NEWS_SITE, REGISTER_SITE, _page

PORTALS = (("rozgar-hub.example", "PK"), ("jobsbazaar.example", "PK"), ("chakri-bd.example", "BD"))
CLASSIFIEDS = "bazaar-ads.example"
FORUM = "pardes-forum.example"
COMPANY_REGISTRY = "company-registry.example"
NEWS_SITES = (NEWS_SITE, "newsline-pk.example", "dhaka-dispatch.example")
BLOGS = ("safe-pardes-blog.example", "travel-diaries.example")
CIRCULARS = "bureau-circulars.example"

# Destinations with their names in Urdu and Bengali script.
DEST = {
    "Dubai": ("دبئی", "দুবাই", "UAE"),
    "Doha": ("دوحہ", "দোহা", "Qatar"),
    "Riyadh": ("ریاض", "রিয়াদ", "Saudi Arabia"),
    "Jeddah": ("جدہ", "জেদ্দা", "Saudi Arabia"),
    "Kuwait City": ("کویت", "কুয়েত", "Kuwait"),
    "Muscat": ("مسقط", "মাস্কাট", "Oman"),
    "Kuala Lumpur": ("کوالالمپور", "কুয়ালালামপুর", "Malaysia"),
    "Abu Dhabi": ("ابوظہبی", "আবুধাবি", "UAE"),
}
LEGIT_JOBS = [
    ("construction worker", "SAR 1,500"),
    ("electrician", "AED 2,200"),
    ("heavy driver", "QAR 2,800"),
    ("staff nurse", "QAR 7,000"),
    ("welder", "SAR 1,900"),
    ("cleaner", "AED 1,200"),
    ("security guard", "AED 1,800"),
    ("plumber", "KWD 180"),
    ("cook", "OMR 220"),
    ("steel fixer", "SAR 1,600"),
    ("mason", "AED 1,700"),
    ("AC technician", "AED 2,400"),
]
JOBS_UR = {
    "construction worker": "مزدور",
    "electrician": "الیکٹریشن",
    "heavy driver": "ڈرائیور",
    "staff nurse": "نرس",
    "welder": "ویلڈر",
    "cleaner": "صفائی والا",
    "security guard": "سیکیورٹی گارڈ",
    "plumber": "پلمبر",
    "cook": "باورچی",
    "steel fixer": "سٹیل فکسر",
    "mason": "مستری",
    "AC technician": "اے سی ٹیکنیشن",
}
JOBS_BN = {
    "construction worker": "নির্মাণ শ্রমিক",
    "electrician": "ইলেকট্রিশিয়ান",
    "heavy driver": "ড্রাইভার",
    "staff nurse": "নার্স",
    "welder": "ওয়েল্ডার",
    "cleaner": "ক্লিনার",
    "security guard": "সিকিউরিটি গার্ড",
    "plumber": "প্লাম্বার",
    "cook": "বাবুর্চি",
    "steel fixer": "রড মিস্ত্রি",
    "mason": "রাজমিস্ত্রি",
    "AC technician": "এসি টেকনিশিয়ান",
}
LOCAL_JOBS = [
    "sales officer",
    "accountant",
    "receptionist",
    "delivery rider",
    "teacher",
    "pharmacist",
    "store keeper",
    "call centre agent",
    "graphic designer",
    "chef",
]
PK_CITIES = [
    "lahore",
    "gujranwala",
    "sialkot",
    "gujrat",
    "faisalabad",
    "rawalpindi",
    "islamabad",
    "mandi_bahauddin",
]
# Roman Urdu is written in many ways: the same word turns up in several spellings.
RU = {
    "naukri": ["naukri", "nokri", "nokari", "naukari"],
    "dubai": ["Dubai", "Dubae", "Dubbai"],
    "visa": ["visa", "veeza", "viza"],
    "zaroorat": ["zaroorat", "zarurat", "zaroorat"],
    "tankhwa": ["tankhwa", "tankhwah", "tankhah"],
    "rabta": ["rabta", "raabta", "rabita"],
}
DUNKI = ["dunki", "dunki", "dunky", "donkey", "donki", "ڈنکی"]
BORROWER_NAMES = [
    "Fast Track Visa Consultants",
    "Golden Gate Travel & Jobs",
    "Prime Route Career Services",
    "Ever Bright Job Centre",
]


def _rng(world, part: str) -> random.Random:
    return world.rng(f"web/corpus/{part}")


def _day(world, rng: random.Random, lo: int = -420, hi: int | None = None) -> str:
    """A publication date between ``lo`` days from the network's start and the case date."""
    span = (world.now.date() - world.start).days if hi is None else hi
    return (world.start + timedelta(days=rng.randrange(lo, max(lo + 1, span)))).isoformat()


class _Phones:
    """Synthetic background phone numbers, never equal to a number of the story."""

    def __init__(self, world, rng):
        self.rng = rng
        self.used = {p for a in world.actors for p in a.phones}
        self.used |= {p for o in world.organisations for p in o.phones}
        self.used |= {p for a in world.accounts + world.public_users for p in a.phones}
        self.used |= {v.phone for v in world.victims}

    def new(self, country: str = "PK") -> str:
        while True:
            p = ids.phone_number(self.rng, country)
            if p not in self.used:
                self.used.add(p)
                return p


def fmt_phone(rng: random.Random, e164: str) -> str:
    """Write a number the way people do in ads (several formats, one chosen at random)."""
    style = rng.choice(["national", "national", "spaced", "compact", "wa", "e164", "plain"])
    if style == "e164":
        return e164
    if style == "plain":
        return ids.format_phone_local(e164, "national").replace("-", "")
    return ids.format_phone_local(e164, style)


def phone_forms(e164: str) -> list[str]:
    """Every written form of ``e164`` the corpus uses (for ground truth)."""
    nat = ids.format_phone_local(e164, "national")
    return sorted(
        {
            e164,
            nat,
            nat.replace("-", ""),
            ids.format_phone_local(e164, "spaced"),
            ids.format_phone_local(e164, "compact"),
            e164[1:],
        }
    )


# ---------------------------------------------------------------------------------------------
# Organisations that advertise
# ---------------------------------------------------------------------------------------------


def _agencies(world):
    """Licensed recruiters (world decoys + background), the front, its partner and a borrower."""
    rng = _rng(world, "agencies")
    phones = _Phones(world, _rng(world, "agency-phones"))
    taken = {o.name for o in world.organisations}
    licences = {o.licence_no for o in world.organisations if o.licence_no}
    licences |= {o.claimed_licence_no for o in world.organisations if o.claimed_licence_no}
    out = []
    for o in world.licensed_recruiters():
        out.append(
            {
                "name": o.name,
                "country": o.country,
                "licence": o.licence_no,
                "printed": o.licence_no,
                "phone": o.phones[0],
                "place": o.place,
                "kind": "licensed",
                "since": o.registered_on.isoformat(),
            }
        )
    extra_words = names.LEGIT_WORDS + [
        "Sutlej",
        "Jhelum",
        "Attock",
        "Potohar",
        "Thar",
        "Pamir",
        "Nanga Parbat",
        "Rohtas",
        "Saif",
        "Noor Mahal",
    ]
    bd_words = names.BD_LEGIT_WORDS + [
        "Padma Bridge",
        "Chittagong Hill",
        "Kushiara",
        "Madhumati",
        "Shitalakshya",
        "Dhanmondi",
        "Gomti",
        "Rangamati",
    ]
    for country, n, words, suffixes in (
        ("PK", 36, extra_words, names.LEGIT_SUFFIX),
        ("BD", 14, bd_words, names.BD_LEGIT_SUFFIX),
    ):
        for _ in range(n):
            while True:
                name = f"{rng.choice(words)} {rng.choice(suffixes)}"
                if name not in taken:
                    taken.add(name)
                    break
            while True:
                lic = (
                    f"9{rng.randrange(1000, 9999)}/{rng.choice(['LHR', 'RWP', 'ISB', 'FSD', 'GRW', 'MLN'])}"
                    if country == "PK"
                    else f"RL-9{rng.randrange(100, 999)}"
                )
                if lic not in licences:
                    licences.add(lic)
                    break
            place = rng.choice(PK_CITIES if country == "PK" else ["dhaka", "sylhet", "comilla"])
            out.append(
                {
                    "name": name,
                    "country": country,
                    "licence": lic,
                    "printed": lic,
                    "phone": phones.new(country),
                    "place": place,
                    "kind": "licensed",
                    "since": (world.start - timedelta(days=rng.randrange(300, 5000))).isoformat(),
                }
            )
    front, agency = world.front, world.partner_agency
    rec = world.actor_by_role("recruiter_pk")
    wa = next(p for p in rec.phones if p not in front.phones)
    out.append(
        {
            "name": front.name,
            "country": "PK",
            "licence": None,
            "printed": front.claimed_licence_no,
            "phone": wa,
            "place": front.place,
            "kind": "front",
            "since": front.registered_on.isoformat(),
        }
    )
    bd = world.actor_by_role("recruiter_bd")
    out.append(
        {
            "name": agency.name,
            "country": "BD",
            "licence": None,
            "printed": agency.claimed_licence_no,
            "phone": bd.phones[0],
            "place": agency.place,
            "kind": "partner",
            "since": agency.registered_on.isoformat(),
        }
    )
    lender = rng.choice([a for a in out if a["kind"] == "licensed" and a["country"] == "PK"])
    out.append(
        {
            "name": rng.choice(BORROWER_NAMES),
            "country": "PK",
            "licence": None,
            "printed": lender["licence"],
            "phone": phones.new("PK"),
            "place": rng.choice(PK_CITIES),
            "kind": "borrower",
            "since": "",
        }
    )
    return out


def _licence_slug(lic: str) -> str:
    return lic.lower().replace("/", "-")


def _register_pages(world, agencies):
    rng = _rng(world, "register")
    pages = []
    for a in agencies:
        if a["kind"] != "licensed":
            continue
        city = PLACES[a["place"]].name
        if a["country"] == "PK":
            url = f"https://{REGISTER_SITE}/licence/{_licence_slug(a['licence'])}"
            title = f"OEP licence {a['licence']} — {a['name']}"
            body = [
                f"Licence number: {a['licence']}",
                f"Overseas Employment Promoter: {a['name']}",
                f"City: {city}",
                "Status: valid",
                f"Licensed since: {a['since']}",
                "Synthetic training copy of a licence register entry.",
            ]
        else:
            url = f"https://{BD_REGISTER_SITE}/agency/{_licence_slug(a['licence'])}"
            title = f"Recruiting licence {a['licence']} — {a['name']}"
            body = [
                f"RL number: {a['licence']}",
                f"Recruiting agency: {a['name']}",
                f"City: {city}",
                "Status: valid",
                f"Licensed since: {a['since']}",
                "Synthetic training copy of a recruiting-agency list entry.",
            ]
        pages.append(
            _page(
                url,
                title,
                body,
                (world.now.date() - timedelta(days=rng.randrange(5, 60))).isoformat(),
            )
        )
    return pages


# ---------------------------------------------------------------------------------------------
# Job portals
# ---------------------------------------------------------------------------------------------


def _job_ad(rng, a, job, salary, dest, lang, phone_text, front=False):
    d_ur, d_bn, country = DEST.get(
        dest,
        (
            "بینکاک" if dest == "Bangkok" else dest,
            "ব্যাংকক" if dest == "Bangkok" else dest,
            "Thailand",
        ),
    )
    lic = a["printed"]
    if lang == "en":
        title = f"{job.title()} jobs in {dest} — {a['name']}"
        body = [
            f"{a['name']} is hiring {job}s for {dest}, {country}.",
            f"Salary {salary} per month plus accommodation.",
        ]
        body += (
            [
                "Visa and air ticket FREE. No interview, no experience needed.",
                "Processing fee Rs. 4.5 lakh (cash, mobile wallet or USDT). Seats limited!",
            ]
            if front
            else [
                rng.choice(
                    [
                        "Trade test and interview at our office.",
                        "Medical and protector formalities as per Bureau rules.",
                        "Two-year contract, overtime as per labour law.",
                    ]
                ),
                "Only the officially notified fee is charged, by bank deposit with receipt.",
            ]
        )
        body += [f"Licence No. {lic}" if lic else "", f"Contact: {phone_text}"]
    elif lang == "ur-Latn":
        nk, dv, vs = rng.choice(RU["naukri"]), rng.choice(RU["dubai"]), rng.choice(RU["visa"])
        place = dv if dest == "Dubai" else dest
        title = f"{place} mein {job} ki {nk} — {a['name']}"
        body = [
            f"{place} mein {job} ki {rng.choice(RU['zaroorat'])} hai.",
            f"{rng.choice(RU['tankhwa']).title()} {salary} mahana.",
        ]
        body += (
            [
                f"{vs.title()} aur ticket free. Koi interview nahi.",
                "Processing fee 4.5 lakh, USDT bhi qabool.",
            ]
            if front
            else [f"{vs.title()} aur protector company ke zimme, fees sirf bank ke zariye."]
        )
        body += [
            f"Licence No. {lic}" if lic else "",
            f"{rng.choice(RU['rabta']).title()}: {phone_text}",
        ]
    elif lang == "ur":
        title = f"{d_ur} میں نوکری — {a['name']}"
        body = [f"فوری ضرورت ہے: {JOBS_UR.get(job, job)} برائے {d_ur}", f"تنخواہ {salary} ماہانہ"]
        body += (
            ["ویزا اور ٹکٹ مفت۔ کوئی انٹرویو نہیں۔", "پروسیسنگ فیس ساڑھے چار لاکھ روپے"]
            if front
            else ["فیس صرف بینک کے ذریعے، رسید کے ساتھ۔"]
        )
        body += [f"لائسنس نمبر {lic}" if lic else "", f"رابطہ: {phone_text}"]
    else:
        title = f"{d_bn} চাকরি — {a['name']}"
        body = [f"জরুরি নিয়োগ: {JOBS_BN.get(job, job)} ({d_bn})", f"বেতন {salary}"]
        body += (
            ["ভিসা ফ্রি, টিকিট ফ্রি। কোনো ইন্টারভিউ নেই।", "প্রসেসিং ফি ৩.৫ লাখ টাকা"]
            if front
            else ["সরকার নির্ধারিত ফি, ব্যাংকের মাধ্যমে।"]
        )
        body += [f"লাইসেন্স নং {lic}" if lic else "", f"যোগাযোগ: {phone_text}"]
    return title, [b for b in body if b]


def _portal_pages(world, agencies, truth):
    rng = _rng(world, "portals")
    pages, n = [], 0
    front_jobs = [
        ("data entry operator", "USD 1,200"),
        ("customer support agent", "USD 1,500"),
        ("hotel receptionist", "AED 4,500"),
        ("IT helpdesk assistant", "USD 1,800"),
    ]
    for a in agencies:
        pk = a["country"] == "PK"
        count = {"licensed": rng.randrange(12, 24), "front": 14, "partner": 8, "borrower": 6}[
            a["kind"]
        ]
        for i in range(count):
            n += 1
            site = rng.choice(PORTALS[:2])[0] if pk else PORTALS[2][0]
            if a["kind"] in ("front", "partner"):
                job, salary = rng.choice(front_jobs)
                dest = rng.choice(["Dubai", "Bangkok"])
                langs = ["en", "ur-Latn", "ur"] if pk else ["en", "bn", "bn"]
                lang = langs[i % len(langs)]
                start = -30 if a["kind"] == "front" else -60
                published = _day(world, rng, start, (world.now.date() - world.start).days - 5)
            else:
                job, salary = rng.choice(LEGIT_JOBS)
                dest = rng.choice(list(DEST))
                lang = rng.choice(["en", "en", "ur-Latn", "ur"] if pk else ["en", "bn", "bn"])
                published = _day(world, rng)
            phone_text = (
                fmt_phone(rng, a["phone"])
                if a["kind"] != "licensed"
                else ids.format_phone_local(a["phone"], rng.choice(["national", "spaced"]))
            )
            title, body = _job_ad(
                rng, a, job, salary, dest, lang, phone_text, front=a["kind"] in ("front", "partner")
            )
            if a["kind"] == "borrower":
                body.insert(
                    0,
                    rng.choice(
                        ["Urgent visas, quick departure.", "Work visa in 15 days, guaranteed."]
                    ),
                )
            body.append(f"Advertiser: {a['name']}")
            url = f"https://{site}/jobs/{n:05d}-{ids.slug(title)[:40].strip('-') or 'job'}"
            pages.append(_page(url, title, body, published, language=lang))
            truth["portal_ads"].append({"url": url, "agency": a["name"]})
    # Local (domestic) jobs: no overseas licence needed.
    phones = _Phones(world, _rng(world, "local-phones"))
    for _ in range(220):
        n += 1
        job = rng.choice(LOCAL_JOBS)
        city = PLACES[rng.choice(PK_CITIES)].name
        employer = f"{rng.choice(names.PK_FAMILY)} {rng.choice(['Traders', 'Foods', 'Pharmacy', 'School System', 'Motors', 'Textiles'])}"
        title = f"{job.title()} required in {city} — {employer}"
        body = [
            f"{employer}, {city}, needs a {job}.",
            f"Salary PKR {rng.randrange(35, 120)},000.",
            rng.choice(
                [
                    "Fresh graduates may apply.",
                    "Two years' experience required.",
                    "Morning shift, Monday to Saturday.",
                ]
            ),
            f"Call {ids.format_phone_local(phones.new('PK'))}",
        ]
        site = rng.choice(PORTALS[:2])[0]
        pages.append(
            _page(
                f"https://{site}/jobs/{n:05d}-{ids.slug(title)[:40].strip('-')}",
                title,
                body,
                _day(world, rng),
            )
        )
    return pages


# ---------------------------------------------------------------------------------------------
# Classifieds (with city sub-domains), including the smuggling cell's "dunki" ads
# ---------------------------------------------------------------------------------------------


def _classified_pages(world, truth, users):
    rng = _rng(world, "classifieds")
    phones = _Phones(world, _rng(world, "classified-phones"))
    smug = world.actor_by_role("smuggler")
    vendor = world.actor_by_role("document_vendor")
    pages, n = [], 0
    cities = [
        "lahore",
        "gujranwala",
        "gujrat",
        "sialkot",
        "faisalabad",
        "rawalpindi",
        "mandi-bahauddin",
        "quetta",
    ]

    def add(title, body, category, city, published, lang="en", poster=None):
        nonlocal n
        n += 1
        poster = poster or rng.choice(users)
        url = f"https://{city}.{CLASSIFIEDS}/item/{n:06d}-{ids.slug(title)[:40].strip('-') or 'ad'}"
        pages.append(
            _page(
                url,
                title,
                body
                + [
                    f"Category: {category}",
                    f"Posted by {poster}",
                    f"City: {city.replace('-', ' ').title()}",
                ],
                published,
                language=lang,
            )
        )
        return url

    goods = [
        (
            "Samsung Galaxy A54 for sale",
            "Mobile Phones",
            "Rs. 68,000, 10/10 condition, box and charger.",
        ),
        ("Honda CD 70 2021 model", "Motorbikes", "Token paid, first owner, Rs. 145,000."),
        ("Infinix Hot 30 urgent sale", "Mobile Phones", "PTA approved, 8/128, Rs. 31,000."),
        (
            "2 marla house for rent",
            "Property for Rent",
            "Gas, water, electricity. Rs. 25,000/month.",
        ),
        ("Shop for rent on main road", "Property for Rent", "Ideal for mobile shop, Rs. 40,000."),
        ("LED TV 43 inch", "Electronics", "Used one year, Rs. 52,000."),
        ("Split AC 1.5 ton inverter", "Electronics", "Cooling perfect, Rs. 98,000."),
        ("Yamaha YBR 125", "Motorbikes", "Golden number plate, Rs. 310,000."),
        ("Laptop Core i5 8th gen", "Electronics", "8 GB RAM, 256 SSD, Rs. 65,000."),
        ("Room for bachelors", "Property for Rent", "Near university, Rs. 12,000."),
    ]
    livestock = [
        ("Healthy goat for sale", "Sahiwal breed, vaccinated, Rs. 85,000."),
        ("Cow with calf", "Gives 12 litres milk daily, Rs. 320,000."),
        ("Buffalo for sale", "Nili Ravi, second calf, Rs. 450,000."),
        ("Donkey for sale", "Strong working donkey, 4 years old, Rs. 60,000."),
        ("Donkey cart (gadha rehri) for sale", "Cart with donkey, ready for work."),
        ("Sheep pair", "Kajli sheep, Rs. 140,000 for both."),
    ]
    travel = [
        ("Umrah package 21 days", "Hotel near Haram, visa and ticket included, licensed operator."),
        ("Dubai visit visa 30 days", "Tourist visit visa only. Not a work visa. Fees on receipt."),
        (
            "Europe tour Schengen appointment guidance",
            "We help with documents for a tourist visa "
            "to Italy, Greece or Spain. Legal process only, embassy decides.",
        ),
        ("Air tickets all airlines", "Lahore to Dubai, Doha, Jeddah. Best fares, IATA agent."),
        ("Malaysia visit visa", "Visit visa 30 days. Not for work."),
    ]
    for _ in range(1250):
        title, cat, desc = rng.choice(goods)
        add(
            title,
            [desc, f"Call {fmt_phone(rng, phones.new('PK'))}"],
            cat,
            rng.choice(cities),
            _day(world, rng),
        )
    for _ in range(110):
        title, desc = rng.choice(livestock)
        add(
            title,
            [desc, f"Call {ids.format_phone_local(phones.new('PK'))}"],
            "Livestock",
            rng.choice(cities),
            _day(world, rng),
        )
    for _ in range(60):
        title, desc = rng.choice(travel)
        add(
            title,
            [desc, f"Contact {ids.format_phone_local(phones.new('PK'))}"],
            "Travel & Visa",
            rng.choice(cities),
            _day(world, rng),
        )
    # Legitimate agents warning against dunki: they mention the word but offer no route.
    for _ in range(4):
        add(
            "Work visa for Europe — legal process only",
            [
                "No dunki! Only legal work visas with a contract and protector stamp.",
                "Beware of agents who promise Greece or Italy by road.",
                f"Contact {ids.format_phone_local(phones.new('PK'))}",
            ],
            "Travel & Visa",
            rng.choice(cities),
            _day(world, rng),
        )
    # The smuggling cell's ads: many spellings, two routes, fees in lakh with a saraf guarantee.
    routes = [
        "Iran, Turkey, Greece",
        "Libya to Italy by boat",
        "Turkey to Greece by road",
        "Quetta, Taftan, Iran, Turkey, Europe",
    ]
    smug_phones = list(dict.fromkeys(smug.phones))
    for i in range(24):
        spelling = DUNKI[i % len(DUNKI)]
        route = rng.choice(routes)
        fee = rng.choice([18, 22, 25, 28, 30])
        if spelling == "ڈنکی":
            title = f"ڈنکی کے ذریعے یورپ — {route}"
            body = [
                f"ڈنکی کے ذریعے یورپ: {route}۔ فیس {fee} لاکھ، صراف کی گارنٹی۔",
                f"رابطہ: {fmt_phone(rng, rng.choice(smug_phones))}",
            ]
            lang = "ur"
        else:
            title = rng.choice(
                [
                    f"Europe by {spelling} — {route}",
                    f"{spelling.title()} Europe guarantee",
                    f"Greece/Italy {spelling} lagwaen, {fee} lakh",
                ]
            )
            body = [
                f"{spelling.title()} route: {route}. Fee {fee} lakh in instalments.",
                "Payment after arrival, guarantee with saraf/hawala.",
                f"WhatsApp {fmt_phone(rng, rng.choice(smug_phones))}",
            ]
            lang = "ur-Latn" if "lagwaen" in title else "en"
        url = add(
            title,
            body,
            "Travel & Visa",
            rng.choice(["gujrat", "mandi-bahauddin", "quetta", "sialkot"]),
            _day(world, rng, -60),
            lang,
            poster=rng.choice(users),
        )
        truth["dunki_ads"].append(url)
    for _ in range(10):
        add(
            rng.choice(
                [
                    "Visa stamping any country",
                    "Urgent passport and visa service",
                    "Schengen visa file ready",
                ]
            ),
            [
                "All documents available, 100% working. Payment in BTC only.",
                f"Paigham: {fmt_phone(rng, vendor.phones[0])}",
            ],
            "Travel & Visa",
            rng.choice(["rawalpindi", "lahore"]),
            _day(world, rng, -90),
        )
    return pages


# ---------------------------------------------------------------------------------------------
# Forum, profiles (with the recruiter's reused handle), company registry, news, blogs, documents
# ---------------------------------------------------------------------------------------------


def _forum_pages(world, truth, users):
    rng = _rng(world, "forum")
    front, _rec = world.front, world.actor_by_role("recruiter_pk")
    wa = truth["wa_number"]
    lic = front.claimed_licence_no
    pages = []
    topics = [
        (
            "Is {a} genuine? Anyone went through them?",
            [
                "I got an offer for {j} in {d} from {a}.",
                "They ask for the fee by bank deposit. Is this agency licensed?",
                "Reply: check the OEP register before paying.",
            ],
        ),
        (
            "Protector stamp process for {d}",
            [
                "How many days does the protector office take?",
                "Reply: usually 2 days, bring the visa, contract and fee receipt.",
            ],
        ),
        (
            "IELTS needed for {d} nursing jobs?",
            [
                "My sister is a staff nurse and got an offer for {d}.",
                "Reply: depends on the employer, ask for the demand letter.",
            ],
        ),
        (
            "Visit visa vs work visa for {d}",
            [
                "An agent says go on a visit visa and the work permit comes later.",
                "Reply: never travel for work on a visit visa, you will have no protection.",
            ],
        ),
        (
            "Dunki experience — never again",
            [
                "My cousin went by dunki through Iran and Turkey.",
                "He was held in a house for "
                "weeks and the agent asked for more lakhs. Please don't do it.",
            ],
        ),
        (
            "Best exchange rate for remittance",
            ["Which bank gives the best rate for {d} to Pakistan?"],
        ),
    ]
    agencies = [o.name for o in world.licensed_recruiters()]
    for n in range(1, 521):
        t, body = rng.choice(topics)
        fill = {
            "a": rng.choice(agencies),
            "d": rng.choice(list(DEST)),
            "j": rng.choice(LEGIT_JOBS)[0],
        }
        title = t.format(**fill)
        text = [b.format(**fill) for b in body] + [f"Posted by {rng.choice(users)}"]
        pages.append(
            _page(
                f"https://{FORUM}/threads/{n:05d}-{ids.slug(title)[:40].strip('-')}",
                title,
                text,
                _day(world, rng),
            )
        )
    # Story threads: the front's early recruiting post (before its website), warnings, a relative.
    early = (world.start - timedelta(days=rng.randrange(35, 70))).isoformat()
    story = [
        (
            f"Jobs in Dubai and Bangkok — {front.name}",
            [
                f"Data entry and hotel jobs in Dubai and Bangkok. Licence No. {lic}.",
                f"Free visa, free ticket. WhatsApp {ids.format_phone_local(wa, 'spaced')}",
                f"Posted by {truth['recruiter_handle']}",
            ],
            early,
        ),
        (
            f"Warning: {front.name} not on the OEP list",
            [
                f"I checked licence {lic} on the register and found nothing.",
                f"They asked my brother for 4.5 lakh on WhatsApp {ids.format_phone_local(wa, 'compact')}.",
                "Reply: report them to the FIA.",
            ],
            (world.start + timedelta(days=rng.randrange(40, 70))).isoformat(),
        ),
        (
            "My brother went to Bangkok for a data entry job, no news since",
            [
                f"He paid {front.name} and flew via Dubai on a visit visa.",
                "His last message came from near the border. Please help, anyone who knows.",
            ],
            (world.now.date() - timedelta(days=rng.randrange(5, 25))).isoformat(),
        ),
    ]
    for i, (title, text, published) in enumerate(story, start=1):
        pages.append(
            _page(
                f"https://{FORUM}/threads/{900 + i:05d}-{ids.slug(title)[:40].strip('-')}",
                title,
                text,
                published,
            )
        )
    return pages


def _profile_page(platform, handle, display, bio_lines, created, lang="en"):
    url = PROFILE_URLS[platform].format(handle=handle)
    title = f"{display} (@{handle}) — {PLATFORM_NAMES[platform]}"
    return _page(
        url,
        title,
        [f"@{handle}", display] + [b for b in bio_lines if b] + [f"Joined {created}"],
        created,
        language=lang,
    )


def _profiles(world, truth, users):
    rng = _rng(world, "profiles")
    phones = _Phones(world, _rng(world, "profile-phones"))
    pages = []
    for acc in world.accounts + world.public_users:
        lines = [acc.bio] + [fmt_phone(rng, p) for p in acc.phones] + acc.emails + acc.links
        pages.append(
            _profile_page(
                acc.platform, acc.handle, acc.display_name, lines, acc.created.isoformat()
            )
        )
    seen = {(a.platform, a.handle) for a in world.accounts + world.public_users}
    bios = [
        "Cricket lover",
        "Student at Punjab University",
        "Mobile shop owner",
        "Driver in Riyadh",
        "Proud Pakistani",
        "Cooking and recipes",
        "Nature photography",
        "Tailor, Sialkot",
        "Bike rider",
        "Teacher",
        "Working in Dubai",
        "Sylhet to London dreams",
        "Foodie",
    ]
    for handle in users:
        platform = rng.choice(
            ["chaupal", "chaupal", "jhalak", "paigham", "pardes-forum", "bazaar-ads"]
        )
        if (platform, handle) in seen:
            continue
        seen.add((platform, handle))
        display = " ".join(w.title() for w in handle.replace(".", "_").split("_") if w.isalpha())
        lines = [rng.choice(bios)]
        if rng.random() < 0.3:
            lines.append(ids.format_phone_local(phones.new("PK")))
        pages.append(
            _profile_page(platform, handle, display or handle, lines, _day(world, rng, -2000, -10))
        )
    # The Punjab recruiter reuses his short-video handle elsewhere; others use look-alikes.
    rec = world.actor_by_role("recruiter_pk")
    handle = truth["recruiter_handle"]
    wa = truth["wa_number"]
    base = handle.replace(".", "").replace("_", "")
    mine = [
        (
            "pardes-forum",
            handle,
            rec.alias,
            [f"Jobs in Dubai and Bangkok. WhatsApp {ids.format_phone_local(wa, 'national')}"],
        ),
        (
            "bazaar-ads",
            handle.replace(".", "_"),
            f"{rec.alias} jobs",
            [f"Overseas jobs. Call {ids.format_phone_local(wa, 'spaced')}"],
        ),
    ]
    decoys = [
        (
            "paigham",
            base,
            f"{rec.alias.title()} Cricket Club",
            ["Cricket club, Gujranwala", ids.format_phone_local(phones.new("PK"))],
        ),
        ("jhalak", f"{handle}{rng.randrange(2, 9)}", f"{rec.alias} fan", ["Funny videos daily"]),
        (
            "chaupal",
            f"{base}_{rng.randrange(100, 999)}",
            f"{rec.alias} Ali",
            ["Student", ids.format_phone_local(phones.new("PK"))],
        ),
    ]
    for platform, h, display, lines in mine + decoys:
        page = _profile_page(platform, h, display, lines, _day(world, rng, -200, -20))
        pages.append(page)
        key = "enumeration_mine" if (platform, h, display, lines) in mine else "enumeration_decoys"
        truth[key].append(page["url"])
    return pages


def _registry_pages(world, agencies, truth):
    rng = _rng(world, "registry")
    pages, used = [], set()
    front, ring = world.front, world.actor_by_role("ringleader")
    people = names.unique_names(rng, [("PK", rng.choice("mf")) for _ in range(400)])

    def company(name, directors, activity, incorporated, status="active"):
        while True:
            number = f"{rng.randrange(100000, 999999):07d}"
            if number not in used:
                used.add(number)
                break
        url = f"https://{COMPANY_REGISTRY}/company/{number}-{ids.slug(name)[:40].strip('-')}"
        pages.append(
            _page(
                url,
                f"{name} — company record {number}",
                [
                    f"Company name: {name}",
                    f"Company number: {number}",
                    f"Incorporated: {incorporated}",
                    f"Status: {status}",
                    f"Principal activity: {activity}",
                    "Directors: " + "; ".join(directors),
                    "Synthetic training copy of a company registry record.",
                ],
                incorporated,
            )
        )

    first_word = (
        front.name.split()[0]
        if front.name.split()[0] not in ("Al", "Sky", "New")
        else " ".join(front.name.split()[:2])
    )
    nominee = people.pop()
    truth["front_directors"] = [ring.name, nominee]
    company(
        f"{front.name} (Private) Limited",
        [ring.name, nominee],
        "Travel consultancy and human resource services",
        (front.registered_on - timedelta(days=rng.randrange(5, 30))).isoformat(),
    )
    company(
        f"{first_word} Textiles (Private) Limited",
        [people.pop(), people.pop()],
        "Textile weaving",
        (world.start - timedelta(days=rng.randrange(800, 4000))).isoformat(),
    )
    for a in agencies:
        if a["kind"] == "licensed" and a["country"] == "PK":
            company(
                f"{a['name']} (Private) Limited",
                [people.pop(), people.pop()],
                "Overseas employment promotion (licensed)",
                a["since"],
            )
    trades = [
        "Textiles",
        "Traders",
        "Foods",
        "Builders",
        "Pharma",
        "Motors",
        "Logistics",
        "Poultry",
        "Steel",
        "Rice Mills",
        "Software House",
        "Surgical",
    ]
    words = [
        "Punjab",
        "Kohinoor",
        "Mughal",
        "Ravi",
        "Falcon",
        "Crescent",
        "Green Valley",
        "Sitara",
        "Paragon",
        "Unique",
        "National",
        "Pak Asia",
        "Gulberg",
        "Citi",
        "Madina",
        "Zam Zam",
    ]
    for _ in range(320):
        company(
            f"{rng.choice(words)} {rng.choice(trades)} (Private) Limited",
            [people.pop() for _ in range(rng.choice([1, 2, 2, 3]))],
            rng.choice(
                [
                    "Manufacturing",
                    "Wholesale trade",
                    "Construction",
                    "IT services",
                    "Food processing",
                    "Transport",
                ]
            ),
            (world.start - timedelta(days=rng.randrange(30, 6000))).isoformat(),
            rng.choice(["active", "active", "active", "dissolved"]),
        )
        if len(people) < 5:
            people += names.unique_names(rng, [("PK", "m") for _ in range(200)])
    return pages


def _news_blog_pages(world):
    rng = _rng(world, "news")
    pages = []
    stories = [
        (
            "FIA arrests human smuggler in {c}",
            "The Federal Investigation Agency arrested a suspect "
            "in {c} accused of sending young men to Europe by dunki routes through Iran and Turkey.",
        ),
        (
            "Boat tragedy: families in {c} wait for news",
            "Relatives of migrants who left by sea from "
            "Libya gathered in {c}. Officials urged people not to pay agents for irregular routes.",
        ),
        (
            "Bureau warns against fake overseas job adverts",
            "The Bureau advised job seekers in {c} to "
            "check a promoter's licence on the official register and never to travel on a visit visa "
            "for work.",
        ),
        (
            "Remittances rise as workers in the Gulf send more home",
            "Workers from {c} sent more money home this quarter, bankers said.",
        ),
        (
            "{c} traffic plan for Eid announced",
            "The city traffic police announced diversions in {c}.",
        ),
        ("Cricket: {c} wins regional final", "{c} won the regional final by six wickets."),
        ("Heatwave expected in {c} this week", "The Met Office forecast temperatures above 44 C."),
        (
            "Scam compounds: rescued workers return",
            "Young people lured with data-entry jobs in "
            "Thailand were found in compounds across the Myanmar border, officials in {c} said.",
        ),
    ]
    bn_stories = [
        ("দুবাইতে চাকরির নামে প্রতারণা", "ভুয়া এজেন্টের বিরুদ্ধে সতর্ক থাকুন। লাইসেন্স যাচাই করুন।"),
        ("সিলেটে বন্যা পরিস্থিতি", "নদীর পানি বিপদসীমার উপরে।"),
    ]
    ur_stories = [
        (
            "ڈنکی کے ذریعے یورپ جانے والے گرفتار",
            "ایف آئی اے نے انسانی اسمگلنگ کے الزام میں ایجنٹ گرفتار کر لیا۔",
        ),
        (
            "بیرون ملک نوکری کے جعلی اشتہارات سے ہوشیار رہیں",
            "لائسنس کی تصدیق کے بغیر فیس ادا نہ کریں۔",
        ),
    ]
    cities = [PLACES[k].name for k in PK_CITIES + ["dhaka", "sylhet"]]
    n = 0
    for _ in range(340):
        n += 1
        site = rng.choice(NEWS_SITES)
        r = rng.random()
        if r < 0.08 and site != "dhaka-dispatch.example":
            title, text, lang = (*rng.choice(ur_stories), "ur")
        elif r < 0.16 and site == "dhaka-dispatch.example":
            title, text, lang = (*rng.choice(bn_stories), "bn")
        else:
            t, b = rng.choice(stories)
            c = rng.choice(cities)
            title, text, lang = t.format(c=c), b.format(c=c), "en"
        published = _day(world, rng, -600)
        pages.append(
            _page(
                f"https://{site}/{published[:4]}/{n:05d}-{ids.slug(title)[:40].strip('-') or 'news'}",
                title,
                [text, f"Staff reporter, {published}"],
                published,
                language=lang,
            )
        )
    posts = [
        (
            "How to check a recruiter's licence before you pay",
            [
                "Search the register by "
                "licence number and by name; both must match. A licence printed on an ad proves "
                "nothing until you find it on the register."
            ],
        ),
        (
            "Visit visa is not a work visa",
            [
                "Travelling for work on a visit visa leaves you "
                "without a contract, protector stamp or insurance."
            ],
        ),
        (
            "Mera Dubai ka safar",
            ["Dubae pohanch kar pata chala ke naukri hai hi nahi. Veeza sirf visit ka tha."],
        ),
        ("Dunky ka sach", ["Jo log dunky se gaye, un mein se kai wapas nahi aaye."]),
        ("Packing list for Gulf workers", ["Contract copy, protector receipt, emergency numbers."]),
    ]
    for i in range(150):
        title, text = rng.choice(posts)
        site = rng.choice(BLOGS)
        lang = "ur-Latn" if title.startswith(("Mera", "Dunky")) else "en"
        published = _day(world, rng, -700)
        pages.append(
            _page(
                f"https://{site}/posts/{i + 1:04d}-{ids.slug(title)[:40]}",
                title,
                text,
                published,
                language=lang,
            )
        )
    return pages


def _documents(world, agencies, truth):
    rng = _rng(world, "documents")
    front, ring = world.front, world.actor_by_role("ringleader")
    wa = truth["wa_number"]
    pages = []
    for i in range(120):
        year = rng.choice([2024, 2025, 2026])
        title = rng.choice(
            [
                "Circular: emigration fee schedule",
                "Circular: protector formalities",
                "Notice: cancelled OEP licences",
                "Guidelines for overseas job seekers",
                "Annual emigration statistics",
            ]
        )
        ext = rng.choice(["pdf", "pdf", "pdf", "xls", "docx"])
        pages.append(
            _page(
                f"https://{CIRCULARS}/files/{year}/{i + 1:03d}-{ids.slug(title)}.{ext}",
                f"{title} ({year})",
                [
                    "Synthetic training document.",
                    "Emigrants must register with the Protector of Emigrants before departure.",
                    "Fees are paid by bank only.",
                ],
                f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 28):02d}",
                filetype=ext,
            )
        )
    licensed = [a for a in agencies if a["kind"] == "licensed"]
    for i in range(78):
        a = rng.choice(licensed)
        dom = ids.domain_for(a["name"])
        kind, ext = rng.choice(
            [
                ("demand-letter", "pdf"),
                ("application-form", "docx"),
                ("fee-receipt", "xls"),
                ("selection-list", "pdf"),
            ]
        )
        pages.append(
            _page(
                f"https://{dom}/downloads/{kind}-{i + 1:03d}.{ext}",
                f"{a['name']} — {kind.replace('-', ' ')}",
                [
                    f"{a['name']}, licence {a['licence']}.",
                    f"{kind.replace('-', ' ').title()} for overseas applicants.",
                ],
                _day(world, rng),
                filetype=ext,
            )
        )
    base = f"https://{front.domain}/downloads"
    docs = [
        (
            f"{base}/application-form.docx",
            "docx",
            f"Application form — {front.name}",
            [
                "Name, CNIC, passport number, desired job (data entry / customer support / hotel).",
                f"Send with fee receipt to WhatsApp {ids.format_phone_local(wa, 'national')}.",
                f"Licence No. {front.claimed_licence_no}",
            ],
        ),
        (
            f"{base}/fee-schedule.xls",
            "xls",
            "Processing fee schedule",
            [
                "Job | Destination | Fee",
                "Data entry | Bangkok | PKR 450,000 or USDT 1,600",
                "Hotel receptionist | Dubai | PKR 400,000 or USDT 1,450",
            ],
        ),
        (
            f"{base}/offer-letter-sample.pdf",
            "pdf",
            "Offer letter (sample)",
            [
                "We are pleased to offer you the post of customer support agent in Bangkok.",
                f"Signed: {ring.name}, Chief Executive, {front.name}",
            ],
        ),
    ]
    for url, ext, title, text in docs:
        pages.append(
            _page(
                url,
                title,
                text,
                (world.start + timedelta(days=rng.randrange(1, 20))).isoformat(),
                filetype=ext,
            )
        )
        truth["front_documents"].append(url)
    return pages


# ---------------------------------------------------------------------------------------------
# Module 04's exercise thread: the Bangladeshi partner agency (its own random stream)
# ---------------------------------------------------------------------------------------------

_BN_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
_UR_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
#: Arabic-keyboard code points for Urdu letters: yeh, keheh, heh goal (the same word to a
#: reader, different characters to an index that does not fold them)
_ARABIC_FORMS = str.maketrans({"ی": "ي", "ک": "ك", "ہ": "ه"})


def _partner_pages(world, truth):
    """The partner agency's site (jobs page with its WhatsApp link, documents), pages that
    write its number in Bengali or Urdu digits, its company record, and route ads typed with
    Arabic code points, diacritics and zero-width joiners. Own stream: nothing else changes."""
    rng = _rng(world, "partner-web")
    agency, bd = world.partner_agency, world.actor_by_role("recruiter_bd")
    number = agency.phones[0]
    nat = ids.format_phone_local(number, "national")
    start = world.start
    base = f"https://{agency.domain}"
    pages = []

    def day(lo, hi):
        return (start + timedelta(days=rng.randrange(lo, hi))).isoformat()

    pages.append(
        _page(
            f"{base}/jobs",
            f"Jobs — {agency.name}",
            [
                "চাকরি দুবাই ও থাইল্যান্ড: হোটেল, অফিস, কল সেন্টার। ফ্রি ভিসা।",
                f"Apply on WhatsApp: {ids.format_phone_local(number, 'wa')}",
                f"ফোন: {nat.translate(_BN_DIGITS)}",
                f"RL {agency.claimed_licence_no}",
            ],
            day(-15, -5),
            language="bn",
        )
    )
    pages.append(
        _page(
            f"{base}/downloads",
            f"Downloads — {agency.name}",
            ["Application form, fee list and a sample offer letter."],
            day(-15, -5),
        )
    )
    docs = [
        (
            "application-form.pdf",
            "pdf",
            "Application form (Bangladesh candidates)",
            ["Name, NID, passport number, job wanted.", f"Send to WhatsApp {nat}."],
        ),
        (
            "fee-list.xls",
            "xls",
            "Fee list",
            [
                "Job | Destination | Fee",
                "Hotel | Dubai | ৳ ৩,৫০,০০০",
                "Data entry | Bangkok | ৳ ৪,৫০,০০০ or USDT 1,500",
            ],
        ),
        (
            "offer-letter.docx",
            "docx",
            "Offer letter (sample)",
            [
                "Customer support agent, Bangkok. Salary USD 1,100.",
                f"Signed: {bd.name}, for {agency.name}",
            ],
        ),
    ]
    truth["partner_documents"] = []
    for name, ext, title, text in docs:
        url = f"{base}/downloads/{name}"
        pages.append(_page(url, title, text, day(-12, 10), filetype=ext))
        truth["partner_documents"].append(url)
    # the number in other scripts' digits, and once with a look-alike (one digit off)
    lookalike = number[:-1] + str((int(number[-1]) + 1) % 10)
    truth["partner_phone_pages"] = []
    for url, title, text, lang, shows in [
        (
            f"https://{FORUM}/threads/{rng.randrange(10**5, 10**6)}-dubai-hotel-job-real",
            "দুবাই হোটেল চাকরি — আসল?",
            ["এই নম্বরে কথা বলেছি: " + nat.translate(_BN_DIGITS), "ফি সাড়ে তিন লাখ টাকা। লাইসেন্স আছে কি?"],
            "bn",
            True,
        ),
        (
            f"https://sylhet.bazaar-ads.example/ad/{rng.randrange(10**6, 10**7)}",
            "Dubai hotel job — Sylhet office",
            ["Free visa, free ticket. Call " + ids.format_phone_local(number, "spaced")],
            "en",
            True,
        ),
        (
            f"https://lahore.bazaar-ads.example/ad/{rng.randrange(10**6, 10**7)}",
            "یورپ کا کام — بنگلہ دیش پارٹنر",
            ["ڈھاکہ آفس رابطہ: " + nat.translate(_UR_DIGITS).translate(_ARABIC_FORMS)],
            "ur",
            True,
        ),
        (
            f"https://{FORUM}/threads/{rng.randrange(10**5, 10**6)}-wrong-number",
            "Wrong number calls",
            ["Someone keeps calling from " + ids.format_phone_local(lookalike, "national")],
            "en",
            False,
        ),
    ]:
        pages.append(_page(url, title, text, day(-5, 60), language=lang))
        if shows:
            truth["partner_phone_pages"].append(url)
    # route ads typed on Arabic keyboards, with diacritics and zero-width joiners
    for city, text in [
        ("gujrat", "ڈنكي لگاؤ — يورپ ٣ مہينے ميں"),
        ("mandi-bahauddin", "ڈَنْکی روٹ — ترکی، یونان۔ پیسے بعد میں"),
        ("sialkot", "ڈن‌کی گیم اٹلی — قسطیں"),
    ]:
        url = f"https://{city}.bazaar-ads.example/ad/{rng.randrange(10**6, 10**7)}"
        pages.append(
            _page(
                url,
                text.split(" — ")[0],
                [text, "WhatsApp only. Agent in Tehran."],
                day(0, 80),
                language="ur",
            )
        )
        truth["dunki_ads"].append(url)
    # its company record: who runs it
    nominee = names.unique_names(rng, [("BD", "m")])[0]
    number_reg = f"{rng.randrange(100000, 999999):07d}"
    reg_url = (
        f"https://{COMPANY_REGISTRY}/company/{number_reg}-{ids.slug(agency.name)[:40].strip('-')}"
    )
    pages.append(
        _page(
            reg_url,
            f"{agency.name} Limited — company record {number_reg}",
            [
                f"Company name: {agency.name} Limited",
                f"Company number: {number_reg}",
                f"Incorporated: {agency.registered_on.isoformat()}",
                "Status: active",
                "Principal activity: Travel agency (ticketing)",
                f"Directors: {bd.name}; {nominee}",
                "Synthetic training copy of a company registry record.",
            ],
            agency.registered_on.isoformat(),
        )
    )
    truth["partner_directors"] = [bd.name, nominee]
    return pages


def _user_handles(world, n=700) -> list[str]:
    rng = _rng(world, "users")
    people = names.unique_names(
        rng, [(rng.choice(["PK", "PK", "BD"]), rng.choice("mf")) for _ in range(n)]
    )
    taken = {a.handle for a in world.accounts + world.public_users}
    out = []
    for p in people:
        first, *rest = p.lower().split()
        h = rng.choice(
            [
                f"{first}_{rest[-1]}{rng.randrange(1, 99)}",
                f"{first}.{rest[-1]}",
                f"{first}{rng.randrange(100, 999)}",
                f"{rest[-1]}_{first}",
            ]
        )
        if h not in taken:
            taken.add(h)
            out.append(h)
    return out


def corpus(world) -> tuple[list[dict], dict]:
    """All module-04 pages of the offline web (the story pages are added by the web view) and
    the ground truth the exercise keys are made from."""
    rec = world.actor_by_role("recruiter_pk")
    main = next(
        a
        for a in world.accounts
        if a.owner == rec.actor_id and a.platform == "jhalak" and not a.backup_of
    )
    truth = {
        "wa_number": next(p for p in rec.phones if p not in world.front.phones),
        "recruiter_handle": main.handle,
        "portal_ads": [],
        "dunki_ads": [],
        "front_documents": [],
        "enumeration_mine": [],
        "enumeration_decoys": [],
    }
    for acc in world.accounts:
        if acc.owner == rec.actor_id and acc.platform == "jhalak":
            truth["enumeration_mine"].append(PROFILE_URLS["jhalak"].format(handle=acc.handle))
    users = _user_handles(world)
    agencies = _agencies(world)
    truth["agencies"] = agencies
    pages = (
        _register_pages(world, agencies)
        + _portal_pages(world, agencies, truth)
        + _classified_pages(world, truth, users)
        + _forum_pages(world, truth, users)
        + _profiles(world, truth, users)
        + _registry_pages(world, agencies, truth)
        + _news_blog_pages(world)
        + _documents(world, agencies, truth)
        + _partner_pages(world, truth)
    )
    return pages, truth


def filler_pages(n: int, seed: int = 0) -> list[dict]:
    """``n`` background pages (job ads, classifieds, news) for benchmarks; not part of the case."""
    rng = random.Random(f"osintlab/bench/{seed}")
    common = (
        "job visa dubai salary hotel driver cook agent fee lakh europe greece italy urgent "
        "contract licence register passport ticket free interview bangkok data entry "
        "customer support cricket weather market price rent shop mobile bike goat cow "
        "naukri nokri veeza tankhwa rabta zaroorat"
    ).split()
    syll = [
        "ka",
        "ra",
        "ma",
        "sa",
        "ta",
        "na",
        "la",
        "pa",
        "ba",
        "da",
        "ja",
        "ha",
        "ri",
        "mi",
        "ko",
        "lo",
        "zu",
        "an",
        "ar",
        "in",
        "ul",
        "ish",
        "ab",
        "ez",
    ]
    stop = "the and of to in for with on is at by from a this that".split()
    rare = sorted(
        {"".join(rng.choice(syll) for _ in range(rng.randrange(2, 5))) for _ in range(20000)}
        - set(common)
    )
    rng.shuffle(rare)
    words = stop + rare
    for w in common:  # domain words: frequent, but not stop-word frequent
        words.insert(rng.randrange(len(stop) + 5, 400), w)
    cum, total = [], 0.0
    for i in range(len(words)):  # Zipf's law
        total += 1.0 / (i + 1)
        cum.append(total)

    def sentence(k):
        return " ".join(rng.choices(words, cum_weights=cum, k=k))

    sites = (
        [p[0] for p in PORTALS]
        + [f"{c}.{CLASSIFIEDS}" for c in ("lahore", "gujrat")]
        + list(NEWS_SITES)
        + [FORUM]
    )
    pages = []
    start = date(2024, 1, 1)
    for i in range(n):
        site = rng.choice(sites)
        title = sentence(rng.randrange(3, 8)).capitalize()
        text = [sentence(rng.randrange(8, 20)) for _ in range(rng.randrange(2, 6))]
        ext = rng.choice(["html"] * 12 + ["pdf", "docx", "xls"])
        url = f"https://{site}/b/{i:07d}-{ids.slug(title)[:30]}" + (
            "" if ext == "html" else f".{ext}"
        )
        pages.append(
            _page(
                url,
                title,
                text,
                (start + timedelta(days=rng.randrange(900))).isoformat(),
                language=rng.choice(["en", "en", "ur-Latn"]),
                filetype=ext,
            )
        )
    return pages
