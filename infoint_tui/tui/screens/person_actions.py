"""The actions on the selected person (and the pitch), mixed into MainScreen.

New, edit, referral, schedule, log, history, archive, unarchive, delete, pitch, today, dossier, draft and
call.
Most ask with a form or open a screen (imported when first used); writes go through the screen's
``_write``, which shows an error instead of raising and reloads what the screen shows. The keys that
run them are MainScreen's BINDINGS (Textual, the help screen and the footer read them there).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work
from textual.content import Content

from ...domain.errors import InfointError
from ...domain.pipeline import LOGGABLE, Kind
from ..text import safe
from .base import AppScreenMixin

if TYPE_CHECKING:
    from textual.app import App
    from textual.worker import Worker

    from ...domain.model import Contact, Detail
    from ..widgets.contact_list import ContactList
    from ..widgets.notes import NotesPane


class PersonActions(AppScreenMixin):
    """The person actions; the rest is the screen's (declared below for the type checker)."""

    if TYPE_CHECKING:
        app: App[Any]
        selected_id: int | None
        _rest_mounted: bool
        _data_version: int | None

        @property
        def contact_list(self) -> ContactList: ...
        @property
        def notes(self) -> NotesPane: ...
        def say(self, message: str, severity: str = "information") -> None: ...
        def _selected(self) -> int | None: ...
        async def _write(self, fn, *args, done: str = "", **kwargs): ...  # type: ignore[no-untyped-def]
        def _flush_note(self) -> None: ...
        def load_everything(self, first: bool = False) -> Worker[None]: ...
        def follow_selection(self, contact_id: int, target: str = "other", focus: bool = False,
                             delay: float = 0.12) -> Worker[None]: ...
        def go_to(self, contact_id: int) -> None: ...

    async def _person(self, cid: int) -> Contact | None:
        """The person an action is about to act on, read now (the name a question shows is theirs)."""
        try:
            return await self.app_.db.call(self.app_.store.contact, cid)
        except InfointError as err:
            self.say(str(err), "error")
            return None

    @staticmethod
    def _title(verb: str, contact: Contact) -> Content:
        """A form's title naming the person: user text, never markup."""
        return Content(f"{verb} ").append(Content(safe(contact.name)))

    async def _lookup(self, text: str) -> list[tuple[int, str, str]]:
        return await self.app_.db.call(self.app_.store.find, text)

    @work(exit_on_error=False)
    async def action_new_person(self, referred_by: tuple[int, str] | None = None) -> None:
        from .forms import ContactFormModal, ContactFormResult

        companies = [c for c, _ in await self.app_.db.call(self.app_.store.companies)]
        result: ContactFormResult | None = await self.app.push_screen_wait(
            ContactFormModal(self._lookup, referred_by=referred_by, companies=companies))
        if result is None:
            return
        from ...domain.model import ContactDraft

        if await self._open_look_alike(result.values):
            return
        contact = await self._write(self.app_.store.add, ContactDraft(**result.values),
                                    done=f"Added {result.values['name']}.")
        if contact is not None:
            self.selected_id = contact.id
            self.follow_selection(contact.id, "list")

    async def _open_look_alike(self, values: dict[str, Any]) -> bool:
        """Before adding someone who looks like a person already there (same e-mail, profile, phone, or
        name at the same company), ask to open that one instead; True when it was opened."""
        from .forms import ConfirmModal

        try:
            found = await self.app_.db.call(self.app_.store.look_alikes, values)
        except InfointError:
            return False  # the add itself will say what is wrong
        if not found:
            return False
        pid, name, why = found[0]
        question = Content(f"{safe(str(values.get('name', '')))} looks like #{pid} {safe(name)} ({why}): "
                           "open them instead? (n adds a new person)")
        if await self.app.push_screen_wait(ConfirmModal(question)):
            self.go_to(pid)
            return True
        return False

    @work(exit_on_error=False)
    async def action_add_referral(self) -> None:
        cid = self._selected()
        if cid is not None:
            contact = await self.app_.db.call(self.app_.store.contact, cid)
            self.action_new_person((contact.id, contact.name))

    @work(exit_on_error=False)
    async def action_edit_person(self) -> None:
        from .forms import ContactFormModal

        cid = self._selected()
        if cid is None:
            return
        store, db = self.app_.store, self.app_.db
        contact = await db.call(store.contact, cid)
        companies = [c for c, _ in await db.call(store.companies)]
        result = await self.app.push_screen_wait(ContactFormModal(self._lookup, contact, companies=companies))
        if result is None or not result.values:
            return
        await self._write(store.edit, cid, result.values, result.version, done=f"Saved {contact.name}.")

    @work(exit_on_error=False)
    async def action_today(self) -> None:
        from .agenda import AgendaScreen

        chosen = await self.app.push_screen_wait(AgendaScreen(now=self.fixed_now))
        self.load_everything()
        if chosen is not None:
            self.go_to(chosen)

    @work(exit_on_error=False)
    async def action_undo(self, redo: bool = False) -> None:
        """Undo (or redo) the last change, naming it."""
        self._flush_note()
        store = self.app_.store
        label = await self._write(store.redo if redo else store.undo)
        if label is not None:
            self.say(f"{'Redone' if redo else 'Undone'}: {label}.")

    @work(exit_on_error=False)
    async def action_history(self) -> None:
        from .history import HistoryScreen

        cid = self._selected()
        if cid is None:
            return
        self._flush_note()
        await self.app.push_screen_wait(HistoryScreen(cid, now=self.fixed_now))
        self._data_version = None
        self.load_everything()

    @work(exit_on_error=False)
    async def action_dossier(self, company: str = "") -> None:
        from .documents import DossierScreen

        if not company:
            cid = self._selected()
            if cid is None:
                return
            company = (await self.app_.db.call(self.app_.store.contact, cid)).company
            if not company:
                self.say("This person has no company: e sets one.")
                return
        await self.app.push_screen_wait(DossierScreen(company))

    @work(exit_on_error=False)
    async def action_company_merge(self) -> None:
        """Make two companies one (everyone moves; histories untouched)."""
        from .forms import PairModal

        store, db = self.app_.store, self.app_.db
        names = [c for c, _ in await db.call(store.companies)]

        async def check(text: str) -> object:
            return await db.call(store.company, text)

        pair = await self.app.push_screen_wait(PairModal(
            "Merge two companies", ("Merge", "Into"), (check, check), suggestions=names,
            hint="Any part of a name that names one company, or #id. Everyone at the first moves to the second."))
        if pair is not None:
            result = await self._write(store.merge_companies, *pair)
            if result is not None:
                self.say(f"Merged into {result[0].name}: {result[1]} moved.")

    @work(exit_on_error=False)
    async def action_company_rename(self) -> None:
        """Rename a company (everyone there follows)."""
        from .forms import PairModal

        store, db = self.app_.store, self.app_.db
        names = [c for c, _ in await db.call(store.companies)]

        async def check(text: str) -> object:
            return await db.call(store.company, text)

        pair = await self.app.push_screen_wait(PairModal(
            "Rename a company", ("Company", "New name"), (check, None), suggestions=names,
            hint="A name another company has already: merge them instead."))
        if pair is not None:
            renamed = await self._write(store.rename_company, *pair)
            if renamed is not None:
                self.say(f"Renamed to {renamed.name}.")

    @work(exit_on_error=False)
    async def action_merge_person(self) -> None:
        """Merge another person into the selected one, keeping everything of both (undo takes it back)."""
        from .forms import PairModal

        cid = self._selected()
        if cid is None:
            return
        store, db = self.app_.store, self.app_.db
        me = await db.call(store.contact, cid)
        found = await db.call(store.look_alikes, {"name": me.name, "company": me.company, "email": me.email,
                                                  "url": me.url, "phone": me.phone}, cid)

        async def check(text: str) -> object:
            return await self._one_person(text)

        pair = await self.app.push_screen_wait(PairModal(
            "Merge two people", ("Keep", "Merge in"), (check, check), first=f"#{cid}",
            second=f"#{found[0][0]}" if found else "",
            hint="#id or name. Every note, meeting and interaction of the second goes to the first, and its "
                 "record goes." + (f" #{found[0][0]} {safe(found[0][1])} looks like them ({found[0][2]})."
                                    if found else "")))
        if pair is not None:
            keep, other = await self._one_person(pair[0]), await self._one_person(pair[1])
            merged = await self._write(store.merge_people, keep, other, done="Merged (undo takes it back).")
            if merged is not None:
                self.go_to(keep)

    async def _one_person(self, text: str) -> int:
        """The one person ``text`` (#id or name) names; Invalid otherwise."""
        from ...domain.errors import Invalid

        found = await self._lookup(text)
        if len(found) != 1:
            raise Invalid("person", f"{len(found) or 'no'} people match '{text}'; give a #id.")
        return found[0][0]

    @work(exit_on_error=False)
    async def action_draft(self) -> None:
        from .documents import open_draft

        cid = self._selected()
        if cid is None:
            return
        await open_draft(self.app_, cid)
        self.load_everything()

    def action_call(self) -> None:
        from .call import CallScreen

        cid = self._selected()
        if cid is None:
            return
        self._flush_note()
        self.app.push_screen(CallScreen(cid, now=self.fixed_now))

    @work(exit_on_error=False)
    async def action_schedule(self) -> None:
        from .forms import ScheduleModal, ScheduleResult

        cid = self._selected()
        contact = await self._person(cid) if cid is not None else None
        if contact is None:
            return
        result: ScheduleResult | None = await self.app.push_screen_wait(
            ScheduleModal(self._title("Meeting with", contact), self.now))
        if result is not None:
            await self._write(self.app_.store.schedule, cid, result.when, result.minutes, result.medium,
                              result.location, done=f"Meeting with {contact.name} scheduled.")

    @work(exit_on_error=False)
    async def action_log(self, kind: str = "") -> None:
        from .forms import LogModal, LogResult

        cid = self._selected()
        contact = await self._person(cid) if cid is not None else None
        if contact is None:
            return
        result: LogResult | None = await self.app.push_screen_wait(
            LogModal(self._title("Log for", contact), self.now, Kind(kind) if kind else None))
        if result is not None:
            from ...domain.pipeline import KIND_LABELS

            await self._write(self.app_.store.log, cid, result.kind, result.at, note=result.note,
                              channel=result.channel, minutes=result.minutes,
                              done=f"Logged for {contact.name}: {KIND_LABELS[result.kind]}.")

    @work(exit_on_error=False)
    async def action_archive(self) -> None:
        from .forms import ArchiveModal, ArchiveResult

        cid = self._selected()
        contact = await self._person(cid) if cid is not None else None
        if contact is None:
            return
        result: ArchiveResult | None = await self.app.push_screen_wait(ArchiveModal(self._title("Archive", contact)))
        if result is not None:
            await self._write(self.app_.store.archive, cid, result.reason, result.note,
                              done=f"Archived {contact.name}.")

    @work(exit_on_error=False)
    async def action_unarchive(self) -> None:
        cid = self._selected()
        contact = await self._person(cid) if cid is not None else None
        if contact is None:
            return
        if not contact.archived:
            self.say(f"{contact.name} is not archived; nothing changed.")
            return
        await self._write(self.app_.store.restore, cid, done=f"{contact.name} is back on the board.")

    @work(exit_on_error=False)
    async def action_delete_person(self) -> None:
        from .forms import ConfirmModal

        cid = self._selected()
        if cid is None:
            return
        try:
            detail = await self.app_.db.call(self.app_.store.detail, cid)
        except InfointError as err:
            self.say(str(err), "error")
            return
        n = len(detail.referrals)
        referred = (f"\n{'1 person' if n == 1 else f'{n} people'} they introduced you to will no longer show who "
                    "introduced them." if n else "")
        question = self._title("Erase", detail.contact).append(Content(
            f", with {erase_counts(detail)}? This cannot be undone.\nErasing is final, for privacy: z does not bring "
            f"them back.{referred}"))
        if await self.app.push_screen_wait(ConfirmModal(question, final=True)):
            if self._rest_mounted:
                self.notes.take_pending()  # their unsaved text goes with them
            self.selected_id = None
            await self._write(self.app_.store.delete, cid, done=f"Erased {detail.contact.name}.")

    @work(exit_on_error=False)
    async def action_pitch(self) -> None:
        from .forms import PitchModal

        store, db = self.app_.store, self.app_.db
        pitch = await db.call(store.pitch)
        text = await self.app.push_screen_wait(PitchModal(pitch))
        if text is not None:
            await self._write(store.set_pitch, text, done="Pitch saved.")


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")


def erase_counts(detail: Detail) -> str:
    """What goes with a person who is erased: "2 notes, 1 meeting and 5 interactions"."""
    interactions = sum(1 for e in detail.history if e.kind in LOGGABLE)
    return (f"{_count(len(detail.notes), 'note')}, {_count(len(detail.meetings), 'meeting')} and "
            f"{_count(interactions, 'interaction')}")
