"""The data as a whole: import, export, restore, backup, info, demo."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from ..domain.errors import Invalid
from ..domain.model import Filter
from ..exchange.files import write_private
from ..paths import resolve_db_path
from .db import _open
from .render import _emit, _safe


def cmd_import(args: argparse.Namespace) -> int:
    from ..exchange.load import load_file

    path = Path(args.file)
    loaded = load_file(path, args.format)
    fmt = loaded.fmt
    store = _open(args)
    if fmt == "json":
        if args.dry_run:
            raise Invalid("--dry-run", "a JSON export is restored whole; import it into an empty --db instead.")
        n = store.load_export(loaded.data)
        _emit(args, {"format": "json", "added": n}, lambda: print(f"Restored {n} people from {path}."))
        return 0
    report = store.import_people(loaded.records, dry_run=args.dry_run)
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
    from ..exchange.export import export_text

    text = export_text(_open(args), args.format, args.company or "")
    if args.output:
        write_private(Path(args.output), text)
        _emit(args, {"written": args.output, "format": args.format},
              lambda: print(f"Wrote {args.output} ({args.format}, readable by you only)"))
    else:
        sys.stdout.write(text)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from ..store.restore import restore

    target = resolve_db_path(args.db)
    backup = restore(Path(args.file), target)
    _emit(args, {"restored": str(target), "previous": str(backup) if backup else None},
          lambda: print(f"Restored {args.file} into {target}." +
                        (f" The previous database is kept as {backup}." if backup else "")))
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
    from ..store.demo import seed_demo

    store = _open(args)
    if store.count(Filter()) or store.count(Filter(archived=True)):
        if not args.force:
            raise Invalid("demo", f"{store.path} already holds people; the demo would mix with them. "
                                  "Use --db NEWFILE, or add --force.")
    n = seed_demo(store)
    _emit(args, {"added": n, "database": str(store.path)},
          lambda: print(f"Added {n} demo people to {store.path}. Start the app with: infoint --db {store.path}"))
    return 0
