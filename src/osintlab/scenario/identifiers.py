"""Synthetic identifiers that cannot point to a real person or organisation.

The safe-data rules (docs/architecture.md, *Synthetic data is safe data*), as code:

* e-mail and web domains: reserved names only (``example.com/.net/.org`` and the ``.example``,
  ``.test``, ``.invalid`` top-level domains, RFC 2606 / RFC 6761);
* IP addresses: documentation ranges only (``192.0.2.0/24``, ``198.51.100.0/24``,
  ``203.0.113.0/24``, RFC 5737; ``2001:db8::/32``, RFC 3849);
* phone numbers: a fiction range where the country has one (UK Ofcom drama numbers
  ``+44 7700 900xxx``, North America ``+1 NXX 555-01xx``), and elsewhere the course's documented
  synthetic pattern: the country's mobile prefix followed by ``555`` (``+92 3NN 555 NNNN``).
  Such numbers are well formed, so phonenumbers parses and validates them, and the ``555`` block
  marks them as course data;
* crypto addresses: valid encodings of random key hashes drawn from the scenario's own random
  stream (a collision with a real wallet is as likely as guessing a private key).

Every generator takes a :class:`random.Random` so that the same seed gives the same identifier.

    >>> import random
    >>> number = phone_number(random.Random(1), "PK")
    >>> number.startswith("+923") and number[6:9] == "555", is_safe_phone(number)
    (True, True)
    >>> is_safe_ip("203.0.113.7"), is_safe_ip("8.8.8.8")
    (True, False)
"""

from __future__ import annotations

import ipaddress
import random
import re
import string

# The codecs have one home; bech32_polymod and convertbits stay importable from here too.
from ..reference.addresses import base58check, bech32_polymod, convertbits, segwit_address  # noqa: F401

# ---------------------------------------------------------------------------------------------
# Phone numbers (the national plans and the written forms of a number are reference data that
# the toolkit reads too: osintlab.reference.phones)
# ---------------------------------------------------------------------------------------------
from ..reference.phones import PHONE_PLANS, format_phone_local  # noqa: F401  (re-exported)

#: Patterns a course phone number must match (E.164, no spaces).
SAFE_PHONE_PATTERNS = [
    re.compile(r"^\+44" r"7700900\d{3}$"),  # Ofcom drama numbers (UK)
    re.compile(r"^\+1[2-9]\d{2}55501\d{2}$"),  # North American fiction range
] + [
    re.compile(rf"^\+{cc}(?:{'|'.join(prefixes)})555\d{{{n}}}$")
    for cc, prefixes, n in PHONE_PLANS.values()
]


def phone_number(rng: random.Random, country: str) -> str:
    """A synthetic mobile number in E.164 form for ``country`` (ISO 3166 alpha-2).

    >>> import random
    >>> phone_number(random.Random(3), "BD").startswith("+880")
    True
    """
    if country == "GB":
        return f"+447700900{rng.randrange(1000):03d}"
    if country in ("US", "CA"):
        return f"+1{rng.randrange(200, 1000)}55501{rng.randrange(100):02d}"
    try:
        code, prefixes, digits = PHONE_PLANS[country]
    except KeyError:
        raise ValueError(f"no synthetic phone plan for country {country!r}") from None
    tail = "".join(rng.choice(string.digits) for _ in range(digits))
    return f"+{code}{rng.choice(prefixes)}555{tail}"


def is_safe_phone(e164: str) -> bool:
    """True if ``e164`` lies in a fiction range or the course's synthetic pattern."""
    return any(p.match(e164) for p in SAFE_PHONE_PATTERNS)


# ---------------------------------------------------------------------------------------------
# Domains, e-mail, IP addresses
# ---------------------------------------------------------------------------------------------

RESERVED_SECOND_LEVEL = ("example.com", "example.net", "example.org")
RESERVED_TLDS = (".example", ".test", ".invalid")


