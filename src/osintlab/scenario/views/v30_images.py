"""View: module 03 (photos — metadata, verification, geolocation, chronolocation).

About forty synthetic photos as an investigator collects them: downloaded from the platforms
(which strip metadata and re-encode), sent "as a file" on a messaging channel (original bytes),
taken from websites, or handed over by families and victims. Planted:

* the front's camera (world device D01, clock set to Dubai time while the office is in Lahore)
  appears in ads of several accounts, across the recruitment and smuggling cells; a licensed
  recruiter owns the same model with another serial (decoy);
* one office photo re-posted, stripped, resized, cropped, watermarked and mirrored;
* an edited visa whose embedded thumbnail still shows the original, next to an exported one
  that only carries an editor's Software tag;
* "testimonials" claiming Europe whose GPS says Punjab, a boat photo below sea level (GPS noise
  at sea), a stock hotel photo with lower-case S/W refs, a "no fix" 0/0 GPS block, a
  single-value latitude, missing refs;
* an outdoor photo from the compound without metadata whose post and shadow date it by the sun;
* bad files: truncated, not an image, corrupt EXIF.

:class:`CasePhotos` plants them one chapter per method; its ``build`` is the table of contents.
The exercise's thread, :class:`PartnerPhotos` (``images/partner``), is built from its own random
streams: camera B published by accounts and a website only the partner's collection holds, a
re-used hostel picture, a stock photo, an edited offer letter, a stripped "training centre"
photo with transcribed signs (``images/partner_signs.csv``, with the place-clue card
``images/place_clues.csv``), a border photo dated by the sun and damaged files.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from ... import images as toolkit
from ...reference.gazetteer import PLACES
from ...timeutil import utc_iso
from .. import imagegen as g
from ..world import PLATFORMS

DIR = "images/posted"


class _Catalogue:
    def __init__(self, world, writer, rng, folder=DIR):
        self.world, self.writer, self.rng, self.folder = world, writer, rng, folder
        self.rows: list[dict] = []
        self.used: set[str] = set()
        self.truth: dict[str, dict] = {}

    def name(self, source: str, ext: str) -> str:
        while True:
            if source in PLATFORMS:
                stem = f"{source}_{self.rng.randrange(10**6, 10**7)}"
            elif source == "web":
                stem = f"web_{self.rng.choice(['img', 'upload', 'photo'])}_{self.rng.randrange(100, 9999)}"
            else:
                stem = f"{self.rng.choice(['IMG', 'DSC', 'IMG', 'PXL'])}_{self.rng.randrange(1000, 9999)}"
            name = f"{stem}.{ext}"
            if name not in self.used:
                self.used.add(name)
                return name

    def add(
        self,
        blob: bytes,
        ext: str,
        *,
        source: str,
        posted_by: str,
        account_id: str,
        posted_utc: datetime,
        delivery: str,
        caption: str,
        truth: dict,
    ) -> str:
        name = self.name(source if delivery != "handed over" else "file", ext)
        target = self.writer.root.joinpath(*self.folder.split("/"), name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob)
        self.rows.append(
            {
                "file": name,
                "source": source,
                "posted_by": posted_by,
                "account_id": account_id,
                "posted_utc": utc_iso(posted_utc),
                "delivery": delivery,
                "caption": caption,
            }
        )
        self.truth[name] = truth
        return name


def _acc(world, owner, platform=None, kind=None, backup=False):
    for a in world.accounts:
        if (
            a.owner == owner
            and (platform is None or a.platform == platform)
            and (kind is None or a.kind == kind)
            and (bool(a.backup_of) == backup)
        ):
            return a
    return None


def _platform_copy(img, rng, how="resize", text=""):
    """What a platform serves: re-encoded, metadata stripped, often resized."""
    out = g.transform(img, how, rng, text)
    if how != "resize" and out.width > 640:
        out = out.resize((640, round(out.height * 640 / out.width)))
    return g.encode(out, "JPEG", quality=rng.choice([62, 68, 72]))


def _jitter(rng, lat, lon, metres=25):
    d = metres / 111_000
    return round(lat + rng.uniform(-d, d), 6), round(lon + rng.uniform(-d, d), 6)


def _local(moment_utc: datetime, tz: str) -> datetime:
    return moment_utc.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


def _offset(moment_utc: datetime, tz: str) -> str:
    off = moment_utc.astimezone(ZoneInfo(tz)).utcoffset()
    mins = int(off.total_seconds() // 60)
    sign = "+" if mins >= 0 else "-"
    return f"{sign}{abs(mins) // 60:02d}:{abs(mins) % 60:02d}"


def _at(day: date, hour: int, minute: int, tz: str) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def _phone_exif(dev, taken_utc, tz, gps=None, description=None, size=g.SIZE):
    """Phones set their clock (and OffsetTimeOriginal) from the network: consistent times."""
    return g.build_exif(
        make=dev.make,
        model=dev.model,
        software=dev.software,
        taken=_local(taken_utc, tz),
        offset=_offset(taken_utc, tz),
        gps=gps,
        description=description,
        size=size,
    )


def _by(acc):
    return f"@{acc.handle}", acc.account_id


def _site(org):
    return org.domain, ""


def build(world, writer) -> None:
    """Write module 03's photos, tables and keys (a thin wrapper over :class:`CasePhotos`)."""
    CasePhotos(world, writer).build()
    PartnerPhotos(world, writer).build()


