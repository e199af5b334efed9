"""Writing the data out in open formats: JSON (everything), CSV (people), vCard 3.0, iCalendar.

CSV cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR) are
neutralised with a leading apostrophe. vobject and icalendar are imported only when used.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
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


# --- Streamed writing: the same text as to_json / to_csv, in pieces, as the rows are read ------------
# ``infoint export`` at 100,000 people built the whole document first (842 MiB for the JSON, every
# person read one by one for the CSV). These give the identical text piece by piece: memory stays flat.


_SCALARS: dict[type, Callable[[Any], str]] = {
    str: json.encoder.encode_basestring,  # type: ignore[attr-defined]  # the C encoder json.dumps uses
    int: int.__repr__,
    bool: lambda v: "true" if v else "false",
    type(None): lambda v: "null",
}
"""What json.dumps(value, ensure_ascii=False) writes for a value of exactly these types."""
_KEYS: dict[tuple[tuple[str, ...], int, int], tuple[list[str], str]] = {}
"""Per shape of a flat dict (its keys, level and indent): the text before each value, and after the last."""


def json_item(obj: Any, level: int, indent: int) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=indent)`` as it reads ``level`` deep in a document
    (every line after the first indented by ``level * indent`` more spaces). A flat dict of str, int,
    bool and None, such as a row, is written from its shape's cached key text and the C string
    encoder, not json's pure-Python indenting encoder (~4x faster)."""
    if type(obj) is dict and obj:
        shape = (tuple(obj), level, indent)
        cached = _KEYS.get(shape)
        if cached is None and all(type(k) is str for k in shape[0]):
            inner = "\n" + " " * ((level + 1) * indent)
            encode: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]
            cached = ([("{" if i == 0 else ",") + inner + encode(k) + ": " for i, k in enumerate(shape[0])],
                      "\n" + " " * (level * indent) + "}")
            if len(_KEYS) > 256:
                _KEYS.clear()
            _KEYS[shape] = cached
        if cached is not None:
            try:
                values = zip(cached[0], obj.values(), strict=True)
                return "".join([p + _SCALARS[type(v)](v) for p, v in values]) + cached[1]
            except KeyError:  # a nested or other value: json's own encoder below
                pass
    return json.dumps(obj, ensure_ascii=False, indent=indent).replace("\n", "\n" + " " * (level * indent))


def json_array_chunks(items: Iterable[Any], level: int = 0, indent: int = 2) -> Iterator[str]:
    """``json.dumps(list(items), ensure_ascii=False, indent=indent)`` (at ``level``), one item at a time."""
    pad = "\n" + " " * ((level + 1) * indent)
    empty = True
    for item in items:
        yield ("[" if empty else ",") + pad + json_item(item, level + 1, indent)
        empty = False
    yield "[]" if empty else "\n" + " " * (level * indent) + "]"


def json_chunks(pairs: Iterable[tuple[str, Any]]) -> Iterator[str]:
    """The text :func:`to_json` gives for ``dict(pairs)``, in pieces. A value that is an iterator
    (not a list, dict or scalar) is written as a list, item by item as it yields them."""
    first = True
    for key, value in pairs:
        yield ("{" if first else ",") + "\n " + json.encoder.encode_basestring(key) + ": "  # type: ignore[attr-defined]
        first = False
        if isinstance(value, Iterator):
            yield from json_array_chunks(value, 1, 1)
        else:
            yield json_item(value, 1, 1)
    yield "{}\n" if first else "\n}\n"


def csv_chunks(people: Iterable[Contact], batch: int = 500) -> Iterator[str]:
    """The text :func:`to_csv` gives, ``batch`` people at a time."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for n, c in enumerate(people, 1):
        values = (c.id, c.name, c.title, c.company, c.email, c.phone, c.address, c.url,
                  c.source.value if c.source else "", c.referred_by or "", c.referred_by_name, ", ".join(c.tags),
                  c.stage.value, "yes" if c.archived else "no", c.archive_reason.value if c.archive_reason else "",
                  c.created.astimezone(UTC).isoformat(), c.last_activity.astimezone(UTC).isoformat())
        w.writerow([neutralise(str(v)) for v in values])
        if n % batch == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()
