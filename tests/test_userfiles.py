"""The user's own question bank and templates beside config.toml: in force when present, the shipped ones
otherwise, a bad file one warning and the default, and `infoint config edit-*` never overwriting."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from infoint_tui import userfiles
from infoint_tui.cli import main
from infoint_tui.domain.outreach import TEMPLATES
from infoint_tui.store.questions import SEED_QUESTIONS


def test_the_questions_format_round_trips_the_shipped_bank() -> None:
    assert userfiles.parse_questions(userfiles.format_questions(SEED_QUESTIONS)) == list(SEED_QUESTIONS)
    text = "// mine\nFirst, before any category?\n\n# Story\n!  Who else?\n#\nWhat next?\n"
    assert userfiles.parse_questions(text) == [("Questions", "First, before any category?", False),
                                               ("Story", "Who else?", True), ("Questions", "What next?", False)]


def test_no_files_no_problems_the_shipped_ones(tmp_path: Path) -> None:
    conf = tmp_path / "config.toml"
    assert userfiles.load_questions(conf) == userfiles.Loaded(None)
    assert userfiles.load_templates(conf) == userfiles.Loaded(dict(TEMPLATES))


def test_bad_files_fall_back_with_one_line_naming_file_and_line(tmp_path: Path) -> None:
    conf = tmp_path / "config.toml"
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "referral.txt").write_text("Hi {first_name},\n\nI work at {employer}.\n")
    (tmp_path / "templates" / "cold.txt").write_text("  \n")
    (tmp_path / "templates" / "thank-you.txt").write_text("Thanks {first_name}! {{braces}} stay.\n")
    (tmp_path / "questions.txt").write_text("// only comments\n# Story\n")
    loaded = userfiles.load_templates(conf)
    assert loaded.value is not None
    assert loaded.value["referral"] == TEMPLATES["referral"]
    assert loaded.value["cold"] == TEMPLATES["cold"]
    assert loaded.value["thank-you"] == "Thanks {first_name}! {{braces}} stay."
    ref, cold = loaded.problems
    assert ref.startswith(f"{tmp_path / 'templates' / 'referral.txt'}: line 3: unknown placeholder {{employer}}")
    assert ref.endswith("using the shipped template.")
    assert "\n" not in ref
    assert cold == f"{tmp_path / 'templates' / 'cold.txt'}: it is empty; using the shipped template."
    questions = userfiles.load_questions(conf)
    assert questions.value is None
    assert questions.problems == (f"{tmp_path / 'questions.txt'}: no questions in it; using the shipped questions.",)


def _ada(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["--db", str(db_path), "add", "Grace Hopper"])
    main(["--db", str(db_path), "add", "Ada Lovelace", "--company", "Acme", "--referred-by", "1"])
    capsys.readouterr()


def test_a_template_file_changes_what_infoint_draft_prints(db_path: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    conf = tmp_path / "conf" / "config.toml"
    _ada(db_path, capsys)
    draft = ["--db", str(db_path), "--config", str(conf), "draft", "2", "--template", "referral"]
    assert main(draft) == 0
    assert "suggested I get in touch" in capsys.readouterr().out
    (conf.parent / "templates").mkdir(parents=True)
    (conf.parent / "templates" / "referral.txt").write_text(
        "Dear {first_name},\n\n{referred_by} thought we should talk about {company}. Would a call work?\n")
    assert main(draft) == 0
    out, err = capsys.readouterr()
    assert "Dear Ada," in out
    assert "thought we should talk about Acme" in out
    assert "suggested I get in touch" not in out
    assert err == ""
    (conf.parent / "templates" / "referral.txt").write_text("Dear {first_name}, {bogus}\n")
    assert main(draft) == 0
    out, err = capsys.readouterr()
    assert "suggested I get in touch" in out  # the shipped one stands
    assert err == (f"infoint: {conf.parent / 'templates' / 'referral.txt'}: line 1: unknown placeholder {{bogus}} "
                   "(known: {first_name}, {name}, {title}, {company}, {referred_by}, {via}, {pitch}, {my_name}); "
                   "using the shipped template.\n")


def test_edit_creates_from_the_default_and_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    conf = tmp_path / "new" / "config.toml"
    monkeypatch.setenv("INFOINT_CONFIG", str(conf))
    monkeypatch.setenv("EDITOR", "true")
    monkeypatch.delenv("VISUAL", raising=False)
    assert main(["config", "edit-questions"]) == 0
    questions = conf.parent / "questions.txt"
    assert stat.S_IMODE(questions.stat().st_mode) == 0o600
    assert stat.S_IMODE(conf.parent.stat().st_mode) == 0o700
    assert userfiles.load_questions(conf).value == list(SEED_QUESTIONS)
    assert main(["config", "edit-template", "referral"]) == 0
    referral = conf.parent / "templates" / "referral.txt"
    assert referral.read_text() == TEMPLATES["referral"] + "\n"
    assert stat.S_IMODE(referral.stat().st_mode) == 0o600
    assert stat.S_IMODE(referral.parent.stat().st_mode) == 0o700
    questions.write_text("# Mine\nWhat is it like?\n")
    referral.write_text("Hi {first_name}\n")
    assert main(["config", "edit-questions"]) == 0
    assert main(["config", "edit-template", "referral"]) == 0
    assert questions.read_text() == "# Mine\nWhat is it like?\n"
    assert referral.read_text() == "Hi {first_name}\n"
    capsys.readouterr()
    assert main(["config", "edit-template", "nope"]) != 0
    assert "referral" in capsys.readouterr().err
    assert main(["config", "show"]) == 0
    shown = capsys.readouterr().out
    assert f"{questions}: in force" in shown
    assert f"{referral}: in force" in shown
    assert f"{conf.parent / 'templates' / 'cold.txt'}: not there, the shipped default" in shown
