"""A forged paste end, and the burst after it: every byte up to a pause is text, never keys.

On Textual's real input parser, read by read as the driver feeds it; a fake clock stands for the time
between reads.
"""

from __future__ import annotations

import pytest
from textual import events
from textual._xterm_parser import XTermParser

from infoint_tui.tui.paste_guard import PAUSE, PasteGuard, install

ESC = "\x1b"
START, END = f"{ESC}[200~", f"{ESC}[201~"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def parse(*reads: str | float) -> list[events.Event]:
    """Feed each string as one read; a number is a pause of that many seconds between reads."""
    install()
    clock = Clock()
    parser = XTermParser()
    parser.__dict__["_infoint_paste_guard"] = PasteGuard(clock)
    out: list[events.Event] = []
    for read in reads:
        if isinstance(read, float):
            clock.now += read
            continue
        clock.now += 0.001
        out += list(parser.feed(read))
    return out


def keys(evs: list[events.Event]) -> list[str]:
    return [e.key for e in evs if isinstance(e, events.Key)]


def pasted(evs: list[events.Event]) -> str:
    return "".join(e.text for e in evs if isinstance(e, events.Paste))


def plain(text: str) -> bool:
    return not any(ord(c) < 32 and c not in "\t\r\n" for c in text) and "^" not in text


@pytest.mark.parametrize("after", [
    f"{ESC}{ESC} more",  # Escape, Escape: leaves the editor or the search box
    f"{ESC}OPmore",  # F1: opens help
    f"{ESC}[Amore",  # an arrow
    f"{ESC}more",  # Alt+M
    f"{ESC}^more",  # a PM introducer: Textual re-issued ESC as a stray "^"
    "\x11\x03more",  # Ctrl+Q, Ctrl+C
    f"{ESC}[<0;5;5Mmore",  # a mouse click
])
def test_what_follows_a_forged_end_in_the_same_read_is_text(after: str) -> None:
    evs = parse(f"{START}text{END}{after}{END}")
    assert keys(evs) == []
    assert pasted(evs).startswith("text")
    assert pasted(evs).endswith("ore")
    assert plain(pasted(evs))


def test_the_burst_goes_on_across_reads_until_a_pause() -> None:
    evs = parse(f"{START}text{END}", f"{ESC}{ESC}", " more", f"{ESC}OP{END}")
    assert keys(evs) == []
    assert plain(pasted(evs))
    assert "more" in pasted(evs)


def test_a_forged_end_then_a_new_start_joins_the_pastes() -> None:
    evs = parse(f"{START}one{END}{ESC}{ESC}{START}two{ESC}OP{END}{ESC}{ESC}")
    assert keys(evs) == []
    assert pasted(evs) == "one" + "twoP"


def test_after_a_pause_keys_are_keys_again() -> None:
    evs = parse(f"{START}text{END}", PAUSE + 0.01, "a", f"{ESC}[A", "\x11")
    assert pasted(evs) == "text"
    assert keys(evs) == ["a", "up", "ctrl+q"]


def test_a_sequence_cut_by_the_end_of_a_read_is_removed_whole() -> None:
    evs = parse(f"{START}abc{ESC}]0;ti", f"tle\x07def{ESC}[3", "1mred", f"{ESC}[20", "1~")
    assert keys(evs) == []
    assert pasted(evs) == "abcdefred"


def test_an_unterminated_sequence_in_a_paste_keeps_the_text_after_it() -> None:
    assert pasted(parse(f"{START}P4 {ESC}X\x11 after{END}")) == "P4  after"


def test_a_paste_start_cut_after_its_esc_is_still_a_paste() -> None:
    evs = parse(f"a{ESC}", f"[200~x{ESC}OP\x11y{END}")
    assert keys(evs) == ["a"]
    assert pasted(evs) == "xPy"
    evs = parse(f"a{ESC}", "[2", f"00~x{ESC}{ESC} y{END}")
    assert keys(evs) == ["a"]
    assert pasted(evs) == "x y"


def test_a_lone_escape_then_an_arrow_still_work() -> None:
    assert keys(parse(f"a{ESC}", "[A")) == ["a", "up"]


def test_a_paste_cut_off_by_the_end_of_input_is_still_text() -> None:
    install()
    parser = XTermParser()
    evs = [*parser.feed(f"{START}abc{ESC}OP"), *parser.feed("")]
    assert keys(evs) == []
    assert pasted(evs) == "abcP"


@pytest.mark.parametrize("unit", [f"{ESC}]", f"{ESC}P", "\x90", "\x9d", f"{ESC}[1;"])
def test_a_megabyte_of_unterminated_introducers_is_filtered_in_linear_time(unit: str) -> None:
    import time

    guard = PasteGuard()
    data = START + unit * (1_000_000 // len(unit)) + END
    start = time.perf_counter()
    for i in range(0, len(data), 4096):  # as the driver reads it
        guard.filter(data[i:i + 4096])
    assert time.perf_counter() - start < 2.0
