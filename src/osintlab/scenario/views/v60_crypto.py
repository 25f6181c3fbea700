"""View: module 06 (cryptocurrency tracing of recruitment fees and smuggling payments).

A bitcoin-like UTXO ledger and a USDT-on-TRON-like token ledger (``scenario.ledgers``) with the
case's planted patterns, partial attribution tags, the victims' statements, and an address list
from "intelligence" with corrupted entries. Answers go into salted keys only.
"""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from ...scenario.gazetteer import PLACES
from .. import identifiers as ids
from ..ledgers import USDT, case_ledgers

SECTION = "crypto"

BTC_TXS = {
    "txid": "transaction id (64 hex characters; synthetic)",
    "height": "block height",
    "idx_in_block": "position of the transaction in its block (chain order = height, then this)",
    "time_utc": "block time (UTC)",
    "locktime": "nLockTime (Core-like wallets set it to the current height)",
    "fee": "fee in satoshi (inputs minus outputs)",
    "is_coinbase": "True for a block reward (no inputs)",
}
BTC_INPUTS = {
    "txid": "spending transaction",
    "vin": "input index (order matters for FIFO)",
    "prev_txid": "transaction whose output is spent",
    "prev_vout": "index of the spent output",
    "address": "address that held the spent output",
    "value": "value of the spent output in satoshi (integer)",
}
BTC_OUTPUTS = {
    "txid": "transaction",
    "vout": "output index (order matters for FIFO)",
    "address": "receiving address (Base58Check or bech32/bech32m)",
    "value": "value in satoshi (integer; 100,000,000 sat = 1 BTC)",
    "script_type": "p2pkh, p2sh, p2wpkh, p2wsh or p2tr",
}
TRC20 = {
    "tx_hash": "transaction hash (synthetic)",
    "block": "block number (about one block every 3 seconds)",
    "time_utc": "block time (UTC)",
    "log_index": "position of the Transfer event in its block",
    "contract": "token contract (the USDT contract id)",
    "tx_signer": "account that signed and paid the energy for the transaction",
    "from": "sender (TRON Base58Check, starts with T)",
    "to": "receiver",
    "value": "amount in base units (USDT has 6 decimals: 1,500,000,000 = 1,500 USDT)",
}
TRX = {
    "tx_hash": "transaction hash", "block": "block number", "time_utc": "block time (UTC)",
    "from": "sender", "to": "receiver (the first TRX an account receives activates it)",
    "amount": "TRX in sun (6 decimals)",
}


def build(world, writer) -> None:
    writer.section(SECTION, "Module 06: a bitcoin-like UTXO ledger and a USDT-on-TRON-like "
                   "token ledger (synthetic; addresses are valid encodings of random hashes "
                   "and TRON addresses look like mainnet ones, so never look them up on a "
                   "live explorer), attribution tags, the victims' statements and an "
                   "intelligence address list. Values are integers in base units.")
    led = case_ledgers(world)
    gt = led["gt"]
    t_types = {"height": "int", "idx_in_block": "int", "time_utc": "datetime_utc",
               "locktime": "int", "fee": "int", "is_coinbase": "bool"}
    writer.write_csv("crypto/btc/txs.csv", led["btc"]["txs"], BTC_TXS, types=t_types,
                     doc="Bitcoin-like transactions in chain order.")
    writer.write_csv("crypto/btc/inputs.csv", led["btc"]["inputs"], BTC_INPUTS,
                     types={"vin": "int", "prev_vout": "int", "value": "int"},
                     doc="Transaction inputs: each spends one earlier output.")
    writer.write_csv("crypto/btc/outputs.csv", led["btc"]["outputs"], BTC_OUTPUTS,
                     types={"vout": "int", "value": "int"},
                     doc="Transaction outputs (who received how much).")
    writer.write_csv("crypto/tron/trc20_transfers.csv", led["tron"]["trc20"], TRC20,
                     types={"block": "int", "time_utc": "datetime_utc", "log_index": "int",
                            "value": "int"},
                     doc="USDT (TRC-20-like) Transfer events, in chain order.")
    writer.write_csv("crypto/tron/trx_transfers.csv", led["tron"]["trx"], TRX,
                     types={"block": "int", "time_utc": "datetime_utc", "amount": "int"},
                     doc="TRX transfers: account activation and energy/bandwidth (gas) funding.")
    writer.write_csv("crypto/tron/freezes.csv", led["tron"]["freezes"],
                     {"block": "block number", "time_utc": "time (UTC)",
                      "contract": "token contract", "address": "address frozen by the issuer "
                      "(it can no longer send the token)"},
                     types={"block": "int", "time_utc": "datetime_utc"},
                     doc="Issuer freeze (blacklist) events.")
    writer.write_csv("crypto/tags.csv", led["tags"],
                     {"address": "tagged address", "chain": "btc or tron",
                      "label": "who the source says controls it",
                      "category": "INTERPOL DW-VA entity category (exchange, "
                      "mixing_service, shop, service, user)",
                      "abuse": "abuse type if any (human_trafficking and migrant_smuggling "
                      "extend the taxonomy)",
                      "source": "where the tag comes from (quote this, not the label)",
                      "confidence": "the source's reliability as assessed by the analyst",
                      "lastmod": "date the tag was last checked"},
                     doc="Attribution tags (TagPack-like). Only a few addresses are tagged.")
    _rates(world, writer)
    _intake(world, writer, led)
    _intel_list(world, writer, led)
    _keys(world, writer, led)


