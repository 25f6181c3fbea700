"""Follow the money on a blockchain: addresses, ledgers, clustering, peel chains and taint.

Module 06's toolkit. It works on the course's synthetic ledgers (``datasets/crypto/``) and on any
ledger in the same shape: a bitcoin-like UTXO chain (transactions with ordered inputs and outputs
in integer satoshi) and a USDT-on-TRON-like token ledger (transfers with ``from``, ``to`` and an
integer ``value`` in 6-decimal base units). Nothing here touches the network.

What an investigator does, and the function that does it:

* is this string a real address, and of which kind?            :func:`address_type`, :func:`address_problem`
  (bitcoin, TRON and EVM ``0x`` addresses with their EIP-55 checksum: :func:`evm_checksum`)
* is this a look-alike planted in the history (poisoning)?       :func:`lookalikes`
* load the ledgers (flagging what does not add up)                 :func:`load_utxo`, :func:`load_tron`, :func:`load_evm`,
                                                                    :func:`load_tags`
* which arrival on the other chain is this bridge deposit?         :func:`bridge_matches`
* keep a big ledger in a fast, safe file                           :func:`save_utxo` (``.npz``)
* what does the explorer show for this transaction?                :func:`show_tx`
* which addresses does one wallet control?                         :func:`cluster_addresses` (co-spend, CoinJoins excluded)
* is this a CoinJoin?                                              :func:`coinjoin_check`, :func:`find_coinjoins`
* which output is the change?                                      :func:`change_candidates`, :func:`guess_change`
* where does a peel chain go?                                      :func:`follow_peel_chain`
* which payers share an exchange account? (account model)          :func:`deposit_clusters`
* who paid the gas for these fresh wallets?                        :func:`first_funders`
* which payments look like fees?                                   :func:`is_round`, :func:`round_payments`
* how much did an address receive, send on, and still hold?        :func:`address_totals`
* how much of each output is "dirty"?                              :func:`allocate_taint`,
                                                                    :func:`compare_taint_models`
* follow a payment N hops forward / an exchange deposit backward   :func:`trace_forward`, :func:`trace_backward`,
                                                                    :func:`trace_tokens`, :func:`trace_tokens_backward`
* who are these addresses?                                         :func:`attribute`
* a picture and a report for the file                              :func:`flow_graph`, :func:`flow_chart`,
                                                                    :func:`tracing_report`
* ask the exchange (module 05's request model)                     :func:`exchange_request`

The parts, in the order an investigator needs them (this package re-exports every name):
:mod:`~osintlab.crypto.addresses` (address checks), :mod:`~osintlab.crypto.ledgers` (loading,
the explorer view), :mod:`~osintlab.crypto.clustering` (co-spend, CoinJoins),
:mod:`~osintlab.crypto.chains` (change, peel chains), :mod:`~osintlab.crypto.accounts` (the
account model), :mod:`~osintlab.crypto.taint` (taint models, traces) and
:mod:`~osintlab.crypto.reports` (attribution, pictures, reports, requests); units, errors and
:data:`LINK_STRENGTH` are in :mod:`~osintlab.crypto.base`.

Functions that find more than a table return a small result object: ``result.table`` is the
table and the rest are named fields (``chain.stop``, ``trace.balances``, ``tx.fee``); for
reading, the result behaves like its table (``trace["to"]``, ``len(trace)``).

Every link carries a strength label (:data:`LINK_STRENGTH`), because a court will ask how sure you
are: a co-spend is a strong heuristic (not a protocol fact: CoinJoins and PayJoins break it), a
deposit-address match is strong behavioural evidence, a shared gas funder or a timing match is
weak behavioural evidence.

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

from .accounts import (
    address_totals,
    bridge_matches,
    deposit_clusters,
    first_funders,
    is_round,
    round_payments,
)
from .addresses import (
    address_problem,
    address_type,
    evm_checksum,
    hex_to_tron,
    lookalikes,
    tron_to_hex,
    validate_addresses,
)
from .base import (
    BLOCK_TIME_SLACK_HOURS,
    LINK_STRENGTH,
    SAT_PER_BTC,
    TAINT_MODELS,
    USDT_CONTRACT,
    USDT_UNIT,
    CryptoInputError,
    LedgerError,
    btc,
    usdt,
)
from .chains import PeelChain, change_candidates, follow_peel_chain, guess_change
from .clustering import (
    COINJOIN_BLIND_SPOTS,
    COINJOIN_RULES,
    UnionFind,
    cluster_addresses,
    cluster_members,
    coinjoin_check,
    find_coinjoins,
)

# _frames_from_npz: benchmarks/06_crypto.py times the .npz reader on its own
from .ledgers import (
    TRON_COLUMNS,
    UTXO_COLUMNS,
    TokenLedger,
    Transaction,
    UtxoLedger,
    _frames_from_npz,
    load_evm,
    load_tags,
    load_tron,
    load_utxo,
    save_utxo,
    show_tx,
)
from .lessons import address_checker, address_examples, cluster_size_chart, taint_explorer
from .reports import attribute, exchange_request, flow_chart, flow_graph, tracing_report
from .taint import (
    BackwardTrace,
    TokenTrace,
    UtxoTrace,
    allocate_taint,
    compare_taint_models,
    trace_backward,
    trace_forward,
    trace_tokens,
    trace_tokens_backward,
)

__all__ = [
    "CryptoInputError",
    "LedgerError",
    "LINK_STRENGTH",
    "TAINT_MODELS",
    "USDT_CONTRACT",
    "SAT_PER_BTC",
    "USDT_UNIT",
    "address_type",
    "address_problem",
    "lookalikes",
    "evm_checksum",
    "validate_addresses",
    "tron_to_hex",
    "hex_to_tron",
    "UtxoLedger",
    "TokenLedger",
    "load_utxo",
    "save_utxo",
    "load_tron",
    "load_evm",
    "load_tags",
    "show_tx",
    "COINJOIN_RULES",
    "COINJOIN_BLIND_SPOTS",
    "UnionFind",
    "cluster_addresses",
    "cluster_members",
    "coinjoin_check",
    "find_coinjoins",
    "change_candidates",
    "guess_change",
    "follow_peel_chain",
    "deposit_clusters",
    "first_funders",
    "is_round",
    "round_payments",
    "address_totals",
    "bridge_matches",
    "BLOCK_TIME_SLACK_HOURS",
    "allocate_taint",
    "compare_taint_models",
    "trace_forward",
    "trace_backward",
    "trace_tokens",
    "trace_tokens_backward",
    "attribute",
    "flow_graph",
    "flow_chart",
    "tracing_report",
    "exchange_request",
    "btc",
    "usdt",
    # lesson helpers (one call each in the notebook)
    "address_examples",
    "address_checker",
    "taint_explorer",
    "cluster_size_chart",
    # result objects (new with the package split)
    "Transaction",
    "PeelChain",
    "UtxoTrace",
    "BackwardTrace",
    "TokenTrace",
]
