"""View: module 07, the exercise exhibit — the Bangladeshi partner agent's seized phone.

The lesson works on the Punjab recruiter's phone (``device/extraction``); the exercise applies
the same techniques to a second exhibit that the lesson never opens, so no exercise answer is on
screen in the lesson (issue 15). The partner agent in Dhaka is arrested some days after the
recruiter; Bangladesh police share a full file system extraction of his phone with the Pakistani
team under the joint investigation. Everything on it is consistent with the world (his numbers,
the recruiter's, the handler's, his victims, his wallet), and it draws only from its own random
streams (``device-partner/...``), so no other data shift.

Planted for the exercise:

* one photo re-saved after extraction (hash no longer matches the report);
* an app database nobody has a parser for (unknown schema) and an encrypted backup that is not
  SQLite at all;
* the phone's owner travelled to Bangkok: while there the phone's zone was Asia/Bangkok, so the
  camera's EXIF wall-clock times of those photos are Bangkok time (no offset tag), although the
  report's zone setting at extraction is Asia/Dhaka — evidence: GPS in the EXIF and the
  network's roaming SMS;
* Chrome ``History`` readable, with WebKit times (microseconds since 1601);
* the extraction tool's own summary of wallet messages (in the report) writes the phone's
  local time with a ``Z``: six hours off the raw database row;
* the messenger in WAL mode, with messages deleted after the recruiter's arrest;
* his family on the phone (the most frequent counterpart is his wife): to be set aside.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from ...reference.gazetteer import PLACES
from ...timeutil import utc_iso
from .. import identifiers as ids
from .. import names
from . import v70_device as base

ROOT = "device/partner_extraction"
MESSENGER_DB = base.MESSENGER_DB
UNKNOWN_DB = "data/example.kothakoi.voip/databases/kk_cache.db"
ENCRYPTED_DB = "data/example.paigham.messenger/databases/backup/paigham_backup.db.crypt"
HISTORY_DB = "data/com.android.chrome/app_chrome/Default/History"
DCIM = base.DCIM
TRAVEL_ZONE = "Asia/Bangkok"
_WEBKIT_OFFSET_S = 11_644_473_600


def _webkit(moment: datetime) -> int:
    return (int(moment.timestamp()) + _WEBKIT_OFFSET_S) * 1_000_000 + moment.microsecond


class _PartnerStory(base._Story):
    """The partner agent's phone, chapter by chapter, from its own random streams."""

    prefix = "device-partner"

    def __init__(self, world, recruiter_seized: datetime):
        self.w = world
        self.rng = world.rng("device-partner/phone")
        self.rec = world.actor_by_role("recruiter_bd")
        self.dev = next(
            world.device(d) for d in self.rec.devices if world.device(d).kind == "phone"
        )
        self.tz = ZoneInfo(self.dev.clock_tz)
        self.sim1, self.sim2 = self.rec.phones[0], self.rec.phones[1]
        self.contacts, self.calls, self.sms, self.chats = [], [], [], []
        self.users, self.messages, self.media = {}, [], {}
        self.photos, self.attachments = [], []
        self.start = datetime.combine(world.start - timedelta(days=20), datetime.min.time(), UTC)
        # Arrested some days after the Punjab recruiter, when the Dhaka police acted on the
        # Pakistani team's referral.
        self.seized = recruiter_seized + timedelta(
            days=self.rng.randrange(5, 9), hours=self.rng.randrange(2, 8)
        )
        self.by_number: dict[str, str] = {}
        self.wallets_mentioned: set[str] = set()
        self.trip: tuple[datetime, datetime] | None = None
        self.t0 = datetime.combine(world.start, datetime.min.time(), UTC)

    def run(self):
        self.meet_the_cast()
        self.save_contacts()
        self.open_chats()
        self.plan_trip()
        self.live_daily_life()
        self.work_with_broker()
        self.recruit_victims()
        self.report_to_recruiter()
        self.travel_to_bangkok()
        self.browse()
        self.sort_in_time()

    # -- people -----------------------------------------------------------------------------
    def meet_the_cast(self):
        roles = {a.role: a for a in self.w.actors}
        self.roles = roles
        self.pk, self.ring = roles["recruiter_pk"], roles["ringleader"]
        self.fac, self.han = roles["facilitator_ae"], roles["handler_th"]
        handle = next(
            (a.handle for a in self.w.accounts_of(self.rec.actor_id) if a.platform == "paigham"),
            None,
        )
        self.me = self.user("me", self.sim2, handle, self.rec.name)

    def save_contacts(self):
        rng, pk, ring, fac, han = self.rng, self.pk, self.ring, self.fac, self.han
        self.contact(f"{pk.alias} Lahore", [pk.phones[0], pk.phones[1]], key="pk")
        self.contact(f"{ring.alias} Boss", [ring.phones[0]], key="ring")
        self.contact(f"{fac.alias} Dubai", [fac.phones[0]], note="airport", key="fac")
        self.contact(f"{han.alias} Thai", [han.phones[0]], key="han")
        # A local broker (dalal) who brings villagers from Sylhet: on this phone only.
        broker = names.unique_names(rng, [("BD", "m")])[0]
        self.broker_name = broker
        self.broker = ids.phone_number(rng, "BD")
        self.contact(f"{broker.split()[0]} Sylhet", [self.broker], note="dalal", key="broker")
        # A P2P seller who swaps taka for USDT (a wallet the case does not know yet).
        self.p2p_wallet = ids.tron_address(rng)
        self.p2p = ids.phone_number(rng, "BD")
        self.contact("USDT bhai", [self.p2p], note="P2P taka->USDT", key="p2p")
        family = names.unique_names(rng, [("BD", g) for g in "ffmmf"])
        self.family = []
        for label, person in zip(["Bou", "Ammu", "Abbu", "Bhaiya", "Apu"], family):
            number = ids.phone_number(rng, "BD")
            self.contact(f"{label} ({person.split()[0]})", [number], key=label)
            self.family.append(number)
        self.wife = self.family[0]
        self.friends = []
        for person in names.unique_names(rng, [("BD", "m") for _ in range(4)]):
            number = ids.phone_number(rng, "BD")
            self.contact(person, [number])
            self.friends.append(number)
        self.victims = [v for v in self.w.victims if v.recruiter == self.rec.actor_id]
        for v in self.victims:
            self.contact(
                f"{v.name.split()[0]} {PLACES[v.place].name}",
                [v.phone],
                note=f"fee {v.fee_amount:,} {v.fee_currency}",
                key=v.victim_id,
            )
        self.my_wallet = self.w.wallet(self.rec.wallets[0]) if self.rec.wallets else None

    def open_chats(self):
        pk, han = self.pk, self.han
        uid = {
            "pk": self.user("pk", pk.phones[1], None, pk.alias),
            "han": self.user("han", han.phones[0], None, han.alias),
            "broker": self.user("broker", self.broker, None, self.broker_name),
            "p2p": self.user("p2p", self.p2p, None, "USDT P2P"),
        }
        for v in self.victims:
            uid[v.victim_id] = self.user(v.victim_id, v.phone, None, v.name)
        self.uid = uid
        self.chat_ids = {
            k: self.chat("private", title, [uid[k]], self.start)
            for k, title in (
                ("pk", pk.alias),
                ("han", han.alias),
                ("broker", self.broker_name),
                ("p2p", "USDT P2P"),
            )
        }

    # -- the story --------------------------------------------------------------------------
    def plan_trip(self):
        """A few days in Bangkok to hand a batch to the handler (phone zone: Asia/Bangkok)."""
        rng = self.rng
        anchor = min((v.crossed_utc for v in self.victims), default=self.t0 + timedelta(40))
        leave = datetime.combine(
            (anchor - timedelta(days=rng.randrange(2, 4))).date(), datetime.min.time(), UTC
        ) + timedelta(hours=rng.randrange(1, 5))
        self.trip = (leave, leave + timedelta(days=rng.randrange(4, 7), hours=rng.randrange(6)))

    def away(self, when) -> bool:
        return self.trip is not None and self.trip[0] <= when <= self.trip[1]

    def zone_at(self, when) -> ZoneInfo:
        """The zone the phone was set to at ``when`` (automatic time zone from the network)."""
        return ZoneInfo(TRAVEL_ZONE) if self.away(when) else self.tz

    def live_daily_life(self):
        rng, day = self.rng, self.start.date()
        while datetime.combine(day, datetime.min.time(), UTC) < self.seized:
            self.call(
                self.at_local(day, rng.randrange(8, 12), rng.randrange(60)),
                self.wife,
                rng.choice(["incoming", "outgoing"]),
            )
            if rng.random() < 0.6:
                self.call(
                    self.at_local(day, rng.randrange(17, 23), rng.randrange(60)),
                    self.wife,
                    rng.choice(["incoming", "outgoing", "missed"]),
                )
            if rng.random() < 0.3:
                self.text(
                    self.at_local(day, rng.randrange(9, 21), rng.randrange(60)),
                    self.wife,
                    rng.choice(["incoming", "outgoing"]),
                    rng.choice(["Bazar theke dim anben", "Kokhon ashben?", "Baby ghumiye geche"]),
                )
            if rng.random() < 0.3:
                self.call(
                    self.at_local(day, rng.randrange(10, 22), rng.randrange(60)),
                    rng.choice(self.family[1:]),
                    rng.choice(["incoming", "outgoing"]),
                )
            if rng.random() < 0.15:
                self.call(
                    self.at_local(day, rng.randrange(12, 23), rng.randrange(60)),
                    rng.choice(self.friends),
                    rng.choice(["incoming", "outgoing"]),
                )
            day += timedelta(days=1)

    def work_with_broker(self):
        """The Sylhet broker: villagers, their passports, his cut (the busiest case contact)."""
        rng, day = self.rng, self.w.start
        while datetime.combine(day, datetime.min.time(), UTC) < self.seized - timedelta(days=3):
            if rng.random() < 0.45:
                self.call(
                    self.at_local(day, rng.randrange(10, 21), rng.randrange(60)),
                    self.broker,
                    rng.choice(["incoming", "outgoing"]),
                    sim=self.sim1,
                )
            if rng.random() < 0.3:
                self.msg(
                    self.at_local(day, rng.randrange(9, 22), rng.randrange(60)),
                    self.chat_ids["broker"],
                    self.uid["broker"],
                    rng.choice(
                        [
                            "Gram theke 2 jon ready, passport ache",
                            "Amar commission kobe?",
                            "Dubai hotel job bolechi, ora raji",
                            "Taka jogar hocche, 2 din somoy",
                        ]
                    ),
                )
            day += timedelta(days=1)

    def recruit_victims(self):
        rng, uid = self.rng, self.uid
        for v in self.victims:
            first = v.paid_utc - timedelta(days=rng.randrange(5, 15), hours=rng.randrange(24))
            chat = self.chat("private", v.name, [uid[v.victim_id]], first)
            self.msg(first, chat, uid[v.victim_id], f"Bhai, {v.job_promised} er kaj ta ki ache?")
            self.msg(
                first + timedelta(minutes=rng.randrange(5, 60)),
                chat,
                self.me,
                f"Ache. Dubai, {v.salary_promised}. Visa, ticket free. "
                f"Processing fee {v.fee_amount:,} {v.fee_currency}.",
            )
            self.call(first + timedelta(hours=rng.randrange(1, 20)), v.phone, "outgoing")
            if v.fee_method == "usdt" and self.my_wallet:
                self.msg(
                    v.paid_utc - timedelta(hours=rng.randrange(2, 20)),
                    chat,
                    self.me,
                    f"USDT (TRC20) ei address e pathan: {self.my_wallet.address}",
                )
                self.wallets_mentioned.add(self.my_wallet.address)
            else:
                self.text(
                    v.paid_utc + timedelta(seconds=rng.randrange(5, 90)),
                    "MOBITAKA",
                    "incoming",
                    f"MobiTaka: Tk {v.fee_amount:,} received from {v.phone}. "
                    f"TrxID {rng.randrange(10**9, 10**10)}.",
                )
            self.call(v.departed_utc - timedelta(hours=rng.randrange(3, 9)), v.phone, "outgoing")
            self.msg(
                v.departed_utc + timedelta(hours=rng.randrange(5, 9)),
                self.chat_ids["pk"],
                self.me,
                f"{v.name.split()[0]} Dhaka theke uthe geche. DXB e {self.fac.alias} receive korbe.",
            )
            self.call(
                v.departed_utc + timedelta(hours=rng.randrange(4, 8)),
                self.fac.phones[0],
                "outgoing",
                sim=self.sim2,
            )

    def report_to_recruiter(self):
        """Fees swapped to USDT at a P2P seller and sent on (the P2P wallet is a new lead)."""
        rng, pk = self.rng, self.pk
        for _ in range(rng.randrange(6, 10)):
            when = self.at_local(
                self.w.start + timedelta(days=rng.randrange(0, 100)),
                rng.randrange(10, 22),
                rng.randrange(60),
            )
            self.msg(
                when,
                self.chat_ids["pk"],
                self.uid["pk"],
                rng.choice(
                    [
                        "Dhaka batch kab? Boss pooch rahe hain",
                        "Fee USDT mein bhejo",
                        "Naye log Sylhet se?",
                        "Call karo",
                    ]
                ),
            )
            self.call(
                when + timedelta(minutes=rng.randrange(5, 50)),
                pk.phones[1],
                rng.choice(["incoming", "outgoing"]),
                sim=self.sim1,
            )
        for k in range(rng.randrange(2, 4)):
            when = self.at_local(
                self.w.start + timedelta(days=10 + 25 * k + rng.randrange(10)),
                rng.randrange(11, 20),
                rng.randrange(60),
            )
            amount = rng.randrange(8, 30) * 100
            self.msg(when, self.chat_ids["p2p"], self.me, f"{amount} USDT lagbe, taka cash")
            self.msg(
                when + timedelta(minutes=rng.randrange(3, 30)),
                self.chat_ids["p2p"],
                self.uid["p2p"],
                f"Rate 124. Taka deben, USDT pathabo ei wallet theke: {self.p2p_wallet}",
            )
            self.wallets_mentioned.add(self.p2p_wallet)

    def travel_to_bangkok(self):
        rng, (leave, back) = self.rng, self.trip
        self.text(
            leave + timedelta(hours=rng.randrange(3, 5)),
            "ROAMING",
            "incoming",
            "Welcome to Thailand! Your phone is now roaming. Local time is set automatically.",
        )
        for _ in range(rng.randrange(3, 6)):
            when = leave + timedelta(
                hours=rng.randrange(8, int((back - leave).total_seconds() // 3600))
            )
            self.call(when, self.han.phones[0], rng.choice(["incoming", "outgoing"]), sim=self.sim2)
        self.msg(
            leave + timedelta(hours=rng.randrange(10, 30)),
            self.chat_ids["han"],
            self.uid["han"],
            "Guest house e thakben. Lokera kalke border e jabe.",
        )
        self.text(
            back + timedelta(hours=1),
            "ROAMING",
            "incoming",
            "Welcome back to Bangladesh.",
        )

    def browse(self):
        rng, leave = self.rng, self.trip[0]
        front = self.w.front.domain
        pages = [
            (f"https://{front}/jobs", "Jobs abroad - apply now"),
            ("https://flights.example/search?from=DAC&to=BKK", "Flights Dhaka to Bangkok"),
            ("https://p2p.usdt-desk.example/buy/BDT", "Buy USDT with taka"),
            ("https://maps.example/place/Bangkok+guest+house", "Guest house, Bangkok"),
            ("https://news.example/bd/police-raid-lahore-job-racket", "Lahore job racket raided"),
        ]
        self.history = []
        for i, (url, title) in enumerate(pages):
            if i == 1:
                first = leave - timedelta(days=rng.randrange(4, 9), hours=rng.randrange(24))
            elif i == 3:
                first = leave + timedelta(hours=rng.randrange(5, 12))
            elif i == 4:
                first = self.seized - timedelta(days=rng.randrange(3, 5), hours=rng.randrange(24))
            else:
                first = self.t0 + timedelta(days=rng.randrange(5, 60), hours=rng.randrange(24))
            visits = sorted(
                first + timedelta(hours=rng.randrange(0, 48) * k)
                for k in range(rng.randrange(1, 4))
            )
            self.history.append(
                {
                    "url": url,
                    "title": title,
                    "visits": [v.replace(microsecond=rng.randrange(10**6)) for v in visits],
                }
            )

    # -- photos -----------------------------------------------------------------------------
    def take_photos(self):
        rng, (leave, back) = self.rng, self.trip
        dhaka, bkk = PLACES["dhaka"], PLACES["bangkok"]
        shots = [
            (
                "passports",
                self.t0 + timedelta(days=rng.randrange(10, 30), hours=rng.randrange(5, 12)),
                dhaka,
            ),
            (
                "cash",
                self.t0 + timedelta(days=rng.randrange(31, 50), hours=rng.randrange(5, 12)),
                dhaka,
            ),
            ("airport", leave - timedelta(minutes=rng.randrange(20, 90)), dhaka),
        ]
        span = int((back - leave).total_seconds() // 3600) - 6
        for label in ("guest house", "van", "border road"):
            shots.append((label, leave + timedelta(hours=5 + rng.randrange(span)), bkk))
        shots.append(
            ("receipt", back + timedelta(days=rng.randrange(2, 6), hours=rng.randrange(8)), dhaka)
        )
        shots.sort(key=lambda s: s[1])
        for label, when, place in shots:
            when = when.replace(minute=rng.randrange(60), second=rng.randrange(60), microsecond=0)
            local = when.astimezone(self.zone_at(when))
            rel = f"{DCIM}/IMG_{local.strftime('%Y%m%d_%H%M%S')}.jpg"
            exif = {
                "make": self.dev.make,
                "model": self.dev.model,
                "software": self.dev.software,
                "local": local,
                "offset": None,
                "lat": round(place.lat + rng.uniform(-0.01, 0.01), 5),
                "lon": round(place.lon + rng.uniform(-0.01, 0.01), 5),
            }
            self.media[rel] = base._jpeg(rng, label.upper(), exif=exif)
            self.photos.append({"rel": rel, "when": when, "label": label, "away": place is bkk})
        home = [p for p in self.photos if not p["away"]]
        self.altered_photo = home[rng.randrange(len(home))]["rel"]


def _deleted(story) -> list[dict]:
    """After news of the recruiter's arrest, the partner deletes his chat lines with him."""
    rng = story.w.rng("device-partner/deleted")
    when = story.seized - timedelta(days=rng.randrange(1, 3), hours=rng.randrange(12))
    story.waiting = rng.randrange(3, 9)
    pk, me, chat = story.uid["pk"], story.me, story.chat_ids["pk"]
    lines = [
        (pk, "Lahore mein raid hui hai. Sab delete karo"),
        (me, f"Bangkok guest house e ekhono {story.waiting} jon opekkha korche. Ki korbo?"),
        (pk, "Handler se baat karo. Phone badal lo"),
        (me, "Thik ache, delete korchi"),
    ]
    out = [
        {
            "when": when + timedelta(minutes=4 * i + rng.randrange(3)),
            "chat_id": chat,
            "sender": s,
            "body": b,
            "attachment": None,
        }
        for i, (s, b) in enumerate(lines)
    ]
    story.deleted_messages = out
    return out


def _history_db(story) -> bytes:
    def build(con):
        con.executescript("""
        CREATE TABLE urls (id INTEGER PRIMARY KEY, url LONGVARCHAR, title LONGVARCHAR,
            visit_count INTEGER DEFAULT 0, typed_count INTEGER DEFAULT 0,
            last_visit_time INTEGER NOT NULL, hidden INTEGER DEFAULT 0);
        CREATE TABLE visits (id INTEGER PRIMARY KEY, url INTEGER NOT NULL,
            visit_time INTEGER NOT NULL, from_visit INTEGER, transition INTEGER DEFAULT 0);
        """)
        vid = 1
        for i, h in enumerate(story.history, start=1):
            con.execute(
                "INSERT INTO urls VALUES (?,?,?,?,0,?,0)",
                (i, h["url"], h["title"], len(h["visits"]), _webkit(h["visits"][-1])),
            )
            for v in h["visits"]:
                con.execute("INSERT INTO visits VALUES (?,?,?,0,805306368)", (vid, i, _webkit(v)))
                vid += 1

    return base._db_bytes(build)


def _unknown_db(story) -> bytes:
    rng = story.stream("unknown")

    def build(con):
        con.execute("CREATE TABLE kc_rec (rid INTEGER PRIMARY KEY, blob0 BLOB, ts INTEGER)")
        for i in range(1, 18):
            con.execute(
                "INSERT INTO kc_rec VALUES (?,?,?)",
                (i, bytes(rng.randrange(256) for _ in range(24)), rng.randrange(10**12, 10**13)),
            )

    return base._db_bytes(build)


def _encrypted(story) -> bytes:
    rng = story.stream("crypt")
    return b"PGCRYPT1" + bytes(rng.randrange(256) for _ in range(6000))


def _tool_summary(story) -> list[dict]:
    """What the extraction tool lists as 'messages with crypto addresses'. Its bug: it writes
    the phone's local wall time (report zone) and labels it UTC."""
    out = []
    rows = list(story.messages)
    for i, m in enumerate(rows, start=1):
        if any(w in (m["body"] or "") for w in story.wallets_mentioned):
            shown = m["when"].astimezone(story.tz).replace(tzinfo=None)
            out.append(
                {
                    "file": MESSENGER_DB,
                    "table": "messages",
                    "row": i,
                    "utc": shown.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "text": m["body"],
                }
            )
    return out


def _report(story, files: dict[str, bytes], summary: list[dict]) -> dict:
    rng = story.stream("report")
    w = story.w
    extracted = story.seized + timedelta(days=2, hours=rng.randrange(1, 6))
    return {
        "report_type": "Full file system extraction report (training format modelled on "
        "commercial mobile-forensic tools)",
        "tool": {"name": "OpenExtract (fictional training tool)", "version": "4.1.7"},
        "case_ref": w.case_ref,
        "exhibit_ref": f"EXH-{w.case_ref[-4:]}-07B",
        "examiner": "Dhaka digital forensics lab (shared under the joint investigation), examiner "
        + rng.choice(["R. Haque", "N. Akter", "T. Islam"]),
        "seizure": {
            "utc": utc_iso(story.seized),
            "place": PLACES["dhaka"].name,
            "note": "Seized on arrest; placed in a Faraday bag, airplane mode set.",
        },
        "extraction": {
            "type": "full file system (FFS; device unlocked, AFU, passcode given by the suspect)",
            "note": "Third-party app data needs a full file system or physical extraction on "
            "Android 12 and later.",
            "start_utc": utc_iso(extracted),
            "end_utc": utc_iso(extracted + timedelta(minutes=rng.randrange(20, 50))),
            "hash_algorithm": "SHA-256",
        },
        "device": {
            "make": story.dev.make,
            "model": story.dev.model,
            "os": story.dev.software,
            "imei": story.dev.serial,
            "sims": [{"slot": 1, "msisdn": story.sim1}, {"slot": 2, "msisdn": story.sim2}],
            "timezone_setting": story.dev.clock_tz,
            "automatic_time_zone": True,
            "clock_offset_seconds": rng.choice([-1, 1]) * rng.randrange(5, 90),
            "clock_note": "device clock minus reference UTC clock at extraction",
        },
        "tool_summary": {
            "messages_with_crypto_addresses": summary,
            "note": "Parsed by the tool. Verify against the source database before use.",
        },
        "files": [
            {"path": rel, "bytes": len(blob), "sha256": hashlib.sha256(blob).hexdigest()}
            for rel, blob in sorted(files.items())
        ],
    }


def build(world, writer) -> None:
    rec_seized = base._Story(world).seized  # same stream draw as the lesson phone's story
    story = _PartnerStory(world, rec_seized)
    story.run()
    story.take_photos()
    story.sort_in_time()
    deleted = _deleted(story)
    files: dict[str, bytes] = {}
    files[base.CONTACTS_DB] = base._contacts_db(story)
    files[base.CALLLOG_DB] = base._calllog_db(story)
    files[base.SMS_DB] = base._sms_db(story)
    files[MESSENGER_DB] = base._wal_mode(base._messenger_db(story, extra=deleted))
    files[MESSENGER_DB + "-wal"] = base._wal(
        files[MESSENGER_DB], base._wal_mode(base._messenger_db(story))
    )
    files[UNKNOWN_DB] = _unknown_db(story)
    files[ENCRYPTED_DB] = _encrypted(story)
    files[HISTORY_DB] = _history_db(story)
    for rel, blob in story.media.items():
        files[rel] = blob
    root = writer.root / ROOT
    for rel in sorted(files):
        target = root.joinpath(*rel.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[rel])
    summary = _tool_summary(story)
    report = _report(story, files, summary)
    altered = root.joinpath(*story.altered_photo.split("/"))
    altered.write_bytes(base._resave(files[story.altered_photo]))
    (root / "extraction_report.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    writer.document(
        ROOT,
        f"The exercise exhibit {report['exhibit_ref']}: a full file system extraction of the "
        "Bangladeshi partner agent's phone, shared by the Dhaka lab (same layout as "
        "`device/extraction`: `extraction_report.json` with every file's SHA-256 and the "
        "tool's own summary, Android-style SQLite databases, the Paigham messenger with its "
        "`-wal` file, Chrome `History` (WebKit times: microseconds since 1601), photos with "
        "EXIF). Open it with `osintlab.device.open_extraction`.",
    )
    _keys(writer, story, report)


def _keys(writer, story, report) -> None:
    w = story.w
    writer.add_key("07.imei", story.dev.serial, hint="the extraction report's device section")
    writer.add_key(
        "07.altered_files",
        [story.altered_photo],
        kind="set",
        hint="compare every listed file's SHA-256 with the report",
    )
    writer.add_key(
        "07.unparsed",
        {UNKNOWN_DB: "unknown_schema", ENCRYPTED_DB: "not_sqlite"},
        kind="mapping",
    )
    writer.add_key(
        "07.family_numbers",
        sorted(story.family),
        kind="set",
        hint="the contacts saved under kinship names",
    )
    writer.add_key(
        "07.top_counterpart",
        story.broker,
        hint="the most frequent counterpart once the family is set aside (E.164)",
    )
    dcim = [p for p in story.photos if p["rel"] != story.altered_photo]
    writer.add_key(
        "07.photo_times_utc",
        {p["rel"].rsplit("/", 1)[-1]: utc_iso(p["when"]) for p in dcim},
        kind="mapping",
        form="time",
        hint="EXIF times are local: which zone was the phone in when each was taken?",
    )
    writer.add_key(
        "07.travel_photos",
        sorted(p["rel"].rsplit("/", 1)[-1] for p in dcim if p["away"]),
        kind="set",
        hint="GPS and the roaming SMS say where the phone was",
    )
    known = {r["selector"] for r in _known_selectors(w)}
    writer.add_key(
        "07.new_wallets",
        sorted(story.wallets_mentioned - known),
        kind="set",
        hint="wallets in the chats that the case list does not hold",
    )
    on_phone = {c["name"]: c["numbers"] for c in story.contacts}
    matched = sorted(n for n, nums in on_phone.items() if set(nums) & known)
    writer.add_key(
        "07.matched_contacts",
        matched,
        kind="set",
        hint="contact names whose number is in the case list",
    )
    flights = next(h for h in story.history if "flights" in h["url"])
    writer.add_key(
        "07.first_flight_search_utc",
        utc_iso(flights["visits"][0]),
        kind="time",
        hint="Chrome stores microseconds since 1601-01-01 (WebKit)",
    )
    writer.add_key("07.waiting_in_bangkok", story.waiting, kind="number")


def _known_selectors(world) -> list[dict]:
    """The same selector list that ``device/case_selectors.csv`` holds (built by v70)."""
    rows = []
    for acc in world.accounts:
        rows += [{"selector": p} for p in acc.phones] + [{"selector": acc.handle}]
    for wal in world.wallets:
        if wal.role in (
            "fee_collection",
            "consolidation",
            "mule",
            "document_sales",
            "smuggling_fees",
        ):
            rows.append({"selector": wal.address})
    for org in world.organisations:
        rows += [{"selector": p} for p in org.phones]
    return rows


__all__ = ["build", "ROOT"]
