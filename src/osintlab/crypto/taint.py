"""How much of each output is "dirty", and where did it go? Taint models and tracing.

Three accounting conventions, none of them "the truth" (say which one you used): ``poison``
(any taint taints everything), ``haircut`` (proportional shares) and ``fifo`` (first in, first
out). Integers throughout, so haircut and FIFO conserve the seed taint exactly.

    >>> allocate_taint([(3, 3), (7, 0)], [4, 6], "haircut")
    [1, 2]
    >>> allocate_taint([(3, 3), (7, 0)], [4, 6], "fifo")
    [3, 0]
"""

from __future__ import annotations

import heapq
from collections import deque
from dataclasses import dataclass
from fractions import Fraction

from ..results import TableResult
from .addresses import address_type
from .base import TAINT_MODELS, USDT_UNIT, CryptoInputError, LedgerError
from .ledgers import TokenLedger, UtxoLedger, _parse_outpoint


@dataclass(frozen=True, eq=False, repr=False)
class UtxoTrace(TableResult):
    """A forward trace on the UTXO ledger (:func:`trace_forward`): ``table`` has one row per
    tainted output. ``seed_taint`` went in; ``fee_taint`` went to miners; ``flagged`` lists
    transactions the ledger flagged, where the trace stopped."""

    model: str
    hops: int
    seed_taint: int
    fee_taint: int
    flagged: list


@dataclass(frozen=True, eq=False, repr=False)
class BackwardTrace(TableResult):
    """Where the coins of one output came from (:func:`trace_backward`): ``table`` has one row
    per ancestor output; ``missing`` lists inputs whose source is not in the ledger."""

    missing: list


@dataclass(frozen=True, eq=False, repr=False)
class TokenTrace(TableResult):
    """A forward trace on the token ledger (:func:`trace_tokens`): ``table`` has one row per
    transfer that carried taint. ``balances`` is the tainted amount left in each account (base
    units); ``overdrafts`` lists transfers that sent more than the ledger shows the account
    holding."""

    model: str
    hops: int
    balances: dict
    overdrafts: list

    def _summary(self) -> str:
        total = sum(self.balances.values())
        return (
            f"TokenTrace ({self.model}, {self.hops} hops): {len(self.table)} transfers "
            f"carried taint; {total:,} base units of taint now in {len(self.balances)} "
            f"account(s); {len(self.overdrafts)} overdraft(s)"
        )


def _check_int(x, what):
    if isinstance(x, bool) or not isinstance(x, int):
        try:
            import numpy as np

            if isinstance(x, np.integer):
                return int(x)
        except ImportError:  # pragma: no cover
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
        raise CryptoInputError(
            f"unbalanced transaction: outputs {sum(outs)} exceed inputs {total_in}"
        )
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


