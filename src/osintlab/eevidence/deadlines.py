"""Preservation deadlines: when a "do-not-delete" runs out, and when to act before it does.

A preservation is only a pause. If the formal request (production order or MLA) has not
reached the provider when the period ends, the provider may delete the data. The arithmetic is
simple; getting it wrong is not, so start times must carry their offset and every regime
names its source.

    >>> d = preservation_deadline("us_2703f", "2026-05-04T10:30:00+05:00")
    >>> d.expires_utc.date().isoformat(), d.final_expiry_utc.date().isoformat()
    ('2026-08-02', '2026-10-31')
    >>> [r.date().isoformat() for _, r in d.reminders]
    ['2026-07-19', '2026-07-26']
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
    minimum: bool          # True when the text sets a minimum, not a maximum
    source: str
    status: str = "primary"


REGIMES = {r.key: r for r in [
    Regime("us_2703f", "US 18 U.S.C. § 2703(f) (US providers)", 90, 90, False,
           "18 U.S.C. § 2703(f)(2): 90 days, extended for another 90 on a renewed request "
           "(https://www.law.cornell.edu/uscode/text/18/2703)"),
    Regime("eu_epoc_pr", "EU European Preservation Order (Reg. (EU) 2023/1543)", 60, 30, False,
           "Reg. (EU) 2023/1543, EPOC-PR: preservation ceases after 60 days unless extended by "
           "30 days or a production request is confirmed "
           "(https://eur-lex.europa.eu/legal-content/EN/TXT/HTML/?uri=CELEX:32023R1543)"),
    Regime("budapest_art29", "Budapest Convention Art. 29(7) (international preservation)", 60,
           None, True,
           "Convention on Cybercrime (ETS 185) Art. 29(7): preserved for not less than 60 days "
           "to allow the MLA request (https://rm.coe.int/1680081561) — read in a secondary "
           "summary, verify against the treaty text", "secondary (verify)"),
    Regime("provider_90", "Provider policy: 90 days pending formal process (e.g. Meta, "
           "WhatsApp)", 90, None, False,
           "Provider law-enforcement guidelines (see the provider profiles for source and "
           "date)", "secondary (verify)"),
]}


@dataclass(frozen=True)
class Deadline:
    regime: Regime
    start_utc: datetime            # when the provider received / confirmed the preservation
    expires_utc: datetime          # end of the first period
    extended: bool
    final_expiry_utc: datetime     # end of the extension (== expires_utc when none exists)
    reminders: tuple               # ((label, utc datetime), ...) before the period that applies

    @property
    def applies_until(self) -> datetime:
        return self.final_expiry_utc if self.extended else self.expires_utc

    def days_left(self, now) -> int:
        """Whole days from ``now`` (aware) until the period that applies ends (negative when
        it has passed)."""
        return (self.applies_until - _utc_arg(now, "now")).days

    def as_dict(self) -> dict:
        return {"regime": self.regime.key, "start_utc": utc_iso(self.start_utc),
                "expires_utc": utc_iso(self.expires_utc), "extended": self.extended,
                "final_expiry_utc": utc_iso(self.final_expiry_utc),
                "applies_until_utc": utc_iso(self.applies_until),
                "reminders": [(label, utc_iso(t)) for label, t in self.reminders],
                "source": self.regime.source}


def _utc_arg(value, name: str) -> datetime:
    if isinstance(value, date) and not isinstance(value, datetime):
        raise DeadlineError(f"{name} {value!r} is a date without a time zone; give the moment "
                            "with its offset, e.g. '2026-05-04T10:30:00+05:00'", name)
    try:
        moment = parse_timestamp(value)
    except TimeZoneError as e:
        raise DeadlineError(f"{name}: {e}", name) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise DeadlineError(f"{name} {value!r} has no time zone; a deadline computed from it "
                            "could be a day out. Add the offset (e.g. '+05:00') or 'Z'", name)
    return to_utc(moment)


def preservation_deadline(regime: str, start, *, extended: bool = False,
                          remind_days: tuple[int, ...] = (14, 7)) -> Deadline:
    """Expiry and reminder times of a preservation under ``regime`` (a key of :data:`REGIMES`).

    ``start`` is when the provider received or confirmed the preservation: an aware datetime or
    ISO text with an offset (a naive time or a bare date is refused). ``extended=True`` means an
    extension was granted; reminders are set before the period that then applies. Periods are
    counted in whole days from the start moment, in UTC.
    """
    if regime not in REGIMES:
        raise DeadlineError(f"unknown regime {regime!r}; use one of {', '.join(REGIMES)}",
                            "regime")
    if not isinstance(extended, bool):
        raise DeadlineError(f"extended must be True or False, not {extended!r}", "extended")
    r = REGIMES[regime]
    if extended and not r.extension_days:
        raise DeadlineError(f"{r.name} has no extension period in the course's sources; "
                            "send a fresh request before it ends", "extended")
    if (not isinstance(remind_days, (tuple, list)) or
            not all(isinstance(d, int) and not isinstance(d, bool) and 0 < d < r.days
                    for d in remind_days)):
        raise DeadlineError(f"remind_days {remind_days!r} must be whole days between 1 and "
                            f"{r.days - 1}", "remind_days")
    start_utc = _utc_arg(start, "start")
    expires = start_utc + timedelta(days=r.days)
    final = expires + timedelta(days=r.extension_days or 0)
    target = final if extended else expires
    reminders = tuple((f"{d} days before {'extended ' if extended else ''}expiry",
                       target - timedelta(days=d)) for d in sorted(remind_days, reverse=True))
    return Deadline(r, start_utc, expires, extended, final, reminders)
