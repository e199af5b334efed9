"""Correcting the record from the command line: history, history edit/remove, meeting, note edit/remove."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_cli import js, run

pytestmark = pytest.mark.both_backends  # every test with a database runs on SQLite and on PostgreSQL


def test_history_lists_ids_and_an_outreach_logged_twice_is_removed(db_path: Path, capsys) -> None:
    run(db_path, capsys, "add", "Ada <b>")
    run(db_path, capsys, "log", "1", "outreach", "--channel", "email")
    run(db_path, capsys, "log", "1", "outreach", "--channel", "email")
    data = js(db_path, capsys, "history", "1")
    assert set(data) == {"person", "events", "meetings", "notes"}  # type: ignore[arg-type]
    twice = data["events"][-1]["id"]  # type: ignore[index]
    code, out, _ = run(db_path, capsys, "history", "1")
    assert code == 0
    assert f"  {twice:>6}  " in out
    assert "outreach sent (email)" in out
    code, out, _ = run(db_path, capsys, "history", "remove", str(twice))
    assert (code, out.startswith(f"Removed #{twice}: outreach sent")) == (0, True)
    kinds = [e["kind"] for e in js(db_path, capsys, "history", "1")["events"]]  # type: ignore[index]
    assert kinds == ["created", "outreach"]


def test_history_edit_changes_kind_time_channel_and_note_and_the_stage_follows(db_path: Path, capsys) -> None:
    run(db_path, capsys, "add", "Ada")
    call = js(db_path, capsys, "log", "1", "call")
    assert js(db_path, capsys, "show", "1")["stage"] == "met"  # type: ignore[index]
    e = js(db_path, capsys, "history", "edit", str(call["id"]), "--kind", "outreach",  # type: ignore[index]
           "--at", "2026-11-20 10:00", "--channel", "linkedin", "--note", "asked for 20 minutes")
    assert (e["kind"], e["channel"], e["detail"]) == ("outreach", "linkedin", "asked for 20 minutes")  # type: ignore[index]
    assert e["at"].startswith("2026-11-20T10:00")  # type: ignore[index]
    assert js(db_path, capsys, "show", "1")["stage"] == "to-contact"  # type: ignore[index]
    code, _, err = run(db_path, capsys, "history", "edit", str(call["id"]))  # type: ignore[index]
    assert code == 1
    assert "nothing to change" in err
    code, _, err = run(db_path, capsys, "history", "remove", "1")
    assert code == 1
    assert "only logged interactions" in err
    code, _, err = run(db_path, capsys, "history", "nobody")
    assert code == 1


def test_meeting_edit_and_remove(db_path: Path, capsys) -> None:
    run(db_path, capsys, "add", "Ada")
    m = js(db_path, capsys, "schedule", "1", "2026-12-01", "10:00")
    e = js(db_path, capsys, "meeting", "edit", str(m["id"]), "--at", "2026-12-02 11:00", "--minutes", "45",  # type: ignore[index]
           "--medium", "video", "--location", "Zoom")
    assert (e["minutes"], e["medium"], e["location"]) == (45, "video", "Zoom")  # type: ignore[index]
    code, out, _ = run(db_path, capsys, "meeting", "remove", str(m["id"]))  # type: ignore[index]
    assert code == 0
    assert out.startswith("Removed meeting")
    d = js(db_path, capsys, "show", "1")
    assert (d["meetings"], d["stage"]) == ([], "to-contact")  # type: ignore[index]


@pytest.mark.parametrize("bad", [["note", "edit"], ["note", "remove", "x"], ["note", "1"], ["note", "bob", "hi"]])
def test_note_usage_errors_say_what_to_give(db_path: Path, capsys, bad: list[str]) -> None:
    run(db_path, capsys, "add", "Ada")
    code, _, err = run(db_path, capsys, *bad)
    assert code == 1
    assert err


def test_note_add_edit_and_remove(db_path: Path, capsys) -> None:
    run(db_path, capsys, "add", "Ada")
    n = js(db_path, capsys, "note", "1", "likes", "teh", "cello")
    e = js(db_path, capsys, "note", "edit", str(n["id"]), "likes", "the", "cello")  # type: ignore[index]
    assert e["text"] == "likes the cello"  # type: ignore[index]
    code, out, _ = run(db_path, capsys, "note", "remove", str(n["id"]))  # type: ignore[index]
    assert code == 0
    assert out.startswith(f"Removed note #{n['id']}")  # type: ignore[index]
    assert js(db_path, capsys, "history", "1")["notes"] == []  # type: ignore[index]


def test_undo_and_redo_from_the_command_line(db_path: Path, capsys) -> None:
    run(db_path, capsys, "add", "Ada")
    run(db_path, capsys, "move", "1", "met")
    code, out, _ = run(db_path, capsys, "undo")
    assert (code, out) == (0, "Undone: moved to met: Ada.\n")
    assert js(db_path, capsys, "show", "1")["stage"] == "to-contact"  # type: ignore[index]
    assert js(db_path, capsys, "redo") == {"done": "redo", "change": "moved to met: Ada"}
    code, _, err = run(db_path, capsys, "redo")
    assert code == 1
    assert "nothing to redo" in err
