"""Feedback that says what passed, what failed and why — without showing hidden tests.

nbgrader's feedback HTML shows each test cell as it ran, hidden tests included, and a failing
cell's traceback prints the hidden ``assert`` lines even when ``ClearHiddenTests`` is added
(nbgrader issue #917). A trainee who reads them can write to the test instead of learning the
skill, and the hidden tests can no longer be reused with the next cohort. So before nbgrader
renders the feedback, :func:`sanitize` rewrites the autograded notebook:

* every test cell shows only its visible part; the hidden part becomes a one-line note;
* every traceback is replaced by the error's name and message, and a failure inside the hidden
  part says only "a hidden check failed" (with the error type when it is not an assert);
* any remaining output line that quotes a hidden-test line is dropped;
* a summary table at the top lists each item, its points, passed / failed / to be marked, and why;
* outputs are bounded (:data:`CELL_CHARS` per cell, :data:`NOTEBOOK_CHARS` per notebook, long
  unbroken runs of characters elided, only text and small images kept), so a submission cannot
  use its feedback page as a channel for much more than the trainee already saw.

:func:`leaks` checks rendered HTML (as text) for hidden-test lines, and :func:`output_leaks`
checks the outputs for any line of the master (hidden tests and model answers) also when it is
encoded (base64, zlib/gzip/bz2/lzma, hex, rot13, reversed, split into pieces);
:mod:`osintlab.trainer.report` withholds a feedback file rather than release one that leaks.

    >>> cell_src = "check(x)\\n### BEGIN HIDDEN TESTS\\nassert x == 42\\n### END HIDDEN TESTS"
    >>> visible_part(cell_src)
    'check(x)\\n# (hidden tests ran here)'
    >>> hidden_lines(cell_src)
    ['assert x == 42']
"""

from __future__ import annotations

import base64
import bz2
import codecs
import copy
import html
import lzma
import re
import zlib

__all__ = [
    "BEGIN_HIDDEN",
    "END_HIDDEN",
    "visible_part",
    "hidden_lines",
    "grade_items",
    "sanitize",
    "leaks",
    "output_leaks",
    "master_secrets",
    "bound_outputs",
    "html_text",
]

#: What a feedback page shows of a notebook's outputs: characters per cell, per notebook,
#: lines per cell, the longest unbroken run of characters, and images.
CELL_CHARS = 4000
NOTEBOOK_CHARS = 20000
CELL_LINES = 60
RUN_CHARS = 160
IMAGE_CHARS = 200_000
IMAGES = 8
_TEXT_MIMES = ("text/plain", "text/html", "text/markdown", "text/latex")
_IMAGE_MIMES = ("image/png", "image/jpeg", "image/gif")

BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"
HIDDEN_NOTE = "# (hidden tests ran here)"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_CELL_LINE = re.compile(r"Cell In\[\d+\], line (\d+)")
_SKILL = re.compile(r"(?im)^\W*skill\W*:\s*(.+?)\s*\**\s*$")
_TOOL = re.compile(
    r"`(?:osintlab\.)?((?:evidence|social|images|search|eevidence|crypto|device|"
    r"triage|timeutil|web|data|charts)\.[a-z_]\w*)"
)


def _nbmeta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def visible_part(source: str) -> str:
    """``source`` with every hidden-test region replaced by a one-line note."""
    out, hidden = [], False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped == BEGIN_HIDDEN:
            hidden = True
            out.append(HIDDEN_NOTE)
        elif stripped == END_HIDDEN:
            hidden = False
        elif not hidden:
            out.append(line)
    return "\n".join(out)


def _visible_line_count(source: str) -> int:
    """Number of lines before the first hidden region (all lines if there is none)."""
    for i, line in enumerate(source.splitlines()):
        if line.strip() == BEGIN_HIDDEN:
            return i
    return len(source.splitlines())


def hidden_lines(source: str) -> list[str]:
    """The non-blank lines inside hidden-test regions, stripped."""
    out, hidden = [], False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped == BEGIN_HIDDEN:
            hidden = True
        elif stripped == END_HIDDEN:
            hidden = False
        elif hidden and stripped:
            out.append(stripped)
    return out


