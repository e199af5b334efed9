"""What the command line prints: the stable JSON shapes, and readable text for a terminal.

Names with an underscore are private to the ``cli`` package (the command modules share them).
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..domain.dates import to_local
from ..domain.followups import FollowUp
from ..domain.model import Contact, Detail, Event, Meeting, Note, Summary
from ..domain.pipeline import KIND_LABELS, Kind, Stage
from ..domain.text import clean_note, strip_escapes
from ..store.rows import dt, iso_z  # plain functions: no Peewee

if TYPE_CHECKING:
    from ..store.listing import ListRow

# --- text for a terminal ------------------------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    """UTC ISO 8601 with a Z, for JSON."""
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _local(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return "" if moment is None else to_local(moment).strftime(fmt)


def meeting_line(m: Meeting, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A meeting in one line: when, how long, how, where, and whether it was held."""
    state = "held" if m.held else "cancelled" if m.cancelled else "planned"
    where = f", {_safe(m.location)}" if m.location else ""
    return f"{_local(m.starts_at, fmt)}  {m.minutes} min, {m.medium.value}{where} ({state})"


def _safe(text: str) -> str:
    """What is printed to a terminal: no escape sequences, even from a database written by other tools."""
    if text.isprintable():  # no ESC, no controls: nothing to strip (the common case, and cheap)
        return text
    return clean_note(strip_escapes(text))


def _width(text: str) -> int:
    """Terminal cells taken by ``text`` (CJK and emoji take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
               for ch in text)


def _fit(text: str, width: int) -> str:
    """Cut or pad ``text`` to exactly ``width`` cells."""
    if text.isascii() and len(text) <= width:  # the common case, without measuring each character
        return text + " " * (width - len(text))
    total = _width(text)
    limit = width - 1 if total > width else width
    out, used = [], 0
    for ch in text:
        w = _width(ch)
        if used + w > limit:
            break
        out.append(ch)
        used += w
    if total > width:
        out.append("…")
        used += 1
    return "".join(out) + " " * max(width - used, 0)


# --- the stable JSON shapes ---------------------------------------------------------------


def person_json(c: Contact) -> dict[str, Any]:
    """The stable JSON shape of a person."""
    return {
        "id": c.id, "name": c.name, "title": c.title, "company": c.company, "email": c.email, "phone": c.phone,
        "address": c.address, "url": c.url, "source": c.source.value if c.source else None,
        "referred_by": c.referred_by, "referred_by_name": c.referred_by_name or None, "tags": list(c.tags),
        "stage": c.stage.value, "archived": c.archived,
        "archive_reason": c.archive_reason.value if c.archive_reason else None,
        "version": c.version, "created": _iso(c.created), "updated": _iso(c.updated),
        "last_activity": _iso(c.last_activity),
    }


def summary_json(s: Summary) -> dict[str, Any]:
    """The stable JSON shape of a list row."""
    return {"id": s.id, "name": s.name, "title": s.title, "company": s.company, "stage": s.stage.value,
            "archived": s.archived, "last_activity": _iso(s.last_activity), "asked_on": _iso(s.asked_on),
            "next_meeting": _iso(s.next_meeting), "thank_you_due": s.thank_you_due}


def event_json(e: Event) -> dict[str, Any]:
    """The stable JSON shape of a history entry."""
    return {"id": e.id, "kind": e.kind.value, "at": _iso(e.at), "channel": e.channel or None,
            "stage_from": e.stage_from.value if e.stage_from else None,
            "stage_to": e.stage_to.value if e.stage_to else None, "minutes": e.minutes,
            "meeting": e.meeting_id, "detail": e.detail or None}


def meeting_json(m: Meeting) -> dict[str, Any]:
    """The stable JSON shape of a meeting."""
    return {"id": m.id, "contact": m.contact_id, "starts_at": _iso(m.starts_at), "minutes": m.minutes,
            "medium": m.medium.value, "location": m.location, "held": m.held, "held_minutes": m.held_minutes,
            "cancelled": m.cancelled}


def note_json(n: Note) -> dict[str, Any]:
    """The stable JSON shape of a note."""
    return {"id": n.id, "contact": n.contact_id, "text": n.text, "created": _iso(n.created),
            "updated": _iso(n.updated), "meeting": n.meeting_id}


def detail_json(d: Detail) -> dict[str, Any]:
    """A person with history, meetings and notes."""
    return {**person_json(d.contact), "history": [event_json(e) for e in d.history],
            "meetings": [meeting_json(m) for m in d.meetings], "notes": [note_json(n) for n in d.notes],
            "referrals": [{"id": i, "name": n} for i, n in d.referrals]}


def followup_json(f: FollowUp) -> dict[str, Any]:
    """The stable JSON shape of a follow-up."""
    return {"key": f.key, "contact": f.contact_id, "name": f.name, "company": f.company, "rule": f.rule,
            "due": _iso(f.due), "title": f.title}


# --- readable text ------------------------------------------------------------------------


def _badge(s: Summary) -> str:
    if s.archived:
        return "archived"
    if s.asked_on:
        return f"asked on {_local(s.asked_on, '%b %d')}"
    if s.next_meeting:
        return f"meets {_local(s.next_meeting, '%a %b %d %H:%M')}"
    if s.thank_you_due:
        return "thank-you due"
    return ""


def print_summaries(rows: Sequence[Summary]) -> None:
    """Aligned columns: id, name, company, stage, badge."""
    stream_summaries(rows, max((r.id for r in rows), default=0))


def stream_summaries(rows: Iterable[Summary], max_id: int, batch: int = 200) -> None:
    """What :func:`print_summaries` prints, written as ``rows`` come (a few hundred lines at a time):
    ``max_id``, the largest id among them, sets the id column's width before the first row is read."""
    idw = max(len(str(max_id)), 1) if max_id else 2
    write = sys.stdout.write
    write(f"{'#':>{idw}}  {_fit('NAME', 28)}  {_fit('COMPANY', 22)}  {_fit('STAGE', 10)}  NEXT\n")
    lines = []
    for r in rows:
        lines.append(f"{r.id:>{idw}}  {_fit(_safe(r.name), 28)}  {_fit(_safe(r.company), 22)}  "
                     f"{_fit(r.stage.label, 10)}  {_badge(r)}".rstrip() + "\n")
        if len(lines) >= batch:
            write("".join(lines))
            lines.clear()
    write("".join(lines))


