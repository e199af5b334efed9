"""Where data lives: ``--db PATH``, else ``$INFOINT_DB``, else the platformdirs user data directory.

Functions only; nothing is created at import time.
"""

from __future__ import annotations

import os
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
    return data_dir() / DB_FILENAME


def log_path() -> Path:
    """Where crash details go (0600, no personal data): beside the default database."""
    return data_dir() / "infoint.log"
