"""infoint on PostgreSQL: addresses, secrets, the schema's version, two machines on one database, copy and
backup. Against a real server the tests start themselves (pgserver, from pip: see conftest.PgCluster).

The store, command-line and TUI suites marked ``both_backends`` run on PostgreSQL too; this file holds what
only a server has."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from infoint_tui.cli import main
from infoint_tui.domain.contacts import make_draft
from infoint_tui.domain.errors import StoreError
from infoint_tui.domain.model import Filter
from infoint_tui.paths import ServerAddress, parse_location
from infoint_tui.store import Store, migrations
from infoint_tui.store.demo import seed_demo

from .conftest import NOW, PgCluster


def _with_password(address: ServerAddress, password: str) -> str:
    """The address with a password in it (the test server trusts local connections: any is accepted)."""
    return address.url.replace("postgresql://postgres@", f"postgresql://postgres:{password}@", 1)


def cli(db: str, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", db, *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("address", ["mysql://me@host/db", "mysql:dbname", "sqlite3://x", "mongodb+srv://a:b@c/d"])
def test_an_address_infoint_does_not_speak_is_one_line_and_never_a_folder(
        address: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code = main(["--db", address, "list"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1
    assert "cannot use the database address" in err
    assert "postgresql://" in err
    assert ":b@" not in err  # a password in a wrong address is not echoed either
    assert list(tmp_path.iterdir()) == []  # no "mysql:" folder, no file


def test_a_postgresql_address_is_never_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code = main(["--db", "postgresql://nobody:pw@127.0.0.1:9/nothing?connect_timeout=2", "list"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("infoint: cannot reach the PostgreSQL server")
    assert err.count("\n") == 1
    assert ":pw@" not in err
    assert list(tmp_path.iterdir()) == []  # the folder "postgresql:" that such an address used to make


def test_the_password_never_shows(postgres: PgCluster, capsys: pytest.CaptureFixture[str]) -> None:
    address = postgres.new_database()
    secret = "S3cr3t-pw"
    db = _with_password(address, secret)
    assert secret not in str(parse_location(db))
    assert secret not in repr(parse_location(db))
    assert cli(db, capsys, "add", "Ada Lovelace")[0] == 0
    code, out, err = cli(db, capsys, "info")
    assert code == 0
    assert "backend:" in out
    assert "postgresql://postgres@" in out
    code, out, err = cli(db, capsys, "info", "--json")
    assert json.loads(out)["backend"].startswith("postgresql 16.")
    missing = db.replace(f"/{address.url.split('/')[3].split('?')[0]}?", "/no_such_db?")
    code, out, err = cli(missing, capsys, "list")
    assert code == 1
    assert "no such database" in err
    assert err.count("\n") == 1
    for text in (out, err):
        assert secret not in text
    # A crash report on the way of a failing command: never the password either.
    code, out, err = cli(db.replace("host=", "host=/nonexistent-socket-dir&x=", 1), capsys, "list")
    assert code == 1
    assert secret not in err


def test_a_newer_schema_is_refused_without_a_write(postgres: PgCluster) -> None:
    address = postgres.new_database()
    store = Store.open(address, lambda: NOW)
    store.add(make_draft("Ada"))
    store.db.execute_sql("UPDATE infoint_schema SET version = ?", (migrations.LATEST + 1,))
    store.close()
    with pytest.raises(StoreError, match="newer infoint"):
        Store.open(address, lambda: NOW)
    import psycopg

    with psycopg.connect(address.url) as con:
        assert con.execute("SELECT version FROM infoint_schema").fetchone()[0] == migrations.LATEST + 1
        assert con.execute("SELECT count(*) FROM contact").fetchone()[0] == 1


def test_a_database_of_other_tables_is_not_taken_over(postgres: PgCluster) -> None:
    address = postgres.new_database(empty=True)
    import psycopg

    with psycopg.connect(address.url, autocommit=True) as con:
        con.execute("CREATE TABLE invoices (id int)")
    with pytest.raises(StoreError, match="not an infoint one"):
        Store.open(address, lambda: NOW)
    with psycopg.connect(address.url) as con:
        tables = {t for (t,) in con.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert tables == {"invoices"}


def test_an_empty_database_gets_the_same_schema_by_the_same_steps(postgres: PgCluster) -> None:
    address = postgres.new_database(empty=True)
    store = Store.open(address, lambda: NOW)
    assert store.sql.user_version(store.db) == migrations.LATEST
    assert store.migrated_from == 0
    assert len(store.questions()) > 5  # seeded by the first step, as on SQLite
    store.close()


def test_two_machines_see_each_others_changes_and_conflicts(postgres: PgCluster) -> None:
    address = postgres.new_database()
    laptop, desktop = Store.open(address, lambda: NOW), Store.open(address, lambda: NOW)
    seen = desktop.data_version()
    ada = laptop.add(make_draft("Ada Lovelace"))
    assert laptop.data_version() == laptop.data_version()  # its own commits are not news to it
    assert desktop.data_version() != seen  # LISTEN/NOTIFY: told, not found by reading the tables
    assert [s.name for s in desktop.summaries(Filter(), 0, 10)] == ["Ada Lovelace"]
    # The same record edited on both: the second is refused, as between two terminals on SQLite.
    old = desktop.contact(ada.id)
    laptop.edit(ada.id, {"title": "CTO"}, expected_version=old.version)
    from infoint_tui.domain.errors import Conflict

    with pytest.raises(Conflict):
        desktop.edit(ada.id, {"title": "CEO"}, expected_version=old.version)
    assert laptop.contact(ada.id).title == "CTO"
    # A note saved on one is there on the other, and its conflicting save keeps both texts.
    note = laptop.save_note(ada.id, None, "typed on the laptop", None).note
    desktop_view = desktop.detail(ada.id).notes
    assert [n.text for n in desktop_view] == ["typed on the laptop"]
    laptop.save_note(ada.id, note.id, "typed on the laptop, more", note.version)
    assert desktop.save_note(ada.id, note.id, "typed on the desktop", desktop_view[0].version).conflict
    texts = sorted(n.text for n in laptop.detail(ada.id).notes)
    assert texts == ["typed on the desktop", "typed on the laptop, more"]
    laptop.close()
    desktop.close()


def test_copy_to_postgresql_and_back_changes_nothing(
        postgres: PgCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "laptop.sqlite3"
    store = Store.open(source, lambda: NOW)
    seed_demo(store)
    before = store.export_all()
    store.close()
    server = postgres.new_database(empty=True)
    assert main(["--db", str(source), "copy", "--to", server.url]) == 0
    assert f"Copied {len(before['contacts'])} people" in capsys.readouterr().out
    on_server = Store.open(server, lambda: NOW)
    assert on_server.export_all() == before
    local = Store.open(source, lambda: NOW)
    # Search finds the same people on both (the server's tsvector index, SQLite's FTS5), hostile text too.
    for query in ("roadmap", "road", "ada", "ANALYTICS eng", 'eve"', "AND", "(", "c++", "[/]", "o'neill", "田中",
                  "zoë", "zoe", "sprocket & sons", "-", "*", "north wind", "100%"):
        assert [s.name for s in on_server.summaries(Filter(query=query), 0, 50)] == \
            [s.name for s in local.summaries(Filter(query=query), 0, 50)], query
    local.close()
    new = on_server.add(make_draft("Added after the copy"))  # ids go on after the copied ones
    assert new.id > max(c["id"] for c in before["contacts"])
    on_server.delete(new.id)
    on_server.close()
    back = tmp_path / "back.sqlite3"
    assert main(["copy", "--from", server.url, "--to", str(back)]) == 0
    assert Store.open(back, lambda: NOW).export_all() == before
    # Into a database that holds people: refused, nothing written.
    code = main(["copy", "--from", str(source), "--to", server.url])
    assert code == 1
    assert "already holds people" in capsys.readouterr().err


def test_backup_on_postgresql_is_a_json_export_that_restores(
        postgres: PgCluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    server = postgres.new_database()
    store = Store.open(server, lambda: NOW)
    n = seed_demo(store)
    store.close()
    target = tmp_path / "b" / "server-backup.json"
    target.parent.mkdir()
    code, out, _ = cli(server.url, capsys, "backup", str(target), "--json")
    assert code == 0
    assert json.loads(out)["format"] == "json"
    assert (target.stat().st_mode & 0o777) == 0o600
    assert json.loads(target.read_text())["format"] == "infoint"
    fresh = postgres.new_database(empty=True)
    code, out, err = cli(fresh.url, capsys, "import", str(target))
    assert code == 0, err
    assert f"Restored {n} people" in out
    # restore is a SQLite file's command: on a server it says what to use instead
    code, _, err = cli(server.url, capsys, "restore", str(target))
    assert code == 1
    assert "infoint copy" in err


@pytest.mark.slow
def test_the_command_itself_runs_on_postgresql(postgres: PgCluster, tmp_path: Path) -> None:
    """The installed entry point, in a process of its own, with the address in INFOINT_DB."""
    server = postgres.new_database()
    env = {**os.environ, "INFOINT_DB": server.url}
    for args in (["add", "Grace Hopper", "--company", "Navy"], ["log", "1", "outreach"]):
        done = subprocess.run([sys.executable, "-m", "infoint_tui", *args], env=env, capture_output=True,
                              text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
    done = subprocess.run([sys.executable, "-m", "infoint_tui", "list", "--json"], env=env, capture_output=True,
                          text=True, timeout=60, check=False)
    assert [r["name"] for r in json.loads(done.stdout)] == ["Grace Hopper"]


def test_a_connection_the_server_dropped_is_made_again(postgres: PgCluster) -> None:
    """A server restart or a dropped link: one call fails in one line, the next ones work again (and the
    new connection listens for other machines again)."""
    address = postgres.new_database()
    store, other = Store.open(address, lambda: NOW), Store.open(address, lambda: NOW)
    store.add(make_draft("Ada"))
    pid = store.db.connection().info.backend_pid
    postgres.admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    with pytest.raises(StoreError, match="PostgreSQL server"):
        store.count(Filter())
    assert store.count(Filter()) == 1
    seen = store.data_version()
    other.add(make_draft("Bob"))
    assert store.data_version() != seen
    store.close()
    other.close()


def test_one_writer_at_a_time_as_on_sqlite(postgres: PgCluster) -> None:
    """Another machine mid-write holds the write lock: a write waits for it (and then sees its rows), or
    after the timeout says "busy" in one line; reads never wait."""
    import threading

    import psycopg

    from infoint_tui.domain.errors import Locked
    from infoint_tui.store import postgres as pg

    address = postgres.new_database()
    store = Store.open(address, lambda: NOW)
    other = psycopg.connect(address.url)  # an import on another machine, half-way
    other.execute("SELECT pg_advisory_xact_lock(%s)", (pg.WRITE_LOCK,))
    assert store.count(Filter()) == 0  # reading goes on
    done: list[object] = []
    writer = threading.Thread(target=lambda: done.append(store.add(make_draft("Ada"))))
    writer.start()
    writer.join(0.6)
    assert writer.is_alive()
    assert not done
    other.commit()
    writer.join(10)
    assert done
    assert store.count(Filter()) == 1
    impatient = Store.open(address, lambda: NOW, timeout=0.3)
    other.execute("SELECT pg_advisory_xact_lock(%s)", (pg.WRITE_LOCK,))
    with pytest.raises(Locked, match="busy"):
        impatient.add(make_draft("Bob"))
    other.rollback()
    assert impatient.add(make_draft("Bob")).name == "Bob"
    other.close()
    impatient.close()
    store.close()


@pytest.mark.slow
def test_serve_on_postgresql_feeds_the_calendar_and_stops_cleanly(postgres: PgCluster) -> None:
    """``infoint serve`` on a server's database: the calendar feed is read from it, live."""
    from icalendar import Calendar

    from .test_serve import _get, _start

    server = postgres.new_database()
    store = Store.open(server)  # the real clock: the feed's window is the server's now
    seed_demo(store)
    served = _start(server)  # type: ignore[arg-type]  # `--db URL`, as a user types it
    try:
        status, _, body = _get(f"{served.base}/calendar.ics?token={served.token}")
        assert status == 200
        uids = {str(e["uid"]) for e in Calendar.from_ical(body).walk("VEVENT")}
        now = store.clock()
        meetings = store.meetings_between(now - timedelta(days=1), now + timedelta(days=3650))
        assert uids == {f"mtg-{m.id}@infoint.local" for m, _, _ in meetings} != set()
    finally:
        assert served.stop() == 0
        store.close()


