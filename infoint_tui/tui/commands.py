"""Command palette: "go to person…" (searching the store) and every action, named "area: verb"."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from ..domain.listing import Filter
from ..domain.text import people
from .text import person, safe

if TYPE_CHECKING:
    from .screens.main import MainScreen

ACTIONS: tuple[tuple[str, str, str], ...] = (
    ("person: new", "Add a person", "new_person"),
    ("person: edit", "Edit the selected person", "edit_person"),
    ("person: call mode", "Timer, questions and notes for a call with the selected person", "call"),
    ("view: today (agenda)", "Overdue follow-ups, today's meetings, the next 7 days, and the funnel", "today"),
    ("person: outreach draft", "Write an outreach from a template, checked against the method", "draft"),
    ("company: dossier of the selected person's company", "People, dates, major points, open follow-ups",
     "dossier"),
    ("company: merge two companies…", "Everyone at one company moves to the other", "company_merge"),
    ("company: rename…", "Rename a company; everyone there follows", "company_rename"),
    ("person: merge with another…", "Make two records of one person one, keeping everything of both",
     "merge_person"),
    ("person: schedule meeting", "Plan a meeting with the selected person", "schedule"),
    ("person: log interaction", "Outreach sent, reply, declined, call held, thank-you…", "log"),
    ("person: log outreach sent", "Record that you asked for a conversation", "log('outreach')"),
    ("person: log thank-you sent", "Record the thank-you note", "log('thank-you')"),
    ("person: add referral", "Add someone the selected person referred you to", "add_referral"),
    ("person: archive", "Take the selected person off the board, with a reason", "archive"),
    ("person: unarchive", "Put an archived person back on the board", "unarchive"),
    ("person: delete", "Erase the selected person and their history (asks first)", "delete_person"),
    ("person: history (correct the record)", "Every logged line of the selected person: change or remove one",
     "history"),
    ("edit: undo", "Undo the last change, of this terminal or another (not an erase)", "undo"),
    ("edit: redo", "Make again the change undone last", "undo(True)"),
    ("notes: continue latest note", "Go on typing in the latest note", "continue_note"),
    ("view: people", "Show the contact list", "pane('contacts')"),
    ("view: board", "Show the pipeline board", "pane('board')"),
    ("view: notes", "Show the notes", "pane('notes')"),
    ("list: search", "Search names, companies, titles, tags and notes", "search"),
    ("list: filter", "Filter by stage, company, tag, or show the archived", "filter"),
    ("list: sort by name / activity", "Toggle the order of the list", "toggle_sort"),
    ("pitch: edit", "Edit your pitch", "pitch"),
    ("data: import file…", "LinkedIn or Google CSV, vCard or CSV: preview, then import", "import"),
    ("data: export…", "JSON (everything), CSV, vCard, iCalendar or Markdown, written 0600", "export"),
)
"""(command, help, action on MainScreen)."""


class InfointCommands(Provider):
    """Actions on the main screen and "go to person…"."""

    def _main(self) -> MainScreen | None:
        from .screens.main import MainScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, MainScreen):
                return screen
        return None

    async def discover(self) -> Hits:
        main = self._main()
        if main is None:
            return
        for name, help_, action in ACTIONS:
            yield DiscoveryHit(Content(name), partial(main.run_action, action), text=name, help=help_)

    async def search(self, query: str) -> Hits:
        main = self._main()
        if main is None:
            return
        matcher = self.matcher(query)
        for name, help_, action in ACTIONS:
            score = matcher.match(name)
            if score > 0:
                # our own fixed strings: safe to highlight
                yield Hit(score, matcher.highlight(name), partial(main.run_action, action), text=name, help=help_)
        if len(query.strip()) >= 2:
            app = main.app_
            for name, count in await app.db.call(app.store.companies):
                if query.strip().casefold() in name.casefold():
                    label = Content.assemble("dossier: ", (safe(name), "bold"), ("  " + people(count), "$text-muted"))
                    yield Hit(0.85, label, partial(main.action_dossier, name), text=f"dossier {name}")
            rows = await app.db.call(app.store.summaries, Filter(query=query), 0, 12)
            for i, row in enumerate(rows):
                # user data: plain Content, never matcher.highlight() (it parses markup)
                label = Content.assemble("go to: ", (person(row.name), "bold"),
                                         (f"  {safe(row.company)}" if row.company else "", "$text-muted"))
                yield Hit(0.9 - i * 0.01, label, partial(main.go_to, row.id), text=f"go to {row.name}")
