"""The app on a PostgreSQL database when the server lets it down: nothing typed is lost."""

from __future__ import annotations

import pytest

from infoint_tui.paths import ServerAddress
from infoint_tui.store import Store
from infoint_tui.store.demo import seed_demo
from infoint_tui.tui.app import InfointApp

from ..conftest import NOW, PgCluster
from .conftest import ask, main_screen, settle

NARROW = (80, 24)


@pytest.fixture
def server_demo(postgres: PgCluster) -> ServerAddress:
    address = postgres.new_database()
    store = Store.open(address, lambda: NOW)
    seed_demo(store)
    store.close()
    return address


async def test_a_dropped_connection_mid_note_loses_nothing(postgres: PgCluster, server_demo: ServerAddress) -> None:
    """The server ends the app's connection (a restart, a dropped link) while a note is being typed: the
    save that meets it fails in one line, the text stays, and the next save connects again and stores it."""
    store = Store.open(server_demo, lambda: NOW)
    store.close()
    app = InfointApp(store, now=NOW)
    async with app.run_test(size=NARROW, notifications=True) as pilot:
        await settle(pilot)
        first = main_screen(app).contact_list.current
        assert first is not None
        await pilot.press("3", *"advice: talk to Priya")
        await pilot.press("ctrl+s")
        await settle(pilot)

        def backend() -> int:
            return int(app.store.db.connection().info.backend_pid)

        postgres.admin.execute("SELECT pg_terminate_backend(%s)", (await app.db.call(backend),))
        await pilot.press(*" in data eng")
        await pilot.press("ctrl+s")  # meets the dead connection
        await settle(pilot)
        said = " | ".join(str(n.message) for n in app._notifications)  # test-only: what the toasts said
        assert "cannot reach the PostgreSQL server" in said
        assert main_screen(app).notes.editor.text == "advice: talk to Priya in data eng"
        await main_screen(app).poll_changes()  # the next look for changes: no key pressed meanwhile
        await settle(pilot)
        notes = (await ask(app, app.store.detail, first.id)).notes
        assert "advice: talk to Priya in data eng" in [n.text for n in notes]  # saved once it answered
        await pilot.press(*"ineering")
        await pilot.press("ctrl+s")
        await settle(pilot)
        notes = (await ask(app, app.store.detail, first.id)).notes
        assert "advice: talk to Priya in data engineering" in [n.text for n in notes]
        await pilot.press("ctrl+q")
    assert not app.unsaved
