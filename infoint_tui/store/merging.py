"""One thing, one record: companies (listed, merged, renamed) and people who are one person (found when
added, listed as likely pairs, merged keeping everything of both)."""

from __future__ import annotations

from collections.abc import Mapping

import peewee

from ..domain.companies import CompanyRef, duplicate_pairs, look_alikes
from ..domain.errors import Invalid, NotFound
from ..domain.model import Contact
from ..domain.pipeline import Kind
from ..domain.text import check_length, clean_line, company_key
from .base import StoreBase, _guarded
from .tables import CompanyRow, ContactRow, EventRow, FollowUpRow, MeetingRow, NoteRow, TagRow

_FILLED = ("title", "company", "email", "phone", "address", "url", "source", "referred_by")
"""Fields a merged-away person gives the one kept when the kept one has none."""


class MergingMixin(StoreBase):
    """Companies as things, and duplicate people."""

    # --- companies -------------------------------------------------------------------------

    def _company_by_ref(self, text: str) -> CompanyRef:
        """A company by ``#id`` / id, or by any part of its name that names one."""
        plain = text.strip().lstrip("#")
        if plain.isdigit():
            row = CompanyRow.get_or_none(CompanyRow.id == int(plain))
            if row is None:
                raise NotFound(f"there is no company #{plain}; 'infoint companies' lists them.")
            return CompanyRef(row.id, row.name, row.key)
        return self._need_company(text)

    @_guarded
    def company(self, text: str) -> CompanyRef:
        """The company ``text`` names (``#id``, or any part of its name that names one).

        Raises:
            NotFound: none does.
            Invalid: several do (the message names them).
        """
        with self._read():
            return self._company_by_ref(text)

    @_guarded
    def company_counts(self) -> list[tuple[CompanyRef, int, int]]:
        """Every company with how many active and archived people work there, by name."""
        active = peewee.fn.SUM(peewee.Case(None, [(ContactRow.archived == False, 1)], 0))  # noqa: E712
        archived = peewee.fn.SUM(peewee.Case(None, [(ContactRow.archived == True, 1)], 0))  # noqa: E712
        q = (CompanyRow.select(CompanyRow.id, CompanyRow.name, CompanyRow.key, active, archived)
             .join(ContactRow, peewee.JOIN.LEFT_OUTER, on=(ContactRow.company == CompanyRow.id))
             .group_by(CompanyRow.id).order_by(CompanyRow.key, CompanyRow.id))
        return [(CompanyRef(i, n, k), int(a or 0), int(r or 0)) for i, n, k, a, r in q.tuples()]

    def _reindex_company(self, company_id: int) -> list[int]:
        ids = [i for (i,) in ContactRow.select(ContactRow.id).where(ContactRow.company == company_id).tuples()]
        for i in ids:
            self._reindex(i)
        return ids

    @_guarded
    def merge_companies(self, source: str, into: str) -> tuple[CompanyRef, int]:
        """Move everyone at ``source`` to ``into`` and remove ``source`` (each by ``#id`` or a part of the
        name); the people's histories are untouched. Returns the company kept and how many moved.

        Not in the undo journal (it records one person's change, and this may move hundreds):
        ``company rename`` and another merge mend a mistaken one.
        """
        with self._tx():
            a, b = self._company_by_ref(source), self._company_by_ref(into)
            if a.id == b.id:
                raise Invalid("company merge", f"'{source}' and '{into}' are both {a.name} (#{a.id}).")
            moved = ContactRow.update(company=b.id, version=ContactRow.version + 1, updated=self.clock()).where(
                ContactRow.company == a.id).execute()
            CompanyRow.delete().where(CompanyRow.id == a.id).execute()
            self._reindex_company(b.id)
            return b, int(moved)

    @_guarded
    def rename_company(self, ref: str, new_name: str) -> CompanyRef:
        """Rename a company (``#id`` or a part of its name); everyone there follows.

        Raises:
            Invalid: the new name is another company's (merge them instead) or empty.
        """
        name = check_length("company", clean_line(new_name))
        if not name:
            raise Invalid("company", "the new name is empty.")
        key = company_key(name)
        with self._tx():
            c = self._company_by_ref(ref)
            other = CompanyRow.get_or_none((CompanyRow.key == key) & (CompanyRow.id != c.id))
            if other is not None:
                raise Invalid("company rename", f"'{name}' is already {other.name} (#{other.id}); to make them "
                                                f"one, use 'infoint company merge {c.id} {other.id}'.")
            CompanyRow.update(name=name, key=key).where(CompanyRow.id == c.id).execute()
            self._reindex_company(c.id)
            return CompanyRef(c.id, name, key)

    # --- duplicate people --------------------------------------------------------------------

    _IDENTITY = (ContactRow.id, ContactRow.name, CompanyRow.name.alias("company"), ContactRow.email,
                 ContactRow.url, ContactRow.phone)

    @_guarded
    def look_alikes(self, person: Mapping[str, object], exclude: int | None = None) -> list[tuple[int, str, str]]:
        """The people ``person`` (name, company, email, url, phone) looks like: (id, name, why), for the
        same e-mail, profile URL or phone, or the same name at the same company. Only likely rows are
        read (same name, e-mail, or the end of the URL or phone), not everyone."""
        name = str(person.get("name") or "")
        email = str(person.get("email") or "").strip()
        url = str(person.get("url") or "").strip().rstrip("/")
        digits = "".join(ch for ch in str(person.get("phone") or "") if ch.isdigit())
        cond = ContactRow.name_key == name.casefold()
        if email:
            cond |= peewee.fn.LOWER(ContactRow.email) == email.casefold()
        if url:
            cond |= ContactRow.url.contains(url.rsplit("/", 1)[-1])
        if len(digits) >= 7:
            cond |= ContactRow.phone.contains(digits[-4:])
        q = (ContactRow.select(*self._IDENTITY)
             .join(CompanyRow, peewee.JOIN.LEFT_OUTER, on=(ContactRow.company == CompanyRow.id)).where(cond))
        if exclude is not None:
            q = q.where(ContactRow.id != exclude)
        rows = {r["id"]: r for r in q.dicts()}
        return [(i, str(rows[i]["name"]), why) for i, why in look_alikes(person, rows.values())]

    @_guarded
    def duplicates(self) -> list[tuple[int, str, int, str, str]]:
        """Likely duplicate pairs among everyone (archived too): (id, name, other id, other name, why)."""
        with self._read():
            rows = list(ContactRow.select(*self._IDENTITY).join(
                CompanyRow, peewee.JOIN.LEFT_OUTER, on=(ContactRow.company == CompanyRow.id)).dicts())
        names = {r["id"]: r["name"] for r in rows}
        return [(a, names[a], b, names[b], why) for a, b, why in duplicate_pairs(rows)]

    @_guarded
    def merge_people(self, keep: int, other: int) -> Contact:
        """Make ``other`` part of ``keep``: every note, meeting, interaction, follow-up answer, tag and
        referral (both ways) of ``other`` becomes ``keep``'s; ``keep``'s empty fields take ``other``'s;
        ``other``'s row goes. One transaction, in the undo journal (undo brings ``other`` back whole).

        The stage is what the joined history says (the last move of either); ``other``'s "added" line
        stays, as an edit saying when they were added.

        Raises:
            NotFound: either id is unknown.
            Invalid: the same id twice.
        """
        if keep == other:
            raise Invalid("merge", f"#{keep} is one person already; give two ids.")
        with self._tx():
            a, b = self._row(keep), self._row(other)
            referred = [i for (i,) in ContactRow.select(ContactRow.id).where(
                (ContactRow.referred_by == other) & (ContactRow.id != keep)).tuples()]
            with self._journaled(keep, f"merged #{other} {b.name} into", also=[other, *referred]):
                updates: dict[str, object] = {}
                for field in _FILLED:
                    column = f"{field}_id" if field in ("company", "referred_by") else field
                    mine, theirs = getattr(a, column), getattr(b, column)
                    if not mine and theirs and not (field == "referred_by" and theirs == keep):
                        updates[field] = theirs
                if a.referred_by_id == other:  # the other was the kept one's introducer: theirs instead
                    updates["referred_by"] = b.referred_by_id if b.referred_by_id != keep else None
                if a.archived and not b.archived:  # the active record wins: merging must not hide someone
                    updates.update(archived=False, archive_reason=None)
                created = list(EventRow.select(EventRow.id, EventRow.detail).where(
                    (EventRow.contact == other) & (EventRow.kind == Kind.CREATED.value)))
                ContactRow.update(referred_by=keep).where(ContactRow.referred_by == other).execute()
                for table in (MeetingRow, EventRow, NoteRow):
                    table.update(contact=keep).where(table.contact == other).execute()
                mine_tags = {t for (t,) in TagRow.select(TagRow.name).where(TagRow.contact == keep).tuples()}
                TagRow.update(contact=keep).where((TagRow.contact == other)
                                                  & TagRow.name.not_in(mine_tags or {""})).execute()
                mine_answers = {(r, an) for r, an in FollowUpRow.select(FollowUpRow.rule, FollowUpRow.anchor)
                                .where(FollowUpRow.contact == keep).tuples()}
                for fid, rule, anchor in (FollowUpRow.select(FollowUpRow.id, FollowUpRow.rule, FollowUpRow.anchor)
                                          .where(FollowUpRow.contact == other).tuples()):
                    if (rule, anchor) not in mine_answers:  # the kept person's own answer wins a clash
                        FollowUpRow.update(contact=keep).where(FollowUpRow.id == fid).execute()
                # Their "added" line stays, as an edit: two creations would make the later one set the stage.
                for e in created:
                    EventRow.update(kind=Kind.EDITED.value, stage_from=None, stage_to=None,
                                    detail=" ".join(f"added as #{other} {b.name}. {e.detail}".split())).where(
                        EventRow.id == e.id).execute()
                self._event(keep, Kind.EDITED, detail=f"merged #{other} {b.name} into this record")
                b.delete_instance()  # what is left of them: their tags and answers that clashed
                if updates:
                    ContactRow.update(**updates).where(ContactRow.id == keep).execute()
                self.sql.unindex_contact(self.db, other)
                self._restage(keep)
                self._reactivity(keep)
                ContactRow.update(version=ContactRow.version + 1, updated=self.clock()).where(
                    ContactRow.id == keep).execute()
                self._reindex(keep)
                self.sql.index_notes_of(self.db, keep)
                for i in referred:
                    self._reindex(i)
            return self._to_contact(self._row(keep))
