"""The data as a whole: import, export, restore, backup, info, demo."""

from __future__ import annotations

import argparse
import shlex
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..domain.errors import Invalid, NothingImported
from ..domain.model import Filter
from ..domain.text import people
from ..exchange.files import STDOUT, OutputExists, check_target, write_private
from ..paths import parse_location, resolve_db_path
from .db import _open
from .progress import Progress
from .render import _emit, _safe

if TYPE_CHECKING:
    from ..store import Store


def cmd_import(args: argparse.Namespace) -> int:
    from ..exchange.load import load_file

    path = Path(args.file)
    bar = Progress.for_command("importing", args.json)
    try:
        try:
            loaded = load_file(path, args.format, getattr(args, "encoding", None))
        except KeyboardInterrupt:
            raise NothingImported from None  # nothing was written yet
        fmt = loaded.fmt
        store = _open(args)
        if fmt == "json":
            if args.dry_run:
                raise Invalid("--dry-run", "a JSON export is restored whole, with nothing to compare: there is no "
                                           "dry run of it; import it without --dry-run into an empty database.")
            n = store.load_export(loaded.data)
            # The same keys as every other import, so that a script reads one shape.
            _emit(args, {"format": "json", "dry_run": False, "added": n, "updated": 0, "unchanged": 0,
                         "skipped": [], "warnings": [], "ignored_columns": [], "encoding": loaded.encoding},
                  lambda: print(f"Restored {people(n)} from {path}."))
            return 0
        # Ctrl+C during the import rolls its one transaction back and raises NothingImported; one that
        # comes after the commit stays a plain KeyboardInterrupt (exit 130, and no claim). The file is
        # read as it is imported: how many rows it holds is estimated from how far in it the import is.
        records = loaded.records
        expected = getattr(records, "expected", lambda: 0)

        def progress(done: int, total: int | None) -> None:
            bar.update(done, total if total is not None else expected())

        report = store.import_people(records, dry_run=args.dry_run, progress=progress)
    except NothingImported:
        bar.close()
        sys.stderr.write("infoint: interrupted: nothing was imported (the database is as it was).\n")
        return 130
    finally:
        bar.close()
    data = {"format": fmt, "dry_run": args.dry_run, "added": report.added, "updated": report.updated,
            "unchanged": report.unchanged, "skipped": [{"line": ln, "reason": r} for ln, r in report.skipped],
            "warnings": [{"line": ln, "message": m} for ln, m in report.warnings],
            "ignored_columns": list(loaded.ignored_columns), "encoding": loaded.encoding}

    def text_out() -> None:
        verb = "Would import" if args.dry_run else "Imported"
        read_as = "" if loaded.encoding == "utf-8" else f", read as {loaded.encoding}"
        print(f"{verb} {path.name} ({fmt}{read_as}): {report.added} added, {report.updated} updated, "
              f"{report.unchanged} unchanged, {len(report.skipped)} skipped.")
        if loaded.ignored_columns:
            print(f"  ignored columns: {_safe(', '.join(loaded.ignored_columns))}")
        for line, reason in report.skipped:
            print(f"  line {line}: skipped: {_safe(reason)}")
        for line, message in report.warnings:
            print(f"  line {line}: {_safe(message)}")

    _emit(args, data, text_out)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from ..exchange.export import STREAMED, export_chunks, export_text

    target = Path(args.output) if args.output and args.output != STDOUT else None
    if target is not None:
        try:
            check_target(target)  # refuse before the work of exporting, not after it
        except OutputExists:
            if not args.force:
                raise
    store = _open(args)
    # JSON and CSV are written as they are read (memory flat at any size); the others are built whole.
    # A bar on stderr while a long export is written (not over the export itself on the terminal).
    bar = Progress.for_command("exporting", args.json or (target is None and sys.stdout.isatty()))
    chunks = (export_chunks(store, args.format, bar.update) if args.format in STREAMED
              else [export_text(store, args.format, args.company or "")])
    try:
        if target is not None:
            written = write_private(target, chunks, force=args.force)
        else:
            for chunk in chunks:
                sys.stdout.write(chunk)
    finally:
        bar.close()
    if target is not None:
        _emit(args, {"written": str(written), "format": args.format},
              lambda: print(f"Wrote {written} ({args.format}, readable by you only)"))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from ..store.restore import restore

    target = resolve_db_path(args.db)
    if not isinstance(target, Path):
        raise Invalid("restore", f"restore puts a SQLite backup file in place of a file; for {target} use "
                                 "'infoint copy --from FILE --to ADDRESS' (into an empty database), or "
                                 "'infoint import EXPORT.json'.")
    backup = restore(Path(args.file), target)
    _emit(args, {"restored": str(target), "previous": str(backup) if backup else None},
          lambda: print(f"Restored {args.file} into {target}." +
                        (f" The previous database is kept as {backup}." if backup else "")))
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from .. import recovery

    store = _open(args, create=False)  # `info` on a mistyped path says so, and creates nothing
    info = store.info()
    # Notes the database could not take last time (a full disk...): the app saves them when it starts.
    kept = recovery.pending(store.path) if str(store.path) != ":memory:" else []
    info["recovered_notes"] = len(kept)

    def text() -> None:
        for k, v in info.items():
            if k == "stages":
                v = ", ".join(f"{s} {n}" for s, n in v.items())
            if k == "recovered_notes":
                if not v:
                    continue
                v = (f"{v} note{'s' if v > 1 else ''} the database could not take, kept in "
                     f"{recovery.folder(store.path)}; start the app ('infoint') to save them.")
            print(f"{k.replace('_', ' ') + ':':<16}{v}")

    _emit(args, info, text)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    store = _open(args)
    if store.sql.SERVER:
        return _backup_server(args, store)
    src = Path(store.path)
    target = Path(args.path) if args.path else src.with_name(
        f"{src.stem}-backup-{datetime.now().astimezone():%Y%m%d-%H%M%S}{src.suffix or '.sqlite3'}")
    out = store.backup(target)
    _emit(args, {"backup": str(out)}, lambda: print(f"Backed up to {out}"))
    return 0


