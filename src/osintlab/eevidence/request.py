"""A request to a service provider, and the validation that names every missing element.

Four kinds (UNODC/CTED/IAP *Practical Guide*; Budapest Convention Arts. 29-31; T-CY templates):

* ``preservation`` — "do not delete": a snapshot kept while formal process is prepared; must
  say that a formal request (MLA or production) will follow (Budapest Art. 29(2)(f));
* ``voluntary`` — direct request to a foreign provider for non-content data under its policy;
* ``emergency`` — imminent risk of death or serious physical injury; must explain it;
* ``mla`` — state-to-state mutual legal assistance, needed for content from most providers.

    >>> r = Request(kind="preservation", provider="tiktok")
    >>> sorted({d.field for d in r.validate()})[:4]
    ['addressee', 'authority', 'case_ref', 'contact_email']
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime

from ..timeutil import TimeZoneError, parse_timestamp, resolve_zone, to_utc, utc_iso
from .providers import (CON, IDN, PROVIDERS, SUB, TRA, Provider, ProviderError,
                        check_identifier, provider)

__all__ = ["Request", "Defect", "KINDS", "CATEGORIES", "DEFECTS", "validate", "choose_channel",
           "RequestError", "FREEMAIL_DOMAINS"]

KINDS = ("preservation", "voluntary", "emergency", "mla")
CATEGORIES = (SUB, IDN, TRA, CON)

#: Every defect the validator can report: code -> (field, what the element is for).
DEFECTS = {
    "provider_unknown": ("provider", "the provider must be one the request can be routed to"),
    "addressee_missing": ("addressee", "the legal entity that holds the data"),
    "addressee_wrong": ("addressee", "the provider's entity for the user's location"),
    "user_country_missing": ("user_country", "where the user is believed to be (decides the "
                                             "entity)"),
    "authority_missing": ("authority", "requesting authority (agency and unit)"),
    "officer_missing": ("officer", "name and rank/badge of the requesting officer"),
    "contact_email_missing": ("contact_email", "an official e-mail for the reply"),
    "contact_email_not_official": ("contact_email", "providers authenticate requesters by an "
                                                    "official (government) domain"),
    "contact_phone_missing": ("contact_phone", "a direct phone number"),
    "timezone_missing": ("timezone", "the requester's time zone (T-CY templates ask for it)"),
    "timezone_invalid": ("timezone", "a resolvable, unambiguous time zone"),
    "case_ref_missing": ("case_ref", "the case reference"),
    "offence_missing": ("offence", "the offence under investigation"),
    "facts_missing": ("facts", "a brief summary of the facts (Budapest Art. 29(2)(b))"),
    "identifier_missing": ("identifiers", "the account, number or address, with particularity"),
    "identifier_not_accepted": ("identifiers", "an identifier in a form the provider accepts"),
    "identifier_malformed": ("identifiers", "a well-formed identifier"),
    "data_missing": ("data", "the data categories sought"),
    "data_category_unknown": ("data", "categories: subscriber, identification, traffic, "
                                      "content"),
    "content_needs_mla": ("data", "content from a foreign provider needs MLA (or a warrant-"
                                  "level process), not a voluntary request"),
    "data_not_available": ("data", "data the provider says it cannot produce"),
    "date_range_missing": ("date_from", "the period of interest"),
    "date_range_no_offset": ("date_from", "dates with a UTC offset (prefer UTC, ISO 8601)"),
    "date_range_impossible": ("date_to", "the period must end after it starts and not in the "
                                         "future"),
    "link_missing": ("link_to_offence", "how the data relates to the offence "
                                        "(Budapest Art. 29(2)(c))"),
    "necessity_missing": ("necessity", "why the data is needed / preservation is necessary "
                                       "(Art. 29(2)(e))"),
    "legal_basis_missing": ("legal_basis", "the domestic legal basis"),
    "emergency_justification_missing": ("emergency_justification", "the imminent risk of "
                                        "death or serious physical injury, and why this data "
                                        "helps now"),
    "follow_up_missing": ("formal_request_will_follow", "a preservation request must state "
                                                        "that a formal request will follow "
                                                        "(Art. 29(2)(f))"),
}

#: Free-mail domains of the scenario plus real ones a careless officer might use.
FREEMAIL_DOMAINS = {"mailbox.example", "postbox.example", "inbox.example", "gmail.com",
                    "yahoo.com", "hotmail.com", "outlook.com"}
_OFFICIAL = re.compile(r"(gov|police|fia|nccia|ministry|court|prosecut)", re.I)


class RequestError(ValueError):
    """A request field has a value of the wrong type or an unknown option."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Defect:
    code: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message} [{self.code}]"


