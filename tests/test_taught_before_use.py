"""Every pandas method and toolkit function an exercise solution calls is shown first.

"Shown" means: used in a code cell of the Python primer (``course/00-start-here-2.ipynb``), of
that module's lesson (``course/NN-slug*.ipynb``) or of an earlier module's lesson. The test
reads the solution code (between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` of the
solution cells of ``solutions/*/*.ipynb``) with :mod:`ast` and collects:

- pandas methods and attributes, by name (``.groupby``, ``.loc``, ``.str.contains``,
  ``.dt.tz_convert``) and ``pd.*`` functions (``pd.Timedelta``);
- toolkit functions and constants, as ``module.name`` (``evidence.sha256_file``), whatever name
  the notebook imported the module under;
- methods of the toolkit's own objects that are called (``.spent_by()``, ``.add_evidence()``).

Names that are also methods of Python's own str/list/dict/datetime (``.split``, ``.items``,
``.replace``) are not counted as pandas: they are plain Python, and the primer's last section
covers the common ones.
"""

from __future__ import annotations

import ast
import datetime
import importlib
import inspect
import re
import textwrap
from pathlib import Path

import nbformat
import pytest

import osintlab

ROOT = Path(__file__).resolve().parents[1]
PRIMER = ROOT / "course" / "00-start-here-2.ipynb"
SOLUTIONS = sorted((ROOT / "solutions").glob("*/*.ipynb"))
LESSONS = sorted((ROOT / "course").glob("[0-9][0-9]-*.ipynb"))
ACCESSORS = {"str", "dt", "cat"}
#: What a notebook calls: every lazily loaded submodule but the trainer's, the generator's and
#: the internal layers (one list, kept in step with the tree by tests/test_layers.py).
TOOLKIT = tuple(
    sorted(osintlab._SUBMODULES - {"cli", "trainer", "scenario", "reference", "results"})
)
_MAGIC = re.compile(r"^\s*[%!].*$", re.MULTILINE)
_SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.DOTALL)


def _python_names() -> set[str]:
    names = set()
    for t in (
        str,
        bytes,
        list,
        dict,
        set,
        tuple,
        int,
        float,
        object,
        datetime.datetime,
        datetime.date,
        datetime.timedelta,
    ):
        names |= set(dir(t))
    return names


def _pandas_names() -> set[str]:
    import pandas as pd
    from pandas.core.groupby import DataFrameGroupBy, SeriesGroupBy

    names = set()
    for t in (
        pd.DataFrame,
        pd.Series,
        pd.Index,
        DataFrameGroupBy,
        SeriesGroupBy,
        pd.Timestamp,
        pd.Timedelta,
    ):
        names |= {n for n in dir(t) if not n.startswith("_")}
    text, times = pd.Series(["a"]), pd.Series(pd.to_datetime(["2026-01-01"], utc=True))
    names |= {f"str.{n}" for n in dir(text.str) if not n.startswith("_")}
    names |= {f"dt.{n}" for n in dir(times.dt) if not n.startswith("_")}
    return names - _python_names()


def _toolkit_methods() -> set[str]:
    """Public methods and properties of the classes the toolkit's modules define."""
    out = set()
    for name in TOOLKIT:
        module = importlib.import_module(f"osintlab.{name}")
        for obj in vars(module).values():
            if inspect.isclass(obj) and obj.__module__.startswith("osintlab"):
                out |= {
                    a
                    for a, v in vars(obj).items()
                    if not a.startswith("_")
                    and (callable(v) or isinstance(v, (property, classmethod, staticmethod)))
                }
    return out - _python_names()


PANDAS = _pandas_names()
METHODS = _toolkit_methods()


