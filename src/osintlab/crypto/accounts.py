"""The account model (TRON-like tokens): deposit-address reuse, gas funders, round payments.

Accounts have no co-spends, so links come from behaviour: who paid into the same exchange
deposit address, who paid the first TRX (gas) for fresh wallets, which payments look like fees.
"""

from __future__ import annotations

from .base import USDT_UNIT, CryptoInputError
from .ledgers import TokenLedger


def deposit_clusters(
    tron: TokenLedger, exchange_addresses, *, alpha: int = 10_000, tau_seconds: int = 86_400
):
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
    out = pd.DataFrame(
        {
            "deposit": m["to_r"],
            "sender": m["from_r"],
            "receive_tx": m["tx_hash_r"],
            "forward_tx": m["tx_hash_f"],
            "delay_s": m["delay_s"].astype(int),
            "confidence": (1 - 0.5 * m["diff"] / a - 0.5 * m["delay_s"] / tau_seconds).round(3),
        }
    )
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
        ["address", "funder", "tx_hash", "time_utc", "amount"]
    ].reset_index(drop=True)


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


def address_totals(ledger, addresses):
    """How much each address **received**, **sent** and still **holds** — three different
    numbers that a statement must not mix up ("USDT 12,000 went through this wallet" is not
    "USDT 12,000 is there to freeze").

    Works on both ledgers: a :class:`~osintlab.crypto.ledgers.TokenLedger` (base units of the
    token; ``held`` = received - sent, what an issuer or exchange could still freeze) and a
    :class:`~osintlab.crypto.ledgers.UtxoLedger` (satoshi; ``held`` = the unspent outputs).
    Returns ``address``, ``received``, ``sent``, ``held``, ``n_in``, ``n_out`` (transfers or
    outputs in and out), one row per address asked about, in the order given.

        >>> import pandas as pd
        >>> from osintlab.crypto import load_tron
        >>> a, b = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"
        >>> t = pd.DataFrame({"tx_hash": ["h1", "h2"], "block": [1, 2], "log_index": [0, 0],
        ...     "time_utc": ["2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z"], "contract": a,
        ...     "tx_signer": [a, b], "from": [a, b], "to": [b, a], "value": [500, 200]})
        >>> row = address_totals(load_tron({"transfers": t}), [b]).iloc[0]
        >>> [int(row[k]) for k in ("received", "sent", "held")]
        [500, 200, 300]
    """
    import pandas as pd

    from .ledgers import UtxoLedger

    if isinstance(addresses, str):
        addresses = [addresses]
    addresses = list(dict.fromkeys(addresses))
    if not addresses:
        raise CryptoInputError("address_totals needs at least one address")
    want = set(addresses)
    if isinstance(ledger, TokenLedger):
        tr = ledger.transfers
        inc = tr[tr["to"].isin(want)].groupby("to")["value"].agg(["sum", "size"])
        out = tr[tr["from"].isin(want)].groupby("from")["value"].agg(["sum", "size"])
        rec = inc["sum"].reindex(addresses, fill_value=0)
        sent = out["sum"].reindex(addresses, fill_value=0)
        n_in = inc["size"].reindex(addresses, fill_value=0)
        n_out = out["size"].reindex(addresses, fill_value=0)
        held = rec - sent
    elif isinstance(ledger, UtxoLedger):
        o = ledger.outputs
        mine = o[o["address"].isin(want)]
        spent = ledger._index["spent_by"][mine.index.to_numpy()] >= 0
        mine = mine.assign(spent=spent)
        rec = mine.groupby("address", observed=True)["value"].sum().reindex(addresses, fill_value=0)
        sent = (
            mine[mine["spent"]]
            .groupby("address", observed=True)["value"]
            .sum()
            .reindex(addresses, fill_value=0)
        )
        n_in = mine.groupby("address", observed=True).size().reindex(addresses, fill_value=0)
        n_out = (
            mine[mine["spent"]]
            .groupby("address", observed=True)
            .size()
            .reindex(addresses, fill_value=0)
        )
        held = rec - sent
    else:
        raise CryptoInputError("address_totals expects a ledger from load_tron or load_utxo")
    return pd.DataFrame(
        {
            "address": addresses,
            "received": rec.to_numpy().astype("int64"),
            "sent": sent.to_numpy().astype("int64"),
            "held": held.to_numpy().astype("int64"),
            "n_in": n_in.to_numpy().astype("int64"),
            "n_out": n_out.to_numpy().astype("int64"),
        }
    )


