"""The parser: every subcommand, with one line of help each. Imported only when the command line
runs (``infoint`` and ``infoint --db PATH`` start the app without it: see ``__main__``)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from .. import __version__
from ..domain.dates import ACCEPTED
from ..domain.pipeline import KIND_LABELS, LOGGABLE, ArchiveReason, Medium, Source, Stage
from . import configure, data, documents, history, people, pipeline, records

FORMATS = ("linkedin", "google", "vcard", "csv", "json")
"""Import formats (exchange.readers), named here so that --help does not import the readers."""
EXPORT_FORMATS = ("json", "csv", "vcard", "ics", "md")


def build_parser() -> argparse.ArgumentParser:
    """Every subcommand, with one line of help each."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print JSON with stable keys (for scripts)")
    common.add_argument("--db", metavar="DB", default=argparse.SUPPRESS,
                        help="database file, or postgresql://user@host/dbname (default: $INFOINT_DB, else the user "
                             "data folder)")
    common.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS,
                        help="config file (default: $INFOINT_CONFIG, else the user config folder)")

    p = argparse.ArgumentParser(
        prog="infoint",
        description="Informational interviews in the terminal. With no command, starts the app.",
        epilog="Data lives in --db DB (a file, or a PostgreSQL database: postgresql://user@host/dbname, the "
               "password from PGPASSWORD or ~/.pgpass), else $INFOINT_DB, else the per-user data folder "
               "('infoint info' shows it).",
    )
    p.add_argument("--version", action="version", version=f"infoint {__version__}")
    p.add_argument("--db", metavar="DB", help="database file, or postgresql://user@host/dbname (default: "
                                              "$INFOINT_DB, else the user data folder)")
    p.add_argument("--config", metavar="PATH",
                   help="config file (default: $INFOINT_CONFIG, else config.toml in the user config folder)")
    p.add_argument("--demo", action="store_true", help="start the app on a throw-away demo database")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    def cmd(name: str, fn: Callable[[argparse.Namespace], int] | None, help_: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, parents=[common], help=help_, description=help_[0].upper() + help_[1:] + ".")
        sp.set_defaults(func=fn)
        return sp

    def person_fields(sp: argparse.ArgumentParser, tag_help: str) -> None:
        sp.add_argument("--title", help="job title")
        sp.add_argument("--company", help="company (Inc., LLC, GmbH..., case and accents do not count)")
        sp.add_argument("--email")
        sp.add_argument("--phone")
        sp.add_argument("--address")
        sp.add_argument("--url", help="profile URL, e.g. https://www.linkedin.com/in/name")
        sp.add_argument("--source", help=f"where you found them: {', '.join(s.value for s in Source)}")
        sp.add_argument("--referred-by", metavar="ID", help="id of the person who referred you")
        sp.add_argument("--tag", action="append", metavar="TAG", help=tag_help)

    sp = cmd("add", people.cmd_add, "add a person to contact; prints the new id")
    sp.add_argument("name", metavar="NAME")
    person_fields(sp, "a tag (repeat for more)")

    sp = cmd("list", people.cmd_list, "list people, filtered by stage, company or tag")
    sp.add_argument("--stage", help=f"only this stage: {', '.join(s.value for s in Stage)}")
    sp.add_argument("--company", help="only people at this company (any part of its name that names one)")
    sp.add_argument("--tag", help="only people with this tag")
    sp.add_argument("--archived", action="store_true", help="list archived people instead")
    sp.add_argument("--sort", choices=("name", "activity"), default="name", help="order (default: name)")
    sp.add_argument("--limit", type=int, default=None, help=argparse.SUPPRESS)

    sp = cmd("show", people.cmd_show, "show a person: fields, history, meetings and notes")
    sp.add_argument("id", type=int, metavar="ID")

    sp = cmd("edit", people.cmd_edit, "change a person's fields")
    sp.add_argument("id", type=int, metavar="ID")
    sp.add_argument("--name")
    person_fields(sp, "replace the tags (repeat for more; --tag '' clears them)")

    sp = cmd("archive", people.cmd_archive, "take a person off the board, keeping their record")
    sp.add_argument("id", type=int, metavar="ID")
    sp.add_argument("--reason", required=True, help=f"one of: {', '.join(r.value for r in ArchiveReason)}")
    sp.add_argument("--note", help="a note to keep with it")

    sp = cmd("unarchive", people.cmd_unarchive, "put an archived person back on the board")
    sp.add_argument("id", type=int, metavar="ID")

    sp = cmd("delete", people.cmd_delete, "erase a person and all about them, for good: no undo (asks for --yes)")
    sp.add_argument("id", type=int, metavar="ID")
    sp.add_argument("--yes", action="store_true", help="really erase")

    sp = cmd("move", pipeline.cmd_move, "move a person to a stage")
    sp.add_argument("id", type=int, metavar="ID")
    sp.add_argument("stage", metavar="STAGE", help=", ".join(s.value for s in Stage))

    sp = cmd("schedule", pipeline.cmd_schedule, "schedule a meeting (moves the person to 'scheduled')")
    sp.add_argument("id", type=int, metavar="ID")
    sp.add_argument("when", nargs="+", metavar="WHEN", help=f"e.g. {ACCEPTED}")
    sp.add_argument("--minutes", type=int, default=30, help="planned length (default 30)")
    sp.add_argument("--medium", default="phone", help=", ".join(m.value for m in Medium))
    sp.add_argument("--location")

    sp = cmd("log", pipeline.cmd_log, "record an interaction: " + ", ".join(k.value for k in LOGGABLE))
    sp.add_argument("id", type=int, metavar="ID")
    sp.add_argument("kind", metavar="KIND", help="; ".join(f"{k.value} = {KIND_LABELS[k]}" for k in LOGGABLE))
    sp.add_argument("--at", metavar="WHEN", help="when it happened (default now); for 'meeting', when it is")
    sp.add_argument("--note", help="a note to keep with it")
    sp.add_argument("--channel", help="how it was sent: email, linkedin, phone...")
    sp.add_argument("--minutes", type=int, help="for 'call': how long it lasted; for 'meeting': planned length")
    sp.add_argument("--medium", default="phone", help="for 'meeting': " + ", ".join(m.value for m in Medium))

    # No handler: cli.main hands the app's start to the entry point's launcher (see cli/__init__).
    sp = cmd("call", None, "start the app in call mode on a person (timer, questions, notes)")
    sp.add_argument("id", type=int, metavar="ID")

    # No handler either: the launcher serves the app (infoint_tui.serve); the command line never imports it.
    sp = cmd("serve", None, "serve the app to a browser, with a calendar feed, behind a secret token")
    sp.add_argument("--host", default="127.0.0.1",
                    help="address to listen on (default 127.0.0.1; any other is reachable from elsewhere)")
    sp.add_argument("--port", type=int, default=8765, help="port (default 8765)")

    sp = cmd("note", history.cmd_note,
             "add a note to a person ('-' reads it from stdin); 'note edit NOTE_ID TEXT', 'note remove NOTE_ID'")
    sp.add_argument("id", metavar="ID", help="the person's id, or edit or remove")
    sp.add_argument("text", nargs="*", metavar="TEXT")

    sp = cmd("history", history.cmd_history,
             "a person's history, meetings and notes with their ids; 'history edit|remove EVENT_ID' corrects it")
    sp.add_argument("target", metavar="ID", help="the person's id, or edit or remove")
    sp.add_argument("item", nargs="?", type=int, metavar="EVENT_ID", help="for edit and remove: the entry's id")
    sp.add_argument("--at", metavar="WHEN", help=f"for edit: when it happened, e.g. {ACCEPTED}")
    sp.add_argument("--kind", help="for edit: " + ", ".join(k.value for k in LOGGABLE if k.value != "meeting"))
    sp.add_argument("--channel", help="for edit: how it was sent")
    sp.add_argument("--note", help="for edit: the text kept with it")

    cmd("undo", history.cmd_undo, "undo the last change (a move, a log, an edit, an archive, a correction)")
    cmd("redo", history.cmd_undo, "make again the change undone last")

    sp = cmd("meeting", history.cmd_meeting, "change a meeting's time, length, medium or place, or remove it")
    sp.add_argument("action", choices=("edit", "remove"))
    sp.add_argument("id", type=int, metavar="MEETING_ID", help="as shown by 'infoint history ID'")
    sp.add_argument("--at", metavar="WHEN", help="for edit: when it is")
    sp.add_argument("--minutes", type=int, help="for edit: planned length")
    sp.add_argument("--medium", help="for edit: " + ", ".join(m.value for m in Medium))
    sp.add_argument("--location", help="for edit: where")

    cmd("companies", records.cmd_companies, "list the companies with how many people work at each")

    sp = cmd("company", records.cmd_company,
             "'company merge FROM INTO' makes two companies one; 'company rename COMPANY NEW_NAME'")
    sp.add_argument("action", choices=("merge", "rename"))
    sp.add_argument("first", metavar="COMPANY", help="#id or any part of the name that names one company")
    sp.add_argument("second", metavar="INTO|NEW_NAME", help="for merge: the company kept; for rename: the name")

    cmd("duplicates", records.cmd_duplicates,
        "likely duplicate people: same e-mail, profile URL or phone, or same name at the same company")

    sp = cmd("merge", records.cmd_merge, "make two people one, keeping every note, meeting and interaction of both")
    sp.add_argument("keep", type=int, metavar="KEEP", help="the id kept")
    sp.add_argument("other", type=int, metavar="OTHER", help="the id merged into it (its row goes)")

    sp = cmd("search", people.cmd_search, "full-text search over names, companies, titles, tags and notes")
    sp.add_argument("query", nargs="+", metavar="QUERY")
    sp.add_argument("--limit", type=int, default=200, help="at most this many (default 200)")

    sp = cmd("pitch", people.cmd_pitch, "show or set your pitch ('-' reads it from stdin)")
    sp.add_argument("text", nargs="*", metavar="TEXT")

    sp = cmd("agenda", pipeline.cmd_agenda, "what to do today: overdue, due, meetings, then the next days")
    sp.add_argument("--days", type=int, default=7, help="how far ahead (default 7)")

    sp = cmd("followup", pipeline.cmd_followup, "mark a follow-up done, snooze it or dismiss it")
    sp.add_argument("key", metavar="KEY", help="as shown by 'infoint agenda', e.g. 12:thank-you:345")
    sp.add_argument("action", choices=("done", "snooze", "dismiss"))
    sp.add_argument("--until", metavar="WHEN", help="for snooze: +2d, +1b, a date...")

    sp = cmd("tree", documents.cmd_tree, "the referral network: who introduced whom")
    sp.add_argument("id", type=int, nargs="?", metavar="ID", help="one person's chain and referrals")
    sp.add_argument("--company", help="only the trees that reach this company (any part of its name)")

    sp = cmd("dossier", documents.cmd_dossier, "everything about the people at a company, as Markdown")
    sp.add_argument("company", metavar="COMPANY", help="any part of its name that names one company")
    sp.add_argument("-o", "--output", metavar="FILE", help="write it to FILE (0600; '-' is standard output)")
    sp.add_argument("--force", action="store_true", help="replace FILE if it exists")

    sp = cmd("draft", documents.cmd_draft, "an outreach draft from a template, checked against the method")
    sp.add_argument("id", type=int, metavar="ID")
    sp.add_argument("--template", help="referral, cold, follow-up or thank-you (default: thank-you when one "
                                       "is due, else referral if referred, else cold)")
    sp.add_argument("-o", "--output", metavar="FILE", help="write the draft to FILE (0600; '-' is standard output)")
    sp.add_argument("--force", action="store_true", help="replace FILE if it exists")
    sp.add_argument("--sent", action="store_true", help="log it as sent (starts the follow-up clock)")
    sp.add_argument("--channel", help="how it was sent (default email)")

    cmd("stats", documents.cmd_stats, "the funnel: people per stage, reply rate, time to reply, meetings")

    sp = cmd("import", data.cmd_import,
             "import people: LinkedIn or Google CSV, vCard, CSV, or an infoint JSON export")
    sp.add_argument("file", metavar="FILE")
    sp.add_argument("--format", choices=FORMATS,
                    help="the file's format (detected when absent)")
    sp.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    sp.add_argument("--encoding", metavar="NAME",
                    help="the file's encoding, e.g. cp1252 (default: UTF-8, UTF-16 or a clear guess)")

    sp = cmd("export", data.cmd_export, "export: json (everything), csv, vcard, ics (meetings, follow-ups), md")
    sp.add_argument("format", choices=EXPORT_FORMATS, metavar="FORMAT", help=", ".join(EXPORT_FORMATS))
    sp.add_argument("-o", "--output", metavar="FILE", help="write to FILE (0600) instead of stdout ('-': stdout)")
    sp.add_argument("--force", action="store_true", help="replace FILE if it exists")
    sp.add_argument("--company", help="for md: one company's dossier")

    sp = cmd("restore", data.cmd_restore, "replace the database with a backup, keeping the current one aside")
    sp.add_argument("file", metavar="FILE")

    cmd("info", data.cmd_info, "show the database path, schema version and counts")

    sp = cmd("backup", data.cmd_backup, "write a consistent copy of the database (0600); on PostgreSQL a JSON "
                                        "export")
    sp.add_argument("path", nargs="?", metavar="PATH", help="target file (default: beside the database; for "
                                                            "PostgreSQL, in the user data folder)")

    sp = cmd("copy", data.cmd_copy, "copy a whole database into an empty one: SQLite to PostgreSQL and back")
    sp.add_argument("--to", metavar="DB", help="the empty database to fill (a file or postgresql://...; default: --db)")
    sp.add_argument("--from", dest="source", metavar="DB", help="the database to copy (default: --db)")

    sp = cmd("config", configure.cmd_config, "the config file: its path, every value in force, or edit it")
    sp.add_argument("action", choices=("path", "show", "edit", "edit-questions", "edit-template"), nargs="?",
                    default="show",
                    help="path: where it is; show (default): every value in force, defaults included, and which "
                         "of your own files are in force; edit: open it in $EDITOR (created with the defaults "
                         "commented out); edit-questions: your question bank (questions.txt beside it); "
                         "edit-template NAME: your outreach template (templates/NAME.txt); both created from the "
                         "shipped default when missing, never overwritten")
    sp.add_argument("name", nargs="?", metavar="NAME",
                    help="with edit-template: referral, cold, follow-up or thank-you")

    sp = cmd("demo", data.cmd_demo, "fill the database with a realistic demo network")
    sp.add_argument("--force", action="store_true", help="even if the database already holds people")
    return p