def list_row_json(r: ListRow) -> dict[str, Any]:
    """:func:`summary_json` of a row of ``Store.iter_list_rows`` (the same keys and values)."""
    cid, name, title, company, stage, archived, last, asked, nxt, thanks = r
    return {"id": cid, "name": name, "title": title, "company": company, "stage": stage, "archived": archived,
            "last_activity": iso_z(last), "asked_on": iso_z(asked), "next_meeting": iso_z(nxt),
            "thank_you_due": thanks}


def stream_list_rows(rows: Iterable[ListRow], max_id: int, batch: int = 500) -> None:
    """What :func:`stream_summaries` prints, from the plain rows of ``Store.iter_list_rows``: no Summary
    per row, and a date parsed only for a badge that shows one (100,000 people: ~1 s less CPU)."""
    idw = max(len(str(max_id)), 1) if max_id else 2
    stages = {s.value: _fit(s.label, 10) for s in Stage}
    write = sys.stdout.write
    write(f"{'#':>{idw}}  {_fit('NAME', 28)}  {_fit('COMPANY', 22)}  {_fit('STAGE', 10)}  NEXT\n")
    lines = []
    for cid, name, _title, company, stage, archived, _last, asked, nxt, thanks in rows:
        if archived:
            badge = "archived"
        elif asked is not None:
            badge = f"asked on {_local(dt(asked), '%b %d')}"
        elif nxt is not None:
            badge = f"meets {_local(dt(nxt), '%a %b %d %H:%M')}"
        elif thanks:
            badge = "thank-you due"
        else:
            badge = ""
        # Printable ASCII that fits (most names): _fit(_safe(x)) is a plain ljust, without the calls.
        name = name.ljust(28) if len(name) <= 28 and name.isascii() and name.isprintable() else _fit(_safe(name), 28)
        company = (company.ljust(22) if len(company) <= 22 and company.isascii() and company.isprintable()
                   else _fit(_safe(company), 22))
        lines.append(f"{cid:>{idw}}  {name}  {company}  {stages[stage]}  {badge}".rstrip() + "\n")
        if len(lines) >= batch:
            write("".join(lines))
            lines.clear()
    write("".join(lines))


