"""The config file: reading it, what is wrong with it in one line each, and `infoint config`."""

from __future__ import annotations

import json
import stat
from datetime import date, datetime
from pathlib import Path

import pytest

from infoint_tui import config
from infoint_tui.cli import main
from infoint_tui.domain.followups import Rules


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_missing_file_is_all_defaults(tmp_path: Path) -> None:
    found = config.load(tmp_path / "nope.toml")
    assert (found.exists, found.problems, found.keys) == (False, (), ())
    assert found.followup_rules() == Rules()


def test_values_flow_into_the_rules_call_and_ui(tmp_path: Path) -> None:
    found = config.load(write(tmp_path, '[rules]\nthank_you_hours = 48\nholidays = [2026-12-25]\n'
                                        '[call]\ndefault_minutes = 45\namber_minutes = 15\nred_minutes = 25\n'
                                        '[ui]\ntheme = "nord"\nfirst_day_of_week = "Sunday"\nmask_names = true\n'
                                        '[keys]\n"app.help" = "f2"\n"main.search" = ["ctrl+f", "slash"]\n'))
    assert found.problems == ()
    assert found.followup_rules() == Rules(thank_you_hours=48, holidays=frozenset({date(2026, 12, 25)}))
    assert (found.call.default_minutes, found.call.amber_minutes, found.call.red_minutes) == (45, 15, 25)
    assert (found.ui.theme, found.ui.first_day_of_week, found.ui.mask_names) == ("nord", "sunday", True)
    assert found.keymap == {"app.help": "f2", "main.search": "ctrl+f,slash"}


def test_a_wrong_value_names_the_file_line_key_and_what_is_allowed(tmp_path: Path) -> None:
    path = write(tmp_path, '# mine\n[rules]\nthank_you_hours = "two days"\nnudge_bdays = 0\n\n[ui]\nmask_names = 1\n'
                           'first_day_of_week = "someday"\ndate_format = "dd/mm"\n')
    found = config.load(path)
    assert found.rules.thank_you_hours == 24
    assert found.rules.nudge_bdays == 7
    lines = list(found.problems)
    assert len(lines) == 5, lines
    assert lines[0].startswith(f"{path}:3: rules.thank_you_hours = 'two days' is not allowed: a whole number "
                               "from 1 to 336")
    assert lines[1].startswith(f"{path}:4: rules.nudge_bdays")
    assert lines[2].startswith(f"{path}:7: ui.mask_names")
    assert "true or false" in lines[2]
    assert "monday, tuesday" in lines[3]
    assert "strftime" in lines[4]
    assert all("\n" not in line for line in lines)


def test_unknown_keys_are_warnings_and_bad_syntax_keeps_the_defaults(tmp_path: Path) -> None:
    found = config.load(write(tmp_path, "[rules]\nthank_you_hour = 48\n[colours]\n"))
    assert [line.split(": ", 2)[1] for line in found.problems] == ["warning", "warning"]
    assert ":2:" in found.problems[0]
    assert "rules.thank_you_hour" in found.problems[0]
    broken = config.load(write(tmp_path, "[rules\nthank_you_hours = 48\n"))
    [line] = broken.problems
    assert "line 1" in line
    assert "using the defaults" in line
    assert broken.rules.thank_you_hours == 24


def test_amber_must_come_before_red(tmp_path: Path) -> None:
    found = config.load(write(tmp_path, "[call]\namber_minutes = 40\nred_minutes = 30\n"))
    assert (found.call.amber_minutes, found.call.red_minutes) == (20, 30)
    assert "amber_minutes must be less" in found.problems[0]


def test_where_the_file_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config.resolve_path(env={}) == tmp_path / "xdg" / "infoint" / "config.toml"
    assert config.resolve_path(env={"INFOINT_CONFIG": "/x/c.toml"}) == Path("/x/c.toml")
    assert config.resolve_path("/y.toml", env={"INFOINT_CONFIG": "/x/c.toml"}) == Path("/y.toml")


