"""A filter in front of Textual's input parser: a paste can never act as keys.

Textual 8.2.8 re-issues escape sequences found inside a bracketed paste as key
presses, so pasting ``ESC X ^Q`` quits the app (shared/RELIABILITY.md §2.2,
observed). This guard sees the raw input first and hands the parser only plain
text between a paste's start and its end: escape sequences and control bytes
are removed there (tab and line breaks stay), so nothing in a paste can be read
as a key, nor reach the parser as an ESC that it would turn into a stray ``^``.

The rule for the end of a paste. A paste's text may itself hold the end marker
``ESC[201~``: a forged end, byte for byte the same as the terminal's real one,
so no filter can tell them apart. What can be told is *when* bytes come: a
terminal sends a paste in one burst, while a person's next key comes after a
pause. So after an end marker, every byte that arrives in the same read, or in
reads that follow with no pause (less than :data:`PAUSE` between them), is paste
text too: cleaned and handed on as a paste of its own, never as keys. A forged
``ESC[201~ ESC ESC ^Q`` therefore types nothing, and neither does the real end
marker that follows it. The burst ends at the first pause; what comes after it
is typing again. A key typed within :data:`PAUSE` of a paste's end (or coalesced
with it by a slow link) becomes text: a letter is still typed, only a control
key is dropped. What the rule cannot stop is a forged end that a slow link
delivers, then pauses, then delivers the rest: terminals that remove ESC from
pasted text (most current ones) close that gap.

An escape sequence cut in two by the end of a read is held until the next read,
so that it is removed whole rather than leaving its second half as text; the
paste markers cut in two are held the same way. A paste start cut right after
its ESC (the ESC has already gone to the parser as a possible Escape key) is
still recognised.

Installed by wrapping ``XTermParser.feed`` (Textual is pinned exactly; the
real-terminal tests in tests/test_terminal.py and tests/test_paste_terminal.py
prove it still works).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from ..domain.text import strip_escapes

START = "\x1b[200~"
END = "\x1b[201~"
PAUSE = 0.05
"""Seconds without input that end the burst a paste arrived in. A terminal writes a paste at once (its
reads come well under a millisecond apart, a few ms when threads compete); no one presses a key 50 ms
after a paste lands."""
MAX_HELD = 4096
"""Longest unfinished escape sequence held back at the end of a read; a longer one is cleaned as it is
(an unterminated sequence loses its introducer)."""

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_UNFINISHED = re.compile(
    r"""
    (?: \x1b\[[0-?]*[ -/]*                  # CSI (the paste markers too) before its final byte
      | \x1b\][^\x07\x1b\x9c]*\x1b?         # OSC before BEL or ST
      | \x1b[PX^_][^\x1b\x9c]*\x1b?         # DCS, SOS, PM, APC before ST
      | \x1b[!-/]*                          # ESC, its intermediates
      | \x9b[0-?]*[ -/]*
      | [\x90\x98\x9d\x9e\x9f][^\x1b\x07\x90\x98\x9c-\x9f]*\x1b?
    )\Z
    """,
    re.VERBOSE,
)
"""An escape sequence that the end of the text cut short."""


def clean_paste(text: str) -> str:
    """Pasted text without escape sequences or control bytes (tab, CR and LF stay)."""
    return _CONTROL.sub("", strip_escapes(text)).replace("\x1b", "")


def _unfinished_tail(text: str) -> int:
    """Where an escape sequence cut short by the end of ``text`` starts (``len(text)`` if none)."""
    window = max(0, len(text) - MAX_HELD)
    m = _UNFINISHED.search(text, window)
    return m.start() if m else len(text)


class PasteGuard:
    """Stateful filter over the text the terminal sends.

    States: typing (bytes pass through), in a paste (up to the end marker), and in the burst after a
    paste's end (up to the first pause). In the last two every byte is text.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.in_paste = False
        self.after_paste = False
        """In the burst that a paste ended in: what follows is text until a pause."""
        self._held = ""
        self._esc_sent = False
        """The last read ended with a lone ESC, given to the parser (it may be the Escape key)."""
        self._clock = clock
        self._last = 0.0

    def filter(self, data: str, parser_waiting: Callable[[], bool] = lambda: True) -> str:
        """The text to give the parser instead of ``data``.

        ``parser_waiting`` tells whether the parser, given a lone ESC at the end of the last read, is
        still waiting for the rest of a sequence (it has not timed out into an Escape key).
        """
        now = self._clock()
        paused = now - self._last >= PAUSE
        self._last = now
        out: list[str] = []
        if not data:  # end of input: what was held, the paste closed (the caller then ends the parser)
            held, self._held = self._held, ""
            if self.in_paste:
                self.in_paste = False
                return clean_paste(held) + END
            return _as_paste(held) if self.after_paste else held
        if self.after_paste and paused:  # the burst is over: what comes now is typed
            out.append(_as_paste(self._held))
            self._held = ""
            self.after_paste = False
        data = self._held + data
        self._held = ""
        i = 0
        if self._esc_sent and not self.in_paste and not self.after_paste:
            self._esc_sent = False
            i = self._continue_start(data, parser_waiting(), out)
            if i < 0:
                return "".join(out)
        while i < len(data):
            text = self.in_paste or self.after_paste
            i = self._text(data, i, out) if text else self._typing(data, i, out)
        return "".join(out)

    def _continue_start(self, data: str, waiting: bool, out: list[str]) -> int:
        """After a read that ended with ESC: a paste start completed by ``data`` (entering the paste)
        returns where its text begins; anything else, 0. -1 when ``data`` is all held."""
        rest = START[1:]
        if data.startswith(rest):
            out.append(rest if waiting else START)  # a parser that timed out has sent Escape: start anew
            self.in_paste = True
            return len(rest)
        if rest.startswith(data):  # still could be: hold it (the ESC is already out)
            self._held = data
            self._esc_sent = True
            return -1
        return 0

    def _typing(self, data: str, i: int, out: list[str]) -> int:
        j = data.find(START, i)
        if j < 0:
            tail = _prefix_tail(data[i:], START)
            out.append(data[i:len(data) - len(tail)])
            self._held = tail
            self._esc_sent = data.endswith("\x1b") and not tail
            return len(data)
        out.append(data[i:j] + START)
        self.in_paste = True
        return j + len(START)

    def _text(self, data: str, i: int, out: list[str]) -> int:
        """Paste text from ``i``: up to the next marker, or the end of the read."""
        starts, ends = data.find(START, i), data.find(END, i)
        marks = [k for k in (starts, ends) if k >= 0]
        if not marks:
            cut = _unfinished_tail(data[i:]) + i
            self._held = data[cut:]
            out.append(_as_paste(data[i:cut]) if self.after_paste else clean_paste(data[i:cut]))
            return len(data)
        j = min(marks)
        if j == ends:
            if self.in_paste:
                out.append(clean_paste(data[i:j]) + END)
            else:
                out.append(_as_paste(data[i:j]))  # the burst goes on: only a pause ends it
            self.in_paste, self.after_paste = False, True
            return j + len(END)
        # A start marker: in a paste, text like any other; in the burst, the next paste begins.
        if self.in_paste:
            out.append(clean_paste(data[i:j]))
        else:
            out.append(START + clean_paste(data[i:j]))
            self.in_paste, self.after_paste = True, False
        return j + len(START)


