"""Is this string a real address, and of which kind? Bitcoin (Base58Check, bech32, bech32m),
TRON and EVM (``0x``, EIP-55) addresses, checked with the codecs of
:mod:`osintlab.reference.addresses`.

    >>> address_type("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")
    'p2wpkh'
    >>> address_type("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")
    'tron'
"""

from __future__ import annotations

from ..reference import addresses as _codec
from .base import CryptoInputError


def address_type(address) -> str | None:
    """The type of a valid bitcoin, TRON or EVM address, or ``None`` if it is not valid.

    Types: ``p2pkh``, ``p2sh`` (Base58Check, versions 0x00 / 0x05), ``p2wpkh``, ``p2wsh``
    (BIP-173 bech32, witness version 0), ``p2tr`` and ``witness_vN`` (BIP-350 bech32m, versions
    1-16), each with ``_testnet`` (``m``/``n``/``2``/``tb1``) or ``_regtest`` (``bcrt1``) for test
    networks, ``tron`` (Base58Check with the 0x41 prefix), and for ``0x`` + 40 hex characters
    (Ethereum and other EVM chains: USDT as an ERC-20 or BEP-20 token) ``evm`` when the EIP-55
    mixed-case checksum matches, or ``evm_unchecked`` when the address is in one case only —
    well formed, but then EIP-55 has no checksum to check, so a typo cannot be caught.
    A mixed-case address whose checksum fails is not valid. Never raises for bad input.

    >>> address_type("1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo"), address_type("2NC2hEhe28ULKAJkW5MjZ3jtTMJdvXmByvK")
    ('p2pkh', 'p2sh_testnet')
    >>> address_type("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0")
    'p2tr'
    >>> address_type("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh") is None   # bech32m on v0
    True
    >>> address_type("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")    # EIP-55 test vector
    'evm'
    >>> address_type("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")
    'evm_unchecked'
    >>> address_problem("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD")
    'EIP-55 checksum does not match (the mixed case is wrong: a typo or a changed character)'
    """
    return _codec.classify(address)[0]


def address_problem(address) -> str | None:
    """Why ``address`` is not valid (one sentence), or ``None`` if it is.

    >>> address_problem("1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mO")
    "character 'O' is not Base58 (0, O, I and l never appear)"
    """
    kind, problem = _codec.classify(address)
    return None if kind else problem


def validate_addresses(addresses):
    """A table of ``address``, ``type`` (None if invalid), ``valid`` and ``problem``.

    >>> validate_addresses(["TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "bc1 x"]).valid.tolist()
    [True, False]
    """
    import pandas as pd

    if isinstance(addresses, str):
        raise CryptoInputError("validate_addresses expects a list of addresses, not one string")
    rows = []
    for a in addresses:
        kind, problem = _codec.classify(a)
        rows.append(
            {
                "address": a,
                "type": kind,
                "valid": kind is not None,
                "problem": None if kind else problem,
            }
        )
    return pd.DataFrame(rows, columns=["address", "type", "valid", "problem"])


def evm_checksum(address: str) -> str:
    """The EIP-55 (mixed-case checksum) form of an EVM ``0x`` address written in any case —
    the form to put in a request, so the recipient's tools can check it.

    >>> evm_checksum("0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359")
    '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359'
    """
    try:
        return _codec.eip55(address)
    except ValueError as e:
        raise CryptoInputError(str(e)) from None


def tron_to_hex(address: str) -> str:
    """TRON Base58Check address → 42 hex characters starting ``41``.

    >>> tron_to_hex("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")
    '41a614f803b6fd780986a42c78ec9c7f77e6ded13c'
    """
    if address_type(address) != "tron":
        raise CryptoInputError(f"{address!r} is not a valid TRON address")
    return _codec.b58decode(address)[:21].hex()


def hex_to_tron(hex_address: str) -> str:
    """42 hex characters (``41`` + 20 bytes, or ``0x`` + 20 bytes) → TRON Base58Check."""
    text = str(hex_address).lower().removeprefix("0x")
    if len(text) == 40:
        text = "41" + text
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raise CryptoInputError(f"{hex_address!r} is not hexadecimal") from None
    if len(raw) != 21 or raw[0] != 0x41:
        raise CryptoInputError(f"{hex_address!r} is not 0x41 + 20 bytes")
    return _codec.base58check(raw)


def lookalikes(address: str, candidates, *, prefix: int = 4, suffix: int = 4) -> list:
    """Candidates that share ``address``'s first ``prefix`` and last ``suffix`` characters but
    are a **different** address — what an address poisoner sends dust from, hoping the victim
    copies it from the history. A checksum does not catch this (the look-alike is valid);
    only comparing the whole string does.

        >>> real = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"
        >>> lookalikes(real, ["TR7NHxxxxxxxxxxxxxxxxxxxxxxxxxLj6t", real, "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"])
        ['TR7NHxxxxxxxxxxxxxxxxxxxxxxxxxLj6t']
    """
    if not isinstance(address, str) or len(address) < prefix + suffix:
        raise CryptoInputError(
            f"address {address!r} is too short for prefix {prefix} + suffix {suffix}"
        )
    if isinstance(candidates, str):
        candidates = [candidates]
    head, tail = address[:prefix], address[-suffix:]
    return [
        c
        for c in dict.fromkeys(candidates)
        if isinstance(c, str) and c != address and c[:prefix] == head and c[-suffix:] == tail
    ]
