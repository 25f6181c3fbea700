"""The examples in the toolkit's docstrings are real: run them."""
import doctest
import importlib

import pytest

MODULES = ["osintlab.timeutil", "osintlab.grading", "osintlab.web", "osintlab.evidence",
           "osintlab.authoring", "osintlab.scenario.identifiers", "osintlab.scenario.gazetteer",
           "osintlab.scenario.safety", "osintlab.scenario.world", "osintlab.scenario.writer",
           "osintlab.scenario.webpages", "osintlab.scenario.build", "osintlab.scenario",
           "osintlab.case", "osintlab.crypto", "osintlab.scenario.ledgers", "osintlab.victims"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS |
                             doctest.IGNORE_EXCEPTION_DETAIL | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
