"""Synthetic ledgers for module 06: a bitcoin-like UTXO chain and a USDT-on-TRON-like ledger.

:class:`UtxoChain` and :class:`TronChain` are small builders that keep every rule of a real
ledger (integer values, inputs = outputs + fee, every input spends an existing unspent output,
chain order); :func:`case_ledgers` plants the case's patterns into background noise and returns
the tables plus the ground truth; :func:`benchmark_ledger` makes a large ledger of the same
shape for the performance benchmark (``benchmarks/06_crypto.py``).

    >>> c = UtxoChain(random.Random(1), seed="demo")
    >>> a = c.new_address("p2wpkh")
    >>> cb = c.coinbase(a, 50_000)
    >>> t = c.spend([(cb, 0)], [(c.new_address("p2wpkh"), 30_000)], change=a, fee=1_000)
    >>> [o["value"] for o in c.outputs if o["txid"] == t]
    [30000, 19000]
"""
from __future__ import annotations

import hashlib
import math
import random
from datetime import datetime, timedelta, timezone

from . import identifiers as ids

EPOCH = datetime(2026, 1, 1, tzinfo=timezone.utc)
SAT = 100_000_000
USDT = 1_000_000
TRX = 1_000_000
USDT_CONTRACT = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"


def _iso(t: datetime) -> str:
    return t.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class UtxoChain:
    """Build a bitcoin-like chain. Transactions are appended in chain order; a block is cut
    whenever the clock passes the next block time (exponential gaps, mean 600 s)."""

    VSIZE_IN, VSIZE_OUT, VSIZE_BASE = 68, 31, 11

    def __init__(self, rng: random.Random, seed: str, start: datetime = EPOCH,
                 height: int = 840_000):
        self.rng = rng
        self.seed = seed
        self.time = start
        self.height = height
        self.block_time = start
        self.next_block = start + timedelta(seconds=rng.expovariate(1 / 600))
        self.idx = 0
        self.txs: list[dict] = []
        self.inputs: list[dict] = []
        self.outputs: list[dict] = []
        self.utxo: dict[tuple[str, int], tuple[str, int]] = {}   # outpoint -> (address, value)
        self.by_addr: dict[str, list[tuple[str, int]]] = {}
        self._n = 0

    # -- clock and ids ----------------------------------------------------------------------
    def advance(self, seconds: float) -> None:
        """Move the clock; transactions broadcast now go into the next block."""
        self.time += timedelta(seconds=max(0.0, seconds))
        while self.next_block <= self.time:
            self.height += 1
            self.block_time = self.next_block
            self.next_block += timedelta(seconds=self.rng.expovariate(1 / 600))
            self.idx = 0

    def at(self, when: datetime) -> None:
        if when > self.time:
            self.advance((when - self.time).total_seconds())

    def _txid(self) -> str:
        self._n += 1
        return hashlib.sha256(f"{self.seed}/btc/{self._n}".encode()).hexdigest()

    def new_address(self, kind: str = "p2wpkh") -> str:
        return ids.btc_address(self.rng, kind)

    # -- transactions -------------------------------------------------------------------------
    def _add_outputs(self, txid, outs):
        for vout, (addr, value) in enumerate(outs):
            if value <= 0:
                raise ValueError(f"output {vout} of {txid} has value {value}")
            self.outputs.append({"txid": txid, "vout": vout, "address": addr, "value": value,
                                 "script_type": _stype(addr)})
            self.utxo[(txid, vout)] = (addr, value)
            self.by_addr.setdefault(addr, []).append((txid, vout))

    def _record(self, txid, fee, coinbase, locktime):
        self.txs.append({"txid": txid, "height": self.height + 1, "idx_in_block": self.idx,
                         "time_utc": _iso(self.next_block), "locktime": locktime, "fee": fee,
                         "is_coinbase": coinbase})
        self.idx += 1

    def coinbase(self, address: str, value: int) -> str:
        txid = self._txid()
        self._record(txid, 0, True, 0)
        self._add_outputs(txid, [(address, value)])
        return txid

    def spend(self, outpoints, outs, *, change: str | None = None, fee: int | None = None,
              feerate: int | None = None, locktime: int | None = None,
              change_first: bool = False) -> str:
        """Spend ``outpoints`` (in this order) into ``outs`` (address, value) + change (last)."""
        total = 0
        ins = []
        for op in outpoints:
            addr, value = self.utxo.pop(op)
            self.by_addr[addr].remove(op)
            ins.append((op, addr, value))
            total += value
        n_out = len(outs) + (1 if change else 0)
        if fee is None:
            vsize = self.VSIZE_BASE + self.VSIZE_IN * len(ins) + self.VSIZE_OUT * n_out
            fee = vsize * (feerate or self.rng.randint(3, 25))
        paid = sum(v for _, v in outs)
        rest = total - paid - fee
        if rest < 0 or (change is None and rest != 0 and fee is not None and rest < 0):
            raise ValueError(f"inputs {total} cannot pay {paid} + fee {fee}")
        outs = list(outs)
        if change and rest > 546:
            if change_first:
                outs.insert(0, (change, rest))
            else:
                outs.append((change, rest))
        else:
            fee += rest
        txid = self._txid()
        lt = locktime if locktime is not None else 0
        self._record(txid, fee, False, lt)
        for vin, (op, addr, value) in enumerate(ins):
            self.inputs.append({"txid": txid, "vin": vin, "prev_txid": op[0], "prev_vout": op[1],
                                "address": addr, "value": value})
        self._add_outputs(txid, outs)
        return txid

    def utxos_of(self, address: str) -> list[tuple[str, int]]:
        return list(self.by_addr.get(address, []))

    def balance(self, address: str) -> int:
        return sum(self.utxo[op][1] for op in self.by_addr.get(address, []))

    def select(self, addresses, amount: int) -> list[tuple[str, int]]:
        """Oldest-first coin selection from ``addresses`` covering ``amount``."""
        chosen, total = [], 0
        for a in addresses:
            for op in self.by_addr.get(a, []):
                chosen.append(op)
                total += self.utxo[op][1]
                if total >= amount:
                    return chosen
        raise ValueError(f"not enough funds for {amount}")