def bridge_matches(
    deposit,
    other_chain,
    release_wallets,
    *,
    fee_percent: float,
    within_minutes: int = 60,
):
    """Candidate arrivals on the other chain for one deposit into a cross-chain bridge.

    ``deposit`` is one transfer row (from the source chain's ``transfers``); ``other_chain`` the
    destination ledger (a :class:`~osintlab.crypto.ledgers.TokenLedger`); ``release_wallets``
    the bridge's paying address(es) there (from its tags). Lists every payment by a release
    wallet from the deposit's time to ``within_minutes`` later, with ``delay_min`` and
    ``implied_fee_percent`` (what the bridge would have kept if this were the same money). A
    candidate ``fits`` when its implied fee is the published ``fee_percent`` (to 0.05 points).
    Which candidate is the same money is **your** call: a timing-and-amount match is weak
    behavioural evidence (``LINK_STRENGTH["timing-amount"]``); the bridge's own records (its
    order id links both legs) are what a request asks for.

        >>> import pandas as pd
        >>> from osintlab.crypto import load_tron
        >>> a, b = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp"
        >>> src = pd.DataFrame({"tx_hash": ["d"], "block": [1], "log_index": [0], "contract": a,
        ...     "time_utc": ["2026-01-01T00:00:00Z"], "tx_signer": a, "from": a, "to": b, "value": [1000_000000]})
        >>> dst = pd.DataFrame({"tx_hash": ["r1", "r2"], "block": [5, 6], "log_index": [0, 0], "contract": a,
        ...     "time_utc": ["2026-01-01T00:05:00Z", "2026-01-01T00:07:00Z"], "tx_signer": b,
        ...     "from": b, "to": a, "value": [998_000000, 980_000000]})
        >>> m = bridge_matches(load_tron({"transfers": src}).transfers.iloc[0], load_tron({"transfers": dst}),
        ...                    [b], fee_percent=0.2)
        >>> m[["tx_hash", "implied_fee_percent", "fits"]].values.tolist()
        [['r1', 0.2, True], ['r2', 2.0, False]]
    """
    import pandas as pd

    if isinstance(release_wallets, str):
        release_wallets = [release_wallets]
    try:
        sent, when = int(deposit["value"]), pd.Timestamp(deposit["time_utc"])
    except (KeyError, TypeError, ValueError):
        raise CryptoInputError(
            "bridge_matches: 'deposit' must be one transfer row with 'value' and 'time_utc'"
        ) from None
    if not isinstance(other_chain, TokenLedger):
        raise CryptoInputError("bridge_matches: 'other_chain' must be a loaded token ledger")
    tr = other_chain.transfers
    late = when + pd.Timedelta(minutes=within_minutes)
    cand = tr[
        tr["from"].isin(set(release_wallets)) & (tr["time_utc"] >= when) & (tr["time_utc"] <= late)
    ]
    out = cand[["tx_hash", "time_utc", "from", "to", "value"]].copy()
    out["delay_min"] = ((out["time_utc"] - when).dt.total_seconds() / 60).round(1)
    out["implied_fee_percent"] = ((sent - out["value"]) / sent * 100).round(2)
    out["fits"] = (out["implied_fee_percent"] - fee_percent).abs() <= 0.05
    return out.sort_values("delay_min").reset_index(drop=True)
