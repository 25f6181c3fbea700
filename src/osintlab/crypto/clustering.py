"""Which addresses does one wallet control? Common-input-ownership clustering on the UTXO
ledger (co-spends, with CoinJoins detected and excluded).

A cluster is a *wallet*, not a person: custodial services co-spend their customers' deposits.
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
