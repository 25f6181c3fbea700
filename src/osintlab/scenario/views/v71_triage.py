"""View: module 07, part 2 — a labelled corpus of job ads for AI-assisted screening.

Several thousand short ads in the course's languages (English, Roman Urdu, Urdu, Bengali),
labelled ``fraud`` (deceptive recruitment: free visa, no interview, fees to agents, WhatsApp
only, crypto payment) or ``legit`` (licensed promoters: licence, interview, fees by bank with a
receipt, a named employer). The labels come from case outcomes and analyst review, so a few are
wrong — as in any real training set. Bengali ads are fewer and subtler, so a classifier is
weaker there: the lesson's point about error by language and bias.

A held-out test set is split off once (stratified by language and label) and must never be used
for training. A batch of unlabelled incoming ads feeds the review queue; a few of them are in
languages the training data does not contain (Arabic, Nepali, Thai).

Each labelled ad carries its ``advertiser`` (the contact number printed in it). The fixed split
is random, so most test ads share an advertiser with training ads: the lesson measures how much
that flatters the model by splitting again by advertiser (``triage.group_split``).
"""

from __future__ import annotations

from datetime import timedelta

from .. import identifiers as ids

LANGS = {"en": 1500, "roman_ur": 950, "ur": 750, "bn": 380}
FRAUD_SHARE = 0.36
TEST_SHARE = 0.2
NOISE = 0.025

JOBS = {
    "en": [
        "Data entry operator",
        "Customer support agent",
        "Hotel receptionist",
        "Online sales (typing) staff",
        "IT helpdesk assistant",
        "Warehouse helper",
        "Security guard",
        "Electrician",
        "Driver (light vehicle)",
        "Cook",
        "Nurse",
        "Construction labour",
        "Waiter",
        "Cleaner",
        "Mason",
    ],
    "roman_ur": [
        "Data entry operator",
        "Customer support",
        "Hotel receptionist",
        "Security guard",
        "Electrician",
        "Driver",
        "Cook",
        "Helper",
        "Waiter",
        "Mason",
        "Plumber",
        "Salesman",
    ],
    "ur": [
        "ڈیٹا انٹری آپریٹر",
        "کسٹمر سپورٹ",
        "ہوٹل ریسپشنسٹ",
        "سیکیورٹی گارڈ",
        "الیکٹریشن",
        "ڈرائیور",
        "باورچی",
        "ہیلپر",
        "ویٹر",
        "مستری",
        "پلمبر",
    ],
    "bn": [
        "ডাটা এন্ট্রি অপারেটর",
        "হোটেল রিসেপশনিস্ট",
        "নিরাপত্তা প্রহরী",
        "ইলেকট্রিশিয়ান",
        "ড্রাইভার",
        "রাঁধুনি",
        "হেল্পার",
        "ক্লিনার",
        "নির্মাণ শ্রমিক",
        "ওয়েটার",
    ],
}
PLACES = {
    "en": ["Dubai", "Bangkok", "Riyadh", "Doha", "Kuala Lumpur", "Muscat", "Jeddah", "Sharjah"],
    "roman_ur": ["Dubai", "Bangkok", "Saudia", "Qatar", "Malaysia", "Oman"],
    "ur": ["دبئی", "بینکاک", "سعودی عرب", "قطر", "ملائشیا", "عمان"],
    "bn": ["দুবাই", "থাইল্যান্ড", "সৌদি আরব", "কাতার", "মালয়েশিয়া", "ওমান"],
}
HEAD = {
    "en": [
        "{job} required in {place}",
        "Jobs in {place}: {job}",
        "{place} vacancy — {job}",
        "Hiring {job} for {place}",
        "{job} wanted ({place})",
    ],
    "roman_ur": [
        "{place} mein {job} ki zaroorat",
        "{place} ke liye {job} chahiye",
        "{job} ki naukri {place} mein",
        "{place} jobs: {job}",
    ],
    "ur": [
        "{place} میں {job} کی ضرورت",
        "{place} کے لیے {job} چاہیے",
        "{job} کی نوکری {place} میں",
    ],
    "bn": ["{place}ে {job} প্রয়োজন", "{place} চাকরি: {job}", "{job} নিয়োগ — {place}"],
}
SALARY = {
    "en": (
        ["Salary {low} per month", "Salary {low} + overtime"],
        ["Salary {high} per month", "Earn {high} monthly, easy work"],
    ),
    "roman_ur": (
        ["Tankhwah {low} mahana", "Salary {low} + overtime"],
        ["Tankhwah {high} mahana, asaan kaam", "Salary {high}, sirf typing"],
    ),
    "ur": (
        ["تنخواہ {low} ماہانہ", "تنخواہ {low} اور اوور ٹائم"],
        ["تنخواہ {high} ماہانہ، آسان کام", "تنخواہ {high}، صرف ٹائپنگ"],
    ),
    "bn": (["বেতন {low} মাসিক", "বেতন {low} ও ওভারটাইম"], ["বেতন {high}, সহজ কাজ", "মাসিক বেতন {high}"]),
}
LOW = ["AED 1,500", "SAR 1,400", "QAR 1,600", "USD 450", "MYR 1,800", "OMR 180", "AED 2,000"]
HIGH = ["USD 1,200", "USD 1,500", "USD 1,800", "AED 4,500", "USD 2,000"]
FEES = {
    "en": ["Rs 4.5 lakh", "Rs 350,000", "USD 1,500", "1,200 USDT"],
    "roman_ur": ["4.5 lakh", "3.5 lakh rupay", "1500 USDT", "5 lakh"],
    "ur": ["ساڑھے چار لاکھ", "تین لاکھ", "پانچ لاکھ روپے"],
    "bn": ["৩.৫ লাখ টাকা", "৪ লাখ টাকা", "৩ লাখ টাকা"],
}

