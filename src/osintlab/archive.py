"""An offline web archive: dated snapshots of pages in WARC files, and the questions an
investigator asks of them.

Pages change and disappear: an ad is edited after complaints, a post is deleted, a profile is
renamed. Web archives keep dated captures in WARC files (ISO 28500), read here with the
``warcio`` library. What an investigator does -> which function:

- keep a capture as a WARC record next to the HTML and screenshot -> :func:`write_warc`
- read a batch of WARC files, skipping bad records with a message -> :func:`read_warc`
- index captures by URL and time -> :func:`capture_index` (the case archive: :func:`load_archive`)
- list the captures as a table -> :func:`captures_table`; find captures showing a text ->
  :func:`find_in_archive`; the capture with a given digest -> :func:`by_digest`
- when was a page first seen? -> :func:`first_seen`
- what did it say on date D? -> :func:`as_of`
- when did it change? -> :func:`changes`

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "demo.warc.gz"
    >>> write_warc(path, [Snapshot("https://x.example/jobs", "2026-03-01T10:00:00Z", "<p>fee 4 lakh</p>"),
    ...                   Snapshot("https://x.example/jobs", "2026-03-09T08:00:00Z", "<p>fee 5 lakh</p>")])
    2
    >>> snaps, problems = read_warc([path])
    >>> idx = capture_index(snaps)
    >>> first_seen(idx, "https://x.example/jobs"), problems
    ('2026-03-01T10:00:00Z', [])
    >>> as_of(idx, "https://x.example/jobs", "2026-03-05").text
    '<p>fee 4 lakh</p>'
    >>> [c["changed_utc"] for c in changes(idx, "https://x.example/jobs")]
    ['2026-03-09T08:00:00Z']

A snapshot is what the archive held at that moment, not proof of who wrote it: quote the
archive, the capture time (UTC) and the record's digest. Nothing here touches the network.
"""

from __future__ import annotations

import bisect
import hashlib
import html as _html
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

__all__ = [
    "ArchiveError",
    "Snapshot",
    "Problem",
    "write_warc",
    "warc_bytes",
    "read_warc",
    "capture_index",
    "first_seen",
    "as_of",
    "changes",
    "load_archive",
    "captures_table",
    "find_in_archive",
    "by_digest",
    "visible_text",
]


class ArchiveError(ValueError):
    """Bad input to the archive helpers; the message names the item."""


@dataclass(frozen=True)
class Snapshot:
    """One dated capture of a URL: ``captured_utc`` is ISO 8601 UTC (``...Z``)."""

    url: str
    captured_utc: str
    text: str
    source: str = ""  # the WARC file (and record number) it came from

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def visible(self) -> str:
        """The text a reader saw (paragraphs of the captured HTML, one per line)."""
        return visible_text(self.text)


def visible_text(html: str) -> str:
    """The visible text of captured HTML: its paragraphs, one per line.

    'Fee 4 lakh\\nWhatsApp & IMO'
    'Fee 4 lakh\nWhatsApp & IMO'
    """
    paras = re.findall(r"<p[^>]*>(.*?)</p>", html, flags=re.S | re.I)
    if not paras:
        body = re.sub(r"<(script|style|title)[^>]*>.*?</\1>", " ", html, flags=re.S | re.I)
        paras = [re.sub(r"<[^>]+>", " ", body)]
    lines = [" ".join(_html.unescape(re.sub(r"<[^>]+>", " ", p)).split()) for p in paras]
    return "\n".join(line for line in lines if line)


@dataclass(frozen=True)
class Problem:
    """A record that could not be used, and why (the batch goes on without it)."""

    item: str
    reason: str


