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
import json
import math
import sys
import types
from datetime import UTC, date, datetime
from pathlib import PurePath
from typing import NamedTuple

__all__ = [
    "check_answer",
    "canonical_answer",
    "compare",
    "canonical",
    "make_key",
    "load_keys",
    "CanonicalError",
    "Verdict",
    "KINDS",
    "FORMS",
]

KINDS = ("value", "set", "list", "mapping", "number", "time")

#: Forms of a single value where several spellings mean the same thing (see :func:`canonical`).
FORMS = ("time", "date", "handle")

_TIME_EXAMPLE = "2026-03-04T09:05:00Z"


class CanonicalError(TypeError):
    """An answer contains something that is not plain data (and so cannot be checked)."""


# ---------------------------------------------------------------------------------------------
# Canonical form
# ---------------------------------------------------------------------------------------------


def canonical(
    value,
    *,
    fold: bool = False,
    form: str | None = None,
    keys: str | None = None,
    unordered: bool = False,
    _path: str = "answer",
):
    """Return ``value`` as plain JSON data, or raise :class:`CanonicalError`.

    numpy scalars and arrays, pandas Series/Index/Timestamp, tuples, sets, dict views, paths
    and aware datetimes are converted; subclasses of built-in types and unknown objects are
    refused; NaN inside a pandas object is its way of writing None. ``fold=True`` strips and
    case-folds every string (a mapping's keys are ids and stay as written). ``form`` says
    what each single value is, so that every way of writing it gives one canonical text:

    - ``"time"``: a moment, as ISO-8601 text with any zone (``Z``, ``+00:00``, ``+05:00``,
      `` UTC``), an aware ``datetime`` or a pandas ``Timestamp`` -> ``YYYY-MM-DDTHH:MM:SSZ``;
    - ``"date"``: a calendar date, as ``YYYY-MM-DD`` text, a ``date``, or a datetime (taken in
      UTC when it is aware) -> ``YYYY-MM-DD``;
    - ``"handle"``: an account handle, with or without a leading ``@``, in any case.

    ``keys`` gives the form of a mapping's keys (only ``"handle"``); ``unordered=True`` sorts
    every list, for answers whose lists have no meaningful order.

    >>> canonical((1, 2.0, "X"), fold=True)
    [1, 2, 'x']
    >>> canonical({"b": {3, 1}})
    {'b': [1, 3]}
    >>> canonical(["2026-06-26T11:28:00+05:00", "2026-06-26 06:28 UTC"], form="time")
    ['2026-06-26T06:28:00Z', '2026-06-26T06:28:00Z']
    >>> canonical({"@Old.Name": "A-1"}, keys="handle")
    {'old.name': 'A-1'}
    """
    if form not in (None,) + FORMS:
        raise ValueError(f"unknown form {form!r}; use one of {FORMS}")
    if keys not in (None, "handle"):
        raise ValueError(f"unknown key form {keys!r}")
    return _canon(value, (fold, form, keys, unordered), _path)


def _canon(value, opts, path):
    fold, form, keys, unordered = opts
    t = type(value)
    if (
        form is not None
        and value is not None
        and (t in (str, datetime, date) or _type_name(t) == ("pandas", "Timestamp"))
    ):
        return _FORM_CANON[form](value, path)
    if value is None or t is bool:
        return value
    if form in ("time", "date") and t in (int, float):
        raise CanonicalError(f"{path} is a number; give {_FORM_TEXT[form]}")
    if t is int:
        return value
    if t is float:
        if not math.isfinite(value):
            raise CanonicalError(f"{path} is {value!r}; give a finite number")
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if t is str:
        return value.strip().casefold() if fold else value
    module, name = _type_name(t)
    if module == "numpy":
        if hasattr(value, "tolist"):
            return _canon(value.tolist(), opts, path)
        raise CanonicalError(f"{path} is a numpy {name}, which cannot be checked")
    if module == "pandas":
        if name == "Timestamp":
            return _canon(value.to_pydatetime(), opts, path)
        if name in {"Series", "Index"} or name.endswith("Index") or name.endswith("Array"):
            return _seq(_missing_as_none(value.tolist()), opts, path)
        if name == "DataFrame":
            raise CanonicalError(
                f"{path} is a whole DataFrame; give the column or values "
                "the question asks for (e.g. df['col'].tolist())"
            )
        if name in {"NaTType", "NAType"}:
            return None
        raise CanonicalError(f"{path} is a pandas {name}, which cannot be checked")
    if t in (list, tuple) or t in _DICT_VIEWS:
        return _seq(list(value), opts, path)
    if t in (set, frozenset):
        items = [_canon(v, opts, f"{path} item") for v in value]
        return sorted(items, key=_dump)
    if t is dict:
        out = {}
        for k, v in value.items():
            # fold is for values: a mapping's keys are ids, compared as written
            kk = _canon(k, (False, keys, None, unordered), f"{path} key")
            if type(kk) is not str:
                kk = _dump(kk)
            out[kk] = _canon(v, opts, f"{path}[{k!r}]")
        return out
    if t is datetime:
        if value.utcoffset() is None:
            raise CanonicalError(
                f"{path} is a datetime without a time zone ({value}); make it aware, e.g. in UTC"
            )
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if t is date:
        return value.isoformat()
    if isinstance(value, PurePath) and module == "pathlib":
        return value.as_posix()
    raise CanonicalError(
        f"{path} is a {t.__module__}.{t.__qualname__}; answers must be plain "
        "text, numbers, True/False, lists or dicts"
    )


