"""A case workspace: gather findings from every module, with provenance and confidence, and
export the investigation package a prosecutor can use.

    >>> ws = CaseWorkspace("SR-2026-0001")
    >>> ws.add("phone", "+923005551234", subject="Recruiter", source="social/posts.csv row 12",
    ...        confidence="B2", module="02")
    Finding(F001 phone '+923005551234' of 'Recruiter' [B2])
    >>> len(ws.to_frame())
    1

Re-running a notebook cell records nothing twice: the same kind, value, subject and source
give back the finding already recorded, with its id (so the ids quoted in a report stay put).

    >>> ws.add("phone", "+923005551234", subject="Recruiter", source="social/posts.csv row 12",
    ...        confidence="B2", module="02").finding_id
    'F001'

``export(folder)`` writes ``report.html`` (network chart, map, money flow, timeline, findings
and evidence register, chronology in UTC), ``requests/`` and ``evidence.zip`` (a write-once
evidence package that :func:`osintlab.evidence.verify_package` accepts). It refuses findings
without provenance and missing evidence files, and flags contradictory findings.
"""

from __future__ import annotations

import base64
import html
import io
import json
import shutil
import tempfile
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from . import evidence
from .timeutil import to_utc, utc_iso

__all__ = ["CaseWorkspace", "Finding", "CaseError", "CONFIDENCE_WORDS"]

CONFIDENCE_WORDS = {"high", "medium", "low"}


class CaseError(ValueError):
    """A finding, evidence item or export that cannot be accepted; the message says why."""


@dataclass
class Finding:
    finding_id: str
    kind: str  # phone, handle, wallet, person, place, transfer, link, event, ...
    value: object
    subject: str  # who or what the finding is about
    source: str  # provenance: file and row / query / package item
    confidence: str  # Admiralty code (e.g. B2) or high/medium/low
    module: str = ""
    utc: str = ""  # when it happened (UTC ISO), if it is an event
    notes: str = ""
    extra: dict = field(default_factory=dict)

    def __repr__(self):
        return (
            f"Finding({self.finding_id} {self.kind} {self.value!r} of {self.subject!r} "
            f"[{self.confidence}])"
        )


def _check_confidence(value: str) -> str:
    text = str(value).strip()
    if text.lower() in CONFIDENCE_WORDS:
        return text.lower()
    if len(text) == 2:
        try:
            evidence.admiralty_code(text[0], int(text[1]) if text[1].isdigit() else -1)
        except evidence.EvidenceError as exc:
            raise CaseError(f"confidence {value!r}: {exc}") from None
        return text.upper()
    raise CaseError(f"confidence {value!r}: use an Admiralty code such as 'B2' or high/medium/low")


def _identity(kind, value, subject, source) -> str:
    """What makes two findings the same record (for de-duplication on re-runs)."""
    return json.dumps(
        [str(kind).strip(), value, str(subject).strip(), str(source).strip()], default=str
    )


