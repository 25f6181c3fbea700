import io
import json
import sys
from contextlib import redirect_stderr, redirect_stdout
from datetime import UTC, date, datetime
from pathlib import PurePosixPath

import numpy as np
import pandas as pd
import pytest

from osintlab import data, grading
from osintlab.trainer.authoring import FRESH_GRADING


class AlwaysEqual:
    def __eq__(self, other):
        return True

    def __hash__(self):
        return 0


class SneakyStr(str):
    def __eq__(self, other):
        return True


def key(value, kind="value", **kw):
    return grading.make_key("t.q", value, kind=kind, seed=1, **kw)


def test_canonical_converts_numpy_pandas_and_containers():
    assert grading.canonical(np.int64(3)) == 3 and type(grading.canonical(np.int64(3))) is int
    assert grading.canonical(pd.Series(["a", "b"])) == ["a", "b"]
    assert grading.canonical((1, {2, 1})) == [1, [1, 2]]
    assert grading.canonical(datetime(2026, 1, 1, 5, tzinfo=UTC)) == "2026-01-01T05:00:00Z"
    assert grading.canonical(pd.Timestamp("2026-01-01T05:00Z")) == "2026-01-01T05:00:00Z"
    assert grading.canonical(date(2026, 1, 2)) == "2026-01-02"
    assert grading.canonical(PurePosixPath("a/b")) == "a/b"
    assert grading.canonical(2.0) == 2


@pytest.mark.parametrize(
    "bad",
    [
        AlwaysEqual(),
        SneakyStr("x"),
        datetime(2026, 1, 1),
        float("nan"),
        pd.DataFrame({"a": [1]}),
        object(),
    ],
)
def test_canonical_refuses_non_plain_data(bad):
    with pytest.raises(grading.CanonicalError):
        grading.canonical(bad)


def test_always_equal_and_subclass_answers_fail():
    k = key("x")
    assert not grading.compare(k, AlwaysEqual()).ok
    assert not grading.compare(k, SneakyStr("x")).ok
    assert grading.compare(k, "x").ok


def test_set_key_counts_without_revealing():
    k = key(["a", "b", "c"], "set")
    assert grading.compare(k, {"c", "b", "a"}).ok
    v = grading.compare(k, ["a", "z"])
    assert (
        not v.ok
        and "1 of your 2 items is right" in v.message
        and "a"
        not in v.message.replace("are", "")  # noqa: B005 (strip those letters)
        .replace("and", "")
        .split("right")[1]
        .split("missing")[0]
        .strip("; 2expectditemis")
    )
    assert "same item more than once" in grading.compare(k, ["a", "a", "b"]).message
    assert "b" not in grading.compare(k, ["a"]).message


def test_list_key_names_wrong_positions():
    k = key([1, 2, 3], "list")
    assert grading.compare(k, np.array([1, 2, 3])).ok
    assert "position 1" in grading.compare(k, [1, 5, 3]).message
    assert "3 are expected" in grading.compare(k, [1, 2]).message


def test_mapping_key_reports_wrong_missing_and_extra_keys():
    k = key({"S01": "A2", "S02": "F6"}, "mapping")
    assert grading.compare(k, {"S02": "F6", "S01": "A2"}).ok
    msg = grading.compare(k, {"S01": "B2", "S99": "A1"}).message
    assert "1 value of 1 is wrong" in msg and "'S99'" in msg and "1 expected key missing" in msg
    assert "A2" not in msg and "'S01'" not in msg


def test_number_key_tolerates_last_place_only():
    k = key(12.345, "number", decimals=2)
    assert grading.compare(k, 12.35).ok and grading.compare(k, 12.34).ok
    assert grading.compare(k, np.float64(12.3449)).ok
    assert not grading.compare(k, 12.40).ok
    assert not grading.compare(k, "12.35").ok
    assert not grading.compare(k, True).ok


def test_fold_ignores_case_and_spaces():
    k = key("AbC", fold=True)
    assert grading.compare(k, "  abc ").ok


def test_make_key_rejects_unknown_kind_and_wrong_shapes():
    with pytest.raises(ValueError):
        key(1, "fuzzy")
    with pytest.raises(ValueError):
        key("x", "set")
    with pytest.raises(ValueError):
        key([1], "mapping")


