"""MainScreen: the contact list, the pipeline board and the notes, over the store.

The screen owns the selection (``selected_id``) and is the only part of the UI
that calls the store, always through the app's DbRunner from async workers.
Panes get data through their methods and send intent up as messages.

Layout: from 150 columns all three panes show side by side; below that one
pane shows at a time (Tab, Shift+Tab or 1/2/3 switch), which keeps 80x24 over
SSH fully usable.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.reactive import Reactive, reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from ...domain.errors import InfointError
from ...domain.listing import Filter, Summary
from ...domain.pipeline import ORDER, Stage
from ..text import cursor_blink
from ..topbar import topbar_text
from ..typeahead import TypeAhead
from ..widgets.contact_list import ContactList
from ..widgets.search_box import SearchBox
from ..widgets.vlist import VirtualList
from .base import AppScreenMixin
from .card_move import CardMoves
from .list_filter import FilterActions
from .person_actions import PersonActions
from .transfer import TransferActions

# Forms, the other screens and the board are imported when first used: the first frame of a terminal
# narrower than WIDE shows the list alone (the board's module: ~4 ms of start-up).

if TYPE_CHECKING:
    from textual.widgets import TextArea

    from ...domain.model import Note
    from ...recovery import Recovered
    from ...store import Store
    from ..widgets.board import PipelineBoard, StageColumn
    from ..widgets.earlier_notes import EarlierNotes
    from ..widgets.notes import NoteDraft, NotesPane

def _restore_one(store: Store, kept: Recovered) -> str:
    """Save one recovered note (on the database thread); returns the person's name. A note that was being
    continued goes back into it if nobody changed it since, else it becomes a new note (nothing is
    overwritten); a person deleted since gets nothing, and the file stays."""
    store.save_note(kept.contact_id, kept.note_id, kept.text, kept.version, kept.meeting_id)
    return store.contact(kept.contact_id).name


PANES = ("contacts", "board", "notes")
WIDE = 150
"""Columns from which all three panes show at once."""
POLL_S = 1.5
"""How often to look for changes made by another terminal."""


class MainScreen(PersonActions, TransferActions, CardMoves, FilterActions, AppScreenMixin, Screen[None]):
    """Three panes over one selection.

    The actions on people (person_actions.py), import and export (transfer.py), the card move
    (card_move.py) and the list's filter and order (list_filter.py) are mixed in; the keys for all
    of them are here, in BINDINGS.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "next_pane", "Next pane", show=False, id="pane.next"),
        Binding("shift+tab", "prev_pane", "Previous pane", show=False, id="pane.prev"),
        Binding("1", "pane('contacts')", "People", show=False, id="pane.contacts"),
        Binding("2", "pane('board')", "Board", show=False, id="pane.board"),
        Binding("3", "pane('notes')", "Notes", show=False, id="pane.notes"),
        Binding("slash", "search", "Search", id="contacts.search", tooltip="Search names, companies, notes"),
        Binding("n", "new_person", "New", id="person.new", tooltip="Add a person"),
        Binding("e", "edit_person", "Edit", show=False, id="person.edit", tooltip="Edit the selected person"),
        Binding("c,f2", "call", "Call", id="person.call", key_display="c",
                tooltip="Call mode: timer, questions and notes for a call with the selected person"),
        Binding("s", "schedule", "Schedule", show=False, id="person.schedule", tooltip="Schedule a meeting"),
        Binding("i", "log", "Log", id="person.log", tooltip="Log an interaction (outreach, reply, call…)"),
        Binding("r", "add_referral", "Referral", show=False, id="person.referral",
                tooltip="Add someone the selected person referred you to"),
        Binding("a", "archive", "Archive", show=False, id="person.archive", tooltip="Archive with a reason"),
        Binding("u", "unarchive", "Unarchive", show=False, id="person.unarchive"),
        Binding("D", "delete_person", "Delete", show=False, id="person.delete",
                tooltip="Erase the person and everything about them (asks first)"),
        Binding("H", "history", "History", show=False, id="person.history",
                tooltip="The person's history, meetings and notes: edit or remove a line"),
        Binding("z", "undo", "Undo", show=False, id="app.undo", tooltip="Undo the last change (not an erase)"),
        Binding("Z", "undo(True)", "Redo", show=False, id="app.redo", tooltip="Make again the change undone last"),
        Binding("t", "today", "Today", id="view.today", tooltip="Today: follow-ups due and meetings"),
        Binding("d", "dossier", "Dossier", show=False, id="company.dossier",
                tooltip="Everything about the people at the selected person's company"),
        Binding("w", "draft", "Draft", show=False, id="person.draft",
                tooltip="Write an outreach draft from a template, checked as you type"),
        Binding("f", "filter", "Filter", show=False, id="contacts.filter",
                tooltip="Filter by stage, company, tag, archived"),
        Binding("o", "toggle_sort", "Sort", show=False, id="contacts.sort",
                tooltip="Sort by name or by last activity"),
        Binding("p", "pitch", "Pitch", show=False, id="pitch.edit", tooltip="Edit your pitch"),
        Binding("ctrl+o", "continue_note", "Continue note", show=False, id="notes.continue",
                tooltip="Go on typing in the latest note"),
    ]
    """Pane switching and the actions on the selected person. Letters never reach text fields' bindings:
    a focused Input or TextArea takes printable keys first."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    """Textual's own, without its repaint of the whole screen on every focus change (30 KB per card
    move or column change at 120x40). What focus changes is repainted by the widgets themselves: the
    focus and focus-within styles, and the lists' cursor rows (VirtualList.on_focus/on_blur)."""
    selected_id: reactive[int | None] = reactive(None, init=False, repaint=False)
    """The person shown in the notes pane and highlighted in the list and on the board."""
    active_pane: reactive[str] = reactive("contacts", init=False, repaint=False)
    """The pane shown when the terminal is narrow (all show when it is wide)."""

    def __init__(self, *, now: datetime | None = None, first_page: tuple[int, list[Summary]] | None = None
                 ) -> None:
        super().__init__()
        self.fixed_now = now
        self._first_page = first_page
        """(count, first page) read before the app started: shown in the first frame."""
        self._rest_mounted = False
        self._rest_started = False
        """The board and the notes pane: mounted after the first frame when hidden (narrow terminal)."""
        self._selecting_from_cursor = False
        """True while the focused list's own cursor move sets the selection (see _highlighted)."""
        self._notes_keys: tuple[object, frozenset[str]] | None = None
        """The keymap in force and the keys it binds to the notes pane (see _opens_notes)."""
        self._after_rest: list[tuple[Callable[..., object], tuple[object, ...]]] = []
        self.flt = Filter()
        self.board_sort = "activity"
        self._data_version: int | None = None
        self._unreachable = False
        """The last look for changes failed: the database (a server) could not be reached."""
        self._loaded = False
        self._topbar_shows: tuple[object, ...] | None = None
        self.typeahead = TypeAhead(self.set_timer, self.action_search, self._focused_editor)
        """Keys typed before the notes pane or the search box could take them."""
        self._board_stale = True
        self._previous_pane = "contacts"
        self.total = 0
        self.counts: dict[Stage, int] | None = None


    def compose(self) -> ComposeResult:
        # The layout for the terminal's width is known now: set later, it would restyle every widget.
        self.set_class(self.app.size.width < WIDE, "-narrow", update=False)
        yield Static("", id="topbar")
        with Horizontal(id="panes"):
            with Vertical(id="contacts", classes="pane -active -focus"):  # the list has the focus first
                yield SearchBox(placeholder="/ search names, companies, notes", id="search", compact=True)
                yield Static("", id="list-status")
                yield ContactList(now=self.fixed_now, id="contact-list")
            with Vertical(id="board", classes="pane"):
                if not self.has_class("-narrow"):
                    yield _board(self.fixed_now)
            with Vertical(id="notes", classes="pane"):
                if not self.has_class("-narrow"):
                    yield self._notes_pane()
        # The footer's keys come a frame after the first anyway (once the bindings are known): until
        # then a bar of its colour holds its place, and the footer (its module and CSS: ~6 ms of
        # start-up) is mounted after the first frame.
        yield Static(id="footer-seat")

    def _after_first_frame(self, shown: bool) -> None:
        """``shown``: the first frame showed the list read before start-up; its badges and the board
        are read now (no database thread raced the frame)."""
        # Start-up's objects live as long as the app: frozen out of the collector's way, which
        # __main__ kept off until now (this also shortens every later collection's pause).
        gc.freeze()
        gc.enable()
        if not self.is_attached:  # the app is going (Ctrl+Q or a hang-up as the first frame came)
            return
        self._mount_footer()
        self.app_.load_screen_css()
        if shown:
            self.load_everything(first=True)

    def _mount_footer(self) -> None:
        from ..widgets.footer import KeyFooter

        if not self.query(KeyFooter):
            with self.app.batch_update():  # the seat goes as the footer comes: one frame
                self.mount(KeyFooter())
                for seat in self.query("#footer-seat"):
                    seat.remove()

    def _notes_pane(self) -> NotesPane:
        from ..widgets.notes import NotesPane  # the editor's imports wait until it is needed

        return NotesPane(now=self.fixed_now, id="notes-pane")

    async def _mount_rest(self) -> None:
        """Mount the hidden board and notes pane, after the first frame (start-up: ~60 ms sooner)."""
        if self._rest_started:
            return
        self._rest_started = True
        if not self.query("#pipeline"):  # a wide terminal composed them with the rest
            await self.query_one("#board").mount(_board(self.fixed_now))
            await self.query_one("#notes").mount(self._notes_pane())
        self._rest_mounted = True
        self.notes.begin(None)
        for stage in ORDER:
            self.board.column(stage).mark(self.selected_id)
        self._layout(self.size.width)
        waiting, self._after_rest = self._after_rest, []
        for fn, args in waiting:
            fn(*args)

    def _ready(self, fn: Callable[..., object], *args: object) -> bool:
        """True if the board and the notes pane are there; if not, ``fn(*args)`` runs once they are."""
        if not self._rest_mounted:
            self._after_rest.append((fn, args))
        return self._rest_mounted

    # --- helpers --------------------------------------------------------------------------

    @property
    def contact_list(self) -> ContactList:
        return self.query_one("#contact-list", ContactList)

    @property
    def board(self) -> PipelineBoard:
        return self.query_one("#pipeline")  # type: ignore[return-value]

    @property
    def notes(self) -> NotesPane:
        return self.query_one("#notes-pane")  # type: ignore[return-value]

    def say(self, message: str, severity: str = "information") -> None:
        """A toast; user text in ``message`` is never markup."""
        self.notify(message, severity=severity, markup=False)  # type: ignore[arg-type]

    def _board_filter(self, stage: Stage) -> Filter:
        return Filter(query=self.flt.query, stage=stage, company=self.flt.company, tag=self.flt.tag,
                      sort=self.board_sort)

    # --- start-up and refresh -------------------------------------------------------------

    async def on_mount(self) -> None:
        self.query_one("#search", Input).cursor_blink = cursor_blink()
        self.contact_list.focus()
        shown = self._first_page is not None
        if shown:  # drawn with the first frame; badges and the board follow it
            self._show_list(*self._first_page)  # type: ignore[misc]
        else:
            self.load_everything(first=True)
        self.call_after_refresh(self._after_first_frame, shown)
        self.set_interval(POLL_S, self.poll_changes)
        self.call_after_refresh(self.restore_recovered)
        if self.has_class("-narrow"):
            self._update_topbar()
            # As a worker, not awaited by the screen: keys typed meanwhile are handled at once (and
            # text for the notes pane is kept, on_key), not queued behind the mount.
            self.call_after_refresh(lambda: self.run_worker(self._mount_rest(), group="mount-rest"))
        else:
            await self._mount_rest()

    def on_resize(self, event: events.Resize) -> None:
        self._layout(event.size.width)

    def _layout(self, width: int) -> None:
        self.set_class(width < WIDE, "-narrow")
        self._update_topbar()
        if not self._rest_mounted:
            return
        if self._board_visible() and self._board_stale and self._loaded:
            self._board_stale = False
            self.load_board()
        if self._notes_visible():
            self._catch_up_notes()

    @work(exclusive=True, group="load", exit_on_error=False)
    async def load_everything(self, first: bool = False) -> None:
        """The list first (its count and one page: the first frame), then the board and the badges.

        Nothing here grows with the number of people: counts, pages of 100, and indexed lookups.
        """
        await self.app_.store_ready()
        store = self.app_.store
        db = self.app_.db
        with_badges = True
        if first and self._first_page is not None:
            total = self._first_page[0]
            self._first_page = None
            with_badges = False  # the first frame's page came without the follow-up badge: fetched below
        else:
            # One trip to the database thread (a search keystroke waits for it): the count, the first
            # page and the selected person's place, the search matched once for all three.
            total, rows, pos, around = await db.call(store.list_screen, self.flt, self.selected_id,
                                                     VirtualList.PAGE)
            self._show_list(total, rows, pos, around)
        empty_everywhere = total == 0 and self.flt == Filter()
        if first and empty_everywhere:
            # The method's first two steps (issue 19): the pitch, then the people one already knows.
            self.say("Welcome! Start with your pitch (p), then import your LinkedIn connections (Ctrl+P, "
                     "'import'), or press n to add a person. ? lists every key.")
        if self._board_visible() and self._rest_mounted:
            self.load_board()
        else:
            self._board_stale = True  # hidden at this width (or not there yet): reloaded when shown
        if not with_badges:
            generation = self.contact_list.generation
            full = await db.call(store.summaries, self.flt, 0, VirtualList.PAGE)
            self.contact_list.set_page(0, full, generation)
        self._data_version = await db.call(store.data_version)
        if self.selected_id is not None and self._notes_visible() and self._rest_mounted:
            self.load_detail(self.selected_id)

    def _show_list(self, total: int, rows: list[Summary], pos: int | None = None,
                   around: list[Summary] | None = None) -> None:
        """Fill the list (keeping the cursor on ``pos``, whose page is ``around``) and the top bar."""
        empty_everywhere = total == 0 and self.flt == Filter()
        self.contact_list.empty_text = (
            "No one here yet. n adds a person; Ctrl+P imports LinkedIn. Try: infoint --demo" if empty_everywhere
            else "No one matches. Esc in the search box clears it; f changes the filter.")
        self.contact_list.reset(total, rows, keep_index=pos, pages={pos // VirtualList.PAGE: around}
                                if around and pos is not None else None)
        if pos is None and self.selected_id is not None:
            # A filter or a search hides the selected person: the selection moves to a person the list
            # shows (or to no one), so no action can reach someone out of sight.
            current = self.contact_list.current
            if current is None and rows:  # the cursor's page is not read yet: the first row, which is
                self.contact_list.select_index(0)
                current = rows[0]
            self.selected_id = current.id if current is not None else None
        self.total = total
        self._loaded = True
        self._update_topbar()

    @work(exclusive=True, group="load-board", exit_on_error=False)
    async def load_board(self, stages: tuple[Stage, ...] = ORDER) -> None:
        """Counts and the first page of each column (only ``stages`` are reloaded)."""
        if self._rest_mounted:
            await self._reload_board(stages)

    async def _reload_board(self, stages: tuple[Stage, ...]) -> None:
        store, db = self.app_.store, self.app_.db
        counts = await db.call(store.stage_counts, self.flt)
        for stage in stages:
            col = self.board.column(stage)
            cur = col.current
            rows = await db.call(store.summaries, self._board_filter(stage), 0, col.PAGE)
            col.reset(counts[stage], rows, keep_id=cur.id if cur else None)
        self._show_counts(counts)

    def _show_counts(self, counts: dict[Stage, int]) -> None:
        for stage in ORDER:
            self.board.set_count(stage, counts[stage])
        self.counts = counts
        self._update_topbar()

    def _update_topbar(self) -> None:
        key = (self.has_class("-narrow"), self.active_pane, self._loaded, self.total, self.flt)
        if key == self._topbar_shows:
            return  # unchanged (a card move, say): no repaint
        self._topbar_shows = key
        text = topbar_text(narrow=self.has_class("-narrow"), panes=PANES, active_pane=self.active_pane,
                           total=self.total if self._loaded else None, flt=self.flt)
        self.query_one("#topbar", Static).update(text, layout=False)  # one line whatever it says: no relayout

    @on(VirtualList.PageWanted)
    def _page_wanted(self, event: VirtualList.PageWanted) -> None:
        event.stop()
        vlist = event.vlist
        stage = getattr(vlist, "stage", None)  # a board column's
        flt = self._board_filter(stage) if stage is not None else self.flt
        self.fetch_page(vlist, flt, event.page, event.generation)

    @work(group="pages", exit_on_error=False)
    async def fetch_page(self, vlist: VirtualList, flt: Filter, page: int, generation: int) -> None:
        rows = await self.app_.db.call(self.app_.store.summaries, flt, page * vlist.PAGE, vlist.PAGE)
        vlist.set_page(page, rows, generation)

    async def poll_changes(self) -> None:
        """Another terminal committed? Reload, keeping the user's place and unsaved text.

        A database that could not be reached (a server down, a network gone) and answers again: every
        pane is read again (what failed to load meanwhile showed nothing), and a note whose save it
        refused is saved now, not at the next key."""
        if not self._loaded or self.app_.db is None:
            return
        try:
            version = await self.app_.db.call(self.app_.store.data_version)
        except InfointError:
            self._unreachable = True
            return
        from ..widgets.notes import REFUSED  # loaded with the notes pane by now

        autosave = self.notes.autosave
        refused = autosave is not None and autosave.draft is not None and autosave.draft.saved_text == REFUSED
        if self._unreachable or refused:
            back, self._unreachable = self._unreachable, False
            if refused and autosave is not None and autosave.dirty:
                self.say("The database answers again: saving your note.", "information")
                self.notes.save()
            if back:
                self._data_version = version
                self.load_everything()
                return
        if self._data_version is not None and version != self._data_version:
            self._data_version = version
            self.load_everything()

    # --- selection --------------------------------------------------------------------------

    @on(VirtualList.Highlighted)
    def _highlighted(self, event: VirtualList.Highlighted) -> None:
        event.stop()
        if event.vlist.has_focus or self.selected_id is None:
            # The cursor itself moved: the selection follows it, and must not send the cursor back to
            # the person it highlighted a key ago ("jj" read at once moved one row: the second key's
            # row was taken back when the first key's message arrived; actions then hit the wrong person).
            self._selecting_from_cursor = True
            try:
                self.selected_id = event.item.id
            finally:
                self._selecting_from_cursor = False

    @on(VirtualList.Opened)
    def _opened(self, event: VirtualList.Opened) -> None:
        event.stop()
        self.selected_id = event.item.id
        self.action_pane("notes")

    def watch_selected_id(self, old: int | None, new: int | None) -> None:
        self.contact_list.mark(new)
        focused = self.focused
        if (new is not None and not self._selecting_from_cursor and isinstance(focused, VirtualList)
                and getattr(focused.current, "id", None) != new):
            # Selected from elsewhere (a call ended, Today, go to…): the focused pane's cursor follows, as an
            # action takes the person under it (_acting_on).
            self._cursor_to_selection(new, "list" if focused is self.contact_list else "board")
        if not self._rest_mounted:
            return  # _mount_rest marks the board and the notes catch up when shown
        for stage in ORDER:
            self.board.column(stage).mark(new)
        self._flush_note()  # the previous person's text is queued for saving before anything else
        if not self._notes_visible():
            # Hidden at this width: touching it would relayout the screen on every cursor move (17 KB
            # per key at 120x40). It catches up when shown (action_pane), before any key can reach it.
            self.notes.begin(None)
            return
        self.notes.begin(new)
        if new is None:
            return
        self.load_detail(new)
        if not self.has_class("-narrow"):
            self.follow_selection(new)

    @work(exclusive=True, group="detail", exit_on_error=False)
    async def load_detail(self, contact_id: int) -> None:
        """Show ``contact_id``'s details in the notes pane (the editor is never touched here)."""
        await asyncio.sleep(0.05)  # a run of cursor moves loads only the person it stops on
        try:
            detail = await self.app_.db.call(self.app_.store.detail, contact_id)
        except InfointError as err:
            self.say(str(err), "warning")
            return
        if self.selected_id == contact_id:
            self.notes.update_detail(detail)

    @work(exclusive=True, group="follow-focused", exit_on_error=False)
    async def _cursor_to_selection(self, contact_id: int, target: str) -> None:
        """The focused pane's cursor onto a person selected from elsewhere (see watch_selected_id)."""
        await self._follow(contact_id, target, target == "board")

    @work(exclusive=True, group="follow", exit_on_error=False)
    async def follow_selection(self, contact_id: int, target: str = "other", focus: bool = False,
                               delay: float = 0.12) -> None:
        """Put the cursor of the list (``target="list"``) or of the board on the selected person.

        ``"other"`` means the view that does not have the focus, so that in the wide
        layout a move in one pane shows the same person in the other.
        """
        asked_with = self.focused
        await asyncio.sleep(delay)  # a run of cursor moves costs one lookup, not one each
        if target == "other":
            target = "list" if _is_column(self.focused) else "board"
        # A key that moved the focus meanwhile ("2" then "h" at once) wins: the focus is not taken back.
        await self._follow(contact_id, target, focus and self.focused is asked_with)

    async def _follow(self, contact_id: int, target: str, focus: bool) -> None:
        """The cursor of the list or of the board (its column focused if ``focus``) onto ``contact_id``."""
        store, db = self.app_.store, self.app_.db
        if target == "list":
            pos = await db.call(store.position, self.flt, contact_id)
            if pos is not None:
                self.contact_list.select_index(pos)
            return
        if not self._rest_mounted:
            return
        focused_before = self.focused  # the database reads below let keys through: one that moves the focus wins
        try:
            contact = await db.call(store.contact, contact_id)
        except InfointError:
            return
        if contact.archived:
            return
        pos = await db.call(store.position, self._board_filter(contact.stage), contact_id)
        col = self.board.column(contact.stage)
        if pos is not None:
            col.select_index(pos)
        if focus and self.focused is focused_before:
            col.focus()

    # --- notes ------------------------------------------------------------------------------

    def _flush_note(self) -> None:
        if not self._rest_mounted:
            return
        pending = self.notes.take_pending()
        if pending is not None:
            self.save_note(*pending)

    def on_notes_pane_save_wanted(self, event: NotesPane.SaveWanted) -> None:
        self.save_note(event.draft, event.text)

    # A description, or Textual describes the worker with repr() of its arguments: 26 ms per 1 MB note.
    @work(group="save-note", exit_on_error=False, description="save a note")
    async def save_note(self, draft: NoteDraft, text: str) -> None:
        """Save on the database thread, waiting for another writer; a refused note is kept (the app's
        :meth:`~..app.InfointApp.save_patiently`)."""
        result = await self.app_.save_patiently(draft, text, self.say)
        if result is not None and result.conflict:
            self.say("This note was also changed in another window: your text was kept as a new note, "
                     "nothing was overwritten.", "warning")

    def flush_sync(self) -> None:
        """Save typed text now, blocking: the last thing before the process ends.

        Raises:
            NoteNotSaved: the database did not take it (it was kept in a recovery file).
        """
        from ..widgets.notes import NoteDraft

        if self.typeahead.for_notes and self.selected_id is not None:  # typed before the notes pane was there
            text = "".join(self.typeahead.take_notes() or ())
            if text.strip():
                self.app_.save_sync(NoteDraft(self.selected_id), text)
        if not self._rest_mounted:
            return
        pending = self.notes.take_pending()
        if pending is not None and self.app_.db is not None:
            self.app_.save_sync(*pending)

    @work(group="recovered", exit_on_error=False, description="restore recovered notes")
    async def restore_recovered(self) -> None:
        """Save the notes kept in recovery files last time (the database could not take them then), and
        say so; any the database still refuses stay in their files, and the user is told where."""
        from ... import recovery

        await self.app_.store_ready()
        store = self.app_.store
        if str(store.path) == ":memory:":
            return
        waiting = await asyncio.to_thread(recovery.pending, store.path)
        if not waiting:
            return
        names: list[str] = []
        failed: InfointError | None = None
        for kept in waiting:
            try:
                name = await self.app_.db.call(_restore_one, store, kept)
            except InfointError as err:
                failed = err
                continue
            recovery.discard(kept.path)
            names.append(name)
        if names:
            who = ", ".join(dict.fromkeys(names))
            self.say(f"Recovered {len(names)} note{'s' if len(names) > 1 else ''} that could not be saved last "
                     f"time; now saved in the notes of {who}.", "warning")
        if failed is not None:
            self.say(f"Notes kept from last time still cannot be saved: {failed} They stay in "
                     f"{recovery.folder(store.path)}.", "error")
        if names and self.selected_id is not None:
            self.load_detail(self.selected_id)

    def on_earlier_notes_open_wanted(self, event: EarlierNotes.OpenWanted) -> None:
        self.open_note_whole(event.note)

    # A description, or Textual describes the worker with repr() of its arguments: 26 ms per 1 MB note.
    @work(group="open-note", exit_on_error=False, description="open a note in $EDITOR")
    async def open_note_whole(self, note: Note) -> None:
        """An earlier note, whole, in $EDITOR (it may be too large to show here); what comes back is saved
        into it (as a new note if it changed elsewhere meanwhile, like any save)."""
        from ..external_editor import edit_externally

        text = edit_externally(self.app, note.text)
        self.notes.editor.focus()
        if text is None or text == note.text:
            return
        if not text.strip():
            self.say("The note came back empty: it was left as it was.", "warning")
            return
        try:
            result = await self.app_.db.call(self.app_.store.save_note, note.contact_id, note.id, text,
                                             note.version, note.meeting_id)
        except InfointError as err:
            self.say(f"The note was NOT saved: {err}", "error")
            return
        if result.conflict:
            self.say("This note was also changed in another window: your text was kept as a new note, "
                     "nothing was overwritten.", "warning")
        if self.selected_id == note.contact_id:
            self.load_detail(note.contact_id)

    def on_note_editor_leave(self) -> None:
        self.notes.save()
        self.action_pane(self._previous_pane)

    @work(exit_on_error=False)
    async def action_continue_note(self) -> None:
        """Go on typing in the person's latest note."""
        cid = self._selected()
        if cid is None or not self._ready(self.action_continue_note):
            return
        detail = await self.app_.db.call(self.app_.store.detail, cid)
        if not detail.notes:
            self.say("No earlier note to continue.")
            return
        self._flush_note()
        self.action_pane("notes")
        self.notes.continue_note(detail.notes[0])
        self.notes.update_detail(detail)

    def _board_visible(self) -> bool:
        return not self.has_class("-narrow") or self.active_pane == "board"

    def _notes_visible(self) -> bool:
        return not self.has_class("-narrow") or self.active_pane == "notes"

    def _catch_up_notes(self) -> None:
        """Show the selected person in the notes pane if it fell behind while hidden."""
        sid = self.selected_id
        draft = self.notes.draft
        if sid is not None and (draft is None or draft.contact_id != sid):
            self.notes.begin(sid)
            self.load_detail(sid)

    def go_to(self, contact_id: int) -> None:
        """Select a person (from "go to person…") and show them in the list."""
        self.selected_id = contact_id
        self.action_pane("contacts")

    # --- panes ------------------------------------------------------------------------------

    def watch_active_pane(self, old: str, new: str) -> None:
        for p in PANES:
            self.query_one(f"#{p}").set_class(p == new, "-active")
        if old != "notes":
            self._previous_pane = old
        self._update_topbar()

    def action_pane(self, pane: str) -> None:
        if not self._ready(self.action_pane, pane):
            if pane == "notes":
                self.typeahead.wait_for_notes()  # what is typed until the editor is there goes into it
            return
        self.active_pane = pane
        if pane == "contacts":
            self.contact_list.focus()
            if self.selected_id is not None:
                self.follow_selection(self.selected_id, "list")
        elif pane == "board":
            if self._board_stale:
                self._board_stale = False
                self.load_board()
            col = self.board.focused_column or self.board.column(Stage.TO_CONTACT)
            col.focus()
            if self.selected_id is not None:
                self.follow_selection(self.selected_id, "board", focus=True)
        else:
            self._catch_up_notes()
            self.set_focus(self.notes.editor)  # now: the next key typed goes to the editor
            typed = self.typeahead.take_notes()
            if typed:
                self.notes.editor.insert("".join(typed))

    def action_next_pane(self) -> None:
        self.action_pane(PANES[(PANES.index(self._pane_of_focus()) + 1) % len(PANES)])

    def action_prev_pane(self) -> None:
        self.action_pane(PANES[(PANES.index(self._pane_of_focus()) - 1) % len(PANES)])

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Light the border of the pane that has the focus (a class: see app.tcss)."""
        pane = self._pane_of_focus()
        for name in PANES:
            self.query_one(f"#{name}").set_class(name == pane, "-focus")

    def _pane_of_focus(self) -> str:
        node = self.focused
        while node is not None:
            if node.id in PANES:
                return node.id  # type: ignore[return-value]
            node = node.parent  # type: ignore[assignment]
        return self.active_pane

    def on_stage_column_column_requested(self, event: StageColumn.ColumnRequested) -> None:
        i = event.column.stage.index + event.delta
        if 0 <= i < len(ORDER):
            self.board.column(ORDER[i]).focus()

    # --- search -------------------------------------------------------------------------------

    def action_search(self) -> None:
        self.active_pane = "contacts"
        search = self.query_one("#search", SearchBox)
        search.focus()
        ahead = self.typeahead.take_search()
        if ahead:  # typed in the same read as the "/" (on_key)
            search.take_typed("".join(ahead))

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.flt = replace(self.flt, query=event.value)
        self.load_everything()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.contact_list.focus()

    def on_key(self, event: events.Key) -> None:
        if self.typeahead.keep(event):
            return  # text for the notes pane or the search box, not a command (typeahead.py)
        search = self.query_one("#search", Input)
        if event.key == "slash" and not search.has_focus:
            self.typeahead.slash_read()  # until action_search (the binding, run after this) takes them
        elif event.is_printable and self._opens_notes(event.key):
            # "3" and the text typed after it, read together (a fast typist, a slow link, a paste of keys):
            # Textual hands every key of the read to the list before the binding's action moves the focus,
            # and the text acted as commands ("c" started a call, "e" opened a form). They wait for the
            # editor instead, as the keys read with a "/" wait for the search box.
            self.typeahead.wait_for_notes()
        elif event.key == "enter" and isinstance(self.focused, VirtualList) and self.focused.current is not None:
            # Enter opens the person's notes (the list's binding, run after this, posts Opened): the keys read
            # until the notes pane takes the focus are text for it, not commands for the list ("t" opened Today).
            self.typeahead.wait_for_notes()
        elif event.key == "escape" and search.has_focus:
            # Clear and leave: left in the box, the list's keys (j, e, d…) typed next became query text.
            event.stop()
            search.value = ""
            self.contact_list.focus()
        elif event.key == "down" and search.has_focus:
            event.stop()
            self.contact_list.focus()

    def _opens_notes(self, key: str) -> bool:
        """Whether ``key`` is bound to the notes pane (a keymap can move it off "3").

        Asked for every printable key the screen sees (j/k in the list among them), so the keys are
        worked out once per keymap instead of looking in the bindings in force, which copies the whole
        binding chain (0.04 ms a key: small, but paid on every list move)."""
        keymap = self.app._keymap  # the keymap in force: Textual (pinned) has no public getter
        if self._notes_keys is None or self._notes_keys[0] is not keymap:
            bindings = self._bindings.copy()
            if keymap:
                bindings.apply_keymap(keymap)
            keys = frozenset(k for k, found in bindings.key_to_bindings.items()
                             if any(b.action == "pane('notes')" for b in found))
            self._notes_keys = (keymap, keys)
        return key in self._notes_keys[1]

    def _focused_editor(self) -> TextArea | None:
        """The note editor if it is there and has the focus."""
        if self._rest_mounted and self.focused is self.notes.editor:
            return self.notes.editor
        return None

    # --- writing --------------------------------------------------------------------------------

    def _selected(self) -> int | None:
        """The person an action acts on: the one highlighted in the pane that has the focus (None, said
        so, when there is no one there)."""
        cid = self._acting_on()
        if cid is None:
            self.say("No one selected: pick a person in the list (↑/↓) first.")
        return cid

    def _acting_on(self) -> int | None:
        """The person highlighted in the focused list or board column (the selection follows it); from
        the notes pane or the search box, the selection, which a filter never leaves hidden
        (:meth:`_show_list`)."""
        focused = self.focused
        if isinstance(focused, VirtualList):
            if not focused.total:
                return None
            item = focused.current
            if item is not None:
                if item.id != self.selected_id:
                    self.selected_id = item.id
                return item.id
        return self.selected_id

    async def _write(self, fn, *args, done: str = "", **kwargs):  # type: ignore[no-untyped-def]
        """Run a store command; show its error instead of raising. Returns None on failure."""
        try:
            result = await self.app_.db.call(fn, *args, **kwargs)
        except InfointError as err:
            self.say(str(err), "error")
            return None
        if done:
            self.say(done)
        self._data_version = None
        self.load_everything()
        return result


def _board(now: datetime | None) -> PipelineBoard:
    from ..widgets.board import PipelineBoard

    return PipelineBoard(now=now, id="pipeline")


def _is_column(widget: object) -> bool:
    from ..widgets.board import StageColumn

    return isinstance(widget, StageColumn)
