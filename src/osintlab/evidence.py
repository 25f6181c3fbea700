"""Capture, hash and keep online evidence the way a court expects.

A capture becomes a *write-once evidence package*: a folder with the items (HTML source as
served, the same capture as a WARC record ``items/page.warc`` (ISO 28500, read it with
:mod:`osintlab.archive`), a rendered full-page image with the URL and UTC time in its banner,
embedded media), a
``capture.json`` record (who, when in UTC, from which research identity, with which tool), a
``manifest.json`` with the SHA-256 of every item, and ``custody.jsonl``, a hash-chained chain of
custody log that can only be appended to.

    >>> import tempfile, pathlib
    >>> pkg = pathlib.Path(tempfile.mkdtemp()) / "E001"
    >>> url = "https://silver-crest.example/jobs"   # a page of the offline web
    >>> capture_page(url, pkg, collector="SI Example", identity="RI-07")    # doctest: +SKIP
    >>> verify_package(pkg).ok                                                    # doctest: +SKIP
    True

Work on a *working copy* (:func:`working_copy`), never on the package itself.
"""

from __future__ import annotations

import io
import json
import operator
import os
import re
import shutil
import stat
import textwrap
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from . import __version__
from .reference import hashing
from .timeutil import to_utc, utc_iso  # noqa: F401  (re-exported for lessons)

__all__ = [
    "EvidenceError",
    "PackageExists",
    "sha256_file",
    "sha256_bytes",
    "capture_page",
    "verify_package",
    "package_from_page",
    "PackageReport",
    "Problem",
    "add_custody",
    "read_custody",
    "entry_sha256",
    "working_copy",
    "admiralty_code",
    "RELIABILITY",
    "CREDIBILITY",
    "to_utc",
    "utc_iso",
    "phases_chart",
    "opsec_problems",
    "opsec_widget",
]

TOOL = f"osintlab.evidence {__version__}"
MANIFEST, CUSTODY, RECORD = "manifest.json", "custody.jsonl", "capture.json"
_CONTROL = {MANIFEST, CUSTODY}


class EvidenceError(ValueError):
    """An evidence package or capture request is unusable; the message names it."""


class PackageExists(EvidenceError, FileExistsError):
    """Evidence packages are write-once: the target already holds one."""


# ---------------------------------------------------------------------------------------------
# Hashing
# ---------------------------------------------------------------------------------------------


def sha256_bytes(data: bytes) -> str:
    """SHA-256 of ``data`` as 64 lower-case hex digits.

    >>> sha256_bytes(b"abc")[:16]
    'ba7816bf8f01cfea'
    """
    try:
        return hashing.sha256_bytes(data)
    except TypeError as exc:
        raise EvidenceError(str(exc)) from None


def sha256_file(path: str | os.PathLike) -> str:
    """SHA-256 of a file, read in chunks so large extractions do not fill memory."""
    try:
        return hashing.sha256_file(path)
    except FileNotFoundError as exc:
        raise EvidenceError(str(exc)) from None


