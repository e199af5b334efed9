"""Issue 19's 80x24 frictions, each checked at 80x24."""

from __future__ import annotations

import asyncio
from pathlib import Path

from infoint_tui.domain.model import ContactDraft
from infoint_tui.domain.text import people
from infoint_tui.store import Store

from ..conftest import NOW
from .conftest import screen_text, settle


def test_people_counts_read_right() -> None:
    assert (people(0), people(1), people(2), people(1204)) == ("0 people", "1 person", "2 people", "1,204 people")


async def test_one_person_is_one_person_at_80x24(db_path: Path, make_app) -> None:
    store = Store.open(db_path, lambda: NOW)
    store.add(ContactDraft(name="Ada Lovelace"))
    store.close()
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        top = screen_text(app).splitlines()[0]
        assert "1 person" in top
        assert "1 people" not in top


async def test_the_draft_offers_the_thank_you_when_one_is_due_at_80x24(demo_path: Path, make_app) -> None:
    from infoint_tui.tui.screens.documents import DraftScreen

    from .conftest import ask, main_screen

    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        owed = [f for f in await ask(app, app.store.followups) if f.rule == "thank-you"]  # type: ignore[attr-defined]
        assert owed
        main_screen(app).selected_id = owed[0].contact_id
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, DraftScreen)
        assert app.screen.template == "thank-you"
        text = screen_text(app)
        assert "Thank you for taking the time" in text
        assert "✗" not in text  # not judged as a request: no "end with a question", no "name the connection"
        assert "question" not in text


async def test_the_import_dialog_reads_and_the_export_dialog_follows_the_format_at_80x24(demo_path: Path,
                                                                                          make_app) -> None:
    from textual.widgets import Input

    from infoint_tui.tui.screens.documents import ExportModal, PathModal

    from .conftest import main_screen

    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        main_screen(app).action_import()
        await settle(pilot)
        assert isinstance(app.screen, PathModal)
        text = screen_text(app)
        assert "readable by you only" not in text
        assert "Save" not in text
        assert "Read" in text
        app.screen.query_one("#f-path", Input).value = ""
        await pilot.press("enter")
        await settle(pilot)
        # an empty name is answered with the kind of file asked for (it offered ~/dossier.md)
        assert "is empty; give a file name such as ~/Connections.csv." in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        main_screen(app).action_export()
        await settle(pilot)
        assert isinstance(app.screen, ExportModal)
        assert "Export" in screen_text(app)
        fmt = app.screen.query_one("#f-format", Input)
        path = app.screen.query_one("#f-path", Input)
        fmt.value = "csv"
        await pilot.pause()
        assert path.value == "~/infoint-export.csv"
        fmt.value = "vcard"
        await pilot.pause()
        assert path.value == "~/infoint-export.vcf"
        path.value = "~/mine.txt"
        fmt.value = "md"
        await pilot.pause()
        assert path.value == "~/mine.txt"  # an ending the user chose is theirs
        await pilot.press("escape")


async def test_a_long_import_says_how_far_it_is_from_its_first_second(monkeypatch) -> None:
    """The app's import shows nothing until its first toast: at one second, then every two (it waited
    two seconds for the first, most of a 100,000-row import)."""
    import infoint_tui.tui.screens.transfer as transfer

    now = [100.0]
    monkeypatch.setattr(transfer.time, "monotonic", lambda: now[0])
    said: list[str] = []

    class Screen:
        def notify(self, message: str, **_: object) -> None:
            said.append(message)

    report = transfer.TransferActions._import_progress(Screen(), "Importing", object())  # type: ignore[arg-type]
    for moment, done in ((100.5, 5_000), (101.1, 10_000), (102.0, 15_000), (103.2, 20_000)):
        now[0] = moment
        report(done, 100_000)
    await asyncio.sleep(0)  # the toasts are handed to the event loop
    assert said == ["Importing: 10,000 of 100,000 rows…", "Importing: 20,000 of 100,000 rows…"]
