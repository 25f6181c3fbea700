"""Offline pictures for lessons: maps, network charts and timelines (matplotlib only).

The basemap is Natural Earth's 1:110m countries (public domain), shipped with the package, so
maps render on a laptop without internet.

    >>> fig, ax = route_map([("Lahore", 31.55, 74.34), ("Dubai", 25.2, 55.27)])  # doctest: +SKIP
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

__all__ = [
    "basemap",
    "route_map",
    "places_map",
    "place_labels",
    "overlapping_labels",
    "network_chart",
    "timeline_chart",
    "preservation_chart",
    "session_chart",
    "status_grid",
    "hover",
    "place_tips",
    "ROLE_COLOURS",
]

ROLE_COLOURS = {
    "source": "#1f77b4",
    "transit": "#ff7f0e",
    "border town": "#d62728",
    "compound area": "#7f0000",
    "destination": "#2ca02c",
    "arrival": "#2ca02c",
    "boat departure": "#9467bd",
    "smuggling transit": "#8c564b",
    "smuggling staging": "#8c564b",
    "border crossing": "#d62728",
    "capital": "#555555",
}


@lru_cache(maxsize=1)
def _countries() -> dict:
    text = (
        resources.files("osintlab")
        .joinpath("resources/ne_110m_countries.geojson")
        .read_text(encoding="utf-8")
    )
    return json.loads(text)


def basemap(ax=None, extent=(10, 105, 0, 48), land="#eeeae2", border="#9a9a9a", credit=True):
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
    ax.add_collection(
        PolyCollection(polys, facecolor=land, edgecolor=border, linewidth=0.5, zorder=0)
    )
    ax.set_facecolor("#dfeaf3")
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_aspect(1 / math.cos(math.radians((extent[2] + extent[3]) / 2)))
    ax.set_xlabel("")
    ax.set_ylabel("")
    if credit:
        ax.annotate(
            "Basemap: Natural Earth (public domain)",
            (0.99, 0.01),
            xycoords="axes fraction",
            ha="right",
            va="bottom",
            fontsize=7,
            color="#666",
        )
    return ax


def _pretty(label: str) -> str:
    """'iran-turkey-greece' -> 'Iran → Turkey → Greece'; other labels are kept as given."""
    if label and label == label.lower() and " " not in label and "-" in label:
        return " \u2192 ".join(part.capitalize() for part in label.split("-"))
    return label[:1].upper() + label[1:] if label and label == label.lower() else label


def _boxes_clash(box, boxes, pad=1.0) -> bool:
    return any(
        box.x0 < b.x1 + pad and b.x0 < box.x1 + pad and box.y0 < b.y1 + pad and b.y0 < box.y1 + pad
        for b in boxes
    )


def place_labels(ax, labels, *, fontsize=8, avoid=()):
    """Write ``labels`` = [(text, x, y), ...] (data coordinates) next to their points so that
    no two labels overlap, none covers a point in ``avoid`` (data coordinates), and all stay
    inside the axes: each label tries eight positions around its point, then farther out with
    a leader line. Call it after the figure's layout is final. Returns the text artists.
    """
    from matplotlib.transforms import Bbox

    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    ax.apply_aspect()
    frame = ax.get_window_extent(renderer)
    to_px = ax.transData.transform
    taken = [Bbox.from_bounds(*(to_px((x, y)) - 4), 8, 8) for x, y in avoid]
    taken += [t.get_window_extent(renderer) for t in ax.texts if t.get_text().strip()]
    if ax.get_legend() is not None:
        taken.append(ax.get_legend().get_window_extent(renderer))
    directions = [
        (1, 1, "left", "bottom"),
        (1, -1, "left", "top"),
        (-1, 1, "right", "bottom"),
        (-1, -1, "right", "top"),
        (1, 0, "left", "center"),
        (-1, 0, "right", "center"),
        (0, 1, "center", "bottom"),
        (0, -1, "center", "top"),
    ]
    placed = []
    for text, x, y in labels:
        best = None
        for radius in (4, 12, 22, 34, 48):
            for dx, dy, ha, va in directions:
                arrow = (
                    {"arrowstyle": "-", "color": "#555", "lw": 0.6, "shrinkA": 0, "shrinkB": 3}
                    if radius > 4
                    else None
                )
                art = ax.annotate(
                    text,
                    (x, y),
                    xytext=(dx * radius, dy * radius),
                    textcoords="offset points",
                    ha=ha,
                    va=va,
                    fontsize=fontsize,
                    zorder=5,
                    arrowprops=arrow,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
                )
                box = art.get_window_extent(renderer)
                inside = (
                    box.x0 >= frame.x0
                    and box.x1 <= frame.x1
                    and box.y0 >= frame.y0
                    and box.y1 <= frame.y1
                )
                if inside and not _boxes_clash(box, taken):
                    best = (art, box)
                    break
                art.remove()
            if best:
                break
        if best is None:  # nowhere free: keep the first position, visibly
            art = ax.annotate(
                text, (x, y), xytext=(4, 4), textcoords="offset points", fontsize=fontsize, zorder=5
            )
            best = (art, art.get_window_extent(renderer))
        taken.append(best[1])
        placed.append(best[0])
    return placed


def _crowds(xy_px, names, near_px, min_size):
    """Groups (lists of indices) of at least ``min_size`` points chained closer than near_px."""
    group = list(range(len(names)))

    def find(i):
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            (xi, yi), (xj, yj) = xy_px[i], xy_px[j]
            if (xi - xj) ** 2 + (yi - yj) ** 2 < near_px**2:
                group[find(i)] = find(j)
    out: dict[int, list[int]] = {}
    for i in range(len(names)):
        out.setdefault(find(i), []).append(i)
    return [g for g in out.values() if len(g) >= min_size]


def _draw_routes(ax, routes, pts, colours, width=2.0, gap_px=3.0):
    """Routes as lines; a leg shared by several routes is drawn as parallel lines side by side,
    so that no route hides another."""
    from itertools import pairwise

    import numpy as np

    ax.apply_aspect()
    to_px, to_data = ax.transData.transform, ax.transData.inverted().transform
    legs: dict[frozenset, list[str]] = {}
    for label, names in routes.items():
        for a, b in pairwise(names):
            legs.setdefault(frozenset((a, b)), []).append(label)
    handles = []
    for label, names in routes.items():
        colour = colours[label]
        for a, b in pairwise(names):
            users = legs[frozenset((a, b))]
            k = users.index(label) - (len(users) - 1) / 2
            pa = to_px((pts[a][2], pts[a][1]))
            pb = to_px((pts[b][2], pts[b][1]))
            d = pb - pa
            norm = np.hypot(*d) or 1.0
            shift = np.array([-d[1], d[0]]) / norm * k * gap_px
            if tuple(sorted((a, b))) != (a, b):
                shift = -shift  # the same side whichever way a route runs
            (x0, y0), (x1, y1) = to_data(pa + shift), to_data(pb + shift)
            ax.plot(
                [x0, x1],
                [y0, y1],
                "-",
                color=colour,
                linewidth=width,
                alpha=0.85,
                zorder=2,
                solid_capstyle="round",
            )
        handles.append(ax.plot([], [], "-", color=colour, linewidth=width, label=_pretty(label))[0])
    return handles


def route_map(
    points,
    routes=None,
    ax=None,
    extent=None,
    title=None,
    colours=None,
    zoom_crowded=True,
    point_kind="place",
):
    """Plot named points ``(name, lat, lon[, role])`` and routes (lists of names) on a basemap.

    Returns ``(fig, ax)``. ``extent`` defaults to the points' bounding box plus a margin. Labels
    never overlap (see :func:`place_labels`); points with the same name and place are drawn once
    with a count ("Lahore ×3"; ``point_kind`` names points without a role in the legend).
    Where four or more places crowd together, the map shows them in a zoomed panel beside it
    (``zoom_crowded=False`` or a given ``ax`` turns that off). A leg shared by two routes is
    drawn as two parallel lines. The legend names every route and every role colour.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    pts: dict[str, tuple] = {}  # key -> (label, lat, lon, role); key = name first
    counts: dict[str, int] = {}
    for p in points:
        name, lat, lon = str(p[0]), p[1], p[2]
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"point {name!r} has impossible coordinates ({lat}, {lon})")
        role = p[3] if len(p) > 3 else ""
        same = [
            k
            for k in pts
            if pts[k][0].split(" \u00d7")[0] == name
            and abs(pts[k][1] - lat) < 0.25
            and abs(pts[k][2] - lon) < 0.25
        ]
        if same:  # one name at one place: one dot, with a count
            counts[same[0]] += 1
            continue
        key = name if name not in pts else f"{name}#{len(pts)}"
        pts[key], counts[key] = (name, lat, lon, role), 1
    if not pts:
        raise ValueError("route_map needs at least one point (name, lat, lon)")
    pts = {
        k: (v[0] if counts[k] == 1 else f"{v[0]} \u00d7{counts[k]}",) + v[1:]
        for k, v in pts.items()
    }
    routes = routes or {}
    for label, names in routes.items():
        missing = [n for n in names if n not in pts]
        if missing:
            raise ValueError(f"route {label!r} names unknown points: {missing}")
    if extent is None:
        lats = [p[1] for p in pts.values()]
        lons = [p[2] for p in pts.values()]
        extent = (min(lons) - 6, max(lons) + 6, max(-85, min(lats) - 5), min(85, max(lats) + 5))
    palette = ["#c0392b", "#2c7fb8", "#7b3294", "#238b45"]
    colours = {
        label: (colours or {}).get(label, palette[i % len(palette)])
        for i, label in enumerate(routes)
    }

    def scaffold(ax_, ext, credit=True):
        basemap(ax_, ext, credit=credit)
        ax_.apply_aspect()
        return ax_

    given = ax is not None
    if given:
        fig = ax.figure
    else:  # fixed rectangles: the layout is final at once
        fig = plt.figure(figsize=(10, 5.5))
        ax = fig.add_axes((0.07, 0.16, 0.9, 0.76))
    scaffold(ax, extent)
    names = list(pts)
    crowds = []
    if zoom_crowded and not given and len(names) >= 4:
        xy = [ax.transData.transform((pts[n][2], pts[n][1])) for n in names]
        crowds = _crowds(xy, names, near_px=fig.dpi * 0.28, min_size=4)
    insets = []
    if crowds:
        fig.set_size_inches(13.5, 5.5)
        ax.set_position((0.05, 0.16, 0.68, 0.76))
        height = 0.76 / len(crowds)
        for i, group in enumerate(crowds):
            lats = [pts[names[j]][1] for j in group]
            lons = [pts[names[j]][2] for j in group]
            pad_lat = max(0.4, (max(lats) - min(lats)) * 0.35)
            pad_lon = max(0.6, (max(lons) - min(lons)) * 0.45)
            ext = (
                min(lons) - pad_lon,
                max(lons) + pad_lon,
                min(lats) - pad_lat,
                max(lats) + pad_lat,
            )
            inset = fig.add_axes((0.77, 0.16 + (len(crowds) - 1 - i) * height, 0.21, height - 0.06))
            letter = "ABCDEFGH"[i]
            insets.append((inset, ext, [names[j] for j in group], letter))
            ax.add_patch(
                Rectangle(
                    (ext[0], ext[2]),
                    ext[1] - ext[0],
                    ext[3] - ext[2],
                    fill=False,
                    edgecolor="#333",
                    linewidth=0.9,
                    zorder=4,
                )
            )
            ax.annotate(
                letter,
                (ext[0], ext[3]),
                xytext=(0, 2),
                textcoords="offset points",
                fontsize=9,
                fontweight="bold",
                ha="left",
                va="bottom",
                zorder=5,
            )
        ax.apply_aspect()
        for inset, ext, members, letter in insets:
            scaffold(inset, ext, credit=False)
            inset.set_title(
                f"{letter}: {members[0]} and {len(members) - 1} places nearby",
                fontsize=9,
                loc="left",
            )
            inset.set_xlabel("")
            inset.set_ylabel("")
            inset.tick_params(labelsize=7)
    in_inset = {n for _, _, members, _ in insets for n in members}
    handles = _draw_routes(ax, routes, pts, colours)
    for inset, _, _, _ in insets:
        _draw_routes(inset, routes, pts, colours, width=1.6)
    roles = {}
    for target, members in [(ax, names)] + [(i, m) for i, _, m, _ in insets]:
        for n in members:
            role = pts[n][3]
            colour = ROLE_COLOURS.get(role, "#333333")
            roles.setdefault(role or point_kind, colour)
            target.plot(
                pts[n][2],
                pts[n][1],
                "o",
                color=colour,
                markersize=6,
                zorder=3,
                markeredgecolor="white",
                markeredgewidth=0.6,
            )
    by_colour: dict[str, list[str]] = {}
    for role, colour in roles.items():
        by_colour.setdefault(colour, []).append(role)
    role_handles = [
        Line2D([], [], marker="o", linestyle="", color=c, markersize=6, label=" / ".join(rs))
        for c, rs in by_colour.items()
    ]
    if roles or routes:
        entries = handles + role_handles
        ax.legend(
            handles=entries,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.04),
            ncol=min(5, len(entries)),
            fontsize=7,
            frameon=False,
        )
    xy_all = [(pts[n][2], pts[n][1]) for n in names]
    place_labels(
        ax, [(pts[n][0], pts[n][2], pts[n][1]) for n in names if n not in in_inset], avoid=xy_all
    )
    for inset, _, members, _ in insets:
        place_labels(
            inset,
            [(pts[n][0], pts[n][2], pts[n][1]) for n in members],
            avoid=[(pts[n][2], pts[n][1]) for n in members],
        )
    if title:
        ax.set_title(title)
    return fig, ax


