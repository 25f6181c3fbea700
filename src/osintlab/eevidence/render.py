"""Render a request for signature: Markdown, HTML, DOCX (python-docx), and a checklist.

The document lists the elements in the order a provider or central authority reads them, and
ends with a signature block. Rendering never hides defects: a request with defects is rendered
with a visible "NOT READY" banner listing them, so an incomplete draft cannot pass as final.

    >>> from osintlab.eevidence import Request
    >>> md = to_markdown(Request(kind="preservation", provider="meta"))
    >>> md.splitlines()[0]
    '# PRESERVATION REQUEST — NOT READY (defects listed below)'
"""

from __future__ import annotations

import html as _html
from pathlib import Path

from .providers import PROVIDERS, ProviderError, provider
from .request import DEFECTS, Request

__all__ = ["sections", "to_markdown", "to_html", "to_docx", "checklist", "save_request"]

TITLES = {
    "preservation": "PRESERVATION REQUEST",
    "voluntary": "REQUEST FOR VOLUNTARY DISCLOSURE",
    "emergency": "EMERGENCY DISCLOSURE REQUEST",
    "mla": "MUTUAL LEGAL ASSISTANCE REQUEST (draft for the central authority)",
}


def _check(req) -> Request:
    if not isinstance(req, Request):
        raise TypeError(f"expected an eevidence.Request, not {type(req).__name__}")
    return req


def _utc_note(value: str) -> str:
    """'2026-01-01T00:00:00+05:00' -> the text plus its UTC equivalent (when it parses)."""
    from ..timeutil import TimeZoneError, parse_timestamp, to_utc, utc_iso

    try:
        moment = parse_timestamp(value)
    except (TimeZoneError, TypeError, ValueError):
        return value
    if moment.tzinfo is None or moment.utcoffset() is None:
        return value
    iso = utc_iso(to_utc(moment))
    return value if value.endswith("Z") or value == iso else f"{value} (= {iso})"


def sections(req: Request, providers=None) -> list[tuple[str, str]]:
    """The request as (heading, text) pairs, in the order of the model request forms: header
    (date, references), addressee, requester and 24/7 contact, case, identifiers, specific data
    and period, grounds, legal basis and attached process, confidentiality, follow-up, language.
    """
    _check(req)
    try:
        pname = provider(req.provider, {**PROVIDERS, **(providers or {})}).name
    except ProviderError:
        pname = req.provider
    idents = "\n".join(f"- {k}: {v}" for k, v in req.identifiers) or "(none)"
    items = "\n".join(f"- {i}" for i in req.data_items) or "(specific items missing)"
    rows = [
        (
            "Date and references",
            f"Date: {req.created_utc or '(date of signature)'}\n"
            f"Our reference: {req.request_id or '(missing)'}\n"
            f"Case reference: {req.case_ref}\n"
            f"Your earlier reference (preservation ticket): "
            f"{req.earlier_ticket or '(none given)'}",
        ),
        (
            "To",
            f"{req.addressee or '(addressee missing)'} — {pname}; user believed to be in "
            f"{req.user_country or '?'}",
        ),
        (
            "From",
            f"{req.authority}\nOfficer: {req.officer}\nE-mail: {req.contact_email}\n"
            f"Phone: {req.contact_phone}\nTime zone: {req.timezone}\n"
            f"24/7 contact: {req.contact_24_7 or '(not given)'}",
        ),
        ("Offence", req.offence),
        ("Summary of facts", req.facts),
        ("Accounts / identifiers", idents),
        ("Data requested (categories)", ", ".join(req.data) or "(none)"),
        ("Specific data items", items),
        ("Period", f"{_utc_note(req.date_from)} to {_utc_note(req.date_to)}"),
        ("Link between the data and the offence", req.link_to_offence),
        ("Necessity and proportionality", req.necessity),
        ("Legal basis (the power under which we ask)", req.legal_basis),
        ("Domestic legal process attached", req.legal_process or "(none attached)"),
    ]
    if req.kind == "emergency":
        rows.append(
            ("Imminent risk of death or serious physical injury", req.emergency_justification)
        )
    rows.append(
        (
            "Confidentiality",
            "Please do not notify the account holder or any other "
            "person of this request: notice could endanger victims or the investigation."
            if req.non_disclosure
            else "(no request not to notify the user)",
        )
    )
    if req.kind == "preservation":
        rows.append(
            (
                "Follow-up",
                "A formal request (domestic order / mutual legal assistance) "
                "will follow; please preserve the data until it arrives and tell us the "
                "date the preservation ends."
                if req.formal_request_will_follow
                else "(not stated)",
            )
        )
    rows.append(
        (
            "Language and translation",
            req.translation
            or "English (state the language of any attached order and attach a translation)",
        )
    )
    return rows


def _defects(req, providers):
    return req.validate(providers)


def to_markdown(req: Request, providers=None) -> str:
    """Markdown text of the request (with a NOT READY banner if it has defects)."""
    defects = _defects(_check(req), providers)
    title = TITLES[req.kind]
    lines = [f"# {title}" + (" — NOT READY (defects listed below)" if defects else "")]
    if defects:
        lines += ["", "**Defects to fix before signing:**"] + [f"- {d}" for d in defects]
    for head, text in sections(req, providers):
        lines += ["", f"## {head}", "", text or "(missing)"]
    lines += [
        "",
        "---",
        "",
        f"Signed: ____________________  ({req.officer or 'officer'})",
        "",
        "Date and time (with UTC offset): ____________________",
    ]
    return "\n".join(lines) + "\n"


