"""Prove that generated data is safe data: no identifier may point at a real person or company.

Scans text for e-mail addresses, host names, IP addresses and phone numbers and reports any
that fall outside the reserved ranges of docs/architecture.md. Real providers may appear only as the
*sources* of published policies, so their documentation hosts are allow-listed by name.

    >>> scan_text("write to a@b.example or call +92 321 5551234")
    []
    >>> scan_text("mail x@gmail.com")
    ["e-mail domain 'gmail.com' is not reserved"]
"""

from __future__ import annotations

import ipaddress
import re
import sqlite3
from pathlib import Path

from . import identifiers as ids

#: Documentation hosts of real providers and authorities, allowed as citations only.
CITATION_HOSTS = {
    "about.meta.com",
    "www.facebook.com",
    "facebook.com",
    "transparency.meta.com",
    "telegram.org",
    "www.tiktok.com",
    "tiktok.com",
    "support.google.com",
    "policies.google.com",
    "www.whatsapp.com",
    "faq.whatsapp.com",
    "www.microsoft.com",
    "www.justice.gov",
    "www.unodc.org",
    "sherloc.unodc.org",
    "www.coe.int",
    "rm.coe.int",
    "www.ohchr.org",
    "www.fia.gov.pk",
    "beoe.gov.pk",
    "www.beoe.gov.pk",
    "bmet.gov.bd",
    "www.bmet.gov.bd",
    "www.pakistancode.gov.pk",
    "pakistancode.gov.pk",
    "bdlaws.minlaw.gov.bd",
    "humanrights.berkeley.edu",
    "www.law.berkeley.edu",
    "www.iom.int",
    "www.ilo.org",
    "www.polarislab.org",
    "www.interpol.int",
    "www.europol.europa.eu",
    "eur-lex.europa.eu",
    "www.fatf-gafi.org",
    "www.congress.gov",
    "www.legislation.gov.uk",
    "bitcoin.org",
    "github.com",
    "tronprotocol.github.io",
    "developers.tron.network",
    "en.bitcoin.it",
    "www.naturalearthdata.com",
    "naturalearthdata.com",
    "exiftool.org",
    "www.cipher.ts",
    "www.pta.gov.pk",
    "pta.gov.pk",
    "www.btrc.gov.bd",
    "www.icrc.org",
    "www.unhcr.org",
    "www.osce.org",
    "www.state.gov",
    "law.justia.com",
    "www.law.cornell.edu",
    "lawenforcement.tiktok.com",
    "www.snap.com",
    "values.snap.com",
}

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
_URL = re.compile(r"(?:https?://|www\.)([A-Za-z0-9.-]+\.[A-Za-z]{2,})", re.I)
_IPV4 = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d.])")
_IPV6 = re.compile(r"(?<![0-9A-Za-z:])([0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})(?![0-9A-Za-z:])")
#: Real messaging link hosts: allowed because the handle or number after them is synthetic
#: (a wa.me number must itself be a safe number; t.me handles are invented).
SERVICE_LINK_HOSTS = {"wa.me", "t.me", "api.whatsapp.com"}
_WA = re.compile(r"wa\.me/\+?(\d{8,15})")
_PHONE = re.compile(r"\+\d[\d \-]{7,16}\d")


def _host_ok(host: str) -> bool:
    host = host.lower().rstrip(".")
    return ids.is_safe_domain(host) or host in CITATION_HOSTS


def scan_text(text: str) -> list[str]:
    """Problems found in ``text`` (one line each; empty when everything is safe)."""
    problems = []
    for m in _EMAIL.finditer(text):
        if not _host_ok(m.group(1)):
            problems.append(f"e-mail domain {m.group(1)!r} is not reserved")
    for m in _URL.finditer(text):
        if m.group(1).lower() in SERVICE_LINK_HOSTS:
            continue
        if not _host_ok(m.group(1)):
            problems.append(f"web host {m.group(1)!r} is not reserved")
    for m in _IPV4.finditer(text):
        parts = m.group(1).split(".")
        if all(int(p) <= 255 for p in parts) and not ids.is_safe_ip(m.group(1)):
            problems.append(f"IP address {m.group(1)} is outside the documentation ranges")
    for m in _IPV6.finditer(text):
        cand = m.group(1)
        if "::" not in cand and cand.count(":") < 5:
            continue  # clock times such as 19:45:00
        try:
            ipaddress.IPv6Address(cand)
        except ValueError:
            continue
        if not ids.is_safe_ip(cand):
            problems.append(f"IPv6 address {cand} is outside 2001:db8::/32")
    for m in _WA.finditer(text):
        if not ids.is_safe_phone("+" + m.group(1)):
            problems.append(f"wa.me link to +{m.group(1)}, which is not a synthetic number")
    for m in _PHONE.finditer(text):
        digits = "+" + re.sub(r"\D", "", m.group(0))
        if not ids.is_safe_phone(digits):
            problems.append(
                f"phone number {m.group(0)} does not follow a fiction/synthetic pattern"
            )
    return problems


def scan_datasets(folder: str | Path) -> list[str]:
    """Scan every text file and SQLite text column under ``folder``; return problems with
    the file they were found in."""
    folder = Path(folder)
    problems = []
    for p in sorted(folder.rglob("*")):
        if not p.is_file() or p.name in {"manifest.json", "answer_keys.json"}:
            continue
        rel = p.relative_to(folder).as_posix()
        if p.suffix.lower() in {".sqlite", ".db"}:
            texts = _sqlite_texts(p)
        elif p.suffix.lower() in {
            ".csv",
            ".json",
            ".jsonl",
            ".html",
            ".txt",
            ".md",
            ".xml",
            ".tsv",
        }:
            texts = [p.read_text(encoding="utf-8", errors="replace")]
        else:
            continue
        for text in texts:
            problems += [f"{rel}: {msg}" for msg in scan_text(text)]
    return problems


def _sqlite_texts(p: Path) -> list[str]:
    # immutable: a WAL-mode database (module 07's messenger) must not get a -shm file written
    # beside it; the main file is scanned, and it holds every row the WAL still shows.
    con = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        out = []
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND sql NOT LIKE '%VIRTUAL%' "
                "AND name NOT LIKE '%_fts%'"
            )
        ]
        for t in tables:
            for row in con.execute(f'SELECT * FROM "{t}"'):
                out += [v for v in row if isinstance(v, str)]
        return ["\n".join(out)]
    finally:
        con.close()
