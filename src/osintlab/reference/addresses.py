"""Bitcoin, TRON and EVM address codecs: Base58Check, bech32 and bech32m (BIP-173 / BIP-350),
and the EIP-55 mixed-case checksum of ``0x`` addresses (with Keccak-256).

One copy for the whole package: the toolkit (:func:`osintlab.crypto.address_type` and friends)
checks addresses with it and the scenario generator encodes its synthetic wallets with it.
Standard library only; imports nothing else of osintlab.

What you need, and the function that does it:

* encode a payload (version byte + hash) as Base58Check          :func:`base58check`
* decode Base58 text back to bytes                               :func:`b58decode`
* encode a segwit address (bech32 for v0, bech32m for v1+)        :func:`segwit_address`
* encode 5-bit values with a chosen checksum constant             :func:`bech32_encode`
* the checksum itself, and the 8-to-5-bit regrouping             :func:`bech32_polymod`,
                                                                  :func:`hrp_expand`, :func:`convertbits`
* Keccak-256 (Ethereum's hash: *not* SHA3-256, the padding differs) :func:`keccak256`
* an EVM address with its EIP-55 checksum                         :func:`eip55`
* what kind of address is this, or why is it not one?            :func:`classify`

    >>> classify("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")
    ('p2wpkh', None)
    >>> classify("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6T")[1]
    'Base58Check checksum does not match (a typo or a changed character)'
    >>> segwit_address("bc", 0, bytes.fromhex("751e76e8199196d454941c45d1b3a323f1433bd6"))
    'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'
    >>> eip55("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")     # EIP-55 test vector
    '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'
"""

from __future__ import annotations

import hashlib

__all__ = [
    "B58_ALPHABET",
    "BECH32_ALPHABET",
    "BECH32_CONST",
    "BECH32M_CONST",
    "VERSION_BYTES",
    "SEGWIT_HRPS",
    "double_sha256",
    "b58encode",
    "b58decode",
    "base58check",
    "bech32_polymod",
    "hrp_expand",
    "convertbits",
    "bech32_encode",
    "segwit_address",
    "keccak256",
    "eip55",
    "classify",
]

B58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
BECH32_ALPHABET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
BECH32_CONST = 1
BECH32M_CONST = 0x2BC830A3
#: Base58Check version byte -> address type.
VERSION_BYTES = {
    0x00: "p2pkh",
    0x05: "p2sh",
    0x6F: "p2pkh_testnet",
    0xC4: "p2sh_testnet",
    0x41: "tron",
}
#: Segwit human-readable part -> suffix of the address type.
SEGWIT_HRPS = {"bc": "", "tb": "_testnet", "bcrt": "_regtest"}

_B58_INDEX = {c: i for i, c in enumerate(B58_ALPHABET)}
_BECH32_INDEX = {c: i for i, c in enumerate(BECH32_ALPHABET)}