def test_a_bad_address_or_login_is_one_line_without_the_password(
        postgres: PgCluster, capsys: pytest.CaptureFixture[str]) -> None:
    socket = postgres.uri.split("host=", 1)[1]
    for address, says in ((f"postgresql://u:pw123@/db?bogus=1&host={socket}", "is not valid"),
                          ("postgresql://u:pw123@localhost:notaport/db", "is not valid"),
                          ("postgresql://u:pw123@[::1/db", "not a valid URL"),
                          (f"postgresql://nobody:pw123@/postgres?host={socket}", "no such user"),
                          (f"postgresql://postgres:pw123@/nodb?host={socket}", "no such database")):
        code, out, err = cli(address, capsys, "list")
        assert code == 1, address
        assert err.count("\n") == 1, err
        assert says in err, err
        assert "pw123" not in out + err


def test_libpq_parameters_in_the_address_pass_through(postgres: PgCluster) -> None:
    """What the address says wins over infoint's defaults (application_name, connect_timeout...)."""
    address = postgres.new_database()
    for url, name in ((address.url, "infoint"), (f"{address.url}&application_name=coach-laptop", "coach-laptop")):
        store = Store.open(parse_location(url), lambda: NOW)
        assert store.db.execute_sql("SELECT current_setting('application_name')").fetchone()[0] == name
        store.close()