def grade_items(nb) -> list[dict]:
    """The graded items of an exercise master, in order.

    Each item: ``grade_id``, ``kind`` (``auto`` for a test cell, ``manual`` for a written
    answer), ``points``, ``label`` (the heading of the task above it, without its points) and
    ``skill``: the cell's ``metadata.osintlab.skill``, else a ``Skill: ...`` line in the task,
    else the task's title with the toolkit functions it names (``social.selectors_table``).
    """
    items, label, skill = [], "", ""
    for cell in nb.cells:
        meta = _nbmeta(cell)
        if cell.cell_type == "markdown" and meta and not meta.get("grade"):
            text = cell.source.strip()
            heading = next((ln.lstrip("#").strip() for ln in text.splitlines() if ln.strip()), "")
            label = re.sub(r"\s*\([^)]*\bpoints?\b[^)]*\)\s*$", "", re.sub(r"[*_`]", "", heading))[
                :120
            ]
            found = _SKILL.search(text)
            if found:
                skill = re.sub(r"[*_`]", "", found.group(1)).strip()
            else:
                # the task's title without "Task N —", plus the toolkit functions it uses
                title = re.sub(
                    r"^(task|question|part|exercise)\s*\w*\s*[—:.-]+\s*", "", label, flags=re.I
                )
                tools = list(dict.fromkeys(_TOOL.findall(text)))[:2]
                skill = title + (f" ({', '.join(tools)})" if tools else "")
            continue
        if not meta.get("grade"):
            continue
        own = cell.get("metadata", {}).get("osintlab", {}).get("skill")
        items.append(
            {
                "grade_id": meta["grade_id"],
                "kind": "auto" if cell.cell_type == "code" else "manual",
                "points": float(meta.get("points", 0) or 0),
                "label": label or meta["grade_id"],
                "skill": own or skill or label or meta["grade_id"],
            }
        )
    return items


def _failure_message(output: dict, source: str) -> tuple[str, bool]:
    """(message, in_hidden) for an error output of a test cell."""
    ename = output.get("ename", "Error")
    evalue = (output.get("evalue") or "").strip()
    tb = _ANSI.sub("", "\n".join(output.get("traceback", [])))
    in_hidden = False
    m = _CELL_LINE.search(tb)
    if m and BEGIN_HIDDEN in source:
        in_hidden = int(m.group(1)) > _visible_line_count(source)
    if ename in ("CellTimeoutError", "KernelRestarted", "NotRun"):
        return (
            f"{ename}: {evalue}"
            if evalue
            else f"{ename}: the cell ran over the time limit and was stopped"
        ), False
    if in_hidden:
        if ename == "AssertionError":
            return "a hidden check failed", True
        return f"a hidden check failed with {ename}" + (
            f": {evalue}" if evalue and ename != "AssertionError" else ""
        ), True
    return (f"{ename}: {evalue}" if evalue else ename), False


def _drop_quoting_lines(text: str, secret: list[str]) -> str:
    if not secret or not text:
        return text
    return "\n".join(ln for ln in text.split("\n") if not any(s in ln for s in secret))


