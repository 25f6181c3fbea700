"""Preservation deadlines: when a "do-not-delete" runs out, and when to act before it does.

A preservation is only a pause. If the formal request (production order or MLA) has not
reached the provider when the period ends, the provider may delete the data. The arithmetic is
simple; getting it wrong is not, so start times must carry their offset and every regime
names its source.

Which rule applies depends on who asks: a Pakistani or Bangladeshi request sent directly to a
foreign provider is kept under that provider's voluntary policy (``REGIMES[...].who`` says who
can invoke each rule).

    >>> d = preservation_deadline("tiktok_policy", "2026-05-04T10:30:00+05:00")
    >>> d.expires_utc.date().isoformat(), d.final_expiry_utc.date().isoformat()
    ('2026-08-02', '2026-10-31')
    >>> [r.date().isoformat() for _, r in d.reminders]
    ['2026-07-19', '2026-07-26']
    >>> REGIMES["us_2703f"].who.startswith("only US authorities")
    True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ..timeutil import TimeZoneError, parse_timestamp, to_utc, utc_iso

__all__ = ["REGIMES", "Regime", "Deadline", "preservation_deadline", "DeadlineError"]


class DeadlineError(ValueError):
    """Bad input to a deadline calculation; ``field`` names the argument."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Regime:
    key: str
    name: str
    days: int
    extension_days: int | None
    minimum: bool  # True when the text sets a minimum, not a maximum
    source: str
    status: str = "primary"
    who: str = ""  # who can invoke it — for a Pakistani or Bangladeshi requester
    fact_id: str = ""  # the legal facts register entry it rests on


#: Preservation rules, seen from a Pakistani or Bangladeshi requester. A direct request to a
#: foreign provider runs under that provider's *voluntary* policy (``*_policy``); the statutory
#: and treaty regimes are listed so trainees can see why they do not apply to them.
REGIMES = {
    r.key: r
    for r in [
        Regime(
            "meta_policy",
            "Meta's policy: 90 days pending formal legal process",
            90,
            None,
            False,
            "Meta, Information for law enforcement authorities (OTA capture 2025-09-28): 90 days "
            "pending formal legal process; extension for non-US requesters not stated",
            "primary",
            "any authority, through Meta's portal (voluntary policy)",
            "prov-meta-preserve",
        ),
        Regime(
            "tiktok_policy",
            "TikTok's policy: 90 days, one 90-day extension on a formal request",
            90,
            90,
            False,
            "TikTok Law Enforcement Guidelines, last updated 13 July 2026: 90 days plus one "
            "further 90-day extension; multiple extensions may not be honoured",
            "primary",
            "any authority, through TikTok's webform (voluntary policy)",
            "prov-tiktok-preserve",
        ),
        Regime(
            "x_policy",
            "X's policy: 90-day snapshot pending valid legal process",
            90,
            None,
            False,
            "X, Guidelines for law enforcement (OTA capture 2026-08-13): extensions 'may' be "
            "honoured, requested at least 7 days before expiry (length not stated)",
            "primary",
            "any authority (voluntary policy)",
            "prov-x",
        ),
        Regime(
            "snap_non_us",
            "Snap's policy for non-US requesters: up to one year + 180 days",
            365,
            180,
            False,
            "Snap Law Enforcement Guide, last updated 1 July 2025: up to one year while the MLAT "
            "or letters rogatory process runs, plus one 180-day extension at Snap's discretion",
            "primary",
            "non-US authorities (voluntary policy)",
            "prov-snap",
        ),
        Regime(
            "us_2703f",
            "18 U.S.C. § 2703(f): 90 + 90 days — only on a US governmental entity's request",
            90,
            90,
            False,
            "18 U.S.C. § 2703(f)(2) (https://www.law.cornell.edu/uscode/text/18/2703); "
            "'governmental entity' = a US federal or State body, § 2711(4)",
            "primary",
            "only US authorities; a Pakistani or Bangladeshi unit reaches it through them (e.g. "
            "the FBI Legal Attaché, or DOJ on an MLA request)",
            "us-2703f-foreign",
        ),
        Regime(
            "pk_peca_s31",
            "PECA 2016 s. 31 notice (domestic): up to 90 days, court informed in 24 h",
            90,
            None,
            False,
            "Prevention of Electronic Crimes Act 2016 s. 31 (section number from a secondary "
            "list, content from the bill text — check pakistancode.gov.pk); the court may extend",
            "secondary (verify)",
            "Pakistan's PECA investigation agency (NCCIA), for data held in Pakistan",
            "pk-peca-s31",
        ),
        Regime(
            "eu_epoc_pr",
            "EU European Preservation Order (Reg. (EU) 2023/1543): 60 + 30 days",
            60,
            30,
            False,
            "Reg. (EU) 2023/1543 Art. 11(1): preservation ceases after 60 days unless extended by "
            "30 days (Annex VI) or a production request is confirmed (Annex V); has applied "
            "since 18 Aug 2026 "
            "(https://eur-lex.europa.eu/legal-content/EN/TXT/HTML/?uri=CELEX:32023R1543)",
            "primary",
            "only EU Member-State judicial authorities — not Pakistan or Bangladesh",
            "eu-2023-1543-epocpr",
        ),
        Regime(
            "budapest_art29",
            "Budapest Convention Art. 29(7): not less than 60 days (between Parties)",
            60,
            None,
            True,
            "Convention on Cybercrime (ETS 185) Art. 29(7), read in a secondary summary "
            "(https://rm.coe.int/1680081561)",
            "secondary (verify)",
            "only Parties to the Convention — Pakistan and Bangladesh are not Parties",
            "int-budapest-art29-7",
        ),
    ]
}


