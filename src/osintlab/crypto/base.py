"""Units, errors and link strengths shared by every part of :mod:`osintlab.crypto`.

>>> btc(150_000_000), usdt(1_500_000_000)
('1.50000000 BTC', '1,500.000000 USDT')
"""

from __future__ import annotations

SAT_PER_BTC = 100_000_000
USDT_UNIT = 1_000_000  # USDT on TRON has 6 decimals
USDT_CONTRACT = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"
TAINT_MODELS = ("poison", "haircut", "fifo")

#: How far a bitcoin block's time may be from the true time. A miner writes the timestamp; the
#: consensus rules only require it to be later than the median of the previous 11 blocks and
#: no more than two hours ahead of the nodes' clocks. So when you match a bitcoin payment to an
#: event by time (an OTC swap, a statement), widen the window by this much on both sides and
#: say so. (TRON blocks come every few seconds from known producers; their times are tighter.)
BLOCK_TIME_SLACK_HOURS = 2

#: How strong a link is, in the words to use in a statement (see the lesson, section 11).
#: None is certain: a direct transfer is recorded on the ledger, but who controls an address
#: is always an inference.
LINK_STRENGTH = {
    "co-spend": (
        "strong heuristic",
        "inputs signed together in one transaction that no "
        "CoinJoin rule flags: usually one wallet, but the protocol proves only that "
        "each input was signed with its key, not that one person held them all; "
        "wrong for CoinJoins the rules miss and for PayJoin, which no rule sees",
    ),
    "self-change": ("strong", "the change returned to an input address"),
    "deposit-address": (
        "strong behavioural",
        "both paid the same exchange deposit address, which the exchange swept within the window",
    ),
    "one-time-change": (
        "weak behavioural",
        "a change heuristic; wallets differ, error rates are high",
    ),
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
