"""A filter in front of Textual's input parser: a paste can never act as keys.

Textual 8.2.8 re-issues escape sequences found inside a bracketed paste as key
presses, so pasting ``ESC X ^Q`` quits the app (shared/RELIABILITY.md §2.2,
observed). This guard sees the raw input first. Inside a bracketed paste it
removes ESC and control bytes (keeping tab and line breaks), so the parser only
ever sees plain text there. Bytes that arrive in the same read right after a
paste ends and carry control characters (a forged end marker followed by
``^Q``) are wrapped into a paste of their own, since no human types that fast.

Installed by wrapping ``XTermParser.feed`` (Textual is pinned exactly; the
real-terminal test in tests/test_terminal.py proves it still works).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from ..domain.text import strip_escapes

START = "\x1b[200~"
END = "\x1b[201~"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_KEYLIKE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]")
"""Control characters that would act as keys (ESC itself excluded: mouse and arrow reports start with it)."""


def clean_paste(text: str) -> str:
    """Pasted text without escape sequences or control bytes (tab, CR and LF stay)."""
    return _CONTROL.sub("", strip_escapes(text)).replace("\x1b", "")


class PasteGuard:
    """Stateful filter over the text the terminal sends."""

    def __init__(self) -> None:
        self.in_paste = False
        self._held = ""

    def filter(self, data: str) -> str:
        """The text to give the parser instead of ``data``."""
        if not data:  # end of input
            held, self._held = self._held, ""
            return clean_paste(held) + data if self.in_paste else held + data
        data = self._held + data
        self._held = ""
        out: list[str] = []
        i = 0
        while i < len(data):
            if not self.in_paste:
                j = data.find(START, i)
                if j < 0:
                    tail = _prefix_tail(data[i:], START)
                    out.append(data[i:len(data) - len(tail)])
                    self._held = tail
                    break
                out.append(data[i:j] + START)
                self.in_paste = True
                i = j + len(START)
                continue
            j = data.find(END, i)
            if j < 0:
                tail = _prefix_tail(data[i:], END)
                out.append(clean_paste(data[i:len(data) - len(tail)]))
                self._held = tail
                break
            out.append(clean_paste(data[i:j]) + END)
            self.in_paste = False
            i = j + len(END)
            rest = data[i:]
            if rest and not rest.startswith(START) and _KEYLIKE.search(rest):
                out.append(START + clean_paste(rest) + END)
                break
        return "".join(out)


def _prefix_tail(text: str, marker: str) -> str:
    """The end of ``text`` that could be the start of ``marker`` split across reads.

    A lone ESC is never held outside a paste: it is the Escape key, and the parser
    has its own delay for it.
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
        filtered = guard.filter(data)
        if data and not filtered:  # all held back for now; "" would tell the parser the input ended
            return ()
        return original(self, filtered)

    feed.infoint_guarded = True  # type: ignore[attr-defined]
    XTermParser.feed = feed  # type: ignore[method-assign]