@dataclass(frozen=True)
class Deadline:
    regime: Regime
    start_utc: datetime  # when the provider received / confirmed the preservation
    expires_utc: datetime  # end of the first period
    extended: bool
    final_expiry_utc: datetime  # end of the extension (== expires_utc when none exists)
    reminders: tuple  # ((label, utc datetime), ...) before the period that applies

    @property
    def applies_until(self) -> datetime:
        return self.final_expiry_utc if self.extended else self.expires_utc

    def days_left(self, now) -> int:
        """Whole days from ``now`` (aware) until the period that applies ends (negative when
        it has passed)."""
        return (self.applies_until - _utc_arg(now, "now")).days

    def as_dict(self) -> dict:
        return {
            "regime": self.regime.key,
            "start_utc": utc_iso(self.start_utc),
            "expires_utc": utc_iso(self.expires_utc),
            "extended": self.extended,
            "final_expiry_utc": utc_iso(self.final_expiry_utc),
            "applies_until_utc": utc_iso(self.applies_until),
            "reminders": [(label, utc_iso(t)) for label, t in self.reminders],
            "source": self.regime.source,
            "who": self.regime.who,
        }


def _utc_arg(value, name: str) -> datetime:
    if isinstance(value, date) and not isinstance(value, datetime):
        raise DeadlineError(
            f"{name} {value!r} is a date without a time zone; give the moment "
            "with its offset, e.g. '2026-05-04T10:30:00+05:00'",
            name,
        )
    try:
        moment = parse_timestamp(value)
    except TimeZoneError as e:
        raise DeadlineError(f"{name}: {e}", name) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise DeadlineError(
            f"{name} {value!r} has no time zone; a deadline computed from it "
            "could be a day out. Add the offset (e.g. '+05:00') or 'Z'",
            name,
        )
    return to_utc(moment)


def preservation_deadline(
    regime: str, start, *, extended: bool = False, remind_days: tuple[int, ...] = (14, 7)
) -> Deadline:
    """Expiry and reminder times of a preservation under ``regime`` (a key of :data:`REGIMES`).

    ``start`` is when the provider received or confirmed the preservation: an aware datetime or
    ISO text with an offset (a naive time or a bare date is refused). ``extended=True`` means an
    extension was granted; reminders are set before the period that then applies. Periods are
    counted in whole days from the start moment, in UTC.
    """
    if regime not in REGIMES:
        raise DeadlineError(f"unknown regime {regime!r}; use one of {', '.join(REGIMES)}", "regime")
    if not isinstance(extended, bool):
        raise DeadlineError(f"extended must be True or False, not {extended!r}", "extended")
    r = REGIMES[regime]
    if extended and not r.extension_days:
        raise DeadlineError(
            f"{r.name} has no extension period in the course's sources; "
            "send a fresh request before it ends",
            "extended",
        )
    if not isinstance(remind_days, (tuple, list)) or not all(
        isinstance(d, int) and not isinstance(d, bool) and 0 < d < r.days for d in remind_days
    ):
        raise DeadlineError(
            f"remind_days {remind_days!r} must be whole days between 1 and {r.days - 1}",
            "remind_days",
        )
    start_utc = _utc_arg(start, "start")
    expires = start_utc + timedelta(days=r.days)
    final = expires + timedelta(days=r.extension_days or 0)
    target = final if extended else expires
    reminders = tuple(
        (f"{d} days before {'extended ' if extended else ''}expiry", target - timedelta(days=d))
        for d in sorted(remind_days, reverse=True)
    )
    return Deadline(r, start_utc, expires, extended, final, reminders)
