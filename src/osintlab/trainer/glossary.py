"""The course glossary: English terms with a plain definition and their Urdu and Bengali
equivalents, kept in one data file and rendered to the pages trainees read.

What a trainer does -> which function:

    read the glossary (one dict per term)              -> load_glossary()
    the page for docs/ (Markdown)                      -> glossary_markdown(rows)
    the page trainees open in JupyterLab, offline      -> glossary_notebook(rows)
    rewrite both after editing the data file           -> ``python -m osintlab.trainer.glossary``

The data file is ``osintlab/resources/glossary.csv`` (UTF-8): ``term, module, definition,
urdu, bengali, note``. ``module`` is the two-digit module where the term is first needed;
``note`` says when a rendering is descriptive rather than an official title.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

GLOSSARY_CSV = Path(__file__).resolve().parents[1] / "resources" / "glossary.csv"
COLUMNS = ("term", "module", "definition", "urdu", "bengali", "note")
REQUIRED = ("term", "module", "definition", "urdu", "bengali")
MODULE_TITLES = {
    "00": "Start here: the case, the law and the victims",
    "01": "Foundations and evidence handling",
    "02": "Social-media investigations",
    "03": "Digital images",
    "04": "Advanced search",
    "05": "Requesting electronic evidence",
    "06": "Following the money on a blockchain",
    "07": "Device triage and AI-assisted screening",
    "08": "Capstone: an inter-agency investigation",
}
INTRO = (
    "# Glossary · لغت · শব্দকোষ\n\n"
    "The terms of the course in English, with a one-line definition and the Urdu and Bengali "
    "words officers use. Where an official term exists (a Bangladeshi Act's Bangla title, an "
    "agency's own name) it is given; otherwise the common word, with the English loan word "
    "in brackets where officers use that. A note marks renderings that are descriptive, not "
    "official. Terms are grouped by the module where you first need them.\n\n"
    "Found a better word, or one missing? Tell your trainer: the list lives in "
    "`src/osintlab/resources/glossary.csv`.\n"
)


def load_glossary(path=None) -> list[dict]:
    """The glossary rows, in file order; raises ValueError naming a row with a missing field.

    >>> rows = load_glossary()
    >>> {"term", "urdu", "bengali"} <= set(rows[0]) and len(rows) >= 80
    True
    """
    path = Path(path) if path else GLOSSARY_CSV
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for n, row in enumerate(rows, start=2):
        missing = [c for c in REQUIRED if not (row.get(c) or "").strip()]
        if missing:
            raise ValueError(f"{path.name} line {n} ({row.get('term')!r}): empty {missing}")
        if row["module"] not in MODULE_TITLES:
            raise ValueError(f"{path.name} line {n}: unknown module {row['module']!r}")
    return rows


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _section(module: str, rows: list[dict]) -> str:
    """One module's terms as a Markdown table (Urdu marked right-to-left)."""
    lines = [
        f"## {module} · {MODULE_TITLES[module]}",
        "",
        "| English | What it means | اردو (Urdu) | বাংলা (Bengali) |",
        "|---|---|---|---|",
    ]
    for r in rows:
        meaning = r["definition"] + (f" *{r['note']}*" if r.get("note") else "")
        lines.append(
            f"| **{_cell(r['term'])}** | {_cell(meaning)} | "
            f'<span dir="rtl" lang="ur">{_cell(r["urdu"])}</span> | '
            f'<span lang="bn">{_cell(r["bengali"])}</span> |'
        )
    return "\n".join(lines) + "\n"


def _by_module(rows: list[dict]) -> list[tuple[str, list[dict]]]:
    return [
        (m, [r for r in rows if r["module"] == m])
        for m in MODULE_TITLES
        if any(r["module"] == m for r in rows)
    ]


def glossary_markdown(rows: list[dict]) -> str:
    """The glossary page for docs/glossary.md.

    >>> md = glossary_markdown([{"term": "hash", "module": "01", "definition": "A fingerprint.",
    ...                         "urdu": "ہیش", "bengali": "হ্যাশ", "note": ""}])
    >>> "| **hash** | A fingerprint. |" in md
    True
    """
    return "\n".join([INTRO] + [_section(m, rs) for m, rs in _by_module(rows)])


def glossary_notebook(rows: list[dict]):
    """The same page as a notebook of Markdown cells (no code: it opens without a kernel)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [nbformat.v4.new_markdown_cell(INTRO)] + [
        nbformat.v4.new_markdown_cell(_section(m, rs)) for m, rs in _by_module(rows)
    ]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"glossary-{i:02d}"  # stable ids: regenerating gives the same file
    return nb


def write_glossary(root) -> list[Path]:
    """Rewrite docs/glossary.md and course/glossary.ipynb under the checkout ``root``."""
    import nbformat

    root = Path(root)
    rows = load_glossary()
    md, ipynb = root / "docs" / "glossary.md", root / "course" / "glossary.ipynb"
    md.write_text(glossary_markdown(rows), encoding="utf-8")
    nbformat.write(glossary_notebook(rows), ipynb)
    return [md, ipynb]


if __name__ == "__main__":
    for written in write_glossary(sys.argv[1] if len(sys.argv) > 1 else Path.cwd()):
        print(written)
