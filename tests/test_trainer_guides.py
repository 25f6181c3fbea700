"""Every module has its trainer's guide in docs/trainers/NN-slug.md with the agreed sections,
indexed from docs/trainers/README.md and kept out of the trainees' releases (exercises/)."""

import re
from pathlib import Path

import pytest

from osintlab import MODULES

ROOT = Path(__file__).resolve().parents[1]
GUIDES = ROOT / "docs" / "trainers"
SECTIONS = (
    "Timing",
    "Learning outcomes",
    "Discussion prompts",
    "Common mistakes and how to address them",
    "Emphasis by agency",
    "Running the exercise",
)
AGENCIES = ("Cybercrime", "Anti-trafficking", "Immigration", "Telecom")


def _sections(text: str) -> dict[str, str]:
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return {title.strip(): body for title, body in zip(parts[1::2], parts[2::2])}


@pytest.mark.parametrize("module", MODULES)
def test_every_module_has_its_guide_with_every_section(module):
    path = GUIDES / f"{module}.md"
    assert path.is_file(), f"missing trainer's guide {path.relative_to(ROOT)}"
    sections = _sections(path.read_text(encoding="utf-8"))
    for title in SECTIONS:
        assert title in sections, f"{path.name}: no '## {title}' section"
        assert len(sections[title].split()) >= 40, f"{path.name}: '{title}' is a stub"
    for agency in AGENCIES:
        assert re.search(rf"\*\*{agency}", sections["Emphasis by agency"]), (
            f"{path.name}: nothing for {agency}"
        )
    run = sections["Running the exercise"]
    assert "### In a workshop" in run and "### For self-study" in run
    assert re.search(r"\|\s*\d:\d\d", sections["Timing"]), "timing has no schedule table"


def test_the_index_links_every_guide():
    index = (GUIDES / "README.md").read_text(encoding="utf-8")
    for module in MODULES:
        assert f"]({module}.md)" in index


def test_guides_are_not_in_the_trainees_release():
    released = [p for p in (ROOT / "exercises").rglob("*") if p.is_file()]
    assert not [p for p in released if "trainer" in p.name.lower() or p.suffix == ".md"]
