"""Every legal citation a lesson or exercise states is backed by the legal facts register (issue 17).

A markdown cell that cites a statute, regulation or treaty by name and year ("Act 2018",
"Regulation (EU) 2024/1689"), a provision ("s. 31", "ss.6", "§ 2703", "Art. 18") or an
abbreviated statute with a section ("PTPA 2018 s.8") must also cite at least one fact of the
register in that same cell (``[fact <id>]``), and every id it cites must exist. The glossary is
generated from ``docs/glossary.md`` and names instruments without stating rules; it is left out.
Code cells (widgets, quizzes) are not scanned: their legal text comes from the toolkit, whose
messages cite the register in their docstrings.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from osintlab import eevidence as ee
from osintlab import victims

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = [
    p
    for p in sorted(ROOT.glob("course/*.ipynb")) + sorted(ROOT.glob("solutions/*/*.ipynb"))
    if p.stem != "glossary"
]

_STATUTE = r"(?:Act|Ordinance|Order|Regulation|Rules|Convention|Protocol|Directive|Code)"
LEGAL_CITATION = re.compile(
    rf"\b{_STATUTE},?\s+(?:\(EU\)\s+)?\d{{4}}(?:/\d+)?"  # Act 2018, Regulation (EU) 2023/1543
    r"|(?<![\w.])(?:ss?\.|§|Arts?\.|Articles?)[ \t\u00a0]*(?:\n[ \t\u00a0]*)?\d+"  # s. 31, ss.6, Art.\n18
    r"|\b(?:PECA|PTPA|PSMA|PSHTA|OEMA|QSO|ETO|UNTOC|PPC|CrPC|DSA)\s+(?:\d{4}\s+)?"
    r"(?:ss?\.|sections?)\s*\d+"  # PTPA 2018 s.8, PECA section 31
    r"|\bAI Act\b"
)
FACT_TAG = re.compile(r"\[fact ([a-z0-9.-]+)\]")


def uncited_citations(markdown: str) -> list[str]:
    """The legal citations of one markdown cell when the cell cites no register fact."""
    if FACT_TAG.search(markdown):
        return []
    return [m.group(0) for m in LEGAL_CITATION.finditer(markdown)]


def test_the_detector_finds_an_uncited_citation_and_accepts_a_cited_one():
    assert uncited_citations("Preserve under PECA 2016 s. 31 through the NCCIA.") == [
        "PECA 2016 s. 31"
    ]
    assert uncited_citations("The EU AI Act classes it as high-risk.") == ["AI Act"]
    assert uncited_citations("See the Evidence (Amendment) Act 2022.") == ["Act 2022"]
    assert uncited_citations("PECA 2016 s. 31 [fact pk-peca-s31].") == []
    assert uncited_citations("Lesson section 3 and module 01, section 3b.") == []
    # a sentence ending in "...s." before a numbered list is not a section number
    assert uncited_citations("decide it for the partner's.\n\n1. Read both files.") == []
    assert uncited_citations("under PECA s.\n31 through the NCCIA") == ["PECA s.\n31"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[f"{p.parent.name}/{p.stem}" for p in NOTEBOOKS])
def test_every_legal_citation_cites_the_register(path):
    ids = set(ee.legal_facts())
    problems = []
    for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
        if cell.cell_type != "markdown":
            continue
        unknown = set(FACT_TAG.findall(cell.source)) - ids
        if unknown:
            problems.append(f"cell {i}: unknown fact ids {sorted(unknown)}")
        found = uncited_citations(cell.source)
        if found:
            problems.append(f"cell {i}: cites {found[:4]} but no [fact <id>] of the register")
    assert not problems, f"{path.relative_to(ROOT)}: " + "; ".join(problems)


def test_victim_facts_are_in_the_register():
    """Issue 18: indicators, referral, non-punishment and the CSAM channels are register facts."""
    facts = ee.legal_facts()
    for fid in [
        "int-ilo-indicators",
        "int-ohchr-p7",
        "int-who-interview",
        "pk-ptpa-s6-s7",
        "pk-referral-hotline",
        "pk-referral-sops",
        "bd-ctc",
        "bd-999",
        "bd-pshta-nonpunish",
        "pk-peca-s22",
        "pk-csam-iwf",
        "bd-csam-cid",
    ]:
        assert fid in facts, fid
    ilo = facts["int-ilo-indicators"].fact.casefold()
    missing = [name for name in victims.ILO_INDICATORS if name not in ilo]
    assert not missing, f"victims.ILO_INDICATORS not in the register's ILO fact: {missing}"
    assert len(victims.ILO_INDICATORS) == 11


def test_financial_intelligence_units_of_both_countries():
    facts = ee.legal_facts()
    assert "FMU" in facts["pk-fmu"].fact and "BFIU" in facts["bd-bfiu"].fact


GUIDES = sorted(ROOT.glob("docs/trainers/*.md"))


def _guide_units(text: str) -> list[str]:
    """Paragraphs of a trainer's guide; a table is checked row by row."""
    units = []
    for para in re.split(r"\n\s*\n", text):
        units.extend(para.splitlines() if para.lstrip().startswith("|") else [para])
    return units


@pytest.mark.parametrize("path", GUIDES, ids=[p.stem for p in GUIDES])
def test_trainer_guides_cite_the_register_too(path):
    """A trainer repeats what the guide says: its legal citations are register facts as well."""
    ids = set(ee.legal_facts())
    problems = []
    for unit in _guide_units(path.read_text(encoding="utf-8")):
        unknown = set(FACT_TAG.findall(unit)) - ids
        if unknown:
            problems.append(f"unknown fact ids {sorted(unknown)}")
        found = uncited_citations(unit)
        if found:
            problems.append(f"cites {found[:4]} but no [fact <id>]: {unit[:80]!r}")
    assert not problems, f"{path.relative_to(ROOT)}: " + "; ".join(problems)
