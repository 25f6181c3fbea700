"""Kernel side of test_fair_forms: every equivalent form of a right answer, and a wrong one.

Loaded into the kernel that ran a solution notebook. ``variants(qid, answer)`` re-expresses the
solution's answer in each form a trainee could reasonably produce (tuple, numpy, pandas, set,
float for int, ``+00:00`` / datetime / Timestamp for UTC times, ``@handle``, other letter
case); ``wrong(qid, answer)`` gives a value that must fail.
"""

from datetime import date, datetime, timedelta, timezone

import numpy as np
import pandas as pd

from osintlab import grading

KEYS = grading.load_keys()


def _leaf(value, key):
    """Equivalent forms of one canonical value (text, number, ...) under ``key``'s options."""
    form, fold = key.get("form"), key.get("fold")
    if type(value) is bool or value is None:
        return []
    if type(value) is int:
        return [
            ("float", float(value)),
            ("numpy int", np.int64(value)),
            ("numpy float", np.float64(value)),
        ]
    if type(value) is float:
        return [("numpy float", np.float64(value))]
    if type(value) is not str:
        return []
    if form == "time":
        moment = datetime.fromisoformat(value)
        return [
            ("+00:00", value[:-1] + "+00:00"),
            ("space, UTC", value[:-1].replace("T", " ") + " UTC"),
            ("aware datetime", moment),
            ("Timestamp", pd.Timestamp(moment)),
            ("Timestamp in PKT", pd.Timestamp(moment).tz_convert("Asia/Karachi")),
            ("+05:00 text", moment.astimezone(timezone(timedelta(hours=5))).isoformat()),
        ]
    if form == "date":
        return [("date", date.fromisoformat(value)), ("Timestamp", pd.Timestamp(value))]
    if form == "handle":
        return [
            ("@handle", "@" + value),
            ("upper case", value.upper()),
            ("@ and spaces", f" @{value.capitalize()} "),
        ]
    out = [("numpy str", np.str_(value))]
    if fold:
        out += [("upper case", value.upper()), ("spaces", f"  {value.title()} ")]
    return out


def _zip(containers, leaf_forms):
    """Pair each container form with one form of the items, cycling the shorter list, so that
    every container form and every item form is tried at least once in few runs."""
    out = []
    for i in range(max(len(containers), len(leaf_forms))):
        (c_label, make), (l_label, items) = (
            containers[i % len(containers)],
            leaf_forms[i % len(leaf_forms)],
        )
        out.append((f"{c_label} of {l_label}" if l_label else c_label, make(items)))
    return out


def _item_forms(items, key):
    """[(label, items)]: the items as written, then each item in its i-th equivalent form."""
    per_item = [_leaf(v, key) for v in items]
    out = [("", list(items))]
    for i in range(max((len(p) for p in per_item), default=0)):
        forms = [p[i % len(p)] if p else (None, v) for p, v in zip(per_item, items)]
        out.append((", ".join(sorted({f[0] for f in forms if f[0]})), [f[1] for f in forms]))
    return out


def _seq_variants(items, key, *, unordered):
    containers = [("tuple", tuple), ("pandas Series", pd.Series), ("pandas Index", pd.Index)]
    plain = [v for v in items if v is not None]
    if (
        plain
        and len({type(v) for v in plain}) == 1
        and len(plain) == len(items)
        and type(plain[0]) in (str, int, float)
    ):
        containers.append(("numpy array", np.array))
    if key.get("form") == "time":
        containers += [
            ("Series of Timestamps", lambda v: pd.Series(pd.to_datetime(v, utc=True))),
            ("DatetimeIndex", lambda v: pd.to_datetime(v, utc=True)),
        ]
    if unordered:
        containers += [
            ("set", set),
            ("reversed list", lambda v: list(reversed(v))),
            ("dict keys", lambda v: dict.fromkeys(v).keys()),
        ]
    return _zip(containers, _item_forms(items, key))


def variants(qid, answer):
    """[(label, value)]: the right answer in every equivalent form that applies."""
    key = KEYS[qid]
    kind = key["kind"]
    value = grading.canonical_answer(qid, answer)
    if kind in ("value", "time", "number"):
        out = _leaf(value, key)
        if kind == "number" and type(value) is float and value.is_integer():
            out.append(("int", int(value)))
        return out
    if kind in ("list", "set"):
        return _seq_variants(value, key, unordered=kind == "set")
    # mapping: container forms of the dict zipped with forms of its values
    keys_ = list(value)
    containers = [
        ("reversed dict", lambda vs: dict(reversed(list(zip(keys_, vs))))),
        ("pandas Series", lambda vs: pd.Series(dict(zip(keys_, vs)))),
    ]
    if key.get("key_form") == "handle":
        containers.append(
            ("dict with @HANDLE keys", lambda vs: {"@" + k.upper(): v for k, v in zip(keys_, vs)})
        )
    forms = _item_forms([value[k] for k in keys_], key)
    if any(type(v) is list for v in value.values()):
        lists = [value[k] for k in keys_]
        forms.append(("tuple values", [tuple(v) if type(v) is list else v for v in lists]))
        forms.append(
            (
                "numpy array values",
                [np.array(v, dtype=object) if type(v) is list else v for v in lists],
            )
        )
        if key.get("unordered"):
            forms.append(
                ("reversed lists", [list(reversed(v)) if type(v) is list else v for v in lists])
            )
            forms.append(("set values", [set(v) if type(v) is list else v for v in lists]))
    return _zip(containers, forms)


def _wrong_leaf(value, key):
    if type(value) is str:
        if key.get("form") == "time":
            return grading.canonical(datetime.fromisoformat(value) + timedelta(hours=1))
        if key.get("form") == "date":
            return (date.fromisoformat(value) + timedelta(days=1)).isoformat()
        return value + "9"
    if type(value) is bool:
        return not value
    if type(value) in (int, float):
        return value + 1 + abs(value) * 0.1
    if type(value) is list:
        return value[:-1] if value else ["x"]
    return "x"


def wrong(qid, answer):
    """A wrong answer of the right form."""
    key = KEYS[qid]
    kind = key["kind"]
    value = grading.canonical_answer(qid, answer)
    if kind in ("value", "time", "number"):
        return _wrong_leaf(value, key)
    if kind == "set":
        return value[:-1] if len(value) > 1 else [_wrong_leaf(value[0], key)]
    if kind == "list":
        if len(value) > 1 and list(reversed(value)) != value:
            return list(reversed(value))
        return value[:-1] + [_wrong_leaf(value[-1], key)]
    k = next((k for k, v in value.items() if v is not None), next(iter(value)))
    return {**value, k: _wrong_leaf(value[k], key)}
