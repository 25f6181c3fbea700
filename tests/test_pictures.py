"""Pictures people can read: no two labels overlap, and a legend names every colour and symbol
(maps of lessons 00, 03 and 08, the actor link chart of lesson 02)."""

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import networkx as nx
import pytest

from osintlab import charts, data, social


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _legend_texts(fig):
    return [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]


def _legend_colours(fig):
    out = set()
    for ax in fig.axes:
        if ax.get_legend():
            for h in ax.get_legend().legend_handles:
                out.add(matplotlib.colors.to_hex(h.get_color()))
    return out


def _marker_colours(ax):
    return {
        matplotlib.colors.to_hex(line.get_color())
        for line in ax.lines
        if line.get_marker() not in ("None", "", None) and len(line.get_xdata())
    }


def test_overlapping_labels_finds_a_clash_and_ignores_separate_labels():
    fig, ax = plt.subplots()
    ax.text(0.1, 0.5, "Lahore")
    ax.text(0.7, 0.5, "Dhaka")
    assert charts.overlapping_labels(fig) == []
    ax.text(0.1, 0.5, "Sialkot")
    assert charts.overlapping_labels(fig) == [("Lahore", "Sialkot")]


def test_briefing_map_labels_are_clear_and_every_route_and_colour_is_in_the_legend():
    case = data.load("briefing/case.json")
    places = data.load("briefing/places.csv")
    fig, ax = charts.places_map(places, case["routes"], title="t")
    assert charts.overlapping_labels(fig) == []
    legend = _legend_texts(fig)
    assert len(legend) >= len(case["routes"])
    assert not any(re.fullmatch(r"[a-z]+(-[a-z]+)+", t) for t in legend), legend  # no raw keys
    assert _marker_colours(ax) <= _legend_colours(fig)
    # Punjab crowds on the overview: it gets a zoomed panel with all its labels
    assert len(fig.axes) >= 2
    zoom_labels = {t.get_text() for t in fig.axes[1].texts}
    assert {"Lahore", "Sialkot", "Gujranwala", "Gujrat"} <= zoom_labels
    # every place is labelled once, on the overview or in a zoom
    labels = [t.get_text() for a in fig.axes for t in a.texts]
    assert set(places["name"]) <= set(labels)


def test_a_leg_shared_by_two_routes_shows_both_routes():
    pts = [("A", 30, 70), ("B", 25, 55), ("C", 14, 100), ("D", 32, 20)]
    _, ax = charts.route_map(pts, {"one": ["A", "B", "C"], "two": ["A", "B", "D"]})
    segments = [
        tuple(round(v, 4) for v in (*line.get_xdata(), *line.get_ydata()))
        for line in ax.lines
        if line.get_linestyle() == "-" and len(line.get_xdata()) == 2
    ]
    assert len(segments) == 4 and len(set(segments)) == 4  # the A-B leg twice, side by side


def test_places_at_one_spot_get_separate_labels_and_repeats_a_count():
    pts = [
        ("Myawaddy (compound area)", 16.69, 98.51),
        ("compound near Myawaddy", 16.69, 98.51),
        ("Lahore", 31.55, 74.34),
        ("Lahore", 31.56, 74.35),
        ("Dhaka", 23.8, 90.4),
    ]
    fig, ax = charts.route_map(pts, title="t")
    assert charts.overlapping_labels(fig) == []
    texts = {t.get_text() for t in ax.texts}
    assert {"Myawaddy (compound area)", "compound near Myawaddy", "Lahore \u00d72"} <= texts
    assert _legend_texts(fig) == ["place"]


def _toy_graph():
    g = nx.Graph()
    for acc, plat, handle in [
        ("1", "chaupal", "front.jobs"),
        ("2", "paigham", "front_channel"),
        ("3", "jhalak", "agent.baba"),
        ("4", "jhalak", "bystander"),
    ]:
        g.add_node(f"acct:{acc}", type="account", account_id=acc, platform=plat, handle=handle)
    for kind, value, owners in [
        ("phone", "+923215550942", "123"),
        ("crypto", "TJFRx9cQ2vWQ9hR7Lw3n8qz1kP4aB5c71W", "23"),
        ("image", "c308585c044f366f", "12"),
    ]:
        g.add_node(f"{kind}:{value}", type="selector", kind=kind, value=value)
        for o in owners:
            g.add_edge(f"acct:{o}", f"{kind}:{value}", weight=3)
    return g


def test_actor_chart_has_readable_labels_a_legend_and_a_key_with_the_ids():
    g = _toy_graph()
    actors, _ = social.merge_actors(g)
    fig, ax, key = social.actor_chart(g, actors, actors["1"])
    assert charts.overlapping_labels(fig) == []
    labels = [t.get_text() for t in ax.texts]
    assert "@front.jobs" in labels and "phone \u20260942" in labels and "picture 1" in labels
    assert not any(re.search(r"[0-9a-f]{10,}", t) for t in labels), labels  # no hash labels
    assert "@bystander" not in labels
    legend = _legend_texts(fig)
    for want in (
        "account on chaupal",
        "account on jhalak",
        "account on paigham",
        "phone",
        "wallet",
        "picture (same photo)",
    ):
        assert want in legend
    assert _marker_colours(ax) <= _legend_colours(fig)
    assert set(key.loc[key["what"] == "account", "id or value"]) == {"1", "2", "3"}
    assert "+923215550942" in set(key["id or value"])


