"""Real processes on a real pseudo-terminal: a dropped link, signals, a crash and hostile pastes lose nothing."""

from __future__ import annotations

import signal
import sqlite3
import time
from pathlib import Path

import pytest

from .terminal import PtyApp

pytestmark = pytest.mark.slow


def notes_of(db: Path, contact_id: int) -> list[str]:
    con = sqlite3.connect(db)
    try:
        return [r[0] for r in con.execute("SELECT text FROM note WHERE contact_id = ? ORDER BY id", (contact_id,))]
    finally:
        con.close()


def start_call(db: Path, running: list[PtyApp], contact_id: int = 16) -> PtyApp:
    app = PtyApp("call", str(contact_id), db=db)
    running.append(app)
    app.wait_for("Call with")
    return app


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM, signal.SIGINT])
def test_a_signal_saves_every_typed_character(demo_path: Path, running: list[PtyApp], sig: int) -> None:
    app = start_call(demo_path, running)
    typed = "Advice: talk to the data platform team about dbt and Airflow"
    app.write(typed)
    time.sleep(0.3)  # well inside the one-second idle autosave: only the signal handler can save this
    app.signal(sig)
    assert app.wait() == 128 + sig
    assert typed in notes_of(demo_path, 16)


def test_a_dropped_ssh_link_loses_nothing(demo_path: Path, running: list[PtyApp]) -> None:
    app = start_call(demo_path, running)
    typed = "They suggested Priya; ask about the reorg"
    app.write(typed)
    time.sleep(0.3)
    app.close_terminal()  # the kernel sends SIGHUP to the session, as when sshd loses the client
    app.wait()
    assert typed in notes_of(demo_path, 16)


def test_kill_9_loses_at_most_the_last_two_seconds(demo_path: Path, running: list[PtyApp]) -> None:
    app = start_call(demo_path, running)
    early = "typed well before the crash. "
    app.write(early, per_key=0.02)
    time.sleep(2.2)
    app.write("typed just before", per_key=0.01)
    app.signal(signal.SIGKILL)
    app.wait()
    saved = notes_of(demo_path, 16)
    assert saved
    assert saved[-1].startswith(early)


def test_continuous_typing_is_saved_every_two_seconds(demo_path: Path, running: list[PtyApp]) -> None:
    app = start_call(demo_path, running)
    start = time.monotonic()
    sent = ""
    while time.monotonic() - start < 4.5:  # never pausing a full second: only the 2-second rule saves
        app.write("x", per_key=0)
        sent += "x"
        time.sleep(0.05)
    cut = len(sent)
    app.signal(signal.SIGKILL)
    app.wait()
    saved = notes_of(demo_path, 16)
    assert saved, "nothing was saved during continuous typing"
    # typed more than ~2.5 s before the kill is there
    assert len(saved[-1]) >= cut - int(2.5 / 0.05) - 5


def test_a_hostile_paste_neither_quits_nor_stores_escape_bytes(demo_path: Path, running: list[PtyApp]) -> None:
    app = start_call(demo_path, running)
    app.write("\x1b[200~P4\x1bX\x11after\x1b]0;PWNED\x07 \x1b[31mred\x03\x04\x1b[201~")
    time.sleep(0.5)
    app.write("\x1b[200~forged end\x1b[201~\x11\x11\x03")  # a fake end marker, then Ctrl+Q Ctrl+Q Ctrl+C
    time.sleep(1.0)
    assert app.poll() is None, "a paste quit the app"
    app.write("\x13")  # Ctrl+S saves now
    time.sleep(1.0)
    [note] = notes_of(demo_path, 16)[-1:]
    assert "red" in note
    assert "forged end" in note
    assert not any(ch in note for ch in "\x1b\x11\x03\x04\x07")
    assert "PWNED" not in note
    app.write("\x11")  # a real Ctrl+Q, typed on its own
    assert app.wait() == 0


def test_ctrl_q_in_the_notes_pane_saves(demo_path: Path, running: list[PtyApp]) -> None:
    app = PtyApp(db=demo_path)
    running.append(app)
    app.wait_for("people")
    app.write("3")
    time.sleep(0.5)
    app.write("quick thought")
    time.sleep(0.2)
    app.write("\x11")
    assert app.wait() == 0
    con = sqlite3.connect(demo_path)
    texts = [r[0] for r in con.execute("SELECT text FROM note")]
    con.close()
    assert "quick thought" in texts


