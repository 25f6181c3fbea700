"""Follow the money on a blockchain: addresses, ledgers, clustering, peel chains and taint.

Module 06's toolkit. It works on the course's synthetic ledgers (``datasets/crypto/``) and on any
ledger in the same shape: a bitcoin-like UTXO chain (transactions with ordered inputs and outputs
in integer satoshi) and a USDT-on-TRON-like token ledger (transfers with ``from``, ``to`` and an
integer ``value`` in 6-decimal base units). Nothing here touches the network.

What an investigator does, and the function that does it:

* is this string a real address, and of which kind?            :func:`address_type`, :func:`address_problem`
* load the ledgers (flagging what does not add up)                 :func:`load_utxo`, :func:`load_tron`, :func:`load_tags`
* keep a big ledger in a fast, safe file                           :func:`save_utxo` (``.npz``)
* what does the explorer show for this transaction?                :func:`show_tx`
* which addresses does one wallet control?                         :func:`cluster_addresses` (co-spend, CoinJoins excluded)
* is this a CoinJoin?                                              :func:`coinjoin_check`, :func:`find_coinjoins`
* which output is the change?                                      :func:`change_candidates`, :func:`guess_change`
* where does a peel chain go?                                      :func:`follow_peel_chain`
* which payers share an exchange account? (account model)          :func:`deposit_clusters`
* who paid the gas for these fresh wallets?                        :func:`first_funders`
* which payments look like fees?                                   :func:`is_round`, :func:`round_payments`
* how much of each output is "dirty"?                              :func:`allocate_taint`
* follow a payment N hops forward / an exchange deposit backward   :func:`trace_forward`, :func:`trace_backward`,
                                                                    :func:`trace_tokens`, :func:`trace_tokens_backward`
* who are these addresses?                                         :func:`attribute`
* a picture and a report for the file                              :func:`flow_graph`, :func:`flow_chart`,
                                                                    :func:`tracing_report`
* ask the exchange (module 05's request model)                     :func:`exchange_request`

Every link carries a strength label (:data:`LINK_STRENGTH`), because a court will ask how sure you
are: a co-spend is protocol evidence, a deposit-address match is strong behavioural evidence, a
shared gas funder or a timing match is weak behavioural evidence.

    >>> address_type("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")
    'p2wpkh'
    >>> address_type("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")
    'tron'
    >>> address_type("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6T") is None
    True
    >>> allocate_taint([(3, 3), (7, 0)], [4, 6], "haircut")
    [1, 2]
    >>> allocate_taint([(3, 3), (7, 0)], [4, 6], "fifo")
    [3, 0]
"""
from __future__ import annotations

import hashlib
import heapq
from collections import deque
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

__all__ = [
    "CryptoInputError", "LedgerError", "LINK_STRENGTH", "TAINT_MODELS", "USDT_CONTRACT",
    "SAT_PER_BTC", "USDT_UNIT",
    "address_type", "address_problem", "validate_addresses", "tron_to_hex", "hex_to_tron",
    "UtxoLedger", "TokenLedger", "load_utxo", "save_utxo", "load_tron", "load_tags", "show_tx",
    "UnionFind", "cluster_addresses", "cluster_members", "coinjoin_check", "find_coinjoins",
    "change_candidates", "guess_change", "follow_peel_chain", "deposit_clusters", "first_funders",
    "is_round", "round_payments", "allocate_taint", "trace_forward", "trace_backward",
    "trace_tokens", "trace_tokens_backward", "attribute", "flow_graph", "flow_chart",
    "tracing_report", "exchange_request", "btc", "usdt",
]

SAT_PER_BTC = 100_000_000
USDT_UNIT = 1_000_000                      # USDT on TRON has 6 decimals
USDT_CONTRACT = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"
TAINT_MODELS = ("poison", "haircut", "fifo")

#: How strong a link is, in the words to use in a statement (see the lesson, section 8).
LINK_STRENGTH = {
    "co-spend": ("protocol-certain", "inputs signed together in one non-CoinJoin transaction: "
                 "the spender held every key, unless it was a CoinJoin or PayJoin"),
    "self-change": ("strong", "the change returned to an input address"),
    "deposit-address": ("strong behavioural", "both paid the same exchange deposit address, "
                        "which the exchange swept within the window"),
    "one-time-change": ("weak behavioural", "a change heuristic; wallets differ, error rates "
                        "are high"),
    "peel-chain": ("medium behavioural", "a 1-in/2-out pattern hop after hop"),
    "common-funder": ("weak behavioural", "the same wallet paid the first TRX (gas) for both"),
    "timing-amount": ("weak behavioural", "matching time and amount (e.g. an OTC swap)"),
    "tag": ("as good as its source", "an attribution tag; check its source and date"),
}


class CryptoInputError(ValueError):
    """Bad input to a crypto function; the message names the value that is wrong."""


class LedgerError(ValueError):
    """A ledger that cannot be used as given (missing columns, unknown txid, a cycle, ...)."""


def btc(sat: int) -> str:
    """Format satoshi as BTC text: ``btc(150000000) == '1.50000000 BTC'``."""
    sat = int(sat)
    sign = "-" if sat < 0 else ""
    return f"{sign}{abs(sat) // SAT_PER_BTC}.{abs(sat) % SAT_PER_BTC:08d} BTC"


def usdt(units: int) -> str:
    """Format USDT base units: ``usdt(1500000000) == '1,500.000000 USDT'``."""
    units = int(units)
    sign = "-" if units < 0 else ""
    return f"{sign}{abs(units) // USDT_UNIT:,}.{abs(units) % USDT_UNIT:06d} USDT"


# =============================================================================================
# Addresses: Base58Check (BTC legacy, TRON) and bech32/bech32m (BIP-173 / BIP-350)
# =============================================================================================

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_INDEX = {c: i for i, c in enumerate(_BECH32)}
_BECH32M_CONST = 0x2BC830A3
_VERSIONS = {0x00: "p2pkh", 0x05: "p2sh", 0x6F: "p2pkh_testnet", 0xC4: "p2sh_testnet",
             0x41: "tron"}
_HRPS = {"bc": "", "tb": "_testnet", "bcrt": "_regtest"}


def _b58decode(text: str) -> bytes:
    n = 0
    for ch in text:
        if ch not in _B58_INDEX:
            raise CryptoInputError(f"character {ch!r} is not Base58 (0, O, I and l never appear)")
        n = n * 58 + _B58_INDEX[ch]
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    pad = len(text) - len(text.lstrip("1"))
    return b"\0" * pad + body


