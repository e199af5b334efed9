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
    from ..store import Store

FIRST_PAGE = 100
"""At most this many people are read before the app starts (the list's first page: VirtualList.PAGE)."""


def first_rows() -> int:
    """People read before the app starts: as many as the terminal has lines (the first frame shows no
    more), at most :data:`FIRST_PAGE`. The rest of the page comes with the badges, after the frame
    (40 rows instead of 100 at 120x40: ~3 ms less before it)."""
    import shutil

    return max(1, min(FIRST_PAGE, shutil.get_terminal_size().lines))


def open_store(path: Path) -> Store:
    """The store on ``path``, created or upgraded as needed (Peewee is imported here)."""
    from ..store import Store

    return Store.open(path, check=False)


def run(path: Path, *, call_id: int | None = None) -> int:
    """Open ``path`` and run the app on it; returns the exit code.

    The first screen's list (its count and first page, indexed: a few ms at any size) is read
    before the app starts, so that the first frame shows it instead of an empty list that a
    database thread fills a frame later. When the database exists at the current schema, plain
    sqlite3 reads it and the store (Peewee) is opened after the first frame; otherwise the store
    is opened now, creating or upgrading the database. Errors become one line on stderr, outside
    the alternate screen.
    """
    store: Store | None = None
    try:
        fast = sqlite.first_screen(path, first_rows(), sqlite.SCHEMA, utcnow()) if call_id is None else None
        if fast is not None:
            theme, total, rows = fast
            first: tuple[int, list[Summary]] = (total, rows)
        else:
            store = open_store(path)
            theme = store.setting("theme")
            first = (store.count(Filter()), store.summaries(Filter(), 0, first_rows(), follow_ups=False))
            if call_id is not None:
                store.contact(call_id)  # an unknown id is a one-line error, before the screen changes
            store.close()  # the database thread opens its own connection
    except InfointError as err:
        print(f"infoint: {err}", file=sys.stderr)
        return 1
    from .app import InfointApp

    app = InfointApp(store, open_store=lambda: open_store(path), theme=theme or None, call_id=call_id,
                     first_page=first)
    app.run()
    if app.exit_message:
        print(app.exit_message, file=sys.stderr)
    return app.return_code or 0
