"""The Today view and the documents, from the keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, TextArea

from infoint_tui.domain.pipeline import Kind, Stage
from infoint_tui.tui.screens.agenda import AgendaScreen
from infoint_tui.tui.screens.documents import DossierScreen, DraftScreen

from .conftest import ask, main_screen, screen_text, settle

pytestmark = pytest.mark.both_backends  # the app on SQLite and on PostgreSQL


async def _today(app, pilot) -> AgendaScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    assert isinstance(app.screen, AgendaScreen)
    return app.screen


async def test_today_lists_overdue_today_and_next_days(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await _today(app, pilot)
        text = screen_text(app)
        assert text.index("OVERDUE") < text.index("TODAY") < text.index("NEXT 7 DAYS")
        assert "Send a thank-you" in text
        assert "meeting, " in text
        assert "replies" in text
        assert "median" in text


async def test_done_from_today_logs_the_thank_you(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await _today(app, pilot)
        ol = app.screen.query_one(OptionList)
        target = next(i for i in range(ol.option_count) if (ol.get_option_at_index(i).id or "").startswith("f:")
                      and ":thank-you:" in (ol.get_option_at_index(i).id or ""))
        ol.highlighted = target
        item = screen._current()
        before = len(await ask(app, app.store.followups))
        await pilot.press("d")
        await settle(pilot)
        after = await ask(app, app.store.followups)
        assert len(after) == before  # the thank-you is done; its report-back follow-up starts
        detail = await ask(app, app.store.detail, item.contact_id)  # type: ignore[union-attr]
        assert Kind.THANK_YOU in [e.kind for e in detail.history[-2:]]  # type: ignore[attr-defined]
        assert detail.contact.stage is Stage.THANKED  # as logging the thank-you does  # type: ignore[attr-defined]


async def test_snooze_and_dismiss_and_open(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await _today(app, pilot)
        first = screen._current()
        await pilot.press("z")
        await settle(pilot)
        app.screen.query_one("#f-until", Input).value = "+20d"
        await pilot.press("enter")
        await settle(pilot)
        keys = [f.key for f in await ask(app, app.store.followups, None, __import__(
            "infoint_tui.domain.followups", fromlist=["Rules"]).Rules())]
        assert first.key in keys  # type: ignore[union-attr]
        assert first.key not in [f.key for f in (await ask(app, app.store.agenda)).overdue]  # type: ignore[union-attr]
        second = screen._current()
        await pilot.press("x")
        await settle(pilot)
        assert second.key not in [f.key for f in await ask(app, app.store.followups)]  # type: ignore[union-attr]
        target = screen._current()
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, AgendaScreen)
        assert main_screen(app).selected_id == screen._contact_of(target)  # type: ignore[arg-type]


async def test_dossier_of_the_selected_persons_company(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        main_screen(app).selected_id = 1  # Maya Okafor, Northwind Analytics
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DossierScreen)
        text = screen_text(app)
        assert "# Northwind Analytics" in text
        assert "## Jonas Berg" in text
        assert "Major points" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, DossierScreen)


async def test_the_dossier_shows_hostile_names_as_typed_without_markdowns_escapes(demo_path: Path, make_app) -> None:
    """On screen the dossier is read as it is: "[/] Eve", not "\\[/\\] Eve"; the file it saves keeps the
    escapes a Markdown reader needs."""
    app = make_app(demo_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        main_screen(app).selected_id = 16  # [/] Eve "the Tester", Sprocket & Sons
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, DossierScreen)
        text = screen_text(app)
        assert '## [/] Eve "the Tester"' in text
        assert "## Ada [bold]Lovelace[/bold]" in text
        assert "\\" not in text
        assert "\\[/\\] Eve" in app.screen.markdown  # what Ctrl+S writes


async def test_draft_checks_live_and_marks_sent(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        main_screen(app).selected_id = 3  # Priya, referred by Jonas
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, DraftScreen)
        text = screen_text(app)
        assert "Jonas Berg suggested" in text
        assert "✓ names Jonas Berg first" in text
        area = app.screen.query_one(TextArea)
        area.load_text("Hi Priya,\n\nAre you hiring? Here is my resume.\n\nAda")
        await pilot.pause()
        text = screen_text(app)
        assert "✗ sounds like a job ask" in text
        assert "✗ name the connection first" in text
        await pilot.press("ctrl+g")
        await settle(pilot)
        d = await ask(app, app.store.detail, 3)
        assert d.history[-1].kind is Kind.OUTREACH
        assert d.notes[0].text.startswith("Sent:\nHi Priya")


async def test_import_from_the_palette_previews_before_writing(tmp_path: Path, make_app) -> None:
    from infoint_tui.tui.screens.forms import ConfirmModal

    fixture = Path(__file__).parent.parent / "fixtures" / "linkedin_connections.csv"
    app = make_app(tmp_path / "empty.sqlite3")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        main_screen(app).action_import()
        await settle(pilot)
        app.screen.query_one("#f-path", Input).value = str(fixture)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert "3 to add, 0 to update, 0 unchanged, 1 skipped" in str(app.screen.question)
        assert "line 7: skipped: no name" in str(app.screen.question)
        assert await ask(app, app.store.count) == 0  # nothing written yet
        await pilot.press("y")
        await settle(pilot)
        assert await ask(app, app.store.count) == 3
        assert main_screen(app).contact_list.total == 3


async def test_export_from_the_palette(tmp_path: Path, demo_path: Path, make_app) -> None:
    import os

    from infoint_tui.tui.screens.forms import ConfirmModal

    app = make_app(demo_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        main_screen(app).action_export()
        await settle(pilot)
        out = tmp_path / "all.vcf"
        app.screen.query_one("#f-format", Input).value = "vcard"
        app.screen.query_one("#f-path", Input).value = str(out)
        await pilot.press("enter")
        await settle(pilot)
        assert out.read_text().count("BEGIN:VCARD") == 40
        assert (os.stat(out).st_mode & 0o777) == 0o600
        # The same path again: the app asks before replacing the file; n keeps it, y replaces it.
        for answer, expected in (("n", "BEGIN:VCARD"), ("y", "BEGIN:VCALENDAR")):
            out.write_text("BEGIN:VCARD\n")
            main_screen(app).action_export()
            await settle(pilot)
            app.screen.query_one("#f-format", Input).value = "ics"
            app.screen.query_one("#f-path", Input).value = str(out)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmModal)
            await pilot.press(answer)
            await settle(pilot)
            assert out.read_text().startswith(expected), answer


async def test_import_of_a_malformed_file_names_it_and_writes_nothing(tmp_path: Path, make_app) -> None:
    """The app's import reads files with the command line's reader: the same one-line error, file and line."""
    fixture = Path(__file__).parent.parent / "fixtures" / "broken.csv"
    app = make_app(tmp_path / "empty.sqlite3")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        main_screen(app).action_import()
        await settle(pilot)
        app.screen.query_one("#f-path", Input).value = str(fixture)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is main_screen(app)  # no preview to confirm
        said = [str(n.message) for n in app._notifications]
        assert any("broken.csv" in m and "line" in m for m in said), said
        assert await ask(app, app.store.count) == 0


async def test_today_stops_at_its_ends_and_has_first_and_last_keys_at_80x24(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _today(app, pilot)
        ol = app.screen.query_one(OptionList)
        enabled = [i for i, o in enumerate(ol.options) if not o.disabled]
        await pilot.press("G")
        assert ol.highlighted == enabled[-1]
        await pilot.press("j", "down")
        assert ol.highlighted == enabled[-1]  # no wrap-around to the top
        await pilot.press("g")
        assert ol.highlighted == enabled[0]
        await pilot.press("k", "up")
        assert ol.highlighted == enabled[0]


async def test_help_from_today_lists_todays_keys_first_and_the_documents_keys(demo_path: Path, make_app) -> None:
    from textual.widgets import Static

    from infoint_tui.tui.screens.help import HelpScreen

    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _today(app, pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "Here: Today" in screen_text(app)
        body = str(app.screen.query_one("#help-body Static", Static).render())
        assert body.index("Here: Today") < body.index("Everywhere")
        lines = body.splitlines()
        assert any("d" in line.split() and "Done" in line for line in lines)
        for section in ("Outreach draft", "Dossier", "Call mode"):
            assert section in body
        assert "Template" in body  # the draft's ctrl+t
        assert "Mask" in body  # F4
        assert "help_quit" not in body


async def test_w_in_today_writes_the_thank_you_that_is_due_at_80x24(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _today(app, pilot)
        ol = app.screen.query_one(OptionList)
        ol.highlighted = next(i for i in range(ol.option_count)
                              if ":thank-you:" in (ol.get_option_at_index(i).id or ""))
        item = screen._current()
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, DraftScreen)
        assert app.screen.template == "thank-you"
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen)
        detail = await ask(app, app.store.detail, item.contact_id)  # type: ignore[union-attr]
        assert Kind.THANK_YOU in [e.kind for e in detail.history[-2:]]  # type: ignore[attr-defined]


async def test_today_lists_meetings_and_follow_ups_in_time_order(demo_path: Path, make_app) -> None:
    """TODAY is one timeline: a thank-you due this morning comes above this afternoon's meeting."""
    from datetime import datetime

    app = make_app(demo_path)
    async with app.run_test(size=(120, 40)) as pilot:
        today = await _today(app, pilot)
        ol = today.query_one(OptionList)
        lines = [str(ol.get_option_at_index(i).prompt) for i in range(ol.option_count)]
        start = next(i for i, line in enumerate(lines) if line.startswith("TODAY"))
        end = next((i for i in range(start + 1, len(lines)) if lines[i].isupper()), len(lines))
        items = [today.items[ol.get_option_at_index(i).id] for i in range(start + 1, end)
                 if ol.get_option_at_index(i).id]
        times: list[datetime] = [i[0].starts_at if isinstance(i, tuple) else i.due for i in items]
        assert len(times) >= 2, lines  # the demo has a meeting and follow-ups today
        assert times == sorted(times), lines[start:end]


async def test_z_on_a_meeting_says_how_to_move_it(demo_path: Path, make_app) -> None:
    """z on a meeting row did nothing at all; it says what to do instead (d already did)."""
    app = make_app(demo_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        today = await _today(app, pilot)
        ol = today.query_one(OptionList)
        meeting_row = next(i for i in range(ol.option_count)
                           if (ol.get_option_at_index(i).id or "").startswith("m:"))
        ol.highlighted = meeting_row
        await pilot.press("z")
        await settle(pilot)
        assert any("moved, not snoozed" in str(n.message) for n in app._notifications)
        assert isinstance(app.screen, AgendaScreen)  # no snooze form for a meeting
