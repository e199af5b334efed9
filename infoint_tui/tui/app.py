"""InfointApp: global keys, theme, help, the command palette, and the promises about typed text.

Promises kept here (shared/RELIABILITY.md): SIGHUP (dropped SSH link) and SIGTERM
save the note being typed, then exit; Ctrl+Q and Ctrl+C save then quit; an
unexpected error saves, writes details without local variables to a 0600 log,
and exits with one line instead of Textual's locals-dumping traceback.
"""

from __future__ import annotations

import asyncio
import signal
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from ..domain.listing import Summary
from . import paste_guard
from .commands import InfointCommands
from .db import DbRunner
from .screens.main import MainScreen

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..store import Store


class InfointApp(App[None]):
    """Informational interviews: people, the pipeline and notes."""

    CSS_PATH = "app.tcss"
    TITLE = "infoint"
    COMMANDS = App.COMMANDS | {InfointCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Help", key_display="?", id="app.help", tooltip="All keys"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", tooltip="Save and quit", priority=True),
    ]
    """Help, quit (always saving first) and, built in, Ctrl+P for the command palette. Ctrl+C is left to
    text fields (copy); elsewhere Textual says how to quit."""

    def __init__(self, store: Store | None, *, open_store: Callable[[], Store] | None = None,
                 now: datetime | None = None, theme: str | None = None, call_id: int | None = None,
                 first_page: tuple[int, list[Summary]] | None = None) -> None:
        """``store``, or None and ``open_store`` to open it when first used (after the first frame:
        the store imports Peewee, ~40 ms of start-up otherwise)."""
        paste_guard.install()  # before the driver starts reading: a paste can never act as keys
        super().__init__()
        self.call_id = call_id
        self._store = store
        self._open_store = open_store
        self._store_opening: asyncio.Future[Store] | None = None
        self.db = DbRunner(lambda: self._store)
        self.fixed_now = now
        self._initial_theme = theme
        self.exit_message: str | None = None
        self._first_page = first_page

    @property
    def store(self) -> Store:
        """The store (opened now, on this thread, if :meth:`store_ready` has not run yet)."""
        if self._store is None:
            assert self._open_store is not None, "InfointApp needs a store or a way to open one"
            store = self._open_store()
            store.close()  # this thread's connection: the database thread opens its own
            self._store = store
        return self._store

    async def store_ready(self) -> None:
        """Open the store on the database thread, Peewee's import included, so that the UI's thread
        does not wait for it after the first frame."""
        if self._store is None and self._open_store is not None:
            if self._store_opening is None:  # once, even if the worker waiting for it is cancelled
                self._store_opening = asyncio.ensure_future(self.db.call(self._open_store))
            store = await asyncio.shield(self._store_opening)
            if self._store is None:
                self._store = store
            elif store is not self._store:  # a key needed it sooner and opened it here: one is enough
                await self.db.call(store.close)

    SCREENS_CSS = Path(__file__).with_name("screens.tcss")
    """The other screens' styling, read after the first frame or before the first screen is pushed."""

    def load_screen_css(self) -> None:
        """Read :data:`SCREENS_CSS` into the stylesheet (once). Parsing it is the only cost: no widget on
        the screen yet matches its rules, so none is restyled."""
        path = str(self.SCREENS_CSS)
        if self.stylesheet.has_source(path, ""):
            return
        self.stylesheet.read(self.SCREENS_CSS)
        self.stylesheet.parse()  # the sources parsed before are kept, not parsed again
        if self.css_monitor is not None:  # `textual run --dev`: edits to it reload live too
            self.css_monitor.add_paths([self.SCREENS_CSS])

    def push_screen(self, *args, **kwargs):  # type: ignore[no-untyped-def,override]
        if not isinstance(args[0] if args else kwargs.get("screen"), MainScreen):
            self.load_screen_css()  # a key typed before the first frame may open a form
        return super().push_screen(*args, **kwargs)

    def on_mount(self) -> None:
        if self._initial_theme and self._initial_theme in self.available_themes:
            self.theme = self._initial_theme
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):
            # Unconditionally: this also replaces SIG_IGN under nohup, where Textual would spin forever.
            loop.add_signal_handler(sig, self._on_signal, sig)
        # After start-up, not during it: Textual holds every repaint until its start-up ends, so a screen
        # pushed here would be laid out and drawn once for nothing (~60 ms before the first frame).
        self.call_later(self._open_screens)

    def _open_screens(self) -> None:
        self.push_screen(MainScreen(now=self.fixed_now, first_page=self._first_page))
        self._first_page = None
        if self.call_id is not None:  # `infoint call ID`: straight into the call
            from .screens.call import CallScreen

            self.push_screen(CallScreen(self.call_id, now=self.fixed_now))

    def watch_theme(self, theme: str) -> None:
        if self.is_running and theme != self._initial_theme:
            self._initial_theme = theme
            self.run_worker(self.db.call(self.store.set_setting, "theme", theme), exit_on_error=False)

    @property
    def main_screen(self) -> MainScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    def flush(self) -> None:
        """Save whatever was typed on any screen (notes, a call), synchronously. Never raises."""
        for screen in list(self.screen_stack):
            flush = getattr(screen, "flush_sync", None)
            if flush is None:
                continue
            try:
                flush()
            except Exception as exc:  # the process is ending: tell, but do not hide the exit
                self.exit_message = f"infoint: the last note could not be saved: {exc}"

    def _on_signal(self, sig: int) -> None:
        self.flush()
        self.exit(return_code=128 + sig)

    async def action_quit(self) -> None:
        await self._keys_handled()
        self.flush()
        self.exit()

    async def _keys_handled(self, timeout: float = 1.0) -> None:
        """Let the keys read before this one act first. Ctrl+Q is a priority binding: it runs as soon as the
        app reads it, while the keys read before it wait in the focused widget's own queue; when the loop
        had fallen behind (a big note being drawn) the text typed just before Ctrl+Q was not yet in the
        editor when it was saved, and was lost. Each widget from the focus up takes its turn in order."""
        node = self.focused
        while node is not None and node is not self:
            turn = asyncio.Event()
            if not node.call_later(turn.set):
                break
            try:
                await asyncio.wait_for(turn.wait(), timeout)
            except TimeoutError:
                break
            node = node.parent

    def action_help(self) -> None:
        from .screens.help import HelpScreen
        from .widgets.board import StageColumn
        from .widgets.contact_list import ContactList
        from .widgets.earlier_notes import EarlierNotes
        from .widgets.notes import NoteEditor

        if isinstance(self.screen, HelpScreen):
            return
        from .screens.call import CallScreen

        self.push_screen(HelpScreen([("Everywhere", InfointApp), ("People and board", MainScreen),
                                     ("Contact list", ContactList), ("Board", StageColumn),
                                     ("Note editor", NoteEditor), ("Earlier notes", EarlierNotes),
                                     ("Call mode", CallScreen)]))

    def get_system_commands(self, screen: Screen) -> list[SystemCommand]:  # type: ignore[override]
        return [c for c in super().get_system_commands(screen) if c.title not in ("Screenshot",)] + [
            SystemCommand("Help: keys", "Every key, grouped by pane", self.action_help),
        ]

    def _handle_exception(self, error: Exception) -> None:
        # Textual's own report prints local variables (notes, e-mails) to the terminal and exits 0.
        from ..crash import bug_line, write_crash_log

        self.flush()
        self.exit_message = bug_line(error, write_crash_log(error), notes_saved=True)
        self._return_code = 1
        if self._exception is None:  # let run_test() re-raise for the test suite
            self._exception = error
            self._exception_event.set()
        self.exit(return_code=1)

    async def _on_exit_app(self) -> None:
        self.flush()
        await super()._on_exit_app()

    def on_unmount(self) -> None:
        self.db.close()