class CasePhotos:
    """The photos of the case, collected chapter by chapter; :meth:`build` is the table of
    contents. The chapters must run in this order: they share one random stream."""

    LAHORE_ALT = 214.0

    def __init__(self, world, writer):
        self.world, self.writer = world, writer
        writer.section(
            "images",
            "Module 03: photos collected in the case — from the platforms "
            "(stripped and re-encoded), sent as files on messaging channels (original "
            "bytes), from websites, and handed over by families and victims.",
        )
        self.rng = rng = world.rng("images/catalogue")
        self.cat = _Catalogue(world, writer, rng)
        self.front, self.agency = front, agency = world.front, world.partner_agency
        self.rec = rec = world.actor_by_role("recruiter_pk")
        bd = world.actor_by_role("recruiter_bd")
        self.fac = world.actor_by_role("facilitator_ae")
        self.handler = world.actor_by_role("handler_th")
        self.smug = smug = world.actor_by_role("smuggler")
        self.vendor = vendor = world.actor_by_role("document_vendor")
        self.cam = world.device("D01")
        self.decoy_cam = next(
            d for d in world.devices if d.kind == "camera" and d.device_id != "D01"
        )
        self.decoy_org = decoy_org = world.org(self.decoy_cam.owner)

        self.front_page = _acc(world, front.org_id, "chaupal", "page")
        self.front_backup = _acc(world, front.org_id, "chaupal", "page", backup=True)
        self.front_channel = _acc(world, front.org_id, "paigham", "channel")
        self.rec_video = _acc(world, rec.actor_id, "jhalak")
        self.rec_profile = _acc(world, rec.actor_id, "chaupal")
        self.agency_page = _acc(world, agency.org_id, "chaupal", "page")
        self.bd_acc = _acc(world, bd.actor_id, "paigham")
        self.smug_channel = _acc(world, smug.actor_id, "paigham", "channel")
        self.smug_video = _acc(world, smug.actor_id, "jhalak")
        self.vendor_channel = _acc(world, vendor.actor_id, "paigham", "channel")
        self.decoy_page = _acc(world, decoy_org.org_id, "chaupal", "page")
        self.public = [a for a in world.public_users if a.platform == "chaupal"][:3]

        self.office = world.office
        self.comp = world.compound
        self.start = world.start
        self.office_tz = PLACES[self.office["place"]].tz  # Asia/Karachi
        self.drift = timedelta(seconds=rng.randrange(8, 80))  # the camera clock also drifts
        self.sign = front.name.upper()
        self.families = ["complainant (family of a recruit)", "complainant (escaped recruit)"]

    def build(self) -> None:
        # the front's camera, and a decoy body of the same model
        self.post_head_office_photo()
        self.post_front_camera_photos()
        self.post_decoy_camera_photos()
        # phones with consistent clocks: the recruiter, the facilitator, the handler
        self.hand_over_recruiter_phone_photos()
        self.hand_over_facilitator_phone_photos()
        self.hand_over_handler_phone_photos()
        # smuggling and documents
        self.post_smuggling_testimonials()
        self.post_boat_photo()
        self.post_edited_visa()
        self.post_stock_hotel_photo()
        # the victims and the compound
        self.hand_over_victim_photos()
        self.post_compound_photo()
        # noise: damaged files, ordinary users
        self.collect_bad_files()
        self.post_ordinary_users_photos()
        self.write_tables()
        self.add_answer_keys()

    # -- helpers --------------------------------------------------------------------------------
    def phone_of(self, actor):
        world = self.world
        return world.device(next(d for d in actor.devices if world.device(d).kind == "phone"))

    def camera_photo(
        self,
        scene,
        texts,
        day_offset,
        gps=True,
        fmt="JPEG",
        thumb=True,
        owner_cam=None,
        place=None,
        tz=None,
        srng=None,
    ):
        """A photo by a Canon body: naive DateTimeOriginal from its (mis-set) clock."""
        rng, cam, office = self.rng, self.cam, self.office
        owner_cam = owner_cam or cam
        srng = srng or random.Random(rng.random())
        img = g.draw_scene(scene, srng, texts)
        day = self.start + timedelta(days=day_offset)
        taken = _at(day, rng.randrange(10, 18), rng.randrange(60), self.office_tz)
        taken = taken + timedelta(seconds=rng.randrange(60))
        clock = _local(taken, owner_cam.clock_tz) + (
            self.drift if owner_cam is cam else timedelta(seconds=rng.randrange(3, 20))
        )
        lat, lon = place or (office["lat"], office["lon"])
        gps_d = None
        if gps:
            jl, jo = _jitter(rng, lat, lon)
            gps_d = {
                "lat": jl,
                "lon": jo,
                "alt": self.LAHORE_ALT + rng.uniform(-6, 6),
                "utc": taken,
            }
        ex = g.build_exif(
            make=owner_cam.make,
            model=owner_cam.model,
            serial=owner_cam.serial,
            taken=clock,
            gps=gps_d,
        )
        exif = g.exif_with_thumbnail(ex, g.thumbnail_jpeg(img)) if thumb else ex
        blob = g.encode(img, fmt, exif=exif, quality=82)
        return (
            img,
            blob,
            {"device": owner_cam.device_id, "taken_utc": taken, "gps": gps_d, "clock": clock},
        )

    # -- the chapters ---------------------------------------------------------------------------
    def post_head_office_photo(self) -> None:
        """D01, the front's camera: the head-office photo sent as a file, then re-posted stripped,
        resized, cropped, mirrored, watermarked and recompressed."""
        rng, cat, agency, front_channel = self.rng, self.cat, self.agency, self.front_channel
        front_page, front_backup, rec_video = self.front_page, self.front_backup, self.rec_video
        agency_page, bd_acc, sign = self.agency_page, self.bd_acc, self.sign
        o1_img, o1, t1 = self.camera_photo("office", [sign], rng.randrange(-15, -5))
        posted = t1["taken_utc"] + timedelta(days=rng.randrange(1, 4), hours=rng.randrange(1, 9))
        hq_caption = "Our head office in Dubai 🇦🇪 Walk-in interviews every Friday"
        reception = cat.add(
            o1,
            "jpg",
            source="paigham",
            posted_by=_by(front_channel)[0],
            account_id=front_channel.account_id,
            posted_utc=posted,
            delivery="file",
            caption=hq_caption,
            truth=t1,
        )
        cluster = [reception]
        for acc, how, text, cap in [
            (front_page, "resize", "", hq_caption),
            (front_backup, "crop", "", "Same team, same office. Dubai jobs open!"),
            (rec_video, "mirror", "", "Visit our Dubai office ✈️"),
            (agency_page, "watermark", agency.name, "Our partner office in Dubai"),
            (bd_acc, "recompress", "", "Dubai office of our partner"),
        ]:
            blob = _platform_copy(o1_img, random.Random(rng.random()), how, text)
            posted += timedelta(days=rng.randrange(1, 12), hours=rng.randrange(0, 12))
            cluster.append(
                cat.add(
                    blob,
                    "jpg",
                    source=acc.platform,
                    posted_by=_by(acc)[0],
                    account_id=acc.account_id,
                    posted_utc=posted,
                    delivery="photo",
                    caption=cap,
                    truth={"copy_of": reception, "how": how},
                )
            )
        self.t1, self.cluster = t1, cluster

    def post_front_camera_photos(self) -> None:
        """D01's other photos: desks, the branch sign, the group, the street, the hotel, the
        partner's office (WebP)."""
        rng, cat, front, agency = self.rng, self.cat, self.front, self.agency
        front_channel, front_page, bd_acc = self.front_channel, self.front_page, self.bd_acc
        rec_profile, smug_channel, smug_video = self.rec_profile, self.smug_channel, self.smug_video
        sign = self.sign
        o2_img, o2, t2 = self.camera_photo("office", [], rng.randrange(-12, 0))
        desks = cat.add(
            o2,
            "jpg",
            source="paigham",
            posted_by=_by(front_channel)[0],
            account_id=front_channel.account_id,
            posted_utc=t2["taken_utc"] + timedelta(hours=rng.randrange(3, 40)),
            delivery="file",
            caption="Our data-entry team at work. Join them in Bangkok!",
            truth=t2,
        )
        cat.add(
            _platform_copy(o2_img, random.Random(rng.random())),
            "jpg",
            source="chaupal",
            posted_by=_by(front_page)[0],
            account_id=front_page.account_id,
            posted_utc=t2["taken_utc"] + timedelta(days=rng.randrange(2, 6)),
            delivery="photo",
            caption="Data-entry team. Salary USD 1,200",
            truth={"copy_of": desks, "how": "resize"},
        )

        _, o3, t3 = self.camera_photo(
            "office", [sign, "OVERSEAS JOBS"], rng.randrange(0, 20), gps=False
        )
        sign_photo = cat.add(
            o3,
            "jpg",
            source="paigham",
            posted_by=_by(bd_acc)[0],
            account_id=bd_acc.account_id,
            posted_utc=t3["taken_utc"] + timedelta(hours=rng.randrange(5, 48)),
            delivery="file",
            caption="Our Pakistan branch. Bangladesh candidates welcome",
            truth=t3,
        )

        o4_img, o4, t4 = self.camera_photo(
            "group", ["SUCCESSFUL CANDIDATES"], rng.randrange(10, 30)
        )
        group = cat.add(
            o4,
            "jpg",
            source="web",
            posted_by=_site(front)[0],
            account_id="",
            posted_utc=t4["taken_utc"] + timedelta(days=1),
            delivery="web page",
            caption="Successful candidates leaving for Dubai",
            truth=t4,
        )
        cat.add(
            _platform_copy(o4_img, random.Random(rng.random()), "rotate"),
            "jpg",
            source="chaupal",
            posted_by=_by(rec_profile)[0],
            account_id=rec_profile.account_id,
            posted_utc=t4["taken_utc"] + timedelta(days=rng.randrange(2, 5)),
            delivery="photo",
            caption="Alhamdulillah another batch",
            truth={"copy_of": group, "how": "rotate"},
        )

        street_texts = [f"{front.name.split()[0].upper()} PLAZA", "MOBILE SHOP", "BAKERY", "TAILOR"]
        o5_img, o5, t5 = self.camera_photo("street", street_texts, rng.randrange(5, 25))
        smug_street = cat.add(
            o5,
            "jpg",
            source="paigham",
            posted_by=_by(smug_channel)[0],
            account_id=smug_channel.account_id,
            posted_utc=t5["taken_utc"] + timedelta(days=rng.randrange(2, 9)),
            delivery="file",
            caption="Visit our office for Europe visa 🇪🇺 guarantee",
            truth=t5,
        )
        cat.add(
            _platform_copy(o5_img, random.Random(rng.random()), "mirror"),
            "jpg",
            source="jhalak",
            posted_by=_by(smug_video)[0],
            account_id=smug_video.account_id,
            posted_utc=t5["taken_utc"] + timedelta(days=rng.randrange(10, 20)),
            delivery="photo",
            caption="Europe by road. Office visit welcome",
            truth={"copy_of": smug_street, "how": "mirror"},
        )

        o6_img, o6, t6 = self.camera_photo("hotel", ["WELCOME"], rng.randrange(-20, -10), gps=False)
        hotel = cat.add(
            o6,
            "jpg",
            source="paigham",
            posted_by=_by(front_channel)[0],
            account_id=front_channel.account_id,
            posted_utc=t6["taken_utc"] + timedelta(days=2),
            delivery="file",
            caption="Free accommodation in Bangkok for every worker 🏨",
            truth=t6,
        )
        cat.add(
            _platform_copy(o6_img, random.Random(rng.random())),
            "jpg",
            source="chaupal",
            posted_by=_by(front_page)[0],
            account_id=front_page.account_id,
            posted_utc=t6["taken_utc"] + timedelta(days=3),
            delivery="photo",
            caption="Free accommodation in Bangkok",
            truth={"copy_of": hotel, "how": "resize"},
        )

        _, o7, t7 = self.camera_photo(
            "office", [agency.name.upper()], rng.randrange(15, 35), fmt="WEBP", thumb=False
        )
        cat.add(
            o7,
            "webp",
            source="web",
            posted_by=_site(agency)[0],
            account_id="",
            posted_utc=t7["taken_utc"] + timedelta(days=1),
            delivery="web page",
            caption="Our partner's recruitment office",
            truth=t7,
        )
        self.t3 = t3
        del sign_photo

    def post_decoy_camera_photos(self) -> None:
        """D09: same model as D01, another body (a licensed recruiter's camera, the decoy)."""
        rng, cat, decoy_cam, decoy_org = self.rng, self.cat, self.decoy_cam, self.decoy_org
        decoy_page = self.decoy_page
        dplace = PLACES[decoy_org.place]
        decoy_files = []
        for scene, texts, cap in [
            ("office", [decoy_org.name.upper()], "Our licensed office"),
            ("group", ["ORIENTATION DAY"], "Pre-departure orientation"),
            ("street", [decoy_org.name.split()[0].upper(), "PHARMACY"], "Find us here"),
        ]:
            img, blob, t = self.camera_photo(
                scene,
                texts,
                rng.randrange(-30, 60),
                owner_cam=decoy_cam,
                place=_jitter(rng, dplace.lat, dplace.lon, 2000),
            )
            decoy_files.append(
                cat.add(
                    blob,
                    "jpg",
                    source="web",
                    posted_by=_site(decoy_org)[0],
                    account_id="",
                    posted_utc=t["taken_utc"] + timedelta(days=2),
                    delivery="web page",
                    caption=cap,
                    truth=t,
                )
            )
        cat.add(
            _platform_copy(img, random.Random(rng.random())),
            "jpg",
            source="chaupal",
            posted_by=_by(decoy_page)[0],
            account_id=decoy_page.account_id,
            posted_utc=t["taken_utc"] + timedelta(days=3),
            delivery="photo",
            caption=cap,
            truth={"copy_of": decoy_files[-1], "how": "resize"},
        )
        self.decoy_files = decoy_files

    def hand_over_recruiter_phone_photos(self) -> None:
        """The recruiter's phone (a consistent clock): a visa and the departures board, sent as
        documents."""
        rng, cat, rec, start, families = self.rng, self.cat, self.rec, self.start, self.families
        rp = self.phone_of(rec)
        for scene, texts, cap, desc in [
            (
                "document",
                ["WORK VISA", "UNITED ARAB EMIRATES", "ENTRY PERMIT"],
                "Your visa is ready, send the remaining fee",
                "ویزا تیار ہے",
            ),
            (
                "airport",
                ["DEPARTURES", "EK 623  DUBAI  ON TIME", "TG 342  BANGKOK  BOARDING"],
                "Batch leaving today",
                None,
            ),
        ]:
            img = g.draw_scene(scene, random.Random(rng.random()), texts)
            day = start + timedelta(days=rng.randrange(20, 60))
            taken = _at(day, rng.randrange(9, 21), rng.randrange(60), "Asia/Karachi")
            lat, lon = _jitter(rng, PLACES["lahore"].lat, PLACES["lahore"].lon, 3000)
            gps = {"lat": lat, "lon": lon, "alt": 210 + rng.uniform(-5, 5), "utc": taken}
            ex = _phone_exif(rp, taken, "Asia/Karachi", gps, description=desc)
            blob = g.encode(img, "JPEG", g.exif_with_thumbnail(ex, g.thumbnail_jpeg(img)), 82)
            cat.add(
                blob,
                "jpg",
                source="handed over",
                posted_by=families[0],
                account_id="",
                posted_utc=taken + timedelta(minutes=rng.randrange(5, 90)),
                delivery="handed over",
                caption=f"Sent by the agent on WhatsApp as a document: '{cap}'",
                truth={"device": rp.device_id, "taken_utc": taken, "gps": gps},
            )

    def hand_over_facilitator_phone_photos(self) -> None:
        """The facilitator's phone in Dubai: an arrival photo (a file) and a PNG on the front's
        site."""
        rng, cat, fac, front, start = self.rng, self.cat, self.fac, self.front, self.start
        families = self.families
        fp = self.phone_of(fac)
        dubai = PLACES["dubai"]
        for scene, texts, fmt, src in [
            ("airport", ["ARRIVALS", "DUBAI INTERNATIONAL", "WELCOME"], "JPEG", "handed over"),
            ("group", ["WELCOME TO DUBAI"], "PNG", "web"),
        ]:
            img = g.draw_scene(scene, random.Random(rng.random()), texts)
            day = start + timedelta(days=rng.randrange(25, 70))
            taken = _at(day, rng.randrange(6, 23), rng.randrange(60), "Asia/Dubai")
            lat, lon = _jitter(rng, dubai.lat, dubai.lon, 4000)
            gps = {"lat": lat, "lon": lon, "alt": 8.0, "utc": taken}
            ex = _phone_exif(fp, taken, "Asia/Dubai", gps)
            if fmt == "PNG":
                img = img.resize((480, 360))
                ex = _phone_exif(fp, taken, "Asia/Dubai", gps, size=(480, 360))
                blob = g.encode(img, "PNG", ex)
                cat.add(
                    blob,
                    "png",
                    source="web",
                    posted_by=_site(front)[0],
                    account_id="",
                    posted_utc=taken + timedelta(days=1),
                    delivery="web page",
                    caption="Our Dubai team receives every worker at the airport",
                    truth={"device": fp.device_id, "taken_utc": taken, "gps": gps},
                )
            else:
                blob = g.encode(img, "JPEG", g.exif_with_thumbnail(ex, g.thumbnail_jpeg(img)), 82)
                cat.add(
                    blob,
                    "jpg",
                    source="handed over",
                    posted_by=families[0],
                    account_id="",
                    posted_utc=taken + timedelta(minutes=30),
                    delivery="handed over",
                    caption="Sent to the family by the recruit on arrival, as a file",
                    truth={"device": fp.device_id, "taken_utc": taken, "gps": gps},
                )

    def hand_over_handler_phone_photos(self) -> None:
        """The handler's phone at the compound: 'your new workplace', sent before the crossing."""
        rng, cat, handler, start = self.rng, self.cat, self.handler, self.start
        families, comp = self.families, self.comp
        hp = self.phone_of(handler)
        # the sign carries the compound's (fictional) name, as the case file writes it
        site_sign = comp["name"].upper().replace(" COMPOUND", "")
        for scene, texts, cap in [
            ("street", [site_sign, "CANTEEN", "MART 24"], "Your new workplace, very modern"),
            ("office", ["TEAM 7  TARGET 200"], "Your new office"),
        ]:
            img = g.draw_scene(scene, random.Random(rng.random()), texts)
            day = start + timedelta(days=rng.randrange(40, 90))
            taken = _at(day, rng.randrange(8, 19), rng.randrange(60), "Asia/Yangon")
            lat, lon = _jitter(rng, comp["lat"], comp["lon"], 120)
            gps = {"lat": lat, "lon": lon, "alt": 176 + rng.uniform(-8, 8), "utc": taken}
            ex = _phone_exif(hp, taken, "Asia/Yangon", gps)
            blob = g.encode(img, "JPEG", g.exif_with_thumbnail(ex, g.thumbnail_jpeg(img)), 82)
            cat.add(
                blob,
                "jpg",
                source="handed over",
                posted_by=families[1],
                account_id="",
                posted_utc=taken + timedelta(hours=2),
                delivery="handed over",
                caption=f"Sent to recruits before the crossing: '{cap}'",
                truth={"device": hp.device_id, "taken_utc": taken, "gps": gps},
            )

    def post_smuggling_testimonials(self) -> None:
        """Smuggling "testimonials": claimed Europe, GPS says Punjab (one 'no fix' block, one
        single-value latitude)."""
        rng, cat, smug, smug_channel = self.rng, self.cat, self.smug, self.smug_channel
        start = self.start
        sp = self.phone_of(smug)
        splace = PLACES[smug.place]
        testimonial_files = []
        for i, (scene, texts, cap) in enumerate(
            [
                (
                    "street",
                    ["EUROPE TRAVELS", "MONEY EXCHANGE", "HOTEL"],
                    "Our client reached Italy safely 🇮🇹 Alhamdulillah",
                ),
                ("group", ["BAB-E-EUROPE"], "Another group reached Greece 🇬🇷 100% guarantee"),
                ("selfie", ["PIZZA", "BAR"], "Client selfie from Milan. Trust us!"),
            ]
        ):
            img = g.draw_scene(scene, random.Random(rng.random()), texts)
            day = start + timedelta(days=rng.randrange(10, 80))
            taken = _at(day, rng.randrange(9, 22), rng.randrange(60), "Asia/Karachi")
            lat, lon = _jitter(rng, splace.lat, splace.lon, 2500)
            gps = {"lat": lat, "lon": lon, "alt": 220 + rng.uniform(-10, 10), "utc": taken}
            if i == 1:
                gps = {"lat": 0, "lon": 0, "nofix": True, "utc": None}
            elif i == 2:
                gps["single"] = True
            ex = _phone_exif(sp, taken, "Asia/Karachi", gps)
            blob = g.encode(img, "JPEG", g.exif_with_thumbnail(ex, g.thumbnail_jpeg(img)), 82)
            testimonial_files.append(
                cat.add(
                    blob,
                    "jpg",
                    source="paigham",
                    posted_by=_by(smug_channel)[0],
                    account_id=smug_channel.account_id,
                    posted_utc=taken + timedelta(hours=rng.randrange(1, 30)),
                    delivery="file",
                    caption=cap,
                    truth={"device": sp.device_id, "taken_utc": taken, "gps": gps},
                )
            )
        self.testimonial_files = testimonial_files

    def post_boat_photo(self) -> None:
        """A boat photo below sea level: GPS altitude noise at sea."""
        rng, cat, smug_channel, start = self.rng, self.cat, self.smug_channel, self.start
        boat_img = g.draw_scene("boat", random.Random(rng.random()), [])
        lesvos = PLACES["lesvos"]
        day = start + timedelta(days=rng.randrange(30, 80))
        taken = _at(day, rng.randrange(5, 8), rng.randrange(60), "Europe/Athens")
        boat_alt = -round(rng.uniform(1.2, 3.8), 1)
        boat_gps = {
            "lat": round(lesvos.lat + rng.uniform(-0.12, -0.05), 6),
            "lon": round(lesvos.lon + rng.uniform(0.15, 0.3), 6),
            "alt": boat_alt,
            "utc": taken,
        }
        boat_ex = g.build_exif(
            make="Xiaomi",
            model="Redmi Note 12",
            software="MIUI V14.0.6",
            taken=_local(taken, "Europe/Istanbul"),
            offset=_offset(taken, "Europe/Istanbul"),
            gps=boat_gps,
        )
        boat = cat.add(
            g.encode(boat_img, "JPEG", boat_ex, 80),
            "jpg",
            source="paigham",
            posted_by=_by(smug_channel)[0],
            account_id=smug_channel.account_id,
            posted_utc=taken + timedelta(hours=6),
            delivery="file",
            caption="This morning's boat. Next departure Friday, book now",
            truth={"device": "client phone", "taken_utc": taken, "gps": boat_gps},
        )
        del boat

    def post_edited_visa(self) -> None:
        """The document vendor: an edited visa whose thumbnail still shows the original, an exported
        permit that only carries an editor's Software tag, a scan."""
        rng, cat, vendor, vendor_channel = self.rng, self.cat, self.vendor, self.vendor_channel
        start = self.start
        vp = self.phone_of(vendor)
        visa_rng_state = rng.random()
        original = g.draw_scene(
            "document",
            random.Random(visa_rng_state),
            ["SCHENGEN VISA", "NAME: SAMPLE CUSTOMER", "VALID: 2025-03-01", "TYPE: C  ENTRIES: 1"],
        )
        edited = g.draw_scene(
            "document",
            random.Random(visa_rng_state),
            [
                "SCHENGEN VISA",
                "NAME: YOUR NAME HERE",
                "VALID: 2027-12-31",
                "TYPE: D  ENTRIES: MULT",
            ],
            face=(225, 185, 150),
            photo_bg=(90, 120, 170),
        )
        taken = _at(
            start + timedelta(days=rng.randrange(0, 30)),
            rng.randrange(10, 20),
            rng.randrange(60),
            "Asia/Karachi",
        )
        modified = _local(
            taken + timedelta(days=rng.randrange(3, 20), hours=rng.randrange(1, 9)), "Asia/Karachi"
        )
        ex = _phone_exif(vp, taken, "Asia/Karachi")
        ex[g.B.Software] = "Adobe Photoshop 25.4 (Windows)"
        ex[g.B.DateTime] = modified.strftime("%Y:%m:%d %H:%M:%S")
        blob = g.encode(edited, "JPEG", g.exif_with_thumbnail(ex, g.thumbnail_jpeg(original)), 85)
        edited_file = cat.add(
            blob,
            "jpg",
            source="paigham",
            posted_by=_by(vendor_channel)[0],
            account_id=vendor_channel.account_id,
            posted_utc=taken + timedelta(days=25),
            delivery="file",
            caption="Schengen visa, any name, any date. Pay in BTC",
            truth={"device": vp.device_id, "edited": True},
        )
        exported = g.draw_scene(
            "document",
            random.Random(rng.random()),
            ["WORK PERMIT", "REPUBLIC OF POLAND", "SAMPLE", "SECTOR: FARM"],
        )
        taken2 = taken + timedelta(days=rng.randrange(2, 9))
        ex2 = _phone_exif(vp, taken2, "Asia/Karachi")
        ex2[g.B.Software] = "Adobe Photoshop 25.4 (Windows)"
        ex2[g.B.DateTime] = _local(taken2 + timedelta(hours=3), "Asia/Karachi").strftime(
            "%Y:%m:%d %H:%M:%S"
        )
        exported = exported.resize((720, 540))
        ex2[g.IFD.Exif][g.B.ExifImageWidth], ex2[g.IFD.Exif][g.B.ExifImageHeight] = 720, 540
        blob = g.encode(
            exported, "JPEG", g.exif_with_thumbnail(ex2, g.thumbnail_jpeg(exported)), 85
        )
        cat.add(
            blob,
            "jpg",
            source="paigham",
            posted_by=_by(vendor_channel)[0],
            account_id=vendor_channel.account_id,
            posted_utc=taken2 + timedelta(days=4),
            delivery="file",
            caption="Poland work permit, genuine-looking. DM",
            truth={"device": vp.device_id, "edited": False},
        )
        scan = (
            g.draw_scene(
                "document",
                random.Random(rng.random()),
                ["PASSPORT", "SURNAME: SAMPLE", "GIVEN NAMES: SPECIMEN"],
            )
            .convert("L")
            .resize((400, 300))
        )
        scan_taken = _local(taken + timedelta(days=rng.randrange(5, 15)), "Asia/Karachi")
        scan_ex = g.build_exif(
            make="Canon",
            model="CanoScan LiDE 300",
            software="ScanGear 1.2",
            taken=scan_taken,
            size=(400, 300),
        )
        cat.add(
            g.encode(scan, "TIFF", scan_ex),
            "tif",
            source="paigham",
            posted_by=_by(vendor_channel)[0],
            account_id=vendor_channel.account_id,
            posted_utc=_at(scan_taken.date() + timedelta(days=1), 12, 0, "Asia/Karachi"),
            delivery="file",
            caption="Blank passport page scans available",
            truth={"device": "scanner"},
        )
        self.edited_file = edited_file

    def post_stock_hotel_photo(self) -> None:
        """A stock hotel picture on the front's site, with lower-case S/W refs."""
        rng, cat, front = self.rng, self.cat, self.front
        stock_place = rng.choice(
            [
                (-34.6037, -58.3816, 25.0, "-03:00"),
                (-23.5505, -46.6333, 760.0, "-03:00"),
                (-33.4489, -70.6693, 570.0, "-04:00"),
            ]
        )
        stock_lat = round(stock_place[0] + rng.uniform(-0.01, 0.01), 4)
        stock_lon = round(stock_place[1] + rng.uniform(-0.01, 0.01), 4)
        stock_taken = datetime(
            2019,
            rng.randrange(1, 12),
            rng.randrange(1, 28),
            rng.randrange(9, 18),
            rng.randrange(60),
        )
        hotel_stock = g.draw_scene("hotel", random.Random(rng.random()), [])
        sh = int(stock_place[3][:3])
        st_ex = g.build_exif(
            make="NIKON CORPORATION",
            model="NIKON D750",
            software="Ver.1.13",
            taken=stock_taken,
            offset=stock_place[3],
            gps={
                "lat": stock_lat,
                "lon": stock_lon,
                "alt": stock_place[2],
                "utc": stock_taken.replace(tzinfo=UTC) - timedelta(hours=sh),
                "refs": "lower",
            },
        )
        stock_file = cat.add(
            g.encode(hotel_stock, "JPEG", st_ex, 80),
            "jpg",
            source="web",
            posted_by=_site(front)[0],
            account_id="",
            posted_utc=datetime.combine(front.registered_on, datetime.min.time(), UTC)
            + timedelta(days=3),
            delivery="web page",
            caption="Company accommodation in Bangkok",
            truth={"stock": True},
        )
        self.stock_file, self.stock_lat, self.stock_lon = stock_file, stock_lat, stock_lon

    def hand_over_victim_photos(self) -> None:
        """From the emergency victim: a hotel selfie, a Mae Sot picture (refs missing), a chat
        screenshot."""
        world, rng, cat, families = self.world, self.rng, self.cat, self.families
        emergency = next(v for v in world.victims if v.status == "emergency")
        bangkok = PLACES["bangkok"]
        vday = emergency.departed_utc + timedelta(days=1)
        taken = vday.replace(minute=rng.randrange(60), second=rng.randrange(60))
        vgps = {
            "lat": round(bangkok.lat + rng.uniform(-0.05, 0.05), 6),
            "lon": round(bangkok.lon + rng.uniform(-0.05, 0.05), 6),
            "alt": 4.0,
            "utc": taken,
        }
        ex = g.build_exif(
            make="INFINIX MOBILITY LIMITED\x00",
            model="Infinix X6831   ",
            software="X6831-H6910ABC-T-GL-231012V1021",
            taken=_local(taken, "Asia/Bangkok"),
            offset=_offset(taken, "Asia/Bangkok"),
            gps=vgps,
        )
        cat.add(
            g.encode(
                g.draw_scene("selfie", random.Random(rng.random()), ["HOTEL", "7-ELEVEN"]),
                "JPEG",
                ex,
                80,
            ),
            "jpg",
            source="handed over",
            posted_by=families[0],
            account_id="",
            posted_utc=taken + timedelta(hours=1),
            delivery="handed over",
            caption=f"Last selfie {emergency.name.split()[0]} sent the family as a file",
            truth={"device": "victim phone", "taken_utc": taken, "gps": vgps},
        )
        mae = PLACES["mae_sot"]
        taken2 = emergency.crossed_utc - timedelta(hours=rng.randrange(3, 8))
        ex = g.build_exif(
            make="INFINIX MOBILITY LIMITED",
            model="Infinix X6831",
            taken=_local(taken2, "Asia/Bangkok"),
            gps={
                "lat": round(mae.lat + rng.uniform(-0.02, 0.02), 6),
                "lon": round(mae.lon + rng.uniform(-0.02, 0.02), 6),
                "utc": taken2,
                "refs": "missing",
            },
        )
        cat.add(
            g.encode(
                g.draw_scene(
                    "street", random.Random(rng.random()), ["GUEST HOUSE", "BORDER 3 KM", "MARKET"]
                ),
                "JPEG",
                ex,
                80,
            ),
            "jpg",
            source="handed over",
            posted_by=families[0],
            account_id="",
            posted_utc=taken2 + timedelta(hours=1),
            delivery="handed over",
            caption="Sent the evening before the crossing",
            truth={"taken_utc": taken2},
        )
        shot = g.draw_scene(
            "screenshot",
            random.Random(rng.random()),
            ["Chat", "Where are you?", "They took my passport", "Are you safe?", "Please help me"],
        )
        cat.add(
            g.encode(shot, "PNG"),
            "png",
            source="handed over",
            posted_by=families[0],
            account_id="",
            posted_utc=world.now - timedelta(hours=20),
            delivery="handed over",
            caption="Screenshot of the chat, made by the family",
            truth={"screenshot": True},
        )
        self.emergency = emergency

    def post_compound_photo(self) -> None:
        """The compound photo: no metadata, dated by the sun (its own random stream)."""
        world, cat, comp, emergency = self.world, self.cat, self.comp, self.emergency
        help_event = next(e for e in world.events if e.kind == "help_message")
        tz = "Asia/Yangon"
        day = help_event.utc.astimezone(ZoneInfo(tz)).date()
        crng = world.rng("images/chronolocation")
        morning = crng.random() < 0.5
        for _ in range(200):
            if morning:
                hh, mm = crng.randrange(7, 10), crng.choice([0, 15, 30, 45])
            else:
                hh, mm = crng.randrange(14, 17), crng.choice([0, 15, 30, 45])
            when = _at(day, hh, mm, tz)
            elev, azim = toolkit.sun_position(comp["lat"], comp["lon"], when)
            if 22 <= elev <= 62 and when < help_event.utc:
                break
            if when >= help_event.utc:
                day -= timedelta(days=1)
        post_px = crng.randrange(170, 230)
        shadow_px = round(post_px / math.tan(math.radians(elev)))
        shadow_bearing = (azim + 180) % 360
        # Camera faces roughly north, so a shadow pointing west runs to the left of the picture.
        wall = g.draw_scene(
            "compound",
            random.Random(crng.random()),
            ["RESTRICTED AREA"],
            post_px=post_px,
            shadow_px=shadow_px,
            shadow_left=shadow_bearing > 180,
        )
        wall_file = cat.add(
            g.encode(wall, "JPEG", quality=72),
            "jpg",
            source="paigham",
            posted_by=f"victim {emergency.victim_id} (borrowed phone)",
            account_id="",
            posted_utc=help_event.utc,
            delivery="photo",
            caption="'help me. this is the wall near our building. sun is out now'",
            truth={"taken_utc": when, "elevation": elev},
        )
        measured_elev = toolkit.sun_elevation_from_shadow(post_px, shadow_px)
        self.wall_file, self.sun_day, self.sun_zone = wall_file, day, tz
        self.post_px, self.shadow_px, self.shadow_bearing = post_px, shadow_px, shadow_bearing
        self.help_photo_utc, self.measured_elev = when, measured_elev

    def collect_bad_files(self) -> None:
        """Bad files: truncated, not an image, corrupt EXIF."""
        world, rng, cat, front, agency = self.world, self.rng, self.cat, self.front, self.agency
        front_page, sign = self.front_page, self.sign
        trunc_img, trunc_blob, tt = self.camera_photo("office", [sign], rng.randrange(30, 40))
        bad = {}
        bad[
            cat.add(
                trunc_blob[: int(len(trunc_blob) * 0.55)],
                "jpg",
                source="web",
                posted_by=_site(front)[0],
                account_id="",
                posted_utc=tt["taken_utc"] + timedelta(days=1),
                delivery="web page",
                caption="(download interrupted)",
                truth={"bad": "truncated"},
            )
        ] = "truncated"
        html = (
            f"<!DOCTYPE html><html><head><title>Log in to {PLATFORMS['chaupal']['name']}"
            "</title></head><body><p>You must log in to see this photo.</p></body></html>\n"
        )
        bad[
            cat.add(
                html.encode("utf-8"),
                "jpg",
                source="chaupal",
                posted_by=_by(front_page)[0],
                account_id=front_page.account_id,
                posted_utc=world.now - timedelta(days=2),
                delivery="photo",
                caption="(saved from the page)",
                truth={"bad": "not_an_image"},
            )
        ] = "not_an_image"
        bad[
            cat.add(
                g.corrupt_exif_jpeg(
                    g.draw_scene("hotel", random.Random(rng.random()), ["ROOM 12"])
                ),
                "jpg",
                source="web",
                posted_by=_site(agency)[0],
                account_id="",
                posted_utc=world.now - timedelta(days=9),
                delivery="web page",
                caption="Hostel for workers",
                truth={"bad": "corrupt_exif"},
            )
        ] = "corrupt_exif"
        self.bad = bad

    def post_ordinary_users_photos(self) -> None:
        """Ordinary users: unrelated street photos (decoys for near-duplicate search)."""
        world, rng, cat, public = self.world, self.rng, self.cat, self.public
        for acc in public:
            img = g.draw_scene(
                "street",
                random.Random(rng.random()),
                [rng.choice(["CHAI", "PHARMACY", "BOOKS", "SHOES"]), "BANK"],
            )
            cat.add(
                g.encode(img.resize((640, 480)), "JPEG", quality=70),
                "jpg",
                source="chaupal",
                posted_by=f"@{acc.handle}",
                account_id=acc.account_id,
                posted_utc=world.now - timedelta(days=rng.randrange(3, 60)),
                delivery="photo",
                caption=rng.choice(["Sunday market", "My street", "Busy day"]),
                truth={"public": True},
            )

    def write_tables(self) -> None:
        """images/sources.csv and the analyst's shadow measurement."""
        writer, cat, comp = self.writer, self.cat, self.comp
        wall_file, day, tz = self.wall_file, self.sun_day, self.sun_zone
        post_px, shadow_px, shadow_bearing = self.post_px, self.shadow_px, self.shadow_bearing
        rows = sorted(cat.rows, key=lambda r: r["file"])
        writer.document(
            DIR,
            "The photo files as collected (about 45): platform downloads "
            "(`chaupal_*`, `jhalak_*`, `paigham_*`), website images (`web_*`) and "
            "files handed over by families (`IMG_*`, `DSC_*`, `PXL_*`). JPEG, PNG, "
            "WebP and TIFF; a few files are damaged or are not images at all. "
            "`sources.csv` says where each came from. All pictures are drawn by the "
            "generator: no real photo.",
        )
        writer.write_csv(
            "images/sources.csv",
            rows,
            {
                "file": "File name in images/posted/",
                "source": "chaupal, jhalak or paigham (platform), web (a website), or 'handed over' "
                "(given to police by a family or a victim)",
                "posted_by": "@handle of the posting account, the website's domain, or who handed the "
                "file over",
                "account_id": "Platform account id (empty for websites and handed-over files)",
                "posted_utc": "When it was posted or handed over (ISO 8601 UTC)",
                "delivery": "photo (platform copy: re-encoded, metadata stripped), file (sent 'as a "
                "file': original bytes), web page, handed over",
                "caption": "The text posted with it, or the officer's note",
            },
            "Where each photo file came from.",
            types={"posted_utc": "datetime_utc"},
        )
        sun_row = {
            "file": wall_file,
            "object": "gate post",
            "object_height_px": post_px,
            "shadow_length_px": shadow_px,
            "shadow_bearing_deg": round(shadow_bearing),
            "date_local": day.isoformat(),
            "zone": tz,
            "site_lat": comp["lat"],
            "site_lon": comp["lon"],
            "method": "Photo taken side-on with the shadow on level ground; lengths "
            "measured in pixels at the post's distance. Bearing of the shadow "
            "from the site plan (degrees from north). Site identified by "
            "geolocating the wall against satellite imagery; date from the "
            "conversation ('today').",
        }
        writer.write_csv(
            "images/shadow_measurements.csv",
            [sun_row],
            {
                "file": "Photo measured",
                "object": "Vertical object whose shadow was measured",
                "object_height_px": "Height of the object in the photo (pixels)",
                "shadow_length_px": "Length of its shadow on level ground (pixels, same scale)",
                "shadow_bearing_deg": "Direction the shadow points, degrees clockwise from north",
                "date_local": "Local date the photo was taken (from the conversation)",
                "zone": "IANA time zone of the site",
                "site_lat": "Latitude of the geolocated site",
                "site_lon": "Longitude of the site",
                "method": "How the measurement was made",
            },
            "An analyst's measurement of the compound photo, for chronolocation.",
            types={
                "object_height_px": "int",
                "shadow_length_px": "int",
                "shadow_bearing_deg": "int",
                "site_lat": "float",
                "site_lon": "float",
            },
        )
        self.rows = rows

    def add_answer_keys(self) -> None:
        """The lesson thread has no answer keys: module 03's exercise asks about its own thread,
        :class:`PartnerPhotos`, so nothing the lesson prints is an answer (issue 15). The capstone
        computes what it needs from ``images/posted`` itself."""


