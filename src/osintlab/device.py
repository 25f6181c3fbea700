"""Triage a mobile-phone extraction: integrity, one timeline, contacts, selectors, findings.

An extraction (as a mobile-forensic tool exports it) is a folder with an *extraction report*
(device, examiner, times, and every file with its hash) and the app data: SQLite databases under
``data/<app>/databases/`` and media under ``sdcard/``. This module opens it **read-only**,
checks every file against the report, says plainly what it cannot parse (damaged, locked or
unknown databases, missing tables) instead of guessing, and turns calls, SMS and messenger chats
into one UTC timeline with the phone's local time beside it. Every row keeps its provenance
(file, table, row), so a finding can be traced back to the exact record.

    >>> from osintlab import data, device                                   # doctest: +SKIP
    >>> ext = device.open_extraction(data.path("device/extraction"))        # doctest: +SKIP
    >>> ext.integrity.query("status != 'ok'")                               # doctest: +SKIP
    >>> tl = device.timeline(ext)                                           # doctest: +SKIP
    >>> device.skipped_sources(ext)              # what it could not read   # doctest: +SKIP
    >>> device.contact_frequency(tl).head()                                 # doctest: +SKIP

Heavy libraries (pandas, networkx, Pillow, phonenumbers) are imported inside the functions.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from .reference.hashing import sha256_file
from .reference.phones import parse_phone, phone_region

__all__ = [
    "DeviceError",
    "Extraction",
    "open_extraction",
    "verify_extraction",
    "timeline",
    "skipped_sources",
    "contact_frequency",
    "communication_graph",
    "normalise_number",
    "extract_selectors",
    "cross_reference",
    "photo_metadata",
    "finding",
    "export_findings",
    "KNOWN_DATABASES",
    "WALLET_PATTERNS",
    "read_wal",
    "deleted_rows",
    "epoch_to_utc",
    "guess_epoch",
    "minimise",
]


class DeviceError(ValueError):
    """An extraction, database or table cannot be used; the message says which and why."""


#: Databases this module can parse: file name -> {table: required columns}. Anything else is
#: reported as ``unknown_schema`` (listed, hashed, but never interpreted by guesswork).
KNOWN_DATABASES = {
    "contacts2.db": {
        "raw_contacts": {"_id", "display_name"},
        "data": {"raw_contact_id", "mimetype_id", "data1"},
        "mimetypes": {"_id", "mimetype"},
    },
    "calllog.db": {"calls": {"_id", "number", "date", "duration", "type"}},
    "mmssms.db": {"sms": {"_id", "address", "date", "type", "body"}},
    "paigham.db": {
        "users": {"user_id", "phone", "username", "display_name", "is_self"},
        "chats": {"chat_id", "kind", "title"},
        "chat_members": {"chat_id", "user_id"},
        "messages": {"msg_id", "chat_id", "sender_id", "timestamp", "text"},
    },
    # Chrome's browsing history: read it with ``ext.table`` and convert its WebKit times
    # (microseconds since 1601) with ``epoch_to_utc(..., "webkit")``; not in the timeline.
    "History": {
        "urls": {"id", "url", "title", "last_visit_time"},
        "visits": {"id", "url", "visit_time"},
    },
}
_KIND = {
    "contacts2.db": "contacts",
    "calllog.db": "calls",
    "mmssms.db": "sms",
    "paigham.db": "messenger",
    "History": "browser",
}
_SQLITE_MAGIC = b"SQLite format 3\x00"
REPORT = "extraction_report.json"

#: Regular expressions for crypto-wallet addresses in free text.
WALLET_PATTERNS = {
    "tron": re.compile(r"\bT[1-9A-HJ-NP-Za-km-z]{33}\b"),
    "btc": re.compile(r"\b(?:bc1[02-9ac-hj-np-z]{11,71}|[13][1-9A-HJ-NP-Za-km-z]{25,34})\b"),
}
_CALL_TYPES = {
    1: "incoming",
    2: "outgoing",
    3: "missed",
    4: "voicemail",
    5: "rejected",
    6: "blocked",
}
_SMS_TYPES = {1: "incoming", 2: "outgoing", 3: "draft", 4: "outbox", 5: "failed", 6: "queued"}


# ---------------------------------------------------------------------------------------------
# Opening and verifying
# ---------------------------------------------------------------------------------------------


@dataclass
class Extraction:
    """An opened extraction. Attributes:

    ``root`` (folder), ``report`` (the extraction report, or ``{}``), ``integrity`` (a
    DataFrame: path, bytes, sha256_report, sha256_now, status ok/altered/missing/unlisted),
    ``databases`` (path, name, kind, status ok/corrupt/locked/not_sqlite/unknown_schema/
    missing_tables, detail), ``problems`` (one plain sentence per problem) and ``device_tz``
    (the phone's time-zone setting from the report, or ``None``).
    """

    root: Path
    report: dict
    integrity: object
    databases: object
    problems: list[str] = field(default_factory=list)

    @property
    def device_tz(self) -> str | None:
        return (self.report.get("device") or {}).get("timezone_setting")

    @property
    def ok(self) -> bool:
        return not self.problems

    def __repr__(self) -> str:
        dev = self.report.get("device") or {}
        return (
            f"<Extraction {self.report.get('exhibit_ref', self.root.name)}: "
            f"{dev.get('make', '?')} {dev.get('model', '?')}, "
            f"{len(self.integrity)} files, {len(self.problems)} problem(s)>"
        )

    # -- reading ----------------------------------------------------------------------------------
    def database(self, name: str) -> Path:
        """Path of a database by file name (``'calllog.db'``) or relative path; it must have
        been parsed successfully, otherwise :class:`DeviceError` says why not."""
        dbs = self.databases
        match = dbs[(dbs["name"] == name) | (dbs["path"] == name)]
        if match.empty:
            raise DeviceError(
                f"database {name!r} is not in this extraction (found: {', '.join(dbs['name'])})"
            )
        row = match.iloc[0]
        if row["status"] != "ok":
            raise DeviceError(
                f"database {row['path']} cannot be used: {row['status']} ({row['detail']})"
            )
        return self.root.joinpath(*PurePosixPath(row["path"]).parts)

    def table(self, name: str, table: str, sql: str | None = None):
        """Read one table (or run ``sql``) of a parsed database as a DataFrame, read-only.

        Columns ``_file``, ``_table`` and ``_row`` (the table's first column) are added for
        provenance.
        """
        import pandas as pd

        path = self.database(name)
        rel = path.relative_to(self.root).as_posix()
        con = _connect_ro(path)
        try:
            tables = {
                r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if table not in tables:
                raise DeviceError(f"{rel}: no table {table!r} (tables: {sorted(tables)})")
            query = sql or f'SELECT * FROM "{table}"'
            df = pd.read_sql_query(query, con)
        except sqlite3.Error as exc:
            raise DeviceError(f"{rel}: cannot read table {table!r} ({exc})") from None
        finally:
            con.close()
        df.insert(0, "_row", df.iloc[:, 0] if len(df.columns) else None)
        df.insert(0, "_table", table)
        df.insert(0, "_file", rel)
        return df

    def _read(self, name: str, sql: str):
        """Internal fast path: run ``sql`` on a parsed database; returns (DataFrame, rel)."""
        import pandas as pd

        path = self.database(name)
        rel = path.relative_to(self.root).as_posix()
        con = _connect_ro(path)
        try:
            return pd.read_sql_query(sql, con), rel
        except sqlite3.Error as exc:
            raise DeviceError(f"{rel}: cannot read ({exc})") from None
        finally:
            con.close()

    def verify(self):
        """Re-hash every file now (e.g. after analysis) and return the integrity table."""
        self.integrity = verify_extraction(self.root)
        return self.integrity


def _connect_ro(path: Path, *, wal: bool = True) -> sqlite3.Connection:
    """Open an evidence database read-only. If a ``-wal`` file lies beside it, never let
    SQLite touch the evidence (it would create ``-shm`` files or checkpoint): read a private
    copy with the committed WAL frames applied instead (``wal=False``: the main file alone)."""
    path = Path(path)
    wal_file = path.with_name(path.name + "-wal")
    if wal_file.is_file() and wal_file.stat().st_size:
        image = _image_with_wal(path, wal_file, None if wal else 0)
        con = sqlite3.connect(f"{image.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    else:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.2)
    con.execute("PRAGMA query_only = ON")
    return con


# ---------------------------------------------------------------------------------------------
# SQLite write-ahead logs: what is committed, and what the main file still holds
# ---------------------------------------------------------------------------------------------

_WAL_MAGIC = (0x377F0682, 0x377F0683)
_IMAGES: dict = {}


def read_wal(wal_path) -> list[dict]:
    """The frames of an SQLite write-ahead log (``x.db-wal``): one dict per frame with its
    ``frame`` number, ``page`` number, ``commit`` (the database size in pages if this frame
    ends a transaction, else 0) and ``valid`` (salts match the header). A WAL holds pages
    written after the last checkpoint: rows inserted, changed or deleted since then.

    >>> read_wal(__file__)
    Traceback (most recent call last):
    ...
    osintlab.device.DeviceError: device.py: not an SQLite WAL file (bad magic number)
    """
    import struct

    wal_path = Path(wal_path)
    blob = wal_path.read_bytes()
    if not blob:
        return []  # reset after a checkpoint
    if len(blob) < 32 or struct.unpack(">I", blob[:4])[0] not in _WAL_MAGIC:
        raise DeviceError(f"{wal_path.name}: not an SQLite WAL file (bad magic number)")
    page_size = struct.unpack(">I", blob[8:12])[0]
    salts = blob[16:24]
    frames, off, n = [], 32, 0
    while off + 24 + page_size <= len(blob):
        pg, commit = struct.unpack(">II", blob[off : off + 8])
        n += 1
        frames.append(
            {
                "frame": n,
                "page": pg,
                "commit": commit,
                "valid": blob[off + 8 : off + 16] == salts,
                "offset": off + 24,
                "page_size": page_size,
            }
        )
        off += 24 + page_size
    return frames


def _image_with_wal(db: Path, wal_file: Path, upto: int | None) -> Path:
    """A private copy of ``db`` with the WAL's committed transactions applied (all of them,
    or the first ``upto``); cached per file state, deleted when Python exits."""
    import atexit
    import tempfile

    st, wst = db.stat(), wal_file.stat()
    key = (str(db.resolve()), st.st_size, st.st_mtime_ns, wst.st_size, wst.st_mtime_ns, upto)
    if key in _IMAGES and _IMAGES[key].exists():
        return _IMAGES[key]
    image = bytearray(db.read_bytes())
    blob = wal_file.read_bytes()
    pending, commits = [], 0
    for f in read_wal(wal_file):
        if not f["valid"] or (upto is not None and commits >= upto):
            break
        pending.append(f)
        if f["commit"]:
            ps = f["page_size"]
            for fr in pending:
                start = (fr["page"] - 1) * ps
                if len(image) < start + ps:
                    image.extend(b"\x00" * (start + ps - len(image)))
                image[start : start + ps] = blob[fr["offset"] : fr["offset"] + ps]
            del image[f["commit"] * ps :]
            pending, commits = [], commits + 1
    if len(image) >= 20:
        image[18:20] = b"\x01\x01"  # the copy is read as an ordinary database
    if not _IMAGES:
        atexit.register(lambda: [p.unlink() for p in _IMAGES.values() if p.exists()])
    fd, name = tempfile.mkstemp(suffix=".db", prefix="osintlab-wal-")
    os.close(fd)
    Path(name).write_bytes(bytes(image))
    _IMAGES[key] = Path(name)
    return Path(name)


def deleted_rows(ext: Extraction, name: str, table: str):
    """Rows of ``table`` that the main database file still holds but the committed WAL has
    deleted: records the phone's user removed since the last checkpoint. Returns them with
    provenance (``_file``, ``_table``, ``_row``, ``recovered_from``); empty if the database has
    no WAL or nothing was deleted.

    Opening the database in a tool that writes (most SQLite browsers) checkpoints the WAL into
    the main file and overwrites exactly these records: work on a verified copy, read-only.
    """
    import pandas as pd

    path = ext.database(name)
    rel = path.relative_to(ext.root).as_posix()
    wal_file = path.with_name(path.name + "-wal")
    if not wal_file.is_file() or not wal_file.stat().st_size:
        return pd.DataFrame(columns=["_file", "_table", "_row", "recovered_from"])
    frames = []
    for wal in (False, True):
        con = _connect_ro(path, wal=wal)
        try:
            frames.append(pd.read_sql_query(f'SELECT * FROM "{table}"', con))
        except sqlite3.Error as exc:
            raise DeviceError(f"{rel}: cannot read table {table!r} ({exc})") from None
        finally:
            con.close()
    before, now = frames
    keycol = before.columns[0]
    gone = before[~before[keycol].isin(now[keycol])].copy()
    gone.insert(0, "recovered_from", f"{rel} (main file; deleted in {rel}-wal)")
    gone.insert(0, "_row", gone[keycol])
    gone.insert(0, "_table", table)
    gone.insert(0, "_file", rel)
    return gone.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Time formats: the traps
# ---------------------------------------------------------------------------------------------

_EPOCHS = {"unix_s": 1, "unix_ms": 1_000, "unix_us": 1_000_000, "webkit": 1_000_000}
_WEBKIT_OFFSET_S = 11_644_473_600  # 1601-01-01 to 1970-01-01, in seconds


def epoch_to_utc(value, epoch: str) -> datetime:
    """Convert a stored time to an aware UTC datetime. ``epoch``: ``unix_s`` (seconds since
    1970: many messengers), ``unix_ms`` (milliseconds: Android call log, SMS, MediaStore),
    ``unix_us`` (microseconds) or ``webkit`` (microseconds since 1601-01-01: Chrome
    ``History``, ``Cookies``).

    >>> epoch_to_utc(1772366400, "unix_s").isoformat()
    '2026-03-01T12:00:00+00:00'
    >>> epoch_to_utc(1772366400000, "unix_ms").isoformat()
    '2026-03-01T12:00:00+00:00'
    >>> epoch_to_utc(13416840000000000, "webkit").isoformat()
    '2026-03-01T12:00:00+00:00'
    >>> epoch_to_utc(1772366400, "unix_ms").year          # seconds read as milliseconds
    1970
    """
    from datetime import timedelta

    if epoch not in _EPOCHS:
        raise DeviceError(f"unknown epoch {epoch!r}; use one of {sorted(_EPOCHS)}")
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        and not hasattr(value, "__index__")
    ):
        raise DeviceError(f"a stored time is a number, not {value!r}")
    value = int(value)
    div = _EPOCHS[epoch]
    secs, rest = divmod(value, div)
    if epoch == "webkit":
        secs -= _WEBKIT_OFFSET_S
    base = datetime(1970, 1, 1, tzinfo=UTC)
    return base + timedelta(seconds=secs, microseconds=rest * (1_000_000 // div))


def guess_epoch(value) -> str:
    """Which epoch a stored number most likely uses, from its size, for times from 2001 to
    2100: ``unix_s`` (10 digits), ``unix_ms`` (13), ``webkit`` (17, from 1601) or
    ``unix_us`` (16). A guess to check against a second artefact, never a proof.

    >>> [guess_epoch(v) for v in (1772366400, 1772366400000, 13416840000000000)]
    ['unix_s', 'unix_ms', 'webkit']
    """
    v = int(value)
    lo, hi = 978_307_200, 4_102_444_800  # 2001-01-01 .. 2100-01-01 in Unix seconds
    for epoch, div, shift in (
        ("unix_s", 1, 0),
        ("unix_ms", 1_000, 0),
        ("unix_us", 1_000_000, 0),
        ("webkit", 1_000_000, _WEBKIT_OFFSET_S),
    ):
        if lo <= v / div - shift <= hi:
            return epoch
    raise DeviceError(f"{value!r} is no time between 2001 and 2100 in any known epoch")


def minimise(
    table, relevant, *, number_col: str = "counterpart", name_cols=("counterpart_name", "name")
):
    """Data minimisation for charts and reports: counterparts not in ``relevant`` (the numbers
    the case needs) keep their rows but lose their identity — number and name become
    ``uninvolved contact 1``, ``2``, ... (stable within the table). Family and friends of a
    suspect have a right to privacy; the case's own selectors stay as they are.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"counterpart": ["+1", "+2", "+2"], "name": ["Boss", "Ammi", "Ammi"]})
    >>> minimise(t, {"+1"})["name"].tolist()
    ['Boss', 'uninvolved contact 1', 'uninvolved contact 1']
    """
    import pandas as pd

    if not isinstance(table, pd.DataFrame) or number_col not in table:
        raise DeviceError(f"minimise needs a table with a {number_col!r} column")
    keep = {str(x) for x in relevant}
    out = table.copy()
    others = [n for n in dict.fromkeys(out[number_col].astype(str)) if n not in keep]
    alias = {n: f"uninvolved contact {i}" for i, n in enumerate(others, start=1)}
    mask = ~out[number_col].astype(str).isin(keep)
    out.loc[mask, number_col] = out.loc[mask, number_col].astype(str).map(alias)
    for col in name_cols:
        if col in out:
            out[col] = out[col].astype("object")
            out.loc[mask, col] = out.loc[mask, number_col]
    return out


def _read_report(root: Path, problems: list[str]) -> dict:
    target = root / REPORT
    if not target.is_file():
        problems.append(
            f"{REPORT} is missing: no hashes to verify against; treat every file "
            "as unverified and ask the lab for the report"
        )
        return {}
    try:
        report = json.loads(target.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(f"{REPORT} is not valid JSON ({exc}); hashes cannot be verified")
        return {}
    if not isinstance(report, dict) or not isinstance(report.get("files"), list):
        problems.append(f"{REPORT} has no 'files' list; hashes cannot be verified")
        return report if isinstance(report, dict) else {}
    return report


def verify_extraction(path):
    """Hash every file of the extraction and compare with the report's list.

    Returns a DataFrame (path, bytes, sha256_report, sha256_now, status) where status is
    ``ok``, ``altered`` (hash differs), ``missing`` (listed, not present) or ``unlisted``
    (present, not in the report).

    >>> verify_extraction("no/such/folder")
    Traceback (most recent call last):
    ...
    osintlab.device.DeviceError: no extraction folder at 'no/such/folder'
    """
    import pandas as pd

    root = _root(path)
    report = _read_report(root, [])
    listed = {}
    for entry in report.get("files", []) or []:
        if isinstance(entry, dict) and "path" in entry:
            listed[str(entry["path"])] = entry
    rows = []
    present = {
        p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and p.name != REPORT
    }
    for rel in sorted(set(listed) | present):
        entry = listed.get(rel, {})
        target = root.joinpath(*PurePosixPath(rel).parts)
        now = sha256_file(target) if rel in present else None
        expected = entry.get("sha256")
        if rel not in present:
            status = "missing"
        elif rel not in listed:
            status = "unlisted"
        else:
            status = "ok" if now == str(expected).lower() else "altered"
        rows.append(
            {
                "path": rel,
                "bytes": target.stat().st_size if rel in present else None,
                "sha256_report": expected,
                "sha256_now": now,
                "status": status,
            }
        )
    return pd.DataFrame(rows, columns=["path", "bytes", "sha256_report", "sha256_now", "status"])


def _root(path) -> Path:
    if isinstance(path, Extraction):
        return path.root
    if not isinstance(path, (str, os.PathLike)) or not str(path).strip():
        raise DeviceError(f"extraction path {path!r} is not a folder path")
    root = Path(path)
    if not root.is_dir():
        raise DeviceError(f"no extraction folder at {str(path)!r}")
    return root


def _classify_db(root: Path, rel: str) -> dict:
    target = root.joinpath(*PurePosixPath(rel).parts)
    name = target.name
    row = {
        "path": rel,
        "name": name,
        "kind": _KIND.get(name, "unknown"),
        "status": "ok",
        "detail": "",
    }
    with open(target, "rb") as fh:
        head = fh.read(16)
    if head != _SQLITE_MAGIC:
        row.update(
            status="not_sqlite",
            detail="no SQLite header: encrypted, damaged or not a "
            "database (an app's encrypted backup needs its key, not guesswork)",
        )
        return row
    try:
        con = _connect_ro(target)
    except sqlite3.Error as exc:
        row.update(status="corrupt", detail=str(exc))
        return row
    try:
        tables = {
            r[0]: {c[1] for c in con.execute(f'PRAGMA table_info("{r[0]}")')}
            for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        check = [r[0] for r in con.execute("PRAGMA quick_check")]
        if check != ["ok"]:
            row.update(status="corrupt", detail="; ".join(check[:3]))
            return row
    except sqlite3.OperationalError as exc:
        msg = str(exc)
        row.update(status="locked" if "locked" in msg or "busy" in msg else "corrupt", detail=msg)
        return row
    except sqlite3.DatabaseError as exc:
        row.update(status="corrupt", detail=str(exc))
        return row
    finally:
        con.close()
    schema = KNOWN_DATABASES.get(name)
    if schema is None:
        row.update(
            status="unknown_schema",
            detail=f"no parser for {name}; tables: {', '.join(sorted(tables)) or 'none'}",
        )
        return row
    missing = [t for t in schema if t not in tables]
    if missing:
        row.update(status="missing_tables", detail=f"expected tables {missing} not found")
        return row
    short = {t: sorted(cols - tables[t]) for t, cols in schema.items() if cols - tables[t]}
    if short:
        row.update(
            status="unknown_schema",
            detail="columns missing (another app version?): "
            + "; ".join(f"{t}: {c}" for t, c in short.items()),
        )
    return row


def open_extraction(path) -> Extraction:
    """Open an extraction folder read-only, verify its hashes and classify its databases.

    Never raises for a damaged part: problems are listed in ``.problems`` and the
    ``integrity`` and ``databases`` tables. Raises :class:`DeviceError` only if ``path`` is not
    a folder.

    >>> open_extraction("no/such/folder")
    Traceback (most recent call last):
    ...
    osintlab.device.DeviceError: no extraction folder at 'no/such/folder'
    """
    import pandas as pd

    root = _root(path)
    problems: list[str] = []
    report = _read_report(root, problems)
    integrity = verify_extraction(root)
    for r in integrity.itertuples():
        if r.status == "altered":
            problems.append(
                f"{r.path}: SHA-256 differs from the extraction report (changed "
                "after extraction; use the master copy)"
            )
        elif r.status == "missing":
            problems.append(f"{r.path}: listed in the report but missing")
        elif r.status == "unlisted" and report:
            problems.append(f"{r.path}: not in the extraction report (added afterwards?)")
    candidates = []
    for p in sorted(root.rglob("*")):
        if not p.is_file() or p.name == REPORT:
            continue
        rel = p.relative_to(root).as_posix()
        if p.name.endswith(("-wal", "-shm", "-journal")):
            continue  # part of its database, read with it
        if "databases" in p.parts or p.suffix.lower() in {".db", ".sqlite", ".sqlite3"}:
            candidates.append(rel)
        else:
            with open(p, "rb") as fh:
                if fh.read(16) == _SQLITE_MAGIC:
                    candidates.append(rel)
    rows = [_classify_db(root, rel) for rel in candidates]
    for r in rows:
        if r["status"] != "ok":
            problems.append(f"{r['path']}: {r['status']} — {r['detail']}")
    databases = pd.DataFrame(rows, columns=["path", "name", "kind", "status", "detail"])
    return Extraction(root, report, integrity, databases, problems)


# ---------------------------------------------------------------------------------------------
# Phone numbers and selectors
# ---------------------------------------------------------------------------------------------


def normalise_number(value, region: str = "PK") -> str | None:
    """A phone number as written on the phone → E.164 (``+923001234567``).

    ``region`` is the country assumed for national numbers (``0300-...``): the phone's home
    country, stated, not guessed. Alphanumeric sender IDs (``PAISAPAY``) return ``None``;
    numbers that cannot be valid raise :class:`DeviceError`.

    >>> normalise_number("0300-5551234")
    '+923005551234'
    >>> normalise_number("0092 300 5551234"), normalise_number("PAISAPAY")
    ('+923005551234', None)
    """
    if value is None or (isinstance(value, float) and value != value):
        return None
    if not isinstance(value, (str, int)):
        raise DeviceError(f"phone number {value!r} is not text")
    text = str(value).strip()
    if not text or not re.search(r"\d", text):
        return None
    text = re.sub(r"^(?:https?://)?wa\.me/\+?", "+", text)
    if re.search(r"[A-Za-z]", text):
        return None
    # A phone logs what was dialled: a possible number is evidence, even if no plan assigns it.
    e164, why = parse_phone(text, (region,), strict=False)
    if e164 is None:
        raise DeviceError(f"phone number {value!r}: {why}")
    return e164


def _norm_series(values, region):
    """Normalise unique values once (fast on a million rows); unreadable -> the raw text."""
    import pandas as pd

    values = pd.Series(values)
    mapping = {}
    for v in values.dropna().unique():
        try:
            mapping[v] = normalise_number(v, region)
        except DeviceError:
            mapping[v] = None
        if mapping[v] is None:
            mapping[v] = str(v)
    return values.map(mapping)


def _region(ext: Extraction) -> str:
    sims = (ext.report.get("device") or {}).get("sims") or []
    for sim in sims:
        region = phone_region(str(sim.get("msisdn")))
        if region:
            return region
    return "PK"


# ---------------------------------------------------------------------------------------------
# Timeline
# ---------------------------------------------------------------------------------------------

TIMELINE_COLUMNS = [
    "utc",
    "local",
    "app",
    "kind",
    "direction",
    "counterpart",
    "counterpart_name",
    "text",
    "duration_s",
    "file",
    "table",
    "row",
]


def timeline(ext: Extraction, tz: str | None = None):
    """One timeline of calls, SMS and messenger messages, sorted by UTC time.

    Columns: ``utc`` (aware UTC), ``local`` (the same moment on the phone's clock zone, or
    ``tz`` if given), ``app``, ``kind`` (call/sms/message), ``direction`` (incoming/outgoing/
    missed/...), ``counterpart`` (E.164 number, or ``group:<title>``/``channel:<title>``),
    ``counterpart_name`` (as saved in the phone's contacts, or the messenger's display name),
    ``text`` (SMS and messages), ``duration_s`` (calls) and provenance ``file``, ``table``,
    ``row``. Sources that cannot be parsed are skipped, never guessed at:
    :func:`skipped_sources` lists them with the reason (a timeline stays a plain DataFrame, so
    that list cannot be lost on a merge or a filter).
    """
    import numpy as np
    import pandas as pd

    if not isinstance(ext, Extraction):
        raise DeviceError(
            f"timeline needs an Extraction from open_extraction(), not {type(ext).__name__}"
        )
    zone = tz or ext.device_tz
    if zone is None:
        raise DeviceError(
            "the extraction report gives no device time zone; pass tz= "
            "(e.g. 'Asia/Karachi') after checking the phone's settings"
        )
    from .timeutil import resolve_zone

    zone_info = resolve_zone(zone)
    region = _region(ext)
    frames, _ = _read_sources(ext, region)
    dbs = ext.databases
    # Repeated labels are categorical: a million-row timeline sorts and filters much faster.
    cats = {
        "app": ["Phone", "SMS", "Paigham"],
        "kind": ["call", "sms", "message"],
        "table": ["calls", "sms", "messages"],
        "file": sorted(dbs["path"]),
        "direction": sorted(set(_CALL_TYPES.values()) | set(_SMS_TYPES.values()) | {"other"}),
    }
    dtypes = {k: pd.CategoricalDtype(v) for k, v in cats.items()}
    for f in frames:
        for col in ("app", "kind", "table", "file"):
            code = cats[col].index(f[col].iloc[0]) if len(f) else 0
            f[col] = pd.Categorical.from_codes(np.full(len(f), code), dtype=dtypes[col])
        f["direction"] = pd.Categorical(f["direction"], dtype=dtypes["direction"])
    if frames:
        tl = pd.concat(frames, ignore_index=True)
    else:
        tl = pd.DataFrame({c: pd.Series(dtype="object") for c in TIMELINE_COLUMNS})
        tl["utc"] = pd.to_datetime(tl["utc"], utc=True)
    names = _contact_names(ext, region)
    missing = tl["counterpart_name"].isna()
    tl.loc[missing, "counterpart_name"] = tl.loc[missing, "counterpart"].map(names)
    # Sources are concatenated in a fixed order and each is in row order, so a stable sort on
    # the time alone keeps ties in (file, row) order.
    tl = tl.sort_values("utc", kind="stable").reset_index(drop=True)
    tl["local"] = tl["utc"].dt.tz_convert(zone_info)
    return tl[TIMELINE_COLUMNS]


def _read_sources(ext: Extraction, region: str) -> tuple[list, dict]:
    """The timeline's sources read into frames, and ``{path: reason}`` for what was skipped."""
    frames, skipped = [], {}
    dbs = ext.databases
    for name, reader in (("calllog.db", _calls), ("mmssms.db", _sms), ("paigham.db", _messenger)):
        rows = dbs[dbs["name"] == name]
        if rows.empty:
            continue
        if rows.iloc[0]["status"] != "ok":
            skipped[rows.iloc[0]["path"]] = f"{rows.iloc[0]['status']}: {rows.iloc[0]['detail']}"
            continue
        try:
            frames.append(reader(ext, region))
        except DeviceError as exc:
            skipped[rows.iloc[0]["path"]] = str(exc)
    for r in dbs[dbs["status"] != "ok"].itertuples():
        skipped.setdefault(r.path, f"{r.status}: {r.detail}")
    return frames, skipped


def skipped_sources(ext: Extraction) -> dict:
    """What :func:`timeline` could not read: ``{path: reason}`` for every database that is
    damaged, locked, encrypted or of an unknown schema, or whose records cannot be parsed.
    Say so in the report: an empty timeline for an app is not proof that it was unused.
    """
    if not isinstance(ext, Extraction):
        raise DeviceError(
            f"skipped_sources needs an Extraction from open_extraction(), not {type(ext).__name__}"
        )
    return _read_sources(ext, _region(ext))[1]


def _codes(series, names):
    """Android type codes -> words; unknown codes become 'other' (never dropped)."""
    return series.map(names).fillna("other")


def _calls(ext, region):
    import pandas as pd

    df, rel = ext._read(
        "calllog.db", "SELECT _id, number, date, duration, type FROM calls ORDER BY _id"
    )
    n = len(df)
    return pd.DataFrame(
        {
            "utc": pd.to_datetime(df["date"], unit="ms", utc=True),
            "app": "Phone",
            "kind": "call",
            "direction": _codes(df["type"], _CALL_TYPES),
            "counterpart": _norm_series(df["number"], region),
            "counterpart_name": pd.Series([None] * n, dtype="object"),
            "text": pd.Series([None] * n, dtype="object"),
            "duration_s": df["duration"].astype("Int64"),
            "file": rel,
            "table": "calls",
            "row": df["_id"],
        }
    )


def _sms(ext, region):
    import pandas as pd

    df, rel = ext._read("mmssms.db", "SELECT _id, address, date, type, body FROM sms ORDER BY _id")
    return pd.DataFrame(
        {
            "utc": pd.to_datetime(df["date"], unit="ms", utc=True),
            "app": "SMS",
            "kind": "sms",
            "direction": _codes(df["type"], _SMS_TYPES),
            "counterpart": _norm_series(df["address"], region),
            "counterpart_name": pd.Series([None] * len(df), dtype="object"),
            "text": df["body"],
            "duration_s": pd.array([pd.NA] * len(df), dtype="Int64"),
            "file": rel,
            "table": "sms",
            "row": df["_id"],
        }
    )


def _messenger(ext, region):
    import pandas as pd

    users = ext.table("paigham.db", "users")
    chats = ext.table("paigham.db", "chats")
    members = ext.table("paigham.db", "chat_members")
    msgs, rel = ext._read(
        "paigham.db",
        "SELECT msg_id, chat_id, sender_id, timestamp, text FROM messages ORDER BY msg_id",
    )
    me = set(users.loc[users["is_self"] == 1, "user_id"])
    if not me:
        raise DeviceError(
            "paigham.db: no user marked is_self, so sent and received messages cannot be told apart"
        )
    phone = dict(zip(users["user_id"], _norm_series(users["phone"], region)))
    shown = dict(zip(users["user_id"], users["display_name"]))
    kind = dict(zip(chats["chat_id"], chats["kind"]))
    title = dict(zip(chats["chat_id"], chats["title"]))
    others = members[~members["user_id"].isin(me)]
    private_peer = {
        cid: uid
        for cid, uid in zip(others["chat_id"], others["user_id"])
        if kind.get(cid) == "private"
    }
    chat_kind = msgs["chat_id"].map(kind).fillna("unknown")
    outgoing = msgs["sender_id"].isin(me)
    peer = msgs["chat_id"].map(private_peer)
    counterpart = peer.map(phone)
    name = peer.map(shown)
    is_group = chat_kind != "private"
    label = chat_kind + ":" + msgs["chat_id"].map(title).fillna("?").astype(str)
    # In groups and channels, a message from someone else is *from that person*.
    from_member = is_group & ~outgoing
    counterpart = counterpart.where(~is_group, label)
    name = name.where(~is_group, msgs["chat_id"].map(title))
    counterpart = counterpart.where(~from_member, msgs["sender_id"].map(phone))
    name = name.where(~from_member, msgs["sender_id"].map(shown))
    direction = outgoing.map({True: "outgoing", False: "incoming"})
    return pd.DataFrame(
        {
            "utc": pd.to_datetime(msgs["timestamp"], unit="s", utc=True),
            "app": "Paigham",
            "kind": "message",
            "direction": direction,
            "counterpart": counterpart,
            "counterpart_name": name,
            "text": msgs["text"],
            "duration_s": pd.array([pd.NA] * len(msgs), dtype="Int64"),
            "file": rel,
            "table": "messages",
            "row": msgs["msg_id"],
        }
    )


def _contact_names(ext, region) -> dict:
    try:
        contacts = _contacts_table(ext, region)
    except DeviceError:
        return {}
    return dict(zip(contacts["number"], contacts["name"]))


def _contacts_table(ext, region):
    import pandas as pd

    data = ext.table("contacts2.db", "data")
    mimes = ext.table("contacts2.db", "mimetypes")
    raw = ext.table("contacts2.db", "raw_contacts")
    mime = dict(zip(mimes["_id"], mimes["mimetype"]))
    data = data.assign(mimetype=data["mimetype_id"].map(mime))
    phones = data[data["mimetype"].str.endswith("/phone_v2", na=False)]
    out = pd.DataFrame(
        {
            "contact_id": phones["raw_contact_id"].values,
            "number_as_saved": phones["data1"].values,
            "number": _norm_series(phones["data1"], region).values,
            "file": phones["_file"].values,
            "table": "data",
            "row": phones["_row"].values,
        }
    )
    out["name"] = out["contact_id"].map(dict(zip(raw["_id"], raw["display_name"])))
    return out


# ---------------------------------------------------------------------------------------------
# Contacts, graph, selectors
# ---------------------------------------------------------------------------------------------


def contact_frequency(tl):
    """Events per counterpart: calls, SMS, messages, total, first and last (UTC), name.

    >>> import pandas as pd
    >>> contact_frequency(pd.DataFrame())
    Traceback (most recent call last):
    ...
    osintlab.device.DeviceError: contact_frequency needs a timeline from device.timeline() (missing columns: counterpart, kind, utc, counterpart_name)
    """
    import pandas as pd

    _need(tl, ["counterpart", "kind", "utc", "counterpart_name"], "contact_frequency")
    counts = pd.crosstab(tl["counterpart"], tl["kind"])
    for k in ("call", "sms", "message"):
        if k not in counts:
            counts[k] = 0
    counts = counts[["call", "sms", "message"]].rename(
        columns={"call": "calls", "message": "messages"}
    )
    counts["total"] = counts.sum(axis=1)
    g = tl.groupby("counterpart")
    counts["first_utc"] = g["utc"].min()
    counts["last_utc"] = g["utc"].max()
    counts["name"] = g["counterpart_name"].agg(
        lambda s: next((x for x in s if isinstance(x, str) and x), None)
    )
    counts = counts.sort_values(["total", "calls"], ascending=False)
    counts.index.name = "counterpart"
    return counts.reset_index()


def _need(df, cols, where):
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise DeviceError(f"{where} needs a DataFrame, not {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise DeviceError(
            f"{where} needs a timeline from device.timeline() (missing columns: "
            f"{', '.join(missing)})"
        )


def communication_graph(tl, owner: str = "phone owner", min_events: int = 1):
    """A networkx graph: the phone's owner linked to every counterpart with at least
    ``min_events`` events; group members are also linked to their group. Edge attributes:
    ``weight`` (events), ``kinds``; node attributes: ``name``, ``kind`` (owner/number/group)."""
    import networkx as nx

    _need(tl, ["counterpart", "kind", "counterpart_name", "file", "row"], "communication_graph")
    if not isinstance(min_events, int) or min_events < 1:
        raise DeviceError(f"min_events must be a whole number >= 1, not {min_events!r}")
    g = nx.Graph()
    g.add_node(owner, name=owner, kind="owner")
    freq = contact_frequency(tl)
    for r in freq.itertuples():
        if r.total < min_events:
            continue
        kind = "group" if str(r.counterpart).startswith(("group:", "channel:")) else "number"
        name = r.name if isinstance(r.name, str) and r.name else str(r.counterpart)
        g.add_node(r.counterpart, name=name, kind=kind)
        kinds = [k for k, n in (("call", r.calls), ("sms", r.sms), ("message", r.messages)) if n]
        g.add_edge(owner, r.counterpart, weight=int(r.total), kinds=kinds)
    return g


def extract_selectors(ext: Extraction, tl=None):
    """Selectors on the phone with where they were found: phone numbers (contacts, E.164),
    messenger usernames and phone numbers, e-mail addresses, and crypto wallets in texts.

    Returns a DataFrame (selector, kind, file, table, row, context)."""
    import pandas as pd

    if not isinstance(ext, Extraction):
        raise DeviceError("extract_selectors needs an Extraction from open_extraction()")
    region = _region(ext)
    rows = []
    try:
        contacts = _contacts_table(ext, region)
        for r in contacts.itertuples():
            if str(r.number).startswith("+"):
                rows.append((r.number, "phone", r.file, r.table, r.row, f"contact {r.name}"))
    except DeviceError:
        pass
    try:
        users = ext.table("paigham.db", "users")
        for r in users.itertuples():
            num = _norm_series([r.phone], region).iloc[0]
            if isinstance(num, str) and num.startswith("+"):
                rows.append((num, "phone", r._1, "users", r._3, f"messenger user {r.display_name}"))
            if isinstance(r.username, str) and r.username:
                rows.append(
                    (
                        r.username.lstrip("@").lower(),
                        "handle",
                        r._1,
                        "users",
                        r._3,
                        f"messenger user {r.display_name}",
                    )
                )
    except DeviceError:
        pass
    if tl is None:
        tl = timeline(ext)
    texts = tl.dropna(subset=["text"])
    for chain, pat in WALLET_PATTERNS.items():
        hits = texts["text"].str.findall(pat)
        for (_, r), found in zip(texts.iterrows(), hits):
            for addr in found:
                rows.append(
                    (addr, f"wallet_{chain}", r["file"], r["table"], r["row"], str(r["text"])[:80])
                )
        del hits
    email = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
    for r in texts.itertuples():
        for addr in email.findall(str(r.text)):
            rows.append((addr.lower(), "email", r.file, r.table, r.row, str(r.text)[:80]))
    df = pd.DataFrame(rows, columns=["selector", "kind", "file", "table", "row", "context"])
    return df.drop_duplicates(["selector", "kind", "file", "table", "row"]).reset_index(drop=True)


def cross_reference(selectors, known, region: str = "PK"):
    """Match the phone's selectors against selectors the case already holds.

    ``known`` is a DataFrame with columns ``selector``, ``kind`` (phone/handle/wallet) and
    ``source`` (e.g. ``device/case_selectors.csv``). Phones are compared in E.164, handles
    case-insensitively without ``@``, wallets exactly. Returns one row per match: selector,
    kind, where on the phone (file, table, row, context) and the known ``source``.
    A match is a lead that links two records, not proof of who used them.
    """
    import pandas as pd

    _need(selectors, ["selector", "kind", "file", "table", "row"], "cross_reference")
    if not isinstance(known, pd.DataFrame) or not {"selector", "kind", "source"} <= set(
        known.columns
    ):
        raise DeviceError(
            "cross_reference needs `known` as a DataFrame with columns selector, kind, source"
        )
    k = known.copy()
    k["key"] = [_key(s, kd, region) for s, kd in zip(k["selector"], k["kind"])]
    s = selectors.copy()
    s["key"] = [_key(x, kd, region) for x, kd in zip(s["selector"], s["kind"])]
    cols = ["selector", "kind", "file", "table", "row"] + (["context"] if "context" in s else [])
    out = s[cols + ["key"]].merge(
        k[["key", "source"] + [c for c in ("account_id",) if c in k]], on="key"
    )
    return out.drop(columns="key").drop_duplicates().reset_index(drop=True)


def _key(value, kind, region):
    kind = str(kind)
    value = str(value).strip()
    if kind == "phone":
        try:
            return "phone:" + (normalise_number(value, region) or value)
        except DeviceError:
            return "phone:" + value
    if kind == "handle":
        return "handle:" + value.lstrip("@").casefold()
    if kind.startswith("wallet"):
        return "wallet:" + value
    return f"{kind}:{value.casefold()}"


# ---------------------------------------------------------------------------------------------
# Photos
# ---------------------------------------------------------------------------------------------


def _gps(gps: dict):
    try:

        def deg(v):
            d, m, s = (float(x) for x in v)
            return d + m / 60 + s / 3600

        lat = deg(gps[2]) * (-1 if gps.get(1) == "S" else 1)
        lon = deg(gps[4]) * (-1 if gps.get(3) == "W" else 1)
        return round(lat, 5), round(lon, 5)
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None, None


def photo_metadata(ext: Extraction):
    """EXIF of every JPEG in the extraction, with the UTC time where it can be known.

    EXIF ``DateTimeOriginal`` is the camera's local wall clock. The UTC time is computed from
    ``OffsetTimeOriginal`` when present, otherwise from the phone's zone in the extraction
    report — but only for pictures taken by *this* phone (same make and model). Pictures from
    another camera, or without EXIF, get no UTC time and a note saying why.
    """
    import pandas as pd
    from PIL import Image, UnidentifiedImageError

    from .timeutil import to_utc

    if not isinstance(ext, Extraction):
        raise DeviceError("photo_metadata needs an Extraction from open_extraction()")
    dev = ext.report.get("device") or {}
    status = dict(zip(ext.integrity["path"], ext.integrity["status"]))
    rows = []
    for p in sorted(ext.root.rglob("*")):
        if p.suffix.lower() not in {".jpg", ".jpeg"} or not p.is_file():
            continue
        rel = p.relative_to(ext.root).as_posix()
        row = {
            "file": rel,
            "integrity": status.get(rel, "unlisted"),
            "make": None,
            "model": None,
            "serial": None,
            "datetime_original": None,
            "offset": None,
            "lat": None,
            "lon": None,
            "utc": pd.NaT,
            "zone_used": None,
            "note": "",
        }
        try:
            with Image.open(p) as img:
                exif = img.getexif()
                sub = exif.get_ifd(0x8769)
                gps = exif.get_ifd(0x8825)
        except (UnidentifiedImageError, OSError) as exc:
            row["note"] = f"cannot read image ({exc})"
            rows.append(row)
            continue
        row.update(
            make=exif.get(0x010F),
            model=exif.get(0x0110),
            serial=sub.get(0xA431),
            datetime_original=sub.get(0x9003) or exif.get(0x0132),
            offset=sub.get(0x9011),
        )
        row["lat"], row["lon"] = _gps(gps) if gps else (None, None)
        if not row["datetime_original"]:
            row["note"] = (
                "no EXIF time (stripped, e.g. by a messenger): use the file's "
                "record in the app database instead"
            )
        else:
            stamp = str(row["datetime_original"]).replace(":", "-", 2)
            same = (row["make"], row["model"]) == (dev.get("make"), dev.get("model"))
            zone = row["offset"] or (ext.device_tz if same else None)
            if zone is None:
                row["note"] = (
                    f"taken by another camera ({row['make']} {row['model']}): its "
                    "clock zone is unknown, so no UTC time is given"
                )
            else:
                try:
                    row["utc"] = pd.Timestamp(to_utc(stamp, zone))
                    row["zone_used"] = zone
                    row["note"] = (
                        "offset from EXIF"
                        if row["offset"]
                        else "zone from the extraction report (phone setting)"
                    )
                except ValueError as exc:
                    row["note"] = f"time not usable: {exc}"
        rows.append(row)
    df = pd.DataFrame(
        rows,
        columns=[
            "file",
            "integrity",
            "make",
            "model",
            "serial",
            "datetime_original",
            "offset",
            "lat",
            "lon",
            "utc",
            "zone_used",
            "note",
        ],
    )
    df["utc"] = pd.to_datetime(df["utc"], utc=True)
    return df


# ---------------------------------------------------------------------------------------------
# Findings with provenance
# ---------------------------------------------------------------------------------------------


def finding(ext: Extraction, record, note: str, examiner: str) -> dict:
    """A finding ready for a report: what was found, by whom, and exactly where.

    ``record`` is a row (Series or dict) with ``file``, ``table`` and ``row`` (as every table of
    this module has). The file's SHA-256 is taken now and compared with the extraction report,
    so the finding says whether the source was intact.
    """
    from .timeutil import utc_iso

    if not isinstance(ext, Extraction):
        raise DeviceError("finding needs an Extraction from open_extraction()")
    if not isinstance(note, str) or not note.strip():
        raise DeviceError("finding needs a note saying what the record shows")
    if not isinstance(examiner, str) or not examiner.strip():
        raise DeviceError("finding needs the examiner's name")
    rec = dict(record) if not hasattr(record, "to_dict") else record.to_dict()
    missing = [k for k in ("file", "table", "row") if k not in rec]
    if missing:
        raise DeviceError(
            f"record lacks provenance {missing}: pass a row of a device table "
            "(timeline, selectors, cross_reference, photo_metadata)"
        )
    target = ext.root.joinpath(*PurePosixPath(str(rec["file"])).parts)
    if not target.is_file():
        raise DeviceError(f"record's file {rec['file']!r} is not in the extraction")
    listed = {e.get("path"): e.get("sha256") for e in ext.report.get("files", [])}
    now = sha256_file(target)

    def plain(v):
        if hasattr(v, "isoformat") and getattr(v, "tzinfo", None) is not None:
            return v.isoformat()
        if hasattr(v, "item"):
            return v.item()
        if v != v:  # NaN / NaT
            return None
        return v

    return {
        "case_ref": ext.report.get("case_ref"),
        "exhibit_ref": ext.report.get("exhibit_ref"),
        "device_imei": (ext.report.get("device") or {}).get("imei"),
        "file": str(rec["file"]),
        "table": rec["table"],
        "row": plain(rec["row"]),
        "file_sha256": now,
        "file_matches_report": listed.get(str(rec["file"])) == now,
        "record": {
            k: plain(v)
            for k, v in rec.items()
            if k not in ("file", "table", "row") and not str(k).startswith("_")
        },
        "note": note.strip(),
        "examiner": examiner.strip(),
        "recorded_utc": utc_iso(datetime.now(UTC)),
    }


def export_findings(findings: list[dict], path) -> Path:
    """Write findings (from :func:`finding`) to a JSON file and return its path."""
    if not isinstance(findings, list) or not all(isinstance(f, dict) for f in findings):
        raise DeviceError("export_findings needs a list of findings made with finding()")
    for i, f in enumerate(findings):
        missing = [k for k in ("file", "table", "row", "file_sha256", "note") if k not in f]
        if missing:
            raise DeviceError(f"finding {i} lacks {missing}: make it with device.finding()")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        json.dumps({"findings": findings}, ensure_ascii=False, indent=1, default=str) + "\n",
        encoding="utf-8",
    )
    return target
