"""People with big notes (issue 15): typing at once after opening them is never lost, earlier notes show
a bounded preview with the note's size, scroll from the keyboard, and open whole in $EDITOR."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from pathlib import Path

import pytest
from textual import events

from infoint_tui.domain.contacts import make_draft
from infoint_tui.store import Store
from infoint_tui.tui.app import InfointApp
from infoint_tui.tui.widgets.earlier_notes import PREVIEW_LINES, EarlierNotes

from ..conftest import NOW
from .conftest import main_screen, screen_text, settle

MB = 1_000_000


def big_text(seed: int, size: int = MB) -> str:
    """``size`` characters of prose-like lines (wrapped in the pane like a real note)."""
    line = f"note {seed}: the quick brown fox talks about the data platform team and their roadmap "
    return (line * (size // len(line) + 1))[:size]


def make_db(path: Path) -> dict[str, int]:
    """Big (one 1 MB note), Many (68 notes, two of 1 MB) and Hostile, in that order in the list."""
    store = Store.open(path, lambda: NOW)
    try:
        big = store.add(make_draft("Aaron Big")).id
        store.add_note(big, big_text(0))
        many = store.add(make_draft("Abby Many")).id
        for i in range(68):
            store.add_note(many, big_text(i) if i in (10, 40) else f"note {i}: " + "some words here " * 20)
        hostile = store.add(make_draft("Abe Hostile")).id
        store.add_note(hostile, "[bold]not bold[/bold] [@click=app.quit]no link[/] $text-muted")
        return {"big": big, "many": many, "hostile": hostile}
    finally:
        store.close()


@pytest.fixture
def big_db(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    path = tmp_path / "big.sqlite3"
    return path, make_db(path)


def burst(app: InfointApp, *keys: str) -> None:
    """Hand ``keys`` to the app all at once, as its driver does with one read from the terminal."""
    for key in keys:
        char = key if len(key) == 1 else {"enter": "\r", "ctrl+q": "\x11"}[key]
        app.post_message(events.Key("space" if key == " " else key, char))


def notes_of(path: Path, contact_id: int) -> list[str]:
    store = Store.open(path, lambda: NOW)
    try:
        return [n.text for n in store.detail(contact_id).notes]
    finally:
        store.close()


@pytest.mark.parametrize(("who", "downs"), [("big", 0), ("many", 1)])
async def test_typing_at_once_after_opening_big_notes_is_saved(big_db, make_app, who: str, downs: int) -> None:
    path, ids = big_db
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*["down"] * downs)
        await settle(pilot)
        # One burst, as a terminal delivers a fast typist's keys: Enter, the text, Ctrl+Q, none waiting for the
        # one before (Pilot.press would wait for the app to be idle after each).
        burst(app, "enter", *"met at the meetup", "ctrl+q")
        for _ in range(200):
            if not app.is_running:
                break
            await asyncio.sleep(0.05)
    assert "met at the meetup" in notes_of(path, ids[who])


async def test_a_big_note_shows_in_part_with_its_size(big_db, make_app) -> None:
    path, ids = big_db
    app = make_app(path)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        screen.selected_id = ids["many"]
        await settle(pilot)
        earlier = screen.notes.query_one(EarlierNotes)
        assert len(earlier._notes) == 68
        # Every note is there, the big ones cut to a preview: the rows do not grow with the megabytes.
        assert 68 < len(earlier._rows) < 68 * 3 + 2 * (PREVIEW_LINES * 2 + 2)
        screen.selected_id = ids["big"]
        await settle(pilot)
        shown = " ".join(line.plain.strip() for line, _ in earlier._rows)  # the rows drawn, unwrapped
        assert "1.0 MB, shown in part: F3 then Ctrl+O opens it whole in $EDITOR" in shown
        assert "1.0 MB, shown in part" in screen_text(app)  # at the top: seen without scrolling


async def test_earlier_notes_scroll_from_the_keyboard_and_typing_goes_to_the_note(big_db, make_app) -> None:
    path, ids = big_db
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        screen = main_screen(app)
        earlier = screen.notes.query_one(EarlierNotes)
        await pilot.press("f3")
        assert earlier.has_focus
        await pilot.press("pagedown", "down")
        await settle(pilot)
        assert earlier.scroll_offset.y > 0
        await pilot.press(*"typed", "ctrl+q")  # typing is never a command here: it goes into the note
    assert "typed" in notes_of(path, ids["many"])


async def test_earlier_notes_show_hostile_text_literally(big_db, make_app) -> None:
    path, ids = big_db
    app = make_app(path)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        main_screen(app).selected_id = ids["hostile"]
        await settle(pilot)
        text = screen_text(app)
        assert "[bold]not bold[/bold]" in text
        assert "[@click=app.quit]no link[/]" in text


async def test_ctrl_o_opens_a_big_note_whole_in_editor(big_db, make_app, tmp_path: Path, monkeypatch) -> None:
    path, ids = big_db
    script = tmp_path / "fake-editor"
    script.write_text(f"#!{sys.executable}\nimport sys\np = sys.argv[1]\n"
                      "open(p + '.len', 'w').write(str(len(open(p).read())))\n"
                      "open(p, 'a').write(' + read it all')\n")
    script.chmod(0o700)
    monkeypatch.setenv("EDITOR", str(script))
    monkeypatch.delenv("VISUAL", raising=False)
    app = make_app(path)
    monkeypatch.setattr(type(app), "suspend", lambda self: contextlib.nullcontext())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f3", "ctrl+o")
        await settle(pilot)
        assert main_screen(app).notes.editor.has_focus
    [text] = notes_of(path, ids["big"])
    assert text == big_text(0) + " + read it all"  # the whole note went out and came back