# Indicators (each ad draws several; strong ones carry most of the signal).
FRAUD = {
    "en": [
        "Free visa and air ticket",
        "No interview needed",
        "No experience required",
        "Processing fee {fee} only",
        "Fee can be paid in USDT",
        "WhatsApp only: {wa}",
        "URGENT! Seats limited",
        "Departure within 2 weeks",
        "Visit visa, work permit after arrival",
        "Send CNIC and passport copy on WhatsApp",
        "100% guaranteed job",
        "Pay the agent in cash, no receipt needed",
    ],
    "roman_ur": [
        "Visa aur ticket free",
        "Koi interview nahi",
        "Tajurba zaroori nahi",
        "Processing fee sirf {fee}",
        "USDT mein payment bhi ho sakti hai",
        "Sirf WhatsApp karein {wa}",
        "Foran rabta karein, seats kam hain",
        "Do hafte mein rawangi",
        "Visit visa, wahan ja kar work permit",
        "CNIC aur passport ki copy WhatsApp karein",
        "100% guarantee ke sath",
    ],
    "ur": [
        "ویزا اور ٹکٹ مفت",
        "کوئی انٹرویو نہیں",
        "تجربہ ضروری نہیں",
        "پروسیسنگ فیس صرف {fee}",
        "صرف واٹس ایپ کریں {wa}",
        "فوری رابطہ کریں، سیٹیں محدود ہیں",
        "دو ہفتوں میں روانگی",
        "وزٹ ویزا، وہاں جا کر ورک پرمٹ",
        "یو ایس ڈی ٹی میں ادائیگی",
    ],
    "bn": [
        "ফ্রি ভিসা ও বিমান টিকিট",
        "কোনো ইন্টারভিউ নেই",
        "অভিজ্ঞতা লাগবে না",
        "প্রসেসিং ফি মাত্র {fee}",
        "শুধু হোয়াটসঅ্যাপে যোগাযোগ {wa}",
        "জরুরি! সিট সীমিত",
        "দুই সপ্তাহে ফ্লাইট",
        "ভিজিট ভিসায় যাবেন, পরে ওয়ার্ক পারমিট",
    ],
}
LEGIT = {
    "en": [
        "Government licence No. {lic} (check it on the Bureau register)",
        "Interview and trade test at our office",
        "Fees only as notified by the government, by bank deposit with receipt",
        "Employer: {employer} (attested demand letter)",
        "Work visa and employment contract before departure",
        "Registration with the Protector of Emigrants",
        "Apply with CV to {email}",
        "Walk-in interviews Monday to Friday, 9 to 5",
        "Medical test at an approved centre",
    ],
    "roman_ur": [
        "Hukumati licence No. {lic}",
        "Interview aur trade test hamare daftar mein",
        "Fees sirf bank ke zariye, raseed ke sath",
        "Company {employer} ka tasdeeq shuda demand letter",
        "Rawangi se pehle work visa aur muahida",
        "Protector office mein registration zaroori",
        "CV bhejein {email}",
    ],
    "ur": [
        "حکومتی لائسنس نمبر {lic}",
        "ہمارے دفتر میں انٹرویو اور ٹریڈ ٹیسٹ",
        "فیس صرف بینک کے ذریعے رسید کے ساتھ",
        "کمپنی کا تصدیق شدہ ڈیمانڈ لیٹر",
        "روانگی سے پہلے ورک ویزا اور معاہدہ",
        "پروٹیکٹر آفس میں رجسٹریشن",
    ],
    "bn": [
        "সরকারি লাইসেন্স নং {lic}",
        "আমাদের অফিসে ইন্টারভিউ ও দক্ষতা পরীক্ষা",
        "ফি শুধু ব্যাংকের মাধ্যমে রসিদসহ",
        "নিয়োগকর্তার সত্যায়িত ডিমান্ড লেটার",
        "যাত্রার আগে ওয়ার্ক ভিসা ও চুক্তি",
        "বিএমইটি নিবন্ধন বাধ্যতামূলক",
    ],
}
CONTACT = {
    "en": ["Contact {ph}", "Call {ph}", "Tel {ph}"],
    "roman_ur": ["Rabta {ph}", "Call karein {ph}"],
    "ur": ["رابطہ {ph}", "فون {ph}"],
    "bn": ["যোগাযোগ {ph}", "ফোন {ph}"],
}
EMPLOYERS = [
    "Gulf Star Facilities LLC",
    "Al Safa Hospitality",
    "Desert Rose Contracting",
    "Marina Bay Services",
    "Pearl Coast Hotels",
    "Oasis Logistics",
]

