"""Platform craft for module 02, drawn from its own random stream (``social/craft``) so that the
rest of the social export does not shift: mobile-wallet numbers in the fee lines of the
front's and the partner's ads, "serving since" claims in page bios (against the accounts'
creation dates), job-seekers asking in groups with recruiters answering them (and job-seekers
who say they have paid or handed over a passport: people to safeguard), and a labelled sample
of near-miss posts (cricket, Umrah, legal tours, news) to measure the lexicon's false
positives.

    >>> from osintlab.scenario.world import build_world
    >>> from osintlab.scenario.socialposts import generate
    >>> ex = generate(build_world(3))
    >>> sorted(ex.truth["mobile_wallets"]) == sorted(set(ex.truth["mobile_wallets"]))
    True
    >>> len(ex.truth["safeguard_bd"]) >= 2
    True
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from . import identifiers as ids

SEEKER_POSTS = {
    "pk": [
        ("Koi Dubai job hai? Matric pass hoon, passport ready hai", "ur-Latn"),
        ("Need job in Dubai or Bangkok, any genuine agent? I have computer diploma", "en"),
        ("Bhai log, Thailand mein customer support ki job ka kisi ko pata hai?", "ur-Latn"),
        ("دبئی میں کوئی نوکری ہے؟ میں ڈرائیور ہوں", "ur"),
        ("Looking for hotel job abroad, experience 2 years, Gujranwala", "en"),
        ("Mujhe bahar job chahiye, ghar ke halaat theek nahi", "ur-Latn"),
    ],
    "bd": [
        ("দুবাই বা থাইল্যান্ডে কোনো কাজ আছে? আমার পাসপোর্ট রেডি", "bn"),
        ("Need job abroad, HSC pass, from Sylhet. Any agency?", "en"),
        ("থাইল্যান্ডে ডাটা এন্ট্রি কাজের খোঁজ দিন প্লিজ", "bn"),
        ("কেউ কি বিদেশে হোটেলের চাকরি জানেন? খুব দরকার", "bn"),
        ("Any job in Bangkok for computer operator? I am from Comilla", "en"),
        ("বিদেশে যেতে চাই, কোন এজেন্সি ভালো?", "bn"),
    ],
}
RECRUITER_REPLIES = {
    "pk": [
        "Inbox check karein, Dubai se Bangkok seats available",
        "Rabta karein {phone}, visa + ticket free",
        "Haan bhai, data entry job hai, WhatsApp karein {phone}",
    ],
    "bd": [
        "ইনবক্স চেক করুন, থাইল্যান্ডে সিট আছে",
        "যোগাযোগ করুন {phone}, ভিসা টিকেট ফ্রি",
        "Yes brother, data entry job in Bangkok, WhatsApp {phone}",
    ],
}
PEER_REPLIES = {
    "pk": [
        "Pehle BEOE ki list check karo, bina licence wale se door raho",
        "Bhai fee advance mat dena",
        "Same question",
    ],
    "bd": [
        "আগে BMET তালিকা দেখে নিন",
        "অগ্রিম টাকা দেবেন না ভাই",
        "আমারও দরকার",
    ],
}
#: A job-seeker's follow-up: at risk (has paid or handed over a passport) or not.
AT_RISK = {
    "pk": [
        "Maine fee de di JazzCash pe, passport bhi de diya, agle hafte flight hai",
        "Paid 4 lakh advance, they kept my passport, flight to Dubai next week",
    ],
    "bd": [
        "আমি বিকাশে ৩ লাখ টাকা দিয়েছি, পাসপোর্টও জমা দিয়েছি, সামনের সপ্তাহে ফ্লাইট",
        "I paid the fee by bKash and gave my passport, they say flight next week",
    ],
}
NOT_AT_RISK = {
    "pk": ["Shukriya, main pehle licence check karunga", "Thanks, inbox kar diya hai"],
    "bd": ["ধন্যবাদ, আগে লাইসেন্স দেখে নেব", "Thanks, I will check the licence first"],
}

#: Near-miss posts that share words with the ads but are not ads (the lexicon's decoys), and
#: the language each is in. ``{team}``, ``{city}`` are filled in.
NEAR_MISSES = [
    ("Game on tonight! Pakistan vs {team}, we go by road to the stadium. Inbox me for seats", "en"),
    ("Cricket match ka game on hai, sab log by road stadium pohanch jao 🏏", "ur-Latn"),
    ("Umrah package 2026: visa + ticket + hotel, licensed travel agent, office in {city}", "en"),
    ("Hajj registration open, government scheme, apply through your bank", "en"),
    ("Europe tour 10 days, Schengen visa assistance, Italy Greece Paris, book at our office", "en"),
    ("Student visa consultancy for Italy and Germany, IELTS guidance, no guarantee of visa", "en"),
    ("Dubai expo trip with family, visit visa approved 😊", "en"),
    ("Our boat trip on the canal 🚤 was lovely, by boat to the old fort", "en"),
    ("Ludo game on! koi khelega? inbox karo", "ur-Latn"),
    ("{team} vs Pakistan: game on, 10 lakh viewers watched the final", "en"),
    ("Salary aa gayi alhamdulillah, ab qist pe bike lunga 🏍️", "ur-Latn"),
    ("Container se naya saman aa gaya, shop pe tashreef layein", "ur-Latn"),
    ("ইউরোপ ট্যুর প্যাকেজ, অফিসে এসে বুকিং করুন", "bn"),
    ("ক্রিকেট ম্যাচ আজ রাতে, সবাই মাঠে আসুন 🏏", "bn"),
    ("News: FIA warns public against fake job ads promising free visa and ticket", "en"),
    ("Is this job genuine? They ask processing fee first. Please advise", "en"),
    ("Wedding in {city}, by road from Lahore, 5 hours 🚗", "en"),
    ("PUBG game on tonight, inbox for room id", "en"),
]

#: Near-miss posts from the Bangladeshi side (exercise 02, never shown in the lesson): news and
#: warnings that quote an ad's words, worried job-seekers, legal travel and G2G jobs. Some of
#: them read as ads to the recruitment list; the trainee measures that and proposes the fix.
NEAR_MISSES_BD = [
    ("BMET সতর্কবার্তা: ফ্রি ভিসা, ইন্টারভিউ ছাড়া চাকরি আর অগ্রিম টাকা চাওয়া বিজ্ঞাপন থেকে সাবধান", "bn"),
    (
        "News: BMET warns job-seekers against ads offering free visa, no interview and visit "
        "visa jobs in {country}",
        "en",
    ),
    (
        "Warning from the embassy: free visa and ticket, no interview, pay advance by bKash — "
        "these are fake job ads. Report them to 16135.",
        "en",
    ),
    (
        "Is this {country} job genuine? They want advance payment by bKash first and no "
        "interview. Please advise",
        "en",
    ),
    (
        "Malaysia job through BMET, government G2G scheme, interview at Probashi Kallyan Bhaban",
        "en",
    ),
    ("{country} tour package from Dhaka, 5 days, hotel and sightseeing, book at our office", "en"),
    ("বাংলাদেশ বনাম {team_bn}: আজ রাতে খেলা, সবাই মাঠে আসুন 🏏", "bn"),
    ("Umrah package from {city}, visa ticket hotel included, licensed hajj agency", "en"),
    ("বিকাশে টাকা পাঠানোর আগে যাচাই করুন — বিদেশে চাকরির নামে প্রতারণা", "bn"),
    ("আলহামদুলিল্লাহ, ভাই দুবাইতে কাজে যোগ দিয়েছে, কোম্পানি ভালো", "bn"),
    ("Nagad cashback offer this Eid, send money home and win 💰", "en"),
    ("ঢাকা থেকে কক্সবাজার ট্যুর, বাসে যাত্রা, সিট সীমিত", "bn"),
    ("Free IELTS class for students going to {country}, no fee, register at our centre", "en"),
    ("{city} job fair: 40 local companies, bring your CV, interview on the spot", "en"),
]


def _fmt(rng, e164):
    return ids.format_phone_local(e164, rng.choice(["national", "spaced", "compact"]))


def _at(rng, day, tzname, hour=None):
    h = hour if hour is not None else rng.randrange(9, 23)
    local = datetime.combine(day, time(h, rng.randrange(60), rng.randrange(60)), ZoneInfo(tzname))
    return local.astimezone(UTC)


def add_posts(g) -> None:
    """Before post ids are given: wallet lines, bio claims, job-seekers' group posts."""
    w = g.w
    rng = w.rng("social/craft")
    front, agency = w.front, w.partner_agency
    bd = w.actor_by_role("recruiter_bd")
    # 1. Mobile wallets next to the fee: the front (JazzCash, Easypaisa), the partner (bKash,
    #    Nagad). The front's wallets are numbers of their own; the partner's Nagad account sits
    #    on the recruiter's contact number, its bKash account on a number of its own.
    wallets = {
        "front": [
            ("JazzCash", ids.phone_number(rng, "PK")),
            ("Easypaisa", ids.phone_number(rng, "PK")),
        ],
        "partner": [("bKash", ids.phone_number(rng, "BD")), ("Nagad", bd.phones[0])],
    }
    g.truth["mobile_wallets"] = {
        k: sorted(f"{b.lower()}:{n}" for b, n in v) for k, v in wallets.items()
    }
    owners = {
        "front": {a.account_id for a in w.accounts if a.owner == front.org_id},
        "partner": {a.account_id for a in w.accounts if a.owner in (agency.org_id, bd.actor_id)},
    }
    for p in g.posts:
        if p["_label"] != "recruitment_fraud":
            continue
        side = next((k for k, ids_ in owners.items() if p["account_id"] in ids_), None)
        if side is None or rng.random() >= 0.35:
            continue
        brand, number = rng.choice(wallets[side])
        if p["language"] == "bn":
            brand_bn = {"bKash": "বিকাশ", "Nagad": "নগদ"}[brand]
            p["text"] += f" ফি {brand_bn} {_fmt(rng, number)}"
        else:
            p["text"] += rng.choice(
                [" Fee by {b} {n}", " {b} no. {n}", " Send fee to {b} {n}"]
            ).format(b=brand, n=_fmt(rng, number))
    # 2. Bios that claim years of service (the creation date says otherwise for the fronts).
    claims = {
        a.account_id: year
        for a, year in (
            (
                next(a for a in w.accounts if a.owner == front.org_id and a.kind == "page"),
                rng.choice([2008, 2009, 2010, 2011]),
            ),
            (
                next(a for a in w.accounts if a.owner == agency.org_id and a.kind == "page"),
                rng.choice([2007, 2008, 2009, 2012]),
            ),
        )
    }
    for org in w.licensed_recruiters():
        for a in w.accounts:
            if a.owner == org.org_id and a.kind == "page":
                # a licensed firm often had an office long before its page
                claims[a.account_id] = a.created.year - rng.choice([0, 0, 3, 8, 12])
    for aid, year in claims.items():
        row = g.acc_by_id[aid]
        row["bio"] = (row["bio"] + " | " if row["bio"] else "") + rng.choice(
            ["Serving since {y}", "Est. {y}", "Trusted since {y}"]
        ).format(y=year)
    g.truth["claimed_since"] = claims
    # 3. Job-seekers ask in groups; recruiters answer (added as comments once ids exist).
    pk_users = [a for a in g.public_ids if not g.acc_by_id[a]["_bd"]]
    bd_users = [a for a in g.public_ids if g.acc_by_id[a]["_bd"]]
    seekers = []
    for side, users, group in (
        ("pk", [a for a in pk_users if g.acc_by_id[a]["platform"] == "chaupal"], g.g["dubai"]),
        ("bd", [a for a in bd_users if g.acc_by_id[a]["platform"] == "paigham"], g.g["pg_bd"]),
    ):
        chosen = rng.sample(users, min(len(users), len(SEEKER_POSTS[side])))
        for who, (text, lang) in zip(chosen, SEEKER_POSTS[side]):
            day = w.start + timedelta(days=rng.randrange(5, 90))
            when = min(_at(rng, day, g.tz[who]), g.end - timedelta(days=3))
            p = {
                "post_id": "",
                "platform": g.acc_by_id[who]["platform"],
                "account_id": who,
                "handle_at_post": g.handle_at(who, when),
                "posted_utc": when,
                "language": lang,
                "group_id": group,
                "text": text,
                "likes": rng.randrange(0, 40),
                "shares": rng.randrange(0, 5),
                "_label": "job_seeker",
                "_media": [],
                "_side": side,
            }
            g.posts.append(p)
            seekers.append(p)
    g._craft_seekers = seekers
    # 4. Messaging channels: members forward a channel's posts into groups; the copy keeps a
    #    "Forwarded from" header with the channel's handle. Lesson: the front's job channel into
    #    a Pakistani jobs group (G09, added here); exercise: the smuggling channel's testimonials
    #    into "Europe Game Updates" (G07).
    g.groups.append(
        {
            "group_id": "G09",
            "platform": "paigham",
            "name": "Naukri Updates Pakistan",
            "kind": "group",
            "description": "Jobs shared by members",
            "created": (w.start - timedelta(days=rng.randrange(100, 900))).isoformat(),
            "members": rng.randrange(3000, 40000),
        }
    )
    smug = w.actor_by_role("smuggler")
    sources = (
        (
            next(a for a in w.accounts if a.owner == front.org_id and a.platform == "paigham"),
            "recruitment_fraud",
            "G09",
            6,
        ),
        (
            next(
                a
                for a in w.accounts
                if a.owner == smug.actor_id and a.platform == "paigham" and a.kind == "channel"
            ),
            "testimonial",
            g.g["pg_europe"],
            8,
        ),
    )
    pool = [a for a in pk_users if g.acc_by_id[a]["platform"] == "paigham"]
    users = rng.sample(pool, min(len(pool), sum(n for *_x, n in sources)))
    g.truth["forwards"] = {}
    for src, label, group, n in sources:
        originals = [
            p for p in g.posts if p["account_id"] == src.account_id and p["_label"] == label
        ]
        picks = rng.sample(originals, min(n, len(originals)))
        mine, users = users[: len(picks)], users[len(picks) :]
        g.truth["forwards"][group] = src.account_id
        for who, orig in zip(mine, picks):
            when = min(orig["posted_utc"] + timedelta(hours=rng.randrange(2, 72)), g.end)
            g.posts.append(
                {
                    "post_id": "",
                    "platform": "paigham",
                    "account_id": who,
                    "handle_at_post": g.handle_at(who, when),
                    "posted_utc": when,
                    "language": orig["language"],
                    "group_id": group,
                    "text": orig["text"],
                    "likes": rng.randrange(0, 30),
                    "shares": rng.randrange(0, 10),
                    "forwarded_from": g.handle_at(src.account_id, orig["posted_utc"]),
                    "_label": "forward",
                    "_media": [],
                }
            )
    g._craft_rng = rng