def is_safe_domain(domain: str) -> bool:
    """True for reserved names: ``example.com/.net/.org`` (and sub-domains) or a reserved TLD.

    >>> is_safe_domain("jobs.silvercrest.example"), is_safe_domain("facebook.com")
    (True, False)
    """
    d = domain.lower().rstrip(".")
    return any(d == s or d.endswith("." + s) for s in RESERVED_SECOND_LEVEL) or d.endswith(
        RESERVED_TLDS
    )


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens, for domains and handles."""
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return out or "x"


def domain_for(name: str, tld: str = ".example") -> str:
    """A reserved-TLD domain for an invented organisation name.

    >>> domain_for("Silver Crest Overseas")
    'silvercrest-overseas.example'
    """
    words = slug(name).split("-")
    head = "".join(words[:2]) if len(words) > 1 else words[0]
    rest = "-".join(words[2:3])
    return f"{head}-{rest}{tld}" if rest else f"{head}{tld}"


DOC_NETWORKS_V4 = tuple(
    ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")
)
DOC_NETWORK_V6 = ipaddress.ip_network("2001:db8::/32")


def ip_v4(rng: random.Random, network: int | None = None) -> str:
    """An address from one of the three IPv4 documentation ranges (host part 1..254)."""
    net = DOC_NETWORKS_V4[rng.randrange(3) if network is None else network]
    return str(net.network_address + rng.randrange(1, 255))


def ip_v6(rng: random.Random) -> str:
    """An address inside ``2001:db8::/32``."""
    return str(DOC_NETWORK_V6.network_address + rng.getrandbits(96))


def is_safe_ip(text: str) -> bool:
    """True if ``text`` is an IP address inside a documentation range."""
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return False
    if ip.version == 4:
        return any(ip in n for n in DOC_NETWORKS_V4)
    return ip in DOC_NETWORK_V6


# ---------------------------------------------------------------------------------------------
# Crypto addresses (the codecs live in osintlab.reference.addresses; validation is
# osintlab.crypto's job)
# ---------------------------------------------------------------------------------------------


def btc_address(rng: random.Random, kind: str = "p2wpkh", testnet: bool = False) -> str:
    """A bitcoin address of ``kind`` p2pkh, p2sh, p2wpkh, p2wsh or p2tr for a random key hash."""
    if kind == "p2pkh":
        return base58check(bytes([0x6F if testnet else 0x00]) + rng.randbytes(20))
    if kind == "p2sh":
        return base58check(bytes([0xC4 if testnet else 0x05]) + rng.randbytes(20))
    hrp = "tb" if testnet else "bc"
    if kind == "p2wpkh":
        return segwit_address(hrp, 0, rng.randbytes(20))
    if kind == "p2wsh":
        return segwit_address(hrp, 0, rng.randbytes(32))
    if kind == "p2tr":
        return segwit_address(hrp, 1, rng.randbytes(32))
    raise ValueError(f"unknown bitcoin address kind {kind!r}")


def tron_address(rng: random.Random) -> str:
    """A TRON address: Base58Check of 0x41 + 20 random bytes (always starts with 'T')."""
    return base58check(b"\x41" + rng.randbytes(20))


# ---------------------------------------------------------------------------------------------
# Devices
# ---------------------------------------------------------------------------------------------


def luhn_digit(digits: str) -> str:
    """The Luhn check digit for a string of digits (used by IMEIs)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def imei(rng: random.Random) -> str:
    """A synthetic 15-digit IMEI with a valid Luhn digit and the reserved test TAC prefix ``00``.

    >>> import random
    >>> len(imei(random.Random(1)))
    15
    """
    body = "00" + "".join(rng.choice(string.digits) for _ in range(12))
    return body + luhn_digit(body)


def camera_serial(rng: random.Random, prefix: str) -> str:
    """An invented camera body serial number such as ``SRX4410923``."""
    return prefix + "".join(rng.choice(string.digits) for _ in range(7))
