"""``python -m infoint_tui`` and the ``infoint`` command: the entry side, which owns starting the app.

``infoint`` and ``infoint --db PATH`` go straight to the app (``launch.run_app``) without importing
the command line; anything else goes to the command line (``cli.main``), which is given
``launch.start`` to call when the arguments ask for the app (``--demo``, ``call ID``). Errors on the
short way are reported by ``crash``, as the command line reports its own.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: the app, or the command line, which starts the app when no subcommand is given."""
    # Start-up allocates hundreds of thousands of long-lived objects (modules, classes, styles) and
    # Python's collector would walk them all several times before the first frame (~25 ms here).
    # It is switched back on, with those objects frozen out of its way, once the first frame is out
    # (tui.screens.main) or when the command turns out not to start the app (cli.main).
    gc.disable()
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        db = _only_a_database(args)
        if db is not None:
            return _start_app(db[0])
        from .cli import main as cli_main
        from .launch import start

        return cli_main(args, launch=start)
    finally:
        gc.enable()


def _only_a_database(args: list[str]) -> tuple[str | None] | None:
    """``(path or None,)`` when the arguments only start the app (none, or ``--db PATH``); None for
    anything else, which the full command line parses. Starting the app this way skips importing
    the command line's parser and handlers (~10 ms before the first frame)."""
    if not args:
        return (None,)
    if len(args) == 2 and args[0] == "--db" and args[1] and not args[1].startswith("-"):
        return (args[1],)
    if len(args) == 1 and args[0].startswith("--db=") and len(args[0]) > 5:
        return (args[0][5:],)
    return None


def _start_app(db: str | None) -> int:
    """What ``infoint [--db PATH]`` does in cli.main, without importing the command line at all."""
    import os

    os.umask(0o077)  # everything we create (database, backups, exports, logs) is private
    try:
        from .launch import run_app
        from .paths import resolve_db_path

        return run_app(resolve_db_path(db))
    except (Exception, KeyboardInterrupt) as exc:
        from .crash import report

        return report(exc)


if __name__ == "__main__":
    sys.exit(main())
