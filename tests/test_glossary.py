"""The glossary: one data file (src/osintlab/resources/glossary.csv) with at least 80 complete
terms in English, Urdu (Arabic script with Urdu letters) and Bengali (Bengali script), rendered
to docs/glossary.md and course/glossary.ipynb, and linked from the opening cell of every lesson."""

from pathlib import Path

import nbformat
import pytest

from osintlab.trainer.glossary import REQUIRED, glossary_markdown, glossary_notebook, load_glossary

ROOT = Path(__file__).resolve().parents[1]
ROWS = load_glossary()
# Arabic letters that look like Urdu ones but are not what an Urdu keyboard types:
# yeh, kaf, heh, alef maksura, teh marbuta (Urdu: ی ک ہ/ھ ی ت).
NOT_URDU = {"\u064a": "ي", "\u0643": "ك", "\u0647": "ه", "\u0649": "ى", "\u0629": "ة"}


def _in(ch: str, lo: int, hi: int) -> bool:
    return lo <= ord(ch) <= hi


def test_at_least_80_complete_terms_each_once():
    assert len(ROWS) >= 80
    assert all((row[c] or "").strip() for row in ROWS for c in REQUIRED)
    terms = [r["term"].lower() for r in ROWS]
    assert len(terms) == len(set(terms)), "a term appears twice"


@pytest.mark.parametrize("row", ROWS, ids=[r["term"] for r in ROWS])
def test_scripts(row):
    urdu, bengali = row["urdu"], row["bengali"]
    assert any(_in(c, 0x0600, 0x06FF) for c in urdu), "Urdu must be in Arabic script"
    wrong = [NOT_URDU[c] for c in urdu if c in NOT_URDU]
    assert not wrong, f"Arabic letters {wrong} instead of Urdu ی ک ہ in {urdu!r}"
    assert any(_in(c, 0x0980, 0x09FF) for c in bengali), "Bengali must be in Bengali script"
    assert not any(_in(c, 0x0900, 0x097F) or _in(c, 0x0600, 0x06FF) for c in bengali)
    assert not any(_in(c, 0x0980, 0x09FF) for c in urdu)
    assert row["definition"].endswith("."), "a definition is one sentence ending in a full stop"
    assert "\n" not in row["definition"] and len(row["definition"]) <= 200


def test_the_pages_agree_with_the_data_file():
    """Regenerate with `python -m osintlab.trainer.glossary` after editing the CSV."""
    md = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    assert md == glossary_markdown(ROWS)
    have = nbformat.read(ROOT / "course" / "glossary.ipynb", as_version=4)
    want = glossary_notebook(ROWS)
    assert [c.source for c in have.cells] == [c.source for c in want.cells]
    assert all(c.cell_type == "markdown" for c in have.cells)
    for row in ROWS:
        assert row["urdu"].replace("|", "\\|") in md and row["bengali"] in md


def test_every_lesson_links_the_glossary_in_its_opening_cell():
    lessons = sorted((ROOT / "course").glob("[0-9][0-9]-*.ipynb"))
    assert len(lessons) >= 9
    for path in lessons:
        nb = nbformat.read(path, as_version=4)
        first = next(c for c in nb.cells if c.cell_type == "markdown")
        assert "](glossary.ipynb)" in first.source, path.name


def test_load_glossary_names_an_incomplete_row(tmp_path):
    bad = tmp_path / "g.csv"
    bad.write_text(
        "term,module,definition,urdu,bengali,note\nhash,01,A fingerprint.,,হ্যাশ,\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match=r"line 2 \('hash'\): empty \['urdu'\]"):
        load_glossary(bad)
