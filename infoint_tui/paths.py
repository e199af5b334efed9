"""Where data lives: ``--db PATH``, else ``$INFOINT_DB``, else the platformdirs user data directory.

Functions only; nothing is created at import time. The user data directory is ours and kept private
(0700) even when something else created it open to others; a folder named with ``--db`` or
``$INFOINT_DB`` is the user's, and left as it is (the database and its companions are 0600 anyway).
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Mapping
from pathlib import Path

APP_NAME = "infoint"
DB_FILENAME = "infoint.sqlite3"


def data_dir() -> Path:
    """The per-user data directory (``~/.local/share/infoint`` on Linux)."""
    from platformdirs import PlatformDirs

    return PlatformDirs(APP_NAME, appauthor=False).user_data_path


def resolve_db_path(cli_value: str | None, env: Mapping[str, str] | None = None) -> Path:
    """The database path the user asked for, by precedence: flag, environment, default."""
    env = os.environ if env is None else env
    if cli_value:
        return Path(cli_value).expanduser()
    if env.get("INFOINT_DB"):
        return Path(env["INFOINT_DB"]).expanduser()
    folder = data_dir()
    make_private(folder)
    return folder / DB_FILENAME


def make_private(folder: Path) -> None:
    """Tighten an existing ``folder`` that its group or others may read or enter (0755, made by hand or
    by another tool) to 0700: file names there (backups, exports, the crash log) say whom one knows.
    When that fails (not ours, a read-only mount), one warning line on stderr; nothing else changes."""
    try:
        st = folder.stat()
    except OSError:
        return  # not there yet: it is created 0700 when first needed
    if not stat.S_ISDIR(st.st_mode) or not st.st_mode & 0o077:
        return
    try:
        if st.st_uid != os.getuid():
            raise PermissionError(1, "it belongs to another user")
        os.chmod(folder, stat.S_IMODE(st.st_mode) & 0o700)
    except OSError as exc:
        try:
            sys.stderr.write(f"infoint: warning: the data folder {folder} is open to other users "
                             f"(mode {stat.S_IMODE(st.st_mode):o}) and could not be made private "
                             f"({exc.strerror}); run: chmod 700 {folder}\n")
        except (OSError, ValueError):
            pass


def log_path() -> Path:
    """Where crash details go (0600, no personal data): beside the default database."""
    return data_dir() / "infoint.log"