UNSEEN = {
    "ar": [
        "وظائف في دبي",
        "تأشيرة مجانية وتذكرة طيران",
        "لا حاجة لمقابلة",
        "رسوم المعالجة فقط",
        "تواصل عبر واتساب فقط",
        "راتب ممتاز وعمل سهل",
        "مقابلة في مكتبنا",
    ],
    "ne": [
        "दुबईमा काम",
        "भिसा र टिकट निःशुल्क",
        "अन्तर्वार्ता छैन",
        "तलब राम्रो",
        "सम्पर्क गर्नुहोस्",
        "म्यानपावर कार्यालयमा अन्तर्वार्ता",
    ],
    "th": ["งานที่ดูไบ", "วีซ่าฟรี ตั๋วฟรี", "ไม่ต้องสัมภาษณ์", "เงินเดือนสูง", "ติดต่อทางไลน์เท่านั้น"],
}


def build(world, writer) -> None:
    writer.section(
        "triage",
        "Module 07: a labelled, multilingual corpus of job ads for "
        "AI-assisted screening (train / held-out test) and a batch of incoming ads "
        "for the human-review queue.",
    )
    rng = world.rng("triage/ads")
    rec = world.actor_by_role("recruiter_pk")
    fraud_phones = (
        [p for p in rec.phones]
        + [ids.phone_number(rng, "PK") for _ in range(25)]
        + [ids.phone_number(rng, "BD") for _ in range(10)]
    )
    legit_orgs = world.licensed_recruiters()
    rows = []
    n = 0
    for lang, count in LANGS.items():
        for _ in range(count):
            n += 1
            fraud = rng.random() < FRAUD_SHARE
            text, phone = _ad(rng, lang, fraud, fraud_phones, legit_orgs)
            label = "fraud" if fraud else "legit"
            if rng.random() < NOISE:  # label noise: annotators make mistakes
                label = "legit" if fraud else "fraud"
            rows.append(
                {
                    "ad_id": f"AD{n:05d}",
                    "language": lang,
                    "text": text,
                    "advertiser": phone,
                    "platform": rng.choice(["chaupal", "jhalak", "paigham", "classifieds"]),
                    "posted_utc": _when(world, rng),
                    "label": label,
                }
            )
    # Stratified split by (language, label), fixed once.
    train, test = [], []
    strata: dict[tuple, list] = {}
    for r in rows:
        strata.setdefault((r["language"], r["label"]), []).append(r)
    for key in sorted(strata):
        group = strata[key]
        rng.shuffle(group)
        k = round(len(group) * TEST_SHARE)
        test += group[:k]
        train += group[k:]
    train.sort(key=lambda r: r["ad_id"])
    test.sort(key=lambda r: r["ad_id"])
    cols = {
        "ad_id": "Ad reference",
        "language": "en, roman_ur (Urdu in Latin letters), ur (Urdu script) or bn (Bengali)",
        "text": "The ad text as posted",
        "advertiser": "The advertiser's contact number (E.164): ads with the same number "
        "come from the same agent or agency, so they form one group when "
        "you split data for a fair test",
        "platform": "Where it was posted (fictional platforms or a classifieds site)",
        "posted_utc": "When it was posted (UTC)",
        "label": "fraud (deceptive recruitment) or legit, from case outcomes and analyst "
        "review; about 2-3% of labels are wrong, as in real data",
    }
    types = {"posted_utc": "datetime_utc"}
    writer.write_csv(
        "triage/ads_train.csv",
        train,
        cols,
        "Training ads (80%): fit models on these only.",
        types=types,
    )
    writer.write_csv(
        "triage/ads_test.csv",
        test,
        cols,
        "Held-out test ads (20%, stratified by "
        "language and label): use them once, to measure a finished model.",
        types=types,
    )
    # Incoming, unlabelled ads for the review queue.
    incoming, truth = [], {}
    for i in range(1, 361):
        lang = rng.choices(list(LANGS), weights=list(LANGS.values()))[0]
        fraud = rng.random() < 0.3
        incoming.append(
            {
                "ad_id": f"IN{i:04d}",
                "text": _ad(rng, lang, fraud, fraud_phones, legit_orgs)[0],
                "platform": rng.choice(["chaupal", "jhalak", "paigham", "classifieds"]),
                "posted_utc": _when(world, rng, recent=True),
            }
        )
        truth[f"IN{i:04d}"] = lang
    unseen_ids = []
    for lang, phrases in UNSEEN.items():
        for _ in range(rng.randrange(3, 6)):
            i = len(incoming) + 1
            ph = ids.format_phone_local(ids.phone_number(rng, "AE"), "spaced")
            text = " ".join(rng.sample(phrases, rng.randrange(3, len(phrases)))) + f" {ph}"
            incoming.append(
                {
                    "ad_id": f"IN{i:04d}",
                    "text": text,
                    "platform": rng.choice(["chaupal", "paigham"]),
                    "posted_utc": _when(world, rng, recent=True),
                }
            )
            unseen_ids.append(f"IN{i:04d}")
    order = list(range(len(incoming)))
    rng.shuffle(order)
    incoming = [incoming[i] for i in order]
    writer.write_csv(
        "triage/ads_incoming.csv",
        incoming,
        {
            "ad_id": "Ad reference",
            "text": "The ad text (language not given: detect it)",
            "platform": "Where it was posted",
            "posted_utc": "When it was posted (UTC)",
        },
        "This week's new, unlabelled ads for the screening queue. Some are in languages the "
        "training data does not contain.",
        types=types,
    )
    writer.add_key("07.train_size", len(train))
    writer.add_key(
        "07.unseen_language_ads",
        sorted(unseen_ids),
        kind="set",
        hint="ads in a script or language the model never saw in training",
    )