def places_map(places, routes=None, *, title=None, ax=None):
    """Map a places table (columns ``name``, ``lat``, ``lon``, optional ``role`` and
    ``place_id``) with routes given as lists of place ids or names: the briefing map in one
    call (``charts.places_map(data.load("briefing/places.csv"), case["routes"])``).
    """
    missing = [c for c in ("name", "lat", "lon") if c not in places.columns]
    if missing:
        raise ValueError(f"places_map: the places table has no column {missing}")
    roles = places["role"] if "role" in places.columns else [""] * len(places)
    points = [
        (n, float(a), float(b), r)
        for n, a, b, r in zip(places["name"], places["lat"], places["lon"], roles)
    ]
    name_of = dict(zip(places["place_id"], places["name"])) if "place_id" in places.columns else {}
    lines = {
        label: [name_of.get(stop, stop) for stop in stops]
        for label, stops in (routes or {}).items()
    }
    return route_map(points, lines, title=title, ax=ax)


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
        ax.scatter(
            rows[time_col], [i] * len(rows), s=28, zorder=3, color="#1f77b4"
        )  # lanes: y labels
    ax.set_yticks(range(len(groups)))
    ax.set_yticklabels([str(g) for g in groups] if group_col else [label_col])
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlabel("date (UTC)")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig, ax


