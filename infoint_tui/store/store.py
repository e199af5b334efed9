"""The Store: every query and command on the data, returning domain records.

All writes run in one transaction each (IMMEDIATE on SQLite, so a read-then-write
never fails half-way with "database is locked"), record an event in the history,
and keep the full-text index in step. Every database error leaves as a
:class:`StoreError` with one readable line.

The Store is composed of facets, each a mixin with one job on a shared base
(:mod:`.base`: opening and guarding, transactions, rows into records, the
compiled-query cache and the helpers several facets' writes share):

- :mod:`.listing`: one person, lists, the board, search and positions;
- :mod:`.commands`: the writes on people, meetings and notes;
- :mod:`.corrections`: edits and removals of what was logged;
- :mod:`.followups`: follow-ups, the agenda, referrals and stats;
- :mod:`.transfer`: import, export, reading an export back, backup;
- :mod:`.settings`: settings, the pitch and the question bank;
- :mod:`.merging`: companies listed, merged and renamed; duplicate people found and merged.

Facets never import one another; what two of them need lives in the base.

Several stores can be open in one process (a restore, a test's "other terminal",
the app's store opened early by a key): Peewee's tables are bound, per thread, to
the database of the store whose method is running (:class:`.tables.ThreadDatabase`,
bound by every public method, :func:`.base._guarded`). Peewee keeps a connection
per thread, and a store keeps search state of its own: call one store from one
thread at a time (the TUI calls it from its database thread).
"""

from __future__ import annotations

from .base import Clock
from .commands import CommandsMixin, SaveResult
from .corrections import CorrectionsMixin
from .followups import FollowupsMixin
from .listing import ListingMixin
from .merging import MergingMixin
from .settings import SettingsMixin
from .transfer import TransferMixin

__all__ = ["Clock", "SaveResult", "Store"]


class Store(ListingMixin, CommandsMixin, CorrectionsMixin, FollowupsMixin, TransferMixin, SettingsMixin,
            MergingMixin):
    """Queries and transactional commands over one database file."""
