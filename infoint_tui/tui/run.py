"""Start the app from the command line: open the store, run, report, exit with the right code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.dates import utcnow
from ..domain.errors import InfointError
from ..domain.listing import Filter, Summary
from ..store import sqlite

if TYPE_CHECKING:
    from ..config import Config
    from ..paths import Location
    from ..store import Store

FIRST_PAGE = 100
"""At most this many people are read before the app starts (the list's first page: VirtualList.PAGE)."""


def first_rows() -> int:
    """People read before the app starts: as many as the terminal has lines (the first frame shows no
    more), at most :data:`FIRST_PAGE`. The rest of the page comes with the badges, after the frame
    (40 rows instead of 100 at 120x40: ~3 ms less before it)."""
    import shutil

    return max(1, min(FIRST_PAGE, shutil.get_terminal_size().lines))


def open_store(path: Location, config: Config | None = None) -> Store:
    """The store on ``path``, created or upgraded as needed (Peewee is imported here), computing
    follow-ups by ``config``'s rules."""
    from ..store import Store

    store = Store.open(path, check=False)
    if config is not None:
        config.apply_to(store)
    return store


WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
"""The driver textual-serve names in TEXTUAL_DRIVER for the apps it runs (textual_serve/app_service.py)."""


def not_a_terminal() -> str | None:
    """Which standard stream is not a terminal (None when all three are).

    The app reads keys from standard input and draws on standard error (Textual's choice); under
    ``nohup`` or with a redirection it would spin on an input that never comes, or draw every name on
    the screen into a file. Standard output is checked too: ``nohup`` sends it, and the drawing, to
    nohup.out. Served to a browser (``infoint serve``: textual-serve runs the app with its web driver
    on pipes), the pipes are the terminal.
    """
    import os

    if os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER:
        return None
    for name, stream in (("standard input", sys.__stdin__), ("standard output", sys.__stdout__),
                         ("standard error", sys.__stderr__)):
        try:
            if stream is None or not os.isatty(stream.fileno()):
                return name
        except (OSError, ValueError):  # closed, or no file descriptor
            return name
    return None


def run(path: Location, *, call_id: int | None = None) -> int:
    """Open ``path`` and run the app on it; returns the exit code.

    The first screen's list (its count and first page, indexed: a few ms at any size) is read
    before the app starts, so that the first frame shows it instead of an empty list that a
    database thread fills a frame later. When the database exists at the current schema, plain
    sqlite3 reads it and the store (Peewee) is opened after the first frame; otherwise the store
    is opened now, creating or upgrading the database. Errors become one line on stderr, outside
    the alternate screen.
    """
    stream = not_a_terminal()
    if stream is not None:  # before anything is read: nothing personal may reach a redirected stream
        _say(f"infoint: {stream} is not a terminal; the app needs one (not nohup, not a redirection). "
             "Commands such as 'infoint list' work anywhere.")
        return 2
    from .. import config as config_file

    config = config_file.load()  # a small TOML file (tomllib); never raises: problems become a note
    store: Store | None = None
    try:
        # A file at the current schema: its first page read with plain sqlite3 (a server's database is
        # opened the full way: the store before the first frame).
        fast = (sqlite.first_screen(path, first_rows(), sqlite.SCHEMA, utcnow())
                if call_id is None and isinstance(path, Path) else None)
        if fast is not None:
            theme, total, rows = fast
            first: tuple[int, list[Summary]] = (total, rows)
            masked = sqlite.read_setting(path, "privacy_mask") == "1"
        else:
            store = open_store(path, config)
            theme = store.setting("theme")
            masked = store.setting("privacy_mask") == "1"
            first = (store.count(Filter()), store.summaries(Filter(), 0, first_rows(), follow_ups=False))
            if call_id is not None:
                store.contact(call_id)  # an unknown id is a one-line error, before the screen changes
            store.close()  # the database thread opens its own connection
    except InfointError as err:
        _say(f"infoint: {err}")
        return 1
    from .app import InfointApp

    app = InfointApp(store, open_store=lambda: open_store(path, config), theme=theme or config.ui.theme or None,
                     call_id=call_id, first_page=first, config=config, masked=masked)
    app.run()
    message, app.exit_message = app.exit_message, None  # shown here: the watchdog need not show it
    if message:
        _say(message)  # the terminal may be closed (EIO): the exit code still tells
    return app.return_code or (1 if app.unsaved else 0)  # never 0 with a note not in the database


def _say(line: str) -> None:
    """One line on standard error; nothing if it cannot be written (a closed terminal: EIO)."""
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
