"""Pages of the offline web that the scenario's story needs (module 04 adds the wider corpus).

Each page is a plain dict (url, site, title, html, text, filetype, published, language, media),
built from the world so that every module sees the same front, licence register and news.

    >>> from osintlab.scenario import build_world
    >>> pages = story_pages(build_world(3))
    >>> any(p["url"].endswith("/jobs") for p in pages)
    True
"""

from __future__ import annotations

import html as _html
import io
from datetime import timedelta

from ..reference.gazetteer import PLACES
from . import identifiers as ids

REGISTER_SITE = "oep-register.example"  # stands for the Bureau of Emigration's OEP list
BD_REGISTER_SITE = "ra-register.example"  # stands for BMET's recruiting-agency list
NEWS_SITE = "dailykhabar.example"


def front_jobs_url(world) -> str:
    return f"https://{world.front.domain}/jobs"


def vacancies_url_of(org) -> str:
    """The partner's "vacancies abroad" page, which module 01's exercise captures (its ``/jobs``
    page, with the WhatsApp link, belongs to module 04's exercise)."""
    return f"https://{org.domain}/vacancies"


def _page(url, title, paragraphs, published, language="en", media=(), filetype="html"):
    site = url.split("/")[2]
    body = "\n".join(f"<p>{_html.escape(p)}</p>" for p in paragraphs)
    imgs = "\n".join(f'<img src="{_html.escape(m[0])}" alt="{_html.escape(m[3])}">' for m in media)
    html = (
        f'<!DOCTYPE html>\n<html lang="{language}"><head><meta charset="utf-8">'
        f"<title>{_html.escape(title)}</title></head>\n<body>\n<h1>{_html.escape(title)}</h1>"
        f"\n{body}\n{imgs}\n</body></html>\n"
    )
    return {
        "url": url,
        "site": site,
        "title": title,
        "html": html,
        "text": "\n".join(paragraphs),
        "filetype": filetype,
        "published": published,
        "language": language,
        "media": [(u, t, d) for u, t, d, _ in media],
    }


