"""The examples in the toolkit's docstrings are real: pytest collects and runs them from every
module of ``src/osintlab`` (``--doctest-modules`` in pyproject.toml, like requests and networkx).
This file checks that the collection stays switched on and that each toolkit module has examples.
"""

import doctest
import importlib
import inspect
import pkgutil
import tomllib
from pathlib import Path

import pytest

import osintlab
from test_layers import LAYERS

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


@pytest.mark.parametrize("package", TOOLKIT)
def test_each_toolkit_skill_has_runnable_examples(package):
    assert len(_examples(_modules(package))) >= 3, (
        f"osintlab.{package}: add docstring examples on small inline data"
    )


def _examples(names: list[str]) -> list[doctest.Example]:
    finder = doctest.DocTestFinder()
    return [
        ex
        for name in names
        for t in finder.find(importlib.import_module(name))
        for ex in t.examples
        if not ex.options.get(doctest.SKIP)
    ]


#: Modules of the lower layers that show no example, each with the reason.
NO_EXAMPLES = {
    "osintlab.eevidence.widgets": "an ipywidgets form over the request model; "
    "tests/test_eevidence.py drives it",
}


def _defines_something(name: str) -> bool:
    mod = importlib.import_module(name)
    return any(
        (inspect.isfunction(v) or inspect.isclass(v)) and v.__module__ == name
        for k, v in vars(mod).items()
        if not k.startswith("_")
    )


def _lower_layer_modules() -> list[str]:
    """Every module of reference, data, grading and the toolkit (layers 0-2 of
    tests/test_layers.py), found in the tree rather than listed by hand."""
    return [
        m.name
        for m in pkgutil.walk_packages(osintlab.__path__, "osintlab.")
        if LAYERS.get(m.name.split(".")[1], 99) <= 2
    ]


@pytest.mark.parametrize(
    "name", [n for n in _lower_layer_modules() if n not in NO_EXAMPLES and _defines_something(n)]
)
def test_every_toolkit_module_that_defines_functions_shows_one(name):
    assert _examples([name]), f"{name}: add a docstring example on small inline data"


def test_exemptions_are_still_needed():
    stale = [n for n in NO_EXAMPLES if n not in _lower_layer_modules() or _examples([n])]
    assert not stale, f"remove from NO_EXAMPLES: {stale}"