def add_comments(g) -> None:
    """After post ids are given: recruiters' replies, peers' warnings, job-seekers' follow-ups;
    then the comments are sorted and numbered again."""
    w, rng = g.w, g._craft_rng
    rec, bd = w.actor_by_role("recruiter_pk"), w.actor_by_role("recruiter_bd")
    repliers = {
        "pk": next(a for a in w.accounts if a.owner == rec.actor_id and a.platform == "chaupal"),
        "bd": next(a for a in w.accounts if a.owner == bd.actor_id and a.platform == "paigham"),
    }
    g.truth["replier"] = {k: a.account_id for k, a in repliers.items()}
    safeguard = {"pk": set(), "bd": set()}
    peers = {
        side: [
            a
            for a in g.public_ids
            if g.acc_by_id[a]["_bd"] == (side == "bd")
            and g.acc_by_id[a]["platform"] == ("chaupal" if side == "pk" else "paigham")
        ]
        for side in ("pk", "bd")
    }
    new = []

    def add(post, who, text, after_min):
        t = min(post["posted_utc"] + timedelta(minutes=after_min), g.end)
        new.append(
            {
                "comment_id": "",
                "post_id": post["post_id"],
                "platform": post["platform"],
                "account_id": who,
                "handle": g.handle_at(who, t),
                "commented_utc": t,
                "text": text,
            }
        )

    seekers = g._craft_seekers
    for side in ("pk", "bd"):
        mine = [p for p in seekers if p["_side"] == side]
        at_risk = set(rng.sample(range(len(mine)), min(2 if side == "pk" else 3, len(mine))))
        for i, p in enumerate(mine):
            replier = repliers[side]
            phone = replier.phones[0] if replier.phones else (rec if side == "pk" else bd).phones[0]
            add(
                p,
                replier.account_id,
                rng.choice(RECRUITER_REPLIES[side]).format(phone=_fmt(rng, phone)),
                rng.randrange(20, 400),
            )
            for who in rng.sample(
                [a for a in peers[side] if a != p["account_id"]], rng.choice([0, 1, 2])
            ):
                add(p, who, rng.choice(PEER_REPLIES[side]), rng.randrange(30, 900))
            follow = AT_RISK[side] if i in at_risk else NOT_AT_RISK[side]
            add(p, p["account_id"], rng.choice(follow), rng.randrange(1500, 6000))
            if i in at_risk:
                safeguard[side].add(p["account_id"])
    g.truth["safeguard_pk"] = safeguard["pk"]
    g.truth["safeguard_bd"] = safeguard["bd"]
    g.comments.extend(new)
    g.comments.sort(key=lambda x: x["commented_utc"])  # stable: earlier order kept on ties
    for i, x in enumerate(g.comments, start=1):
        x["comment_id"] = f"C{i:06d}"