def test_actor_chart_of_the_case_network_reads_cleanly():
    posts = data.load("social/posts.csv")
    accounts = data.load("social/accounts.csv")
    graph = social.build_graph(
        social.selectors_table(posts),
        accounts[["account_id", "platform", "handle", "display_name"]],
    )
    actors, _ = social.merge_actors(graph)
    fig, ax, key = social.actor_chart(graph, actors, "actor-01")
    assert charts.overlapping_labels(fig) == []
    assert len(key) == len(ax.texts)


def test_actor_chart_names_an_unknown_actor():
    g = _toy_graph()
    actors, _ = social.merge_actors(g)
    with pytest.raises(social.SocialError, match="actor-99"):
        social.actor_chart(g, actors, "actor-99")


# --- every figure of every lesson, drawn on the course data -------------------------------

from pathlib import Path  # noqa: E402

import nbformat  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "course").glob("[0-9][0-9]-*.ipynb"))


def _data_colours(fig) -> set[str]:
    """Colours that carry meaning: filled areas, markers, points and colour-mapped images."""
    out = set()
    for ax in fig.axes:
        for coll in ax.collections:
            out.update(matplotlib.colors.to_hex(c) for c in coll.get_facecolor())
        for patch in ax.patches:
            if patch.get_fill():
                out.add(matplotlib.colors.to_hex(patch.get_facecolor()))
        for line in ax.lines:
            if line.get_marker() not in ("None", "", None):
                out.add(matplotlib.colors.to_hex(line.get_color()))
        for image in ax.images:
            if image.get_array() is not None and image.get_array().ndim == 2:  # not a photo
                out.update(f"cmap{i}" for i in range(image.get_cmap().N))
    return out


def _tick_clashes(fig) -> list[tuple[str, str]]:
    """Neighbouring tick labels of one axis that overlap (a crowded date or category axis)."""
    renderer = fig.canvas.get_renderer()
    out = []
    for ax in fig.axes:
        for labels in (ax.get_xticklabels(), ax.get_yticklabels()):
            shown = [t for t in labels if t.get_visible() and t.get_text().strip()]
            boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in shown]
            for (a, box_a), (b, box_b) in zip(boxes, boxes[1:]):
                if box_a.overlaps(box_b):
                    out.append((a, b))
    return out


def lesson_figures(path: Path):
    """Run a lesson's code cells in this process (Agg backend) and yield (cell id, figure)
    for every figure a cell draws."""
    from IPython.display import display

    nb = nbformat.read(path, as_version=4)
    ns = {"display": display}
    old = Path.cwd()
    try:
        import contextlib
        import io
        import os

        os.chdir(path.parent)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            src = "\n".join(
                line
                for line in cell.source.splitlines()
                if not line.lstrip().startswith(("%", "!"))
            )
            before = set(plt.get_fignums())
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(src, f"{path.stem}:{cell.get('id')}", "exec"), ns)  # noqa: S102
            for n in sorted(set(plt.get_fignums()) - before):
                yield cell.get("id"), plt.figure(n)
            plt.close("all")
    finally:
        os.chdir(old)


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_every_lesson_figure_has_clear_labels_and_a_legend_for_its_colours(path):
    problems = []
    for cell_id, fig in lesson_figures(path):
        clash = charts.overlapping_labels(fig)
        if clash:
            problems.append(f"{cell_id}: labels overlap {clash[:3]}")
        ticks = _tick_clashes(fig)
        if ticks:
            problems.append(f"{cell_id}: tick labels overlap {ticks[:3]}")
        has_legend = any(ax.get_legend() for ax in fig.axes) or bool(fig.legends)
        if len(_data_colours(fig)) > 1 and not has_legend:
            problems.append(f"{cell_id}: {len(_data_colours(fig))} colours and no legend")
    assert not problems, f"{path.name}: " + "; ".join(problems)


def test_the_new_chart_helpers_name_every_colour():
    from datetime import UTC, datetime

    import pandas as pd

    fig, ax = charts.status_grid({"A": {"x": "available", "y": "cannot"}, "B": {"x": "not stated"}})
    assert charts.overlapping_labels(fig) == [] and ax.get_legend() is not None
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {
        "available",
        "cannot",
        "not stated",
    }
    t = lambda d: datetime(2026, 3, d, tzinfo=UTC)  # noqa: E731
    df = pd.DataFrame(
        [("P1", "meta", t(1), t(30), t(20), -2), ("P2", "tiktok", t(2), t(28), t(18), 20)],
        columns=["id", "provider", "start", "until", "remind", "days_left"],
    )
    fig, ax = charts.preservation_chart(df, t(25))
    legend = {x.get_text() for x in ax.get_legend().get_texts()}
    assert {"lapsed", "14 days or more", "first reminder"} <= legend


def test_hover_tips_are_in_the_picture_and_need_no_network():
    case = data.load("briefing/case.json")
    places = data.load("briefing/places.csv")
    fig, _ = charts.places_map(places, case["routes"], title="t")
    svg = charts.hover(fig, charts.place_tips(places)).data
    assert svg.count("<title>") >= len(places)
    assert "Lahore" in svg and "Asia/Karachi" in svg
    assert "<script" not in svg
    refs = re.findall(r'(?:href|src)="([^"]+)"', svg)
    assert not [r for r in refs if r.startswith(("http:", "https:", "//"))], refs


def test_actor_chart_hover_names_every_label():
    g = _toy_graph()
    actors, _ = social.merge_actors(g)
    fig, _, key = social.actor_chart(g, actors, actors["1"])
    svg = charts.hover(fig, social.chart_tips(key)).data
    assert svg.count("<title>") >= len(key)
