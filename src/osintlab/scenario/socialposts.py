"""Platform exports for module 02: accounts, handle history, groups, posts, comments and media.

Built from the world's accounts (the network, its back-ups, licensed recruiters as decoys and
ordinary users) plus news outlets, two unrelated smuggling advertisers and a crowd of ordinary
users added here, so that manual reading does not scale. Every planted item is recorded in
:class:`SocialExport` ``truth`` (never written to ``datasets/`` in plain form).

    >>> from osintlab.scenario.world import build_world
    >>> ex = generate(build_world(3))
    >>> len(ex.posts) > 2000 and all(p["text"] is not None for p in ex.posts)
    True
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..reference.gazetteer import PLACES, SMUGGLING_ROUTES
from . import identifiers as ids
from . import invites, names, socialcraft
from .world import Account, World

# ---------------------------------------------------------------------------------------------
# Word pools
# ---------------------------------------------------------------------------------------------

JOBS_EN = [
    "data entry",
    "customer support",
    "hotel receptionist",
    "online sales (typing)",
    "IT helpdesk",
    "call centre agent",
    "computer operator",
]
JOBS_UR = ["ڈیٹا انٹری", "کسٹمر سپورٹ", "ہوٹل ریسیپشن", "کمپیوٹر آپریٹر"]
JOBS_BN = ["ডাটা এন্ট্রি", "কাস্টমার সাপোর্ট", "হোটেল রিসেপশন", "কম্পিউটার অপারেটর"]
DEST = {
    "en": ["Dubai", "Bangkok", "Thailand"],
    "ur-Latn": ["Dubai", "Bangkok", "Thailand"],
    "ur": ["دبئی", "بنکاک"],
    "bn": ["থাইল্যান্ড", "দুবাই"],
}
SALARIES = [
    "USD 1,200/month",
    "USD 1,500/month",
    "USD 1,800/month",
    "AED 4,500/month",
    "$1,300 per month",
]

FRAUD_TEMPLATES = {
    "en": [
        "🔥 URGENT HIRING 🔥 {job} jobs in {dest}! Salary {salary} + free accommodation. Free visa "
        "& ticket. No interview, no experience. Processing fee only {fee}. WhatsApp only: {contact}",
        "{dest} jobs available ✈️ {job} — {salary}. Visit visa, work permit after arrival. "
        "Departure within 2 weeks. Seats limited! Processing fee {fee} (cash / mobile wallet / "
        "USDT). Contact {contact}",
        "Apply now: {job} staff for Bangkok via Dubai. Typing test only. High salary {salary}. "
        "Submit your passport + CNIC copy. Registration fee {fee}. WhatsApp only {contact}",
        "Job offer ✅ {job} in {dest}. {salary}, free ticket, free food. No interview needed. "
        "Send USDT (TRC20) for processing: {wallet} then WhatsApp {contact}",
    ],
    "ur-Latn": [
        "{dest} mein {job} ki job 🔥 Tankhwah {salary}. Visa muft, ticket muft! Interview nahi "
        "hoga. Processing fee sirf {fee}. Sirf WhatsApp karein: {contact}",
        "Bhaiyo {dest} job ke liye jaldi karein, seats limited! Visit visa pe jana hai, work "
        "permit after arrival. Processing fee {fee} advance payment. Inbox karein ya {contact}",
        "Naukri hi naukri! {job} {dest} — bhari salary {salary}. Bina interview. Passport jama "
        "karwayen. Fee {fee}. Rabta sirf WhatsApp {contact}",
    ],
    "ur": [
        "{dest} میں {job} کی نوکری، فوری بھرتی! تنخواہ {salary}۔ مفت ویزا اور ٹکٹ۔ بغیر انٹرویو۔ "
        "پروسیسنگ فیس {fee}۔ صرف واٹس ایپ: {contact}",
        "نوکری کا سنہری موقع: {job}، {dest}۔ وزٹ ویزا پر روانگی۔ ایڈوانس فیس {fee}۔ پاسپورٹ جمع "
        "کروائیں۔ رابطہ {contact}",
    ],
    "bn": [
        "{dest} জরুরি নিয়োগ! {job} চাকরি — বেতন {salary}। ফ্রি ভিসা, ফ্রি টিকেট। ইন্টারভিউ ছাড়া। "
        "প্রসেসিং ফি {fee}। শুধু হোয়াটসঅ্যাপ: {contact}",
        "দুবাই হয়ে থাইল্যান্ড চাকরি ({job})। ভিজিট ভিসা। অগ্রিম টাকা {fee}। সিট সীমিত! পাসপোর্ট জমা "
        "দিন। যোগাযোগ {contact}",
    ],
}

SMUGGLING_TEMPLATES = {
    "en": [
        "Europe by road {route} 100% safe, guarantee ✅ Total {price}, {advance} advance, rest "
        "after arrival. Money with saraf. WhatsApp {contact}",
        "New game open 🚤 {route}. Price {price} only. Instalments possible. Payment after "
        "reaching. Inbox or WhatsApp {contact}",
        "Dunki update: group leaving next week {route}. {price}, saraf guarantee. Max 25 people. "
        "Contact {contact}",
    ],
    "ur-Latn": [
        "Dunki lagao bhaiyo 🔥 {route} Kharcha {price}, {advance} advance baqi pohanch kar. "
        "Saraf ke paas amanat. 100% safe guarantee ✅ WhatsApp {contact}",
        "Game chal raha hai 🚤 {route}. Sirf {price}, qiston mein bhi. Hawala guarantee. "
        "Rabta {contact}",
        "Taxi game available {route} 🚛 by road. {price} total. Paise pohanch kar dena. "
        "Inbox karein {contact}",
    ],
    "ur": [
        "ڈنکی کا نیا گروپ: {route}۔ خرچہ {price}، {advance} ایڈوانس باقی پہنچ کر۔ صراف کے پاس امانت۔ "
        "گارنٹی ✅ واٹس ایپ {contact}",
    ],
}

TESTIMONIALS = {
    "en": [
        "Alhamdulillah reached safely in {dest} {flag} thank you {alias} bhai 🙏 best service",
        "Our group safely reached {dest} {flag}. Thank you {alias} bhai, payment after arrival "
        "as promised ✅",
    ],
    "ur-Latn": [
        "Alhamdulillah pohanch gaye {dest} {flag} shukriya {alias} bhai 🙏",
        "Bhai log hum {dest} pohanch gaye {flag} 🚤 shukriya {alias} bhai, sab safe",
    ],
    "ur": ["الحمدللہ ہم {dest_ur} پہنچ گئے {flag} شکریہ {alias} بھائی 🙏"],
}

DOC_TEMPLATES = [
    "Visa sticker available ✅ any country visa, original looking. UAE residence card, Schengen "
    "stamp. Payment BTC only: {btc} — DM {contact}",
    "Documents available: passport, visa stamp, work permit. 100% original looking. Price in "
    "bitcoin. Send to {btc} and inbox {contact}",
    "ویزا سٹیکر اور کاغذات دستیاب ہیں۔ any country visa. BTC: {btc} رابطہ {contact}",
]

SARAF_TEMPLATES = [
    "Saraf service Quetta / Taftan: aap ki amanat mehfooz. Payment after arrival, hawala "
    "guarantee. {contact}",
    "Hawala aur hundi ke liye rabta karein. Amanat system, 100% bharosa. {contact}",
    "صراف سروس: آپ کی امانت محفوظ۔ پہنچ کر ادائیگی۔ {contact}",
]

LEGIT_TEMPLATES = [
    "{name} ({lic_label} {lic}). Demand received: {n} {trade} for {country}. Interviews "
    "at our {city} office on {day}. Fees only as notified by the Bureau, by bank deposit with "
    "receipt. Call {contact}",
    "Now hiring through the Protector of Emigrants: {trade} for {country}, employer visa and "
    "signed contract. Licence {lic}. Trade test and interview at {city}. {contact}",
    "Beware of fake agents! {name} never asks for cash or crypto. Verify our licence {lic} on "
    "the official register. Office {city}. {contact}",
    "Congratulations to our {n} workers who departed for {country} today on employment visas 🎉 "
    "— {name}, licence {lic}",
]
LEGIT_TEMPLATES_BN = [
    "{name} (BMET licensed {lic}): {country} এর জন্য {n} জন {trade_bn} প্রয়োজন। সাক্ষাৎকার {city} "
    "অফিসে। সরকার নির্ধারিত খরচ, ব্যাংকের মাধ্যমে। {contact}",
    "সতর্ক থাকুন! {name} কখনো নগদ টাকা চায় না। লাইসেন্স {lic} যাচাই করুন। {contact}",
]
TRADES = ["electricians", "construction workers", "nurses", "drivers", "welders", "cooks"]
TRADES_BN = ["ইলেকট্রিশিয়ান", "নির্মাণ শ্রমিক", "নার্স", "ড্রাইভার"]
LEGIT_COUNTRIES = ["Saudi Arabia", "Qatar", "Oman", "Kuwait", "Malaysia"]

NEWS_TEMPLATES = [
    "{outlet}: {n} youths from {city} missing after 'job' trip to Thailand, families say.",
    "{outlet}: Rupee closes steady; petrol price unchanged this fortnight.",
    "{outlet}: Heavy rain expected in {city} over the weekend, Met Office says.",
    "{outlet}: Cricket — {city} Qalandars-style club wins the local T20 final.",
    "{outlet}: Officials urge job seekers to verify recruiters on the licence register before "
    "paying anything.",
    "{outlet}: Boat tragedy off Greece — migrants from Punjab among the missing.",
    "{outlet}: Prices of flour and sugar rise again in {city}.",
    "{outlet}: New passport office opens in {city}.",
]
NEWS_QUOTE = (
    '{outlet} investigation: an advert circulating online reads "Free visa & ticket, no '
    'interview, processing fee {fee}, WhatsApp only {contact}". Officials say no such licence '
    "exists. Job seekers must check the register."
)
NEWS_QUOTE_SMUG = (
    "{outlet}: 'Dunki' adverts promise Europe by road {route} for {price} with a saraf "
    "guarantee. FIA warns the journey kills."
)

ORDINARY = {
    "en": [
        "What a match yesterday 🏏 {team} deserved it!",
        "Good morning from {city} ☀️",
        "Anyone selling a used bike in {city}? Budget 1.5 lakh",
        "Eid Mubarak to all 🌙",
        "Load shedding again in {city} 😩",
        "Best biryani in {city}? Suggestions please 🍛",
        "Looking for a job in Dubai, any genuine agent? Please no fake ones",
        "My cousin got a work visa for Qatar through a licensed agent, took 3 months",
        "Selling iPhone 12, good condition, call {phone}",
        "Exam results out today 🎓",
        "Traffic on GT Road is crazy today",
        "Need tuition teacher for class 9 in {city}",
        "Join our family whatsapp group for wedding updates 💍",
        "Rain finally! 🌧️",
        "Beware: people asking for fees for jobs abroad, check the licence first",
    ],
    "ur-Latn": [
        "Kal ka match kamaal tha 🏏 {team} zindabad",
        "Aaj {city} mein bohat garmi hai 🥵",
        "Koi genuine agent bataye Dubai job ke liye? Free visa wale se bachna 🙏",
        "Bike sale ke liye, rabta {phone}",
        "Ammi ki tabiyat theek nahi, dua karein 🤲",
        "Shaadi ka card aa gaya 💍 sab ko dawat",
        "Biryani ya karahi? 😋",
        "Bhai Saudi ka visa kitne ka hai aaj kal? licence wala agent chahiye",
        "Naya phone liya 📱 Infinix",
        "{city} mein light phir gayi 😩",
        "Jumma Mubarak 🌙",
        "Koi tuition teacher chahiye class 10 ke liye {city} mein",
        "Mera number badal gaya hai, naya number {phone}",
    ],
    "ur": [
        "آج {city} میں موسم بہت اچھا ہے",
        "جمعہ مبارک 🌙",
        "کل کا میچ زبردست تھا 🏏",
        "ہماری دکان پر نئی گاڑیوں کے پرزے دستیاب ہیں، رابطہ {phone}",
        "امی کی صحت کے لیے دعا کریں 🤲",
        "بیرون ملک نوکری سے پہلے ایجنٹ کا لائسنس چیک کریں",
        "شادی کی تیاریاں شروع 💍",
        "{city} میں آج بجلی نہیں ہے",
    ],
    "bn": [
        "আজ {city} তে খুব বৃষ্টি 🌧️",
        "ঈদ মোবারক সবাইকে 🌙",
        "কেউ কি বিদেশে চাকরির ভালো এজেন্ট চেনেন?",
        "নতুন দোকান খুলেছি, যোগাযোগ {phone}",
        "আজকের খেলা দারুণ ছিল 🏏",
        "মায়ের জন্য দোয়া করবেন",
        "বিয়ের দাওয়াত 💍",
        "বিদেশে যাওয়ার আগে লাইসেন্স যাচাই করুন",
    ],
}
TEAMS = ["Pakistan", "Lahore", "Gujranwala XI", "Bangladesh", "Sylhet Strikers", "Karachi"]

COMMENTS_RECRUIT = [
    "Interested",
    "Fee kitni hai?",
    "Price?",
    "Bhai number do",
    "Mujhe bhi jana hai",
    "Kya yeh licensed hai?",
    "আমি আগ্রহী",
    "فیس کتنی ہے؟",
    "Ladies ke liye bhi hai?",
    "Inbox check karein",
    "Salary pakki hai?",
]
COMMENTS_SMUG = [
    "Greece kitne ka?",
    "Payment after arrival sach mein?",
    "Italy route hai?",
    "Bhai group kab ja raha?",
    "Mera bhai bhi jana chahta hai",
    "Saraf kaun hai?",
    "Kitne din lagte hain?",
    "یونان کتنے کا؟",
]
COMMENTS_PUBLIC = [
    "Zabardast 👍",
    "Ameen",
    "Sahi kaha",
    "😂😂",
    "Mashallah",
    "Congrats 🎉",
    "Kahan se liya?",
    "ঠিক বলেছেন",
    "بہت خوب",
    "Same here",
    "Price?",
]


# ---------------------------------------------------------------------------------------------
# Export structure
# ---------------------------------------------------------------------------------------------


@dataclass
class SocialExport:
    accounts: list[dict]
    history: list[dict]
    groups: list[dict]
    posts: list[dict]
    comments: list[dict]
    media: list[dict]
    truth: dict = field(default_factory=dict)


def _fmt_phone(rng: random.Random, e164: str, foreign_ok: bool = True) -> str:
    """How a number is written in a post: national for PK/BD, international otherwise."""
    local = e164.startswith(("+92", "+880"))
    styles = (
        ["national", "national", "spaced", "compact", "wa"]
        if local
        else ["spaced", "compact", "wa"]
    )
    style = rng.choice(styles)
    text = ids.format_phone_local(e164, style)
    return text


def _partial_phone(rng: random.Random, e164: str) -> str:
    """A malformed or partial rendering (always written without '+')."""
    nat = ids.format_phone_local(e164, "national")
    how = rng.choice(["drop", "mask", "short"])
    if how == "drop":
        return nat[:-1]
    if how == "mask":
        return nat[:-2] + "xx"
    return nat[:7]


def _typo(rng: random.Random, addr: str) -> str:
    """One character changed: the checksum no longer holds."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    if addr.startswith("bc1"):
        alphabet = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
    i = rng.randrange(5, len(addr) - 2)
    c = rng.choice([a for a in alphabet if a != addr[i]])
    return addr[:i] + c + addr[i + 1 :]