def _stype(addr: str) -> str:
    if addr.startswith(("bc1q", "tb1q")):
        return "p2wpkh" if len(addr) < 50 else "p2wsh"
    if addr.startswith(("bc1p", "tb1p")):
        return "p2tr"
    if addr[0] in "13mn2":
        return "p2sh" if addr[0] in "32" else "p2pkh"
    return "unknown"


class TronChain:
    """Build a TRON-like ledger: TRC-20 (USDT) transfers and TRX transfers, 3-second blocks."""

    def __init__(self, rng: random.Random, seed: str, start: datetime = EPOCH,
                 block0: int = 60_000_000):
        self.rng = rng
        self.seed = seed
        self.start = start
        self.block0 = block0
        self.trc20: list[dict] = []
        self.trx: list[dict] = []
        self.freezes: list[dict] = []
        self.balance: dict[str, int] = {}
        self.activated: set[str] = set()
        self._n = 0

    def _hash(self) -> str:
        self._n += 1
        return hashlib.sha256(f"{self.seed}/tron/{self._n}".encode()).hexdigest()

    def _block(self, when: datetime) -> int:
        return self.block0 + int((when - self.start).total_seconds() // 3)

    def new_address(self) -> str:
        return ids.tron_address(self.rng)

    def send_trx(self, when: datetime, frm: str, to: str, amount: int) -> str:
        h = self._hash()
        self.trx.append({"tx_hash": h, "block": self._block(when), "time_utc": _iso(when),
                         "from": frm, "to": to, "amount": amount})
        self.activated.add(to)
        return h

    def send(self, when: datetime, frm: str, to: str, value: int, *, mint: bool = False) -> str:
        if value <= 0:
            raise ValueError("transfer value must be positive")
        if not mint:
            have = self.balance.get(frm, 0)
            if have < value:
                raise ValueError(f"{frm} holds {have}, cannot send {value}")
            self.balance[frm] = have - value
        self.balance[to] = self.balance.get(to, 0) + value
        h = self._hash()
        self.trc20.append({"tx_hash": h, "block": self._block(when), "time_utc": _iso(when),
                           "log_index": 0, "contract": USDT_CONTRACT, "tx_signer": frm,
                           "from": frm, "to": to, "value": value})
        return h

    def sorted_transfers(self) -> list[dict]:
        rows = sorted(self.trc20, key=lambda r: (r["block"], r["time_utc"], r["tx_hash"]))
        per_block: dict[int, int] = {}
        for r in rows:
            r["log_index"] = per_block.get(r["block"], 0)
            per_block[r["block"]] = r["log_index"] + 1
        return rows


# =============================================================================================
# The case
# =============================================================================================

def _rate(day: datetime) -> int:
    """A synthetic BTC/USD rate in whole dollars (smooth, deterministic)."""
    d = (day - EPOCH).total_seconds() / 86400
    return int(64_000 + 6_000 * math.sin(d / 23) + 2_500 * math.sin(d / 5.3))


def case_ledgers(world) -> dict:
    """Both ledgers with planted patterns for ``world``; returns tables and ground truth."""
    rng = world.rng("crypto/ledgers")
    t0 = datetime.combine(world.start, datetime.min.time(), timezone.utc) - timedelta(days=20)
    t_end = world.now - timedelta(days=2)
    span = (t_end - t0).total_seconds()
    gt: dict = {"patterns": {}}
    wallets = {w.role: [] for w in world.wallets}
    for w in world.wallets:
        wallets[w.role].append(w)

    # ---------------------------------------------------------------- UTXO chain ----------
    chain = UtxoChain(rng, seed=f"{world.seed}", start=t0)
    events: list[tuple[datetime, int, object]] = []     # (time, order, callable)
    n = [0]

    def at(when, fn):
        n[0] += 1
        events.append((when, n[0], fn))

    miner = chain.new_address("p2wpkh")
    exch_hot = chain.new_address("p2wpkh")
    exch_cold = chain.new_address("p2wsh")
    mixer_pool = chain.new_address("p2wpkh")
    mixer_deposit = chain.new_address("p2wpkh")
    otc_btc = chain.new_address("p2wpkh")
    exch_deposit_w = wallets["exchange_deposit"]
    btc_deposit = next(w.address for w in exch_deposit_w if w.chain == "btc")
    users = []
    for i in range(90):
        kind = rng.choice(["p2wpkh"] * 6 + ["p2pkh", "p2sh", "p2tr"])
        users.append({"kind": kind, "addrs": [chain.new_address(kind)],
                      "reuse": rng.random() < 0.25, "deposit": chain.new_address("p2wpkh"),
                      "core": rng.random() < 0.5})
    # genesis: coinbases to the miner, the miner pays the exchange and users
    for _ in range(24):
        chain.coinbase(miner, 312_500_000 + rng.randrange(20_000_000))
    chain.coinbase(otc_btc, 400_000_000)
    chain.coinbase(mixer_pool, 150_000_000)
    chain.advance(1200)
    cb_ops = chain.utxos_of(miner)
    chain.spend(cb_ops[:20], [(exch_hot, 5_500_000_000), (exch_cold, 500_000_000)], change=miner)
    chain.advance(900)
    outs = [(u["addrs"][0], rng.randrange(2_000_000, 40_000_000)) for u in users[:45]]
    chain.spend(chain.utxos_of(miner), outs, change=miner)
    chain.advance(900)
    outs = [(u["addrs"][0], rng.randrange(2_000_000, 40_000_000)) for u in users[45:]]
    chain.spend(chain.select([exch_hot], sum(v for _, v in outs) + 100_000), outs,
                change=exch_hot)

    def user_pay(u, to, amount):
        def fn():
            bal = sum(chain.balance(a) for a in u["addrs"])
            if bal < amount + 20_000:
                return None
            ops = chain.select(u["addrs"], amount + 20_000)
            change = u["addrs"][-1] if u["reuse"] else chain.new_address(u["kind"])
            if not u["reuse"]:
                u["addrs"].append(change)
            return chain.spend(ops, [(to, amount)], change=change,
                               locktime=chain.height if u["core"] else 0)
        return fn

    def deposit(u, amount):
        return user_pay(u, u["deposit"], amount)

    def sweep():
        ops = [op for u in users for op in chain.utxos_of(u["deposit"])]
        ops += [op for a in exchange_extra_deposits for op in chain.utxos_of(a)]
        if len(ops) < 2:
            return None
        total = sum(chain.utxo[o][1] for o in ops)
        return chain.spend(ops, [(exch_hot, total - 400 * len(ops))], fee=400 * len(ops))

    def withdraw_batch(equal=False):
        def fn():
            targets = rng.sample(users, 6)
            if equal:
                value = 1_000_000
                outs = [(u["addrs"][-1], value) for u in targets]
            else:
                outs = [(u["addrs"][-1], rng.randrange(500_000, 20_000_000)) for u in targets]
            need = sum(v for _, v in outs) + 50_000
            reserve = 0 if equal else 1_500_000_000   # the exchange keeps a float for top-ups
            if chain.balance(exch_hot) < need + reserve:
                return None
            return chain.spend(chain.select([exch_hot], need), outs, change=exch_hot)
        return fn

    exchange_extra_deposits: list[str] = [btc_deposit]
    # background schedule
    for _ in range(900):
        when = t0 + timedelta(seconds=rng.uniform(0.05, 0.98) * span)
        u = rng.choice(users)
        r = rng.random()
        if r < 0.6:
            v = rng.choice(users)
            to = v["addrs"][-1] if v["reuse"] else chain.new_address(v["kind"])
            if not v["reuse"]:
                v["addrs"].append(to)
            amt = rng.choice([rng.randrange(100_000, 5_000_000),
                              rng.randrange(1, 40) * 100_000])
            at(when, user_pay(u, to, amt))
        elif r < 0.85:
            at(when, deposit(u, rng.randrange(300_000, 8_000_000)))
        else:
            at(when, withdraw_batch())
    for k in range(28):
        at(t0 + timedelta(seconds=(k + 0.5) / 28 * span), sweep)
    for k in range(4):
        at(t0 + timedelta(seconds=(k + 0.7) / 4 * span),
           lambda: chain.spend(chain.select([exch_hot], 150_000_000), [(exch_cold, 140_000_000)],
                               change=exch_hot) if chain.balance(exch_hot) > 200_000_000 else None)
    decoy = {}
    at(t0 + timedelta(seconds=0.45 * span), lambda: decoy.setdefault("batch", withdraw_batch(True)()))

    # --- planted: the document vendor ----------------------------------------------------
    vendor_w = wallets["document_sales"][0].address
    vkind = _stype(vendor_w)
    vendor_addrs = [vendor_w] + [chain.new_address(vkind) for _ in range(4)]
    buyers = rng.sample(users, 9)
    sales = []
    for i, b in enumerate(buyers):
        when = t0 + timedelta(days=22 + i * 6 + rng.random() * 3, hours=rng.randrange(24))
        usd = rng.choice([250, 300, 400, 450, 600])
        amount = usd * SAT // _rate(when)
        target = vendor_addrs[i % 5] if i < 8 else vendor_addrs[0]
        sales.append((when, b, target, amount, usd))
        at(when, user_pay(b, target, amount))
    # make sure buyers have money: top them up from the exchange just before
    for when, b, _, amount, _ in sales:
        at(when - timedelta(hours=5), _topup(chain, exch_hot, b, amount + 60_000))
    cons = {}
    tcons1 = t0 + timedelta(days=22 + 8 * 6 + 4)

    def consolidate1():
        # A, B, C (one of C's coins) -> fresh address
        ops = chain.utxos_of(vendor_addrs[0]) + chain.utxos_of(vendor_addrs[1]) + \
            chain.utxos_of(vendor_addrs[2])[:1]
        dest = chain.new_address(vkind)
        cons["c1_dest"] = dest
        return chain.spend(ops, [(dest, sum(chain.utxo[o][1] for o in ops) - 3_000)], fee=3_000)

    def coinjoin():
        def big_coin(addrs):
            coins = [op for a in addrs for op in chain.utxos_of(a)
                     if chain.utxo[op][1] >= 1_200_000]
            return max(coins, key=lambda o: chain.utxo[o][1]) if coins else None
        pool = [u for u in users if u not in buyers and big_coin(u["addrs"])]
        others = rng.sample(pool, 4)
        ops = [big_coin([vendor_addrs[4]])] + [big_coin(u["addrs"]) for u in others]
        if ops[0] is None:
            raise RuntimeError("crypto view: the vendor cannot join the CoinJoin")
        outs, changes = [], []
        for op in ops:
            addr, value = chain.utxo[op]
            outs.append((chain.new_address("p2wpkh"), 1_000_000))
            if value - 1_000_000 - 55_000 > 10_000:
                changes.append((chain.new_address(_stype(addr)), value - 1_000_000 - 55_000))
        txid = chain.spend(ops, outs + changes, fee=55_000 * len(ops))
        cons["coinjoin_parts"] = [chain.inputs[-len(ops) + i]["address"] for i in range(len(ops))]
        return txid

    def consolidate2():
        ops = chain.utxos_of(vendor_addrs[2]) + chain.utxos_of(vendor_addrs[3]) + \
            chain.utxos_of(vendor_addrs[4]) + chain.utxos_of(cons["c1_dest"])
        dest = chain.new_address(vkind)
        cons["c2_dest"] = dest
        return chain.spend(ops, [(dest, sum(chain.utxo[o][1] for o in ops) - 4_000)], fee=4_000)

    # the vendor needs enough in address E to join the CoinJoin: a top-up sale
    at(tcons1 - timedelta(days=2), _topup(chain, exch_hot, {"addrs": [vendor_addrs[4]]},
                                          1_400_000, direct=True))
    at(tcons1, lambda: cons.setdefault("c1", consolidate1()))
    at(tcons1 + timedelta(hours=20), lambda: cons.setdefault("cj", coinjoin()))
    at(tcons1 + timedelta(days=2), lambda: cons.setdefault("c2", consolidate2()))
    # peel chain from c2_dest
    peel = {"txids": [], "peels": []}
    n_hops = rng.randrange(9, 13)
    deposit_hop = rng.randrange(3, 6)
    second_deposit = chain.new_address("p2wpkh")
    exchange_extra_deposits.append(second_deposit)

    def peel_hop(k):
        def fn():
            src = cons["c2_dest"] if k == 0 else peel["change"]
            ops = chain.utxos_of(src)
            value = sum(chain.utxo[o][1] for o in ops)
            if k == n_hops:                     # the rest goes to the custodial mixer
                txid = chain.spend(ops, [(mixer_deposit, value - 2_500)], fee=2_500)
                peel["mixer_tx"] = txid
                return txid
            if k == deposit_hop:
                dest = btc_deposit
            elif k == deposit_hop + 3:
                dest = second_deposit
            else:
                dest = chain.new_address(rng.choice(["p2wpkh", "p2pkh", "p2sh"]))
            amount = int(value * rng.uniform(0.03, 0.09))
            change = chain.new_address(vkind)
            txid = chain.spend(ops, [(dest, amount)], change=change, feerate=rng.randint(4, 12),
                               change_first=rng.random() < 0.5)   # wallets shuffle outputs
            peel["txids"].append(txid)
            peel["peels"].append(dest)
            peel["change"] = change
            return txid
        return fn

    for k in range(n_hops + 1):
        at(tcons1 + timedelta(days=2, hours=3 + 7 * k + rng.random() * 4), peel_hop(k))

    # custodial mixer: pooled, pays out later minus a fee, to fresh addresses
    def mixer_payout():
        ops = chain.utxos_of(mixer_deposit) + chain.utxos_of(mixer_pool)
        if not ops:
            return None
        total = sum(chain.utxo[o][1] for o in ops)
        outs = [(chain.new_address("p2wpkh"), int(total * f)) for f in (0.31, 0.27, 0.22)]
        return chain.spend(ops, outs, change=mixer_pool)

    at(tcons1 + timedelta(days=2, hours=3 + 7 * n_hops + 30), mixer_payout)

    # change fixtures: easy (reused payee, one fresh change) and ambiguous (two fresh outputs)
    fixtures = {}
    easy_u, amb_u = rng.sample([u for u in users if u not in buyers], 2)
    known_payee = rng.choice(users)["addrs"][0]

    def change_easy():
        top = _topup(chain, exch_hot, easy_u, 9_000_000, direct=True)()
        ops = [(top, 0)]
        change = chain.new_address(_stype(easy_u["addrs"][-1]))
        total = sum(chain.utxo[o][1] for o in ops)
        amount = min(total // 2 // 1_000_000 * 1_000_000, 5_000_000) or 1_000_000
        txid = chain.spend(ops, [(known_payee, amount)], change=change, feerate=9)
        fixtures["easy"] = (txid, change)
        return txid

    def change_amb():
        fn = _topup(chain, exch_hot, amb_u, 9_000_000, direct=True)
        fn()
        ops = chain.utxos_of(amb_u["addrs"][-1])
        total = sum(chain.utxo[o][1] for o in ops)
        a1 = chain.new_address(_stype(amb_u["addrs"][-1]))
        a2 = chain.new_address(_stype(amb_u["addrs"][-1]))
        txid = chain.spend(ops, [(a1, total * 37 // 100 + 1_234)], change=a2, feerate=9)
        fixtures["ambiguous"] = txid
        return txid

    at(t0 + timedelta(seconds=0.6 * span), change_easy)
    at(t0 + timedelta(seconds=0.62 * span), change_amb)

    # ------------------------------------------------------------------ TRON ---------------
    tron = TronChain(rng, seed=f"{world.seed}", start=t0)
    t_hot = next(w.address for w in wallets["exchange_hot"])
    t_dep_main = next(w.address for w in exch_deposit_w if w.chain == "tron")
    otc = wallets["otc"][0].address
    fee_wallets = [w.address for w in wallets["fee_collection"]]
    consolidation = wallets["consolidation"][0].address
    smuggling = wallets["smuggling_fees"][0].address if wallets.get("smuggling_fees") else None
    t_cold = tron.new_address()
    treasury = tron.new_address()                     # issuer-side mint source for the hot wallet
    tev: list[tuple[datetime, int, object]] = []
    m = [0]

    def tat(when, fn):
        m[0] += 1
        tev.append((when, m[0], fn))

    tron.send(t0, treasury, t_hot, 5_000_000 * USDT, mint=True)
    tron.send_trx(t0, treasury, t_hot, 10_000 * TRX)
    tusers = [{"addr": tron.new_address(), "dep": tron.new_address()} for _ in range(70)]
    for u in tusers:                     # activation by the exchange: a decoy common funder
        when = t0 + timedelta(hours=rng.randrange(1, 200))
        tron.send_trx(when, t_hot, u["addr"], 1 * TRX + rng.randrange(TRX))
        tron.send(when + timedelta(minutes=2), t_hot, u["addr"],
                  rng.choice([100, 200, 500, 1000, 2000]) * USDT)   # round withdrawals: decoy
    for u in tusers:
        u["swept"] = []

    def tdeposit(u, amount, sweep_after):
        def fn(when):
            if tron.balance.get(u["addr"], 0) < amount:
                return
            tron.send(when, u["addr"], u["dep"], amount)
            tron.send(when + sweep_after, u["dep"], t_hot, amount)
        return fn

    for _ in range(650):
        when = t0 + timedelta(seconds=rng.uniform(0.02, 0.97) * span)
        u = rng.choice(tusers)
        r = rng.random()
        if r < 0.55:
            v = rng.choice(tusers)
            amt = rng.choice([rng.randrange(5, 900) * USDT + rng.randrange(USDT),
                              rng.randrange(1, 10) * 50 * USDT])
            tat(when, (lambda u=u, v=v, amt=amt: lambda w: tron.send(w, u["addr"], v["addr"], amt)
                       if tron.balance.get(u["addr"], 0) >= amt else None)())
        elif r < 0.8:
            tat(when, tdeposit(u, rng.randrange(20, 600) * USDT, timedelta(minutes=rng.randrange(5, 90))))
        else:
            amt = rng.choice([100, 200, 300, 500, 1000]) * USDT
            tat(when, (lambda u=u, amt=amt: lambda w: tron.send(w, t_hot, u["addr"], amt))())
    # the exchange moves part of its hot wallet to cold storage now and then
    for k in range(3):
        tat(t0 + timedelta(seconds=(k + 0.6) / 3 * span),
            lambda w: tron.send(w, t_hot, t_cold, tron.balance.get(t_hot, 0) // 3 // USDT * USDT)
            if tron.balance.get(t_hot, 0) > 1000 * USDT else None)
    # OTC broker: busy with unrelated flows (fan-in, quick outflows)
    for _ in range(40):
        when = t0 + timedelta(seconds=rng.uniform(0.05, 0.95) * span)
        u = rng.choice(tusers)
        amt = rng.randrange(200, 3000) * USDT

        def otc_flow(w, u=u, amt=amt):
            if tron.balance.get(u["addr"], 0) >= amt:
                tron.send(w, u["addr"], otc, amt)
                tron.send(w + timedelta(minutes=rng.randrange(3, 40)), otc, t_dep_otc, amt)
        tat(when, otc_flow)
    t_dep_otc = tron.new_address()

    # victims: fresh wallets funded by an exchange withdrawal, then a round fee payment
    victim_rows = []
    usdt_victims = [v for v in world.victims if v.fee_method == "usdt"]
    recruiter_wallets: dict[str, list[str]] = {}
    for w in wallets["fee_collection"]:
        recruiter_wallets.setdefault(w.owner, []).append(w.address)
    for v in usdt_victims:
        addr = tron.new_address()
        value = v.fee_amount * USDT
        paid = v.paid_utc
        to = rng.choice(recruiter_wallets.get(v.recruiter) or fee_wallets)

        def vpay(w, addr=addr, value=value, to=to, v=v):
            tron.send_trx(w - timedelta(hours=3), t_hot, addr, 2 * TRX)
            tron.send(w - timedelta(hours=2, minutes=50), t_hot, addr,
                      value + rng.choice([0, 5, 10, 20]) * USDT)
            h = tron.send(w, addr, to, value)
            victim_rows.append({"victim_id": v.victim_id, "address": addr, "to": to,
                                "value": value, "tx_hash": h})
        tat(paid, vpay)
    # non-victim noise into the fee wallets (a friend's small non-round transfer)
    for fw in fee_wallets:
        u = rng.choice(tusers)
        amt = rng.randrange(5, 60) * USDT + rng.randrange(1, USDT)
        tat(t0 + timedelta(seconds=0.4 * span + rng.randrange(86400 * 5)),
            (lambda u=u, fw=fw, amt=amt: lambda w: tron.send(w, u["addr"], fw, amt)
             if tron.balance.get(u["addr"], 0) >= amt else None)())
    # smuggling clients pay the smuggler (round, larger)
    smug_rows = []
    if smuggling:
        for k in range(rng.randrange(4, 7)):
            addr = tron.new_address()
            value = rng.choice([2500, 3000, 4000, 5000]) * USDT
            when = t0 + timedelta(days=30 + 9 * k + rng.random() * 5)

            def spay(w, addr=addr, value=value):
                tron.send_trx(w - timedelta(hours=1), t_hot, addr, 2 * TRX)
                tron.send(w - timedelta(minutes=50), t_hot, addr, value)
                smug_rows.append(tron.send(w, addr, smuggling, value))
            tat(when, spay)
    # consolidation sweeps of the fee wallets
    last_pay = max(v.paid_utc for v in usdt_victims) if usdt_victims else t0 + timedelta(days=60)
    first_pay = min(v.paid_utc for v in usdt_victims) if usdt_victims else t0 + timedelta(days=30)
    sweeps = [first_pay + (last_pay - first_pay) * f + timedelta(hours=30) for f in (0.35, 0.7, 1.0)]

    def consolidate(w):
        for fw in fee_wallets:
            bal = tron.balance.get(fw, 0)
            if bal > 0:
                tron.send(w + timedelta(minutes=rng.randrange(1, 30)), fw, consolidation, bal)
    for s in sweeps:
        tat(s, consolidate)
    # the gas station: activates and fee-funds the mules (behavioural link)
    gas = tron.new_address()
    mules = [w.address for w in wallets.get("mule", [])]
    mules += [tron.new_address() for _ in range(5 - len(mules))]
    tat(t0 + timedelta(days=3), lambda w: tron.send_trx(w, t_hot, gas, 800 * TRX))
    for i, mu in enumerate(mules):
        tat(sweeps[0] - timedelta(days=1, hours=i), (lambda mu=mu: lambda w: (
            tron.send_trx(w, gas, mu, 1 * TRX), tron.send_trx(w + timedelta(minutes=1), gas, mu,
                                                               30 * TRX)))())
    dar_dep = t_dep_main                  # two mules share the ring's exchange deposit address
    near_dep = tron.new_address()         # near-miss: swept outside the window
    other_dep = tron.new_address()
    mule_plan = {}
    frozen = mules[4]

    def pay_mules(w, stage):
        bal = tron.balance.get(consolidation, 0)
        if bal < 1000 * USDT:
            return
        portion = bal * 55 // 100
        share = portion // 4
        for i, mu in enumerate(mules[:4] if stage < 2 else mules[:2] + [mules[4]]):
            tron.send(w + timedelta(minutes=5 * i), consolidation, mu, share)
            mule_plan.setdefault(mu, []).append(share)
            keep = share * 2 // 100
            fw = w + timedelta(hours=2 + i, minutes=rng.randrange(50))
            if mu == frozen:
                continue
            dep = dar_dep if mu in mules[:2] else (near_dep if mu == mules[3] else other_dep)
            tron.send(fw, mu, dep, share - keep)
            lag = timedelta(days=3) if (dep == near_dep and stage == 1) else \
                timedelta(minutes=rng.randrange(10, 80))
            tron.send(fw + lag, dep, t_hot, share - keep)
    for i, s in enumerate(sweeps):
        tat(s + timedelta(hours=6), (lambda i=i: lambda w: pay_mules(w, i))())
    freeze_at = sweeps[-1] + timedelta(days=2)
    tat(freeze_at, lambda w: tron.freezes.append({"block": tron._block(w), "time_utc": _iso(w),
                                                  "contract": USDT_CONTRACT, "address": frozen}))
    # OTC swap: the rest of the consolidation goes to the OTC broker, who pays BTC minutes later
    swap = {}
    ring_btc = chain.new_address("p2wpkh")
    swap_time = sweeps[-1] + timedelta(days=1, hours=3)

    def otc_in(w):
        bal = tron.balance.get(consolidation, 0)
        amount = bal // USDT * USDT
        if amount <= 0:
            return
        swap["usdt_tx"] = tron.send(w, consolidation, otc, amount)
        swap["usdt"] = amount
        swap["time"] = w
        tron.send(w + timedelta(minutes=25), otc, t_hot, amount)   # the broker cashes in
    tat(swap_time, otc_in)
    # a decoy BTC payment by the broker to someone else, shortly before
    at(swap_time - timedelta(minutes=50), lambda: chain.spend(
        chain.select([otc_btc], 30_000_000), [(chain.new_address("p2wpkh"), 21_000_000)],
        change=otc_btc))

    def otc_btc_leg():
        usd = swap["usdt"] // USDT
        sat = usd * 985 // 1000 * SAT // _rate(swap["time"])
        txid = chain.spend(chain.select([otc_btc], sat + 50_000), [(ring_btc, sat)],
                           change=otc_btc)
        swap["btc_tx"] = txid
        swap["sat"] = sat
        return txid
    ring_deposit = chain.new_address("p2wpkh")
    exchange_extra_deposits.append(ring_deposit)

    def ring_cashout():
        ops = chain.utxos_of(ring_btc)
        if not ops:
            return None
        total = sum(chain.utxo[o][1] for o in ops)
        return chain.spend(ops, [(ring_deposit, total - 1_800)], fee=1_800)

    # ---- run both schedules in time order (TRON first: the BTC leg needs the USDT amount)
    for when, _, fn in sorted(tev, key=lambda e: (e[0], e[1])):
        fn(when)
    at(swap_time + timedelta(minutes=8), otc_btc_leg)
    at(swap_time + timedelta(hours=9), ring_cashout)
    # a quiet spell on the bitcoin side around the swap, so that the broker's payment is the
    # only candidate a careful analyst finds (other transactions wait until after it)
    q0, q1 = swap_time - timedelta(minutes=10), swap_time + timedelta(hours=3)
    events = [(q1 if q0 <= when < q1 and fn is not otc_btc_leg else when, k, fn)
              for when, k, fn in events]
    for when, _, fn in sorted(events, key=lambda e: (e[0], e[1])):
        chain.at(when)
        try:
            fn()
        except ValueError:
            pass                           # a background payment without funds is skipped

    # -------------------------------------------------------------- ground truth ------------
    for name, ok in (("vendor consolidation", cons.get("c1") and cons.get("c2")),
                     ("CoinJoin", cons.get("cj")), ("peel chain", len(peel["txids"]) >= 8),
                     ("mixer", peel.get("mixer_tx")), ("OTC swap", swap.get("btc_tx")),
                     ("change fixtures", fixtures.get("easy") and fixtures.get("ambiguous")),
                     ("equal-output decoy", decoy.get("batch"))):
        if not ok:
            raise RuntimeError(f"crypto view: the planted {name} did not happen")
    by_tx: dict[str, set] = {}
    for row in chain.inputs:
        if row["txid"] in (cons.get("c1"), cons.get("c2")):
            by_tx.setdefault(row["txid"], set()).add(row["address"])
    groups = list(by_tx.values())
    if len(groups) != 2 or not groups[0] & groups[1]:
        raise RuntimeError("crypto view: the vendor's two consolidations do not overlap")
    vendor_cluster = sorted(groups[0] | groups[1])
    gt["vendor_addresses"] = vendor_cluster
    gt["vendor_consolidations"] = [cons.get("c1"), cons.get("c2")]
    gt["coinjoin"] = cons.get("cj")
    gt["coinjoin_participants"] = cons.get("coinjoin_parts")
    gt["equal_batch_decoy"] = decoy.get("batch")
    gt["peel_txids"] = peel["txids"]
    gt["peel_destinations"] = peel["peels"]
    gt["peel_first_exchange_deposit"] = btc_deposit
    gt["peel_start"] = peel["txids"][0] if peel["txids"] else None
    gt["mixer_deposit"] = mixer_deposit
    gt["mixer_tx"] = peel.get("mixer_tx")
    gt["change_easy"] = fixtures.get("easy")
    gt["change_ambiguous"] = fixtures.get("ambiguous")
    gt["sales"] = [{"time_utc": _iso(w), "to": a, "sat": s, "usd": usd}
                   for w, _, a, s, usd in sales]
    gt["btc_exchange"] = {"hot": exch_hot, "cold": exch_cold, "deposits": [btc_deposit,
                                                                           second_deposit,
                                                                           ring_deposit]}
    gt["victim_payments"] = victim_rows
    gt["smuggling_payments"] = smug_rows
    gt["fee_wallets"] = fee_wallets
    gt["consolidation"] = consolidation
    gt["gas_station"] = gas
    gt["mules"] = mules
    gt["dar_deposit"] = dar_dep
    gt["dar_mules"] = mules[:2]
    gt["near_miss_deposit"] = near_dep
    gt["frozen"] = frozen
    gt["otc"] = otc
    gt["swap"] = {k: (_iso(v) if isinstance(v, datetime) else v) for k, v in swap.items()}
    gt["ring_btc"] = ring_btc
    gt["tron_exchange"] = {"hot": t_hot, "cold": t_cold, "main_deposit": t_dep_main}
    tags = _tags(world, exch_hot, exch_cold, mixer_deposit, vendor_w, t_hot, t_cold, fee_wallets,
                 otc, rng)
    return {"btc": {"txs": chain.txs, "inputs": chain.inputs, "outputs": chain.outputs},
            "tron": {"trc20": tron.sorted_transfers(),
                     "trx": sorted(tron.trx, key=lambda r: (r["block"], r["tx_hash"])),
                     "freezes": tron.freezes},
            "tags": tags, "gt": gt}


def _topup(chain: UtxoChain, hot: str, user: dict, amount: int, direct: bool = False):
    """An exchange withdrawal to the user's current address."""
    def fn():
        if chain.balance(hot) < amount + 100_000:
            return None
        return chain.spend(chain.select([hot], amount + 100_000), [(user["addrs"][-1], amount)],
                           change=hot)
    return fn


def _tags(world, exch_hot, exch_cold, mixer_deposit, vendor_w, t_hot, t_cold, fee_wallets, otc,
          rng):
    exch = next(o for o in world.organisations if o.kind == "exchange")
    otc_org = next(o for o in world.organisations if o.kind == "otc_broker")
    first_report = min((v for v in world.victims if v.fee_method == "usdt"),
                       key=lambda v: v.paid_utc, default=None)
    d = world.now.date()
    rows = [
        {"address": exch_hot, "chain": "btc", "label": exch.name, "category": "exchange",
         "abuse": "", "source": f"{exch.name} proof-of-reserves page", "confidence": "high",
         "lastmod": str(d - timedelta(days=40))},
        {"address": exch_cold, "chain": "btc", "label": exch.name, "category": "exchange",
         "abuse": "", "source": f"{exch.name} proof-of-reserves page", "confidence": "high",
         "lastmod": str(d - timedelta(days=40))},
        {"address": t_hot, "chain": "tron", "label": exch.name, "category": "exchange",
         "abuse": "", "source": f"{exch.name} proof-of-reserves page", "confidence": "high",
         "lastmod": str(d - timedelta(days=40))},
        {"address": t_cold, "chain": "tron", "label": exch.name, "category": "exchange",
         "abuse": "", "source": f"{exch.name} proof-of-reserves page", "confidence": "high",
         "lastmod": str(d - timedelta(days=40))},
        {"address": mixer_deposit, "chain": "btc", "label": "FogBank mixer", "category":
         "mixing_service", "abuse": "", "source": "forum post offering the service (archived)",
         "confidence": "medium", "lastmod": str(d - timedelta(days=12))},
        {"address": vendor_w, "chain": "btc", "label": "document vendor (forum ad)", "category":
         "shop", "abuse": "migrant_smuggling", "source": "payment address in a forged-visa ad "
         "(module 04 capture)", "confidence": "medium", "lastmod": str(d - timedelta(days=9))},
        {"address": otc, "chain": "tron", "label": otc_org.name, "category": "service",
         "abuse": "", "source": "OTC desk advert on a messaging channel", "confidence": "medium",
         "lastmod": str(d - timedelta(days=20))},
        {"address": USDT_CONTRACT, "chain": "tron", "label": "Tether USD (USDT) contract",
         "category": "service", "abuse": "", "source": "issuer's published contract list",
         "confidence": "high", "lastmod": str(d - timedelta(days=100))},
    ]
    if first_report is not None:
        rows.append({"address": fee_wallets[0], "chain": "tron",
                     "label": "recruiter fee wallet (victim statement)", "category": "user",
                     "abuse": "human_trafficking", "source": "victim statement, case file",
                     "confidence": "medium", "lastmod": str(d - timedelta(days=5))})
    return rows


# =============================================================================================
# Benchmark-scale ledger
# =============================================================================================

def benchmark_ledger(n_tx: int, seed: int = 1, *, n_users: int | None = None):
    """A large UTXO ledger as three pandas DataFrames (``txs``, ``inputs``, ``outputs``) and
    one planted 6-hop path: ``(frames, seed_outpoint)``.

    Vectorised (numpy): users spend their oldest coin(s) to another user with change back, so
    the ledger is valid (balanced, every input exists, chain order). Roughly 1.8 inputs and 2
    outputs per transaction; about a tenth of transactions co-spend two coins.
    """
    import numpy as np
    import pandas as pd
    rng = np.random.default_rng(seed)
    n_users = n_users or max(1000, n_tx // 20)
    # each tx: spends 1 or 2 outputs of earlier txs, pays 2 outputs (payment + change)
    # Construction: tx i (i >= n_fund) spends output 0 or 1 of earlier txs, each output spent at
    # most once. Keep a pool of unspent outputs; choose uniformly among the recent ones.
    n_fund = min(n_users, n_tx // 10)
    two_in = rng.random(n_tx) < 0.1
    two_in[:n_fund] = False
    n_in = np.where(np.arange(n_tx) < n_fund, 0, np.where(two_in, 2, 1))
    prev = np.full((n_tx, 2), -1, dtype=np.int64)   # global output ids (tx*2 + vout)
    # stack of unspent output ids; funding txs create 2 outputs each
    pool = list(range(2 * n_fund))
    rng_py = random.Random(seed)
    for i in range(n_fund, n_tx):
        for k in range(n_in[i]):
            j = rng_py.randrange(max(0, len(pool) - 5000), len(pool))
            pool[j], pool[-1] = pool[-1], pool[j]
            prev[i, k] = pool.pop()
        pool.append(2 * i)
        pool.append(2 * i + 1)
    # values: funding outputs large; each tx splits (inputs - fee) into pay + change
    values = np.zeros(2 * n_tx, dtype=np.int64)
    values[:2 * n_fund] = rng.integers(10_000_000, 500_000_000, 2 * n_fund)
    fees = np.zeros(n_tx, dtype=np.int64)
    frac = rng.uniform(0.05, 0.95, n_tx)
    for i in range(n_fund, n_tx):
        total = values[prev[i, 0]] + (values[prev[i, 1]] if prev[i, 1] >= 0 else 0)
        fee = min(200 + (i % 37) * 100, total // 4)
        pay = int((total - fee) * frac[i])
        values[2 * i] = pay
        values[2 * i + 1] = total - fee - pay
        fees[i] = fee
    # addresses: every output gets a user's address; users own several addresses
    n_addr = n_users * 4
    addr_of_out = rng.integers(0, n_addr, 2 * n_tx)
    addr_text = [ids.segwit_address("bc", 0, hashlib.sha256(
        f"bench/{seed}/{a}".encode()).digest()[:20]) for a in range(n_addr)]
    txid_text = [hashlib.sha256(f"bench/{seed}/tx/{i}".encode()).hexdigest()
                 for i in range(n_tx)]
    # identifiers are dictionary-encoded (categoricals): stored once, referenced by integer code
    tx_cats = pd.Index(txid_text)
    addr_cats = pd.Index(addr_text)

    def txcol(codes):
        return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(tx_cats))

    def addrcol(codes):
        return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(addr_cats))
    heights = 800_000 + np.arange(n_tx) // 3000
    txs = pd.DataFrame({"txid": txcol(np.arange(n_tx)), "height": heights,
                        "idx_in_block": np.arange(n_tx) % 3000,
                        "time_utc": pd.Timestamp("2026-01-01", tz="UTC")
                        + pd.to_timedelta((heights - 800_000) * 600, unit="s"),
                        "locktime": 0, "fee": fees, "is_coinbase": np.arange(n_tx) < n_fund})
    out_ids = np.arange(2 * n_tx)
    outputs = pd.DataFrame({"txid": txcol(out_ids // 2), "vout": out_ids % 2,
                            "address": addrcol(addr_of_out), "value": values,
                            "script_type": "p2wpkh"})
    in_tx, in_k = np.nonzero(prev >= 0)
    p = prev[in_tx, in_k]
    inputs = pd.DataFrame({"txid": txcol(in_tx), "vin": in_k, "prev_txid": txcol(p // 2),
                           "prev_vout": p % 2, "address": addrcol(addr_of_out[p]),
                           "value": values[p]})
    # the seed: among early payments, the output whose spending tree 6 hops deep is largest
    spent_by = np.full(2 * n_tx, -1, dtype=np.int64)
    spent_by[p] = in_tx

    def reach(o):
        frontier, count = [o], 0
        for _ in range(6):
            nxt = []
            for x in frontier:
                t = spent_by[x]
                if t >= 0:
                    nxt += [2 * t, 2 * t + 1]
            count += len(nxt)
            frontier = nxt
        return count
    best = max(range(2 * n_fund, min(2 * n_tx, 2 * n_fund + 4000)), key=reach)
    seed_out = f"{txid_text[best // 2]}:{best % 2}"
    return {"txs": txs, "inputs": inputs, "outputs": outputs}, seed_out
