"""Corrections: edit or remove a logged interaction, a move, a meeting or an earlier note; undo and redo.

Each runs in one transaction. The person's stage is then recomputed from the corrected history (the
last stage change's target: :func:`~..domain.corrections.stage_from_history`), and so is their last
activity; the follow-ups are computed from the history, so they follow by themselves.
"""

from __future__ import annotations

from datetime import datetime

from ..domain.corrections import CORRECTABLE, RETYPABLE
from ..domain.errors import Invalid, NotFound
from ..domain.model import Event, Meeting, Note
from ..domain.pipeline import KIND_LABELS, Kind, Medium, Stage, stage_after
from ..domain.text import MAX_NOTE, check_length, clean_line, clean_note
from . import journal
from .base import StoreBase, _guarded
from .tables import ContactRow, EventRow, FollowUpRow, JournalRow, MeetingRow, NoteRow


class CorrectionsMixin(StoreBase):
    """Edits and removals of what was logged."""

    # --- finding what to correct ------------------------------------------------------------

    def _correctable(self, event_id: int) -> EventRow:
        row = EventRow.get_or_none(EventRow.id == event_id)
        if row is None:
            raise NotFound(f"there is no history entry #{event_id}; 'infoint history ID' lists them.")
        if Kind(row.kind) not in CORRECTABLE:
            raise Invalid("history", f"#{event_id} ({KIND_LABELS[Kind(row.kind)]}) is written by infoint about the "
                                     "record itself; only logged interactions and moves can be changed.")
        return row

    def _caused_stage(self, row: EventRow) -> EventRow | None:
        """The move an interaction made when it was logged: log and schedule write it right after the
        interaction, in the same transaction (so with the next id), to the stage the kind leads to."""
        if row.kind == Kind.STAGE.value:
            return None
        nxt = EventRow.get_or_none((EventRow.id == row.id + 1) & (EventRow.contact == row.contact_id)
                                   & (EventRow.kind == Kind.STAGE.value))
        if nxt is None or not nxt.stage_from or not nxt.stage_to:
            return None
        return nxt if stage_after(Stage(nxt.stage_from), Kind(row.kind)).value == nxt.stage_to else None

    @staticmethod
    def _owner(model: type[EventRow | MeetingRow | NoteRow], row_id: int) -> int:
        """Whose row it is (0 when there is none: the correction then says it is not found)."""
        row = model.select(model.contact).where(model.id == row_id).first()
        return int(row.contact_id) if row is not None else 0

    # --- what a correction recomputes (and _restage, _reactivity in the base: a merge needs them too) ---

    def _unhold(self, meeting_id: int | None, removed_event: int) -> None:
        """A meeting marked held by a call that is removed is planned again, unless another call held it."""
        if meeting_id is None:
            return
        others = EventRow.select().where((EventRow.meeting == meeting_id) & (EventRow.kind == Kind.CALL.value)
                                         & (EventRow.id != removed_event)).exists()
        if not others:
            MeetingRow.update(held=False, held_minutes=None).where(MeetingRow.id == meeting_id).execute()

    # --- events ------------------------------------------------------------------------------

    @_guarded
    def edit_event(self, event_id: int, *, at: datetime | None = None, kind: Kind | None = None,
                   channel: str | None = None, note: str | None = None) -> Event:
        """Change when an interaction or move happened, its kind, channel or note (``None``: unchanged).

        A new kind takes back the move the old one made (a call logged by mistake for an outreach no
        longer makes the person *met*) and makes the move the new one makes.

        Raises:
            NotFound: no such entry.
            Invalid: an entry infoint wrote about the record, or a kind it cannot become.
        """
        with self._tx(), self._journaled(self._owner(EventRow, event_id), "history line changed"):
            row = self._correctable(event_id)
            old_kind = Kind(row.kind)
            updates: dict[str, object] = {}
            if at is not None:
                updates["at"] = at
            if channel is not None:
                updates["channel"] = check_length("channel", clean_line(channel))
            if note is not None:
                updates["detail"] = check_length("note", clean_note(note), MAX_NOTE)
            caused = None
            if kind is not None and kind is not old_kind:
                if old_kind not in RETYPABLE or kind not in RETYPABLE:
                    allowed = ", ".join(k.value for k in RETYPABLE)
                    raise Invalid("kind", f"a {KIND_LABELS[old_kind]} cannot become a {KIND_LABELS[kind]}; an "
                                          f"interaction's kind can be one of: {allowed} (a meeting is edited with "
                                          "'infoint meeting edit').")
                updates["kind"] = kind.value
                caused = self._caused_stage(row)
            if updates:
                EventRow.update(**updates).where(EventRow.id == event_id).execute()
            if caused is not None:
                # The stage the old kind led to is taken back; the new kind moves from where that left.
                caused.delete_instance()
            if caused is not None or at is not None:
                self._restage(row.contact_id)
            if kind is not None and kind is not old_kind and kind in RETYPABLE:
                person = self._row(row.contact_id)
                target = stage_after(Stage(person.stage), kind)
                if target.value != person.stage:
                    new_at = self._move_time(person.id, at or row.at)
                    ContactRow.update(stage=target.value, version=ContactRow.version + 1,
                                      updated=self.clock()).where(ContactRow.id == person.id).execute()
                    self._event(person.id, Kind.STAGE, at=new_at, stage_from=person.stage, stage_to=target.value)
            self._reactivity(row.contact_id)
            return self._to_event(EventRow.get_by_id(event_id))

    @_guarded
    def remove_event(self, event_id: int) -> Event:
        """Remove an interaction or a move from the history; an interaction's own move goes with it (the
        outreach logged twice, the call that never was). Returns what was removed.

        Raises:
            NotFound: no such entry.
            Invalid: an entry infoint wrote about the record, or a meeting (remove the meeting).
        """
        with self._tx(), self._journaled(self._owner(EventRow, event_id), "history line removed"):
            row = self._correctable(event_id)
            if row.kind == Kind.MEETING.value and row.meeting_id is not None:
                raise Invalid("history", f"#{event_id} is meeting #{row.meeting_id}; remove it with "
                                         f"'infoint meeting remove {row.meeting_id}'.")
            removed = self._to_event(row)
            caused = self._caused_stage(row)
            gone = [row.id] + ([caused.id] if caused is not None else [])
            if caused is not None:
                caused.delete_instance()
            row.delete_instance()
            # The person's answers to follow-ups these events started go with them: SQLite may give a
            # removed event's id to the next one, whose follow-up would then look snoozed or dismissed.
            FollowUpRow.delete().where((FollowUpRow.contact == row.contact_id)
                                       & FollowUpRow.anchor.in_([str(i) for i in gone])).execute()
            if row.kind == Kind.CALL.value:
                self._unhold(row.meeting_id, row.id)
            self._restage(row.contact_id)
            self._reactivity(row.contact_id)
            return removed

    # --- meetings ----------------------------------------------------------------------------

    def _meeting_row(self, meeting_id: int) -> MeetingRow:
        row = MeetingRow.get_or_none(MeetingRow.id == meeting_id)
        if row is None:
            raise NotFound(f"there is no meeting #{meeting_id}; 'infoint history ID' lists them.")
        return row

    @_guarded
    def edit_meeting(self, meeting_id: int, *, starts_at: datetime | None = None, minutes: int | None = None,
                     medium: Medium | None = None, location: str | None = None) -> Meeting:
        """Change a meeting's time, planned length, medium or place (``None``: unchanged)."""
        if minutes is not None and not 5 <= minutes <= 600:
            raise Invalid("minutes", f"{minutes} is not a meeting length; give 5 to 600 minutes.")
        with self._tx(), self._journaled(self._owner(MeetingRow, meeting_id), "meeting changed"):
            row = self._meeting_row(meeting_id)
            updates: dict[str, object] = {}
            if starts_at is not None:
                updates["starts_at"] = starts_at
            if minutes is not None:
                updates["minutes"] = minutes
            if medium is not None:
                updates["medium"] = medium.value
            if location is not None:
                updates["location"] = check_length("location", clean_line(location))
            if updates:
                MeetingRow.update(**updates).where(MeetingRow.id == meeting_id).execute()
                # The history line that scheduled it says the same.
                mirror = {k: v for k, v in (("minutes", minutes), ("channel", updates.get("medium")),
                                            ("detail", updates.get("location"))) if v is not None}
                if mirror:
                    EventRow.update(**mirror).where((EventRow.meeting == meeting_id)
                                                    & (EventRow.kind == Kind.MEETING.value)).execute()
            return self._to_meeting(MeetingRow.get_by_id(row.id))

    @_guarded
    def remove_meeting(self, meeting_id: int) -> Meeting:
        """Remove a meeting and the history line that scheduled it (with the move to *scheduled* it
        made); calls held in it and notes taken in it stay, no longer tied to it. Returns it."""
        with self._tx(), self._journaled(self._owner(MeetingRow, meeting_id), "meeting removed"):
            row = self._meeting_row(meeting_id)
            removed = self._to_meeting(row)
            for event in EventRow.select().where((EventRow.meeting == meeting_id)
                                                 & (EventRow.kind == Kind.MEETING.value)):
                caused = self._caused_stage(event)
                if caused is not None:
                    caused.delete_instance()
                event.delete_instance()
            row.delete_instance()
            self._restage(row.contact_id)
            self._reactivity(row.contact_id)
            return removed

    # --- notes -------------------------------------------------------------------------------

    @_guarded
    def edit_note(self, note_id: int, text: str) -> Note:
        """Replace an earlier note's text."""
        clean = check_length("note", clean_note(text), MAX_NOTE)
        if not clean.strip():
            raise Invalid("note", f"is empty; to remove note #{note_id}, use 'infoint note remove {note_id}'.")
        with self._tx(), self._journaled(self._owner(NoteRow, note_id), "note changed"):
            row = NoteRow.get_or_none(NoteRow.id == note_id)
            if row is None:
                raise NotFound(f"there is no note #{note_id}; 'infoint history ID' lists them.")
            NoteRow.update(text=clean, updated=self.clock(), version=NoteRow.version + 1).where(
                NoteRow.id == note_id).execute()
            self.sql.index_notes_of(self.db, row.contact_id)
            self._reactivity(row.contact_id)
            return self._to_note(NoteRow.get_by_id(note_id))

    @_guarded
    def remove_note(self, note_id: int) -> Note:
        """Remove an earlier note; returns it."""
        with self._tx(), self._journaled(self._owner(NoteRow, note_id), "note removed"):
            row = NoteRow.get_or_none(NoteRow.id == note_id)
            if row is None:
                raise NotFound(f"there is no note #{note_id}; 'infoint history ID' lists them.")
            removed = self._to_note(row)
            row.delete_instance()
            self.sql.index_notes_of(self.db, row.contact_id)
            self._reactivity(row.contact_id)
            return removed

    # --- undo and redo -----------------------------------------------------------------------

    def _replay(self, entry: JournalRow, *, backwards: bool) -> str:
        journal.apply(self.db, entry.contact_id, entry.changes, backwards=backwards, what=entry.label)
        JournalRow.update(undone=backwards).where(JournalRow.id == entry.id).execute()
        for person in sorted({entry.contact_id, *journal.people(entry.changes)}):
            if ContactRow.get_or_none(ContactRow.id == person) is None:  # merged away again (a redo)
                self.sql.unindex_contact(self.db, person)
                continue
            self._reindex(person)
            self.sql.index_notes_of(self.db, person)
        return str(entry.label)

    @_guarded
    def undo(self) -> str:
        """Undo the latest change not undone yet (of any terminal: the journal is in the database);
        returns what it was.

        Raises:
            NotFound: nothing to undo.
            Conflict: the rows it touched were changed since; nothing changes.
        """
        with self._tx():
            entry = JournalRow.select().where(JournalRow.undone == False).order_by(  # noqa: E712
                JournalRow.id.desc()).first()
            if entry is None:
                raise NotFound("there is nothing to undo.")
            return self._replay(entry, backwards=True)

    @_guarded
    def redo(self) -> str:
        """Make again the change undone last; returns what it was.

        Raises:
            NotFound: nothing to redo (a new change since an undo ends what can be redone).
            Conflict: the rows it touched were changed since; nothing changes.
        """
        with self._tx():
            entry = JournalRow.select().where(JournalRow.undone == True).order_by(JournalRow.id).first()  # noqa: E712
            if entry is None:
                raise NotFound("there is nothing to redo.")
            return self._replay(entry, backwards=False)
