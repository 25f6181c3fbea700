"""Telegram-style links for module 02, drawn from their own random stream (``social/invites``)
so that nothing else in the scenario shifts: private invite links (``/+code``, and the older
``/joinchat/code`` form) that the front and the Bangladeshi partner post under their ads, and a
public directory of Paigham channels and groups on the offline web (like the catalogues that
list Telegram channels, private ones by their invite link).

Lesson thread: the front's own private groups (a current invite and an expired legacy one) and
its public channel. Exercise thread: the partner's network (its page and the Bangladeshi
recruiter's account) with its own current and legacy invites, and a look-alike listing that
copies the partner group's title under another code (match by code, never by title).

    >>> from osintlab.scenario.world import build_world
    >>> p = plan(build_world(3))
    >>> sorted(p["partner"]), p["partner"]["current"] != p["decoy"]["code"]
    (['current', 'legacy', 'title'], True)
"""

from __future__ import annotations

from datetime import timedelta

from .webpages import _page

DIRECTORY_SITE = "paigham-catalog.example"
DIRECTORY_URL = f"https://{DIRECTORY_SITE}/category/jobs-abroad"
LINK_BASE = "https://paigham.example"

_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_CHARS = _LETTERS + "23456789_-"

#: Background listings: title, kind, language (public ones get an invented name).
BACKGROUND = [
    ("Gulf Jobs Daily", "channel", "en"),
    ("Dubai Naukri Alerts", "channel", "ur-Latn"),
    ("Saudi Visa Updates", "channel", "ur"),
    ("Qatar Driver Jobs", "group", "en"),
    ("প্রবাসী চাকরির খবর", "channel", "bn"),
    ("Malaysia Kaaj BD", "group", "bn"),
    ("Overseas Jobs Punjab", "group", "ur-Latn"),
    ("Kuwait Hotel Jobs", "private group", "en"),
    ("Oman Labour Market News", "channel", "en"),
    ("Sylhet Probashi Forum", "private group", "bn"),
    ("Lahore Skilled Workers", "private channel", "ur-Latn"),
    ("Romania Work Permit Info", "channel", "en"),
]


def _code(rng, n=16) -> str:
    """An invite code: letters, a few digits, '_' and '-' (never three digits in a row, so
    that no part of it reads as a phone number or an amount)."""
    while True:
        c = rng.choice(_LETTERS) + "".join(rng.choice(_CHARS) for _ in range(n - 1))
        if not any(c[i : i + 3].isdigit() for i in range(len(c) - 2)):
            return c


def _legacy(rng) -> str:
    return "AAAAA" + _code(rng, 17)


def link(code: str, legacy: bool = False) -> str:
    return f"{LINK_BASE}/joinchat/{code}" if legacy else f"{LINK_BASE}/+{code}"


