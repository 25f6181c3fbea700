"""View: module 07, part 1 — a full file system extraction of the Punjab recruiter's seized phone.

Shaped like an Android full file system (FFS) extraction as a mobile-forensic tool exports it
(a logical extraction of Android 12+ would not contain the messenger's private database): the app
folders under ``data/`` with their SQLite databases (contacts, call log, SMS, a messaging app),
the camera roll under ``sdcard/DCIM`` with EXIF, and an extraction report listing every file with
its SHA-256. Everything on the phone is consistent with the world: the same numbers, victims,
handles, wallets, places and times that the other modules show from other angles.

Planted for the lesson (the exercise uses the partner agent's phone, ``v72_partner_device``):

* one photo whose bytes no longer match the extraction report (re-saved after extraction);
* one database that was extracted damaged (the hash matches: integrity is not validity);
* one database of an app nobody has a parser for (unknown schema);
* photos whose EXIF times are local wall-clock times without an offset (device zone in the
  report), and one picture received through the messenger whose EXIF was stripped;
* a camera photo from the front's camera (module 03) forwarded to the phone;
* the messenger database in WAL mode: messages deleted a day before the seizure are still in
  the main file, and the committed ``-wal`` file deletes them (``device.deleted_rows``).
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import struct
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from ...reference.gazetteer import PLACES
from ...timeutil import utc_iso
from .. import identifiers as ids
from .. import names

ROOT = "device/extraction"
CONTACTS_DB = "data/com.android.providers.contacts/databases/contacts2.db"
CALLLOG_DB = "data/com.android.providers.contacts/databases/calllog.db"
SMS_DB = "data/com.android.providers.telephony/databases/mmssms.db"
MESSENGER_DB = "data/example.paigham.messenger/databases/paigham.db"
UNKNOWN_DB = "data/example.baatcheet.voip/databases/bc_store.db"
CORRUPT_DB = "data/com.android.chrome/app_chrome/Default/History"
MESSENGER_MEDIA = "sdcard/Paigham/Media/Paigham Images"
DCIM = "sdcard/DCIM/Camera"


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def build(world, writer) -> None:
    writer.section(
        "device",
        "Module 07: full file system extractions of two seized phones (Android-like app "
        "folders, SQLite databases, photos with EXIF and an extraction report with hashes): "
        "the Punjab recruiter's (`device/extraction`, the lesson's exhibit) and his "
        "Bangladeshi partner agent's (`device/partner_extraction`, the exercise's), plus the "
        "case's list of known selectors.",
    )
    story = _Story(world)
    story.run()
    root = writer.root / ROOT
    root.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {}
    files[CONTACTS_DB] = _contacts_db(story)
    files[CALLLOG_DB] = _calllog_db(story)
    files[SMS_DB] = _sms_db(story)
    # The messenger runs in WAL mode: the main file still holds messages the user deleted
    # shortly before the arrest; the -wal file holds the committed deletion (no checkpoint yet).
    deleted = _deleted_messages(story)
    files[MESSENGER_DB] = _wal_mode(_messenger_db(story, extra=deleted))
    files[MESSENGER_DB + "-wal"] = _wal(files[MESSENGER_DB], _wal_mode(_messenger_db(story)))
    files[UNKNOWN_DB] = _unknown_db(story)
    files[CORRUPT_DB] = _corrupt_db(story)
    for rel, blob in story.media.items():
        files[rel] = blob
    for rel in sorted(files):
        target = root.joinpath(*rel.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[rel])
    report = _report(story, files)
    # After extraction, an analyst "improved" one photo on the evidence copy (rotated and
    # re-saved it): its bytes no longer match the report.
    altered = story.altered_photo
    target = root.joinpath(*altered.split("/"))
    target.write_bytes(_resave(files[altered]))
    (root / "extraction_report.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    writer.document(
        ROOT,
        "The full file system extraction of exhibit "
        f"{report['exhibit_ref']}, the Punjab recruiter's phone: "
        "`extraction_report.json` (device, examiner, times, and every extracted file "
        "with its SHA-256), `data/<app>/databases/*` (Android-style SQLite: "
        "`contacts2.db`, `calllog.db`, `mmssms.db`, the Paigham messenger's "
        "`paigham.db` with its write-ahead log `paigham.db-wal`, which holds a committed "
        "deletion: the main file alone still shows the deleted messages), and others), `sdcard/DCIM/Camera/*.jpg` (photos with EXIF) and "
        "`sdcard/Paigham/Media/` (pictures received in chats). Android stores times "
        "as UTC epoch milliseconds (messenger: seconds); EXIF times are the phone's "
        "local wall clock. Open it with `osintlab.device.open_extraction` — read "
        "only, hashes checked.",
    )
    _selectors(world, writer, story)
    _keys(world, writer, story, report)


# ---------------------------------------------------------------------------------------------
# The story on the phone
# ---------------------------------------------------------------------------------------------


class _Story:
    """Collects contacts, calls, SMS, chats and photos as they happen in world time."""

    prefix = "device"

    def __init__(self, world):
        self.w = world
        self.rng = world.rng("device/phone")
        self.rec = world.actor_by_role("recruiter_pk")
        self.dev = next(
            world.device(d) for d in self.rec.devices if world.device(d).kind == "phone"
        )
        self.tz = ZoneInfo(self.dev.clock_tz)
        self.sim1, self.sim2 = self.rec.phones[0], self.rec.phones[1]
        self.contacts: list[dict] = []  # name, numbers, emails, note, starred, created
        self.calls: list[dict] = []
        self.sms: list[dict] = []
        self.chats: list[dict] = []  # chat_id, kind, title, members, created
        self.users: dict[str, dict] = {}  # key -> user row for the messenger
        self.messages: list[dict] = []
        self.media: dict[str, bytes] = {}
        self.photos: list[dict] = []  # rel, taken_utc, place, exif(bool)
        self.attachments: list[dict] = []
        self.start = datetime.combine(world.start - timedelta(days=20), datetime.min.time(), UTC)
        self.end = world.now + timedelta(days=1)
        self.seized = world.now + timedelta(
            days=2, hours=self.rng.randrange(3, 9), minutes=self.rng.randrange(60)
        )
        self.by_number: dict[str, str] = {}  # E.164 -> contact display name
        self.wallets_mentioned: set[str] = set()

    # -- helpers ------------------------------------------------------------------------------
    def contact(self, name, numbers, note="", emails=(), starred=False, key=None):
        c = {
            "name": name,
            "numbers": list(numbers),
            "emails": list(emails),
            "note": note,
            "starred": starred,
            "key": key or name,
        }
        self.contacts.append(c)
        for n in numbers:
            self.by_number.setdefault(n, name)
        return c

    def call(self, when, number, direction, duration=None, sim=None):
        if not self.start <= when <= self.seized:
            return
        dur = (
            0
            if direction == "missed"
            else (duration if duration is not None else self.rng.randrange(15, 600))
        )
        self.calls.append(
            {
                "when": when,
                "number": number,
                "direction": direction,
                "duration": dur,
                "sim": sim or self.sim1,
            }
        )

    def text(self, when, number, direction, body, sim=None):
        if not self.start <= when <= self.seized:
            return
        self.sms.append(
            {
                "when": when,
                "number": number,
                "direction": direction,
                "body": body,
                "sim": sim or self.sim1,
            }
        )

    def user(self, key, phone, username, display):
        if key not in self.users:
            self.users[key] = {
                "user_id": 500000 + len(self.users) * 37 + self.rng.randrange(30),
                "phone": phone,
                "username": username,
                "display": display,
            }
        return self.users[key]["user_id"]

    def chat(self, kind, title, members, created):
        c = {
            "chat_id": -1000 - len(self.chats) * 11 if kind != "private" else members[0],
            "kind": kind,
            "title": title,
            "members": list(members),
            "created": created,
        }
        if kind == "private":
            c["chat_id"] = members[0]
        self.chats.append(c)
        return c["chat_id"]

    def msg(self, when, chat_id, sender, body, attachment=None):
        if not self.start <= when <= self.seized:
            return
        self.messages.append(
            {
                "when": when,
                "chat_id": chat_id,
                "sender": sender,
                "body": body,
                "attachment": attachment,
            }
        )

    def stream(self, purpose: str):
        """The random stream of one database builder (its own, so the phone's story and the
        other databases do not shift)."""
        return self.w.rng(f"{self.prefix}/{purpose}")

    def local(self, moment):
        return moment.astimezone(self.tz)

    def at_local(self, day, hour, minute):
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz).astimezone(UTC)

    # -- the story ------------------------------------------------------------------------------
    def run(self):
        """The phone's life until the seizure, chapter by chapter (the order is the random
        stream's: keep it)."""
        self.meet_the_cast()
        self.save_contacts()
        self.open_chats()
        self.live_daily_life()
        self.post_to_channel()
        self.receive_signup_codes()
        self.recruit_victims()
        self.report_money_to_ringleader()
        self.talk_to_partner_agent()
        self.order_documents()
        self.talk_to_smuggler()
        self.take_photos()
        self.sort_in_time()

    def meet_the_cast(self):
        """The network as the recruiter knows it, and his own messenger account."""
        roles = {a.role: a for a in self.w.actors}
        self.roles = roles
        self.ring, self.bd, self.fac = (
            roles["ringleader"],
            roles["recruiter_bd"],
            roles["facilitator_ae"],
        )
        self.han, self.smug, self.ven = (
            roles["handler_th"],
            roles["smuggler"],
            roles["document_vendor"],
        )
        self.me = self.user("me", self.sim2, None, self.rec.alias)

    def save_contacts(self):
        """Contacts as the recruiter saved them: nicknames, not identities."""
        w, rng, rec, roles = self.w, self.rng, self.rec, self.roles
        ring, bd, fac, han, smug, ven = self.ring, self.bd, self.fac, self.han, self.smug, self.ven
        self.contact(f"{ring.alias} Boss", [ring.phones[0]], starred=True, key="ringleader")
        self.contact("Office", [w.front.phones[0]], key="office")
        self.contact(f"{bd.alias} Dhaka partner", [bd.phones[0], bd.phones[1]], key="bd")
        self.contact(f"{fac.alias} DXB", [fac.phones[0]], note="airport pickup", key="fac")
        self.contact(f"{han.alias} Border", [han.phones[0]], key="handler")
        self.contact(f"{smug.alias} Europe", [smug.phones[0]], key="smuggler")
        self.contact(f"{ven.alias} Docs", [ven.phones[0]], key="vendor")
        for role in ("money_agent", "mule", "recruiter_pk2"):
            if role in roles:
                a = roles[role]
                self.contact(f"{a.alias} {a.name.split()[0]}", [a.phones[0]], key=role)
        family = names.unique_names(rng, [("PK", g) for g in "fmmfm"])
        fam_labels = ["Ammi", "Abbu", "Bhai", "Baji", "Chacha"]
        self.family = []
        for label, person in zip(fam_labels, family):
            number = ids.phone_number(rng, "PK")
            self.contact(f"{label} ({person.split()[0]})", [number], key=label)
            self.family.append(number)
        friends = names.unique_names(rng, [("PK", "m") for _ in range(6)])
        self.friends = []
        for person in friends:
            number = ids.phone_number(rng, "PK")
            self.contact(person, [number])
            self.friends.append(number)
        victims = [v for v in w.victims if v.recruiter == rec.actor_id]
        self.victims = victims
        for v in victims:
            town = PLACES[v.place].name
            self.contact(
                f"{v.name.split()[0]} {town} {v.job_promised.split()[0]}",
                [v.phone],
                note=f"fee {v.fee_amount:,} {v.fee_currency}",
                key=v.victim_id,
            )
        # Wallet "contact" notes are common: the recruiter keeps his own addresses handy.
        self.my_wallets = [w.wallet(x) for x in rec.wallets]
        self.cons_wallet = w.wallet(ring.wallets[0])

    def open_chats(self):
        """Messenger users and chats: one private chat per partner, the front's channel."""
        w = self.w
        ring, bd, fac, smug, ven = self.ring, self.bd, self.fac, self.smug, self.ven
        uid = {}
        uid["ring"] = self.user("ring", ring.phones[0], None, ring.alias)
        uid["fac"] = self.user("fac", fac.phones[0], None, fac.alias)
        uid["bd"] = self.user(
            "bd",
            bd.phones[1],
            next((a.handle for a in w.accounts_of(bd.actor_id) if a.platform == "paigham"), None),
            bd.name,
        )
        uid["vendor"] = self.user(
            "vendor",
            ven.phones[0],
            next((a.handle for a in w.accounts_of(ven.actor_id) if a.platform == "paigham"), None),
            f"{ven.alias} Docs",
        )
        uid["smug"] = self.user("smug", smug.phones[0], None, f"{smug.alias} Travel")
        for v in self.victims:
            uid[v.victim_id] = self.user(v.victim_id, v.phone, None, v.name)
        self.uid = uid
        chat_ring = self.chat("private", ring.alias, [uid["ring"]], self.start)
        chat_fac = self.chat("private", fac.alias, [uid["fac"]], self.start)
        chat_bd = self.chat("private", bd.name, [uid["bd"]], self.start)
        chat_ven = self.chat("private", f"{ven.alias} Docs", [uid["vendor"]], self.start)
        chat_smug = self.chat("private", f"{smug.alias} Travel", [uid["smug"]], self.start)
        front_channel = next(a for a in w.accounts_of(w.front.org_id) if a.platform == "paigham")
        self.channel = front_channel
        chat_chan = self.chat("channel", front_channel.display_name, [self.me], self.start)
        self.chat_ids = {
            "ring": chat_ring,
            "fac": chat_fac,
            "bd": chat_bd,
            "vendor": chat_ven,
            "smug": chat_smug,
            "channel": chat_chan,
        }

    def live_daily_life(self):
        """Daily life: family and friends, ringleader calls."""
        w, rng, ring, uid = self.w, self.rng, self.ring, self.uid
        chat_ring = self.chat_ids["ring"]
        day = self.start.date()
        while datetime.combine(day, datetime.min.time(), UTC) < self.seized:
            if rng.random() < 0.75:
                self.call(
                    self.at_local(day, rng.randrange(9, 22), rng.randrange(60)),
                    ring.phones[0],
                    rng.choice(["incoming", "outgoing", "outgoing"]),
                )
            if rng.random() < 0.5:
                self.call(
                    self.at_local(day, rng.randrange(10, 23), rng.randrange(60)),
                    rng.choice(self.family),
                    rng.choice(["incoming", "outgoing", "missed"]),
                )
            if rng.random() < 0.25:
                self.call(
                    self.at_local(day, rng.randrange(12, 24) % 24, rng.randrange(60)),
                    rng.choice(self.friends),
                    rng.choice(["incoming", "outgoing"]),
                )
            if rng.random() < 0.35:
                self.call(
                    self.at_local(day, rng.randrange(10, 18), rng.randrange(60)),
                    w.front.phones[0],
                    rng.choice(["incoming", "outgoing"]),
                )
            if rng.random() < 0.2:
                self.msg(
                    self.at_local(day, rng.randrange(9, 23), rng.randrange(60)),
                    chat_ring,
                    uid["ring"],
                    rng.choice(
                        ["Office kal 11 baje", "Naye log kitne?", "Ad dobara lagao", "Call karo"]
                    ),
                )
            if rng.random() < 0.08:
                self.text(
                    self.at_local(day, rng.randrange(8, 22), rng.randrange(60)),
                    rng.choice(self.family),
                    "incoming",
                    rng.choice(
                        ["Ghar kab aao ge?", "Khana kha liya?", "Bijli ka bill jama kara do"]
                    ),
                )
            day += timedelta(days=1)

    def post_to_channel(self):
        """Channel posts (the front's official channel the recruiter administers)."""
        w, rng, victims = self.w, self.rng, self.victims
        for k in range(rng.randrange(6, 10)):
            when = self.at_local(
                w.start + timedelta(days=k * 9 + rng.randrange(0, 5)),
                rng.randrange(10, 21),
                rng.randrange(60),
            )
            job, salary = rng.choice(
                [(v.job_promised, v.salary_promised) for v in victims]
                or [("data entry operator", "USD 1,200/month")]
            )
            self.msg(
                when,
                self.chat_ids["channel"],
                self.me,
                f"URGENT: {job} jobs in Dubai & Bangkok, {salary}. Visa + ticket free. "
                f"WhatsApp/Paigham {ids.format_phone_local(self.sim2, 'national')}",
            )

    def receive_signup_codes(self):
        """One-time codes when the recruiter's own accounts were created (platform SMS)."""
        w, rng = self.w, self.rng
        for acc in w.accounts_of(self.rec.actor_id):
            when = self.at_local(acc.created, rng.randrange(10, 22), rng.randrange(60))
            platform = {"chaupal": "Chaupal", "jhalak": "Jhalak", "paigham": "Paigham"}[
                acc.platform
            ]
            self.text(
                when,
                platform.upper(),
                "incoming",
                f"{rng.randrange(100000, 999999)} is your {platform} code. Do not share it.",
            )

    def recruit_victims(self):
        """Victims: contact, fee, departure, crossing; a group chat per departure month."""
        rng, uid, fac = self.rng, self.uid, self.fac
        batches: dict[str, list] = {}
        for v in self.victims:
            self._victim(v, self.ring, fac, self.han)
            month = self.local(v.departed_utc).strftime("%b")
            batches.setdefault(month, []).append(v)
        for month, group in sorted(
            batches.items(), key=lambda kv: min(v.departed_utc for v in kv[1])
        ):
            first = min(v.paid_utc for v in group)
            members = [uid[v.victim_id] for v in group] + [uid["fac"]]
            cid = self.chat("group", f"Dubai batch {month}", members, first + timedelta(days=1))
            self.msg(
                first + timedelta(days=1, hours=2),
                cid,
                self.me,
                "Assalam o alaikum sab ko. Is group mein flight ki details aayengi.",
            )
            for v in sorted(group, key=lambda v: v.departed_utc):
                self.msg(
                    v.departed_utc - timedelta(hours=rng.randrange(20, 30)),
                    cid,
                    self.me,
                    f"{v.name.split()[0]} ki flight kal hai. DXB pe {fac.alias} bhai "
                    f"receive karenge. Passport aur CNIC saath rakhna.",
                )
                self.msg(
                    v.departed_utc + timedelta(hours=rng.randrange(5, 9)),
                    cid,
                    uid["fac"],
                    f"{v.name.split()[0]} received at DXB. Next flight BKK.",
                )

    def report_money_to_ringleader(self):
        """Money reporting to the ringleader: sums forwarded to the consolidation wallet."""
        rng, victims, cons = self.rng, self.victims, self.cons_wallet
        chat_ring = self.chat_ids["ring"]
        usdt = [v for v in victims if v.fee_currency == "USDT"]
        for v in usdt:
            when = v.paid_utc + timedelta(hours=rng.randrange(2, 20))
            self.msg(
                when,
                chat_ring,
                self.me,
                f"{v.fee_amount} USDT aa gaye ({v.name.split()[0]}). Forward kar diye "
                f"{cons.address}",
            )
            self.wallets_mentioned.add(cons.address)
        if len(victims) and not usdt:
            self.msg(
                victims[0].paid_utc + timedelta(hours=5),
                chat_ring,
                self.me,
                f"Wallet bata dain? Main {cons.address} pe bhej doon?",
            )
            self.wallets_mentioned.add(cons.address)

    def talk_to_partner_agent(self):
        """The Dhaka partner agent: batches, fees in taka, calls on the second SIM."""
        w, rng, bd = self.w, self.rng, self.bd
        for _ in range(rng.randrange(4, 8)):
            when = self.at_local(
                w.start + timedelta(days=rng.randrange(0, 90)),
                rng.randrange(10, 22),
                rng.randrange(60),
            )
            self.msg(
                when,
                self.chat_ids["bd"],
                self.uid["bd"],
                rng.choice(
                    [
                        "Dhaka se 3 log ready hain, ticket kab?",
                        "Fee taka mein li hai, USDT bhejta hoon",
                        "Bangkok wale ka number bhejo",
                        "Agla batch Sylhet se",
                    ]
                ),
            )
            self.call(
                when + timedelta(minutes=rng.randrange(3, 40)),
                bd.phones[0],
                rng.choice(["incoming", "outgoing"]),
                sim=self.sim2,
            )

    def order_documents(self):
        """Visa copies from the document vendor, paid in bitcoin."""
        w, rng, ven = self.w, self.rng, self.ven
        chat_ven = self.chat_ids["vendor"]
        for _ in range(rng.randrange(2, 5)):
            when = self.at_local(
                w.start + timedelta(days=rng.randrange(5, 80)),
                rng.randrange(11, 23),
                rng.randrange(60),
            )
            btc = w.wallet(ven.wallets[0]).address
            self.msg(when, chat_ven, self.me, "4 visa copies chahiye, Thailand stamp ke saath")
            self.msg(
                when + timedelta(minutes=rng.randrange(5, 50)),
                chat_ven,
                self.uid["vendor"],
                f"Ho jayega. Payment BTC mein: {btc}",
            )
            self.wallets_mentioned.add(btc)

    def talk_to_smuggler(self):
        """The smuggling contact: late-night messages and calls on the second SIM."""
        w, rng, smug = self.w, self.rng, self.smug
        for _ in range(rng.randrange(2, 5)):
            when = self.at_local(
                w.start + timedelta(days=rng.randrange(10, 90)),
                rng.randrange(18, 24) % 24,
                rng.randrange(60),
            )
            self.msg(
                when,
                self.chat_ids["smug"],
                self.uid["smug"],
                rng.choice(
                    [
                        "Europe wale 2 bande hain, tumhare paas koi?",
                        "SIM wapas kab doge?",
                        "Game ka agla round Quetta se",
                    ]
                ),
            )
            self.call(when + timedelta(minutes=3), smug.phones[0], "incoming", sim=self.sim2)

    def sort_in_time(self):
        """Sort everything in time, as the phone's databases list it."""
        for seq in (self.calls, self.sms, self.messages):
            seq.sort(key=lambda r: r["when"])

    def _victim(self, v, ring, fac, han):
        """One victim's thread: first contact, documents, the fee, departure, crossing."""
        rng, uid = self.rng, self.uid
        first_contact = v.paid_utc - timedelta(days=rng.randrange(6, 20), hours=rng.randrange(24))
        chat = self.chat("private", v.name, [uid[v.victim_id]], first_contact)
        name = v.name.split()[0]
        t = first_contact
        self.msg(
            t,
            chat,
            uid[v.victim_id],
            f"Assalam o alaikum, ad dekha tha. {v.job_promised} ki job abhi available hai?",
        )
        t += timedelta(minutes=rng.randrange(4, 90))
        self.msg(
            t,
            chat,
            self.me,
            f"Ji {name} bhai. Dubai/Bangkok, {v.salary_promised}. Visa aur ticket free. "
            f"Processing fee {v.fee_amount:,} {v.fee_currency}.",
        )
        t += timedelta(hours=rng.randrange(1, 30))
        self.msg(
            t,
            chat,
            uid[v.victim_id],
            "CNIC aur passport ki copy bhej raha hoon.",
            attachment=self._attachment(t, "passport_copy"),
        )
        self.call(
            t + timedelta(minutes=rng.randrange(5, 120)),
            v.phone,
            rng.choice(["incoming", "outgoing"]),
        )
        if v.fee_method == "usdt":
            wallet = self.my_wallets[rng.randrange(len(self.my_wallets))]
            self.msg(
                v.paid_utc - timedelta(hours=rng.randrange(2, 30)),
                chat,
                self.me,
                f"USDT (TRC20) is address pe bhejo: {wallet.address}",
            )
            self.wallets_mentioned.add(wallet.address)
            self.msg(
                v.paid_utc + timedelta(minutes=rng.randrange(1, 15)),
                chat,
                uid[v.victim_id],
                f"Bhej diye {v.fee_amount} USDT. Screenshot dekh lein.",
                attachment=self._attachment(v.paid_utc, "screenshot"),
            )
        elif v.fee_method == "mobile_wallet":
            self.text(
                v.paid_utc + timedelta(seconds=rng.randrange(5, 90)),
                "PAISAPAY",
                "incoming",
                f"PaisaPay: You have received Rs {v.fee_amount:,}.00 from "
                f"{ids.format_phone_local(v.phone, 'national')}. "
                f"TID {rng.randrange(10**10, 10**11)}. Balance hidden.",
            )
            self.msg(
                v.paid_utc + timedelta(minutes=rng.randrange(2, 40)),
                chat,
                self.me,
                "Payment mil gayi. Shukriya.",
            )
        else:
            self.call(v.paid_utc - timedelta(minutes=rng.randrange(20, 90)), v.phone, "incoming")
            self.msg(
                v.paid_utc + timedelta(minutes=rng.randrange(10, 60)),
                chat,
                self.me,
                f"Cash {v.fee_amount:,} mil gaya office mein. Rawangi jald.",
            )
        self.text(
            v.paid_utc + timedelta(hours=rng.randrange(1, 5)),
            v.phone,
            "outgoing",
            f"{name}, aap ka case process ho gaya. Flight ki date jald.",
        )
        # Departure: call the facilitator; crossing: the handler calls.
        self.call(
            v.departed_utc + timedelta(hours=rng.randrange(3, 7)),
            fac.phones[0],
            "outgoing",
            sim=self.sim2,
        )
        self.call(
            v.crossed_utc + timedelta(minutes=rng.randrange(10, 90)),
            han.phones[0],
            "incoming",
            duration=rng.randrange(30, 120),
            sim=self.sim2,
        )
        if v.status in ("escaped", "emergency", "returned"):
            later = v.crossed_utc + timedelta(days=rng.randrange(5, 20))
            self.call(later, v.phone, "missed")
            self.text(
                later + timedelta(minutes=2),
                v.phone,
                "incoming",
                "Yahan koi job nahi hai. Passport wapas dilao. Please.",
            )

    def _attachment(self, when, kind):
        n = len(self.attachments) + 1
        stamp = self.local(when).strftime("%Y%m%d")
        rel = f"{MESSENGER_MEDIA}/IMG-{stamp}-PG{n:04d}.jpg"
        label = {"passport_copy": "ID COPY (redacted)", "screenshot": "TRANSFER OK"}[kind]
        self.media[rel] = _jpeg(self.rng, label, exif=None)
        self.attachments.append({"rel": rel, "when": when, "kind": kind, "mime": "image/jpeg"})
        return len(self.attachments)

    def take_photos(self):
        """Photos: the office, cash receipts and screenshots, a picture from the front's
        camera."""
        rng, w, victims = self.rng, self.w, self.victims
        office = w.office
        shots = []
        first_paid = min((v.paid_utc for v in victims), default=w.now - timedelta(days=60))
        shots.append(
            (
                "office",
                first_paid - timedelta(days=rng.randrange(3, 9)),
                office["lat"],
                office["lon"],
                True,
            )
        )
        for v in rng.sample(victims, min(3, len(victims))):
            shots.append(
                (
                    "cash receipt",
                    v.paid_utc + timedelta(minutes=rng.randrange(5, 50)),
                    office["lat"] + rng.uniform(-0.002, 0.002),
                    office["lon"] + rng.uniform(-0.002, 0.002),
                    rng.random() < 0.5,
                )
            )
        lhe = PLACES["lahore"]
        dep = min((v.departed_utc for v in victims), default=w.now - timedelta(days=30))
        shots.append(
            (
                "airport drop-off",
                dep - timedelta(hours=rng.randrange(2, 4)),
                lhe.lat - 0.03 + rng.uniform(-0.003, 0.003),
                lhe.lon + 0.06 + rng.uniform(-0.003, 0.003),
                False,
            )
        )
        shots.append(
            (
                "ad poster",
                self.at_local(
                    w.start + timedelta(days=rng.randrange(1, 20)),
                    rng.randrange(9, 19),
                    rng.randrange(60),
                ),
                office["lat"],
                office["lon"],
                False,
            )
        )
        shots.sort(key=lambda s: s[1])
        for label, when, lat, lon, offset in shots:
            when = when.replace(second=rng.randrange(60), microsecond=0)
            local = self.local(when)
            rel = f"{DCIM}/IMG_{local.strftime('%Y%m%d_%H%M%S')}.jpg"
            exif = {
                "make": self.dev.make,
                "model": self.dev.model,
                "software": self.dev.software,
                "local": local,
                "offset": local.strftime("%z") if offset else None,
                "lat": round(lat, 5),
                "lon": round(lon, 5),
            }
            self.media[rel] = _jpeg(rng, label.upper(), exif=exif)
            self.photos.append({"rel": rel, "when": when, "label": label, "lat": lat, "lon": lon})
        self.altered_photo = self.photos[rng.randrange(1, len(self.photos))]["rel"]
        # A picture taken with the front's camera, forwarded to the phone by the ringleader.
        cam = w.device("D01")
        when = self.at_local(
            w.start + timedelta(days=rng.randrange(2, 30)), rng.randrange(10, 19), rng.randrange(60)
        )
        cam_local = when.astimezone(ZoneInfo(cam.clock_tz))
        rel = f"{MESSENGER_MEDIA}/IMG-{self.local(when).strftime('%Y%m%d')}-PG9001.jpg"
        self.media[rel] = _jpeg(
            rng,
            "TEAM PHOTO",
            exif={
                "make": cam.make,
                "model": cam.model,
                "software": "",
                "local": cam_local,
                "offset": None,
                "lat": None,
                "lon": None,
                "serial": cam.serial,
            },
        )
        self.attachments.append(
            {"rel": rel, "when": when + timedelta(hours=3), "kind": "photo", "mime": "image/jpeg"}
        )
        self.msg(
            when + timedelta(hours=3),
            self.chat_ids["ring"],
            self.uid["ring"],
            "Ad ke liye nayi photo",
            attachment=len(self.attachments),
        )
        self.camera_photo = rel


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------


