"""People: add, list, search, show, edit, archive, unarchive, delete, note, pitch."""

from __future__ import annotations

import argparse
import itertools
import sys

from ..domain.contacts import EDITABLE, make_draft
from ..domain.errors import Invalid
from ..domain.model import Filter
from ..domain.pipeline import ArchiveReason, Stage, parse_enum
from .db import _open
from .records import warn_look_alikes
from .render import (
    _emit,
    _safe,
    detail_json,
    emit_list_rows_json,
    note_json,
    person_json,
    print_detail,
    stream_list_rows,
)


def cmd_add(args: argparse.Namespace) -> int:
    draft = make_draft(args.name, title=args.title, company=args.company, email=args.email, phone=args.phone,
                       address=args.address, url=args.url, source=args.source, referred_by=args.referred_by,
                       tags=args.tag or [])
    store = _open(args)
    found = store.look_alikes({"name": draft.name, "company": draft.company, "email": draft.email,
                               "url": draft.url, "phone": draft.phone})
    c = store.add(draft)
    _emit(args, person_json(c), lambda: print(c.id))
    warn_look_alikes(c.id, c.name, found)
    return 0


def _filter(args: argparse.Namespace, query: str = "") -> Filter:
    stage = parse_enum(Stage, "stage", args.stage) if getattr(args, "stage", None) else None
    return Filter(query=query, stage=stage, company=getattr(args, "company", "") or "",
                  tag=getattr(args, "tag", "") or "", archived=getattr(args, "archived", False),
                  sort=getattr(args, "sort", "name"))


def cmd_list(args: argparse.Namespace) -> int:
    # Streamed: rows are printed page by page as they are read (100,000 people: the first at once,
    # memory flat), never all built first.
    store = _open(args)
    flt = _filter(args)
    if args.json:
        emit_list_rows_json(store.iter_list_rows(flt, args.limit))
        return 0
    top = store.max_id(flt, args.limit)
    if top is None:
        total = store.count(Filter())
        print("No one matches." if total else
              'No people yet. Add one with: infoint add "Jane Doe" --company Acme   (or try: infoint --demo)')
        return 0
    stream_list_rows(store.iter_list_rows(flt, args.limit), top)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    store = _open(args)
    query = " ".join(args.query)
    # The active people who match, then the archived ones, each up to --limit. The badges of the
    # follow-up rules are not printed: they are not computed.
    active, archived = Filter(query=query, archived=False), Filter(query=query, archived=True)
    rows = itertools.chain(store.iter_list_rows(active, args.limit), store.iter_list_rows(archived, args.limit))
    if args.json:
        emit_list_rows_json(rows)
        return 0
    tops = [i for i in (store.max_id(active, args.limit), store.max_id(archived, args.limit)) if i is not None]
    if tops:
        stream_list_rows(rows, max(tops))
    else:
        print(f"Nothing matches {_safe(query)!r}.")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    d = _open(args).detail(args.id)
    _emit(args, detail_json(d), lambda: print_detail(d))
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    changes: dict[str, object] = {f: getattr(args, f) for f in EDITABLE if f != "tags" and getattr(args, f) is not None}
    if args.tag is not None:
        changes["tags"] = args.tag
    if not changes:
        raise Invalid("edit", "nothing to change; give at least one of --" + ", --".join(
            f.replace("_", "-") for f in EDITABLE if f != "tags") + ", --tag.")
    c = _open(args).edit(args.id, changes)
    _emit(args, person_json(c), lambda: print(f"Updated #{c.id} {_safe(c.name)}."))
    return 0


def cmd_archive(args: argparse.Namespace) -> int:
    reason = parse_enum(ArchiveReason, "reason", args.reason)
    c = _open(args).archive(args.id, reason, args.note or "")
    _emit(args, person_json(c), lambda: print(f"Archived #{c.id} {_safe(c.name)} ({reason.value})."))
    return 0


def cmd_unarchive(args: argparse.Namespace) -> int:
    c = _open(args).restore(args.id)
    _emit(args, person_json(c), lambda: print(f"#{c.id} {_safe(c.name)} is back in '{c.stage.label}'."))
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    store = _open(args)
    c = store.contact(args.id)
    if not args.yes:
        raise Invalid("delete", f"this erases {c.name} (#{c.id}), their history and notes for good; "
                                "add --yes to confirm, or use 'infoint archive' to keep the record.")
    store.delete(args.id)
    _emit(args, {"deleted": c.id}, lambda: print(f"Erased #{c.id} {_safe(c.name)}."))
    return 0


def cmd_note(args: argparse.Namespace) -> int:
    text = sys.stdin.read() if args.text == ["-"] else " ".join(args.text)
    n = _open(args).add_note(args.id, text)
    _emit(args, note_json(n), lambda: print(f"Note #{n.id} added."))
    return 0


def cmd_pitch(args: argparse.Namespace) -> int:
    store = _open(args)
    if args.text:
        text = sys.stdin.read() if args.text == ["-"] else " ".join(args.text)
        store.set_pitch(text)
    pitch = store.pitch()
    _emit(args, {"pitch": pitch, "words": len(pitch.split())}, lambda: print(
        _safe(pitch) + f"\n({len(pitch.split())} words)" if pitch else
        'No pitch yet. Set one with: infoint pitch "I am a … curious about …"'))
    return 0
