"""Files on disk: an empty database file, a data folder open to others, a CSV note longer than csv allows."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from infoint_tui.cli import main
from infoint_tui.domain.errors import StoreError
from infoint_tui.domain.listing import Filter
from infoint_tui.domain.text import MAX_NOTE
from infoint_tui.exchange import readers
from infoint_tui.paths import resolve_db_path
from infoint_tui.store import Store, sqlite
from infoint_tui.tui import run as run_module

EMPTY = r"is empty \(0 bytes\): not a database; move it aside or delete it"


# --- an empty file where the database should be ------------------------------------------------


def test_an_empty_database_file_is_refused_not_made_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "infoint.sqlite3"
    path.write_bytes(b"")  # a truncated copy, a full disk, a sync tool
    with pytest.raises(StoreError, match=EMPTY):
        Store.open(path)
    assert path.stat().st_size == 0, "the empty file was written to"
    assert not Path(f"{path}-wal").exists()


def test_the_command_line_says_so_in_one_line(tmp_path: Path, capsys) -> None:
    path = tmp_path / "infoint.sqlite3"
    path.write_bytes(b"")
    assert main(["--db", str(path), "list"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"{path} is empty (0 bytes): not a database; move it aside or delete it." in err


def test_the_app_says_so_before_it_starts(tmp_path: Path, capsys, monkeypatch) -> None:
    path = tmp_path / "infoint.sqlite3"
    path.write_bytes(b"")
    monkeypatch.setattr(run_module, "not_a_terminal", lambda: None)

    def started(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the app started on an empty file")

    monkeypatch.setattr("infoint_tui.tui.app.InfointApp", started)
    assert run_module.run(path) == 1
    assert "is empty (0 bytes)" in capsys.readouterr().err
    assert path.stat().st_size == 0


def test_a_new_database_is_created_and_opens_again(tmp_path: Path) -> None:
    path = tmp_path / "new" / "infoint.sqlite3"
    Store.open(path).close()
    assert path.stat().st_size > 0
    Store.open(path).close()


def test_a_database_whose_creation_was_cut_short_still_opens(tmp_path: Path) -> None:
    """The file we create gets its header at once: a process killed before the schema was written
    leaves an empty database, which opens (and gets its schema) next time, not 0 bytes, refused."""
    path = tmp_path / "infoint.sqlite3"
    sqlite.connect(path).close()  # created; the migrations never ran
    assert path.stat().st_size > 0
    store = Store.open(path)
    assert store.count(Filter()) == 0
    store.close()


# --- the data folder --------------------------------------------------------------------------


def _data_folder(tmp_path: Path) -> Path:
    return tmp_path / "xdg-data" / "infoint"  # conftest points XDG_DATA_HOME there


def test_an_open_data_folder_is_made_private(tmp_path: Path) -> None:
    folder = _data_folder(tmp_path)
    folder.mkdir(parents=True)
    folder.chmod(0o755)
    assert resolve_db_path(None, env={}) == folder / "infoint.sqlite3"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_the_command_line_makes_it_private_too(tmp_path: Path, capsys) -> None:
    folder = _data_folder(tmp_path)
    folder.mkdir(parents=True)
    folder.chmod(0o750)
    assert main(["list"]) == 0
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert "warning" not in capsys.readouterr().err


def test_a_data_folder_that_cannot_be_made_private_is_warned_about(tmp_path: Path, capsys, monkeypatch) -> None:
    folder = _data_folder(tmp_path)
    folder.mkdir(parents=True)
    folder.chmod(0o755)

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "chmod", refuse)
    resolve_db_path(None, env={})
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"the data folder {folder} is open to other users (mode 755)" in err
    assert f"chmod 700 {folder}" in err


def test_a_folder_named_with_db_is_left_as_the_user_made_it(tmp_path: Path) -> None:
    folder = tmp_path / "shared-notes"
    folder.mkdir()
    folder.chmod(0o755)
    assert main(["--db", str(folder / "mine.sqlite3"), "list"]) == 0
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    assert stat.S_IMODE((folder / "mine.sqlite3").stat().st_mode) == 0o600


# --- CSV fields as long as notes ----------------------------------------------------------------


@pytest.mark.parametrize("length", [131_073, MAX_NOTE])
def test_a_csv_note_longer_than_the_csv_module_allows_is_imported(tmp_path: Path, length: int) -> None:
    note = ("Long call notes. " * (length // 17 + 1))[:length - 1] + "!"
    text = f'name,email,notes\r\nAda Lovelace,ada@engines.example,"{note}"\r\n'
    [record] = readers.read_csv(text)
    assert record.notes == (note,)
    store = Store.open(tmp_path / "db.sqlite3")
    try:
        assert store.import_people([record]).added == 1
        [ada] = store.summaries(Filter(query="lovelace"))
        assert [n.text for n in store.detail(ada.id).notes] == [note]
    finally:
        store.close()