def _rates(world, writer):
    from datetime import datetime, timezone
    from ..ledgers import _rate
    day = datetime.combine(world.start, datetime.min.time(), timezone.utc) - timedelta(days=21)
    rows = []
    while day.date() <= world.now.date():
        rows.append({"date": f"{day:%Y-%m-%d}", "usd_per_btc": _rate(day + timedelta(hours=12))})
        day += timedelta(days=1)
    writer.write_csv("crypto/btc_usd_daily.csv", rows,
                     {"date": "UTC date", "usd_per_btc": "reference rate at noon UTC (US "
                      "dollars per bitcoin; synthetic)"}, types={"usd_per_btc": "int"},
                     doc="Daily BTC/USD reference rate, to compare amounts across chains.")


def _intake(world, writer, led):
    gt = led["gt"]
    victims = {v.victim_id: v for v in world.victims}
    statements = []
    for row in gt["victim_payments"]:
        v = victims[row["victim_id"]]
        local = v.paid_utc.astimezone(ZoneInfo(PLACES[v.place].tz))
        statements.append({
            "victim_id": v.victim_id, "place": v.place,
            "said": f"I paid {v.fee_amount:,} USDT 'visa processing fee' from my own wallet "
                    f"on {local:%d %B %Y} around {local:%H:%M} local time to the address the "
                    "agent sent me on WhatsApp.",
            "paid_to": row["to"], "date_local": f"{local:%Y-%m-%d}", "amount_usdt": v.fee_amount,
        })
    easy, _ = gt["change_easy"]
    intake = {
        "case_ref": world.case_ref,
        "victim_statements": statements,
        "document_vendor_ad_address": next(w.address for w in world.wallets
                                           if w.role == "document_sales"),
        "exchange": next(o.name for o in world.organisations if o.kind == "exchange"),
        "otc_broker": next(o.name for o in world.organisations if o.kind == "otc_broker"),
        "ring_consolidation_wallet_from_phone": gt["consolidation"],
        "change_check_txids": sorted([easy, gt["change_ambiguous"]]),
        "note": "Statements give local times (Pakistan UTC+5, Bangladesh UTC+6); the ledgers "
                "are in UTC. The consolidation wallet was found on a seized phone (module 07).",
    }
    writer.write_json("crypto/case_intake.json", intake,
                      doc="Starting points: victims' statements (which address they paid, "
                          "when, how much), the vendor's advertised bitcoin address, the "
                          "ring's consolidation wallet from a seized phone, and two transactions "
                          "whose change output a colleague asks about.")


def _corrupt_b58(rng, address):
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    from ... import crypto
    for _ in range(50):
        i = rng.randrange(5, len(address) - 1)
        ch = rng.choice([c for c in alphabet if c != address[i]])
        out = address[:i] + ch + address[i + 1:]
        if crypto.address_type(out) is None:
            return out
    raise RuntimeError("could not corrupt address")


def _bech32m_on_v0(program: bytes) -> str:
    from ... import crypto
    data = [0] + crypto._convertbits(program, 8, 5, True)
    poly = crypto._polymod(crypto._hrp_expand("bc") + data + [0] * 6) ^ crypto._BECH32M_CONST
    chk = [(poly >> 5 * (5 - i)) & 31 for i in range(6)]
    return "bc1" + "".join(crypto._BECH32[d] for d in data + chk)


