"""Safe synthetic data (issue 18 item 5): every lesson and every released exercise that shows the
scenario's phone numbers, handles or wallets tells the officer not to dial, message, search or
look them up, and says so before the first one is shown."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted(p for p in (ROOT / "course").glob("0*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("*/*.ipynb"))

NOTICE = re.compile(r"do not dial, message, search or look up", re.I)
SHOWN = [
    re.compile(r"(?:\+92|\+880)[\s-]?\d{2,4}[\s-]?\d{3,}"),  # PK/BD numbers in E.164
    re.compile(r"\b03\d{2}-?\d{7}\b"),  # Pakistani mobile, national form
    re.compile(r"\b01[3-9]\d{2}-?\d{6}\b"),  # Bangladeshi mobile, national form
    re.compile(r"(?<![\w.@])@[A-Za-z_][\w.]{2,}"),  # a handle
    re.compile(r"\bbc1[a-z0-9]{20,}|\b0x[0-9a-fA-F]{40}\b|\bT[1-9A-HJ-NP-Za-km-z]{33}\b"),
]
# Every module from 01 on works on the scenario's selectors (numbers, handles, wallets), in data
# the trainee loads even where a cell's source shows none: these must carry the notice.
MODULES = [f"0{i}" for i in range(1, 9)]


def _text(cell) -> str:
    parts = [cell.source]
    for out in cell.get("outputs", []):
        parts.append(str(out.get("text", "")))
        for kind in ("text/plain", "text/html", "text/markdown"):
            parts.append(str(out.get("data", {}).get(kind, "")))
    return " ".join(" ".join(parts).replace("*", "").split())


def _first(nb, test) -> int | None:
    return next((i for i, c in enumerate(nb.cells) if test(_text(c))), None)


def _shows_selector(text: str) -> bool:
    return any(p.search(text) for p in SHOWN)


def _needs_notice(path: Path) -> bool:
    return path.name[:2] in MODULES


@pytest.mark.parametrize("path", LESSONS + EXERCISES, ids=lambda p: str(p.relative_to(ROOT)))
def test_notice_before_the_first_number_handle_or_wallet(path):
    nb = nbformat.read(path, as_version=4)
    notice = _first(nb, lambda t: bool(NOTICE.search(t)))
    shown = _first(nb, _shows_selector)
    if shown is None and not _needs_notice(path):
        return
    assert notice is not None, f"{path.name}: no 'do not dial, message, search or look up' notice"
    if shown is not None:
        assert notice <= shown, (
            f"{path.name}: cell {shown} shows a number/handle/wallet before the notice "
            f"(cell {notice})"
        )


def test_every_module_is_covered():
    assert {p.name[:2] for p in LESSONS} >= set(MODULES)
    assert {p.name[:2] for p in EXERCISES} == set(MODULES)


def test_the_patterns_catch_what_the_course_shows():
    assert _shows_selector("call 0300-5551234 or +880 1755 512345")
    assert _shows_selector("handle @gulf_jobs_pk")
    assert not _shows_selector("e-mail desk@example.org and the year 2024")
