"""Which addresses does one wallet control? Common-input-ownership clustering on the UTXO
ledger (co-spends, with CoinJoins detected and excluded).

Co-spend is a strong heuristic, not a protocol fact: the protocol proves that every input was
signed with its key, not that one person held all the keys. It fails on CoinJoins (several
people sign one transaction; :func:`find_coinjoins` flags the common forms) and on PayJoin,
which no shape rule sees (:data:`COINJOIN_BLIND_SPOTS`). A cluster is a *wallet*, not a
person: custodial services co-spend their customers' deposits.
"""

from __future__ import annotations

from .base import CryptoInputError, LedgerError
from .ledgers import UtxoLedger, _address_codes


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


#: The rule :func:`find_coinjoins` applies, in words (shown in the lesson and in every check).
COINJOIN_RULES = {
    "blocksci": "equal outputs plus change (JoinMarket-like; the BlockSci rule): >= 2 inputs, "
    ">= 3 outputs, n = (outputs + 1) // 2 participants, no more than the distinct "
    "input addresses, and the most common output value occurs exactly n times",
    "equal-output": "a round of equal outputs (Whirlpool-like 5x5 and larger, Wasabi-1-like with "
    "change and a coordinator fee): the most common value occurs k >= 3 times, "
    "at least half the outputs less one, and k is no more than the distinct "
    "input addresses",
    "many-denomination": "a WabiSabi-like round: >= 5 distinct input addresses, >= 5 outputs, "
    "at least 3 different values each paid two or more times, and such "
    "repeated values make up at least 60 % of the outputs",
}

#: What no rule on one transaction's shape can see; say so when you rely on clustering.
COINJOIN_BLIND_SPOTS = (
    "PayJoin (BIP-78): the payee adds an input to the payer's payment, so the transaction looks "
    "like an ordinary payment with two outputs; no shape rule detects it, and co-spend then "
    "merges payer and payee",
    "small or unusual rounds: two participants, or denominations that all differ",
    "rounds that are only recognisable by their coordinator's fee output or by protocol-level "
    "fingerprints (input and output registration order, script types), which this rule does "
    "not read",
    "false alarms: an exchange that co-spends many customers' deposits into equal payouts "
    "looks like a round; a flag is a lead to check, not a finding",
)

_DUST = (546, 2730)


def _coinjoin_form(n_in: int, n_distinct: int, values: list) -> tuple:
    """(form, denomination, participants, reason) for one transaction's shape; form None if no
    rule fires. The three rules of :data:`COINJOIN_RULES`, in that order."""
    from collections import Counter

    n_out = len(values)
    if n_in < 2 or n_out < 3:
        return None, None, None, f"{n_in} inputs and {n_out} outputs (needs >= 2 and >= 3)"
    counts = Counter(v for v in values if v not in _DUST)
    if not counts:
        return None, None, None, "every output is dust"
    value, k = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    n = (n_out + 1) // 2
    if n <= n_in and n <= n_distinct and k == n and Counter(values)[value] == n:
        return (
            "blocksci",
            value,
            n,
            (f"{n} equal outputs of {value} sat plus change from {n_distinct} input addresses"),
        )
    if k >= 3 and 2 * k >= n_out - 1 and k <= n_distinct:
        return (
            "equal-output",
            value,
            k,
            (f"{k} of {n_out} outputs are {value} sat, from {n_distinct} input addresses"),
        )
    repeated = {v: c for v, c in counts.items() if c >= 2}
    in_rep = sum(repeated.values())
    if n_distinct >= 5 and n_out >= 5 and len(repeated) >= 3 and in_rep * 10 >= 6 * n_out:
        return (
            "many-denomination",
            value,
            n_distinct,
            (
                f"{len(repeated)} values paid two or more times ({in_rep} of {n_out} outputs) "
                f"from {n_distinct} input addresses"
            ),
        )
    if n > n_distinct:
        why = f"{n} participants but only {n_distinct} distinct input addresses"
    else:
        why = f"most common output value occurs {k} times, not {n}"
    return None, None, None, why + "; no CoinJoin form fits"