def _b58encode(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = _B58[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def _dsha(data: bytes) -> bytes:
    return hashlib.sha256(hashlib.sha256(data).digest()).digest()


def _polymod(values) -> int:
    from .scenario.identifiers import bech32_polymod
    return bech32_polymod(values)


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _convertbits(data, frombits, tobits, pad):
    from .scenario.identifiers import convertbits
    try:
        return convertbits(data, frombits, tobits, pad)
    except ValueError as exc:
        raise CryptoInputError(str(exc)) from None


def _segwit_problem(address: str) -> tuple[str | None, str | None]:
    """(type, None) for a valid segwit address, else (None, reason)."""
    if len(address) > 90:
        return None, "longer than 90 characters"
    if any(ord(c) < 33 or ord(c) > 126 for c in address):
        return None, "contains a character outside printable ASCII"
    if address.lower() != address and address.upper() != address:
        return None, "mixes upper and lower case (bech32 must be all one case)"
    text = address.lower()
    pos = text.rfind("1")
    hrp, data_part = text[:pos], text[pos + 1:]
    if hrp not in _HRPS:
        return None, f"unknown human-readable part {hrp!r} (bc, tb or bcrt expected)"
    if len(data_part) < 6:
        return None, "checksum too short"
    bad = [c for c in data_part if c not in _BECH32_INDEX]
    if bad:
        return None, f"character {bad[0]!r} is not in the bech32 alphabet"
    data = [_BECH32_INDEX[c] for c in data_part]
    const = _polymod(_hrp_expand(hrp) + data)
    if const not in (1, _BECH32M_CONST):
        return None, "bech32 checksum does not match (a typo or a changed character)"
    encoding = "bech32" if const == 1 else "bech32m"
    values = data[:-6]
    if not values:
        return None, "empty data section"
    version = values[0]
    if version > 16:
        return None, f"invalid witness version {version}"
    try:
        program = bytes(_convertbits(values[1:], 5, 8, False))
    except CryptoInputError as exc:
        return None, str(exc)
    if not 2 <= len(program) <= 40:
        return None, f"witness program of {len(program)} bytes (2 to 40 allowed)"
    if version == 0 and len(program) not in (20, 32):
        return None, f"version 0 program of {len(program)} bytes (20 or 32 allowed)"
    if version == 0 and encoding != "bech32":
        return None, "version 0 address with a bech32m checksum (BIP-350 requires bech32)"
    if version > 0 and encoding != "bech32m":
        return None, f"version {version} address with a bech32 checksum (BIP-350 requires bech32m)"
    suffix = _HRPS[hrp]
    if version == 0:
        kind = "p2wpkh" if len(program) == 20 else "p2wsh"
    elif version == 1 and len(program) == 32:
        kind = "p2tr"
    else:
        kind = f"witness_v{version}"
    return kind + suffix, None


def _base58_problem(address: str) -> tuple[str | None, str | None]:
    try:
        raw = _b58decode(address)
    except CryptoInputError as exc:
        return None, str(exc)
    if len(raw) != 25:
        return None, f"decodes to {len(raw)} bytes (25 expected: version, 20-byte hash, checksum)"
    payload, check = raw[:-4], raw[-4:]
    if _dsha(payload)[:4] != check:
        return None, "Base58Check checksum does not match (a typo or a changed character)"
    kind = _VERSIONS.get(payload[0])
    if kind is None:
        return None, f"unknown version byte 0x{payload[0]:02x}"
    return kind, None


def _classify(address) -> tuple[str | None, str | None]:
    if not isinstance(address, str):
        return None, f"not text but {type(address).__name__}"
    if address != address.strip() or not address:
        return None, "empty or surrounded by spaces"
    low = address.lower()
    if "1" in low and low.rsplit("1", 1)[0] in _HRPS:
        return _segwit_problem(address)
    kind, problem = _base58_problem(address)
    if kind is None and "1" in low:
        hrp, data = low.rsplit("1", 1)
        if hrp.isalpha() and len(data) >= 6 and all(c in _BECH32_INDEX for c in data):
            return _segwit_problem(address)          # bech32-shaped: say what is wrong there
    return kind, problem


def address_type(address) -> str | None:
    """The type of a valid bitcoin or TRON address, or ``None`` if it is not valid.

    Types: ``p2pkh``, ``p2sh`` (Base58Check, versions 0x00 / 0x05), ``p2wpkh``, ``p2wsh``
    (BIP-173 bech32, witness version 0), ``p2tr`` and ``witness_vN`` (BIP-350 bech32m, versions
    1-16), each with ``_testnet`` (``m``/``n``/``2``/``tb1``) or ``_regtest`` (``bcrt1``) for test
    networks, and ``tron`` (Base58Check with the 0x41 prefix). Never raises for bad input.

    >>> address_type("1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo"), address_type("2NC2hEhe28ULKAJkW5MjZ3jtTMJdvXmByvK")
    ('p2pkh', 'p2sh_testnet')
    >>> address_type("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0")
    'p2tr'
    >>> address_type("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh") is None   # bech32m on v0
    True
    """
    return _classify(address)[0]


def address_problem(address) -> str | None:
    """Why ``address`` is not valid (one sentence), or ``None`` if it is.

    >>> address_problem("1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mO")
    "character 'O' is not Base58 (0, O, I and l never appear)"
    """
    kind, problem = _classify(address)
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
        kind, problem = _classify(a)
        rows.append({"address": a, "type": kind, "valid": kind is not None,
                     "problem": None if kind else problem})
    return pd.DataFrame(rows, columns=["address", "type", "valid", "problem"])


def tron_to_hex(address: str) -> str:
    """TRON Base58Check address → 42 hex characters starting ``41``.

    >>> tron_to_hex("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")
    '41a614f803b6fd780986a42c78ec9c7f77e6ded13c'
    """
    if address_type(address) != "tron":
        raise CryptoInputError(f"{address!r} is not a valid TRON address")
    return _b58decode(address)[:21].hex()


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
    return _b58encode(raw + _dsha(raw)[:4])


# =============================================================================================
# Ledgers
# =============================================================================================

UTXO_COLUMNS = {
    "txs": ["txid", "height", "idx_in_block", "time_utc", "locktime", "fee", "is_coinbase"],
    "inputs": ["txid", "vin", "prev_txid", "prev_vout", "address", "value"],
    "outputs": ["txid", "vout", "address", "value", "script_type"],
}
TRON_COLUMNS = ["tx_hash", "block", "time_utc", "log_index", "contract", "tx_signer", "from",
                "to", "value"]


def _need(df, columns, what):
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise LedgerError(f"{what} lacks columns {missing}")


@dataclass
class UtxoLedger:
    """A bitcoin-like chain: three DataFrames plus integer indexes built once at load.

    ``txs`` is in chain order (height, then position in block); ``outputs`` and ``inputs`` are
    in (transaction, index) order with a ``tx`` column holding the transaction's row. ``problems``
    lists every transaction that does not add up (unbalanced, missing input, out of order) —
    those rows are *flagged*, never silently used in a total.
    """
    txs: object
    inputs: object
    outputs: object
    problems: object
    _index: dict = field(default_factory=dict, repr=False)

    # -- index helpers ------------------------------------------------------------------------
    def tx_row(self, txid: str) -> int:
        """Row of ``txid`` in ``txs``; raises :class:`LedgerError` naming an unknown txid."""
        if not isinstance(txid, str):
            raise LedgerError(f"txid must be text, not {type(txid).__name__}")
        pos = self._index["txid"].get_indexer([txid])[0]
        if pos < 0:
            raise LedgerError(f"transaction {txid!r} is not in this ledger")
        return int(pos)

    def out_row(self, txid: str, vout: int) -> int:
        """Row in ``outputs`` of the outpoint ``txid:vout``."""
        t = self.tx_row(txid)
        start, n = int(self._index["out_start"][t]), int(self._index["n_out"][t])
        if not 0 <= int(vout) < n:
            raise LedgerError(f"{txid}:{vout}: the transaction has {n} outputs")
        return start + int(vout)

    def spent_by(self, out_row: int) -> int:
        """Row of the transaction spending output ``out_row`` (``-1`` if unspent)."""
        return int(self._index["spent_by"][out_row])

    def tx_inputs(self, t: int):
        s, n = int(self._index["in_start"][t]), int(self._index["n_in"][t])
        return range(s, s + n)

    def tx_outputs(self, t: int):
        s, n = int(self._index["out_start"][t]), int(self._index["n_out"][t])
        return range(s, s + n)

    def __len__(self):
        return len(self.txs)


def _parse_outpoint(seed):
    if isinstance(seed, str):
        if ":" not in seed:
            raise CryptoInputError(f"outpoint {seed!r} must look like 'txid:vout'")
        txid, vout = seed.rsplit(":", 1)
        try:
            return txid, int(vout)
        except ValueError:
            raise CryptoInputError(f"outpoint {seed!r}: vout is not a number") from None
    if isinstance(seed, (tuple, list)) and len(seed) == 2:
        return str(seed[0]), int(seed[1])
    raise CryptoInputError(f"outpoint {seed!r} must be 'txid:vout' or (txid, vout)")


def _frames_from(source, names, loader_name):
    """DataFrames from a dict, a folder of CSVs, or the course datasets."""
    import pandas as pd
    if isinstance(source, dict):
        missing = [n for n in names if n not in source]
        if missing:
            raise LedgerError(f"{loader_name}: the dict lacks tables {missing}")
        return {n: source[n] for n in names}        # copy-on-write: the caller's frames stay
    if source is None:
        from . import data
        return {n: data.load(f"crypto/{names[n]}") for n in names}
    folder = Path(source)
    if not folder.is_dir():
        raise LedgerError(f"{loader_name}: {folder} is not a folder")
    out = {}
    for n, rel in names.items():
        f = folder / Path(rel).name
        if not f.is_file():
            raise LedgerError(f"{loader_name}: {f} is missing")
        out[n] = pd.read_csv(f, keep_default_na=False, na_values={"value": [""]},
                             dtype={"txid": str, "prev_txid": str, "address": str,
                                    "tx_hash": str, "from": str, "to": str})
    return out


def _sorted(df, a, b):
    """``df`` sorted by (a, b); a no-op (no copy, no sort) when it already is."""
    import numpy as np
    x, y = df[a].to_numpy(), df[b].to_numpy()
    if len(df) < 2 or bool(np.all((x[1:] > x[:-1]) | ((x[1:] == x[:-1]) & (y[1:] >= y[:-1])))):
        return df.reset_index(drop=True)
    return df.sort_values([a, b], kind="stable").reset_index(drop=True)


class _RowLookup:
    """Map txid values to rows of ``index``. Dictionary-encoded (categorical) columns are looked
    up once per category, not once per row — the integer-ID trick BlockSci and GraphSense use."""

    def __init__(self, index, base=None):
        import numpy as np
        import pandas as pd
        self.index = index
        self.cache: dict = {}
        if base is not None and isinstance(base.dtype, pd.CategoricalDtype):
            cats = base.cat.categories
            rows = np.full(len(cats), -1, dtype=np.int64)
            rows[base.cat.codes.to_numpy()] = np.arange(len(base))
            self.cache[id(cats)] = (cats, rows)

    def __call__(self, col):
        import numpy as np
        import pandas as pd
        if isinstance(col.dtype, pd.CategoricalDtype):
            cats = col.cat.categories
            key = id(cats)
            if key not in self.cache:
                self.cache[key] = (cats, self.index.get_indexer(np.asarray(cats, dtype=object)))
            rows = self.cache[key][1]
            codes = col.cat.codes.to_numpy()
            return np.where(codes >= 0, rows[codes], -1)
        return self.index.get_indexer(np.asarray(col.fillna(""), dtype=object))


def _address_codes(ledger) -> tuple:
    """(codes of output addresses, codes of input addresses, unique addresses), computed once.

    Input addresses are taken from the outputs they spend (only inputs whose source is missing
    are looked up by text), so each address string is hashed once."""
    import numpy as np
    import pandas as pd
    idx = ledger._index
    if "addr" not in idx:
        out_col = ledger.outputs["address"]
        if isinstance(out_col.dtype, pd.CategoricalDtype):
            codes_out, used = pd.factorize(out_col.cat.codes.to_numpy())   # integers: fast
            uniques = pd.Index(np.asarray(out_col.cat.categories, dtype=object)[used])
        else:
            codes_out, uniques = pd.factorize(np.asarray(out_col, dtype=object))
            uniques = pd.Index(uniques)
        prev_out = ledger.inputs["prev_out"].to_numpy()
        codes_in = np.full(len(prev_out), -1, dtype=np.int64)
        ok = prev_out >= 0
        codes_in[ok] = codes_out[prev_out[ok]]
        if (~ok).any():
            extra = np.asarray(ledger.inputs["address"].to_numpy()[~ok], dtype=object)
            found = uniques.get_indexer(extra)
            new = pd.Index(pd.unique(extra[found < 0]))
            uniques = uniques.append(new)
            found[found < 0] = len(uniques) - len(new) + new.get_indexer(extra[found < 0])
            codes_in[~ok] = found
        idx["addr"] = (codes_out, codes_in, uniques)
    return idx["addr"]


def load_utxo(source=None) -> UtxoLedger:
    """Load a UTXO ledger: the course's (``None``), a folder with ``txs.csv``, ``inputs.csv``
    and ``outputs.csv``, a dict of those three DataFrames, or an ``.npz`` file written by
    :func:`save_utxo` (the fast way for large ledgers: identifiers are stored once and
    referenced by integer codes).

    Checks every transaction and lists failures in ``ledger.problems`` (``txid``, ``problem``):
    ``unbalanced`` (inputs - outputs != fee), ``missing_input`` (spends an output that is not
    in the ledger), ``out_of_order`` (spends an output of the same or a later transaction: a
    cycle), ``double_spend``. Values must be integers.

        >>> led = load_utxo()                      # doctest: +SKIP
        >>> led.problems.empty                     # doctest: +SKIP
        True
    """
    import numpy as np
    import pandas as pd
    if isinstance(source, (str, Path)) and str(source).lower().endswith(".npz"):
        source = _frames_from_npz(Path(source))
    frames = _frames_from(source, {"txs": "btc/txs.csv", "inputs": "btc/inputs.csv",
                                   "outputs": "btc/outputs.csv"}, "load_utxo")
    txs, inputs, outputs = frames["txs"], frames["inputs"], frames["outputs"]
    for name, df in frames.items():
        _need(df, UTXO_COLUMNS[name], f"load_utxo: {name}")
    for name, df, cols in (("outputs", outputs, ["value", "vout"]),
                           ("inputs", inputs, ["value", "vin", "prev_vout"]),
                           ("txs", txs, ["fee", "height", "idx_in_block"])):
        for c in cols:
            if not pd.api.types.is_integer_dtype(df[c]):
                raise LedgerError(f"load_utxo: {name}.{c} must hold integers (satoshi), found "
                                  f"{df[c].dtype}")
    if (outputs["value"] < 0).any():
        bad = outputs.loc[outputs["value"] < 0, "txid"].iloc[0]
        raise LedgerError(f"load_utxo: negative output value in {bad}")
    txs = _sorted(txs, "height", "idx_in_block")
    txid_index = pd.Index(np.asarray(txs["txid"], dtype=object))
    if not txid_index.is_unique:
        dup = txid_index[txid_index.duplicated()][0]
        raise LedgerError(f"load_utxo: txid {dup} appears twice in txs")
    n = len(txs)
    lookup = _RowLookup(txid_index, txs["txid"])
    outputs = outputs.assign(tx=lookup(outputs["txid"]))
    inputs = inputs.assign(tx=lookup(inputs["txid"]))
    problems = []
    for name, df in (("outputs", outputs), ("inputs", inputs)):
        orphan = df["tx"] < 0
        if orphan.any():
            raise LedgerError(f"load_utxo: {name} of unknown transaction "
                              f"{df.loc[orphan, 'txid'].iloc[0]}")
    outputs = _sorted(outputs, "tx", "vout")
    inputs = _sorted(inputs, "tx", "vin")
    n_out = np.bincount(outputs["tx"].to_numpy(), minlength=n)
    n_in = np.bincount(inputs["tx"].to_numpy(), minlength=n)
    out_start = np.concatenate([[0], np.cumsum(n_out)[:-1]]) if n else np.zeros(0, int)
    in_start = np.concatenate([[0], np.cumsum(n_in)[:-1]]) if n else np.zeros(0, int)
    vout_ok = outputs["vout"].to_numpy() == np.arange(len(outputs)) - out_start[outputs["tx"]]
    if not vout_ok.all():
        raise LedgerError("load_utxo: output indexes of transaction "
                          f"{outputs.loc[~vout_ok, 'txid'].iloc[0]} are not 0, 1, 2, ...")
    # link inputs to the outputs they spend
    prev_tx = lookup(inputs["prev_txid"])
    pv = inputs["prev_vout"].to_numpy()
    coinbase_tx = txs["is_coinbase"].astype(bool).to_numpy()
    ok = (prev_tx >= 0)
    ok[ok] &= (pv[ok] >= 0) & (pv[ok] < n_out[prev_tx[ok]])
    prev_out = np.full(len(inputs), -1, dtype=np.int64)
    prev_out[ok] = out_start[prev_tx[ok]] + pv[ok]
    in_tx = inputs["tx"].to_numpy()
    missing = ~ok
    for t in np.unique(in_tx[missing]):
        problems.append((txs.at[int(t), "txid"], "missing_input"))
    order_bad = ok & (prev_tx >= in_tx)
    for t in np.unique(in_tx[order_bad]):
        problems.append((txs.at[int(t), "txid"], "out_of_order"))
    prev_out[order_bad] = -1
    spent_by = np.full(len(outputs), -1, dtype=np.int64)
    linked = prev_out >= 0
    po = prev_out[linked]
    uniq, counts = np.unique(po, return_counts=True)
    for o in uniq[counts > 1]:
        problems.append((outputs.at[int(o), "txid"], "double_spend"))
    spent_by[po] = in_tx[linked]
    in_vals = inputs["value"].to_numpy()
    mismatch = linked.copy()
    mismatch[linked] = outputs["value"].to_numpy()[po] != in_vals[linked]
    for t in np.unique(in_tx[mismatch]):
        problems.append((txs.at[int(t), "txid"], "input_value_mismatch"))
    sum_in = np.zeros(n, dtype=np.int64)
    np.add.at(sum_in, in_tx, in_vals.astype(np.int64))
    sum_out = np.zeros(n, dtype=np.int64)
    np.add.at(sum_out, outputs["tx"].to_numpy(), outputs["value"].to_numpy().astype(np.int64))
    fee = txs["fee"].to_numpy().astype(np.int64)
    unbalanced = (~coinbase_tx) & (sum_in - sum_out != fee)
    for t in np.flatnonzero(unbalanced):
        problems.append((txs.at[int(t), "txid"], "unbalanced"))
    inputs["prev_out"] = prev_out
    prob = pd.DataFrame(problems, columns=["txid", "problem"]).drop_duplicates()
    led = UtxoLedger(txs, inputs, outputs, prob.reset_index(drop=True))
    led._index = {"txid": txid_index, "n_out": n_out, "n_in": n_in, "out_start": out_start,
                  "in_start": in_start, "spent_by": spent_by}
    return led


def save_utxo(ledger: UtxoLedger, path) -> Path:
    """Write a loaded ledger to a compressed-free ``.npz`` file (numpy arrays only, no pickle:
    safe to open). Transaction ids and addresses are stored once each and referenced by integer
    codes, as BlockSci and GraphSense do, so :func:`load_utxo` reads a million transactions in
    about a second. A ledger with flagged transactions is refused: fix or drop them first.
    """
    import numpy as np
    if not isinstance(ledger, UtxoLedger):
        raise CryptoInputError("save_utxo expects a ledger from load_utxo")
    if len(ledger.problems):
        raise LedgerError(f"save_utxo: the ledger has {len(ledger.problems)} flagged "
                          "transaction(s); fix or drop them before caching")
    path = Path(path)
    if path.suffix.lower() != ".npz":
        raise CryptoInputError(f"save_utxo: {path} must end in .npz")
    codes_out, codes_in, addresses = _address_codes(ledger)
    txs, ins, outs = ledger.txs, ledger.inputs, ledger.outputs
    prev_tx = np.where(ins["prev_out"].to_numpy() >= 0,
                       outs["tx"].to_numpy()[np.maximum(ins["prev_out"].to_numpy(), 0)], -1)
    stype_codes, stypes = __import__("pandas").factorize(outs["script_type"].astype(str))

    def text(values):
        return np.array([str(v).encode("ascii") for v in values])
    times = txs["time_utc"]
    arrays = {
        "txid": text(txs["txid"]), "address": text(addresses), "script_types": text(stypes),
        "height": txs["height"].to_numpy(), "idx_in_block": txs["idx_in_block"].to_numpy(),
        "time_ns": (times.astype("datetime64[ns, UTC]").astype("int64").to_numpy()
                    if len(times) else np.zeros(0, np.int64)),
        "locktime": txs["locktime"].to_numpy(), "fee": txs["fee"].to_numpy(),
        "is_coinbase": txs["is_coinbase"].astype(bool).to_numpy(),
        "out_tx": outs["tx"].to_numpy(), "out_vout": outs["vout"].to_numpy(),
        "out_addr": codes_out, "out_value": outs["value"].to_numpy(),
        "out_stype": stype_codes,
        "in_tx": ins["tx"].to_numpy(), "in_vin": ins["vin"].to_numpy(), "in_prev_tx": prev_tx,
        "in_prev_vout": ins["prev_vout"].to_numpy(), "in_addr": codes_in,
        "in_value": ins["value"].to_numpy(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)
    return path


def _frames_from_npz(path: Path) -> dict:
    import numpy as np
    import pandas as pd
    if not path.is_file():
        raise LedgerError(f"load_utxo: {path} is missing")
    try:
        z = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise LedgerError(f"load_utxo: {path} is not a ledger written by save_utxo ({exc})") \
            from None
    with z:
        a = {k: z[k] for k in z.files}
    tx_cats = pd.Index(a["txid"].astype(str).astype(object))
    addr_cats = pd.Index(a["address"].astype(str).astype(object))
    tx_type = pd.CategoricalDtype(tx_cats)
    addr_type = pd.CategoricalDtype(addr_cats)

    def cat(codes, dtype):
        return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)
    txs = pd.DataFrame({"txid": cat(np.arange(len(tx_cats)), tx_type), "height": a["height"],
                        "idx_in_block": a["idx_in_block"],
                        "time_utc": pd.to_datetime(a["time_ns"], utc=True),
                        "locktime": a["locktime"], "fee": a["fee"],
                        "is_coinbase": a["is_coinbase"]})
    outputs = pd.DataFrame({"txid": cat(a["out_tx"], tx_type), "vout": a["out_vout"],
                            "address": cat(a["out_addr"], addr_type), "value": a["out_value"],
                            "script_type": a["script_types"].astype(str)[a["out_stype"]]})
    inputs = pd.DataFrame({"txid": cat(a["in_tx"], tx_type), "vin": a["in_vin"],
                           "prev_txid": cat(a["in_prev_tx"], tx_type),
                           "prev_vout": a["in_prev_vout"],
                           "address": cat(a["in_addr"], addr_type), "value": a["in_value"]})
    return {"txs": txs, "inputs": inputs, "outputs": outputs}


@dataclass
class TokenLedger:
    """An account-model token ledger (TRC-20-like): ``transfers`` in chain order, ``trx``
    (native-coin transfers: activation and gas funding), ``freezes`` (issuer freeze events)."""
    transfers: object
    trx: object
    freezes: object
    problems: object


def load_tron(source=None) -> TokenLedger:
    """Load the token ledger: the course's (``None``), a folder with ``trc20_transfers.csv``
    (and optionally ``trx_transfers.csv``, ``freezes.csv``) or a dict of DataFrames.

    Values are integer base units (USDT: 6 decimals). Rows with a negative value or a
    non-valid address are flagged in ``problems`` and left out of ``transfers``.
    """
    import pandas as pd
    if isinstance(source, dict):
        transfers = source.get("transfers", source.get("trc20"))
        if transfers is None:
            raise LedgerError("load_tron: the dict needs a 'transfers' table")
        trx = source.get("trx", pd.DataFrame(columns=["tx_hash", "block", "time_utc", "from",
                                                      "to", "amount"]))
        freezes = source.get("freezes", pd.DataFrame(columns=["block", "time_utc", "contract",
                                                              "address"]))
        transfers, trx, freezes = transfers.copy(), trx.copy(), freezes.copy()
    elif source is None:
        from . import data
        transfers = data.load("crypto/tron/trc20_transfers.csv")
        trx = data.load("crypto/tron/trx_transfers.csv")
        freezes = data.load("crypto/tron/freezes.csv")
    else:
        folder = Path(source)
        f = folder / "trc20_transfers.csv"
        if not f.is_file():
            raise LedgerError(f"load_tron: {f} is missing")
        rd = dict(keep_default_na=False, dtype={"from": str, "to": str, "tx_hash": str})
        transfers = pd.read_csv(f, **rd)
        trx = pd.read_csv(folder / "trx_transfers.csv", **rd) \
            if (folder / "trx_transfers.csv").is_file() else \
            pd.DataFrame(columns=["tx_hash", "block", "time_utc", "from", "to", "amount"])
        freezes = pd.read_csv(folder / "freezes.csv", keep_default_na=False) \
            if (folder / "freezes.csv").is_file() else \
            pd.DataFrame(columns=["block", "time_utc", "contract", "address"])
    _need(transfers, TRON_COLUMNS, "load_tron: transfers")
    if not pd.api.types.is_integer_dtype(transfers["value"]):
        raise LedgerError(f"load_tron: transfers.value must hold integers (base units), found "
                          f"{transfers['value'].dtype}")
    for df in (transfers, trx, freezes):
        if "time_utc" in df.columns and len(df) and not isinstance(
                df["time_utc"].dtype, pd.DatetimeTZDtype):
            df["time_utc"] = pd.to_datetime(df["time_utc"], utc=True, format="ISO8601")
    problems = []
    neg = transfers["value"] < 0
    for h in transfers.loc[neg, "tx_hash"]:
        problems.append((h, "negative_value"))
    addr_ok = {a: address_type(a) == "tron"
               for a in pd.unique(pd.concat([transfers["from"], transfers["to"]]))}
    bad_addr = ~(transfers["from"].map(addr_ok) & transfers["to"].map(addr_ok))
    for h in transfers.loc[bad_addr, "tx_hash"]:
        problems.append((h, "invalid_address"))
    keep = ~(neg | bad_addr)
    transfers = transfers[keep].sort_values(["block", "log_index"], kind="stable") \
        .reset_index(drop=True)
    prob = pd.DataFrame(problems, columns=["tx_hash", "problem"])
    return TokenLedger(transfers, trx.reset_index(drop=True), freezes.reset_index(drop=True),
                       prob)


def load_tags(source=None):
    """Attribution tags (TagPack-like): ``address``, ``chain``, ``label``, ``category``,
    ``abuse``, ``source``, ``confidence``, ``lastmod``. Only *some* addresses are tagged."""
    import pandas as pd
    if source is None:
        from . import data
        return data.load("crypto/tags.csv")
    if isinstance(source, pd.DataFrame):
        _need(source, ["address", "label", "category"], "load_tags")
        return source.copy()
    if not Path(source).is_file():
        raise LedgerError(f"load_tags: {source} is missing")
    tags = pd.read_csv(source, keep_default_na=False, dtype=str)
    _need(tags, ["address", "label", "category"], "load_tags")
    return tags


def show_tx(ledger: UtxoLedger, txid: str):
    """What a block explorer shows for one transaction: inputs and outputs side by side.

    Returns a DataFrame with ``side`` (``in``/``out``/``fee``), ``n``, ``address``, ``value``
    and, for outputs, ``spent_by``. ``df.attrs`` holds height, time and fee.
    """
    import pandas as pd
    t = ledger.tx_row(txid)
    rows = []
    for r in ledger.tx_inputs(t):
        i = ledger.inputs.iloc[r]
        rows.append({"side": "in", "n": int(i["vin"]), "address": i["address"],
                     "value": int(i["value"]), "spent_by": None})
    for r in ledger.tx_outputs(t):
        o = ledger.outputs.iloc[r]
        s = ledger.spent_by(r)
        rows.append({"side": "out", "n": int(o["vout"]), "address": o["address"],
                     "value": int(o["value"]),
                     "spent_by": ledger.txs.at[s, "txid"] if s >= 0 else None})
    tx = ledger.txs.iloc[t]
    rows.append({"side": "fee", "n": None, "address": None, "value": int(tx["fee"]),
                 "spent_by": None})
    df = pd.DataFrame(rows).astype({"n": "Int64"})
    df.attrs.update({"txid": txid, "height": int(tx["height"]), "time_utc": tx["time_utc"],
                     "fee": int(tx["fee"])})
    return df


# =============================================================================================
# Clustering (UTXO): common-input ownership with CoinJoins excluded
# =============================================================================================

class UnionFind:
    """Disjoint sets with path halving and union by size (the classic clustering structure).

    >>> uf = UnionFind(); _ = uf.union("a", "b"); _ = uf.union("c", "b")
    >>> uf.find("a") == uf.find("c"), len(uf.groups())
    (True, 1)
    """

    def __init__(self):
        self.parent: dict = {}
        self.size: dict = {}

    def find(self, x):
        if x not in self.parent:
            self.parent[x], self.size[x] = x, 1
            return x
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        return ra

    def groups(self) -> list[set]:
        out: dict = {}
        for x in self.parent:
            out.setdefault(self.find(x), set()).add(x)
        return list(out.values())


def find_coinjoins(ledger: UtxoLedger):
    """Transactions that look like CoinJoins (the BlockSci rule, vectorised).

    A tx with >= 2 inputs and >= 3 outputs, ``n = (outputs + 1) // 2`` participants,
    ``n <= inputs`` and ``n <= distinct input addresses``, whose most common output value
    occurs exactly ``n`` times and is not dust (546 or 2,730 sat). Returns ``txid``,
    ``denomination``, ``participants``. A flag, not a proof: batch payouts can look alike.
    """
    import numpy as np
    import pandas as pd
    idx = ledger._index
    n_in, n_out = idx["n_in"], idx["n_out"]
    cand = np.flatnonzero((n_in >= 2) & (n_out >= 3))
    cols = ["txid", "denomination", "participants"]
    if len(cand) == 0:
        return pd.DataFrame(columns=cols)
    is_c = np.zeros(len(n_in), bool)
    is_c[cand] = True
    outs = ledger.outputs[is_c[ledger.outputs["tx"].to_numpy()]]
    vc = outs.groupby(["tx", "value"], sort=False).size().rename("k").reset_index()
    vc = vc.sort_values(["tx", "k", "value"], ascending=[True, False, True], kind="stable")
    top = vc.drop_duplicates("tx")
    _, in_codes, _ = _address_codes(ledger)
    in_mask = is_c[ledger.inputs["tx"].to_numpy()]
    distinct = pd.DataFrame({"tx": ledger.inputs["tx"].to_numpy()[in_mask],
                             "a": in_codes[in_mask]}).groupby("tx")["a"].nunique()
    t = top["tx"].to_numpy()
    n = (n_out[t] + 1) // 2
    ok = (n <= n_in[t]) & (n <= distinct.reindex(t).to_numpy()) & (top["k"].to_numpy() == n) \
        & ~np.isin(top["value"].to_numpy(), [546, 2730])
    res = pd.DataFrame({"txid": ledger.txs["txid"].to_numpy()[t[ok]],
                        "denomination": top["value"].to_numpy()[ok], "participants": n[ok]})
    return res.reset_index(drop=True)


def coinjoin_check(ledger: UtxoLedger, txid: str) -> dict:
    """Explain whether one transaction passes the CoinJoin rule (see :func:`find_coinjoins`).

    Returns ``{"txid", "is_coinjoin", "denomination", "participants", "reason"}``.
    """
    from collections import Counter
    t = ledger.tx_row(txid)
    ins = [ledger.inputs.at[r, "address"] for r in ledger.tx_inputs(t)]
    outs = [int(ledger.outputs.at[r, "value"]) for r in ledger.tx_outputs(t)]
    res = {"txid": txid, "is_coinjoin": False, "denomination": None, "participants": None}
    if len(ins) < 2 or len(outs) < 3:
        res["reason"] = f"{len(ins)} inputs and {len(outs)} outputs (needs >= 2 and >= 3)"
        return res
    n = (len(outs) + 1) // 2
    value, k = sorted(Counter(outs).items(), key=lambda kv: (-kv[1], kv[0]))[0]
    res.update(denomination=value, participants=n)
    if n > len(ins) or n > len(set(ins)):
        res["reason"] = f"{n} participants but only {len(set(ins))} distinct input addresses"
    elif k != n:
        res["reason"] = f"most common output value occurs {k} times, not {n}"
    elif value in (546, 2730):
        res["reason"] = "the common value is dust"
    else:
        res["is_coinjoin"] = True
        res["reason"] = (f"{n} equal outputs of {value} sat from {len(set(ins))} input "
                         "addresses: co-spend says nothing about ownership here")
    return res


def cluster_addresses(ledger: UtxoLedger, *, exclude_coinjoins: bool = True,
                      exclude_txids=()) :
    """Common-input-ownership clusters: addresses spent together belong to one wallet.

    Unions the input addresses of every transaction with two or more distinct input addresses,
    except CoinJoins (``exclude_coinjoins``) and ``exclude_txids``. Returns a DataFrame
    ``address``, ``cluster`` (an integer id; cluster ``0`` is the largest), ``size``, for every
    address that appears in the ledger (singletons included). Union-find over all co-spends,
    computed as connected components of the union edges (same result, fast on a million txs).

    Custodial services co-spend their customers' deposits: a cluster is a *wallet*, not a
    person. Link strength: ``LINK_STRENGTH["co-spend"]``.
    """
    import numpy as np
    import pandas as pd
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    if isinstance(exclude_txids, str):
        raise CryptoInputError("exclude_txids must be a list of txids, not one string")
    _, in_codes, addresses = _address_codes(ledger)
    n_addr = len(addresses)
    in_tx = ledger.inputs["tx"].to_numpy()
    skip = np.zeros(len(ledger.txs), bool)
    excluded = list(exclude_txids)
    if exclude_coinjoins:
        excluded += find_coinjoins(ledger)["txid"].tolist()
    if excluded:
        rows = ledger._index["txid"].get_indexer(excluded)
        if (rows < 0).any():
            raise LedgerError(f"exclude_txids: {excluded[int(np.flatnonzero(rows < 0)[0])]!r} is "
                              "not in this ledger")
        skip[rows] = True
    keep = ~skip[in_tx] & (in_codes >= 0)
    first = np.full(len(ledger.txs), -1, dtype=np.int64)
    # first input address of each tx (inputs are in tx order)
    starts = ledger._index["in_start"]
    has = ledger._index["n_in"] > 0
    first[has] = in_codes[starts[has]]
    src = first[in_tx[keep]]
    dst = in_codes[keep]
    m = coo_matrix((np.ones(len(src), dtype=np.int8), (src, dst)), shape=(n_addr, n_addr))
    _, labels = connected_components(m, directed=False)
    sizes = np.bincount(labels)
    order = np.argsort(-sizes, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    lab = rank[labels]
    return pd.DataFrame({"address": np.asarray(addresses, dtype=object), "cluster": lab,
                         "size": sizes[labels]})


def cluster_members(clusters, address: str) -> set:
    """All addresses in the cluster of ``address`` (from :func:`cluster_addresses`)."""
    hit = clusters.loc[clusters["address"] == address, "cluster"]
    if hit.empty:
        raise CryptoInputError(f"address {address!r} is not in the clustering")
    return set(clusters.loc[clusters["cluster"] == hit.iloc[0], "address"])


# =============================================================================================
# Change outputs and peel chains
# =============================================================================================

def _first_seen_rows(ledger: UtxoLedger):
    if "first_out" not in ledger._index:
        first = ledger.outputs.drop_duplicates("address")
        ledger._index["first_out"] = dict(zip(first["address"], first.index))
    return ledger._index["first_out"]


def change_candidates(ledger: UtxoLedger, txid: str):
    """One row per output of ``txid`` with the change heuristics that point at it.

    Columns: ``vout``, ``address``, ``value``, ``self_change`` (address is also an input:
    certain change), ``fresh`` (first appearance of the address on the chain), ``same_type``
    (same script type as all inputs), ``below_min_input`` (smaller than the smallest input,
    "optimal change"), ``not_round`` (not a multiple of 100,000 sat), ``score`` (how many of
    the last four hold).
    """
    import pandas as pd
    t = ledger.tx_row(txid)
    if bool(ledger.txs.at[t, "is_coinbase"]):
        raise CryptoInputError(f"{txid} is a coinbase transaction: it has no change")
    in_rows = list(ledger.tx_inputs(t))
    in_addr = [ledger.inputs.at[r, "address"] for r in in_rows]
    in_vals = [int(ledger.inputs.at[r, "value"]) for r in in_rows]
    in_types = {address_type(a) for a in in_addr}
    first = _first_seen_rows(ledger)
    rows = []
    for r in ledger.tx_outputs(t):
        a, v = ledger.outputs.at[r, "address"], int(ledger.outputs.at[r, "value"])
        row = {"vout": int(ledger.outputs.at[r, "vout"]), "address": a, "value": v,
               "self_change": a in in_addr, "fresh": first.get(a) == r,
               "same_type": len(in_types) == 1 and address_type(a) in in_types,
               "below_min_input": bool(in_vals) and v < min(in_vals),
               "not_round": v % 100_000 != 0}
        row["score"] = int(row["fresh"]) + int(row["same_type"]) + \
            int(row["below_min_input"]) + int(row["not_round"])
        rows.append(row)
    return pd.DataFrame(rows)


def guess_change(ledger: UtxoLedger, txid: str) -> dict:
    """The likely change output of ``txid``, with the reason and a confidence.

    * an output paying back an input address (self-change): confidence ``high``;
    * exactly one fresh output that is also same-type, below the smallest input and not round
      (one-time change, all conditions): ``medium``;
    * exactly one output scoring best on those four, others clearly lower: ``low``;
    * otherwise (CoinJoin, several fresh outputs, a tie): ``vout`` None and
      ``confidence`` ``undetermined`` — a correct answer, not a failure.
    """
    cj = coinjoin_check(ledger, txid)
    base = {"txid": txid, "vout": None, "address": None, "confidence": "undetermined"}
    if cj["is_coinjoin"]:
        return {**base, "reason": "CoinJoin: change heuristics do not apply"}
    cand = change_candidates(ledger, txid)
    if len(cand) < 2:
        return {**base, "reason": f"{len(cand)} output(s): nothing to tell apart"}
    selfc = cand[cand["self_change"]]
    if len(selfc) == 1:
        r = selfc.iloc[0]
        return {**base, "vout": int(r["vout"]), "address": r["address"], "confidence": "high",
                "reason": "self-change: the output pays back an input address"}
    fresh = cand[cand["fresh"]]
    full = cand[cand["score"] == 4]
    if len(fresh) == 1 and len(full) == 1 and full.index[0] == fresh.index[0]:
        r = full.iloc[0]
        return {**base, "vout": int(r["vout"]), "address": r["address"], "confidence": "medium",
                "reason": "one-time change: the only fresh output; same type, below the "
                          "smallest input, not round"}
    if len(fresh) > 1:
        return {**base, "reason": f"{len(fresh)} outputs are fresh: one-time-change rule "
                                  "declines (Meiklejohn condition 4)"}
    best = cand["score"].max()
    top = cand[cand["score"] == best]
    if len(top) == 1 and best >= 2 and (cand["score"] < best - 1).sum() == len(cand) - 1:
        r = top.iloc[0]
        return {**base, "vout": int(r["vout"]), "address": r["address"], "confidence": "low",
                "reason": f"scores {best} of 4 change signs; the others score at most {best - 2}"}
    return {**base, "reason": "no output stands out: undetermined"}


def follow_peel_chain(ledger: UtxoLedger, start_txid: str, *, max_hops: int = 200,
                      max_peel_fraction: float = 0.25):
    """Follow a peel chain from ``start_txid`` hop by hop.

    At each hop the tx must have one input and two outputs. The continuation is the output
    whose spending tx again has one input and two outputs; if both or neither do, the larger
    output. The peel (the other output) must be at most ``max_peel_fraction`` of the input.
    Returns a DataFrame: ``hop``, ``txid``, ``in_value``, ``peel_address``, ``peel_value``,
    ``change_address``, ``change_value``; ``df.attrs["stop"]`` says why the chain ended.
    """
    import pandas as pd
    if not 0 < max_peel_fraction < 1:
        raise CryptoInputError(f"max_peel_fraction {max_peel_fraction!r} must be between 0 and 1")
    t = ledger.tx_row(start_txid)
    idx = ledger._index
    rows, stop, seen = [], "max_hops reached", set()

    def peel_like(tx):
        return tx >= 0 and idx["n_in"][tx] == 1 and idx["n_out"][tx] == 2

    for hop in range(1, max_hops + 1):
        if t in seen:
            stop = "cycle"
            break
        seen.add(t)
        txid = ledger.txs.at[t, "txid"]
        if not peel_like(t):
            stop = (f"{txid} has {idx['n_in'][t]} input(s) and {idx['n_out'][t]} outputs: "
                    "not a peel hop")
            break
        o = list(ledger.tx_outputs(t))
        vals = [int(ledger.outputs.at[r, "value"]) for r in o]
        nxt = [ledger.spent_by(r) for r in o]
        like = [peel_like(x) for x in nxt]
        if like[0] != like[1]:
            c = 0 if like[0] else 1
        else:
            c = 0 if vals[0] >= vals[1] else 1
        p = 1 - c
        in_value = sum(vals) + int(ledger.txs.at[t, "fee"])
        if vals[p] > max_peel_fraction * in_value:
            stop = f"{txid}: the smaller output is {vals[p] / in_value:.0%} of the input"
            break
        rows.append({"hop": hop, "txid": txid, "in_value": in_value,
                     "peel_address": ledger.outputs.at[o[p], "address"], "peel_value": vals[p],
                     "change_address": ledger.outputs.at[o[c], "address"],
                     "change_value": vals[c]})
        t = nxt[c]
        if t < 0:
            stop = "the continuation output is unspent"
            break
    df = pd.DataFrame(rows, columns=["hop", "txid", "in_value", "peel_address", "peel_value",
                                     "change_address", "change_value"])
    df.attrs["stop"] = stop
    return df


# =============================================================================================
# Account model: deposit addresses, gas funders, round payments
# =============================================================================================

def deposit_clusters(tron: TokenLedger, exchange_addresses, *, alpha: int = 10_000,
                     tau_seconds: int = 86_400):
    """Deposit-address reuse on the account model (Victor 2020, the "DAR" rule).

    A deposit address D is one that forwards a received amount to a known exchange wallet
    (``exchange_addresses``) within ``tau_seconds`` and within ``alpha`` base units of what it
    received. Everyone who paid into the same D is one exchange customer (one cluster).
    Returns ``deposit``, ``sender``, ``receive_tx``, ``forward_tx``, ``delay_s``,
    ``confidence`` (κ = 1 - ½·|Δamount|/α - ½·delay/τ) and ``cluster`` (one id per deposit
    address; senders of the same deposit share it). Link strength:
    ``LINK_STRENGTH["deposit-address"]``.
    """
    import pandas as pd
    if isinstance(exchange_addresses, str):
        exchange_addresses = [exchange_addresses]
    exch = set(exchange_addresses)
    if not exch:
        raise CryptoInputError("deposit_clusters needs at least one known exchange address")
    if alpha < 0 or tau_seconds <= 0:
        raise CryptoInputError(f"alpha {alpha!r} must be >= 0 and tau_seconds {tau_seconds!r} > 0")
    tr = tron.transfers
    fwd = tr[tr["to"].isin(exch) & ~tr["from"].isin(exch)]
    recv = tr[tr["to"].isin(set(fwd["from"]))]
    m = recv.merge(fwd, left_on="to", right_on="from", suffixes=("_r", "_f"))
    m["delay_s"] = (m["time_utc_f"] - m["time_utc_r"]).dt.total_seconds()
    m["diff"] = (m["value_f"] - m["value_r"]).abs()
    m = m[(m["delay_s"] >= 0) & (m["delay_s"] <= tau_seconds) & (m["diff"] <= alpha)]
    m = m.sort_values(["tx_hash_r", "delay_s"]).drop_duplicates("tx_hash_r")
    a = max(alpha, 1)
    out = pd.DataFrame({"deposit": m["to_r"], "sender": m["from_r"], "receive_tx": m["tx_hash_r"],
                        "forward_tx": m["tx_hash_f"], "delay_s": m["delay_s"].astype(int),
                        "confidence": (1 - 0.5 * m["diff"] / a - 0.5 * m["delay_s"] / tau_seconds)
                        .round(3)})
    out = out.sort_values(["deposit", "sender"]).reset_index(drop=True)
    out["cluster"] = pd.factorize(out["deposit"])[0]
    return out


def first_funders(tron: TokenLedger, addresses=None):
    """Who sent each address its first TRX (activation / gas). One row per funded address:
    ``address``, ``funder``, ``tx_hash``, ``time_utc``, ``amount``. Wallets sharing a funder are
    linked only behaviourally (``LINK_STRENGTH["common-funder"]``)."""
    trx = tron.trx.sort_values(["block"], kind="stable") if len(tron.trx) else tron.trx
    if isinstance(addresses, str):
        addresses = [addresses]
    first = trx.drop_duplicates("to")
    if addresses is not None:
        first = first[first["to"].isin(set(addresses))]
    return first.rename(columns={"to": "address", "from": "funder"})[
        ["address", "funder", "tx_hash", "time_utc", "amount"]].reset_index(drop=True)


def is_round(value: int, unit: int = USDT_UNIT, multiple: int = 100) -> bool:
    """True if ``value`` base units are a whole multiple of ``multiple`` coins.

    >>> is_round(1_500_000_000), is_round(1_499_000_000), is_round(1_500_000_001)
    (True, False, False)
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise CryptoInputError(f"value {value!r} must be an integer number of base units")
    if unit <= 0 or multiple <= 0:
        raise CryptoInputError("unit and multiple must be positive")
    return value > 0 and value % (unit * multiple) == 0


def round_payments(transfers, *, unit: int = USDT_UNIT, multiple: int = 100, to=None):
    """Transfers whose value is a round number of coins (fee-like), optionally only those
    paid ``to`` the given addresses."""
    v = transfers["value"]
    mask = (v > 0) & (v % (unit * multiple) == 0)
    if to is not None:
        mask &= transfers["to"].isin({to} if isinstance(to, str) else set(to))
    return transfers[mask]


# =============================================================================================
# Taint
# =============================================================================================

def _check_int(x, what):
    if isinstance(x, bool) or not isinstance(x, int):
        try:
            import numpy as np
            if isinstance(x, np.integer):
                return int(x)
        except ImportError:                                    # pragma: no cover
            pass
        raise CryptoInputError(f"{what} = {x!r} must be an integer (satoshi / base units)")
    if x < 0:
        raise CryptoInputError(f"{what} = {x} is negative")
    return x


def _haircut_split(t_in: int, parts: list[int]) -> list[int]:
    """Largest-remainder split of ``t_in`` over ``parts`` (proportional to value)."""
    total = sum(parts)
    if total == 0 or t_in == 0:
        return [0] * len(parts)
    q = [p * t_in for p in parts]
    base = [x // total for x in q]
    rem = t_in - sum(base)
    order = sorted(range(len(parts)), key=lambda i: (-(q[i] % total), i))
    for i in order[:rem]:
        base[i] += 1
    return base


def _fifo_cut(segments: list[tuple[bool, int]], sizes: list[int]) -> list[list[tuple[bool, int]]]:
    """Cut a queue of (tainted, amount) segments into pieces of ``sizes`` in order."""
    out, q = [], deque(s for s in segments if s[1] > 0)
    for size in sizes:
        piece, need = [], size
        while need > 0 and q:
            flag, amt = q.popleft()
            take = min(need, amt)
            if piece and piece[-1][0] == flag:
                piece[-1] = (flag, piece[-1][1] + take)
            else:
                piece.append((flag, take))
            need -= take
            if amt > take:
                q.appendleft((flag, amt - take))
        out.append(piece)
    return out


def allocate_taint(inputs, outputs, model: str) -> list[int]:
    """The tainted amount of each output of one transaction, in integers.

    ``inputs``: ``(value, tainted_value)`` integer pairs in input order; ``outputs``: integer
    values in output order; the fee is what is left (``sum(inputs) - sum(outputs)``), implicit
    and last. ``model``:

    * ``"poison"``: if any input is tainted, every output is fully tainted (taint grows);
    * ``"haircut"``: each output gets the same *share* of taint as the whole transaction,
      split by the largest-remainder method so that outputs + fee receive exactly the tainted
      input total;
    * ``"fifo"``: first in, first out — the inputs form a queue in input order (within an
      input its tainted part first), cut into the outputs in output order; the fee is cut last.

    For haircut and FIFO, ``sum(result) + fee_taint == sum(tainted inputs)`` exactly, where the
    fee's share is ``sum(tainted) - sum(result)`` (it is never more than the fee).

    >>> allocate_taint([(3, 3), (7, 0)], [4, 6], "poison")
    [4, 6]
    >>> allocate_taint([(7, 0), (3, 3)], [4, 6], "fifo")
    [0, 3]
    >>> allocate_taint([(100, 50)], [60, 30], "haircut")      # fee 10 takes 5
    [30, 15]
    """
    if model not in TAINT_MODELS:
        raise CryptoInputError(f"model {model!r} is not one of {TAINT_MODELS}")
    if isinstance(inputs, (str, bytes)) or not hasattr(inputs, "__iter__"):
        raise CryptoInputError("inputs must be a list of (value, tainted_value) pairs")
    pairs = []
    for i, pair in enumerate(inputs):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise CryptoInputError(f"input {i} = {pair!r} must be a (value, tainted_value) pair")
        v = _check_int(pair[0], f"input {i} value")
        tv = _check_int(pair[1], f"input {i} tainted value")
        if tv > v:
            raise CryptoInputError(f"input {i}: tainted value {tv} exceeds its value {v}")
        pairs.append((v, tv))
    if not pairs:
        raise CryptoInputError("a transaction needs at least one input (missing inputs?)")
    if isinstance(outputs, (str, bytes)) or not hasattr(outputs, "__iter__"):
        raise CryptoInputError("outputs must be a list of integer values")
    outs = [_check_int(o, f"output {i} value") for i, o in enumerate(outputs)]
    total_in = sum(v for v, _ in pairs)
    fee = total_in - sum(outs)
    if fee < 0:
        raise CryptoInputError(f"unbalanced transaction: outputs {sum(outs)} exceed inputs "
                               f"{total_in}")
    t_in = sum(tv for _, tv in pairs)
    if model == "poison":
        return list(outs) if t_in > 0 else [0] * len(outs)
    if model == "haircut":
        return _haircut_split(t_in, outs + [fee])[:-1]
    segs = []
    for v, tv in pairs:
        segs += [(True, tv), (False, v - tv)]
    pieces = _fifo_cut(segs, outs + [fee])
    return [sum(a for f, a in p if f) for p in pieces[:-1]]


def _segments_taint(segs):
    return sum(a for f, a in segs if f)


def trace_forward(ledger: UtxoLedger, seeds, *, model: str = "haircut", hops: int = 6):
    """Follow tainted outputs forward through up to ``hops`` spending transactions.

    ``seeds``: outpoints (``"txid:vout"`` or ``(txid, vout)``) that are fully tainted, or a
    dict ``{outpoint: tainted_amount}``. Transactions are processed in chain order, so all
    taint entering a transaction is known before it is split (:func:`allocate_taint`; FIFO
    keeps the exact order of tainted and clean pieces across hops).

    Returns one row per tainted output: ``hop``, ``txid``, ``vout``, ``address``, ``value``,
    ``tainted``, ``spent``; ``df.attrs`` has ``fee_taint``, ``seed_taint`` and
    ``flagged`` (transactions skipped because the ledger flagged them — their taint stops there,
    it is never silently counted). With haircut and FIFO, tainted unspent + spent-beyond-horizon
    outputs + fees add up to the seed taint exactly.
    """
    import numpy as np
    import pandas as pd
    if model not in TAINT_MODELS:
        raise CryptoInputError(f"model {model!r} is not one of {TAINT_MODELS}")
    if not isinstance(hops, int) or hops < 1:
        raise CryptoInputError(f"hops {hops!r} must be a positive integer")
    if isinstance(seeds, (str, tuple)):
        seeds = [seeds]
    items = seeds.items() if isinstance(seeds, dict) else [(s, None) for s in seeds]
    outputs = ledger.outputs
    values = outputs["value"].to_numpy()
    taint: dict[int, object] = {}          # out_row -> int (haircut/poison) or segments (fifo)
    hop_of: dict[int, int] = {}
    seed_total = 0
    items = list(items)
    parsed = [_parse_outpoint(s) for s, _ in items]
    t_rows = ledger._index["txid"].get_indexer([p[0] for p in parsed]) if parsed else []
    for (s, amt), (txid, vout), t in zip(items, parsed, t_rows):
        if t < 0:
            raise LedgerError(f"transaction {txid!r} is not in this ledger")
        if not 0 <= vout < int(ledger._index["n_out"][t]):
            raise LedgerError(f"{txid}:{vout}: the transaction has "
                              f"{int(ledger._index['n_out'][t])} outputs")
        r = int(ledger._index["out_start"][t]) + vout
        v = int(values[r])
        a = v if amt is None else _check_int(amt, f"seed {s} amount")
        if a > v:
            raise CryptoInputError(f"seed {s}: tainted amount {a} exceeds the output value {v}")
        taint[r] = [(True, a), (False, v - a)] if model == "fifo" else a
        hop_of[r] = 0
        seed_total += a
    flagged_tx = set(ledger.problems["txid"]) if len(ledger.problems) else set()
    heap = []
    queued = set()
    idx = ledger._index
    spent_by = idx["spent_by"]
    in_start, n_in = idx["in_start"], idx["n_in"]
    out_start, n_out = idx["out_start"], idx["n_out"]
    prev_out = ledger.inputs["prev_out"].to_numpy()

    def push(r):
        s = int(spent_by[r])
        if s >= 0 and s not in queued:
            queued.add(s)
            heapq.heappush(heap, s)

    for r in list(taint):
        push(r)
    fee_taint, flagged, processed = 0, [], {}
    txid_col = ledger.txs["txid"]
    fees = ledger.txs["fee"].to_numpy()
    while heap:
        t = heapq.heappop(heap)
        i0 = int(in_start[t])
        in_rows = prev_out[i0:i0 + int(n_in[t])].tolist()
        h = min(hop_of[p] for p in in_rows if p in hop_of) + 1
        if h > hops:
            continue
        if flagged_tx and txid_col.iat[t] in flagged_tx:
            flagged.append(txid_col.iat[t])
            continue
        o0 = int(out_start[t])
        out_rows = range(o0, o0 + int(n_out[t]))
        out_vals = values[o0:o0 + int(n_out[t])].tolist()
        fee = int(fees[t])
        if model == "fifo":
            segs = []
            for p in in_rows:
                segs += taint.get(p, [(False, int(values[p]))])
            pieces = _fifo_cut(segs, out_vals + [fee])
            fee_taint += _segments_taint(pieces[-1])
            new = {r: pc for r, pc in zip(out_rows, pieces[:-1]) if _segments_taint(pc) > 0}
        else:
            # values were checked at load (integers, balanced): split without re-validating
            t_in = sum(int(taint.get(p, 0)) for p in in_rows)
            if model == "poison":
                res = out_vals if t_in > 0 else [0] * len(out_vals)
            else:
                res = _haircut_split(t_in, out_vals + [fee])[:-1]
                fee_taint += t_in - sum(res)
            new = {r: x for r, x in zip(out_rows, res) if x > 0}
        processed[t] = h
        for r, x in new.items():
            taint[r] = x
            hop_of[r] = h
            push(r)
    keep = [(r, _segments_taint(x) if model == "fifo" else int(x)) for r, x in taint.items()]
    keep = [(r, a) for r, a in keep if a > 0]
    rows_ix = [r for r, _ in keep]
    sub = outputs.iloc[rows_ix]                     # only the rows we report (no full copies)
    spent = spent_by[rows_ix] if rows_ix else spent_by[:0]
    df = pd.DataFrame({
        "hop": [hop_of[r] for r in rows_ix],
        "txid": np.asarray(sub["txid"], dtype=object),
        "vout": sub["vout"].to_numpy(), "address": np.asarray(sub["address"], dtype=object),
        "value": sub["value"].to_numpy(), "tainted": [a for _, a in keep],
        "spent": spent >= 0,
        "followed": [bool(x >= 0 and int(x) in processed) for x in spent]},
        columns=["hop", "txid", "vout", "address", "value", "tainted", "spent", "followed"])
    df = df.sort_values(["hop", "txid", "vout"], kind="stable").reset_index(drop=True)
    df.attrs.update({"model": model, "hops": hops, "fee_taint": int(fee_taint),
                     "seed_taint": int(seed_total), "flagged": flagged})
    return df


def trace_backward(ledger: UtxoLedger, outpoint, *, hops: int = 6):
    """Where did the coins in ``outpoint`` come from? Walk inputs back up to ``hops`` steps.

    Returns one row per ancestor output: ``hop`` (1 = spent directly into the target's
    transaction), ``txid``, ``vout``, ``address``, ``value`` and ``share`` — the haircut share
    of the target's value that came through this ancestor (fractions multiply along the path;
    exact ``Fraction`` converted to float). ``df.attrs["missing"]`` lists inputs whose source is
    not in the ledger.
    """
    import pandas as pd
    if not isinstance(hops, int) or hops < 1:
        raise CryptoInputError(f"hops {hops!r} must be a positive integer")
    txid, vout = _parse_outpoint(outpoint)
    target = ledger.out_row(txid, vout)
    values = ledger.outputs["value"].to_numpy()
    prev_out = ledger.inputs["prev_out"].to_numpy()
    frontier = {int(ledger.outputs.at[target, "tx"]): Fraction(1)}
    share: dict[int, Fraction] = {}
    hop_of: dict[int, int] = {}
    missing = []
    for h in range(1, hops + 1):
        nxt: dict[int, Fraction] = {}
        for t, sh in frontier.items():
            in_rows = list(ledger.tx_inputs(t))
            total_in = sum(int(ledger.inputs.at[r, "value"]) for r in in_rows)
            if total_in == 0:
                continue
            for r in in_rows:
                p = int(prev_out[r])
                part = sh * Fraction(int(ledger.inputs.at[r, "value"]), total_in)
                if p < 0:
                    missing.append(f"{ledger.inputs.at[r, 'prev_txid']}:"
                                   f"{ledger.inputs.at[r, 'prev_vout']}")
                    continue
                share[p] = share.get(p, Fraction(0)) + part
                hop_of.setdefault(p, h)
                pt = int(ledger.outputs.at[p, "tx"])
                if not bool(ledger.txs.at[pt, "is_coinbase"]):
                    nxt[pt] = nxt.get(pt, Fraction(0)) + part
        frontier = nxt
        if not frontier:
            break
    txids = ledger.txs["txid"].to_numpy()
    rows = [{"hop": hop_of[p], "txid": txids[int(ledger.outputs.at[p, "tx"])],
             "vout": int(ledger.outputs.at[p, "vout"]), "address": ledger.outputs.at[p, "address"],
             "value": int(values[p]), "share": float(s)} for p, s in share.items()]
    df = pd.DataFrame(rows, columns=["hop", "txid", "vout", "address", "value", "share"])
    df = df.sort_values(["hop", "share"], ascending=[True, False]).reset_index(drop=True)
    df.attrs["missing"] = missing
    return df


# -- account model ------------------------------------------------------------------------------

def trace_tokens(tron: TokenLedger, seeds, *, model: str = "fifo", hops: int = 6,
                 stop_at=()):
    """Follow tainted token transfers forward through accounts (account model).

    ``seeds``: ``tx_hash`` values of transfers whose whole value is tainted (e.g. the victims'
    payments); a seed is hop 1. Every account keeps the composition of what it received, in
    chain order; an outgoing transfer of a tainted account takes, depending on ``model``:

    * ``"fifo"``: from the front of the account's queue (first in, first out; "Clayton's case");
    * ``"haircut"``: the tainted share of the balance at that moment (rounded down; the
      remainder stays in the account, so nothing is lost);
    * ``"poison"``: everything, once the account has held any taint.

    An account reached at hop ``k`` is followed while ``k < hops``. Accounts in ``stop_at``
    (exchange hot wallets: funds are pooled there) and accounts at the horizon receive taint but
    are not followed: their tainted balance is reported in ``df.attrs["balances"]``. Under FIFO
    and haircut the balances add up to the seeds' total exactly.

    Returns one row per transfer that carried taint: ``hop``, ``tx_hash``, ``from``, ``to``,
    ``value``, ``tainted``, ``time_utc``. ``df.attrs["overdrafts"]`` lists transfers sending
    more than the ledger shows the account holding (history missing: flagged, and the unknown
    part is treated as clean — never silently counted as taint).
    """
    import pandas as pd
    if model not in TAINT_MODELS:
        raise CryptoInputError(f"model {model!r} is not one of {TAINT_MODELS}")
    if not isinstance(hops, int) or hops < 1:
        raise CryptoInputError(f"hops {hops!r} must be a positive integer")
    if isinstance(seeds, str):
        seeds = [seeds]
    tr = tron.transfers
    seed_set = set(seeds)
    if not seed_set:
        raise CryptoInputError("trace_tokens needs at least one seed transfer")
    unknown = seed_set - set(tr["tx_hash"])
    if unknown:
        raise LedgerError(f"seed transfer {sorted(unknown)[0]!r} is not in the ledger")
    stop = {stop_at} if isinstance(stop_at, str) else set(stop_at)
    queue: dict[str, deque] = {}        # fifo: (tainted, amount) segments; others: [clean, taint]
    hop_of: dict[str, int] = {}
    rows, overdrafts = [], []

    def credit(acct, tainted, clean):
        if model == "fifo":
            q = queue.setdefault(acct, deque())
            for flag, amt in ((True, tainted), (False, clean)):
                if amt:
                    if q and q[-1][0] == flag:
                        q[-1] = (flag, q[-1][1] + amt)
                    else:
                        q.append((flag, amt))
        else:
            b = queue.setdefault(acct, [0, 0])
            b[0] += clean
            b[1] += tainted

    def debit(acct, v, h):
        """Remove ``v`` from ``acct``; return the tainted part."""
        if model == "fifo":
            have = sum(a for _, a in queue.setdefault(acct, deque()))
            if v > have:
                overdrafts.append(h)
                credit(acct, 0, v - have)
                have = v
            piece, rest = _fifo_cut(list(queue[acct]), [v, have - v])
            queue[acct] = deque(rest)
            return _segments_taint(piece)
        b = queue.setdefault(acct, [0, 0])
        if v > b[0] + b[1]:
            overdrafts.append(h)
            b[0] = v - b[1]
        if model == "poison":
            tainted = v if b[1] > 0 or poisoned.get(acct) else 0
            take_t = min(b[1], v)
            b[1] -= take_t
            b[0] -= v - take_t
            return tainted
        tainted = (v * b[1]) // (b[0] + b[1])
        b[1] -= tainted
        b[0] -= v - tainted
        return tainted

    poisoned: dict[str, bool] = {}
    cols = list(tr.columns)
    i_h, i_t, i_f, i_to, i_v = (cols.index(c) for c in ("tx_hash", "time_utc", "from", "to",
                                                        "value"))
    for rec in tr.itertuples(index=False, name=None):
        h, frm, to, v = rec[i_h], rec[i_f], rec[i_to], int(rec[i_v])
        followed = frm in hop_of and frm not in stop and hop_of[frm] < hops
        if h in seed_set:
            debit(frm, v, h) if followed else None
            tainted, hop = v, 1
        elif followed:
            tainted = debit(frm, v, h)
            hop = hop_of[frm] + 1
        else:
            if frm in hop_of:        # a stopped / horizon account: its books are closed
                credit(to, 0, v)
                continue
            if frm in queue:
                debit(frm, v, None)
            credit(to, 0, v)
            continue
        if tainted > 0:
            rows.append({"hop": hop, "tx_hash": h, "from": frm, "to": to, "value": v,
                         "tainted": tainted, "time_utc": rec[i_t]})
            hop_of[to] = min(hop_of.get(to, hop), hop)
            poisoned[to] = True
        credit(to, tainted, v - tainted)
    if model == "fifo":
        balances = {a: _segments_taint(q) for a, q in queue.items() if _segments_taint(q)}
    else:
        balances = {a: b[1] for a, b in queue.items() if b[1]}
    overdrafts = [o for o in overdrafts if o is not None]
    df = pd.DataFrame(rows, columns=["hop", "tx_hash", "from", "to", "value", "tainted",
                                     "time_utc"])
    df.attrs.update({"model": model, "hops": hops, "balances": balances,
                     "overdrafts": overdrafts})
    return df


def trace_tokens_backward(tron: TokenLedger, address: str, *, hops: int = 3, before=None):
    """Who funded ``address``? Walk incoming transfers back up to ``hops`` steps.

    Returns ``hop``, ``tx_hash``, ``from``, ``to``, ``value``, ``time_utc`` for each incoming
    transfer reached (only transfers earlier than the one that brought the money on are
    followed, so time runs one way and a cycle cannot loop forever).
    """
    import pandas as pd
    if address_type(address) != "tron":
        raise CryptoInputError(f"{address!r} is not a valid TRON address")
    tr = tron.transfers
    by_to = {k: g for k, g in tr.groupby("to", sort=False)}
    limit = {address: pd.Timestamp.max.tz_localize("UTC") if before is None else
             pd.Timestamp(before)}
    rows, seen = [], set()
    for h in range(1, hops + 1):
        nxt = {}
        for a, t_max in limit.items():
            g = by_to.get(a)
            if g is None:
                continue
            g = g[g["time_utc"] <= t_max]
            for rec in g.itertuples(index=False):
                if rec.tx_hash in seen:
                    continue
                seen.add(rec.tx_hash)
                rows.append({"hop": h, "tx_hash": rec.tx_hash, "from": rec[6], "to": rec[7],
                             "value": int(rec[8]), "time_utc": rec[2]})
                nxt[rec[6]] = max(nxt.get(rec[6], rec[2]), rec[2])
        limit = nxt
        if not limit:
            break
    return pd.DataFrame(rows, columns=["hop", "tx_hash", "from", "to", "value", "time_utc"])


# =============================================================================================
# Attribution, pictures, reports
# =============================================================================================

def attribute(df, tags, column: str = "address"):
    """Add ``label``, ``category`` and ``tag_source`` from ``tags`` to ``df[column]``
    (untagged rows get None). Tags are claims with a source: quote the source, not the label."""
    if column not in df.columns:
        raise CryptoInputError(f"attribute: df has no column {column!r}")
    t = tags.drop_duplicates("address").set_index("address")
    out = df.copy()
    out["label"] = out[column].map(t["label"])
    out["category"] = out[column].map(t["category"])
    out["tag_source"] = out[column].map(t["source"]) if "source" in t.columns else None
    return out.astype({"label": object, "category": object}).where(out.notna(), None)


def flow_graph(trace, tags=None, *, entity: bool = True, number_untagged: bool = False):
    """A directed graph of a token trace (:func:`trace_tokens`) or a UTXO trace
    (:func:`trace_forward`): edges carry ``amount`` (tainted) and ``hop``; nodes carry
    ``label``/``category`` from ``tags`` and, with ``entity=True``, tagged addresses are merged
    into one node per label. ``number_untagged=True`` labels untagged addresses ``A1``, ``A2``,
    ... in order of appearance (for slides and reports shared beyond the case team)."""
    import networkx as nx
    g = nx.DiGraph()
    t = {} if tags is None else tags.drop_duplicates("address").set_index("address")[
        ["label", "category"]].to_dict("index")

    numbers: dict = {}

    def node(a):
        info = t.get(a)
        name = info["label"] if (entity and info) else a
        if name not in g:
            if info:
                label = info["label"]
            elif number_untagged:
                label = numbers.setdefault(a, f"A{len(numbers) + 1}")
            else:
                label = a[:8] + "…"
            g.add_node(name, label=label,
                       category=info["category"] if info else "unknown",
                       addresses=set())
        g.nodes[name]["addresses"].add(a)
        return name

    if "from" in trace.columns:
        edges = [(r["from"], r["to"], int(r["tainted"]), int(r["hop"])) for _, r in
                 trace.iterrows()]
    else:
        edges = []
        # UTXO: connect the input addresses' tainted outputs to the outputs of the spending tx
        by_tx = trace.groupby("txid")
        for txid, g_ in by_tx:
            for _, r in g_.iterrows():
                edges.append((f"tx:{txid[:10]}", r["address"], int(r["tainted"]), int(r["hop"])))
    for a, b, amt, hop in edges:
        u = node(a) if not a.startswith("tx:") else a
        if u == a and a.startswith("tx:") and a not in g:
            g.add_node(a, label=a, category="transaction", addresses=set())
        v = node(b)
        if g.has_edge(u, v):
            g[u][v]["amount"] += amt
            g[u][v]["hop"] = min(g[u][v]["hop"], hop)
        else:
            g.add_edge(u, v, amount=amt, hop=hop)
    return g


_CAT_COLOURS = {"exchange": "#2a9d8f", "service": "#e9c46a", "mixing_service": "#6d597a",
                "shop": "#e76f51", "user": "#f4a261", "unknown": "#b0b0b0",
                "transaction": "#dddddd"}


def flow_chart(graph, *, unit: int = USDT_UNIT, unit_name: str = "USDT", ax=None, title=None):
    """Draw a flow graph left to right by hop, edge width by amount (offline, matplotlib)."""
    import matplotlib.pyplot as plt
    import networkx as nx
    if graph.number_of_nodes() == 0:
        raise CryptoInputError("flow_chart: the graph has no nodes")
    level = {}
    for n in nx.topological_sort(graph) if nx.is_directed_acyclic_graph(graph) else graph:
        preds = list(graph.predecessors(n))
        level[n] = 0 if not preds else max(level.get(p, 0) for p in preds) + 1
    cols: dict[int, list] = {}
    for n, lv in level.items():
        cols.setdefault(lv, []).append(n)
    pos = {}
    for lv, ns in cols.items():
        for i, n in enumerate(sorted(ns, key=str)):
            pos[n] = (lv, -(i - (len(ns) - 1) / 2))
    if ax is None:
        fig, ax = plt.subplots(figsize=(min(4 + 2.2 * len(cols), 16), 1.5 + 0.8 * max(
            len(v) for v in cols.values())))
    else:
        fig = ax.figure
    amounts = [d["amount"] for _, _, d in graph.edges(data=True)] or [1]
    top = max(amounts) or 1
    nx.draw_networkx_edges(graph, pos, ax=ax, width=[0.8 + 5 * d["amount"] / top
                                                     for _, _, d in graph.edges(data=True)],
                           edge_color="#777777", arrows=True, arrowsize=12, alpha=0.7,
                           connectionstyle="arc3,rad=0.05")
    colours = [_CAT_COLOURS.get(graph.nodes[n].get("category"), "#b0b0b0") for n in graph]
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_color=colours, node_size=520,
                           edgecolors="#333333")
    nx.draw_networkx_labels(graph, pos, {n: graph.nodes[n].get("label", str(n)) for n in graph},
                            ax=ax, font_size=7)
    labels = {(u, v): f"{d['amount'] / unit:,.0f}" for u, v, d in graph.edges(data=True)}
    nx.draw_networkx_edge_labels(graph, pos, labels, ax=ax, font_size=6)
    from matplotlib.lines import Line2D
    present = sorted({graph.nodes[n].get("category", "unknown") for n in graph})
    ax.legend(handles=[Line2D([], [], marker="o", ls="", markersize=9, markeredgecolor="#333",
                              markerfacecolor=_CAT_COLOURS.get(c, "#b0b0b0"),
                              label="untagged" if c == "unknown" else c) for c in present],
              loc="lower left", fontsize=7, frameon=False)
    ax.set_title(title or f"Traced flow (edge labels in {unit_name})")
    ax.set_axis_off()
    fig.tight_layout()
    return fig, ax


def tracing_report(trace, *, case_ref: str, analyst: str, seeds, tags=None,
                   unit: int = USDT_UNIT, unit_name: str = "USDT", findings=(),
                   path=None) -> str:
    """A Markdown tracing report for the case file: method (model, hops), seeds, the traced
    amounts per hop, where tainted funds were last seen (attributed), link strengths and limits.
    With ``path``, the report is also written there (UTF-8) for the case file.
    """
    model, hops = trace.attrs.get("model", "?"), trace.attrs.get("hops", "?")
    if isinstance(seeds, str):
        seeds = [seeds]
    lines = [f"# Tracing report — {case_ref}", "",
             f"Analyst: {analyst}. Method: taint model **{model}**, up to {hops} hops, on the "
             "ledger copy in the case file (offline). Amounts in integer base units, shown "
             f"in {unit_name}.", "", "## Starting points", ""]
    lines += [f"- `{s}`" for s in seeds]
    lines += ["", "## Tainted amount per hop", "", "| hop | transfers | tainted |", "|---|---|---|"]
    for hop, g in trace.groupby("hop"):
        lines.append(f"| {hop} | {len(g)} | {g['tainted'].sum() / unit:,.2f} |")
    dest = trace.copy()
    dest_col = "to" if "to" in dest.columns else "address"
    if tags is not None:
        dest = attribute(dest, tags, dest_col)
        hits = dest[dest["category"].notna()]
        lines += ["", "## Attributed destinations", ""]
        if hits.empty:
            lines.append("None of the traced addresses carries an attribution tag.")
        for (lab, cat), g in hits.groupby(["label", "category"]):
            lines.append(f"- {lab} ({cat}): {g['tainted'].sum() / unit:,.2f} {unit_name} over "
                         f"{len(g)} transfer(s); tag source: {g['tag_source'].iloc[0]}")
    if findings:
        lines += ["", "## Findings and link strength", ""]
        lines += [f"- {f}" for f in findings]
    lines += ["", "## Limits", "",
              "- Taint models are accounting conventions, not facts: poison over-states, "
              "haircut dilutes, FIFO depends on order. Say which one you used.",
              "- Clustering and change heuristics are probabilistic; co-spend fails on "
              "CoinJoins, services pool funds (tracing ends at an exchange or mixer).",
              "- Attribution tags are claims with a source and a date; confirm with the "
              "service (KYC records) through legal process."]
    text = "\n".join(lines) + "\n"
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


def exchange_request(*, addresses, case_ref: str, authority: str, officer: str,
                     contact_email: str, contact_phone: str, timezone: str, offence: str,
                     facts: str, date_from, date_to, exchange: str = "kestrel",
                     transactions=(), kind: str = "voluntary", user_country: str = "",
                     legal_basis: str = "", necessity: str = "", link_to_offence: str = "",
                     ask_about_freezing: bool = True, providers=None):
    """A request to an exchange, pre-filled from a trace, as module 05's request model.

    Returns an :class:`osintlab.eevidence.Request` (kind ``voluntary`` by default, or
    ``preservation``/``mla``) to the ``exchange`` (provider id or name; the scenario's exchange
    is ``"kestrel"``) with every address as a ``wallet`` identifier, subscriber and traffic data
    (KYC, deposits/withdrawals with transaction ids, login IPs) and the period in UTC. Validate
    it with ``req.validate(providers)`` and render it with ``eevidence.to_markdown``; elements
    you leave empty (e.g. ``legal_basis``) are reported there as defects. Every address is
    checked first: an invalid one raises :class:`CryptoInputError` naming it.
    """
    from . import eevidence
    from .timeutil import to_utc, utc_iso
    if isinstance(addresses, str):
        addresses = [addresses]
    addresses = list(addresses)
    if not addresses:
        raise CryptoInputError("exchange_request needs at least one address")
    bad = [a for a in addresses if address_type(a) is None]
    if bad:
        raise CryptoInputError(f"invalid address {bad[0]!r}: {address_problem(bad[0])}")
    start, end = to_utc(date_from), to_utc(date_to)
    if end <= start:
        raise CryptoInputError(f"date_to {date_to!r} must be after date_from {date_from!r}")
    if providers is None:
        try:
            providers = eevidence.load_providers()
        except Exception:                         # no scenario datasets: real providers only
            providers = None
    prov = eevidence.provider(exchange, providers)
    addressee = prov.addressee(user_country) if user_country else \
        prov.entity_rule.get("*", "")
    txs = list(transactions)
    link = link_to_offence or (
        "Victims' recruitment-fee payments were traced on the blockchain to these deposit "
        "addresses of your platform" + (f" (transactions {', '.join(txs)})" if txs else "") +
        "; the tracing report with method, taint model and link strength is attached.")
    need = necessity or ("The account holder behind these deposit addresses receives the "
                         "proceeds; only your KYC and account records can identify them, and "
                         "no less intrusive source holds this data.")
    if ask_about_freezing:
        need += (" Please also tell us whether funds remain on the account; we are seeking a "
                 "freezing order and ask you to preserve the records meanwhile.")
    return eevidence.Request(
        kind=kind, provider=prov.provider_id, addressee=addressee, user_country=user_country,
        authority=authority, officer=officer, contact_email=contact_email,
        contact_phone=contact_phone, timezone=timezone, case_ref=case_ref, offence=offence,
        facts=facts, identifiers=[("wallet", a) for a in addresses],
        data=["subscriber", "traffic"], date_from=utc_iso(start), date_to=utc_iso(end),
        link_to_offence=link, necessity=need, legal_basis=legal_basis,
        formal_request_will_follow=kind == "preservation")