def _jpeg(rng, label, exif) -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (160, 120), tuple(rng.randrange(60, 200) for _ in range(3)))
    draw = ImageDraw.Draw(img)
    for _ in range(4):
        x, y = rng.randrange(0, 140), rng.randrange(0, 100)
        draw.rectangle(
            [x, y, x + rng.randrange(10, 60), y + rng.randrange(10, 40)],
            fill=tuple(rng.randrange(256) for _ in range(3)),
        )
    draw.text((6, 52), label, fill=(255, 255, 255))
    out = io.BytesIO()
    if exif is None:  # messengers strip metadata
        img.save(out, format="JPEG", quality=60)
        return out.getvalue()
    from PIL.TiffImagePlugin import IFDRational

    ex = Image.Exif()
    ex[0x010F] = exif["make"]
    ex[0x0110] = exif["model"]
    if exif.get("software"):
        ex[0x0131] = exif["software"]
    stamp = exif["local"].strftime("%Y:%m:%d %H:%M:%S")
    ex[0x0132] = stamp
    sub = ex.get_ifd(0x8769)
    sub[0x9003] = stamp
    sub[0x9004] = stamp
    if exif.get("offset"):
        off = exif["offset"]
        sub[0x9011] = f"{off[:3]}:{off[3:]}"
    if exif.get("serial"):
        sub[0xA431] = exif["serial"]
    if exif.get("lat") is not None:
        gps = ex.get_ifd(0x8825)

        def dms(value):
            value = abs(value)
            d = int(value)
            m = int((value - d) * 60)
            s = round((value - d - m / 60) * 3600, 2)
            return (IFDRational(d, 1), IFDRational(m, 1), IFDRational(int(s * 100), 100))

        gps[0x0000] = b"\x02\x03\x00\x00"
        gps[0x0001] = "N" if exif["lat"] >= 0 else "S"
        gps[0x0002] = dms(exif["lat"])
        gps[0x0003] = "E" if exif["lon"] >= 0 else "W"
        gps[0x0004] = dms(exif["lon"])
    img.save(out, format="JPEG", quality=60, exif=ex.tobytes())
    return out.getvalue()