class CaseWorkspace:
    """Findings, evidence and request documents of one case."""

    def __init__(self, case_ref: str, title: str = "Operation SILVER ROUTE"):
        if not str(case_ref).strip():
            raise CaseError("a case workspace needs a case reference")
        self.case_ref = case_ref
        self.title = title
        self.findings: list[Finding] = []
        self.evidence: list[dict] = []
        self.requests: list[Path] = []

    # -- collecting ---------------------------------------------------------------------------
    def add(
        self,
        kind: str,
        value,
        *,
        subject: str,
        source: str,
        confidence: str,
        module: str = "",
        utc=None,
        notes: str = "",
        **extra,
    ) -> Finding:
        """Record a finding. ``source`` (provenance) is required: where exactly it came from.

        The same kind, value, subject and source recorded again (a cell re-run) returns the
        existing finding, updated with the new confidence, time, notes and extras, instead of a
        duplicate with a new id.
        """
        if not str(kind).strip():
            raise CaseError("a finding needs a kind (phone, handle, wallet, transfer, ...)")
        if not str(source or "").strip():
            raise CaseError(
                f"finding {kind} {value!r} has no provenance: say which file and "
                "row, query or evidence item it comes from"
            )
        when = utc_iso(to_utc(utc)) if utc is not None and utc != "" else ""
        same = _identity(kind, value, subject, source)
        for old in self.findings:
            if _identity(old.kind, old.value, old.subject, old.source) == same:
                old.confidence = _check_confidence(confidence)
                old.module, old.utc, old.notes = module or old.module, when or old.utc, notes
                old.extra.update(extra)
                return old
        f = Finding(
            f"F{len(self.findings) + 1:03d}",
            kind,
            value,
            subject,
            source,
            _check_confidence(confidence),
            module,
            when,
            notes,
            dict(extra),
        )
        self.findings.append(f)
        return f

    def add_evidence(
        self, path, description: str, *, collected_by: str = "", source: str = ""
    ) -> dict:
        """Register an evidence file or package folder for the evidence ZIP."""
        p = Path(path)
        if not p.exists():
            raise CaseError(f"evidence {p} does not exist")
        for old in self.evidence:  # a re-run cell registers the same file once
            if Path(old["path"]) == p:
                return old
        item = {
            "exhibit": f"EX{len(self.evidence) + 1:02d}",
            "path": str(p),
            "description": description,
            "collected_by": collected_by,
            "source": source,
        }
        self.evidence.append(item)
        return item

    def add_request(self, path) -> Path:
        """Register a request document (e.g. a .docx from osintlab.eevidence)."""
        p = Path(path)
        if not p.is_file():
            raise CaseError(f"request document {p} does not exist")
        if p not in self.requests:  # a re-run cell registers the same file once
            self.requests.append(p)
        return p

    # -- views --------------------------------------------------------------------------------
    def to_frame(self):
        import pandas as pd

        rows = [
            {k: v for k, v in asdict(f).items() if k != "extra"} | f.extra for f in self.findings
        ]
        return pd.DataFrame(rows)

    def contradictions(self) -> list[tuple[Finding, Finding]]:
        """Pairs of findings that give different values for a single-valued fact.

        A fact is single-valued when a finding says so with ``single=True`` (e.g. the
        compound's location, a person's date of birth): two such findings of the same kind and
        subject with different values contradict each other.
        """
        seen: dict[tuple, Finding] = {}
        out = []
        for f in self.findings:
            if not f.extra.get("single"):
                continue
            key = (f.kind, f.subject)
            if key in seen and json.dumps(seen[key].value, default=str) != json.dumps(
                f.value, default=str
            ):
                out.append((seen[key], f))
            seen.setdefault(key, f)
        return out

    def chronology(self):
        """Findings with a time, oldest first (UTC)."""
        df = self.to_frame()
        if df.empty or "utc" not in df:
            return df
        return df[df["utc"] != ""].sort_values("utc").reset_index(drop=True)

    # -- export -------------------------------------------------------------------------------
    def export(
        self,
        folder,
        *,
        collector: str,
        identity: str = "case workspace",
        allow_contradictions: bool = False,
    ) -> dict:
        """Write the investigation package into a new ``folder``; return what was written.

        Refuses when: the folder exists (write-once), an evidence file is missing, or there
        are unresolved contradictions (unless ``allow_contradictions=True``, in which case they
        are flagged in the report). Findings without provenance never get in (see :meth:`add`).
        """
        out = Path(folder)
        if out.exists():
            raise CaseError(f"{out} already exists; an exported package is write-once")
        missing = [e["path"] for e in self.evidence if not Path(e["path"]).exists()]
        if missing:
            raise CaseError(f"evidence files missing: {', '.join(missing)}")
        missing_req = [str(p) for p in self.requests if not p.is_file()]
        if missing_req:
            raise CaseError(f"request documents missing: {', '.join(missing_req)}")
        clashes = self.contradictions()
        if clashes and not allow_contradictions:
            detail = "; ".join(
                f"{a.finding_id} vs {b.finding_id} ({a.kind} of {a.subject})" for a, b in clashes
            )
            raise CaseError(
                f"contradictory findings must be resolved or flagged first: "
                f"{detail} (export(..., allow_contradictions=True) flags them)"
            )
        out.mkdir(parents=True)
        (out / "requests").mkdir()
        for p in self.requests:
            shutil.copy2(p, out / "requests" / p.name)
        zip_path = out / "evidence.zip"
        self._evidence_zip(zip_path, collector, identity)
        (out / "report.html").write_text(self.report_html(clashes), encoding="utf-8")
        return {
            "report": out / "report.html",
            "evidence": zip_path,
            "requests": sorted((out / "requests").iterdir()),
        }

    def _evidence_zip(self, zip_path: Path, collector: str, identity: str) -> None:
        with tempfile.TemporaryDirectory() as t:
            pkg = Path(t) / "package"
            (pkg / "items").mkdir(parents=True)
            manifest = {"case_ref": self.case_ref, "items": {}}
            register = []
            for e in self.evidence:
                src = Path(e["path"])
                files = [src] if src.is_file() else sorted(p for p in src.rglob("*") if p.is_file())
                for p in files:
                    rel_inside = p.name if src.is_file() else p.relative_to(src).as_posix()
                    rel = f"items/{e['exhibit']}/{rel_inside}"
                    dest = pkg / rel
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(p, dest)
                    manifest["items"][rel] = {
                        "sha256": evidence.sha256_file(dest),
                        "bytes": dest.stat().st_size,
                        "kind": "exhibit",
                    }
                register.append({**e, "files": len(files)})
            reg = json.dumps(
                {
                    "case_ref": self.case_ref,
                    "register": register,
                    "findings": [asdict(f) for f in self.findings],
                },
                indent=1,
                default=str,
            ).encode("utf-8")
            (pkg / "register.json").write_bytes(reg)
            manifest["items"]["register.json"] = {
                "sha256": evidence.sha256_bytes(reg),
                "bytes": len(reg),
                "kind": "register",
            }
            (pkg / "manifest.json").write_text(
                json.dumps(manifest, indent=1) + "\n", encoding="utf-8"
            )
            now = datetime.now(UTC)
            for rel in manifest["items"]:
                evidence.add_custody(
                    pkg,
                    collector,
                    "acquired",
                    f"exported into the case package by {identity}",
                    item=rel,
                    when=now,
                )
            with zipfile.ZipFile(zip_path, "x", zipfile.ZIP_DEFLATED) as z:
                for p in sorted(pkg.rglob("*")):
                    if p.is_file():
                        z.write(p, p.relative_to(pkg).as_posix())

    # -- report -------------------------------------------------------------------------------
    def report_html(self, clashes=None) -> str:
        df = self.to_frame()
        parts = [
            f"<h1>{html.escape(self.title)} — case {html.escape(self.case_ref)}</h1>",
            f"<p>Generated {utc_iso(datetime.now(UTC))} (UTC). "
            f"{len(self.findings)} findings, {len(self.evidence)} exhibits, "
            f"{len(self.requests)} request documents.</p>",
        ]
        if clashes:
            parts.append(
                "<h2 style='color:#b00'>Contradictions to resolve</h2><ul>"
                + "".join(
                    f"<li>{a.finding_id} ({html.escape(str(a.value))}, {a.source}) vs "
                    f"{b.finding_id} ({html.escape(str(b.value))}, {b.source})</li>"
                    for a, b in clashes
                )
                + "</ul>"
            )
        for title, fig in self._figures():
            parts.append(
                f"<h2>{html.escape(title)}</h2><img alt='{html.escape(title)}' "
                f"src='data:image/png;base64,{fig}'>"
            )
        chron = self.chronology()
        if not chron.empty:
            parts.append(
                "<h2>Chronology (UTC)</h2>"
                + chron[["utc", "kind", "subject", "value", "source", "confidence"]].to_html(
                    index=False, escape=True
                )
            )
        if not df.empty:
            parts.append(
                "<h2>Findings</h2>"
                + df.drop(columns=[c for c in ("extra",) if c in df]).to_html(
                    index=False, escape=True
                )
            )
        if self.evidence:
            import pandas as pd

            parts.append(
                "<h2>Evidence register</h2>"
                + pd.DataFrame(self.evidence).to_html(index=False, escape=True)
            )
        if self.requests:
            parts.append(
                "<h2>Requests</h2><ul>"
                + "".join(f"<li>requests/{html.escape(p.name)}</li>" for p in self.requests)
                + "</ul>"
            )
        style = (
            "body{font-family:sans-serif;max-width:1100px;margin:auto}table{border-collapse:"
            "collapse;font-size:12px}td,th{border:1px solid #ccc;padding:3px 6px}"
            "img{max-width:100%}"
        )
        return (
            f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(self.case_ref)}"
            f"</title><style>{style}</style></head><body>{''.join(parts)}</body></html>\n"
        )

    def _figures(self):
        import matplotlib

        matplotlib.use("Agg", force=False)
        import matplotlib.pyplot as plt
        import networkx as nx

        from . import charts

        out = []

        def png(fig):
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
            plt.close(fig)
            return base64.b64encode(buf.getvalue()).decode("ascii")

        links = [f for f in self.findings if f.kind == "link"]
        if links:
            g = nx.Graph()
            for f in links:
                g.add_edge(str(f.subject), str(f.value))
            fig, _ = charts.network_chart(g, title="Network")
            out.append(("Network", png(fig)))
        places = [f for f in self.findings if "lat" in f.extra and "lon" in f.extra]
        if places:
            fig, _ = charts.route_map(
                [(str(f.value), float(f.extra["lat"]), float(f.extra["lon"])) for f in places],
                title="Places",
            )
            out.append(("Map", png(fig)))
        transfers = [f for f in self.findings if f.kind == "transfer" and "to" in f.extra]
        if transfers:
            g = nx.DiGraph()
            for f in transfers:
                g.add_edge(
                    str(f.subject), str(f.extra["to"]), amount=float(f.extra.get("amount", 0) or 0)
                )
            fig, ax = charts.network_chart(g, title="Money flow")
            out.append(("Money flow", png(fig)))
        chron = self.chronology()
        if not chron.empty:
            import pandas as pd

            chron = chron.assign(utc=pd.to_datetime(chron["utc"], utc=True))
            fig, _ = charts.timeline_chart(
                chron, "utc", "value", group_col="kind", title="Timeline (UTC)"
            )
            out.append(("Timeline", png(fig)))
        return out
