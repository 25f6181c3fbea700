"""Who holds the data, and what they say about handing it over: provider profiles with sources.

Each profile collects what a provider *publishes* for law enforcement: the legal entity that
answers for users in a given place, the portal, the identifiers it accepts, what it can and
cannot produce, how long it preserves data and its emergency standard. Every fact carries its
source, the date the source was dated or checked (``as_of``) and whether it was read in the
provider's own text (``primary``) or only in a summary (``secondary`` — verify before relying
on it). Policies change: a profile is a starting point, never a substitute for the provider's
current guidelines.

The profiles are read from the side of a Pakistani or Bangladeshi requester: what a foreign
provider does for them is its *voluntary* policy (US law permits, but does not require,
non-content disclosure to a foreign authority, 18 U.S.C. § 2702(c)(6) — compulsion needs US
process obtained by the US Department of Justice on an MLA request; § 2703(f) preservation binds
only on a US governmental entity's request). ``attach`` says which domestic legal process a
provider wants attached to a direct request. The legal facts behind each profile sit in the
course's register (:mod:`.legal`).

The fictional platforms of the scenario stand for real services (``osintlab.reference.platforms.
PLATFORMS``): Chaupal for Facebook, Jhalak for TikTok, Paigham for Telegram, so requests about
their accounts go to the real provider they stand for.

    >>> provider("tiktok").addressee("PK")
    'TikTok Pte. Ltd.'
    >>> provider_for_platform("chaupal").provider_id
    'meta'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..reference.phones import E164

__all__ = [
    "Fact",
    "Provider",
    "PROVIDERS",
    "PLATFORM_PROVIDER",
    "provider",
    "provider_for_platform",
    "addressee",
    "check_identifier",
    "ProviderError",
    "IDENTIFIER_KINDS",
    "CHECKED",
]

#: Date on which the stored copies of the sources below were read for this course.
CHECKED = "2026-11-23"


class ProviderError(ValueError):
    """Unknown provider or platform, or an identifier in a form the provider does not accept."""

    def __init__(self, message: str, field: str = "provider"):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Fact:
    """One published fact with its source."""

    value: object
    source: str  # title and URL (or document number)
    as_of: str  # date of the source version, or the date it was checked
    status: str = "primary"  # primary | secondary (verify) | course assumption | not verified

    def as_dict(self) -> dict:
        return {
            "value": self.value,
            "source": self.source,
            "as_of": self.as_of,
            "status": self.status,
        }


@dataclass
class Provider:
    provider_id: str
    name: str
    real: bool
    services: list[str]
    country: str  # where the provider is established
    entities: list[tuple[str, str]]  # (legal entity, users it answers for)
    entity_rule: dict[str, str]  # user country or "*" -> entity
    portal: Fact
    identifiers: Fact  # list of IDENTIFIER_KINDS accepted
    can_produce: dict[str, Fact]  # data category -> what exists
    cannot_produce: Fact
    preservation: Fact  # {"days": n, "extension_days": m} or None
    emergency_standard: Fact
    requester: Fact  # how requesters are authenticated
    direct_requests: Fact  # accepts direct (non-MLA) requests from
    # foreign authorities for non-content data?
    content_route: Fact  # how content can be obtained by a foreign
    # authority
    attach: Fact | None = None  # domestic legal process to attach to a
    # direct request from abroad
    url_hosts: tuple[str, ...] = ()  # hosts of profile URLs it recognises
    notes: str = ""
    platforms: tuple[str, ...] = field(default=())  # scenario platforms it stands behind
    unavailable: tuple[str, ...] = ()  # categories it says it cannot produce

    # -- look-ups -------------------------------------------------------------------------------
    def addressee(self, user_country: str) -> str:
        """The legal entity to address for a user located in ``user_country`` (ISO alpha-2)."""
        if not isinstance(user_country, str) or not re.fullmatch(r"[A-Za-z]{2}", user_country):
            raise ProviderError(
                f"user_country {user_country!r} is not a two-letter country code (e.g. 'PK', 'BD')",
                field="user_country",
            )
        cc = user_country.upper()
        for key, entity in self.entity_rule.items():
            if key != "*" and cc in key.split(","):
                return entity
        return self.entity_rule["*"]

    @property
    def accepted_identifiers(self) -> list[str]:
        return list(self.identifiers.value)

    @property
    def preservation_days(self) -> int | None:
        v = self.preservation.value
        return v["days"] if v else None

    def facts(self) -> list[dict]:
        """Every sourced fact of the profile as rows (for a table)."""
        rows = [
            ("portal", self.portal),
            ("identifiers accepted", self.identifiers),
            ("cannot produce", self.cannot_produce),
            ("preservation", self.preservation),
            ("emergency standard", self.emergency_standard),
            ("requester authentication", self.requester),
            ("direct requests from foreign authorities", self.direct_requests),
            ("content for foreign authorities", self.content_route),
        ]
        if self.attach is not None:
            rows.append(("legal process to attach", self.attach))
        rows += [(f"can produce: {k}", f) for k, f in self.can_produce.items()]
        return [{"provider": self.name, "fact": k, **f.as_dict()} for k, f in rows]

    def as_dict(self) -> dict:
        return {
            "provider_id": self.provider_id,
            "name": self.name,
            "real": self.real,
            "services": self.services,
            "country": self.country,
            "entities": [{"entity": e, "answers_for": w} for e, w in self.entities],
            "entity_rule": self.entity_rule,
            "portal": self.portal.as_dict(),
            "identifiers": self.identifiers.as_dict(),
            "can_produce": {k: f.as_dict() for k, f in self.can_produce.items()},
            "cannot_produce": self.cannot_produce.as_dict(),
            "preservation": self.preservation.as_dict(),
            "emergency_standard": self.emergency_standard.as_dict(),
            "requester": self.requester.as_dict(),
            "direct_requests": self.direct_requests.as_dict(),
            "content_route": self.content_route.as_dict(),
            "attach": self.attach.as_dict() if self.attach else None,
            "url_hosts": list(self.url_hosts),
            "platforms": list(self.platforms),
            "unavailable": list(self.unavailable),
            "notes": self.notes,
        }

    @classmethod
    def from_dict(cls, d: dict) -> Provider:
        f = lambda x: Fact(**x)  # noqa: E731
        return cls(
            d["provider_id"],
            d["name"],
            d["real"],
            list(d["services"]),
            d["country"],
            [(e["entity"], e["answers_for"]) for e in d["entities"]],
            dict(d["entity_rule"]),
            f(d["portal"]),
            f(d["identifiers"]),
            {k: f(v) for k, v in d["can_produce"].items()},
            f(d["cannot_produce"]),
            f(d["preservation"]),
            f(d["emergency_standard"]),
            f(d["requester"]),
            f(d["direct_requests"]),
            f(d["content_route"]),
            f(d["attach"]) if d.get("attach") else None,
            tuple(d["url_hosts"]),
            d.get("notes", ""),
            tuple(d.get("platforms", ())),
            tuple(d.get("unavailable", ())),
        )


# ---------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------
META_LE = "Meta, Information for law enforcement authorities, https://about.meta.com/actions/safety/audiences/law/guidelines/ (Open Terms Archive capture 2025-09-28)"
META_AS_OF = "2025-09-28"
META_CASES = "Meta Transparency Center, Government data requests: case studies, https://transparency.meta.com/data/government-data-requests/case-studies/"
META_2010 = (
    "Facebook Law Enforcement Guidelines (2010 edition, as reproduced in public PDF mirrors)"
)
META_SEC = "secondary summary: legalclarity.org, 'How to fill out and submit the Meta outreach form' (cites Meta)"
WA_LE = "WhatsApp, Information for Law Enforcement Authorities, https://faq.whatsapp.com/en/general/26000050"
WA_E2EE = "WhatsApp Help Center, About government requests for user data, https://faq.whatsapp.com/808280033839222/"
WA_SEC = "secondary summary: ministryofcyberaffairs.com, 'WhatsApp LERS portal: police & government data request guide'"
TT_ROUTE = "TikTok, Law Enforcement Guidelines (entity by user location), https://www.tiktok.com/legal/law-enforcement (last updated 22 Jan 2026; OTA capture 2026-04-29)"
TT_LEG = "TikTok, Law Enforcement Guidelines, https://www.tiktok.com/legal/law-enforcement (last updated 13 Jul 2026; OTA capture 2026-07-22)"
TT_DATA = (
    "TikTok, Law Enforcement Data Request Guidelines, https://www.tiktok.com/info/law-enforcement/"
)
TT_EMERG = "TikTok, Information requests report (2023), https://www.tiktok.com/transparency/en/information-requests-2023-2"
TT_SEC = "secondary summary: ministryofcyberaffairs.com, 'TikTok law enforcement data request: police & government guide'"
TG_PRIV = "Telegram Privacy Policy, s. 8.3 'Law Enforcement Authorities', https://telegram.org/privacy (OTA capture 2026-08-22; text unified 23 Sep 2024)"
TG_SEC = "secondary summary: ministryofcyberaffairs.com, 'Law enforcement data requests platform by platform'"
G_FAQ = "Google, Legal process for user data requests FAQs, https://support.google.com/transparencyreport/answer/7381738"
G_POL = "Google, How Google handles government requests for user information, https://policies.google.com/terms/information-requests"
SCA_2702C6 = "18 U.S.C. § 2702(c)(6) (non-content to 'any person other than a governmental entity'), read with § 2711(4), https://www.law.cornell.edu/uscode/text/18/2702"

_P = Fact
SUB, IDN, TRA, CON = "subscriber", "identification", "traffic", "content"

PROVIDERS: dict[str, Provider] = {}


def _add(p: Provider) -> None:
    PROVIDERS[p.provider_id] = p


_add(
    Provider(
        "meta",
        "Meta (Facebook, Instagram, Messenger)",
        True,
        ["Facebook", "Instagram", "Messenger"],
        "US",
        [
            ("Meta Platforms, Inc.", "users outside the European Region"),
            ("Meta Platforms Ireland Limited", "users in the European Region"),
        ],
        {
            "AT,BE,BG,HR,CY,CZ,DK,EE,FI,FR,DE,GR,HU,IE,IT,LV,LT,LU,MT,NL,PL,PT,RO,SK,SI,ES,SE,IS,LI,NO,CH": "Meta Platforms Ireland Limited",
            "*": "Meta Platforms, Inc.",
        },
        _P(
            "Law Enforcement Online Request System, facebook.com/records",
            META_SEC,
            CHECKED,
            "secondary (verify)",
        ),
        _P(
            ["user_id", "username", "url", "email", "phone"],
            META_2010 + "; numeric user ID or profile URL preferred to a display name: " + META_SEC,
            "2010 / " + CHECKED,
            "secondary (verify)",
        ),
        {
            SUB: _P(
                "name, length of service, credit card information, e-mail address(es), a recent "
                "login/logout IP address(es) (US subpoena tier)",
                META_LE,
                META_AS_OF,
            ),
            TRA: _P(
                "message headers and IP addresses; message and call logs of end-to-end "
                "encrypted chats (US 2703(d) order tier)",
                META_LE,
                META_AS_OF,
            ),
            CON: _P(
                "messages, photos, videos, timeline posts, location information (US search "
                "warrant tier; Meta counts location as content) — not the text of end-to-end "
                "encrypted Messenger chats",
                META_LE,
                META_AS_OF,
            ),
        },
        _P(
            "message content of end-to-end encrypted Messenger chats (default for personal chats "
            "since December 2023): Meta 'will no longer be able to provide unencrypted message "
            "content'",
            META_LE,
            META_AS_OF,
        ),
        _P(
            {"days": 90, "extension_days": None},
            META_LE + ": 90 days pending formal legal "
            "process; extension for non-US requesters not stated",
            META_AS_OF,
        ),
        _P(
            "imminent harm to a child or risk of death or serious physical injury, requiring "
            "disclosure without delay (through the portal)",
            META_LE,
            META_AS_OF,
        ),
        _P("government-issued e-mail address to open a portal account", META_LE, META_AS_OF),
        _P(
            True,
            META_LE + " (non-content may be disclosed voluntarily to a foreign authority, "
            "18 U.S.C. § 2702(c)(6); Meta reviews each request)",
            META_AS_OF,
        ),
        _P(
            "content: 'a Mutual Legal Assistance Treaty request or letter rogatory may be required' "
            "— for Pakistan and Bangladesh, MLA through the US Department of Justice (no MLAT, no "
            "CLOUD Act agreement)",
            META_LE,
            META_AS_OF,
        ),
        attach=_P(
            "the domestic legal process under which you act (for Pakistan: a PECA notice or "
            "court order through the NCCIA; for Bangladesh: the order under your law); "
            "a court order prohibiting user notice, or Meta may notify the user",
            META_LE,
            META_AS_OF,
        ),
        url_hosts=("facebook.com", "www.facebook.com", "instagram.com", "chaupal.example"),
        platforms=("chaupal",),
        unavailable=(),
        notes="Chaupal (the scenario's social network) stands for Facebook. 'European Region' is "
        "approximated here as the EEA plus Switzerland: check Meta's own definition. "
        "Meta says it is rolling out default end-to-end encryption for Messenger personal chats: "
        "where a chat is encrypted, the message text is not available from Meta — the victims' own phones, with consent, are the realistic source.",
    )
)

_add(
    Provider(
        "whatsapp",
        "WhatsApp",
        True,
        ["WhatsApp"],
        "US",
        [
            (
                "WhatsApp LLC",
                "users outside the European Region (name as used in WhatsApp's "
                "guidelines; regional split not verified)",
            ),
            ("WhatsApp Ireland Limited", "users in the European Region (not verified)"),
        ],
        {
            "AT,BE,BG,HR,CY,CZ,DK,EE,FI,FR,DE,GR,HU,IE,IT,LV,LT,LU,MT,NL,PL,PT,RO,SK,SI,ES,SE,IS,LI,NO,CH": "WhatsApp Ireland Limited",
            "*": "WhatsApp LLC",
        },
        _P("whatsapp.com/records (law enforcement portal)", WA_SEC, CHECKED, "secondary (verify)"),
        _P(
            ["phone"],
            "the target's phone number with country code: " + WA_SEC,
            CHECKED,
            "secondary (verify)",
        ),
        {
            SUB: _P(
                "name, service start date, last seen date, IP address, e-mail address (if "
                "available; US subpoena tier)",
                WA_LE,
                CHECKED,
            ),
            TRA: _P(
                "last seen date and IP address; numbers blocking or blocked by the user (US "
                "2703(d) order tier); no device location records are listed",
                WA_LE,
                CHECKED,
            ),
        },
        _P(
            "message content: end-to-end encrypted, WhatsApp 'cannot and does not produce' it",
            WA_E2EE,
            CHECKED,
        ),
        _P(
            None,
            "preservation period not found in the sources read (likely handled as for Meta "
            "— not verified)",
            CHECKED,
            "not verified",
        ),
        _P(
            "emergency requests reviewed by its Law Enforcement Response Team; standard as for Meta "
            "(imminent risk of death or serious physical injury) — wording not checked",
            WA_E2EE,
            CHECKED,
            "not verified",
        ),
        _P("official government e-mail address", WA_SEC, CHECKED, "secondary (verify)"),
        _P(
            True,
            WA_E2EE + " (requests from agencies worldwide; MLAT 'in certain scenarios')",
            CHECKED,
        ),
        _P("not available (end-to-end encrypted); seize the device instead", WA_E2EE, CHECKED),
        attach=_P(
            "the domestic legal process under which you act", WA_E2EE, CHECKED, "secondary (verify)"
        ),
        url_hosts=("wa.me",),
        platforms=(),
        unavailable=("content",),
        notes="The recruiters answer recruits on WhatsApp: requests about their numbers go here.",
    )
)

_add(
    Provider(
        "tiktok",
        "TikTok",
        True,
        ["TikTok"],
        "SG",
        [
            ("TikTok USDS Joint Venture LLC", "users located in the United States"),
            ("TikTok Information Technologies UK Limited", "users located in the United Kingdom"),
            ("TikTok Technology Limited", "users located in the EEA and Switzerland"),
            ("TikTok Pte. Ltd.", "users located anywhere else (e.g. Pakistan, Bangladesh)"),
        ],
        {
            "US": "TikTok USDS Joint Venture LLC",
            "GB": "TikTok Information Technologies UK Limited",
            "AT,BE,BG,HR,CY,CZ,DK,EE,FI,FR,DE,GR,HU,IE,IT,LV,LT,LU,MT,NL,PL,PT,RO,SK,SI,ES,SE,IS,LI,NO,CH": "TikTok Technology Limited",
            "*": "TikTok Pte. Ltd.",
        },
        _P(
            "Law Enforcement Data Request webform (tiktok.com/legal/report/lawenforcementrequest); "
            "separate Emergency Disclosure Request form; attachments in PDF, English or translated",
            TT_LEG,
            "2026-07-13",
        ),
        _P(
            ["username", "user_id", "url", "email", "phone"],
            "username (and any known account URL, phone number or e-mail): " + TT_SEC,
            CHECKED,
            "secondary (verify)",
        ),
        {
            SUB: _P(
                "username, first and last name, e-mail address, phone number, device model, "
                "account creation date and IP address used at creation",
                TT_DATA,
                CHECKED,
            ),
            TRA: _P(
                "login and logout IP addresses; interaction IP logs for a specified period only",
                TT_LEG,
                "2026-07-13",
            ),
            CON: _P(
                "private videos, comments and messages: generally a domestic court / judicial "
                "order, warrant or equivalent; MLAT where the requester is in another country "
                "than the TikTok entity",
                TT_LEG,
                "2026-07-13",
            ),
        },
        _P(
            "public videos are not produced (view them in the app); requests to the wrong entity "
            "may not be processed until corrected",
            TT_DATA + "; " + TT_ROUTE,
            CHECKED,
        ),
        _P(
            {"days": 90, "extension_days": 90},
            TT_LEG + ": 90 days, one further 90-day extension on a formal request ('we may not "
            "honour multiple extension requests'); letterhead, signed; data may be deleted when "
            "the period ends",
            "2026-07-13",
        ),
        _P(
            "imminent harm or the risk of death or serious physical injury (sworn official, "
            "official domain)",
            TT_LEG,
            "2026-07-13",
        ),
        _P(
            "letterhead, signed and dated; authority name and location; officer name, badge/ID, "
            "official e-mail and phone; English translation",
            TT_SEC,
            CHECKED,
            "secondary (verify)",
        ),
        _P(
            True,
            TT_DATA + " (subscriber information through a court order, warrant or search "
            "order; MLAT or letter rogatory also accepted)",
            CHECKED,
        ),
        _P(
            "a domestic court / judicial order, warrant or equivalent; an MLAT may be needed because "
            "TikTok Pte. Ltd. is in Singapore (which MLA route reaches it: not verified)",
            TT_LEG,
            "2026-07-13",
        ),
        attach=_P(
            "a domestic court order, warrant or search order (requests without a legal "
            "basis, the offence or a date range are rejected)",
            TT_DATA + "; " + TT_LEG,
            "2026-07-13",
        ),
        url_hosts=("tiktok.com", "www.tiktok.com", "jhalak.example"),
        platforms=("jhalak",),
        notes="Jhalak (the scenario's short-video platform) stands for TikTok. Requests addressed "
        "to the wrong TikTok entity are delayed.",
    )
)

_add(
    Provider(
        "telegram",
        "Telegram",
        True,
        ["Telegram"],
        "AE",
        [("Telegram (entity named in its current privacy policy)", "all users (not verified)")],
        {"*": "Telegram"},
        _P("no public law-enforcement portal found", TG_SEC, CHECKED, "not verified"),
        _P(
            ["username", "phone", "url"],
            "course assumption: public username or t.me link, or phone number with country code",
            CHECKED,
            "course assumption",
        ),
        {
            SUB: _P(
                "phone number — only on a valid order from the relevant judicial authorities "
                "confirming the user is a suspect in a criminal case that also breaches "
                "Telegram's terms",
                TG_PRIV,
                "2026-08-22",
            ),
            IDN: _P(
                "IP address — on the same judicial order; metadata kept 12 months at most",
                TG_PRIV,
                "2026-08-22",
            ),
        },
        _P(
            "message content, contact lists and connection histories are not offered: only the IP "
            "address and phone number",
            TG_PRIV,
            "2026-08-22",
        ),
        _P(None, "no preservation period published in the sources read", CHECKED, "not verified"),
        _P("not published", TG_PRIV, "2026-08-22", "not verified"),
        _P(
            "a valid order from the relevant judicial authorities (a court order, not a police "
            "letter)",
            TG_PRIV,
            "2026-08-22",
        ),
        _P(
            True,
            TG_PRIV + " (a direct request with a domestic judicial order; whether Telegram "
            "accepts one without MLA is not verified)",
            "2026-08-22",
            "not verified",
        ),
        _P("not available", TG_PRIV, "2026-08-22"),
        attach=_P(
            "a valid order from the relevant judicial authorities confirming the user is a suspect",
            TG_PRIV,
            "2026-08-22",
        ),
        url_hosts=("t.me", "telegram.org", "paigham.example"),
        platforms=("paigham",),
        unavailable=("traffic", "content"),
        notes="Paigham (the scenario's messaging/channel service) stands for Telegram. Expect "
        "little: plan on device seizure and open-source capture instead.",
    )
)

_add(
    Provider(
        "google",
        "Google (Gmail, YouTube, Android accounts)",
        True,
        ["Gmail", "YouTube", "Google Account"],
        "US",
        [
            ("Google LLC", "most services outside the EEA/Switzerland (per Google's terms)"),
            (
                "Google Ireland Limited",
                "users whose service provider is Google Ireland (EEA, Switzerland)",
            ),
        ],
        {
            "AT,BE,BG,HR,CY,CZ,DK,EE,FI,FR,DE,GR,HU,IE,IT,LV,LT,LU,MT,NL,PL,PT,RO,SK,SI,ES,SE,IS,LI,NO,CH": "Google Ireland Limited",
            "*": "Google LLC",
        },
        _P("Law Enforcement Request System (LERS)", G_FAQ, CHECKED),
        _P(
            ["email", "phone"],
            "course assumption: the Gmail address of the account",
            CHECKED,
            "course assumption",
        ),
        {
            SUB: _P(
                "name on the account and IP addresses of account creation, sign-in and sign-out "
                "with dates and times (US subpoena tier)",
                G_FAQ,
                CHECKED,
            ),
            CON: _P(
                "e-mail content and stored files: search warrant (US); MLA for foreign authorities",
                G_POL,
                CHECKED,
            ),
        },
        _P(
            "no category listed as impossible in the parts read; Google narrows or objects to "
            "overly broad requests",
            G_FAQ,
            CHECKED,
            "not verified",
        ),
        _P(
            None,
            "period for requests from outside the US not found in the sources read; the "
            "statutory 90 + 90 days of 18 U.S.C. § 2703(f) apply only when a US governmental entity "
            "asks",
            CHECKED,
            "not verified",
        ),
        _P(
            "emergency disclosure requests accepted (test wording not found); for a foreign "
            "authority expect non-content only (" + SCA_2702C6 + ")",
            G_FAQ + "; " + G_POL,
            CHECKED,
            "secondary (verify)",
        ),
        _P(
            "request in writing, signed by an authorised official of the requesting agency and "
            "issued under an appropriate law",
            G_FAQ,
            CHECKED,
        ),
        _P(
            True,
            G_POL + " (current wording for foreign requests not found; non-content may be "
            "disclosed voluntarily under 18 U.S.C. § 2702(c)(6))",
            CHECKED,
            "secondary (verify)",
        ),
        _P("MLA through the US Department of Justice (a US warrant)", G_POL, CHECKED),
        attach=_P(
            "a request 'issued under an appropriate law', in writing and signed; Google "
            "e-mails the user first unless legally prohibited — attach the order that "
            "prohibits notice",
            G_FAQ + "; " + G_POL,
            CHECKED,
        ),
        url_hosts=(),
        platforms=(),
    )
)

#: Scenario platform -> provider id (the real provider the fictional platform stands for).
PLATFORM_PROVIDER = {
    "chaupal": "meta",
    "jhalak": "tiktok",
    "paigham": "telegram",
    "whatsapp": "whatsapp",
    "gmail": "google",
}

IDENTIFIER_KINDS = (
    "user_id",
    "username",
    "url",
    "email",
    "phone",
    "wallet",
    "ip_port_time",
    "subscriber_id",
    "display_name",
)


def fictional_providers(world) -> list[Provider]:
    """Profiles of the scenario's fictional exchange, OTC desk and ISP (built from the world)."""
    exch = next(o for o in world.organisations if o.kind == "exchange")
    otc = next(o for o in world.organisations if o.kind == "otc_broker")
    isp = next(o for o in world.organisations if o.kind == "isp")
    fic = "fictional: scenario profile (Operation SILVER ROUTE)"
    out = [
        Provider(
            "kestrel",
            exch.name,
            False,
            ["virtual-asset exchange"],
            exch.country,
            [(f"{exch.name} FZ-LLC (fictional)", "all customers")],
            {"*": f"{exch.name} FZ-LLC (fictional)"},
            _P(f"e-mail {exch.emails[0]} (published law-enforcement guide)", fic, "scenario"),
            _P(["wallet", "email", "user_id"], fic, "scenario"),
            {
                SUB: _P(
                    "KYC identity documents, registered phone and e-mail, bank account used for "
                    "withdrawals",
                    fic,
                    "scenario",
                ),
                TRA: _P(
                    "deposit and withdrawal history with blockchain transaction ids; login IPs",
                    fic,
                    "scenario",
                ),
            },
            _P(
                "cannot freeze funds on request alone; needs a court or regulator order",
                fic,
                "scenario",
            ),
            _P({"days": 90, "extension_days": 90}, fic, "scenario"),
            _P("imminent risk of death or serious physical injury", fic, "scenario"),
            _P("official e-mail domain and a signed request on letterhead", fic, "scenario"),
            _P(True, fic, "scenario"),
            _P("not applicable (no communications content)", fic, "scenario"),
            attach=_P(
                "the domestic legal process under which you act; a freeze needs a court or "
                "regulator order (ask the UAE authorities by MLA)",
                fic,
                "scenario",
            ),
            url_hosts=(exch.domain,),
        ),
        Provider(
            "tigris",
            otc.name,
            False,
            ["over-the-counter crypto broker"],
            otc.country,
            [(f"{otc.name} (fictional, unregistered)", "its clients")],
            {"*": f"{otc.name} (fictional, unregistered)"},
            _P("none: no law-enforcement contact published", fic, "scenario"),
            _P(["wallet", "phone"], fic, "scenario"),
            {},
            _P("unknown: no published policy", fic, "scenario"),
            _P(None, fic, "scenario"),
            _P("not published", fic, "scenario"),
            _P("not published", fic, "scenario"),
            _P(
                False,
                fic + " (no direct channel: go through the UAE authorities by MLA)",
                "scenario",
            ),
            _P("MLA to the UAE", fic, "scenario"),
        ),
        Provider(
            "punjabnet",
            isp.name,
            False,
            ["fixed broadband with carrier-grade NAT"],
            isp.country,
            [(f"{isp.name} (fictional)", "its subscribers in Pakistan")],
            {"*": f"{isp.name} (fictional)"},
            _P(f"e-mail {isp.emails[0]} (LEA desk)", fic, "scenario"),
            _P(["ip_port_time", "subscriber_id", "phone"], fic, "scenario"),
            {
                SUB: _P("subscriber name, installation address, CNIC on file", fic, "scenario"),
                IDN: _P(
                    "which subscriber used a public IP address and port block at a time "
                    "(assignment records, kept in Pakistan local time)",
                    fic,
                    "scenario",
                ),
            },
            _P(
                "cannot identify a CGNAT user from an IP address without the source port",
                fic,
                "scenario",
            ),
            _P(None, fic, "scenario"),
            _P("not applicable (domestic provider)", fic, "scenario"),
            _P("domestic legal process from the investigating agency", fic, "scenario"),
            _P(
                False,
                fic + " (domestic: use a domestic order, not a foreign-provider channel)",
                "scenario",
            ),
            _P("domestic order", fic, "scenario"),
            attach=_P(
                "a domestic order: retained traffic data are produced on a court warrant "
                "(PECA 2016 s. 32, through the NCCIA) — section from a secondary source, "
                "verify",
                fic + "; legal facts register pk-peca-s32",
                "scenario",
            ),
        ),
    ]
    return out