def _resave(blob: bytes) -> bytes:
    from PIL import Image

    img = Image.open(io.BytesIO(blob))
    exif = img.info.get("exif", b"")
    out = io.BytesIO()
    img.transpose(Image.Transpose.ROTATE_90).save(out, format="JPEG", quality=60, exif=exif)
    return out.getvalue()


def _db_bytes(build) -> bytes:
    """Build an SQLite database in memory and return its bytes (reproducibly)."""
    import os
    import tempfile

    fd, name = tempfile.mkstemp(suffix=".db")
    os.close(fd)
    try:
        con = sqlite3.connect(name)
        try:
            build(con)
            con.commit()
            con.execute("VACUUM")
        finally:
            con.close()
        with open(name, "rb") as fh:
            blob = bytearray(fh.read())
    finally:
        os.unlink(name)
    blob[96:100] = (3040001).to_bytes(4, "big")
    return bytes(blob)


def _fmt_number(rng, number: str) -> str:
    """Numbers as users type them into contacts and as the network delivers them."""
    if not number.startswith("+"):
        return number
    return (
        ids.format_phone_local(number, rng.choice(["national", "national", "spaced", "compact"]))
        if number.startswith("+92")
        else number
    )


def _contacts_db(story) -> bytes:
    rng = story.stream("contacts")

    def build(con):
        con.executescript("""
        CREATE TABLE mimetypes (_id INTEGER PRIMARY KEY, mimetype TEXT NOT NULL);
        CREATE TABLE raw_contacts (_id INTEGER PRIMARY KEY, account_type TEXT, display_name TEXT,
            starred INTEGER DEFAULT 0, times_contacted INTEGER DEFAULT 0,
            last_time_contacted INTEGER, deleted INTEGER DEFAULT 0);
        CREATE TABLE data (_id INTEGER PRIMARY KEY, raw_contact_id INTEGER, mimetype_id INTEGER,
            data1 TEXT, data2 TEXT, data3 TEXT);
        """)
        mimes = [
            "vnd.android.cursor.item/name",
            "vnd.android.cursor.item/phone_v2",
            "vnd.android.cursor.item/email_v2",
            "vnd.android.cursor.item/note",
        ]
        con.executemany(
            "INSERT INTO mimetypes VALUES (?, ?)", [(i, m) for i, m in enumerate(mimes, start=1)]
        )
        did = 1
        for i, c in enumerate(story.contacts, start=1):
            nums = set(c["numbers"])
            times = [r["when"] for r in story.calls if r["number"] in nums]
            con.execute(
                "INSERT INTO raw_contacts VALUES (?,?,?,?,?,?,0)",
                (
                    i,
                    "com.google" if rng.random() < 0.7 else "vnd.sec.contact.phone",
                    c["name"],
                    int(c["starred"]),
                    len(times),
                    _ms(max(times)) if times else None,
                ),
            )
            rows = [(1, c["name"], c["name"].split()[0], None)]
            rows += [(2, _fmt_number(rng, n), "2", None) for n in c["numbers"]]
            rows += [(3, e, "1", None) for e in c["emails"]]
            if c["note"]:
                rows.append((4, c["note"], None, None))
            for mime, d1, d2, d3 in rows:
                con.execute("INSERT INTO data VALUES (?,?,?,?,?,?)", (did, i, mime, d1, d2, d3))
                did += 1

    return _db_bytes(build)