def test_config_path_show_and_edit(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "sub" / "c.toml"
    assert main(["config", "path", "--config", str(path)]) == 0
    assert capsys.readouterr().out.strip() == str(path)
    monkeypatch.setenv("INFOINT_CONFIG", str(path))
    assert main(["config", "show"]) == 0
    shown = capsys.readouterr().out
    assert "thank_you_hours = 24" in shown
    assert "amber_minutes = 20" in shown
    assert 'date_format = ""' in shown
    monkeypatch.setenv("EDITOR", "true")
    monkeypatch.delenv("VISUAL", raising=False)
    assert main(["config", "edit"]) == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert config.load(path).problems == ()  # every line commented out: the defaults
    assert "# thank_you_hours = 24" in path.read_text()
    path.write_text("[rules]\nthank_you_hours = 48\nwho = 1\n")
    assert main(["config"]) == 0
    out, err = capsys.readouterr()
    assert "thank_you_hours = 48" in out
    assert err.startswith(f"infoint: {path}:3: warning: unknown key rules.who")


def test_thank_you_hours_set_when_the_agenda_says_it_is_due(db_path: Path, tmp_path: Path, capsys) -> None:
    conf = write(tmp_path, "[rules]\nthank_you_hours = 48\n")
    main(["--db", str(db_path), "add", "Ada"])
    main(["--db", str(db_path), "log", "1", "call", "--minutes", "20", "--at", "2026-11-20 10:00"])
    capsys.readouterr()

    def due(*extra: str) -> datetime:
        assert main(["--db", str(db_path), "agenda", "--json", *extra]) == 0
        agenda = json.loads(capsys.readouterr().out)
        [item] = [i for part in ("overdue", "today", "upcoming") for i in agenda.get(part, [])
                  if i.get("rule") == "thank-you"]
        return datetime.fromisoformat(item["due"])

    assert (due("--config", str(conf)) - due()).total_seconds() == 24 * 3600


def test_the_week_starts_on_the_configured_day(tmp_path: Path) -> None:
    from infoint_tui.domain.stats import compute

    sunday = datetime(2026, 11, 29, 12, 0).astimezone()
    saturday = datetime(2026, 11, 28, 12, 0).astimezone()
    monday_start = compute({}, 0, [], [saturday], sunday)
    sunday_start = compute({}, 0, [], [saturday], sunday, first_weekday=6)
    assert monday_start.meetings_this_week == 1
    assert sunday_start.meetings_this_week == 0
    found = config.load(write(tmp_path, '[ui]\nfirst_day_of_week = "sunday"\ndate_format = "%d/%m/%Y"\n'))
    assert found.first_weekday == 6


def test_dates_follow_the_configured_format(monkeypatch: pytest.MonkeyPatch) -> None:
    from infoint_tui.tui import text

    now = datetime(2026, 11, 25, 9, 0).astimezone()
    later = datetime(2026, 12, 24, 15, 0).astimezone()
    assert text.when(later, now) == "Dec 24 15:00"
    monkeypatch.setattr(text, "DATE_FORMAT", "%d/%m/%Y")
    assert text.when(later, now) == "24/12/2026 15:00"


def test_the_app_started_from_the_command_line_reads_the_config_given(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    seen: list[str | None] = []

    def launch(db=None, *, demo=False, call_id=None, serve=None) -> int:  # type: ignore[no-untyped-def]
        seen.append(os.environ.get("INFOINT_CONFIG"))
        return 0

    monkeypatch.setenv("INFOINT_CONFIG", "")  # recorded, so that what main() sets is undone after the test
    assert main(["--db", str(tmp_path / "x.sqlite3"), "--config", str(tmp_path / "c.toml")], launch=launch) == 0
    assert seen == [str(tmp_path / "c.toml")]


def test_infoint_draft_starts_from_the_thank_you_when_one_is_due(db_path: Path, capsys) -> None:
    main(["--db", str(db_path), "add", "Ada"])
    main(["--db", str(db_path), "log", "1", "call", "--minutes", "20"])
    capsys.readouterr()
    assert main(["--db", str(db_path), "draft", "1"]) == 0
    out = capsys.readouterr().out
    assert "Thank you for taking the time" in out
    assert "!!" not in out
