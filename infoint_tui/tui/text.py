"""Safe text for the screen. User data is never markup and never reaches the terminal as control codes.

Every name, company, title and note shown anywhere goes through :func:`safe`
(strip escape sequences and control characters again, in case the database was
written by something else) and is wrapped in ``Content`` or Rich ``Text``, which
Textual shows literally. Local times are made here and only here.
"""

from __future__ import annotations

from datetime import datetime

from ..domain.dates import to_local
from ..domain.listing import Summary
from ..domain.pipeline import Stage
from ..domain.text import clean_line, clean_note

STAGE_MARKS = {Stage.TO_CONTACT: "○", Stage.SCHEDULED: "◔", Stage.MET: "◑", Stage.THANKED: "●"}
"""One-cell stage markers for list rows (shape, not only colour: NO_COLOR keeps the meaning)."""


class Mask:
    """The privacy mask (F4, for screen-sharing): while ``on``, e-mails, phones and addresses show as
    :data:`HIDDEN`, note text is hidden (``InfointApp.-masked`` in app.tcss), and, with ``names``
    (``[ui] mask_names``), names are reduced to initials. One per process, as the app is; the app sets it."""

    on: bool = False
    names: bool = False


MASK = Mask()
HIDDEN = "•••"


def private(text: str) -> str:
    """A contact detail (e-mail, phone, address), hidden under the privacy mask."""
    return HIDDEN if MASK.on and text else safe(text)


def person(name: str) -> str:
    """A person's name: their initials under the privacy mask when names are masked too."""
    if not (MASK.on and MASK.names):
        return safe(name)
    return " ".join(part[0].upper() + "." for part in safe(name).split() if part[0].isalnum()) or HIDDEN


def cursor_blink() -> bool:
    """Whether text cursors blink: ``INFOINT_NO_BLINK=1`` turns blinking off (over a slow SSH link a
    blinking cursor costs ~0.7–2 KB/s; without it an idle screen sends nothing)."""
    import os

    return os.environ.get("INFOINT_NO_BLINK", "") in ("", "0")


def safe(text: str) -> str:
    """A single line of user text, fit for the screen."""
    return clean_line(text)


def safe_block(text: str) -> str:
    """Multi-line user text, fit for the screen."""
    return clean_note(text)


DATE_FORMAT = ""
"""strftime format of the dates :func:`when` writes in full (``[ui] date_format`` in the config file, set
by the app at start-up); empty: "Dec 3", with the year when it is not this year's."""


def when(moment: datetime | None, now: datetime, with_time: bool = True) -> str:
    """A short local date: "today 14:30", "tomorrow 09:00", "Fri 14:00", "Dec 3 14:00" (or as
    :data:`DATE_FORMAT` says)."""
    if moment is None:
        return ""
    local, today = to_local(moment), to_local(now).date()
    days = (local.date() - today).days
    hm = f" {local:%H:%M}" if with_time else ""
    if days == 0:
        return "today" + hm
    if days == 1:
        return "tomorrow" + hm
    if days == -1:
        return "yesterday" + hm
    if 1 < days < 7:
        return f"{local:%a}" + hm
    if DATE_FORMAT:
        return local.strftime(DATE_FORMAT) + hm
    return f"{local:%b} {local.day}" + (f" {local.year}" if local.year != today.year else "") + hm


def ago(moment: datetime | None, now: datetime) -> str:
    """"3d", "5h", "now": how long ago, compactly."""
    if moment is None:
        return ""
    seconds = (now - moment).total_seconds()
    if seconds < 3600:
        return "now" if seconds < 60 else f"{int(seconds // 60)}m"
    if seconds < 86400:
        return f"{int(seconds // 3600)}h"
    return f"{int(seconds // 86400)}d"


def badges(s: Summary, now: datetime) -> list[tuple[str, str]]:
    """(text, style class) badges for a card: meeting time, asked, thank-you due, days in stage."""
    out: list[tuple[str, str]] = []
    if s.next_meeting:
        out.append((when(s.next_meeting, now), "meeting"))
    if s.asked_on:
        age = ago(s.asked_on, now)
        out.append(("asked today" if age.endswith(("m", "h")) or age == "now" else f"asked {age} ago", "asked"))
    if s.thank_you_due:
        out.append(("thank-you due", "due"))
    if s.follow_up_due:
        out.append(("follow-up due", "due"))
    if s.stage_since and not out:
        out.append((f"{ago(s.stage_since, now)} in stage", "dim"))
    return out