@pytest.mark.parametrize("address", [
    "POSTGRESQL://postgres:Pw-4-leak@/nodb?host={socket}",  # a scheme in capitals is still PostgreSQL's
    "postgresql://postgres:Pw 4 leak@/nodb?host={socket}",  # libpq quotes a bad password back
    "postgresql://postgres:Pw%zz4leak@/nodb?host={socket}",
    "postgresql:/postgres:Pw-4-leak@/nodb",
    "host={socket} dbname=nodb user=postgres password=Pw-4-leak",  # libpq's key=value form
])
def test_no_error_echoes_the_password(address: str, postgres: PgCluster, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    socket = postgres.uri.split("host=", 1)[1]
    code, out, err = cli(address.format(socket=socket), capsys, "info")
    assert code == 1
    assert err.count("\n") == 1, err
    assert "Pw" not in out + err
    assert "leak" not in out + err
    assert list(tmp_path.iterdir()) == []  # never a file named after the address


def test_libpqs_key_value_form_is_an_address(postgres: PgCluster, capsys: pytest.CaptureFixture[str]) -> None:
    address = postgres.new_database()
    socket = postgres.uri.split("host=", 1)[1]
    dbname = address.url.split("/")[3].split("?")[0]
    code, out, err = cli(f"host={socket} dbname={dbname} user=postgres password=Unused-Pw", capsys, "info")
    assert code == 0, err
    assert "backend:        postgresql" in out
    assert "Unused-Pw" not in out
