"""Start the app from the command line: open the store, run, report, exit with the right code."""

from __future__ import annotations

import sys
from pathlib import Path

from ..domain.errors import InfointError
from ..domain.model import Filter
from ..store import Store

FIRST_PAGE = 100
"""People read before the app starts (the list's first page: VirtualList.PAGE)."""


def run(path: Path, *, call_id: int | None = None) -> int:
    """Open ``path`` and run the app on it; returns the exit code.

    The database is opened (and upgraded) before the first frame, in constant
    time except for a migration; errors become one line on stderr, outside the
    alternate screen.
    """
    try:
        store = Store.open(path, check=False)
        theme = store.setting("theme") or None
        # The first screen's list, read now (indexed: a few ms at any size) so that the first frame
        # shows it instead of an empty list that a database thread fills a frame later.
        first = (store.count(Filter()), store.summaries(Filter(), 0, FIRST_PAGE, follow_ups=False))
        if call_id is not None:
            store.contact(call_id)  # an unknown id is a one-line error, before the screen changes
        store.close()  # the database thread opens its own connection
    except InfointError as err:
        print(f"infoint: {err}", file=sys.stderr)
        return 1
    from .app import InfointApp

    app = InfointApp(store, theme=theme, call_id=call_id, first_page=first)
    app.run()
    if app.exit_message:
        print(app.exit_message, file=sys.stderr)
    return app.return_code or 0