def logo_png(text: str, colour=(25, 80, 140)) -> bytes:
    """A small deterministic logo (PNG) with the organisation's initials."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (240, 80), colour)
    d = ImageDraw.Draw(img)
    initials = "".join(w[0] for w in text.split()[:3]).upper()
    d.ellipse([10, 10, 70, 70], outline="white", width=3)
    d.text((24, 32), initials, fill="white", font=ImageFont.load_default())
    d.text((82, 32), text[:24], fill="white", font=ImageFont.load_default())
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _former_entries(world, country: str) -> list[tuple[str, str, str, str]]:
    """Register entries that are no longer valid (expired, suspended), so that a status has to
    be read: invented agencies with numbers no other organisation uses."""
    rng = world.rng(f"register-status/{country}")
    taken = {o.licence_no for o in world.organisations if o.licence_no}
    taken |= {o.claimed_licence_no for o in world.organisations if o.claimed_licence_no}
    words = ["Saffron", "Indus Gate", "Crescent Moon", "Blue Lotus", "Golden Bay", "Meghna"]
    out = []
    for status in ("expired", "suspended", "expired"):
        while True:
            lic = (
                f"8{rng.randrange(1000, 9999)}/{rng.choice(['LHR', 'RWP', 'ISB'])}"
                if country == "PK"
                else f"RL-8{rng.randrange(100, 999)}"
            )
            if lic not in taken:
                taken.add(lic)
                break
        name = f"{rng.choice(words)} {'Overseas Employment' if country == 'PK' else 'Recruiting Agency'}"
        city = rng.choice(
            ["Lahore", "Rawalpindi", "Gujranwala"]
            if country == "PK"
            else ["Dhaka", "Sylhet", "Comilla"]
        )
        out.append((lic, name, city, status))
    return out


def story_pages(world) -> list[dict]:
    front, agency = world.front, world.partner_agency
    recruiter = world.actor_by_role("recruiter_pk")
    wa = next(p for p in recruiter.phones if p not in front.phones)
    start = world.start
    pages = []
    base = f"https://{front.domain}"
    logo = (f"{base}/static/logo.png", "image/png", logo_png(front.name), f"{front.name} logo")
    licence = front.claimed_licence_no
    pages.append(
        _page(
            f"{base}/",
            f"{front.name} — jobs in Dubai and Bangkok",
            [
                f"Welcome to {front.name}. Government licence No. {licence}.",
                "Jobs in Dubai and Bangkok for young men and women. Visa and air ticket FREE.",
                "No interview, no experience needed. Departure within 2 weeks.",
                f"Call or WhatsApp: {ids.format_phone_local(wa, 'wa')}",
                f"Office: {front.address}",
            ],
            (start - timedelta(days=3)).isoformat(),
            media=[logo],
        )
    )
    pages.append(
        _page(
            f"{base}/jobs",
            f"Current vacancies — {front.name}",
            [
                "URGENT HIRING for Dubai & Bangkok (Thailand).",
                "Data entry operator — salary USD 1,200 per month + accommodation.",
                "Customer support agent (English typing) — USD 1,500 per month.",
                "Hotel receptionist — AED 4,500 per month.",
                "Visit visa provided, work permit after arrival. No interview. Only CNIC and passport.",
                "Processing fee Rs. 4.5 lakh (can be paid in USDT). Seats limited!",
                f"Contact on WhatsApp only: {ids.format_phone_local(wa, 'wa')}",
                f"Licence No. {licence}",
            ],
            (start + timedelta(days=2)).isoformat(),
            media=[logo],
        )
    )
    pages.append(
        _page(
            f"{base}/contact",
            f"Contact — {front.name}",
            [
                f"Address: {front.address}",
                f"Phone: {ids.format_phone_local(front.phones[0], 'national')}",
                f"E-mail: {front.emails[0]}",
                "Office hours 10:00-18:00 (PKT), Monday to Saturday.",
            ],
            (start - timedelta(days=3)).isoformat(),
        )
    )
    agency_logo = (
        f"https://{agency.domain}/img/banner-{agency.org_id.lower()}.png",
        "image/png",
        logo_png(agency.name, colour=(0, 106, 78)),
        f"{agency.name} banner",
    )
    pages.append(
        _page(
            f"https://{agency.domain}/",
            f"{agency.name} — overseas jobs",
            [
                f"{agency.name}, {agency.address}. Recruiting licence {agency.claimed_licence_no}.",
                "Dubai and Thailand jobs — hotel, office, call centre. Free visa. Fee 3.5 lakh taka.",
                f"Phone/IMO/WhatsApp: {ids.format_phone_local(agency.phones[0], 'national')}",
            ],
            (start - timedelta(days=20)).isoformat(),
            media=[agency_logo],
        )
    )
    # The partner's vacancies page: module 01's exercise captures it (the lesson captures the
    # front's home page), so the exercise works on the Bangladeshi thread.
    pages.append(
        _page(
            vacancies_url_of(agency),
            f"Vacancies abroad — {agency.name}",
            [
                "Thailand & Dubai — joining in 15 days. Limited seats.",
                "Call-centre executive (Bangkok) — salary USD 1,300 + free food and hostel.",
                "Hotel housekeeping (Dubai) — AED 3,800 per month.",
                "Free visa and air ticket. No IELTS, no interview. Bring passport and NID.",
                "Service charge 3.5 lakh taka (bKash/Nagad accepted, or USDT).",
                f"Apply on IMO/WhatsApp: {ids.format_phone_local(agency.phones[0], 'national')}",
                f"Recruiting licence {agency.claimed_licence_no}",
            ],
            (start - timedelta(days=6)).isoformat(),
            media=[agency_logo],
        )
    )
    for org in world.licensed_recruiters():
        pages.append(
            _page(
                f"https://{org.domain}/",
                f"{org.name} — licensed overseas employment",
                [
                    f"{org.name}. Licence No. {org.licence_no}, valid. Registered with the Bureau "
                    "since " + org.registered_on.isoformat() + ".",
                    "Current demand letters: construction workers (Saudi Arabia), nurses (Qatar).",
                    "We never ask for fees beyond the officially notified amount. Interviews at our "
                    "office; all fees by bank deposit with receipt.",
                    f"{org.address}. Tel {ids.format_phone_local(org.phones[0], 'national')}",
                ],
                org.registered_on.isoformat(),
            )
        )
    pk = [o for o in world.licensed_recruiters() if o.country == "PK"]
    bd = [o for o in world.licensed_recruiters() if o.country == "BD"]
    pages.append(
        _page(
            f"https://{REGISTER_SITE}/licensed-promoters",
            "Register of licensed Overseas Employment Promoters (training copy)",
            ["Synthetic training copy of a licence register. Licence number | name | city | status"]
            + [
                f"{lic} | {name} | {city} | {status}"
                for lic, name, city, status in sorted(
                    [(o.licence_no, o.name, PLACES[o.place].name, "valid") for o in pk]
                    + _former_entries(world, "PK")
                )
            ],
            (world.now - timedelta(days=10)).date().isoformat(),
        )
    )
    pages.append(
        _page(
            f"https://{BD_REGISTER_SITE}/recruiting-agencies",
            "List of licensed recruiting agencies (training copy)",
            [
                "Synthetic training copy of a recruiting-agency list. RL number | name | city | status"
            ]
            + [
                f"{lic} | {name} | {city} | {status}"
                for lic, name, city, status in sorted(
                    [(o.licence_no, o.name, PLACES[o.place].name, "valid") for o in bd]
                    + _former_entries(world, "BD")
                    # The partner's number is on the list, but cancelled: listed is not licensed.
                    + [
                        (
                            agency.claimed_licence_no,
                            agency.name,
                            PLACES[agency.place].name,
                            "cancelled",
                        )
                    ]
                )
            ],
            (world.now - timedelta(days=12)).date().isoformat(),
        )
    )
    pages.append(
        _page(
            f"https://{NEWS_SITE}/2026/fake-job-offers-warning",
            "Families warned about 'free visa' jobs in Dubai and Thailand",
            [
                "Officials urged job seekers to check a recruiter's licence on the official register "
                "before paying any fee.",
                "An advert circulating on social media promises 'data entry' jobs in Bangkok with a "
                "free visa and no interview, against a processing fee of several lakh rupees.",
                "Parents in Gujranwala and Sialkot say they have lost contact with their sons after "
                "they travelled on visit visas via Dubai.",
            ],
            (world.now - timedelta(days=15)).date().isoformat(),
        )
    )
    return pages
