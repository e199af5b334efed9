"""Correcting the record: a person's history with the ids to correct it by, and the edits and
removals of logged interactions and moves (``history``), meetings (``meeting``) and notes (``note``)."""

from __future__ import annotations

import argparse
import sys

from ..domain.dates import parse_when
from ..domain.errors import Invalid
from ..domain.model import Detail, Event
from ..domain.pipeline import KIND_LABELS, Kind, Medium, parse_enum
from .db import _open
from .render import _emit, _local, _safe, event_json, meeting_json, meeting_line, note_json, person_json


def _what(e: Event) -> str:
    if e.kind is Kind.STAGE and e.stage_from and e.stage_to:
        return f"moved {e.stage_from.label} → {e.stage_to.label}"
    return KIND_LABELS[e.kind]


def history_json(d: Detail) -> dict[str, object]:
    """A person's history with ids: events (oldest first), meetings (soonest first), notes (newest first)."""
    return {"person": person_json(d.contact), "events": [event_json(e) for e in d.history],
            "meetings": [meeting_json(m) for m in d.meetings], "notes": [note_json(n) for n in d.notes]}


def print_history(d: Detail) -> None:
    """The history as lines, each with the id that 'infoint history edit/remove' (and meeting, note) take."""
    print(f"#{d.contact.id} {_safe(d.contact.name)}: {d.contact.stage.label}\n\nHistory (infoint history "
          "edit|remove EVENT_ID)")
    for e in d.history:
        extra = ", ".join(x for x in (e.channel, f"{e.minutes} min" if e.minutes else "", _safe(e.detail)) if x)
        print(f"  {e.id:>6}  {_local(e.at)}  {_what(e)}" + (f" ({extra})" if extra else ""))
    if d.meetings:
        print("\nMeetings (infoint meeting edit|remove MEETING_ID)")
        for m in d.meetings:
            print(f"  {m.id:>6}  {meeting_line(m)}")
    if d.notes:
        print("\nNotes (infoint note edit|remove NOTE_ID)")
        for n in d.notes:
            first = (_safe(n.text).splitlines() or [""])[0]
            print(f"  {n.id:>6}  {_local(n.created)}  {first[:60]}")


def _item(args: argparse.Namespace, what: str) -> int:
    if args.item is None:
        raise Invalid(what, f"give its id: 'infoint {args.command} {args.target} {what.upper()}_ID'.")
    return int(args.item)


def cmd_history(args: argparse.Namespace) -> int:
    """``history ID`` lists; ``history edit EVENT_ID --at/--kind/--channel/--note``; ``history remove EVENT_ID``."""
    store = _open(args)
    if args.target == "edit":
        event_id = _item(args, "event")
        at = parse_when(args.at, store.clock(), "--at") if args.at else None
        kind = parse_enum(Kind, "kind", args.kind) if args.kind else None
        if at is None and kind is None and args.channel is None and args.note is None:
            raise Invalid("history edit", "nothing to change; give --at, --kind, --channel or --note.")
        e = store.edit_event(event_id, at=at, kind=kind, channel=args.channel, note=args.note)
        _emit(args, event_json(e), lambda: print(f"Changed #{e.id}: {_what(e)} at {_local(e.at)}."))
        return 0
    if args.target == "remove":
        e = store.remove_event(_item(args, "event"))
        _emit(args, event_json(e), lambda: print(f"Removed #{e.id}: {_what(e)} at {_local(e.at)} "
                                                 "('infoint undo' puts it back)."))
        return 0
    if not args.target.isdigit() or args.item is not None:
        raise Invalid("history", f"'{args.target}' is not a person's id, 'edit' or 'remove'.")
    d = store.detail(int(args.target))
    _emit(args, history_json(d), lambda: print_history(d))
    return 0


def cmd_meeting(args: argparse.Namespace) -> int:
    """``meeting edit MEETING_ID --at/--minutes/--medium/--location``; ``meeting remove MEETING_ID``."""
    store = _open(args)
    if args.action == "remove":
        m = store.remove_meeting(args.id)
        _emit(args, meeting_json(m), lambda: print(f"Removed meeting #{m.id} of {_local(m.starts_at)} "
                                                   "('infoint undo' puts it back)."))
        return 0
    when = parse_when(args.at, store.clock(), "--at") if args.at else None
    medium = parse_enum(Medium, "medium", args.medium) if args.medium else None
    if when is None and args.minutes is None and medium is None and args.location is None:
        raise Invalid("meeting edit", "nothing to change; give --at, --minutes, --medium or --location.")
    m = store.edit_meeting(args.id, starts_at=when, minutes=args.minutes, medium=medium, location=args.location)
    _emit(args, meeting_json(m), lambda: print(
        f"Meeting #{m.id}: {_local(m.starts_at, '%a %Y-%m-%d %H:%M')}, {m.minutes} min, {m.medium.value}."))
    return 0


def cmd_note(args: argparse.Namespace) -> int:
    """``note ID TEXT`` adds (people.cmd_note); ``note edit NOTE_ID TEXT``; ``note remove NOTE_ID``."""
    from .people import cmd_note as add_note

    if args.id not in ("edit", "remove"):
        if not args.id.isdigit():
            raise Invalid("note", f"'{args.id}' is not a person's id, 'edit' or 'remove'.")
        if not args.text:
            raise Invalid("note", "give the text ('-' reads it from stdin).")
        return add_note(argparse.Namespace(**{**vars(args), "id": int(args.id)}))
    if not args.text or not args.text[0].isdigit():
        raise Invalid("note", f"give the note's id: 'infoint note {args.id} NOTE_ID'"
                              + (" TEXT'." if args.id == "edit" else "'."))
    note_id, words = int(args.text[0]), args.text[1:]
    store = _open(args)
    if args.id == "remove":
        n = store.remove_note(note_id)
        _emit(args, note_json(n), lambda: print(f"Removed note #{n.id} ('infoint undo' puts it back)."))
        return 0
    if not words:
        raise Invalid("note", "give the new text ('-' reads it from stdin).")
    n = store.edit_note(note_id, sys.stdin.read() if words == ["-"] else " ".join(words))
    _emit(args, note_json(n), lambda: print(f"Note #{n.id} changed."))
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    """``undo`` / ``redo``: the last change, from any terminal (the journal is in the database)."""
    store = _open(args)
    label = store.redo() if args.command == "redo" else store.undo()
    verb = "Redone" if args.command == "redo" else "Undone"
    _emit(args, {"done": args.command, "change": label}, lambda: print(f"{verb}: {_safe(label)}."))
    return 0
