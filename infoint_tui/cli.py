"""The command line: scriptable subcommands over the store, and the entry point of the app.

Importing this module must not import Textual (tests/test_import_hygiene.py):
the TUI is imported only when it is started.

Exit codes: 0 success; 1 a user-facing error, printed as one line on stderr;
2 bad usage (argparse).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import unicodedata
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import __version__
from .domain.contacts import EDITABLE, make_draft
from .domain.dates import ACCEPTED, parse_when, to_local
from .domain.errors import InfointError, Invalid
from .domain.followups import FollowUp
from .domain.model import Contact, Detail, Event, Filter, Meeting, Note, Summary
from .domain.pipeline import KIND_LABELS, LOGGABLE, ArchiveReason, Kind, Medium, Source, Stage, parse_enum
from .domain.text import clean_note, strip_escapes
from .exchange.files import write_private

FORMATS = ("linkedin", "google", "vcard", "csv", "json")
"""Import formats (exchange.readers), named here so that --help does not import the readers."""
EXPORT_FORMATS = ("json", "csv", "vcard", "ics", "md")
from .paths import resolve_db_path

# --- output helpers -----------------------------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    """UTC ISO 8601 with a Z, for JSON."""
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _local(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return "" if moment is None else to_local(moment).strftime(fmt)


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
    idw = max((len(str(r.id)) for r in rows), default=2)
    print(f"{'#':>{idw}}  {_fit('NAME', 28)}  {_fit('COMPANY', 22)}  {_fit('STAGE', 10)}  NEXT")
    for r in rows:
        print(f"{r.id:>{idw}}  {_fit(_safe(r.name), 28)}  {_fit(_safe(r.company), 22)}  "
              f"{_fit(r.stage.label, 10)}  {_badge(r)}".rstrip())


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
            state = "held" if m.held else "cancelled" if m.cancelled else "planned"
            where = f", {_safe(m.location)}" if m.location else ""
            print(f"  {_local(m.starts_at, '%a %Y-%m-%d %H:%M')}  {m.minutes} min, {m.medium.value}{where} ({state})")
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


def _emit(args: argparse.Namespace, data: Any, text: Callable[[], None]) -> None:
    if args.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        text()


# --- commands ----------------------------------------------------------------------------


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from .store import Store

    return Store.open(resolve_db_path(args.db))


def cmd_add(args: argparse.Namespace) -> int:
    draft = make_draft(args.name, title=args.title, company=args.company, email=args.email, phone=args.phone,
                       address=args.address, url=args.url, source=args.source, referred_by=args.referred_by,
                       tags=args.tag or [])
    store = _open(args)
    c = store.add(draft)
    _emit(args, person_json(c), lambda: print(c.id))
    return 0


def _filter(args: argparse.Namespace, query: str = "") -> Filter:
    stage = parse_enum(Stage, "stage", args.stage) if getattr(args, "stage", None) else None
    return Filter(query=query, stage=stage, company=getattr(args, "company", "") or "",
                  tag=getattr(args, "tag", "") or "", archived=getattr(args, "archived", False),
                  sort=getattr(args, "sort", "name"))


def cmd_list(args: argparse.Namespace) -> int:
    store = _open(args)
    rows = store.summaries(_filter(args), 0, args.limit, follow_ups=False)

    def text() -> None:
        if not rows:
            total = store.count(Filter())
            print("No one matches." if total else
                  'No people yet. Add one with: infoint add "Jane Doe" --company Acme   (or try: infoint --demo)')
            return
        print_summaries(rows)

    _emit(args, [summary_json(r) for r in rows] if args.json else None, text)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    store = _open(args)
    query = " ".join(args.query)
    rows = store.summaries(Filter(query=query, archived=False), 0, args.limit)
    rows += store.summaries(Filter(query=query, archived=True), 0, args.limit)

    def text() -> None:
        if rows:
            print_summaries(rows)
        else:
            print(f"Nothing matches {_safe(query)!r}.")

    _emit(args, [summary_json(r) for r in rows], text)
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


def cmd_move(args: argparse.Namespace) -> int:
    stage = parse_enum(Stage, "stage", args.stage)
    c = _open(args).move(args.id, stage)
    _emit(args, person_json(c), lambda: print(f"#{c.id} {_safe(c.name)} → {c.stage.label}."))
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


def cmd_info(args: argparse.Namespace) -> int:
    info = _open(args).info()

    def text() -> None:
        for k, v in info.items():
            if k == "stages":
                v = ", ".join(f"{s} {n}" for s, n in v.items())
            print(f"{k.replace('_', ' ') + ':':<16}{v}")

    _emit(args, info, text)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    store = _open(args)
    src = Path(store.path)
    target = Path(args.path) if args.path else src.with_name(
        f"{src.stem}-backup-{datetime.now():%Y%m%d-%H%M%S}{src.suffix or '.sqlite3'}")
    out = store.backup(target)
    _emit(args, {"backup": str(out)}, lambda: print(f"Backed up to {out}"))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .store.demo import seed_demo

    store = _open(args)
    if store.count(Filter()) or store.count(Filter(archived=True)):
        if not args.force:
            raise Invalid("demo", f"{store.path} already holds people; the demo would mix with them. "
                                  "Use --db NEWFILE, or add --force.")
    n = seed_demo(store)
    _emit(args, {"added": n, "database": str(store.path)},
          lambda: print(f"Added {n} demo people to {store.path}. Start the app with: infoint --db {store.path}"))
    return 0


def followup_json(f: FollowUp) -> dict[str, Any]:
    """The stable JSON shape of a follow-up."""
    return {"key": f.key, "contact": f.contact_id, "name": f.name, "company": f.company, "rule": f.rule,
            "due": _iso(f.due), "title": f.title}


def cmd_agenda(args: argparse.Namespace) -> int:
    store = _open(args)
    a = store.agenda(days=args.days)
    data = {
        "overdue": [followup_json(f) for f in a.overdue], "today": [followup_json(f) for f in a.today],
        "meetings_today": [{**meeting_json(m), "name": n, "company": c} for m, n, c in a.meetings_today],
        "upcoming": [followup_json(f) for f in a.upcoming],
        "upcoming_meetings": [{**meeting_json(m), "name": n, "company": c} for m, n, c in a.upcoming_meetings],
    }

    def section(title: str, items: list[str]) -> None:
        if items:
            print(f"{title}\n" + "\n".join(items) + "\n")

    def fl(f: FollowUp, fmt: str) -> str:
        who = _safe(f.name) + (f" ({_safe(f.company)})" if f.company else "")
        return f"  {_local(f.due, fmt):<12} {who}: {_safe(f.title)}  [{f.key}]"

    def ml(item: tuple[Meeting, str, str], fmt: str) -> str:
        m, name, company = item
        return f"  {_local(m.starts_at, fmt):<12} {_safe(name)}" + (f" ({_safe(company)})" if company else "") + \
            f": {m.medium.value}, {m.minutes} min" + (f", {_safe(m.location)}" if m.location else "")

    def text() -> None:
        if not any((a.overdue, a.today, a.meetings_today, a.upcoming, a.upcoming_meetings)):
            print("Nothing due. Log an outreach ('infoint log ID outreach') to start the follow-up clock.")
            return
        section("OVERDUE", [fl(f, "%b %d") for f in a.overdue])
        section("TODAY", [ml(m, "%H:%M") for m in a.meetings_today] + [fl(f, "%H:%M") for f in a.today])
        later = [(m[0].starts_at, ml(m, "%a %b %d")) for m in a.upcoming_meetings]
        later += [(f.due, fl(f, "%a %b %d")) for f in a.upcoming]
        section(f"NEXT {args.days} DAYS", [line for _, line in sorted(later, key=lambda x: x[0])])
        print("Done, snooze or dismiss with: infoint followup KEY done|snooze|dismiss [--until +2d]")

    _emit(args, data, text)
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


def cmd_tree(args: argparse.Namespace) -> int:
    store = _open(args)
    if args.id is not None:
        chain = store.referral_chain(args.id)
        c = store.contact(args.id)
        rows = [(i, cid, name, "", "") for i, (cid, name) in enumerate(reversed(chain))]  # the first introducer on top
        detail = store.detail(args.id)
        rows.append((len(chain), c.id, c.name, c.stage.value, c.company))
        rows += [(len(chain) + 1, cid, name, "", "") for cid, name in detail.referrals]
        rows = [(d, i, n, s or store.contact(i).stage.value, co or store.contact(i).company) for d, i, n, s, co in rows]
    else:
        rows = store.referral_tree(args.company or "")
    data = [{"depth": d, "id": i, "name": n, "stage": s, "company": co} for d, i, n, s, co in rows]

    def text() -> None:
        if not rows:
            print("No referrals yet: add people with --referred-by ID (or r in the app).")
        for d, i, n, s, co in rows:
            print(f"{'    ' * d}{'└─ ' if d else ''}{_safe(n)} (#{i}, {s.replace('-', ' ')}"
                  + (f", {_safe(co)}" if co else "") + ")")

    _emit(args, data, text)
    return 0


def cmd_dossier(args: argparse.Namespace) -> int:
    from .exchange.markdown import dossier

    store = _open(args)
    name, people = store.company_people(args.company)
    followups = store.followups([d.contact.id for d in people])
    md = dossier(name, people, followups, store.clock())
    if args.output:
        write_private(Path(args.output), md)
        _emit(args, {"written": args.output}, lambda: print(f"Wrote {args.output}"))
    else:
        _emit(args, {"company": name, "markdown": md}, lambda: print(md, end=""))
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    from .domain.outreach import TEMPLATES, lint, render, variables

    store = _open(args)
    contact = store.contact(args.id)
    name = args.template or ("referral" if contact.referred_by else "cold")
    if name not in TEMPLATES:
        raise Invalid("--template", f"'{name}' is not one of: {', '.join(TEMPLATES)}.")
    text = render(TEMPLATES[name], variables(contact, store.pitch(), store.setting("my_name")))
    checks = lint(text, contact.referred_by_name)
    if args.output:
        write_private(Path(args.output), text)
    if args.sent:
        store.log(args.id, Kind.FOLLOW_UP if name == "follow-up" else
                  Kind.THANK_YOU if name == "thank-you" else Kind.OUTREACH, channel=args.channel or "email")

    def show() -> None:
        print(_safe(text) if not args.output else f"Wrote {args.output}")
        print()
        for c in checks:
            print(("  ok  " if c.ok else "  !!  ") + c.message)
        if args.sent:
            print(f"Logged as sent to #{args.id}.")

    _emit(args, {"template": name, "text": text, "checks": [{"ok": c.ok, "message": c.message} for c in checks],
                 "sent": bool(args.sent)}, show)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    st = _open(args).stats()
    data = {"stages": st.stages, "archived": st.archived, "asked": st.asked, "replied": st.replied,
            "reply_rate": st.reply_rate, "median_days_to_reply": st.median_days_to_reply,
            "meetings_this_week": st.meetings_this_week, "meetings_this_month": st.meetings_this_month}

    def text() -> None:
        print("  ".join(f"{k.replace('-', ' ')}: {v}" for k, v in st.stages.items()) + f"  archived: {st.archived}")
        rate = f"{st.reply_rate:.0%}" if st.reply_rate is not None else "-"
        days = f"{st.median_days_to_reply} days" if st.median_days_to_reply is not None else "-"
        print(f"asked {st.asked}, replied {st.replied} ({rate}); median time to a reply: {days}")
        print(f"meetings this week: {st.meetings_this_week}, this month: {st.meetings_this_month}")

    _emit(args, data, text)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .exchange import readers

    path = Path(args.file)
    text = readers.read_text(path)
    fmt = args.format or readers.detect(text)
    store = _open(args)
    if fmt == "json":
        if args.dry_run:
            raise Invalid("--dry-run", "a JSON export is restored whole; import it into an empty --db instead.")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise readers.FormatError(f"{path} line {exc.lineno}: {exc.msg}; is this an infoint JSON export?") \
                from exc
        n = store.load_export(data)
        _emit(args, {"format": "json", "added": n}, lambda: print(f"Restored {n} people from {path}."))
        return 0
    try:
        records = readers.READERS[fmt](text)
    except readers.FormatError as err:
        raise readers.FormatError(f"{path}: {err}") from err
    report = store.import_people(records, dry_run=args.dry_run)
    data = {"format": fmt, "dry_run": args.dry_run, "added": report.added, "updated": report.updated,
            "unchanged": report.unchanged, "skipped": [{"line": ln, "reason": r} for ln, r in report.skipped],
            "warnings": [{"line": ln, "message": m} for ln, m in report.warnings]}

    def text_out() -> None:
        verb = "Would import" if args.dry_run else "Imported"
        print(f"{verb} {path.name} ({fmt}): {report.added} added, {report.updated} updated, "
              f"{report.unchanged} unchanged, {len(report.skipped)} skipped.")
        for line, reason in report.skipped:
            print(f"  line {line}: skipped: {reason}")
        for line, message in report.warnings:
            print(f"  line {line}: {_safe(message)}")

    _emit(args, data, text_out)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .exchange.export import export_text

    text = export_text(_open(args), args.format, args.company or "")
    if args.output:
        write_private(Path(args.output), text)
        _emit(args, {"written": args.output, "format": args.format},
              lambda: print(f"Wrote {args.output} ({args.format}, readable by you only)"))
    else:
        sys.stdout.write(text)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from .store.restore import restore

    target = resolve_db_path(args.db)
    backup = restore(Path(args.file), target)
    _emit(args, {"restored": str(target), "previous": str(backup) if backup else None},
          lambda: print(f"Restored {args.file} into {target}." +
                        (f" The previous database is kept as {backup}." if backup else "")))
    return 0


def run_demo_app(args: argparse.Namespace) -> int:
    """``infoint --demo``: the app on a throw-away demo database, removed on exit."""
    from .store import Store
    from .store.demo import seed_demo

    with tempfile.TemporaryDirectory(prefix="infoint-demo-") as tmp:  # created 0700
        path = Path(tmp) / "demo.sqlite3"
        store = Store.open(path)
        seed_demo(store)
        store.close()
        return run_app(path)


def run_app(path: Path, call_id: int | None = None) -> int:
    """Start the TUI (imported only now: the command line stays free of Textual)."""
    from .tui.run import run

    return run(path, call_id=call_id)


def cmd_call(args: argparse.Namespace) -> int:
    return run_app(resolve_db_path(args.db), call_id=args.id)


# --- the parser ------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """Every subcommand, with one line of help each."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print JSON with stable keys (for scripts)")
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help="database file (default: $INFOINT_DB, else the user data folder)")

    p = argparse.ArgumentParser(
        prog="infoint",
        description="Informational interviews in the terminal. With no command, starts the app.",
        epilog="Data lives in --db PATH, else $INFOINT_DB, else the per-user data folder ('infoint info' "
               "shows it).",
    )
    p.add_argument("--version", action="version", version=f"infoint {__version__}")
    p.add_argument("--db", metavar="PATH", help="database file (default: $INFOINT_DB, else the user data folder)")
    p.add_argument("--demo", action="store_true", help="start the app on a throw-away demo database")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    def cmd(name: str, fn: Callable[[argparse.Namespace], int], help_: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, parents=[common], help=help_, description=help_[0].upper() + help_[1:] + ".")
        sp.set_defaults(func=fn)
        return sp

    def person_fields(sp: argparse.ArgumentParser, tag_help: str) -> None:
        sp.add_argument("--title", help="job title")
        sp.add_argument("--company", help="company (matched case-insensitively)")
        sp.add_argument("--email")
        sp.add_argument("--phone")
        sp.add_argument("--address")
        sp.add_argument("--url", help="profile URL, e.g. https://www.linkedin.com/in/name")
        sp.add_argument("--source", help=f"where you found them: {', '.join(s.value for s in Source)}")
        sp.add_argument("--referred-by", metavar="ID", help="id of the person who referred you")
        sp.add_argument("--tag", action="append", metavar="TAG", help=tag_help)

    sp = cmd("add", cmd_add, "add a person to contact; prints the new id")
    sp.add_argument("name", metavar="NAME")
    person_fields(sp, "a tag (repeat for more)")

    sp = cmd("list", cmd_list, "list people, filtered by stage, company or tag")
    sp.add_argument("--stage", help=f"only this stage: {', '.join(s.value for s in Stage)}")
    sp.add_argument("--company", help="only people at this company")
    sp.add_argument("--tag", help="only people with this tag")
    sp.add_argument("--archived", action="store_true", help="list archived people instead")
    sp.add_argument("--sort", choices=("name", "activity"), default="name", help="order (default: name)")
    sp.add_argument("--limit", type=int, default=10_000_000, help=argparse.SUPPRESS)

    sp = cmd("show", cmd_show, "show a person: fields, history, meetings and notes")
    sp.add_argument("id", type=int, metavar="ID")

    sp = cmd("edit", cmd_edit, "change a person's fields")
    sp.add_argument("id", type=int, metavar="ID")
    sp.add_argument("--name")
    person_fields(sp, "replace the tags (repeat for more; --tag '' clears them)")

    sp = cmd("archive", cmd_archive, "take a person off the board, keeping their record")
    sp.add_argument("id", type=int, metavar="ID")
    sp.add_argument("--reason", required=True, help=f"one of: {', '.join(r.value for r in ArchiveReason)}")
    sp.add_argument("--note", help="a note to keep with it")

    sp = cmd("unarchive", cmd_unarchive, "put an archived person back on the board")
    sp.add_argument("id", type=int, metavar="ID")

    sp = cmd("delete", cmd_delete, "erase a person and everything about them (asks for --yes)")
    sp.add_argument("id", type=int, metavar="ID")
    sp.add_argument("--yes", action="store_true", help="really erase")

    sp = cmd("move", cmd_move, "move a person to a stage")
    sp.add_argument("id", type=int, metavar="ID")
    sp.add_argument("stage", metavar="STAGE", help=", ".join(s.value for s in Stage))

    sp = cmd("schedule", cmd_schedule, "schedule a meeting (moves the person to 'scheduled')")
    sp.add_argument("id", type=int, metavar="ID")
    sp.add_argument("when", nargs="+", metavar="WHEN", help=f"e.g. {ACCEPTED}")
    sp.add_argument("--minutes", type=int, default=30, help="planned length (default 30)")
    sp.add_argument("--medium", default="phone", help=", ".join(m.value for m in Medium))
    sp.add_argument("--location")

    sp = cmd("log", cmd_log, "record an interaction: " + ", ".join(k.value for k in LOGGABLE))
    sp.add_argument("id", type=int, metavar="ID")
    sp.add_argument("kind", metavar="KIND", help="; ".join(f"{k.value} = {KIND_LABELS[k]}" for k in LOGGABLE))
    sp.add_argument("--at", metavar="WHEN", help="when it happened (default now); for 'meeting', when it is")
    sp.add_argument("--note", help="a note to keep with it")
    sp.add_argument("--channel", help="how it was sent: email, linkedin, phone...")
    sp.add_argument("--minutes", type=int, help="for 'call': how long it lasted; for 'meeting': planned length")
    sp.add_argument("--medium", default="phone", help="for 'meeting': " + ", ".join(m.value for m in Medium))

    sp = cmd("call", cmd_call, "start the app in call mode on a person (timer, questions, notes)")
    sp.add_argument("id", type=int, metavar="ID")

    sp = cmd("note", cmd_note, "add a note to a person ('-' reads it from stdin)")
    sp.add_argument("id", type=int, metavar="ID")
    sp.add_argument("text", nargs="+", metavar="TEXT")

    sp = cmd("search", cmd_search, "full-text search over names, companies, titles, tags and notes")
    sp.add_argument("query", nargs="+", metavar="QUERY")
    sp.add_argument("--limit", type=int, default=200, help="at most this many (default 200)")

    sp = cmd("pitch", cmd_pitch, "show or set your pitch ('-' reads it from stdin)")
    sp.add_argument("text", nargs="*", metavar="TEXT")

    sp = cmd("agenda", cmd_agenda, "what to do today: overdue, due, meetings, then the next days")
    sp.add_argument("--days", type=int, default=7, help="how far ahead (default 7)")

    sp = cmd("followup", cmd_followup, "mark a follow-up done, snooze it or dismiss it")
    sp.add_argument("key", metavar="KEY", help="as shown by 'infoint agenda', e.g. 12:thank-you:345")
    sp.add_argument("action", choices=("done", "snooze", "dismiss"))
    sp.add_argument("--until", metavar="WHEN", help="for snooze: +2d, +1b, a date...")

    sp = cmd("tree", cmd_tree, "the referral network: who introduced whom")
    sp.add_argument("id", type=int, nargs="?", metavar="ID", help="one person's chain and referrals")
    sp.add_argument("--company", help="only the trees that reach this company")

    sp = cmd("dossier", cmd_dossier, "everything about the people at a company, as Markdown")
    sp.add_argument("company", metavar="COMPANY")
    sp.add_argument("-o", "--output", metavar="FILE", help="write it to FILE (0600)")

    sp = cmd("draft", cmd_draft, "an outreach draft from a template, checked against the method")
    sp.add_argument("id", type=int, metavar="ID")
    sp.add_argument("--template", help="referral, cold, follow-up or thank-you (default: referral if referred)")
    sp.add_argument("-o", "--output", metavar="FILE", help="write the draft to FILE (0600)")
    sp.add_argument("--sent", action="store_true", help="log it as sent (starts the follow-up clock)")
    sp.add_argument("--channel", help="how it was sent (default email)")

    cmd("stats", cmd_stats, "the funnel: people per stage, reply rate, time to reply, meetings")

    sp = cmd("import", cmd_import, "import people: LinkedIn or Google CSV, vCard, CSV, or an infoint JSON export")
    sp.add_argument("file", metavar="FILE")
    sp.add_argument("--format", choices=FORMATS,
                    help="the file's format (detected when absent)")
    sp.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")

    sp = cmd("export", cmd_export, "export: json (everything), csv, vcard, ics (meetings, follow-ups), md")
    sp.add_argument("format", choices=EXPORT_FORMATS, metavar="FORMAT", help=", ".join(EXPORT_FORMATS))
    sp.add_argument("-o", "--output", metavar="FILE", help="write to FILE (0600) instead of stdout")
    sp.add_argument("--company", help="for md: one company's dossier")

    sp = cmd("restore", cmd_restore, "replace the database with a backup, keeping the current one aside")
    sp.add_argument("file", metavar="FILE")

    cmd("info", cmd_info, "show the database path, schema version and counts")

    sp = cmd("backup", cmd_backup, "write a consistent copy of the database (0600)")
    sp.add_argument("path", nargs="?", metavar="PATH", help="target file (default: beside the database)")

    sp = cmd("demo", cmd_demo, "fill the database with a realistic demo network")
    sp.add_argument("--force", action="store_true", help="even if the database already holds people")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    os.umask(0o077)  # everything we create (database, backups, exports, logs) is private
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "json"):
        args.json = False
    try:
        if args.command is None:
            if args.demo:
                return run_demo_app(args)
            return run_app(resolve_db_path(args.db))
        gc.enable()  # see __main__: only the app's start-up runs without the collector
        return int(args.func(args))
    except (Exception, KeyboardInterrupt) as exc:
        return report(exc)


def report(exc: Exception | KeyboardInterrupt) -> int:
    """Tell the user what went wrong in one line; returns the exit code."""
    if isinstance(exc, InfointError):
        print(f"infoint: {_safe(str(exc))}", file=sys.stderr)
        return 1
    if isinstance(exc, KeyboardInterrupt):
        return 130
    if isinstance(exc, BrokenPipeError):
        # `infoint list | head`: the reader left; say nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    # A bug: one line for the user, details (no locals, no data) in a 0600 log.
    where = write_crash_log(exc)
    print(f"infoint: unexpected error ({type(exc).__name__}); details in {where}. Please report it.",
          file=sys.stderr)
    return 1


def write_crash_log(exc: BaseException) -> Path:
    """Append the traceback (without local variables) to the private log; returns its path."""
    import traceback

    from .paths import log_path

    path = log_path()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as f:
            f.write(f"--- {datetime.now().isoformat()} infoint {__version__}\n")
            f.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    except OSError:
        pass
    return path
