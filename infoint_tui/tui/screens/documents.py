"""The company dossier and the outreach draft editor."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Static, TextArea

from ...domain.errors import InfointError
from ...domain.model import Contact
from ...domain.outreach import TEMPLATES, default_template, kind_for_template, lint, render, variables
from ...exchange.files import OutputExists, write_private
from ..failures import WorkerFailures
from ..text import person, safe_block
from ..widgets.notes import SafeTextArea
from .forms import ConfirmModal, FormModal

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from textual.app import App
    from textual.widget import Widget

    from ..app import InfointApp


async def write_asking(app: App[Any], path: Path, text: str) -> Path | None:
    """Write ``text`` to ``path`` (0600, never through a link); if the file exists, ask before replacing it.
    Returns the path written, or None when the user kept the existing file.

    Raises:
        InfointError: the path cannot be written (a missing folder, a folder, a link...), in one line.
    """
    try:
        return await asyncio.to_thread(write_private, path, text)
    except OutputExists:
        if not await app.push_screen_wait(ConfirmModal(Content(f"{path} already exists. Replace it?"))):
            return None
    return await asyncio.to_thread(write_private, path, text, force=True)


class PathModal(FormModal[Path]):
    """Ask for a file to write, or, with ``must_exist``, one to read (an import)."""

    HINT = "The file is created readable by you only (0600)."

    def __init__(self, title: str, default: str, *, must_exist: bool = False) -> None:
        super().__init__(Content(title))
        self.default = default
        self.must_exist = must_exist
        if must_exist:  # a file read: nothing is created or saved here
            self._hint = "Nothing is written yet: what would change is shown first, to confirm."
            self.SUBMIT = "Read"

    def fields(self) -> Iterable[Widget]:
        yield from self.row("path", "File", self.default)

    async def validate(self) -> Path | None:
        from ...domain.errors import Invalid

        raw = self.value("path").strip()
        if not raw:
            raise Invalid("path", f"is empty; give a file name such as {self.default}.")  # the one offered
        path = Path(raw).expanduser()  # noqa: ASYNC240 (one stat of a typed path)
        if path.is_dir():
            raise Invalid("path", f"{path} is a folder; add a file name.")
        if not path.parent.is_dir():
            raise Invalid("path", f"the folder {path.parent} does not exist.")
        if self.must_exist and not path.is_file():
            raise Invalid("path", f"there is no file {path}.")
        return path


EXTENSIONS = {"json": ".json", "csv": ".csv", "vcard": ".vcf", "ics": ".ics", "md": ".md"}
"""The file name's ending for each export format."""


class ExportModal(FormModal[tuple[str, Path]]):
    """Choose a format and a file to export to; the file's ending follows the format."""

    TITLE_TEXT = "Export"
    HINT = "Formats: json (everything), csv, vcard, ics (meetings and follow-ups), md. Files are 0600."
    SUBMIT = "Export"

    def fields(self) -> Iterable[Widget]:
        yield from self.row("format", "Format", "json", suggestions=list(EXTENSIONS))
        yield from self.row("path", "File", "~/infoint-export.json")

    _offered = "~/infoint-export.json"
    """The file name last offered here: only that one follows the format (one the user typed is theirs)."""

    @on(Input.Changed, "#f-format")
    def _format_changed(self, event: Input.Changed) -> None:
        ending = EXTENSIONS.get(event.value.strip().lower())
        path = self.query_one("#f-path", Input)
        if ending and path.value == self._offered:
            self._offered = path.value = path.value.rpartition(".")[0] + ending

    async def validate(self) -> tuple[str, Path] | None:
        from ...domain.errors import Invalid

        fmt = self.value("format").strip().lower()
        if fmt not in ("json", "csv", "vcard", "ics", "md"):
            raise Invalid("format", f"'{fmt}' is not one of: json, csv, vcard, ics, md.")
        raw = self.value("path").strip()
        if not raw:
            raise Invalid("path", "is empty; give a file name.")
        path = Path(raw).expanduser()  # noqa: ASYNC240 (one stat of a typed path)
        if path.is_dir() or not path.parent.is_dir():
            raise Invalid("path", f"{path} is not a file in an existing folder.")
        return fmt, path


