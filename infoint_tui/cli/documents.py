"""What is written from the network: the referral tree, a company dossier, an outreach draft, the funnel."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..domain.errors import Invalid
from ..exchange.files import STDOUT, write_private
from .db import _open
from .render import _emit, _safe


def cmd_tree(args: argparse.Namespace) -> int:
    store = _open(args)
    if args.id is not None:
        rows = store.referral_lineage(args.id)  # introducers on top, the person, then who they referred
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
    from ..exchange.markdown import dossier

    store = _open(args)
    name, people = store.company_people(args.company)
    followups = store.followups([d.contact.id for d in people])
    md = dossier(name, people, followups, store.clock())
    if args.output and args.output != STDOUT:
        written = write_private(Path(args.output), md, force=args.force)
        _emit(args, {"written": str(written)}, lambda: print(f"Wrote {written}"))
    else:
        _emit(args, {"company": name, "markdown": md}, lambda: print(md, end=""))
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    from .. import config, userfiles
    from ..domain.outreach import default_template, kind_for_template, lint, render, variables

    store = _open(args)
    templates = userfiles.load_templates(config.resolve_path(getattr(args, "config", None)))
    for line in templates.problems:  # a bad file of the user's: said, and the shipped template stands
        sys.stderr.write(f"infoint: {line}\n")
    in_force = templates.value or {}
    contact = store.contact(args.id)
    name = args.template or default_template(
        contact, any(f.rule == "thank-you" for f in store.followups([contact.id])))
    if name not in in_force:
        raise Invalid("--template", f"'{name}' is not one of: {', '.join(in_force)}.")
    text = render(in_force[name], variables(contact, store.pitch(), store.setting("my_name")))
    checks = lint(text, contact.referred_by_name, name)
    to_file = bool(args.output) and args.output != STDOUT
    if to_file:
        write_private(Path(args.output), text, force=args.force)
    if args.sent:
        store.log(args.id, kind_for_template(name), channel=args.channel or "email")

    def show() -> None:
        print(_safe(text) if not to_file else f"Wrote {args.output}")
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
