"""The README's two commands stay true: CI runs exactly the test command it shows."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _commands() -> list[str]:
    return re.findall(r"```sh\n(python3 -m venv .*?)\n```", (ROOT / "README.md").read_text())


def test_readme_has_an_install_and_start_command_and_a_test_command() -> None:
    start, test = _commands()[:2]
    assert start.endswith("infoint --demo")
    assert "pip install -e ." in start
    assert "pytest" in test
    assert '.[test]' in test


def test_ci_runs_the_readme_test_command() -> None:
    test = _commands()[1]
    assert test in (ROOT / ".ci" / "run").read_text()
