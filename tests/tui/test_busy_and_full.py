"""A note typed while another program writes, or when the disk is full: never lost, and said plainly."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

from infoint_tui import recovery
from infoint_tui.store import Store
from infoint_tui.tui.app import InfointApp

from ..conftest import NOW
from .conftest import main_screen, settle

NARROW = (80, 24)


def _notes_in_file(path: Path, contact_id: int) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [t for (t,) in con.execute("SELECT text FROM note WHERE contact_id = ? ORDER BY id", (contact_id,))]
    finally:
        con.close()


def _said(app: InfointApp) -> str:
    return " | ".join(str(n.message) for n in app._notifications)  # test-only: what the toasts said


def _app(path: Path, timeout: float = 5) -> InfointApp:
    store = Store.open(path, lambda: NOW, timeout=timeout)
    store.close()
    return InfointApp(store, now=NOW)


async def test_a_note_typed_while_another_program_writes_waits_and_is_saved(demo_path: Path) -> None:
    app = _app(demo_path, timeout=0.3)  # a short busy timeout: the test need not wait 5 s per try
    async with app.run_test(size=NARROW, notifications=True) as pilot:
        await settle(pilot)
        first = main_screen(app).contact_list.current
        assert first is not None
        other = sqlite3.connect(demo_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # an import in another terminal, mid-way
        other.execute("INSERT INTO setting(key, value) VALUES ('import', 'running')")
        try:
            await pilot.press("3", *"typed during the import")
            await pilot.pause(2.5)  # the autosave fires, finds the lock, and waits
            said = _said(app)
            assert "Waiting for the database" in said
            assert "NOT saved" not in said
            assert "typed during the import" not in _notes_in_file(demo_path, first.id)
        finally:
            other.execute("COMMIT")  # the import ends
            other.close()
        await pilot.pause(1.5)
        await settle(pilot)
        assert _notes_in_file(demo_path, first.id).count("typed during the import") == 1
        assert "free again: your note is saved" in _said(app)
        await pilot.press("ctrl+q")
    assert app.return_code == 0
    assert not app.unsaved


async def test_a_note_the_full_disk_refuses_is_kept_beside_the_database_and_comes_back(demo_path: Path) -> None:
    big = "".join(f"line {i}: a pasted transcript of the call\n" for i in range(8000))  # ~300 KB
    app = _app(demo_path)
    async with app.run_test(size=NARROW, notifications=True) as pilot:
        await settle(pilot)
        first = main_screen(app).contact_list.current
        assert first is not None

        def fill_up() -> None:  # SQLITE_FULL from SQLite's own limit on the file's size
            pages = app.store.db.execute_sql("PRAGMA page_count").fetchone()[0]
            app.store.db.execute_sql(f"PRAGMA max_page_count = {pages}")

        await app.db.call(fill_up)
        await pilot.press("3")
        main_screen(app).notes.editor.insert(big)
        await pilot.press("ctrl+s")
        await settle(pilot)
        said = _said(app)
        assert "is full; free some space" in said
        assert "kept in" in said
        assert "rollback" not in said
        assert main_screen(app).notes.editor.text == big  # still in the editor
        await pilot.press(*"and more")
        await pilot.press("ctrl+q")
    assert app.return_code == 1
    assert app.unsaved
    assert app.exit_message is not None
    assert "is full; free some space" in app.exit_message
    assert str(recovery.folder(demo_path)) in app.exit_message
    assert "\n" not in app.exit_message
    kept = recovery.pending(demo_path)
    assert len(kept) == 1
    assert kept[0].text == big + "and more"
    assert kept[0].contact_id == first.id
    assert stat.S_IMODE(kept[0].path.stat().st_mode) == 0o600
    assert stat.S_IMODE(recovery.folder(demo_path).stat().st_mode) == 0o700
    assert big + "and more" not in _notes_in_file(demo_path, first.id)

    again = _app(demo_path)  # the next start, with space again
    async with again.run_test(size=NARROW, notifications=True) as pilot:
        await settle(pilot)
        await pilot.pause(0.3)
        await settle(pilot)
        assert "Recovered 1 note" in _said(again)
        assert first.name in _said(again)
        await pilot.press("ctrl+q")
    assert _notes_in_file(demo_path, first.id).count(big + "and more") == 1
    assert recovery.pending(demo_path) == []
    assert not recovery.folder(demo_path).exists()


def test_info_mentions_notes_waiting_in_recovery_files(demo_path: Path, capsys) -> None:
    from infoint_tui.cli import main

    assert main(["--db", str(demo_path), "info", "--json"]) == 0
    assert '"recovered_notes": 0' in capsys.readouterr().out
    recovery.keep(demo_path, 1, "kept when the disk was full", reason="full")
    assert main(["--db", str(demo_path), "info"]) == 0
    out = capsys.readouterr().out
    assert "1 note the database could not take" in out
    assert str(recovery.folder(demo_path)) in out
