"""Check a trainee's answer against the scenario's salted answer key, without revealing it.

Keys live in ``datasets/answer_keys.json``: for each question a salt and SHA-256 hashes of the
expected answer (and of its items, so feedback can say *how many* are right). An answer is first
canonicalised to plain JSON types — exact ``str``, ``int``, ``float``, ``bool``, ``None``,
``list`` and ``dict`` — so a subclass or an object that claims to equal everything cannot pass.

    >>> key = make_key("demo.q1", ["b", "a"], kind="set", seed=1)
    >>> compare(key, ["a", "b"]).ok
    True
    >>> compare(key, ["a", "c"]).message
    '1 of your 2 items is right; 1 expected item is missing; 1 of your items is not expected'

In a notebook, ``check_answer("01.capture_hash", answer)`` prints a tick or raises
``AssertionError`` with what is wrong. Nothing is ever written to stderr (nbgrader scores any
stderr in a test cell as zero). This module is read-only once imported, and hidden tests load a
fresh copy of it, so patching it from a notebook changes nothing.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import math
import sys
import types
from datetime import date, datetime, timezone
from pathlib import PurePath
from typing import NamedTuple

__all__ = ["check_answer", "compare", "canonical", "make_key", "load_keys", "CanonicalError",
           "Verdict", "KINDS"]

KINDS = ("value", "set", "list", "mapping", "number")


class CanonicalError(TypeError):
    """An answer contains something that is not plain data (and so cannot be checked)."""


# ---------------------------------------------------------------------------------------------
# Canonical form
# ---------------------------------------------------------------------------------------------

def canonical(value, *, fold: bool = False, _path: str = "answer"):
    """Return ``value`` as plain JSON data, or raise :class:`CanonicalError`.

    numpy scalars and arrays, pandas Series/Index/Timestamp, tuples, sets, paths and aware
    datetimes are converted; subclasses of built-in types and unknown objects are refused.
    ``fold=True`` strips and case-folds every string.

    >>> canonical((1, 2.0, "X"), fold=True)
    [1, 2, 'x']
    >>> canonical({"b": {3, 1}})
    {'b': [1, 3]}
    """
    t = type(value)
    if value is None or t is bool:
        return value
    if t is int:
        return value
    if t is float:
        if not math.isfinite(value):
            raise CanonicalError(f"{_path} is {value!r}; give a finite number")
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if t is str:
        return value.strip().casefold() if fold else value
    module = getattr(t, "__module__", "") or ""
    if module.startswith("numpy"):
        if hasattr(value, "tolist"):
            return canonical(value.tolist(), fold=fold, _path=_path)
        raise CanonicalError(f"{_path} is a numpy {t.__name__}, which cannot be checked")
    if module.startswith("pandas"):
        name = t.__name__
        if name == "Timestamp":
            return canonical(value.to_pydatetime(), fold=fold, _path=_path)
        if name in {"Series", "Index"} or name.endswith("Index") or name.endswith("Array"):
            return [canonical(v, fold=fold, _path=f"{_path}[{i}]")
                    for i, v in enumerate(list(value))]
        if name == "DataFrame":
            raise CanonicalError(f"{_path} is a whole DataFrame; give the column or values "
                                 "the question asks for (e.g. df['col'].tolist())")
        if name in {"NaTType", "NAType"}:
            return None
        raise CanonicalError(f"{_path} is a pandas {name}, which cannot be checked")
    if t in (list, tuple):
        return [canonical(v, fold=fold, _path=f"{_path}[{i}]") for i, v in enumerate(value)]
    if t in (set, frozenset):
        items = [canonical(v, fold=fold, _path=f"{_path} item") for v in value]
        return sorted(items, key=_dump)
    if t is dict:
        out = {}
        for k, v in value.items():
            kk = canonical(k, fold=fold, _path=f"{_path} key")
            if type(kk) is not str:
                kk = _dump(kk)
            out[kk] = canonical(v, fold=fold, _path=f"{_path}[{k!r}]")
        return out
    if t is datetime:
        if value.utcoffset() is None:
            raise CanonicalError(f"{_path} is a datetime without a time zone ({value}); "
                                 "make it aware, e.g. in UTC")
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if t is date:
        return value.isoformat()
    if isinstance(value, PurePath) and module.startswith("pathlib"):
        return value.as_posix()
    raise CanonicalError(f"{_path} is a {t.__module__}.{t.__qualname__}; answers must be plain "
                         "text, numbers, True/False, lists or dicts")


def _dump(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


try:                                  # the C implementation, bound once at import
    from _hashlib import openssl_sha256 as _SHA256
except ImportError:                   # pragma: no cover - builds without OpenSSL
    _SHA256 = hashlib.sha256


def _hash(salt: str, value) -> str:
    digest = _SHA256((salt + "\x00" + _dump(value)).encode("utf-8")).hexdigest()
    if type(digest) is not str:       # a patched hash function returning a str look-alike
        raise CanonicalError("the hash function was replaced; answers cannot be checked")
    return digest


def _same(a: str, b: str) -> bool:
    """Constant-time, type-strict comparison of two hex digests."""
    return type(a) is str and type(b) is str and hmac.compare_digest(a, b)


def _fmt_number(value: float, decimals: int) -> str:
    return f"{round(value, decimals):.{decimals}f}"


# ---------------------------------------------------------------------------------------------
# Keys
# ---------------------------------------------------------------------------------------------

def make_key(qid: str, value, *, kind: str = "value", seed: int = 0, fold: bool = False,
             decimals: int = 2, hint: str = "") -> dict:
    """Build the salted key of question ``qid`` from its expected ``value``.

    kind ``value`` compares the whole answer; ``set`` ignores order; ``list`` checks each
    position; ``mapping`` checks each key's value; ``number`` accepts the value rounded to
    ``decimals`` places, give or take one unit in the last place.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown key kind {kind!r}; use one of {KINDS}")
    salt = hashlib.sha256(f"osintlab-key/{seed}/{qid}".encode()).hexdigest()[:16]
    key = {"kind": kind, "salt": salt, "fold": fold, "hint": hint}
    if kind == "number":
        key["decimals"] = decimals
        key["hash"] = _hash(salt, _fmt_number(float(value), decimals))
        return key
    canon = canonical(value, fold=fold, _path=f"key {qid}")
    if kind == "set":
        if type(canon) is not list:
            raise ValueError(f"key {qid}: a set key needs a collection, got {type(value)}")
        items = sorted({_dump(v) for v in canon})
        key["items"] = sorted(_hash(salt, json.loads(i)) for i in items)
        key["hash"] = _hash(salt, [json.loads(i) for i in items])
    elif kind == "list":
        if type(canon) is not list:
            raise ValueError(f"key {qid}: a list key needs a sequence, got {type(value)}")
        key["items"] = [_hash(salt, [i, v]) for i, v in enumerate(canon)]
        key["hash"] = _hash(salt, canon)
    elif kind == "mapping":
        if type(canon) is not dict:
            raise ValueError(f"key {qid}: a mapping key needs a dict, got {type(value)}")
        key["keys"] = sorted(_hash(salt, ["key", k]) for k in canon)
        key["items"] = sorted(_hash(salt, [k, v]) for k, v in canon.items())
        key["hash"] = _hash(salt, canon)
    else:
        key["hash"] = _hash(salt, canon)
    return key


