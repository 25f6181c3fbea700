"""A right answer passes visible AND hidden tests in every reasonable form; a wrong one fails.

For each exercise the solution notebook runs once in one kernel. Then, for every autograded
test cell, each answer it checks (``check_answer("qid", answer)``) is rebound to each
equivalent form of the solution's answer (tests/fair_forms_kernel.py: tuple, numpy, pandas,
set where order does not matter, float for int, ``+00:00`` / datetime / Timestamp for UTC
times, ``@handle``, other letter case) and the whole test cell, hidden tests included, is run
again: it must pass and write nothing to stderr. Then each answer is rebound to a wrong value
of the right form, and the cell must fail.
"""

from __future__ import annotations

import ast
import json
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbformat.v4 import new_code_cell

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(p.parent.name for p in (ROOT / "solutions").glob("*/*.ipynb"))
KERNEL_LIB = Path(__file__).with_name("fair_forms_kernel.py")

#: Answers that are not a variable of the trainee's (a toolkit object's attribute, or a dict
#: the test builds itself): no form of theirs to vary.
NOT_REBINDABLE = {
    # the answer is a dict report_id -> quote; the key checks its report ids
    "08.life_first",
    "08.out_of_scope",
}

#: Test cells whose answer is an object, not a keyed value: forms of it that must pass too.
EXTRA = {
    "ex05-test_request": [
        (
            "@username after another identifier; addressee in capitals",
            "pres_request = __import__('dataclasses').replace(_fair_saved['pres_request'], "
            "identifiers=[('user_id', '7100000000000000000')] + "
            "[(k, '@' + v if k == 'username' else v) for k, v in "
            "_fair_saved['pres_request'].identifiers], "
            "addressee=_fair_saved['pres_request'].addressee.upper())",
        ),
    ],
}
EXTRA_VARS = {"ex05-test_request": ["pres_request"]}


def _checked_answers(source: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(qid, variable) of every check_answer call in the visible part of a test cell."""
    visible = source.split("### BEGIN HIDDEN TESTS")[0]
    pairs, skipped = [], []
    for node in ast.walk(ast.parse(visible)):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "check_answer"):
            continue
        qid, arg = node.args[0].value, node.args[1]
        if (
            isinstance(arg, ast.Call)
            and getattr(arg.func, "id", "") in ("str", "list", "dict")
            and len(arg.args) == 1
        ):
            arg = arg.args[0]
        if isinstance(arg, ast.Name):
            pairs.append((qid, arg.id))
        else:
            skipped.append(qid)
    return pairs, skipped


class Kernel:
    def __init__(self, client: NotebookClient):
        self.client = client

    def run(self, source: str):
        """Run ``source``; return (error text or None, stdout, stderr)."""
        cell = new_code_cell(source)
        try:
            self.client.execute_cell(cell, 0, store_history=False)
            error = None
        except CellExecutionError as exc:
            error = str(exc).strip().splitlines()[-1]
        out = "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout")
        err = "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stderr")
        return error, out, err


def _rebind(pairs, index):
    """Kernel code: bind each answer to its ``index``-th variant; print the labels."""
    lines = ["_fair_labels = {}"]
    for qid, var in pairs:
        lines += [
            f"_fair_v = _fair.variants({qid!r}, _fair_saved[{var!r}])",
            f"if {index} < len(_fair_v):",
            f"    {var} = _fair_v[{index}][1]",
            f"    _fair_labels[{qid!r}] = _fair_v[{index}][0]",
        ]
    lines.append("print(json.dumps(_fair_labels))")
    return "\n".join(lines)


def _restore(names):
    return "\n".join(f"{v} = _fair_saved[{v!r}]" for v in names) or "pass"


@pytest.mark.slow
@pytest.mark.parametrize("module", MODULES)
def test_every_form_of_a_right_answer_passes_visible_and_hidden(module, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    path = ROOT / "solutions" / module / f"{module}.ipynb"
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    failures, accepted, skipped = [], {}, []
    started = time.perf_counter()
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type == "code":
                client.execute_cell(cell, index)
        ran = time.perf_counter()
        kernel = Kernel(client)
        error, _, _ = kernel.run(
            "import importlib.util as _fu, json\n"
            f"_fs = _fu.spec_from_file_location('_fair', {str(KERNEL_LIB)!r})\n"
            "_fair = _fu.module_from_spec(_fs); _fs.loader.exec_module(_fair)"
        )
        assert error is None, error
        tests = [
            c
            for c in nb.cells
            if c.cell_type == "code"
            and c.metadata.get("nbgrader", {}).get("grade")
            and not c.metadata["nbgrader"].get("solution")
        ]
        for cell in tests:
            gid = cell.metadata["nbgrader"]["grade_id"]
            pairs, not_vars = _checked_answers(cell.source)
            skipped += [q for q in not_vars if q in NOT_REBINDABLE]
            assert set(not_vars) <= NOT_REBINDABLE, f"{gid}: cannot vary {not_vars}"
            names = sorted({v for _, v in pairs} | set(EXTRA_VARS.get(gid, [])))
            if not names:
                continue
            error, _, _ = kernel.run(
                "_fair_saved = {" + ", ".join(f"{v!r}: {v}" for v in names) + "}"
            )
            assert error is None, error
            # the solution passed this cell when the notebook ran; now every variant
            assert not [o for o in cell.outputs if o.get("name") == "stderr"], (
                f"{gid} writes to stderr"
            )
            n = 0
            if pairs:
                error, out, _ = kernel.run(
                    f"print(max(len(_fair.variants(q, _fair_saved[v])) for q, v in {pairs!r}))"
                )
                assert error is None, error
                n = int(out.strip())
            for i in range(n):
                error, out, _ = kernel.run(_rebind(pairs, i))
                assert error is None, f"{gid}: building variant {i}: {error}"
                labels = json.loads(out.strip().splitlines()[-1])
                error, _, err = kernel.run(cell.source)
                for qid, label in labels.items():
                    accepted.setdefault(qid, []).append(label)
                    if error or err:
                        failures.append(f"{gid} {qid} as {label}: {error or err.strip()}")
                kernel.run(_restore(names))
            for label, code in EXTRA.get(gid, []):
                kernel.run(code)
                error, _, err = kernel.run(cell.source)
                accepted.setdefault(gid, []).append(label)
                if error or err:
                    failures.append(f"{gid} as {label}: {error or err.strip()}")
                kernel.run(_restore(names))
            # a wrong answer of the right form fails the cell
            for qid, var in pairs:
                error, _, _ = kernel.run(f"{var} = _fair.wrong({qid!r}, _fair_saved[{var!r}])")
                assert error is None, f"{gid}: building a wrong {qid}: {error}"
                error, _, _ = kernel.run(cell.source)
                if error is None:
                    failures.append(f"{gid} {qid}: a wrong answer passes")
                kernel.run(_restore(names))
    print(
        f"\n{module}: notebook {ran - started:.0f} s, forms {time.perf_counter() - ran:.0f} s; "
        "forms accepted (visible and hidden):"
    )
    for qid, labels in sorted(accepted.items()):
        print(f"  {qid}: {'; '.join(labels)}")
    if skipped:
        print(f"  not varied (not a trainee variable): {', '.join(skipped)}")
    assert not failures, "\n".join(failures)
