"""Who are these addresses, and what goes in the case file: attribution, flow graphs and
charts, a Markdown tracing report, and a request to the exchange (module 05's request model).

A token trace from a victim V through a forwarder F to two deposit addresses of one exchange:

    >>> import pandas as pd
    >>> tags = pd.DataFrame({"address": ["X1", "X2"], "label": "Exchange A",
    ...     "category": "exchange", "source": "exchange's published deposit list"})
    >>> trace = pd.DataFrame({"from": ["V", "F", "F"], "to": ["F", "X1", "X2"],
    ...     "tainted": [1500, 900, 600], "hop": [0, 1, 1]})
    >>> attribute(trace, tags, column="to")[["to", "label", "tag_source"]].values.tolist()
    [['F', None, None], ['X1', 'Exchange A', "exchange's published deposit list"], ['X2', 'Exchange A', "exchange's published deposit list"]]
    >>> sorted(flow_graph(trace, tags).edges(data="amount"))   # one node per exchange
    [('F', 'Exchange A', 1500), ('V', 'F', 1500)]
    >>> g = flow_graph(trace, tags, number_untagged=True)      # for slides: no raw addresses
    >>> [g.nodes[n]["label"] for n in g]
    ['A1', 'A2', 'Exchange A']
"""

from __future__ import annotations

from pathlib import Path

from ..results import as_table
from .addresses import address_problem, address_type
from .base import USDT_UNIT, CryptoInputError


def attribute(df, tags, column: str = "address"):
    """Add ``label``, ``category`` and ``tag_source`` from ``tags`` to ``df[column]``
    (untagged rows get None). Tags are claims with a source: quote the source, not the label.
    ``df`` may be a table or a result such as a :class:`TokenTrace`; the answer is a table."""
    df = as_table(df)
    if column not in df.columns:
        raise CryptoInputError(f"attribute: df has no column {column!r}")
    t = tags.drop_duplicates("address").set_index("address")
    out = df.copy()
    out["label"] = out[column].map(t["label"])
    out["category"] = out[column].map(t["category"])
    out["tag_source"] = out[column].map(t["source"]) if "source" in t.columns else None
    kinds = {"label": object, "category": object, "tag_source": object}
    return out.astype(kinds).where(out.notna(), None)


def flow_graph(trace, tags=None, *, entity: bool = True, number_untagged: bool = False):
    """A directed graph of a token trace (:func:`trace_tokens`) or a UTXO trace
    (:func:`trace_forward`): edges carry ``amount`` (tainted) and ``hop``; nodes carry
    ``label``/``category`` from ``tags`` and, with ``entity=True``, tagged addresses are merged
    into one node per label. ``number_untagged=True`` labels untagged addresses ``A1``, ``A2``,
    ... in order of appearance (for slides and reports shared beyond the case team)."""
    import networkx as nx

    trace = as_table(trace)
    g = nx.DiGraph()
    t = (
        {}
        if tags is None
        else tags.drop_duplicates("address")
        .set_index("address")[["label", "category"]]
        .to_dict("index")
    )

    numbers: dict = {}

    def node(a):
        info = t.get(a)
        name = info["label"] if (entity and info) else a
        if name not in g:
            if info:
                label = info["label"]
            elif number_untagged:
                label = numbers.setdefault(a, f"A{len(numbers) + 1}")
            else:
                label = a[:8] + "…"
            g.add_node(
                name, label=label, category=info["category"] if info else "unknown", addresses=set()
            )
        g.nodes[name]["addresses"].add(a)
        return name

    if "from" in trace.columns:
        edges = [
            (r["from"], r["to"], int(r["tainted"]), int(r["hop"])) for _, r in trace.iterrows()
        ]
    else:
        edges = []
        # UTXO: connect the input addresses' tainted outputs to the outputs of the spending tx
        by_tx = trace.groupby("txid")
        for txid, g_ in by_tx:
            for _, r in g_.iterrows():
                edges.append((f"tx:{txid[:10]}", r["address"], int(r["tainted"]), int(r["hop"])))
    for a, b, amt, hop in edges:
        u = node(a) if not a.startswith("tx:") else a
        if u == a and a.startswith("tx:") and a not in g:
            g.add_node(a, label=a, category="transaction", addresses=set())
        v = node(b)
        if g.has_edge(u, v):
            g[u][v]["amount"] += amt
            g[u][v]["hop"] = min(g[u][v]["hop"], hop)
        else:
            g.add_edge(u, v, amount=amt, hop=hop)
    return g


_CAT_COLOURS = {
    "exchange": "#2a9d8f",
    "service": "#e9c46a",
    "mixing_service": "#6d597a",
    "bridge": "#4c8dd6",
    "shop": "#e76f51",
    "user": "#f4a261",
    "unknown": "#b0b0b0",
    "transaction": "#dddddd",
}


