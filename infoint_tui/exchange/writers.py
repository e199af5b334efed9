"""Writing the data out in open formats: JSON (everything), CSV (people), vCard 3.0, iCalendar.

CSV cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR) are
neutralised with a leading apostrophe. vobject and icalendar are imported only when used.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from ..domain.followups import FollowUp
from ..domain.model import Contact, Meeting

CSV_COLUMNS = ("id", "name", "title", "company", "email", "phone", "address", "url", "source", "referred_by",
               "referred_by_name", "tags", "stage", "archived", "archive_reason", "created", "last_activity")
_UID_NS = uuid.UUID("6b0e0d2e-1f64-4b7e-9a8a-5f3f0e7c2a11")


def to_json(data: dict[str, Any]) -> str:
    """The full export as JSON (stable keys, UTF-8, one document)."""
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def neutralise(cell: str) -> str:
    """A CSV cell that no spreadsheet will evaluate as a formula."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def to_csv(people: Iterable[Contact]) -> str:
    """People as CSV with a header row."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for c in people:
        values = (c.id, c.name, c.title, c.company, c.email, c.phone, c.address, c.url,
                  c.source.value if c.source else "", c.referred_by or "", c.referred_by_name, ", ".join(c.tags),
                  c.stage.value, "yes" if c.archived else "no", c.archive_reason.value if c.archive_reason else "",
                  c.created.astimezone(UTC).isoformat(), c.last_activity.astimezone(UTC).isoformat())
        w.writerow([neutralise(str(v)) for v in values])
    return out.getvalue()


def contact_uid(contact_id: int, created: datetime) -> str:
    """A stable UID for a person's card (the same on every export)."""
    return "urn:uuid:" + str(uuid.uuid5(_UID_NS, f"{contact_id}:{created.isoformat()}"))


def name_parts(name: str) -> dict[str, str]:
    """A full name split for the vCard N field (family, given, additional, prefix, suffix) by nameparser,
    which knows particles ("van der Berg"), titles ("Dr.") and suffixes ("Jr."); a name it cannot
    split (one word, nothing but a title) is all given name, never a guessed family name."""
    from nameparser import HumanName  # lazy: only when a vCard is written

    h = HumanName(name)
    parts = {"family": h.last, "given": h.first, "additional": h.middle, "prefix": h.title, "suffix": h.suffix}
    if not parts["family"] and not parts["given"]:
        return {"family": "", "given": name, "additional": "", "prefix": "", "suffix": ""}
    return parts


def to_vcard(people: Iterable[Contact]) -> str:
    """People as vCard 3.0 (the most widely read version), one card each."""
    import vobject  # lazy

    cards = []
    for c in people:
        card = vobject.vCard()
        card.add("version").value = "3.0"
        card.add("uid").value = contact_uid(c.id, c.created)
        card.add("fn").value = c.name
        card.add("n").value = vobject.vcard.Name(**name_parts(c.name))
        if c.company:
            card.add("org").value = [c.company]
        if c.title:
            card.add("title").value = c.title
        if c.email:
            e = card.add("email")
            e.value = c.email
            e.type_param = "INTERNET"
        if c.phone:
            card.add("tel").value = c.phone
        if c.address:
            card.add("label").value = c.address
        if c.url:
            card.add("url").value = c.url
        if c.tags:
            card.add("categories").value = list(c.tags)
        note = [f"Stage: {c.stage.label}"]
        if c.referred_by_name:
            note.append(f"Referred by {c.referred_by_name}")
        card.add("note").value = ". ".join(note) + "."
        card.add("x-infoint-stage").value = c.stage.value
        card.add("rev").value = c.updated.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        cards.append(card.serialize())
    return "".join(cards)


def to_ics(meetings: Sequence[tuple[Meeting, str, str]], followups: Iterable[FollowUp], now: datetime) -> str:
    """Planned meetings as events (with a 15-minute reminder) and open follow-ups as to-dos, in UTC."""
    from icalendar import Alarm, Calendar, Todo
    from icalendar import Event as VEvent

    cal = Calendar()
    cal.add("prodid", "-//infoint//informational interviews//EN")
    cal.add("version", "2.0")
    stamp = now.astimezone(UTC)
    for m, name, company in meetings:
        ev = VEvent()
        ev.add("uid", f"mtg-{m.id}@infoint.local")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", m.starts_at.astimezone(UTC))
        ev.add("duration", timedelta(minutes=m.minutes))
        ev.add("summary", f"Informational chat — {name}" + (f" ({company})" if company else ""))
        if m.location:
            ev.add("location", m.location)
        ev.add("description", f"{m.medium.value}, {m.minutes} min. Ask for advice and names: "
                              "who else should I talk to?")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", timedelta(minutes=-15))
        alarm.add("description", f"Call {name} in 15 minutes: open call mode")
        ev.add_component(alarm)
        cal.add_component(ev)
    for f in followups:
        todo = Todo()
        todo.add("uid", f"fu-{f.key.replace(':', '-')}@infoint.local")
        todo.add("dtstamp", stamp)
        todo.add("due", f.due.astimezone(UTC))
        todo.add("summary", f"{f.title} — {f.name}")
        todo.add("status", "NEEDS-ACTION")
        cal.add_component(todo)
    return cal.to_ical().decode("utf-8")
