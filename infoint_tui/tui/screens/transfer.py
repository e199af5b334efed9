"""Import and export from the main screen (the command palette's "data: import file…" and "data: export…").

Mixed into MainScreen. Reading and writing files runs off the event loop; the store is read and written
on the database thread. An import shows what would change (a dry run) and writes only after a yes.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import work
from textual.content import Content

from ...domain.errors import InfointError
from ..text import safe
from .base import AppScreenMixin

if TYPE_CHECKING:
    from textual.app import App


class TransferActions(AppScreenMixin):
    """Import and export; the rest is the screen's (declared below for the type checker)."""

    if TYPE_CHECKING:
        app: App[Any]

        def say(self, message: str, severity: str = "information") -> None: ...
        def notify(self, message: str, *, timeout: float | None = None, markup: bool = True) -> None: ...
        async def _write(self, fn, *args, done: str = "", **kwargs): ...  # type: ignore[no-untyped-def]

    @work(exit_on_error=False)
    async def action_import(self) -> None:
        """Import a file: read it, show what would change (a dry run), write only after a yes."""
        from ...exchange.load import Loaded, load_file
        from ...exchange.readers import FormatError
        from .documents import PathModal
        from .forms import ConfirmModal

        path = await self.app.push_screen_wait(PathModal("Import people from (LinkedIn/Google CSV, vCard, CSV)",
                                                         "~/Connections.csv", must_exist=True))
        if path is None:
            return

        def parse() -> Loaded:
            loaded = load_file(path)  # the one reader the command line uses too
            if loaded.fmt == "json":
                raise FormatError(f"{path.name}: a JSON export is restored whole: use 'infoint import FILE --db "
                                  "NEWFILE' from the shell.")
            return loaded

        try:
            loaded = await asyncio.to_thread(parse)
            records = loaded.records  # read from the file by each import_people (the dry run, then the import)
            preview = await self.app_.db.call(self.app_.store.import_people, records, dry_run=True,
                                              progress=self._import_progress("Reading", records))
        except InfointError as err:
            self.say(str(err), "error")  # load_file's errors name the file (and the line)
            return
        read_as = "" if loaded.encoding == "utf-8" else f", read as {loaded.encoding}"
        lines = [f"{path.name} ({loaded.fmt}{read_as}): {preview.added} to add, {preview.updated} to update, "
                 f"{preview.unchanged} unchanged, {len(preview.skipped)} skipped."]
        if loaded.ignored_columns:
            lines.append(f"  ignored columns: {', '.join(loaded.ignored_columns)}")
        lines += [f"  line {n}: skipped: {why}" for n, why in preview.skipped[:5]]
        lines += [f"  line {n}: {what}" for n, what in preview.warnings[:5]]
        lines.append("Import now?")
        if not await self.app.push_screen_wait(ConfirmModal(Content("\n".join(safe_lines(lines))))):
            return
        report = await self._write(self.app_.store.import_people, records,
                                   progress=self._import_progress("Importing", records))
        if report is not None:
            self.say(f"Imported {path.name}: {report.added} added, {report.updated} updated, "
                     f"{report.unchanged} unchanged, {len(report.skipped)} skipped.")

    def _import_progress(self, what: str, records: object) -> Callable[[int, int | None], None]:
        """An import's ``progress`` callback, called on the database thread: once the import has taken a
        second, a short toast with the count every two seconds (a big file takes several). The total is
        the file's estimate (``PeopleFile.expected``) while the import reads it."""
        loop = asyncio.get_running_loop()
        start = time.monotonic()
        last = [start - 1.0]  # the first toast at one second, not two: until then the screen shows nothing
        expected = getattr(records, "expected", lambda: 0)

        def report(done: int, total: int | None) -> None:
            now = time.monotonic()
            if total is None:
                total = max(expected(), done + 1)
            if now - start < 1.0 or now - last[0] < 2.0 or done >= total:
                return
            last[0] = now
            loop.call_soon_threadsafe(functools.partial(
                self.notify, f"{what}: {done:,} of {total:,} rows…", timeout=2.5, markup=False))

        return report

    @work(exit_on_error=False)
    async def action_export(self) -> None:
        from ...exchange.export import export_text
        from .documents import ExportModal, write_asking

        choice = await self.app.push_screen_wait(ExportModal())
        if choice is None:
            return
        fmt, path = choice
        store, db = self.app_.store, self.app_.db

        try:
            text = await db.call(export_text, store, fmt)  # reads everything: on the database thread
            written = await write_asking(self.app, path, text)  # asks before replacing a file
        except (InfointError, OSError) as err:
            self.say(f"Export failed: {err}", "error")
            return
        if written is None:
            self.say("Export cancelled; the existing file is kept.")
            return
        self.say(f"Wrote {written} ({fmt}, readable by you only).")


def safe_lines(lines: list[str]) -> list[str]:
    """Report lines with any user text made safe for the screen."""
    return [safe(line) for line in lines]