def sanitize(nb, items_status: list[dict] | None = None, *, title: str = ""):
    """Return a copy of autograded notebook ``nb`` that is safe to show the trainee.

    ``items_status`` (optional): rows with ``grade_id``, ``label``, ``points``, ``score``
    (None when not yet marked) used for the summary table; messages are filled in here.
    """
    import nbformat

    nb = copy.deepcopy(nb)
    secret = sorted(
        {
            ln
            for c in nb.cells
            if c.cell_type == "code"
            for ln in hidden_lines(c.source)
            if len(ln) >= 6
        }
    )
    why: dict[str, str] = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        meta = _nbmeta(cell)
        is_test = bool(meta.get("grade")) and not meta.get("solution")
        source = cell.source
        if is_test:
            cell.source = visible_part(source)
        new_outputs = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                if is_test:
                    message, _ = _failure_message(out, source)
                    why.setdefault(meta.get("grade_id", ""), message)
                else:
                    message = f"{out.get('ename', 'Error')}: {out.get('evalue', '')}".strip()
                message = _drop_quoting_lines(message, secret) or "an error occurred"
                new_outputs.append(
                    nbformat.v4.new_output(
                        "error",
                        ename=out.get("ename", "Error"),
                        evalue=message,
                        traceback=[message],
                    )
                )
                continue
            if is_test and BEGIN_HIDDEN in source and out.get("output_type") == "execute_result":
                continue  # the value of the hidden tests' last line
            if out.get("output_type") == "stream":
                text = _drop_quoting_lines(out.get("text", ""), secret)
                if is_test:  # visible and hidden checks often print the same tick
                    seen, kept = set(), []
                    for ln in text.split("\n"):
                        if ln.strip() and ln in seen:
                            continue
                        seen.add(ln)
                        kept.append(ln)
                    text = "\n".join(kept)
                out["text"] = text
            elif "data" in out:
                for mime in list(out["data"]):
                    value = out["data"][mime]
                    if isinstance(value, str) and mime.startswith("text/"):
                        out["data"][mime] = _drop_quoting_lines(value, secret)
            new_outputs.append(out)
        cell.outputs = new_outputs
    if items_status is not None:
        td = "style='border:1px solid #ccc;padding:3px 8px;text-align:left'"
        colour = {"passed": "#1a7f37", "failed": "#b00", "partly": "#b36b00"}
        rows = []
        for it in items_status:
            score, points = it.get("score"), it.get("points", 0)
            if it.get("kind") == "manual" and it.get("manual_score") is None:
                if it.get("auto_score") is not None:  # nbgrader: answer left unchanged
                    result, reason = "failed", "no answer written"
                else:
                    result, reason = "to be marked by your trainer", ""
            elif score is not None and points and score >= points:
                result, reason = "passed", ""
            else:
                result = "failed" if not score else "partly"
                reason = why.get(it["grade_id"], "no answer" if it.get("kind") == "auto" else "")
            got = "–" if score is None else f"{score:g}"
            rows.append(
                f"<tr><td {td}>{html.escape(it.get('label', it['grade_id']))}</td>"
                f"<td {td}>{got} / {points:g}</td>"
                f"<td {td}><b style='color:{colour.get(result, '#555')}'>{result}</b></td>"
                f"<td {td}>{html.escape(reason)}</td></tr>"
            )
        head = (
            f"# Feedback{': ' + title if title else ''}\n\n"
            "<table style='border-collapse:collapse'><tr>"
            + "".join(f"<th {td}>{h}</th>" for h in ("Item", "Points", "Result", "Why"))
            + "</tr>"
            + "".join(rows)
            + "</table>\n\n"
            "Hidden checks test the same skill in other ways; their code is not shown. "
            "A failed hidden check means your answer is not yet right in general, even when "
            "the visible check passed."
        )
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(head))
    bound_outputs(nb)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"fb-{i:04d}"
    return nb


# ---------------------------------------------------------------------------------------------
# Bounded outputs
# ---------------------------------------------------------------------------------------------

_LONG_RUN = re.compile(r"\S{" + str(RUN_CHARS + 1) + ",}")


def _bound_text(text: str, budget: int) -> str:
    text = _LONG_RUN.sub(lambda m: f"[{len(m.group())} characters not shown]", text)
    lines = text.split("\n")
    cut = len(lines) > CELL_LINES
    text = "\n".join(lines[:CELL_LINES])
    if len(text) > budget:
        text, cut = text[:budget], True
    return text + ("\n[... more output not shown in feedback]" if cut else "")


