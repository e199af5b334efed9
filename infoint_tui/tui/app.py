"""InfointApp: global keys, theme, help, the command palette, and the promises about typed text.

Promises kept here (shared/RELIABILITY.md): SIGHUP (dropped SSH link) and SIGTERM
save the note being typed, then exit; Ctrl+Q and Ctrl+C save then quit; a note the
database cannot take (full disk, I/O error, read-only) stays in the editor and goes into
a private recovery file beside the database (:mod:`infoint_tui.recovery`), restored at
the next start, and the app then never ends with exit code 0; a save that finds the
database locked by another writer waits for it, saying so; an
unexpected error saves, writes details without local variables to a 0600 log,
and exits with one line instead of Textual's locals-dumping traceback. After a
hang-up, SIGTERM or such an error the process always ends: once the notes are
saved, a watchdog ends it if it has not ended by itself within
:data:`EXIT_GRACE` seconds (:class:`Watchdog`).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from ..domain.errors import InfointError, Locked
from ..domain.listing import Summary
from . import paste_guard
from . import text as tui_text
from .commands import InfointCommands
from .db import DbRunner
from .failures import WorkerFailures
from .screens.main import MainScreen

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..config import Config
    from ..store import SaveResult, Store
    from .widgets.notes import NoteDraft


WAIT_RETRY_S = 0.5
"""A save that found the database locked tries again after this (each try itself waits up to the busy
timeout for the lock to go)."""

EXIT_GRACE = 2.0
"""Seconds the process has to end by itself after a hang-up, SIGTERM or a fatal error, counted from
when the notes are saved (or from the signal, when the app cannot even start saving)."""


class Watchdog:
    """Ends the process with ``os._exit`` when it outlives a deadline.

    Why: Textual's shutdown can block for ever. On a closed terminal its output thread dies on the
    first write (EIO) and the main thread then waits in ``WriterThread.write``/``stop`` → ``Queue.put``
    for a thread that will never take anything (observed: about half the closes in the first 200 ms of
    drawing left the process running for ever); a database thread stuck in a lock keeps
    ``threading._shutdown`` waiting. The notes are
    saved before the deadline is set, so ending the process then loses nothing.

    One daemon thread per process, started with the app (never from a signal handler): it sleeps in a
    read on a pipe until :meth:`alarm`, which a signal handler may call, as it takes no lock (attribute
    writes and one ``os.write``).
    """

    def __init__(self) -> None:
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        self.deadline: float | None = None
        self.code = 1
        self.last_words: Callable[[], None] | None = None
        """Run (for at most half a second) just before the end: the terminal put back, a last line."""
        threading.Thread(target=self._run, name="infoint-watchdog", daemon=True).start()

    def alarm(self, code: int, after: float | None) -> None:
        """End the process with ``code`` in ``after`` seconds; None holds it (the notes are being saved)."""
        self.code = code
        self.deadline = None if after is None else time.monotonic() + after
        try:
            os.write(self._wake_w, b"!")
        except OSError:  # already awake (the pipe is full): the deadline is read every 50 ms
            pass

    def _run(self) -> None:
        os.read(self._wake_r, 1)
        while True:
            deadline = self.deadline
            if deadline is not None and time.monotonic() >= deadline:
                break
            time.sleep(0.05)
        if self.last_words is not None:  # on its own thread: a blocked terminal must not keep us here
            words = threading.Thread(target=self.last_words, name="infoint-last-words", daemon=True)
            words.start()
            words.join(0.5)
        os._exit(self.code)


_watchdog: Watchdog | None = None


class NoteNotSaved(Exception):
    """A note the database did not take as the app ends; ``str()`` says why and where it was kept."""


class InfointApp(WorkerFailures, App[None]):
    """Informational interviews: people, the pipeline and notes."""

    CSS_PATH = "app.tcss"
    TITLE = "infoint"
    COMMANDS = App.COMMANDS | {InfointCommands}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "Help", key_display="?", id="app.help", tooltip="All keys"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", tooltip="Save and quit", priority=True),
        Binding("f4", "toggle_mask", "Mask", id="app.mask", show=False,
                tooltip="Privacy mask: hide e-mails, phones, addresses and notes (screen-sharing)"),
    ]
    """Help, quit (always saving first) and, built in, Ctrl+P for the command palette. Ctrl+C is left to
    text fields (copy); elsewhere Textual says how to quit."""

    def __init__(self, store: Store | None, *, open_store: Callable[[], Store] | None = None,
                 now: datetime | None = None, theme: str | None = None, call_id: int | None = None,
                 first_page: tuple[int, list[Summary]] | None = None, config: Config | None = None,
                 masked: bool = False) -> None:
        """``store``, or None and ``open_store`` to open it when first used (after the first frame:
        the store imports Peewee, ~40 ms of start-up otherwise). ``config``: the user's config file
        (infoint_tui.config; None is all defaults); whoever opens the store applies its rules.
        ``masked``: the privacy mask is on (remembered in the settings, read before the first frame)."""
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
        self.user_files: Path | None = None if config is None else config.path
        """The config file whose folder holds the user's questions and templates (infoint_tui.userfiles);
        None without a config (tests): the shipped ones, whatever the working folder holds."""
        if config is None:
            from ..config import Config

            config = Config(Path("config.toml"))
        self.config = config
        tui_text.DATE_FORMAT = config.ui.date_format  # one app per process: the dates it writes follow the file
        tui_text.MASK.on, tui_text.MASK.names = masked, config.ui.mask_names

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
        if self.config.keys:
            self.set_keymap(self.config.keymap)
        self.set_class(tui_text.MASK.on, "-masked")
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):
            # Unconditionally: this also replaces SIG_IGN under nohup, where Textual would spin forever.
            loop.add_signal_handler(sig, self._on_signal, sig)
        if not self.is_headless:
            self._start_watchdog()
        # After start-up, not during it: Textual holds every repaint until its start-up ends, so a screen
        # pushed here would be laid out and drawn once for nothing (~60 ms before the first frame).
        self.call_later(self._open_screens)

    def _open_screens(self) -> None:
        self.push_screen(MainScreen(now=self.fixed_now, first_page=self._first_page))
        self._first_page = None
        if self.call_id is not None:  # `infoint call ID`: straight into the call
            from .screens.call import CallScreen

            self.push_screen(CallScreen(self.call_id, now=self.fixed_now))
        if self.config.problems or self.config.keys:
            self.set_timer(0.3, self._config_note)

    def _config_note(self) -> None:
        """What is wrong with the config file, in a note that stays a while: the app runs on the defaults
        for those values (and the key clashes, checked only once there is a keymap)."""
        from .keys import keymap_problems

        lines = [*self.config.problems, *keymap_problems(self.config.keymap)]
        if lines:
            self.notify("\n".join(lines[:6]) + (f"\n… and {len(lines) - 6} more" if len(lines) > 6 else ""),
                        title="Config file", severity="warning", timeout=20, markup=False)

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

    unsaved = False
    """A note could not be saved into the database before the end (it was kept in a recovery file, or
    nowhere): the process then exits 1, never 0."""

    def flush(self) -> None:
        """Save whatever was typed on any screen (notes, a call), synchronously. Never raises."""
        for screen in list(self.screen_stack):
            flush = getattr(screen, "flush_sync", None)
            if flush is None:
                continue
            try:
                flush()
            except NoteNotSaved as exc:
                self.unsaved = True
                self.exit_message = f"infoint: {exc}"
            except Exception as exc:  # the process is ending: tell, but do not hide the exit
                self.unsaved = True
                self.exit_message = f"infoint: the last note could not be saved: {exc}"

    # --- saving notes: waiting for a writer, keeping what the database refuses -----------------

    def keep_note(self, draft: NoteDraft, text: str, reason: str) -> Path:
        """Keep ``text`` in the draft's recovery file beside the database (0600, written whole).

        Raises:
            OSError: not even that file could be written.
        """
        from .. import recovery

        store = self._store
        if store is None or str(store.path) == ":memory:":
            raise OSError("no database file to keep it beside")
        draft.recovery = recovery.keep(store.path, draft.contact_id, text, note_id=draft.note_id,
                                       version=draft.version, meeting_id=draft.meeting_id, reason=reason,
                                       replace=draft.recovery)
        return draft.recovery

    def _kept_line(self, draft: NoteDraft, text: str, err: BaseException) -> str:
        """What the user reads when ``text`` could not be saved: what happened, what to do, where it is."""
        reason = str(err).rstrip(".") if isinstance(err, InfointError) else "the database did not answer in time"
        try:
            where = self.keep_note(draft, text, reason)
        except OSError as exc:
            return (f"{reason}. Your note could not be kept in a file either ({exc.strerror or exc}): "
                    "it is only in the editor, do not close the app; copy it out or free some space.")
        return f"{reason}. Your note is kept in {where}; it comes back when infoint next starts."

    async def save_patiently(self, draft: NoteDraft, text: str,
                             say: Callable[[str, str], None]) -> SaveResult | None:
        """Save ``text`` into ``draft`` on the database thread.

        Another program writing (a long import, a ``sqlite3`` shell) is waited for: ``say`` tells
        "waiting for the database…" once, and the save goes on until it is in, unless a newer save of
        the same draft was asked for meanwhile (it carries the newer text). A database that refuses the
        note (full disk, I/O error, read-only) leaves it in the editor, marked unsaved so that the next
        key or Ctrl+S tries again, and in a recovery file; ``say`` tells where, in one line."""
        from .. import recovery
        from .widgets.notes import REFUSED, save_draft

        draft.asked += 1
        ticket = draft.asked
        waited = False
        while True:
            try:
                result = await self.db.call(save_draft, self.store, draft, text)
            except Locked:
                if draft.asked != ticket:
                    return None  # a newer save of this draft waits in its turn, with the newer text
                if not waited:
                    waited = True
                    say("Waiting for the database… another program is writing to it (an import?). "
                        "Your note stays in the editor and is saved as soon as it can be.", "warning")
                await asyncio.sleep(WAIT_RETRY_S)
                continue
            except InfointError as err:
                draft.saved_text = REFUSED  # dirty: the next key, Ctrl+S or the database answering again retries
                say(self._kept_line(draft, text, err) + " Ctrl+S tries again.", "error")
                return None
            if draft.asked == ticket:  # the newest text is in: any copy kept of it is not needed
                recovery.discard(draft.recovery)
                draft.recovery = None
            if waited:
                say("The database is free again: your note is saved.", "information")
            return result

    def save_sync(self, draft: NoteDraft, text: str) -> None:
        """Save ``text`` into ``draft`` now, blocking (the last thing before the process ends).

        Raises:
            NoteNotSaved: the database did not take it; the message says where it was kept.
        """
        from .. import recovery
        from .widgets.notes import save_draft

        try:
            self.db.call_sync(save_draft, self.store, draft, text)
        except (InfointError, TimeoutError) as err:
            raise NoteNotSaved(self._kept_line(draft, text, err)) from err
        recovery.discard(draft.recovery)
        draft.recovery = None

    _ran = False
    """:meth:`run` has returned: Textual has put the terminal back as it found it."""

    def run(self, *args, **kwargs):  # type: ignore[no-untyped-def,override]
        try:
            return super().run(*args, **kwargs)
        finally:
            self._ran = True

    def _start_watchdog(self) -> None:
        """The watchdog, and a signal handler that sets it going the moment a signal arrives: asyncio
        runs :meth:`_on_signal` only when the event loop next turns, which a stuck shutdown never does.
        asyncio still sees every signal (its wake-up file descriptor does not depend on the handler)."""
        global _watchdog
        if _watchdog is None:
            _watchdog = Watchdog()
        _watchdog.last_words = self._last_words

        def arrived(sig: int, _frame: object) -> None:
            if _watchdog is not None and _watchdog.deadline is None and not self._saving:
                _watchdog.alarm(128 + sig, EXIT_GRACE)

        for sig in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, arrived)
            signal.siginterrupt(sig, False)  # as asyncio had it

    _saving = False
    """True while :meth:`_on_signal` saves: the watchdog waits for it."""

    def _end_within_grace(self, code: int) -> None:
        """The notes are saved: the process ends within :data:`EXIT_GRACE` seconds, by itself or not."""
        if _watchdog is not None and not self.is_headless:
            _watchdog.alarm(code, EXIT_GRACE)

    def _last_words(self) -> None:
        """What the watchdog does last: the terminal put back as Textual would have (if it still can),
        and the exit message, unless it was already shown. Best effort: the terminal may be gone."""
        import termios

        attrs = getattr(self._driver, "attrs_before", None)
        try:
            if not self._ran:  # Textual did not get to put the terminal back
                if attrs is not None:
                    termios.tcsetattr(sys.__stdin__.fileno(), termios.TCSANOW, attrs)  # type: ignore[union-attr]
                os.write(2, b"\x1b[<u\x1b[?1000l\x1b[?1003l\x1b[?1006l\x1b[?2004l\x1b[?1004l\x1b[?7h"
                            b"\x1b[?1049l\x1b[?25h")
            if self.exit_message:
                os.write(2, (self.exit_message + "\n").encode())
        except (OSError, ValueError, termios.error):
            pass

    def _on_signal(self, sig: int) -> None:
        self._saving = True
        if _watchdog is not None and not self.is_headless:
            _watchdog.alarm(128 + sig, None)  # not while the notes are being saved
        try:
            self.flush()
        finally:
            self._saving = False
            self._end_within_grace(128 + sig)
        self._leaving = True
        self.exit(return_code=128 + sig)

    _leaving = False
    """The user (Ctrl+Q) or a signal asked the app to end, and the notes were saved."""

    async def action_quit(self) -> None:
        await self._keys_handled()
        self.flush()
        self._leaving = True
        self.exit(return_code=1 if self.unsaved else 0)

    async def _keys_handled(self, limit: float = 1.0) -> None:
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
                await asyncio.wait_for(turn.wait(), limit)
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
        from .screens.agenda import AgendaScreen
        from .screens.call import CallScreen
        from .screens.documents import DossierScreen, DraftScreen
        from .screens.history import HistoryScreen

        sections: list[tuple[str, type]] = [
            ("Everywhere", InfointApp), ("People and board", MainScreen), ("Contact list", ContactList),
            ("Board", StageColumn), ("Note editor", NoteEditor), ("Earlier notes", EarlierNotes),
            ("Today", AgendaScreen), ("Call mode", CallScreen), ("Outreach draft", DraftScreen),
            ("Dossier", DossierScreen), ("History", HistoryScreen)]
        # The screen in use first, said so: inside Today, d is done, not the main screen's dossier.
        here = next((s for s in sections[6:] if isinstance(self.screen, s[1])), None)
        if here is not None:
            sections.remove(here)
            sections.insert(0, (f"Here: {here[0]}", here[1]))
        self.push_screen(HelpScreen(sections))

    def action_toggle_mask(self) -> None:
        """The privacy mask on or off, on every screen, remembered until toggled again."""
        from .widgets.vlist import VirtualList

        mask = tui_text.MASK
        mask.on = not mask.on
        self.set_class(mask.on, "-masked")
        for screen in self.screen_stack:
            for node in [screen, *screen.query("*")]:
                if isinstance(node, VirtualList):
                    node._forget_looks()  # its drawn lines are cached by what they show
                    node.refresh()
                remask = getattr(node, "remask", None)
                if callable(remask):
                    remask()
        self.run_worker(self._remember_mask(mask.on), exit_on_error=False)
        self.notify("Privacy mask on: e-mails, phones, addresses and notes are hidden (F4 shows them)."
                    if mask.on else "Privacy mask off.", timeout=4)

    async def _remember_mask(self, on: bool) -> None:
        await self.store_ready()
        await self.db.call(self.store.set_setting, "privacy_mask", "1" if on else "")

    def get_system_commands(self, screen: Screen) -> list[SystemCommand]:  # type: ignore[override]
        return [c for c in super().get_system_commands(screen) if c.title not in ("Screenshot",)] + [
            SystemCommand("Help: keys", "Every key, grouped by pane", self.action_help),
            SystemCommand("View: privacy mask (F4)", "Hide or show e-mails, phones, addresses and notes",
                          self.action_toggle_mask),
        ]

    def _handle_exception(self, error: Exception) -> None:
        # Textual's own report prints local variables (notes, e-mails) to the terminal and exits 0.
        from ..crash import bug_line, write_crash_log

        if self._leaving:
            # A race with the app's own ending (Ctrl+Q or a hang-up as the first frame comes: a worker
            # finds its pane gone). The notes are saved and the exit asked for goes on, with its code:
            # the error is only logged. Should the ending itself be stuck, the watchdog ends it.
            write_crash_log(error)
            self._end_within_grace(self.return_code or 0)
            return
        self.flush()
        self.exit_message = bug_line(error, write_crash_log(error), notes_saved=True)
        self._return_code = 1
        self._end_within_grace(1)
        if self._exception is None:  # let run_test() re-raise for the test suite
            self._exception = error
            self._exception_event.set()
        self.exit(return_code=1)

    async def _on_exit_app(self) -> None:
        self.flush()
        if self.unsaved and not self.return_code:
            self._return_code = 1
        await super()._on_exit_app()

    def on_unmount(self) -> None:
        self.db.close()