def find_coinjoins(ledger: UtxoLedger):
    """Transactions that look like CoinJoins, by the shape rules of :data:`COINJOIN_RULES`.

    Returns ``txid``, ``form`` (``blocksci``, ``equal-output`` or ``many-denomination``),
    ``denomination`` (the most common output value) and ``participants`` (an estimate). The
    BlockSci rule alone misses modern rounds (a Whirlpool-like 5x5 round has no change, so
    its equal value occurs 5 times, not 3); the two further rules catch those. A flag, not a
    proof, and blind to PayJoin (:data:`COINJOIN_BLIND_SPOTS`).

        >>> _coinjoin_form(5, 5, [1_000_000] * 5)[0]
        'equal-output'
        >>> _coinjoin_form(2, 2, [70_000, 30_000])[0] is None      # PayJoin: invisible
        True
    """
    import numpy as np
    import pandas as pd

    idx = ledger._index
    n_in, n_out = idx["n_in"], idx["n_out"]
    cand = np.flatnonzero((n_in >= 2) & (n_out >= 3))
    cols = ["txid", "form", "denomination", "participants"]
    if len(cand) == 0:
        return pd.DataFrame(columns=cols)
    is_c = np.zeros(len(n_in), bool)
    is_c[cand] = True
    _, in_codes, _ = _address_codes(ledger)
    in_mask = is_c[ledger.inputs["tx"].to_numpy()]
    distinct = (
        pd.DataFrame({"tx": ledger.inputs["tx"].to_numpy()[in_mask], "a": in_codes[in_mask]})
        .groupby("tx")["a"]
        .nunique()
    )
    outs = ledger.outputs[is_c[ledger.outputs["tx"].to_numpy()]]
    # cheap pre-filter: a repeated output value is needed by every form
    vc = outs.groupby(["tx", "value"], sort=False).size()
    rep_tx = np.unique(vc[vc >= 2].index.get_level_values(0).to_numpy())
    values = outs[outs["tx"].isin(rep_tx)].groupby("tx")["value"].apply(list)
    rows = []
    txid_col = ledger.txs["txid"].to_numpy()
    for t, vals in values.items():
        form, den, part, _ = _coinjoin_form(int(n_in[t]), int(distinct.get(t, 0)), vals)
        if form:
            rows.append((txid_col[t], form, int(den), int(part)))
    return pd.DataFrame(rows, columns=cols)


def coinjoin_check(ledger: UtxoLedger, txid: str) -> dict:
    """Explain whether one transaction passes a CoinJoin rule (see :func:`find_coinjoins`).

    Returns ``{"txid", "is_coinjoin", "form", "denomination", "participants", "reason",
    "rule"}``: ``rule`` is the rule that fired in words (or all three when none did), so a
    report can quote what was checked; a ``False`` is "no rule fired", never "not a
    CoinJoin" (PayJoin and small rounds are invisible to these rules).
    """
    t = ledger.tx_row(txid)
    ins = [ledger.inputs.at[r, "address"] for r in ledger.tx_inputs(t)]
    outs = [int(ledger.outputs.at[r, "value"]) for r in ledger.tx_outputs(t)]
    form, den, part, reason = _coinjoin_form(len(ins), len(set(ins)), outs)
    if form:
        reason += ": co-spend says nothing about ownership here"
    return {
        "txid": txid,
        "is_coinjoin": form is not None,
        "form": form,
        "denomination": den,
        "participants": part,
        "reason": reason,
        "rule": COINJOIN_RULES[form] if form else "; ".join(COINJOIN_RULES.values()),
    }


def cluster_addresses(ledger: UtxoLedger, *, exclude_coinjoins: bool = True, exclude_txids=()):
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
            raise LedgerError(
                f"exclude_txids: {excluded[int(np.flatnonzero(rows < 0)[0])]!r} is "
                "not in this ledger"
            )
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
    return pd.DataFrame(
        {"address": np.asarray(addresses, dtype=object), "cluster": lab, "size": sizes[labels]}
    )


def cluster_members(clusters, address: str) -> set:
    """All addresses in the cluster of ``address`` (from :func:`cluster_addresses`)."""
    hit = clusters.loc[clusters["address"] == address, "cluster"]
    if hit.empty:
        raise CryptoInputError(f"address {address!r} is not in the clustering")
    return set(clusters.loc[clusters["cluster"] == hit.iloc[0], "address"])