def test_check_answer_prints_tick_and_never_writes_stderr():
    keys = grading.load_keys()
    qid = "01.first_capture"
    assert qid in keys
    err, out = io.StringIO(), io.StringIO()
    with redirect_stderr(err), redirect_stdout(out):
        with pytest.raises(AssertionError) as exc:
            grading.check_answer(qid, "CAP-99")
    assert err.getvalue() == "" and qid in str(exc.value)
    with pytest.raises(AssertionError, match="no answer key"):
        grading.check_answer("99.nothing", 1)


def test_module_is_read_only():
    with pytest.raises(AttributeError, match="read-only"):
        grading.check_answer = lambda *a, **k: True
    with pytest.raises(AttributeError):
        del grading.compare


def test_fresh_copy_ignores_a_replaced_module(monkeypatch):
    fake = type(sys)("osintlab.grading")
    fake.check_answer = lambda *a, **k: True
    monkeypatch.setitem(sys.modules, "osintlab.grading", fake)
    ns = {}
    exec(FRESH_GRADING, ns)
    fresh = ns["_g"]
    assert fresh is not fake
    with pytest.raises(AssertionError):
        fresh.check_answer("01.first_capture", "CAP-99")


def test_keys_file_corrupt_gives_clear_error(tmp_path, use_datasets):
    (tmp_path / "manifest.json").write_text(json.dumps({"files": {}}))
    (tmp_path / "answer_keys.json").write_text("{oops")
    use_datasets(tmp_path)
    with pytest.raises(data.DatasetError, match=r"answer_keys.json: answer keys are corrupt"):
        grading.check_answer("01.first_capture", "x")


def test_fresh_copy_loads_when_grading_was_never_imported():
    import subprocess

    code = FRESH_GRADING + "print(_g.compare(_g.make_key('q', 1, seed=1), 1).ok)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "True"


def test_patched_hashlib_cannot_make_answers_pass(monkeypatch):
    import hashlib

    class Yes(str):
        def __eq__(self, other):
            return True

        __hash__ = str.__hash__

    class FakeHash:
        def __init__(self, *a, **k):
            pass

        def hexdigest(self):
            return Yes("0" * 64)

    monkeypatch.setattr(hashlib, "sha256", FakeHash)
    ns = {}
    exec(FRESH_GRADING, ns)
    with pytest.raises(AssertionError):
        ns["_g"].check_answer("01.first_capture", "CAP-99")


# -- one fair comparison: every form of a right answer, a message naming the form otherwise ----


def test_time_kind_accepts_every_notation_of_the_moment():
    k = key("2026-06-26T06:28:00Z", "time")
    moment = datetime(2026, 6, 26, 6, 28, tzinfo=UTC)
    for answer in [
        "2026-06-26T06:28:00Z",
        "2026-06-26T06:28:00+00:00",
        "2026-06-26 06:28:00 UTC",
        "2026-06-26T11:28:00+05:00",
        "2026-06-26T06:28Z",
        moment,
        pd.Timestamp(moment),
        pd.Timestamp(moment).tz_convert("Asia/Karachi"),
    ]:
        assert grading.compare(k, answer).ok, answer
    assert not grading.compare(k, "2026-06-26T07:28:00Z").ok
    naive = grading.compare(k, "2026-06-26T06:28:00")
    assert not naive.ok and naive.form and "no time zone" in naive.message
    assert "2026-03-04T09:05:00Z" in grading.compare(k, 5).message


def test_time_form_in_lists_and_mappings():
    k = key(["2026-06-26T06:28:00Z", "2026-06-27T00:00:00Z"], "list", form="time")
    assert grading.compare(
        k, pd.Series(pd.to_datetime(["2026-06-26T06:28Z", "2026-06-27T05:00+05:00"], utc=True))
    ).ok
    m = key({"R1": "2026-06-26T06:28:00Z"}, "mapping", form="time")
    assert grading.compare(m, {"R1": "2026-06-26T06:28:00+00:00"}).ok
    assert grading.compare(m, pd.Series({"R1": pd.Timestamp("2026-06-26T06:28Z")})).ok


