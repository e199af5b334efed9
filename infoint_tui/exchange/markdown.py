"""Markdown: the company dossier ("for the day an opening appears there") and the people list."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime

from ..domain.dates import to_local
from ..domain.followups import FollowUp
from ..domain.model import Detail
from ..domain.pipeline import KIND_LABELS, Kind
from ..domain.text import clean_line, clean_note
from ..domain.text import people as count_people


def _escaped(text: str) -> str:
    """One line of user text, safe inside Markdown (no markup of ours can be injected by data)."""
    text = clean_line(text)
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


_BLOCK = re.compile(r"^(\s*)(#|=+\s*$|-+\s*$|```|~~~)")
"""A note line that Markdown would read as a heading (``# x``, or a ``===``/``---`` underline turning
the line above into one) or as a code fence that swallows the rest of the page."""


def _as_is(line: str) -> str:
    return line


def _note_line_escaped(line: str) -> str:
    """One line of a note, kept as the user wrote it (lists and emphasis still work) except that it can
    never become a heading or a fence: the first marker character is escaped."""
    return _BLOCK.sub(lambda m: m.group(1) + "\\" + m.group(2), line, count=1)


def _day(moment: datetime | None) -> str:
    return "" if moment is None else to_local(moment).strftime("%Y-%m-%d")


def dossier(company: str, people: Sequence[Detail], followups: Iterable[FollowUp], now: datetime, *,
            escape: bool = True) -> str:
    """Everyone at ``company``: names, titles, stages, dates, who introduced whom, the major points
    discussed (their notes), and what is still open. ``escape=False``: the same text for reading as it
    is on a screen (user text without Markdown's backslashes: "[/] Eve", not "\\[/\\] Eve"); never
    for a file a Markdown reader will render."""
    _md = _escaped if escape else clean_line
    _note_line = _note_line_escaped if escape else _as_is
    open_by_person: dict[int, list[FollowUp]] = {}
    for f in followups:
        open_by_person.setdefault(f.contact_id, []).append(f)
    met = sum(1 for d in people if any(e.kind is Kind.CALL for e in d.history))
    lines = [f"# {_md(company)}", "",
             f"{count_people(len(people))}, {met} met. Written {to_local(now):%Y-%m-%d %H:%M} by infoint.", ""]
    for d in people:
        c = d.contact
        lines.append(f"## {_md(c.name)}")
        lines.append("")
        facts = [("Title", _md(c.title)), ("Stage", c.stage.label + (f" (archived: {c.archive_reason.value})"
                                                                      if c.archived and c.archive_reason else "")),
                 ("E-mail", _md(c.email)), ("Phone", _md(c.phone)), ("Profile", _md(c.url)),
                 ("Introduced by", _md(c.referred_by_name)),
                 ("Introduced you to", ", ".join(_md(n) for _, n in d.referrals))]
        calls = [e for e in d.history if e.kind is Kind.CALL]
        if calls:
            facts.append(("Met", ", ".join(f"{_day(e.at)}" + (f" ({e.minutes} min)" if e.minutes else "")
                                           for e in calls)))
        first = next((e for e in d.history if e.kind is Kind.OUTREACH), None)
        if first:
            facts.append(("First asked", _day(first.at)))
        for label, value in facts:
            if value:
                lines.append(f"- **{label}:** {value}")
        todo = open_by_person.get(c.id, [])
        if todo:
            lines.append("- **Open:** " + "; ".join(f"{_md(f.title)} (due {_day(f.due)})" for f in todo))
        if d.notes:
            lines += ["", "### Major points", ""]
            for n in sorted(d.notes, key=lambda n: n.created):
                lines.append(f"*{_day(n.created)}*" + (" — call" if n.meeting_id else ""))
                lines.append("")
                for para in clean_note(n.text).strip().splitlines():
                    lines.append(f"> {_note_line(para)}" if para.strip() else ">")
                lines.append("")
        history = [e for e in d.history if e.kind not in (Kind.EDITED, Kind.CREATED)]
        if history:
            lines += ["", "### History", ""]
            for e in history:
                what = KIND_LABELS[e.kind]
                if e.kind is Kind.STAGE and e.stage_from and e.stage_to:
                    what = f"moved {e.stage_from.label} → {e.stage_to.label}"
                lines.append(f"- {_day(e.at)} {what}" + (f" ({_md(e.channel)})" if e.channel else ""))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def people_list(people: Sequence[Detail], now: datetime) -> str:
    """Every person as a Markdown table, then their notes."""
    lines = [f"# People ({len(people)})", "", f"Written {to_local(now):%Y-%m-%d %H:%M} by infoint.", "",
             "| Name | Title | Company | Stage | E-mail | Last activity |", "|---|---|---|---|---|---|"]
    for d in people:
        c = d.contact
        stage = c.stage.label + (" (archived)" if c.archived else "")
        md = _escaped
        lines.append(f"| {md(c.name)} | {md(c.title)} | {md(c.company)} | {stage} | {md(c.email)} | "
                     f"{_day(c.last_activity)} |")
    return "\n".join(lines) + "\n"
