"""The command line: scriptable subcommands over the store.

Modules: ``parser`` (every subcommand and its help), ``render`` (the stable JSON shapes and what is
printed to a terminal), ``db`` (the store a command works on) and the commands by area: ``people``,
``pipeline``, ``documents`` and ``data``. Errors are reported by ``infoint_tui.crash``.

Starting the app is not the command line's job. ``infoint``, ``infoint --demo``, ``infoint --db PATH``
and ``infoint call ID`` are still parsed here, with every other command, so that ``--help``, usage
errors, the exit codes and the one-line error reports stay in one place; but for those :func:`main`
calls a *launcher* that the entry point passes in (``__main__.main`` passes
``infoint_tui.launch.start``). This was chosen over having ``__main__`` parse and dispatch because
it keeps the whole parse → run → report sequence (umask, the collector, exit codes) in one function,
while the dependency still points one way only: the entry point knows the command line and the app;
the command line knows neither the app nor the entry point. Without a launcher (tests, scripts)
every subcommand runs, and asking for the app is a one-line error.

Importing this package must not import Textual or Rich, nor name ``infoint_tui.tui`` anywhere, even
inside a function (tests/test_import_hygiene.py checks both at run time and in the source). Nor is it
on the app's start-up path: ``infoint`` and ``infoint --db PATH`` start the app without importing
it (see ``__main__``).

Exit codes: 0 success; 1 a user-facing error, printed as one line on stderr; 2 bad usage (argparse);
130 interrupted.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from ..crash import report
from ..domain.errors import InfointError
from ..paths import resolve_db_path
from .parser import build_parser
from .render import (
    detail_json,
    event_json,
    followup_json,
    meeting_json,
    note_json,
    person_json,
    summary_json,
)

__all__ = ["Launcher", "build_parser", "detail_json", "event_json", "followup_json", "main", "meeting_json",
           "note_json", "person_json", "report", "summary_json"]


WITHOUT_COLLECTOR = frozenset({"import", "export", "list", "search", "agenda", "stats"})
"""Commands that run without Python's cycle collector, as the app's start-up does (``__main__``): they read
or write every person once, allocating hundreds of thousands of objects that hold no cycles (rows, records,
follow-ups; freed by their counts as ever), and the collector walked them again and again for nothing
(100,000 people: an import ~0.45 s of CPU, the agenda ~0.15 s). A short process, which then exits."""


class Launcher(Protocol):
    """Starts the app and returns its exit code: on ``db`` (in call mode on ``call_id`` when given), or,
    with ``demo``, on a throw-away demo database, or, with ``serve=(host, port)``, serves it to browsers
    (``infoint serve``). ``infoint_tui.launch.start`` is the real one."""

    def __call__(self, db: Path | None = None, *, demo: bool = False, call_id: int | None = None,
                 serve: tuple[str, int] | None = None) -> int: ...


def _no_app(db: Path | None = None, *, demo: bool = False, call_id: int | None = None,
            serve: tuple[str, int] | None = None) -> int:
    """The launcher of a command line called without one (tests, scripts): it cannot start the app."""
    raise InfointError("this command line cannot start the app; run 'infoint' (or python -m infoint_tui).")


def main(argv: Sequence[str] | None = None, *, launch: Launcher = _no_app) -> int:
    """Run the command line; returns the exit code. ``launch`` starts the app when the arguments ask
    for it: no command, ``--demo``, ``call ID`` or ``serve``."""
    os.umask(0o077)  # everything we create (database, backups, exports, logs) is private
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "json"):
        args.json = False
    try:
        if getattr(args, "config", None) and args.command in (None, "call", "serve"):
            # The app reads the config file where the launcher starts it: tell it which, as the
            # environment does (the launcher takes no config path; the process becomes the app).
            os.environ["INFOINT_CONFIG"] = args.config
        if args.command is None:
            return launch(demo=True) if args.demo else launch(resolve_db_path(args.db))
        if args.command == "call":
            return launch(resolve_db_path(args.db), call_id=args.id)
        if args.command == "serve":  # textual-serve imports Rich: the launcher imports it, not us
            return launch(resolve_db_path(args.db), serve=(args.host, args.port))
        if args.command not in WITHOUT_COLLECTOR:
            gc.enable()  # see __main__: only the app's start-up runs without the collector
        return int(args.func(args))
    except (Exception, KeyboardInterrupt) as exc:
        return report(exc)
