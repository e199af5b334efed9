"""The store a command works on."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..paths import resolve_db_path

if TYPE_CHECKING:
    from ..store import Store


def _open(args: argparse.Namespace) -> Store:
    """The store at ``--db``, else ``$INFOINT_DB``, else the default path (created or upgraded)."""
    from ..store import Store

    return Store.open(resolve_db_path(args.db))