def to_html(req: Request, providers=None) -> str:
    """A self-contained HTML page of the request (all text escaped)."""
    defects = _defects(_check(req), providers)
    e = _html.escape
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        f"<title>{e(TITLES[req.kind])} {e(req.case_ref)}</title>",
        "<style>body{font-family:sans-serif;max-width:50em}h2{font-size:1.05em;"
        "border-bottom:1px solid #aaa}.bad{background:#fde;padding:.5em}</style>",
        "</head><body>",
        f"<h1>{e(TITLES[req.kind])}</h1>",
    ]
    if defects:
        parts.append(
            "<div class='bad'><b>NOT READY — defects to fix before signing:</b><ul>"
            + "".join(f"<li>{e(str(d))}</li>" for d in defects)
            + "</ul></div>"
        )
    for head, text in sections(req, providers):
        body = "<br>".join(e(line) for line in (text or "(missing)").splitlines())
        parts.append(f"<h2>{e(head)}</h2><p>{body}</p>")
    parts.append(
        f"<p>Signed: ____________________ ({e(req.officer or 'officer')})</p>"
        "<p>Date and time (with UTC offset): ____________________</p></body></html>"
    )
    return "\n".join(parts)


def to_docx(req: Request, path, providers=None) -> Path:
    """Write the request as a Word document at ``path`` (a new ``.docx`` file)."""
    from docx import Document
    from docx.shared import Pt, RGBColor

    _check(req)
    path = Path(path)
    if path.suffix.lower() != ".docx":
        raise ValueError(f"path {str(path)!r} must end in .docx")
    if path.exists():
        raise FileExistsError(f"{path} exists; choose a new file name (drafts are not overwritten)")
    defects = _defects(req, providers)
    doc = Document()
    doc.core_properties.title = f"{TITLES[req.kind]} {req.case_ref}"
    doc.core_properties.author = req.officer or "osintlab"
    doc.add_heading(TITLES[req.kind], level=1)
    if defects:
        p = doc.add_paragraph()
        run = p.add_run("NOT READY — defects to fix before signing:")
        run.bold = True
        run.font.color.rgb = RGBColor(0xB0, 0, 0)
        for d in defects:
            doc.add_paragraph(str(d), style="List Bullet")
    for head, text in sections(req, providers):
        doc.add_heading(head, level=2)
        for line in (text or "(missing)").splitlines():
            doc.add_paragraph(line).runs[0].font.size = Pt(11) if line else None
    doc.add_paragraph("")
    doc.add_paragraph(f"Signed: ____________________  ({req.officer or 'officer'})")
    doc.add_paragraph("Date and time (with UTC offset): ____________________")
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


def save_request(req: Request, folder=None, providers=None) -> Path:
    """Save the request where you can find it to print and sign: a Word document and an HTML
    page (print it from the browser) in ``folder`` — by default the ``OSINTLAB_REQUESTS``
    folder if set, else ``my-requests`` next to the notebook. Never overwrites: a second copy
    gets ``-2``, ``-3``... Returns the path of the ``.docx``."""
    import os

    folder = Path(folder or os.environ.get("OSINTLAB_REQUESTS") or Path.cwd() / "my-requests")
    folder.mkdir(parents=True, exist_ok=True)
    stem = (
        "-".join(x for x in [_check(req).case_ref, req.request_id, req.kind, req.provider] if x)
        .replace("/", "-")
        .replace("\\", "-")
        .replace(" ", "_")
    )
    n, name = 1, stem
    while (folder / f"{name}.docx").exists() or (folder / f"{name}.html").exists():
        n += 1
        name = f"{stem}-{n}"
    path = to_docx(req, folder / f"{name}.docx", providers)
    (folder / f"{name}.html").write_text(to_html(req, providers), encoding="utf-8")
    return path


def checklist(req: Request, providers=None):
    """A table of every element the validator checks: ``element``, ``ok``, ``problem``.
    It shows completeness, not sufficiency (``eevidence.request.SCOPE``)."""
    import pandas as pd

    defects = _defects(_check(req), providers)
    by_code = {}
    for d in defects:
        by_code.setdefault(d.code, []).append(d.message)
    rows = []
    for code, (field_name, what) in DEFECTS.items():
        if code == "emergency_justification_missing" and req.kind != "emergency":
            continue
        if code == "follow_up_missing" and req.kind != "preservation":
            continue
        if code in ("legal_process_missing",) and req.kind not in ("voluntary", "mla"):
            continue
        if code == "contact_24_7_missing" and req.kind not in ("emergency", "preservation"):
            continue
        if code == "earlier_ticket_missing" and req.kind != "mla":
            continue
        if code == "content_in_emergency" and req.kind != "emergency":
            continue
        rows.append(
            {
                "check": code,
                "field": field_name,
                "ok": code not in by_code,
                "problem": "; ".join(by_code.get(code, [])),
            }
        )
    return pd.DataFrame(rows)