def _backup_server(args: argparse.Namespace, store: Store) -> int:
    """A PostgreSQL database is backed up as a JSON export (one consistent snapshot), which ``infoint import``
    restores into an empty database; ``pg_dump`` is the server's own way."""
    from ..exchange.export import export_chunks
    from ..paths import data_dir, make_private

    if args.path:
        target = Path(args.path)
    else:
        folder = data_dir()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        make_private(folder)
        name = urlsplit(getattr(store.path, "url", "")).path.strip("/") or "postgresql"
        target = folder / f"{name}-backup-{datetime.now().astimezone():%Y%m%d-%H%M%S}.json"
    bar = Progress.for_command("backing up", args.json)
    try:
        written = write_private(target, export_chunks(store, "json", bar.update))
    finally:
        bar.close()
    _emit(args, {"backup": str(written), "format": "json"},
          lambda: print(f"Backed up {store.path} to {written} (a JSON export, readable by you only; restore it "
                        "with 'infoint --db EMPTY import FILE'; pg_dump works too)."))
    return 0


def cmd_copy(args: argparse.Namespace) -> int:
    """``infoint copy --to DB`` (or ``--from DB``): the whole database into an empty one, either backend."""
    from ..store import Store

    if not args.to and not args.source:
        raise Invalid("copy", "say where to: --to DB (a file or postgresql://user@host/dbname), or --from DB.")
    source = parse_location(args.source) if args.source else resolve_db_path(args.db)
    target = parse_location(args.to) if args.to else resolve_db_path(args.db)
    if str(source) == str(target):
        raise Invalid("copy", f"{source} is both the source and the target; name another with --to or --from.")
    src = Store.open(source, create=False)
    bar = Progress.for_command("copying", args.json)
    try:
        dst = Store.open(target)
        try:
            n = src.copy_into(dst, bar.update)  # one transaction on the target: Ctrl+C rolls it back
        finally:
            dst.close()
    except KeyboardInterrupt:
        bar.close()
        sys.stderr.write(f"infoint: interrupted: nothing was copied ({target} is as it was).\n")
        return 130
    finally:
        bar.close()
        src.close()
    _emit(args, {"copied": n, "from": str(source), "to": str(target)},
          lambda: print(f"Copied {people(n)} and everything of theirs from {source} to {target}."))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from ..store.demo import seed_demo

    store = _open(args)
    if (store.count(Filter()) or store.count(Filter(archived=True))) and not args.force:
        raise Invalid("demo", f"{store.path} already holds people; the demo would mix with them. "
                              "Use --db NEWFILE, or add --force.")
    n = seed_demo(store)
    _emit(args, {"added": n, "database": str(store.path)},
          lambda: print(f"Added {n} demo people to {store.path}. Start the app with: "
                        f"infoint --db {shlex.quote(str(store.path))}"))  # "?" in an address: quoted for zsh
    return 0
