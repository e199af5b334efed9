"""The house's declared checks, run by the test command: the linter and the layer contracts.

Both tools come with the ``test`` extra (pyproject.toml), so ``pytest`` on a fresh clone runs them; a
finding fails the suite with the tool's own report, which names the file, the line and the rule.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)


def test_ruff_finds_nothing() -> None:
    """pyproject.toml's [tool.ruff] rules, with the house's deliberate exceptions written there."""
    done = _run(sys.executable, "-m", "ruff", "check", "--no-cache", "infoint_tui", "tests", "benchmarks", "scripts")
    assert done.returncode == 0, done.stdout + done.stderr


def test_layer_contracts_are_kept() -> None:
    """pyproject.toml's [tool.importlinter] contracts: imports inside functions count too."""
    done = _run(str(BIN / "lint-imports"), "--no-cache")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
