"""Issue 14 in the app: every action acts on the person the user sees, and every view tells the same story."""

from __future__ import annotations

from pathlib import Path

import pytest

from infoint_tui.domain.contacts import make_draft
from infoint_tui.domain.errors import NotFound
from infoint_tui.domain.model import Filter
from infoint_tui.store import Store
from infoint_tui.tui.screens.forms import ConfirmModal

from ..conftest import NOW
from .conftest import ask, main_screen, screen_text, settle

pytestmark = pytest.mark.both_backends  # the app on SQLite and on PostgreSQL

NARROW = (80, 24)


def toasts(app) -> str:  # type: ignore[no-untyped-def]
    """The notifications shown (test-only use of a private list: the toasts' text, however they wrap)."""
    return " | ".join(n.message for n in app._notifications)


async def _search(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("G", "slash", *text, "enter")
    await settle(pilot)


async def test_erase_after_a_search_names_and_erases_the_person_shown(demo_path: Path, make_app) -> None:
    """The repro at 80x24: G, /, sam, Enter, D read "Erase  and all…" and y erased the hidden last person."""
    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        everyone = await ask(app, app.store.summaries, Filter(), 0, 100)
        last = everyone[-1]
        await _search(pilot, "sam")
        screen = main_screen(app)
        [sam] = [s for s in everyone if s.name.startswith("Samuel")]
        assert screen.contact_list.total == 1
        assert screen.selected_id == sam.id
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        text = screen_text(app)
        assert "Erase Samuel Adeyemi, with" in text
        assert "cannot be undone" in text
        assert "1 meeting" in text or "meetings" in text
        await pilot.press("y")
        await settle(pilot)
        assert (await ask(app, app.store.contact, last.id)).id == last.id  # the hidden person is still there
        try:
            await ask(app, app.store.contact, sam.id)
            raise AssertionError("Samuel was not erased")
        except NotFound:
            pass


async def test_edit_draft_and_log_after_a_search_act_on_the_person_shown(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await _search(pilot, "sam")
        for key, shows in (("e", "Samuel Adeyemi"), ("i", "Log for Samuel Adeyemi"), ("w", "Samuel")):
            await pilot.press(key)
            await settle(pilot)
            assert shows in screen_text(app), key
            await pilot.press("escape")
            await settle(pilot)


async def test_a_search_that_shows_no_one_leaves_no_one_to_act_on(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=NARROW, notifications=True) as pilot:
        await settle(pilot)
        await _search(pilot, "zzzznobody")
        assert main_screen(app).selected_id is None
        before = await ask(app, app.store.count, Filter())
        await pilot.press("D")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmModal)
        assert "No one selected" in toasts(app)
        assert await ask(app, app.store.count, Filter()) == before


async def test_hostile_names_in_confirmations_stay_text(tmp_path: Path, make_app) -> None:
    path = tmp_path / "h.sqlite3"
    store = Store.open(path, lambda: NOW)
    store.add(make_draft("[b]Mal[/b] [link=x]o[/link]"))
    store.close()
    app = make_app(path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.pause(0.1)
        text = screen_text(app)
        assert "Erase [b]Mal[/b] [link=x]o[/link], with 0 notes, 0 meetings and 0" in text
        assert "interactions? This cannot be undone." in text
        await pilot.press("n")


async def test_unarchive_on_someone_not_archived_says_so(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=NARROW, notifications=True) as pilot:
        await settle(pilot)
        cid = main_screen(app).selected_id
        before = await ask(app, app.store.detail, cid)
        await pilot.press("u")
        await settle(pilot)
        assert f"{before.contact.name} is not archived; nothing changed." in toasts(app)
        assert await ask(app, app.store.detail, cid) == before


async def test_a_failing_background_task_is_told_and_logged(demo_path: Path, make_app, tmp_path: Path) -> None:
    """Issue 14 #9: a worker died of an AssertionError written only to the log; the user saw nothing."""
    from infoint_tui.paths import log_path

    app = make_app(demo_path)
    async with app.run_test(size=NARROW, notifications=True) as pilot:
        await settle(pilot)
        cid = main_screen(app).selected_id

        def broken(contact_id: int) -> None:
            raise AssertionError("a bug")

        app.store.detail = broken  # type: ignore[method-assign]
        await pilot.press("D")
        await settle(pilot)
        said = toasts(app)
        assert "Could not delete person (AssertionError); nothing was lost" in said
        assert str(log_path()) in said
        assert "AssertionError: a bug" in log_path().read_text()
        assert app.is_running
        assert (await ask(app, app.store.contact, cid)).id == cid


def _one_person(tmp_path: Path, *then) -> tuple[Path, int]:  # type: ignore[no-untyped-def]
    path = tmp_path / "one.sqlite3"
    store = Store.open(path, lambda: NOW)
    ada = store.add(make_draft("Ada Byron", company="Acme"))
    for step in then:
        step(store, ada.id)
    store.close()
    return path, ada.id


async def _today_on(app, pilot, rule: str):  # type: ignore[no-untyped-def]
    from textual.widgets import OptionList

    from infoint_tui.tui.screens.agenda import AgendaScreen

    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    assert isinstance(app.screen, AgendaScreen)
    ol = app.screen.query_one(OptionList)
    ol.highlighted = next(i for i in range(ol.option_count) if rule in (ol.get_option_at_index(i).id or ""))
    return app.screen


async def test_done_on_a_decline_in_today_adds_who_they_suggested(tmp_path: Path, make_app) -> None:
    from infoint_tui.domain.pipeline import Kind

    path, ada = _one_person(tmp_path, lambda s, i: s.log(i, Kind.DECLINED))
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _today_on(app, pilot, ":ask-referral:")
        await pilot.press("d")
        await settle(pilot)
        assert "Who did Ada Byron suggest?" in screen_text(app)
        await pilot.press(*"Bo Chen", "enter")
        await settle(pilot)
        [bo] = [c for c in await ask(app, app.store.find, "Bo Chen")]
        assert (await ask(app, app.store.contact, bo[0])).referred_by == ada
        assert await ask(app, app.store.followups) == []
        assert "ask them to recommend" not in screen_text(app)  # Today read again


async def test_done_on_a_decline_in_today_offers_to_archive(tmp_path: Path, make_app) -> None:
    from infoint_tui.domain.pipeline import Kind

    path, ada = _one_person(tmp_path, lambda s, i: s.log(i, Kind.DECLINED))
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _today_on(app, pilot, ":ask-referral:")
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert "archive Ada Byron as declined?" in screen_text(app)
        await pilot.press("y")
        await settle(pilot)
        assert (await ask(app, app.store.contact, ada)).archived


async def test_today_reads_again_after_a_call_started_from_it(tmp_path: Path, make_app) -> None:
    from datetime import timedelta

    from infoint_tui.tui.screens.agenda import AgendaScreen

    path, _ada = _one_person(tmp_path, lambda s, i: s.schedule(i, NOW + timedelta(hours=2)))
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _today_on(app, pilot, "m:")
        assert "meeting, phone" in screen_text(app)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert isinstance(app.screen, AgendaScreen)
        text = screen_text(app)
        assert "meeting, phone" not in text
        assert "Send a thank-you" in text


async def test_a_call_keeps_its_questions_its_real_date_and_shows_the_next_meeting(tmp_path: Path, make_app) -> None:
    """The header said "meeting scheduled today" for tomorrow's meeting; a meeting held early kept its planned
    date; the ticked questions were not kept."""
    from datetime import timedelta

    from infoint_tui.tui.screens.call import CallScreen

    path, ada = _one_person(tmp_path, lambda s, i: s.schedule(i, NOW + timedelta(days=1)))
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        call = app.screen
        assert isinstance(call, CallScreen)
        header = screen_text(app).splitlines()[:4]
        assert any("meeting tomorrow" in line for line in header), header
        assert not any("meeting scheduled" in line for line in header)
        first, second = call.questions[0].text, call.questions[1].text
        await pilot.press("ctrl+n", "ctrl+b")  # ask the first, skip the second
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        detail = await ask(app, app.store.detail, ada)
        [meeting] = detail.meetings  # type: ignore[attr-defined]
        assert meeting.held
        assert meeting.starts_at == NOW
        [note] = detail.notes  # type: ignore[attr-defined]
        assert f"Asked: {first}" in note.text
        assert f"Skipped: {second}" in note.text


async def test_z_undoes_the_last_change_and_shift_z_redoes_it(demo_path: Path, make_app) -> None:
    """z and Z reach the journal from the list: the stage comes back, the list shows it, a notice names it."""
    from infoint_tui.domain.pipeline import Stage

    app = make_app(demo_path)
    async with app.run_test(size=NARROW, notifications=True) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        first = screen.contact_list.current
        assert first is not None
        before = first.stage
        target = Stage.THANKED if before is not Stage.THANKED else Stage.TO_CONTACT
        await ask(app, app.store.move, first.id, target)  # as another terminal, or an earlier key, would
        await pilot.press("z")
        await settle(pilot)
        assert (await ask(app, app.store.contact, first.id)).stage is before
        assert "Undone" in toasts(app)
        assert screen.contact_list.current.stage is before
        await pilot.press("Z")
        await settle(pilot)
        assert (await ask(app, app.store.contact, first.id)).stage is target
        assert "Redone" in toasts(app)


async def test_erase_takes_only_y_and_says_who_loses_their_introducer(demo_path: Path, make_app) -> None:
    """Erasing is final: Enter (one press too many after D) answers no; the question says that the people
    this person introduced will no longer show who introduced them."""
    app = make_app(demo_path)
    async with app.run_test(size=NARROW) as pilot:
        await settle(pilot)
        everyone = await ask(app, app.store.summaries, Filter(), 0, 100)
        [jonas] = [s for s in everyone if s.name == "Jonas Berg"]  # he introduced Priya Raman
        await _search(pilot, "jonas")
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        text = screen_text(app)
        assert "1 person they introduced you to" in text
        assert "Enter: no" in text
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmModal)
        assert (await ask(app, app.store.contact, jonas.id)).name == "Jonas Berg"  # still there
