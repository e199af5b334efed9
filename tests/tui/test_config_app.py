"""The config file in the app: the keymap in force everywhere, the rules, and a note for what is wrong."""

from __future__ import annotations

from pathlib import Path

from infoint_tui import config
from infoint_tui.store import Store
from infoint_tui.tui.app import InfointApp
from infoint_tui.tui.keys import keymap_problems
from infoint_tui.tui.run import open_store
from infoint_tui.tui.screens.help import HelpScreen

from ..conftest import NOW
from .conftest import screen_text, settle


def app_with(path: Path, conf: config.Config) -> InfointApp:
    store = open_store(path, conf)
    store.clock = lambda: NOW
    store.close()
    return InfointApp(store, now=NOW, config=conf)


def test_the_store_opened_for_the_app_uses_the_configured_rules(tmp_path: Path) -> None:
    conf_path = tmp_path / "c.toml"
    conf_path.write_text("[rules]\nthank_you_hours = 48\n")
    store = open_store(tmp_path / "x.sqlite3", config.load(conf_path))
    assert store.rules.thank_you_hours == 48
    store.close()


async def test_a_remapped_key_works_and_help_shows_it(demo_path: Path, tmp_path: Path) -> None:
    conf_path = tmp_path / "c.toml"
    conf_path.write_text('[keys]\n"app.help" = "f6"\n')
    app = app_with(demo_path, config.load(conf_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "f6" in text.lower()
        assert "Help" in text
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("question_mark")  # no longer help
        await settle(pilot)
        assert not isinstance(app.screen, HelpScreen)


async def test_what_is_wrong_with_the_file_is_a_note_and_the_app_runs_on(demo_path: Path, tmp_path: Path) -> None:
    conf_path = tmp_path / "c.toml"
    conf_path.write_text('[rules]\nthank_you_hours = "soon"\n[keys]\n"no.such" = "f5"\n')
    app = app_with(demo_path, config.load(conf_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.pause(0.4)
        notes = [str(n.message) for n in app._notifications]
        assert any("thank_you_hours" in n and "keys.no.such" in n for n in notes), notes
        assert app.main_screen is not None


def test_keymap_clashes_and_unknown_ids_are_reported() -> None:
    assert keymap_problems({}) == []
    problems = keymap_problems({"nope.x": "f5", "app.help": "ctrl+q"})
    assert problems[0].startswith("keys.nope.x: no key has this id")
    assert any("'ctrl+q' is given to app.help and app.quit in InfointApp" in p for p in problems), problems


def test_the_store_defaults_are_the_methods(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "y.sqlite3")
    assert store.rules.thank_you_hours == 24
    store.close()


def test_every_screens_keys_are_checked() -> None:
    problems = keymap_problems({"agenda.write": "d", "call.end": "f9"})
    assert problems == ["keys: 'd' is given to agenda.done and agenda.write in AgendaScreen; "
                        "only one of them will run."]


async def test_help_shows_the_ids_to_remap_by(demo_path: Path, tmp_path: Path) -> None:
    from textual.widgets import Static

    app = app_with(demo_path, config.load(tmp_path / "none.toml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        body = str(app.screen.query_one("#help-body Static", Static).render())
        for binding_id in ("[app.help]", "[contacts.search]", "[agenda.done]", "[call.end]", "[draft.template]"):
            assert binding_id in body, binding_id
        assert "[keys] in the config file" in body


async def test_your_questions_and_templates_are_what_call_mode_and_the_draft_show(demo_path: Path,
                                                                                    tmp_path: Path) -> None:
    from infoint_tui.tui.screens.call import CallScreen
    from infoint_tui.tui.screens.documents import DraftScreen

    from .conftest import main_screen

    conf_path = tmp_path / "c.toml"
    (tmp_path / "questions.txt").write_text("// mine\n# Warm-up\n! [b]Which[/b] team would you join again?\n"
                                            "# Craft\nWhat tool do you reach for first?\n")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "referral.txt").write_text("Dear {first_name}, {referred_by} sent me. Call?\n")
    (tmp_path / "templates" / "cold.txt").write_text("Hi {nope}\n")
    app = app_with(demo_path, config.load(conf_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        main_screen(app).selected_id = 3  # Priya Raman, referred by Jonas Berg
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
        text = screen_text(app)
        assert "[ ] [b]Which[/b] team would you join" in text, text  # pinned ('!'); user text, not markup
        assert "Craft" in text
        assert "[ ] What tool do you reach for first?" in text
        assert "Who else should I talk to?" not in text
        assert "Trends" not in text
        app.screen.dismiss_call()
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, DraftScreen)
        assert "Dear Priya, Jonas Berg sent me. Call?" in screen_text(app)
        notes = [str(n.message) for n in app._notifications]
        assert any("cold.txt: line 1: unknown placeholder {nope}" in n for n in notes), notes
        await pilot.press("ctrl+t")  # the next template, the cold one: the shipped text stands
        await settle(pilot)
        assert "I came across your work" in screen_text(app)
