"""Module 06 toolkit: addresses, ledgers, clustering, change, peel chains, DAR, taint, tracing."""

import dataclasses
import random
from itertools import product

import pandas as pd
import pytest

from osintlab import crypto
from osintlab.crypto import CryptoInputError, LedgerError
from osintlab.scenario import identifiers as ids
from osintlab.scenario.ledgers import UtxoChain, case_ledgers
from osintlab.scenario.world import build_world

# ----------------------------------------------------------------------------------------------
# Addresses: BIP-173 / BIP-350 / Base58Check / TRON vectors
# ----------------------------------------------------------------------------------------------

VALID = {
    "1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo": "p2pkh",
    "36j4NfKv6Akva9amjWrLG6MuSQym1GuEmm": "p2sh",
    "mzK2FFDEhxqHcmrJw1ysqFkVyhUULo45hZ": "p2pkh_testnet",
    "2NC2hEhe28ULKAJkW5MjZ3jtTMJdvXmByvK": "p2sh_testnet",
    "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4": "p2wpkh",
    "bc1qvyq0cc6rahyvsazfdje0twl7ez82ndmuac2lhv": "p2wpkh",
    "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7": "p2wsh_testnet",
    "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y": "witness_v1",
    "BC1SW50QGDZ25J": "witness_v16",
    "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs": "witness_v2",
    "tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy": "p2wsh_testnet",
    "tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c": "p2tr_testnet",
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0": "p2tr",
    "bc1p83n3au0rjylefxq2nc2xh2y4jzz4pm6zxj4mw5pagdjjr2a9f36s6jjnnu": "p2tr",
    "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t": "tron",
    "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp": "tron",
    "TQHgMpVzWkhSsRB4BzZgmV8uW4cFL8eaBr": "tron",
}

INVALID = [
    "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",  # invalid HRP
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",  # bech32 on v1
    "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",  # bech32 on v2
    "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",  # bech32 on v16
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",  # bech32m on v0
    "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",  # bech32m on v0
    "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",  # bad char
    "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",  # version 17
    "bc1pw5dgrnzv",  # 1-byte program
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",  # 41 bytes
    "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",  # v0 16 bytes
    "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",  # mixed case
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",  # > 4 padding bits
    "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j",  # non-zero padding
    "bc1gmk9yu",  # empty data
    "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx",  # old BIP-173 v1
    "BC1SW50QA3JX3S",
    "bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj",  # old BIP-173 v16 / v2
    "bc1qtsvlht6730n04f2mpaj5vv8hrledn5n5ug8c79",
    "TR7NHqjeKQxGTCi8q8ZY4pL8otSzg5uV7p",  # mis-copied USDT
    "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L",  # raw base58, no checksum
    "1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mO",  # 'O' not base58
    "A12UEL5L",
    "a12uel5l",  # bech32 strings, not addresses
    "",
    " bc1qvyq0cc6rahyvsazfdje0twl7ez82ndmuac2lhv",
    None,
    42,
    b"1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo",
]


@pytest.mark.parametrize("address,kind", VALID.items())
def test_address_type_valid_vectors(address, kind):
    assert crypto.address_type(address) == kind
    assert crypto.address_problem(address) is None


@pytest.mark.parametrize("address", INVALID)
def test_address_type_invalid_vectors(address):
    assert crypto.address_type(address) is None
    assert isinstance(crypto.address_problem(address), str)


def test_address_problem_names_the_reason():
    assert "bech32m" in crypto.address_problem("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh")
    assert "mixes upper and lower" in crypto.address_problem(
        "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq"
    )
    assert "checksum" in crypto.address_problem("TR7NHqjeKQxGTCi8q8ZY4pL8otSzg5uV7p")
    assert "human-readable" in crypto.address_problem(
        "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut"
    )


def test_generated_addresses_are_all_valid():
    rng = random.Random(3)
    for kind, testnet in product(["p2pkh", "p2sh", "p2wpkh", "p2wsh", "p2tr"], [False, True]):
        for _ in range(20):
            a = ids.btc_address(rng, kind, testnet=testnet)
            assert crypto.address_type(a) == kind + ("_testnet" if testnet else "")
    assert all(crypto.address_type(ids.tron_address(rng)) == "tron" for _ in range(50))


def test_single_character_changes_are_caught():
    rng = random.Random(9)
    for a in [ids.tron_address(rng), ids.btc_address(rng, "p2pkh"), ids.btc_address(rng, "p2wpkh")]:
        alphabet = (
            "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
            if a.startswith("bc1")
            else "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
        )
        for i in range(4, len(a)):
            for ch in alphabet[:8]:
                if ch != a[i]:
                    assert crypto.address_type(a[:i] + ch + a[i + 1 :]) is None


