"""Which output is the change, and where does a peel chain go?

Change heuristics (self-change, one-time change, "optimal change", round amounts) say which
output of a transaction probably returns to the spender; a peel chain is the 1-in/2-out pattern
that peels small payments off a large amount hop after hop.

A ledger of three transactions: a coinbase pays A and B; ``t1`` spends A's coin, pays B a
round 1 BTC and sends the rest to a fresh address C; ``t2`` peels 0.5 BTC off C's coin:

    >>> import pandas as pd
    >>> from osintlab.crypto import load_utxo
    >>> from osintlab.reference.addresses import segwit_address
    >>> A, B, C, D, E = (segwit_address("bc", 0, bytes([i]) * 20) for i in range(1, 6))
    >>> led = load_utxo({
    ...     "txs": pd.DataFrame({"txid": ["cb", "t1", "t2"], "height": [1, 2, 3],
    ...         "idx_in_block": 0, "time_utc": "2026-03-01T00:00:00Z", "locktime": 0,
    ...         "fee": [0, 10_000, 10_000], "is_coinbase": [True, False, False]}),
    ...     "inputs": pd.DataFrame({"txid": ["t1", "t2"], "vin": 0, "prev_txid": ["cb", "t1"],
    ...         "prev_vout": [0, 1], "address": [A, C], "value": [1_000_000_000, 899_990_000]}),
    ...     "outputs": pd.DataFrame({"txid": ["cb", "cb", "t1", "t1", "t2", "t2"],
    ...         "vout": [0, 1] * 3, "address": [A, B, B, C, D, E],
    ...         "value": [1_000_000_000, 100_000_000, 100_000_000, 899_990_000,
    ...                   50_000_000, 849_980_000], "script_type": "p2wpkh"})})
    >>> change_candidates(led, "t1")[["vout", "fresh", "not_round", "score"]].values.tolist()
    [[0, False, False, 2], [1, True, True, 4]]
    >>> g = guess_change(led, "t1")
    >>> g["vout"], g["address"] == C, g["confidence"]
    (1, True, 'medium')
    >>> guess_change(led, "t2")["confidence"]    # both outputs fresh: the rule declines
    'undetermined'
    >>> chain = follow_peel_chain(led, "t1")
    >>> chain.table[["hop", "txid", "peel_value", "change_value"]].values.tolist()
    [[1, 't1', 100000000, 899990000], [2, 't2', 50000000, 849980000]]
    >>> chain.stop
    'the continuation output is unspent'
"""

from __future__ import annotations

from dataclasses import dataclass

from ..results import TableResult
from .addresses import address_type
from .base import CryptoInputError
from .clustering import coinjoin_check
from .ledgers import UtxoLedger


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
        row = {
            "vout": int(ledger.outputs.at[r, "vout"]),
            "address": a,
            "value": v,
            "self_change": a in in_addr,
            "fresh": first.get(a) == r,
            "same_type": len(in_types) == 1 and address_type(a) in in_types,
            "below_min_input": bool(in_vals) and v < min(in_vals),
            "not_round": v % 100_000 != 0,
        }
        row["score"] = (
            int(row["fresh"])
            + int(row["same_type"])
            + int(row["below_min_input"])
            + int(row["not_round"])
        )
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
        return {
            **base,
            "vout": int(r["vout"]),
            "address": r["address"],
            "confidence": "high",
            "reason": "self-change: the output pays back an input address",
        }
    fresh = cand[cand["fresh"]]
    full = cand[cand["score"] == 4]
    if len(fresh) == 1 and len(full) == 1 and full.index[0] == fresh.index[0]:
        r = full.iloc[0]
        return {
            **base,
            "vout": int(r["vout"]),
            "address": r["address"],
            "confidence": "medium",
            "reason": "one-time change: the only fresh output; same type, below the "
            "smallest input, not round",
        }
    if len(fresh) > 1:
        return {
            **base,
            "reason": f"{len(fresh)} outputs are fresh: one-time-change rule "
            "declines (Meiklejohn condition 4)",
        }
    best = cand["score"].max()
    top = cand[cand["score"] == best]
    if len(top) == 1 and best >= 2 and (cand["score"] < best - 1).sum() == len(cand) - 1:
        r = top.iloc[0]
        return {
            **base,
            "vout": int(r["vout"]),
            "address": r["address"],
            "confidence": "low",
            "reason": f"scores {best} of 4 change signs; the others score at most {best - 2}",
        }
    return {**base, "reason": "no output stands out: undetermined"}


@dataclass(frozen=True, eq=False, repr=False)
class PeelChain(TableResult):
    """A followed peel chain (:func:`follow_peel_chain`): ``table`` has one row per hop;
    ``stop`` says in words why the chain ended."""

    stop: str


def follow_peel_chain(
    ledger: UtxoLedger, start_txid: str, *, max_hops: int = 200, max_peel_fraction: float = 0.25
) -> PeelChain:
    """Follow a peel chain from ``start_txid`` hop by hop.

    At each hop the tx must have one input and two outputs. The continuation is the output
    whose spending tx again has one input and two outputs; if both or neither do, the larger
    output. The peel (the other output) must be at most ``max_peel_fraction`` of the input.
    Returns a :class:`PeelChain`: its table has ``hop``, ``txid``, ``in_value``,
    ``peel_address``, ``peel_value``, ``change_address``, ``change_value``; ``.stop`` says why
    the chain ended.
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
            stop = (
                f"{txid} has {idx['n_in'][t]} input(s) and {idx['n_out'][t]} outputs: "
                "not a peel hop"
            )
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
        rows.append(
            {
                "hop": hop,
                "txid": txid,
                "in_value": in_value,
                "peel_address": ledger.outputs.at[o[p], "address"],
                "peel_value": vals[p],
                "change_address": ledger.outputs.at[o[c], "address"],
                "change_value": vals[c],
            }
        )
        t = nxt[c]
        if t < 0:
            stop = "the continuation output is unspent"
            break
    df = pd.DataFrame(
        rows,
        columns=[
            "hop",
            "txid",
            "in_value",
            "peel_address",
            "peel_value",
            "change_address",
            "change_value",
        ],
    )
    return PeelChain(df, stop=stop)
