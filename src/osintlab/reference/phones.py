"""Phone numbers: read a number however it was written, and write it the ways people do.

One reader for the whole package. :func:`parse_phone` turns what an ad, a chat or a phone's
contact list shows (``0300-5551234``, ``0092 300 5551234``, ``+92 300 5551234``) into E.164
(``+923005551234``) with Google's libphonenumber (the ``phonenumbers`` package). ``strict``
decides how sure the reader must be:

* ``strict=True`` (social media, e-evidence requests): the number must be *valid*, a number
  the country's plan actually assigns. A partial or mistyped number in an ad is rejected with
  the reason, because pivoting on it would find the wrong person.
* ``strict=False`` (a seized phone's records): the number must only be *possible* (the right
  length); a phone logs what it dialled, and a short-lived or foreign range is still evidence.

:func:`format_phone_local` does the opposite: the national, spaced, compact and ``wa.me``
forms of a number, as ads write them (the generator writes them, search looks for them).

    >>> parse_phone("0300-5551234")
    ('+923005551234', '')
    >>> normalise_phone("01755-512345", ("PK", "BD"))
    '+8801755512345'
    >>> parse_phone("0300-555")[0] is None
    True
    >>> format_phone_local("+923005551234", "spaced")
    '+92 300 5551234'
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = [
    "PhoneError",
    "parse_phone",
    "normalise_phone",
    "phone_region",
    "is_e164",
    "format_phone_local",
    "PHONE_PLANS",
    "E164",
]

#: country -> (calling code, list of national mobile prefixes, digits after "555"): the mobile
#: ranges the course's synthetic numbers use (see :mod:`osintlab.scenario.identifiers`).
PHONE_PLANS = {
    "PK": ("92", ["300", "301", "303", "306", "313", "321", "333", "345", "346"], 4),
    "BD": ("880", ["17", "18", "19", "13", "15"], 5),
    "AE": ("971", ["50", "52", "55", "56"], 4),
    "TH": ("66", ["81", "82", "86", "89", "61"], 4),
    "MM": ("95", ["9"], 6),
    "IR": ("98", ["912", "915", "935", "901"], 4),
    "TR": ("90", ["532", "533", "542", "555"], 4),
    "LY": ("218", ["91", "92", "94"], 4),
    "IT": ("39", ["320", "331", "347", "388"], 4),
    "GR": ("30", ["690", "694", "697", "698"], 4),
}

#: A number in international E.164 form: ``+``, country code, at most 15 digits in all.
E164 = re.compile(r"^\+[1-9]\d{7,14}$")


class PhoneError(ValueError):
    """A phone number cannot be read; the message names it and says why."""


#: What people write between the digits of one number; anything else (a colon, a letter) is
#: left for libphonenumber to judge, so a time stamp or a wallet is never read as a number.
_SEPARATORS = re.compile(r"[\s\-.()/]")


@lru_cache(maxsize=65536)
def _parse(raw: str, regions: tuple[str, ...], strict: bool) -> tuple[str | None, str]:
    import phonenumbers

    digits = _SEPARATORS.sub("", raw)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    tried = [None] if digits.startswith("+") else list(regions)
    reason = ""
    accept = phonenumbers.is_valid_number if strict else phonenumbers.is_possible_number
    for region in tried:
        try:
            num = phonenumbers.parse(digits, region)
        except phonenumbers.NumberParseException as exc:
            reason = f"cannot parse ({exc})"
            continue
        if accept(num):
            e164 = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
            return e164, ""
        reason = (
            ("not a valid number" if strict else "not a possible number")
            + (f" for {region}" if region else "")
            + (" (too short or partial?)" if len(re.sub(r"\D", "", digits)) < 10 else "")
        )
    if not digits.startswith("+") and len(regions) > 1:
        reason = f"not a {'valid' if strict else 'possible'} number in any of {', '.join(regions)}"
    return None, reason


def parse_phone(raw: str, regions=("PK",), *, strict: bool = True) -> tuple[str | None, str]:
    """``(E.164, "")`` for a number as written, or ``(None, reason)`` if it cannot be read.

    Spaces, dashes, dots and brackets are ignored and ``00`` means ``+``. A number written
    without a country code is tried in each of ``regions`` in turn (ISO 3166 alpha-2: the
    country the ad or phone is from, stated, not guessed). See the module docstring for
    ``strict``.

    >>> parse_phone("+92 300 555 1234")
    ('+923005551234', '')
    >>> parse_phone("0300-555")
    (None, 'not a valid number for PK (too short or partial?)')
    """
    if not isinstance(raw, str):
        raise PhoneError(f"phone number must be text, got {type(raw).__name__}: {raw!r:.40}")
    return _parse(raw, tuple(regions), bool(strict))


def normalise_phone(raw: str, regions=("PK",), *, strict: bool = True) -> str:
    """``raw`` in E.164 form, or :class:`PhoneError` with the reason (see :func:`parse_phone`).

    >>> normalise_phone("0092 300 5551234")
    '+923005551234'
    """
    e164, why = parse_phone(raw, regions, strict=strict)
    if e164 is None:
        raise PhoneError(f"phone number {raw!r}: {why}")
    return e164


@lru_cache(maxsize=4096)
def phone_region(e164: str) -> str:
    """The country (ISO 3166 alpha-2) a number in E.164 form belongs to; ``""`` if unknown.

    >>> phone_region("+8801755512345"), phone_region("not a number")
    ('BD', '')
    """
    import phonenumbers

    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(e164)) or ""
    except phonenumbers.NumberParseException:
        return ""


def is_e164(text: str) -> bool:
    """True if ``text`` is written in international E.164 form (``+923005551234``).

    >>> is_e164("+923005551234"), is_e164("0300-5551234")
    (True, False)
    """
    return isinstance(text, str) and bool(E164.match(text))


def format_phone_local(e164: str, style: str = "national") -> str:
    """Write a number the way people type it in ads (``0300-5551234``, ``+92 300 5551234``).

    ``style``: ``national`` (trunk ``0`` and a dash), ``spaced``, ``compact`` (``00`` prefix)
    or ``wa`` (a WhatsApp click-to-chat link). Numbers outside :data:`PHONE_PLANS` come back
    unchanged.

    >>> format_phone_local("+923005551234")
    '0300-5551234'
    >>> format_phone_local("+923005551234", "wa")
    'https://wa.me/923005551234'
    """
    for cc, prefixes, _ in PHONE_PLANS.values():
        if e164.startswith("+" + cc):
            rest = e164[1 + len(cc) :]
            prefix = next((p for p in prefixes if rest.startswith(p)), rest[:3])
            body = rest[len(prefix) :]
            if style == "national":
                if cc == "880":  # Bangladesh writes 01955-573021
                    return f"0{rest[:4]}-{rest[4:]}"
                if cc == "39":  # Italian mobiles have no trunk 0
                    return f"{prefix} {body}"
                return f"0{prefix}-{body}"
            if style == "spaced":
                return f"+{cc} {prefix} {body}"
            if style == "compact":
                return f"00{cc}{rest}"
            if style == "wa":
                return f"https://wa.me/{cc}{rest}"
            raise ValueError(f"unknown phone style {style!r}")
    return e164
