"""OSINT Lab: the toolkit behind an offline course in open-source intelligence against human
trafficking and migrant smuggling.

Submodules load on first use, so ``import osintlab`` stays fast on a workshop laptop::

    >>> import osintlab
    >>> osintlab.evidence.sha256_file  # doctest: +SKIP
    <function sha256_file ...>

One module per investigative skill: ``evidence`` (capture, hashing, custody), ``social``,
``images``, ``search``, ``eevidence``, ``crypto``, ``device``, ``triage``, ``case``,
``archive`` (the offline web archive), ``victims``; with ``timeutil``, ``charts``, ``widgets``,
``web``, ``results`` (small result objects) and ``primer`` (the Python primer's checks). Below them ``reference`` (gazetteer, platform
registry, phone numbers, hashing), ``data`` (find and load the scenario's datasets) and
``grading`` (check answers without revealing them); above them ``scenario`` (the seeded
generator), ``trainer`` (self-test, nbgrader configuration, cohort grading, feedback, authoring,
the workshop bundle) and ``cli`` (the command line). docs/architecture.md draws the layers and the import rule.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

#: Module slugs, fixed so that tools and graders find them.
MODULES = (
    "00-start-here",
    "01-foundations",
    "02-social-media",
    "03-images",
    "04-search",
    "05-e-evidence",
    "06-crypto",
    "07-device-triage",
    "08-capstone",
)

#: Every submodule, loaded on first attribute access (tests/test_layers.py keeps it in step
#: with the files).
_SUBMODULES = {
    "archive",
    "case",
    "charts",
    "cli",
    "crypto",
    "data",
    "device",
    "eevidence",
    "evidence",
    "grading",
    "images",
    "primer",
    "reference",
    "results",
    "scenario",
    "search",
    "social",
    "timeutil",
    "trainer",
    "triage",
    "victims",
    "web",
    "widgets",
}


def __getattr__(name: str):
    # PEP 562: import toolkit submodules lazily (pandas, matplotlib and nbgrader are slow to load).
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'osintlab' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_SUBMODULES))
