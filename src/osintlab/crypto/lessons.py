"""Teaching helpers for lesson 06: the address test vectors, the address checker and taint
widgets, and the cluster-size picture — one call each in the notebook, so that a lesson cell
shows the idea and not the drawing code.

    >>> ex = address_examples()
    >>> list(ex.columns), bool(ex["note"].str.len().min() > 0)
    (['address', 'note'], True)
"""

from __future__ import annotations

from .addresses import address_problem, address_type
from .base import TAINT_MODELS
from .taint import allocate_taint

#: Public test vectors and look-alikes, with where each comes from (BIP-173/350, Bitcoin Core's
#: key_io_valid.json, EIP-55) — safe to type: they are published examples, not case data.
_EXAMPLES = [
    ("1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo", "P2PKH (Bitcoin Core test vector)"),
    ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", "P2WPKH (BIP-173)"),
    ("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "the same in capitals: still valid"),
    (
        "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
        "taproot (BIP-350)",
    ),
    ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", "v0 with a bech32m checksum: invalid"),
    ("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "the USDT contract on TRON"),
    ("TR7NHqjeKQxGTCi8q8ZY4pL8otSzg5uV7p", "a mis-copy seen on a web page"),
    ("mzK2FFDEhxqHcmrJw1ysqFkVyhUULo45hZ", "test network P2PKH"),
    ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "EVM, EIP-55 checksum (EIP-55 test vector)"),
    ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "the same with one letter's case changed"),
    ("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "the same in lower case: no checksum to check"),
]


def address_examples():
    """The lesson's example addresses (published test vectors and a mis-copy) with notes."""
    import pandas as pd

    return pd.DataFrame(_EXAMPLES, columns=["address", "note"])


def address_checker(value: str = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"):
    """A text box that says, as you type, whether an address is valid and of which type."""
    import ipywidgets as w

    box = w.Text(value=value, description="Address", layout=w.Layout(width="95%"))
    verdict = w.HTML()

    def show(_=None):
        a = box.value.strip()
        kind = address_type(a)
        verdict.value = (
            f"<b style='color:green'>valid</b> — type <code>{kind}</code>"
            if kind
            else f"<b style='color:#b00'>not valid</b> — {address_problem(a)}"
        )

    box.observe(show, names="value")
    show()
    return w.VBox([box, verdict])


def taint_explorer():
    """Sliders for stolen and clean inputs, their order, one output and the fee; bars show what
    each taint model marks as tainted (red). For learning only: nothing graded depends on it."""
    import ipywidgets as w
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    stolen = w.IntSlider(value=300, min=0, max=2000, step=50, description="stolen in")
    clean = w.IntSlider(value=700, min=0, max=2000, step=50, description="clean in")
    first = w.ToggleButtons(options=["stolen first", "clean first"], description="input order")
    out0 = w.IntSlider(value=400, min=0, max=4000, step=50, description="output 0")
    fee = w.IntSlider(value=0, min=0, max=100, step=10, description="fee")
    plot = w.Output()

    def redraw(_=None):
        ins = [(stolen.value, stolen.value), (clean.value, 0)]
        if first.value == "clean first":
            ins = ins[::-1]
        total = stolen.value + clean.value
        o0 = min(out0.value, max(total - fee.value, 0))
        outs = [o0, max(total - fee.value - o0, 0)]
        with plot:
            plot.clear_output(wait=True)
            fig, ax = plt.subplots(figsize=(7, 2.8))
            for i, m in enumerate(TAINT_MODELS):
                t = allocate_taint(ins, outs, m)
                ax.bar([i - 0.2, i + 0.2], outs, width=0.38, color="#dddddd", edgecolor="#999")
                ax.bar([i - 0.2, i + 0.2], t, width=0.38, color="#d1495b")
            ax.set_xticks(range(3), [f"{m}\n(out 0 | out 1)" for m in TAINT_MODELS])
            ax.set_ylabel("units")
            ax.legend(
                handles=[
                    Patch(color="#d1495b", label="tainted"),
                    Patch(color="#dddddd", label="clean"),
                ],
                fontsize=8,
                frameon=False,
                loc="upper right",
            )
            plt.show()

    for c in (stolen, clean, first, out0, fee):
        c.observe(redraw, names="value")
    redraw()
    return w.VBox([w.HBox([stolen, clean, first]), w.HBox([out0, fee]), plot])


def cluster_size_chart(clusters):
    """Histogram of co-spend cluster sizes (log scale): most wallets are small, a few large."""
    import matplotlib.pyplot as plt

    sizes = clusters.drop_duplicates("cluster")["size"]
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.hist(sizes, bins=range(1, int(sizes.max()) + 2), log=True, color="#4c72b0", label="clusters")
    ax.set_xlabel("addresses per cluster")
    ax.set_ylabel("clusters (log scale)")
    ax.set_title("Co-spend clusters in the case ledger")
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    plt.close(fig)
    return fig