class DossierScreen(WorkerFailures, Screen[None]):
    """Everyone at a company: people, dates, major points, open follow-ups (read-only Markdown text)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Back", id="dossier.back"),
        Binding("ctrl+s", "save", "Save as…", id="dossier.save", tooltip="Write the dossier to a Markdown file"),
        Binding("j,down", "scroll(1)", show=False, id="dossier.down"),
        Binding("k,up", "scroll(-1)", show=False, id="dossier.up"),
        Binding("space,pagedown", "page(1)", show=False, id="dossier.page-down"),
        Binding("b,pageup", "page(-1)", show=False, id="dossier.page-up"),
    ]

    def __init__(self, company: str) -> None:
        super().__init__()
        self.company = company
        self.markdown = ""

    @property
    def app_(self) -> InfointApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dossier"):
            yield Static(Content("Loading…"), id="dossier-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#dossier").focus()
        self.load()

    @work(exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        from ...exchange.markdown import dossier

        store, db = self.app_.store, self.app_.db
        try:
            name, people = await db.call(store.company_people, self.company)
            followups = await db.call(store.followups, [d.contact.id for d in people])
        except InfointError as err:
            self.notify(str(err), severity="error", markup=False)
            self.dismiss(None)
            return
        self.markdown = dossier(name, people, followups, store.clock())  # what Ctrl+S writes
        shown = dossier(name, people, followups, store.clock(), escape=False)  # read as it is: no backslashes
        self.query_one("#dossier-text", Static).update(Content(safe_block(shown)))

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, lines: int) -> None:
        self.query_one("#dossier").scroll_relative(y=lines, animate=False)

    def action_page(self, pages: int) -> None:
        box = self.query_one("#dossier")
        box.scroll_relative(y=pages * max(1, box.size.height - 2), animate=False)

    @work(exit_on_error=False)
    async def action_save(self) -> None:
        slug = "".join(ch if ch.isalnum() else "-" for ch in self.company.lower()).strip("-") or "company"
        path = await self.app.push_screen_wait(PathModal("Save the dossier as", f"~/{slug}-dossier.md"))
        if path is not None:
            try:
                written = await write_asking(self.app, path, self.markdown)
            except (InfointError, OSError) as err:
                self.notify(f"Could not write {path}: {err}", severity="error", markup=False)
                return
            if written is not None:
                self.notify(f"Wrote {written}", markup=False)


async def open_draft(app: InfointApp, contact_id: int) -> None:
    """The draft screen for a person (the thank-you when one is due), until it is closed."""
    store, db = app.store, app.db
    contact = await db.call(store.contact, contact_id)
    pitch = await db.call(store.pitch)
    my_name = await db.call(store.setting, "my_name")
    due = any(f.rule == "thank-you" for f in await db.call(store.followups, [contact_id]))
    templates = None
    if app.user_files is not None:  # the user's own templates, beside the config file
        from ... import userfiles

        loaded = await asyncio.to_thread(userfiles.load_templates, app.user_files)
        templates = loaded.value
        if loaded.problems:
            app.notify("\n".join(loaded.problems), title="Your templates", severity="warning", timeout=12,
                       markup=False)
    await app.push_screen_wait(DraftScreen(contact, pitch, my_name, thank_you_due=due, templates=templates))


class DraftScreen(WorkerFailures, Screen[None]):
    """An outreach draft from a template, checked live against the method."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "next_template", "Template", id="draft.template", priority=True,
                tooltip="Start again from the next template"),
        Binding("ctrl+o", "copy", "Copy", id="draft.copy", priority=True,
                tooltip="Copy to the clipboard (OSC 52: works over SSH)"),
        Binding("ctrl+s", "save", "Save as…", id="draft.save", priority=True, tooltip="Write the draft to a file"),
        Binding("ctrl+g", "sent", "Mark sent", id="draft.sent", priority=True,
                tooltip="Log it as sent: starts the follow-up clock"),
        Binding("escape", "close", "Back", id="draft.back"),
    ]

    def __init__(self, contact: Contact, pitch: str, my_name: str = "", *, thank_you_due: bool = False,
                 templates: Mapping[str, str] | None = None) -> None:
        """``thank_you_due``: the draft starts from the thank-you template (a call was held, not yet thanked).
        ``templates``: the templates in force by name (the user's files over the shipped ones; None: shipped)."""
        super().__init__()
        self.contact = contact
        self.pitch = pitch
        self.my_name = my_name
        self.texts: Mapping[str, str] = TEMPLATES if templates is None else templates
        self.templates = list(self.texts)
        self.template = default_template(contact, thank_you_due)

    @property
    def app_(self) -> InfointApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with Vertical(id="draft"):
            yield Static("", id="draft-title")
            with Horizontal(id="draft-body"):
                yield SafeTextArea(self._template_text(), id="draft-text", soft_wrap=True, tab_behavior="focus")
                yield Static("", id="draft-checks")
        yield Footer()

    def _template_text(self) -> str:
        return render(self.texts[self.template], variables(self.contact, self.pitch, self.my_name))

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()
        self._update()

    @on(TextArea.Changed)
    def _update(self) -> None:
        text = self.query_one(TextArea).text
        self.query_one("#draft-title", Static).update(Content.assemble(
            ("Draft to ", "$text-muted"), (person(self.contact.name), "bold"),
            (f"  · template: {self.template}", "$text-muted")))
        checks = lint(text, self.contact.referred_by_name, self.template)
        self.query_one("#draft-checks", Static).update(Content("\n").join(
            Content.assemble(("✓ " if c.ok else "✗ ", "$text-success" if c.ok else "$text-error"), c.message)
            for c in checks))

    def action_next_template(self) -> None:
        self.template = self.templates[(self.templates.index(self.template) + 1) % len(self.templates)]
        self.query_one(TextArea).load_text(self._template_text())
        self._update()  # the checks follow the template even when its text is the same

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.query_one(TextArea).text)
        self.notify("Copied to the clipboard (your terminal must allow OSC 52).", markup=False)

    @work(exit_on_error=False)
    async def action_save(self) -> None:
        path = await self.app.push_screen_wait(PathModal("Save the draft as", "~/outreach-draft.txt"))
        if path is not None:
            try:
                written = await write_asking(self.app, path, self.query_one(TextArea).text)
            except (InfointError, OSError) as err:
                self.notify(f"Could not write {path}: {err}", severity="error", markup=False)
                return
            if written is not None:
                self.notify(f"Wrote {written}", markup=False)

    @work(exit_on_error=False)
    async def action_sent(self) -> None:
        kind = kind_for_template(self.template)
        try:
            await self.app_.db.call(self.app_.store.log, self.contact.id, kind, channel="email",
                                    note=f"Sent:\n{self.query_one(TextArea).text}")
        except InfointError as err:
            self.notify(str(err), severity="error", markup=False)
            return
        self.notify("Logged as sent; the follow-up clock is running.", markup=False)
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)

