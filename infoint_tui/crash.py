"""What happens when something goes wrong: one line for the user, details in a private log.

Shared by the command line (``cli.main``), the app (``InfointApp._handle_exception``) and the entry
point's short way into the app (``__main__._start_app``). Headless on purpose: it imports neither
Textual nor Rich nor the command line, so any of them can use it without pulling in the others
(tests/test_import_hygiene.py). ``traceback`` and the log's path are imported only when a bug
is written down.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

from . import __version__
from .domain.errors import InfointError
from .domain.text import clean_note


def report(exc: BaseException) -> int:
    """Tell the user what went wrong in one line on stderr; returns the exit code.

    A user-facing error (:class:`InfointError`) is its message and 1; Ctrl+C is 130, silently; a
    reader that left a pipe (``infoint list | head``) is 0, silently; anything else is a bug: one
    line naming the log that holds the traceback, and 1.
    """
    if isinstance(exc, InfointError):
        sys.stderr.write(f"infoint: {clean_note(str(exc))}\n")  # no escape sequences from a file or a db
        return 1
    if isinstance(exc, KeyboardInterrupt):
        return 130
    if isinstance(exc, BrokenPipeError):
        # `infoint list | head`: the reader left; say nothing.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    # A bug: one line for the user, details (no locals, no data) in a 0600 log.
    where = write_crash_log(exc)
    sys.stderr.write(bug_line(exc, where) + "\n")
    return 1


def bug_line(exc: BaseException, where: Path, *, notes_saved: bool = False) -> str:
    """The one line that tells the user about a bug and where its details are; ``notes_saved`` when the
    app saved what was being typed before it exited."""
    kind = type(exc).__name__
    if notes_saved:
        return (f"infoint: unexpected error ({kind}); your notes were saved. "
                f"Details in {where}; please report it.")
    return f"infoint: unexpected error ({kind}); details in {where}. Please report it."


def write_crash_log(exc: BaseException) -> Path:
    """Append the traceback (without local variables) to the private log; returns its path.

    Never raises for the log itself: a log that cannot be written is skipped, and its path is still
    returned for the message."""
    import traceback

    from .paths import log_path

    path = log_path()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as f:
            f.write(f"--- {datetime.now().astimezone().isoformat()} infoint {__version__}\n")
            f.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    except OSError:
        pass
    return path

