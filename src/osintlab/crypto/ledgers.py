"""Load the ledgers (flagging what does not add up), keep a big one in a fast file, and show one
transaction the way a block explorer does.

A bitcoin-like UTXO chain (:class:`UtxoLedger`: transactions with ordered inputs and outputs in
integer satoshi) and a USDT-on-TRON-like token ledger (:class:`TokenLedger`: transfers with
``from``, ``to`` and an integer ``value`` in 6-decimal base units), from the course datasets, a
folder of CSV files or a dict of DataFrames.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..results import TableResult
from .addresses import address_type
from .base import CryptoInputError, LedgerError

UTXO_COLUMNS = {
    "txs": ["txid", "height", "idx_in_block", "time_utc", "locktime", "fee", "is_coinbase"],
    "inputs": ["txid", "vin", "prev_txid", "prev_vout", "address", "value"],
    "outputs": ["txid", "vout", "address", "value", "script_type"],
}
TRON_COLUMNS = [
    "tx_hash",
    "block",
    "time_utc",
    "log_index",
    "contract",
    "tx_signer",
    "from",
    "to",
    "value",
]


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
        return {n: source[n] for n in names}  # copy-on-write: the caller's frames stay
    if source is None:
        from .. import data

        return {n: data.load(f"crypto/{names[n]}") for n in names}
    folder = Path(source)
    if not folder.is_dir():
        raise LedgerError(f"{loader_name}: {folder} is not a folder")
    out = {}
    for n, rel in names.items():
        f = folder / Path(rel).name
        if not f.is_file():
            raise LedgerError(f"{loader_name}: {f} is missing")
        out[n] = pd.read_csv(
            f,
            keep_default_na=False,
            na_values={"value": [""]},
            dtype={
                "txid": str,
                "prev_txid": str,
                "address": str,
                "tx_hash": str,
                "from": str,
                "to": str,
            },
        )
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
            codes_out, used = pd.factorize(out_col.cat.codes.to_numpy())  # integers: fast
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
    frames = _frames_from(
        source,
        {"txs": "btc/txs.csv", "inputs": "btc/inputs.csv", "outputs": "btc/outputs.csv"},
        "load_utxo",
    )
    txs, inputs, outputs = frames["txs"], frames["inputs"], frames["outputs"]
    for name, df in frames.items():
        _need(df, UTXO_COLUMNS[name], f"load_utxo: {name}")
    for name, df, cols in (
        ("outputs", outputs, ["value", "vout"]),
        ("inputs", inputs, ["value", "vin", "prev_vout"]),
        ("txs", txs, ["fee", "height", "idx_in_block"]),
    ):
        for c in cols:
            if not pd.api.types.is_integer_dtype(df[c]):
                raise LedgerError(
                    f"load_utxo: {name}.{c} must hold integers (satoshi), found {df[c].dtype}"
                )
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
            raise LedgerError(
                f"load_utxo: {name} of unknown transaction {df.loc[orphan, 'txid'].iloc[0]}"
            )
    outputs = _sorted(outputs, "tx", "vout")
    inputs = _sorted(inputs, "tx", "vin")
    n_out = np.bincount(outputs["tx"].to_numpy(), minlength=n)
    n_in = np.bincount(inputs["tx"].to_numpy(), minlength=n)
    out_start = np.concatenate([[0], np.cumsum(n_out)[:-1]]) if n else np.zeros(0, int)
    in_start = np.concatenate([[0], np.cumsum(n_in)[:-1]]) if n else np.zeros(0, int)
    vout_ok = outputs["vout"].to_numpy() == np.arange(len(outputs)) - out_start[outputs["tx"]]
    if not vout_ok.all():
        raise LedgerError(
            "load_utxo: output indexes of transaction "
            f"{outputs.loc[~vout_ok, 'txid'].iloc[0]} are not 0, 1, 2, ..."
        )
    # link inputs to the outputs they spend
    prev_tx = lookup(inputs["prev_txid"])
    pv = inputs["prev_vout"].to_numpy()
    coinbase_tx = txs["is_coinbase"].astype(bool).to_numpy()
    ok = prev_tx >= 0
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
    led._index = {
        "txid": txid_index,
        "n_out": n_out,
        "n_in": n_in,
        "out_start": out_start,
        "in_start": in_start,
        "spent_by": spent_by,
    }
    return led


def save_utxo(ledger: UtxoLedger, path) -> Path:
    """Write a loaded ledger to a compressed-free ``.npz`` file (numpy arrays only, no pickle:
    safe to open). Transaction ids and addresses are stored once each and referenced by integer
    codes, as BlockSci and GraphSense do, so :func:`load_utxo` reads a million transactions in
    about a second. A ledger with flagged transactions is refused: fix or drop them first.
    """
    import numpy as np
    import pandas as pd

    if not isinstance(ledger, UtxoLedger):
        raise CryptoInputError("save_utxo expects a ledger from load_utxo")
    if len(ledger.problems):
        raise LedgerError(
            f"save_utxo: the ledger has {len(ledger.problems)} flagged "
            "transaction(s); fix or drop them before caching"
        )
    path = Path(path)
    if path.suffix.lower() != ".npz":
        raise CryptoInputError(f"save_utxo: {path} must end in .npz")
    codes_out, codes_in, addresses = _address_codes(ledger)
    txs, ins, outs = ledger.txs, ledger.inputs, ledger.outputs
    prev_tx = np.where(
        ins["prev_out"].to_numpy() >= 0,
        outs["tx"].to_numpy()[np.maximum(ins["prev_out"].to_numpy(), 0)],
        -1,
    )
    stype_codes, stypes = pd.factorize(outs["script_type"].astype(str))

    def text(values):
        return np.array([str(v).encode("ascii") for v in values])

    times = txs["time_utc"]
    arrays = {
        "txid": text(txs["txid"]),
        "address": text(addresses),
        "script_types": text(stypes),
        "height": txs["height"].to_numpy(),
        "idx_in_block": txs["idx_in_block"].to_numpy(),
        "time_ns": (
            times.astype("datetime64[ns, UTC]").astype("int64").to_numpy()
            if len(times)
            else np.zeros(0, np.int64)
        ),
        "locktime": txs["locktime"].to_numpy(),
        "fee": txs["fee"].to_numpy(),
        "is_coinbase": txs["is_coinbase"].astype(bool).to_numpy(),
        "out_tx": outs["tx"].to_numpy(),
        "out_vout": outs["vout"].to_numpy(),
        "out_addr": codes_out,
        "out_value": outs["value"].to_numpy(),
        "out_stype": stype_codes,
        "in_tx": ins["tx"].to_numpy(),
        "in_vin": ins["vin"].to_numpy(),
        "in_prev_tx": prev_tx,
        "in_prev_vout": ins["prev_vout"].to_numpy(),
        "in_addr": codes_in,
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
        raise LedgerError(
            f"load_utxo: {path} is not a ledger written by save_utxo ({exc})"
        ) from None
    with z:
        a = {k: z[k] for k in z.files}
    tx_cats = pd.Index(a["txid"].astype(str).astype(object))
    addr_cats = pd.Index(a["address"].astype(str).astype(object))
    tx_type = pd.CategoricalDtype(tx_cats)
    addr_type = pd.CategoricalDtype(addr_cats)

    def cat(codes, dtype):
        return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)

    txs = pd.DataFrame(
        {
            "txid": cat(np.arange(len(tx_cats)), tx_type),
            "height": a["height"],
            "idx_in_block": a["idx_in_block"],
            "time_utc": pd.to_datetime(a["time_ns"], utc=True),
            "locktime": a["locktime"],
            "fee": a["fee"],
            "is_coinbase": a["is_coinbase"],
        }
    )
    outputs = pd.DataFrame(
        {
            "txid": cat(a["out_tx"], tx_type),
            "vout": a["out_vout"],
            "address": cat(a["out_addr"], addr_type),
            "value": a["out_value"],
            "script_type": a["script_types"].astype(str)[a["out_stype"]],
        }
    )
    inputs = pd.DataFrame(
        {
            "txid": cat(a["in_tx"], tx_type),
            "vin": a["in_vin"],
            "prev_txid": cat(a["in_prev_tx"], tx_type),
            "prev_vout": a["in_prev_vout"],
            "address": cat(a["in_addr"], addr_type),
            "value": a["in_value"],
        }
    )
    return {"txs": txs, "inputs": inputs, "outputs": outputs}


@dataclass
class TokenLedger:
    """An account-model token ledger (TRC-20-like): ``transfers`` in chain order, ``trx``
    (native-coin transfers: activation and gas funding), ``freezes`` (issuer freeze events)."""

    transfers: object
    trx: object
    freezes: object
    problems: object


def load_tron(source=None, *, _chain: str = "tron") -> TokenLedger:
    """Load the token ledger: the course's (``None``), a folder with ``trc20_transfers.csv``
    (and optionally ``trx_transfers.csv``, ``freezes.csv``) or a dict of DataFrames.

    Values are integer base units (USDT: 6 decimals). Rows with a negative value or a
    non-valid address are flagged in ``problems`` and left out of ``transfers``.
    """
    import pandas as pd

    if _chain == "evm" and source is None:
        from .. import data

        source = {
            "transfers": data.load("crypto/evm/erc20_transfers.csv"),
            "freezes": data.load("crypto/evm/freezes.csv"),
        }

    if isinstance(source, dict):
        transfers = source.get("transfers", source.get("trc20"))
        if transfers is None:
            raise LedgerError("load_tron: the dict needs a 'transfers' table")
        trx = source.get(
            "trx", pd.DataFrame(columns=["tx_hash", "block", "time_utc", "from", "to", "amount"])
        )
        freezes = source.get(
            "freezes", pd.DataFrame(columns=["block", "time_utc", "contract", "address"])
        )
        transfers, trx, freezes = transfers.copy(), trx.copy(), freezes.copy()
    elif source is None:
        from .. import data

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
        trx = (
            pd.read_csv(folder / "trx_transfers.csv", **rd)
            if (folder / "trx_transfers.csv").is_file()
            else pd.DataFrame(columns=["tx_hash", "block", "time_utc", "from", "to", "amount"])
        )
        freezes = (
            pd.read_csv(folder / "freezes.csv", keep_default_na=False)
            if (folder / "freezes.csv").is_file()
            else pd.DataFrame(columns=["block", "time_utc", "contract", "address"])
        )
    _need(transfers, TRON_COLUMNS, "load_tron: transfers")
    if not pd.api.types.is_integer_dtype(transfers["value"]):
        raise LedgerError(
            f"load_tron: transfers.value must hold integers (base units), found "
            f"{transfers['value'].dtype}"
        )
    for df in (transfers, trx, freezes):
        if (
            "time_utc" in df.columns
            and len(df)
            and not isinstance(df["time_utc"].dtype, pd.DatetimeTZDtype)
        ):
            df["time_utc"] = pd.to_datetime(df["time_utc"], utc=True, format="ISO8601")
    problems = []
    neg = transfers["value"] < 0
    for h in transfers.loc[neg, "tx_hash"]:
        problems.append((h, "negative_value"))
    kinds = ("evm", "evm_unchecked") if _chain == "evm" else ("tron",)
    addr_ok = {
        a: address_type(a) in kinds
        for a in pd.unique(pd.concat([transfers["from"], transfers["to"]]))
    }
    bad_addr = ~(transfers["from"].map(addr_ok) & transfers["to"].map(addr_ok))
    for h in transfers.loc[bad_addr, "tx_hash"]:
        problems.append((h, "invalid_address"))
    keep = ~(neg | bad_addr)
    transfers = (
        transfers[keep].sort_values(["block", "log_index"], kind="stable").reset_index(drop=True)
    )
    prob = pd.DataFrame(problems, columns=["tx_hash", "problem"])
    return TokenLedger(transfers, trx.reset_index(drop=True), freezes.reset_index(drop=True), prob)


def load_evm(source=None) -> TokenLedger:
    """Load the USDT-on-an-EVM-chain ledger (ERC-20-like ``Transfer`` events): the course's
    (``None``: ``datasets/crypto/evm/``) or a dict of DataFrames with the columns of
    :func:`load_tron`. Addresses are ``0x`` + 40 hex characters; a mixed-case address whose
    EIP-55 checksum fails is flagged in ``problems`` and left out, like a bad TRON address.
    Every account-model function (``address_totals``, ``trace_tokens``, ``deposit_clusters``)
    works on it as on TRON. ``trx`` is empty: gas on this chain is paid in its own coin, not
    exported here.

        >>> import pandas as pd
        >>> a, b = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
        >>> t = pd.DataFrame({"tx_hash": ["0x01"], "block": [1], "log_index": [0], "time_utc":
        ...     ["2026-01-01T00:00:00Z"], "contract": a, "tx_signer": a, "from": a, "to": b, "value": [7]})
        >>> len(load_evm({"transfers": t}).transfers)
        1
    """
    return load_tron(source, _chain="evm")


def load_tags(source=None):
    """Attribution tags (TagPack-like): ``address``, ``chain``, ``label``, ``category``,
    ``abuse``, ``source``, ``confidence``, ``lastmod``. Only *some* addresses are tagged."""
    import pandas as pd

    if source is None:
        from .. import data

        return data.load("crypto/tags.csv")
    if isinstance(source, pd.DataFrame):
        _need(source, ["address", "label", "category"], "load_tags")
        return source.copy()
    if not Path(source).is_file():
        raise LedgerError(f"load_tags: {source} is missing")
    tags = pd.read_csv(source, keep_default_na=False, dtype=str)
    _need(tags, ["address", "label", "category"], "load_tags")
    return tags


@dataclass(frozen=True, eq=False, repr=False)
class Transaction(TableResult):
    """One transaction as an explorer shows it (:func:`show_tx`): ``table`` has a row per
    input, output and the fee; ``txid``, ``height``, ``time_utc`` and ``fee`` describe it."""

    txid: str
    height: int
    time_utc: object
    fee: int


def show_tx(ledger: UtxoLedger, txid: str) -> Transaction:
    """What a block explorer shows for one transaction: inputs and outputs side by side.

    Returns a :class:`Transaction`: its table has ``side`` (``in``/``out``/``fee``), ``n``,
    ``address``, ``value`` and, for outputs, ``spent_by``; ``.height``, ``.time_utc`` and
    ``.fee`` say where and when it was mined and what it paid.
    """
    import pandas as pd

    t = ledger.tx_row(txid)
    rows = []
    for r in ledger.tx_inputs(t):
        i = ledger.inputs.iloc[r]
        rows.append(
            {
                "side": "in",
                "n": int(i["vin"]),
                "address": i["address"],
                "value": int(i["value"]),
                "spent_by": None,
            }
        )
    for r in ledger.tx_outputs(t):
        o = ledger.outputs.iloc[r]
        s = ledger.spent_by(r)
        rows.append(
            {
                "side": "out",
                "n": int(o["vout"]),
                "address": o["address"],
                "value": int(o["value"]),
                "spent_by": ledger.txs.at[s, "txid"] if s >= 0 else None,
            }
        )
    tx = ledger.txs.iloc[t]
    rows.append(
        {"side": "fee", "n": None, "address": None, "value": int(tx["fee"]), "spent_by": None}
    )
    df = pd.DataFrame(rows).astype({"n": "Int64"})
    return Transaction(
        df, txid=txid, height=int(tx["height"]), time_utc=tx["time_utc"], fee=int(tx["fee"])
    )
