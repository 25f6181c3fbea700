"""Outputs of ``osintlab grade``: grades.csv, items.csv, per-trainee feedback, report.html.

Everything is read back from the cohort's nbgrader gradebook, so manual scores a trainer
entered in the formgrader appear in the CSV, the feedback and the report on the next run.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import shutil
import statistics
from pathlib import Path

from .nbgrader import api, exchange_inbound, quiet

__all__ = ["write_outputs", "CSV_COLUMNS"]

#: The columns of ``grades.csv``, one row per trainee and module.
CSV_COLUMNS = [
    "student_id",
    "assignment",
    "score",
    "max_score",
    "auto_score",
    "manual_score",
    "needs_manual_grade",
    "status",
    "note",
    "timestamp",
]


def _status(entry: dict) -> str:
    parts = list(entry.get("problems", [])) + list(entry.get("incidents", []))
    if entry.get("error"):
        parts.append(f"autograde failed: {entry['error']}")
    return "ok" if not parts else "; ".join(parts)


def _gradebook_rows(course: Path, state: dict, expected: dict) -> tuple[list, list]:
    from nbgrader.api import Gradebook, MissingEntry

    rows, items = [], []
    with Gradebook(f"sqlite:///{(course / 'gradebook.db').as_posix()}", "osintlab") as gb:
        max_by_module = {}
        for module in expected:
            try:
                max_by_module[module] = gb.find_assignment(module).max_score
            except MissingEntry:
                max_by_module[module] = None
        for key in sorted(state.get("submissions", {})):
            entry = state["submissions"][key]
            student, module = entry["student"], entry["module"]
            if module not in expected:
                continue
            row = {
                "student_id": student,
                "assignment": module,
                "score": 0.0,
                "max_score": max_by_module.get(module) or 0.0,
                "auto_score": 0.0,
                "manual_score": "",
                "needs_manual_grade": False,
                "status": _status(entry),
                "note": "; ".join(entry.get("notes", []) + entry.get("regraded_notes", [])),
                "timestamp": entry.get("timestamp") or "",
            }
            if entry.get("graded"):
                try:
                    sub = gb.find_submission(module, student)
                except MissingEntry:
                    sub = None
                    row["status"] = "; ".join(
                        p
                        for p in (
                            row["status"] if row["status"] != "ok" else "",
                            "graded before, but missing from the gradebook: regrade it",
                        )
                        if p
                    )
                if sub is not None:
                    manual = 0.0
                    any_manual = False
                    for nb in sub.notebooks:
                        for g in nb.grades:
                            kind = "auto" if g.cell.cell_type == "code" else "manual"
                            if g.manual_score is not None:
                                manual += g.manual_score
                                any_manual = True
                            items.append(
                                {
                                    "student_id": student,
                                    "assignment": module,
                                    "notebook": nb.name,
                                    "item": g.name,
                                    "kind": kind,
                                    "score": g.score,
                                    "max_score": g.max_score,
                                    "auto_score": g.auto_score,
                                    "manual_score": g.manual_score,
                                    "needs_manual_grade": g.needs_manual_grade,
                                }
                            )
                    row.update(
                        score=sub.score,
                        max_score=sub.max_score,
                        auto_score=sum(
                            (g.auto_score or 0)
                            for nb in sub.notebooks
                            for g in nb.grades
                            if g.cell.cell_type == "code"
                        ),
                        manual_score=manual if any_manual else "",
                        needs_manual_grade=sub.needs_manual_grade,
                    )
            rows.append(row)
    return rows, items


def _write_csv(path: Path, rows: list, columns: list) -> None:
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: (f"{v:g}" if isinstance(v, float) else v) for k, v in r.items()})
    tmp.replace(path)


# ---------------------------------------------------------------------------------------------
# Feedback
# ---------------------------------------------------------------------------------------------


def _master_items(course: Path, module: str, nb_name: str) -> tuple[list, list]:
    import nbformat

    from .feedback import grade_items, hidden_lines, master_secrets

    nb = nbformat.read(course / "source" / module / f"{nb_name}.ipynb", as_version=4)
    # hidden tests and model answers: neither may reach a feedback page
    secret = [ln for c in nb.cells if c.cell_type == "code" for ln in hidden_lines(c.source)]
    return grade_items(nb), list(dict.fromkeys(secret + master_secrets(nb)))


def _simple_page(title: str, body: str) -> str:
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
        f"</title></head><body style='font-family:sans-serif;max-width:50em;margin:2em auto'>"
        f"<h1>{html.escape(title)}</h1>{body}</body></html>"
    )


def _feedback(
    out: Path,
    course: Path,
    state: dict,
    expected: dict,
    item_rows: list,
    timeout: int,
    exchange: Path | None,
    release_feedback: bool,
    jobs: int = 1,
) -> None:
    import nbformat

    from .feedback import leaks, output_leaks, sanitize

    fb_out = out / "feedback"
    fb_out.mkdir(exist_ok=True)
    by_sub: dict = {}
    for it in item_rows:
        by_sub.setdefault((it["student_id"], it["assignment"], it["notebook"]), {})[it["item"]] = it
    src_root = course / "feedback_src"
    if src_root.exists():
        shutil.rmtree(src_root)
    graded_modules = set()
    chunks: dict = {}  # (student, module) -> which feedback process renders it
    shown: dict = {}
    encoded: dict = {}
    for entry in state["submissions"].values():
        student, module = entry["student"], entry["module"]
        if module not in expected:
            continue
        if not entry.get("graded"):
            body = (
                f"<p>Module <b>{html.escape(module)}</b>: your work could not be graded.</p>"
                f"<p>Reason: {html.escape(_status(entry))}</p><p>Please talk to your "
                "trainer, and re-submit if you can.</p>"
            )
            (fb_out / student).mkdir(exist_ok=True)
            (fb_out / student / f"{module}.html").write_text(
                _simple_page(f"Feedback: {module}", body), encoding="utf-8"
            )
            continue
        adir = course / "autograded" / student / module
        for nb_name in expected[module]:
            nb_path = adir / f"{nb_name}.ipynb"
            if not nb_path.is_file():
                continue
            items, _ = _master_items(course, module, nb_name)
            grades = by_sub.get((student, module, nb_name), {})
            status_rows = [
                {
                    **it,
                    "score": grades.get(it["grade_id"], {}).get("score"),
                    "manual_score": grades.get(it["grade_id"], {}).get("manual_score"),
                    "auto_score": grades.get(it["grade_id"], {}).get("auto_score"),
                }
                for it in items
            ]
            clean = sanitize(
                nbformat.read(nb_path, as_version=4), status_rows, title=f"{module} ({student})"
            )
            chunk = chunks.setdefault((student, module), len(chunks) % max(1, jobs))
            dest = src_root / str(chunk) / student / module
            dest.mkdir(parents=True, exist_ok=True)
            nbformat.write(clean, dest / f"{nb_name}.ipynb")
            # what the page shows as code on purpose: visible tests, the trainee's own code
            shown[(student, module, nb_name)] = "\n".join(c.source for c in clean.cells)
            # encoded copies (base64, zlib, rot13, split strings) of the master in outputs
            _, secret = _master_items(course, module, nb_name)
            encoded[(student, module, nb_name)] = output_leaks(
                clean, secret, shown[(student, module, nb_name)]
            )
            for extra in ("timestamp.txt", "submission_secret.txt"):
                if (adir / extra).is_file():
                    shutil.copy2(adir / extra, dest / extra)
            graded_modules.add(module)
    _render_feedback(course, sorted(set(chunks.values())), timeout, exchange, jobs)
    for entry in state["submissions"].values():
        student, module = entry["student"], entry["module"]
        if not entry.get("graded") or module not in expected:
            continue
        entry.pop("feedback_withheld", None)
        for nb_name in expected[module]:
            page = course / "feedback" / student / module / f"{nb_name}.html"
            if not page.is_file():
                continue
            _, secret = _master_items(course, module, nb_name)
            # A hidden line that is also ordinary code shown on purpose (e.g. `return "A"` in
            # the trainee's own answer) is no leak; anything else found in the page came
            # through an output and withholds the page.
            own_text = shown.get((student, module, nb_name), "")
            secret = [s for s in secret if s not in own_text]
            text = page.read_text(encoding="utf-8")
            leaked = leaks(text, secret) or encoded.get((student, module, nb_name))
            name = f"{module}.html" if len(expected[module]) == 1 else f"{module}-{nb_name}.html"
            (fb_out / student).mkdir(exist_ok=True)
            if leaked:
                # Never hand out hidden tests: withhold this page and say so.
                page.unlink()
                entry["feedback_withheld"] = True
                (fb_out / student / name).write_text(
                    _simple_page(
                        f"Feedback: {module}",
                        "<p>Detailed feedback is being reviewed by your trainer.</p>",
                    ),
                    encoding="utf-8",
                )
            else:
                (fb_out / student / name).write_text(text, encoding="utf-8")
    if release_feedback and exchange is not None:
        grader = api(course, timeout=timeout, robust=True, exchange=_exchange_root(exchange))
        for module in sorted(graded_modules):
            with quiet():
                res = grader.release_feedback(module)
            if not res.get("success"):
                raise RuntimeError(
                    f"nbgrader release_feedback failed for {module}: "
                    f"{res.get('error') or res.get('log')}"
                )


def _render_chunk(course: Path, chunk: int, timeout: int, exchange: Path | None) -> None:
    """nbgrader's feedback pages for the sanitised notebooks in ``feedback_src/CHUNK``."""
    grader = api(course, timeout=timeout, robust=True, exchange=_exchange_root(exchange))
    grader.coursedir.autograded_directory = f"feedback_src/{chunk}"
    for module in sorted({p.name for p in (course / "feedback_src" / str(chunk)).glob("*/*")}):
        with quiet():
            grader.generate_feedback(module, force=True)