def _calllog_db(story) -> bytes:
    rng = story.stream("calllog")
    type_code = {"incoming": 1, "outgoing": 2, "missed": 3}

    def build(con):
        con.execute("""CREATE TABLE calls (_id INTEGER PRIMARY KEY, number TEXT, date INTEGER,
            duration INTEGER, type INTEGER, name TEXT, phone_account_address TEXT,
            geocoded_location TEXT, deleted INTEGER DEFAULT 0)""")
        for i, c in enumerate(story.calls, start=1):
            con.execute(
                "INSERT INTO calls VALUES (?,?,?,?,?,?,?,?,0)",
                (
                    i,
                    _fmt_number(rng, c["number"]),
                    _ms(c["when"]),
                    c["duration"],
                    type_code[c["direction"]],
                    story.by_number.get(c["number"]),
                    c["sim"],
                    None,
                ),
            )

    return _db_bytes(build)


def _sms_db(story) -> bytes:
    rng = story.stream("sms")

    def build(con):
        con.executescript("""
        CREATE TABLE threads (_id INTEGER PRIMARY KEY, date INTEGER, message_count INTEGER,
            recipient_ids TEXT);
        CREATE TABLE sms (_id INTEGER PRIMARY KEY, thread_id INTEGER, address TEXT,
            date INTEGER, date_sent INTEGER, read INTEGER, type INTEGER, body TEXT,
            sub_id INTEGER);
        """)
        threads: dict[str, int] = {}
        for s in story.sms:
            threads.setdefault(s["number"], len(threads) + 1)
        for number, tid in threads.items():
            rows = [s for s in story.sms if s["number"] == number]
            con.execute(
                "INSERT INTO threads VALUES (?,?,?,?)",
                (tid, _ms(rows[-1]["when"]), len(rows), str(tid)),
            )
        for i, s in enumerate(story.sms, start=1):
            sent = s["when"] - timedelta(seconds=rng.randrange(1, 20))
            con.execute(
                "INSERT INTO sms VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    i,
                    threads[s["number"]],
                    _fmt_number(rng, s["number"]),
                    _ms(s["when"]),
                    _ms(sent) if s["direction"] == "incoming" else 0,
                    1,
                    1 if s["direction"] == "incoming" else 2,
                    s["body"],
                    1 if s["sim"] == story.sim1 else 2,
                ),
            )

    return _db_bytes(build)