def plan(world) -> dict:
    """The invite codes, titles and the switch day (posts before it carry the legacy link)."""
    rng = world.rng("social/invites")
    front, agency = world.front, world.partner_agency
    span = (world.now.date() - world.start).days
    out = {
        "front": {
            "current": _code(rng),
            "legacy": _legacy(rng),
            "title": f"{front.name} — Selected Candidates",
        },
        "partner": {
            "current": _code(rng),
            "legacy": _legacy(rng),
            "title": f"{agency.name} Thailand Jobs থাইল্যান্ড",
        },
    }
    out["decoy"] = {"code": _code(rng), "title": out["partner"]["title"]}
    out["switch"] = {
        "front": world.start + timedelta(days=rng.randrange(span // 4, span // 2)),
        "partner": world.start + timedelta(days=rng.randrange(span // 4, span // 2)),
    }
    out["_rng"] = rng
    return out


PHRASES = {
    "en": [" Selected candidates join our private group: {link}", " Private group: {link}"],
    "ur-Latn": [" Selected candidates private group join karein: {link}"],
    "ur": [" پرائیویٹ گروپ: {link}"],
    "bn": [" প্রাইভেট গ্রুপে যোগ দিন: {link}", " গ্রুপ লিংক: {link}"],
}


def add_links(g) -> None:
    """After the export is complete (ids given, order fixed): append the invite links to some
    of the front's and the partner network's ads (text only: no id or order shifts)."""
    w = g.w
    p = plan(w)
    rng = p["_rng"]
    bd = w.actor_by_role("recruiter_bd")
    owners = {
        "front": {a.account_id for a in w.accounts if a.owner == w.front.org_id},
        "partner": {
            a.account_id for a in w.accounts if a.owner in (w.partner_agency.org_id, bd.actor_id)
        },
    }
    truth = {"front": {}, "partner": {}}
    for side, ids_ in owners.items():
        ads = [q for q in g.posts if q["account_id"] in ids_ and q["_label"] == "recruitment_fraud"]
        switch = p["switch"][side]
        old = [q for q in ads if q["posted_utc"].date() < switch]
        new = [q for q in ads if q["posted_utc"].date() >= switch]
        picks = rng.sample(old, min(len(old), rng.randrange(2, 4))) + rng.sample(
            new, min(len(new), rng.randrange(4, 7))
        )
        for q in picks:
            legacy = q["posted_utc"].date() < switch
            code = p[side]["legacy" if legacy else "current"]
            phrase = rng.choice(PHRASES.get(q["language"], PHRASES["en"]))
            q["text"] += phrase.format(link=link(code, legacy))
            truth[side].setdefault(code, []).append(q["post_id"])
    g.truth["invites"] = {k: {c: sorted(v) for c, v in d.items()} for k, d in truth.items()}


def _name(rng, title: str) -> str:
    words = [c for c in title.lower().replace("—", " ").split() if c.isascii() and c.isalpha()]
    return ("".join(words[:3]) or "probashi")[:24] + rng.choice(["", "_pk", "_bd", "24", "_info"])


def directory_entries(world) -> list[dict]:
    """The directory's listings (one per line on its page), in listing order."""
    p = plan(world)
    rng = world.rng("web/paigham-directory")
    now = world.now.date()

    def day(lo, hi):
        return (now - timedelta(days=rng.randrange(lo, hi))).isoformat()

    channel = next(
        a for a in world.accounts if a.owner == world.front.org_id and a.platform == "paigham"
    )
    smug = world.actor_by_role("smuggler")
    smug_channel = next(
        a
        for a in world.accounts
        if a.owner == smug.actor_id and a.platform == "paigham" and a.kind == "channel"
    )
    sw = {k: (now - v).days for k, v in p["switch"].items()}
    rows = [
        (channel.display_name, "channel", f"{LINK_BASE}/{channel.handle}", "ur-Latn",
         rng.randrange(4000, 20000), day(60, 200), "active"),
        (p["front"]["title"], "private group", link(p["front"]["current"]), "ur-Latn",
         rng.randrange(600, 2500), day(max(2, sw["front"] - 10), sw["front"] + 1), "active"),
        (f"{world.front.name} Candidates", "private group", link(p["front"]["legacy"], True),
         "ur-Latn", rng.randrange(200, 900), day(sw["front"] + 20, sw["front"] + 200),
         "link expired"),
        (p["partner"]["title"], "private group", link(p["partner"]["current"]), "bn",
         rng.randrange(500, 2500), day(max(2, sw["partner"] - 10), sw["partner"] + 1), "active"),
        (f"{world.partner_agency.name} Job Group", "private group",
         link(p["partner"]["legacy"], True), "bn", rng.randrange(150, 800),
         day(sw["partner"] + 20, sw["partner"] + 200), "link expired"),
        (p["decoy"]["title"], "private group", link(p["decoy"]["code"]), "bn",
         rng.randrange(20, 400), day(2, 40), "active"),
        (smug_channel.display_name, "channel", f"{LINK_BASE}/{smug_channel.handle}", "ur-Latn",
         rng.randrange(2000, 15000), day(30, 300), "active"),
    ]  # fmt: skip
    taken = {a.handle.lower() for a in world.accounts + world.public_users}
    for title, kind, lang in BACKGROUND:
        if kind.startswith("private"):
            url = link(_code(rng))
        else:
            name = _name(rng, title)
            while name in taken:
                name += rng.choice("xyz")
            taken.add(name)
            url = f"{LINK_BASE}/{name}"
        rows.append(
            (title, kind, url, lang, rng.randrange(300, 60000), day(20, 700),
             "link expired" if kind.startswith("private") and rng.random() < 0.4 else "active")
        )  # fmt: skip
    rng.shuffle(rows)
    return [
        {
            "listing": f"PD-{i:04d}",
            "title": t,
            "kind": k,
            "link": u,
            "members": m,
            "language": lang,
            "listed": listed,
            "status": st,
        }
        for i, (t, k, u, lang, m, listed, st) in enumerate(rows, start=rng.randrange(100, 900))
    ]


def directory_pages(world) -> list[dict]:
    """The directory's "Jobs abroad" page on the offline web."""
    entries = directory_entries(world)
    lines = [
        "Paigham Catalog: an unofficial directory of Paigham channels and groups, compiled from "
        "links its users submit. Private groups are listed by their invite link. Member counts "
        "are as the catalogue last saw them.",
        "Category: Jobs abroad",
        "listing | title | kind | link | members | language | listed | status",
    ]
    for e in entries:
        lines.append(
            " | ".join(
                [e["listing"], e["title"], e["kind"], e["link"], f"{e['members']:,}",
                 e["language"], e["listed"], e["status"]]
            )
        )  # fmt: skip
    lines.append("Synthetic training page: every channel, group and link here is invented.")
    return [
        _page(
            DIRECTORY_URL,
            "Jobs abroad — Paigham Catalog",
            lines,
            world.now.date().isoformat(),
        )
    ]
