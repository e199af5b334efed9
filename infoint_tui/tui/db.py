"""DbRunner: every Store call runs on one thread, in order, off the event loop.

One thread means Peewee's thread-local connection always lives there and writes
can never reorder; callers ``await db.call(store.method, ...)`` from async workers
and then update the UI directly. ``call_sync`` is for the shutdown path (quit,
SIGHUP, SIGTERM), which must save before the process ends.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import TYPE_CHECKING, ParamSpec, TypeVar

if TYPE_CHECKING:
    from ..store import Store

P = ParamSpec("P")
T = TypeVar("T")


class DbRunner:
    """A one-thread executor that owns the store's connection."""

    def __init__(self, store: Callable[[], Store | None]) -> None:
        """``store`` gives the store once it is open (None before): closing needs it."""
        self._store = store
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="infoint-db")
        self._closed = False

    async def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run ``fn`` on the database thread and await its result."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, partial(fn, *args, **kwargs))

    def call_sync(self, fn: Callable[P, T], *args: P.args, timeout: float = 10.0, **kwargs: P.kwargs) -> T:
        """Run ``fn`` on the database thread and wait for it, blocking (shutdown only)."""
        return self._executor.submit(partial(fn, *args, **kwargs)).result(timeout=timeout)

    def close(self) -> None:
        """Close the connection on its own thread and stop the thread (after queued work)."""
        if self._closed:
            return
        self._closed = True
        try:
            store = self._store()
            if store is not None:
                self._executor.submit(store.close).result(timeout=10)
        finally:
            self._executor.shutdown(wait=True)
