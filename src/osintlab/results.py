"""Small result objects: a table plus the named facts that belong with it.

Several toolkit functions return more than a table: a trace also says where the taint ended
(``balances``), a peel chain why it stopped (``stop``), a search how many pages matched
(``total``). Those facts used to ride in ``DataFrame.attrs``, which pandas drops on a merge,
a concat or a groupby. Here they are fields of a frozen result object instead:

* ``result.table`` is the table (a plain DataFrame);
* every other fact is a named field (``result.stop``, ``result.balances``, ...), shown by tab
  completion and in the notebook above the table;
* for reading, the result behaves like its table: ``result["txid"]``, ``len(result)``,
  ``result.loc[...]``, ``result.head()``. Anything that needs a real DataFrame (``pd.concat``,
  ``isinstance``) takes ``result.table``.

    >>> import pandas as pd
    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True, eq=False, repr=False)
    ... class Hops(TableResult):
    ...     stop: str
    >>> r = Hops(pd.DataFrame({"hop": [1, 2]}), stop="unspent")
    >>> r.stop, len(r), r["hop"].tolist()
    ('unspent', 2, [1, 2])
    >>> print(r)
    Hops: 2 rows; stop='unspent'
       hop
    0    1
    1    2
"""

from __future__ import annotations

import dataclasses
import html

__all__ = ["TableResult", "as_table"]


@dataclasses.dataclass(frozen=True, eq=False, repr=False)
class TableResult:
    """Base of the toolkit's result objects: ``table`` (a DataFrame) plus named fields."""

    table: object

    # -- the facts beside the table ---------------------------------------------------------------
    def facts(self) -> dict:
        """The named fields other than the table, as a dict."""
        return {
            f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "table"
        }

    def _summary(self) -> str:
        parts = []
        for name, value in self.facts().items():
            if isinstance(value, (dict, list, tuple, set)) and len(value) > 3:
                parts.append(f"{name}: {len(value)} entries")
            else:
                parts.append(f"{name}={value!r}")
        rows = len(self.table)
        head = f"{type(self).__name__}: {rows} row{'' if rows == 1 else 's'}"
        return head + ("; " + ", ".join(parts) if parts else "")

    def __repr__(self) -> str:
        return f"{self._summary()}\n{self.table!r}"

    def _repr_html_(self) -> str:
        table = (
            self.table._repr_html_()
            if hasattr(self.table, "_repr_html_")
            else f"<pre>{html.escape(repr(self.table))}</pre>"
        )
        return f"<p><b>{html.escape(self._summary())}</b></p>\n{table}"

    # -- read like the table ----------------------------------------------------------------------
    def __getitem__(self, key):
        return self.table[key]

    def __len__(self) -> int:
        return len(self.table)

    def __iter__(self):
        return iter(self.table)

    def __contains__(self, key) -> bool:
        return key in self.table

    def __getattr__(self, name):
        # only called for names the result does not have itself: columns and DataFrame methods
        if name.startswith("_"):
            raise AttributeError(name)
        if name == "attrs":
            raise AttributeError(
                f"{type(self).__name__} keeps its extra facts as fields, not in .attrs: use "
                + (", ".join(f"result.{k}" for k in self.facts()) or "result.table")
            )
        try:
            return getattr(self.table, name)
        except AttributeError:
            raise AttributeError(
                f"{type(self).__name__} has no field or table column {name!r} (fields: "
                f"{', '.join(['table', *self.facts()])})"
            ) from None


def as_table(result):
    """The DataFrame inside a result object, or ``result`` itself if it already is a table."""
    return result.table if isinstance(result, TableResult) else result