def provider(name_or_id, providers: dict | None = None) -> Provider:
    """Find a provider by id (``"tiktok"``) or name, case-insensitively.

    >>> provider("TikTok").provider_id
    'tiktok'
    """
    if isinstance(name_or_id, Provider):
        return name_or_id
    pool = providers or PROVIDERS
    if not isinstance(name_or_id, str) or not name_or_id.strip():
        raise ProviderError(f"provider {name_or_id!r} is empty or not text")
    key = name_or_id.strip().casefold()
    for p in pool.values():
        if (
            key in (p.provider_id.casefold(), p.name.casefold())
            or key == p.name.split(" (")[0].casefold()
        ):
            return p
    raise ProviderError(f"unknown provider {name_or_id!r}; known: {', '.join(sorted(pool))}")


def provider_for_platform(platform: str, providers: dict | None = None) -> Provider:
    """The real provider a scenario platform stands for (``chaupal`` -> Meta, ...)."""
    if not isinstance(platform, str) or platform.strip().lower() not in PLATFORM_PROVIDER:
        raise ProviderError(
            f"unknown platform {platform!r}; known: {', '.join(sorted(PLATFORM_PROVIDER))}",
            field="platform",
        )
    return provider(PLATFORM_PROVIDER[platform.strip().lower()], providers)