@dataclass
class Request:
    """One request to one provider. Build it, :meth:`validate` it, then render it.

    ``identifiers`` is a list of ``(kind, value)`` pairs (kinds: ``user_id``, ``username``,
    ``url``, ``email``, ``phone``, ``wallet``, ``ip_port_time``, ``subscriber_id``; a
    ``display_name`` is never enough). ``date_from``/``date_to`` are ISO 8601 with an offset.
    """
    kind: str
    provider: str
    addressee: str = ""
    user_country: str = ""
    authority: str = ""
    officer: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    timezone: str = ""
    case_ref: str = ""
    offence: str = ""
    facts: str = ""
    identifiers: list = field(default_factory=list)
    data: list = field(default_factory=list)
    date_from: str = ""
    date_to: str = ""
    link_to_offence: str = ""
    necessity: str = ""
    legal_basis: str = ""
    emergency_justification: str = ""
    formal_request_will_follow: bool = False
    request_id: str = ""
    created_utc: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise RequestError(f"kind {self.kind!r} is not one of {', '.join(KINDS)}", "kind")
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name in ("identifiers", "data"):
                if not isinstance(v, (list, tuple)):
                    raise RequestError(f"{f.name} must be a list, not {type(v).__name__}", f.name)
            elif f.name == "formal_request_will_follow":
                if not isinstance(v, bool):
                    raise RequestError(f"{f.name} must be True or False", f.name)
            elif not isinstance(v, str):
                raise RequestError(f"{f.name} must be text, not {type(v).__name__}", f.name)
        self.identifiers = [tuple(i) if isinstance(i, (list, tuple)) else i
                            for i in self.identifiers]
        for i in self.identifiers:
            if not (isinstance(i, tuple) and len(i) == 2):
                raise RequestError(f"identifier {i!r} must be a (kind, value) pair",
                                   "identifiers")
        self.data = list(self.data)

    # -- conversion --------------------------------------------------------------------------
    def as_dict(self) -> dict:
        d = asdict(self)
        d["identifiers"] = [list(i) for i in self.identifiers]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Request":
        """Build a request from a dict (e.g. a draft loaded from JSON); unknown keys raise."""
        if not isinstance(d, dict):
            raise RequestError(f"a request must be a dict, not {type(d).__name__}", "request")
        names = {f.name for f in fields(cls)}
        extra = set(d) - names
        if extra:
            raise RequestError(f"unknown request field(s) {sorted(extra)}", sorted(extra)[0])
        if "kind" not in d or "provider" not in d:
            raise RequestError("a request needs at least 'kind' and 'provider'",
                               "kind" if "kind" not in d else "provider")
        return cls(**d)

    # -- validation ----------------------------------------------------------------------------
    def validate(self, providers: dict | None = None, now: datetime | None = None) -> list[Defect]:
        """Every missing or defective element, as :class:`Defect` (empty list = complete)."""
        return validate(self, providers, now)

    def defect_codes(self, providers: dict | None = None, now=None) -> list[str]:
        return sorted({d.code for d in self.validate(providers, now)})

    @property
    def is_valid(self) -> bool:
        return not self.validate()


def _d(code: str, detail: str = "") -> Defect:
    field_name, what = DEFECTS[code]
    return Defect(code, field_name, what + (f" — {detail}" if detail else ""))


def _blank(text: str, minimum: int = 1) -> bool:
    return len((text or "").strip()) < minimum


def validate(req: Request, providers: dict | None = None,
             now: datetime | None = None) -> list[Defect]:
    """Check ``req`` against the elements a provider or central authority needs.

    ``providers`` adds profiles (e.g. the scenario's fictional ones) to the built-in real ones;
    ``now`` (aware) lets a range end in the future be caught.
    """
    pool = dict(PROVIDERS)
    if providers:
        pool.update(providers if isinstance(providers, dict) else
                    {p.provider_id: p for p in providers})
    out: list[Defect] = []
    prov: Provider | None
    try:
        prov = provider(req.provider, pool)
    except ProviderError as e:
        prov = None
        out.append(_d("provider_unknown", str(e)))
    # addressee
    if _blank(req.user_country):
        out.append(_d("user_country_missing"))
    if _blank(req.addressee):
        out.append(_d("addressee_missing"))
    elif prov is not None and not _blank(req.user_country):
        try:
            right = prov.addressee(req.user_country)
        except ProviderError as e:
            out.append(Defect("user_country_missing", "user_country", str(e)))
        else:
            if req.addressee.strip().casefold() != right.casefold():
                out.append(_d("addressee_wrong", f"{req.addressee!r} does not answer for users "
                                                 f"in {req.user_country.upper()}"))
    # requester
    if _blank(req.authority, 3):
        out.append(_d("authority_missing"))
    if _blank(req.officer, 3):
        out.append(_d("officer_missing"))
    if _blank(req.contact_email):
        out.append(_d("contact_email_missing"))
    else:
        dom = req.contact_email.strip().rsplit("@", 1)[-1].lower()
        if "@" not in req.contact_email or dom in FREEMAIL_DOMAINS or not _OFFICIAL.search(dom):
            out.append(_d("contact_email_not_official", f"{req.contact_email!r}"))
    if _blank(req.contact_phone, 6):
        out.append(_d("contact_phone_missing"))
    if _blank(req.timezone):
        out.append(_d("timezone_missing"))
    else:
        try:
            resolve_zone(req.timezone)
        except TimeZoneError as e:
            out.append(_d("timezone_invalid", str(e)))
    if _blank(req.case_ref, 3):
        out.append(_d("case_ref_missing"))
    if _blank(req.offence, 5):
        out.append(_d("offence_missing"))
    if _blank(req.facts, 40):
        out.append(_d("facts_missing", "at least a few sentences" if req.facts else ""))
    # particularity
    if not req.identifiers:
        out.append(_d("identifier_missing"))
    elif prov is not None:
        for kind, value in req.identifiers:
            problem = check_identifier(prov, kind, value, pool)
            if problem:
                code = "identifier_not_accepted" if ("does not accept" in problem or
                                                     "unknown" in problem) \
                    else "identifier_malformed"
                out.append(_d(code, problem))
    # data
    cats = [str(c).strip().lower() for c in req.data]
    if not cats:
        out.append(_d("data_missing"))
    bad = [c for c in cats if c not in CATEGORIES]
    if bad:
        out.append(_d("data_category_unknown", ", ".join(map(repr, bad))))
    if prov is not None and cats:
        if CON in cats and req.kind == "voluntary" and prov.real:
            out.append(_d("content_needs_mla", prov.content_route.value))
        for c in cats:
            if c in prov.unavailable:
                out.append(_d("data_not_available", f"{prov.name}: "
                                                    f"{prov.cannot_produce.value}"))
    # period
    out += _check_period(req, now)
    # grounds
    if _blank(req.link_to_offence, 20):
        out.append(_d("link_missing"))
    if _blank(req.necessity, 20):
        out.append(_d("necessity_missing"))
    if _blank(req.legal_basis, 5):
        out.append(_d("legal_basis_missing"))
    if req.kind == "emergency":
        text = req.emergency_justification or ""
        if _blank(text, 60) or not re.search(r"(death|kill|injur|harm|life|danger)", text, re.I):
            out.append(_d("emergency_justification_missing"))
    if req.kind == "preservation" and not req.formal_request_will_follow:
        out.append(_d("follow_up_missing"))
    return out


