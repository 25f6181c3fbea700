"""View: module 04 (advanced search). The pages themselves are part of the offline web
(``web/pages.sqlite``, written by the web view from :mod:`..webcorpus`); this view only records
the exercise's answers as salted keys.
"""
from __future__ import annotations

from ..webcorpus import corpus, phone_forms
from ..webpages import story_pages


def build(world, writer) -> None:
    pages, truth = corpus(world)
    every = pages + story_pages(world)
    front = world.front
    wa = truth["wa_number"]
    forms = phone_forms(wa)
    writer.add_key("04.front_documents", sorted(truth["front_documents"]), kind="set",
                   hint="documents (not web pages) on the front's own site")
    writer.add_key("04.phone_pages", sorted(p["url"] for p in every
                                            if any(f in p["text"] for f in forms)),
                   kind="set", hint="every page that shows the WhatsApp number, in any format")
    writer.add_key("04.dunki_ads", sorted(truth["dunki_ads"]), kind="set",
                   hint="classified ads that offer irregular routes to Europe")
    writer.add_key("04.unlicensed_agents",
                   sorted(a["name"] for a in truth["agencies"]
                          if a["kind"] in ("front", "partner", "borrower")),
                   kind="set", fold=True,
                   hint="advertisers whose licence number is not on the register under their name")
    writer.add_key("04.front_directors", sorted(truth["front_directors"]), kind="set", fold=True,
                   hint="directors on the front's company record")
    writer.add_key("04.recruiter_accounts", sorted(truth["enumeration_mine"]), kind="set",
                   hint="candidate profiles that show the WhatsApp number")
    lic = front.claimed_licence_no
    writer.add_key("04.first_seen", min(p["published"] for p in every if lic in p["text"]),
                   form="date", hint="earliest publication date of a page with the front's licence number")
    writer.add_key("04.first_seen_handle", truth["recruiter_handle"], form="handle",
                   hint="the handle that posted the earliest page")