def _when(world, rng, recent=False) -> str:
    if recent:
        moment = world.now - timedelta(days=rng.randrange(0, 7), minutes=rng.randrange(1440))
    else:
        moment = world.now - timedelta(days=rng.randrange(8, 400), minutes=rng.randrange(1440))
    return moment.strftime("%Y-%m-%dT%H:%M:00Z")


def _ad(rng, lang, fraud, fraud_phones, legit_orgs) -> tuple[str, str]:
    """One ad's text and the advertiser's number (E.164) printed in it."""
    job = rng.choice(JOBS[lang])
    place = rng.choice(PLACES[lang])
    parts = [rng.choice(HEAD[lang]).format(job=job, place=place)]
    low, high = SALARY[lang]
    # Bengali fraud ads are subtler (fewer indicators): the classifier's weak spot.
    if fraud:
        k = 1 if lang == "bn" else rng.randrange(2, 5)
        # Some fraud only shows in the outcome, not the wording (more often in Bengali ads).
        if rng.random() < (0.3 if lang == "bn" else 0.07):
            k = 0
        inds = rng.sample(FRAUD[lang], k)
        if k == 0:  # wording copied from licensed firms
            inds = rng.sample(LEGIT[lang], rng.randrange(1, 3))
        elif rng.random() < 0.25:  # fraud that imitates legitimacy
            inds.append(rng.choice(LEGIT[lang]))
        parts.append(rng.choice(high if rng.random() < 0.7 and k else low))
    else:
        inds = rng.sample(LEGIT[lang], rng.randrange(1, 4))
        if rng.random() < 0.25:  # honest ads that sound urgent or free
            inds.append(rng.choice(FRAUD[lang][:3] if lang != "bn" else FRAUD[lang][:2]))
        parts.append(rng.choice(low if rng.random() < 0.85 else high))
    parts += inds
    body = parts[1:]
    rng.shuffle(body)
    parts = parts[:1] + body
    orgs = [o for o in legit_orgs if (o.country == "BD") == (lang == "bn")] or legit_orgs
    org = rng.choice(orgs)
    country = "BD" if lang == "bn" else "PK"
    # Many agencies advertise: most ads carry a number and licence seen nowhere else, so a
    # model cannot simply learn "known agency = honest". Known fraud agents do re-post.
    if fraud:
        phone = rng.choice(fraud_phones)
        if k == 0 or lang == "bn":  # a new agent's number, never seen before
            phone = ids.phone_number(rng, country)
    else:
        phone = org.phones[0] if rng.random() < 0.3 else ids.phone_number(rng, country)
    wa = ids.format_phone_local(phone, "wa" if rng.random() < 0.4 else "national")
    if not fraud and rng.random() < 0.3:
        lic = org.licence_no
    elif lang == "bn":  # fake and unknown licences look alike:
        lic = f"RL-9{rng.randrange(100, 999)}"  # only the register tells them apart
    else:
        lic = f"9{rng.randrange(1000, 9999)}/{rng.choice(['LHR', 'RWP', 'ISB', 'FSD', 'GRW'])}"
    text = ". ".join(parts)
    text = text.format(
        fee=rng.choice(FEES[lang]),
        wa=wa,
        lic=lic,
        employer=rng.choice(EMPLOYERS),
        email=f"{org.emails[0]}",
        low=rng.choice(LOW),
        high=rng.choice(HIGH),
    )
    if wa not in text:
        text += ". " + rng.choice(CONTACT[lang]).format(
            ph=ids.format_phone_local(phone, "national")
        )
    return text.replace("{low}", rng.choice(LOW)).replace("{high}", rng.choice(HIGH)), phone