def test_validate_addresses_table_and_bad_input():
    df = crypto.validate_addresses(["TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "nope"])
    assert df["valid"].tolist() == [True, False] and df["type"].iloc[0] == "tron"
    with pytest.raises(CryptoInputError, match="list"):
        crypto.validate_addresses("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")


def test_tron_hex_round_trip():
    assert (
        crypto.tron_to_hex("TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp")
        == "4112e94f5a3c88b17d2f6e0b9a45cd310f8e7a6d29"
    )
    assert (
        crypto.hex_to_tron("419D1015E669C2DF831003C5C54CEB48DA613D9979")
        == "TQHgMpVzWkhSsRB4BzZgmV8uW4cFL8eaBr"
    )
    assert crypto.hex_to_tron("0xa614f803b6fd780986a42c78ec9c7f77e6ded13c") == crypto.USDT_CONTRACT
    with pytest.raises(CryptoInputError):
        crypto.tron_to_hex("bc1qvyq0cc6rahyvsazfdje0twl7ez82ndmuac2lhv")
    with pytest.raises(CryptoInputError):
        crypto.hex_to_tron("42" + "00" * 20)
    with pytest.raises(CryptoInputError):
        crypto.hex_to_tron("zz")


def test_formatters():
    assert crypto.btc(150_000_000) == "1.50000000 BTC" and crypto.btc(-1) == "-0.00000001 BTC"
    assert crypto.usdt(1_500_000_000) == "1,500.000000 USDT"


# ----------------------------------------------------------------------------------------------
# Taint allocation
# ----------------------------------------------------------------------------------------------


def test_allocate_taint_cambridge_example():
    assert crypto.allocate_taint([(3, 3), (7, 0)], [4, 6], "poison") == [4, 6]
    assert crypto.allocate_taint([(3, 3), (7, 0)], [4, 6], "haircut") == [1, 2]
    assert crypto.allocate_taint([(3, 3), (7, 0)], [4, 6], "fifo") == [3, 0]
    assert crypto.allocate_taint([(7, 0), (3, 3)], [4, 6], "fifo") == [0, 3]
    assert crypto.allocate_taint([(3, 0), (7, 0)], [4, 6], "poison") == [0, 0]


def test_allocate_taint_fee_is_last():
    # 100 in, 50 tainted; outputs 60 and 30; fee 10
    assert crypto.allocate_taint([(100, 50)], [60, 30], "haircut") == [30, 15]  # fee gets 5
    assert crypto.allocate_taint([(100, 50)], [60, 30], "fifo") == [50, 0]
    assert crypto.allocate_taint([(100, 100)], [60, 30], "fifo") == [60, 30]  # fee 10 tainted


def test_allocate_taint_conserves_exactly_random():
    rng = random.Random(11)
    for _ in range(400):
        ins = []
        for _ in range(rng.randint(1, 5)):
            v = rng.randint(0, 10**9)
            ins.append((v, rng.randint(0, v)))
        total = sum(v for v, _ in ins)
        outs = [rng.randint(0, total // 4) for _ in range(rng.randint(1, 4))]
        fee = total - sum(outs)
        t_in = sum(t for _, t in ins)
        for model in ("haircut", "fifo"):
            res = crypto.allocate_taint(ins, outs, model)
            assert all(type(x) is int for x in res)
            assert all(0 <= x <= o for x, o in zip(res, outs))
            assert 0 <= t_in - sum(res) <= fee  # the fee takes the rest, never more
        hc = crypto.allocate_taint(ins, outs, "haircut")
        exact = [o * t_in / total if total else 0 for o in outs]
        assert all(abs(a - b) < 1 for a, b in zip(hc, exact))  # largest remainder: within 1 unit


@pytest.mark.parametrize(
    "inputs,outputs,match",
    [
        ([], [1], "at least one input"),
        ([(5, 6)], [1], "exceeds"),
        ([(5, -1)], [1], "negative"),
        ([(5, 1)], [6], "unbalanced"),
        ([(5.0, 1)], [1], "integer"),
        ([(True, 0)], [1], "integer"),
        ([(5,)], [1], "pair"),
        ([(5, 1)], [-1], "negative"),
        ([(5, 1)], "12", "outputs"),
        ("ab", [1], "inputs"),
    ],
)
def test_allocate_taint_bad_input(inputs, outputs, match):
    with pytest.raises(CryptoInputError, match=match):
        crypto.allocate_taint(inputs, outputs, "haircut")


def test_allocate_taint_unknown_model():
    with pytest.raises(CryptoInputError, match="model"):
        crypto.allocate_taint([(1, 1)], [1], "lifo")


def test_is_round_and_round_payments():
    assert crypto.is_round(1_500_000_000) and not crypto.is_round(1_500_000_001)
    assert crypto.is_round(50 * 10**8, unit=10**8, multiple=1)
    with pytest.raises(CryptoInputError):
        crypto.is_round(1.5)
    with pytest.raises(CryptoInputError):
        crypto.is_round(100, unit=0)
    df = pd.DataFrame({"to": ["a", "b", "a"], "value": [100_000_000, 100_000_001, 200_000_000]})
    assert crypto.round_payments(df).index.tolist() == [0, 2]
    assert crypto.round_payments(df, to="b").empty


# ----------------------------------------------------------------------------------------------
# Toy ledgers
# ----------------------------------------------------------------------------------------------


def frames(chain):
    return {
        "txs": pd.DataFrame(chain.txs),
        "inputs": pd.DataFrame(chain.inputs),
        "outputs": pd.DataFrame(chain.outputs),
    }


def toy(build, seed=1):
    c = UtxoChain(random.Random(seed), seed=f"test{seed}")
    extra = build(c)
    return crypto.load_utxo(frames(c)), c, extra


def test_load_utxo_flags_bad_transactions():
    def build(c):
        a = c.new_address()
        cb = c.coinbase(a, 100_000)
        c.advance(700)
        c.spend([(cb, 0)], [(c.new_address(), 60_000)], change=a, fee=1_000)

    led, c, _ = toy(build)
    assert led.problems.empty and len(led) == 2
    f = frames(c)
    f["txs"].loc[1, "fee"] = 999  # unbalanced
    bad = f["inputs"].copy()
    bad.loc[0, "prev_txid"] = "00" * 32  # missing input
    led2 = crypto.load_utxo({"txs": f["txs"], "inputs": bad, "outputs": f["outputs"]})
    assert set(led2.problems["problem"]) == {"unbalanced", "missing_input"}


def test_load_utxo_detects_cycles_and_bad_columns():
    def build(c):
        a = c.new_address()
        cb = c.coinbase(a, 100_000)
        c.advance(700)
        t = c.spend([(cb, 0)], [(c.new_address(), 60_000)], change=a, fee=1_000)
        return t

    led, c, t = toy(build)
    f = frames(c)
    # make the coinbase "spend" the later transaction's output: a cycle
    inp = pd.concat(
        [
            f["inputs"],
            pd.DataFrame(
                [
                    {
                        "txid": f["txs"].txid[0],
                        "vin": 0,
                        "prev_txid": t,
                        "prev_vout": 0,
                        "address": "x",
                        "value": 60_000,
                    }
                ]
            ),
        ]
    )
    led2 = crypto.load_utxo({"txs": f["txs"], "inputs": inp, "outputs": f["outputs"]})
    assert "out_of_order" in set(led2.problems["problem"])
    with pytest.raises(LedgerError, match="lacks columns"):
        crypto.load_utxo(
            {"txs": f["txs"].drop(columns="fee"), "inputs": f["inputs"], "outputs": f["outputs"]}
        )
    out = f["outputs"].assign(value=f["outputs"]["value"] / 1)
    with pytest.raises(LedgerError, match="integers"):
        crypto.load_utxo({"txs": f["txs"], "inputs": f["inputs"], "outputs": out})
    with pytest.raises(LedgerError, match="lacks tables"):
        crypto.load_utxo({"txs": f["txs"]})
    with pytest.raises(LedgerError, match="not a folder"):
        crypto.load_utxo("/no/such/folder")
    with pytest.raises(LedgerError, match="not in this ledger"):
        led.tx_row("ff" * 32)


def test_load_utxo_from_csv_folder(tmp_path):
    def build(c):
        a = c.new_address()
        cb = c.coinbase(a, 100_000)
        c.spend([(cb, 0)], [(c.new_address(), 60_000)], change=a, fee=1_000)

    _, c, _ = toy(build)
    for name, df in frames(c).items():
        df.to_csv(tmp_path / f"{name}.csv", index=False)
    led = crypto.load_utxo(tmp_path)
    assert len(led) == 2 and led.problems.empty
    view = crypto.show_tx(led, led.txs.txid[1])
    assert view["side"].tolist() == ["in", "out", "out", "fee"]
    assert view.fee == 1_000


def coinjoin_build(c):
    people = [c.new_address() for _ in range(5)]
    coins = [(c.coinbase(p, 1_300_000), 0) for p in people]
    c.advance(700)
    outs = [(c.new_address(), 1_000_000) for _ in people] + [
        (c.new_address(), 250_000 + i) for i in range(4)
    ]
    cj = c.spend(coins, outs, fee=6_500_000 - sum(v for _, v in outs))
    # an unrelated wallet co-spends two of its coins: a true co-spend
    a, b = c.new_address(), c.new_address()
    ca, cb = c.coinbase(a, 500_000), c.coinbase(b, 400_000)
    c.advance(700)
    both = c.spend([(ca, 0), (cb, 0)], [(c.new_address(), 800_000)], fee=100_000)
    # exchange batch payout with equal outputs: not a CoinJoin
    hot = c.new_address()
    h = c.coinbase(hot, 50_000_000)
    c.advance(700)
    batch = c.spend([(h, 0)], [(c.new_address(), 1_000_000) for _ in range(5)], change=hot)
    return {"people": people, "cj": cj, "pair": {a, b}, "both": both, "batch": batch}


def test_coinjoin_detection_and_clustering():
    led, c, x = toy(coinjoin_build)
    cj = crypto.find_coinjoins(led)
    assert cj["txid"].tolist() == [x["cj"]] and cj["participants"].iloc[0] == 5
    assert crypto.coinjoin_check(led, x["cj"])["is_coinjoin"]
    batch = crypto.coinjoin_check(led, x["batch"])
    assert not batch["is_coinjoin"] and "inputs" in batch["reason"]
    clusters = crypto.cluster_addresses(led)
    assert crypto.cluster_members(clusters, x["people"][0]) == {x["people"][0]}
    assert crypto.cluster_members(clusters, next(iter(x["pair"]))) == x["pair"]
    naive = crypto.cluster_addresses(led, exclude_coinjoins=False)
    assert crypto.cluster_members(naive, x["people"][0]) == set(x["people"])
    manual = crypto.cluster_addresses(led, exclude_coinjoins=False, exclude_txids=[x["cj"]])
    assert crypto.cluster_members(manual, x["people"][0]) == {x["people"][0]}
    with pytest.raises(LedgerError):
        crypto.cluster_addresses(led, exclude_txids=["ab" * 32])
    with pytest.raises(CryptoInputError):
        crypto.cluster_addresses(led, exclude_txids=x["cj"])
    with pytest.raises(CryptoInputError):
        crypto.cluster_members(clusters, "nobody")


def _round(c, inputs, outputs, fee=20_000):
    """A multi-party transaction: ``inputs`` are (address, value) coins made just before."""
    coins = [(c.coinbase(a, v), 0) for a, v in inputs]
    c.advance(700)
    total = sum(v for _, v in inputs)
    outs = list(outputs)
    return c.spend(coins, outs, fee=total - sum(v for _, v in outs))


def coinjoin_forms_build(c):
    """Each common CoinJoin form, a PayJoin and an exchange batch payout, built with the
    course's ledger builder."""
    x = {}
    # Whirlpool-like 5x5: five coins of exactly the pool size + fee, five equal outputs, no change
    x["whirlpool_5x5"] = _round(
        c,
        [(c.new_address(), 1_050_000) for _ in range(5)],
        [(c.new_address(), 1_000_000) for _ in range(5)],
    )
    # a larger equal-output round: 8 in, 8 equal out
    x["equal_8x8"] = _round(
        c,
        [(c.new_address(), 5_200_000 + i) for i in range(8)],
        [(c.new_address(), 5_000_000) for _ in range(8)],
    )
    # Wasabi-1-like: 6 equal outputs, 5 change outputs, one coordinator fee output (12 outputs,
    # n = 6: the BlockSci rule already catches this form)
    ins = [(c.new_address(), 10_400_000 + 10_000 * i) for i in range(6)]
    x["wasabi1"] = _round(
        c,
        ins,
        [(c.new_address(), 10_000_000) for _ in range(6)]
        + [(c.new_address(), 300_000 + 10_000 * i) for i in range(5)]
        + [(c.new_address(), 45_000)],
    )
    # WabiSabi-like: 7 participants, outputs in standard denominations shared across them
    dens = [
        5_000_000,
        5_000_000,
        2_000_000,
        2_000_000,
        2_000_000,
        1_000_000,
        1_000_000,
        1_000_000,
        500_000,
        500_000,
        200_000,
        200_000,
        137_000,
    ]
    x["wabisabi"] = _round(
        c,
        [(c.new_address(), sum(dens) // 7 + 10_000) for _ in range(7)],
        [(c.new_address(), d) for d in dens],
    )
    # PayJoin (BIP-78): payer and payee each bring a coin; two outputs, nothing equal
    payer, payee = c.new_address(), c.new_address()
    x["payjoin_parties"] = {payer, payee}
    x["payjoin"] = _round(
        c,
        [(payer, 900_000), (payee, 400_000)],
        [(payee, 400_000 + 300_000), (c.new_address(), 580_000)],
    )
    # an exchange batch payout: one hot wallet, five equal withdrawals plus change
    hot = c.new_address()
    h = c.coinbase(hot, 50_000_000)
    c.advance(700)
    x["batch"] = c.spend([(h, 0)], [(c.new_address(), 1_000_000) for _ in range(5)], change=hot)
    x["whirlpool_inputs"] = [
        c.inputs[i]["address"]
        for i in range(len(c.inputs))
        if c.inputs[i]["txid"] == x["whirlpool_5x5"]
    ]
    return x


def test_coinjoin_forms_each_detected_and_payjoin_invisible():
    led, c, x = toy(coinjoin_forms_build)
    found = crypto.find_coinjoins(led).set_index("txid")["form"].to_dict()
    assert found == {
        x["whirlpool_5x5"]: "equal-output",
        x["equal_8x8"]: "equal-output",
        x["wasabi1"]: "blocksci",
        x["wabisabi"]: "many-denomination",
    }
    # the plain BlockSci rule misses the 5x5 round (its equal value occurs 5 times, not 3)
    check = crypto.coinjoin_check(led, x["whirlpool_5x5"])
    assert check["is_coinjoin"] and check["participants"] == 5 and "5 of 5" in check["reason"]
    assert check["rule"] == crypto.COINJOIN_RULES["equal-output"]
    # PayJoin and the batch payout: no rule fires; the answer says what was checked
    for t in ("payjoin", "batch"):
        r = crypto.coinjoin_check(led, x[t])
        assert not r["is_coinjoin"] and r["form"] is None
        assert all(rule in r["rule"] for rule in crypto.COINJOIN_RULES.values())
    # clustering: round participants stay apart, PayJoin parties are (wrongly) merged —
    # the blind spot the lesson and the link-strength table state
    cl = crypto.cluster_addresses(led)
    assert crypto.cluster_members(cl, x["whirlpool_inputs"][0]) == {x["whirlpool_inputs"][0]}
    assert crypto.cluster_members(cl, next(iter(x["payjoin_parties"]))) == x["payjoin_parties"]
    assert any("PayJoin" in b for b in crypto.COINJOIN_BLIND_SPOTS)
    assert crypto.LINK_STRENGTH["co-spend"][0] == "strong heuristic"


def test_address_totals_received_sent_held():
    def build(c):
        a = c.new_address()
        cb1, _cb2 = c.coinbase(a, 100_000), c.coinbase(a, 50_000)
        c.advance(700)
        c.spend([(cb1, 0)], [(c.new_address(), 60_000)], change=c.new_address(), fee=1_000)
        return a

    led, c, a = toy(build)
    row = crypto.address_totals(led, a).iloc[0]
    assert (row["received"], row["sent"], row["held"]) == (150_000, 100_000, 50_000)
    tron = tron_toy()[0]
    addr = tron.transfers["to"].iloc[0]
    t = crypto.address_totals(tron, [addr, addr]).iloc[0]
    assert t["held"] == t["received"] - t["sent"] and len(crypto.address_totals(tron, [addr])) == 1
    with pytest.raises(CryptoInputError):
        crypto.address_totals(tron, [])
    with pytest.raises(CryptoInputError):
        crypto.address_totals(tron.transfers, [addr])


def test_union_find():
    uf = crypto.UnionFind()
    for a, b in [(1, 2), (3, 4), (2, 4), (5, 5)]:
        uf.union(a, b)
    assert sorted(map(sorted, uf.groups())) == [[1, 2, 3, 4], [5]]


def test_change_heuristics():
    def build(c):
        payee = c.new_address("p2pkh")
        c.coinbase(payee, 10_000)  # the payee address is already known
        me = c.new_address("p2wpkh")
        cb = c.coinbase(me, 9_000_000)
        c.advance(700)
        change = c.new_address("p2wpkh")
        easy = c.spend([(cb, 0)], [(payee, 3_000_000)], change=change, fee=1_234)
        cb2 = c.coinbase(me, 9_000_000)
        c.advance(700)
        amb = c.spend(
            [(cb2, 0)],
            [(c.new_address("p2wpkh"), 3_123_457)],
            change=c.new_address("p2wpkh"),
            fee=1_111,
        )
        cb3 = c.coinbase(me, 9_000_000)
        c.advance(700)
        selfc = c.spend([(cb3, 0)], [(c.new_address("p2wpkh"), 2_000_000)], change=me, fee=999)
        return easy, change, amb, selfc, me, cb

    led, c, (easy, change, amb, selfc, me, cb) = toy(build)
    g = crypto.guess_change(led, easy)
    assert g["address"] == change and g["confidence"] == "medium"
    assert crypto.guess_change(led, amb)["confidence"] == "undetermined"
    s = crypto.guess_change(led, selfc)
    assert s["address"] == me and s["confidence"] == "high"
    cand = crypto.change_candidates(led, easy)
    assert cand.set_index("address").loc[change, "score"] == 4
    with pytest.raises(CryptoInputError, match="coinbase"):
        crypto.change_candidates(led, cb)


def peel_build(c, hops=6, shuffle=True):
    src = c.new_address()
    cb = c.coinbase(src, 200_000_000)
    op, cur, txids, peels = (cb, 0), 200_000_000, [], []
    for hop in range(hops):
        c.advance(3600)
        amount = cur * 5 // 100
        dest = c.new_address("p2pkh")
        first = shuffle and hop % 2 == 1
        t = c.spend([op], [(dest, amount)], change=c.new_address(), fee=2_000, change_first=first)
        txids.append(t)
        peels.append(dest)
        cur -= amount + 2_000
        op = (t, 0 if first else 1)
    c.advance(3600)
    end = c.spend([op], [(c.new_address(), cur - 1_000)], fee=1_000)
    return txids, peels, end


def test_follow_peel_chain():
    led, c, (txids, peels, end) = toy(peel_build)
    chain = crypto.follow_peel_chain(led, txids[0])
    assert chain["txid"].tolist() == txids and chain["peel_address"].tolist() == peels
    assert "not a peel hop" in chain.stop
    short = crypto.follow_peel_chain(led, txids[0], max_hops=2)
    assert len(short) == 2
    strict = crypto.follow_peel_chain(led, txids[0], max_peel_fraction=0.01)
    assert strict.empty and "%" in strict.stop
    with pytest.raises(CryptoInputError):
        crypto.follow_peel_chain(led, txids[0], max_peel_fraction=2)
    with pytest.raises(LedgerError):
        crypto.follow_peel_chain(led, "00" * 32)


def test_trace_forward_models_conserve_and_hops():
    led, c, (txids, peels, end) = toy(peel_build)
    seed = f"{led.txs.txid[0]}:0"
    total = 200_000_000
    for model in ("haircut", "fifo"):
        tr = crypto.trace_forward(led, [seed], model=model, hops=10)
        live = tr[~tr["followed"]]["tainted"].sum()
        assert live + tr.fee_taint == total == tr.seed_taint
    poison = crypto.trace_forward(led, seed, model="poison", hops=3)
    assert poison["hop"].max() == 3
    half = crypto.trace_forward(led, {seed: total // 2}, model="fifo", hops=1)
    # FIFO puts the tainted half first: the first output of hop 1 takes from it
    assert half[half["hop"] == 1]["tainted"].sum() + half.fee_taint == total // 2
    with pytest.raises(CryptoInputError):
        crypto.trace_forward(led, [seed], model="x")
    with pytest.raises(CryptoInputError):
        crypto.trace_forward(led, [seed], hops=0)
    with pytest.raises(CryptoInputError):
        crypto.trace_forward(led, ["nocolon"])
    with pytest.raises(CryptoInputError):
        crypto.trace_forward(led, {seed: total + 1})
    with pytest.raises(LedgerError):
        crypto.trace_forward(led, [f"{led.txs.txid[0]}:5"])


def test_trace_backward_shares():
    led, c, (txids, peels, end) = toy(peel_build)
    back = crypto.trace_backward(led, f"{end}:0", hops=10)
    assert back["hop"].min() == 1
    assert abs(back[back["hop"] == 1]["share"].sum() - 1) < 1e-12
    assert back.missing == []
    with pytest.raises(CryptoInputError):
        crypto.trace_backward(led, f"{end}:0", hops=-1)


def test_trace_forward_stops_at_flagged_transactions():
    led, c, (txids, peels, end) = toy(peel_build)
    f = frames(c)
    f["txs"].loc[f["txs"]["txid"] == txids[2], "fee"] += 1
    bad = crypto.load_utxo(f)
    assert bad.problems["txid"].tolist() == [txids[2]]
    tr = crypto.trace_forward(bad, [f"{txids[0]}:1"], model="haircut", hops=10)
    assert tr.flagged == [txids[2]]
    assert txids[3] not in set(tr["txid"])


# ----------------------------------------------------------------------------------------------
# Account model
# ----------------------------------------------------------------------------------------------


def T(i):
    return ids.tron_address(random.Random(f"t{i}"))


def tron_toy():
    v1, v2, fee, dep, hot, mule, other, gas = (T(i) for i in range(8))
    t0 = pd.Timestamp("2026-03-01", tz="UTC")
    rows = [
        ("h1", 1, t0, v1, fee, 1_000_000_000),  # victim 1 (round)
        ("h2", 2, t0 + pd.Timedelta("1h"), other, fee, 333_333_333),  # clean money
        ("h3", 3, t0 + pd.Timedelta("2h"), v2, fee, 1_500_000_000),  # victim 2 (round)
        ("h4", 4, t0 + pd.Timedelta("3h"), fee, mule, 1_200_000_000),
        ("h5", 5, t0 + pd.Timedelta("4h"), mule, dep, 1_200_000_000),
        ("h6", 6, t0 + pd.Timedelta("5h"), dep, hot, 1_200_000_000),  # sweep within τ
        ("h7", 7, t0 + pd.Timedelta("6h"), other, dep, 10_000_000),
        ("h8", 8, t0 + pd.Timedelta("6h30min"), dep, hot, 10_000_000),
    ]
    tr = pd.DataFrame(
        [
            {
                "tx_hash": h,
                "block": b,
                "time_utc": t,
                "log_index": 0,
                "contract": crypto.USDT_CONTRACT,
                "tx_signer": f,
                "from": f,
                "to": to,
                "value": v,
            }
            for h, b, t, f, to, v in rows
        ]
    )
    trx = pd.DataFrame(
        [
            {
                "tx_hash": f"x{i}",
                "block": i,
                "time_utc": t0,
                "from": gas,
                "to": a,
                "amount": 1_000_000,
            }
            for i, a in enumerate([mule, fee])
        ]
    )
    return crypto.load_tron({"transfers": tr, "trx": trx}), dict(
        v1=v1, v2=v2, fee=fee, dep=dep, hot=hot, mule=mule, other=other, gas=gas
    )


def test_trace_tokens_models():
    led, a = tron_toy()
    seeds = ["h1", "h3"]
    fifo = crypto.trace_tokens(led, seeds, model="fifo", hops=6, stop_at=[a["hot"]])
    bal = fifo.balances
    assert sum(bal.values()) == 2_500_000_000  # conserved exactly
    # FIFO: the fee wallet's queue is victim1 (1000), clean (333.33), victim2 (1500)
    # h4 (1,200) takes victim 1's 1,000 then 200 of the clean money: 1,000 tainted
    assert fifo.set_index("tx_hash").loc["h4", "tainted"] == 1_000_000_000
    hair = crypto.trace_tokens(led, seeds, model="haircut", hops=6, stop_at=[a["hot"]])
    assert sum(hair.balances.values()) == 2_500_000_000
    h4 = hair.set_index("tx_hash").loc["h4", "tainted"]
    assert h4 == 1_200_000_000 * 2_500_000_000 // 2_833_333_333
    poison = crypto.trace_tokens(led, seeds, model="poison", hops=6)
    assert poison.set_index("tx_hash").loc["h4", "tainted"] == 1_200_000_000
    short = crypto.trace_tokens(led, seeds, model="fifo", hops=2)
    assert short["hop"].max() == 2 and sum(short.balances.values()) == 2_500_000_000


def test_trace_tokens_bad_input_and_overdraft():
    led, a = tron_toy()
    with pytest.raises(LedgerError):
        crypto.trace_tokens(led, ["nope"])
    with pytest.raises(CryptoInputError):
        crypto.trace_tokens(led, [], model="fifo")
    with pytest.raises(CryptoInputError):
        crypto.trace_tokens(led, ["h1"], model="lifo")
    with pytest.raises(CryptoInputError):
        crypto.trace_tokens(led, ["h1"], hops=0)
    # the fee wallet sends more than the ledger shows it ever received: flagged
    tr = led.transfers.copy()
    tr.loc[tr["tx_hash"] == "h4", "value"] = 3_000_000_000
    over = crypto.load_tron({"transfers": tr})
    res = crypto.trace_tokens(over, ["h1", "h3"], model="haircut")
    assert res.overdrafts == ["h4"]
    assert sum(res.balances.values()) == 2_500_000_000


def test_trace_tokens_backward():
    led, a = tron_toy()
    back = crypto.trace_tokens_backward(led, a["hot"], hops=3)
    assert {"h6", "h8", "h5", "h7"} <= set(back["tx_hash"])
    assert back.set_index("tx_hash").loc["h6", "hop"] == 1
    with pytest.raises(CryptoInputError):
        crypto.trace_tokens_backward(led, "not-an-address")


def test_deposit_clusters_and_window():
    led, a = tron_toy()
    dar = crypto.deposit_clusters(led, a["hot"], tau_seconds=3 * 3600)
    assert set(dar["sender"]) == {a["mule"], a["other"]} and dar["cluster"].nunique() == 1
    assert dar["confidence"].between(0, 1).all()
    tight = crypto.deposit_clusters(led, [a["hot"]], tau_seconds=40 * 60)
    assert set(tight["sender"]) == {a["other"]}  # the mule's sweep came later
    with pytest.raises(CryptoInputError):
        crypto.deposit_clusters(led, [])
    with pytest.raises(CryptoInputError):
        crypto.deposit_clusters(led, [a["hot"]], alpha=-1)


def test_first_funders():
    led, a = tron_toy()
    ff = crypto.first_funders(led)
    assert set(ff["funder"]) == {a["gas"]} and set(ff["address"]) == {a["mule"], a["fee"]}
    assert crypto.first_funders(led, a["mule"])["address"].tolist() == [a["mule"]]


def test_load_tron_flags_bad_rows():
    led, a = tron_toy()
    tr = led.transfers.copy()
    tr.loc[0, "to"] = "Tnotvalid"
    tr.loc[1, "value"] = -5
    res = crypto.load_tron({"transfers": tr})
    assert set(res.problems["problem"]) == {"invalid_address", "negative_value"}
    assert len(res.transfers) == len(tr) - 2
    with pytest.raises(LedgerError, match="integers"):
        crypto.load_tron({"transfers": tr.assign(value=tr["value"] / 1)})
    with pytest.raises(LedgerError):
        crypto.load_tron({"trx": tr})


def test_attribute_flow_graph_report_and_request(tmp_path):
    led, a = tron_toy()
    tags = pd.DataFrame(
        [
            {
                "address": a["hot"],
                "label": "Exchange X",
                "category": "exchange",
                "source": "proof of reserves",
            }
        ]
    )
    res = crypto.trace_tokens(led, ["h1", "h3"], model="fifo", stop_at=[a["hot"]])
    at = crypto.attribute(res, tags, "to")
    assert at.loc[at["to"] == a["hot"], "label"].iloc[0] == "Exchange X"
    assert at.loc[at["to"] != a["hot"], "label"].isna().all()
    with pytest.raises(CryptoInputError):
        crypto.attribute(res, tags, "nope")
    g = crypto.flow_graph(res, tags)
    assert "Exchange X" in g and g.nodes["Exchange X"]["category"] == "exchange"
    numbered = crypto.flow_graph(res, tags, number_untagged=True)
    labels = {d["label"] for _, d in numbered.nodes(data=True)}
    assert "Exchange X" in labels and "A1" in labels
    import matplotlib

    matplotlib.use("Agg")
    fig, ax = crypto.flow_chart(g)
    assert ax.get_title()
    import networkx as nx

    with pytest.raises(CryptoInputError):
        crypto.flow_chart(nx.DiGraph())
    rep = crypto.tracing_report(
        res, case_ref="SR-1", analyst="T", seeds="h1", tags=tags, path=tmp_path / "report.md"
    )
    assert (tmp_path / "report.md").read_text(encoding="utf-8") == rep
    assert "Exchange X (exchange)" in rep and "fifo" in rep
    common = dict(
        case_ref="SR-1",
        authority="Unit",
        officer="SI A",
        offence="TIP",
        contact_email="unit@fia-gov.example",
        contact_phone="+92 300 5550100",
        timezone="Asia/Karachi",
        facts="f",
        date_from="2026-01-01T00:00:00Z",
        date_to="2026-02-01T00:00:00Z",
    )
    from osintlab import eevidence

    req = crypto.exchange_request(addresses=[a["dep"]], user_country="PK", **common)
    assert isinstance(req, eevidence.Request) and req.provider == "kestrel"
    assert req.identifiers == [("wallet", a["dep"])] and req.data == ["subscriber", "traffic"]
    assert req.addressee and "freezing" in req.necessity
    codes = req.defect_codes(eevidence.load_providers())
    assert "legal_basis_missing" in codes and "identifier_malformed" not in codes
    pres = crypto.exchange_request(addresses=a["dep"], kind="preservation", **common)
    assert pres.formal_request_will_follow
    with pytest.raises(CryptoInputError, match="invalid address"):
        crypto.exchange_request(addresses=["Tbad"], **common)
    with pytest.raises(CryptoInputError, match="at least one"):
        crypto.exchange_request(addresses=[], **common)
    with pytest.raises(CryptoInputError, match="after"):
        crypto.exchange_request(
            addresses=[a["dep"]], **{**common, "date_to": "2025-01-01T00:00:00Z"}
        )
    with pytest.raises(eevidence.ProviderError):
        crypto.exchange_request(addresses=[a["dep"]], exchange="nowhere", **common)


def test_utxo_flow_graph():
    led, c, (txids, peels, end) = toy(peel_build)
    tr = crypto.trace_forward(led, [f"{led.txs.txid[0]}:0"], model="haircut", hops=3)
    g = crypto.flow_graph(tr)
    assert g.number_of_edges() == len(tr)


# ----------------------------------------------------------------------------------------------
# The case ledgers: planted patterns are found by the toolkit, on two seeds
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [20260301, 7])
def test_case_ledgers_planted_patterns(seed):
    L = case_ledgers(build_world(seed))
    gt = L["gt"]
    led = crypto.load_utxo({k: pd.DataFrame(v) for k, v in L["btc"].items()})
    assert led.problems.empty
    every = pd.concat([led.outputs["address"], led.inputs["address"]]).unique()
    assert all(crypto.address_type(x) for x in every)
    cl = crypto.cluster_addresses(led)
    assert crypto.cluster_members(cl, gt["vendor_addresses"][0]) == set(gt["vendor_addresses"])
    cj = crypto.find_coinjoins(led).set_index("txid")["form"].to_dict()
    assert cj == {gt["coinjoin"]: "blocksci", gt["whirlpool_round"]: "equal-output"}
    assert not crypto.coinjoin_check(led, gt["whirlpool_round"])["rule"].startswith(
        "equal outputs plus"
    )
    assert crypto.follow_peel_chain(led, gt["peel_start"])["txid"].tolist() == gt["peel_txids"]
    assert crypto.guess_change(led, gt["change_easy"][0])["address"] == gt["change_easy"][1]
    assert crypto.guess_change(led, gt["change_ambiguous"])["address"] is None
    tron = crypto.load_tron(
        {"transfers": pd.DataFrame(L["tron"]["trc20"]), "trx": pd.DataFrame(L["tron"]["trx"])}
    )
    assert tron.problems.empty
    hot = gt["tron_exchange"]["hot"]
    dar = crypto.deposit_clusters(tron, [hot])
    assert set(dar.loc[dar["deposit"] == gt["dar_deposit"], "sender"]) == set(gt["dar_mules"])
    assert (
        gt["mules"][3] not in set(dar.loc[dar["deposit"] == gt["near_miss_deposit"], "sender"])
        or len(dar[dar["deposit"] == gt["near_miss_deposit"]]) == 1
    )
    ff = crypto.first_funders(tron, gt["mules"])
    assert set(ff["funder"]) == {gt["gas_station"]}
    seeds = [r["tx_hash"] for r in gt["victim_payments"]]
    for model in ("fifo", "haircut"):
        res = crypto.trace_tokens(tron, seeds, model=model, hops=6, stop_at=[hot])
        assert sum(res.balances.values()) == sum(r["value"] for r in gt["victim_payments"])
        assert not res.overdrafts


def test_save_and_load_npz_cache(tmp_path):
    led, c, (txids, peels, end) = toy(peel_build)
    path = crypto.save_utxo(led, tmp_path / "ledger.npz")
    again = crypto.load_utxo(path)
    assert again.problems.empty and len(again) == len(led)
    assert again.outputs["address"].astype(str).tolist() == led.outputs["address"].tolist()
    assert crypto.follow_peel_chain(again, txids[0])["txid"].tolist() == txids
    a = crypto.cluster_addresses(led).sort_values("address")["cluster"].tolist()
    b = crypto.cluster_addresses(again).sort_values("address")["cluster"].tolist()
    assert a == b
    with pytest.raises(CryptoInputError, match="npz"):
        crypto.save_utxo(led, tmp_path / "ledger.pkl")
    with pytest.raises(CryptoInputError):
        crypto.save_utxo({"txs": None}, tmp_path / "x.npz")
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    with pytest.raises(LedgerError, match="not a ledger"):
        crypto.load_utxo(tmp_path / "bad.npz")
    with pytest.raises(LedgerError, match="missing"):
        crypto.load_utxo(tmp_path / "none.npz")
    f = frames(c)
    f["txs"].loc[2, "fee"] += 5
    with pytest.raises(LedgerError, match="flagged"):
        crypto.save_utxo(crypto.load_utxo(f), tmp_path / "flagged.npz")


def test_load_tags_and_tron_folder(tmp_path):
    tags = crypto.load_tags()
    assert {"address", "label", "category", "source"} <= set(tags.columns)
    assert all(crypto.address_type(a) for a in tags["address"])
    with pytest.raises(LedgerError, match="lacks columns"):
        crypto.load_tags(pd.DataFrame({"address": ["x"]}))
    with pytest.raises(LedgerError, match="missing"):
        crypto.load_tags(tmp_path / "none.csv")
    pd.DataFrame({"address": ["a"], "label": ["b"], "category": ["c"]}).to_csv(
        tmp_path / "t.csv", index=False
    )
    assert crypto.load_tags(tmp_path / "t.csv")["label"].tolist() == ["b"]
    led, _ = tron_toy()
    led.transfers.to_csv(tmp_path / "trc20_transfers.csv", index=False)
    again = crypto.load_tron(tmp_path)
    assert again.transfers["tx_hash"].tolist() == led.transfers["tx_hash"].tolist()
    assert str(again.transfers["time_utc"].dtype).startswith("datetime64")
    with pytest.raises(LedgerError, match="missing"):
        crypto.load_tron(tmp_path / "nowhere")


def test_course_ledgers_load_clean():
    led, tron = crypto.load_utxo(), crypto.load_tron()
    assert led.problems.empty and tron.problems.empty
    assert (led.outputs["value"] > 0).all() and len(tron.freezes) == 1


# ----------------------------------------------------------------------------------------------
# The package split: one codec, result objects, every example runs
# ----------------------------------------------------------------------------------------------


def test_toolkit_and_generator_share_one_codec():
    from osintlab.reference import addresses

    assert ids.segwit_address is addresses.segwit_address
    assert ids.base58check is addresses.base58check
    program = bytes(range(20))
    bad = addresses.bech32_encode(
        "bc", [0] + addresses.convertbits(program, 8, 5), addresses.BECH32M_CONST
    )
    assert crypto.address_type(bad) is None and "bech32m" in crypto.address_problem(bad)
    assert crypto.address_type(addresses.segwit_address("bc", 0, program)) == "p2wpkh"


def test_results_keep_their_facts_through_table_work():
    def build(c):
        cb = c.coinbase(c.new_address(), 200_000_000)
        op, cur = (cb, 0), 200_000_000
        for hop in range(4):
            c.advance(3600)
            amount = cur * (4 + hop) // 100
            t = c.spend([op], [(c.new_address("p2pkh"), amount)], change=c.new_address(), fee=2_000)
            cur -= amount + 2_000
            op = (t, 1)

    led, _, _ = toy(build)
    chain = crypto.follow_peel_chain(led, led.txs.txid[1])
    assert isinstance(chain, crypto.PeelChain) and isinstance(chain.table, pd.DataFrame)
    assert chain.stop and len(chain) == len(chain.table) and "txid" in chain
    merged = chain.table.merge(led.txs[["txid", "height"]], on="txid")
    assert len(merged) == len(chain) and chain.stop  # the fact is not on the table
    assert chain["txid"].tolist() == chain.table["txid"].tolist() == list(chain.txid)
    text, page = repr(chain), chain._repr_html_()
    assert text.startswith("PeelChain: ") and "stop=" in text and "<table" in page
    with pytest.raises(AttributeError, match="result.stop"):
        chain.attrs  # noqa: B018  (reading it is the test)
    with pytest.raises(AttributeError, match="no field or table column 'nope'"):
        chain.nope  # noqa: B018
    with pytest.raises(dataclasses.FrozenInstanceError):
        chain.stop = "changed"  # frozen


@pytest.mark.parametrize("seed", [20260301, 7])
def test_smuggling_thread_and_address_poisoning(seed):
    """The lesson's thread: client fees -> smuggler -> money agent -> exchange deposit -> hot
    wallet; a look-alike address sends the smuggler dust. Built the same way from a seed."""
    L = case_ledgers(build_world(seed))
    gt = L["gt"]
    tron = crypto.load_tron(
        {"transfers": pd.DataFrame(L["tron"]["trc20"]), "trx": pd.DataFrame(L["tron"]["trx"])}
    )
    hot = gt["tron_exchange"]["hot"]
    res = crypto.trace_tokens(tron, gt["smuggling_payments"], model="fifo", hops=4, stop_at=[hot])
    paid = int(
        tron.transfers.loc[tron.transfers["tx_hash"].isin(gt["smuggling_payments"]), "value"].sum()
    )
    assert 0 < res.balances.get(hot, 0) <= paid
    dar = crypto.deposit_clusters(tron, [hot])
    assert set(dar.loc[dar["deposit"] == gt["agent_deposit"], "sender"]) == {gt["money_agent"]}
    fake, real = gt["poison"]["address"], gt["money_agent"]
    assert crypto.address_type(fake) == "tron" and fake != real
    assert fake[:6] == real[:6] and fake[-2:] == real[-2:]
    dust = tron.transfers[tron.transfers["tx_hash"] == gt["poison"]["tx_hash"]].iloc[0]
    assert dust["value"] == 1 and dust["to"] == gt["smuggler_wallet"]
    tot = crypto.address_totals(tron, [gt["smuggler_wallet"]]).iloc[0]
    assert tot["received"] == paid + 1 and tot["held"] == 1  # only the dust is left


# -- EVM addresses (EIP-55), Keccak-256, the bridge hop --------------------------------------

#: The test vectors in the text of EIP-55 (ethereum/EIPs, EIPS/eip-55.md), all checksummed.
EIP55_VECTORS = [
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
]


def test_keccak256_is_not_sha3_and_matches_known_digests():
    import hashlib

    from osintlab.reference import addresses as codec

    assert codec.keccak256(b"").hex() == (
        "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"
    )
    assert codec.keccak256(b"abc").hex() == (
        "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"
    )
    # the ERC-20 Transfer event's topic, as every explorer shows it
    assert codec.keccak256(b"Transfer(address,address,uint256)").hex() == (
        "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"
    )
    assert codec.keccak256(b"").hex() != hashlib.sha3_256(b"").hexdigest()

    # the permutation, checked against hashlib over several blocks: SHA3-256 is the same
    # sponge with padding 0x06 instead of Keccak's 0x01
    def sha3_with_our_permutation(data):
        return codec._sponge_256(data, 0x06)

    data = bytes(range(256)) * 3
    for n in (0, 1, 135, 136, 137, 272, 500, 768):
        assert sha3_with_our_permutation(data[:n]) == hashlib.sha3_256(data[:n]).digest()


@pytest.mark.parametrize("address", EIP55_VECTORS)
def test_eip55_vectors(address):
    assert crypto.evm_checksum(address.lower()) == address
    assert crypto.evm_checksum(address.upper().replace("0X", "0x")) == address
    assert crypto.address_type(address) == "evm"
    assert crypto.address_type(address.lower()) == "evm_unchecked"
    # change the case of any one letter: the checksum fails
    for i, ch in enumerate(address):
        if i >= 2 and ch.isalpha():
            bad = address[:i] + ch.swapcase() + address[i + 1 :]
            assert crypto.address_type(bad) is None
            assert "EIP-55" in crypto.address_problem(bad)


def test_evm_address_problems():
    assert "40 hex" in crypto.address_problem("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA")
    assert "not hexadecimal" in crypto.address_problem("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg")
    with pytest.raises(CryptoInputError):
        crypto.evm_checksum("0x12")


def test_bridge_matches_and_load_evm():
    a, b = EIP55_VECTORS[:2]
    src = pd.DataFrame(
        {
            "tx_hash": ["d"],
            "block": [1],
            "log_index": [0],
            "contract": "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
            "time_utc": ["2026-01-01T00:00:00Z"],
            "tx_signer": "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
            "from": "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
            "to": "TBhCfAytTEh52WFL6HYr64i2nmc3u3TCUp",
            "value": [500_000_000],
        }
    )
    dst = pd.DataFrame(
        {
            "tx_hash": ["r1", "r2", "late", "bad"],
            "block": [5, 6, 7, 8],
            "log_index": [0, 0, 0, 0],
            "contract": a,
            "time_utc": [
                "2026-01-01T00:05:00Z",
                "2026-01-01T00:03:00Z",
                "2026-01-01T02:00:00Z",
                "2026-01-01T00:04:00Z",
            ],
            "tx_signer": b,
            "from": [b, b, b, b],
            "to": [a, a, a, a[:-1] + a[-1].swapcase()],  # the last has a broken checksum
            "value": [499_000_000, 480_000_000, 499_000_000, 1],
        }
    )
    evm = crypto.load_evm({"transfers": dst})
    assert list(evm.problems["tx_hash"]) == ["bad"]
    dep = crypto.load_tron({"transfers": src}).transfers.iloc[0]
    m = crypto.bridge_matches(dep, evm, b, fee_percent=0.2)
    assert m["tx_hash"].tolist() == ["r2", "r1"]  # sorted by delay; "late" is outside the hour
    assert m.set_index("tx_hash")["fits"].to_dict() == {"r2": False, "r1": True}
    with pytest.raises(CryptoInputError, match="token ledger"):
        crypto.bridge_matches(dep, dst, b, fee_percent=0.2)


@pytest.mark.parametrize("seed", [20260301, 7, 3])
def test_bridge_hop_poisoning_and_freeze_target(seed):
    """The exercise thread: the ring's consolidation wallet pays the bridge; a look-alike of the
    bridge's vault sends it dust; the bridge releases the amount minus its fee on the EVM chain;
    the ring forwards it to a wallet that still holds it. On every seed."""
    L = case_ledgers(build_world(seed))
    gt = L["gt"]
    tron = crypto.load_tron({"transfers": pd.DataFrame(L["tron"]["trc20"])})
    evm = crypto.load_evm({"transfers": pd.DataFrame(L["evm"]["erc20"])})
    assert evm.problems.empty and tron.problems.empty
    br, ring, fake = gt["bridge"], gt["bridge"]["ring"], gt["ring_poison"]
    t = tron.transfers.set_index("tx_hash")
    pay = t.loc[ring["tron_tx"]]
    assert pay["from"] == gt["consolidation"] and pay["to"] == br["tron_deposit"]
    dust = t.loc[fake["tx_hash"]]
    assert dust["to"] == gt["consolidation"] and dust["value"] == 1
    assert fake["address"] != br["tron_deposit"]
    assert fake["address"][:6] == br["tron_deposit"][:6]
    assert fake["address"][-2:] == br["tron_deposit"][-2:]
    m = crypto.bridge_matches(pay, evm, br["evm_release"], fee_percent=br["fee_permille"] / 10)
    assert len(m) >= 2  # the decoy release falls in the same hour
    assert m.loc[m["fits"], "tx_hash"].tolist() == [ring["release_tx"]]
    held = crypto.address_totals(evm, [ring["hold_wallet"]]).iloc[0]
    assert held["held"] == ring["held"] > 0 and held["sent"] == 0
    assert crypto.address_type(ring["hold_wallet"]) == "evm"