def _offset_hours(tz: str, when: datetime) -> float:
    return when.astimezone(ZoneInfo(tz)).utcoffset().total_seconds() / 3600


# ---------------------------------------------------------------------------------------------
# The exercise thread: the Bangladeshi partner's network (its own folder and random stream)
# ---------------------------------------------------------------------------------------------

PARTNER_DIR = "images/partner"

# A reference card of what signs look like in the places of the case (the offline stand-in for
# maps and street-level imagery). Scripts and landmarks are well known; landmarks are real.
PLACE_CLUES = {
    "lahore": {
        "country": "Pakistan",
        "scripts": "Urdu (Arabic script); Latin",
        "landmarks": ["Minar-e-Pakistan", "Badshahi Mosque"],
    },
    "dhaka": {
        "country": "Bangladesh",
        "scripts": "Bengali; Latin",
        "landmarks": ["Shapla Chattar", "Baitul Mukarram"],
    },
    "sylhet": {
        "country": "Bangladesh",
        "scripts": "Bengali; Latin",
        "landmarks": ["Keane Bridge", "Ali Amjad's Clock"],
    },
    "kolkata": {
        "country": "India",
        "scripts": "Bengali; Latin; Devanagari",
        "landmarks": ["Howrah Bridge", "Victoria Memorial"],
    },
    "dubai": {
        "country": "United Arab Emirates",
        "scripts": "Arabic; Latin",
        "landmarks": ["Burj Khalifa", "Dubai Creek"],
    },
    "bangkok": {
        "country": "Thailand",
        "scripts": "Thai; Latin",
        "landmarks": ["Democracy Monument", "Baiyoke Tower"],
    },
}