def _utc(value, item: str) -> str:
    """``value`` as ``YYYY-MM-DDTHH:MM:SSZ``; raises naming ``item`` when it is not a UTC time."""
    if isinstance(value, datetime):
        dt = value
    else:
        text = str(value or "").strip()
        if not text:
            raise ArchiveError(f"{item}: the snapshot has no date")
        try:
            dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ArchiveError(f"{item}: {text!r} is not an ISO 8601 time") from None
    if dt.tzinfo is None:
        if len(str(value)) <= 10:  # a bare date means the start of that UTC day
            dt = dt.replace(tzinfo=UTC)
        else:
            raise ArchiveError(f"{item}: {value!r} has no time zone; archives record UTC")
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_warc(path, snapshots) -> int:
    """Write ``snapshots`` as WARC ``response`` records (gzip per record if ``path`` ends in
    ``.gz``); returns the number written. A snapshot without a date raises, naming it."""
    path = Path(path)
    snapshots = list(snapshots)
    blob = warc_bytes(snapshots, gzip=path.name.endswith(".gz"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(blob)
    return len(snapshots)


def warc_bytes(snapshots, *, gzip: bool = False) -> bytes:
    """The WARC file of ``snapshots`` as bytes. Record ids are derived from URL, time and
    content, so the same capture always gives the same bytes (its hash can be recorded)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    for i, s in enumerate(snapshots):
        when = _utc(s.captured_utc, f"snapshot {i} ({s.url})")
        body = s.text.encode("utf-8")
        http = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
            protocol="HTTP/1.1",
        )
        digest = hashlib.sha256(f"{s.url}\n{when}\n".encode() + body).hexdigest()
        rid = f"<urn:uuid:{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}>"
        record = writer.create_warc_record(
            s.url,
            "response",
            payload=io.BytesIO(body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": when, "WARC-Record-ID": rid},
        )
        writer.write_record(record)
    return out.getvalue()


def read_warc(paths):
    """All ``response`` snapshots in the WARC files ``paths``, and the problems found.

    A malformed file or record, or a record without a date, becomes a :class:`Problem` naming
    the file and record; the other records and files are still read.
    """
    from warcio.archiveiterator import ArchiveIterator

    if isinstance(paths, (str, Path)):
        paths = [paths]
    snaps, problems = [], []
    for path in map(Path, paths):
        if not path.is_file():
            problems.append(Problem(str(path), "no such WARC file"))
            continue
        n = -1
        try:
            with path.open("rb") as f:
                for n, rec in enumerate(ArchiveIterator(f)):
                    item = f"{path.name} record {n}"
                    if rec.rec_type != "response":
                        continue
                    url = rec.rec_headers.get_header("WARC-Target-URI")
                    try:
                        when = _utc(rec.rec_headers.get_header("WARC-Date"), item)
                        if not url:
                            raise ArchiveError(f"{item}: no WARC-Target-URI")
                        text = rec.content_stream().read().decode("utf-8", errors="replace")
                    except ArchiveError as exc:
                        problems.append(Problem(item, str(exc)))
                        continue
                    snaps.append(Snapshot(url, when, text, item))
        except Exception as exc:  # warcio raises several types for broken files
            problems.append(
                Problem(
                    f"{path.name} after record {n}",
                    f"malformed WARC data ({type(exc).__name__}: {exc}); "
                    "records before it were kept",
                )
            )
    return snaps, problems


def capture_index(snapshots) -> dict[str, list[Snapshot]]:
    """URL -> its snapshots, oldest first (the capture index). Capture times are written in
    UTC with ``Z``; a snapshot without a usable time raises, naming it."""
    from dataclasses import replace

    idx: dict[str, list[Snapshot]] = {}
    for s in snapshots:
        t = s.captured_utc
        if not (isinstance(t, str) and len(t) == 20 and t.endswith("Z")):
            s = replace(s, captured_utc=_utc(t, f"snapshot of {s.url}"))
        idx.setdefault(s.url, []).append(s)
    for caps in idx.values():
        caps.sort(key=lambda s: s.captured_utc)
    return idx


def load_archive(folder=None):
    """The case's web archive: ``(index, problems)`` from every ``*.warc.gz`` in ``folder``
    (default: the datasets' ``archive/`` folder). Damaged records are reported, not fatal.

    >>> idx, problems = load_archive()
    >>> len(idx) > 100, [p.item for p in problems]
    (True, ['crawl-partial.warc.gz record 0'])
    """
    if folder is None:
        from . import data

        folder = data.path("archive")
    folder = Path(folder)
    if not folder.is_dir():
        raise ArchiveError(f"{folder}: no such archive folder")
    snaps, problems = read_warc(sorted(folder.glob("*.warc.gz")))
    return capture_index(snaps), problems


def captures_table(index, url=None):
    """The captures as a table (url, captured_utc, sha256, source), oldest first; only those of
    ``url`` when given."""
    import pandas as pd

    caps = _captures(index, url) if url else [s for c in index.values() for s in c]
    rows = [(s.url, s.captured_utc, s.sha256, s.source) for s in caps]
    out = pd.DataFrame(rows, columns=["url", "captured_utc", "sha256", "source"])
    return out.sort_values(["captured_utc", "url"], ignore_index=True)


def find_in_archive(index, text: str):
    """Every capture whose visible text contains ``text`` (case-insensitive), oldest first, as a
    table like :func:`captures_table`. The first row is the earliest *capture* showing it — not
    proof that it was never online before (the crawler may not have called earlier)."""
    import pandas as pd

    needle = str(text).casefold()
    if not needle.strip():
        raise ArchiveError("find_in_archive: give a non-empty text to look for")
    # Cheap first pass on the raw HTML (text without characters that HTML escapes is found
    # there too); only candidates are parsed for their visible text.
    plain = not any(c in needle for c in "&<>\"'")
    rows = [
        (s.url, s.captured_utc, s.sha256, s.source)
        for caps in index.values()
        for s in caps
        if (not plain or needle in s.text.casefold()) and needle in s.visible.casefold()
    ]
    out = pd.DataFrame(rows, columns=["url", "captured_utc", "sha256", "source"])
    return out.sort_values(["captured_utc", "url"], ignore_index=True)


def by_digest(index, sha256: str) -> Snapshot:
    """The capture whose content has SHA-256 ``sha256`` (the evidence you quote)."""
    want = str(sha256).strip().lower()
    for caps in index.values():
        for s in caps:
            if s.sha256 == want:
                return s
    raise ArchiveError(f"no capture in this archive has SHA-256 {sha256!r}")


def _captures(index, url) -> list[Snapshot]:
    if url not in index:
        raise ArchiveError(f"{url!r} was never captured in this archive")
    return index[url]


def first_seen(index, url) -> str:
    """The UTC time of the earliest capture of ``url``."""
    return _captures(index, url)[0].captured_utc


def as_of(index, url, when) -> Snapshot | None:
    """The latest capture of ``url`` at or before ``when`` (a date means the end of that UTC
    day); ``None`` if the archive had not captured it yet."""
    when = str(when)
    limit = _utc(when, f"as_of({url!r})") if len(when) > 10 else f"{_utc(when, url)[:10]}T23:59:59Z"
    caps = _captures(index, url)
    i = bisect.bisect_right([s.captured_utc for s in caps], limit)
    return caps[i - 1] if i else None


def changes(index, url) -> list[dict]:
    """Each capture whose text differs from the one before: when, and the digests before and
    after (the window of the change is between the previous capture and this one)."""
    caps = _captures(index, url)
    out = []
    for prev, cur in zip(caps, caps[1:]):
        if cur.sha256 != prev.sha256:
            out.append(
                {
                    "changed_utc": cur.captured_utc,
                    "not_before_utc": prev.captured_utc,
                    "sha256_before": prev.sha256,
                    "sha256_after": cur.sha256,
                }
            )
    return out
