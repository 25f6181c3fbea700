"""The examples in the toolkit's docstrings are real: pytest collects and runs them from every
module of ``src/osintlab`` (``--doctest-modules`` in pyproject.toml, like requests and networkx).
This file checks that the collection stays switched on and that each toolkit module has examples.
"""

import doctest
import importlib
import pkgutil
import tomllib
from pathlib import Path

import pytest

import osintlab

ROOT = Path(__file__).resolve().parents[1]
#: The investigative skills a trainee calls from a notebook: each shows how, with an example.
TOOLKIT = [
    "evidence",
    "social",
    "images",
    "search",
    "eevidence",
    "crypto",
    "device",
    "triage",
    "case",
    "timeutil",
    "grading",
    "reference",
    "victims",
]


def test_pytest_collects_doctests_from_the_whole_package():
    ini = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert "--doctest-modules" in ini["addopts"]
    assert "src/osintlab" in ini["testpaths"]


def _modules(package: str) -> list[str]:
    mod = importlib.import_module(f"osintlab.{package}")
    if not hasattr(mod, "__path__"):
        return [mod.__name__]
    return [mod.__name__] + [
        m.name for m in pkgutil.walk_packages(mod.__path__, mod.__name__ + ".")
    ]


@pytest.mark.parametrize(
    "package",
    [
        p
        for p in TOOLKIT
        if (Path(osintlab.__file__).parent / p).exists()
        or (Path(osintlab.__file__).parent / f"{p}.py").exists()
    ],
)
def test_each_toolkit_skill_has_runnable_examples(package):
    finder = doctest.DocTestFinder()
    examples = [
        ex
        for name in _modules(package)
        for t in finder.find(importlib.import_module(name))
        for ex in t.examples
        if not ex.options.get(doctest.SKIP)
    ]
    assert len(examples) >= 3, f"osintlab.{package}: add docstring examples on small inline data"