def partner_lexicon_sample(world, posts: list[dict], labels: dict, held_out: set) -> list[dict]:
    """A second labelled sample for exercise 02 (the Bangladeshi side, from its own random
    stream ``social/near-misses-bd``): the near-misses of :data:`NEAR_MISSES_BD` (benign) and
    Bengali recruitment ads from the export that the lesson's sample does not hold."""
    rng = world.rng("social/near-misses-bd")
    countries = ["Thailand", "Malaysia", "Dubai", "Cambodia"]
    teams = ["ভারত", "শ্রীলঙ্কা", "পাকিস্তান", "আফগানিস্তান"]
    cities = ["Sylhet", "Chattogram", "Cumilla", "Dhaka"]
    rows = [
        {
            "sample_id": "",
            "post_id": "",
            "language": lang,
            "text": tpl.format(
                country=rng.choice(countries), team_bn=rng.choice(teams), city=rng.choice(cities)
            ),
            "label": "benign",
        }
        for tpl, lang in NEAR_MISSES_BD
    ]
    pool = [
        p
        for p in posts
        if labels.get(p["post_id"]) == "recruitment_fraud"
        and p["language"] == "bn"
        and p["text"]
        and p["post_id"] not in held_out
    ]
    for p in rng.sample(pool, min(12, len(pool))):
        rows.append(
            {
                "sample_id": "",
                "post_id": p["post_id"],
                "language": p["language"],
                "text": p["text"],
                "label": "recruitment_ad",
            }
        )
    rng.shuffle(rows)
    for k, r in enumerate(rows, start=1):
        r["sample_id"] = f"B{k:03d}"
    return rows


