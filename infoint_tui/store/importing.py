"""An import of people, a chunk of rows at a time (``Store.import_people``), in the import's one transaction.

Each chunk of :data:`CHUNK` rows is cleaned, matched and written before the next is read, so that
memory does not grow with the file (100,000 rows held whole took ~270 MiB). For each chunk, its rows'
keys are looked up with a few set queries: profile URLs and e-mails in the import's keys tables
(``ImportKeys`` of the backend), names in the people's name index; the people they name are read by
id; the rows are matched against them and against the chunk's own new people (a
``domain.matching.Matcher`` per chunk); and the chunk's new people are written, with their keys,
where the chunks after find them (the backend's ``NewPeople``: on SQLite, staged in a temporary table
and copied into the people's table with their tags, creation events and search index by a thread,
while this one reads and matches the next chunk).

The keys tables are filled first from everyone already in the database, then with what each chunk
adds, in the order one Matcher over the whole file would have learnt it: a URL or an e-mail belongs
to its first holder (``seq``), a name lists its holders in the order they came. So the chunks match
as one pass over the file does, a row of the last chunk finding the person a row of the first added.

What still grows with the file, and why it is small: the line of each person the import adds (an
``array``, 4 bytes a person: a warning about a look-alike names the line), and the values of the
people an import row changed (each such change goes through ``Store.edit``, ~1 ms). The keys tables
are on disk or on the server; the people are read a chunk's worth at a time.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

from ..domain import contacts as contact_rules
from ..domain.errors import Invalid
from ..domain.matching import Matcher, same_value, text_key
from ..domain.model import ImportReport, PersonRecord
from ..domain.pipeline import Kind, Source, Stage
from ..domain.text import clean_note, company_key, url_key
from .tables import ContactRow, NoteRow

if TYPE_CHECKING:
    from .store import Store

CHUNK = 5_000
"""Rows read, matched and written at a time (tests make it small)."""

IN_SLICE = 1_000
"""Values bound to one ``IN (...)`` at most."""

COMPANIES_KEPT = 10_000
"""Company ids remembered from one chunk to the next (a file of people at as many companies reads the
rest again)."""

_IMPORTED = ("name", "title", "company", "email", "phone", "address", "url", "tags")
"""What an import compares of a person already there (a Contact's fields of the same names)."""

Row = tuple[PersonRecord, dict[str, Any], tuple[str, ...], list[str], str, str, str]
"""A record made ready: (record, its cleaned values, tags, warnings, URL key, e-mail key, name key)."""

Pending = dict[int, tuple[dict[str, Any], list[str], list[str], str]]
"""A chunk's new people by id: (values, tags, notes, source)."""


def chunks(records: Iterable[PersonRecord], size: int) -> Iterator[list[PersonRecord]]:
    """``records`` in lists of ``size`` (the last one shorter)."""
    it = iter(records)
    while chunk := list(islice(it, size)):
        yield chunk


def _rank(order: int, seq: int) -> int:
    """Where a name's holder comes among its holders: ``order`` is twice their id for a person (people
    come in id order: those already there, then those the import adds), twice the next id minus one for
    a name an edit gave someone (after the people added before it); ``seq`` breaks ties."""
    return (order << 32) + seq


class PeopleImport:
    """One import (see the module docstring): :meth:`run` inside the store's write transaction."""

    def __init__(self, store: Store, progress: Callable[[int, int | None], None] | None,
                 total: int | None) -> None:
        self.store, self.db, self.sql = store, store.db, store.sql
        self.progress, self.total = progress, total
        self.added = self.updated = self.unchanged = 0
        self.skipped: list[tuple[int, str]] = []
        self.warnings: list[tuple[int, str]] = []
        self.done = 0
        self.now = store.clock()
        self.stamp = ContactRow.created.db_value(self.now).isoformat(" ")  # naive UTC, as sqlite3 adapts it
        self.seq = 0
        self.lines = array("L")
        """The line of each person this import added, by id (from ``first_new``): 4 bytes a person."""
        self.odd_names: set[int] = set()
        """The people whose ``name_key`` is not the matcher's key of their name (white space other than
        single spaces, or a stale key): their name is in the keys tables, and the name index is not asked
        about them. Normally none."""
        self.overrides: dict[int, dict[str, str]] = {}
        """The people an edit changed: their values as the matcher saw them after (what one Matcher over
        the whole file would hold), in place of their stored ones."""
        self.companies: dict[str, int] = {}
        """Company ids by key, from the chunks so far (:data:`COMPANIES_KEPT` at most)."""
        self.settle: Callable[[], None] = _nothing
        """Waits for the last chunk's people to be written (``NewPeople.write``), which may still be going on
        in a thread of its own: called before the database's connection runs anything else."""

    # --- the whole import -----------------------------------------------------------------

    def run(self, records: Iterable[PersonRecord]) -> ImportReport:
        """Import ``records``; returns the report (the caller commits, or rolls back a dry run)."""
        execute = self.db.execute_sql
        self.first_new = self.next_id = int(execute("SELECT coalesce(max(id), 0) FROM contact").fetchone()[0]) + 1
        self.keys = self.sql.open_import_keys(self.db, self.store.path)
        self.named = False  # whether the keys tables hold names (odd ones, or given by an edit)
        self.writer = self.sql.NewPeople(self.db)
        try:
            self._keys_of_everyone()
            for chunk in chunks(records, CHUNK):
                self._chunk(chunk)
            self._settle()
        finally:
            self.keys.close()
            try:
                self._settle()  # (after a failure: the connection is not left to a running statement)
            except Exception:  # what the failure raised is what the caller sees
                pass
        self.writer.close()
        if self.progress is not None:
            self.progress(self.done, self.total if self.total is not None else self.done)
        return ImportReport(self.added, self.updated, self.unchanged, tuple(self.skipped), tuple(self.warnings))

    def _keys_of_everyone(self) -> None:
        """The keys of everyone already in the database, in id order (as a Matcher filled from them holds
        them): profile URLs and e-mails; the names the name index does not tell (:attr:`odd_names`)."""
        after = 0
        while batch := self.db.execute_sql("SELECT id, name, name_key, url, email FROM contact WHERE id > ? "
                                           "ORDER BY id LIMIT ?", (after, CHUNK)).fetchall():
            after = batch[-1][0]  # (a page at a time: a server's driver would hold a whole result)
            urls, emails, names = [], [], []
            for cid, name, name_key, url, email in batch:
                if url and (key := url_key(url)):
                    self.seq += 1
                    urls.append((key, self.seq, cid))
                if email:
                    self.seq += 1
                    emails.append((email.strip().casefold(), self.seq, cid))
                if name and (key := text_key(name)) != name_key:
                    self.odd_names.add(cid)
                    self.seq += 1
                    names.append((key, _rank(2 * cid, self.seq), cid))
            self.keys.add("url", urls)
            self.keys.add("email", emails)
            self._add_names(names)

    def _add_names(self, rows: list[tuple[str, int, int]]) -> None:
        if rows:
            self.keys.add("name", rows)
            self.named = True

    # --- one chunk --------------------------------------------------------------------------

    def _chunk(self, records: list[PersonRecord]) -> None:
        rows = self._ready(records)
        matcher, people, probed = self._candidates(rows)
        first = self.next_id
        lines, first_new = self.lines, self.first_new
        pending: Pending = {}
        names: list[tuple[str, int, int]] = []  # the names this chunk gives that the name index does not tell
        warnings = self.warnings
        for rec, values, tags, warned, ukey, ekey, nkey in rows:
            if warned:
                warnings += [(rec.line, w) for w in warned]
            cid, namesake = matcher.find_keys(ukey, ekey, nkey, values)
            if cid is None:
                cid = self.next_id
                self.next_id += 1
                pending[cid] = (values, list(tags), list(rec.notes), rec.source)
                lines.append(rec.line)
                matcher.add_new(cid, values, ukey, ekey, nkey)
                self.added += 1
                if nkey != values["name"].casefold():  # an odd name: not in the name index under its key
                    self.odd_names.add(cid)
                    self.seq += 1
                    names.append((nkey, _rank(2 * cid, self.seq), cid))
                if namesake is not None:
                    like = f"#{namesake}" if namesake < first_new else f"line {lines[namesake - first_new]}"
                    warnings.append((rec.line, f"added as a new person: possible duplicate of {like} (same name, "
                                               "nothing shared); merge by hand if it is one person"))
            elif cid >= first:  # the same person twice in one chunk: fill what was missing
                merged = pending[cid]
                for k, v in values.items():
                    merged[0].setdefault(k, v)
                merged[1].extend(t for t in tags if t not in merged[1])
                merged[2].extend(rec.notes)
                matcher.add(cid, merged[0])
                self.unchanged += 1
            elif cid >= first_new:  # added by an earlier chunk of this file: fill what was missing
                self._fill(cid, people[cid], values, tags, rec.notes, matcher)
                self.unchanged += 1
            else:
                given = len(matcher.claims["name"])
                self._update(cid, people[cid], values, tags, rec.notes, matcher)
                for key, pid in matcher.claims["name"][given:]:  # a name the row gave them
                    self.seq += 1
                    names.append((key, _rank(2 * self.next_id - 1, self.seq), pid))
        self._insert(pending)
        self._keep(matcher, probed)
        self._add_names(names)

    def _ready(self, records: list[PersonRecord]) -> list[Row]:
        """The chunk's records cleaned (``contact_rules.import_values``) and keyed (those without a name
        skipped, with the reason)."""
        values_of, clean_tags = contact_rules.import_values, contact_rules.clean_tags
        progress, total, done = self.progress, self.total, self.done
        skipped = self.skipped
        rows: list[Row] = []
        for rec in records:
            if progress is not None and done % 1000 == 0:
                progress(done, total)
            done += 1
            if rec.error:
                skipped.append((rec.line, rec.error))
                continue
            try:
                values, warned = values_of(rec)
            except Invalid:
                skipped.append((rec.line, "no name"))
                continue
            url, email = values.get("url"), values.get("email")
            rows.append((rec, values, clean_tags(rec.tags) if rec.tags else (), warned,
                         url_key(url) if url else "", email.strip().casefold() if email else "",
                         text_key(values["name"])))
        self.done = done
        return rows

    def _candidates(self, rows: list[Row]) -> tuple[Matcher, dict[int, dict[str, Any]], tuple[set[str], set[str]]]:
        """A matcher for the chunk, knowing who holds each of the keys its rows hold and their values;
        those people as an import compares them; the URL and e-mail keys looked up. The names are looked
        up for the rows whose URL and e-mail nobody holds (the others are found by them): in the name
        index, and the odd ones in the keys tables."""
        urls = {r[4] for r in rows if r[4]}
        emails = {r[5] for r in rows if r[5]}
        matcher = Matcher()
        ids: set[int] = set()
        held: list[dict[str, tuple[int, int]]] = []
        for kind, keys in (("url", urls), ("email", emails)):
            first: dict[str, tuple[int, int]] = {}
            for key, seq, cid in self.keys.holders(kind, list(keys)):
                if key not in first or seq < first[key][0]:
                    first[key] = (seq, cid)
            for key, (_, cid) in first.items():
                matcher.seed(kind, key, [cid])
                ids.add(cid)
            held.append(first)
        held_urls, held_emails = held
        names = [r[6] for r in rows if r[4] not in held_urls and r[5] not in held_emails]
        named: dict[str, list[tuple[int, int]]] = {}
        self._settle()
        for part in _slices(list(dict.fromkeys(names))):
            for cid, key in self.db.execute_sql(
                    f"SELECT id, name_key FROM contact WHERE name_key IN ({', '.join('?' * len(part))})", part):
                if cid not in self.odd_names:
                    named.setdefault(key, []).append((_rank(2 * cid, 0), cid))
        if self.named:
            for key, seq, cid in self.keys.holders("name", list(dict.fromkeys(names))):
                named.setdefault(key, []).append((seq, cid))
        for key, found in named.items():
            found.sort()
            holders = list(dict.fromkeys(cid for _, cid in found))  # a name given twice to one person: the first
            matcher.seed("name", key, holders)
            ids.update(holders)
        people = self._people(sorted(ids))
        for cid, values in people.items():
            matcher.know(cid, self.overrides.get(cid, values))
        return matcher, people, (urls, emails)

    def _people(self, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """The people ``ids`` as an import compares them (:data:`_IMPORTED`, the company by its name,
        tags in their order)."""
        people: dict[int, dict[str, Any]] = {}
        for part in _slices(ids):
            marks = ", ".join("?" * len(part))
            for cid, name, title, company, email, phone, address, url in self.db.execute_sql(
                    "SELECT c.id, c.name, c.title, co.name, c.email, c.phone, c.address, c.url FROM contact AS c "
                    f"LEFT OUTER JOIN company AS co ON co.id = c.company_id WHERE c.id IN ({marks})", part):
                people[cid] = {"name": name, "title": title, "company": company or "", "email": email,
                               "phone": phone, "address": address, "url": url, "tags": ()}
            tags: dict[int, list[str]] = {}
            for cid, tag in self.db.execute_sql(
                    f"SELECT contact_id, name FROM tag WHERE contact_id IN ({marks}) ORDER BY id", part):
                tags.setdefault(cid, []).append(tag)
            for cid, names in tags.items():
                people[cid]["tags"] = tuple(names)
        return people

    def _keep(self, matcher: Matcher, probed: tuple[set[str], set[str]]) -> None:
        """Write the URLs and e-mails the chunk gave someone first, for the chunks after it (those it looked
        up: any other was given before, and is there)."""
        seq = self.seq
        for kind, keys in zip(("url", "email"), probed, strict=True):
            rows = [(key, seq := seq + 1, cid) for key, cid in matcher.claims[kind] if key in keys]
            self.keys.add(kind, rows)
        self.seq = seq

    def _settle(self) -> None:
        settle, self.settle = self.settle, _nothing
        settle()

    # --- a row about someone already written ----------------------------------------------------

    def _fill(self, cid: int, person: dict[str, Any], values: dict[str, Any], tags: tuple[str, ...],
              notes: tuple[str, ...], matcher: Matcher) -> None:
        """A row about someone an earlier chunk of this file added: the values they lack, the tags and the
        notes added, as if both rows had been one (what the rows of one chunk get)."""
        fill = {k: v for k, v in values.items() if not person.get(k)}
        new_tags = [t for t in dict.fromkeys(tags) if t not in person["tags"]]
        if fill:
            person.update(fill)
            changes = dict(fill)
            if "company" in changes:
                changes["company"] = self._company_ids([str(fill["company"])])[str(fill["company"])]
            ContactRow.update(**changes).where(ContactRow.id == cid).execute()
        if new_tags:
            person["tags"] = (*person["tags"], *new_tags)
            self.sql.executemany(self.db, "INSERT INTO tag (contact_id, name) VALUES (?, ?)",
                                 [(cid, t) for t in new_tags])
        if fill or new_tags:
            self.store._reindex(cid)
        for note in notes:
            if clean_note(note).strip():
                self.store._add_note(cid, note)
        matcher.add(cid, {k: v for k, v in person.items() if k != "tags"})

    def _update(self, cid: int, before: dict[str, Any], values: dict[str, Any], tags: tuple[str, ...],
                notes: tuple[str, ...], matcher: Matcher) -> None:
        """A row about someone who was there before the import: the values that differ, recorded as an edit."""
        changes = {k: v for k, v in values.items() if k != "name" and not same_value(k, v, before[k])}
        new_tags = tuple(dict.fromkeys((*before["tags"], *tags)))
        if new_tags != before["tags"]:
            changes["tags"] = new_tags
        if changes:
            after = self.store.edit(cid, changes)
            before.update({f: getattr(after, f) for f in _IMPORTED})
            matcher.add(cid, values)
            self.overrides[cid] = matcher.values_of(cid)
            self.updated += 1
        else:
            self.unchanged += 1
        if notes:
            existing = {n.text for n in NoteRow.select(NoteRow.text).where(NoteRow.contact == cid)}
            for note in notes:
                if clean_note(note).strip() and clean_note(note) not in existing:
                    self.store._add_note(cid, note)

    # --- writing a chunk's new people ------------------------------------------------------------

    def _company_ids(self, names: Iterable[str]) -> dict[str, int]:
        """The company id of each of ``names`` (by its key), the companies not there yet added (named as
        the first of the names with their key)."""
        key_of = {name: company_key(name) for name in dict.fromkeys(names)}
        wanted: dict[str, str] = {}
        for name, key in key_of.items():
            wanted.setdefault(key, name)
        found = self.companies
        keys = [k for k in wanted if k not in found]
        for part in _slices(keys):
            found.update(self.db.execute_sql(
                f'SELECT "key", id FROM company WHERE "key" IN ({", ".join("?" * len(part))})', part).fetchall())
        missing = [k for k in keys if k not in found]
        if missing:
            start = int(self.db.execute_sql("SELECT coalesce(max(id), 0) FROM company").fetchone()[0]) + 1
            new = []
            for company_id, key in enumerate(missing, start=start):
                found[key] = company_id
                new.append((company_id, wanted[key], key, self.stamp))
            self.sql.executemany(self.db, 'INSERT INTO company (id, name, "key", created) VALUES (?, ?, ?, ?)', new)
            self.sql.after_explicit_ids(self.db, ("company",))
        ids = {name: found[key] for name, key in key_of.items()}
        if len(found) > COMPANIES_KEPT:
            found.clear()
        return ids

    def _insert(self, pending: Pending) -> None:
        """Insert the chunk's new people (ids given here, in order: the next ones after the largest, as
        SQLite would give them; the write lock is held), values converted as the models convert them:
        contacts and tags with ``executemany``, then their notes."""
        if not pending:
            return
        companies = self._company_ids(v[0]["company"] for v in pending.values() if v[0].get("company"))
        sources = _SOURCES
        contacts: list[tuple[Any, ...]] = []
        tags: list[tuple[int, str]] = []
        noted: list[tuple[int, list[str]]] = []
        for cid, (values, tag_list, notes, source) in pending.items():
            get = values.get
            company = get("company")
            name = values["name"]
            contacts.append((cid, name, name.casefold(), get("title", ""), companies[company] if company else None,
                             get("email", ""), get("phone", ""), get("address", ""), get("url", ""),
                             source if source in sources else None))
            if tag_list:
                tags += [(cid, t) for t in tag_list]
            if notes:
                noted.append((cid, notes))
        first = min(pending)
        # the rows, tags, events and index: on SQLite in a thread while the next chunk is read and matched
        self.settle = self.writer.write(contacts, tags, first, first + len(pending) - 1, Kind.CREATED.value,
                                        Stage.TO_CONTACT.value, self.stamp)
        if noted:  # (their notes are written here: the people first)
            self._settle()
            for cid, notes in noted:
                for note in notes:
                    if clean_note(note).strip():
                        self.store._add_note(cid, note)
        self.sql.after_explicit_ids(self.db, ("contact",))


_SOURCES = frozenset(s.value for s in Source)


def _nothing() -> None:
    """Nothing to wait for."""


def _slices(values: Sequence[Any]) -> Iterator[list[Any]]:
    """``values`` in lists of :data:`IN_SLICE` at most."""
    values = list(values)
    for i in range(0, len(values), IN_SLICE):
        yield values[i:i + IN_SLICE]