class Verdict(NamedTuple):
    """The outcome of a comparison (a plain class: this module must load without being in
    ``sys.modules``, which dataclasses with string annotations need)."""

    ok: bool
    message: str


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def compare(key: dict, answer) -> Verdict:
    """Compare ``answer`` with ``key``; the message says what is wrong, never what is right."""
    kind, salt, fold = key["kind"], key["salt"], key.get("fold", False)
    try:
        if kind == "number":
            t = type(answer)
            if t is bool or not (t in (int, float) or
                                 getattr(t, "__module__", "").startswith("numpy")):
                raise CanonicalError(f"answer is a {t.__name__}; give a number")
            number = canonical(answer)
            if type(number) not in (int, float):
                raise CanonicalError(f"answer is a {t.__name__}; give a single number")
            step = 10 ** -key["decimals"]
            ok = any(_same(_hash(salt, _fmt_number(number + k * step, key["decimals"])),
                           key["hash"]) for k in (0, -1, 1))
            return Verdict(ok, "correct" if ok else
                           f"the number is not right (checked to {key['decimals']} decimals)")
        canon = canonical(answer, fold=fold)
    except CanonicalError as exc:
        return Verdict(False, str(exc))
    if kind == "set":
        if type(canon) is not list:
            return Verdict(False, f"give a list or set of items, not a single "
                                  f"{type(canon).__name__}")
        mine = {_dump(v) for v in canon}
        if len(mine) != len(canon):
            return Verdict(False, "your answer lists the same item more than once")
        expected = set(key["items"])
        right = sum(_hash(salt, json.loads(v)) in expected for v in mine)
        if right == len(mine) == len(expected):
            return Verdict(True, "correct")
        parts = [f"{right} of your {_plural(len(mine), 'item')} "
                 f"{'is' if right == 1 else 'are'} right"]
        if len(expected) - right:
            parts.append(f"{_plural(len(expected) - right, 'expected item')} "
                         f"{'is' if len(expected) - right == 1 else 'are'} missing")
        if len(mine) - right:
            parts.append(f"{len(mine) - right} of your items "
                         f"{'is' if len(mine) - right == 1 else 'are'} not expected")
        return Verdict(False, "; ".join(parts))
    if kind == "list":
        if type(canon) is not list:
            return Verdict(False, f"give a list, not a {type(canon).__name__}")
        if _same(_hash(salt, canon), key["hash"]):
            return Verdict(True, "correct")
        n = len(key["items"])
        if len(canon) != n:
            return Verdict(False, f"your list has {len(canon)} entries; {n} are expected")
        wrong = [i for i, v in enumerate(canon) if _hash(salt, [i, v]) != key["items"][i]]
        return Verdict(False, f"wrong at {_plural(len(wrong), 'position')} "
                              f"{', '.join(str(i) for i in wrong)} (counting from 0)")
    if kind == "mapping":
        if type(canon) is not dict:
            return Verdict(False, f"give a dict, not a {type(canon).__name__}")
        if _same(_hash(salt, canon), key["hash"]):
            return Verdict(True, "correct")
        keys, items = set(key["keys"]), set(key["items"])
        extra = [k for k in canon if _hash(salt, ["key", k]) not in keys]
        wrong = [k for k in canon if k not in extra and _hash(salt, [k, canon[k]]) not in items]
        missing = len(keys) - (len(canon) - len(extra))
        parts = []
        if wrong:
            # Count, don't name: naming each wrong key would let anyone find every value by
            # trying them one at a time.
            parts.append(f"{_plural(len(wrong), 'value')} of {len(canon) - len(extra)} "
                         f"{'is' if len(wrong) == 1 else 'are'} wrong")
        if extra:
            parts.append("unexpected " + ("key " if len(extra) == 1 else "keys ")
                         + ", ".join(repr(k) for k in extra))
        if missing:
            parts.append(f"{_plural(missing, 'expected key')} missing")
        return Verdict(False, "; ".join(parts) or "not right")
    ok = _same(_hash(salt, canon), key["hash"])
    return Verdict(ok, "correct" if ok else "not right")