_DICT_VIEWS = (type({}.keys()), type({}.values()))


def _missing_as_none(values: list) -> list:
    """pandas writes a missing value (None) as NaN in many dtypes: read it back as None."""
    return [None if type(v) is float and v != v else v for v in values]


def _seq(values, opts, path):
    out = [_canon(v, opts, f"{path}[{i}]") for i, v in enumerate(values)]
    return sorted(out, key=_dump) if opts[3] else out


def _type_name(t) -> tuple[str, str]:
    """(top-level package, class name) of a type: numpy and pandas are recognised by name,
    so this module never imports them."""
    module = getattr(t, "__module__", "") or ""
    return (module.split(".")[0] if type(module) is str else ""), getattr(t, "__name__", "")


def _moment(value, path, what):
    """An aware datetime (or a naive one, for dates) from text, a datetime or a Timestamp."""
    if _type_name(type(value)) == ("pandas", "Timestamp"):
        value = value.to_pydatetime()
    t = type(value)
    if t is datetime:
        return value
    if t is date:
        return value
    text = value.strip()
    upper = text.upper()
    for suffix in (" UTC", "UTC", " GMT", "GMT", "Z"):
        if upper.endswith(suffix) and len(text) > len(suffix) + 9:
            text = text[: -len(suffix)].rstrip() + "+00:00"
            break
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise CanonicalError(f"{path} ({value!r}) is not {what}") from None
    return parsed if len(text) > 10 else parsed.date()


def _as_time(value, path):
    utc = f"give it in UTC like {_TIME_EXAMPLE}"
    moment = _moment(value, path, f"a date and time; {utc}")
    if type(moment) is date:
        raise CanonicalError(f"{path} ({value!r}) is a date without a time; {utc}")
    if moment.utcoffset() is None:
        raise CanonicalError(
            f"{path} ({value!r}) has no time zone, so it could be any of 24 "
            f"moments; {utc} (or as an aware datetime)"
        )
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _as_date(value, path):
    moment = _moment(value, path, "a date; give it as text like 2026-03-04")
    if type(moment) is datetime:
        if moment.utcoffset() is not None:
            moment = moment.astimezone(UTC)
        moment = moment.date()
    return moment.isoformat()


def _as_handle(value, path):
    if type(value) is not str:
        raise CanonicalError(f"{path} is a {type(value).__name__}; give the handle as text")
    text = value.strip()
    return (text[1:] if text.startswith("@") else text).strip().casefold()


_FORM_CANON = {"time": _as_time, "date": _as_date, "handle": _as_handle}
_FORM_TEXT = {
    "time": f"a UTC time as text like {_TIME_EXAMPLE}",
    "date": "a date as text like 2026-03-04",
    "handle": "a handle as text",
}


