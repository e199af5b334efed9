"""Call mode, from the keyboard: open, tick, stamp, referral, $EDITOR, end → the store's state."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from pathlib import Path

import pytest

from infoint_tui.domain.model import Filter
from infoint_tui.domain.pipeline import Kind, Stage
from infoint_tui.tui.screens.call import CallScreen, stamp, timer_state
from infoint_tui.tui.screens.forms import ConfirmModal

from .conftest import ask, main_screen, screen_text, settle

pytestmark = pytest.mark.both_backends  # the app on SQLite and on PostgreSQL

EVE = 16  # [/] Eve "the Tester": to contact, first in the list
PRIYA = 3  # Priya Raman: scheduled, 45-minute meeting


@pytest.mark.parametrize(("seconds", "planned", "state"), [
    (0, None, ""), (19 * 60, None, ""), (20 * 60, None, "warn"), (30 * 60, None, "alert"),
    (29 * 60, 45, ""), (30 * 60, 45, "warn"), (44 * 60, 45, "warn"), (45 * 60, 45, "alert"), (10 * 60, 15, "warn"),
])
def test_timer_colours(seconds: int, planned: int | None, state: str) -> None:
    assert timer_state(seconds, planned) == state


def test_stamps() -> None:
    assert (stamp(0), stamp(724), stamp(3725)) == ("[00:00]", "[12:04]", "[1:02:05]")


async def _open_call(app, pilot, contact_id: int) -> CallScreen:  # type: ignore[no-untyped-def]
    main_screen(app).selected_id = contact_id
    await settle(pilot)
    await pilot.press("c")
    await settle(pilot)
    assert isinstance(app.screen, CallScreen)
    return app.screen


async def test_call_opens_with_the_editor_focused_and_everything_shown(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        call = await _open_call(app, pilot, PRIYA)
        assert call.editor.has_focus
        text = screen_text(app)
        assert "Call with Priya Raman" in text
        assert "via Jonas Berg" in text
        assert "Who else should I talk to?" in text, text
        assert "Ask for advice, not a job." in text, text
        assert "Trends" in text
        assert "Insights" in text
        assert "Advice" in text
        assert "Resources" in text
        assert call.planned_minutes == 45
        await pilot.press("ctrl+l")
        assert "I'm a data analyst" in screen_text(app)


async def test_the_whole_call(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        call = await _open_call(app, pilot, PRIYA)
        await pilot.press(*"Intro", "ctrl+t", *"asked about dbt")
        assert call.editor.text.startswith("Intro[00:0")
        assert call.editor.text.endswith("] asked about dbt")
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+b", "ctrl+n")
        assert len(call.ticked) == 3
        first_q = call.questions[0].id
        assert first_q in call.ticked
        await pilot.press("ctrl+r", *"Sam Lee", "tab", *"Northwind", "enter")
        await settle(pilot)
        [sam] = await ask(app, app.store.summaries, Filter(query="Sam Lee"))
        sam_contact = await ask(app, app.store.contact, sam.id)
        assert (sam_contact.referred_by, sam_contact.company, sam_contact.stage) == (PRIYA, "Northwind",
                                                                                   Stage.TO_CONTACT)
        assert any(q.always and q.id in call.ticked for q in call.questions)  # "who else" answered
        assert call.editor.has_focus  # straight back to typing
        await pilot.press(*" more")
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert not isinstance(app.screen, CallScreen)  # back where the user was
        d = await ask(app, app.store.detail, PRIYA)
        assert d.contact.stage is Stage.MET
        held = [m for m in d.meetings if m.held]
        assert len(held) == 1
        assert held[0].minutes == 45
        assert held[0].held_minutes == 1
        call_events = [e for e in d.history if e.kind is Kind.CALL]
        assert len(call_events) == 1
        assert call_events[0].meeting_id == held[0].id
        [note] = [n for n in d.notes if n.meeting_id == held[0].id]
        typed, kept = note.text.split("\n\n", 1)  # what was typed, then the questions asked and skipped
        assert typed.endswith("asked about dbt more")
        assert kept.startswith("Asked: ")
        [row] = [r for r in await ask(app, app.store.summaries, Filter(stage=Stage.MET)) if r.id == PRIYA]
        assert row.thank_you_due  # the thank-you follow-up starts now
        assert main_screen(app).selected_id == PRIYA


async def test_ending_a_call_with_someone_not_scheduled_asks_first(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _open_call(app, pilot, EVE)
        await pilot.press(*"short chat", "ctrl+f")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")  # record the call but keep the stage
        await settle(pilot)
        d = await ask(app, app.store.detail, EVE)
        assert d.contact.stage is Stage.TO_CONTACT
        assert [e.kind for e in d.history].count(Kind.CALL) == 1
        assert d.notes[0].text == "short chat"
        assert d.notes[0].meeting_id == d.meetings[-1].id


async def test_esc_offers_to_leave_without_recording(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _open_call(app, pilot, PRIYA)
        await pilot.press(*"wrong person", "escape")
        await settle(pilot)
        await pilot.press("escape")  # keep going
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
        assert app.screen.editor.has_focus
        await pilot.press("escape", "l")
        await settle(pilot)
        assert not isinstance(app.screen, CallScreen)
        d = await ask(app, app.store.detail, PRIYA)
        assert d.contact.stage is Stage.SCHEDULED
        assert Kind.CALL not in [e.kind for e in d.history]
        assert d.notes[0].text == "wrong person"


async def test_quit_during_a_call_saves_the_note(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _open_call(app, pilot, PRIYA)
        await pilot.press(*"said at the last second", "ctrl+q")
    from infoint_tui.store import Store

    store = Store.open(demo_path)
    assert store.detail(PRIYA).notes[0].text == "said at the last second"
    store.close()


async def test_the_note_goes_to_editor_and_back(demo_path: Path, make_app, tmp_path: Path, monkeypatch) -> None:
    script = tmp_path / "fake-editor"
    script.write_text(f"#!{sys.executable}\nimport sys, os, stat\np = sys.argv[1]\n"
                      "open(p + '.mode', 'w').write(oct(os.stat(p).st_mode & 0o777))\n"
                      "open(p, 'a').write(' + added in vim\\x1b[31m')\n")
    script.chmod(0o700)
    monkeypatch.setenv("EDITOR", str(script))
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app(demo_path)
    monkeypatch.setattr(type(app), "suspend", lambda self: contextlib.nullcontext())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        call = await _open_call(app, pilot, PRIYA)
        await pilot.press(*"typed here")
        await pilot.press("ctrl+o")
        await settle(pilot)
        await pilot.pause(0.3)
        await settle(pilot)
        assert call.editor.text == "typed here + added in vim"
        assert call.editor.has_focus
    from infoint_tui.store import Store

    store = Store.open(demo_path)
    assert store.detail(PRIYA).notes[0].text == "typed here + added in vim"
    store.close()


async def test_call_from_the_command_line_starts_in_call_mode(demo_path: Path) -> None:
    from infoint_tui.store import Store
    from infoint_tui.tui.app import InfointApp

    from ..conftest import NOW

    app = InfointApp(Store.open(demo_path, lambda: NOW), now=NOW, call_id=PRIYA)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
        assert app.screen.editor.has_focus
        assert "Call with Priya Raman" in screen_text(app)


async def test_call_mode_from_the_board_and_the_editor(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("2", "c")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)
        await pilot.press("escape", "l")
        await settle(pilot)
        await pilot.press("3", "f2")
        await settle(pilot)
        assert isinstance(app.screen, CallScreen)


def test_editor_temp_file_is_private() -> None:
    # The $EDITOR round trip writes the note to a file: it must be 0600 in a 0700 folder.
    import tempfile

    with tempfile.TemporaryDirectory(prefix="infoint-") as tmp:
        assert stat.S_IMODE(os.stat(tmp).st_mode) == 0o700


async def test_the_key_that_ends_the_call_stays_in_the_footer_at_80x24(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _open_call(app, pilot, PRIYA)
        assert "End call" in screen_text(app).splitlines()[-1]


def test_the_timer_turns_at_the_configured_minutes() -> None:
    assert timer_state(12 * 60, None, 10, 15) == "warn"
    assert timer_state(16 * 60, None, 10, 15) == "alert"
    assert timer_state(12 * 60, None) == ""


async def test_the_whole_pitch_shows_at_80x24(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _open_call(app, pilot, PRIYA)
        await pilot.press("ctrl+l")
        await settle(pilot)
        text = screen_text(app)
        assert "Your pitch" in text
        assert "doing this well." in text  # its last words: eight lines cut it after six


async def test_notifications_stay_off_the_note_being_typed_at_80x24(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        call = await _open_call(app, pilot, PRIYA)
        app.notify("Added Sam Lee to 'to contact', referred by Priya Raman.")
        await settle(pilot)
        await pilot.pause(0.2)
        toast = call.query_one("Toast")
        assert toast.region.width > 0
        assert toast.region.right <= call.editor.region.x