def _deleted_messages(story) -> list[dict]:
    """Messages in the ringleader's chat, a day before the seizure, that the recruiter deleted
    (a separate random stream, so the rest of the phone does not change)."""
    rng = story.w.rng("device/deleted")
    cons = story.cons_wallet.address
    when = story.seized - timedelta(hours=rng.randrange(20, 30), minutes=rng.randrange(60))
    ring, me, chat = story.uid["ring"], story.me, story.chat_ids["ring"]
    lines = [
        (ring, "Lahore mein police poochh rahi hai. Saari chats delete karo, abhi"),
        (me, f"Passport abhi mere paas hain, {rng.randrange(4, 9)} log. Kahan bhejoon?"),
        (ring, f"Bangkok office bhejo. Baqi fee isi wallet pe: {cons}"),
        (me, "Theek hai. Delete kar raha hoon"),
    ]
    out = []
    for i, (sender, body) in enumerate(lines):
        out.append(
            {
                "when": when + timedelta(minutes=3 * i + rng.randrange(3)),
                "chat_id": chat,
                "sender": sender,
                "body": body,
                "attachment": None,
            }
        )
    story.deleted_messages = out
    return out


def _wal_mode(blob: bytes) -> bytes:
    """Mark a database file as being in WAL mode (file format bytes 18-19 = 2)."""
    return blob[:18] + b"\x02\x02" + blob[20:]


