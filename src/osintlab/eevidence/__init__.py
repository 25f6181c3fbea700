"""Requesting electronic evidence from service providers abroad (module 05).

What this module does, in the order an investigator needs it:

* :mod:`.providers` — who holds the data: sourced, dated profiles of the real providers
  (Meta, WhatsApp, TikTok, Telegram, Google) and the scenario's fictional exchange, OTC desk
  and ISP; the legal entity to address by user location; identifier forms they accept.
* :mod:`.request` — the request model (preservation, voluntary, emergency, MLA) in the order of
  the model forms, and a validator that names each missing or defective element and checks
  proportionality (completeness, not sufficiency); :func:`plan_requests` gives the sequence of
  requests for a need with a reason per step (preserve -> voluntary non-content -> MLA).
* :mod:`.deadlines` — preservation expiry and reminder dates (90+90, 60+30, ...).
* :mod:`.attribution` — UTC normalisation and correlation of provider IP logs with ISP
  assignment records, with NAT and clock ambiguities reported.
* :mod:`.render` — Markdown, HTML and DOCX output ready to sign; :func:`save_request` puts
  them where you can print them; a checklist table.
* :mod:`.legal` — the legal facts register: every legal fact the course states, with source,
  as-of date and status; :func:`legal_fact`, :func:`cite_facts`, :func:`facts_table`.
* :func:`request_builder` — an ipywidgets form with live validation.

    >>> from osintlab import eevidence
    >>> eevidence.addressee("tiktok", "PK")
    'TikTok Pte. Ltd.'
    >>> eevidence.choose_channel(["content"], "tiktok")
    'preservation'
    >>> [s.channel for s in eevidence.plan_requests(["content"], "tiktok")]
    ['preservation', 'mla']
"""

from __future__ import annotations

from .attribution import STATUSES, AttributionError, correlate, normalise_times
from .deadlines import REGIMES, Deadline, DeadlineError, Regime, preservation_deadline
from .legal import LegalFact, LegalFactError, cite_facts, facts_table, legal_fact, legal_facts
from .providers import (
    CHECKED,
    IDENTIFIER_KINDS,
    PLATFORM_PROVIDER,
    PROVIDERS,
    Fact,
    Provider,
    ProviderError,
    addressee,
    check_identifier,
    provider,
    provider_for_platform,
)
from .render import checklist, save_request, sections, to_docx, to_html, to_markdown
from .request import (
    CATEGORIES,
    DEFECTS,
    KINDS,
    SCOPE,
    Defect,
    Request,
    RequestError,
    Step,
    choose_channel,
    is_official_email,
    offence_as_legal_basis,
    plan_requests,
    validate,
)

__all__ = [
    "STATUSES",
    "AttributionError",
    "correlate",
    "normalise_times",
    "REGIMES",
    "Deadline",
    "DeadlineError",
    "Regime",
    "preservation_deadline",
    "CHECKED",
    "IDENTIFIER_KINDS",
    "PLATFORM_PROVIDER",
    "PROVIDERS",
    "Fact",
    "Provider",
    "ProviderError",
    "addressee",
    "check_identifier",
    "provider",
    "provider_for_platform",
    "checklist",
    "sections",
    "to_docx",
    "to_html",
    "to_markdown",
    "CATEGORIES",
    "DEFECTS",
    "KINDS",
    "Defect",
    "Request",
    "RequestError",
    "choose_channel",
    "validate",
    "request_builder",
    "save_request",
    "SCOPE",
    "Step",
    "plan_requests",
    "is_official_email",
    "offence_as_legal_basis",
    "load_providers",
    "provider_table",
    "LegalFact",
    "LegalFactError",
    "cite_facts",
    "facts_table",
    "legal_fact",
    "legal_facts",
]


def request_builder(*args, **kwargs):
    """An ipywidgets request builder with live validation (see :mod:`.widgets`)."""
    from .widgets import request_builder as _rb

    return _rb(*args, **kwargs)


def load_providers(name: str = "eevidence/providers.json") -> dict:
    """All provider profiles of the scenario (real and fictional) from the datasets, by id."""
    import json

    from .. import data

    raw = json.loads(data.path(name).read_text(encoding="utf-8"))
    return {d["provider_id"]: Provider.from_dict(d) for d in raw["providers"]}


def provider_table(providers: dict | None = None):
    """One row per provider: entity rule, portal, identifiers, preservation, emergency standard
    — each with its source status, for an at-a-glance comparison."""
    import pandas as pd

    pool = providers or PROVIDERS
    rows = []
    for p in pool.values():
        pres = p.preservation.value
        rows.append(
            {
                "provider": p.name,
                "real": p.real,
                "entities": "; ".join(f"{e} ({w})" for e, w in p.entities),
                "portal": p.portal.value,
                "identifiers": ", ".join(p.accepted_identifiers),
                "preservation_days": pres["days"] if pres else None,
                "extension_days": pres.get("extension_days") if pres else None,
                "preservation_status": p.preservation.status,
                "emergency_standard": p.emergency_standard.value,
                "direct_requests": p.direct_requests.value,
                "attach": p.attach.value if p.attach else None,
            }
        )
    return pd.DataFrame(rows)
