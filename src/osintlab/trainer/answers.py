"""Answers as plain data: what leaves a trainee's kernel and reaches the kernel that checks it.

The cohort grader (:class:`osintlab.trainer.preprocessors.IsolatedExecute`) runs a trainee's
cells in one kernel and the test cells in another, fresh one. Only the answer variables a test
cell names cross between them, as JSON written by :func:`dump` in the trainee's kernel and
rebuilt by :func:`load` in the checks kernel. Whatever the trainee's code did to its own kernel
(hooks, patched modules, forged replies), the checks kernel receives data, never code:

* plain JSON values as they are; ``tuple``, ``set``, ``frozenset``, dicts with non-text keys,
  non-finite floats, ``datetime``/``date``/``timedelta``, paths, numpy arrays and scalars,
  pandas ``Timestamp``/``Timedelta``/``Series``/``Index``/``DataFrame`` as tagged data;
* a dataclass defined in the ``osintlab`` toolkit (an ``ee.Request``, a ``Finding``) as its
  class name and field values, rebuilt by calling that toolkit class with those fields;
* anything else (a function, a trainee's own class, a subclass of ``str`` that claims to
  equal everything) as :class:`Untransferable`: the checks see an object that no check
  accepts and whose text says why.

    >>> import datetime as dt
    >>> v = {"a": (1, 2), 3: {"x"}, "t": dt.datetime(2026, 1, 2, tzinfo=dt.timezone.utc)}
    >>> load(json.loads(json.dumps(dump(v)))) == v
    True
    >>> load(dump(lambda x: x))
    <not transferable: a function (answers must be data)>
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import math
import sys
from pathlib import Path, PurePath

__all__ = ["dump", "load", "dump_names", "load_names", "Untransferable", "MIME"]

#: The MIME type of the display message that carries a test cell's answers out of the
#: trainee's kernel.
MIME = "application/x-osintlab-answers+json"

T = "__osl__"  # tag key; a plain dict that uses it is itself tagged (see dump)
MAX_DEPTH = 60


class Untransferable:
    """Stands in for a value that is not data. Every check refuses it (it is not plain data);
    its text tells the trainee why."""

    __slots__ = ("reason",)

    def __init__(self, reason: str):
        self.reason = reason

    def __repr__(self) -> str:
        return f"<not transferable: {self.reason}>"

    __str__ = __repr__


def _tname(v) -> tuple[str, str]:
    t = type(v)
    return (t.__module__ or "").split(".")[0], t.__name__


def dump(value, _depth: int = 0):
    """``value`` as JSON-able tagged data (see the module docstring)."""
    if _depth > MAX_DEPTH:
        return {T: "untransferable", "reason": "nested too deeply"}
    d = _depth + 1
    t = type(value)
    if value is None or t in (bool, str, int):
        return value
    if t is float:
        return value if math.isfinite(value) else {T: "float", "v": repr(value)}
    if t is list:
        return [dump(v, d) for v in value]
    if t is dict:
        if all(type(k) is str for k in value) and T not in value:
            return {k: dump(v, d) for k, v in value.items()}
        return {T: "dict", "items": [[dump(k, d), dump(v, d)] for k, v in value.items()]}
    if t is tuple:
        return {T: "tuple", "v": [dump(v, d) for v in value]}
    if t in (set, frozenset):
        return {T: t.__name__, "v": [dump(v, d) for v in value]}
    if t is _dt.datetime:
        return {T: "datetime", "v": value.isoformat()}
    if t is _dt.date:
        return {T: "date", "v": value.isoformat()}
    if t is _dt.timedelta:
        return {T: "timedelta", "v": value.total_seconds()}
    if isinstance(value, PurePath) and t.__module__ == "pathlib":
        return {T: "path", "v": value.as_posix()}
    mod, name = _tname(value)
    if mod == "numpy":
        if name == "ndarray":
            return {T: "ndarray", "v": dump(value.tolist(), d), "dtype": str(value.dtype)}
        if hasattr(value, "item"):
            return dump(value.item(), d)
    if mod == "pandas":
        if name == "Timestamp":
            return {T: "Timestamp", "v": value.isoformat()}
        if name in ("NaTType",):
            return {T: "NaT"}
        if name in ("NAType",):
            return {T: "NA"}
        if name == "Timedelta":
            return {T: "Timedelta", "v": value.value}
        if name == "Series":
            return {
                T: "Series",
                "v": dump(value.tolist(), d),
                "index": dump(value.index, d),
                "name": dump(value.name, d),
                "dtype": str(value.dtype),
            }
        if name == "DataFrame":
            return {
                T: "DataFrame",
                "columns": dump(list(value.columns), d),
                "index": dump(value.index, d),
                "data": [dump(value[c].tolist(), d) for c in value.columns],
                "dtypes": [str(x) for x in value.dtypes],
            }
        if name == "RangeIndex":
            return {T: "RangeIndex", "v": [value.start, value.stop, value.step]}
        if name.endswith("Index"):
            return {
                T: "Index",
                "v": dump(value.tolist(), d),
                "name": dump(value.name, d),
                "dtype": str(value.dtype),
            }
    if (
        mod == "osintlab"
        and dataclasses.is_dataclass(value)
        and not isinstance(value, type)
        and t.__qualname__ == t.__name__
    ):
        return {
            T: "toolkit",
            "cls": f"{t.__module__}:{t.__name__}",
            "fields": {
                f.name: dump(getattr(value, f.name), d) for f in dataclasses.fields(value) if f.init
            },
        }
    if mod == "osintlab" and t.__module__ == "osintlab.case" and name == "CaseWorkspace":
        return {
            T: "workspace",
            "case_ref": dump(value.case_ref, d),
            "title": dump(value.title, d),
            "findings": [dump(f, d) for f in value.findings],
            "evidence": dump(list(value.evidence), d),
            "requests": [dump(str(p), d) for p in value.requests],
        }
    if callable(value):
        what = "a function" if t.__name__ in ("function", "builtin_function_or_method") else None
        reason = f"{what or 'a ' + t.__name__} (answers must be data)"
    elif isinstance(value, (str, int, float, list, dict, tuple, set)):
        reason = f"a {t.__name__}, a subclass of {t.__mro__[1].__name__} (give plain data)"
    else:
        reason = f"a {t.__module__}.{t.__qualname__} (answers must be data)"
    return {T: "untransferable", "reason": reason[:200]}


def _dtype(frame_or_series, dtype: str):
    try:
        return frame_or_series.astype(dtype)
    except Exception:  # noqa: BLE001 - keep the values as rebuilt
        return frame_or_series


def load(data):
    """Rebuild a value :func:`dump` wrote (in the checks kernel: only data goes in)."""
    if isinstance(data, list):
        return [load(v) for v in data]
    if not isinstance(data, dict):
        return data
    tag = data.get(T)
    if tag is None:
        return {k: load(v) for k, v in data.items()}
    v = data.get("v")
    if tag == "float":
        return float(v)
    if tag == "dict":
        return {_hashable(load(k)): load(x) for k, x in data["items"]}
    if tag == "tuple":
        return tuple(load(v))
    if tag in ("set", "frozenset"):
        items = [_hashable(x) for x in load(v)]
        return set(items) if tag == "set" else frozenset(items)
    if tag == "datetime":
        return _dt.datetime.fromisoformat(v)
    if tag == "date":
        return _dt.date.fromisoformat(v)
    if tag == "timedelta":
        return _dt.timedelta(seconds=v)
    if tag == "path":
        return Path(v)
    if tag == "ndarray":
        import numpy as np

        try:
            return np.array(load(v), dtype=data.get("dtype"))
        except Exception:  # noqa: BLE001
            return np.array(load(v), dtype=object)
    if tag in ("Timestamp", "NaT", "NA", "Timedelta", "Series", "DataFrame", "Index", "RangeIndex"):
        import pandas as pd

        if tag == "Timestamp":
            return pd.Timestamp(v)
        if tag == "NaT":
            return pd.NaT
        if tag == "NA":
            return pd.NA
        if tag == "Timedelta":
            return pd.Timedelta(v, unit="ns")
        if tag == "RangeIndex":
            return pd.RangeIndex(*v)
        if tag == "Index":
            return _dtype(pd.Index(load(v), name=load(data.get("name"))), data.get("dtype"))
        if tag == "Series":
            s = pd.Series(load(v), index=load(data["index"]), name=load(data.get("name")))
            return _dtype(s, data.get("dtype"))
        cols = load(data["columns"])
        frame = pd.DataFrame(
            {i: load(col) for i, col in enumerate(data["data"])}, index=load(data["index"])
        )
        frame.columns = cols
        for i, dt in enumerate(data.get("dtypes", [])):
            if str(frame.iloc[:, i].dtype) != dt:
                frame.isetitem(i, _dtype(frame.iloc[:, i], dt))
        return frame
    if tag == "toolkit":
        return _toolkit(data["cls"], {k: load(x) for k, x in data["fields"].items()})
    if tag == "workspace":
        return _workspace(data)
    if tag == "untransferable":
        return Untransferable(str(data.get("reason", "not data")))
    return Untransferable(f"unknown tag {tag!r}")


def _workspace(data: dict):
    """A :class:`osintlab.case.CaseWorkspace` rebuilt from its findings, evidence and
    request paths (each finding through the toolkit's own ``Finding``)."""
    from osintlab.case import CaseWorkspace, Finding

    try:
        ws = CaseWorkspace(load(data["case_ref"]), load(data["title"]))
    except Exception as exc:  # noqa: BLE001
        return Untransferable(f"CaseWorkspace could not be rebuilt: {exc}"[:200])
    findings = [load(f) for f in data.get("findings", [])]
    ws.findings = [f for f in findings if type(f) is Finding]
    ws.evidence = [e for e in load(data.get("evidence", [])) if type(e) is dict]
    ws.requests = [Path(p) for p in load(data.get("requests", [])) if type(p) is str]
    return ws


#: Tags of values that may replace a name the setup cells bound (the trainee fills a toolkit
#: object the setup created, e.g. the capstone's ``ws``); plain data never does.
REPLACES_SETUP = ("toolkit", "workspace")


def _hashable(v):
    if isinstance(v, list):
        return tuple(_hashable(x) for x in v)
    if isinstance(v, dict):
        return Untransferable("a dict used as a key")
    return v


def _toolkit(name: str, fields: dict):
    module, _, cls = name.partition(":")
    if not (module == "osintlab" or module.startswith("osintlab.")) or "trainer" in module:
        return Untransferable(f"{name} is not a toolkit class")
    # only modules the checks kernel has imported already (by its setup cells): an answer
    # never makes it import anything
    kind = getattr(sys.modules.get(module), cls, None)
    if kind is None:
        return Untransferable(f"{name} is not a toolkit class in use here")
    if not (dataclasses.is_dataclass(kind) and isinstance(kind, type)):
        return Untransferable(f"{name} is not a toolkit data class")
    try:
        return kind(**fields)
    except Exception as exc:  # noqa: BLE001 - the toolkit's own validation refused it
        return Untransferable(f"{cls} could not be rebuilt: {type(exc).__name__}: {exc}"[:200])


def dump_names(namespace: dict, names, max_bytes: int = 50_000_000) -> str:
    """JSON text ``{"present": {name: dumped}, "absent": [...]}`` for ``names`` in
    ``namespace`` (run in the trainee's kernel after the cells before a test cell)."""
    present, absent = {}, []
    for n in names:
        if n in namespace:
            try:
                present[n] = dump(namespace[n])
            except Exception as exc:  # noqa: BLE001 - a value whose conversion blew up
                present[n] = {T: "untransferable", "reason": f"{type(exc).__name__}"}
        else:
            absent.append(n)
    text = json.dumps({"present": present, "absent": absent}, allow_nan=False)
    if len(text) > max_bytes:
        big = {n: {T: "untransferable", "reason": "answer too large"} for n in present}
        text = json.dumps({"present": big, "absent": absent})
    return text


def load_names(namespace: dict, text: str, names, shared=()) -> None:
    """Put the answers in ``text`` (from :func:`dump_names`) into ``namespace``; names that
    the trainee's kernel did not have are removed, so the test sees a ``NameError``.

    ``shared`` names were bound by the setup cells: the checks kernel keeps its own value
    unless the trainee's is a toolkit object (:data:`REPLACES_SETUP`), such as the case
    workspace the trainee filled."""
    try:
        got = json.loads(text) if text else {}
    except (TypeError, ValueError):
        got = {}
    present = got.get("present", {}) if isinstance(got, dict) else {}
    if not isinstance(present, dict):
        present = {}
    for n in names:
        if n in present:
            namespace[n] = load(present[n])
        else:
            namespace.pop(n, None)
    for n in shared:
        v = present.get(n)
        if isinstance(v, dict) and v.get(T) in REPLACES_SETUP:
            namespace[n] = load(v)
