"""Synthetic ledgers for module 06: a bitcoin-like UTXO chain and a USDT-on-TRON-like ledger.

:class:`UtxoChain` and :class:`TronChain` are small builders that keep every rule of a real
ledger (integer values, inputs = outputs + fee, every input spends an existing unspent output,
chain order); :class:`CaseLedgers` (through :func:`case_ledgers`) plants the case's patterns
into background noise, one method per chapter of the money story, and returns the tables plus
the ground truth; :func:`benchmark_ledger` makes a large ledger of the same shape for the
performance benchmark (``benchmarks/06_crypto.py``).

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
from datetime import UTC, datetime, timedelta
from functools import partial

from . import identifiers as ids

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
SAT = 100_000_000
USDT = 1_000_000
TRX = 1_000_000
USDT_CONTRACT = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"
#: USDT's ERC-20 contract on Ethereum (public; its EIP-55 form)
USDT_EVM_CONTRACT = "0xdAC17F958D2ee523a2206206994597C13D831ec7"
#: the fictional bridge's published fee (percent of the amount), and its release delay
BRIDGE_FEE_PERMILLE = 2


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class UtxoChain:
    """Build a bitcoin-like chain. Transactions are appended in chain order; a block is cut
    whenever the clock passes the next block time (exponential gaps, mean 600 s)."""

    VSIZE_IN, VSIZE_OUT, VSIZE_BASE = 68, 31, 11

    def __init__(
        self, rng: random.Random, seed: str, start: datetime = EPOCH, height: int = 840_000
    ):
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
        self.utxo: dict[tuple[str, int], tuple[str, int]] = {}  # outpoint -> (address, value)
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
            self.outputs.append(
                {
                    "txid": txid,
                    "vout": vout,
                    "address": addr,
                    "value": value,
                    "script_type": _stype(addr),
                }
            )
            self.utxo[(txid, vout)] = (addr, value)
            self.by_addr.setdefault(addr, []).append((txid, vout))

    def _record(self, txid, fee, coinbase, locktime):
        self.txs.append(
            {
                "txid": txid,
                "height": self.height + 1,
                "idx_in_block": self.idx,
                "time_utc": _iso(self.next_block),
                "locktime": locktime,
                "fee": fee,
                "is_coinbase": coinbase,
            }
        )
        self.idx += 1

    def coinbase(self, address: str, value: int) -> str:
        txid = self._txid()
        self._record(txid, 0, True, 0)
        self._add_outputs(txid, [(address, value)])
        return txid

    def spend(
        self,
        outpoints,
        outs,
        *,
        change: str | None = None,
        fee: int | None = None,
        feerate: int | None = None,
        locktime: int | None = None,
        change_first: bool = False,
    ) -> str:
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
            self.inputs.append(
                {
                    "txid": txid,
                    "vin": vin,
                    "prev_txid": op[0],
                    "prev_vout": op[1],
                    "address": addr,
                    "value": value,
                }
            )
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


def _move(balance: dict[str, int], frm: str, to: str, value: int, mint: bool) -> None:
    """Move ``value`` token units from ``frm`` to ``to`` (``mint``: from nowhere)."""
    if value <= 0:
        raise ValueError("transfer value must be positive")
    if not mint:
        have = balance.get(frm, 0)
        if have < value:
            raise ValueError(f"{frm} holds {have}, cannot send {value}")
        balance[frm] = have - value
    balance[to] = balance.get(to, 0) + value


def _token_transfer(h, block, when, contract, frm, to, value) -> dict:
    """One token ``Transfer`` row as the TRON and EVM ledgers write it."""
    return {
        "tx_hash": h,
        "block": block,
        "time_utc": _iso(when),
        "log_index": 0,
        "contract": contract,
        "tx_signer": frm,
        "from": frm,
        "to": to,
        "value": value,
    }


def _in_block_order(transfers: list[dict]) -> list[dict]:
    """The transfers sorted by block, with ``log_index`` numbered within each block."""
    rows = sorted(transfers, key=lambda r: (r["block"], r["time_utc"], r["tx_hash"]))
    per_block: dict[int, int] = {}
    for r in rows:
        r["log_index"] = per_block.get(r["block"], 0)
        per_block[r["block"]] = r["log_index"] + 1
    return rows


class TronChain:
    """Build a TRON-like ledger: TRC-20 (USDT) transfers and TRX transfers, 3-second blocks."""

    def __init__(
        self, rng: random.Random, seed: str, start: datetime = EPOCH, block0: int = 60_000_000
    ):
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
        self.trx.append(
            {
                "tx_hash": h,
                "block": self._block(when),
                "time_utc": _iso(when),
                "from": frm,
                "to": to,
                "amount": amount,
            }
        )
        self.activated.add(to)
        return h

    def send(self, when: datetime, frm: str, to: str, value: int, *, mint: bool = False) -> str:
        _move(self.balance, frm, to, value, mint)
        h = self._hash()
        self.trc20.append(
            _token_transfer(h, self._block(when), when, USDT_CONTRACT, frm, to, value)
        )
        return h

    def sorted_transfers(self) -> list[dict]:
        return _in_block_order(self.trc20)


class EvmChain:
    """Build an EVM-like token ledger: USDT (ERC-20-like) ``Transfer`` events, 12-second blocks,
    ``0x`` addresses with the EIP-55 checksum. Its random choices come from its own stream."""

    def __init__(
        self, rng: random.Random, seed: str, start: datetime = EPOCH, block0: int = 24_000_000
    ):
        self.rng = rng
        self.seed = seed
        self.start = start
        self.block0 = block0
        self.transfers: list[dict] = []
        self.balance: dict[str, int] = {}
        self._n = 0

    def new_address(self) -> str:
        from ..reference.addresses import eip55

        return eip55("0x" + self.rng.randbytes(20).hex())

    def _block(self, when: datetime) -> int:
        return self.block0 + int((when - self.start).total_seconds() // 12)

    def send(self, when: datetime, frm: str, to: str, value: int, *, mint: bool = False) -> str:
        _move(self.balance, frm, to, value, mint)
        self._n += 1
        h = "0x" + hashlib.sha256(f"{self.seed}/evm/{self._n}".encode()).hexdigest()
        self.transfers.append(
            _token_transfer(h, self._block(when), when, USDT_EVM_CONTRACT, frm, to, value)
        )
        return h

    def sorted_transfers(self) -> list[dict]:
        return _in_block_order(self.transfers)


# =============================================================================================
# The case
# =============================================================================================


def _rate(day: datetime) -> int:
    """A synthetic BTC/USD rate in whole dollars (smooth, deterministic)."""
    d = (day - EPOCH).total_seconds() / 86400
    return int(64_000 + 6_000 * math.sin(d / 23) + 2_500 * math.sin(d / 5.3))


def case_ledgers(world) -> dict:
    """Both ledgers with planted patterns for ``world``; returns tables and ground truth.

    A thin wrapper: :class:`CaseLedgers` tells the story chapter by chapter."""
    return CaseLedgers(world).build()


class CaseLedgers:
    """The case's two ledgers, planted into background noise chapter by chapter.

    :meth:`build` reads as the table of contents. Each chapter draws its random numbers when it
    is scheduled and schedules what happens later as events (``at`` on the bitcoin chain,
    ``tat`` on TRON); :meth:`run_schedules` plays both schedules in time order. The chapters
    must run in this order: the random stream, and so every seed's data, depends on it.
    """

    def __init__(self, world):
        self.world = world
        self.rng = world.rng("crypto/ledgers")
        self.t0 = datetime.combine(world.start, datetime.min.time(), UTC) - timedelta(days=20)
        self.t_end = world.now - timedelta(days=2)
        self.span = (self.t_end - self.t0).total_seconds()
        self.gt: dict = {"patterns": {}}
        self.wallets: dict[str, list] = {w.role: [] for w in world.wallets}
        for w in world.wallets:
            self.wallets[w.role].append(w)
        self.events: list[tuple[datetime, int, object]] = []  # bitcoin: (time, order, fn)
        self.tron_events: list[tuple[datetime, int, object]] = []  # TRON: (time, order, fn)

    def build(self) -> dict:
        # bitcoin: a busy chain, then the document vendor's money
        self.open_bitcoin_chain()
        self.fund_exchange_and_users()
        self.schedule_bitcoin_background()
        self.sell_forged_documents()
        self.consolidate_vendor_coins()
        self.peel_chain()
        self.pay_out_mixer()
        self.plant_change_fixtures()
        # TRON: a busy exchange, then the victims' fees and where they go
        self.open_tron_ledger()
        self.schedule_tron_background()
        self.keep_otc_broker_busy()
        self.fund_victim_payments()
        self.send_noise_to_fee_wallets()
        self.collect_smuggling_fees()
        self.consolidate()
        self.fuel_mules_from_gas_station()
        self.pay_mules()
        self.freeze_mule()
        self.pay_otc_broker()
        # added later; their own choices come from a second random stream (the chain's new
        # addresses still come from the chain's): a modern CoinJoin round the vendor did not join, the smuggling cell's cash-out (the
        # lesson's thread) and a look-alike address sent dust to trick a copy-paste
        self.rng2 = self.world.rng("crypto/ledgers/2")
        self.plant_whirlpool_round()
        self.broker_pays_a_near_match()
        self.cash_out_smuggling_fees()
        self.poison_smuggler_history()
        # later still (a third stream): USDT on an EVM chain, reached through a bridge — the
        # ring's hop (exercise thread) with a look-alike of the bridge planted in its history,
        # and the money agent's (lesson thread)
        self.rng3 = self.world.rng("crypto/ledgers/3")
        self.open_bridge()
        self.ring_bridges_to_evm()
        self.poison_ring_history()
        self.agent_bridges_to_evm()
        # both schedules in time order, then the ground truth
        self.run_schedules()
        self.check_planted_patterns()
        return self.tables()

    # -- schedules ------------------------------------------------------------------------------
    def at(self, when: datetime, fn) -> None:
        """Run ``fn()`` on the bitcoin chain at ``when`` (ties run in scheduling order)."""
        self.events.append((when, len(self.events) + 1, fn))

    def tat(self, when: datetime, fn) -> None:
        """Run ``fn(when)`` on the TRON ledger at ``when`` (ties run in scheduling order)."""
        self.tron_events.append((when, len(self.tron_events) + 1, fn))

    # =========================================================================================
    # Bitcoin
    # =========================================================================================
    def open_bitcoin_chain(self) -> None:
        """The chain, the exchange's and the services' addresses, ninety ordinary users."""
        rng = self.rng
        self.chain = chain = UtxoChain(rng, seed=f"{self.world.seed}", start=self.t0)
        self.miner = chain.new_address("p2wpkh")
        self.exch_hot = chain.new_address("p2wpkh")
        self.exch_cold = chain.new_address("p2wsh")
        self.mixer_pool = chain.new_address("p2wpkh")
        self.mixer_deposit = chain.new_address("p2wpkh")
        self.otc_btc = chain.new_address("p2wpkh")
        self.btc_deposit = next(
            w.address for w in self.wallets["exchange_deposit"] if w.chain == "btc"
        )
        self.users = []
        for _ in range(90):
            kind = rng.choice(["p2wpkh"] * 6 + ["p2pkh", "p2sh", "p2tr"])
            self.users.append(
                {
                    "kind": kind,
                    "addrs": [chain.new_address(kind)],
                    "reuse": rng.random() < 0.25,
                    "deposit": chain.new_address("p2wpkh"),
                    "core": rng.random() < 0.5,
                }
            )
        # the exchange also sweeps the case's deposit addresses (more join later)
        self.exchange_deposits: list[str] = [self.btc_deposit]

    def fund_exchange_and_users(self) -> None:
        """Genesis: coinbases to the miner, the miner pays the exchange and the users."""
        rng, chain, users = self.rng, self.chain, self.users
        miner, exch_hot = self.miner, self.exch_hot
        for _ in range(24):
            chain.coinbase(miner, 312_500_000 + rng.randrange(20_000_000))
        chain.coinbase(self.otc_btc, 400_000_000)
        chain.coinbase(self.mixer_pool, 150_000_000)
        chain.advance(1200)
        cb_ops = chain.utxos_of(miner)
        chain.spend(
            cb_ops[:20], [(exch_hot, 5_500_000_000), (self.exch_cold, 500_000_000)], change=miner
        )
        chain.advance(900)
        outs = [(u["addrs"][0], rng.randrange(2_000_000, 40_000_000)) for u in users[:45]]
        chain.spend(chain.utxos_of(miner), outs, change=miner)
        chain.advance(900)
        outs = [(u["addrs"][0], rng.randrange(2_000_000, 40_000_000)) for u in users[45:]]
        chain.spend(
            chain.select([exch_hot], sum(v for _, v in outs) + 100_000), outs, change=exch_hot
        )

    def schedule_bitcoin_background(self) -> None:
        """Payments between users, exchange deposits and withdrawals, sweeps, cold storage,
        and a decoy: an exchange batch with equal outputs that looks like a CoinJoin."""
        rng, chain, users, t0, span = self.rng, self.chain, self.users, self.t0, self.span
        for _ in range(900):
            when = t0 + timedelta(seconds=rng.uniform(0.05, 0.98) * span)
            u = rng.choice(users)
            r = rng.random()
            if r < 0.6:
                v = rng.choice(users)
                to = v["addrs"][-1] if v["reuse"] else chain.new_address(v["kind"])
                if not v["reuse"]:
                    v["addrs"].append(to)
                amt = rng.choice(
                    [rng.randrange(100_000, 5_000_000), rng.randrange(1, 40) * 100_000]
                )
                self.at(when, partial(self._user_pays, u, to, amt))
            elif r < 0.85:
                self.at(
                    when,
                    partial(self._user_pays, u, u["deposit"], rng.randrange(300_000, 8_000_000)),
                )
            else:
                self.at(when, partial(self._withdraw_batch, False))
        for k in range(28):
            self.at(t0 + timedelta(seconds=(k + 0.5) / 28 * span), self._sweep_deposits)
        for k in range(4):
            self.at(t0 + timedelta(seconds=(k + 0.7) / 4 * span), self._move_to_cold_storage)
        self.decoy: dict = {}
        self.at(t0 + timedelta(seconds=0.45 * span), self._equal_output_decoy)

    def _user_pays(self, u: dict, to: str, amount: int):
        chain = self.chain
        bal = sum(chain.balance(a) for a in u["addrs"])
        if bal < amount + 20_000:
            return None
        ops = chain.select(u["addrs"], amount + 20_000)
        change = u["addrs"][-1] if u["reuse"] else chain.new_address(u["kind"])
        if not u["reuse"]:
            u["addrs"].append(change)
        return chain.spend(
            ops, [(to, amount)], change=change, locktime=chain.height if u["core"] else 0
        )

    def _sweep_deposits(self):
        chain = self.chain
        ops = [op for u in self.users for op in chain.utxos_of(u["deposit"])]
        ops += [op for a in self.exchange_deposits for op in chain.utxos_of(a)]
        if len(ops) < 2:
            return None
        total = sum(chain.utxo[o][1] for o in ops)
        return chain.spend(ops, [(self.exch_hot, total - 400 * len(ops))], fee=400 * len(ops))

    def _withdraw_batch(self, equal: bool = False):
        rng, chain = self.rng, self.chain
        targets = rng.sample(self.users, 6)
        if equal:
            value = 1_000_000
            outs = [(u["addrs"][-1], value) for u in targets]
        else:
            outs = [(u["addrs"][-1], rng.randrange(500_000, 20_000_000)) for u in targets]
        need = sum(v for _, v in outs) + 50_000
        reserve = 0 if equal else 1_500_000_000  # the exchange keeps a float for top-ups
        if chain.balance(self.exch_hot) < need + reserve:
            return None
        return chain.spend(chain.select([self.exch_hot], need), outs, change=self.exch_hot)

    def _move_to_cold_storage(self):
        chain = self.chain
        if chain.balance(self.exch_hot) <= 200_000_000:
            return None
        return chain.spend(
            chain.select([self.exch_hot], 150_000_000),
            [(self.exch_cold, 140_000_000)],
            change=self.exch_hot,
        )

    def _equal_output_decoy(self):
        return self.decoy.setdefault("batch", self._withdraw_batch(True))

    def sell_forged_documents(self) -> None:
        """Nine buyers pay the document vendor's five addresses in bitcoin (topped up from the
        exchange just before)."""
        rng, chain, t0 = self.rng, self.chain, self.t0
        self.vendor_w = vendor_w = self.wallets["document_sales"][0].address
        self.vkind = _stype(vendor_w)
        self.vendor_addrs = [vendor_w] + [chain.new_address(self.vkind) for _ in range(4)]
        self.buyers = rng.sample(self.users, 9)
        self.sales = []
        for i, b in enumerate(self.buyers):
            when = t0 + timedelta(days=22 + i * 6 + rng.random() * 3, hours=rng.randrange(24))
            usd = rng.choice([250, 300, 400, 450, 600])
            amount = usd * SAT // _rate(when)
            target = self.vendor_addrs[i % 5] if i < 8 else self.vendor_addrs[0]
            self.sales.append((when, b, target, amount, usd))
            self.at(when, partial(self._user_pays, b, target, amount))
        # make sure buyers have money: top them up from the exchange just before
        for when, b, _, amount, _ in self.sales:
            self.at(when - timedelta(hours=5), _topup(chain, self.exch_hot, b, amount + 60_000))

    def consolidate_vendor_coins(self) -> None:
        """Two overlapping consolidations (the cluster) with a CoinJoin between them."""
        self.cons: dict = {}
        self.tcons1 = tcons1 = self.t0 + timedelta(days=22 + 8 * 6 + 4)
        # the vendor needs enough in address E to join the CoinJoin: a top-up sale
        self.at(
            tcons1 - timedelta(days=2),
            _topup(
                self.chain, self.exch_hot, {"addrs": [self.vendor_addrs[4]]}, 1_400_000, direct=True
            ),
        )
        self.at(tcons1, self._consolidate_first)
        self.at(tcons1 + timedelta(hours=20), self._coinjoin)
        self.at(tcons1 + timedelta(days=2), self._consolidate_second)

    def _consolidate_first(self):
        """A, B and one of C's coins -> a fresh address."""
        chain, a = self.chain, self.vendor_addrs
        ops = chain.utxos_of(a[0]) + chain.utxos_of(a[1]) + chain.utxos_of(a[2])[:1]
        dest = chain.new_address(self.vkind)
        self.cons["c1_dest"] = dest
        self.cons["c1"] = chain.spend(
            ops, [(dest, sum(chain.utxo[o][1] for o in ops) - 3_000)], fee=3_000
        )

    def _big_coin(self, addrs):
        chain = self.chain
        coins = [op for a in addrs for op in chain.utxos_of(a) if chain.utxo[op][1] >= 1_200_000]
        return max(coins, key=lambda o: chain.utxo[o][1]) if coins else None

    def _coinjoin(self):
        rng, chain = self.rng, self.chain
        pool = [u for u in self.users if u not in self.buyers and self._big_coin(u["addrs"])]
        others = rng.sample(pool, 4)
        ops = [self._big_coin([self.vendor_addrs[4]])] + [
            self._big_coin(u["addrs"]) for u in others
        ]
        if ops[0] is None:
            raise RuntimeError("crypto view: the vendor cannot join the CoinJoin")
        outs, changes = [], []
        for op in ops:
            addr, value = chain.utxo[op]
            outs.append((chain.new_address("p2wpkh"), 1_000_000))
            if value - 1_000_000 - 55_000 > 10_000:
                changes.append((chain.new_address(_stype(addr)), value - 1_000_000 - 55_000))
        txid = chain.spend(ops, outs + changes, fee=55_000 * len(ops))
        self.cons["coinjoin_parts"] = [
            chain.inputs[-len(ops) + i]["address"] for i in range(len(ops))
        ]
        self.cons["cj"] = txid

    def _consolidate_second(self):
        """C's rest, D, E and the first consolidation -> another fresh address."""
        chain, a = self.chain, self.vendor_addrs
        ops = (
            chain.utxos_of(a[2])
            + chain.utxos_of(a[3])
            + chain.utxos_of(a[4])
            + chain.utxos_of(self.cons["c1_dest"])
        )
        dest = chain.new_address(self.vkind)
        self.cons["c2_dest"] = dest
        self.cons["c2"] = chain.spend(
            ops, [(dest, sum(chain.utxo[o][1] for o in ops) - 4_000)], fee=4_000
        )

    def peel_chain(self) -> None:
        """From the second consolidation, 9-12 hops each peel a small payment off; two of the
        peels land on exchange deposits, the rest goes to a custodial mixer."""
        rng, chain = self.rng, self.chain
        self.peel: dict = {"txids": [], "peels": []}
        self.n_hops = rng.randrange(9, 13)
        self.deposit_hop = rng.randrange(3, 6)
        self.second_deposit = chain.new_address("p2wpkh")
        self.exchange_deposits.append(self.second_deposit)
        for k in range(self.n_hops + 1):
            self.at(
                self.tcons1 + timedelta(days=2, hours=3 + 7 * k + rng.random() * 4),
                partial(self._peel_hop, k),
            )

    def _peel_hop(self, k: int):
        rng, chain, peel = self.rng, self.chain, self.peel
        src = self.cons["c2_dest"] if k == 0 else peel["change"]
        ops = chain.utxos_of(src)
        value = sum(chain.utxo[o][1] for o in ops)
        if k == self.n_hops:  # the rest goes to the custodial mixer
            txid = chain.spend(ops, [(self.mixer_deposit, value - 2_500)], fee=2_500)
            peel["mixer_tx"] = txid
            return txid
        if k == self.deposit_hop:
            dest = self.btc_deposit
        elif k == self.deposit_hop + 3:
            dest = self.second_deposit
        else:
            dest = chain.new_address(rng.choice(["p2wpkh", "p2pkh", "p2sh"]))
        amount = int(value * rng.uniform(0.03, 0.09))
        change = chain.new_address(self.vkind)
        txid = chain.spend(
            ops,
            [(dest, amount)],
            change=change,
            feerate=rng.randint(4, 12),
            change_first=rng.random() < 0.5,
        )  # wallets shuffle outputs
        peel["txids"].append(txid)
        peel["peels"].append(dest)
        peel["change"] = change
        return txid

    def pay_out_mixer(self) -> None:
        """The custodial mixer pools, then pays out later minus a fee, to fresh addresses."""
        self.at(self.tcons1 + timedelta(days=2, hours=3 + 7 * self.n_hops + 30), self._mixer_payout)

    def _mixer_payout(self):
        chain = self.chain
        ops = chain.utxos_of(self.mixer_deposit) + chain.utxos_of(self.mixer_pool)
        if not ops:
            return None
        total = sum(chain.utxo[o][1] for o in ops)
        outs = [(chain.new_address("p2wpkh"), int(total * f)) for f in (0.31, 0.27, 0.22)]
        return chain.spend(ops, outs, change=self.mixer_pool)

    def plant_change_fixtures(self) -> None:
        """Change detection: an easy case (reused payee, one fresh change) and an ambiguous
        one (two fresh outputs)."""
        rng, t0, span = self.rng, self.t0, self.span
        self.fixtures: dict = {}
        self.easy_u, self.amb_u = rng.sample([u for u in self.users if u not in self.buyers], 2)
        self.known_payee = rng.choice(self.users)["addrs"][0]
        self.at(t0 + timedelta(seconds=0.6 * span), self._change_easy)
        self.at(t0 + timedelta(seconds=0.62 * span), self._change_ambiguous)

    def _change_easy(self):
        chain, easy_u = self.chain, self.easy_u
        top = _topup(chain, self.exch_hot, easy_u, 9_000_000, direct=True)()
        ops = [(top, 0)]
        change = chain.new_address(_stype(easy_u["addrs"][-1]))
        total = sum(chain.utxo[o][1] for o in ops)
        amount = min(total // 2 // 1_000_000 * 1_000_000, 5_000_000) or 1_000_000
        txid = chain.spend(ops, [(self.known_payee, amount)], change=change, feerate=9)
        self.fixtures["easy"] = (txid, change)
        return txid

    def _change_ambiguous(self):
        chain, amb_u = self.chain, self.amb_u
        _topup(chain, self.exch_hot, amb_u, 9_000_000, direct=True)()
        ops = chain.utxos_of(amb_u["addrs"][-1])
        total = sum(chain.utxo[o][1] for o in ops)
        a1 = chain.new_address(_stype(amb_u["addrs"][-1]))
        a2 = chain.new_address(_stype(amb_u["addrs"][-1]))
        txid = chain.spend(ops, [(a1, total * 37 // 100 + 1_234)], change=a2, feerate=9)
        self.fixtures["ambiguous"] = txid
        return txid

    # =========================================================================================
    # TRON
    # =========================================================================================
    def open_tron_ledger(self) -> None:
        """The ledger, the case's wallets, the exchange's float, seventy users it activates
        (a decoy common funder) and pays round withdrawals (a decoy pattern)."""
        rng, t0, wallets = self.rng, self.t0, self.wallets
        self.tron = tron = TronChain(rng, seed=f"{self.world.seed}", start=t0)
        self.t_hot = t_hot = next(w.address for w in wallets["exchange_hot"])
        self.t_dep_main = next(w.address for w in wallets["exchange_deposit"] if w.chain == "tron")
        self.otc = wallets["otc"][0].address
        self.fee_wallets = [w.address for w in wallets["fee_collection"]]
        self.consolidation = wallets["consolidation"][0].address
        self.smuggling = (
            wallets["smuggling_fees"][0].address if wallets.get("smuggling_fees") else None
        )
        self.t_cold = tron.new_address()
        treasury = tron.new_address()  # issuer-side mint source for the hot wallet
        tron.send(t0, treasury, t_hot, 5_000_000 * USDT, mint=True)
        tron.send_trx(t0, treasury, t_hot, 10_000 * TRX)
        self.tusers = [{"addr": tron.new_address(), "dep": tron.new_address()} for _ in range(70)]
        for u in self.tusers:  # activation by the exchange: a decoy common funder
            when = t0 + timedelta(hours=rng.randrange(1, 200))
            tron.send_trx(when, t_hot, u["addr"], 1 * TRX + rng.randrange(TRX))
            tron.send(
                when + timedelta(minutes=2),
                t_hot,
                u["addr"],
                rng.choice([100, 200, 500, 1000, 2000]) * USDT,
            )  # round withdrawals: decoy
        for u in self.tusers:
            u["swept"] = []

    def schedule_tron_background(self) -> None:
        """Transfers between users, deposits swept to the hot wallet, withdrawals, and the
        exchange moving part of its hot wallet to cold storage now and then."""
        rng, tusers, t0, span = self.rng, self.tusers, self.t0, self.span
        for _ in range(650):
            when = t0 + timedelta(seconds=rng.uniform(0.02, 0.97) * span)
            u = rng.choice(tusers)
            r = rng.random()
            if r < 0.55:
                v = rng.choice(tusers)
                amt = rng.choice(
                    [
                        rng.randrange(5, 900) * USDT + rng.randrange(USDT),
                        rng.randrange(1, 10) * 50 * USDT,
                    ]
                )
                self.tat(when, partial(self._send_if_funded, u["addr"], v["addr"], amt))
            elif r < 0.8:
                self.tat(
                    when,
                    partial(
                        self._tron_deposit,
                        u,
                        rng.randrange(20, 600) * USDT,
                        timedelta(minutes=rng.randrange(5, 90)),
                    ),
                )
            else:
                amt = rng.choice([100, 200, 300, 500, 1000]) * USDT
                self.tat(when, partial(self._withdraw_usdt, u["addr"], amt))
        for k in range(3):
            self.tat(t0 + timedelta(seconds=(k + 0.6) / 3 * span), self._tron_to_cold)

    def _send_if_funded(self, frm: str, to: str, amount: int, when: datetime):
        if self.tron.balance.get(frm, 0) >= amount:
            return self.tron.send(when, frm, to, amount)
        return None

    def _tron_deposit(self, u: dict, amount: int, sweep_after: timedelta, when: datetime):
        tron = self.tron
        if tron.balance.get(u["addr"], 0) < amount:
            return
        tron.send(when, u["addr"], u["dep"], amount)
        tron.send(when + sweep_after, u["dep"], self.t_hot, amount)

    def _withdraw_usdt(self, to: str, amount: int, when: datetime):
        return self.tron.send(when, self.t_hot, to, amount)

    def _tron_to_cold(self, when: datetime):
        tron, t_hot = self.tron, self.t_hot
        if tron.balance.get(t_hot, 0) > 1000 * USDT:
            return tron.send(
                when, t_hot, self.t_cold, tron.balance.get(t_hot, 0) // 3 // USDT * USDT
            )
        return None

    def keep_otc_broker_busy(self) -> None:
        """The OTC broker is busy with unrelated flows (fan-in, quick outflows)."""
        rng, t0, span = self.rng, self.t0, self.span
        for _ in range(40):
            when = t0 + timedelta(seconds=rng.uniform(0.05, 0.95) * span)
            u = rng.choice(self.tusers)
            amt = rng.randrange(200, 3000) * USDT
            self.tat(when, partial(self._otc_unrelated_flow, u, amt))
        self.t_dep_otc = self.tron.new_address()

    def _otc_unrelated_flow(self, u: dict, amount: int, when: datetime):
        tron = self.tron
        if tron.balance.get(u["addr"], 0) >= amount:
            tron.send(when, u["addr"], self.otc, amount)
            tron.send(
                when + timedelta(minutes=self.rng.randrange(3, 40)),
                self.otc,
                self.t_dep_otc,
                amount,
            )

    def fund_victim_payments(self) -> None:
        """Each USDT victim: a fresh wallet funded by an exchange withdrawal, then a round fee
        payment to their recruiter's fee wallet."""
        rng, tron = self.rng, self.tron
        self.victim_rows: list[dict] = []
        self.usdt_victims = [v for v in self.world.victims if v.fee_method == "usdt"]
        recruiter_wallets: dict[str, list[str]] = {}
        for w in self.wallets["fee_collection"]:
            recruiter_wallets.setdefault(w.owner, []).append(w.address)
        for v in self.usdt_victims:
            addr = tron.new_address()
            value = v.fee_amount * USDT
            paid = v.paid_utc
            to = rng.choice(recruiter_wallets.get(v.recruiter) or self.fee_wallets)
            self.tat(paid, partial(self._victim_pays, addr, value, to, v))

    def _victim_pays(self, addr: str, value: int, to: str, v, when: datetime):
        tron, rng = self.tron, self.rng
        tron.send_trx(when - timedelta(hours=3), self.t_hot, addr, 2 * TRX)
        tron.send(
            when - timedelta(hours=2, minutes=50),
            self.t_hot,
            addr,
            value + rng.choice([0, 5, 10, 20]) * USDT,
        )
        h = tron.send(when, addr, to, value)
        self.victim_rows.append(
            {"victim_id": v.victim_id, "address": addr, "to": to, "value": value, "tx_hash": h}
        )

    def send_noise_to_fee_wallets(self) -> None:
        """Non-victim noise into the fee wallets: a friend's small non-round transfer."""
        rng, t0, span = self.rng, self.t0, self.span
        for fw in self.fee_wallets:
            u = rng.choice(self.tusers)
            amt = rng.randrange(5, 60) * USDT + rng.randrange(1, USDT)
            self.tat(
                t0 + timedelta(seconds=0.4 * span + rng.randrange(86400 * 5)),
                partial(self._send_if_funded, u["addr"], fw, amt),
            )

    def collect_smuggling_fees(self) -> None:
        """Smuggling clients pay the smuggler (round, larger sums)."""
        rng, tron, t0 = self.rng, self.tron, self.t0
        self.smug_rows: list[str] = []
        if self.smuggling:
            for k in range(rng.randrange(4, 7)):
                addr = tron.new_address()
                value = rng.choice([2500, 3000, 4000, 5000]) * USDT
                when = t0 + timedelta(days=30 + 9 * k + rng.random() * 5)
                self.tat(when, partial(self._smuggling_client_pays, addr, value))

    def _smuggling_client_pays(self, addr: str, value: int, when: datetime):
        tron = self.tron
        tron.send_trx(when - timedelta(hours=1), self.t_hot, addr, 2 * TRX)
        tron.send(when - timedelta(minutes=50), self.t_hot, addr, value)
        self.smug_rows.append(tron.send(when, addr, self.smuggling, value))

    def consolidate(self) -> None:
        """Three sweeps of the fee wallets into the ring's consolidation wallet."""
        t0, usdt_victims = self.t0, self.usdt_victims
        last_pay = (
            max(v.paid_utc for v in usdt_victims) if usdt_victims else t0 + timedelta(days=60)
        )
        first_pay = (
            min(v.paid_utc for v in usdt_victims) if usdt_victims else t0 + timedelta(days=30)
        )
        self.sweeps = [
            first_pay + (last_pay - first_pay) * f + timedelta(hours=30) for f in (0.35, 0.7, 1.0)
        ]
        for s in self.sweeps:
            self.tat(s, self._sweep_fee_wallets)

    def _sweep_fee_wallets(self, when: datetime):
        tron = self.tron
        for fw in self.fee_wallets:
            bal = tron.balance.get(fw, 0)
            if bal > 0:
                tron.send(
                    when + timedelta(minutes=self.rng.randrange(1, 30)), fw, self.consolidation, bal
                )

    def fuel_mules_from_gas_station(self) -> None:
        """The gas station activates and fee-funds the mules (a behavioural link)."""
        tron = self.tron
        self.gas = tron.new_address()
        mules = [w.address for w in self.wallets.get("mule", [])]
        mules += [tron.new_address() for _ in range(5 - len(mules))]
        self.mules = mules
        self.tat(self.t0 + timedelta(days=3), self._fuel_gas_station)
        for i, mu in enumerate(mules):
            self.tat(self.sweeps[0] - timedelta(days=1, hours=i), partial(self._activate_mule, mu))

    def _fuel_gas_station(self, when: datetime):
        return self.tron.send_trx(when, self.t_hot, self.gas, 800 * TRX)

    def _activate_mule(self, mule: str, when: datetime):
        self.tron.send_trx(when, self.gas, mule, 1 * TRX)
        self.tron.send_trx(when + timedelta(minutes=1), self.gas, mule, 30 * TRX)

    def pay_mules(self) -> None:
        """After each sweep, part of the consolidation goes to four mules, who cash out: two
        share the ring's exchange deposit address, one a near miss swept outside the window,
        one is frozen."""
        tron = self.tron
        self.dar_dep = self.t_dep_main  # two mules share the ring's exchange deposit address
        self.near_dep = tron.new_address()  # near-miss: swept outside the window
        self.other_dep = tron.new_address()
        self.mule_plan: dict[str, list[int]] = {}
        self.frozen = self.mules[4]
        for i, s in enumerate(self.sweeps):
            self.tat(s + timedelta(hours=6), partial(self._pay_mules, i))

    def _pay_mules(self, stage: int, when: datetime):
        tron, rng, mules = self.tron, self.rng, self.mules
        bal = tron.balance.get(self.consolidation, 0)
        if bal < 1000 * USDT:
            return
        portion = bal * 55 // 100
        share = portion // 4
        for i, mu in enumerate(mules[:4] if stage < 2 else mules[:2] + [mules[4]]):
            tron.send(when + timedelta(minutes=5 * i), self.consolidation, mu, share)
            self.mule_plan.setdefault(mu, []).append(share)
            keep = share * 2 // 100
            fw = when + timedelta(hours=2 + i, minutes=rng.randrange(50))
            if mu == self.frozen:
                continue
            dep = (
                self.dar_dep
                if mu in mules[:2]
                else (self.near_dep if mu == mules[3] else self.other_dep)
            )
            tron.send(fw, mu, dep, share - keep)
            lag = (
                timedelta(days=3)
                if (dep == self.near_dep and stage == 1)
                else timedelta(minutes=rng.randrange(10, 80))
            )
            tron.send(fw + lag, dep, self.t_hot, share - keep)

    def freeze_mule(self) -> None:
        """The issuer freezes one mule's wallet two days after the last sweep."""
        self.tat(self.sweeps[-1] + timedelta(days=2), self._freeze)

    def _freeze(self, when: datetime):
        self.tron.freezes.append(
            {
                "block": self.tron._block(when),
                "time_utc": _iso(when),
                "contract": USDT_CONTRACT,
                "address": self.frozen,
            }
        )

    def pay_otc_broker(self) -> None:
        """The OTC swap: the rest of the consolidation goes to the OTC broker, who pays
        bitcoin minutes later (scheduled in :meth:`run_schedules`, once the USDT amount is
        known); the ring cashes the bitcoin out at the exchange."""
        chain = self.chain
        self.swap: dict = {}
        self.ring_btc = chain.new_address("p2wpkh")
        self.swap_time = self.sweeps[-1] + timedelta(days=1, hours=3)
        self.tat(self.swap_time, self._otc_receives_usdt)
        # a decoy BTC payment by the broker to someone else, shortly before
        self.at(self.swap_time - timedelta(minutes=50), self._broker_pays_someone_else)
        self.ring_deposit = chain.new_address("p2wpkh")
        self.exchange_deposits.append(self.ring_deposit)

    def _otc_receives_usdt(self, when: datetime):
        tron, swap = self.tron, self.swap
        bal = tron.balance.get(self.consolidation, 0)
        amount = bal // USDT * USDT
        if amount <= 0:
            return
        swap["usdt_tx"] = tron.send(when, self.consolidation, self.otc, amount)
        swap["usdt"] = amount
        swap["time"] = when
        tron.send(when + timedelta(minutes=25), self.otc, self.t_hot, amount)  # broker cashes in

    def _broker_pays_someone_else(self):
        chain = self.chain
        return chain.spend(
            chain.select([self.otc_btc], 30_000_000),
            [(chain.new_address("p2wpkh"), 21_000_000)],
            change=self.otc_btc,
        )

    def _otc_pays_bitcoin(self):
        chain, swap = self.chain, self.swap
        usd = swap["usdt"] // USDT
        sat = usd * 985 // 1000 * SAT // _rate(swap["time"])
        txid = chain.spend(
            chain.select([self.otc_btc], sat + 50_000), [(self.ring_btc, sat)], change=self.otc_btc
        )
        swap["btc_tx"] = txid
        swap["sat"] = sat
        return txid

    def _ring_cashes_out(self):
        chain = self.chain
        ops = chain.utxos_of(self.ring_btc)
        if not ops:
            return None
        total = sum(chain.utxo[o][1] for o in ops)
        return chain.spend(ops, [(self.ring_deposit, total - 1_800)], fee=1_800)

    # =========================================================================================
    # Later chapters (own random stream)
    # =========================================================================================
    def plant_whirlpool_round(self) -> None:
        """Five ordinary users pay themselves exact pool coins (tx0), then mix them in a
        Whirlpool-like 5x5 round: five equal outputs and no change. The BlockSci rule misses
        it; the equal-output rule flags it. A second CoinJoin, unrelated to the vendor."""
        when = self.t0 + timedelta(seconds=0.3 * self.span)
        self.whirlpool: dict = {}
        self.at(when, self._whirlpool_tx0s)
        self.at(when + timedelta(hours=1), self._whirlpool_round)

    def _whirlpool_tx0s(self):
        chain = self.chain
        pool = [
            u
            for u in self.users
            if u not in self.buyers and sum(chain.balance(a) for a in u["addrs"]) > 1_200_000
        ]
        premix = []
        for u in self.rng2.sample(pool, min(len(pool), 7)):
            a = chain.new_address("p2wpkh")
            if self._user_pays(u, a, 1_005_000):
                premix.append(a)
            if len(premix) == 5:
                break
        self.whirlpool["premix"] = premix

    def _whirlpool_round(self):
        chain = self.chain
        premix = self.whirlpool.get("premix", [])
        if len(premix) < 5:
            return None
        ops = [chain.utxos_of(a)[0] for a in premix]
        txid = chain.spend(
            ops, [(chain.new_address("p2wpkh"), 1_000_000) for _ in ops], fee=5_000 * len(ops)
        )
        self.whirlpool["txid"] = txid
        return txid

    def broker_pays_a_near_match(self) -> None:
        """A harder decoy for the OTC match: 70 minutes before the USDT arrives, the broker pays
        another customer about 2.5 % off the ring's dollar amount. Inside the two-hour block-time
        slack and within 3 %, so only the closer amount (and the order of events) decides."""
        self.near_match: dict = {}
        self.at(self.swap_time - timedelta(minutes=70), self._broker_near_match)

    def _broker_near_match(self):
        chain, swap = self.chain, self.swap
        if not swap.get("usdt"):
            return None
        sat = swap["usdt"] // USDT * 1025 // 1000 * SAT // _rate(swap["time"])
        txid = chain.spend(
            chain.select([self.otc_btc], sat + 50_000),
            [(chain.new_address("p2wpkh"), sat)],
            change=self.otc_btc,
        )
        self.near_match = {"txid": txid, "sat": sat}
        return txid

    def cash_out_smuggling_fees(self) -> None:
        """The smuggling cell's clients bought USDT on the exchange (its P2P desk: paid in PKR
        by mobile wallet to a P2P seller, then withdrew); the smuggler's wallet passes the fees
        to the money agent (saraf), who deposits them at the exchange, swept to the hot wallet."""
        self.money_agent = self.tron.new_address()
        self.agent_deposit = self.tron.new_address()
        self.smug_cashout: dict = {}
        if not self.smuggling:
            return
        last = self.t0 + timedelta(days=30 + 9 * 6 + 6)
        self.smug_cashout_time = last + timedelta(hours=self.rng2.randrange(6, 30))
        self.tat(self.smug_cashout_time, self._smuggler_pays_agent)

    def _smuggler_pays_agent(self, when: datetime):
        tron, rng = self.tron, self.rng2
        bal = tron.balance.get(self.smuggling, 0)
        if bal <= 0:
            return
        tron.send_trx(when - timedelta(hours=2), self.t_hot, self.smuggling, 40 * TRX)
        first = bal * 6 // 10 // USDT * USDT
        h1 = tron.send(when, self.smuggling, self.money_agent, first)
        h2 = tron.send(when + timedelta(hours=5), self.smuggling, self.money_agent, bal - first)
        keep = bal * 3 // 100
        dep_at = when + timedelta(hours=7, minutes=rng.randrange(60))
        h3 = tron.send(dep_at, self.money_agent, self.agent_deposit, bal - keep)
        h4 = tron.send(
            dep_at + timedelta(minutes=rng.randrange(10, 60)),
            self.agent_deposit,
            self.t_hot,
            bal - keep,
        )
        self.smug_cashout = {"to_agent": [h1, h2], "deposit_tx": h3, "sweep_tx": h4, "amount": bal}

    def poison_smuggler_history(self) -> None:
        """Address poisoning: right after the smuggler's first payment to the money agent, a
        look-alike address (same first six and last two characters) sends the smuggler a dust
        transfer, so that a careless copy from the history pays the poisoner."""
        self.poison: dict = {}
        if self.smuggling:
            self.tat(self.smug_cashout_time + timedelta(minutes=7), self._send_poison_dust)

    def _send_poison_dust(self, when: datetime):
        if not self.smug_cashout:
            return
        fake = lookalike_tron(self.rng2, self.money_agent)
        self.tron.send_trx(when - timedelta(minutes=3), self.t_hot, fake, 5 * TRX)
        self.tron.send(when - timedelta(minutes=2), self.t_hot, fake, 10 * USDT)
        h = self.tron.send(when, fake, self.smuggling, 1)  # 0.000001 USDT of dust
        self.poison = {"address": fake, "tx_hash": h, "imitates": self.money_agent}

    # =========================================================================================
    # EVM chain and bridge (third random stream)
    # =========================================================================================
    def open_bridge(self) -> None:
        """A cross-chain bridge: one TRON deposit (vault) address, one release wallet on the EVM
        chain that pays out the amount minus the published fee a few minutes later. Thirty
        unrelated customers use it, so the ring's hop has to be picked out by amount and time."""
        rng = self.rng3
        self.evm = EvmChain(rng, seed=f"{self.world.seed}", start=self.t0)
        self.bridge_tron = ids.tron_address(rng)
        self.bridge_release = self.evm.new_address()
        self.evm.send(
            self.t0, self.evm.new_address(), self.bridge_release, 3_000_000 * USDT, mint=True
        )
        self.bridge: dict = {"ring": {}, "agent": {}}
        for _ in range(30):
            when = self.t0 + timedelta(seconds=rng.uniform(0.05, 0.97) * self.span)
            u = rng.choice(self.tusers)
            amt = rng.randrange(50, 2500) * USDT + rng.randrange(USDT)
            dest = self.evm.new_address()
            delay = timedelta(minutes=rng.randrange(3, 16))
            self.tat(when, partial(self._bridge_customer, u["addr"], amt, dest, delay))

    def _bridge_release(self, when: datetime, amount: int, dest: str) -> str:
        out = amount - amount * BRIDGE_FEE_PERMILLE // 1000
        return self.evm.send(when, self.bridge_release, dest, out)

    def _bridge_customer(self, frm, amount, dest, delay, when):
        if self.tron.balance.get(frm, 0) < amount:  # withdrawn from the exchange for the purpose
            self.tron.send(when - timedelta(minutes=20), self.t_hot, frm, amount)
        self.tron.send(when, frm, self.bridge_tron, amount)
        h = self._bridge_release(when + delay, amount, dest)
        if self.rng3.random() < 0.6:  # many customers move on at once on the far side
            out = self.evm.balance.get(dest, 0)
            self.evm.send(when + delay * 3, dest, self.evm.new_address(), out)
        return h

    def ring_bridges_to_evm(self) -> None:
        """Twelve hours after the last sweep, the consolidation wallet sends 35 % of what it
        holds to the bridge; the bridge releases it on the EVM chain to a fresh ring wallet,
        which forwards most of it within the hour to a second wallet that holds it (the freeze
        target: it has not moved by the end of the export). Two minutes before, another
        customer bridged a similar amount: a decoy release that fits in time, not in fee."""
        rng = self.rng3
        self.ring_evm = self.evm.new_address()
        self.ring_evm_hold = self.evm.new_address()
        self.ring_bridge_time = self.sweeps[-1] + timedelta(hours=12, minutes=rng.randrange(40))
        self.decoy_evm = self.evm.new_address()
        self.tat(self.ring_bridge_time - timedelta(minutes=2), self._bridge_decoy)
        self.tat(self.ring_bridge_time, self._ring_bridge)

    def _bridge_decoy(self, when: datetime):
        bal = self.tron.balance.get(self.consolidation, 0)
        amount = bal * 35 // 100 // USDT * USDT * 985 // 1000 + 137_000
        src = next(
            (u["addr"] for u in self.tusers if self.tron.balance.get(u["addr"], 0) >= amount), None
        )
        if src is None:  # a customer topped up from the exchange for the purpose
            src = ids.tron_address(self.rng3)
            self.tron.send(when - timedelta(minutes=30), self.t_hot, src, amount)
        self.tron.send(when, src, self.bridge_tron, amount)
        self.bridge["decoy"] = self._bridge_release(
            when + timedelta(minutes=7), amount, self.decoy_evm
        )

    def _ring_bridge(self, when: datetime):
        tron, evm, rng = self.tron, self.evm, self.rng3
        bal = tron.balance.get(self.consolidation, 0)
        amount = bal * 35 // 100 // USDT * USDT
        if amount <= 0:
            return
        h = tron.send(when, self.consolidation, self.bridge_tron, amount)
        rel_at = when + timedelta(minutes=rng.randrange(4, 12))
        rel = self._bridge_release(rel_at, amount, self.ring_evm)
        got = amount - amount * BRIDGE_FEE_PERMILLE // 1000
        fwd = got * 97 // 100
        fwd_at = rel_at + timedelta(minutes=rng.randrange(20, 50))
        f = evm.send(fwd_at, self.ring_evm, self.ring_evm_hold, fwd)
        self.bridge["ring"] = {
            "tron_tx": h,
            "amount": amount,
            "release_tx": rel,
            "released": got,
            "evm_wallet": self.ring_evm,
            "forward_tx": f,
            "hold_wallet": self.ring_evm_hold,
            "held": fwd,
            "time": when,
        }

    def poison_ring_history(self) -> None:
        """Address poisoning on the exercise thread: minutes after the ring paid the bridge, a
        look-alike of the bridge's deposit address (same first six and last two characters)
        sends the consolidation wallet dust."""
        self.ring_poison: dict = {}
        self.tat(self.ring_bridge_time + timedelta(minutes=9), self._send_ring_dust)

    def _send_ring_dust(self, when: datetime):
        if not self.bridge["ring"]:
            return
        fake = lookalike_tron(self.rng3, self.bridge_tron)
        self.tron.send_trx(when - timedelta(minutes=4), self.t_hot, fake, 5 * TRX)
        self.tron.send(when - timedelta(minutes=3), self.t_hot, fake, 10 * USDT)
        h = self.tron.send(when, fake, self.consolidation, 1)  # 0.000001 USDT of dust
        self.ring_poison = {"address": fake, "tx_hash": h, "imitates": self.bridge_tron}

    def agent_bridges_to_evm(self) -> None:
        """The lesson's thread: an hour after his exchange deposit, the money agent bridges what
        he kept to his own EVM wallet, which still holds it."""
        self.agent_evm = self.evm.new_address()
        if self.smuggling:
            self.tat(self.smug_cashout_time + timedelta(hours=9), self._agent_bridge)

    def _agent_bridge(self, when: datetime):
        bal = self.tron.balance.get(self.money_agent, 0)
        amount = bal // USDT * USDT
        if amount <= 0:
            return
        h = self.tron.send(when, self.money_agent, self.bridge_tron, amount)
        rel = self._bridge_release(when + timedelta(minutes=6), amount, self.agent_evm)
        self.bridge["agent"] = {
            "tron_tx": h,
            "amount": amount,
            "release_tx": rel,
            "evm_wallet": self.agent_evm,
        }

    # =========================================================================================
    # Both schedules, the ground truth
    # =========================================================================================
    def run_schedules(self) -> None:
        """TRON first (the broker's bitcoin leg needs the USDT amount), then bitcoin."""
        for when, _, fn in sorted(self.tron_events, key=lambda e: (e[0], e[1])):
            fn(when)
        btc_leg = self._otc_pays_bitcoin
        self.at(self.swap_time + timedelta(minutes=8), btc_leg)
        self.at(self.swap_time + timedelta(hours=9), self._ring_cashes_out)
        # a quiet spell on the bitcoin side around the swap, so that the broker's payment is the
        # only candidate a careful analyst finds (other transactions wait until after it)
        q0, q1 = self.swap_time - timedelta(minutes=10), self.swap_time + timedelta(hours=3)
        self.events = [
            (q1 if q0 <= when < q1 and fn is not btc_leg else when, k, fn)
            for when, k, fn in self.events
        ]
        for when, _, fn in sorted(self.events, key=lambda e: (e[0], e[1])):
            self.chain.at(when)
            try:
                fn()
            except ValueError:
                pass  # a background payment without funds is skipped

    def check_planted_patterns(self) -> None:
        """Raise if a planted pattern did not happen (a seed the generator cannot serve)."""
        cons, peel, swap = self.cons, self.peel, self.swap
        for name, ok in (
            ("vendor consolidation", cons.get("c1") and cons.get("c2")),
            ("CoinJoin", cons.get("cj")),
            ("peel chain", len(peel["txids"]) >= 8),
            ("mixer", peel.get("mixer_tx")),
            ("OTC swap", swap.get("btc_tx")),
            ("change fixtures", self.fixtures.get("easy") and self.fixtures.get("ambiguous")),
            ("equal-output decoy", self.decoy.get("batch")),
            ("Whirlpool-like round", self.whirlpool.get("txid")),
            ("OTC near match", self.near_match.get("txid")),
            ("smuggling cash-out", self.smug_cashout or not self.smuggling),
            ("poisoning dust", self.poison or not self.smuggling),
            ("ring's bridge hop", self.bridge["ring"]),
            ("bridge decoy", self.bridge.get("decoy")),
            ("ring poisoning dust", self.ring_poison),
            ("agent's bridge hop", self.bridge["agent"] or not self.smuggling),
        ):
            if not ok:
                raise RuntimeError(f"crypto view: the planted {name} did not happen")

    def tables(self) -> dict:
        """The two ledgers' tables, the address tags and the ground truth."""
        chain, tron, cons, peel, gt = self.chain, self.tron, self.cons, self.peel, self.gt
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
        gt["equal_batch_decoy"] = self.decoy.get("batch")
        gt["peel_txids"] = peel["txids"]
        gt["peel_destinations"] = peel["peels"]
        gt["peel_first_exchange_deposit"] = self.btc_deposit
        gt["peel_start"] = peel["txids"][0] if peel["txids"] else None
        gt["mixer_deposit"] = self.mixer_deposit
        gt["mixer_tx"] = peel.get("mixer_tx")
        gt["change_easy"] = self.fixtures.get("easy")
        gt["change_ambiguous"] = self.fixtures.get("ambiguous")
        gt["sales"] = [
            {"time_utc": _iso(w), "to": a, "sat": s, "usd": usd} for w, _, a, s, usd in self.sales
        ]
        gt["btc_exchange"] = {
            "hot": self.exch_hot,
            "cold": self.exch_cold,
            "deposits": [self.btc_deposit, self.second_deposit, self.ring_deposit],
        }
        gt["victim_payments"] = self.victim_rows
        gt["smuggling_payments"] = self.smug_rows
        gt["fee_wallets"] = self.fee_wallets
        gt["consolidation"] = self.consolidation
        gt["gas_station"] = self.gas
        gt["mules"] = self.mules
        gt["dar_deposit"] = self.dar_dep
        gt["dar_mules"] = self.mules[:2]
        gt["near_miss_deposit"] = self.near_dep
        gt["frozen"] = self.frozen
        gt["otc"] = self.otc
        gt["swap"] = {k: (_iso(v) if isinstance(v, datetime) else v) for k, v in self.swap.items()}
        gt["ring_btc"] = self.ring_btc
        gt["whirlpool_round"] = self.whirlpool.get("txid")
        gt["otc_near_match"] = self.near_match.get("txid")
        gt["smuggler_wallet"] = self.smuggling
        gt["money_agent"] = self.money_agent
        gt["agent_deposit"] = self.agent_deposit
        gt["smuggling_cashout"] = self.smug_cashout
        gt["poison"] = self.poison
        gt["bridge"] = {
            "tron_deposit": self.bridge_tron,
            "evm_release": self.bridge_release,
            "fee_permille": BRIDGE_FEE_PERMILLE,
            "ring": {
                k: (_iso(v) if isinstance(v, datetime) else v)
                for k, v in self.bridge["ring"].items()
            },
            "agent": self.bridge["agent"],
            "decoy_release": self.bridge.get("decoy"),
        }
        gt["ring_poison"] = self.ring_poison
        gt["tron_exchange"] = {
            "hot": self.t_hot,
            "cold": self.t_cold,
            "main_deposit": self.t_dep_main,
        }
        tags = _tags(
            self.world,
            self.exch_hot,
            self.exch_cold,
            self.mixer_deposit,
            self.vendor_w,
            self.t_hot,
            self.t_cold,
            self.fee_wallets,
            self.otc,
            self.rng,
        )
        return {
            "btc": {"txs": chain.txs, "inputs": chain.inputs, "outputs": chain.outputs},
            "tron": {
                "trc20": tron.sorted_transfers(),
                "trx": sorted(tron.trx, key=lambda r: (r["block"], r["tx_hash"])),
                "freezes": tron.freezes,
            },
            "evm": {"erc20": self.evm.sorted_transfers()},
            "tags": tags + _bridge_tags(self.world, self.bridge_tron, self.bridge_release),
            "gt": gt,
        }


def lookalike_tron(rng: random.Random, target: str, prefix: int = 6, suffix: int = 2) -> str:
    """A valid TRON address that shares its first ``prefix`` and last ``suffix`` characters
    with ``target`` (what an address poisoner grinds for; wallets show only the ends).

    The leading characters follow from the leading bytes, so the body starts with the target's
    first bytes; the last characters are part of the checksum, so they are ground for.

        >>> t = ids.tron_address(random.Random(3))
        >>> f = lookalike_tron(random.Random(4), t)
        >>> f != t and f[:6] == t[:6] and f[-2:] == t[-2:]
        True
    """
    from ..reference.addresses import b58decode

    body = b58decode(target)[1:21]
    for _ in range(200_000):
        cand = ids.base58check(b"\x41" + body[:5] + rng.randbytes(15))
        if (
            cand[:prefix] == target[:prefix]
            and cand[-suffix:] == target[-suffix:]
            and cand != target
        ):
            return cand
    raise RuntimeError(f"no look-alike found for {target}")


def _bridge_tags(world, tron_deposit: str, evm_release: str) -> list[dict]:
    d = world.now.date()
    return [
        {
            "address": tron_deposit,
            "chain": "tron",
            "label": "RiverHop Bridge (fictional; TRON deposit vault)",
            "category": "bridge",
            "abuse": "",
            "source": "bridge's published contract and vault list",
            "confidence": "high",
            "lastmod": str(d - timedelta(days=30)),
        },
        {
            "address": evm_release,
            "chain": "evm",
            "label": "RiverHop Bridge (fictional; EVM release wallet)",
            "category": "bridge",
            "abuse": "",
            "source": "bridge's published contract and vault list",
            "confidence": "high",
            "lastmod": str(d - timedelta(days=30)),
        },
        {
            "address": USDT_EVM_CONTRACT,
            "chain": "evm",
            "label": "Tether USD (USDT) contract on Ethereum",
            "category": "service",
            "abuse": "",
            "source": "issuer's published contract list",
            "confidence": "high",
            "lastmod": str(d - timedelta(days=100)),
        },
    ]


def _topup(chain: UtxoChain, hot: str, user: dict, amount: int, direct: bool = False):
    """An exchange withdrawal to the user's current address."""

    def fn():
        if chain.balance(hot) < amount + 100_000:
            return None
        return chain.spend(
            chain.select([hot], amount + 100_000), [(user["addrs"][-1], amount)], change=hot
        )

    return fn


def _tags(
    world, exch_hot, exch_cold, mixer_deposit, vendor_w, t_hot, t_cold, fee_wallets, otc, rng
):
    exch = next(o for o in world.organisations if o.kind == "exchange")
    otc_org = next(o for o in world.organisations if o.kind == "otc_broker")
    first_report = min(
        (v for v in world.victims if v.fee_method == "usdt"), key=lambda v: v.paid_utc, default=None
    )
    d = world.now.date()
    rows = [
        {
            "address": exch_hot,
            "chain": "btc",
            "label": exch.name,
            "category": "exchange",
            "abuse": "",
            "source": f"{exch.name} proof-of-reserves page",
            "confidence": "high",
            "lastmod": str(d - timedelta(days=40)),
        },
        {
            "address": exch_cold,
            "chain": "btc",
            "label": exch.name,
            "category": "exchange",
            "abuse": "",
            "source": f"{exch.name} proof-of-reserves page",
            "confidence": "high",
            "lastmod": str(d - timedelta(days=40)),
        },
        {
            "address": t_hot,
            "chain": "tron",
            "label": exch.name,
            "category": "exchange",
            "abuse": "",
            "source": f"{exch.name} proof-of-reserves page",
            "confidence": "high",
            "lastmod": str(d - timedelta(days=40)),
        },
        {
            "address": t_cold,
            "chain": "tron",
            "label": exch.name,
            "category": "exchange",
            "abuse": "",
            "source": f"{exch.name} proof-of-reserves page",
            "confidence": "high",
            "lastmod": str(d - timedelta(days=40)),
        },
        {
            "address": mixer_deposit,
            "chain": "btc",
            "label": "FogBank mixer",
            "category": "mixing_service",
            "abuse": "",
            "source": "forum post offering the service (archived)",
            "confidence": "medium",
            "lastmod": str(d - timedelta(days=12)),
        },
        {
            "address": vendor_w,
            "chain": "btc",
            "label": "document vendor (forum ad)",
            "category": "shop",
            "abuse": "migrant_smuggling",
            "source": "payment address in a forged-visa ad (module 04 capture)",
            "confidence": "medium",
            "lastmod": str(d - timedelta(days=9)),
        },
        {
            "address": otc,
            "chain": "tron",
            "label": otc_org.name,
            "category": "service",
            "abuse": "",
            "source": "OTC desk advert on a messaging channel",
            "confidence": "medium",
            "lastmod": str(d - timedelta(days=20)),
        },
        {
            "address": USDT_CONTRACT,
            "chain": "tron",
            "label": "Tether USD (USDT) contract",
            "category": "service",
            "abuse": "",
            "source": "issuer's published contract list",
            "confidence": "high",
            "lastmod": str(d - timedelta(days=100)),
        },
    ]
    if first_report is not None:
        rows.append(
            {
                "address": fee_wallets[0],
                "chain": "tron",
                "label": "recruiter fee wallet (victim statement)",
                "category": "user",
                "abuse": "human_trafficking",
                "source": "victim statement, case file",
                "confidence": "medium",
                "lastmod": str(d - timedelta(days=5)),
            }
        )
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
    prev = np.full((n_tx, 2), -1, dtype=np.int64)  # global output ids (tx*2 + vout)
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
    values[: 2 * n_fund] = rng.integers(10_000_000, 500_000_000, 2 * n_fund)
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
    addr_text = [
        ids.segwit_address("bc", 0, hashlib.sha256(f"bench/{seed}/{a}".encode()).digest()[:20])
        for a in range(n_addr)
    ]
    txid_text = [hashlib.sha256(f"bench/{seed}/tx/{i}".encode()).hexdigest() for i in range(n_tx)]
    # identifiers are dictionary-encoded (categoricals): stored once, referenced by integer code
    tx_cats = pd.Index(txid_text)
    addr_cats = pd.Index(addr_text)

    def txcol(codes):
        return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(tx_cats))

    def addrcol(codes):
        return pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(addr_cats))

    heights = 800_000 + np.arange(n_tx) // 3000
    txs = pd.DataFrame(
        {
            "txid": txcol(np.arange(n_tx)),
            "height": heights,
            "idx_in_block": np.arange(n_tx) % 3000,
            "time_utc": pd.Timestamp("2026-01-01", tz="UTC")
            + pd.to_timedelta((heights - 800_000) * 600, unit="s"),
            "locktime": 0,
            "fee": fees,
            "is_coinbase": np.arange(n_tx) < n_fund,
        }
    )
    out_ids = np.arange(2 * n_tx)
    outputs = pd.DataFrame(
        {
            "txid": txcol(out_ids // 2),
            "vout": out_ids % 2,
            "address": addrcol(addr_of_out),
            "value": values,
            "script_type": "p2wpkh",
        }
    )
    in_tx, in_k = np.nonzero(prev >= 0)
    p = prev[in_tx, in_k]
    inputs = pd.DataFrame(
        {
            "txid": txcol(in_tx),
            "vin": in_k,
            "prev_txid": txcol(p // 2),
            "prev_vout": p % 2,
            "address": addrcol(addr_of_out[p]),
            "value": values[p],
        }
    )
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


# =============================================================================================
# Toy ledgers for the lesson (built with the same builder, so they obey every ledger rule)
# =============================================================================================


def _toy_frames(build) -> dict:
    import pandas as pd

    c = UtxoChain(random.Random(5), seed="lesson")
    build(c)
    return {
        k: pd.DataFrame(v)
        for k, v in {"txs": c.txs, "inputs": c.inputs, "outputs": c.outputs}.items()
    }


def _multi_party(c: UtxoChain, coins, outs) -> None:
    """One transaction signed by the owners of ``coins`` (each from its own coinbase)."""
    ops = [(c.coinbase(c.new_address(), v), 0) for v in coins]
    c.advance(700)
    c.spend(ops, [(c.new_address(), v) for v in outs], fee=sum(coins) - sum(outs))


def toy_coinjoin_forms() -> tuple[dict, list[str]]:
    """A toy ledger with one transaction of each shape the lesson compares — JoinMarket-like,
    Whirlpool 5x5, WabiSabi-like, a PayJoin and an exchange batch payout — as ledger frames
    (for :func:`osintlab.crypto.load_utxo`) and the names of the shapes, in chain order.

        >>> frames, names = toy_coinjoin_forms()
        >>> len(names), int((~frames["txs"]["is_coinbase"]).sum())
        (5, 5)
    """

    def build(c):
        _multi_party(
            c,
            [1_300_000 + 10_000 * i for i in range(5)],
            [1_000_000] * 5 + [240_000 + 10_000 * i for i in range(4)],
        )
        _multi_party(c, [1_050_000] * 5, [1_000_000] * 5)
        _multi_party(
            c,
            [2_300_000] * 7,
            [5_000_000] * 2
            + [2_000_000] * 3
            + [1_000_000] * 3
            + [500_000] * 2
            + [200_000] * 2
            + [137_000],
        )
        _multi_party(c, [900_000, 400_000], [700_000, 580_000])
        hot = c.new_address()
        cb = c.coinbase(hot, 50_000_000)
        c.advance(700)
        c.spend([(cb, 0)], [(c.new_address(), 1_000_000) for _ in range(5)], change=hot)

    names = ["JoinMarket-like", "Whirlpool 5x5", "WabiSabi-like", "PayJoin", "exchange batch"]
    return _toy_frames(build), names


def toy_peel_chain(hops: int = 6) -> dict:
    """A toy peel chain: 2 BTC, then ``hops`` transactions that each peel 4 %, 5 %, ... off to a
    payee and send the rest to a fresh change address (the change output's position varies,
    as wallets shuffle outputs). Ledger frames for :func:`osintlab.crypto.load_utxo`.

        >>> int((~toy_peel_chain()["txs"]["is_coinbase"]).sum())
        6
    """

    def build(c):
        src = c.new_address()
        cb = c.coinbase(src, 200_000_000)
        op, cur = (cb, 0), 200_000_000
        for hop in range(hops):
            c.advance(3600)
            amount = cur * (4 + hop) // 100
            change = c.new_address()
            t = c.spend(
                [op],
                [(c.new_address("p2pkh"), amount)],
                change=change,
                fee=2_000,
                change_first=hop % 2 == 1,
            )
            cur -= amount + 2_000
            op = (t, 0 if hop % 2 == 1 else 1)

    return _toy_frames(build)