def flow_chart(graph, *, unit: int = USDT_UNIT, unit_name: str = "USDT", ax=None, title=None):
    """Draw a flow graph left to right by hop, edge width by amount (offline, matplotlib)."""
    import matplotlib.pyplot as plt
    import networkx as nx

    if graph.number_of_nodes() == 0:
        raise CryptoInputError("flow_chart: the graph has no nodes")
    level = {}
    for n in nx.topological_sort(graph) if nx.is_directed_acyclic_graph(graph) else graph:
        preds = list(graph.predecessors(n))
        level[n] = 0 if not preds else max(level.get(p, 0) for p in preds) + 1
    cols: dict[int, list] = {}
    for n, lv in level.items():
        cols.setdefault(lv, []).append(n)
    # order each column by the mean position of its neighbours (fewer crossing edges, so
    # fewer edge labels on top of each other), sweeping left to right and back
    order = {lv: sorted(ns, key=str) for lv, ns in cols.items()}
    for _ in range(4):
        for lv in sorted(order) + sorted(order, reverse=True):
            rank = {n: i for ns in order.values() for i, n in enumerate(ns)}

            def centre(n, lv=lv, rank=rank):
                nb = [
                    m
                    for m in list(graph.predecessors(n)) + list(graph.successors(n))
                    if level[m] != lv
                ]
                return sum(rank[m] for m in nb) / len(nb) if nb else rank[n]

            order[lv] = sorted(order[lv], key=lambda n: (centre(n), str(n)))
    pos = {}
    for lv, ns in order.items():
        for i, n in enumerate(ns):
            pos[n] = (lv, -(i - (len(ns) - 1) / 2))
    n_rows = max(len(v) for v in cols.values())
    if ax is None:
        fig, ax = plt.subplots(figsize=(min(3 + 2.4 * len(cols), 16), 2.2 + 1.0 * n_rows))
    else:
        fig = ax.figure
    amounts = [d["amount"] for _, _, d in graph.edges(data=True)] or [1]
    top = max(amounts) or 1
    nx.draw_networkx_edges(
        graph,
        pos,
        ax=ax,
        width=[0.8 + 5 * d["amount"] / top for _, _, d in graph.edges(data=True)],
        edge_color="#777777",
        arrows=True,
        arrowsize=12,
        alpha=0.7,
        connectionstyle="arc3,rad=0.05",
        node_size=520,
    )
    colours = [_CAT_COLOURS.get(graph.nodes[n].get("category"), "#b0b0b0") for n in graph]
    nx.draw_networkx_nodes(
        graph, pos, ax=ax, node_color=colours, node_size=520, edgecolors="#333333"
    )
    import textwrap

    for n, (x, y) in pos.items():  # names below their node, wrapped: never on top of a node
        name = textwrap.fill(str(graph.nodes[n].get("label", str(n))), 16)
        ax.annotate(
            name,
            (x, y),
            xytext=(0, -14),
            textcoords="offset points",
            ha="center",
            va="top",
            fontsize=7,
        )
    labels = {(u, v): f"{d['amount'] / unit:,.0f}" for u, v, d in graph.edges(data=True)}
    nx.draw_networkx_edge_labels(graph, pos, labels, ax=ax, font_size=6, label_pos=0.5)
    from matplotlib.lines import Line2D

    present = sorted({graph.nodes[n].get("category", "unknown") for n in graph})
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            ls="",
            markersize=9,
            markeredgecolor="#333",
            markerfacecolor=_CAT_COLOURS.get(c, "#b0b0b0"),
            label="untagged address" if c == "unknown" else c.replace("_", " "),
        )
        for c in present
    ]
    handles.append(
        Line2D(
            [], [], color="#777777", lw=3, label=f"transfer: width and number = {unit_name} moved"
        )
    )
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.02),
        ncol=min(len(handles), 4),
        fontsize=7,
        frameon=False,
    )
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    ax.set_xlim(min(xs) - 0.5, max(xs) + 0.5)
    ax.set_ylim(min(ys) - 0.9, max(ys) + 0.4)
    ax.set_title(title or f"Traced flow (edge labels in {unit_name})")
    ax.set_axis_off()
    fig.tight_layout()
    return fig, ax