def _undecodable_jpeg(img, exif) -> bytes:
    """A JPEG whose header and EXIF read fine but whose Huffman tables are destroyed: metadata
    tools say "ok", the pixels cannot be decoded (a bad copy, a broken download tool)."""
    blob = bytearray(g.encode(img, "JPEG", exif, 80))
    at = blob.find(b"\xff\xc4")  # first DHT segment
    if at > 0:
        for i in range(at + 5, min(at + 40, len(blob))):
            blob[i] = 0xFF if i % 2 else 0x00
    return bytes(blob)


class PartnerPhotos:
    """Module 03's exercise thread: the photos the Bangladeshi partner's investigators (CID
    Dhaka) collected on the partner agency's network and shared with the case — another camera
    (its clock set to India's half-hour zone), a decoy body of that model, a re-used hostel
    picture that first appeared on a travel blog, a second stock photo with lower-case refs, an
    edited offer letter, a photo from the Thai border dated by the sun, and damaged files
    (one whose EXIF reads fine but whose pixels cannot be decoded).

    It draws from its own random stream, so the lesson's collection (``images/posted``) does not
    change when this thread does."""

    OFFICE_ALT = 9.0

    def __init__(self, world, writer):
        self.world, self.writer = world, writer
        self.rng = rng = world.rng("images/partner")
        self.cat = _Catalogue(world, writer, rng, folder=PARTNER_DIR)
        self.agency = world.partner_agency
        self.bd = world.actor_by_role("recruiter_bd")
        self.smug = world.actor_by_role("smuggler")
        self.bd_acc = _acc(world, self.bd.actor_id, "paigham")
        self.agency_page = _acc(world, self.agency.org_id, "chaupal", "page")
        self.smug_channel = _acc(world, self.smug.actor_id, "paigham", "channel")
        self.public = [a for a in world.public_users if a.platform == "chaupal"][3:6]
        place = PLACES[self.agency.place]
        self.office = (
            round(place.lat + rng.uniform(-0.02, 0.02), 5),
            round(place.lon + rng.uniform(-0.02, 0.02), 5),
        )
        self.office_tz = place.tz
        from types import SimpleNamespace

        serial = f"{rng.randrange(2, 9)}{rng.randrange(10**6, 10**7)}"
        decoy_serial = f"{rng.randrange(2, 9)}{rng.randrange(10**6, 10**7)}"
        # bought in Kolkata, never re-set: India's UTC+05:30 in a Dhaka (UTC+06:00) office
        self.cam = SimpleNamespace(
            device_id="CAM-B",
            make="NIKON CORPORATION",
            model="NIKON Z 50",
            serial=serial,
            clock_tz="Asia/Kolkata",
        )
        self.decoy_cam = SimpleNamespace(
            device_id="CAM-B-decoy",
            make="NIKON CORPORATION",
            model="NIKON Z 50",
            serial=decoy_serial,
            clock_tz="Asia/Dhaka",
        )
        self.drift = timedelta(seconds=rng.randrange(8, 80))
        self.start = world.start
        self.make_partner_found_accounts()

    def make_partner_found_accounts(self) -> None:
        """Accounts and a website that the partner found and our platform exports do not hold:
        the recruiter's back-up channel, the agency's second website and a new channel of the
        smuggler. Camera B's photos are published there, so the exercise's "who published with
        this camera" answer is printed in no lesson. Own random stream; checked unique."""
        from types import SimpleNamespace

        world = self.world
        prng = world.rng("images/partner-posters")
        taken = {a.handle.lower() for a in world.accounts}
        taken |= {h.lower() for a in world.accounts for h, _ in a.handle_history}
        domains = {o.domain for o in world.organisations if o.domain}
        ids_taken = {str(a.account_id) for a in world.accounts}

        def new_handle(base: str, words: list[str]) -> str:
            while True:
                h = f"{base}{prng.choice(words)}{prng.randrange(10, 99)}"
                if h.lower() not in taken:
                    taken.add(h.lower())
                    return h

        def new_id(like: str) -> str:
            while True:
                n = str(prng.randrange(10 ** (len(like) - 1), 10 ** len(like)))
                if n not in ids_taken:
                    ids_taken.add(n)
                    return n

        bd, smug = self.bd_acc, self.smug_channel
        self.bd_backup = SimpleNamespace(
            handle=new_handle(bd.handle.split(".")[0] + ".", ["visa.bd", "career.bd", "jobsnew."]),
            account_id=new_id(str(bd.account_id)),
            platform="paigham",
        )
        self.smug_new = SimpleNamespace(
            handle=new_handle(smug.handle.split("_")[0] + "_", ["europe_files", "route_bd"]),
            account_id=new_id(str(smug.account_id)),
            platform="paigham",
        )
        stem = self.agency.domain.removesuffix(".example")
        while True:
            site = f"{stem}-{prng.choice(['bd', 'career', 'jobs'])}{prng.randrange(2, 9)}.example"
            if site not in domains:
                break
        self.agency_site2 = site

    def build(self) -> None:
        self.post_partner_camera_photos()
        self.post_decoy_camera_photos()
        self.post_reused_hostel_photo()
        self.post_stock_dormitory_photo()
        self.post_edited_offer_letter()
        self.post_training_centre_photo()
        self.hand_over_border_photo()
        self.collect_bad_files()
        self.write_tables()
        self.add_answer_keys()
        self.hand_over_screenshots()

    def hand_over_screenshots(self) -> None:
        """A job-seeker's brother hands over a screenshot of his chat with the partner's
        recruiter (exercise 03, Task 11b; its own random stream ``images/partner-screenshot``
        so the rest of the collection does not shift): the PNG as the phone saved it (the
        phone's screen size, a status-bar clock, no camera EXIF) and the copy he forwarded by a
        messenger (re-encoded as JPEG and scaled down)."""
        import io

        from PIL import Image, ImageDraw

        world, writer, bd = self.world, self.writer, self.bd
        rng = world.rng("images/partner-screenshot")
        width, height = rng.choice([(720, 1600), (1080, 2400), (720, 1560)])
        hh, mm = rng.randrange(19, 24), rng.randrange(60)
        clock = f"{hh:02d}:{mm:02d}"
        carrier = rng.choice(["Grameenphone", "Robi", "banglalink"])
        battery = rng.randrange(18, 90)
        contact = f"{bd.name.split()[0]} bhai agency"
        lines = [
            ("them", "Thailand job confirm, salary 90k"),
            ("me", "Fee koto?"),
            ("them", "2.5 lakh taka, bKash korun"),
            ("them", "Passport office e jama din"),
            ("me", "Flight kobe?"),
            ("them", "Next week Bangkok, kawke bolben na"),
        ]
        k = width / 720
        img = Image.new("RGB", (width, height), (236, 229, 221))
        d = ImageDraw.Draw(img)
        d.rectangle([0, 0, width, int(44 * k)], fill=(7, 94, 84))
        d.text((int(16 * k), int(10 * k)), clock, fill=(255, 255, 255), font=g.font(int(22 * k)))
        d.text((int(300 * k), int(10 * k)), carrier, fill=(255, 255, 255), font=g.font(int(20 * k)))
        d.text(
            (width - int(110 * k), int(10 * k)),
            f"{battery}%",
            fill=(255, 255, 255),
            font=g.font(int(20 * k)),
        )
        d.rectangle([0, int(44 * k), width, int(124 * k)], fill=(18, 140, 126))
        d.text((int(24 * k), int(66 * k)), contact, fill=(255, 255, 255), font=g.font(int(28 * k)))
        y = int(170 * k)
        for who, text in lines:
            box_w = int(470 * k)
            x0 = width - box_w - int(24 * k) if who == "me" else int(24 * k)
            d.rounded_rectangle(
                [x0, y, x0 + box_w, y + int(80 * k)],
                int(14 * k),
                fill=(220, 248, 198) if who == "me" else (255, 255, 255),
            )
            d.text(
                (x0 + int(16 * k), y + int(24 * k)),
                text,
                fill=(20, 20, 20),
                font=g.font(int(22 * k)),
            )
            y += int(110 * k)
        original = g.encode(img, "PNG")
        small = img.resize((width // 2, height // 2), Image.LANCZOS)
        buf = io.BytesIO()
        small.save(buf, "JPEG", quality=62)
        given = world.now - timedelta(days=rng.randrange(2, 6), hours=rng.randrange(1, 9))
        stamp = (given - timedelta(days=rng.randrange(3, 9))).strftime("%Y%m%d")
        names = {
            "original": f"Screenshot_{stamp}-{hh:02d}{mm:02d}{rng.randrange(10, 60)}.png",
            "forwarded": f"IMG-{stamp}-WA{rng.randrange(1, 99):04d}.jpg",
        }
        for key, blob in (("original", original), ("forwarded", buf.getvalue())):
            writer.write_bytes(
                f"images/partner_screenshots/{names[key]}",
                blob,
                "A screenshot handed over by a job-seeker's brother (exercise 03, Task 11b).",
            )
        writer.write_csv(
            "images/partner_screenshots.csv",
            [
                {
                    "file": names["original"],
                    "handed_over_by": "job-seeker's brother (Sylhet), at the partner's office",
                    "handed_over_utc": utc_iso(given),
                    "how": "copied from his phone's Screenshots folder by the partner's officer",
                    "caption": "Screenshot of his brother's chat with the agency, saved on his phone",
                },
                {
                    "file": names["forwarded"],
                    "handed_over_by": "job-seeker's brother (Sylhet)",
                    "handed_over_utc": utc_iso(given - timedelta(hours=rng.randrange(20, 40))),
                    "how": "sent to the partner's duty phone through a messenger",
                    "caption": "The same screenshot, forwarded the day before",
                },
            ],
            {
                "file": "File name in images/partner_screenshots/",
                "handed_over_by": "Who gave it",
                "handed_over_utc": "When the partner's officer received it (ISO 8601 UTC)",
                "how": "How the file reached the officer",
                "caption": "The officer's note",
            },
            "Two copies of one screenshot of a chat with the partner's recruiter, as received.",
            types={"handed_over_utc": "datetime_utc"},
        )
        writer.add_key(
            "03.screenshot_original",
            names["original"],
            hint="the file name of the copy that is the phone's own screenshot, not re-encoded",
        )
        writer.add_key(
            "03.screenshot_screen",
            [width, height],
            kind="list",
            hint="[width, height] in pixels of that copy",
        )
        writer.add_key(
            "03.screenshot_status_time",
            clock,
            hint="the status-bar clock as shown, 'HH:MM'",
        )
        writer.add_key(
            "03.screenshot_can_prove",
            ["a", "c", "e"],
            kind="set",
            fold=True,
            hint="letters of the statements the screenshot alone supports",
        )

    def camera_photo(self, cam, scene, texts, day_offset, gps=True, place=None):
        rng = self.rng
        img = g.draw_scene(scene, random.Random(rng.random()), texts)
        day = self.start + timedelta(days=day_offset)
        taken = _at(day, rng.randrange(10, 18), rng.randrange(60), self.office_tz)
        taken += timedelta(seconds=rng.randrange(60))
        clock = _local(taken, cam.clock_tz) + (
            self.drift if cam is self.cam else timedelta(seconds=rng.randrange(3, 20))
        )
        lat, lon = place or self.office
        gps_d = None
        if gps:
            jl, jo = _jitter(rng, lat, lon)
            gps_d = {
                "lat": jl,
                "lon": jo,
                "alt": self.OFFICE_ALT + rng.uniform(-3, 3),
                "utc": taken,
            }
        ex = g.build_exif(make=cam.make, model=cam.model, serial=cam.serial, taken=clock, gps=gps_d)
        blob = g.encode(
            img, "JPEG", exif=g.exif_with_thumbnail(ex, g.thumbnail_jpeg(img)), quality=82
        )
        return (
            img,
            blob,
            {"device": cam.device_id, "taken_utc": taken, "gps": gps_d, "clock": clock},
        )

    def post_partner_camera_photos(self) -> None:
        rng, cat, agency = self.rng, self.cat, self.agency
        bd_acc, page, smug = self.bd_backup, self.agency_page, self.smug_new
        sign = agency.name.upper()
        img1, b1, t1 = self.camera_photo(self.cam, "office", [sign], rng.randrange(-20, -8))
        office = cat.add(
            b1,
            "jpg",
            source="paigham",
            posted_by=_by(bd_acc)[0],
            account_id=bd_acc.account_id,
            posted_utc=t1["taken_utc"] + timedelta(hours=rng.randrange(3, 30)),
            delivery="file",
            caption="Our Dubai office. Interviews in Dhaka every Saturday",
            truth=t1,
        )
        cat.add(
            _platform_copy(img1, random.Random(rng.random())),
            "jpg",
            source="chaupal",
            posted_by=_by(page)[0],
            account_id=page.account_id,
            posted_utc=t1["taken_utc"] + timedelta(days=rng.randrange(2, 6)),
            delivery="photo",
            caption="Dubai office of our group",
            truth={"copy_of": office, "how": "resize"},
        )
        _, b2, t2 = self.camera_photo(
            self.cam, "office", [sign, "INTERVIEW TODAY"], rng.randrange(0, 25), gps=False
        )
        sign_file = cat.add(
            b2,
            "jpg",
            source="paigham",
            posted_by=_by(bd_acc)[0],
            account_id=bd_acc.account_id,
            posted_utc=t2["taken_utc"] + timedelta(hours=rng.randrange(4, 40)),
            delivery="file",
            caption="Interview day. Bring passport and fee",
            truth=t2,
        )
        _, b3, t3 = self.camera_photo(self.cam, "group", ["BATCH 14"], rng.randrange(5, 30))
        cat.add(
            b3,
            "jpg",
            source="web",
            posted_by=self.agency_site2,
            account_id="",
            posted_utc=t3["taken_utc"] + timedelta(days=1),
            delivery="web page",
            caption="Batch 14 flying to Dubai",
            truth=t3,
        )
        _, b4, t4 = self.camera_photo(
            self.cam, "street", ["EUROPE JOBS", "TRAVELS"], rng.randrange(10, 40)
        )
        self.europe_street = cat.add(
            b4,
            "jpg",
            source="paigham",
            posted_by=_by(smug)[0],
            account_id=smug.account_id,
            posted_utc=t4["taken_utc"] + timedelta(days=rng.randrange(1, 6)),
            delivery="file",
            caption="Dhaka office for Europe files. Meet our partner",
            truth=t4,
        )
        self.t1, self.t2, self.sign_file = t1, t2, sign_file

    def post_decoy_camera_photos(self) -> None:
        rng, cat = self.rng, self.cat
        sylhet = PLACES["sylhet"]
        files = []
        for scene, texts, cap in [
            ("group", ["WEDDING"], "Wedding album, Sylhet"),
            ("street", ["SWEETS", "STUDIO"], "Our studio"),
        ]:
            _, blob, t = self.camera_photo(
                self.decoy_cam, scene, texts, rng.randrange(-40, 40), place=(sylhet.lat, sylhet.lon)
            )
            files.append(
                cat.add(
                    blob,
                    "jpg",
                    source="web",
                    posted_by="sylhet-studio.example",
                    account_id="",
                    posted_utc=t["taken_utc"] + timedelta(days=2),
                    delivery="web page",
                    caption=cap,
                    truth=t,
                )
            )
        self.decoy_files = files

    def post_reused_hostel_photo(self) -> None:
        """A hostel photo that first appeared on a travel blog, long before the agency existed;
        copies on a rooms site and on the agency's accounts claim it is 'our workers' hostel'."""
        rng, cat, agency = self.rng, self.cat, self.agency
        hostel = g.draw_scene("hotel", random.Random(rng.random()), ["HOSTEL"])
        shot = datetime(
            2023,
            rng.randrange(1, 12),
            rng.randrange(1, 28),
            rng.randrange(9, 17),
            rng.randrange(60),
        )
        ex = g.build_exif(
            make="SONY", model="ILCE-6400", software="ILCE-6400 v2.00", taken=shot, offset="+08:00"
        )
        blog_day = datetime.combine(shot.date(), datetime.min.time(), UTC) + timedelta(
            days=rng.randrange(5, 40), hours=rng.randrange(0, 20)
        )
        first = cat.add(
            g.encode(hostel, "JPEG", ex, 84),
            "jpg",
            source="web",
            posted_by="backpacker-notes.example",
            account_id="",
            posted_utc=blog_day,
            delivery="web page",
            caption="Travel blog: a cheap hostel we liked",
            truth={"reused": "first"},
        )
        copies = [first]
        when = datetime.combine(agency.registered_on, datetime.min.time(), UTC)
        for source, by, acc_id, how, text, cap, delivery in [
            ("web", "rooms-to-let.example", "", "resize", "", "Rooms for rent", "web page"),
            (
                "chaupal",
                _by(self.agency_page)[0],
                self.agency_page.account_id,
                "crop",
                "",
                "Free hostel for our workers in Bangkok 🏨",
                "photo",
            ),
            (
                "web",
                _site(agency)[0],
                "",
                "watermark",
                agency.name,
                "Our own workers' hostel",
                "web page",
            ),
            (
                "paigham",
                _by(self.bd_acc)[0],
                self.bd_acc.account_id,
                "mirror",
                "",
                "Hostel ready for the new batch",
                "photo",
            ),
        ]:
            blob = _platform_copy(hostel, random.Random(rng.random()), how, text)
            if source == "rooms-to-let":
                pass
            when += timedelta(days=rng.randrange(3, 30), hours=rng.randrange(0, 20))
            posted = (
                when
                if by != "rooms-to-let.example"
                else blog_day + timedelta(days=rng.randrange(100, 300))
            )
            copies.append(
                cat.add(
                    blob,
                    "jpg",
                    source=source,
                    posted_by=by,
                    account_id=acc_id,
                    posted_utc=posted,
                    delivery=delivery,
                    caption=cap,
                    truth={"copy_of": first, "how": how},
                )
            )
        # a different hostel room, same style: close to the eye, not a copy
        other = g.draw_scene("hotel", random.Random(rng.random()), ["HOSTEL"])
        cat.add(
            _platform_copy(other, random.Random(rng.random())),
            "jpg",
            source="chaupal",
            posted_by=f"@{self.public[0].handle}",
            account_id=self.public[0].account_id,
            posted_utc=when + timedelta(days=2),
            delivery="photo",
            caption="Our guest house, book now",
            truth={"public": True},
        )
        self.hostel_first, self.hostel_copies, self.hostel_seen = first, copies, blog_day

    def post_stock_dormitory_photo(self) -> None:
        rng, cat, agency = self.rng, self.cat, self.agency
        place = rng.choice(
            [
                (29.7604, -95.3698, 15.0, "-05:00"),
                (19.4326, -99.1332, 2240.0, "-06:00"),
                (43.6532, -79.3832, 76.0, "-04:00"),
            ]
        )
        lat = round(place[0] + rng.uniform(-0.01, 0.01), 4)
        lon = round(place[1] + rng.uniform(-0.01, 0.01), 4)
        taken = datetime(
            2020,
            rng.randrange(1, 12),
            rng.randrange(1, 28),
            rng.randrange(9, 18),
            rng.randrange(60),
        )
        ex = g.build_exif(
            make="Canon",
            model="Canon EOS 6D",
            software="Firmware Version 1.1.9",
            taken=taken,
            offset=place[3],
            gps={
                "lat": lat,
                "lon": lon,
                "alt": place[2],
                "utc": taken.replace(tzinfo=UTC) - timedelta(hours=int(place[3][:3])),
                "refs": "lower",
            },
        )
        self.stock_file = cat.add(
            g.encode(g.draw_scene("hotel", random.Random(rng.random()), []), "JPEG", ex, 80),
            "jpg",
            source="web",
            posted_by=_site(agency)[0],
            account_id="",
            posted_utc=datetime.combine(agency.registered_on, datetime.min.time(), UTC)
            + timedelta(days=5),
            delivery="web page",
            caption="Workers' dormitory in Dubai",
            truth={"stock": True},
        )
        self.stock_latlon = [lat, lon]

    def post_edited_offer_letter(self) -> None:
        rng, cat, bd_acc = self.rng, self.cat, self.bd_acc
        state = rng.random()
        # Which fields the editor changed differs by seed (own stream, so nothing else moves):
        # the salary always (the caption brags about it), and one or two of the others.
        frng = self.world.rng("images/partner-letter-fields")
        original_fields = {
            "POSITION": "CLEANER",
            "SALARY": "AED 900",
            "NAME": "SAMPLE WORKER",
            "CONTRACT": "2 YEARS",
        }
        edits = {
            "POSITION": frng.choice(["DATA ENTRY", "HOTEL RECEPTION", "SALES ASSISTANT"]),
            "SALARY": frng.choice(["AED 4,500", "AED 3,800", "AED 5,200"]),
            "NAME": frng.choice(["MD RAKIB HASAN", "SHAHIDUL ISLAM", "NURUL AMIN"]),
            "CONTRACT": frng.choice(["1 YEAR", "3 YEARS"]),
        }
        changed = ["SALARY"] + frng.sample(["POSITION", "NAME", "CONTRACT"], frng.choice([1, 2]))
        new_fields = {k: (edits[k] if k in changed else v) for k, v in original_fields.items()}
        before = ["OFFER OF EMPLOYMENT"] + [f"{k}: {v}" for k, v in original_fields.items()]
        after = ["OFFER OF EMPLOYMENT"] + [f"{k}: {v}" for k, v in new_fields.items()]
        self.changed_fields = [
            a.split(":")[0] for a, b in zip(after, before, strict=True) if a != b and ":" in a
        ]
        self.letter_claims = {k: new_fields[k] for k in self.changed_fields}
        original = g.draw_scene("document", random.Random(state), before)
        edited = g.draw_scene(
            "document",
            random.Random(state),
            after,
            face=(220, 180, 150),
            photo_bg=(150, 90, 90),
        )
        taken = _at(
            self.start + timedelta(days=rng.randrange(0, 30)),
            rng.randrange(10, 20),
            rng.randrange(60),
            self.office_tz,
        )
        ex = g.build_exif(
            make="samsung",
            model="SM-A155F",
            software="A155FXXU1AXB2",
            taken=_local(taken, self.office_tz),
            offset=_offset(taken, self.office_tz),
        )
        ex[g.B.Software] = "GIMP 2.10.36"
        ex[g.B.DateTime] = _local(
            taken + timedelta(days=rng.randrange(2, 9)), self.office_tz
        ).strftime("%Y:%m:%d %H:%M:%S")
        self.edited_file = cat.add(
            g.encode(edited, "JPEG", g.exif_with_thumbnail(ex, g.thumbnail_jpeg(original)), 85),
            "jpg",
            source="paigham",
            posted_by=_by(bd_acc)[0],
            account_id=bd_acc.account_id,
            posted_utc=taken + timedelta(days=12),
            delivery="file",
            caption=f"Real offer letter from Dubai company. Salary {new_fields['SALARY']}!",
            truth={"edited": True},
        )
        other = g.draw_scene(
            "document", random.Random(rng.random()), ["MEDICAL FIT", "GAMCA", "SAMPLE"]
        )
        ex2 = g.build_exif(
            make="samsung",
            model="SM-A155F",
            software="GIMP 2.10.36",
            taken=_local(taken + timedelta(days=3), self.office_tz),
            offset=_offset(taken, self.office_tz),
        )
        other_file = cat.add(
            g.encode(other, "JPEG", g.exif_with_thumbnail(ex2, g.thumbnail_jpeg(other)), 85),
            "jpg",
            source="paigham",
            posted_by=_by(bd_acc)[0],
            account_id=bd_acc.account_id,
            posted_utc=taken + timedelta(days=14),
            delivery="file",
            caption="Medical certificate done for you",
            truth={"edited": False},
        )
        # The partner analyst's transcription of both GIMP-tagged documents, line by line: the
        # picture as posted and its embedded thumbnail (read enlarged). Task 10 compares them.
        self.letter_rows = [
            {"file": f, "line": i, "picture_text": a, "thumbnail_text": b}
            for f, pic, thumb in (
                (self.edited_file, after, before),
                (
                    other_file,
                    ["MEDICAL FIT", "GAMCA", "SAMPLE"],
                    ["MEDICAL FIT", "GAMCA", "SAMPLE"],
                ),
            )
            for i, (a, b) in enumerate(zip(pic, thumb, strict=True), start=1)
        ]
        self.letter_rows.sort(key=lambda r: (r["file"], r["line"]))

    def post_training_centre_photo(self) -> None:
        """The agency's "training centre in Dubai": a stripped platform copy whose shop signs
        (Bengali script), a sign naming the city and a direction sign to a landmark place it in
        Bangladesh. The generator draws Latin letters only, so ``images/partner_signs.csv``
        carries each sign as the partner's analyst transcribed it (text in its own script,
        transliteration, script). Own random stream."""
        world, cat, agency, page = self.world, self.cat, self.agency, self.agency_page
        srng = world.rng("images/partner-signage")
        key = srng.choice(["dhaka", "sylhet"])
        place = PLACES[key]
        landmark = srng.choice(PLACE_CLUES[key]["landmarks"])
        signs = [
            {
                "text": f"{agency.name.upper()} DUBAI TRAINING CENTRE",
                "transliteration": "",
                "script": "Latin",
                "what": "banner",
            },
            {
                "text": "মায়ের দোয়া স্টোর",
                "transliteration": "Mayer Doa Store",
                "script": "Bengali",
                "what": "shop sign",
            },
            {
                "text": f"{place.name_bn} ফার্মেসি",
                "transliteration": f"{place.name} Pharmacy",
                "script": "Bengali",
                "what": "shop sign",
            },
            {
                "text": f"{landmark.upper()} {srng.choice([200, 300, 500])} m",
                "transliteration": "",
                "script": "Latin",
                "what": "direction sign",
            },
        ]
        order = [0] + srng.sample([1, 2, 3], 3)
        signs = [signs[i] for i in order]
        drawn = [(s["transliteration"] or s["text"]).upper() for s in signs]
        img = g.draw_scene("street", random.Random(srng.random()), drawn)
        posted = datetime.combine(agency.registered_on, datetime.min.time(), UTC) + timedelta(
            days=srng.randrange(10, 25), hours=srng.randrange(0, 20)
        )
        self.training_file = cat.add(
            _platform_copy(img, random.Random(srng.random())),
            "jpg",
            source="chaupal",
            posted_by=_by(page)[0],
            account_id=page.account_id,
            posted_utc=posted,
            delivery="photo",
            caption="Our training centre in Dubai: free training before your flight",
            truth={"place": key, "landmark": landmark},
        )
        self.training_place, self.training_landmark = place.name, landmark
        self.sign_rows = [
            {"file": self.training_file, "sign": f"S{i + 1}", **s} for i, s in enumerate(signs)
        ] + [
            {
                "file": self.europe_street,
                "sign": f"S{i + 1}",
                "text": t,
                "transliteration": "",
                "script": "Latin",
                "what": "shop sign",
            }
            for i, t in enumerate(["EUROPE JOBS", "TRAVELS"])
        ]

    def hand_over_border_photo(self) -> None:
        """A recruit's photo from a guest-house yard in Mae Sot (Thailand, UTC+7 — Myawaddy
        across the river keeps UTC+6:30), stripped by the messenger; dated by the sun."""
        world, cat = self.world, self.cat
        srng = world.rng("images/partner-sun")
        mae = PLACES["mae_sot"]
        lat = round(mae.lat + srng.uniform(-0.01, 0.01), 4)
        lon = round(mae.lon + srng.uniform(-0.01, 0.01), 4)
        tz = mae.tz
        day = (world.now - timedelta(days=srng.randrange(20, 60))).astimezone(ZoneInfo(tz)).date()
        morning = srng.random() < 0.5
        for _ in range(200):
            hh = srng.randrange(7, 10) if morning else srng.randrange(14, 17)
            when = _at(day, hh, srng.choice([0, 15, 30, 45]), tz)
            elev, azim = toolkit.sun_position(lat, lon, when)
            if 22 <= elev <= 62:
                break
        post_px = srng.randrange(150, 220)
        import math

        shadow_px = round(post_px / math.tan(math.radians(elev)))
        bearing = (azim + 180) % 360
        img = g.draw_scene(
            "compound",
            random.Random(srng.random()),
            ["GUEST HOUSE"],
            post_px=post_px,
            shadow_px=shadow_px,
            shadow_left=bearing > 180,
        )
        self.sun_file = cat.add(
            g.encode(img, "JPEG", quality=72),
            "jpg",
            source="handed over",
            posted_by="complainant (family of a Bangladeshi recruit)",
            account_id="",
            posted_utc=when + timedelta(hours=3),
            delivery="handed over",
            caption="Sent on the messenger: 'we wait here for the car'",
            truth={"taken_utc": when, "elevation": elev},
        )
        self.sun_row = {
            "file": self.sun_file,
            "object": "fence post",
            "object_height_px": post_px,
            "shadow_length_px": shadow_px,
            "shadow_bearing_deg": round(bearing),
            "date_local": day.isoformat(),
            "zone": tz,
            "site_lat": lat,
            "site_lon": lon,
            "method": "Side-on photo, shadow on level ground, lengths in pixels at the "
            "post's distance. Site geolocated by the partner's analyst from "
            "the guest-house sign and the river; bearing of the shadow from "
            "the site plan; date from the family's chat.",
        }
        self.sun_when, self.sun_azimuth = when, azim
        self.sun_elev = toolkit.sun_elevation_from_shadow(post_px, shadow_px)

    def collect_bad_files(self) -> None:
        rng, cat = self.rng, self.cat
        bad = {}
        _, blob, t = self.camera_photo(self.cam, "office", ["WELCOME"], rng.randrange(30, 40))
        bad[
            cat.add(
                blob[: int(len(blob) * 0.5)],
                "jpg",
                source="web",
                posted_by=self.agency_site2,
                account_id="",
                posted_utc=t["taken_utc"] + timedelta(days=1),
                delivery="web page",
                caption="(download interrupted)",
                truth={"bad": "truncated"},
            )
        ] = "truncated"
        html = (
            "<!DOCTYPE html><html><head><title>Content unavailable</title></head><body>"
            "<p>This content isn't available right now.</p></body></html>\n"
        )
        bad[
            cat.add(
                html.encode("utf-8"),
                "jpg",
                source="chaupal",
                posted_by=_by(self.agency_page)[0],
                account_id=self.agency_page.account_id,
                posted_utc=self.world.now - timedelta(days=3),
                delivery="photo",
                caption="(saved from the page)",
                truth={"bad": "not_an_image"},
            )
        ] = "not_an_image"
        img = g.draw_scene("airport", random.Random(rng.random()), ["DEPARTURES"])
        ex = g.build_exif(
            make="samsung",
            model="SM-A155F",
            taken=_local(self.world.now - timedelta(days=30), self.office_tz),
        )
        self.undecodable = cat.add(
            _undecodable_jpeg(img, ex),
            "jpg",
            source="handed over",
            posted_by="complainant (family of a Bangladeshi recruit)",
            account_id="",
            posted_utc=self.world.now - timedelta(days=4),
            delivery="handed over",
            caption="Copied from the son's phone by a repair shop",
            truth={"bad": "undecodable"},
        )
        self.bad = bad

    def write_tables(self) -> None:
        writer = self.writer
        rows = sorted(self.cat.rows, key=lambda r: r["file"])
        writer.document(
            PARTNER_DIR,
            "Module 03 exercise: photo files the Bangladeshi partner's "
            "investigators collected on the partner agency's network and shared "
            "(platform downloads, files sent as files, website images, files handed "
            "over by families). Drawn by the generator: no real photo.",
        )
        writer.write_csv(
            "images/partner_sources.csv",
            rows,
            {
                "file": "File name in images/partner/",
                "source": "chaupal, jhalak or paigham (platform), web (a website), or 'handed over'",
                "posted_by": "@handle of the posting account, the website's domain, or who handed the "
                "file over",
                "account_id": "Platform account id (empty for websites and handed-over files)",
                "posted_utc": "When this copy was first seen published or handed over (ISO 8601 UTC)",
                "delivery": "photo (platform copy: re-encoded, metadata stripped), file (original "
                "bytes), web page, handed over",
                "caption": "The text posted with it, or the officer's note",
            },
            "Where each photo of the partner's collection came from.",
            types={"posted_utc": "datetime_utc"},
        )
        writer.write_csv(
            "images/partner_signs.csv",
            self.sign_rows,
            {
                "file": "Photo in images/partner/",
                "sign": "Sign number, left to right (S1 is the leftmost)",
                "text": "What the sign says, in its own script, as the partner's analyst read it",
                "transliteration": "The text in Latin letters (empty when it is already Latin)",
                "script": "Writing system of the sign (Latin, Bengali, Arabic, Thai, ...)",
                "what": "banner, shop sign, direction sign",
            },
            "The partner analyst's transcription of the signs in photos of the collection (the "
            "generator draws Latin letters only, so other scripts are given here).",
        )
        writer.write_csv(
            "images/partner_letter_lines.csv",
            self.letter_rows,
            {
                "file": "Document in images/partner/ whose software tag names an image editor",
                "line": "Line number, top to bottom (1 is the title)",
                "picture_text": "The line as the partner's analyst read it in the picture",
                "thumbnail_text": "The same line as the analyst read it in the embedded thumbnail "
                "(enlarged)",
            },
            "The partner analyst's line-by-line transcription of the two GIMP-tagged documents: "
            "the picture as posted and its embedded thumbnail.",
        )
        writer.write_csv(
            "images/place_clues.csv",
            [
                {
                    "place": PLACES[k].name if k in PLACES else k.title(),
                    "country": v["country"],
                    "scripts": v["scripts"],
                    "landmarks": "; ".join(v["landmarks"]),
                }
                for k, v in PLACE_CLUES.items()
            ],
            {
                "place": "Town or city",
                "country": "Country",
                "scripts": "Scripts seen on its shop and street signs",
                "landmarks": "Well-known landmarks that street signs point to",
            },
            "A reference card for geolocation by signs: the offline stand-in for maps and "
            "street-level imagery.",
        )
        writer.write_csv(
            "images/partner_shadow_measurements.csv",
            [self.sun_row],
            {
                "file": "Photo measured",
                "object": "Vertical object whose shadow was measured",
                "object_height_px": "Height of the object in the photo (pixels)",
                "shadow_length_px": "Length of its shadow on level ground (pixels, same scale)",
                "shadow_bearing_deg": "Direction the shadow points, degrees clockwise from north",
                "date_local": "Local date the photo was taken",
                "zone": "IANA time zone of the site",
                "site_lat": "Latitude of the geolocated site",
                "site_lon": "Longitude of the site",
                "method": "How the measurement was made",
            },
            "The partner analyst's measurement of the border photo, for chronolocation.",
            types={
                "object_height_px": "int",
                "shadow_length_px": "int",
                "shadow_bearing_deg": "int",
                "site_lat": "float",
                "site_lon": "float",
            },
        )
        self.rows = rows

    def add_answer_keys(self) -> None:
        writer, cat, cam = self.writer, self.cat, self.cam
        posted_by = {r["file"]: r["posted_by"] for r in self.rows}
        gps_files = sorted(
            {
                f
                for f, t in cat.truth.items()
                if t.get("gps") and "copy_of" not in t and t.get("bad") is None
            }
            | {self.stock_file}
        )
        writer.add_key(
            "03.partner_gps_files",
            gps_files,
            kind="set",
            hint="only files whose GPS block gives a usable signed position",
        )
        writer.add_key(
            "03.partner_problem_files", self.bad, kind="mapping", hint="status per damaged file"
        )
        cam_files = [
            f
            for f, t in cat.truth.items()
            if t.get("device") == cam.device_id and t.get("bad") is None
        ]
        writer.add_key(
            "03.partner_camera_serial", cam.serial, hint="the body serial seen in most files"
        )
        writer.add_key(
            "03.partner_camera_posters",
            sorted({posted_by[f] for f in cam_files}),
            kind="set",
            hint="posted_by of every file carrying that serial",
        )
        writer.add_key(
            "03.partner_decoy_files",
            sorted(self.decoy_files),
            kind="set",
            hint="same make and model, different serial",
        )
        writer.add_key(
            "03.partner_clock_offset_hours",
            _offset_hours(cam.clock_tz, self.t1["taken_utc"]),
            kind="number",
            decimals=2,
            hint="DateTimeOriginal minus GPS time, rounded to a quarter hour",
        )
        writer.add_key(
            "03.partner_sign_photo_utc",
            utc_iso(self.t2["clock"].replace(tzinfo=ZoneInfo(cam.clock_tz)).astimezone(UTC)),
            kind="time",
            hint="read the camera clock in the zone it was set to",
        )
        writer.add_key(
            "03.partner_stock_latlon",
            self.stock_latlon,
            kind="list",
            hint="signed decimal degrees rounded to 4 places; mind the refs' case",
        )
        writer.add_key(
            "03.partner_reposts",
            sorted(self.hostel_copies),
            kind="set",
            hint="every copy of the hostel photo, the first one included",
        )
        writer.add_key(
            "03.partner_earliest_copy",
            self.hostel_first,
            hint="the copy first seen earliest — not the one that looks best",
        )
        writer.add_key(
            "03.partner_first_seen",
            self.hostel_seen.date().isoformat(),
            hint="YYYY-MM-DD (UTC) of the earliest copy's first appearance",
        )
        writer.add_key("03.partner_edited_file", self.edited_file, hint="the thumbnail tells")
        writer.add_key(
            "03.partner_changed_fields",
            sorted(self.changed_fields),
            kind="set",
            fold=True,
            hint="the field names (the word before the colon) whose text differs",
        )
        writer.add_key(
            "03.partner_letter_claims",
            self.letter_claims,
            kind="mapping",
            fold=True,
            keys="handle",  # field names in any letter case (no meaning in the case)
            hint="each changed field's text as the edited picture shows it",
        )
        writer.add_key("03.partner_sun_elevation", self.sun_elev, kind="number", decimals=1)
        writer.add_key(
            "03.partner_sun_photo_utc",
            self.sun_when.strftime("%H:%M"),
            hint="HH:MM UTC, rounded to the nearest quarter hour",
        )
        writer.add_key(
            "03.partner_training_place",
            self.training_place,
            fold=True,
            hint="read the signs, not the caption: script, a name, a landmark",
        )
        writer.add_key(
            "03.partner_undecodable_file",
            self.undecodable,
            hint="its metadata reads fine; its pixels do not",
        )
