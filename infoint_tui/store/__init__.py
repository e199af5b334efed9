"""Storage: Peewee on SQLite (or on PostgreSQL: ``store.postgres``). Knows nothing of Textual.

``Store`` and ``SaveResult`` are imported on first use, so that ``store.sqlite.first_screen`` can
serve the app's first frame before Peewee is imported.

Peewee imports every database driver it finds when it is imported itself: with the PostgreSQL extra
installed, psycopg alone cost ~95 ms of every command's start (peewee: ~110 ms with it, ~30 without).
The drivers are kept out of that import here (this package is imported before any of its modules);
``postgres.connect`` imports psycopg when an address asks for it and hands it to Peewee.
"""

from __future__ import annotations

import importlib.util
import sys
from typing import TYPE_CHECKING, Any

_DRIVERS = ("psycopg", "psycopg2", "psycopg2cffi", "pymysql", "MySQLdb")
_LOOKING = ("peewee", "playhouse.pool", "playhouse.postgres_ext")
"""The modules that import every driver they find (the migrations import playhouse.migrate, which imports both
playhouse modules)."""


class _PeeweeWithoutDrivers:  # a meta path finder (importlib.abc's base class would cost ~18 ms to import)
    """Finds Peewee (and those playhouse modules) as Python would, and runs their modules with the database drivers
    they look for made unimportable for that moment (``import psycopg`` fails at once)."""

    def __init__(self) -> None:
        self.finding = False

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name not in _LOOKING or self.finding:
            return None
        self.finding = True
        try:
            spec = importlib.util.find_spec(name)  # the real spec, from the finders after this one
        finally:
            self.finding = False
        if spec is None or spec.loader is None:
            return spec
        run = spec.loader.exec_module

        def exec_module(module: Any) -> None:
            blocked = [m for m in _DRIVERS if m not in sys.modules]
            for m in blocked:
                sys.modules[m] = None  # type: ignore[assignment]
            try:
                run(module)
            finally:
                for m in blocked:
                    if m in sys.modules and sys.modules[m] is None:
                        del sys.modules[m]

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


if not any(isinstance(f, _PeeweeWithoutDrivers) for f in sys.meta_path):
    sys.meta_path.insert(0, _PeeweeWithoutDrivers())

if TYPE_CHECKING:
    from .store import SaveResult, Store

__all__ = ["SaveResult", "Store"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