def _wal_checksum(data: bytes, s0: int, s1: int) -> tuple[int, int]:
    for i in range(0, len(data), 8):
        x0, x1 = struct.unpack(">II", data[i : i + 8])
        s0 = (s0 + x0 + s1) & 0xFFFFFFFF
        s1 = (s1 + x1 + s0) & 0xFFFFFFFF
    return s0, s1


def _wal(before: bytes, after: bytes, page_size: int = 4096) -> bytes:
    """A write-ahead log that turns database ``before`` into ``after`` in one committed
    transaction: one frame per changed page, fixed salts (reproducible), valid checksums."""
    salt = (0x0A11CE01, 0x5EED0007)
    head = struct.pack(">IIIIII", 0x377F0683, 3007000, page_size, 0, *salt)
    s0, s1 = _wal_checksum(head, 0, 0)
    out = [head, struct.pack(">II", s0, s1)]
    pages = len(after) // page_size
    changed = [
        n
        for n in range(pages)
        if before[n * page_size : (n + 1) * page_size] != after[n * page_size : (n + 1) * page_size]
    ]
    for k, n in enumerate(changed):
        page = after[n * page_size : (n + 1) * page_size]
        fh = struct.pack(">II", n + 1, pages if k == len(changed) - 1 else 0)
        s0, s1 = _wal_checksum(fh + page, s0, s1)
        out += [fh, struct.pack(">II", *salt), struct.pack(">II", s0, s1), page]
    return b"".join(out)