def trace_forward(ledger: UtxoLedger, seeds, *, model: str = "haircut", hops: int = 6) -> UtxoTrace:
    """Follow tainted outputs forward through up to ``hops`` spending transactions.

    ``seeds``: outpoints (``"txid:vout"`` or ``(txid, vout)``) that are fully tainted, or a
    dict ``{outpoint: tainted_amount}``. Transactions are processed in chain order, so all
    taint entering a transaction is known before it is split (:func:`allocate_taint`; FIFO
    keeps the exact order of tainted and clean pieces across hops).

    Returns a :class:`UtxoTrace`: its table has one row per tainted output (``hop``, ``txid``,
    ``vout``, ``address``, ``value``, ``tainted``, ``spent``, ``followed``); ``.fee_taint``,
    ``.seed_taint`` and ``.flagged`` (transactions skipped because the ledger flagged them —
    their taint stops there, it is never silently counted). With haircut and FIFO, tainted unspent + spent-beyond-horizon
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
    taint: dict[int, object] = {}  # out_row -> int (haircut/poison) or segments (fifo)
    hop_of: dict[int, int] = {}
    seed_total = 0
    items = list(items)
    parsed = [_parse_outpoint(s) for s, _ in items]
    t_rows = ledger._index["txid"].get_indexer([p[0] for p in parsed]) if parsed else []
    for (s, amt), (txid, vout), t in zip(items, parsed, t_rows):
        if t < 0:
            raise LedgerError(f"transaction {txid!r} is not in this ledger")
        if not 0 <= vout < int(ledger._index["n_out"][t]):
            raise LedgerError(
                f"{txid}:{vout}: the transaction has {int(ledger._index['n_out'][t])} outputs"
            )
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
        in_rows = prev_out[i0 : i0 + int(n_in[t])].tolist()
        h = min(hop_of[p] for p in in_rows if p in hop_of) + 1
        if h > hops:
            continue
        if flagged_tx and txid_col.iat[t] in flagged_tx:
            flagged.append(txid_col.iat[t])
            continue
        o0 = int(out_start[t])
        out_rows = range(o0, o0 + int(n_out[t]))
        out_vals = values[o0 : o0 + int(n_out[t])].tolist()
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
    sub = outputs.iloc[rows_ix]  # only the rows we report (no full copies)
    spent = spent_by[rows_ix] if rows_ix else spent_by[:0]
    df = pd.DataFrame(
        {
            "hop": [hop_of[r] for r in rows_ix],
            "txid": np.asarray(sub["txid"], dtype=object),
            "vout": sub["vout"].to_numpy(),
            "address": np.asarray(sub["address"], dtype=object),
            "value": sub["value"].to_numpy(),
            "tainted": [a for _, a in keep],
            "spent": spent >= 0,
            "followed": [bool(x >= 0 and int(x) in processed) for x in spent],
        },
        columns=["hop", "txid", "vout", "address", "value", "tainted", "spent", "followed"],
    )
    df = df.sort_values(["hop", "txid", "vout"], kind="stable").reset_index(drop=True)
    return UtxoTrace(
        df,
        model=model,
        hops=hops,
        seed_taint=int(seed_total),
        fee_taint=int(fee_taint),
        flagged=flagged,
    )


def trace_backward(ledger: UtxoLedger, outpoint, *, hops: int = 6) -> BackwardTrace:
    """Where did the coins in ``outpoint`` come from? Walk inputs back up to ``hops`` steps.

    Returns a :class:`BackwardTrace` with one row per ancestor output: ``hop`` (1 = spent directly into the target's
    transaction), ``txid``, ``vout``, ``address``, ``value`` and ``share`` — the haircut share
    of the target's value that came through this ancestor (fractions multiply along the path;
    exact ``Fraction`` converted to float). ``.missing`` lists inputs whose source is not in
    the ledger.
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
                    missing.append(
                        f"{ledger.inputs.at[r, 'prev_txid']}:{ledger.inputs.at[r, 'prev_vout']}"
                    )
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
    rows = [
        {
            "hop": hop_of[p],
            "txid": txids[int(ledger.outputs.at[p, "tx"])],
            "vout": int(ledger.outputs.at[p, "vout"]),
            "address": ledger.outputs.at[p, "address"],
            "value": int(values[p]),
            "share": float(s),
        }
        for p, s in share.items()
    ]
    df = pd.DataFrame(rows, columns=["hop", "txid", "vout", "address", "value", "share"])
    df = df.sort_values(["hop", "share"], ascending=[True, False]).reset_index(drop=True)
    return BackwardTrace(df, missing=missing)


# -- account model ------------------------------------------------------------------------------