def _render_feedback(
    course: Path, chunks: list[int], timeout: int, exchange: Path | None, jobs: int
) -> None:
    """Render every chunk's feedback pages; chunks in parallel processes when ``jobs`` > 1
    (HTML export is most of the time after grading, and chunks hold different trainees, so
    they never write the same page)."""
    if jobs <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            _render_chunk(course, chunk, timeout, exchange)
        return
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(
        max_workers=min(jobs, len(chunks)), mp_context=mp.get_context("spawn")
    ) as pool:
        for fut in [pool.submit(_render_chunk, course, c, timeout, exchange) for c in chunks]:
            fut.result()


def _exchange_root(source: Path | None) -> Path | None:
    if source is None:
        return None
    inbound = exchange_inbound(Path(source))
    return inbound.parent.parent if inbound else None


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return (
        "<img alt='chart' src='data:image/png;base64,"
        + base64.b64encode(buf.getvalue()).decode()
        + "'>"
    )


def _module_charts(module: str, rows: list, items: list, meta: dict) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    parts = []
    pct = [100 * r["score"] / r["max_score"] for r in rows if r["max_score"]]
    fig, ax = plt.subplots(figsize=(5, 2.6))
    ax.hist(
        pct,
        bins=[0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100.001],
        color="#3b6ea5",
        edgecolor="white",
    )
    ax.set_xlabel("score (% of the module's points)")
    ax.set_ylabel("trainees")
    ax.set_title(f"{module}: score distribution (n={len(pct)})")
    parts.append(_png(fig))
    per_item: dict = {}
    for it in items:
        per_item.setdefault(it["item"], []).append(
            (it["score"] or 0) / it["max_score"] if it["max_score"] else 0
        )
    if per_item:
        order = [g for g in meta if g in per_item] + [g for g in per_item if g not in meta]
        means = [100 * statistics.mean(per_item[g]) for g in order]
        fig, ax = plt.subplots(figsize=(6, 0.35 * len(order) + 1))
        labels = [f"{meta.get(g, {}).get('label', g)[:45]}" for g in order]
        ax.barh(range(len(order)), means, color=["#c0392b" if m < 50 else "#3b6ea5" for m in means])
        ax.set_yticks(range(len(order)), labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("mean score per item (% of its points)")
        ax.set_title(f"{module}: items")
        parts.append(_png(fig))
    return "".join(parts)


def _table(headers: list, rows: list) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in r) + "</tr>" for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _report(
    out: Path, course: Path, rows: list, items: list, expected: dict, unmatched: list
) -> None:
    meta_all = {}
    for module in expected:
        meta = {}
        for nb_name in expected[module]:
            src = course / "source" / module / f"{nb_name}.ipynb"
            if src.is_file():
                for it in _master_items(course, module, nb_name)[0]:
                    meta[it["grade_id"]] = it
        meta_all[module] = meta
    sections = []
    students = sorted({r["student_id"] for r in rows})
    modules = [m for m in expected if any(r["assignment"] == m for r in rows)]
    n_ok = sum(r["status"] == "ok" for r in rows)
    sections.append(
        f"<p>{len(students)} trainee(s), {len(modules)} module(s), {len(rows)} "
        f"submission(s); {n_ok} graded cleanly, {len(rows) - n_ok} with a status "
        "to check (below).</p>"
    )
    # Most-missed items across the cohort.
    missed = []
    for module in modules:
        for g, it in meta_all[module].items():
            got = [x for x in items if x["assignment"] == module and x["item"] == g]
            if not got or it["kind"] != "auto":
                continue
            failed = sum((x["score"] or 0) < x["max_score"] for x in got)
            mean = statistics.mean(
                (x["score"] or 0) / x["max_score"] if x["max_score"] else 0 for x in got
            )
            missed.append(
                (failed / len(got), module, it["label"], it["skill"], g, failed, len(got), mean)
            )
    missed.sort(key=lambda t: (-t[0], t[7]))
    sections.append(
        "<h2>Most-missed items</h2><p>Autograded items by the share of trainees "
        "who did not get full points, with the skill each tests: where to spend "
        "the debrief.</p>"
    )
    sections.append(
        _table(
            ["module", "item", "skill tested", "missed by", "mean score"],
            [
                (m, label, skill, f"{f}/{n} ({100 * share:.0f}%)", f"{100 * mean:.0f}%")
                for share, m, label, skill, g, f, n, mean in missed[:10]
            ],
        )
    )
    for module in modules:
        mrows = [r for r in rows if r["assignment"] == module]
        mitems = [x for x in items if x["assignment"] == module]
        scores = [r["score"] for r in mrows]
        mx = max((r["max_score"] for r in mrows), default=0)
        sections.append(
            f"<h2>{html.escape(module)}</h2><p>{len(mrows)} submission(s); "
            f"median {statistics.median(scores):g} / {mx:g}, mean "
            f"{statistics.mean(scores):.1f}; "
            f"{sum(bool(r['needs_manual_grade']) for r in mrows)} need manual "
            "grading (formgrader).</p>"
        )
        sections.append(_module_charts(module, mrows, mitems, meta_all[module]))
        item_rows = []
        for g, it in meta_all[module].items():
            got = [x for x in mitems if x["item"] == g]
            if not got:
                continue
            scores_i = [x["score"] or 0 for x in got]
            full = sum(s >= it["points"] for s in scores_i)
            item_rows.append(
                (
                    it["label"],
                    it["skill"],
                    it["kind"],
                    f"{it['points']:g}",
                    f"{statistics.mean(scores_i):.2f}",
                    f"{full}/{len(got)}",
                )
            )
        sections.append(
            _table(["item", "skill", "graded", "points", "mean", "full marks"], item_rows)
        )
    problems = [
        (r["student_id"], r["assignment"], r["status"], r["note"])
        for r in rows
        if r["status"] != "ok" or r["note"]
    ]
    sections.append("<h2>Submissions to check</h2>")
    sections.append(
        _table(["trainee", "module", "status", "note"], problems) if problems else "<p>None.</p>"
    )
    if unmatched:
        sections.append(
            "<h2>Files that could not be assigned</h2><ul>"
            + "".join(f"<li>{html.escape(u)}</li>" for u in unmatched)
            + "</ul>"
        )
    sections.append("<h2>Scores</h2>")
    matrix = []
    for s in students:
        line = [s]
        for m in modules:
            r = next((r for r in rows if r["student_id"] == s and r["assignment"] == m), None)
            line.append(
                "–"
                if r is None
                else f"{r['score']:g}/{r['max_score']:g}" + ("" if r["status"] == "ok" else " ⚠")
            )
        matrix.append(line)
    sections.append(_table(["trainee", *modules], matrix))
    style = (
        "body{font-family:sans-serif;max-width:70em;margin:2em auto;color:#222}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;"
        "padding:.25em .5em;font-size:90%;text-align:left}th{background:#eef}"
        "img{margin:.5em 1em .5em 0;vertical-align:top}"
    )
    page = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>OSINT Lab cohort report"
        f"</title><style>{style}</style></head><body><h1>OSINT Lab: cohort report</h1>"
        + "".join(sections)
        + "</body></html>"
    )
    tmp = out / "report.html.tmp"
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out / "report.html")


def write_outputs(
    out: Path,
    course: Path,
    state: dict,
    expected: dict,
    root: Path,
    *,
    release_feedback: bool,
    exchange: Path | None,
    timeout: int,
    unmatched: list,
    jobs: int = 1,
) -> list:
    rows, items = _gradebook_rows(course, state, expected)
    _feedback(out, course, state, expected, items, timeout, exchange, release_feedback, jobs)
    for r in rows:
        entry = state["submissions"][f"{r['student_id']}/{r['assignment']}"]
        if entry.get("feedback_withheld"):
            r["note"] = "; ".join(filter(None, [r["note"], "feedback withheld for review"]))
    _write_csv(out / "grades.csv", rows, CSV_COLUMNS)
    _write_csv(
        out / "items.csv",
        items,
        [
            "student_id",
            "assignment",
            "notebook",
            "item",
            "kind",
            "score",
            "max_score",
            "auto_score",
            "manual_score",
            "needs_manual_grade",
        ],
    )
    _report(out, course, rows, items, expected, unmatched)
    return rows