def _entry_hash(entry: dict) -> str:
    body = {k: v for k, v in entry.items() if k != "entry_sha256"}
    return sha256_bytes(json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8"))


def entry_sha256(entry: dict) -> str:
    """Recompute the SHA-256 of one custody entry from its fields (all but ``entry_sha256``),
    the way :func:`add_custody` sealed it. An entry checks out when this equals its stored
    ``entry_sha256`` and its ``prev_sha256`` equals the stored hash of the entry before.

    >>> e = {"seq": 1, "actor": "A", "prev_sha256": "0" * 64}
    >>> e["entry_sha256"] = entry_sha256(e)
    >>> entry_sha256(e) == e["entry_sha256"]
    True
    >>> entry_sha256({**e, "actor": "A (amended)"}) == e["entry_sha256"]
    False
    """
    if type(entry) is not dict:
        raise EvidenceError("give one custody entry (a dict from read_custody)")
    return _entry_hash(entry)


def read_custody(package: str | os.PathLike) -> list[dict]:
    """The custody log of ``package`` as a list of entries (oldest first)."""
    p = Path(package) / CUSTODY
    if not p.is_file():
        raise EvidenceError(f"{p}: custody log missing")
    entries = []
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            raise EvidenceError(f"{p}: line {n} is not valid JSON") from None
    return entries


def add_custody(
    package: str | os.PathLike,
    actor: str,
    action: str,
    note: str = "",
    item: str = "",
    when: datetime | None = None,
) -> dict:
    """Append one hash-chained entry to the custody log (the log is append-only).

    Each entry records who did what, when (UTC), to which item, and the SHA-256 of the previous
    entry, so that deleting or editing any earlier entry breaks the chain visibly.
    """
    if not str(actor).strip() or not str(action).strip():
        raise EvidenceError("a custody entry needs an actor and an action")
    pkg = Path(package)
    entries = read_custody(pkg) if (pkg / CUSTODY).exists() else []
    when = datetime.now(UTC) if when is None else when
    entry = {
        "seq": len(entries) + 1,
        "utc": utc_iso(when),
        "actor": actor,
        "action": action,
        "item": item,
        "note": note,
        "item_sha256": sha256_file(pkg / item) if item and (pkg / item).is_file() else "",
        "prev_sha256": entries[-1]["entry_sha256"] if entries else "0" * 64,
    }
    entry["entry_sha256"] = _entry_hash(entry)
    log = pkg / CUSTODY
    if log.exists():
        os.chmod(log, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)
    with open(log, "a", encoding="utf-8", newline="\n") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
    _read_only(log)
    return entry


def _read_only(p: Path) -> None:
    os.chmod(p, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


# ---------------------------------------------------------------------------------------------
# Capture
# ---------------------------------------------------------------------------------------------


def capture_page(
    url: str,
    package: str | os.PathLike,
    *,
    collector: str,
    identity: str,
    case_ref: str = "",
    when: datetime | None = None,
    notes: str = "",
) -> Path:
    """Capture a page of the offline web into a new evidence package at ``package``.

    ``collector`` is the officer, ``identity`` the research (non-attributable) identity or
    machine used. ``when`` defaults to now (UTC); lessons pass a fixed time so outputs repeat.
    Refuses to write into an existing package.
    """
    from . import web

    if not str(collector).strip():
        raise EvidenceError("capture_page needs the collector's name (who captured it)")
    if not str(identity).strip():
        raise EvidenceError("capture_page needs the research identity used (e.g. 'RI-07')")
    pkg = Path(package)
    if pkg.exists() and (not pkg.is_dir() or any(pkg.iterdir())):
        raise PackageExists(
            f"{pkg}: already exists; evidence packages are write-once, choose a new folder"
        )
    page = web.fetch(url)  # raises PageNotFound naming the URL, before anything is written
    when = datetime.now(UTC) if when is None else to_utc(when)
    return package_from_page(
        page,
        pkg,
        when=when,
        collector=collector,
        identity=identity,
        case_ref=case_ref,
        notes=notes,
        url_requested=url,
    )


def package_from_page(
    page,
    package: str | os.PathLike,
    *,
    when: datetime,
    collector: str,
    identity: str,
    case_ref: str = "",
    notes: str = "",
    url_requested: str | None = None,
) -> Path:
    """Write the evidence package of an already fetched ``page`` (see :func:`capture_page`)."""
    pkg = Path(package)
    if pkg.exists() and (not pkg.is_dir() or any(pkg.iterdir())):
        raise PackageExists(
            f"{pkg}: already exists; evidence packages are write-once, choose a new folder"
        )
    from .archive import Snapshot, warc_bytes

    items: list[tuple[str, bytes, str]] = [
        ("items/page.html", page.html.encode("utf-8"), "html_source")
    ]
    # The same capture as a WARC record (ISO 28500), the format web archives exchange.
    items.append(
        (
            "items/page.warc",
            warc_bytes([Snapshot(page.url, utc_iso(when), page.html)]),
            "warc_record",
        )
    )
    for i, m in enumerate(page.media, start=1):
        name = PurePosixPath(m.url.split("?")[0]).name or f"media{i}"
        items.append((f"items/media/{i:02d}_{_safe_name(name)}", m.data, "embedded_media"))
    items.append(
        ("items/screenshot.png", render_capture(page, when, collector), "full_page_render")
    )
    pkg.mkdir(parents=True, exist_ok=True)
    (pkg / "items" / "media").mkdir(parents=True, exist_ok=True)
    manifest = {"url": page.url, "items": {}}
    for rel, blob, kind in items:
        _write_once(pkg / rel, blob)
        manifest["items"][rel] = {"sha256": sha256_bytes(blob), "bytes": len(blob), "kind": kind}
    record = {
        "case_ref": case_ref,
        "url_requested": url_requested or page.url,
        "url_captured": page.url,
        "title": page.title,
        "captured_utc": utc_iso(when),
        "collector": collector,
        "research_identity": identity,
        "tool": TOOL,
        "method": "offline web fetch of the HTML as served, full-page render, embedded media",
        "notes": notes,
    }
    blob = (json.dumps(record, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
    _write_once(pkg / RECORD, blob)
    manifest["items"][RECORD] = {
        "sha256": sha256_bytes(blob),
        "bytes": len(blob),
        "kind": "capture_record",
    }
    _write_once(pkg / MANIFEST, (json.dumps(manifest, indent=1) + "\n").encode("utf-8"))
    for rel in manifest["items"]:
        add_custody(pkg, collector, "acquired", f"captured from {page.url}", item=rel, when=when)
    return pkg


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)[:80]


def _write_once(p: Path, blob: bytes) -> None:
    with open(p, "xb") as fh:  # 'x' refuses to overwrite anything
        fh.write(blob)
    _read_only(p)


def render_capture(page, when: datetime, collector: str) -> bytes:
    """A full-page PNG of ``page`` with a banner stating URL, UTC time and collector."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default()
    # The bundled font lacks typographic dashes and quotes; draw plain equivalents (the HTML
    # source, not this render, is the authoritative record of the text).
    plain = str.maketrans(
        {"\u2014": "-", "\u2013": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}
    )
    page_title, page_text = page.title.translate(plain), page.text.translate(plain)
    width, margin, line_h = 900, 16, 14
    body = []
    for para in page_text.split("\n"):
        body += textwrap.wrap(para, 120) or [""]
    thumbs = []
    for m in page.media:
        if m.content_type.startswith("image/"):
            try:
                im = Image.open(io.BytesIO(m.data))
                im.load()
                im.thumbnail((width - 2 * margin, 220))
                thumbs.append(im.convert("RGB"))
            except Exception:  # a broken image must not stop the capture of the page
                continue
    height = 70 + line_h * (len(body) + 2) + sum(t.height + 10 for t in thumbs) + margin
    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, width, 52], fill=(32, 45, 64))
    d.text((margin, 8), f"URL: {page.url}", fill="white", font=font)
    d.text(
        (margin, 22), f"Captured (UTC): {utc_iso(when)}   by {collector}", fill="white", font=font
    )
    d.text((margin, 36), f"Tool: {TOOL}", fill=(200, 210, 225), font=font)
    y = 64
    d.text((margin, y), page_title, fill="black", font=font)
    y += 2 * line_h
    for line in body:
        d.text((margin, y), line, fill=(20, 20, 20), font=font)
        y += line_h
    for t in thumbs:
        img.paste(t, (margin, y + 5))
        y += t.height + 10
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=False)
    return out.getvalue()


def working_copy(package: str | os.PathLike, dest: str | os.PathLike) -> Path:
    """Copy a package's items to ``dest`` (writable) for analysis; the package stays untouched."""
    src, dst = Path(package), Path(dest)
    if not (src / MANIFEST).is_file():
        raise EvidenceError(f"{src}: not an evidence package (no {MANIFEST})")
    if dst.exists():
        raise EvidenceError(f"{dst}: already exists; choose a new folder for the working copy")
    shutil.copytree(src, dst)
    for p in dst.rglob("*"):
        if p.is_file():
            os.chmod(p, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)
    return dst


# ---------------------------------------------------------------------------------------------
# Verification
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    kind: str  # altered, added, missing, custody-broken, custody-mismatch, unreadable
    item: str  # item path relative to the package (custody.jsonl for log problems)
    detail: str
    seq: int | None = None  # for custody problems: the first log entry that is wrong

    def __str__(self):
        return f"{self.kind}: {self.item} — {self.detail}"


@dataclass
class PackageReport:
    package: str
    checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def items(self, kind: str) -> list[str]:
        """Items with problems of one ``kind`` (e.g. ``report.items('altered')``)."""
        return [p.item for p in self.problems if p.kind == kind]

    def __repr__(self):
        state = "OK" if self.ok else f"{len(self.problems)} problem(s)"
        return f"<PackageReport {self.package}: {self.checked} items checked, {state}>"

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame(
            [p.__dict__ for p in self.problems], columns=["kind", "item", "detail", "seq"]
        )


def verify_package(package: str | os.PathLike) -> PackageReport:
    """Check every item against the manifest and the custody chain; name each problem.

    Reports ``altered`` (hash differs), ``missing`` (listed, not present), ``added`` (present,
    not listed), ``custody-broken`` (an entry was edited, removed or reordered) and
    ``custody-mismatch`` (the acquisition hash in the log differs from the manifest).
    """
    pkg = Path(package)
    if pkg.is_file() and zipfile.is_zipfile(pkg):
        return _verify_zip(pkg)
    if not pkg.is_dir():
        raise EvidenceError(f"{pkg}: no such evidence package folder")
    mpath = pkg / MANIFEST
    if not mpath.is_file():
        raise EvidenceError(f"{mpath}: manifest missing, so the package cannot be verified")
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
        listed = manifest["items"]
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError):
        raise EvidenceError(f"{mpath}: manifest is corrupt") from None
    report = PackageReport(str(pkg))
    for rel, entry in sorted(listed.items()):
        p = pkg.joinpath(*PurePosixPath(rel).parts)
        report.checked += 1
        if not p.is_file():
            report.problems.append(Problem("missing", rel, "listed in the manifest, not found"))
        elif sha256_file(p) != entry.get("sha256"):
            report.problems.append(Problem("altered", rel, "SHA-256 differs from the manifest"))
    present = {p.relative_to(pkg).as_posix() for p in pkg.rglob("*") if p.is_file()}
    for rel in sorted(present - set(listed) - _CONTROL):
        report.problems.append(Problem("added", rel, "present but not in the manifest"))
    _verify_custody(pkg, listed, report)
    return report


def _verify_zip(path: Path) -> PackageReport:
    """Verify a zipped package (e.g. the capstone's evidence.zip) without trusting its paths."""
    import tempfile

    with zipfile.ZipFile(path) as z, tempfile.TemporaryDirectory() as t:
        for name in z.namelist():
            parts = PurePosixPath(name).parts
            if name.startswith(("/", "\\")) or ".." in parts or ":" in name:
                raise EvidenceError(f"{path}: unsafe member name {name!r} in the ZIP")
        try:
            z.extractall(t)
        except (zipfile.BadZipFile, OSError) as exc:
            raise EvidenceError(f"{path}: cannot read the ZIP ({exc})") from None
        report = verify_package(Path(t))
        report.package = str(path)
        return report


def _verify_custody(pkg: Path, listed: dict, report: PackageReport) -> None:
    try:
        entries = read_custody(pkg)
    except EvidenceError as exc:
        report.problems.append(Problem("custody-broken", CUSTODY, str(exc)))
        return
    prev = "0" * 64
    for n, e in enumerate(entries, start=1):
        where = f"custody entry {n}"
        if (
            e.get("seq") != n
            or e.get("prev_sha256") != prev
            or _entry_hash(e) != e.get("entry_sha256")
        ):
            report.problems.append(
                Problem(
                    "custody-broken",
                    CUSTODY,
                    f"entry {n} does not match its hash or does not "
                    "chain to the one before it (edited, removed or "
                    "reordered)",
                    seq=n,
                )
            )
            return
        prev = e["entry_sha256"]
        item = e.get("item")
        if (
            e.get("action") == "acquired"
            and item in listed
            and e.get("item_sha256") != listed[item].get("sha256")
        ):
            report.problems.append(
                Problem(
                    "custody-mismatch",
                    item,
                    f"acquisition hash in custody {where} differs from the manifest",
                )
            )


# ---------------------------------------------------------------------------------------------
# Grading sources (Admiralty / NATO 6x6 system)
# ---------------------------------------------------------------------------------------------

RELIABILITY = {
    "A": "Completely reliable",
    "B": "Usually reliable",
    "C": "Fairly reliable",
    "D": "Not usually reliable",
    "E": "Unreliable",
    "F": "Reliability cannot be judged",
}
CREDIBILITY = {
    1: "Confirmed by other sources",
    2: "Probably true",
    3: "Possibly true",
    4: "Doubtful",
    5: "Improbable",
    6: "Truth cannot be judged",
}


def admiralty_code(reliability: str, credibility: int) -> str:
    """Combine a source grade (A–F) and an information grade (1–6) into a code such as ``B2``.

    The source and the information are graded *separately*: a usually reliable source can pass
    on doubtful information (B4), and an unknown source can give confirmed facts (F1).

    >>> admiralty_code("b", 2)
    'B2'
    """
    r = str(reliability).strip().upper()
    if r not in RELIABILITY:
        raise EvidenceError(f"reliability {reliability!r} must be one of A-F")
    try:
        if isinstance(credibility, (bool, str)):
            raise TypeError
        number = operator.index(credibility)  # int, numpy integers
    except TypeError:
        raise EvidenceError(f"credibility {credibility!r} must be a whole number 1-6") from None
    if number not in CREDIBILITY:
        raise EvidenceError(f"credibility {number} must be a whole number 1-6")
    return f"{r}{number}"


# ---------------------------------------------------------------------------------------------
# Lesson pictures and widgets (one call in the notebook)
# ---------------------------------------------------------------------------------------------

#: The Berkeley Protocol's six phases, each with what it means for the front's job ads.
PHASES = [
    ("online inquiry", "search for the front's\nname and phone"),
    ("preliminary\nassessment", "relevant? lawful?\nproportionate? urgent?"),
    ("collection", "capture the job ad\n(URL, HTML, image)"),
    ("preservation", "hash, store, custody log,\nworking copy"),
    ("verification", "who posted it? is it\nwhat it claims?"),
    ("investigative\nanalysis", "link ads, phones,\npayments, people"),
]


def phases_chart(
    phases=PHASES, *, title="The investigation process, applied to the front's job ads"
):
    """The six phases as a cycle of labelled circles (an iterative process); returns the Axes.

    >>> len(phases_chart().patches)
    6
    """
    import math

    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 6.5))
    n = len(phases)
    for i, (phase, example) in enumerate(phases):
        a = math.pi / 2 - i * 2 * math.pi / n
        x, y = math.cos(a), math.sin(a)
        ax.add_patch(plt.Circle((x, y), 0.33, color="#9ecae1"))  # one colour: no legend to need
        ax.text(x, y + 0.06, phase, ha="center", va="center", fontsize=9, weight="bold")
        ax.text(x, y - 0.13, example, ha="center", va="center", fontsize=7)
        a2 = a - math.pi / n
        ax.annotate(
            "",
            xy=(0.62 * math.cos(a2 - 0.25), 0.62 * math.sin(a2 - 0.25)),
            xytext=(0.62 * math.cos(a2 + 0.25), 0.62 * math.sin(a2 + 0.25)),
            arrowprops=dict(arrowstyle="->", color="grey"),
        )
    ax.text(
        0, 0, "Berkeley Protocol\nsix phases\n(iterative)", ha="center", va="center", fontsize=9
    )
    ax.set_xlim(-1.5, 1.5)
    ax.set_ylim(-1.5, 1.5)
    ax.set_aspect(1)
    ax.axis("off")
    ax.set_title(title)
    return ax