def double_sha256(data: bytes) -> bytes:
    """SHA-256 applied twice (Base58Check's checksum is its first four bytes)."""
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def b58encode(data: bytes) -> str:
    """Base58 text of ``data``; each leading zero byte becomes a ``1``.

    >>> b58encode(b"\\0\\x01")
    '12'
    """
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = B58_ALPHABET[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def b58decode(text: str) -> bytes:
    """Bytes of Base58 ``text``; ``ValueError`` names the first character outside the alphabet.

    >>> b58decode("12")
    b'\\x00\\x01'
    """
    n = 0
    for ch in text:
        if ch not in _B58_INDEX:
            raise ValueError(f"character {ch!r} is not Base58 (0, O, I and l never appear)")
        n = n * 58 + _B58_INDEX[ch]
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    pad = len(text) - len(text.lstrip("1"))
    return b"\0" * pad + body


def base58check(payload: bytes) -> str:
    """Base58Check-encode ``payload`` (version byte(s) included): payload + 4 checksum bytes.

    >>> base58check(bytes([0x41]) + bytes.fromhex("a614f803b6fd780986a42c78ec9c7f77e6ded13c"))
    'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'
    """
    return b58encode(payload + double_sha256(payload)[:4])


def bech32_polymod(values) -> int:
    """The BIP-173 checksum polynomial over 5-bit ``values`` (1 for bech32, 0x2BC830A3 for
    bech32m when the checksum is included)."""
    gen = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    chk = 1
    for v in values:
        top = chk >> 25
        chk = (chk & 0x1FFFFFF) << 5 ^ v
        for i in range(5):
            chk ^= gen[i] if ((top >> i) & 1) else 0
    return chk


def hrp_expand(hrp: str) -> list[int]:
    """The human-readable part as the checksum sees it (high bits, a zero, low bits)."""
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def convertbits(data, frombits: int, tobits: int, pad: bool = True) -> list[int]:
    """Regroup bits (BIP-173): 8-bit bytes to 5-bit words with ``pad``, and back without.

    Without ``pad``, leftover bits must be zero padding of fewer than ``frombits`` bits, else
    ``ValueError`` (an invalid bech32 payload).

    >>> convertbits(b"\\xff", 8, 5)
    [31, 28]
    """
    acc, bits, out = 0, 0, []
    maxv = (1 << tobits) - 1
    for value in data:
        acc = (acc << frombits) | value
        bits += frombits
        while bits >= tobits:
            bits -= tobits
            out.append((acc >> bits) & maxv)
    if pad:
        if bits:
            out.append((acc << (tobits - bits)) & maxv)
    elif bits >= frombits:
        raise ValueError("more than 4 padding bits")
    elif (acc << (tobits - bits)) & maxv:
        raise ValueError("non-zero padding bits")
    return out


def bech32_encode(hrp: str, values: list[int], const: int = BECH32_CONST) -> str:
    """``hrp`` + ``1`` + 5-bit ``values`` + a six-character checksum made with ``const``
    (:data:`BECH32_CONST` or :data:`BECH32M_CONST`). Any pairing of version and constant is
    encoded, so a deliberately wrong one can be made for a training example."""
    polymod = bech32_polymod(hrp_expand(hrp) + list(values) + [0] * 6) ^ const
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(BECH32_ALPHABET[d] for d in list(values) + checksum)


def segwit_address(hrp: str, version: int, program: bytes) -> str:
    """Encode a segwit address: bech32 for version 0 (BIP-173), bech32m otherwise (BIP-350)."""
    const = BECH32_CONST if version == 0 else BECH32M_CONST
    return bech32_encode(hrp, [version] + convertbits(program, 8, 5), const)


# -- decoding: what kind of address, or why not -------------------------------------------------


def _segwit(address: str) -> tuple[str | None, str | None]:
    if len(address) > 90:
        return None, "longer than 90 characters"
    if any(ord(c) < 33 or ord(c) > 126 for c in address):
        return None, "contains a character outside printable ASCII"
    if address.lower() != address and address.upper() != address:
        return None, "mixes upper and lower case (bech32 must be all one case)"
    text = address.lower()
    pos = text.rfind("1")
    hrp, data_part = text[:pos], text[pos + 1 :]
    if hrp not in SEGWIT_HRPS:
        return None, f"unknown human-readable part {hrp!r} (bc, tb or bcrt expected)"
    if len(data_part) < 6:
        return None, "checksum too short"
    bad = [c for c in data_part if c not in _BECH32_INDEX]
    if bad:
        return None, f"character {bad[0]!r} is not in the bech32 alphabet"
    data = [_BECH32_INDEX[c] for c in data_part]
    const = bech32_polymod(hrp_expand(hrp) + data)
    if const not in (BECH32_CONST, BECH32M_CONST):
        return None, "bech32 checksum does not match (a typo or a changed character)"
    encoding = "bech32" if const == BECH32_CONST else "bech32m"
    values = data[:-6]
    if not values:
        return None, "empty data section"
    version = values[0]
    if version > 16:
        return None, f"invalid witness version {version}"
    try:
        program = bytes(convertbits(values[1:], 5, 8, False))
    except ValueError as exc:
        return None, str(exc)
    if not 2 <= len(program) <= 40:
        return None, f"witness program of {len(program)} bytes (2 to 40 allowed)"
    if version == 0 and len(program) not in (20, 32):
        return None, f"version 0 program of {len(program)} bytes (20 or 32 allowed)"
    if version == 0 and encoding != "bech32":
        return None, "version 0 address with a bech32m checksum (BIP-350 requires bech32)"
    if version > 0 and encoding != "bech32m":
        return None, f"version {version} address with a bech32 checksum (BIP-350 requires bech32m)"
    suffix = SEGWIT_HRPS[hrp]
    if version == 0:
        kind = "p2wpkh" if len(program) == 20 else "p2wsh"
    elif version == 1 and len(program) == 32:
        kind = "p2tr"
    else:
        kind = f"witness_v{version}"
    return kind + suffix, None


def _base58(address: str) -> tuple[str | None, str | None]:
    try:
        raw = b58decode(address)
    except ValueError as exc:
        return None, str(exc)
    if len(raw) != 25:
        return None, f"decodes to {len(raw)} bytes (25 expected: version, 20-byte hash, checksum)"
    payload, check = raw[:-4], raw[-4:]
    if double_sha256(payload)[:4] != check:
        return None, "Base58Check checksum does not match (a typo or a changed character)"
    kind = VERSION_BYTES.get(payload[0])
    if kind is None:
        return None, f"unknown version byte 0x{payload[0]:02x}"
    return kind, None


# -- Keccak-256 and EIP-55 -------------------------------------------------------------------
# Ethereum hashes with the original Keccak submission (padding byte 0x01), not with FIPS 202
# SHA3-256 (padding 0x06), so hashlib.sha3_256 gives a different digest. A plain
# implementation of Keccak-f[1600] with rate 136 bytes: slow (about 20 µs a block) but only
# ever used on 40-character addresses.
_KECCAK_RC = [
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
]  # fmt: skip
_KECCAK_ROT = [
    [0, 36, 3, 41, 18],
    [1, 44, 10, 45, 2],
    [62, 6, 43, 15, 61],
    [28, 55, 25, 21, 56],
    [27, 20, 39, 8, 14],
]
_M64 = (1 << 64) - 1


def _keccak_f(a: list[list[int]]) -> None:
    for rc in _KECCAK_RC:
        c = [a[x][0] ^ a[x][1] ^ a[x][2] ^ a[x][3] ^ a[x][4] for x in range(5)]
        d = [
            c[(x - 1) % 5] ^ (((c[(x + 1) % 5] << 1) | (c[(x + 1) % 5] >> 63)) & _M64)
            for x in range(5)
        ]
        for x in range(5):
            for y in range(5):
                a[x][y] ^= d[x]
        b = [[0] * 5 for _ in range(5)]
        for x in range(5):
            for y in range(5):
                r = _KECCAK_ROT[x][y]
                v = a[x][y]
                b[y][(2 * x + 3 * y) % 5] = ((v << r) | (v >> (64 - r))) & _M64 if r else v
        for x in range(5):
            for y in range(5):
                a[x][y] = b[x][y] ^ ((~b[(x + 1) % 5][y]) & b[(x + 2) % 5][y])
        a[0][0] ^= rc


def keccak256(data: bytes) -> bytes:
    """Keccak-256 of ``data`` as Ethereum uses it (not :func:`hashlib.sha3_256`).

    >>> keccak256(b"").hex()
    'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470'
    """
    return _sponge_256(data, 0x01)


def _sponge_256(data: bytes, pad: int) -> bytes:
    """The Keccak-f[1600] sponge with a 1088-bit rate and 256-bit output. ``pad`` is the domain
    byte: 0x01 for Keccak-256, 0x06 for SHA3-256 (the tests check the latter against hashlib)."""
    rate = 136
    msg = bytearray(data) + bytes([pad])
    msg += b"\x00" * (-len(msg) % rate)
    msg[-1] |= 0x80
    a = [[0] * 5 for _ in range(5)]
    for off in range(0, len(msg), rate):
        block = msg[off : off + rate]
        for i in range(rate // 8):
            a[i % 5][i // 5] ^= int.from_bytes(block[8 * i : 8 * i + 8], "little")
        _keccak_f(a)
    return b"".join(a[i % 5][i // 5].to_bytes(8, "little") for i in range(4))


def eip55(address: str) -> str:
    """The EIP-55 checksummed form of an EVM address (``0x`` + 40 hex characters, any case).

    >>> eip55("0xFB6916095CA1DF60BB79CE92CE3EA74C37C5D359")
    '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359'
    """
    text = str(address)
    if not (text[:2] in ("0x", "0X") and len(text) == 42):
        raise ValueError(f"{address!r} is not 0x followed by 40 hex characters")
    low = text[2:].lower()
    if any(ch not in "0123456789abcdef" for ch in low):
        raise ValueError(f"{address!r} is not hexadecimal")
    digest = keccak256(low.encode("ascii")).hex()
    return "0x" + "".join(
        ch.upper() if ch in "abcdef" and int(digest[i], 16) >= 8 else ch for i, ch in enumerate(low)
    )


def _evm(address: str) -> tuple[str | None, str | None]:
    body = address[2:]
    if len(body) != 40:
        return None, f"an EVM address has 40 hex characters after 0x, this one has {len(body)}"
    bad = next((ch for ch in body if ch.lower() not in "0123456789abcdef"), None)
    if bad is not None:
        return None, f"character {bad!r} is not hexadecimal"
    if body == body.lower() or body == body.upper():
        return "evm_unchecked", None  # one case only: valid, but there is no checksum to check
    if "0x" + body != eip55("0x" + body):
        return (
            None,
            "EIP-55 checksum does not match (the mixed case is wrong: a typo or a changed character)",
        )
    return "evm", None


def classify(address) -> tuple[str | None, str | None]:
    """``(type, None)`` for a valid bitcoin, TRON or EVM address, else ``(None, reason)``.

    Never raises for bad input: anything that is not a valid address gets a one-sentence
    reason (see :func:`osintlab.crypto.address_type` for the type names).
    """
    if not isinstance(address, str):
        return None, f"not text but {type(address).__name__}"
    if address != address.strip() or not address:
        return None, "empty or surrounded by spaces"
    if address.startswith("0x"):
        return _evm(address)
    low = address.lower()
    if "1" in low and low.rsplit("1", 1)[0] in SEGWIT_HRPS:
        return _segwit(address)
    kind, problem = _base58(address)
    if kind is None and "1" in low:
        hrp, data = low.rsplit("1", 1)
        if hrp.isalpha() and len(data) >= 6 and all(c in _BECH32_INDEX for c in data):
            return _segwit(address)  # bech32-shaped: say what is wrong there
    return kind, problem