def test_date_handle_and_unordered_forms():
    d = key({"P1": "2026-01-13"}, "mapping", form="date")
    assert grading.compare(d, {"P1": date(2026, 1, 13)}).ok
    assert grading.compare(d, {"P1": pd.Timestamp("2026-01-13")}).ok
    h = key("baba.crescentway", form="handle")
    assert grading.compare(h, " @Baba.Crescentway ").ok and not grading.compare(h, "baba").ok
    r = key({"old.name": "A1"}, "mapping", keys="handle")
    assert grading.compare(r, {"@Old.Name": "A1"}).ok
    u = key({"D1": ["A", "B"]}, "mapping", unordered=True)
    assert grading.compare(u, {"D1": ("B", "A")}).ok and grading.compare(u, {"D1": {"A", "B"}}).ok


def test_fold_is_for_values_not_mapping_keys():
    k = key({"N01": "TikTok Technology Limited"}, "mapping", fold=True)
    assert grading.compare(k, {"N01": "tiktok technology limited "}).ok
    assert not grading.compare(k, {"n01": "TikTok Technology Limited"}).ok


def test_series_is_a_mapping_and_nan_is_none():
    k = key({"a": 1, "b": None}, "mapping")
    assert grading.compare(k, pd.Series({"a": 1, "b": None})).ok
    assert grading.compare(
        key({"a": "x", "b": None}, "mapping"), pd.Series({"a": "x", "b": None})
    ).ok
    assert "repeats a key" in grading.compare(k, pd.Series([1, 2], index=["a", "a"])).message


def test_numbers_and_containers_in_any_reasonable_form():
    assert grading.compare(key(14), np.int32(14)).ok and grading.compare(key(14), 14.0).ok
    assert grading.compare(key(10000.0, "number", decimals=0), 10000).ok
    s = key(["a", "b"], "set")
    for answer in [("b", "a"), np.array(["a", "b"]), pd.Index(["b", "a"]), {"a": 1, "b": 2}.keys()]:
        assert grading.compare(s, answer).ok, answer


def test_wrong_form_names_the_expected_form_and_hides_the_value_hint():
    k = grading.make_key("t.q", "Lahore", seed=1, fold=True, hint="nearest place")
    v = grading.compare(k, ("Lahore", 3.36))
    assert not v.ok and v.form and "give text" in v.message
    assert "order" in grading.compare(key(["PK", "AE"], "list"), {"PK", "AE"}).message
    assert "give text" in grading.compare(key("356938035643809"), 356938035643809).message
    assert "not text" in grading.compare(key(["E1"], "set"), [1]).message


def test_canonical_answer_is_what_hidden_tests_check():
    keys = grading.load_keys()
    assert keys["03.partner_sign_photo_utc"]["kind"] == "time"
    assert grading.canonical_answer("02.peak_hour_pkt", np.int64(3)) == 3
    assert type(grading.canonical_answer("02.peak_hour_pkt", 3.0)) is int
    with pytest.raises(AssertionError, match="give a number"):
        grading.canonical_answer("02.peak_hour_pkt", "3")
    with pytest.raises(AssertionError, match="no time zone"):
        grading.canonical_answer("03.partner_sign_photo_utc", "2026-02-26T11:55:19")


def test_forms_keep_the_anti_tamper_rules():
    k = key("2026-06-26T06:28:00Z", "time")
    assert not grading.compare(k, SneakyStr("2026-06-26T06:28:00Z")).ok
    assert not grading.compare(k, AlwaysEqual()).ok
    fake = type(
        "Series",
        (),
        {
            "__module__": "pandas.core.series",
            "tolist": lambda self: [AlwaysEqual()],
            "index": pd.Index(["a"]),
        },
    )
    assert not grading.compare(key({"a": 1}, "mapping"), fake()).ok
    assert not grading.compare(key(["a"], "list"), fake()).ok


def test_patched_compare_digest_cannot_make_answers_pass(monkeypatch):
    import hmac

    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: True)
    ns = {}
    exec(FRESH_GRADING, ns)
    assert not ns["_g"].compare(ns["_g"].make_key("q", "right", seed=1), "wrong").ok
    assert not grading.compare(key("right"), "wrong").ok
