"""The privacy mask (F4): no e-mail, phone, address or note text on the screen, remembered until toggled."""

from __future__ import annotations

from pathlib import Path

from infoint_tui import config
from infoint_tui.store import Store
from infoint_tui.tui.app import InfointApp
from infoint_tui.tui.screens.call import CallScreen
from infoint_tui.tui.screens.forms.contact_form import ContactFormModal
from infoint_tui.tui.text import MASK

from ..conftest import NOW
from .conftest import ask, main_screen, screen_text, settle


def _someone_with_everything(path: Path) -> tuple[int, str, str, str, str]:
    """(id, name, e-mail, phone, a line of a note) of a demo person who has all of them."""
    store = Store.open(path, lambda: NOW)
    for s in store.summaries(store_filter(), 0, 200):
        d = store.detail(s.id)
        c = d.contact
        notes = [n.text for n in d.notes if len(n.text.strip()) > 12]
        if c.email and c.phone and notes:
            store.edit(c.id, {"address": "12 Hidden Lane, Springfield"})
            line = next(x for x in notes[0].splitlines() if len(x.strip()) > 12).strip()[:12]
            store.close()
            return c.id, c.name, c.email, c.phone, line
    raise AssertionError("no demo person with an e-mail, a phone and notes")


def store_filter():  # type: ignore[no-untyped-def]
    from infoint_tui.domain.listing import Filter

    return Filter()


def _app(path: Path, *, mask_names: bool = False, masked: bool = False) -> InfointApp:
    store = Store.open(path, lambda: NOW)
    store.close()
    conf = config.Config(Path("config.toml"), ui=config.UiConfig(mask_names=mask_names))
    return InfointApp(store, now=NOW, config=conf, masked=masked)


async def test_f4_hides_contact_details_and_notes_everywhere_and_is_remembered(demo_path: Path) -> None:
    cid, name, email, phone, note = _someone_with_everything(demo_path)
    app = _app(demo_path)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        main_screen(app).selected_id = cid
        await settle(pilot)
        text = screen_text(app)
        assert email in text
        assert note in text
        await pilot.press("f4")
        await settle(pilot)
        text = screen_text(app)
        for secret in (email, phone, note):
            assert secret not in text, secret
        assert name in text  # names stay unless [ui] mask_names
        assert await ask(app, app.store.setting, "privacy_mask") == "1"
        # the edit form: the details are typed as a password is
        app.push_screen(ContactFormModal(lambda _: None, (await ask(app, app.store.contact, cid))))  # type: ignore[arg-type]
        await settle(pilot)
        text = screen_text(app)
        for secret in (email, phone, "12 Hidden Lane"):
            assert secret not in text, secret
        await pilot.press("escape")
        await settle(pilot)
        # call mode: the notes typed are not drawn
        app.push_screen(CallScreen(cid, now=NOW))
        await settle(pilot)
        await pilot.press(*"secret words")
        await settle(pilot)
        assert "secret words" not in screen_text(app)
        await pilot.press("f4")
        await settle(pilot)
        assert "secret words" in screen_text(app), (app.focused, app.screen.query_one("#call-editor").text)
        assert await ask(app, app.store.setting, "privacy_mask") == ""


async def test_masked_from_the_first_frame_and_names_reduced_to_initials(demo_path: Path) -> None:
    cid, name, email, _, _ = _someone_with_everything(demo_path)
    app = _app(demo_path, mask_names=True, masked=True)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        main_screen(app).selected_id = cid
        await settle(pilot)
        text = screen_text(app)
        assert email not in text
        assert name not in text
        initials = " ".join(p[0].upper() + "." for p in name.split() if p[0].isalnum())
        assert initials in text
    MASK.on = MASK.names = False


async def test_the_history_screen_hides_notes_under_the_mask(demo_path: Path) -> None:
    from infoint_tui.tui.screens.history import HistoryScreen

    cid, _, _, _, note = _someone_with_everything(demo_path)
    app = _app(demo_path)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        app.push_screen(HistoryScreen(cid, now=NOW))
        await settle(pilot)
        assert note in screen_text(app)
        await pilot.press("f4")
        await settle(pilot)
        assert note not in screen_text(app)
        await pilot.press("f4")
        await settle(pilot)