def emit_list_rows_json(rows: Iterable[ListRow], batch: int = 500) -> None:
    """What ``_emit_array(list_row_json(r) for r in rows)`` writes (``json.dumps(..., indent=2)``), each
    row's text made in one f-string from its fixed keys (no dict per row), written ``batch`` at a time."""
    enc: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]
    write = sys.stdout.write
    lines: list[str] = []
    sep = "[\n  "
    stages = {s.value: enc(s.value) for s in Stage}
    # (an id is an int: json.dumps(cid) is its digits, as int() prints them)
    for cid, name, title, company, stage, archived, last, asked, nxt, thanks in rows:
        last_z, asked_z, nxt_z = iso_z(last), iso_z(asked), iso_z(nxt)
        lines.append(
            f'{sep}{{\n    "id": {int(cid)},\n    "name": {enc(name)},\n    "title": {enc(title)},\n'
            f'    "company": {enc(company)},\n    "stage": {stages.get(stage) or enc(stage)},\n'
            f'    "archived": {"true" if archived else "false"},\n'
            f'    "last_activity": {"null" if last_z is None else enc(last_z)},\n'
            f'    "asked_on": {"null" if asked_z is None else enc(asked_z)},\n'
            f'    "next_meeting": {"null" if nxt_z is None else enc(nxt_z)},\n'
            f'    "thank_you_due": {"true" if thanks else "false"}\n  }}')
        sep = ",\n  "
        if len(lines) >= batch:
            write("".join(lines))
            lines.clear()
    write("".join(lines) + ("[]\n" if sep.startswith("[") else "\n]\n"))


def print_detail(d: Detail) -> None:
    """A person as readable text."""
    c = d.contact
    print(_safe(c.name) + (f"  (archived: {c.archive_reason.value})" if c.archived and c.archive_reason else ""))
    for label, value in (("title", c.title), ("company", c.company), ("email", c.email), ("phone", c.phone),
                         ("address", c.address), ("url", c.url), ("source", c.source.value if c.source else ""),
                         ("referred by", f"{c.referred_by_name} (#{c.referred_by})" if c.referred_by else ""),
                         ("tags", ", ".join(c.tags)), ("stage", c.stage.label)):
        if value:
            print(f"  {label + ':':<13}{_safe(value)}")
    if d.referrals:
        print("  referred you to: " + ", ".join(f"{_safe(n)} (#{i})" for i, n in d.referrals))
    if d.meetings:
        print("\nMeetings")
        for m in d.meetings:
            print(f"  {meeting_line(m, '%a %Y-%m-%d %H:%M')}")
    print("\nHistory")
    meetings = {m.id: m for m in d.meetings}
    for e in d.history:
        what = KIND_LABELS[e.kind]
        if e.kind is Kind.MEETING and e.meeting_id in meetings:
            what += f" for {_local(meetings[e.meeting_id].starts_at, '%a %Y-%m-%d %H:%M')}"
        if e.kind is Kind.STAGE and e.stage_from and e.stage_to:
            what = f"moved {e.stage_from.label} → {e.stage_to.label}"
        extra = ", ".join(x for x in (e.channel, f"{e.minutes} min" if e.minutes else "", _safe(e.detail)) if x)
        print(f"  {_local(e.at)}  {what}" + (f" ({extra})" if extra else ""))
    if d.notes:
        print("\nNotes")
        for n in d.notes:
            print(f"  [{n.id}] {_local(n.created)}")
            for line in _safe(n.text).splitlines() or [""]:
                print(f"    {line}")


def _emit_array(items: Iterable[dict[str, Any]]) -> None:
    """What ``_emit`` writes for a list of ``items`` with ``--json``, written item by item as they come."""
    from ..exchange.writers import json_array_chunks

    write = sys.stdout.write
    for chunk in json_array_chunks(items, 0, 2):
        write(chunk)
    write("\n")


def _emit(args: argparse.Namespace, data: Any, text: Callable[[], None]) -> None:
    """``data`` as JSON with ``--json``, else what ``text`` prints."""
    if args.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        text()