def _fingerprint(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:16]


def _flip_bits(fp: str, rng: random.Random, n: int) -> str:
    v = int(fp, 16)
    for b in rng.sample(range(64), n):
        v ^= 1 << b
    return f"{v:016x}"


# ---------------------------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------------------------


def generate(world: World) -> SocialExport:
    g = _Gen(world)
    g.run()
    ex = SocialExport(g.accounts, g.history, g.groups, g.posts, g.comments, g.media, g.truth)
    ex.world = world
    return ex


class _Gen:
    def __init__(self, world: World):
        self.w = world
        self.rng = world.rng("social/posts")
        self.accounts: list[dict] = []
        self.acc_by_id: dict[str, dict] = {}
        self.history: list[dict] = []
        self.groups: list[dict] = []
        self.posts: list[dict] = []
        self.comments: list[dict] = []
        self.media: list[dict] = []
        self.truth: dict = {
            "labels": {},
            "front_phones": set(),
            "wallets": set(),
            "typo_wallets": set(),
            "renamed_mentions": {},
            "partial_phones": 0,
        }
        self.periods: dict[str, list[tuple[str, date]]] = {}  # account -> [(handle, from)]
        self.peak: dict[str, int] = {}
        self.tz: dict[str, str] = {}
        self.end = world.now - timedelta(days=2)

    # -- accounts -------------------------------------------------------------------------------
    def _owner_place(self, owner: str) -> str:
        w = self.w
        if owner.startswith("A"):
            return w.actor(owner).place
        if owner.startswith("ORG"):
            return w.org(owner).place
        return "lahore"

    def add_account(
        self, acc: Account, *, place: str, verified=False, followers=None, extra_bio=""
    ) -> dict:
        rng = self.rng
        bio = acc.bio
        bits = []
        for p in acc.phones:
            bits.append("📞 " + _fmt_phone(rng, p))
        bits += acc.emails + acc.links
        if extra_bio:
            bits.append(extra_bio)
        if bits:
            bio = (bio + " | " if bio else "") + " | ".join(bits)
        row = {
            "account_id": acc.account_id,
            "platform": acc.platform,
            "handle": acc.handle,
            "display_name": acc.display_name,
            "kind": acc.kind,
            "created": acc.created.isoformat(),
            "bio": bio,
            "verified": verified,
            "followers": followers if followers is not None else rng.randrange(20, 4000),
        }
        self.accounts.append(row)
        self.acc_by_id[acc.account_id] = row
        self.tz[acc.account_id] = PLACES[place].tz
        # handle periods: each history entry used from its date until the next one
        periods = list(acc.handle_history)
        if periods:
            last_from = periods[-1][1] + timedelta(days=rng.randrange(15, 40))
            periods.append((acc.handle, last_from))
            for i, (old, since) in enumerate(periods[:-1]):
                self.history.append(
                    {
                        "account_id": acc.account_id,
                        "platform": acc.platform,
                        "old_handle": old,
                        "used_from": since.isoformat(),
                        "changed_on": periods[i + 1][1].isoformat(),
                    }
                )
        else:
            periods = [(acc.handle, acc.created)]
        self.periods[acc.account_id] = periods
        return row

    def handle_at(self, account_id: str, when: datetime) -> str:
        h = self.periods[account_id][0][0]
        for handle, since in self.periods[account_id]:
            if when.date() >= since:
                h = handle
        return h

    # -- time -----------------------------------------------------------------------------------
    def when(
        self, account_id: str, lo: date, hi: datetime | None = None, peak_share: float = 0.55
    ) -> datetime:
        rng = self.rng
        hi = hi or self.end
        lo_dt = max(lo, self.w.start - timedelta(days=40))
        span = max(1, (hi.date() - lo_dt).days)
        day = lo_dt + timedelta(days=rng.randrange(span))
        peak = self.peak.setdefault(account_id, rng.choice([9, 11, 13, 16, 19, 20, 21, 22, 23]))
        hour = peak if rng.random() < peak_share else rng.choice(range(8, 24))
        local = datetime.combine(
            day, time(hour, rng.randrange(60), rng.randrange(60)), ZoneInfo(self.tz[account_id])
        )
        utc = local.astimezone(UTC)
        return min(utc, hi.astimezone(UTC))

    # -- posts ----------------------------------------------------------------------------------
    def post(
        self,
        account_id: str,
        text: str,
        language: str,
        label: str,
        when: datetime,
        group_id: str = "",
        media: list[dict] | None = None,
    ) -> dict:
        acc = self.acc_by_id[account_id]
        p = {
            "post_id": "",
            "platform": acc["platform"],
            "account_id": account_id,
            "handle_at_post": self.handle_at(account_id, when),
            "posted_utc": when,
            "language": language,
            "group_id": group_id,
            "text": text,
            "likes": self.rng.randrange(0, 400),
            "shares": self.rng.randrange(0, 60),
            "_label": label,
            "_media": media or [],
        }
        self.posts.append(p)
        return p

    def run(self) -> None:
        self._accounts()
        self._groups()
        self._network_posts()
        self._decoy_posts()
        self._ordinary_posts()
        socialcraft.add_posts(self)  # its own random stream: nothing above shifts
        self._finish()
        socialcraft.add_comments(self)
        invites.add_links(self)  # its own random stream; appends text only (no id shifts)

    def _accounts(self):
        w, rng = self.w, self.rng
        for acc in w.accounts:
            place = self._owner_place(acc.owner)
            self.add_account(
                acc,
                place=place,
                verified=acc.role == "licensed recruiter (decoy)" and rng.random() < 0.5,
                followers=rng.randrange(800, 25000) if acc.kind != "personal" else None,
            )
        for acc in w.public_users:
            self.add_account(
                acc,
                place=rng.choice(
                    ["lahore", "gujranwala", "sialkot", "dhaka", "faisalabad", "sylhet"]
                ),
            )
        # News outlets (verified), two unrelated smuggling advertisers, and more ordinary users.
        idrng = self.w.rng("social/ids")
        next_id = {
            "chaupal": 100009000000000 + idrng.randrange(10**9),
            "jhalak": 7300000000000000000 + idrng.randrange(10**12),
            "paigham": 1900000000 + idrng.randrange(10**8),
        }

        def new_id(platform):
            next_id[platform] += idrng.randrange(1000, 900000)
            return str(next_id[platform])

        self.news = []
        for name, platform in (
            ("Daily Khabar", "chaupal"),
            ("Punjab News Today", "chaupal"),
            ("Khabar Jhalak", "jhalak"),
        ):
            h = ids.slug(name).replace("-", "")
            a = Account(
                new_id(platform),
                platform,
                h,
                name,
                "news",
                w.start - timedelta(days=rng.randrange(900, 3000)),
                "page",
                role="news outlet",
                links=[f"https://{'dailykhabar.example' if 'Khabar' in name else h + '.example'}/"],
                bio="News from Punjab and beyond.",
            )
            self.add_account(
                a, place="lahore", verified=True, followers=rng.randrange(50000, 400000)
            )
            self.news.append(a.account_id)
        other = [r for r in SMUGGLING_ROUTES if r != w.smuggling_route][0]
        self.competitors = []
        for i in range(2):
            alias = rng.choice([a for a in names.ALIASES if a not in {x.alias for x in w.actors}])
            h = (
                f"{rng.choice(['europe', 'safar', 'yatra'])}_{ids.slug(alias).replace('-', '')}"
                f"_{rng.choice(['travels', 'tours', 'express'])}"
            )
            phone = ids.phone_number(rng, "PK")
            a = Account(
                new_id("jhalak" if i == 0 else "chaupal"),
                "jhalak" if i == 0 else "chaupal",
                h,
                f"{alias} Tours",
                "unknown",
                w.start - timedelta(days=rng.randrange(20, 200)),
                role="unrelated smuggling advertiser",
                phones=[phone],
                bio="Europe tours, " + other.replace("-", " "),
            )
            self.add_account(a, place="quetta" if i == 0 else "gujrat")
            self.competitors.append((a.account_id, phone, other))
        people = names.unique_names(
            rng, [(rng.choice(["PK", "PK", "PK", "BD"]), rng.choice("mf")) for _ in range(260)]
        )
        self.public_ids = [a.account_id for a in w.public_users]
        self.public_phone: dict[str, str] = {}
        for person in people:
            platform = rng.choice(["chaupal", "chaupal", "chaupal", "jhalak", "paigham"])
            handle = "_".join(person.lower().split()) + str(rng.randrange(1, 9999))
            a = Account(
                new_id(platform),
                platform,
                handle.replace(" ", ""),
                person,
                "public",
                w.start - timedelta(days=rng.randrange(30, 3000)),
                role="ordinary user",
            )
            bd = any(person.endswith(f) for f in names.BD_FAMILY + names.BD_FEMALE_FAMILY)
            self.add_account(
                a,
                place=rng.choice(
                    ["dhaka", "sylhet", "comilla"]
                    if bd
                    else ["lahore", "gujranwala", "sialkot", "gujrat", "faisalabad", "rawalpindi"]
                ),
            )
            self.acc_by_id[a.account_id]["_bd"] = bd
            self.public_ids.append(a.account_id)
        for aid in self.public_ids:
            row = self.acc_by_id[aid]
            row.setdefault(
                "_bd", row["display_name"].split()[-1] in names.BD_FAMILY + names.BD_FEMALE_FAMILY
            )
            self.public_phone[aid] = ids.phone_number(rng, "BD" if row["_bd"] else "PK")
        # Two people who work in one mobile shop both advertise its number: a shared phone that
        # does not make them one person (a decoy for merge_actors).
        pk_public = [a for a in self.public_ids if not self.acc_by_id[a]["_bd"]]
        b1, b2 = rng.sample(pk_public, 2)
        shop = ids.phone_number(rng, "PK")
        self.shop = (b1, b2, shop)
        self.truth["shop_partners"] = {b1, b2}
        self.truth["shop_phone"] = shop

    def _groups(self):
        w, rng = self.w, self.rng
        specs = [
            ("chaupal", "Dubai Jobs Pakistan 🇦🇪🇵🇰", "group", "Jobs in the Gulf for Pakistanis"),
            ("chaupal", "Thailand Jobs for Pakistanis", "group", "Jobs and visas for Thailand"),
            ("chaupal", "Europe Travel Information Punjab", "group", "Routes, visas, advice"),
            ("chaupal", "Bangladesh Probashi Jobs", "group", "প্রবাসী চাকরি"),
            ("chaupal", "Gujranwala Buy & Sell", "group", "Local classifieds"),
            ("chaupal", "Cricket Lovers Punjab", "group", "Cricket talk"),
            ("paigham", "Europe Game Updates", "group", "Updates for travellers"),
            ("paigham", "Probashi Help Desk", "group", "Help for workers abroad"),
        ]
        for i, (platform, name, kind, desc) in enumerate(specs, start=1):
            self.groups.append(
                {
                    "group_id": f"G{i:02d}",
                    "platform": platform,
                    "name": name,
                    "kind": kind,
                    "description": desc,
                    "created": (w.start - timedelta(days=rng.randrange(100, 1500))).isoformat(),
                    "members": rng.randrange(2000, 90000),
                }
            )
        self.g = {
            k: f"G{i:02d}"
            for i, k in enumerate(
                ["dubai", "thai", "europe", "bd", "sell", "cricket", "pg_europe", "pg_bd"], start=1
            )
        }

    # -- the network ----------------------------------------------------------------------------
    def _fee(self, lang: str, bd=False) -> tuple[str, str]:
        rng = self.rng
        if rng.random() < 0.25:
            usdt = rng.choice([1000, 1200, 1500, 1800])
            return f"{usdt:,} USDT", "USDT"
        if bd:
            v = rng.choice(["3", "3.5", "4"])
            return (f"{v} লাখ টাকা" if lang == "bn" else f"Tk {v} lakh"), "BDT"
        v = rng.choice(["3.5", "4", "4.5", "5"])
        if lang == "ur":
            return f"{v} لاکھ روپے", "PKR"
        return rng.choice(
            [f"Rs. {v} lakh", f"{v} lac rupay", f"PKR {int(float(v) * 100000):,}"]
        ), "PKR"

    def _fraud_ad(
        self,
        account_id,
        phones,
        lang,
        wallet=None,
        licence=None,
        bd=False,
        group=None,
        media=None,
        lo=None,
    ):
        rng = self.rng
        templates = [t for t in FRAUD_TEMPLATES[lang] if wallet or "{wallet}" not in t]
        tpl = rng.choice(templates)
        fee, _ = self._fee(lang, bd)
        phone = rng.choice(phones)
        contact = _fmt_phone(rng, phone)
        wtext = ""
        if "{wallet}" in tpl:
            if rng.random() < 0.15:
                wtext = _typo(rng, wallet)
                self.truth["typo_wallets"].add(wtext)
            else:
                wtext = wallet
                self.truth["wallets"].add(wallet)
        job = rng.choice(JOBS_UR if lang == "ur" else JOBS_BN if lang == "bn" else JOBS_EN)
        text = tpl.format(
            job=job,
            dest=rng.choice(DEST[lang]),
            salary=rng.choice(SALARIES),
            fee=fee,
            contact=contact,
            wallet=wtext,
        )
        if licence and rng.random() < 0.5:
            text += f" Licence No. {licence}" if lang != "bn" else f" লাইসেন্স RL {licence[3:]}"
        when = self.when(
            account_id, lo or date.fromisoformat(self.acc_by_id[account_id]["created"])
        )
        p = self.post(account_id, text, lang, "recruitment_fraud", when, group or "", media)
        p["_phones"] = [phone]
        return p

    def _photo(self, key: str, device=None, exif=False, bits=0):
        """A media record; ``key`` names the underlying picture so reposts share a print."""
        fp = _fingerprint(f"{self.w.seed}/{key}")
        if bits:
            fp = _flip_bits(fp, self.rng, bits)
        rec = {"fingerprint": fp, "exif": exif, "device": device}
        return rec

    def _network_posts(self):
        w, rng = self.w, self.rng
        front, agency = w.front, w.partner_agency
        by_role = {a.role: a for a in w.actors}
        ring, rec, bd = by_role["ringleader"], by_role["recruiter_pk"], by_role["recruiter_bd"]
        smug, vendor = by_role["smuggler"], by_role["document_vendor"]
        _accs = {a.account_id: a for a in w.accounts}
        cam = w.device(ring.devices[0])
        office_photos = [f"office/{i}" for i in range(6)]
        wallets = {wid: w.wallet(wid) for a in w.actors for wid in a.wallets}
        rec_wallets = [wallets[x].address for x in rec.wallets]

        def own(owner, role=None):
            return [a for a in w.accounts if a.owner == owner and (role is None or a.role == role)]

        fraud_accounts = []
        # The front's page, its back-up and its channel.
        for a in own(front.org_id):
            n = {"recruitment ads": 42, "back-up after takedown": 16, "job channel": 30}[a.role]
            lo = a.created
            for i in range(n):
                lang = rng.choice(["en", "en", "ur-Latn", "ur-Latn", "ur"])
                media = None
                if rng.random() < 0.35:
                    key = rng.choice(office_photos)
                    media = [
                        self._photo(
                            key, cam, exif=a.platform == "paigham", bits=rng.randrange(0, 3)
                        )
                    ]
                group = self.g["dubai"] if a.platform == "chaupal" and rng.random() < 0.3 else ""
                p = self._fraud_ad(
                    a.account_id,
                    a.phones,
                    lang,
                    rec_wallets[0],
                    front.claimed_licence_no,
                    group=group,
                    media=media,
                    lo=lo,
                )
                self.truth["front_phones"].update(p["_phones"])
            fraud_accounts.append(a.account_id)
        # The ringleader's personal profile: lifestyle posts with the front's office photos.
        for a in own(ring.actor_id):
            for i in range(16):
                text = rng.choice(
                    [
                        f"Proud of my team at {front.name} 💼",
                        "New office, new goals 🎉",
                        "Dinner with partners in Dubai 🇦🇪",
                        f"Alhamdulillah, {front.name} growing fast",
                        "Family day 🌙",
                        "Meeting clients in Bangkok ✈️",
                    ]
                )
                media = (
                    [self._photo(rng.choice(office_photos), cam, bits=rng.randrange(0, 3))]
                    if rng.random() < 0.5
                    else None
                )
                self.post(
                    a.account_id,
                    text,
                    "en",
                    "network_personal",
                    self.when(a.account_id, a.created),
                    media=media,
                )
        # Punjab recruiter: short videos (a strong evening habit) and a personal profile.
        for a in own(rec.actor_id):
            if a.platform == "jhalak":
                self.peak[a.account_id] = rng.choice([20, 21, 22, 23])
                n = 44 if a.backup_of is None else 12
                for i in range(n):
                    lang = rng.choice(["ur-Latn", "ur-Latn", "ur", "en"])
                    media = (
                        [self._photo(f"video/{rec.actor_id}/{i % 9}", None)]
                        if rng.random() < 0.3
                        else None
                    )
                    p = self._fraud_ad(
                        a.account_id, a.phones, lang, rng.choice(rec_wallets), media=media
                    )
                    p["posted_utc"] = self.when(a.account_id, a.created, peak_share=0.7)
                    p["handle_at_post"] = self.handle_at(a.account_id, p["posted_utc"])
                fraud_accounts.append(a.account_id)
            else:
                for i in range(10):
                    self.post(
                        a.account_id,
                        rng.choice(ORDINARY["ur-Latn"]).format(
                            city=PLACES[rec.place].name,
                            team=rng.choice(TEAMS),
                            phone=_fmt_phone(rng, rec.phones[0]),
                        ),
                        "ur-Latn",
                        "network_personal",
                        self.when(a.account_id, a.created),
                    )
        # Second Punjab recruiter (short video), if present.
        if "recruiter_pk2" in by_role:
            r2 = by_role["recruiter_pk2"]
            r2w = [wallets[x].address for x in r2.wallets]
            for a in own(r2.actor_id):
                for i in range(20):
                    self._fraud_ad(
                        a.account_id,
                        a.phones,
                        rng.choice(["ur-Latn", "en", "ur"]),
                        r2w[0] if r2w else None,
                    )
                fraud_accounts.append(a.account_id)
        # Bangladesh: the partner agency's page and the recruiter's channel.
        bdw = [wallets[x].address for x in bd.wallets]
        for a in own(agency.org_id) + own(bd.actor_id):
            n = 26 if a.owner == agency.org_id else 16
            for i in range(n):
                lang = rng.choice(["bn", "bn", "en"])
                self._fraud_ad(
                    a.account_id,
                    a.phones,
                    lang,
                    bdw[0] if bdw else None,
                    agency.claimed_licence_no,
                    bd=True,
                    group=self.g["bd"] if a.platform == "chaupal" and rng.random() < 0.3 else "",
                )
            fraud_accounts.append(a.account_id)
        self.truth["fraud_accounts"] = set(fraud_accounts)
        # Smuggling cell.
        route = SMUGGLING_ROUTES[w.smuggling_route]
        smug_wallet = wallets[smug.wallets[0]].address
        testimonial_photos = [f"testimonial/{i}" for i in range(5)]
        smug_accounts = own(smug.actor_id)
        for a in smug_accounts:
            n = {
                "smuggling adverts": 46,
                "back-up smuggling account": 14,
                "smuggling channel with testimonials": 28,
            }[a.role]
            for i in range(n):
                if a.kind == "channel" and i % 3 == 2:
                    self._testimonial(a, smug, route, testimonial_photos)
                    continue
                p = self._smuggling_ad(
                    a.account_id,
                    a.phones,
                    route,
                    smug_wallet,
                    group=self.g["pg_europe"]
                    if a.platform == "paigham" and rng.random() < 0.2
                    else "",
                )
                if a.backup_of and rng.random() < 0.4:
                    self._testimonial(a, smug, route, testimonial_photos)
        self.truth["smuggling_accounts"] = {a.account_id for a in smug_accounts}
        self.truth["route"] = route
        # Competitors on the other route (not part of the network).
        for aid, phone, other in self.competitors:
            for i in range(12):
                self._smuggling_ad(aid, [phone], SMUGGLING_ROUTES[other], None, competitor=True)
        # Document vendor.
        vw = wallets[vendor.wallets[0]].address
        for a in own(vendor.actor_id):
            for i in range(26):
                tpl = rng.choice(DOC_TEMPLATES)
                if rng.random() < 0.15:
                    btc = _typo(rng, vw)
                    self.truth["typo_wallets"].add(btc)
                else:
                    btc = vw
                    self.truth["wallets"].add(vw)
                media = (
                    [self._photo(f"docs/{i % 7}", None, exif=True)] if rng.random() < 0.4 else None
                )
                self.post(
                    a.account_id,
                    tpl.format(btc=btc, contact=_fmt_phone(rng, rng.choice(a.phones))),
                    "ur" if "ویزا" in tpl else "en",
                    "document_offer",
                    self.when(a.account_id, a.created),
                    media=media,
                )
        # Money agent, facilitator, handler, mule.
        for role in ("money_agent", "facilitator_ae", "handler_th", "mule"):
            if role not in by_role:
                continue
            actor = by_role[role]
            for a in own(actor.actor_id):
                for i in range(12):
                    if role == "money_agent":
                        tpl = rng.choice(SARAF_TEMPLATES)
                        text = tpl.format(contact=_fmt_phone(rng, actor.phones[0]))
                        lang, label = ("ur" if "صراف" in tpl else "ur-Latn"), "saraf"
                    elif role == "facilitator_ae":
                        text = rng.choice(
                            [
                                "Dubai airport pickup and hotel for our guests 🚖 {c}",
                                "Bangkok connection flights arranged, contact {c}",
                                "Dubai life 🌇",
                                "Friday brunch 🍽️",
                            ]
                        ).format(c=_fmt_phone(rng, actor.phones[0]))
                        lang, label = "en", "network_personal"
                    elif role == "handler_th":
                        text = rng.choice(
                            [
                                "Mae Sot transport service 🚐",
                                "Border town life",
                                "Good food in Mae Sot 🍜",
                                "Driver available {c}",
                            ]
                        ).format(c=_fmt_phone(rng, actor.phones[0]))
                        lang, label = "en", "network_personal"
                    else:
                        mw = wallets[actor.wallets[0]].address
                        text = rng.choice(
                            [
                                "Selling USDT at good rate, TRC20 {w} inbox",
                                "Cricket night 🏏",
                                "New bike 🏍️",
                                "USDT available, send to {w}",
                            ]
                        ).format(w=mw)
                        if mw in text:
                            self.truth["wallets"].add(mw)
                        lang, label = "en", "network_personal"
                    self.post(a.account_id, text, lang, label, self.when(a.account_id, a.created))

    def _route_text(self, route, lang):
        rng = self.rng
        places = [PLACES[k] for k in route]
        flags = {"PK": "🇵🇰", "IR": "🇮🇷", "TR": "🇹🇷", "GR": "🇬🇷", "LY": "🇱🇾", "IT": "🇮🇹", "AE": "🇦🇪"}
        style = rng.choice(["names", "flags", "mixed"]) if lang != "ur" else "urdu"
        if style == "names":
            pick = [places[0]] + [p for p in places[1:-1] if rng.random() < 0.6] + [places[-1]]
            return " ➡️ ".join(p.name.split(" (")[0] for p in pick)
        if style == "flags":
            cs = []
            for p in places:
                if not cs or cs[-1] != p.country:
                    cs.append(p.country)
            return "➡️".join(flags[c] for c in cs)
        if style == "mixed":
            return f"{places[0].name} ➡️ " + " ➡️ ".join(
                flags[c] for c in dict.fromkeys(p.country for p in places[1:])
            )
        countries = {
            "PK": "پاکستان",
            "IR": "ایران",
            "TR": "ترکی",
            "GR": "یونان",
            "LY": "لیبیا",
            "IT": "اٹلی",
            "AE": "دبئی",
        }
        return " سے ".join(countries[c] for c in dict.fromkeys(p.country for p in places))

    def _smuggling_ad(self, account_id, phones, route, wallet, group="", competitor=False):
        rng = self.rng
        lang = rng.choice(["en", "ur-Latn", "ur-Latn", "ur"])
        tpl = rng.choice(SMUGGLING_TEMPLATES[lang])
        lakh = rng.choice([18, 20, 22, 25, 28]) if not competitor else rng.choice([30, 35, 40])
        adv = rng.choice([3, 5])
        if lang == "ur":
            price, advance = f"{lakh} لاکھ روپے", f"{adv} لاکھ"
        else:
            price = rng.choice(
                [f"Rs {lakh} lakh", f"{lakh} lac", f"{lakh} lakh rupay", f"PKR {lakh * 100000:,}"]
            )
            advance = f"{adv} lakh"
        phone = rng.choice(phones)
        text = tpl.format(
            route=self._route_text(route, lang),
            price=price,
            advance=advance,
            contact=_fmt_phone(rng, phone),
        )
        if wallet and rng.random() < 0.2:
            text += f" USDT TRC20: {wallet}"
            self.truth["wallets"].add(wallet)
        created = date.fromisoformat(self.acc_by_id[account_id]["created"])
        p = self.post(
            account_id,
            text,
            lang,
            "smuggling_ad" if not competitor else "smuggling_ad_other",
            self.when(account_id, created),
            group,
        )
        p["_lakh"] = lakh
        return p

    def _testimonial(self, a, smug, route, photos):
        rng = self.rng
        lang = rng.choice(["en", "ur-Latn", "ur"])
        last = PLACES[route[-1]]
        flag = {"GR": "🇬🇷", "IT": "🇮🇹"}[last.country]
        dest = {"GR": "Greece", "IT": "Italy"}[last.country]
        dest_ur = {"GR": "یونان", "IT": "اٹلی"}[last.country]
        text = rng.choice(TESTIMONIALS[lang]).format(
            dest=dest, dest_ur=dest_ur, flag=flag, alias=smug.alias
        )
        media = [self._photo(rng.choice(photos), None, bits=rng.randrange(0, 4))]
        self.post(
            a.account_id, text, lang, "testimonial", self.when(a.account_id, a.created), media=media
        )

    # -- decoys ---------------------------------------------------------------------------------
    def _decoy_posts(self):
        w, rng = self.w, self.rng
        ring_cam = w.actor_by_role("ringleader").devices[0]
        decoy_cam = next(d for d in w.devices if d.kind == "camera" and d.device_id != ring_cam)
        for org in w.licensed_recruiters():
            for a in [x for x in w.accounts if x.owner == org.org_id]:
                for i in range(rng.randrange(12, 18)):
                    if org.country == "BD" and rng.random() < 0.5:
                        tpl, lang = rng.choice(LEGIT_TEMPLATES_BN), "bn"
                    else:
                        tpl, lang = rng.choice(LEGIT_TEMPLATES), "en"
                    text = tpl.format(
                        name=org.name,
                        lic=org.licence_no,
                        n=rng.randrange(10, 80),
                        trade=rng.choice(TRADES),
                        trade_bn=rng.choice(TRADES_BN),
                        country=rng.choice(LEGIT_COUNTRIES),
                        city=PLACES[org.place].name,
                        day=(w.start + timedelta(days=rng.randrange(0, 80))).strftime("%d %b"),
                        contact=_fmt_phone(rng, org.phones[0]),
                        lic_label="Govt. licensed OEP" if org.country == "PK" else "BMET licensed",
                    )
                    media = None
                    if org.org_id == decoy_cam.owner and rng.random() < 0.4:
                        media = [self._photo(f"legit/{org.org_id}/{i}", decoy_cam, exif=False)]
                    self.post(
                        a.account_id,
                        text,
                        lang,
                        "licensed_recruiter",
                        self.when(a.account_id, a.created),
                        media=media,
                    )
        # News: ordinary news, plus one or two items quoting the ads (a one-off mention).
        front_phone = w.actor_by_role("recruiter_pk").phones[0]
        _smug = w.actor_by_role("smuggler")
        for k, aid in enumerate(self.news):
            for i in range(24):
                text = rng.choice(NEWS_TEMPLATES).format(
                    outlet=self.acc_by_id[aid]["display_name"],
                    n=rng.randrange(3, 15),
                    city=rng.choice(["Gujranwala", "Sialkot", "Lahore", "Gujrat"]),
                )
                self.post(aid, text, "en", "news", self.when(aid, w.start - timedelta(days=30)))
            self.post(
                aid,
                NEWS_QUOTE.format(
                    outlet=self.acc_by_id[aid]["display_name"],
                    fee="Rs. 4.5 lakh",
                    contact=ids.format_phone_local(front_phone, "national"),
                ),
                "en",
                "news_quote",
                self.when(aid, w.start + timedelta(days=30)),
            )
            if k < 2:
                self.post(
                    aid,
                    NEWS_QUOTE_SMUG.format(
                        outlet=self.acc_by_id[aid]["display_name"],
                        route=self._route_text(SMUGGLING_ROUTES[w.smuggling_route], "en"),
                        price=f"Rs {rng.choice([20, 25])} lakh",
                    ),
                    "en",
                    "news_quote",
                    self.when(aid, w.start + timedelta(days=30)),
                )
        # A public user on Paigham shares photos from the same camera model as the front's
        # camera, but a different body: same model is not same camera.
        owner = rng.choice(
            [a for a in self.public_ids if self.acc_by_id[a]["platform"] == "paigham"]
        )
        for i in range(4):
            self.post(
                owner,
                rng.choice(["Family trip 📸", "Sunset at the canal 🌅", "New camera test shots"]),
                "en",
                "ordinary",
                self.when(owner, w.start - timedelta(days=20)),
                media=[self._photo(f"hobby/{i}", decoy_cam, exif=True)],
            )
        self.truth["decoy_camera_account"] = owner

    def _ordinary_posts(self):
        w, rng = self.w, self.rng
        b1, b2, shop = self.shop
        smug = w.actor_by_role("smuggler")
        for aid in self.public_ids:
            row = self.acc_by_id[aid]
            langs = ["bn", "bn", "en"] if row["_bd"] else ["en", "ur-Latn", "ur-Latn", "ur"]
            n = rng.randrange(3, 16)
            for i in range(n):
                lang = rng.choice(langs)
                text = rng.choice(ORDINARY[lang]).format(
                    city=rng.choice(
                        ["Lahore", "Gujranwala", "Sialkot", "Gujrat"]
                        if lang != "bn"
                        else ["ঢাকা", "সিলেট"]
                    ),
                    team=rng.choice(TEAMS),
                    phone=_fmt_phone(rng, self.public_phone[aid]),
                )
                group = ""
                if row["platform"] == "chaupal" and rng.random() < 0.25:
                    group = rng.choice(
                        [self.g["sell"], self.g["cricket"], self.g["dubai"], self.g["europe"]]
                    )
                if rng.random() < 0.03:
                    text += (
                        rng.choice([" (old number ", " (purana number ", " (call "])
                        + _partial_phone(rng, self.public_phone[aid])
                        + ")"
                    )
                    self.truth["partial_phones"] += 1
                if rng.random() < 0.01:
                    text = ""  # an empty post (a deleted caption)
                self.post(
                    aid, text, lang, "ordinary", self.when(aid, w.start - timedelta(days=40)), group
                )
            if aid in (b1, b2):
                for i in range(4):
                    self.post(
                        aid,
                        rng.choice(
                            [
                                "Mobile repair & accessories, best rates! Call {p}",
                                "Naye mobile covers aa gaye 📱 rabta {p}",
                                "Shop open till 10 pm tonight, {p}",
                            ]
                        ).format(p=ids.format_phone_local(shop, "national")),
                        "ur-Latn",
                        "ordinary",
                        self.when(aid, w.start - timedelta(days=40)),
                        self.g["sell"],
                    )
        # A few ordinary users ask about the front's number (a one-off mention each).
        rec = w.actor_by_role("recruiter_pk")
        for aid in rng.sample(self.public_ids, 4):
            self.post(
                aid,
                f"Is this number genuine? {ids.format_phone_local(rec.phones[0], 'national')}"
                " they promise Dubai job",
                "en",
                "ordinary",
                self.when(aid, w.start + timedelta(days=20)),
                self.g["dubai"],
            )
        del smug

    # -- comments, media, ids -------------------------------------------------------------------
    def _finish(self):
        _w, rng = self.w, self.rng
        self.posts.sort(key=lambda p: (p["posted_utc"], p["account_id"], p["text"]))
        for i, p in enumerate(self.posts, start=1):
            p["post_id"] = f"P{i:06d}"
        # media
        n = 0
        for p in self.posts:
            for m in p["_media"]:
                n += 1
                dev = m["device"]
                keep = m["exif"] and dev is not None
                ext = "jpg"
                self.media.append(
                    {
                        "media_id": f"M{n:05d}",
                        "post_id": p["post_id"],
                        "account_id": p["account_id"],
                        "platform": p["platform"],
                        "file_name": f"{p['platform']}_{p['post_id'].lower()}_{n}.{ext}",
                        "fingerprint": m["fingerprint"],
                        "exif_kept": keep,
                        "camera_make": dev.make if keep else "",
                        "camera_model": dev.model if keep else "",
                        "camera_serial": dev.serial if keep else "",
                    }
                )
        # comments
        labels = {p["post_id"]: p["_label"] for p in self.posts}
        mentions = {}
        old_handles = [
            (h["old_handle"], h["account_id"])
            for h in self.history
            if self.acc_by_id[h["account_id"]]["account_id"]
            in self.truth["smuggling_accounts"] | self.truth["fraud_accounts"]
        ]
        c = 0
        family = rng.sample(self.public_ids, 6)
        for p in self.posts:
            lab = p["_label"]
            if lab in ("recruitment_fraud", "smuggling_ad", "testimonial"):
                k = rng.choice([0, 1, 1, 2, 3])
            elif lab in ("ordinary", "news", "licensed_recruiter"):
                k = 1 if rng.random() < 0.15 else 0
            else:
                k = 0
            for _ in range(k):
                who = rng.choice(self.public_ids)
                t = p["posted_utc"] + timedelta(minutes=rng.randrange(3, 3000))
                if t > self.end:
                    continue
                if lab == "recruitment_fraud":
                    text = rng.choice(COMMENTS_RECRUIT)
                elif lab in ("smuggling_ad", "testimonial"):
                    text = rng.choice(COMMENTS_SMUG)
                    if old_handles and rng.random() < 0.12:
                        old, acc = rng.choice(old_handles)
                        text = rng.choice(
                            [
                                f"Pehle @{old} wale bhi yehi the na?",
                                f"Is this the same as @{old}?",
                                f"@{old} ka number band hai, yeh naya hai?",
                            ]
                        )
                        mentions[old] = acc
                else:
                    text = rng.choice(COMMENTS_PUBLIC)
                c += 1
                self.comments.append(
                    {
                        "comment_id": f"C{c:06d}",
                        "post_id": p["post_id"],
                        "platform": p["platform"],
                        "account_id": who,
                        "handle": self.handle_at(who, t),
                        "commented_utc": t,
                        "text": text,
                    }
                )
        # Family members write under the front's ads.
        fronts = [
            p
            for p in self.posts
            if p["_label"] == "recruitment_fraud" and p["platform"] == "chaupal"
        ]
        for who in family:
            p = rng.choice(fronts)
            t = min(p["posted_utc"] + timedelta(days=rng.randrange(10, 40)), self.end)
            c += 1
            self.comments.append(
                {
                    "comment_id": f"C{c:06d}",
                    "post_id": p["post_id"],
                    "platform": p["platform"],
                    "account_id": who,
                    "handle": self.handle_at(who, t),
                    "commented_utc": t,
                    "text": rng.choice(
                        [
                            "My brother went with you, no contact for 3 weeks! Where is he?",
                            "Mera beta Bangkok gaya tha, ab phone band hai. Jawab do!",
                            "আমার ভাই থাইল্যান্ডে গিয়ে আর যোগাযোগ নেই",
                        ]
                    ),
                }
            )
        self.comments.sort(key=lambda x: (x["commented_utc"], x["comment_id"]))
        for i, x in enumerate(self.comments, start=1):
            x["comment_id"] = f"C{i:06d}"
        self.truth["renamed_mentions"] = mentions
        self.truth["labels"] = labels
