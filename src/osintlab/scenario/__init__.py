"""The seeded generator of Operation SILVER ROUTE: the world (ground truth) and its views.

>>> from osintlab.scenario import build_world
>>> build_world(1).case_ref.startswith("SR-")
True
"""

from .world import OPERATION, PLATFORMS, World, build_world  # noqa: F401
