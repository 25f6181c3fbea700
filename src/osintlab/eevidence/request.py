"""A request to a service provider, and the validation that names every missing element.

The requester is a Pakistani or Bangladeshi authority. Four kinds, in the order a case usually
needs them (UNODC SHERLOC model forms: preservation, voluntary disclosure, emergency
disclosure; model MLA requests):

* ``preservation`` — "do not delete": the provider keeps a snapshot under its own *voluntary*
  policy while formal process is prepared (18 U.S.C. § 2703(f) binds only on a US governmental
  entity's request); it states that a formal request will follow;
* ``voluntary`` — a direct request to a foreign provider for non-content data, which US law
  permits it to disclose to a foreign authority (§ 2702(c)(6)) and its policy decides, with the
  domestic legal process attached;
* ``emergency`` — imminent risk of death or serious physical injury; expect non-content only;
* ``mla`` — state-to-state mutual legal assistance (Pakistan: MLA (Criminal Matters) Act 2020;
  Bangladesh: Mutual Assistance in Criminal Matters Act 2012; UNTOC Art. 18 where the offence is
  covered (Art. 3)), needed for content.

What an investigator does -> which function: plan the sequence of requests for a need ->
:func:`plan_requests` (its first step: :func:`choose_channel`); build a request ->
:class:`Request`; check it before signing -> :func:`validate`.

``validate`` checks **completeness and a few proportionality limits, not sufficiency**: a
request with no defects can still be refused, and only you can judge whether the facts justify
it. The legal facts behind each rule are in the register (:mod:`.legal`).

    >>> r = Request(kind="preservation", provider="tiktok")
    >>> sorted({d.field for d in r.validate()})[:4]
    ['addressee', 'authority', 'case_ref', 'contact_24_7']
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime

from ..timeutil import TimeZoneError, parse_timestamp, resolve_zone, to_utc, utc_iso
from .providers import (
    CON,
    IDN,
    PROVIDERS,
    SUB,
    TRA,
    Provider,
    ProviderError,
    check_identifier,
    provider,
)

__all__ = [
    "is_official_email",
    "offence_as_legal_basis",
    "Request",
    "Defect",
    "KINDS",
    "CATEGORIES",
    "DEFECTS",
    "validate",
    "choose_channel",
    "plan_requests",
    "Step",
    "RequestError",
    "FREEMAIL_DOMAINS",
    "SCOPE",
    "LIMITS",
]

#: What the validator does and does not do (shown to trainees with every check).
SCOPE = (
    "validate() checks that every element is present and well formed, and a few "
    "proportionality limits; it does not check that the facts justify the request, that "
    "the legal basis is right for your case, or that the provider will answer."
)

#: Proportionality limits on the period of a request, in days.
LIMITS = {"emergency": 7, "content": 366, "any": 731}

KINDS = ("preservation", "voluntary", "emergency", "mla")
CATEGORIES = (SUB, IDN, TRA, CON)

#: Every defect the validator can report: code -> (field, what the element is for).
DEFECTS = {
    "provider_unknown": ("provider", "the provider must be one the request can be routed to"),
    "addressee_missing": ("addressee", "the legal entity that holds the data"),
    "addressee_wrong": ("addressee", "the provider's entity for the user's location"),
    "user_country_missing": (
        "user_country",
        "where the user is believed to be (decides the entity)",
    ),
    "authority_missing": ("authority", "requesting authority (agency and unit)"),
    "officer_missing": ("officer", "name and rank/badge of the requesting officer"),
    "contact_email_missing": ("contact_email", "an official e-mail for the reply"),
    "contact_email_not_official": (
        "contact_email",
        "providers authenticate requesters by an official (government) domain",
    ),
    "contact_phone_missing": ("contact_phone", "a direct phone number"),
    "timezone_missing": ("timezone", "the requester's time zone (T-CY templates ask for it)"),
    "timezone_invalid": ("timezone", "a resolvable, unambiguous time zone"),
    "case_ref_missing": ("case_ref", "the case reference"),
    "offence_missing": ("offence", "the offence under investigation"),
    "facts_missing": ("facts", "a brief summary of the facts"),
    "identifier_missing": ("identifiers", "the account, number or address, with particularity"),
    "identifier_not_accepted": ("identifiers", "an identifier in a form the provider accepts"),
    "identifier_malformed": ("identifiers", "a well-formed identifier"),
    "data_missing": ("data", "the data categories sought"),
    "data_items_missing": (
        "data_items",
        "the specific data items, e.g. 'IP address and source "
        "port of the login at <UTC time>', not only categories "
        "(providers refuse vague or overly broad requests)",
    ),
    "data_category_unknown": ("data", "categories: subscriber, identification, traffic, content"),
    "content_needs_mla": (
        "data",
        "content from a foreign provider needs mutual legal "
        "assistance (for US providers a US warrant obtained through "
        "the US Department of Justice), not a voluntary request",
    ),
    "content_in_emergency": (
        "data",
        "an emergency request from a foreign authority usually "
        "yields non-content only (18 U.S.C. § 2702(b)(8) names US "
        "bodies): ask for the minimum non-content that resolves "
        "the emergency",
    ),
    "data_not_available": ("data", "data the provider says it cannot produce"),
    "no_direct_channel": (
        "kind",
        "the provider takes no direct requests from foreign "
        "authorities: go through mutual legal assistance",
    ),
    "date_range_missing": ("date_from", "the period of interest"),
    "date_range_no_offset": ("date_from", "dates with a UTC offset (prefer UTC, ISO 8601)"),
    "date_range_impossible": (
        "date_to",
        "the period must end after it starts and not in the future",
    ),
    "period_too_long": (
        "date_from",
        "the period must fit the purpose (proportionality): an "
        f"emergency request covers at most {LIMITS['emergency']} "
        "days, content at most a year, anything else at most two "
        "years",
    ),
    "link_missing": ("link_to_offence", "how the data relates to the offence"),
    "necessity_missing": ("necessity", "why the data is needed / preservation is necessary"),
    "legal_basis_missing": ("legal_basis", "the domestic legal basis"),
    "legal_basis_no_power": (
        "legal_basis",
        "the provision that gives you the power to ask (e.g. "
        "'PECA 2016 s. 31', 'MLA (Criminal Matters) Act "
        "2020 s. 7'), not the offence (a trafficking or smuggling Act, "
        "PECA's offence sections): that goes in 'offence'",
    ),
    "legal_process_missing": (
        "legal_process",
        "the domestic legal process attached (court "
        "order, warrant or notice, with its date) — "
        "providers ask for it",
    ),
    "non_disclosure_missing": (
        "non_disclosure",
        "a request not to notify the user (Google and "
        "Meta notify users unless asked or prohibited; "
        "a tip-off can endanger a victim)",
    ),
    "contact_24_7_missing": (
        "contact_24_7",
        "a contact reachable 24/7 (name, phone) for the provider's call-back",
    ),
    "earlier_ticket_missing": (
        "earlier_ticket",
        "the provider's reference of the earlier preservation (or 'none')",
    ),
    "emergency_justification_missing": (
        "emergency_justification",
        "the imminent risk of death or serious physical injury, and why this data helps now",
    ),
    "follow_up_missing": (
        "formal_request_will_follow",
        "a preservation request must state that a formal request will follow",
    ),
}

#: Free-mail domains of the scenario plus real ones a careless officer might use.
FREEMAIL_DOMAINS = {
    "mailbox.example",
    "postbox.example",
    "inbox.example",
    "gmail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
}
#: Words that mark an official domain when they are a whole label or hyphen-separated part of it
#: (so 'fia-gov.example' and 'police.gov.bd' pass, 'fiasco-traders.example' and
#: 'courtyardhotel.com' do not). A check of form only: it never proves who sent a request.
OFFICIAL_WORDS = {
    "gov",
    "police",
    "fia",
    "nccia",
    "ministry",
    "court",
    "courts",
    "judiciary",
    "prosecutor",
    "prosecution",
    "interior",
    "mofa",
    "cid",
}


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

    The model-form elements: ``request_id`` (your own reference) and ``created_utc`` (the date),
    ``earlier_ticket`` (the provider's reference of an earlier preservation), ``data_items``
    (the specific items, as text), ``legal_basis`` (the provision that gives the power) and
    ``legal_process`` (the domestic order attached), ``non_disclosure`` (ask the provider not
    to notify the user), ``contact_24_7`` and ``translation`` (language of the request and of
    the attachments).
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
    data_items: list = field(default_factory=list)
    legal_process: str = ""
    non_disclosure: bool = False
    contact_24_7: str = ""
    earlier_ticket: str = ""
    translation: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise RequestError(f"kind {self.kind!r} is not one of {', '.join(KINDS)}", "kind")
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name in ("identifiers", "data", "data_items"):
                if not isinstance(v, (list, tuple)):
                    raise RequestError(f"{f.name} must be a list, not {type(v).__name__}", f.name)
            elif f.name in ("formal_request_will_follow", "non_disclosure"):
                if not isinstance(v, bool):
                    raise RequestError(f"{f.name} must be True or False", f.name)
            elif not isinstance(v, str):
                raise RequestError(f"{f.name} must be text, not {type(v).__name__}", f.name)
        self.identifiers = [
            tuple(i) if isinstance(i, (list, tuple)) else i for i in self.identifiers
        ]
        for i in self.identifiers:
            if not (isinstance(i, tuple) and len(i) == 2):
                raise RequestError(f"identifier {i!r} must be a (kind, value) pair", "identifiers")
        self.data = list(self.data)
        self.data_items = list(self.data_items)
        if not all(isinstance(i, str) for i in self.data_items):
            raise RequestError("data_items must be a list of texts (one item each)", "data_items")

    # -- conversion --------------------------------------------------------------------------
    def as_dict(self) -> dict:
        d = asdict(self)
        d["identifiers"] = [list(i) for i in self.identifiers]
        d["data_items"] = list(self.data_items)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Request:
        """Build a request from a dict (e.g. a draft loaded from JSON); unknown keys raise."""
        if not isinstance(d, dict):
            raise RequestError(f"a request must be a dict, not {type(d).__name__}", "request")
        names = {f.name for f in fields(cls)}
        extra = set(d) - names
        if extra:
            raise RequestError(f"unknown request field(s) {sorted(extra)}", sorted(extra)[0])
        if "kind" not in d or "provider" not in d:
            raise RequestError(
                "a request needs at least 'kind' and 'provider'",
                "kind" if "kind" not in d else "provider",
            )
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


def validate(
    req: Request, providers: dict | None = None, now: datetime | None = None
) -> list[Defect]:
    """Check ``req`` against the elements a provider or central authority needs.

    ``providers`` adds profiles (e.g. the scenario's fictional ones) to the built-in real ones;
    ``now`` (aware) lets a range end in the future be caught. Completeness and proportionality
    limits only — not sufficiency (see :data:`SCOPE`).
    """
    pool = dict(PROVIDERS)
    if providers:
        pool.update(
            providers if isinstance(providers, dict) else {p.provider_id: p for p in providers}
        )
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
                out.append(
                    _d(
                        "addressee_wrong",
                        f"{req.addressee!r} does not answer for users "
                        f"in {req.user_country.upper()}",
                    )
                )
    # requester
    if _blank(req.authority, 3):
        out.append(_d("authority_missing"))
    if _blank(req.officer, 3):
        out.append(_d("officer_missing"))
    if _blank(req.contact_email):
        out.append(_d("contact_email_missing"))
    else:
        if not is_official_email(req.contact_email):
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
                code = (
                    "identifier_not_accepted"
                    if ("does not accept" in problem or "unknown" in problem)
                    else "identifier_malformed"
                )
                out.append(_d(code, problem))
    # data
    cats = [str(c).strip().lower() for c in req.data]
    if not cats:
        out.append(_d("data_missing"))
    bad = [c for c in cats if c not in CATEGORIES]
    if bad:
        out.append(_d("data_category_unknown", ", ".join(map(repr, bad))))
    if not [i for i in req.data_items if i.strip()]:
        out.append(_d("data_items_missing"))
    if CON in cats and req.kind == "emergency":
        out.append(_d("content_in_emergency"))
    if prov is not None and cats:
        if CON in cats and req.kind == "voluntary" and prov.real:
            out.append(_d("content_needs_mla", prov.content_route.value))
        for c in dict.fromkeys(cats):
            if c in prov.unavailable:
                out.append(
                    _d("data_not_available", f"{prov.name} ({c}): {prov.cannot_produce.value}")
                )
    if (
        prov is not None
        and req.kind in ("voluntary", "preservation", "emergency")
        and not prov.direct_requests.value
        and prov.content_route.value != "domestic order"
    ):
        out.append(_d("no_direct_channel", prov.direct_requests.source))
    # period
    out += _check_period(req, now, cats)
    # grounds
    if _blank(req.link_to_offence, 20):
        out.append(_d("link_missing"))
    if _blank(req.necessity, 20):
        out.append(_d("necessity_missing"))
    if _blank(req.legal_basis, 5):
        out.append(_d("legal_basis_missing"))
    elif offence_as_legal_basis(req.legal_basis):
        out.append(
            _d(
                "legal_basis_no_power",
                f"{offence_as_legal_basis(req.legal_basis)} is an offence, not the power you act "
                "under (the offence goes in 'offence')",
            )
        )
    elif not _POWER.search(req.legal_basis):
        out.append(_d("legal_basis_no_power", f"{req.legal_basis!r} names no section or article"))
    if req.kind in ("voluntary", "mla") and _blank(req.legal_process, 10):
        out.append(_d("legal_process_missing"))
    if not req.non_disclosure:
        out.append(_d("non_disclosure_missing"))
    if req.kind in ("emergency", "preservation") and _blank(req.contact_24_7, 6):
        out.append(_d("contact_24_7_missing"))
    if req.kind == "mla" and _blank(req.earlier_ticket, 2):
        out.append(_d("earlier_ticket_missing"))
    if req.kind == "emergency":
        text = req.emergency_justification or ""
        words = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)}
        if (
            _blank(text, 60)
            or len(words) < 15
            or not re.search(r"(death|kill|injur|harm|life|danger)", text, re.I)
        ):
            out.append(
                _d(
                    "emergency_justification_missing",
                    "facts, not repetition" if text.strip() else "",
                )
            )
    if req.kind == "preservation" and not req.formal_request_will_follow:
        out.append(_d("follow_up_missing"))
    return out


#: A legal basis names a provision: 's. 31', 'section 7', 'Art. 18', '§ 2702'.
_POWER = re.compile(r"(\bss?\.|\bsections?\b|\bsec\.|\barts?\.|\barticles?\b|§)\s*\d", re.I)

#: Statutes that define offences and give no power to ask for data (legal facts register:
#: pk-ptpa-s3, pk-psma, pk-eo-1979, bd-pshta-s3, bd-oema-2013).
_OFFENCE_STATUTE = re.compile(
    r"trafficking\s+in\s+persons\s+act|smuggling\s+of\s+migrants\s+act|"
    r"human\s+trafficking\s+act|overseas\s+employment\s+and\s+migrants\s+act|penal\s+code|"
    r"\b(?:PTPA|PSMA|PSHTA|OEMA|PPC)\b",
    re.I,
)
#: Laws that give the procedural powers a request is made under (pk-peca-s29-30 ... s42,
#: pk-mla-2020, bd-mla-2012; Bangladesh's Cyber Suraksha Ordinance, whose section numbers the
#: course has not verified, is accepted as a power).
_PROCEDURAL = re.compile(
    r"criminal\s+procedure|\bcr\.?\s?p\.?\s?c\b|mutual\s+legal\s+assistance|"
    r"mutual\s+assistance\s+in\s+criminal\s+matters|\bMLA\b|investigation\s+for\s+fair\s+trial|"
    r"cyber\s+suraksha",
    re.I,
)
_PECA = re.compile(r"\bPECA\b|prevention\s+of\s+electronic\s+crimes", re.I)
_EMIGRATION = re.compile(r"emigration\s+ordinance", re.I)
_SECTION_NO = re.compile(r"(?:\bss?\.|\bsections?\b|\bsec\.)\s*(\d+)", re.I)


def offence_as_legal_basis(text: str) -> str:
    """The offence provision that ``text`` gives as a legal basis when it names no power to ask
    for data — or ``""`` when the text names a procedural power (or no offence at all).

    A request is made under a *power* (PECA 2016 ss. 29-42 through the NCCIA, the MLA Acts, the
    Code of Criminal Procedure), with the order attached; the offence under investigation
    (a trafficking or smuggling Act, PECA's offence sections 3-28, the Emigration Ordinance's
    ss. 17-23, the Penal Code) goes in the request's ``offence``.

    >>> offence_as_legal_basis("Prevention of Trafficking in Persons Act 2018 s. 3")
    'Prevention of Trafficking in Persons Act 2018 s. 3'
    >>> offence_as_legal_basis("PECA 2016 s. 31 (notice through the NCCIA), PTPA 2018 s. 3 case")
    ''
    >>> offence_as_legal_basis("PECA 2016 s. 22")
    'PECA 2016 s. 22'
    """
    text = str(text or "").strip()
    numbers = [int(n) for n in _SECTION_NO.findall(text)]
    peca = bool(_PECA.search(text))
    procedural = bool(_PROCEDURAL.search(text)) or (peca and any(29 <= n <= 42 for n in numbers))
    offence = (
        bool(_OFFENCE_STATUTE.search(text))
        or (peca and any(n <= 28 for n in numbers))
        or (bool(_EMIGRATION.search(text)) and any(17 <= n <= 23 for n in numbers))
    )
    return text if offence and not procedural else ""


def is_official_email(address: str) -> bool:
    """True when ``address`` is on a domain that *looks* official: a whole label (or a hyphen
    part of one) is a word such as ``gov``, ``police``, ``nccia`` or ``court`` — a check of form,
    never of who really sent a request (hijacked official mailboxes are used for fake emergency
    requests).

    >>> is_official_email("ahtc.lahore@fia-gov.example"), is_official_email("cyber@police.gov.bd")
    (True, True)
    >>> is_official_email("boss@fiasco-traders.example"), is_official_email("ahtc@courtyardhotel.com")
    (False, False)
    """
    if not isinstance(address, str) or address.count("@") != 1:
        return False
    local, dom = address.strip().lower().split("@")
    if not local or "." not in dom or dom in FREEMAIL_DOMAINS:
        return False
    parts = {p for label in dom.split(".") for p in label.split("-")}
    return bool(parts & OFFICIAL_WORDS)


def _check_period(req: Request, now: datetime | None, cats=()) -> list[Defect]:
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
            out.append(
                Defect(
                    "date_range_no_offset",
                    name,
                    f"{name} {value!r} has no UTC offset; write e.g. "
                    f"'{value}+05:00' or convert to UTC ('...Z')",
                )
            )
            continue
        moments.append(to_utc(moment))
    if len(moments) == 2:
        start, end = moments
        if end <= start:
            out.append(_d("date_range_impossible", f"{utc_iso(start)} to {utc_iso(end)}"))
        elif now is not None and end > to_utc(now):
            out.append(
                _d(
                    "date_range_impossible",
                    f"ends {utc_iso(end)}, after the request date {utc_iso(to_utc(now))}",
                )
            )
        if end > start:
            days = (end - start).total_seconds() / 86400
            limit = (
                LIMITS["emergency"]
                if req.kind == "emergency"
                else LIMITS["content"]
                if CON in cats
                else LIMITS["any"]
            )
            if days > limit:
                out.append(
                    _d(
                        "period_too_long",
                        f"{days:.0f} days asked; at most {limit} here without a stated reason",
                    )
                )
    return out


@dataclass(frozen=True)
class Step:
    """One step of a request plan: the channel, why it comes here, and how long it usually
    takes (time lines are commonly quoted figures, not verified: legal fact
    ``prac-timelines``)."""

    channel: str
    why: str
    route: str
    typical_time: str

    def __str__(self) -> str:
        return f"{self.channel}: {self.why} [{self.route}; {self.typical_time}]"


TIMES = {
    "emergency": "hours",
    "preservation": "about 1-3 days to confirm",
    "voluntary": "weeks",
    "mla": "months (to the US about 10 months on average, not verified)",
    "domestic": "days to weeks",
    "device": "as soon as the device is lawfully held",
    "police": "hours to days",
}


def plan_requests(
    categories,
    provider_id,
    *,
    risk_to_life: bool = False,
    deletion_risk: bool = False,
    already_preserved: bool = False,
    requesting_country: str = "PK",
    providers: dict | None = None,
) -> list[Step]:
    """The sequence of requests for one need, each step with its reason — from the side of a
    Pakistani or Bangladeshi requester:

    1. a life at imminent risk -> ``emergency`` (minimum non-content; police-to-police in
       parallel), then the rest of the plan;
    2. a provider in the requesting country -> ``domestic`` (a domestic order) and nothing else;
    3. not yet preserved, and the data may vanish or the plan ends in MLA (months) ->
       ``preservation`` first, under the provider's voluntary policy;
    4. non-content the provider gives directly -> ``voluntary``, with the domestic legal
       process attached;
    5. content, or a provider without a direct channel -> ``mla``; content the provider says it
       cannot produce (end-to-end encrypted) -> ``device`` (the phone, seized or with consent).

    >>> [s.channel for s in plan_requests(["subscriber", "content"], "meta")]
    ['preservation', 'voluntary', 'mla']
    >>> [s.channel for s in plan_requests(["subscriber"], "telegram")]
    ['voluntary']
    """
    pool = dict(PROVIDERS)
    if providers:
        pool.update(
            providers if isinstance(providers, dict) else {p.provider_id: p for p in providers}
        )
    prov = provider(provider_id, pool)
    if isinstance(categories, str):
        categories = [categories]
    cats = [str(c).strip().lower() for c in categories]
    if not cats:
        raise RequestError("categories is empty: say which data is needed", "categories")
    bad = [c for c in cats if c not in CATEGORIES]
    if bad:
        raise RequestError(
            f"unknown data categor{'y' if len(bad) == 1 else 'ies'} "
            f"{', '.join(map(repr, bad))}; use {', '.join(CATEGORIES)}",
            "categories",
        )
    for name, v in (
        ("risk_to_life", risk_to_life),
        ("deletion_risk", deletion_risk),
        ("already_preserved", already_preserved),
    ):
        if not isinstance(v, bool):
            raise RequestError(f"{name} must be True or False, not {v!r}", name)
    steps: list[Step] = []
    attach = prov.attach.value if prov.attach else "the domestic legal process"
    if risk_to_life:
        steps.append(
            Step(
                "emergency",
                "a life is at imminent risk: alert the emergency route first (police "
                "where the person is, through liaison officers or INTERPOL; the embassy), "
                "then ask, in parallel, for the minimum non-content that can locate or "
                "protect the person now",
                "the provider's emergency channel, from an official account",
                TIMES["emergency"],
            )
        )
    if prov.country == str(requesting_country).upper():
        steps.append(
            Step(
                "domestic",
                "the provider is in your own country: a domestic order, not a cross-border channel",
                attach,
                TIMES["domestic"],
            )
        )
        return steps
    direct = bool(prov.direct_requests.value)
    gettable = [c for c in cats if c not in prov.unavailable]
    non_content = [c for c in gettable if c != CON]
    needs_mla = (CON in gettable) or (not direct and bool(gettable))
    if direct and not already_preserved and (deletion_risk or needs_mla) and gettable:
        steps.append(
            Step(
                "preservation",
                "preserve first: "
                + (
                    "the data may disappear soon"
                    if deletion_risk
                    else "the formal request will take months"
                )
                + "; the provider keeps it under its own "
                "voluntary policy (18 U.S.C. § 2703(f) binds only on US authorities' request)",
                "the provider's portal or webform",
                TIMES["preservation"],
            )
        )
    if non_content and direct:
        steps.append(
            Step(
                "voluntary",
                "non-content may be disclosed voluntarily to a foreign "
                "authority (18 U.S.C. § 2702(c)(6) for US providers); the provider's "
                "policy decides",
                "a direct request with " + attach,
                TIMES["voluntary"],
            )
        )
    if needs_mla:
        why = (
            "content needs mutual legal assistance"
            if CON in gettable
            else "the provider takes no direct requests from foreign authorities"
        )
        if CON in gettable and "end-to-end" in str(prov.cannot_produce.value):
            why += f" — and may not exist at the provider ({prov.cannot_produce.value})"
        steps.append(
            Step(
                "mla",
                why,
                "central authority (Pakistan: Ministry of Interior, MLA Act 2020; "
                "Bangladesh: MLA Act 2012; UNTOC Art. 18 where the offence is covered "
                "(Art. 3))",
                TIMES["mla"],
            )
        )
    for c in cats:
        if c in prov.unavailable:
            steps.append(
                Step(
                    "device",
                    f"{prov.name} says it cannot produce {c}: {prov.cannot_produce.value}",
                    "the device itself (seizure, or a victim's phone with consent) — module 07",
                    TIMES["device"],
                )
            )
            break
    if not steps:
        raise RequestError(f"no channel reaches {cats} at {prov.name}", "categories")
    return steps


def choose_channel(
    categories,
    provider_id,
    *,
    risk_to_life: bool = False,
    deletion_risk: bool = False,
    already_preserved: bool = False,
    requesting_country: str = "PK",
    providers: dict | None = None,
) -> str:
    """The first channel of :func:`plan_requests` (the request to send now).

    >>> choose_channel(["subscriber"], "tiktok")
    'voluntary'
    >>> choose_channel(["content"], "meta")
    'preservation'
    >>> choose_channel(["content"], "meta", already_preserved=True)
    'mla'
    """
    return plan_requests(
        categories,
        provider_id,
        risk_to_life=risk_to_life,
        deletion_risk=deletion_risk,
        already_preserved=already_preserved,
        requesting_country=requesting_country,
        providers=providers,
    )[0].channel
