"""Who starts the app and who reports errors: the command line parses ``infoint``, ``--demo`` and
``call ID``, the entry point's launcher starts the app, and crash.py tells the user in one line."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

import infoint_tui.launch
from infoint_tui import crash
from infoint_tui.__main__ import main as entry_main
from infoint_tui.cli import main
from infoint_tui.domain.errors import NotFound


class FakeLauncher:
    """Records how the app was asked to start."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, db: Path | None = None, *, demo: bool = False, call_id: int | None = None) -> int:
        self.calls.append({"db": db, "demo": demo, "call_id": call_id})
        return 7


@pytest.mark.parametrize(("argv", "expected"), [
    (["--db", "a.sqlite3"], {"db": Path("a.sqlite3"), "demo": False, "call_id": None}),
    (["--demo"], {"db": None, "demo": True, "call_id": None}),
    (["--db", "a.sqlite3", "call", "12"], {"db": Path("a.sqlite3"), "demo": False, "call_id": 12}),
    (["call", "3", "--db", "b.sqlite3"], {"db": Path("b.sqlite3"), "demo": False, "call_id": 3}),
])
def test_the_command_line_hands_starting_the_app_to_its_launcher(argv: list[str],
                                                                 expected: dict[str, Any]) -> None:
    launch = FakeLauncher()
    assert main(argv, launch=launch) == 7
    assert launch.calls == [expected]


def test_no_database_flag_means_the_default_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("INFOINT_DB", str(tmp_path / "env.sqlite3"))
    launch = FakeLauncher()
    main([], launch=launch)
    assert launch.calls[0]["db"] == tmp_path / "env.sqlite3"


def test_subcommands_never_call_the_launcher(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    launch = FakeLauncher()
    assert main(["--db", str(db_path), "add", "Ada"], launch=launch) == 0
    assert launch.calls == []
    assert capsys.readouterr().out == "1\n"


def test_without_a_launcher_asking_for_the_app_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", "x.sqlite3", "call", "1"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "cannot start the app" in err


def test_a_launcher_error_is_reported_like_any_other(capsys: pytest.CaptureFixture[str]) -> None:
    def fails(db: Path | None = None, *, demo: bool = False, call_id: int | None = None) -> int:
        raise NotFound(f"there is no contact #{call_id}.")

    assert main(["--db", "x.sqlite3", "call", "9"], launch=fails) == 1
    assert capsys.readouterr().err == "infoint: there is no contact #9.\n"


def test_the_entry_point_gives_the_command_line_the_real_launcher(monkeypatch: pytest.MonkeyPatch) -> None:
    launch = FakeLauncher()
    monkeypatch.setattr(infoint_tui.launch, "start", launch)
    assert entry_main(["--demo"]) == 7
    assert entry_main(["call", "4", "--db", "c.sqlite3"]) == 7
    assert launch.calls == [{"db": None, "demo": True, "call_id": None},
                            {"db": Path("c.sqlite3"), "demo": False, "call_id": 4}]


def test_the_short_way_into_the_app_reports_without_the_command_line(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def boom(path: Path, call_id: int | None = None) -> int:
        raise NotFound("gone.")

    monkeypatch.setattr(infoint_tui.launch, "run_app", boom)
    monkeypatch.delitem(sys.modules, "infoint_tui.cli", raising=False)
    assert entry_main(["--db", "x.sqlite3"]) == 1
    assert capsys.readouterr().err == "infoint: gone.\n"
    assert "infoint_tui.cli" not in sys.modules


def test_launch_start_needs_a_database_unless_demo() -> None:
    with pytest.raises(ValueError, match="database path"):
        infoint_tui.launch.start()


def test_report_user_errors_in_one_clean_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert crash.report(NotFound("no \x1b]52;c;eA==\x07contact #3.")) == 1
    assert capsys.readouterr().err == "infoint: no contact #3.\n"
    assert crash.report(KeyboardInterrupt()) == 130
    assert capsys.readouterr().err == ""


def test_a_bug_is_one_line_and_a_private_log_without_locals(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    def fails() -> None:
        secret = "jane@example.com"  # a local variable: must not reach the log
        raise RuntimeError("boom " + str(len(secret)))

    with pytest.raises(RuntimeError) as info:
        fails()
    assert crash.report(info.value) == 1
    err = capsys.readouterr().err
    log = tmp_path / "xdg-data" / "infoint" / "infoint.log"  # conftest points XDG_DATA_HOME here
    assert err == f"infoint: unexpected error (RuntimeError); details in {log}. Please report it.\n"
    text = log.read_text()
    assert "RuntimeError: boom 16" in text
    assert "jane@example.com" not in text
    assert stat.S_IMODE(os.stat(log).st_mode) == 0o600


def test_the_apps_bug_line_says_the_notes_were_saved() -> None:
    line = crash.bug_line(ValueError(), Path("/x/infoint.log"), notes_saved=True)
    assert line == ("infoint: unexpected error (ValueError); your notes were saved. "
                    "Details in /x/infoint.log; please report it.")