def bound_outputs(nb):
    """Bound ``nb``'s outputs in place (see the module docstring); returns ``nb``.

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> c = nbformat.v4.new_code_cell("print(blob)")
    >>> c.outputs = [nbformat.v4.new_output("stream", name="stdout", text="x" * 500)]
    >>> nb.cells.append(c)
    >>> bound_outputs(nb).cells[0].outputs[0].text
    '[500 characters not shown]'
    """
    import nbformat

    left, images = NOTEBOOK_CHARS, 0
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        kept = []
        cell_left = CELL_CHARS
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "stream":
                text = _bound_text(out.get("text", ""), min(cell_left, left))
                out["text"] = text
                cell_left, left = cell_left - len(text), left - len(text)
                kept.append(out)
            elif kind == "error":
                text = _bound_text(str(out.get("evalue", "")), 500)
                out["evalue"], out["traceback"] = text, [f"{out.get('ename', 'Error')}: {text}"]
                kept.append(out)
            elif "data" in out:
                data = {}
                for mime in _IMAGE_MIMES:
                    value = out["data"].get(mime)
                    if isinstance(value, str) and len(value) <= IMAGE_CHARS and images < IMAGES:
                        data[mime] = value
                        images += 1
                        break
                plain = out["data"].get("text/plain")
                rich = next((m for m in ("text/html", "text/markdown") if m in out["data"]), None)
                budget = min(cell_left, left)
                if rich and isinstance(out["data"][rich], str) and len(out["data"][rich]) <= budget:
                    data[rich] = out["data"][rich]  # whole or not at all (markup stays valid)
                    budget -= len(data[rich])
                if isinstance(plain, str):
                    data["text/plain"] = _bound_text(plain, max(budget, 0))
                    budget -= len(data["text/plain"])
                if not data:
                    data["text/plain"] = "[output not shown in feedback]"
                used = min(cell_left, left) - budget
                cell_left, left = cell_left - used, left - used
                out["data"] = data
                out.pop("metadata", None)
                out["metadata"] = {}
                kept.append(out)
            if cell_left <= 0 or left <= 0:
                break
        if left <= 0 and not kept:
            kept = [
                nbformat.v4.new_output(
                    "stream", name="stdout", text="[... more output not shown in feedback]"
                )
            ]
        cell["outputs"] = kept
    return nb


# ---------------------------------------------------------------------------------------------
# Leaks
# ---------------------------------------------------------------------------------------------


def master_secrets(nb) -> list[str]:
    """What a feedback page must never show of exercise master ``nb``: every hidden-test line,
    every model-answer line (inside ``### BEGIN SOLUTION`` regions and solution cells) and the
    model text of written answers; lines of 12 characters or more (shorter ones are common
    code such as ``return x``).
    """
    found = []
    for cell in nb.cells:
        meta = _nbmeta(cell)
        found += [ln for ln in hidden_lines(cell.source) if len(ln) >= 6]
        if not meta.get("solution"):
            continue
        inside = "### BEGIN SOLUTION" not in cell.source
        for line in cell.source.splitlines():
            stripped = line.strip()
            if stripped == "### BEGIN SOLUTION":
                inside = True
            elif stripped == "### END SOLUTION":
                inside = False
            elif inside and len(stripped) >= 12 and _code_like(stripped):
                found.append(stripped)
    return list(dict.fromkeys(found))


def _code_like(line: str) -> bool:
    """A model-answer line that is code (not a bare string or number an honest output may
    print, such as a list item ``"personal_account",``)."""
    if line.startswith("#"):
        return False
    return bool(
        re.search(r"[=(]", line)
        or re.match(r"(assert|return|def|for|if|elif|while|import|from|with|yield)\b", line)
    )


def output_text(nb) -> str:
    """All output text of ``nb`` (streams, text results, error messages), one string."""
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                parts.append(out.get("text", ""))
            elif out.get("output_type") == "error":
                parts += [str(out.get("evalue", ""))] + list(out.get("traceback", []))
            for mime, value in (out.get("data") or {}).items():
                if mime.startswith("text/") and isinstance(value, str):
                    parts.append(value)
    return "\n".join(parts)


_MARKERS = (
    (b"\x78\x9c", zlib.decompressobj),
    (b"\x78\xda", zlib.decompressobj),
    (b"\x78\x01", zlib.decompressobj),
    (b"\x1f\x8b", lambda: zlib.decompressobj(31)),
    (b"BZh", bz2.BZ2Decompressor),
    (b"\xfd7zXZ", lzma.LZMADecompressor),
)


def _unpack(raw: bytes) -> list[bytes]:
    """``raw`` and whatever a compressed stream found inside it inflates to (bounded)."""
    out = [raw]
    for marker, make in _MARKERS:
        start = raw.find(marker)
        for _ in range(3):
            if start < 0:
                break
            try:
                d = make()
                got = (
                    d.decompress(raw[start:], 2_000_000)
                    if not isinstance(d, bz2.BZ2Decompressor)
                    else d.decompress(raw[start:])
                )
                if got:
                    out.append(got[:2_000_000])
            except (zlib.error, OSError, EOFError, lzma.LZMAError, ValueError):
                pass
            start = raw.find(marker, start + 1)
    return out


