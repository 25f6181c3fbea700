"""The search log: every search with its UTC time, result count and a hash of the ranked
result list, for reproducibility and disclosure."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .engine import search


def result_hash(urls) -> str:
    """SHA-256 of a ranked result list (URLs joined by newlines), to show later that a search
    gave exactly these results."""
    urls = list(urls)
    if not all(isinstance(u, str) for u in urls):
        raise TypeError("result_hash needs a list of URL strings")
    return hashlib.sha256("\n".join(urls).encode("utf-8")).hexdigest()


@dataclass
class SearchLog:
    """Every search you run, with the UTC time, the number of results and a hash of the ranked
    result list. ``officer`` and ``case_ref`` go into each entry.

    >>> log = SearchLog(officer="Trainee", case_ref="SR-2026-0001")
    >>> hits = log.search("dunki OR donkey")        # doctest: +SKIP
    >>> log.to_frame().columns.tolist()              # doctest: +SKIP
    ['n', 'utc', 'query', 'results', 'result_hash', 'engine', 'officer', 'case_ref']
    """

    officer: str = ""
    case_ref: str = ""
    entries: list = field(default_factory=list)

    def record(self, query: str, urls: list, total: int | None = None) -> dict:
        entry = {
            "n": len(self.entries) + 1,
            "utc": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "query": query,
            "results": len(urls) if total is None else total,
            "result_hash": result_hash(urls),
            "engine": "osintlab offline web",
            "officer": self.officer,
            "case_ref": self.case_ref,
        }
        self.entries.append(entry)
        return entry

    def search(self, query: str, limit: int | None = None):
        """Run :func:`search` and record it (the hash covers the full ranked list)."""
        return search(query, limit=limit, log=self)

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame(
            self.entries,
            columns=[
                "n",
                "utc",
                "query",
                "results",
                "result_hash",
                "engine",
                "officer",
                "case_ref",
            ],
        )

    def save(self, path: str | Path) -> Path:
        """Write the log as CSV (``.csv``) or JSON lines (any other suffix)."""
        path = Path(path)
        if path.suffix.lower() == ".csv":
            self.to_frame().to_csv(path, index=False)
        else:
            path.write_text(
                "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in self.entries),
                encoding="utf-8",
            )
        return path

    def verify(self) -> list[str]:
        """Re-run every logged query; return the entries whose results have changed."""
        problems = []
        for e in self.entries:
            now = search(e["query"])
            if result_hash(now["url"].tolist()) != e["result_hash"]:
                problems.append(f"entry {e['n']} ({e['query']!r}) gives different results now")
        return problems
