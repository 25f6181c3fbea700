"""Paced walk-through of every exercise: minutes per task for an officer with little Python.

Run from the repository root: ``python benchmarks/exercise_times.py`` prints the tables of
``docs/exercise-times.md`` (the method is stated there). Each task is walked through from its
text and its model solution, at a fixed pace:

- reading the task's markdown (and the intro) at 150 words a minute;
- typing the solution code at 20 words a minute (a word is 5 characters, comments and lines
  copied from the task's scaffold not counted);
- one minute to read each table of data the task loads (``data.load``, ``.table``) and each
  output the work produces (a table, a print) and decide from it;
- 1.5 run-fix cycles of 2 minutes per code cell (run, read the message, fix, run the test);
- written answers composed at 10 words a minute (the middle of the asked range), plus reading;
- the pandas methods each task needs, with where the course first shows them (the primer
  ``course/00-start-here-2.ipynb`` or the module's lesson).
"""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READ_WPM, TYPE_WPM, CHARS_PER_WORD, WRITE_WPM = 150, 20, 5, 10
OUTPUT_MIN, CYCLES, CYCLE_MIN = 1.0, 1.5, 2.0
PANDAS = (
    "groupby loc iloc sort_values value_counts tolist isin merge apply map str.contains "
    "str.startswith str.endswith str.split str.lower fillna dropna drop_duplicates unique "
    "nunique sum mean agg size reset_index set_index assign query head iterrows itertuples "
    "dt.tz_convert dt.floor to_datetime Timestamp Timedelta concat notna isna idxmax idxmin "
    "between any all count astype explode pivot_table crosstab cumsum diff shift rename"
).split()
_TASK = re.compile(r"^(?:## |\*\*)Task (\d+[a-z]?)")
_CODE_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
_SOLUTION = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.DOTALL)


def _new_task(name: str) -> dict:
    """An empty tally for one task: words read, characters typed, outputs, cells, words written."""
    return {
        "task": name,
        "read": 0,
        "typed": 0,
        "outputs": 0,
        "cells": 0,
        "write": 0,
        "idioms": set(),
    }


def _src(cell) -> str:
    s = cell["source"]
    return s if isinstance(s, str) else "".join(s)


def label(name: str) -> str:
    """How a trainee writes the method: ``pd.concat`` for pandas functions, ``.loc`` otherwise."""
    return (
        f"pd.{name}" if name in {"Timestamp", "Timedelta", "concat", "to_datetime"} else f".{name}"
    )


def _words(text: str) -> int:
    return len(re.findall(r"\S+", text))


def _code_cells(nb_path: Path) -> str:
    if not nb_path.exists():
        return ""
    return "\n".join(
        _src(c) for c in json.loads(nb_path.read_text())["cells"] if c["cell_type"] == "code"
    )


def _shown_in(name: str, primer: str, lessons: list[tuple[str, str]]) -> str:
    pat = re.compile(r"\." + re.escape(name) + r"\b")
    if pat.search(primer):
        return "primer"
    for label, code in lessons:
        if pat.search(code):
            return label
    return "not shown"


def walk(solution: Path) -> list[dict]:
    nb = json.loads(solution.read_text())
    slug = solution.parent.name
    primer = _code_cells(ROOT / "course" / "00-start-here-2.ipynb")
    lessons = [
        (f"lesson {p.name[:2]}", _code_cells(p))
        for p in sorted((ROOT / "course").glob("[0-9][0-9]-*.ipynb"))
        if "00" < p.name[:2] <= slug[:2]
    ]
    tasks: list[dict] = []
    cur = _new_task("intro")
    tasks.append(cur)
    scaffold: set[str] = set()
    for cell in nb["cells"]:
        src = _src(cell)
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] == "markdown":
            m = _TASK.match(src.strip())
            if m and not meta.get("solution"):
                if (
                    cur["task"] != "intro"
                    and m.group(1).rstrip("abcd") == cur["task"].rstrip("abcd")
                    and src.startswith("**")
                ):
                    pass  # a part of the same task, e.g. "**Task 2 (b)"
                else:
                    cur = _new_task(m.group(1))
                    tasks.append(cur)
                    scaffold = set()
                for block in _CODE_BLOCK.findall(src):
                    scaffold |= {ln.strip() for ln in block.splitlines() if ln.strip()}
            if meta.get("solution") and meta.get("grade"):  # a written answer
                asked = re.findall(r"(\d+)[–-](\d+) words", _task_text(nb, cell))
                lo, hi = map(int, (asked or [("100", "200")])[0])
                cur["write"] += (lo + hi) / 2
            else:
                cur["read"] += _words(src)
            continue
        if meta.get("solution"):
            body = "\n".join(_SOLUTION.findall(src)) or src
            lines = [
                ln for ln in body.splitlines() if ln.strip() and not ln.strip().startswith("#")
            ]
            typed = [ln for ln in lines if ln.strip() not in scaffold]
            cur["typed"] += sum(len(ln.strip()) for ln in typed)
            cur["outputs"] += len(
                re.findall(r"\b(?:print|display)\(|data\.load\(|\.table\(", body)
            ) + (
                1
                if lines
                and re.match(r"^[A-Za-z_][\w\[\]\"'., ()=<>!-]*$", lines[-1])
                and "=" not in lines[-1].split("(")[0]
                else 0
            )
            cur["cells"] += 1
            for name in PANDAS:
                if re.search(r"\." + re.escape(name) + r"\b", body):
                    cur["idioms"].add(name)
    for t in tasks:
        minutes = (
            t["read"] / READ_WPM
            + t["typed"] / CHARS_PER_WORD / TYPE_WPM
            + t["outputs"] * OUTPUT_MIN
            + t["cells"] * CYCLES * CYCLE_MIN
            + t["write"] / WRITE_WPM
        )
        if t["task"] == "intro":
            minutes += 1  # run the setup cell
        t["minutes"] = max(1, math.ceil(minutes))
        t["where"] = {n: _shown_in(n, primer, lessons) for n in sorted(t["idioms"])}
    return tasks


def _task_text(nb, answer_cell) -> str:
    """The markdown of the task an answer cell belongs to (the nearest task heading above it)."""
    text = ""
    for c in nb["cells"]:
        if c is answer_cell:
            return text
        if c["cell_type"] == "markdown" and _TASK.match(_src(c).strip()):
            text = _src(c)
    return text


def main() -> int:
    grand = 0
    for sol in sorted((ROOT / "solutions").glob("*/*.ipynb")):
        tasks = walk(sol)
        total = sum(t["minutes"] for t in tasks)
        grand += total
        print(f"\n### {sol.parent.name}: {total} minutes\n")
        print(
            "| Task | Read (words) | Typed (chars) | Outputs read | Code cells | Written (words) | Minutes | pandas used (first shown in) |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for t in tasks:
            idioms = ", ".join(f"`{label(n)}` ({w})" for n, w in t["where"].items()) or "—"
            print(
                f"| {t['task']} | {t['read']} | {t['typed']} | {t['outputs']} | {t['cells']} | {int(t['write'])} | {t['minutes']} | {idioms} |"
            )
        print(f"| **total** | | | | | | **{total}** | |")
    print(f"\nAll eight exercises: {grand} minutes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