def _decoded(text: str) -> list[str]:
    """Texts hidden in ``text`` as base64 (standard or URL-safe, any alignment, split into
    pieces) or hex, each possibly compressed."""
    raws = []
    for alphabet in (r"[^A-Za-z0-9+/]", r"[^A-Za-z0-9_-]"):
        compact = re.sub(alphabet, "", text).replace("-", "+").replace("_", "/")
        tokens = [compact] + [
            re.sub(alphabet, "", t).replace("-", "+").replace("_", "/")
            for t in re.findall(r"[A-Za-z0-9+/=_-]{16,}", text)
        ]
        for tok in tokens[:200]:
            for off in range(4):
                chunk = tok[off:]
                chunk = chunk[:-1] if len(chunk) % 4 == 1 else chunk + "=" * (-len(chunk) % 4)
                if len(chunk) >= 16:
                    try:
                        raws.append(base64.b64decode(chunk))
                    except ValueError:
                        pass
    hexes = re.sub(r"[^0-9a-fA-F]", "", text)
    for off in (0, 1):
        chunk = hexes[off:]
        chunk = chunk[: len(chunk) // 2 * 2]
        if len(chunk) >= 16:
            raws.append(bytes.fromhex(chunk))
    texts = []
    for raw in raws:
        for blob in _unpack(raw):
            # keep the readable runs only: a wrong guess decodes to noise, which is dropped
            runs = _READABLE.findall(blob.decode("utf-8", "ignore"))
            if runs:
                texts.append("\n".join(runs))
    return texts


_READABLE = re.compile(r"[\x20-\x7e\t\n\r]{16,}")  # code is ASCII; noise rarely is, for long


def _squeeze(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def output_leaks(nb, secret_lines: list[str], own_text: str = "") -> list[str]:
    """Lines of ``secret_lines`` (see :func:`master_secrets`) found in ``nb``'s outputs, as
    written or encoded: base64 / hex (with or without zlib, gzip, bz2, lzma), rot13, reversed,
    or split into pieces with anything between them. Lines that also occur in ``own_text``
    (the code the page shows on purpose) do not count.

    >>> import base64, nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> c = nbformat.v4.new_code_cell("print(x)")
    >>> secret = "assert evens([10, 11, 12]) == [10, 12]"
    >>> blob = base64.b64encode(secret.encode()).decode()
    >>> c.outputs = [nbformat.v4.new_output("stream", name="stdout", text=blob)]
    >>> nb.cells.append(c)
    >>> output_leaks(nb, [secret])
    ['assert evens([10, 11, 12]) == [10, 12]']
    """
    secrets_ = [s for s in secret_lines if s and s not in own_text]
    if not secrets_:
        return []
    text = output_text(nb)[: 4 * NOTEBOOK_CHARS]
    base = [text, codecs.decode(text, "rot13"), text[::-1]]
    views = list(base)
    for v in base:
        for d in _decoded(v):
            views += [d, codecs.decode(d, "rot13"), d[::-1]]
            views += _decoded(d)[:20]  # encoded twice (base64 of base64, ...)
    # one string per comparison (views apart by a character neither form can contain)
    flat = "\x00".join(re.sub(r"\s+", "", v) for v in views)
    squeezed = "|".join(_squeeze(v) for v in views)
    found = []
    for s in secrets_:
        plain, sq = re.sub(r"\s+", "", s), _squeeze(s)
        if plain in flat or (len(sq) >= 16 and sq in squeezed):
            found.append(s)
    return found


def html_text(page: str) -> str:
    """Visible text of an HTML page (tags removed, entities decoded, whitespace collapsed)."""
    page = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", page)
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    return re.sub(r"[ \t]+", " ", text)


def leaks(page: str, secret_lines: list[str]) -> list[str]:
    """Hidden-test lines (from the exercise master) that appear in rendered feedback HTML."""
    text = re.sub(r"\s+", "", html_text(page))
    return [ln for ln in secret_lines if len(ln) >= 6 and re.sub(r"\s+", "", ln) in text]
