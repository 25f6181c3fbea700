"""Offline pictures for lessons: maps, network charts and timelines (matplotlib only).

The basemap is Natural Earth's 1:110m countries (public domain), shipped with the package, so
maps render on a laptop without internet.

    >>> fig, ax = route_map([("Lahore", 31.55, 74.34), ("Dubai", 25.2, 55.27)])  # doctest: +SKIP
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

__all__ = ["basemap", "route_map", "network_chart", "timeline_chart", "ROLE_COLOURS"]

ROLE_COLOURS = {"source": "#1f77b4", "transit": "#ff7f0e", "border town": "#d62728",
                "compound area": "#7f0000", "destination": "#2ca02c", "arrival": "#2ca02c",
                "boat departure": "#9467bd", "smuggling transit": "#8c564b"}


@lru_cache(maxsize=1)
def _countries() -> dict:
    text = resources.files("osintlab").joinpath("resources/ne_110m_countries.geojson").read_text(
        encoding="utf-8")
    return json.loads(text)


def basemap(ax=None, extent=(10, 105, 0, 48), land="#eeeae2", border="#9a9a9a"):
    """Draw country polygons on ``ax`` within ``extent`` = (lon_min, lon_max, lat_min, lat_max).

    Equirectangular, with the aspect corrected for the mid latitude, which is accurate enough
    for route overviews (use a GIS for measurements).
    """
    import math
    import matplotlib.pyplot as plt
    from matplotlib.collections import PolyCollection
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 5.5))
    polys = []
    for f in _countries()["features"]:
        g = f["geometry"]
        shapes = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        for shape in shapes:
            ring = shape[0]
            xs = [p[0] for p in ring]
            if max(xs) < extent[0] - 5 or min(xs) > extent[1] + 5:
                continue
            polys.append(ring)
    ax.add_collection(PolyCollection(polys, facecolor=land, edgecolor=border, linewidth=0.5,
                                     zorder=0))
    ax.set_facecolor("#dfeaf3")
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_aspect(1 / math.cos(math.radians((extent[2] + extent[3]) / 2)))
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.annotate("Basemap: Natural Earth (public domain)", (0.99, 0.01), xycoords="axes fraction",
                ha="right", va="bottom", fontsize=7, color="#666")
    return ax


def route_map(points, routes=None, ax=None, extent=None, title=None, colours=None):
    """Plot named points ``(name, lat, lon[, role])`` and routes (lists of names) on a basemap.

    Returns ``(fig, ax)``. ``extent`` defaults to the points' bounding box plus a margin.
    """
    import matplotlib.pyplot as plt
    pts = {p[0]: p for p in points}
    if not pts:
        raise ValueError("route_map needs at least one point (name, lat, lon)")
    for name, *rest in points:
        lat, lon = rest[0], rest[1]
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"point {name!r} has impossible coordinates ({lat}, {lon})")
    if extent is None:
        lats = [p[1] for p in points]
        lons = [p[2] for p in points]
        extent = (min(lons) - 6, max(lons) + 6, max(-85, min(lats) - 5), min(85, max(lats) + 5))
    if ax is None:
        fig, ax = plt.subplots(figsize=(10, 5.5))
    else:
        fig = ax.figure
    basemap(ax, extent)
    palette = ["#c0392b", "#2c7fb8", "#7b3294", "#238b45"]
    for i, (label, names) in enumerate((routes or {}).items()):
        missing = [n for n in names if n not in pts]
        if missing:
            raise ValueError(f"route {label!r} names unknown points: {missing}")
        xs = [pts[n][2] for n in names]
        ys = [pts[n][1] for n in names]
        ax.plot(xs, ys, "-", color=(colours or {}).get(label, palette[i % len(palette)]),
                linewidth=2, alpha=0.8, label=label, zorder=2)
    for name, lat, lon, *role in points:
        colour = ROLE_COLOURS.get(role[0] if role else "", "#333333")
        ax.plot(lon, lat, "o", color=colour, markersize=6, zorder=3)
        ax.annotate(name, (lon, lat), xytext=(4, 4), textcoords="offset points", fontsize=8,
                    zorder=4)
    if routes:
        ax.legend(loc="lower left", fontsize=8)
    if title:
        ax.set_title(title)
    return fig, ax


def network_chart(graph, ax=None, node_colour=None, node_label=None, title=None, seed=7):
    """Draw a networkx graph with a stable layout; ``node_colour``/``node_label`` map a node's
    attribute dict to a colour or label."""
    import matplotlib.pyplot as plt
    import networkx as nx
    if ax is None:
        fig, ax = plt.subplots(figsize=(9, 6.5))
    else:
        fig = ax.figure
    if graph.number_of_nodes() == 0:
        raise ValueError("network_chart: the graph has no nodes")
    pos = nx.spring_layout(graph, seed=seed, k=1.2 / max(1, graph.number_of_nodes()) ** 0.5)
    colours = [(node_colour or (lambda a: "#4c72b0"))(graph.nodes[n]) for n in graph]
    labels = {n: (node_label or (lambda a, n=n: str(n)))(graph.nodes[n]) for n in graph}
    nx.draw_networkx_edges(graph, pos, ax=ax, alpha=0.4)
    nx.draw_networkx_nodes(graph, pos, ax=ax, node_color=colours, node_size=260)
    nx.draw_networkx_labels(graph, pos, labels=labels, ax=ax, font_size=7)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return fig, ax


def timeline_chart(df, time_col, label_col, group_col=None, ax=None, title=None):
    """Events on a time axis, one lane per ``group_col`` value (UTC times expected)."""
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    if df.empty:
        raise ValueError("timeline_chart: no events to draw")
    groups = list(dict.fromkeys(df[group_col])) if group_col else [None]
    if ax is None:
        fig, ax = plt.subplots(figsize=(11, 1.2 + 0.45 * len(groups)))
    else:
        fig = ax.figure
    for i, g in enumerate(groups):
        rows = df if g is None else df[df[group_col] == g]
        ax.scatter(rows[time_col], [i] * len(rows), s=28, zorder=3)
    ax.set_yticks(range(len(groups)))
    ax.set_yticklabels([str(g) for g in groups] if group_col else [label_col])
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlabel("date (UTC)")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig, ax
