"""Start the app from the command line: open the store, run, report, exit with the right code."""

from __future__ import annotations

import sys
from pathlib import Path

from ..domain.errors import InfointError
from ..store import Store


def run(path: Path, *, call_id: int | None = None) -> int:
    """Open ``path`` and run the app on it; returns the exit code.

    The database is opened (and upgraded) before the first frame, in constant
    time except for a migration; errors become one line on stderr, outside the
    alternate screen.
    """
    try:
        store = Store.open(path, check=False)
        theme = store.setting("theme") or None
        if call_id is not None:
            store.contact(call_id)  # an unknown id is a one-line error, before the screen changes
        store.close()  # the database thread opens its own connection
    except InfointError as err:
        print(f"infoint: {err}", file=sys.stderr)
        return 1
    from .app import InfointApp

    app = InfointApp(store, theme=theme, call_id=call_id)
    app.run()
    if app.exit_message:
        print(app.exit_message, file=sys.stderr)
    return app.return_code or 0