def test_3_and_the_text_read_together_go_into_the_note(demo_path: Path, running: list[PtyApp]) -> None:
    """"3" then a note typed at once (one read: a fast typist over SSH, keys pasted by a terminal
    multiplexer): Textual hands every key of the read to the list before "3" moves the focus, and the
    text used to act as commands ("c" started a call, "e" opened a form: 2 runs in 6 lost it). Each
    round is a new app, as the first frame comes, when the race was widest."""
    for round_ in range(3):
        app = PtyApp(db=demo_path)
        running.append(app)
        app.wait_for("people")
        app.write(f"3hello abc ceo round {round_}")
        time.sleep(1.0)
        assert "Call with" not in app.text()
        app.write("\x11")
        assert app.wait() == 0
    texts = notes_of(demo_path, 16)  # the first person by name ("[/] Eve"), selected at start
    assert [f"hello abc ceo round {r}" in texts for r in range(3)] == [True, True, True], texts


def test_list_moves_read_together_all_count(demo_path: Path, running: list[PtyApp]) -> None:
    """"jj" or "jjj" in one read (a fast typist, a key held down over a slow link) moved one row less:
    each move's own selection message sent the cursor back a row, and the next action (here "e")
    acted on the wrong person."""
    app = PtyApp(db=demo_path)
    running.append(app)
    app.wait_for("people")
    time.sleep(0.5)
    app.write("jjjjj", per_key=0.15)  # one by one: [/] Eve, Ada, Aiko, Amara, Ben, Carlos
    app.write("jj")  # one read: Chloe Dubois, David Cohen
    time.sleep(0.8)
    app.write("jjj")  # one read: Emily Carter, Felix Wagner, Grace Liu
    time.sleep(0.8)
    app.write("k")  # Felix Wagner
    time.sleep(0.5)
    app.write("e")
    app.wait_for("Edit Felix Wagner")
    app.write("\x1b")
    time.sleep(0.3)
    app.write("\x11")
    assert app.wait() == 0


def test_a_form_typed_in_one_go_fills_each_field(demo_path: Path, running: list[PtyApp]) -> None:
    """Name, Tab, title, Tab, company typed fast (one read): everything went into the Name field, since the
    keys after a Tab were handed to the field before the focus moved."""
    app = PtyApp(db=demo_path)
    running.append(app)
    app.wait_for("people")
    app.write("n")
    app.wait_for("New person")
    time.sleep(0.3)
    app.write("Zed Test\tCTO\tAcme Tabs\r")
    deadline = time.monotonic() + 10
    row = None
    while row is None and time.monotonic() < deadline:
        time.sleep(0.2)
        con = sqlite3.connect(demo_path)
        row = con.execute("SELECT c.name, c.title, co.name FROM contact c LEFT JOIN company co ON co.id = "
                          "c.company_id WHERE c.name LIKE 'Zed%'").fetchone()
        con.close()
    assert row == ("Zed Test", "CTO", "Acme Tabs")
    app.write("\x11")
    assert app.wait() == 0


def test_an_unknown_id_for_call_is_one_line(demo_path: Path, running: list[PtyApp]) -> None:
    app = PtyApp("call", "9999", db=demo_path)
    running.append(app)
    assert app.wait() == 1
    assert "there is no contact #9999" in app.text()


def test_typing_at_once_after_opening_a_person_with_big_notes_is_saved(tmp_path: Path, running: list[PtyApp]
                                                                        ) -> None:
    """Issue 15: 68 notes, two of 1 MB. Enter opens them, the text follows at once, Ctrl+Q: all of it is saved."""
    from .tui.test_big_notes import make_db

    db = tmp_path / "big.sqlite3"
    many = make_db(db)["many"]
    app = PtyApp(db=db)
    running.append(app)
    app.wait_for("people")
    time.sleep(0.5)
    app.write("\x1b[B")  # down to the person with 68 notes
    time.sleep(0.3)
    app.write("\rtyped as the notes load", per_key=0.01)
    app.write("\x11")
    assert app.wait() == 0
    assert "typed as the notes load" in notes_of(db, many)