def tracing_report(
    trace,
    *,
    case_ref: str,
    analyst: str,
    seeds,
    tags=None,
    unit: int = USDT_UNIT,
    unit_name: str = "USDT",
    findings=(),
    path=None,
) -> str:
    """A Markdown tracing report for the case file: method (model, hops), seeds, the traced
    amounts per hop, where tainted funds were last seen (attributed), link strengths and limits.
    With ``path``, the report is also written there (UTF-8) for the case file.
    """
    model, hops = getattr(trace, "model", "?"), getattr(trace, "hops", "?")
    trace = as_table(trace)
    if isinstance(seeds, str):
        seeds = [seeds]
    lines = [
        f"# Tracing report — {case_ref}",
        "",
        f"Analyst: {analyst}. Method: taint model **{model}**, up to {hops} hops, on the "
        "ledger copy in the case file (offline). Amounts in integer base units, shown "
        f"in {unit_name}.",
        "",
        "## Starting points",
        "",
    ]
    lines += [f"- `{s}`" for s in seeds]
    lines += ["", "## Tainted amount per hop", "", "| hop | transfers | tainted |", "|---|---|---|"]
    for hop, g in trace.groupby("hop"):
        lines.append(f"| {hop} | {len(g)} | {g['tainted'].sum() / unit:,.2f} |")
    dest = trace.copy()
    dest_col = "to" if "to" in dest.columns else "address"
    if tags is not None:
        dest = attribute(dest, tags, dest_col)
        hits = dest[dest["category"].notna()]
        lines += ["", "## Attributed destinations", ""]
        if hits.empty:
            lines.append("None of the traced addresses carries an attribution tag.")
        for (lab, cat), g in hits.groupby(["label", "category"]):
            lines.append(
                f"- {lab} ({cat}): {g['tainted'].sum() / unit:,.2f} {unit_name} over "
                f"{len(g)} transfer(s); tag source: {g['tag_source'].iloc[0]}"
            )
    if findings:
        lines += ["", "## Findings and link strength", ""]
        lines += [f"- {f}" for f in findings]
    lines += [
        "",
        "## Limits",
        "",
        "- Taint models are accounting conventions, not facts: poison over-states, "
        "haircut dilutes, FIFO depends on order. Say which one you used.",
        "- Clustering and change heuristics are probabilistic; co-spend fails on "
        "CoinJoins, services pool funds (tracing ends at an exchange or mixer).",
        "- Attribution tags are claims with a source and a date; confirm with the "
        "service (KYC records) through legal process.",
    ]
    text = "\n".join(lines) + "\n"
    if path is not None:
        Path(path).write_text(text, encoding="utf-8")
    return text


def exchange_request(
    *,
    addresses,
    case_ref: str,
    authority: str,
    officer: str,
    contact_email: str,
    contact_phone: str,
    timezone: str,
    offence: str,
    facts: str,
    date_from,
    date_to,
    exchange: str = "kestrel",
    transactions=(),
    kind: str = "voluntary",
    user_country: str = "",
    legal_basis: str = "",
    necessity: str = "",
    link_to_offence: str = "",
    ask_about_freezing: bool = True,
    providers=None,
):
    """A request to an exchange, pre-filled from a trace, as module 05's request model.

    Returns an :class:`osintlab.eevidence.Request` (kind ``voluntary`` by default, or
    ``preservation``/``mla``) to the ``exchange`` (provider id or name; the scenario's exchange
    is ``"kestrel"``) with every address as a ``wallet`` identifier, subscriber and traffic data
    (KYC, deposits/withdrawals with transaction ids, login IPs) and the period in UTC. Validate
    it with ``req.validate(providers)`` and render it with ``eevidence.to_markdown``; elements
    you leave empty (e.g. ``legal_basis``) are reported there as defects. Every address is
    checked first: an invalid one raises :class:`CryptoInputError` naming it.
    """
    from .. import eevidence
    from ..timeutil import to_utc, utc_iso

    if isinstance(addresses, str):
        addresses = [addresses]
    addresses = list(addresses)
    if not addresses:
        raise CryptoInputError("exchange_request needs at least one address")
    bad = [a for a in addresses if address_type(a) is None]
    if bad:
        raise CryptoInputError(f"invalid address {bad[0]!r}: {address_problem(bad[0])}")
    start, end = to_utc(date_from), to_utc(date_to)
    if end <= start:
        raise CryptoInputError(f"date_to {date_to!r} must be after date_from {date_from!r}")
    if providers is None:
        try:
            providers = eevidence.load_providers()
        except Exception:  # no scenario datasets: real providers only
            providers = None
    prov = eevidence.provider(exchange, providers)
    addressee = prov.addressee(user_country) if user_country else prov.entity_rule.get("*", "")
    txs = list(transactions)
    link = link_to_offence or (
        "Victims' recruitment-fee payments were traced on the blockchain to these deposit "
        "addresses of your platform"
        + (f" (transactions {', '.join(txs)})" if txs else "")
        + "; the tracing report with method, taint model and link strength is attached."
    )
    need = necessity or (
        "The account holder behind these deposit addresses receives the "
        "proceeds; only your KYC and account records can identify them, and "
        "no less intrusive source holds this data."
    )
    if ask_about_freezing:
        need += (
            " Please also tell us whether funds remain on the account; we are seeking a "
            "freezing order and ask you to preserve the records meanwhile."
        )
    return eevidence.Request(
        kind=kind,
        provider=prov.provider_id,
        addressee=addressee,
        user_country=user_country,
        authority=authority,
        officer=officer,
        contact_email=contact_email,
        contact_phone=contact_phone,
        timezone=timezone,
        case_ref=case_ref,
        offence=offence,
        facts=facts,
        identifiers=[("wallet", a) for a in addresses],
        data=["subscriber", "traffic"],
        date_from=utc_iso(start),
        date_to=utc_iso(end),
        link_to_offence=link,
        necessity=need,
        legal_basis=legal_basis,
        formal_request_will_follow=kind == "preservation",
    )