def _messenger_db(story, extra=()) -> bytes:
    def build(con):
        con.executescript("""
        CREATE TABLE users (user_id INTEGER PRIMARY KEY, phone TEXT, username TEXT,
            display_name TEXT, is_self INTEGER DEFAULT 0);
        CREATE TABLE chats (chat_id INTEGER PRIMARY KEY, kind TEXT, title TEXT,
            created INTEGER);
        CREATE TABLE chat_members (chat_id INTEGER, user_id INTEGER);
        CREATE TABLE messages (msg_id INTEGER PRIMARY KEY, chat_id INTEGER, sender_id INTEGER,
            timestamp INTEGER, text TEXT, attachment_id INTEGER);
        CREATE TABLE attachments (attachment_id INTEGER PRIMARY KEY, file_path TEXT,
            mime_type TEXT, size INTEGER);
        """)
        for key, u in story.users.items():
            con.execute(
                "INSERT INTO users VALUES (?,?,?,?,?)",
                (u["user_id"], u["phone"], u["username"], u["display"], int(key == "me")),
            )
        for c in story.chats:
            con.execute(
                "INSERT INTO chats VALUES (?,?,?,?)",
                (c["chat_id"], c["kind"], c["title"], int(c["created"].timestamp())),
            )
            for m in c["members"] + [story.me]:
                con.execute("INSERT INTO chat_members VALUES (?,?)", (c["chat_id"], m))
        for i, a in enumerate(story.attachments, start=1):
            con.execute(
                "INSERT INTO attachments VALUES (?,?,?,?)",
                (
                    i,
                    "/" + a["rel"].replace("sdcard/", "storage/emulated/0/"),
                    a["mime"],
                    len(story.media[a["rel"]]),
                ),
            )
        for i, m in enumerate(list(story.messages) + list(extra), start=1):
            con.execute(
                "INSERT INTO messages VALUES (?,?,?,?,?,?)",
                (
                    i,
                    m["chat_id"],
                    m["sender"],
                    int(m["when"].timestamp()),
                    m["body"],
                    m["attachment"],
                ),
            )

    return _db_bytes(build)


