"""The code keeps one style: ruff's lint rules and formatter (configured in pyproject.toml), the
same check as the pre-commit hook, so CI fails on what a contributor's commit hook would fix."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _ruff(*args: str) -> subprocess.CompletedProcess:
    try:
        import ruff  # noqa: F401  (the [test] extra installs it)
    except ImportError:
        if not shutil.which("ruff"):
            pytest.skip("ruff is not installed (pip install -e '.[test]')")
        return subprocess.run(["ruff", *args], cwd=ROOT, capture_output=True, text=True)
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True
    )


def test_ruff_lint_passes():
    res = _ruff("check", "--no-cache", ".")
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-1000:]


def test_ruff_format_is_applied():
    res = _ruff("format", "--no-cache", "--check", ".")
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-1000:]


def test_pre_commit_runs_the_ruff_that_ci_pins():
    """The hook and CI must agree: a contributor's commit hook formats as CI checks."""
    import re
    import tomllib

    pins = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    ruff_pin = next(r for r in pins["test"] if r.startswith("ruff"))
    hook = (ROOT / ".pre-commit-config.yaml").read_text()
    rev = re.search(r"ruff-pre-commit\s+rev:\s*v?([\d.]+)", hook)
    assert rev, ".pre-commit-config.yaml has no ruff-pre-commit hook"
    assert ruff_pin == f"ruff=={rev.group(1)}", (ruff_pin, rev.group(1))
    assert "id: ruff-check" in hook and "id: ruff-format" in hook
