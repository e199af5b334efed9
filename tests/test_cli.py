"""The command line, called as a user would: main([...]) in-process, and the real command in subprocesses."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from infoint_tui.cli import main
from infoint_tui.store import migrations

pytestmark = pytest.mark.both_backends  # every test with a database runs on SQLite and on PostgreSQL

PERSON_KEYS = {"id", "name", "title", "company", "email", "phone", "address", "url", "source", "referred_by",
               "tags", "stage", "archived"}


def run(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def js(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> object:
    code, out, err = run(db, capsys, *args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_add_prints_the_id_and_json_has_the_stable_keys(db_path: Path, capsys) -> None:
    code, out, _ = run(db_path, capsys, "add", "Ada Lovelace", "--company", "Acme", "--title", "CTO",
                       "--email", "ada@acme.io", "--tag", "fintech", "--tag", "ai")
    assert (code, out) == (0, "1\n")
    person = js(db_path, capsys, "add", "Bob", "--referred-by", "1", "--source", "referral")
    assert set(person) >= PERSON_KEYS  # type: ignore[arg-type]
    assert person["referred_by"] == 1
    assert person["stage"] == "to-contact"
    shown = js(db_path, capsys, "show", "1")
    assert {"history", "meetings", "notes"} <= set(shown)  # type: ignore[arg-type]
    assert shown["tags"] == ["fintech", "ai"]  # type: ignore[index]


def test_the_whole_pipeline_from_the_shell(db_path: Path, capsys) -> None:
    run(db_path, capsys, "add", "Ada", "--company", "Acme")
    assert run(db_path, capsys, "log", "1", "outreach", "--channel", "email")[0] == 0
    rows = js(db_path, capsys, "list")
    assert rows[0]["asked_on"]  # type: ignore[index]
    assert run(db_path, capsys, "log", "1", "reply")[0] == 0
    code, out, _ = run(db_path, capsys, "schedule", "1", "2026-12-03", "14:30", "--minutes", "45", "--medium", "video")
    assert code == 0
    assert "2026-12-03 14:30, 45 min, video" in out
    assert js(db_path, capsys, "show", "1")["stage"] == "scheduled"  # type: ignore[index]
    run(db_path, capsys, "log", "1", "call", "--minutes", "40", "--note", "Advice: learn dbt")
    shown = js(db_path, capsys, "show", "1")
    assert shown["stage"] == "met"  # type: ignore[index]
    assert shown["meetings"][0]["held"] is True  # type: ignore[index]
    assert shown["notes"][0]["text"] == "Advice: learn dbt"  # type: ignore[index]
    assert {"id", "text", "created"} <= set(shown["notes"][0])  # type: ignore[index]
    run(db_path, capsys, "log", "1", "thank-you")
    assert js(db_path, capsys, "show", "1")["stage"] == "thanked"  # type: ignore[index]
    run(db_path, capsys, "move", "1", "to-contact")
    kinds = [e["kind"] for e in js(db_path, capsys, "show", "1")["history"]]  # type: ignore[index]
    assert kinds[:2] == ["created", "outreach"]
    assert kinds[-1] == "stage"
    code, out, _ = run(db_path, capsys, "show", "1")
    assert "moved thanked → to contact" in out
    assert "Advice: learn dbt" in out


def test_list_filters(db_path: Path, capsys) -> None:
    run(db_path, capsys, "add", "Ada", "--company", "Acme", "--tag", "ai")
    run(db_path, capsys, "add", "Bob", "--company", "ACME")
    run(db_path, capsys, "add", "Cy", "--company", "Initech")
    run(db_path, capsys, "move", "3", "met")
    run(db_path, capsys, "archive", "2", "--reason", "no-reply")
    names = lambda *a: [r["name"] for r in js(db_path, capsys, "list", *a)]  # type: ignore[index,union-attr]  # noqa: E731
    assert names() == ["Ada", "Cy"]
    assert names("--company", "acme") == ["Ada"]
    assert names("--stage", "met") == ["Cy"]
    assert names("--tag", "AI") == ["Ada"]
    assert names("--archived") == ["Bob"]
    run(db_path, capsys, "unarchive", "2")
    assert names("--company", "acme") == ["Ada", "Bob"]


def test_edit_changes_fields_and_records_them(db_path: Path, capsys) -> None:
    run(db_path, capsys, "add", "Ada", "--title", "Analyst")
    person = js(db_path, capsys, "edit", "1", "--title", "Lead", "--email", "ada@x.io", "--tag", "a,b")
    assert (person["title"], person["email"], person["tags"]) == ("Lead", "ada@x.io", ["a", "b"])  # type: ignore[index]
    code, _, err = run(db_path, capsys, "edit", "1")
    assert code == 1
    assert "nothing to change" in err


def test_note_from_stdin_keeps_lines(db_path: Path, capsys, monkeypatch) -> None:
    run(db_path, capsys, "add", "Ada")
    monkeypatch.setattr(sys, "stdin", io.StringIO("line one\n\tindented\x1b[2J\nline three\n"))
    assert run(db_path, capsys, "note", "1", "-")[0] == 0
    note = js(db_path, capsys, "show", "1")["notes"][0]  # type: ignore[index]
    assert note["text"] == "line one\n\tindented\nline three\n"


@pytest.mark.parametrize("query", ['eve"', "AND", "(", "c++", "re: x", "[/]", "山田", "NEAR(a b)", "-", "*"])
def test_search_takes_anything(db_path: Path, capsys, query: str) -> None:
    run(db_path, capsys, "add", "Eve", "--title", "c++ lead")
    code, out, err = run(db_path, capsys, "search", query)
    assert code == 0, err
    assert "Traceback" not in out + err


def test_search_finds_notes(db_path: Path, capsys) -> None:
    run(db_path, capsys, "add", "Ada")
    run(db_path, capsys, "add", "Bob")
    run(db_path, capsys, "note", "2", "Recommended the Locally Optimistic community")
    assert [r["name"] for r in js(db_path, capsys, "search", "optimis")] == ["Bob"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("show", "42"), "there is no contact #42"),
        (("add", "Ada", "--email", "ada@"), "email: 'ada@' is not an e-mail address"),
        (("add", "  "), "name: is empty"),
        (("add", "Ada", "--url", "javascript:alert(1)"), "url: "),
        (("add", "Ada", "--source", "carrier pigeon"), "source: 'carrier pigeon' is not one of"),
        (("schedule", "1", "someday"), "when: could not read 'someday' as a date; use a form such as"),
        (("log", "1", "outreach", "--at", "yesteryear"), "--at: could not read"),
        (("log", "1", "dance"), "kind: 'dance' is not one of"),
        (("log", "1", "created"), "kind: 'created' is not one of: outreach"),
        (("move", "1", "hired"), "stage: 'hired' is not one of: to-contact, scheduled, met, thanked"),
        (("archive", "1", "--reason", "bored"), "reason: 'bored' is not one of"),
        (("schedule", "1", "tomorrow", "--minutes", "0"), "minutes: 0 is not a meeting length"),
        (("move", "1", "to-contact", "--json"), ""),
    ],
)
def test_user_errors_are_one_line_with_exit_1(db_path: Path, capsys, args: tuple[str, ...], says: str) -> None:
    run(db_path, capsys, "add", "Someone")
    code, _out, err = run(db_path, capsys, *args)
    if not says:
        assert code == 0
        return
    assert code == 1
    assert err.startswith("infoint: ")
    assert says in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_bad_usage_exits_2(db_path: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(db_path), "show", "not-a-number"])
    assert exc.value.code == 2


def test_hostile_strings_round_trip_through_the_cli(db_path: Path, capsys) -> None:
    hostile = "[bold]A[/bold] [@click=app.quit]x[/] [/ $v \\ 'q' \"d\" 山田 🚀 دانا"
    person = js(db_path, capsys, "add", hostile, "--title", hostile, "--company", hostile, "--address", hostile,
                "--tag", "[b]")
    assert (person["name"], person["title"], person["company"], person["address"]) == (hostile,) * 4  # type: ignore[index]
    evil = hostile + "\x1b]0;PWNED\x07\x1b[31m"
    person = js(db_path, capsys, "add", evil)
    assert person["name"] == hostile  # type: ignore[index]
    _code, out, _ = run(db_path, capsys, "show", "2")
    assert "\x1b" not in out
    assert out.splitlines()[0] == hostile


@pytest.mark.sqlite_only
def test_info_and_backup(db_path: Path, capsys, tmp_path: Path) -> None:
    run(db_path, capsys, "add", "Ada")
    info = js(db_path, capsys, "info")
    assert info["contacts"] == 1
    assert info["schema_version"] == migrations.LATEST
    assert info["database"] == str(db_path.resolve())  # type: ignore[index]
    out = js(db_path, capsys, "backup", str(tmp_path / "b.sqlite3"))
    assert (os.stat(out["backup"]).st_mode & 0o777) == 0o600  # type: ignore[index]


def test_db_path_precedence(tmp_path: Path, capsys, monkeypatch) -> None:
    env_db = tmp_path / "env.sqlite3"
    monkeypatch.setenv("INFOINT_DB", str(env_db))
    main(["add", "From env"])
    assert env_db.exists()
    flag_db = tmp_path / "flag.sqlite3"
    main(["--db", str(flag_db), "add", "From flag"])
    main(["add", "Also flag", "--db", str(flag_db)])
    capsys.readouterr()
    assert [r["name"] for r in js(flag_db, capsys, "list")] == ["Also flag", "From flag"]  # type: ignore[index]
    monkeypatch.delenv("INFOINT_DB")
    main(["add", "Default"])
    default = tmp_path / "xdg-data" / "infoint" / "infoint.sqlite3"
    assert default.exists()
    assert (default.parent.stat().st_mode & 0o777) == 0o700


def test_demo_refuses_to_mix_with_real_people(db_path: Path, capsys) -> None:
    run(db_path, capsys, "add", "Real Person")
    code, _, err = run(db_path, capsys, "demo")
    assert code == 1
    assert "already holds people" in err
    code, _, _ = run(db_path, capsys, "demo", "--force")
    assert code == 0


def test_help_lists_every_subcommand(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for name in ("add", "list", "show", "edit", "archive", "move", "schedule", "log", "note", "search", "info",
                 "backup", "demo"):
        assert f"\n    {name} " in out or f"\n    {name}\n" in out, name


def _cli(db: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "infoint_tui", "--db", str(db), *args], input=stdin,
                          capture_output=True, text=True, timeout=60, check=False)


def test_a_corrupt_database_is_one_line_and_exit_1_in_a_real_process(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"\x00garbage" * 500)
    result = _cli(bad, "list")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "is damaged" in result.stderr
    assert "Traceback" not in result.stderr


def test_two_processes_editing_one_contact_get_a_conflict_not_a_lost_update(tmp_path: Path) -> None:
    db = tmp_path / "shared.sqlite3"
    assert _cli(db, "add", "Ada", "--title", "Analyst").returncode == 0
    # Process A reads Ada, then waits (a user looking at an edit form) ...
    script = (
        "import sys\n"
        "from infoint_tui.store import Store\n"
        "from infoint_tui.domain.errors import Conflict\n"
        f"s = Store.open({str(db)!r})\n"
        "v = s.contact(1).version\n"
        "print('read', flush=True)\n"
        "sys.stdin.readline()\n"
        "try:\n"
        "    s.edit(1, {'title': 'From A'}, expected_version=v)\n"
        "    print('saved')\n"
        "except Conflict as e:\n"
        "    print('conflict:', e)\n"
    )
    a = subprocess.Popen([sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert a.stdout is not None
    assert a.stdout.readline().strip() == "read"
    # ... while process B edits the same person.
    assert _cli(db, "edit", "1", "--title", "From B").returncode == 0
    out, _ = a.communicate("go\n", timeout=60)
    assert out.startswith("conflict: Ada was changed in another window")
    assert json.loads(_cli(db, "show", "1", "--json").stdout)["title"] == "From B"


def test_moved_to_scheduled_without_a_meeting_the_command_line_hints_at_one(db_path: Path, capsys) -> None:
    """A hint on stderr, never a question: the move is made, the exit code is 0 and --json stays JSON."""
    run(db_path, capsys, "add", "Ada")
    code, out, err = run(db_path, capsys, "move", "1", "scheduled")
    assert (code, out) == (0, "#1 Ada → scheduled.\n")
    assert err == "infoint: no meeting date yet: infoint schedule 1 WHEN\n"
    code, out, err = run(db_path, capsys, "move", "1", "scheduled", "--json")
    assert (code, json.loads(out)["stage"]) == (0, "scheduled")
    assert err == "infoint: no meeting date yet: infoint schedule 1 WHEN\n"
    run(db_path, capsys, "move", "1", "to-contact")
    run(db_path, capsys, "schedule", "1", "2026-12-03", "14:30")
    run(db_path, capsys, "move", "1", "to-contact")
    code, _, err = run(db_path, capsys, "move", "1", "scheduled")  # a meeting is planned: nothing to say
    assert (code, err) == (0, "")
    code, _, err = run(db_path, capsys, "move", "1", "met")
    assert (code, err) == (0, "")


@pytest.mark.sqlite_only
def test_info_on_a_mistyped_path_creates_nothing(tmp_path: Path, capsys) -> None:
    typo = tmp_path / "no-such-folder" / "infoint.sqlte3"
    code, _, err = run(typo, capsys, "info")
    assert code == 1
    assert "there is no database at" in err
    assert not typo.parent.exists()


@pytest.mark.sqlite_only
def test_restoring_a_json_export_says_to_import_it(db_path: Path, tmp_path: Path, capsys) -> None:
    run(db_path, capsys, "add", "Ada")
    export = tmp_path / "everything.json"
    assert run(db_path, capsys, "export", "json", "-o", str(export))[0] == 0
    code, _, err = run(db_path, capsys, "restore", str(export))
    assert code == 1
    assert "is a JSON export, not a backup file" in err
    assert "import" in err
    assert [r["name"] for r in js(db_path, capsys, "list")] == ["Ada"]  # nothing was changed
