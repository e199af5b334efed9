"""The paste guard, on Textual's real input parser: a paste becomes text, never keys."""

from __future__ import annotations

import pytest
from textual import events
from textual._xterm_parser import XTermParser

from infoint_tui.tui.paste_guard import PasteGuard, install


def parse(*chunks: str) -> list[events.Event]:
    install()
    parser = XTermParser()
    out: list[events.Event] = []
    for chunk in chunks:
        out += list(parser.feed(chunk))
    return out


def keys(evs: list[events.Event]) -> list[str]:
    return [e.key for e in evs if isinstance(e, events.Key)]


def pasted(evs: list[events.Event]) -> str:
    return "".join(e.text for e in evs if isinstance(e, events.Paste))


@pytest.mark.parametrize("payload", [
    "P4\x1bX\x11after",  # ESC X then Ctrl+Q: quit the app, unguarded
    "a\x1b]0;PWNED\x07b",  # OSC title
    "\x1b[31mred\x1b[0m",  # colour
    "x\x03\x04\x11\x1a",  # Ctrl+C, D, Q, Z
    "\x1b" * 40 + "q",  # a run longer than Textual's sequence threshold
])
def test_nothing_inside_a_paste_becomes_a_key(payload: str) -> None:
    evs = parse("\x1b[200~" + payload + "\x1b[201~")
    assert keys(evs) == []
    assert "\x1b" not in pasted(evs)
    assert not any(ord(c) < 32 and c not in "\t\r\n" for c in pasted(evs))


def test_a_paste_split_across_reads_is_still_guarded() -> None:
    evs = parse("\x1b[200~one\x1b", "X\x11two\x1b[20", "1~")
    assert keys(evs) == []
    assert "one" in pasted(evs)


def test_a_forged_end_marker_cannot_type_ctrl_q() -> None:
    evs = parse("\x1b[200~text\x1b[201~\x11\x11\x03")
    assert "ctrl+q" not in keys(evs)
    assert "ctrl+c" not in keys(evs)


def test_ordinary_typing_and_keys_pass_untouched() -> None:
    evs = parse("ab", "\x1b[A", "\x11")
    assert keys(evs) == ["a", "b", "up", "ctrl+q"]


def test_a_lone_escape_is_not_held_back() -> None:
    guard = PasteGuard()
    assert guard.filter("\x1b") == "\x1b"


def test_newlines_and_tabs_survive() -> None:
    assert pasted(parse("\x1b[200~line 1\r\n\tline 2\x1b[201~")) == "line 1\r\n\tline 2"
