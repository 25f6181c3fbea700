"""Views of the world: each ``vNN_name.py`` has ``build(world, writer)`` and writes one folder.

Views are discovered by name, so a module adds its view without touching this file. Each view
draws randomness only from ``world.rng('<view>/<purpose>')`` so views stay independent.
"""