def addressee(provider_id, user_country: str, providers: dict | None = None) -> str:
    """Legal entity to address a request to, for a user located in ``user_country``.

    >>> addressee("meta", "BD")
    'Meta Platforms, Inc.'
    >>> addressee("tiktok", "IT")
    'TikTok Technology Limited'
    """
    return provider(provider_id, providers).addressee(user_country)


_PATTERNS = {
    "user_id": re.compile(r"^\d{5,20}$"),
    "phone": E164,  # international form, the one every provider asks for
    "email": re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$"),
    "username": re.compile(r"^@?[A-Za-z0-9._]{2,32}$"),
    "subscriber_id": re.compile(r"^[A-Z]{2,4}-?\d{3,10}$"),
}


def _wallet_ok(text: str) -> bool:
    from ..reference.addresses import classify

    return classify(text)[0] is not None


def check_identifier(
    provider_id, kind: str, value: str, providers: dict | None = None
) -> str | None:
    """``None`` if ``value`` is a ``kind`` of identifier the provider accepts, in a well-formed
    way; otherwise a sentence saying what is wrong (never raises for a bad value).

    >>> check_identifier("whatsapp", "phone", "+923005551234") is None
    True
    >>> check_identifier("whatsapp", "phone", "0300-5551234")
    "phone '0300-5551234' is not in international form (+ country code, digits only)"
    >>> check_identifier("meta", "display_name", "Crescent Way Jobs")
    'Meta (Facebook, Instagram, Messenger) does not accept a display_name; give one of: user_id, username, url, email, phone'
    """
    p = provider(provider_id, providers)
    if kind not in IDENTIFIER_KINDS:
        return f"identifier kind {kind!r} is unknown; use one of {', '.join(IDENTIFIER_KINDS)}"
    if kind not in p.accepted_identifiers:
        return (
            f"{p.name} does not accept a {kind}; give one of: {', '.join(p.accepted_identifiers)}"
        )
    if not isinstance(value, str) or not value.strip():
        return f"{kind} is empty"
    v = value.strip()
    if kind == "phone" and not _PATTERNS["phone"].match(v):
        return f"phone {v!r} is not in international form (+ country code, digits only)"
    if kind == "url":
        m = re.match(r"^https?://([^/]+)/\S+$", v)
        if not m or m.group(1).lower() not in p.url_hosts:
            return f"url {v!r} is not a profile link on {p.name}"
        return None
    if kind == "wallet":
        return None if _wallet_ok(v) else f"wallet {v!r} is not a valid TRON or bitcoin address"
    if kind == "ip_port_time":
        return (
            None
            if re.fullmatch(r"[0-9a-fA-F:.]+ port \d{1,5} at \S+(Z|[+-]\d\d:\d\d)", v)
            else (f"ip_port_time {v!r} must read '<ip> port <n> at <ISO time with offset>'")
        )
    pat = _PATTERNS.get(kind)
    if pat and not pat.match(v):
        return f"{kind} {v!r} is malformed"
    return None
