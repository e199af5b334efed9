"""Storage: Peewee on SQLite. Knows nothing of Textual.

``Store`` and ``SaveResult`` are imported on first use, so that ``store.sqlite.first_screen`` can
serve the app's first frame before Peewee is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .store import SaveResult, Store

__all__ = ["SaveResult", "Store"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
