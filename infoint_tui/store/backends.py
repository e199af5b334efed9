"""Which module speaks to a database: :mod:`.sqlite` for a file, :mod:`.postgres` for a server.

The store's facets call ``self.sql.<function>`` and never name either module: both offer the same
functions (connect, the schema version, transactions, change signals, search, bulk writes).
"""

from __future__ import annotations

from types import ModuleType

import peewee


def of(db: peewee.Database) -> ModuleType:
    """The backend module of an open database."""
    if isinstance(db, peewee.PostgresqlDatabase):
        from . import postgres

        return postgres
    from . import sqlite

    return sqlite


def for_location(location: object) -> ModuleType:
    """The backend module for a location (a path, or a ``paths.ServerAddress``)."""
    from ..paths import ServerAddress

    if isinstance(location, ServerAddress):
        from . import postgres

        return postgres
    from . import sqlite

    return sqlite
