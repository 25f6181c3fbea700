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
from .request import DEFECTS, KINDS, Request

__all__ = ["sections", "to_markdown", "to_html", "to_docx", "checklist"]

TITLES = {"preservation": "PRESERVATION REQUEST", "voluntary": "REQUEST FOR VOLUNTARY "
          "DISCLOSURE", "emergency": "EMERGENCY DISCLOSURE REQUEST",
          "mla": "MUTUAL LEGAL ASSISTANCE REQUEST (draft for the central authority)"}


def _check(req) -> Request:
    if not isinstance(req, Request):
        raise TypeError(f"expected an eevidence.Request, not {type(req).__name__}")
    return req


def sections(req: Request, providers=None) -> list[tuple[str, str]]:
    """The request as (heading, text) pairs, in reading order."""
    _check(req)
    try:
        pname = provider(req.provider, {**PROVIDERS, **(providers or {})}).name
    except ProviderError:
        pname = req.provider
    idents = "\n".join(f"- {k}: {v}" for k, v in req.identifiers) or "(none)"
    rows = [
        ("To", f"{req.addressee or '(addressee missing)'} — {pname}; user believed to be in "
               f"{req.user_country or '?'}"),
        ("From", f"{req.authority}\nOfficer: {req.officer}\nE-mail: {req.contact_email}\n"
                 f"Phone: {req.contact_phone}\nTime zone: {req.timezone}"),
        ("Case reference", req.case_ref),
        ("Offence", req.offence),
        ("Summary of facts", req.facts),
        ("Accounts / identifiers", idents),
        ("Data requested", ", ".join(req.data) or "(none)"),
        ("Period (with UTC offsets)", f"{req.date_from} to {req.date_to}"),
        ("Link between the data and the offence", req.link_to_offence),
        ("Necessity", req.necessity),
        ("Legal basis", req.legal_basis),
    ]
    if req.kind == "emergency":
        rows.append(("Imminent risk of death or serious physical injury",
                     req.emergency_justification))
    if req.kind == "preservation":
        rows.append(("Follow-up", "A formal request (production order / MLA) will follow."
                     if req.formal_request_will_follow else "(not stated)"))
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
    lines += ["", "---", "", f"Signed: ____________________  ({req.officer or 'officer'})",
              "", "Date and time (with UTC offset): ____________________"]
    return "\n".join(lines) + "\n"


def to_html(req: Request, providers=None) -> str:
    """A self-contained HTML page of the request (all text escaped)."""
    defects = _defects(_check(req), providers)
    e = _html.escape
    parts = ["<!DOCTYPE html><html><head><meta charset='utf-8'>",
             f"<title>{e(TITLES[req.kind])} {e(req.case_ref)}</title>",
             "<style>body{font-family:sans-serif;max-width:50em}h2{font-size:1.05em;"
             "border-bottom:1px solid #aaa}.bad{background:#fde;padding:.5em}</style>",
             "</head><body>", f"<h1>{e(TITLES[req.kind])}</h1>"]
    if defects:
        parts.append("<div class='bad'><b>NOT READY — defects to fix before signing:</b><ul>"
                     + "".join(f"<li>{e(str(d))}</li>" for d in defects) + "</ul></div>")
    for head, text in sections(req, providers):
        body = "<br>".join(e(line) for line in (text or "(missing)").splitlines())
        parts.append(f"<h2>{e(head)}</h2><p>{body}</p>")
    parts.append(f"<p>Signed: ____________________ ({e(req.officer or 'officer')})</p>"
                 "<p>Date and time (with UTC offset): ____________________</p></body></html>")
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
        raise FileExistsError(f"{path} exists; choose a new file name (drafts are not "
                              "overwritten)")
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


def checklist(req: Request, providers=None):
    """A table of every element the validator checks: ``element``, ``ok``, ``problem``."""
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
        rows.append({"check": code, "field": field_name, "ok": code not in by_code,
                     "problem": "; ".join(by_code.get(code, []))})
    return pd.DataFrame(rows)
