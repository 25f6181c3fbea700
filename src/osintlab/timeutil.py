"""Time-zone handling shared by every module: local times in, UTC out, never a silent guess.

Providers report in UTC; victims, officers and phones report local time. Most wrong-house
searches in the e-evidence literature come from a time zone or clock format assumed rather than
checked, so these helpers refuse a time without a zone instead of guessing one.

    >>> to_utc("2026-03-04 14:05", "Asia/Karachi").isoformat()
    '2026-03-04T09:05:00+00:00'
    >>> utc_iso(to_utc("2026-03-04T14:05:00+05:00"))
    '2026-03-04T09:05:00Z'
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["TimeZoneError", "resolve_zone", "to_utc", "utc_iso", "parse_timestamp", "ZONES"]


class TimeZoneError(ValueError):
    """A time without a usable zone, or a zone name that cannot be resolved."""


#: Zones of the scenario, by the place an officer would name.
ZONES = {
    "Pakistan": "Asia/Karachi",
    "Bangladesh": "Asia/Dhaka",
    "United Arab Emirates": "Asia/Dubai",
    "Thailand": "Asia/Bangkok",
    "Myanmar": "Asia/Yangon",
    "Iran": "Asia/Tehran",
    "Turkey": "Europe/Istanbul",
    "Greece": "Europe/Athens",
    "Libya": "Africa/Tripoli",
    "Italy": "Europe/Rome",
    "UTC": "UTC",
}

# Abbreviations people write in reports. Ambiguous ones (BST = Bangladesh Standard Time *or*
# British Summer Time; IST = India, Ireland or Israel; GST = Gulf or South Georgia) are refused on
# purpose: the officer must say which zone was meant.
_ABBREVIATIONS = {
    "UTC": "UTC",
    "GMT": "UTC",
    "Z": "UTC",
    "PKT": "Asia/Karachi",
    "ICT": "Asia/Bangkok",
    "MMT": "Asia/Yangon",
    "IRST": "Asia/Tehran",
    "TRT": "Europe/Istanbul",
}
_AMBIGUOUS = {
    "BST": "Bangladesh Standard Time (Asia/Dhaka) or British Summer Time (Europe/London)",
    "IST": "India, Irish or Israel Standard Time",
    "GST": "Gulf Standard Time (Asia/Dubai) or South Georgia Time",
    "CST": "China, Cuba or US Central Standard Time",
    "EET": "several Eastern European zones with different summer-time rules",
}
_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$")


def resolve_zone(zone: str | tzinfo) -> tzinfo:
    """Turn an IANA name, a UTC offset or an unambiguous abbreviation into a tzinfo.

    >>> resolve_zone("+05:30")
    datetime.timezone(datetime.timedelta(seconds=19800))
    >>> resolve_zone("PKT")
    zoneinfo.ZoneInfo(key='Asia/Karachi')
    """
    if isinstance(zone, tzinfo):
        return zone
    if not isinstance(zone, str) or not zone.strip():
        raise TimeZoneError(f"time zone {zone!r} is not a zone name or offset")
    name = zone.strip()
    upper = name.upper()
    if upper in _AMBIGUOUS:
        raise TimeZoneError(
            f"time zone {name!r} is ambiguous ({_AMBIGUOUS[upper]}); "
            "give an IANA name such as 'Asia/Dhaka' or an offset such as '+06:00'"
        )
    if upper in _ABBREVIATIONS:
        return ZoneInfo(_ABBREVIATIONS[upper])
    if name in ZONES:
        return ZoneInfo(ZONES[name])
    match = _OFFSET.match(name)
    if match:
        sign, hours, minutes = match.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        if delta > timedelta(hours=14):
            raise TimeZoneError(f"UTC offset {name!r} is outside -14:00..+14:00")
        return timezone(-delta if sign == "-" else delta)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise TimeZoneError(
            f"unknown time zone {name!r}; use an IANA name such as "
            "'Asia/Karachi' or an offset such as '+05:00'"
        ) from None


def parse_timestamp(value: str | datetime) -> datetime:
    """Parse an ISO 8601 string (``T`` or space, optional ``Z`` or offset) into a datetime.

    The result is naive when the text carries no zone; :func:`to_utc` decides what to do then.

    >>> parse_timestamp("2026-03-04 14:05:09Z").tzinfo
    datetime.timezone.utc
    """
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not value.strip():
        raise TimeZoneError(f"timestamp {value!r} is empty or not text")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise TimeZoneError(
            f"cannot read timestamp {value!r}; expected ISO 8601 such as "
            "'2026-03-04 14:05' or '2026-03-04T09:05:00Z'"
        ) from None


def to_utc(value: str | datetime, tz: str | tzinfo | None = None) -> datetime:
    """Return ``value`` as an aware datetime in UTC.

    ``tz`` says which zone a *naive* local time was recorded in. A value that already carries an
    offset keeps it (and ``tz`` must then agree with it or be omitted), because silently
    re-interpreting a time that states its own offset is exactly the error to avoid.

    >>> to_utc("2026-01-15 23:30", "Asia/Dhaka").isoformat()
    '2026-01-15T17:30:00+00:00'
    >>> to_utc("2026-01-15 23:30")
    Traceback (most recent call last):
    ...
    osintlab.timeutil.TimeZoneError: time '2026-01-15 23:30' has no time zone; pass tz= ...
    """
    moment = parse_timestamp(value)
    if moment.tzinfo is None or moment.utcoffset() is None:
        if tz is None:
            raise TimeZoneError(
                f"time {value!r} has no time zone; pass tz= (e.g. 'Asia/Karachi'"
                " or '+05:00') with the zone it was recorded in"
            )
        zone = resolve_zone(tz)
        moment = moment.replace(tzinfo=zone)
        if isinstance(zone, ZoneInfo):
            _check_wall_time(moment, value, zone)
    elif tz is not None:
        zone = resolve_zone(tz)
        stated = moment.utcoffset()
        implied = moment.replace(tzinfo=zone).utcoffset()
        if stated != implied:
            raise TimeZoneError(
                f"time {value!r} states offset {_fmt(stated)} but tz={tz!r} "
                f"means {_fmt(implied)} at that moment; drop one of them"
            )
    return moment.astimezone(UTC)


def _check_wall_time(moment: datetime, original, zone: ZoneInfo) -> None:
    # A wall time skipped by a daylight-saving jump does not exist; one repeated is ambiguous.
    back = moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if back != moment.replace(tzinfo=None):
        raise TimeZoneError(
            f"local time {original!r} does not exist in {zone.key} (clocks jumped forward)"
        )
    if moment.replace(fold=1).utcoffset() != moment.replace(fold=0).utcoffset():
        raise TimeZoneError(
            f"local time {original!r} occurs twice in {zone.key} (clocks went "
            "back); give the offset explicitly"
        )


def _fmt(delta: timedelta | None) -> str:
    if delta is None:
        return "none"
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def utc_iso(moment: datetime) -> str:
    """Format an aware datetime as ISO 8601 UTC with a ``Z``, to the second.

    >>> from datetime import datetime, timezone
    >>> utc_iso(datetime(2026, 3, 4, 9, 5, tzinfo=timezone.utc))
    '2026-03-04T09:05:00Z'
    """
    if not isinstance(moment, datetime) or moment.utcoffset() is None:
        raise TimeZoneError(f"{moment!r} is not a time-zone-aware datetime")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