def _unknown_db(story) -> bytes:
    rng = story.w.rng("device/unknown")

    def build(con):
        con.execute("CREATE TABLE t_a1 (k INTEGER PRIMARY KEY, v0 BLOB, v1 INTEGER, v2 TEXT)")
        for i in range(1, 25):
            con.execute(
                "INSERT INTO t_a1 VALUES (?,?,?,?)",
                (
                    i,
                    bytes(rng.randrange(256) for _ in range(16)),
                    rng.randrange(10**12, 10**13),
                    f"{rng.randrange(16**8):08x}",
                ),
            )
        con.execute("CREATE TABLE t_meta (key TEXT, value TEXT)")
        con.execute("INSERT INTO t_meta VALUES ('schema', 'bc-7')")

    return _db_bytes(build)


def _corrupt_db(story) -> bytes:
    def build(con):
        con.execute(
            "CREATE TABLE urls (id INTEGER PRIMARY KEY, url TEXT, title TEXT, "
            "last_visit_time INTEGER)"
        )
        for i in range(1, 400):
            con.execute(
                "INSERT INTO urls VALUES (?,?,?,?)",
                (i, f"https://{story.w.front.domain}/page{i}", "x" * 200, i),
            )

    blob = _db_bytes(build)
    # Extracted damaged: the header survives, the pages after the first two do not.
    return blob[: 4096 * 2] + b"\x00" * 1024


# ---------------------------------------------------------------------------------------------
# Report, selectors and keys
# ---------------------------------------------------------------------------------------------


def _report(story, files: dict[str, bytes]) -> dict:
    w, rng = story.w, story.w.rng("device/report")
    extracted = story.seized + timedelta(days=1, hours=rng.randrange(1, 6))
    skew = rng.choice([-1, 1]) * rng.randrange(40, 400)
    return {
        "report_type": "Full file system extraction report (training format modelled on "
        "commercial mobile-forensic tools)",
        "tool": {"name": "OpenExtract (fictional training tool)", "version": "4.2.1"},
        "case_ref": w.case_ref,
        "exhibit_ref": f"EXH-{w.case_ref[-4:]}-07",
        "examiner": "Digital forensics lab, examiner "
        + rng.choice(["S. Rauf", "A. Javaid", "M. Tariq"]),
        "seizure": {
            "utc": utc_iso(story.seized),
            "place": PLACES[w.front.place].name,
            "note": "Seized on arrest; placed in a Faraday bag, airplane mode set.",
        },
        "extraction": {
            "type": "full file system (FFS; device unlocked, AFU, passcode given by the suspect)",
            "note": "Third-party app data (messenger databases with their -wal "
            "files) needs a full file system or physical extraction on "
            "Android 12 and later: adb backup excludes it.",
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
            "clock_offset_seconds": skew,
            "clock_note": "device clock minus reference UTC clock at extraction",
        },
        "files": [
            {"path": rel, "bytes": len(blob), "sha256": hashlib.sha256(blob).hexdigest()}
            for rel, blob in sorted(files.items())
        ],
    }


def _selectors(world, writer, story):
    """What the investigation already knows from the other modules: the social-media accounts
    (their handles and the numbers in their bios), the wallets on the ledger, the front."""
    rows = []
    for acc in world.accounts:
        for ph in acc.phones:
            rows.append(
                {
                    "selector": ph,
                    "kind": "phone",
                    "source": f"{acc.platform} @{acc.handle} (bio/contact info)",
                    "account_id": acc.account_id,
                }
            )
        rows.append(
            {
                "selector": acc.handle,
                "kind": "handle",
                "source": f"{acc.platform} account",
                "account_id": acc.account_id,
            }
        )
    for wal in world.wallets:
        if wal.role in (
            "fee_collection",
            "consolidation",
            "mule",
            "document_sales",
            "smuggling_fees",
        ):
            rows.append(
                {
                    "selector": wal.address,
                    "kind": "wallet",
                    "source": f"{wal.chain} ledger (module 06)",
                    "account_id": "",
                }
            )
    for org in world.organisations:
        for ph in org.phones:
            rows.append(
                {
                    "selector": ph,
                    "kind": "phone",
                    "source": f"website of {org.name}",
                    "account_id": "",
                }
            )
    seen, unique = set(), []
    for r in rows:
        k = (r["selector"], r["source"])
        if k not in seen:
            seen.add(k)
            unique.append(r)
    writer.write_csv(
        "device/case_selectors.csv",
        unique,
        {
            "selector": "A phone number (E.164), handle or wallet address already in the case",
            "kind": "phone, handle or wallet",
            "source": "Where the investigation found it (platform account, ledger, website)",
            "account_id": "Platform account ID when the selector comes from an account",
        },
        "Selectors the investigation already holds from open sources (modules 02-06), to "
        "cross-reference with the phone.",
    )
    return unique


def _keys(world, writer, story, report):
    """No answer keys: this phone is the lesson's exhibit, shown in full in the lesson. The
    exercise asks about the partner agent's phone (``v72_partner_device``)."""
