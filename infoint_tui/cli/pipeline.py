"""The pipeline: move, schedule, log, and the follow-ups (agenda, followup)."""

from __future__ import annotations

import argparse
import sys

from ..domain.dates import parse_when, to_local
from ..domain.errors import Invalid
from ..domain.followups import FollowUp
from ..domain.model import Meeting
from ..domain.pipeline import KIND_LABELS, LOGGABLE, Kind, Medium, Stage, parse_enum
from .db import _open
from .render import _emit, _iso, _local, _safe, event_json, followup_json, meeting_json, person_json


def cmd_move(args: argparse.Namespace) -> int:
    stage = parse_enum(Stage, "stage", args.stage)
    store = _open(args)
    c = store.move(args.id, stage)
    _emit(args, person_json(c), lambda: print(f"#{c.id} {_safe(c.name)} → {c.stage.label}."))
    if c.stage is Stage.SCHEDULED and store.planned_meeting(c.id) is None:
        # A hint, not a question: on stderr, the move done and the exit code 0 (scripts and --json go on).
        print(f"infoint: no meeting date yet: infoint schedule {c.id} WHEN", file=sys.stderr)
    return 0


def cmd_schedule(args: argparse.Namespace) -> int:
    store = _open(args)
    when = parse_when(" ".join(args.when), store.clock())
    medium = parse_enum(Medium, "medium", args.medium)
    m = store.schedule(args.id, when, args.minutes, medium, args.location or "")
    _emit(args, meeting_json(m), lambda: print(
        f"Meeting #{m.id}: {_local(m.starts_at, '%a %Y-%m-%d %H:%M')}, {m.minutes} min, {m.medium.value}."))
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    kind = parse_enum(Kind, "kind", args.kind)
    if kind not in LOGGABLE:
        raise Invalid("kind", f"'{args.kind}' is not one of: {', '.join(k.value for k in LOGGABLE)}.")
    store = _open(args)
    at = parse_when(args.at, store.clock(), "--at") if args.at else None
    e = store.log(args.id, kind, at, note=args.note or "", channel=args.channel or "", minutes=args.minutes,
                  medium=parse_enum(Medium, "medium", args.medium))
    _emit(args, event_json(e), lambda: print(f"Logged {KIND_LABELS[e.kind]} for #{args.id} at {_local(e.at)}."))
    return 0


def cmd_agenda(args: argparse.Namespace) -> int:
    store = _open(args)
    a = store.agenda(days=args.days)
    if args.json:
        _emit(args, {
            "overdue": [followup_json(f) for f in a.overdue], "today": [followup_json(f) for f in a.today],
            "meetings_today": [{**meeting_json(m), "name": n, "company": c} for m, n, c in a.meetings_today],
            "upcoming": [followup_json(f) for f in a.upcoming],
            "upcoming_meetings": [{**meeting_json(m), "name": n, "company": c} for m, n, c in a.upcoming_meetings],
        }, lambda: None)
        return 0

    def section(title: str, items: list[str]) -> None:
        if items:
            print(f"{title}\n" + "\n".join(items) + "\n")

    def fls(items: tuple[FollowUp, ...], fmt: str) -> list[str]:
        """A line per follow-up; when ``fmt`` shows the day alone, each day's text is made once (most of
        thousands of overdue follow-ups share their days: 25,000 lines in ~0.05 s)."""
        days: dict[object, str] = {}
        out = []
        for f in items:
            if "%H" in fmt:
                when = _local(f.due, fmt)
            else:
                local = to_local(f.due)
                when = days.get(day := local.date()) or days.setdefault(day, local.strftime(fmt))
            who = _safe(f.name) + (f" ({_safe(f.company)})" if f.company else "")
            out.append(f"  {when:<12} {who}: {_safe(f.title)}  [{f.key}]")
        return out

    def ml(item: tuple[Meeting, str, str], fmt: str) -> str:
        m, name, company = item
        return f"  {_local(m.starts_at, fmt):<12} {_safe(name)}" + (f" ({_safe(company)})" if company else "") + \
            f": {m.medium.value}, {m.minutes} min" + (f", {_safe(m.location)}" if m.location else "")

    def text() -> None:
        if not any((a.overdue, a.today, a.meetings_today, a.upcoming, a.upcoming_meetings)):
            print("Nothing due. Log an outreach ('infoint log ID outreach') to start the follow-up clock.")
            return
        section("OVERDUE", fls(a.overdue, "%b %d"))
        section("TODAY", [ml(m, "%H:%M") for m in a.meetings_today] + fls(a.today, "%H:%M"))
        later = [(m[0].starts_at, ml(m, "%a %b %d")) for m in a.upcoming_meetings]
        later += list(zip((f.due for f in a.upcoming), fls(a.upcoming, "%a %b %d"), strict=True))
        section(f"NEXT {args.days} DAYS", [line for _, line in sorted(later, key=lambda x: x[0])])
        print("Done, snooze or dismiss with: infoint followup KEY done|snooze|dismiss [--until +2d]")

    text()
    return 0


def cmd_followup(args: argparse.Namespace) -> int:
    store = _open(args)
    state = {"done": "done", "snooze": "snoozed", "dismiss": "dismissed"}[args.action]
    until = parse_when(args.until, store.clock(), "--until") if args.until else None
    f = store.answer_followup(args.key, state, until)
    _emit(args, {**followup_json(f), "state": state, "until": _iso(until)},
          lambda: print(f"{state.capitalize()}: {_safe(f.name)}: {_safe(f.title)}"
                        + (f" (until {_local(until)})" if until else "")))
    return 0