def near_miss_sample(world, posts: list[dict], labels: dict) -> list[dict]:
    """A labelled sample for measuring the lexicon: near-miss posts (benign) and real ads
    drawn from the export, each with its label and why. The ads keep their ``post_id``."""
    rng = world.rng("social/near-misses")
    teams = ["India", "Australia", "England", "New Zealand", "Sri Lanka"]
    cities = ["Lahore", "Gujranwala", "Sialkot", "Faisalabad"]
    rows = []
    for i, (tpl, lang) in enumerate(NEAR_MISSES, start=1):
        rows.append(
            {
                "sample_id": f"S{i:03d}",
                "post_id": "",
                "language": lang,
                "text": tpl.format(team=rng.choice(teams), city=rng.choice(cities)),
                "label": "benign",
            }
        )
    for kind in ("recruitment_fraud", "smuggling_ad"):
        pool = [p for p in posts if labels.get(p["post_id"]) == kind and p["text"]]
        for p in rng.sample(pool, min(15, len(pool))):
            rows.append(
                {
                    "sample_id": "",
                    "post_id": p["post_id"],
                    "language": p["language"],
                    "text": p["text"],
                    "label": "recruitment_ad" if kind == "recruitment_fraud" else "smuggling_ad",
                }
            )
    rng.shuffle(rows)
    for k, r in enumerate(rows, start=1):
        r["sample_id"] = f"S{k:03d}"
    return rows