def overlapping_labels(fig) -> list[tuple[str, str]]:
    """Pairs of text labels that overlap on ``fig`` (titles, axis labels and ticks excluded):
    a test that a picture can be read. Legends count as one box each.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.text(0.5, 0.5, "Lahore"); _ = ax.text(0.5, 0.5, "Sialkot")
    >>> overlapping_labels(fig)
    [('Lahore', 'Sialkot')]
    """
    renderer = fig.canvas.get_renderer()
    boxes = []
    for ax in fig.axes:
        for t in ax.texts:
            if t.get_visible() and t.get_text().strip():
                boxes.append((t.get_text(), t.get_window_extent(renderer)))
        legend = ax.get_legend()
        if legend is not None:
            boxes.append(("<legend>", legend.get_window_extent(renderer)))
    out = []
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1 :]:
            if box_a.overlaps(box_b):
                out.append((a, b))
    return out


#: Colours of the preservation chart: lapsed, under 14 days left, safe.
PRESERVATION_COLOURS = {
    "lapsed": "#d62728",
    "< 14 days left": "#ff7f0e",
    "14 days or more": "#2ca02c",
}


def preservation_chart(periods, now, *, title="Preservation periods"):
    """One bar per preservation from ``start`` to ``until`` (UTC), coloured by the days left at
    ``now``, with its first reminder as a tick and ``now`` as a dashed line; a legend names every
    colour and mark. ``periods`` has columns id, provider, start, until, remind, days_left.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> from datetime import datetime, UTC
    >>> import pandas as pd
    >>> t = lambda d: datetime(2026, 3, d, tzinfo=UTC)
    >>> df = pd.DataFrame([("P1", "meta", t(1), t(30), t(20), -2)],
    ...                   columns=["id", "provider", "start", "until", "remind", "days_left"])
    >>> fig, ax = preservation_chart(df, t(31))
    >>> [x.get_text() for x in ax.get_legend().get_texts()][:2]
    ['lapsed', '< 14 days left']
    """
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if len(periods) == 0:
        raise ValueError("preservation_chart: no preservations to draw")
    fig, ax = plt.subplots(figsize=(9, 1.6 + 0.5 * len(periods)))
    for i, r in enumerate(periods.itertuples()):
        key = (
            "lapsed"
            if r.days_left < 0
            else "< 14 days left"
            if r.days_left < 14
            else "14 days or more"
        )
        ax.barh(i, (r.until - r.start).days, left=r.start, color=PRESERVATION_COLOURS[key])
        ax.plot([r.remind], [i], "k|", markersize=14)
    ax.axvline(now, color="k", linestyle="--")
    ax.set_yticks(range(len(periods)), [f"{r.id} {r.provider}" for r in periods.itertuples()])
    handles = [Patch(color=c, label=k) for k, c in PRESERVATION_COLOURS.items()] + [
        Line2D([], [], color="k", marker="|", linestyle="", markersize=12, label="first reminder"),
        Line2D([], [], color="k", linestyle="--", label="the case on your desk (now)"),
    ]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    locator = mdates.AutoDateLocator(maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.set_title(title)
    ax.set_xlabel("date (UTC)")
    fig.tight_layout()
    return fig, ax


def session_chart(views, moment, *, hours=8, caption=""):
    """ISP sessions around ``moment`` (UTC), one panel per ``(title, table)`` in ``views``:
    a session is a bar from session_start_utc to session_end_utc labelled with its
    subscriber_id, orange when it contains ``moment`` (black line). Shows how a wrong time zone
    moves the match to another subscriber.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> import pandas as pd
    >>> df = pd.DataFrame({"session_start_utc": ["2026-03-10T09:00:00Z"],
    ...                    "session_end_utc": ["2026-03-10T10:00:00Z"], "subscriber_id": ["S1"]})
    >>> fig, axes = session_chart([("right", df)], pd.Timestamp("2026-03-10T09:30:00Z"))
    >>> [t.get_text() for t in axes[0].texts]
    [' S1']
    """
    from datetime import timedelta

    import matplotlib.pyplot as plt
    import pandas as pd
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    fig, axes = plt.subplots(
        len(views), 1, figsize=(10, 1.2 + 1.5 * len(views)), sharex=True, squeeze=False
    )
    axes = list(axes[:, 0])
    span = timedelta(hours=hours)
    for ax, (title, df) in zip(axes, views, strict=True):
        s = pd.to_datetime(df["session_start_utc"], utc=True)
        e = pd.to_datetime(df["session_end_utc"], utc=True)
        keep = (e > moment - span) & (s < moment + span)
        for i, (a, b, sub) in enumerate(
            zip(s[keep], e[keep], df["subscriber_id"][keep], strict=True)
        ):
            ax.barh(i, b - a, left=a, color="#e6550d" if a <= moment <= b else "#9ecae1")
            ax.text(a, i, " " + sub, va="center", fontsize=7)
        ax.axvline(moment, color="k")
        ax.set_yticks([])
        ax.set_ylim(-0.6, max(1, int(keep.sum())) - 0.4)
        ax.set_title(title, fontsize=9)
    axes[0].legend(
        handles=[
            Patch(color="#e6550d", label="session containing the moment"),
            Patch(color="#9ecae1", label="other session"),
            Line2D([], [], color="k", label="the logged moment (UTC)"),
        ],
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
        fontsize=8,
    )
    axes[-1].set_xlabel(caption or "UTC")
    fig.tight_layout()
    return fig, axes


#: Default colours of :func:`status_grid`.
STATUS_COLOURS = {"available": "#7fbf7f", "cannot": "#e08080", "not stated": "#dddddd"}


def status_grid(grid, *, colours=None, title=None):
    """A table of coloured squares: one row per key of ``grid``, one column per key of its
    inner dicts, each square coloured by its state, with a legend naming every state.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> fig, ax = status_grid({"Meta": {"subscriber": "available", "content": "cannot"}})
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['available', 'cannot']
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    colours = colours or STATUS_COLOURS
    rows = list(grid)
    cols = list(dict.fromkeys(c for r in rows for c in grid[r]))
    if not rows or not cols:
        raise ValueError("status_grid: nothing to draw")
    states = [s for s in colours if any(s in grid[r].values() for r in rows)]
    unknown = {v for r in rows for v in grid[r].values()} - set(colours)
    if unknown:
        raise ValueError(f"status_grid: no colour for {sorted(unknown)}")
    index = {s: i for i, s in enumerate(states)}
    values = [[index.get(grid[r].get(c), 0) for c in cols] for r in rows]
    fig, ax = plt.subplots(figsize=(4.5 + 1.1 * len(cols), 1.4 + 0.4 * len(rows)))
    cmap = ListedColormap([colours[s] for s in states])
    ax.imshow(values, cmap=cmap, vmin=-0.5, vmax=len(states) - 0.5, aspect="auto")
    ax.set_xticks(range(len(cols)), cols, rotation=30, ha="right")
    ax.set_yticks(range(len(rows)), rows)
    ax.legend(
        handles=[Patch(color=colours[s], label=s) for s in states],
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
        fontsize=8,
    )
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig, ax


def hover(fig, tips: dict, *, close=True):
    """The figure as an SVG picture in which hovering a label shows its tip (an SVG ``<title>``,
    read by every browser offline: no script, no network). ``tips`` maps a label's text to the
    words to show.

    >>> import matplotlib; matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.text(0.5, 0.5, "Lahore")
    >>> "<title>Lahore: source, Pakistan</title>" in hover(fig, {"Lahore": "Lahore: source, Pakistan"}).data
    True
    """
    import html
    import io
    import re

    from IPython.display import SVG

    tagged = {}
    for a, ax in enumerate(fig.axes):
        for t, text in enumerate(ax.texts):
            tip = tips.get(text.get_text())
            if tip:
                gid = f"tip-{a}-{t}"
                text.set_gid(gid)
                tagged[gid] = tip
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    svg = buf.getvalue()
    for gid, tip in tagged.items():
        svg = re.sub(
            rf'(<g id="{gid}"[^>]*>)',
            lambda m, tip=tip: m.group(1) + f"<title>{html.escape(tip)}</title>",
            svg,
            count=1,
        )
    if close:
        import matplotlib.pyplot as plt

        plt.close(fig)
    return SVG(svg)


def place_tips(places) -> dict:
    """Hover tips for :func:`hover` from a places table (name, role, country_name, tz, lat,
    lon, and name_local if present).

    >>> import pandas as pd
    >>> place_tips(pd.DataFrame([{"name": "Lahore", "role": "source", "country_name": "Pakistan",
    ...                           "tz": "Asia/Karachi", "lat": 31.55, "lon": 74.34}]))["Lahore"]
    'Lahore — source, Pakistan · time zone Asia/Karachi · 31.55, 74.34'
    """
    tips = {}
    for r in places.to_dict("records"):
        local = f" ({r['name_local']})" if r.get("name_local") else ""
        tips[r["name"]] = (
            f"{r['name']}{local} — {r['role']}, {r['country_name']} · time zone {r['tz']} · "
            f"{r['lat']:.2f}, {r['lon']:.2f}"
        )
    return tips
