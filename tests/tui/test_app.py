"""Pilot tests: every action from the keyboard, asserting on the store."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from infoint_tui.domain.model import Filter
from infoint_tui.domain.pipeline import Kind, Stage
from infoint_tui.store import Store
from infoint_tui.tui.screens.forms import ContactFormModal
from infoint_tui.tui.screens.help import HelpScreen
from infoint_tui.tui.widgets.board import StageColumn

from ..conftest import NOW
from .conftest import ask, form_errors, main_screen, screen_text, settle

pytestmark = pytest.mark.both_backends  # the app on SQLite and on PostgreSQL

WIDE = (200, 50)
NARROW = (80, 24)


async def test_first_run_explains_how_to_start(tmp_path: Path, make_app) -> None:
    app = make_app(tmp_path / "empty.sqlite3")
    async with app.run_test(size=NARROW, notifications=True) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "No one here yet. n adds a person" in text
        assert "infoint --demo" in text, text
        assert "LinkedIn" in text, text  # the method's first two steps: import who you know, write the pitch
        assert "pitch" in text


async def test_hostile_names_render_literally_on_every_pane(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        for name in ('[/] Eve "the Tester"', "Ada [bold]Lovelace[/bold]", "ZRANK [b + Kim", "山田 太郎",
                     "Zoë Martin 🚀"):
            assert name in text, name
        # the board and the notes header show the selected hostile name literally too
        screen = main_screen(app)
        screen.selected_id = 15  # Ada [bold]Lovelace[/bold]
        await settle(pilot)
        text = screen_text(app)
        assert text.count("Ada [bold]Lovelace[/bold]") >= 2  # list + notes header
        assert text.count("Ada [bold]Lovel") >= 3  # and the board card (cut to the column)
        # a name that is an @click action in markup is only text: clicking it does nothing
        assert "Peter [@click=app.quit]Smit" in text  # cut to the column, but literal
        row = next(i for i, line in enumerate(text.splitlines()) if "Peter [@click" in line)
        await pilot.click("#contact-list", offset=(8, row - 3))
        await settle(pilot)
        assert app.is_running
        assert main_screen(app).notes.detail.contact.name == "Peter [@click=app.quit]Smith[/]"


async def test_search_as_you_type_filters_the_list(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("slash", "f", "i", "s", "c")
        await settle(pilot)
        screen = main_screen(app)
        assert screen.contact_list.total == 2
        text = screen_text(app)
        assert "Lena Fischer" in text
        assert "Noah Fischer" in text
        assert "Maya Okafor" not in text
        await pilot.press("escape")  # clears the search and leaves it: list keys are list keys again
        await settle(pilot)
        assert screen.contact_list.total == 36
        assert screen.contact_list.has_focus
        await pilot.press("j")
        assert screen.query_one("#search").value == ""
        await pilot.press("slash", *"kubernetes")
        await settle(pilot)
        assert screen.contact_list.total == 0
        await pilot.press("escape", "slash", *"dbt")  # Esc clears the box; "dbt" is only in notes
        await settle(pilot)
        assert "“dbt”" in screen_text(app).splitlines()[0]  # the top bar names the filter
        await settle(pilot)
        assert screen.contact_list.total >= 1


async def test_search_takes_hostile_input(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        for ch in '"AND ( c++ [/] *':
            await pilot.press(ch if ch != " " else "space")
        await settle(pilot)
        assert app.is_running


async def test_list_keys_move_and_open(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("j", "j", "down")
        await settle(pilot)
        assert screen.contact_list.cursor == 3
        await pilot.press("G")
        await settle(pilot)
        assert screen.contact_list.cursor == 35
        await pilot.press("g", "k")
        assert screen.contact_list.cursor == 0
        await pilot.press("enter")
        await settle(pilot)
        assert screen.active_pane == "notes"
        assert screen.notes.editor.has_focus
        await pilot.press("escape")
        await settle(pilot)
        assert screen.contact_list.has_focus


async def test_moving_a_card_is_recorded_and_follows_the_card(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        col = app.screen.focused
        assert isinstance(col, StageColumn)
        assert col.stage is Stage.TO_CONTACT
        card = col.current
        assert card is not None
        await pilot.press("shift+right", "escape")  # the form asks for the meeting; Esc: moved without one
        await settle(pilot)
        contact = await ask(app, app.store.contact, card.id)
        assert contact.stage is Stage.SCHEDULED
        history = (await ask(app, app.store.detail, card.id)).history
        assert (history[-1].kind, history[-1].stage_from, history[-1].stage_to) == (
            Kind.STAGE, Stage.TO_CONTACT, Stage.SCHEDULED)
        focused = app.screen.focused
        assert isinstance(focused, StageColumn)
        assert focused.stage is Stage.SCHEDULED
        assert focused.current is not None
        assert focused.current.id == card.id
        await pilot.press("greater_than_sign")
        await settle(pilot)
        assert (await ask(app, app.store.contact, card.id)).stage is Stage.MET
        await pilot.press("less_than_sign")
        await settle(pilot)
        assert (await ask(app, app.store.contact, card.id)).stage is Stage.SCHEDULED
        counts = await ask(app, app.store.stage_counts)
        assert "SCHEDULED  " + str(counts[Stage.SCHEDULED]) in screen_text(app)


async def test_board_columns_with_h_and_l(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("2", "l", "l")
        focused = app.screen.focused
        assert isinstance(focused, StageColumn)
        assert focused.stage is Stage.MET
        await pilot.press("h")
        assert app.screen.focused.stage is Stage.SCHEDULED  # type: ignore[union-attr]


async def test_footer_greys_the_move_that_is_impossible_without_rebuilding(demo_path: Path, make_app) -> None:
    from textual.widgets._footer import FooterKey

    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("2")  # the first column: a card cannot move back
        await settle(pilot)

        def keys() -> dict[str, FooterKey]:
            return {k.action: k for k in app.screen.query(FooterKey)}

        before = keys()
        widgets = list(before.values())
        assert before["move(-1)"].has_class("-disabled")
        assert "move(1)" not in before  # moving on from the first column asks for the meeting: "Schedule"
        assert not before["schedule_card"].has_class("-disabled")
        await pilot.press("l")
        await settle(pilot)
        after = keys()
        assert not after["move(-1)"].has_class("-disabled")
        assert not after["move(1)"].has_class("-disabled")
        assert after["move(1)"] is before["schedule_card"]  # relabelled
        assert list(after.values()) == widgets  # the same widgets, updated in place
        await pilot.press("l", "l")  # the last column: a card cannot move on
        await settle(pilot)
        assert keys()["move(1)"].has_class("-disabled")
        await pilot.press("h", "h", "h", "shift+right")  # a card moved out of the first column: the form asks
        await settle(pilot)
        await pilot.press("escape")  # no meeting: the card moves, focus with it
        await settle(pilot)
        assert not keys()["move(-1)"].has_class("-disabled")
        await pilot.press("shift+left")
        await settle(pilot)
        assert keys()["move(-1)"].has_class("-disabled")
        await pilot.press("tab")  # the notes pane offers other keys: the footer is rebuilt
        await settle(pilot)
        assert "move(1)" not in keys()


async def test_a_narrow_column_heading_keeps_its_count(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(150, 30)) as pilot:  # three panes: the board's columns are ~14 wide
        await settle(pilot)
        counts = await ask(app, app.store.stage_counts)
        text = screen_text(app)
        for stage in Stage:
            assert f"  {counts[stage]} " in text or f"  {counts[stage]}▕" in text
        assert "TO CON…" in text  # the name gives way to the count


async def test_selecting_anywhere_selects_everywhere(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("j", "j", "j")  # Amara Nwosu (scheduled)
        await settle(pilot)
        selected = screen.contact_list.current
        assert selected is not None
        assert screen.selected_id == selected.id
        col = screen.board.column(selected.stage)
        assert col.current is not None
        assert col.current.id == selected.id
        assert screen.notes.detail is not None
        assert screen.notes.detail.contact.id == selected.id


async def test_typing_autosaves_and_switching_person_keeps_the_text(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        first = screen.contact_list.current
        assert first is not None
        await pilot.press("enter")
        await pilot.press(*"Advice: learn dbt")
        await pilot.pause(1.3)  # the idle autosave fires about a second after the last key
        await settle(pilot)
        notes = (await ask(app, app.store.detail, first.id)).notes
        assert notes[0].text == "Advice: learn dbt"
        await pilot.press(*" and SQL")
        await pilot.press("escape", "j")  # leave at once and move to someone else
        await settle(pilot)
        notes = (await ask(app, app.store.detail, first.id)).notes
        assert [n.text for n in notes].count("Advice: learn dbt and SQL") == 1  # same note, updated
        assert not any(n.text == "Advice: learn dbt" for n in notes)


async def test_quit_saves_what_was_typed(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        first = main_screen(app).contact_list.current
        assert first is not None
        await pilot.press("3", *"typed then quit at once")
        await pilot.press("ctrl+q")
    from infoint_tui.store import Store

    store = Store.open(demo_path)
    assert store.detail(first.id).notes[0].text == "typed then quit at once"
    store.close()


async def test_pasted_escape_sequences_never_land_in_a_note(demo_path: Path, make_app) -> None:
    from textual import events

    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        first = main_screen(app).contact_list.current
        await pilot.press("3")
        editor = main_screen(app).notes.editor
        editor.post_message(events.Paste("P0\x11\x03after \x1b]0;PWNED\x07\x1b[31mred"))
        await pilot.pause()
        assert editor.text == "P0after red"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert (await ask(app, app.store.detail, first.id)).notes[0].text == "P0after red"  # type: ignore[union-attr]


async def test_add_a_person_with_inline_validation(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ContactFormModal)
        await pilot.press(*"Grace Hopper", "tab", *"Rear Admiral", "tab", *"us navy", "tab", *"grace@")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ContactFormModal)  # refused: the e-mail is not an address
        assert "'grace@' is not an e-mail address; use the form name@example.com" in form_errors(app)
        assert app.screen.query_one("#f-email", Input).has_focus  # the cursor goes to the field at fault
        assert await ask(app, app.store.count, Filter(query="hopper")) == 0
        app.screen.query_one("#f-email", Input).value = "grace@navy.mil"
        app.screen.query_one("#f-company", Input).value = "Northwind analytics"  # existing, other case
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ContactFormModal)
        [row] = await ask(app, app.store.summaries, Filter(query="hopper"))
        assert (row.name, row.title, row.company) == ("Grace Hopper", "Rear Admiral", "Northwind Analytics")
        assert main_screen(app).selected_id == row.id


async def test_edit_a_person(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        cid = main_screen(app).selected_id
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#f-title", Input).value = "Chief [red]Tester[/]"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert (await ask(app, app.store.contact, cid)).title == "Chief [red]Tester[/]"
        await pilot.press("3")
        await settle(pilot)
        assert "Chief [red]Tester[/]" in screen_text(app)


async def test_referral_from_the_selected_person(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        cid = main_screen(app).selected_id
        await pilot.press("r", *"Suggested Person", "enter")
        await settle(pilot)
        [row] = await ask(app, app.store.summaries, Filter(query="suggested"))
        contact = await ask(app, app.store.contact, row.id)
        assert contact.referred_by == cid
        assert contact.stage is Stage.TO_CONTACT


async def test_schedule_log_and_archive_from_the_keyboard(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        cid = main_screen(app).selected_id  # [/] Eve, to contact
        await pilot.press("s", *"next fri 14:00", "tab", *"45", "tab")
        app.screen.query_one("#f-medium", Input).value = "video"
        await pilot.press("enter")
        await settle(pilot)
        d = await ask(app, app.store.detail, cid)
        assert d.contact.stage is Stage.SCHEDULED
        assert (d.meetings[-1].minutes, d.meetings[-1].medium.value) == (45, "video")
        assert d.meetings[-1].starts_at.strftime("%a %H:%M") == "Fri 14:00"
        await pilot.press("i", *"call", "tab", "tab", "tab", *"25", "tab", *"Great talk", "enter")
        await settle(pilot)
        d = await ask(app, app.store.detail, cid)
        assert d.contact.stage is Stage.MET
        assert d.meetings[-1].held_minutes == 25
        assert d.notes[0].text == "Great talk"
        await pilot.press("i", *"nonsense", "enter")
        await settle(pilot)
        assert "'nonsense' is not one of" in form_errors(app)
        await pilot.press("escape")
        await pilot.press("a", *"declined", "enter")
        await settle(pilot)
        d = await ask(app, app.store.detail, cid)
        assert d.contact.archived
        assert d.contact.archive_reason.value == "declined"


async def test_bad_dates_are_explained_in_the_form(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("s", *"whenever", "enter")
        await settle(pilot)
        assert "could not read 'whenever' as a date; use a form such as" in form_errors(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running


async def test_filter_and_sort(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("f", *"met", "enter")
        await settle(pilot)
        assert screen.contact_list.total == (await ask(app, app.store.stage_counts))[Stage.MET]
        await pilot.press("f")
        await settle(pilot)
        app.screen.query_one("#f-stage", Input).value = ""
        app.screen.query_one("#f-archived", Input).value = "yes"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.contact_list.total == 4
        assert "filter" not in screen_text(app).splitlines()[0] or "archived" in screen_text(app).splitlines()[0]
        await pilot.press("u")  # unarchive the first archived person
        await settle(pilot)
        assert screen.contact_list.total == 3
        await pilot.press("o")
        await settle(pilot)
        assert "by activity" in screen_text(app).splitlines()[0]


async def test_delete_asks_first(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        cid = main_screen(app).selected_id
        await pilot.press("D", "n")
        await settle(pilot)
        assert (await ask(app, app.store.contact, cid)).id == cid
        await pilot.press("D", "y")
        await settle(pilot)
        assert await ask(app, app.store.count) == 35


async def test_pitch_is_edited_in_a_modal(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("p", *"Curious about climate data. ", "ctrl+s")
        await settle(pilot)
        assert (await ask(app, app.store.pitch)).startswith("Curious about climate data. I'm a data analyst")


async def test_help_lists_the_live_keys(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(100, 80)) as pilot:  # tall enough for every section without scrolling
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        # the whole help (it scrolls: with every screen's keys and their ids it is taller than the terminal)
        text = str(app.screen.query_one("#help-body Static", Static).render())
        for expected in ("Contact list", "Board", "Note editor", "Move ▶", "Schedule — From to contact", "Schedule",
                         "Search", "Quit"):
            assert expected in text, expected
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_tab_switches_panes_at_80x24(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert screen.has_class("-narrow")
        await pilot.press("tab")
        assert screen.active_pane == "board"
        assert isinstance(app.screen.focused, StageColumn)
        await pilot.press("tab")
        assert screen.active_pane == "notes"
        assert screen.notes.editor.has_focus
        await pilot.press("tab")  # the editor passes Tab on: no tab characters typed
        assert screen.active_pane == "contacts"
        await pilot.press("shift+tab")
        assert screen.active_pane == "notes"
        assert screen.notes.editor.text == ""


async def test_wide_terminal_shows_all_three_panes(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        assert not screen.has_class("-narrow")
        for pane in ("#contacts", "#board", "#notes"):
            assert screen.query_one(pane).display
            assert screen.query_one(pane).region.width > 30


async def test_palette_goes_to_a_person(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"okafor")
        await pilot.pause(0.5)
        await settle(pilot)
        assert "go to: Maya Okafor" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        detail = main_screen(app).notes.detail
        assert detail is not None
        assert detail.contact.name == "Maya Okafor"


async def test_palette_runs_actions(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"person: new")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ContactFormModal)


async def test_another_terminals_change_shows_up_without_losing_typed_text(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await pilot.press("3", *"half-typed")
        result = subprocess.run([sys.executable, "-m", "infoint_tui", "--db", str(demo_path), "add",  # noqa: ASYNC221 (another terminal, on purpose)
                                 "Zed From Elsewhere", "--json"], capture_output=True, text=True, check=True)
        assert json.loads(result.stdout)["name"] == "Zed From Elsewhere"
        await pilot.pause(2.0)  # polled every 1.5 s
        await settle(pilot)
        assert screen.contact_list.total == 37
        assert "Zed From Elsewhere" in screen_text(app)
        assert screen.notes.editor.text == "half-typed"
        assert screen.notes.editor.has_focus


async def test_theme_choice_is_remembered(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await settle(pilot)
        assert await ask(app, app.store.setting, "theme") == "nord"


async def test_the_collector_is_back_on_once_the_first_frame_is_out(demo_path: Path) -> None:
    """`infoint` starts with Python's garbage collector off (faster first frame); a long session
    must not run without it."""
    import gc

    from infoint_tui.store import Store
    from infoint_tui.tui.app import InfointApp
    from infoint_tui.tui.run import FIRST_PAGE

    from ..conftest import NOW

    store = Store.open(demo_path, lambda: NOW)
    first = (store.count(Filter()), store.summaries(Filter(), 0, FIRST_PAGE, follow_ups=False))
    store.close()
    app = InfointApp(store, now=NOW, first_page=first)
    gc.disable()
    try:
        async with app.run_test(size=NARROW) as pilot:
            await settle(pilot)
            assert gc.isenabled()
            assert "Ada" in screen_text(app)
    finally:
        gc.enable()
        gc.unfreeze()


async def test_the_board_first_shown_scrolls_to_the_selected_person(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j", "j", "j", "j")  # someone low in their column
        await settle(pilot)
        selected = main_screen(app).selected_id
        await pilot.press("2")
        await settle(pilot)
        col = app.screen.focused
        assert isinstance(col, StageColumn)
        assert col.current is not None
        assert col.current.id == selected
        top = col.scroll_offset.y
        assert top <= col.cursor * col.ITEM_HEIGHT < top + col.size.height  # the card is in view


@pytest.mark.sqlite_only  # the first page is read with plain sqlite3
async def test_an_app_started_before_its_store_opens_it_after_the_first_frame(demo_path: Path) -> None:
    """How `infoint` starts: the first page read with plain sqlite3, the store opened afterwards on the
    database thread; everything then works as usual."""
    from infoint_tui.store import Store, sqlite
    from infoint_tui.tui.app import InfointApp

    from ..conftest import NOW

    opened: list[Store] = []

    def open_store() -> Store:
        opened.append(Store.open(demo_path, lambda: NOW))
        return opened[-1]

    _theme, total, rows = sqlite.first_screen(demo_path, 100, sqlite.SCHEMA, NOW)
    app = InfointApp(None, open_store=open_store, now=NOW, first_page=(total, rows))
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert rows[0].name in screen_text(app)
        await settle(pilot)
        assert len(opened) == 1
        assert app.store is opened[0]
        await pilot.press("2")
        await settle(pilot)
        col = app.screen.focused
        assert isinstance(col, StageColumn)
        assert col.current is not None
        card = col.current
        await pilot.press("shift+right" if col.stage is not Stage.THANKED else "shift+left")
        await settle(pilot)
        if col.stage is Stage.TO_CONTACT:
            await pilot.press("escape")  # the form asks for the meeting; Esc moves the card without one
            await settle(pilot)
        assert (await ask(app, app.store.contact, card.id)).stage is not col.stage


async def test_text_typed_before_the_notes_pane_is_there_goes_into_it(demo_path: Path, make_app, monkeypatch) -> None:
    """Just after start-up a narrow terminal is still mounting the notes pane: keys typed after "3"
    are text for the note, not commands for the list ("c" would start a call)."""
    import asyncio

    from infoint_tui.tui.screens.main import MainScreen

    gate = asyncio.Event()
    mount_rest = MainScreen._mount_rest

    async def slow_mount_rest(self: MainScreen) -> None:
        await gate.wait()
        await mount_rest(self)

    monkeypatch.setattr(MainScreen, "_mount_rest", slow_mount_rest)
    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        screen = main_screen(app)
        assert not screen._rest_mounted
        # (Bounded: if the screen waited for the mount, the keys would wait too.)
        await asyncio.wait_for(pilot.press("3", *"call them", "backspace", "backspace", "enter", "x"), 10)
        assert app.screen is screen  # no call screen, no log form
        gate.set()
        await settle(pilot)
        assert screen.notes.editor.has_focus
        assert screen.notes.editor.text == "call th\nx"


async def test_text_typed_before_the_notes_pane_is_there_is_saved_on_quit(demo_path: Path, make_app,
                                                                          monkeypatch) -> None:
    import asyncio

    from infoint_tui.tui.screens.main import MainScreen

    gate = asyncio.Event()

    async def never_mount_rest(self: MainScreen) -> None:
        await gate.wait()

    monkeypatch.setattr(MainScreen, "_mount_rest", never_mount_rest)
    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause(0.3)
        screen = main_screen(app)
        selected = screen.selected_id
        assert selected is not None
        await asyncio.wait_for(pilot.press("3", *"quick thought"), 10)
        await pilot.press("ctrl+q")
        await pilot.pause()
        gate.set()
    store = Store.open(demo_path, lambda: NOW)
    try:
        assert "quick thought" in [n.text for n in store.detail(selected).notes]
    finally:
        store.close()


async def test_other_screens_are_styled_even_when_opened_before_their_css_is_read(demo_path: Path,
                                                                                  make_app) -> None:
    """screens.tcss is read after the first frame (start-up does not parse it); a screen pushed before
    that, by a key typed at once, reads it first."""
    from textual.content import Content

    from infoint_tui.tui.screens.forms import ConfirmModal

    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        css = str(app.SCREENS_CSS)
        assert not app.stylesheet.has_source(css), "read before the first frame"
        app.push_screen(ConfirmModal(Content("Sure?")))
        await settle(pilot)
        assert app.stylesheet.has_source(css)
        form = app.screen.query_one(".form")
        assert form.styles.border_top[0] == "round"
        assert form.styles.width is not None
        assert form.styles.width.value == 72  # from screens.tcss


async def test_garbage_collection_is_back_on_after_the_first_frame(demo_path: Path, make_app) -> None:
    """Start-up runs with the collector off (__main__); the first frame turns it back on, also when no
    list was read before start-up (a new or upgraded database), or the app would run without it."""
    import gc

    app = make_app(demo_path)
    assert main_screen_first_page(app) is None  # the path that used to miss it
    gc.disable()
    try:
        async with app.run_test(size=NARROW) as pilot:
            await settle(pilot)
            assert gc.isenabled()
            assert app.screen.query("KeyFooter")
            assert not app.screen.query("#footer-seat")
    finally:
        gc.enable()


def main_screen_first_page(app) -> object:  # type: ignore[no-untyped-def]
    return app._first_page


async def test_a_first_page_of_one_screenful_is_completed_after_the_first_frame(demo_path: Path,
                                                                               monkeypatch) -> None:
    """`infoint` reads only a screenful of people before its first frame; the rest of the list's first
    page (and the badges) follow it."""
    import os

    from infoint_tui.store import Store
    from infoint_tui.tui.app import InfointApp
    from infoint_tui.tui.run import first_rows

    from ..conftest import NOW

    monkeypatch.setattr("shutil.get_terminal_size", lambda *a, **k: os.terminal_size((80, 10)))
    assert first_rows() == 10
    store = Store.open(demo_path, lambda: NOW)
    total = store.count(Filter())
    first = (total, store.summaries(Filter(), 0, first_rows(), follow_ups=False))
    store.close()
    assert total > 30
    app = InfointApp(store, now=NOW, first_page=first)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        listed = main_screen(app).contact_list
        assert all(listed.item(i) is not None for i in range(total))