def _intel_list(world, writer, led):
    rng = world.rng("crypto/intel")
    gt = led["gt"]
    rows = []

    def add(addr, note, valid, reason=""):
        rows.append({"address": addr, "note": note, "_valid": valid, "_reason": reason})

    add(gt["fee_wallets"][0], "fee wallet named by a victim", True)
    add(gt["consolidation"], "wallet in a seized phone's notes", True)
    add(gt["btc_exchange"]["deposits"][0], "bitcoin address in a chat", True)
    add(gt["vendor_addresses"][0], "from the vendor's ad", True)
    add(ids.btc_address(rng, "p2wpkh", testnet=True), "test-network address pasted by a "
        "colleague", True)
    add(ids.btc_address(rng, "p2tr"), "taproot address from a forum", True)
    add(ids.btc_address(rng, "p2wpkh").upper(), "written in capitals on a note", True)
    add(_corrupt_b58(rng, gt["fee_wallets"][-1]), "fee wallet re-typed from a screenshot",
        False, "Base58Check checksum")
    add(_bech32m_on_v0(rng.randbytes(20)), "segwit address from a web form", False,
        "bech32m on v0")
    good = ids.btc_address(rng, "p2wpkh")
    mixed = good[:10] + good[10:20].upper() + good[20:]
    add(mixed, "address copied from a PDF", False, "mixed case")
    add(ids.segwit_address("tc", 0, rng.randbytes(20)), "address in a chat message", False,
        "unknown HRP")
    otc = gt["otc"]
    i = rng.randrange(6, 30)
    add(otc[:i] + "0" + otc[i + 1:], "OTC desk address from an advert image", False,
        "non-Base58 character")
    rng.shuffle(rows)
    writer.write_csv("crypto/intel_addresses.csv",
                     [{"address": r["address"], "note": r["note"]} for r in rows],
                     {"address": "the address as received", "note": "where it came from"},
                     doc="Addresses from intelligence reports and notes. Some are corrupted.")
    writer.add_key("06.invalid_addresses", [r["address"] for r in rows if not r["_valid"]],
                   kind="set", hint="test-network and all-capitals bech32 addresses are valid")


def _keys(world, writer, led):
    import pandas as pd
    from ... import crypto
    gt = led["gt"]
    writer.add_key("06.victim_payments", [r["tx_hash"] for r in gt["victim_payments"]],
                   kind="set", hint="round USDT amounts into the addresses the victims named")
    writer.add_key("06.victim_total_usdt",
                   sum(r["value"] for r in gt["victim_payments"]) / USDT, kind="number",
                   decimals=2)
    writer.add_key("06.vendor_cluster", gt["vendor_addresses"], kind="set",
                   hint="co-spend clustering with CoinJoins excluded")
    writer.add_key("06.coinjoin_txid", gt["coinjoin"])
    writer.add_key("06.peel_chain", gt["peel_txids"], kind="list",
                   hint="start at the first spend of the vendor's second consolidation")
    writer.add_key("06.peel_first_exchange_deposit", gt["peel_first_exchange_deposit"])
    writer.add_key("06.dar_mules", gt["dar_mules"], kind="set")
    writer.add_key("06.gas_station", gt["gas_station"])
    writer.add_key("06.frozen_wallet", gt["frozen"])
    writer.add_key("06.otc_btc_leg", gt["swap"]["btc_tx"],
                   hint="a BTC payment by the broker minutes after the USDT arrived, of "
                        "equivalent value")
    easy, easy_change = gt["change_easy"]
    writer.add_key("06.change_outputs", {easy: easy_change, gt["change_ambiguous"]: None},
                   kind="mapping", hint="'undetermined' is a valid answer: use None")
    # FIFO taint that reaches the exchange's hot wallet within 6 hops (reference computation)
    tr = crypto.load_tron({"transfers": pd.DataFrame(led["tron"]["trc20"]),
                           "trx": pd.DataFrame(led["tron"]["trx"])})
    hot = gt["tron_exchange"]["hot"]
    seeds = [r["tx_hash"] for r in gt["victim_payments"]]
    res = crypto.trace_tokens(tr, seeds, model="fifo", hops=6, stop_at=[hot])
    bal = res.attrs["balances"]
    if sum(bal.values()) != sum(r["value"] for r in gt["victim_payments"]):
        raise RuntimeError("crypto view: FIFO taint is not conserved")
    writer.add_key("06.fifo_to_exchange_usdt", bal.get(hot, 0) / USDT, kind="number",
                   decimals=2)
    res_h = crypto.trace_tokens(tr, seeds, model="haircut", hops=6, stop_at=[hot])
    writer.add_key("06.haircut_to_exchange_usdt", res_h.attrs["balances"].get(hot, 0) / USDT,
                   kind="number", decimals=2)
