"""An ipywidgets request builder with live validation (for lessons; never used by tests)."""

from __future__ import annotations

from .providers import PROVIDERS
from .request import CATEGORIES, KINDS, SCOPE, Request

__all__ = ["request_builder"]


def request_builder(start: Request | None = None, providers: dict | None = None):
    """A form for a request; the defect list updates on every change. Returns the widget box;
    ``box.request()`` gives the current :class:`Request`."""
    import ipywidgets as w

    pool = {**PROVIDERS, **(providers or {})}
    start = start or Request(kind="preservation", provider="meta")
    lay = w.Layout(width="95%")
    text_fields = [
        "addressee",
        "user_country",
        "request_id",
        "earlier_ticket",
        "authority",
        "officer",
        "contact_email",
        "contact_phone",
        "contact_24_7",
        "timezone",
        "case_ref",
        "offence",
        "date_from",
        "date_to",
        "legal_basis",
        "legal_process",
        "translation",
    ]
    area_fields = ["facts", "link_to_offence", "necessity", "emergency_justification"]
    kind = w.Dropdown(options=KINDS, value=start.kind, description="kind")
    prov = w.Dropdown(
        options=sorted(pool),
        value=start.provider if start.provider in pool else "meta",
        description="provider",
    )
    widgets = {
        n: w.Text(
            value=getattr(start, n), description=n, layout=lay, style={"description_width": "11em"}
        )
        for n in text_fields
    }
    widgets.update(
        {
            n: w.Textarea(
                value=getattr(start, n),
                description=n,
                layout=lay,
                style={"description_width": "11em"},
            )
            for n in area_fields
        }
    )
    idents = w.Textarea(
        value="\n".join(f"{k}: {v}" for k, v in start.identifiers),
        description="identifiers",
        placeholder="kind: value, one a line (e.g. username: crescent.jobs)",
        layout=lay,
        style={"description_width": "11em"},
    )
    data = w.SelectMultiple(
        options=CATEGORIES,
        value=tuple(c for c in start.data if c in CATEGORIES),
        description="data",
    )
    items = w.Textarea(
        value="\n".join(start.data_items),
        description="data_items",
        placeholder="one specific item a line (e.g. registration IP with timestamp)",
        layout=lay,
        style={"description_width": "11em"},
    )
    follow = w.Checkbox(
        value=start.formal_request_will_follow, description="a formal request will follow"
    )
    quiet = w.Checkbox(
        value=start.non_disclosure, description="ask the provider not to notify the user"
    )
    status = w.HTML()

    def current() -> Request:
        pairs = []
        for line in idents.value.splitlines():
            if ":" in line:
                k, v = line.split(":", 1)
                pairs.append((k.strip(), v.strip()))
        return Request(
            kind=kind.value,
            provider=prov.value,
            identifiers=pairs,
            data=list(data.value),
            formal_request_will_follow=follow.value,
            data_items=[x.strip() for x in items.value.splitlines() if x.strip()],
            non_disclosure=quiet.value,
            **{n: wd.value for n, wd in widgets.items()},
        )

    def refresh(_=None):
        defects = current().validate(pool)
        if not defects:
            status.value = (
                f"<b style='color:green'>&#10004; Complete.</b> Complete is not sufficient: {SCOPE}"
            )
        else:
            items = "".join(f"<li><code>{d.field}</code>: {d.message}</li>" for d in defects)
            status.value = (
                f"<b style='color:#b00'>{len(defects)} element(s) missing or "
                f"defective:</b><ul>{items}</ul>"
            )

    for wd in [kind, prov, idents, items, data, follow, quiet, *widgets.values()]:
        wd.observe(refresh, names="value")
    refresh()
    box = w.VBox(
        [w.HBox([kind, prov]), *widgets.values(), idents, data, items, follow, quiet, status]
    )
    box.request = current
    return box
