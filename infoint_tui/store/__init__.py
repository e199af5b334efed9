"""Storage: Peewee on SQLite. Knows nothing of Textual."""

from .store import SaveResult, Store

__all__ = ["SaveResult", "Store"]
