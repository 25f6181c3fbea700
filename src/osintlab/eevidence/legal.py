"""The course's legal facts register: every legal fact the course states, once, with its source.

Lessons, exercises and toolkit messages cite a fact by its id instead of restating it, so the
next correction is made in one place (``resources/legal_facts.csv``; ``docs/legal-facts.md`` is
generated from it). Each fact carries its ``jurisdiction`` (PK, BD, US, EU, INT, PROVIDER,
PRACTICE), the ``source`` it was read in, the ``as_of`` date of that source (or the date the
stored copy was read, when the source is undated; ``as_of`` is YYYY-MM-DD, or YYYY-MM / YYYY
where the source gives only a month or year) and a ``status``:

* ``PRIMARY`` — read in the statute, treaty, judgment, official text or the provider's own page;
* ``SECONDARY`` — read in a reputable summary (press, law firm, official's slides): verify
  before you rely on it in a request or in court;
* ``UNVERIFIED`` — not found, or an inference: taught as *not verified*, never as fact.

What an investigator does -> which function:

* look up one fact before citing it -> :func:`legal_fact`
* show a handful of facts in a lesson, with status -> :func:`cite_facts`
* compare facts in a table (by jurisdiction or topic) -> :func:`facts_table`
* print the whole register for a trainer -> :func:`register_markdown`, :func:`write_register`

    >>> f = legal_fact("us-2711-4")
    >>> f.status, f.jurisdiction
    ('PRIMARY', 'US')
    >>> legal_fact("pk-nccia-who-signs").status
    'UNVERIFIED'
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

__all__ = [
    "LegalFact",
    "LegalFactError",
    "STATUSES",
    "legal_fact",
    "legal_facts",
    "cite_facts",
    "facts_table",
    "register_markdown",
    "write_register",
]

STATUSES = ("PRIMARY", "SECONDARY", "UNVERIFIED")
JURISDICTIONS = {
    "PK": "Pakistan",
    "BD": "Bangladesh",
    "US": "United States",
    "EU": "European Union",
    "INT": "International instruments and standards",
    "PROVIDER": "Providers' published policies",
    "PRACTICE": "Practice",
}
_COLUMNS = ("id", "jurisdiction", "topic", "fact", "source", "as_of", "status")
_LABEL = {
    "PRIMARY": "primary source",
    "SECONDARY": "secondary source — verify before relying on it",
    "UNVERIFIED": "NOT VERIFIED — check before you rely on it",
}


class LegalFactError(KeyError):
    """An unknown fact id (the message suggests close ids)."""

    def __str__(self) -> str:  # KeyError would print the repr
        return str(self.args[0])


@dataclass(frozen=True)
class LegalFact:
    id: str
    jurisdiction: str
    topic: str
    fact: str
    source: str
    as_of: str
    status: str

    def cite(self) -> str:
        """The fact with its source, date and status, as one line of text."""
        return f"{self.fact} [{self.id}; {self.source}; as of {self.as_of}; {_LABEL[self.status]}]"

    def as_dict(self) -> dict:
        return asdict(self)

    def _repr_markdown_(self) -> str:
        return _bullet(self)


def _read(text: str) -> dict[str, LegalFact]:
    out: dict[str, LegalFact] = {}
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != _COLUMNS:
        raise ValueError(f"legal_facts.csv columns {reader.fieldnames} != {list(_COLUMNS)}")
    for n, row in enumerate(reader, start=2):
        if row["id"] in out:
            raise ValueError(f"legal_facts.csv line {n}: duplicate id {row['id']!r}")
        if row["status"] not in STATUSES:
            raise ValueError(
                f"legal_facts.csv line {n}: status {row['status']!r} is not one of "
                f"{', '.join(STATUSES)}"
            )
        if row["jurisdiction"] not in JURISDICTIONS:
            raise ValueError(f"legal_facts.csv line {n}: jurisdiction {row['jurisdiction']!r}")
        if not all((row[c] or "").strip() for c in _COLUMNS):
            raise ValueError(f"legal_facts.csv line {n}: every column needs a value")
        out[row["id"]] = LegalFact(**{c: row[c].strip() for c in _COLUMNS})
    return out


@lru_cache(maxsize=1)
def legal_facts() -> dict[str, LegalFact]:
    """Every fact of the register, by id (read once from the package's resources)."""
    text = (
        resources.files("osintlab")
        .joinpath("resources/legal_facts.csv")
        .read_text(encoding="utf-8")
    )
    return _read(text)


def legal_fact(fact_id: str) -> LegalFact:
    """One fact by id; an unknown id raises :class:`LegalFactError` naming close ids.

    >>> legal_fact("prov-tiktok-entity").fact.startswith("TikTok answers through TikTok Pte. Ltd.")
    True
    """
    facts = legal_facts()
    if not isinstance(fact_id, str) or fact_id not in facts:
        import difflib

        near = difflib.get_close_matches(str(fact_id), list(facts), n=3)
        raise LegalFactError(
            f"unknown legal fact {fact_id!r}"
            + (f"; did you mean {', '.join(near)}?" if near else "")
        )
    return facts[fact_id]


def _bullet(f: LegalFact) -> str:
    mark = "**NOT VERIFIED** — " if f.status == "UNVERIFIED" else ""
    return (
        f"- {mark}{f.fact}  \n  <small>`{f.id}` · {f.source} · as of {f.as_of} · "
        f"{_LABEL[f.status]}</small>"
    )


class FactList(list):
    """A list of :class:`LegalFact` that a notebook shows as a cited bullet list."""

    def _repr_markdown_(self) -> str:
        return "\n".join(_bullet(f) for f in self)

    def __str__(self) -> str:
        return "\n".join("- " + f.cite() for f in self)


def cite_facts(ids) -> FactList:
    """The facts with these ids, in this order, for display in a lesson.

    >>> [f.status for f in cite_facts(["us-2703f", "us-2711-4"])]
    ['PRIMARY', 'PRIMARY']
    """
    if isinstance(ids, str):
        ids = [ids]
    return FactList(legal_fact(i) for i in ids)


def facts_table(ids=None, *, jurisdiction: str | None = None, topic: str | None = None):
    """The register (or the facts with ``ids``, or of one ``jurisdiction`` / ``topic``) as a
    DataFrame with columns id, jurisdiction, topic, fact, source, as_of, status."""
    import pandas as pd

    rows = list(cite_facts(ids)) if ids is not None else list(legal_facts().values())
    if jurisdiction is not None:
        if jurisdiction not in JURISDICTIONS:
            raise ValueError(
                f"jurisdiction {jurisdiction!r} is not one of {', '.join(JURISDICTIONS)}"
            )
        rows = [f for f in rows if f.jurisdiction == jurisdiction]
    if topic is not None:
        rows = [f for f in rows if f.topic == topic]
    return pd.DataFrame([f.as_dict() for f in rows], columns=list(_COLUMNS))


def register_markdown() -> str:
    """The whole register as Markdown (the text of ``docs/legal-facts.md``)."""
    facts = list(legal_facts().values())
    counts = {s: sum(f.status == s for f in facts) for s in STATUSES}
    lines = [
        "# Legal facts register",
        "",
        "<!-- Generated from src/osintlab/resources/legal_facts.csv by "
        "osintlab.eevidence.legal.write_register('docs/legal-facts.md'); "
        "do not edit by hand. -->",
        "",
        "Every legal fact the course states, once, with its source, the date of that source "
        "(or, for an undated source, the date the stored copy was read) and its status. "
        "``as_of`` is YYYY-MM-DD, or YYYY-MM / YYYY where the source gives only a month "
        "or year. "
        "Lessons cite facts by id (`osintlab.eevidence.cite_facts([...])`, or `[fact id]` "
        "in the text). The trainee is a Pakistani or Bangladeshi officer: each rule is "
        "stated from that requester's side.",
        "",
        "- **PRIMARY**: read in the statute, treaty, judgment, official text or the "
        "provider's own page.",
        "- **SECONDARY**: read in a reputable summary — verify before relying on it.",
        "- **UNVERIFIED**: not found, or an inference — taught as *not verified*.",
        "",
        f"{len(facts)} facts: " + ", ".join(f"{counts[s]} {s}" for s in STATUSES) + ".",
        "",
        "Policies and laws change: check the current text before you send a request "
        "or cite a provision in court.",
        "",
    ]
    for code, title in JURISDICTIONS.items():
        group = [f for f in facts if f.jurisdiction == code]
        if not group:
            continue
        lines += [
            f"## {title} ({code})",
            "",
            "| id | fact | source | as of | status |",
            "|---|---|---|---|---|",
        ]
        for f in group:
            cell = lambda s: s.replace("|", "\\|")  # noqa: E731
            lines.append(
                f"| `{f.id}` | {cell(f.fact)} | {cell(f.source)} | {f.as_of} | {f.status} |"
            )
        lines.append("")
    return "\n".join(lines)


def write_register(path) -> Path:
    """Write :func:`register_markdown` to ``path`` (e.g. ``docs/legal-facts.md``)."""
    path = Path(path)
    path.write_text(register_markdown(), encoding="utf-8", newline="\n")
    return path
