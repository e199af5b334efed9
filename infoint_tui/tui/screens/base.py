"""What the app's screens share."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from ...domain.dates import utcnow
from ..failures import WorkerFailures

if TYPE_CHECKING:
    from ..app import InfointApp


class AppScreenMixin(WorkerFailures):
    """Typed access to the app (its store and database runner) and to the clock (fixed in tests); a
    worker of the screen that fails is reported (failures.py)."""

    fixed_now: datetime | None = None

    @property
    def app_(self) -> InfointApp:
        return self.app  # type: ignore[attr-defined,no-any-return]

    def now(self) -> datetime:
        return self.fixed_now or utcnow()