def _as_paste(text: str) -> str:
    """``text`` cleaned, as a paste of its own (nothing when nothing is left)."""
    clean = clean_paste(text)
    return START + clean + END if clean else ""


def _prefix_tail(text: str, marker: str) -> str:
    """The end of ``text`` that could be the start of ``marker`` split across reads.

    A lone ESC is never held outside a paste: it is the Escape key, and the parser
    has its own delay for it (the guard remembers it went, to see a paste start cut after it).
    """
    for n in range(min(len(marker) - 1, len(text)), 0, -1):
        if marker.startswith(text[-n:]) and not (marker == START and n == 1):
            return text[-n:]
    return ""


def install() -> None:
    """Put a guard in front of every XTermParser (idempotent)."""
    from textual._xterm_parser import XTermParser

    original = XTermParser.feed
    if getattr(original, "infoint_guarded", False):
        return

    def feed(self: Any, data: str) -> Iterable[Any]:
        guard = self.__dict__.get("_infoint_paste_guard")
        if guard is None:
            guard = self.__dict__["_infoint_paste_guard"] = PasteGuard()
        # The parser waits for the rest of an escape sequence until its timer runs out (then the ESC
        # was the Escape key); the timer is this private field of Textual's Parser (pinned version).
        filtered = guard.filter(data, lambda: getattr(self, "_timeout_time", None) is not None)
        if not data:  # the end of input: what was held back, then the end itself
            return [*original(self, filtered), *original(self, "")] if filtered else original(self, "")
        if not filtered:  # all held back for now; "" would tell the parser the input ended
            return ()
        return original(self, filtered)

    feed.infoint_guarded = True  # type: ignore[attr-defined]
    XTermParser.feed = feed  # type: ignore[method-assign]