def _dump(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


try:  # the C implementation, bound once at import
    from _hashlib import openssl_sha256 as _SHA256
except ImportError:  # pragma: no cover - builds without OpenSSL
    _SHA256 = hashlib.sha256


def _hash(salt: str, value) -> str:
    digest = _SHA256((salt + "\x00" + _dump(value)).encode("utf-8")).hexdigest()
    if type(digest) is not str:  # a patched hash function returning a str look-alike
        raise CanonicalError("the hash function was replaced; answers cannot be checked")
    return digest


def _same(a: str, b: str) -> bool:
    """Type-strict comparison of two hex digests. Plain ``str`` equality, not
    ``hmac.compare_digest``: a notebook can replace a module's function (and the fresh copy
    would pick the replacement up), not the built-in ``str.__eq__``; timing leaks nothing
    here, where the trainee holds the key file anyway."""
    return type(a) is str and type(b) is str and str.__eq__(a, b) is True


def _fmt_number(value: float, decimals: int) -> str:
    return f"{round(value, decimals):.{decimals}f}"


# ---------------------------------------------------------------------------------------------
# Keys
# ---------------------------------------------------------------------------------------------


def make_key(
    qid: str,
    value,
    *,
    kind: str = "value",
    seed: int = 0,
    fold: bool = False,
    form: str | None = None,
    keys: str | None = None,
    unordered: bool = False,
    decimals: int = 2,
    hint: str = "",
    salt: str | None = None,
) -> dict:
    """Build the salted key of question ``qid`` from its expected ``value``.

    The salt comes from ``seed`` and ``qid``, unless ``salt`` gives it (a trainer's grading
    keys are salted with a secret, see :mod:`osintlab.trainer.cohort_secret`).

    kind ``value`` compares the whole answer; ``set`` ignores order; ``list`` checks each
    position; ``mapping`` checks each key's value; ``number`` accepts the value rounded to
    ``decimals`` places, give or take one unit in the last place; ``time`` is a value that is
    one moment (``form="time"``). ``fold``, ``form``, ``keys`` and ``unordered`` say which
    differences of writing do not matter (see :func:`canonical`); the answer is compared in
    the same canonical form.

    >>> k = make_key("demo.t", "2026-03-04T09:05:00Z", kind="time", seed=1)
    >>> compare(k, "2026-03-04T14:05:00+05:00").ok, compare(k, "2026-03-04 09:05:00 UTC").ok
    (True, True)
    """
    if kind not in KINDS:
        raise ValueError(f"unknown key kind {kind!r}; use one of {KINDS}")
    if kind == "time":
        form = "time"
    if salt is None:
        salt = hashlib.sha256(f"osintlab-key/{seed}/{qid}".encode()).hexdigest()[:16]
    key = {"kind": kind, "salt": salt, "fold": fold, "hint": hint}
    for name, option in (("form", form), ("key_form", keys), ("unordered", unordered)):
        if option:
            key[name] = option
    if kind == "number":
        key["decimals"] = decimals
        key["hash"] = _hash(salt, _fmt_number(float(value), decimals))
        return key
    try:
        canon = _canonical_for(key, value, path=f"key {qid}")
    except CanonicalError as exc:
        raise ValueError(f"key {qid}: {exc}") from None
    if kind == "set":
        items = sorted({_dump(v) for v in canon})
        key["items"] = sorted(_hash(salt, json.loads(i)) for i in items)
        key["hash"] = _hash(salt, [json.loads(i) for i in items])
        _expect(key, "item_type", canon)
    elif kind == "list":
        key["items"] = [_hash(salt, [i, v]) for i, v in enumerate(canon)]
        key["hash"] = _hash(salt, canon)
        _expect(key, "item_type", canon)
    elif kind == "mapping":
        key["keys"] = sorted(_hash(salt, ["key", k]) for k in canon)
        key["items"] = sorted(_hash(salt, [k, v]) for k, v in canon.items())
        key["hash"] = _hash(salt, canon)
        _expect(key, "value_type", list(canon.values()))
    else:
        key["hash"] = _hash(salt, canon)
        key["type"] = _json_type(canon)
    return key


# make_key's ``keys`` (the form of a mapping's keys) is stored as "key_form": a mapping key
# keeps the hashes of its keys under "keys".
def _options(key: dict) -> dict:
    return {
        "fold": key.get("fold", False),
        "form": key.get("form"),
        "keys": key.get("key_form"),
        "unordered": key.get("unordered", False),
    }


def _json_type(value) -> str:
    return {
        str: "text",
        int: "number",
        float: "number",
        bool: "True/False",
        list: "list",
        dict: "dict",
    }.get(type(value), "None")


_TYPE_TEXT = {
    "text": "text (a str)",
    "number": "a number",
    "True/False": "True or False",
    "list": "a list",
    "dict": "a dict",
    "None": "None",
}


def _expect(key: dict, field: str, values: list) -> None:
    """Record the JSON type every item has (a form, not the answer), for clearer messages."""
    types_ = {_json_type(v) for v in values if v is not None}
    if len(types_) == 1:
        key[field] = types_.pop()


def _canonical_for(key: dict, answer, path: str = "answer"):
    """``answer`` in the canonical form of ``key`` (raises :class:`CanonicalError` with a
    message that names the expected form)."""
    kind, opts = key["kind"], _options(key)
    t = type(answer)
    module, name = _type_name(t)
    if kind == "number":
        if t is bool or not (t in (int, float) or module == "numpy"):
            raise CanonicalError(f"{path} is {_a(t)}; give a single number")
        number = canonical(answer)
        if type(number) not in (int, float):
            raise CanonicalError(f"{path} is {_a(t)}; give a single number")
        return number
    if kind == "list" and t in (set, frozenset):
        raise CanonicalError(
            f"{path} is a set, which has no order; give a list in the order the question asks for"
        )
    if kind == "mapping" and (module, name) == ("pandas", "Series"):
        index = answer.index.tolist()
        if len(set(map(_dump, canonical(index)))) != len(index):
            raise CanonicalError(
                f"{path} is a Series whose index repeats a key; give one value per key"
            )
        answer = dict(zip(index, _missing_as_none(answer.tolist())))
    canon = canonical(answer, _path=path, **opts)
    expected = key.get("type")
    if kind in ("value", "time") and expected and _json_type(canon) != expected:
        if not (expected == "number" and type(canon) in (int, float)):
            raise CanonicalError(f"{path} is {_a(t)}; give {_TYPE_TEXT[expected]}")
    if kind in ("set", "list"):
        if type(canon) is not list:
            raise CanonicalError(
                f"{path} is {_a(t)}; give a {'list or set' if kind == 'set' else 'list'} of items"
            )
        _check_items(canon, key.get("item_type"), "item")
    if kind == "mapping":
        if type(canon) is not dict:
            raise CanonicalError(f"{path} is {_a(t)}; give a dict (key -> value)")
        _check_items(list(canon.values()), key.get("value_type"), "value")
    return canon


def _check_items(values: list, expected, what: str) -> None:
    if not expected:
        return
    bad = [
        i
        for i, v in enumerate(values)
        if v is not None
        and _json_type(v) != expected
        and not (expected == "number" and type(v) in (int, float))
    ]
    if bad:
        raise CanonicalError(
            f"{_plural(len(bad), what)} of {len(values)} "
            f"{'is' if len(bad) == 1 else 'are'} not {_TYPE_TEXT[expected]}; "
            f"give each {what} as {_TYPE_TEXT[expected]}"
        )


def _a(t) -> str:
    module, name = _type_name(t)
    label = {
        str: "text",
        int: "a whole number",
        float: "a number",
        bool: "True/False",
        list: "a list",
        tuple: "a tuple",
        dict: "a dict",
        set: "a set",
        type(None): "None",
    }.get(t)
    return label or (f"a {module} {name}" if module in ("numpy", "pandas") else f"a {name}")


class Verdict(NamedTuple):
    """The outcome of a comparison (a plain class: this module must load without being in
    ``sys.modules``, which dataclasses with string annotations need). ``form`` is True when
    the answer could not be compared because of its form (then hints about the value would
    mislead)."""

    ok: bool
    message: str
    form: bool = False


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def compare(key: dict, answer) -> Verdict:
    """Compare ``answer`` with ``key``; the message says what is wrong, never what is right."""
    kind, salt = key["kind"], key["salt"]
    try:
        canon = _canonical_for(key, answer)
    except CanonicalError as exc:
        return Verdict(False, str(exc), True)
    if kind == "number":
        step = 10 ** -key["decimals"]
        ok = any(
            _same(_hash(salt, _fmt_number(canon + k * step, key["decimals"])), key["hash"])
            for k in (0, -1, 1)
        )
        return Verdict(
            ok,
            "correct" if ok else f"the number is not right (checked to {key['decimals']} decimals)",
        )
    if kind == "set":
        mine = {_dump(v) for v in canon}
        if len(mine) != len(canon):
            return Verdict(False, "your answer lists the same item more than once", True)
        expected = set(key["items"])
        right = sum(_hash(salt, json.loads(v)) in expected for v in mine)
        if right == len(mine) == len(expected):
            return Verdict(True, "correct")
        parts = [
            f"{right} of your {_plural(len(mine), 'item')} {'is' if right == 1 else 'are'} right"
        ]
        if len(expected) - right:
            parts.append(
                f"{_plural(len(expected) - right, 'expected item')} "
                f"{'is' if len(expected) - right == 1 else 'are'} missing"
            )
        if len(mine) - right:
            parts.append(
                f"{len(mine) - right} of your items "
                f"{'is' if len(mine) - right == 1 else 'are'} not expected"
            )
        return Verdict(False, "; ".join(parts))
    if kind == "list":
        if _same(_hash(salt, canon), key["hash"]):
            return Verdict(True, "correct")
        n = len(key["items"])
        if len(canon) != n:
            return Verdict(False, f"your list has {len(canon)} entries; {n} are expected")
        wrong = [i for i, v in enumerate(canon) if _hash(salt, [i, v]) != key["items"][i]]
        return Verdict(
            False,
            f"wrong at {_plural(len(wrong), 'position')} "
            f"{', '.join(str(i) for i in wrong)} (counting from 0)",
        )
    if kind == "mapping":
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
            parts.append(
                f"{_plural(len(wrong), 'value')} of {len(canon) - len(extra)} "
                f"{'is' if len(wrong) == 1 else 'are'} wrong"
            )
        if extra:
            parts.append(
                "unexpected "
                + ("key " if len(extra) == 1 else "keys ")
                + ", ".join(repr(k) for k in extra)
            )
        if missing:
            parts.append(f"{_plural(missing, 'expected key')} missing")
        return Verdict(False, "; ".join(parts) or "not right")
    ok = _same(_hash(salt, canon), key["hash"])
    return Verdict(ok, "correct" if ok else "not right")


# ---------------------------------------------------------------------------------------------
# Notebook entry point
# ---------------------------------------------------------------------------------------------

_KEYS_CACHE: dict = {}


#: Environment variable naming the key file to check against instead of the datasets'
#: ``answer_keys.json``: ``osintlab grade`` points it at the trainer's grading keys.
KEYS_ENV = "OSINTLAB_KEYS"


def load_keys(datasets=None) -> dict:
    """Read ``answer_keys.json`` of the datasets folder in use (see :mod:`osintlab.data`), or
    the key file named in ``OSINTLAB_KEYS`` (the trainer's grading keys, while grading)."""
    import os
    from pathlib import Path

    from . import data

    if datasets is None and os.environ.get(KEYS_ENV):
        path = Path(os.environ[KEYS_ENV])
    else:
        folder = data.datasets_dir() if datasets is None else datasets
        path = folder / "answer_keys.json"
    stamp = (str(path), path.stat().st_mtime_ns if path.exists() else None)
    if _KEYS_CACHE.get("stamp") != stamp:
        if not path.exists():
            raise data.DatasetError(
                f"{path}: answer keys missing; rebuild with 'osintlab data build'"
            )
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
        raise AssertionError(
            f"no answer key for {qid!r}; is datasets/ up to date ('osintlab data build')?"
        )
    key = keys[qid]
    verdict = compare(key, answer)
    if not verdict.ok:
        # A hint is about the value: after a form problem it would send the trainee the
        # wrong way (a right time written +00:00 is not a zone mistake).
        hint = f" Hint: {key['hint']}" if key.get("hint") and not verdict.form else ""
        raise AssertionError(f"{qid}: {verdict.message}.{hint}")
    if not quiet:
        print(f"\u2714 {qid}: correct")
    return True


def canonical_answer(qid: str, answer):
    """``answer`` to question ``qid`` as the checker sees it: plain JSON data in the form the
    question's key compares (times in UTC ``Z`` text, handles without ``@``, folded names,
    Series as lists or dicts, ...). Hidden tests check deeper properties on this value, so
    every form that the visible check accepts is judged the same way. Raises
    ``AssertionError`` naming the expected form if the answer cannot be read.

    >>> canonical_answer("03.sign_photo_utc", "2026-02-26T16:55:19+05:00")  # doctest: +SKIP
    '2026-02-26T11:55:19Z'
    """
    keys = load_keys()
    if qid not in keys:
        raise AssertionError(
            f"no answer key for {qid!r}; is datasets/ up to date ('osintlab data build')?"
        )
    try:
        return _canonical_for(keys[qid], answer)
    except CanonicalError as exc:
        raise AssertionError(f"{qid}: {exc}.") from None


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
