"""The offline web archive: dated snapshots of pages as a crawler kept them (written as WARC
files by the archive view).

Pages change and disappear. The archive holds, for every seed:

- the front's ``/jobs`` ad before and after it was edited (the lesson's thread);
- the partner's ``/vacancies`` page before and after its service charge changed (module 01's
  exercise) and the partner's home page before its licence number appeared, with the job ad
  on which that number was first seen (module 04's exercise);
- a forum post by the front's recruiter that was later deleted (not on the live web);
- the profile pages of renamed accounts under their old handles;
- captures of a few hundred other pages, so that the answers are not the whole archive.

Everything draws from its own random streams (``archive/...``), so other views do not shift.

    >>> from osintlab.scenario import build_world
    >>> snaps, truth = archive_plan(build_world(3))
    >>> len(snaps) > 300, truth["jobs_change"]["url"].endswith("/jobs")
    (True, True)
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from ..reference.platforms import PROFILE_URLS
from . import identifiers as ids
from .webcorpus import FORUM, _profile_page, corpus
from .webpages import _page, story_pages, vacancies_url_of

#: How many ordinary pages the crawler also kept (noise around the case's pages).
BACKGROUND_PAGES = 300


def _at(rng, day) -> datetime:
    """A capture time on ``day`` (a date), at a random second of the UTC day."""
    return datetime.combine(day, time(0, 0), tzinfo=UTC) + timedelta(
        seconds=rng.randrange(2 * 3600, 22 * 3600)
    )


def _day(text: str):
    return datetime.fromisoformat(text[:10]).date()


def _snap(page, when, thread="background", text=None, html=None):
    return {
        "url": page["url"],
        "captured_utc": when,
        "html": html if html is not None else page["html"],
        "text": text if text is not None else page["text"],
        "thread": thread,
    }


def _edited(page, old, new):
    """``page`` with the paragraph ``old`` replaced by ``new`` (an earlier version)."""
    lines = page["text"].split("\n")
    if old not in lines:
        raise ValueError(f"archive plan: {page['url']} has no paragraph {old!r}")
    lines = [new if line == old else line for line in lines]
    lines = [line for line in lines if line]
    return _page(page["url"], page["title"], lines, page["published"], page["language"])


_CACHE: dict[int, tuple[list[dict], dict]] = {}


def archive_plan(world) -> tuple[list[dict], dict]:
    """Every snapshot (url, captured_utc, html, text, thread), oldest first, and the truth
    the exercise keys come from (computed once per seed)."""
    if world.seed not in _CACHE:
        _CACHE.clear()
        _CACHE[world.seed] = _build(world)
    return _CACHE[world.seed]


def _build(world):
    extra, _ = corpus(world)
    live = {p["url"]: p for p in story_pages(world) + extra}
    front, agency = world.front, world.partner_agency
    now = world.now.date()
    snaps: list[dict] = []
    truth: dict = {}

    # 1. The front's jobs ad, edited: the fee went up and "free ticket" came off.
    rng = world.rng("archive/front-jobs")
    jobs = live[f"https://{front.domain}/jobs"]
    old_fee = "Processing fee Rs. 4.5 lakh (can be paid in USDT). Seats limited!"
    lakh = rng.choice(["3", "3.5", "4"])
    before = _edited(
        jobs, old_fee, f"Processing fee Rs. {lakh} lakh only. Visa and air ticket FREE."
    )
    d0 = _day(jobs["published"]) + timedelta(days=rng.randrange(1, 5))
    d1 = d0 + timedelta(days=rng.randrange(12, 25))
    d2 = d1 + timedelta(days=rng.randrange(15, 30))
    d3 = min(now - timedelta(days=2), d2 + timedelta(days=rng.randrange(20, 40)))
    for d, p in ((d0, before), (d1, before), (d2, jobs), (d3, jobs)):
        snaps.append(_snap(p, _at(rng, d), "front_jobs"))
    truth["jobs_change"] = {"url": jobs["url"], "old_line": before["text"].split("\n")[5]}

    # 2. The partner's vacancies page (module 01's exercise): the service charge changed.
    rng = world.rng("archive/partner-vacancies")
    vac = live[vacancies_url_of(agency)]
    cur = "Service charge 3.5 lakh taka (bKash/Nagad accepted, or USDT)."
    old_charge = rng.choice(["2.5", "2.8", "3"])
    old_line = f"Service charge {old_charge} lakh taka, bKash/Nagad accepted."
    vbefore = _edited(vac, cur, old_line)
    caps = []
    d = _day(vac["published"]) + timedelta(days=rng.randrange(1, 4))
    n_old = rng.randrange(2, 4)
    for i in range(n_old + rng.randrange(2, 4)):
        caps.append((_at(rng, d), vbefore if i < n_old else vac))
        d += timedelta(days=rng.randrange(6, 16))
    for when, p in caps:
        snaps.append(_snap(p, when, "partner_vacancies"))
    truth["vacancies"] = {
        "url": vac["url"],
        "old_line": old_line,
        "not_before": caps[n_old - 1][0],
        "changed": caps[n_old][0],
    }

    # 3. The partner's licence number: first seen on a job ad, before or after the company
    #    was incorporated (it varies by seed); the home page was captured earlier without it.
    rng = world.rng("archive/partner-licence")
    lic = agency.claimed_licence_no
    with_lic = sorted(
        (p for p in live.values() if lic in p["text"]), key=lambda p: (p["published"], p["url"])
    )
    ads = [p for p in with_lic if p["site"] == "chakri-bd.example"]
    first_ad = ads[0]
    earliest_pub = _day(with_lic[0]["published"])
    reg = agency.registered_on
    if rng.random() < 0.5 or earliest_pub - reg < timedelta(days=8):
        first_day = reg - timedelta(days=rng.randrange(5, 40))
    else:
        first_day = reg + timedelta(days=rng.randrange(3, (earliest_pub - reg).days - 3))
    first_when = _at(rng, first_day)
    snaps.append(_snap(first_ad, first_when, "partner_licence"))
    home = live[f"https://{agency.domain}/"]
    home_line = home["text"].split("\n")[0]
    early_home = _edited(
        home, home_line, home_line.replace(f"Recruiting licence {lic}.", "Licence applied for.")
    )
    snaps.append(
        _snap(
            early_home,
            _at(rng, first_day - timedelta(days=rng.randrange(5, 20))),
            "partner_licence",
        )
    )
    for p in with_lic:
        if p["url"] == vac["url"]:
            continue  # its own captures (above) tell its story
        d = max(_day(p["published"]), first_day + timedelta(days=1))
        d = min(d + timedelta(days=rng.randrange(0, 6)), now - timedelta(days=1))
        snaps.append(_snap(p, _at(rng, d), "partner_licence"))
    truth["partner_licence"] = {"licence": lic, "url": first_ad["url"], "first": first_when}

    # 4. The front's licence number (the lesson's thread): its pages, captured after they
    #    went up.
    rng = world.rng("archive/front-licence")
    flic = front.claimed_licence_no
    for p in sorted(live.values(), key=lambda p: p["url"]):
        if flic in p["text"] and p["url"] != jobs["url"]:
            d = _day(p["published"]) + timedelta(days=rng.randrange(0, 10))
            d = min(d, now - timedelta(days=1))
            snaps.append(_snap(p, _at(rng, d), "front_licence"))

    # 5. A forum post by the front's recruiter, deleted after the first complaints.
    rng = world.rng("archive/deleted-post")
    rec = world.actor_by_role("recruiter_pk")
    wa = next(p for p in rec.phones if p not in front.phones)
    title = f"Dubai hotel jobs — {front.name} — apply today"
    post = _page(
        f"https://{FORUM}/threads/{rng.randrange(20000, 29999):05d}-dubai-hotel-jobs-apply-today",
        title,
        [
            f"Posted by {rec.alias}",
            "Hotel and office jobs in Dubai and Bangkok. Free visa, no interview.",
            f"Fee can be sent by JazzCash or USDT. WhatsApp {ids.format_phone_local(wa, 'national')}",
        ],
        (world.start + timedelta(days=rng.randrange(5, 20))).isoformat(),
    )
    if post["url"] in live:
        raise ValueError(f"archive plan: the deleted post {post['url']} is on the live web")
    pd0 = _day(post["published"]) + timedelta(days=1)
    for k in range(2):
        snaps.append(_snap(post, _at(rng, pd0 + timedelta(days=9 * k)), "deleted_post"))
    truth["deleted_post"] = post["url"]

    # 6. Renamed accounts: their profile pages under the old handles.
    rng = world.rng("archive/renamed")
    truth["old_profiles"] = {}
    for acc in world.accounts:
        if not acc.handle_history or acc.platform not in PROFILE_URLS:
            continue
        for old, since in acc.handle_history:
            lines = [acc.bio] + [ids.format_phone_local(p, "national") for p in acc.phones]
            page = _profile_page(
                acc.platform, old, acc.display_name, lines, acc.created.isoformat()
            )
            if page["url"] in live:
                continue
            when = _at(rng, max(since, acc.created) + timedelta(days=rng.randrange(1, 10)))
            snaps.append(_snap(page, when, f"renamed:{acc.account_id}"))
            truth["old_profiles"].setdefault(acc.account_id, []).append(old)

    # 7. Background: ordinary pages, captured once or twice, unchanged.
    rng = world.rng("archive/background")
    taken = {s["url"] for s in snaps}
    pool = sorted(u for u in live if u not in taken and live[u]["filetype"] == "html")
    for url in rng.sample(pool, min(BACKGROUND_PAGES, len(pool))):
        p = live[url]
        d = _day(p["published"]) + timedelta(days=rng.randrange(0, 30))
        for _ in range(rng.choice([1, 1, 2])):
            if d < now:
                snaps.append(_snap(p, _at(rng, d)))
            d += timedelta(days=rng.randrange(10, 60))

    last = datetime.combine(now, time(0, 0), tzinfo=UTC)
    late = [s["url"] for s in snaps if s["captured_utc"] >= last]
    if late:
        raise ValueError(f"archive plan: captures after the case was received: {late[:3]}")
    snaps.sort(key=lambda s: (s["captured_utc"], s["url"]))
    return snaps, truth
