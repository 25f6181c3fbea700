"""No exercise answer appears in the outputs of any executed lesson (issue 15 item 2).

Every lesson is executed once (the executed copy is cached by notebook and dataset content, and
shared with ``test_notebooks.py``), its text outputs are cut into distinctive tokens (ids,
handles, phone numbers, URLs, hashes, file names, long numbers), and each token is checked
against the salted answer keys in ``datasets/answer_keys.json``: a token matches when it is the
whole answer, one item of a set, one position of a list, or or one key of a mapping of an exercise
question (a mapping's values are hashed with their keys, so a value alone cannot be matched). Keys store only salted hashes, so the check hashes the token in the key's
own canonical form (``osintlab.grading``) — the plain answers never enter the test.

Known leaks of modules whose owners are still moving their exercise to another thread are
listed in ``KNOWN_LEAKS`` with the owner: each owner deletes their entries when the leak is
gone (a listed leak that no longer happens fails the test, so the list cannot go stale).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "course").glob("*.ipynb"))

# (lesson stem, question id) -> owner who removes it. Only modules not yet re-threaded.
KNOWN_LEAKS: dict[tuple[str, str], str] = {}

GENERIC = {
    "items/page.html",
    "items/page.warc",
    "items/screenshot.png",
    "capture.json",
    "manifest.json",
    "custody.jsonl",
    "items/media",
}

# Tokens worth checking: long enough or shaped enough to be distinctive.
_TOKEN = re.compile(
    r"https?://[^\s'\"<>)\]]+"  # URLs
    r"|\+?\d[\d ()\-]{6,}\d"  # phone numbers and long numbers
    r"|@?[A-Za-z0-9][\w.\-/]{4,}[A-Za-z0-9]"  # handles, ids, hashes, file names, licences
)


def cache_key(path: Path) -> str:
    """Executed copies are valid while the lesson and the datasets are unchanged."""
    h = hashlib.sha256(path.read_bytes())
    manifest = ROOT / "datasets" / "manifest.json"
    if manifest.exists():
        h.update(manifest.read_bytes())
    return h.hexdigest()[:16]


def executed_lesson(path: Path, cache_dir: Path):
    """The lesson executed top to bottom (from the cache when it is fresh)."""
    cached = cache_dir / f"{path.stem}-{cache_key(path)}.ipynb"
    if cached.exists():
        return nbformat.read(cached, as_version=4)
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    store_executed(path, nb, cache_dir)
    return nb


def store_executed(path: Path, nb, cache_dir: Path) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    for old in cache_dir.glob(f"{path.stem}-*.ipynb"):
        old.unlink()
    nbformat.write(nb, cache_dir / f"{path.stem}-{cache_key(path)}.ipynb")


def output_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append(out.get("text", ""))
            elif out.get("output_type") in ("execute_result", "display_data"):
                data = out.get("data", {})
                parts.append(data.get("text/plain", "") + "\n" + data.get("text/html", ""))
    return "\n".join(parts)


def tokens(text: str) -> set[str]:
    found = set()
    for m in _TOKEN.finditer(text):
        t = m.group(0).strip().rstrip(".,;:")
        found.add(t)
        if t.startswith("@"):
            found.add(t[1:])
        digits = re.sub(r"[\s()\-]", "", t)
        if digits != t and re.fullmatch(r"\+?\d{7,}", digits):
            found.add(digits)
    # Plain words (place names, labels) are not distinctive; ids, handles, numbers, URLs and
    # file names carry a digit or a separator. Package structure names are the same in every
    # evidence package and teach the format, not an answer.
    return {t for t in found if len(t) >= 6 and re.search(r"[\d._/@+:-]", t) and t not in GENERIC}


def _forms(token: str):
    yield token
    if re.fullmatch(r"\d+", token):
        yield int(token)


def leaked_keys(text: str, keys: dict, modules: tuple[str, ...]) -> dict[str, str]:
    """question id -> the token of ``text`` that gives its answer (or part of it) away."""
    from osintlab import grading as g

    out: dict[str, str] = {}
    toks = sorted(tokens(text))
    for qid, key in keys.items():
        if not qid.startswith(modules) or key["kind"] == "number":
            continue
        salt = key["salt"]
        targets = {key["hash"], *key.get("items", []), *key.get("keys", [])}
        for tok in toks:
            for form in _forms(tok):
                try:
                    if key["kind"] == "set":
                        canon = g._canonical_for(key, [form])[0]
                        cands = [g._hash(salt, canon)]
                    elif key["kind"] == "list":
                        canon = g._canonical_for(key, [form])[0]
                        cands = [g._hash(salt, [i, canon]) for i in range(len(key["items"]))]
                    elif key["kind"] == "mapping":
                        dummy = "x" if key.get("value_type") == "text" else 0
                        canon = g._canonical_for(key, {form: dummy})
                        k = next(iter(canon))
                        cands = [g._hash(salt, ["key", k])]
                    else:
                        cands = [g._hash(salt, g._canonical_for(key, form))]
                except Exception:
                    continue
                if targets.intersection(cands):
                    out.setdefault(qid, tok)
    return out


@pytest.fixture(scope="session")
def answer_keys():
    return json.loads((ROOT / "datasets" / "answer_keys.json").read_text(encoding="utf-8"))


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_no_exercise_answer_in_lesson_outputs(path, answer_keys, request, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    cache_dir = Path(request.config.cache.mkdir("executed-lessons"))
    nb = executed_lesson(path, cache_dir)
    exercise_modules = tuple(
        sorted({q.split(".")[0] + "." for q in answer_keys if q[:2].isdigit() and q[:2] != "00"})
    )
    leaks = leaked_keys(output_text(nb), answer_keys, exercise_modules)
    allowed = {q for (stem, q) in KNOWN_LEAKS if stem == path.stem}
    new = {q: t for q, t in leaks.items() if q not in allowed}
    assert not new, f"{path.name} prints exercise answers: " + ", ".join(
        f"{q} (token {t!r})" for q, t in sorted(new.items())
    )
    stale = sorted(allowed - set(leaks))
    assert not stale, (
        f"KNOWN_LEAKS lists {stale} for {path.name} but they no longer leak: delete those entries"
    )


def test_token_check_finds_a_set_item_and_a_handle():
    from osintlab import grading as g

    keys = {
        "09.x": g.make_key("09.x", ["+923001234567", "+923001234568"], kind="set", seed=1),
        "09.h": g.make_key("09.h", {"old.handle": "123456"}, kind="mapping", keys="handle", seed=1),
    }
    text = "phone +92 300 1234567 was seen; @Old.Handle renamed"
    assert set(leaked_keys(text, keys, ("09.",))) == {"09.x", "09.h"}
    assert leaked_keys("nothing to see here", keys, ("09.",)) == {}