# ---------------------------------------------------------------------------------------------
# Notebook entry point
# ---------------------------------------------------------------------------------------------

_KEYS_CACHE: dict = {}


def load_keys(datasets=None) -> dict:
    """Read ``answer_keys.json`` of the datasets folder in use (see :mod:`osintlab.data`)."""
    from . import data
    folder = data.datasets_dir() if datasets is None else datasets
    path = folder / "answer_keys.json"
    stamp = (str(path), path.stat().st_mtime_ns if path.exists() else None)
    if _KEYS_CACHE.get("stamp") != stamp:
        if not path.exists():
            raise data.DatasetError(f"{path}: answer keys missing; rebuild with "
                                    "'osintlab data build'")
        try:
            keys = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise data.DatasetError(f"{path}: answer keys are corrupt ({exc})") from None
        _KEYS_CACHE.clear()
        _KEYS_CACHE.update(stamp=stamp, keys=keys)
    return _KEYS_CACHE["keys"]


def check_answer(qid: str, answer, *, quiet: bool = False) -> bool:
    """Check ``answer`` to question ``qid``: print a tick, or raise ``AssertionError``.

    >>> check_answer("01.no_such_question", 1)  # doctest: +SKIP
    Traceback (most recent call last):
    AssertionError: no answer key for '01.no_such_question' ...
    """
    keys = load_keys()
    if qid not in keys:
        raise AssertionError(f"no answer key for {qid!r}; is datasets/ up to date "
                             "('osintlab data build')?")
    key = keys[qid]
    verdict = compare(key, answer)
    if not verdict.ok:
        hint = f" Hint: {key['hint']}" if key.get("hint") else ""
        raise AssertionError(f"{qid}: {verdict.message}.{hint}")
    if not quiet:
        print(f"\u2714 {qid}: correct")
    return True


class _ReadOnlyModule(types.ModuleType):
    """Refuse monkeypatching: graded answers must be judged by the real helpers."""

    def __setattr__(self, name, value):
        raise AttributeError(f"osintlab.grading is read-only (tried to set {name!r})")

    def __delattr__(self, name):
        raise AttributeError(f"osintlab.grading is read-only (tried to delete {name!r})")


_self = sys.modules.get(__name__)
if _self is not None and getattr(_self, "__dict__", None) is globals():
    _self.__class__ = _ReadOnlyModule
del _self
