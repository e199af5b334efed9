"""The list's filter (stage, company, tag, archived) and order (name or last activity), mixed into
MainScreen. The search box's query is the screen's own (it is typed, not asked for with a form)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import work

from ...domain.errors import InfointError, NotFound
from ...domain.listing import Filter
from .base import AppScreenMixin

if TYPE_CHECKING:
    from textual.app import App
    from textual.worker import Worker


class FilterActions(AppScreenMixin):
    """Filter and sort; the rest is the screen's (declared below for the type checker)."""

    if TYPE_CHECKING:
        app: App[Any]
        flt: Filter

        def say(self, message: str, severity: str = "information") -> None: ...
        def load_everything(self, first: bool = False) -> Worker[None]: ...

    def action_toggle_sort(self) -> None:
        self.flt = replace(self.flt, sort="activity" if self.flt.sort == "name" else "name")
        self.say(f"Sorted by {'last activity' if self.flt.sort == 'activity' else 'name'}.")
        self.load_everything()

    @work(exit_on_error=False)
    async def action_filter(self) -> None:
        from .forms import FilterModal, FilterResult

        store, db = self.app_.store, self.app_.db
        companies = [c for c, _ in await db.call(store.companies)]
        tags = await db.call(store.tags)
        f = self.flt
        result = await self.app.push_screen_wait(
            FilterModal(FilterResult(f.stage, f.company, f.tag, f.archived), companies, tags))
        if result is None:
            return
        company = result.company
        if company:
            # Any part of a name that names one company ("northwind"): the filter holds its full name.
            # Several: the message names them and the filter stays as it was; none: nobody matches.
            try:
                company = (await db.call(store.company, company)).name
            except NotFound:
                self.say(f"No company is called '{company}'; no one matches.", "warning")
            except InfointError as err:
                self.say(str(err), "error")
                return
        self.flt = replace(self.flt, stage=result.stage, company=company, tag=result.tag,
                           archived=result.archived)
        self.load_everything()
