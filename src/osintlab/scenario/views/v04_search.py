"""View: module 04 (advanced search). The pages themselves are part of the offline web
(``web/pages.sqlite``, written by the web view from :mod:`..webcorpus`); this view only records
the exercise's answers as salted keys.

The lesson demonstrates on the front (its site, its WhatsApp number, its company record); the
exercise works on the Bangladeshi partner agency's thread, which the corpus builds for every
seed (its site and documents, its number written in Bengali and Urdu digits, route ads typed
with Arabic code points, its company record).
"""

from __future__ import annotations

import re

from ...search import fold_text, spelling_variants
from ..webcorpus import corpus, phone_forms
from ..webpages import story_pages


def build(world, writer) -> None:
    pages, truth = corpus(world)
    every = pages + story_pages(world)
    agency = world.partner_agency
    forms = phone_forms(agency.phones[0])
    writer.add_key(
        "04.partner_documents",
        sorted(truth["partner_documents"]),
        kind="set",
        hint="documents (not web pages) on the partner's own site",
    )
    writer.add_key(
        "04.partner_phone_pages",
        sorted(p["url"] for p in every if any(f in fold_text(p["text"]) for f in forms)),
        kind="set",
        hint="every page that shows the partner's WhatsApp number, in any script's digits",
    )
    bengali, urdu = re.compile("[\u09e6-\u09ef]"), re.compile("[\u06f0-\u06f9]")
    digit_pages = {}
    for p in every:
        text = p["text"]
        ascii_digits = re.sub("[^0-9]", "", text)
        if any(f in fold_text(text) for f in forms) and agency.phones[0][-10:] not in ascii_digits:
            script = "Bengali" if bengali.search(text) else "Urdu" if urdu.search(text) else None
            if script:
                digit_pages[p["url"]] = script
    if not digit_pages:
        raise ValueError("module 04: no page writes the partner's number in Bengali or Urdu digits")
    writer.add_key(
        "04.partner_digit_pages",
        digit_pages,
        kind="mapping",
        fold=True,
        hint="pages that write the partner's number only in Bengali or Urdu digits -> the script",
    )
    writer.add_key(
        "04.dunki_ads",
        sorted(truth["dunki_ads"]),
        kind="set",
        hint="classified ads that offer irregular routes to Europe",
    )
    variants = [v.lower() for v in spelling_variants("dunki")]
    by_url = {p["url"]: p for p in every}
    writer.add_key(
        "04.script_variant_ads",
        sorted(
            u
            for u in truth["dunki_ads"]
            if not any(v in by_url[u]["text"].lower() for v in variants)
        ),
        kind="set",
        hint="ads in which no spelling variant appears as typed",
    )
    writer.add_key(
        "04.unlicensed_agents",
        sorted(
            a["name"] for a in truth["agencies"] if a["kind"] in ("front", "partner", "borrower")
        ),
        kind="set",
        fold=True,
        hint="advertisers whose licence number is not on the register under their name",
    )
    writer.add_key(
        "04.partner_directors",
        sorted(truth["partner_directors"]),
        kind="set",
        fold=True,
        hint="directors on the partner's company record",
    )
    # 04.partner_first_seen and 04.licence_before_company come from the archive (v03_archive).
