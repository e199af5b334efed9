"""The store a command works on."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..paths import resolve_db_path

if TYPE_CHECKING:
    from ..config import Config
    from ..store import Store


def _open(args: argparse.Namespace, *, create: bool = True) -> Store:
    """The store at ``--db``, else ``$INFOINT_DB``, else the default path (created or upgraded; with
    ``create=False`` a missing file is an error: a command that only reads must not leave an empty
    database behind a mistyped path)."""
    from ..store import Store

    store = Store.open(resolve_db_path(args.db), create=create)
    configured(args).apply_to(store)
    return store


def configured(args: argparse.Namespace) -> Config:
    """The config file in force (``--config``, ``$INFOINT_CONFIG`` or the default); what is wrong with it
    is printed on stderr, one line each, and the defaults stand."""
    import sys

    from .. import config

    found = config.load(config.resolve_path(getattr(args, "config", None)))
    for line in found.problems:
        sys.stderr.write(f"infoint: {line}\n")
    return found