def trace_tokens(
    tron: TokenLedger, seeds, *, model: str = "fifo", hops: int = 6, stop_at=()
) -> TokenTrace:
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
    are not followed: their tainted balance is reported in ``result.balances``. Under FIFO
    and haircut the balances add up to the seeds' total exactly.

    Returns a :class:`TokenTrace`: its table has one row per transfer that carried taint
    (``hop``, ``tx_hash``, ``from``, ``to``, ``value``, ``tainted``, ``time_utc``);
    ``.balances`` maps each account to the taint left in it; ``.overdrafts`` lists transfers
    sending more than the ledger shows the account holding (history missing: flagged, and the
    unknown part is treated as clean — never silently counted as taint).
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
    queue: dict[str, deque] = {}  # fifo: (tainted, amount) segments; others: [clean, taint]
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
    i_h, i_t, i_f, i_to, i_v = (
        cols.index(c) for c in ("tx_hash", "time_utc", "from", "to", "value")
    )
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
            if frm in hop_of:  # a stopped / horizon account: its books are closed
                credit(to, 0, v)
                continue
            if frm in queue:
                debit(frm, v, None)
            credit(to, 0, v)
            continue
        if tainted > 0:
            rows.append(
                {
                    "hop": hop,
                    "tx_hash": h,
                    "from": frm,
                    "to": to,
                    "value": v,
                    "tainted": tainted,
                    "time_utc": rec[i_t],
                }
            )
            hop_of[to] = min(hop_of.get(to, hop), hop)
            poisoned[to] = True
        credit(to, tainted, v - tainted)
    if model == "fifo":
        balances = {a: _segments_taint(q) for a, q in queue.items() if _segments_taint(q)}
    else:
        balances = {a: b[1] for a, b in queue.items() if b[1]}
    overdrafts = [o for o in overdrafts if o is not None]
    df = pd.DataFrame(
        rows, columns=["hop", "tx_hash", "from", "to", "value", "tainted", "time_utc"]
    )
    return TokenTrace(df, model=model, hops=hops, balances=balances, overdrafts=overdrafts)


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
    limit = {
        address: pd.Timestamp.max.tz_localize("UTC") if before is None else pd.Timestamp(before)
    }
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
                rows.append(
                    {
                        "hop": h,
                        "tx_hash": rec.tx_hash,
                        "from": rec[6],
                        "to": rec[7],
                        "value": int(rec[8]),
                        "time_utc": rec[2],
                    }
                )
                nxt[rec[6]] = max(nxt.get(rec[6], rec[2]), rec[2])
        limit = nxt
        if not limit:
            break
    return pd.DataFrame(rows, columns=["hop", "tx_hash", "from", "to", "value", "time_utc"])


def compare_taint_models(tron: TokenLedger, seeds, *, hops: int = 6, stop_at=()):
    """One row per taint model for the same trace: how many transfers carry taint, how many
    tainted USDT sit in the ``stop_at`` accounts (e.g. an exchange) and in all accounts. Quote
    the model beside every figure: they are conventions, none is "the truth".

        >>> import pandas as pd
        >>> from osintlab.crypto import load_tron
        >>> a, b = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"
        >>> t = pd.DataFrame({"tx_hash": ["h1"], "block": [1], "log_index": [0], "contract": a,
        ...     "time_utc": ["2026-01-01T00:00:00Z"], "tx_signer": a, "from": a, "to": b, "value": [5_000_000]})
        >>> compare_taint_models(load_tron({"transfers": t}), ["h1"], stop_at=[b])["tainted USDT at the stop"].tolist()
        [5.0, 5.0, 5.0]
    """
    import pandas as pd

    stop = set([stop_at] if isinstance(stop_at, str) else stop_at)
    rows = []
    for model in TAINT_MODELS:
        res = trace_tokens(tron, seeds, model=model, hops=hops, stop_at=stop)
        bal = res.balances
        rows.append(
            {
                "model": model,
                "transfers carrying taint": len(res),
                "tainted USDT at the stop": sum(bal.get(a, 0) for a in stop) / USDT_UNIT,
                "tainted USDT in all accounts": sum(bal.values()) / USDT_UNIT,
            }
        )
    return pd.DataFrame(rows)