#: Interactions that engage a target (they need a written authorisation).
ENGAGE = {"like post", "follow account", "send message", "comment on post", "join group"}


def opsec_problems(identity: str, device: str, network: str, action: str, authorised: bool):
    """The unit's OPSEC rules an action breaks (an empty list: none).

    >>> opsec_problems("research identity RI-07", "research laptop", "managed VPN", "send message", False)
    ['engagement without written authorisation']
    """
    problems = []
    if identity.startswith("personal"):
        problems.append("personal account — use the research identity")
    if action in ENGAGE and not authorised:
        problems.append("engagement without written authorisation")
    if network.startswith("office"):
        problems.append("attributable network — use the managed connection")
    if device != "research laptop":
        problems.append("personal device — use the research equipment")
    return problems


def opsec_widget():
    """Drop-downs for identity, device, network and action, and the rules they break."""
    import ipywidgets as widgets
    from IPython.display import display

    def show(identity, device, network, action, authorised):
        problems = opsec_problems(identity, device, network, action, authorised)
        colour = "green" if not problems else "#b00"
        text = "no rule broken" if not problems else "; ".join(problems)
        display(widgets.HTML(f"<b style='color:{colour}'>{text}</b>"))

    return widgets.interact(
        show,
        identity=widgets.Dropdown(options=["research identity RI-07", "personal account"]),
        device=widgets.Dropdown(options=["research laptop", "personal phone", "home computer"]),
        network=widgets.Dropdown(options=["managed VPN", "office LAN (static IP)"]),
        action=widgets.Dropdown(
            options=["view profile", "capture page", "send message", "join group", "like post"]
        ),
        authorised=widgets.Checkbox(description="written authorisation", value=False),
    )
