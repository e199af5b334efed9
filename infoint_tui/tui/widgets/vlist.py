"""VirtualList: a paged, virtualized list drawn with the Line API.

Only the visible rows are rendered, and only the pages of rows that scroll into
view are fetched from the store (see shared/PERFORMANCE.md: ListView, OptionList
and DataTable with every row loaded do not scale to 100,000 people). A cursor
move repaints the two rows involved, not the whole widget, so it costs a few
hundred bytes over SSH.

The list never talks to the store: it posts ``PageWanted`` and its owner answers
with :meth:`set_page` (attributes down, messages up).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...domain.listing import Summary


def fit(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` cells with an ellipsis (CJK and emoji count double)."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1) + "…"


def fit_pad(text: str, width: int, right: bool = False) -> str:
    """:func:`fit`, then padded with spaces to exactly ``width`` cells (left- or right-aligned)."""
    text = fit(text, width)
    pad = " " * max(0, width - cell_len(text))
    return pad + text if right else text + pad


class _Look(NamedTuple):
    """What every line of one repaint of a list depends on besides its own row."""

    width: int
    top: int
    thumb_start: int
    thumb_end: int
    base: Style
    focused: bool
    cursor: int
    marked_id: int | None
    minute: int


class VirtualList(ScrollView, can_focus=True):
    """A list of people, fetched page by page as it scrolls."""

    PAGE: ClassVar[int] = 100
    """Rows per fetched page."""
    ITEM_HEIGHT: ClassVar[int] = 1
    """Lines per item (cards take several)."""
    INLINE_SCROLLBAR: ClassVar[bool] = False
    """Draw the scrollbar as the last cell of each line instead of Textual's scrollbar widget (its CSS
    must then set ``scrollbar-size-vertical: 0``): a widget of its own costs a second render per
    change, ~2 ms each on a card move. It is not draggable with the mouse; the wheel scrolls."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor(1)", "Down", show=False, id="list.down"),
        Binding("up,k", "cursor(-1)", "Up", show=False, id="list.up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="list.page-down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="list.page-up"),
        Binding("home,g", "first", "First", show=False, id="list.first"),
        Binding("end,G", "last", "Last", show=False, id="list.last"),
        Binding("enter", "open", "Open", show=False, id="list.open", tooltip="Open the person's notes"),
    ]
    """Movement keys shared by the contact list and the board columns (arrows and vim keys)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "vlist--cursor", "vlist--cursor-focus", "vlist--dim", "vlist--placeholder", "vlist--empty",
        "vlist--to-contact", "vlist--scheduled", "vlist--met", "vlist--thanked",
        "vlist--due", "vlist--asked", "vlist--meeting", "vlist--name",
    }

    cursor: reactive[int] = reactive(0, repaint=False, init=False)
    """Index of the highlighted item."""

    @dataclass
    class Highlighted(Message):
        """The cursor rests on a (loaded) person."""

        vlist: VirtualList
        item: Summary

        @property
        def control(self) -> VirtualList:
            return self.vlist

    class Opened(Highlighted):
        """Enter on a person."""

    @dataclass
    class PageWanted(Message):
        """Rows ``page * PAGE`` onwards scrolled into view and are not loaded yet."""

        vlist: VirtualList
        page: int
        generation: int

        @property
        def control(self) -> VirtualList:
            return self.vlist

    def __init__(self, *, empty_text: str = "Nobody here.", id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.total = 0
        self.empty_text = empty_text
        self.generation = 0
        """Bumped by every reset, so answers to stale page requests are dropped."""
        self._pages: dict[int, list[Summary]] = {}
        self._wanted: set[int] = set()
        self._style_memo: dict[str, Style] = {}
        self._strips: dict[tuple[object, ...], Strip] = {}
        """Drawn lines by (person, line of the item, width, cursor look, minute); cleared with the styles."""
        self.marked_id: int | None = None
        """The person selected anywhere in the app."""

    # --- data -----------------------------------------------------------------------------

    def reset(self, total: int, first_page: list[Summary], keep_id: int | None = None,
              keep_index: int | None = None, pages: dict[int, list[Summary]] | None = None) -> None:
        """New contents: ``total`` rows, of which page 0 is given.

        The cursor goes to ``keep_index`` if given, else stays on ``keep_id`` if it is in
        page 0, else where it was (clamped), so a refresh never loses the user's place.
        ``pages`` may bring other pages already loaded (the one around ``keep_index``).
        """
        before = self._on_screen()
        self.generation += 1
        self.total = total
        self._pages = {0: first_page, **(pages or {})}
        self._wanted = set()
        self._set_height(total * self.ITEM_HEIGHT)
        target = keep_index if keep_index is not None else self.cursor
        if keep_id is not None and keep_index is None:
            for i, item in enumerate(first_page):
                if item.id == keep_id:
                    target = i
                    break
        target = max(0, min(target, total - 1)) if total else 0
        self._style_memo.clear()
        if target != self.cursor:
            self.set_reactive(VirtualList.cursor, target)
        self._scroll_cursor_into_view()
        self._repaint_changes(before)
        self._announce()

    def _on_screen(self) -> tuple[int, bool, list[object]]:
        """What the view shows, row by row: (scroll position, empty, each row's person and whether the
        cursor is on it; "end" past the last row)."""
        h, top = self.ITEM_HEIGHT, self.scroll_offset.y
        rows: list[object] = []
        for i in range(top // h, (top + self.size.height) // h + 1):
            rows.append((self.item(i), i == self.cursor) if i < self.total else "end")
        return top, not self.total, rows

    def _repaint_changes(self, before: tuple[int, bool, list[object]]) -> None:
        """Repaint the rows that show something else now. Typing a search often leaves the first
        screenful as it was (a longer word, the same people): then nothing is sent for the list."""
        after = self._on_screen()
        if before[:2] != after[:2] or after[1] or len(before[2]) != len(after[2]):
            self.refresh()
            return
        first = after[0] // self.ITEM_HEIGHT
        for i, (was, now) in enumerate(zip(before[2], after[2], strict=True)):
            if was != now:
                self._refresh_item(first + i)

    def _set_height(self, height: int) -> None:
        """Set the scrollable height. When the scrollbar stays (or stays away), only its thumb is
        repainted: assigning ``virtual_size`` would lay the whole screen out again, which on a
        card move (one column a card shorter, another a card longer) cost two layout passes."""
        new = Size(self.size.width, height)
        if new == self.virtual_size:
            return
        view = self.size.height
        if self.is_mounted and view and (self.virtual_size.height > view) == (height > view):
            self.set_reactive(VirtualList.virtual_size, new)
            self._scroll_update(new)  # Textual's own scrollbar update (pinned Textual: see pyproject)
        else:
            self.virtual_size = new

    def set_page(self, page: int, rows: list[Summary], generation: int) -> None:
        """The answer to a ``PageWanted``."""
        if generation != self.generation:
            return
        old = self._pages.get(page)
        self._pages[page] = rows
        self._wanted.discard(page)
        if old is not None and len(old) == len(rows):
            # A refresh of a page already shown: repaint only the rows that changed.
            for i, (a, b) in enumerate(zip(old, rows, strict=True)):
                if a != b:
                    self._refresh_item(page * self.PAGE + i)
            return
        # Keep memory flat at 100k rows: only pages near the view stay cached.
        near = self.cursor // self.PAGE
        for p in [p for p in self._pages if abs(p - near) > 3 and p != 0]:
            del self._pages[p]
        self.refresh()
        self._announce()

    def index_of(self, contact_id: int) -> int | None:
        """Where ``contact_id`` is among the loaded rows, if it is."""
        for page, rows in self._pages.items():
            for i, row in enumerate(rows):
                if row.id == contact_id:
                    return page * self.PAGE + i
        return None

    def remove_at(self, index: int) -> None:
        """Take the row at ``index`` out (a card moved to another column), without a trip to the store:
        the rows below move up, and a page left short is fetched again if it scrolls into view."""
        known = self._known()
        known.pop(index, None)
        self._edited({(i - 1 if i > index else i): row for i, row in known.items()}, self.total - 1, index)

    def insert_at(self, index: int, item: Summary) -> None:
        """Put ``item`` in at ``index`` (a card moved in), the rows from there on one further down."""
        known = {(i + 1 if i >= index else i): row for i, row in self._known().items()}
        known[index] = item
        self._edited(known, self.total + 1, index)

    def replace(self, item: Summary) -> None:
        """Show ``item`` in place of the loaded row with its id (its stage changed, say)."""
        index = self.index_of(item.id)
        if index is not None and self.item(index) != item:
            self._pages[index // self.PAGE][index % self.PAGE] = item
            self._refresh_item(index)

    def _known(self) -> dict[int, Summary]:
        return {page * self.PAGE + i: row for page, rows in self._pages.items() for i, row in enumerate(rows)}

    def _edited(self, known: dict[int, Summary], total: int, index: int) -> None:
        """Pages again from rows by index after an insert or a removal at ``index``: a page keeps only
        the run of rows known from its start, so a row is never shown out of place."""
        self.generation += 1  # answers to requests made before count rows from the old offsets
        self._wanted = set()
        self.total = total
        pages: dict[int, list[Summary]] = {}
        for page in sorted({i // self.PAGE for i in known}):
            rows = []
            for i in range(page * self.PAGE, min((page + 1) * self.PAGE, total)):
                row = known.get(i)
                if row is None:
                    break
                rows.append(row)
            if rows:
                pages[page] = rows
        self._pages = pages
        self._set_height(total * self.ITEM_HEIGHT)
        if self.cursor >= total:
            self.set_reactive(VirtualList.cursor, max(0, total - 1))
        top = index * self.ITEM_HEIGHT - self.scroll_offset.y  # every row from the edit down moved
        if top < self.size.height:
            top = max(0, top)
            self.refresh(Region(0, top, self.size.width, self.size.height - top))

    def item(self, index: int) -> Summary | None:
        """The person at ``index``, if loaded."""
        page = self._pages.get(index // self.PAGE)
        if page is None:
            return None
        offset = index % self.PAGE
        return page[offset] if offset < len(page) else None

    @property
    def current(self) -> Summary | None:
        """The person under the cursor, if loaded."""
        return self.item(self.cursor) if self.total else None

    def select_index(self, index: int) -> None:
        """Move the cursor (used to follow a selection made elsewhere)."""
        if self.total:
            self.cursor = max(0, min(index, self.total - 1))

    def _want(self, page: int) -> None:
        rows = self._pages.get(page)
        complete = rows is not None and len(rows) >= min(self.PAGE, self.total - page * self.PAGE)
        if not complete and page not in self._wanted and page * self.PAGE < self.total:
            self._wanted.add(page)
            self.post_message(self.PageWanted(self, page, self.generation))

    # --- movement ---------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_item(old)
        self._refresh_item(new)
        self._scroll_cursor_into_view()
        self._announce()

    def _announce(self) -> None:
        item = self.current
        if item is not None:
            self.post_message(self.Highlighted(self, item))
        elif self.total:
            self._want(self.cursor // self.PAGE)

    def _refresh_item(self, index: int) -> None:
        top = index * self.ITEM_HEIGHT - self.scroll_offset.y
        if -self.ITEM_HEIGHT < top < self.size.height:
            self.refresh(Region(0, top, self.size.width, self.ITEM_HEIGHT))

    def _scroll_cursor_into_view(self) -> None:
        """Scroll just enough to show the cursor item, in whole items (no card cut in half at the top)."""
        if not self.total:
            return
        h = self.ITEM_HEIGHT
        top, height = self.scroll_offset.y, max(self.size.height, h)
        first, last = self.cursor * h, (self.cursor + 1) * h
        if first < top:
            target = first
        elif last > top + height:
            target = -(-(last - height) // h) * h  # round up to a whole item
        else:
            return
        self.scroll_to(y=target, animate=False, immediate=True)

    def action_cursor(self, delta: int) -> None:
        if self.total:
            self.cursor = max(0, min(self.cursor + delta, self.total - 1))

    def action_page(self, direction: int) -> None:
        rows = max(1, self.size.height // self.ITEM_HEIGHT - 1)
        self.action_cursor(direction * rows)

    def action_first(self) -> None:
        self.action_cursor(-self.total)

    def action_last(self) -> None:
        self.action_cursor(self.total)

    def action_open(self) -> None:
        item = self.current
        if item is not None:
            self.post_message(self.Opened(self, item))

    def on_click(self, event: events.Click) -> None:
        index = (event.y + self.scroll_offset.y) // self.ITEM_HEIGHT
        if 0 <= index < self.total:
            self.cursor = index

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, self.total * self.ITEM_HEIGHT)
        self._forget_looks()
        self._scroll_cursor_into_view()  # a list shown for the first time has its size only now

    def watch_has_focus(self, has_focus: bool) -> None:
        """Textual restyles a widget and its scrollbars whenever it gains or loses the focus; nothing in
        a list's CSS depends on ``:focus`` (its cursor row has a component style of its own,
        ``vlist--cursor-focus``), so that is skipped: on a card move it restyled two columns and
        repainted their scrollbars (~4 ms and a frame's worth of bytes)."""

    def on_focus(self) -> None:
        self._refresh_item(self.cursor)

    def on_blur(self) -> None:
        self._refresh_item(self.cursor)

    # --- drawing ----------------------------------------------------------------------------

    def _forget_looks(self) -> None:
        self._style_memo.clear()
        self._strips.clear()

    def style_of(self, name: str) -> Style:
        """A component style, cached per theme and size change."""
        style = self._style_memo.get(name)
        if style is None:
            style = self._style_memo[name] = self.get_component_rich_style(f"vlist--{name}", partial=True)
        return style

    def notify_style_update(self) -> None:
        self._forget_looks()
        super().notify_style_update()

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines in ``crop`` as :meth:`render_line` draws them (they are cached by what they show).

        Textual's own path (its styles cache) composes borders, padding, outline, tint and opacity
        around every line anew, ~40 µs a line: a card move repaints some seventy. A list has none of
        them, so its lines go out as drawn, with the app's filters applied as Textual would; with
        any of them set in CSS, Textual's path draws it. A test checks the two paths draw the same."""
        styles = self.styles
        if (any(styles.gutter) or any(edge for edge, _ in styles.outline) or styles.tint.a
                or styles.text_opacity != 1.0 or self.opacity != 1.0
                or (styles.has_rule("hatch") and styles.hatch != "none")):
            return super().render_lines(crop)
        width = self.region.width  # Textual's scrollbar, if any, is in the region and drawn over it
        _, background = self.background_colors
        filters = self.app.get_line_filters()
        look = self._look()  # once for all the lines: Textual computes sizes anew on every read
        strips = []
        for y in crop.line_range:
            strip = self._content_line(y, look)
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            strips.append(strip)
        x1, x2 = crop.column_span
        if (x1, x2) != (0, width):
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips

    def render_line(self, y: int) -> Strip:
        return self._content_line(y, self._look())

    def _look(self) -> _Look:
        """What every line of one repaint depends on besides its own row."""
        size, top = self.size, self.scroll_offset.y
        start, end = self._thumb(size.height, top) if self.INLINE_SCROLLBAR else (0, 0)
        base = self._style_memo.get("")  # computing rich_style walks the ancestors
        if base is None:
            base = self._style_memo[""] = self.rich_style
        return _Look(size.width, top, start, end, base, self.has_focus, self.cursor, self.marked_id,
                     int(time.time() // 60))

    def _thumb(self, view: int, top: int) -> tuple[int, int]:
        """The lines of the view that the inline scrollbar's thumb covers (none if all fits)."""
        height = self.total * self.ITEM_HEIGHT
        if height <= view or view <= 0:
            return 0, 0
        size = max(1, view * view // height)
        start = round(top * (view - size) / (height - view))
        return start, start + size

    def _with_bar(self, strip: Strip, width: int, bar: str) -> Strip:
        if not bar:
            return strip
        return Strip.join([strip.crop(0, width - 1), Strip([Segment(" ", self._bar_style(bar))], 1)])

    def _bar_style(self, part: str) -> Style:
        style = self._style_memo.get(part)
        if style is None:
            styles = self.styles
            color = styles.scrollbar_color if part == "thumb" else styles.scrollbar_background
            if color.a < 1:
                color = self.background_colors[1] + color
            style = self._style_memo[part] = Style(bgcolor=color.rich_color)
        return style

    def _content_line(self, y: int, look: _Look) -> Strip:
        width, base = look.width, look.base
        # No bar when everything fits (or when Textual draws the scrollbar); else the last cell, as
        # Textual's scrollbar took it (drawn over the card's right margin).
        start, end = look.thumb_start, look.thumb_end
        bar = "" if start == end else "thumb" if start <= y < end else "track"
        if not self.total:
            if y == 1:
                return Strip([Segment(fit("  " + self.empty_text, width), base + self.style_of("empty"))]
                             ).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        index, sub = divmod(y + look.top, self.ITEM_HEIGHT)
        if index >= self.total:
            return self._with_bar(Strip.blank(width, base), width, bar)
        item = self.item(index)
        if item is None:
            self._want(index // self.PAGE)
            text = "  …" if sub == 0 else ""
            return self._with_bar(Strip([Segment(text, base + self.style_of("placeholder"))]
                                        ).adjust_cell_length(width, base), width, bar)
        # Focused: the cursor row. Unfocused: only the person selected elsewhere, so that every pane
        # points at the same person and stale cursors in other columns do not compete.
        lit = index == look.cursor and (look.focused or item.id == look.marked_id)
        cursor = ("cursor-focus" if look.focused else "cursor") if lit else ""
        # Lines are kept by what they show: a scroll or a card move shifts rows that were drawn
        # already. The minute is part of the key, for badges such as "5m in stage".
        key = (item, sub, width, cursor, bar, look.minute)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > 4000:
                self._strips.clear()
            style = base + self.style_of(cursor) if cursor else base
            strip = Strip(self.render_item(item, sub, width, style)).adjust_cell_length(width, style)
            strip = self._strips[key] = self._with_bar(strip, width, bar)
        return strip

    def mark(self, contact_id: int | None) -> None:
        """Highlight ``contact_id`` (the selection) even while this list has no focus."""
        if contact_id != self.marked_id:
            self.marked_id = contact_id
            if not self.has_focus:  # a focused list lights its cursor row anyway: no second frame
                self._refresh_item(self.cursor)

    def render_item(self, item: Summary, line: int, width: int, style: Style) -> list[Segment]:
        """The segments of line ``line`` of ``item``; every piece of user text is a literal Segment."""
        raise NotImplementedError
