"""One thing, one record: companies (``companies``, ``company merge|rename``) and duplicate people
(``duplicates``, ``merge KEEP OTHER``, and the warning ``add`` prints)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..domain.errors import Invalid
from .db import _open
from .render import _emit, _safe, person_json


def warn_look_alikes(new_id: int, name: str, found: Sequence[tuple[int, str, str]]) -> None:
    """What ``add`` says on stderr when the person added looks like someone already there (added anyway:
    a script adding people must not stop on a namesake; the hint says how to make them one)."""
    for pid, other, why in found[:3]:
        print(f"warning: {_safe(name)} (#{new_id}) looks like #{pid} {_safe(other)} ({why}); "
              f"'infoint show {pid}' shows them, 'infoint merge {pid} {new_id}' makes them one.", file=sys.stderr)


def cmd_companies(args: argparse.Namespace) -> int:
    rows = _open(args).company_counts()
    data = [{"id": c.id, "name": c.name, "people": active, "archived": archived} for c, active, archived in rows]

    def text() -> None:
        if not rows:
            print("No companies yet: give people one with --company.")
        for c, active, archived in rows:
            extra = f" (+{archived} archived)" if archived else ""
            print(f"{c.id:>5}  {_safe(c.name)}: {active} {'person' if active == 1 else 'people'}{extra}")

    _emit(args, data, text)
    return 0


def cmd_company(args: argparse.Namespace) -> int:
    """``company merge FROM INTO`` and ``company rename COMPANY NEW_NAME``."""
    store = _open(args)
    if args.action == "merge":
        gone = store.company(args.first)
        kept, moved = store.merge_companies(args.first, args.second)
        _emit(args, {"merged": gone.id, "into": kept.id, "name": kept.name, "moved": moved},
              lambda: print(f"Merged {_safe(gone.name)} (#{gone.id}) into {_safe(kept.name)} (#{kept.id}): "
                            f"{moved} {'person' if moved == 1 else 'people'} moved."))
        return 0
    before = store.company(args.first)
    c = store.rename_company(args.first, args.second)
    _emit(args, {"id": c.id, "name": c.name, "was": before.name},
          lambda: print(f"Renamed #{c.id} {_safe(before.name)} to {_safe(c.name)}."))
    return 0


def cmd_duplicates(args: argparse.Namespace) -> int:
    pairs = _open(args).duplicates()
    data = [{"id": a, "name": an, "other_id": b, "other_name": bn, "reason": why} for a, an, b, bn, why in pairs]

    def text() -> None:
        if not pairs:
            print("No likely duplicates.")
        for a, an, b, bn, why in pairs:
            print(f"#{a} {_safe(an)}  ~  #{b} {_safe(bn)}  ({why}): infoint merge {a} {b}")

    _emit(args, data, text)
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    if args.keep == args.other:
        raise Invalid("merge", f"#{args.keep} is one person already; give two ids.")
    store = _open(args)
    other = store.contact(args.other)
    c = store.merge_people(args.keep, args.other)
    _emit(args, person_json(c), lambda: print(
        f"Merged #{other.id} {_safe(other.name)} into #{c.id} {_safe(c.name)} ('infoint undo' takes it back)."))
    return 0