def _check_period(req: Request, now: datetime | None) -> list[Defect]:
    if _blank(req.date_from) or _blank(req.date_to):
        return [_d("date_range_missing")]
    out, moments = [], []
    for name in ("date_from", "date_to"):
        value = getattr(req, name)
        try:
            moment = parse_timestamp(value)
        except TimeZoneError as e:
            out.append(Defect("date_range_no_offset", name, f"{name}: {e}"))
            continue
        if moment.tzinfo is None or moment.utcoffset() is None:
            out.append(Defect("date_range_no_offset", name,
                              f"{name} {value!r} has no UTC offset; write e.g. "
                              f"'{value}+05:00' or convert to UTC ('...Z')"))
            continue
        moments.append(to_utc(moment))
    if len(moments) == 2:
        start, end = moments
        if end <= start:
            out.append(_d("date_range_impossible", f"{utc_iso(start)} to {utc_iso(end)}"))
        elif now is not None and end > to_utc(now):
            out.append(_d("date_range_impossible", f"ends {utc_iso(end)}, after the request "
                                                   f"date {utc_iso(to_utc(now))}"))
    return out


def choose_channel(categories, provider_id, *, risk_to_life: bool = False,
                   deletion_risk: bool = False, already_preserved: bool = False,
                   requesting_country: str = "PK", providers: dict | None = None) -> str:
    """The first channel to use, by the course's routing rules (in this order):

    1. a life at imminent risk -> ``emergency``;
    2. a provider in the requesting country -> ``domestic`` (a domestic order, not a cross-border channel);
    3. data that may disappear and is not yet preserved -> ``preservation`` first;
    4. content, or a provider without a direct channel -> ``mla``;
    5. otherwise (non-content, provider accepts direct requests) -> ``voluntary``.

    >>> choose_channel(["subscriber"], "tiktok")
    'voluntary'
    >>> choose_channel(["content"], "meta")
    'mla'
    >>> choose_channel(["subscriber"], "meta", deletion_risk=True)
    'preservation'
    """
    pool = dict(PROVIDERS)
    if providers:
        pool.update(providers if isinstance(providers, dict) else
                    {p.provider_id: p for p in providers})
    prov = provider(provider_id, pool)
    if isinstance(categories, str):
        categories = [categories]
    cats = [str(c).strip().lower() for c in categories]
    if not cats:
        raise RequestError("categories is empty: say which data is needed", "categories")
    bad = [c for c in cats if c not in CATEGORIES]
    if bad:
        raise RequestError(f"unknown data categor{'y' if len(bad) == 1 else 'ies'} "
                           f"{', '.join(map(repr, bad))}; use {', '.join(CATEGORIES)}",
                           "categories")
    for name, v in (("risk_to_life", risk_to_life), ("deletion_risk", deletion_risk),
                    ("already_preserved", already_preserved)):
        if not isinstance(v, bool):
            raise RequestError(f"{name} must be True or False, not {v!r}", name)
    if risk_to_life:
        return "emergency"
    if prov.country == str(requesting_country).upper():
        return "domestic"
    if deletion_risk and not already_preserved:
        return "preservation"
    if CON in cats or not prov.direct_requests.value:
        return "mla"
    return "voluntary"