def code_of(path: Path, *, solutions_only: bool = False) -> list[str]:
    """The code cells of a notebook (for a master: only the code between the solution markers)."""
    cells = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code":
            continue
        source = cell.source
        if solutions_only:
            if not cell.metadata.get("nbgrader", {}).get("solution"):
                continue
            if "### BEGIN SOLUTION" in source:
                # a solution may sit inside a loop or a function the task gives: dedent each part
                source = "\n".join(textwrap.dedent(part) for part in _SOLUTION.findall(source))
        cells.append(_MAGIC.sub("", source))
    return cells


def _aliases(trees) -> dict[str, str]:
    """Local name -> what it stands for: 'pd', a toolkit module, or 'module.name'."""
    alias = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "osintlab":
                sub = node.module.split(".")[1:2]
                for a in node.names:
                    alias[a.asname or a.name] = ".".join(sub + [a.name])
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name.startswith("osintlab."):
                        alias[a.asname or a.name.split(".")[0]] = a.name.split(".")[1]
                    elif a.name == "pandas":
                        alias[a.asname or "pandas"] = "pd"
    return alias


def _chain(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return (node.id if isinstance(node, ast.Name) else None), parts[::-1]


def uses(sources: list[str], context: list[str] = ()) -> set[str]:
    """The pandas and toolkit names that ``sources`` use (imports resolved with ``context``)."""
    trees = [ast.parse(s) for s in sources]
    alias = _aliases(trees + [ast.parse(s) for s in context])
    called = {id(n.func) for t in trees for n in ast.walk(t) if isinstance(n, ast.Call)}
    found = set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                root, parts = _chain(node)
                if root in alias and len(parts) == 1 and "." not in alias[root]:
                    found.add(f"{alias[root]}.{parts[0]}")
                    continue
                if node.attr in ACCESSORS:  # counted with its method: .str.contains
                    continue
                prefix = f"{parts[-2]}." if len(parts) >= 2 and parts[-2] in ACCESSORS else ""
                if prefix + node.attr in PANDAS:
                    found.add(f".{prefix}{node.attr}")
                elif id(node) in called and node.attr in METHODS:
                    found.add(f".{node.attr}()")
            elif isinstance(node, ast.Name) and "." in alias.get(node.id, ""):
                found.add(alias[node.id])  # from osintlab.timeutil import utc_iso
    return found


def shown_before(module: str) -> set[str]:
    lessons = [p for p in LESSONS if p.stem[:2] <= module[:2]]
    return set().union(*(uses(code_of(p)) for p in lessons))


def test_the_primer_exists_and_is_linked():
    assert PRIMER.is_file()
    assert (
        "00-start-here-2.ipynb"
        in nbformat.read(ROOT / "course" / "00-start-here.ipynb", as_version=4).cells[-1].source
    )
    assert "course/00-start-here-2.ipynb" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "00-start-here-2.ipynb" in (ROOT / "docs" / "trainers" / "README.md").read_text(
        encoding="utf-8"
    )


def test_the_collector_sees_pandas_and_toolkit_calls():
    got = uses(
        [
            't.loc[t["a"].str.contains("x", regex=False), "b"].tolist()',
            'ee.provider("tiktok").addressee("PK")',
            "when + pd.Timedelta(hours=2)",
            'utc_iso(s.dt.tz_convert("Asia/Karachi").iloc[0])',
            '"a/b".split("/")',
        ],
        [
            "import pandas as pd\nfrom osintlab import eevidence as ee\n"
            + "from osintlab.timeutil import utc_iso"
        ],
    )
    assert got == {
        ".loc",
        ".str.contains",
        ".tolist",
        "eevidence.provider",
        ".addressee()",
        "pd.Timedelta",
        "timeutil.utc_iso",
        ".dt.tz_convert",
        ".iloc",
    }


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.parent.name for p in SOLUTIONS])
def test_every_idiom_of_the_solution_is_taught_before_use(path):
    module = path.parent.name
    needed = uses(code_of(path, solutions_only=True), code_of(path))
    missing = sorted(needed - shown_before(module))
    assert not missing, (
        f"{module}: the solution uses {missing}, which neither the primer nor "
        f"the lessons up to {module} show in a code cell"
    )
