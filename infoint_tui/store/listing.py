"""Reading people: one person and their detail, the list and the board (pages, counts, positions,
badges), search, and the lookups behind them (companies, tags, names, info)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC
from pathlib import Path
from typing import Any

import peewee

from ..domain.errors import NotFound
from ..domain.followups import FollowUp
from ..domain.model import Contact, Detail, Filter, Summary
from ..domain.pipeline import Kind, Stage
from . import rows as rows_
from .base import StoreBase, _guarded
from .tables import CompanyRow, ContactRow, EventRow, MeetingRow, NoteRow, TagRow

ListRow = tuple[int, str, str, str, str, bool, Any, Any, Any, bool]
"""A row of :meth:`ListingMixin.iter_list_rows`: (id, name, title, company, stage value, archived, last
activity, asked on, next meeting, thank-you due), the moments as stored (or None)."""


class ListingMixin(StoreBase):
    """People, lists, the board and search."""

    @_guarded
    def contact(self, contact_id: int) -> Contact:
        """One person.

        Raises:
            NotFound: no such id.
        """
        return self._to_contact(self._row(contact_id))

    @_guarded
    def detail(self, contact_id: int) -> Detail:
        """A person with history (oldest first), meetings (soonest first) and notes (newest first)."""
        with self._read():
            contact = self._to_contact(self._row(contact_id))
            history = tuple(self._to_event(e) for e in
                            EventRow.select().where(EventRow.contact == contact_id).order_by(EventRow.at, EventRow.id))
            meetings = tuple(self._to_meeting(m) for m in MeetingRow.select().where(
                MeetingRow.contact == contact_id).order_by(MeetingRow.starts_at))
            notes = tuple(self._to_note(n) for n in NoteRow.select().where(
                NoteRow.contact == contact_id).order_by(NoteRow.created.desc(), NoteRow.id.desc()))
            referrals = tuple((r.id, r.name) for r in ContactRow.select(ContactRow.id, ContactRow.name).where(
                ContactRow.referred_by == contact_id).order_by(ContactRow.name_key))
            chain = tuple(self.referral_chain(contact_id))
        return Detail(contact, history, meetings, notes, referrals, chain)

    def _matching(self, flt: Filter, *columns: Any) -> peewee.ModelSelect:
        """``columns`` of the people matching ``flt``, from the contact table alone: counts and positions
        are then answered from an index (100,000 people: ~3 ms instead of ~150 ms with the company join)."""
        query = ContactRow.select(*(columns or (ContactRow.id,))).where(ContactRow.archived == flt.archived)
        if flt.stage is not None:
            query = query.where(ContactRow.stage == flt.stage.value)
        if flt.company:
            # Any part of the name that names one company (several: Invalid naming them); none: nobody.
            company = self._company(flt.company)
            query = query.where(ContactRow.company == (company.id if company else None))
        if flt.tag:
            query = query.where(ContactRow.id.in_(TagRow.select(TagRow.contact).where(
                TagRow.name == flt.tag.strip().lower())))
        if flt.query.strip():
            if self._hits is not None and self._hits[0] == flt.query:
                query = query.where(ContactRow.id.in_(self._hits[1]))
            else:
                clause = self.sql.search_clause(flt.query, ContactRow.id)
                if clause is not None:
                    query = query.where(clause)
        return query

    @contextmanager
    def _searched_once(self, query: str) -> Iterator[None]:
        """Within the block, the search ``query`` is matched once, not once per question."""
        filled = self.sql.fill_hits(self.db, query, self._last_hits) if query.strip() else None
        if filled is not None:
            expr, self._last_hits = filled
            self._hits = (query, expr, self._last_hits.total)
        else:
            self._hits = None
        try:
            yield
        except BaseException:
            self._last_hits = None  # the transaction is rolled back, the hits table with it
            raise
        finally:
            self._hits = None

    @_guarded
    def list_screen(self, flt: Filter, selected: int | None, page: int
                    ) -> tuple[int, list[Summary], int | None, list[Summary]]:
        """What a list shows when its filter changes, in one go: how many match, the first page, where
        ``selected`` now stands (None: not among them) and that position's page if it is not the first.
        A search in ``flt`` is matched once for all of it."""
        with self._read(), self._searched_once(flt.query):
            rows = self.summaries(flt, 0, page)
            pos = self.position(flt, selected) if selected is not None else None
            around = self.summaries(flt, pos // page * page, page) if pos is not None and pos >= page else []
            return self.count(flt), rows, pos, around

    def _filtered(self, flt: Filter) -> peewee.ModelSelect:
        """What the list and the board show of the people matching ``flt``."""
        return self._with_company(self._matching(flt, *self._SHOWN))

    _SHOWN = (ContactRow.id, ContactRow.name, ContactRow.title, ContactRow.stage, ContactRow.archived,
              ContactRow.last_activity, ContactRow.updated, CompanyRow.name.alias("company_name"))
    """The columns a list row or a card shows (:meth:`_with_badges` adds the rest)."""

    @staticmethod
    def _with_company(query: peewee.ModelSelect) -> peewee.ModelSelect:
        return query.join_from(ContactRow, CompanyRow, peewee.JOIN.LEFT_OUTER, on=(ContactRow.company == CompanyRow.id))

    def _count(self, query: peewee.ModelSelect) -> int:
        return int(query.select(peewee.fn.COUNT(ContactRow.id)).scalar() or 0)

    @_guarded
    def count(self, flt: Filter = Filter()) -> int:
        """How many people match ``flt``."""
        if (self._hits is not None and self._hits[0] == flt.query and not flt.archived
                and flt.stage is None and not flt.company and not flt.tag):
            # Everyone the search found, less the archived among them (few: read from their index).
            return self._hits[2] - self._count(self._matching(replace(flt, archived=True)))
        return self._count(self._matching(flt))

    @_guarded
    def summaries(self, flt: Filter = Filter(), offset: int = 0, limit: int = 100, *,
                  follow_ups: bool = True) -> list[Summary]:
        """One page of people matching ``flt``, with what the list and the board show of each.

        ``follow_ups=False`` skips the follow-up due badge (the costliest one), for long listings that
        do not show it; the thank-you badge is there either way.
        """
        query = self._filtered(flt)
        if flt.sort == "activity":
            query = query.order_by(ContactRow.last_activity.desc(nulls="LAST"), ContactRow.id.desc())
        else:
            query = query.order_by(ContactRow.name_key, ContactRow.id)
        with self._read():
            rows = self._raw_dicts(query.offset(offset).limit(limit))
            # A long listing filters the history by the same query instead of a list of thousands of ids.
            source: Any = [r["id"] for r in rows] if len(rows) <= 500 else self._matching(flt)
            return self._with_badges(rows, source, follow_ups and len(rows) <= 500)

    @_guarded
    def summary(self, contact_id: int) -> Summary:
        """One person as the list and the board show them (a card that just moved, for one).

        Raises:
            NotFound: no such id.
        """
        with self._read():
            rows = self._raw_dicts(self._with_company(ContactRow.select(*self._SHOWN))
                                   .where(ContactRow.id == contact_id))
            if not rows:
                raise NotFound(f"there is no contact #{contact_id}; 'infoint list' shows the ids.")
            return self._with_badges(rows, [contact_id], True)[0]

    def _with_badges(self, rows: Sequence[Mapping[str, Any]], ids: Any, follow_ups: bool) -> list[Summary]:
        """Compute the page's badges from the history: one grouped query over the page's events."""
        facts: dict[int, dict[str, Any]] = {}
        if rows:
            def latest(kinds: tuple[Kind, ...]) -> peewee.Function:
                return peewee.fn.MAX(peewee.Case(None, [(EventRow.kind.in_([k.value for k in kinds]), EventRow.at)],
                                                 None))

            def agg(of: Any) -> peewee.Query:
                return (EventRow.select(EventRow.contact_id.alias("cid"),
                                        *(latest(kinds).alias(name) for name, kinds in rows_.BADGE_FACTS))
                        .where(EventRow.contact.in_(of)).group_by(EventRow.contact))

            cursor = self._by_ids("badges", agg, ids) if isinstance(ids, list) else self.db.execute(agg(ids))
            facts = {r["cid"]: r for r in rows_.dicts(cursor)}
            now = self.clock()
            upcoming = (MeetingRow.select(MeetingRow.contact_id.alias("cid"),
                                          peewee.fn.MIN(MeetingRow.starts_at).alias("next"))
                        .where(MeetingRow.contact.in_(ids), MeetingRow.held == False,  # noqa: E712
                               MeetingRow.cancelled == False, MeetingRow.starts_at >= now)  # noqa: E712
                        .group_by(MeetingRow.contact))
            for r in upcoming.dicts():
                facts.setdefault(r["cid"], {})["next"] = r["next"]
        # Both follow-up badges come from the rules Today and 'infoint agenda' read (domain.followups): a
        # badge without its agenda item, or the reverse, cannot happen. The thank-you badge always shows
        # (a listing of thousands reads the follow-ups of those who may owe one only); the follow-up due
        # badge, the costliest, only when ``follow_ups``.
        now = self.clock()
        due_ids: set[int] = set()
        thank_ids: set[int] = set()
        if rows:
            if follow_ups:
                found = self.followups(ids) if isinstance(ids, list) else self.followups([r["id"] for r in rows])
            else:
                found = self._thank_you_followups(rows, facts)
            for f in found:
                if f.rule == "thank-you":
                    thank_ids.add(f.contact_id)
                elif f.due <= now and follow_ups:
                    due_ids.add(f.contact_id)
        return rows_.summaries(rows, facts, due_ids, thank_ids)

    def _thank_you_followups(self, rows: Sequence[Mapping[str, Any]], facts: Mapping[int, Mapping[str, Any]]
                             ) -> list[FollowUp]:
        """The open follow-ups of the people in ``rows`` who may owe a thank-you: a call held, or a move
        (by hand or not) since the last thank-you; read in chunks of 500."""
        maybe = [r["id"] for r in rows if not r["archived"] and rows_.may_owe_thanks(facts.get(r["id"], {}))]
        found: list[FollowUp] = []
        for i in range(0, len(maybe), 500):
            found += [f for f in self.followups(maybe[i:i + 500]) if f.rule == "thank-you"]
        return found

    @_guarded
    def stage_counts(self, flt: Filter = Filter()) -> dict[Stage, int]:
        """People per stage among those matching ``flt`` (its stage is ignored)."""
        base = self._matching(Filter(query=flt.query, company=flt.company, tag=flt.tag, archived=flt.archived),
                              ContactRow.stage, peewee.fn.COUNT(ContactRow.id))
        counts = {s: 0 for s in Stage}
        for stage, n in base.group_by(
                ContactRow.stage).tuples():
            counts[Stage(stage)] = n
        return counts

    @_guarded
    def all_ids(self) -> list[int]:
        """Every person's id (archived too), by name."""
        return [i for (i,) in ContactRow.select(ContactRow.id).order_by(ContactRow.name_key, ContactRow.id).tuples()]

    @_guarded
    def companies(self) -> list[tuple[str, int]]:
        """Companies with how many active people work there, by name."""
        q = (CompanyRow.select(CompanyRow.name, peewee.fn.COUNT(ContactRow.id))
             .join(ContactRow, peewee.JOIN.LEFT_OUTER, on=((ContactRow.company == CompanyRow.id)
                                                            & (ContactRow.archived == False)))  # noqa: E712
             .group_by(CompanyRow.id).order_by(CompanyRow.key))
        return [(name, n) for name, n in q.tuples()]

    @_guarded
    def tags(self) -> list[str]:
        """Every tag in use, sorted."""
        return [t for (t,) in TagRow.select(TagRow.name).distinct().order_by(TagRow.name).tuples()]

    @_guarded
    def names(self, limit: int = 100_000) -> list[tuple[int, str, str]]:
        """(id, name, company) of active people, by name: for "go to person…"."""
        q = (ContactRow.select(ContactRow.id, ContactRow.name, CompanyRow.name)
             .join(CompanyRow, peewee.JOIN.LEFT_OUTER, on=(ContactRow.company == CompanyRow.id))
             .where(ContactRow.archived == False).order_by(ContactRow.name_key).limit(limit))  # noqa: E712
        return [(i, n, c or "") for i, n, c in q.tuples()]

    @_guarded
    def position(self, flt: Filter, contact_id: int) -> int | None:
        """Where ``contact_id`` stands in the list ``flt`` orders (None: not in it)."""
        row = (ContactRow.select(ContactRow.id, ContactRow.name_key, ContactRow.last_activity)
               .where(ContactRow.id == contact_id).first())
        if row is None:
            return None
        if not self._matching(flt).where(ContactRow.id == contact_id).exists():
            return None
        # Row-value comparisons (SQL-92; SQLite, PostgreSQL and MySQL all have them) walk the list's index.
        if flt.sort == "activity":
            la = row.last_activity
            if la is None:  # last in the list, among the others without activity by id descending
                before = ContactRow.last_activity.is_null(False) | (ContactRow.id > row.id)
            else:  # people without activity compare as NULL: after everyone, as in the list
                # (the same test spelled "a > x OR (a = x AND id > y)" is not a range for SQLite's
                # planner: it counted a whole stage, 9 ms at 100,000 people, instead of 0.06)
                before = (peewee.Tuple(ContactRow.last_activity, ContactRow.id)
                          > peewee.Tuple(ContactRow.last_activity.to_value(la), row.id))
        else:
            before = peewee.Tuple(ContactRow.name_key, ContactRow.id) < peewee.Tuple(row.name_key, row.id)
        return self._count(self._matching(flt).where(before))

    @_guarded
    def find(self, text: str, limit: int = 10) -> list[tuple[int, str, str]]:
        """People matching ``#id``, an exact name, or else a search: (id, name, company)."""
        text = text.strip()
        if text.lstrip("#").isdigit():
            row = ContactRow.get_or_none(ContactRow.id == int(text.lstrip("#")))
            return [(row.id, row.name, self._to_contact(row).company)] if row else []
        exact = ContactRow.select(ContactRow.id).where(ContactRow.name_key == text.casefold())
        ids = [i for (i,) in exact.tuples()]
        if not ids:
            ids = [s.id for s in self.summaries(Filter(query=text), 0, limit)]
        return [(c.id, c.name, c.company) for c in (self._to_contact(self._row(i)) for i in ids[:limit])]

    @_guarded
    def info(self) -> dict[str, Any]:
        """Paths, schema version and counts."""
        return {
            "database": (str(self.path) if self.sql.SERVER or str(self.path) == ":memory:"  # a server: no password
                         else str(Path(self.path).resolve())),
            "backend": f"postgresql {self.sql.server_version(self.db)}" if self.sql.SERVER else "sqlite",
            "schema_version": self.sql.user_version(self.db),
            "contacts": ContactRow.select().where(ContactRow.archived == False).count(),  # noqa: E712
            "archived": ContactRow.select().where(ContactRow.archived == True).count(),  # noqa: E712
            "companies": CompanyRow.select().count(),
            "meetings": MeetingRow.select().count(),
            "notes": NoteRow.select().count(),
            "events": EventRow.select().count(),
            "stages": {s.value: n for s, n in self.stage_counts().items()},
            "integrity": self.sql.quick_check(self.db),
        }

    @_guarded
    def data_version(self) -> int:
        """Changes when another process commits: poll it to notice other terminals."""
        return self.sql.data_version(self.db)

    # --- long listings, streamed (the command line's list and search) ----------------------------

    def _list_query(self, flt: Filter, limit: int | None = None) -> peewee.ModelSelect:
        """The people ``flt`` matches in the list's order (the first ``limit``), for the streamed listings."""
        query = self._filtered(flt)
        if flt.sort == "activity":
            query = query.order_by(ContactRow.last_activity.desc(nulls="LAST"), ContactRow.id.desc())
        else:
            query = query.order_by(ContactRow.name_key, ContactRow.id)
        return query if limit is None else query.limit(limit)

    @_guarded
    def iter_summaries(self, flt: Filter = Filter(), limit: int | None = None, *, first_page: int = 100,
                       page: int = 1000) -> Iterator[Summary]:
        """Every person matching ``flt`` (the first ``limit``), in the list's order, as
        :meth:`summaries` with ``follow_ups=False`` gives them, read page by page from one cursor.

        For ``infoint list`` at 100,000 people: the first row is out after one small page (not after
        every Summary was built, ~2 s), memory does not grow with the number of people, and each
        page's badges come from one grouped query over that page's events (not one per person).
        The rows are read in one transaction: the iterator holds it until it is exhausted or closed.
        """
        sql, params = self._list_query(flt, limit).sql()
        return self._stream_pages(sql, params, first_page, page)

    def _stream_pages(self, sql: str, params: list[Any], first_page: int, page: int) -> Iterator[Summary]:
        try:
            with self._read():
                cursor = self.db.execute_sql(sql, params)
                names = [d[0] for d in cursor.description]
                size = first_page
                while batch := cursor.fetchmany(size):
                    rows = [dict(zip(names, r, strict=True)) for r in batch]
                    # The badges of _with_badges (no follow-up due badge), the facts from the same SQL as the
                    # app's first screen; the thank-you badge from the rules Today reads, as everywhere.
                    facts = self.sql.page_facts(self.db.execute_sql, [r["id"] for r in rows], self.clock())
                    thanks = {f.contact_id for f in self._thank_you_followups(rows, facts)}
                    yield from rows_.summaries(rows, facts, thank_ids=thanks)
                    size = page
        except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
            raise self.sql.describe(exc, self.path) from exc

    @_guarded
    def iter_list_rows(self, flt: Filter = Filter(), limit: int | None = None, *, first_page: int = 100,
                       page: int = 1000) -> Iterator[ListRow]:
        """What :meth:`iter_summaries` gives, as plain tuples of the raw column values, for the command
        line's ``list`` and ``search`` to print straight from: (id, name, title, company, stage value,
        archived, last activity, asked on, next meeting, thank-you due), the moments as stored (naive
        UTC text: :func:`rows.dt` reads one, :func:`rows.iso_z` gives the JSON form) or None.

        At 100,000 people a Summary per row, its dates parsed, cost ~1.2 s of CPU; here a date is parsed
        only where a badge needs it (an outreach to compare with its answer). The thank-you badges come
        from the follow-up rules, as everywhere, read once for the people who may owe one
        (:data:`self.sql.OWE_THANKS`, among those ``flt`` matches), not page by page.
        """
        sql, params = self._list_query(flt, limit).sql()
        return self._list_rows(flt, sql, params, limit, first_page, page)

    def _list_rows(self, flt: Filter, sql: str, params: list[Any], limit: int | None, first_page: int,
                   page: int) -> Iterator[ListRow]:
        try:
            with self._read():
                cursor = self.db.execute_sql(sql, params)
                if limit is not None and limit <= page:
                    # A few rows (--limit): their own badges, as a page of the list reads them.
                    yield from self._list_page(cursor.fetchall(), [d[0] for d in cursor.description])
                    return
                # Every row: the badges of everyone the filter matches first, read once (an asked-on
                # badge needs an outreach, a meeting badge a planned meeting, a thank-you one a call).
                asked, upcoming = self._asked_and_upcoming(flt)
                thanks = self._thank_you_ids(flt)
                size = first_page
                while batch := cursor.fetchmany(size):
                    for cid, name, title, stage, archived, last, updated, company in batch:
                        sent = asked.get(cid)
                        yield (cid, name, title, company or "", stage, bool(archived),
                               last if last is not None else updated,
                               None if sent is None else _asked(stage, *sent), upcoming.get(cid), cid in thanks)
                    size = page
        except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
            raise self.sql.describe(exc, self.path) from exc

    def _list_page(self, batch: Sequence[tuple[Any, ...]], names: list[str]) -> Iterator[ListRow]:
        """A page of list rows with the badges :meth:`summaries` gives them (no follow-up due badge)."""
        facts = self.sql.page_facts(self.db.execute_sql, [r[0] for r in batch], self.clock())
        page_rows = [dict(zip(names, r, strict=True)) for r in batch]
        owed = {f.contact_id for f in self._thank_you_followups(page_rows, facts)}
        for cid, name, title, stage, archived, last, updated, company in batch:
            f = facts.get(cid, {})
            yield (cid, name, title, company or "", stage, bool(archived), last if last is not None else updated,
                   _asked(stage, f.get("outreach"), f.get("answer")), f.get("next"), cid in owed)

    def _asked_and_upcoming(self, flt: Filter) -> tuple[dict[int, tuple[Any, Any]], dict[int, Any]]:
        """For the people matching ``flt`` (and maybe others: only the listed are looked up): the latest
        outreach and answer of whoever has one (``_asked`` of the row's stage makes the "asked on" badge),
        and everyone's next planned meeting, as stored; the facts ``rows.summaries`` reads from
        :func:`sqlite.page_facts`, in two grouped queries over the whole list.

        The whole list (no filter but archived or not) is not matched again in SQL: 100,000 ids gathered
        for an ``IN`` cost ~40 ms per query, and the events of someone not listed do no harm."""
        among, among_params = self._among(flt, "contact_id")
        kinds = dict(rows_.BADGE_FACTS)
        outreach, answer = [k.value for k in kinds["outreach"]], [k.value for k in kinds["answer"]]
        asked: dict[int, tuple[Any, Any]] = {}
        for cid, sent, answered in self.db.execute_sql(
                f"SELECT contact_id, MAX(CASE WHEN kind IN ({_marks(outreach)}) THEN at END), "
                f"MAX(CASE WHEN kind IN ({_marks(answer)}) THEN at END) FROM event "
                f"WHERE kind IN ({_marks(outreach)}, {_marks(answer)}){among} GROUP BY contact_id",
                [*outreach, *answer, *outreach, *answer, *among_params]):
            if sent is not None:
                asked[cid] = (sent, answered)
        utc_now = self.clock().astimezone(UTC).replace(tzinfo=None).isoformat(" ")
        upcoming = dict(self.db.execute_sql(
            "SELECT contact_id, MIN(starts_at) FROM meeting WHERE NOT held AND NOT cancelled AND starts_at >= ?"
            f"{among} GROUP BY contact_id", [utc_now, *among_params]).fetchall())
        return asked, upcoming

    def _among(self, flt: Filter, column: str) -> tuple[str, list[Any]]:
        """`` AND column IN (the people flt matches)``, or nothing when ``flt`` lists everyone active or
        everyone archived (the caller looks up only the people listed)."""
        if flt.stage is None and not flt.company and not flt.tag and not flt.query.strip():
            return "", []
        match_sql, match_params = self._matching(flt).sql()
        return f" AND {column} IN ({match_sql})", list(match_params)

    def _thank_you_ids(self, flt: Filter) -> set[int]:
        """Who among the people matching ``flt`` (and maybe others) has an open thank-you (the rules, the
        user's answers)."""
        if flt.archived:  # the rules give the archived no follow-ups
            return set()
        among, among_params = self._among(flt, "contact_id")
        answered = {cid for (cid,) in self.db.execute_sql(self.sql.ANSWERED_THANKS,
                                                          list(self.sql.ANSWERED_THANKS_PARAMS))}
        # Those whose history leaves no doubt, in SQL (100,000 people, a quarter met: ~0.4 s of rules
        # saved); the rules for the others who may owe one.
        owed: set[int] = set()
        doubt: list[int] = []
        params = [*self.sql.OWE_THANKS_PARAMS, *among_params, *self.sql.OWE_THANKS_HAVING]
        for cid, ended in self.db.execute_sql(self.sql.OWE_THANKS.format(among=among), params):
            if not ended and cid not in answered:
                owed.add(cid)
            else:
                doubt.append(cid)
        if doubt:
            owed |= {f.contact_id for f in self._followups(None, self.sql.IDS_FROM_JSON,
                                                           [json.dumps(doubt)], thanks_only=True)}
        return owed

    @_guarded
    def max_id(self, flt: Filter = Filter(), limit: int | None = None) -> int | None:
        """The largest id among the people :meth:`iter_summaries` gives (None: nobody): how wide the
        id column is, known before the first row is printed."""
        if limit is None:
            return self._matching(flt, peewee.fn.MAX(ContactRow.id)).scalar()
        order = ((ContactRow.last_activity.desc(nulls="LAST"), ContactRow.id.desc()) if flt.sort == "activity"
                 else (ContactRow.name_key, ContactRow.id))
        sql, params = self._matching(flt).order_by(*order).limit(limit).sql()
        return self.db.execute_sql(f"SELECT max(id) FROM ({sql}) AS page", params).fetchone()[0]


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values))


def _asked(stage: str, outreach: Any, answer: Any) -> Any:
    """The outreach an "asked on" badge shows (as stored), or None: one still unanswered, to someone
    still to contact (``rows.summaries``' rule; the dates parsed only to compare them)."""
    if stage != Stage.TO_CONTACT.value or outreach is None:
        return None
    if answer is None or rows_.dt(answer) < rows_.dt(outreach):  # type: ignore[operator]
        return outreach
    return None
