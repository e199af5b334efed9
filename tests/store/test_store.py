import os
import sqlite3
import stat
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from infoint_tui.domain.contacts import make_draft
from infoint_tui.domain.errors import Conflict, IllegalMove, Invalid, NotFound, StoreError
from infoint_tui.domain.model import Filter
from infoint_tui.domain.pipeline import ArchiveReason, Kind, Medium, Stage
from infoint_tui.store import Store
from infoint_tui.store.sqlite import describe

from ..conftest import NOW, Clock

pytestmark = pytest.mark.both_backends  # every test with a database runs on SQLite and on PostgreSQL


def test_company_is_shared_case_insensitively(store: Store) -> None:
    a = store.add(make_draft("Ada", company="Acme Corp"))
    b = store.add(make_draft("Bob", company="  ACME   corp "))
    assert a.company == b.company == "Acme Corp"
    assert store.companies() == [("Acme Corp", 2)]
    assert [s.name for s in store.summaries(Filter(company="acme corp"))] == ["Ada", "Bob"]


def test_every_change_is_an_event_and_history_is_never_overwritten(store: Store, clock: Clock) -> None:
    c = store.add(make_draft("Ada", company="Acme", title="Analyst"))
    clock.now += timedelta(hours=1)
    store.edit(c.id, {"title": "Lead", "company": "Initech"})
    clock.now += timedelta(hours=1)
    store.move(c.id, Stage.MET)
    store.move(c.id, Stage.SCHEDULED)
    history = store.detail(c.id).history
    assert [e.kind for e in history] == [Kind.CREATED, Kind.EDITED, Kind.STAGE, Kind.STAGE]
    assert "title: Analyst → Lead" in history[1].detail
    assert "company: Acme → Initech" in history[1].detail
    assert (history[2].stage_from, history[2].stage_to) == (Stage.TO_CONTACT, Stage.MET)
    assert (history[3].stage_from, history[3].stage_to) == (Stage.MET, Stage.SCHEDULED)
    assert history[2].at == NOW + timedelta(hours=2)


def test_outreach_without_reply_shows_asked_on_until_they_reply(store: Store, clock: Clock) -> None:
    c = store.add(make_draft("Ada"))
    clock.now += timedelta(days=1)
    store.log(c.id, Kind.OUTREACH, channel="email")
    [row] = store.summaries()
    assert row.asked_on == NOW + timedelta(days=1)
    clock.now += timedelta(days=2)
    store.log(c.id, Kind.REPLY)
    [row] = store.summaries()
    assert row.asked_on is None


def test_meeting_call_and_thanks_walk_the_pipeline(store: Store, clock: Clock) -> None:
    c = store.add(make_draft("Ada"))
    when = NOW + timedelta(days=2)
    m = store.schedule(c.id, when, 45, Medium.VIDEO, "Zoom")
    [row] = store.summaries()
    assert (row.stage, row.next_meeting) == (Stage.SCHEDULED, when)
    clock.now = when + timedelta(minutes=30)
    store.log(c.id, Kind.CALL, minutes=28, note="Advice: learn dbt")
    d = store.detail(c.id)
    assert d.contact.stage is Stage.MET
    assert d.meetings[0].held
    assert d.meetings[0].held_minutes == 28
    assert d.notes[0].meeting_id == m.id
    assert store.summaries()[0].thank_you_due
    store.log(c.id, Kind.THANK_YOU)
    row = store.summaries()[0]
    assert (row.stage, row.thank_you_due) == (Stage.THANKED, False)


def test_referral_sets_source_and_is_logged_on_the_referrer(store: Store) -> None:
    a = store.add(make_draft("Ada"))
    b = store.add(make_draft("Bob", referred_by=a.id))
    assert (b.referred_by, b.referred_by_name, b.source.value if b.source else None) == (a.id, "Ada", "referral")
    assert store.detail(a.id).referrals == ((b.id, "Bob"),)
    assert store.detail(a.id).history[-1].kind is Kind.REFERRAL
    with pytest.raises(Invalid, match=r"^referred by: there is no contact #99"):
        store.add(make_draft("Cy", referred_by=99))
    with pytest.raises(Invalid, match="cannot refer themselves"):
        store.edit(a.id, {"referred_by": a.id})


def test_archive_and_restore(store: Store) -> None:
    c = store.add(make_draft("Ada"))
    store.archive(c.id, ArchiveReason.DECLINED, "Suggested Bob instead")
    assert store.count() == 0
    assert [s.name for s in store.summaries(Filter(archived=True))] == ["Ada"]
    with pytest.raises(IllegalMove, match=r"archived; put them back on the board first .*infoint unarchive"):
        store.move(c.id, Stage.MET)
    assert not store.restore(c.id).archived
    assert store.count() == 1


def test_unknown_ids_are_reported(store: Store) -> None:
    with pytest.raises(NotFound, match="no contact #42"):
        store.contact(42)


def test_an_edit_from_a_stale_version_is_a_conflict_not_a_lost_update(store: Store) -> None:
    c = store.add(make_draft("Ada"))
    store.edit(c.id, {"title": "Lead"}, expected_version=c.version)  # the other window's edit
    with pytest.raises(Conflict, match="changed in another window"):
        store.edit(c.id, {"title": "Manager"}, expected_version=c.version)
    assert store.contact(c.id).title == "Lead"


def test_autosave_conflict_keeps_both_texts(store: Store) -> None:
    c = store.add(make_draft("Ada"))
    first = store.save_note(c.id, None, "draft one", None).note
    mine = store.save_note(c.id, first.id, "window A", first.version)
    theirs = store.save_note(c.id, first.id, "window B", first.version)  # stale version
    assert not mine.conflict
    assert theirs.conflict
    texts = sorted(n.text for n in store.detail(c.id).notes)
    assert texts == ["window A", "window B"]


@pytest.mark.parametrize(
    "query",
    ['eve"', "AND", "(", "c++", "re: PhD", '"', "NEAR(", "*", "-x", "\x00x", "OR OR", "[/]", "山田", "🚀"],
)
def test_search_accepts_whatever_is_typed(store: Store, query: str) -> None:
    store.add(make_draft("Eve", title="c++ lead (PhD)"))
    store.summaries(Filter(query=query))  # never raises


@pytest.mark.parametrize(("query", "found"), [
    ("fisc", ["Lena Fischer"]),  # prefix of a name
    ("northwind", ["Ada"]),  # company
    ("kubernetes", ["Ada"]),  # note text
    ("analytics lead", ["Lena Fischer"]),  # every token must match
    ("山田", ["山田 太郎"]),  # CJK by substring
    ("太郎", ["山田 太郎"]),
    ("zoe", ["Zoë"]),  # diacritics folded
    ("fintech", ["Zoë"]),  # tag
])
def test_search_finds_names_companies_titles_tags_and_notes(store: Store, query: str, found: list[str]) -> None:
    ada = store.add(make_draft("Ada", company="Northwind"))
    store.add_note(ada.id, "Talked about Kubernetes operators")
    store.add(make_draft("Lena Fischer", title="Analytics Lead"))
    store.add(make_draft("山田 太郎"))
    store.add(make_draft("Zoë", tags=["fintech"]))
    assert [s.name for s in store.summaries(Filter(query=query))] == found


@pytest.mark.parametrize("query", ["", "fisc", "northwind", "kubernetes", "analytics lead", "山田", "fintech",
                                   "nobody", "a"])
def test_a_list_screen_answers_as_the_separate_questions_do(store: Store, query: str) -> None:
    """list_screen matches a search once for the count, the page and the position: the same answers."""
    ada = store.add(make_draft("Ada", company="Northwind"))
    store.add_note(ada.id, "Talked about Kubernetes operators, analytics")
    store.add(make_draft("Lena Fischer", title="Analytics Lead"))
    store.add(make_draft("山田 太郎"))
    zoe = store.add(make_draft("Zoë", tags=["fintech"]))
    for i in range(7):
        store.add(make_draft(f"Ann {i}", company="Northwind Labs"))
    for selected in (None, ada.id, zoe.id):
        flt = Filter(query=query)
        pos = store.position(flt, selected) if selected is not None else None
        around = store.summaries(flt, pos // 3 * 3, 3) if pos is not None and pos >= 3 else []
        assert store.list_screen(flt, selected, 3) == (store.count(flt), store.summaries(flt, 0, 3), pos, around)
    assert store.count(Filter(query="northwind")) == 8  # and nothing lingers for a later plain question


def test_typing_a_search_letter_by_letter_finds_what_each_query_alone_finds(store: Store, db_path: Path,
                                                                          clock: Clock) -> None:
    """A keystroke whose query narrows the last one and finds as many people reuses its hits (no
    second filling): never when something was written in between, here or in another terminal."""
    ada = store.add(make_draft("Ada", company="Roadway"))
    store.add_note(ada.id, "roadmap review")
    bob = store.add(make_draft("Bob", company="Rover"))
    store.add(make_draft("Rosa Roads"))
    for i in range(5):
        store.add(make_draft(f"Ann {i}", company="Northwind"))

    def fresh(query: str) -> tuple[int, list[int]]:
        flt = Filter(query=query)
        return store.count(flt), [s.id for s in store.summaries(flt, 0, 3)]

    def typed(query: str) -> tuple[int, list[int]]:
        total, rows, _, _ = store.list_screen(Filter(query=query), None, 3)
        return total, [s.id for s in rows]

    fills: list[str] = []
    execute = store.db.execute_sql

    def spy(sql: str, params: object = None, *args: object, **kwargs: object) -> object:
        if sql.startswith("INSERT OR IGNORE INTO temp."):
            fills.append(sql)
        return execute(sql, params, *args, **kwargs)

    store.db.execute_sql = spy  # type: ignore[method-assign]
    steps = ["r", "ro", "roa", "road", "road r", "road re", "roa", "rover"]
    for query in steps:
        assert typed(query) == fresh(query), query
    assert len(fills) < 2 * len(steps), "no keystroke reused the hits of the one before"
    # Written in between, the same number of people but not the same ones: Ada's note loses the word
    # that Bob's gains. Counting alone cannot tell; the hits are filled again.
    assert typed("roadm") == fresh("roadm") == (1, [ada.id])
    note = store.detail(ada.id).notes[0]
    store.save_note(ada.id, note.id, "a review", note.version)
    bob_note = store.add_note(bob.id, "the roadmap, again")
    assert typed("roadma") == fresh("roadma") == (1, [bob.id])
    other = Store.open(db_path, clock)  # and in another terminal: from Bob to Ann 0
    try:
        other.save_note(bob.id, bob_note.id, "nothing", bob_note.version)
        ann = other.summaries(Filter(query="ann 0"), 0, 1)[0].id
        other.add_note(ann, "roadmapping")
    finally:
        other.close()
    assert typed("roadmap") == fresh("roadmap") == (1, [ann])


def test_one_summary_is_the_row_a_page_shows(store: Store) -> None:
    ada = store.add(make_draft("Ada", company="Northwind"))
    store.add(make_draft("Bob"))
    store.move(ada.id, Stage.MET)
    assert store.summary(ada.id) == next(s for s in store.summaries() if s.id == ada.id)
    assert store.summary(ada.id).thank_you_due
    with pytest.raises(NotFound):
        store.summary(9999)


def test_search_index_follows_edits_and_deletes(store: Store) -> None:
    c = store.add(make_draft("Ada", company="Acme"))
    store.edit(c.id, {"company": "Globex"})
    assert store.count(Filter(query="acme")) == 0
    assert store.count(Filter(query="globex")) == 1
    store.delete(c.id)
    assert store.count(Filter(query="globex")) == 0


def test_search_follows_notes_as_they_are_written_changed_and_erased(store: Store) -> None:
    ada = store.add(make_draft("Ada"))
    store.add(make_draft("Bob"))
    first = store.save_note(ada.id, None, "Talked about Kubernetes", None).note
    assert [s.name for s in store.summaries(Filter(query="kuber"))] == ["Ada"]
    store.save_note(ada.id, first.id, "Talked about Terraform", first.version)
    assert store.count(Filter(query="kubernetes")) == 0
    second = store.add_note(ada.id, "Recommended Lena at Northwind")
    # Every word must match, in any of the person's notes.
    assert store.count(Filter(query="terraform lena")) == 1
    store.delete_note(second.id)
    assert store.count(Filter(query="lena")) == 0
    assert store.count(Filter(query="terraform")) == 1
    store.delete(ada.id)
    assert store.count(Filter(query="terraform")) == 0


def test_hostile_strings_round_trip_exactly(store: Store) -> None:
    hostile = "[bold]x[/bold] [@click=app.quit]y[/] [/ z [link=https://e.example]w $var \\ 'q' \"dq\""
    c = store.add(make_draft(hostile, title=hostile, company=hostile, address=hostile, tags=["[b]"]))
    store.add_note(c.id, hostile + "\n\tsecond line")
    d = store.detail(c.id)
    assert (d.contact.name, d.contact.title, d.contact.company, d.contact.address) == (hostile,) * 4
    assert d.contact.tags == ("[b]",)
    assert d.notes[0].text == hostile + "\n\tsecond line"


def test_long_and_unicode_values_round_trip(store: Store) -> None:
    long_note = "ünïcødé 山田 🚀 " * 20_000
    c = store.add(make_draft("دانا الحسيني", title="x" * 500))
    store.add_note(c.id, long_note)
    assert store.detail(c.id).notes[0].text == long_note
    assert store.contact(c.id).title == "x" * 500


def test_database_folder_and_files_are_private_even_under_umask_022(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "fresh" / "nested" / "db.sqlite3"
        s = Store.open(path)
        s.add(make_draft("Ada"))
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            assert stat.S_IMODE(p.stat().st_mode) == 0o600, p
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
        s.close()
    finally:
        os.umask(old)


def test_an_existing_world_readable_database_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    Store.open(path).close()
    os.chmod(path, 0o644)
    Store.open(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.sqlite_only
def test_backup_is_a_private_consistent_copy(store: Store, tmp_path: Path) -> None:
    store.add(make_draft("Ada"))
    out = store.backup(tmp_path / "b" / "copy.sqlite3")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    copy = Store.open(out)
    assert [s.name for s in copy.summaries()] == ["Ada"]
    copy.close()
    with pytest.raises(StoreError, match="already exists"):
        store.backup(out)


def test_garbage_file_is_reported_as_damaged_without_touching_it(tmp_path: Path) -> None:
    path = tmp_path / "bad.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError, match=r"is damaged .*'infoint restore FILE'"):
        Store.open(path)
    assert path.read_bytes() == before


def test_another_apps_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE songs (id INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="not an infoint one"):
        Store.open(path)


def test_a_newer_database_is_refused_without_writing(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    Store.open(path).close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 99")
    con.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match=r"newer infoint .*schema 99.*upgrade infoint"):
        Store.open(path)
    assert path.read_bytes() == before


def test_a_locked_database_is_reported_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    s = Store.open(path)
    s.close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        s = Store.open(path, timeout=0.1)
        with pytest.raises(StoreError, match="is locked by another program; close it or try again"):
            s.add(make_draft("Ada"))
        s.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.mark.parametrize(("message", "says"), [
    ("attempt to write a readonly database", "is read-only; check its and its folder's permissions"),
    ("database or disk is full", "is full; free some space"),
    ("unable to open database file", "cannot open the database"),
])
def test_error_lines_say_what_to_do(message: str, says: str) -> None:
    assert says in str(describe(sqlite3.OperationalError(message), "/x/db"))


def test_stage_counts_and_paging(store: Store) -> None:
    ids = [store.add(make_draft(f"Person {i:03d}")).id for i in range(250)]
    for i in ids[:10]:
        store.move(i, Stage.MET)
    assert store.stage_counts()[Stage.MET] == 10
    assert store.stage_counts()[Stage.TO_CONTACT] == 240
    page = store.summaries(Filter(), offset=100, limit=50)
    assert [s.name for s in page] == [f"Person {i:03d}" for i in range(100, 150)]


def test_sort_by_activity_puts_the_latest_first(store: Store, clock: Clock) -> None:
    a = store.add(make_draft("Ada"))
    clock.now += timedelta(hours=1)
    store.add(make_draft("Bob"))
    clock.now += timedelta(hours=1)
    store.add_note(a.id, "fresh note")
    assert [s.name for s in store.summaries(Filter(sort="activity"))] == ["Ada", "Bob"]


@pytest.mark.parametrize("sort", ["name", "activity"])
@pytest.mark.parametrize("stage", [None, Stage.SCHEDULED])
def test_a_persons_position_is_their_place_in_the_list(store: Store, clock: Clock, sort: str,
                                                      stage: Stage | None) -> None:
    """Ties in activity and people with none (older databases) included; in the list of a stage too."""
    people = []
    for i in range(12):
        people.append(store.add(make_draft(f"Person {i % 5}", company=f"Co {i % 2}")))  # names tie too
        if i % 3:
            clock.now += timedelta(minutes=1)  # every third joins the previous one's activity time
        if i % 2:
            store.move(people[-1].id, Stage.SCHEDULED)
    store.db.execute_sql("UPDATE contact SET last_activity = NULL WHERE id IN (?, ?)",
                         (people[4].id, people[7].id))
    flt = Filter(sort=sort, stage=stage)
    listed = [s.id for s in store.summaries(flt, 0, 100)]
    assert len(listed) == (12 if stage is None else 6)
    for person in people:
        expected = listed.index(person.id) if person.id in listed else None
        assert store.position(flt, person.id) == expected, person.name


@pytest.mark.sqlite_only
@pytest.mark.parametrize("sort", ["name", "activity"])
def test_a_position_in_a_column_is_counted_on_a_range_of_its_index(store: Store, sort: str) -> None:
    """Where a moved card lands in its column: counted from the index up to it, not over the whole
    stage (written as "a > x OR (a = x AND id > y)", SQLite's planner searched by stage only and
    counted 25,000 rows at 100,000 people, 9 ms, on every card move)."""
    people = [store.add(make_draft(f"Person {i:02}")) for i in range(20)]
    for person in people[::2]:
        store.move(person.id, Stage.SCHEDULED)
    seen: list[tuple[str, tuple[object, ...]]] = []
    execute = store.db.execute_sql

    def spy(sql: str, params: tuple[object, ...] | None = None, *args: object, **kwargs: object) -> object:
        if "COUNT" in sql:
            seen.append((sql, tuple(params or ())))
        return execute(sql, params, *args, **kwargs)

    store.db.execute_sql = spy  # type: ignore[method-assign]
    store.position(Filter(sort=sort, stage=Stage.SCHEDULED), people[10].id)
    store.db.execute_sql = execute  # type: ignore[method-assign]
    (sql, params), = seen
    plan = " | ".join(row[3] for row in store.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
    column = "last_activity" if sort == "activity" else "name_key"
    assert f"stage=? AND {column}" in plan, plan


def test_question_bank_is_seeded_with_tiara(store: Store) -> None:
    qs = store.questions()
    assert {q.group for q in qs} >= {"Trends", "Insights", "Advice", "Resources", "Assignments"}
    assert [q.text for q in qs if q.always] == ["Who else should I talk to?"]


def test_pitch_round_trip(store: Store) -> None:
    assert store.pitch() == ""
    store.set_pitch("I analyse data\x1b[31m and want product work.")
    assert store.pitch() == "I analyse data and want product work."


def test_demo_has_every_stage_archived_people_and_hostile_names(store: Store) -> None:
    from infoint_tui.store.demo import seed_demo

    assert seed_demo(store) == 40
    counts = store.stage_counts()
    assert all(counts[s] >= 3 for s in Stage)
    assert 35 <= store.count() + store.count(Filter(archived=True)) <= 45
    assert store.count(Filter(archived=True)) >= 3
    assert len(store.companies()) >= 12
    names = [n for _, n, _ in store.names()]
    assert any("[" in n for n in names)
    assert any('"' in n for n in names)
    assert any("山田" in n for n in names)
    assert any("🚀" in n for n in names)
    assert any("\u0627" <= ch <= "\u064a" for n in names for ch in n)  # Arabic script
    assert any(s.asked_on for s in store.summaries())
    assert any(store.detail(i).contact.referred_by for i, _, _ in store.names())


@pytest.mark.sqlite_only
@pytest.mark.parametrize("sort", ["name", "activity"])
def test_the_lists_first_screen_never_sorts_or_scans_everyone(store: Store, sort: str) -> None:
    """Count, first page and position come from an index in either order (100,000 people: ~0.2 s
    each as a sort or a scan of the whole table, under 5 ms from the index). Checked on the query
    plans, which do not depend on the machine's speed."""
    for i in range(30):
        store.add(make_draft(f"Person {i:02}", company=f"Co {i % 3}"))
    seen: list[tuple[str, tuple[object, ...]]] = []
    execute = store.db.execute_sql

    def spy(sql: str, params: tuple[object, ...] | None = None, *args: object, **kwargs: object) -> object:
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append((sql, tuple(params or ())))
        return execute(sql, params, *args, **kwargs)

    store.db.execute_sql = spy  # type: ignore[method-assign]
    flt = Filter(sort=sort)
    store.count(flt)
    page = store.summaries(flt, 0, 10, follow_ups=False)
    store.position(flt, page[5].id)
    store.db.execute_sql = execute  # type: ignore[method-assign]
    assert seen
    for sql, params in seen:
        plan = " | ".join(row[3] for row in store.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
        assert "TEMP B-TREE" not in plan, (sql, plan)
        assert "SCAN" not in plan.replace("SCAN CONSTANT", ""), (sql, plan)


@pytest.mark.sqlite_only
def test_the_first_screen_read_before_peewee_is_what_the_store_reads(store: Store, db_path, clock: Clock) -> None:
    """sqlite.first_screen serves the app's first frame with plain sqlite3: the same count and rows."""
    from infoint_tui.store import migrations, sqlite

    assert sqlite.SCHEMA == migrations.LATEST
    people = [store.add(make_draft(f"P{i}", company=f"Co {i % 3}" if i % 4 else "")) for i in range(12)]
    store.log(people[0].id, Kind.OUTREACH, channel="email")
    store.log(people[1].id, Kind.OUTREACH)
    store.log(people[1].id, Kind.REPLY)
    store.move(people[2].id, Stage.MET)
    store.schedule(people[3].id, clock.now + timedelta(days=2))
    store.schedule(people[4].id, clock.now - timedelta(days=2))
    store.archive(people[5].id, ArchiveReason.DECLINED)
    store.set_setting("theme", "nord")
    theme, total, rows = sqlite.first_screen(db_path, 5, sqlite.SCHEMA, clock.now)
    assert (theme, total) == ("nord", store.count(Filter()))
    # The first frame shows no follow-up badge, thank-you included: they come with the next read, from
    # the rules Today reads (a badge there computed another way could disagree with Today).
    def unbadged(page: list) -> list:
        return [replace(r, thank_you_due=False) for r in page]

    assert rows == unbadged(store.summaries(Filter(), 0, 5, follow_ups=False))
    everyone = sqlite.first_screen(db_path, 100, sqlite.SCHEMA, clock.now)[2]
    read = store.summaries(Filter(), 0, 100, follow_ups=False)
    assert everyone == unbadged(read)
    assert any(r.asked_on for r in everyone)
    assert any(r.next_meeting for r in everyone)
    assert not any(r.thank_you_due for r in everyone)
    assert any(r.thank_you_due for r in read)
    # Another schema, or no file: the caller opens the store the full way.
    assert sqlite.first_screen(db_path, 5, sqlite.SCHEMA + 1, clock.now) is None
    assert sqlite.first_screen(db_path.with_name("missing.sqlite3"), 5, sqlite.SCHEMA, clock.now) is None


def test_the_first_screen_reports_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    from infoint_tui.store import sqlite

    bad = tmp_path / "notes.txt"
    bad.write_text("not a database" * 100)
    with pytest.raises(StoreError, match=r"not an infoint database|not a database|database"):
        sqlite.first_screen(bad, 5, sqlite.SCHEMA, NOW)


def test_a_card_step_answers_what_the_board_shows(store: Store) -> None:
    people = [store.add(make_draft(f"P{i}")) for i in range(4)]
    board = Filter(sort="activity")
    version = store.data_version()
    card, pos, seen = store.step_card(people[2].id, 1, board)
    assert card == store.summary(people[2].id)
    assert card.stage is Stage.SCHEDULED
    assert pos == store.position(Filter(stage=Stage.SCHEDULED, sort="activity"), people[2].id) == 0
    assert seen == version, "no one else wrote: the board's counts still hold"
    other = Store.open(store.path, store.clock)  # another terminal moves someone
    try:
        other.move(people[3].id, Stage.MET)
    finally:
        other.close()
    _, _, seen = store.step_card(people[2].id, 1, board)
    assert seen != version
    assert store.detail(people[2].id).history[-1].kind is Kind.STAGE
    with pytest.raises(IllegalMove):
        store.step_card(people[0].id, -1, board)  # nothing before "to contact"


def test_a_card_scheduled_answers_what_the_board_shows(store: Store, clock: Clock) -> None:
    """A card moved to scheduled with its meeting (the board's question answered): the meeting, the move
    it makes, and what the board needs, as a step does."""
    people = [store.add(make_draft(f"P{i}")) for i in range(3)]
    board = Filter(sort="activity")
    version = store.data_version()
    when = clock.now + timedelta(days=1, hours=2)
    card, pos, seen = store.schedule_card(people[1].id, board, when, 45, Medium.VIDEO, "room 4")
    assert card == store.summary(people[1].id)
    assert (card.stage, card.next_meeting) == (Stage.SCHEDULED, when)
    assert pos == store.position(Filter(stage=Stage.SCHEDULED, sort="activity"), people[1].id) == 0
    assert seen == version
    meeting = store.planned_meeting(people[1].id)
    assert meeting is not None
    assert (meeting.starts_at, meeting.minutes, meeting.medium, meeting.location) == (when, 45, Medium.VIDEO,
                                                                                     "room 4")
    history = store.detail(people[1].id).history
    assert [(e.kind, e.stage_to) for e in history[-2:]] == [(Kind.MEETING, None), (Kind.STAGE, Stage.SCHEDULED)]
    with pytest.raises(Invalid):
        store.schedule_card(people[2].id, board, when, 2)  # too short: nothing written
    assert store.contact(people[2].id).stage is Stage.TO_CONTACT


def test_pages_of_the_same_size_each_get_their_own_badges(store: Store) -> None:
    """The badge queries are compiled once per number of ids and run with each page's ids."""
    people = [store.add(make_draft(f"P{i}")) for i in range(4)]
    store.log(people[0].id, Kind.OUTREACH)
    store.move(people[3].id, Stage.MET)
    first, second = store.summaries(Filter(), 0, 2), store.summaries(Filter(), 2, 2)
    assert [s.id for s in first + second] == [p.id for p in people]
    assert first[0].asked_on is not None
    assert first[1].asked_on is None
    assert not second[0].thank_you_due
    assert second[1].thank_you_due
    assert [store.summary(p.id) for p in people] == first + second


def test_two_stores_in_one_process_each_keep_to_their_own_database(db_path: Path, clock: Clock,
                                                                   tmp_path: Path) -> None:
    """A second store opened in the same process (a restore, the app's store opened early by a key)
    once took the models over: the first store's next write began a transaction on its own
    connection and ran its queries on the other's, and failed with "database is locked"."""
    first = Store.open(db_path, clock)
    try:
        ada = first.add(make_draft("Ada"))
        other = Store.open(db_path, clock)  # another terminal, the same file
        try:
            other.move(ada.id, Stage.SCHEDULED)
        finally:
            other.close()
        first.add_note(ada.id, "still writes")
        assert first.contact(ada.id).stage is Stage.SCHEDULED
        elsewhere = Store.open(tmp_path / "elsewhere.sqlite3", clock)  # another file altogether
        try:
            elsewhere.add(make_draft("Bob"))
            assert [s.name for s in first.summaries()] == ["Ada"]
            assert [s.name for s in elsewhere.summaries()] == ["Bob"]
        finally:
            elsewhere.close()
        assert [n.text for n in first.detail(ada.id).notes] == ["still writes"]
    finally:
        first.close()


def test_a_term_with_symbols_matches_as_typed(tmp_path: Path) -> None:
    """The word index drops "+", "#", "/" and brackets: "c++" matched every word starting with "c", and
    "[/]" filtered nothing. A token holding such a character must also be there as typed."""
    from infoint_tui.domain.contacts import make_draft
    from infoint_tui.domain.model import Filter

    store = Store.open(tmp_path / "s.sqlite3")
    plus = store.add(make_draft("Cora Plus", company="Acme")).id
    store.add_note(plus, "Knows C++ and the legacy stack.")
    store.add_note(store.add(make_draft("Carl Cee", company="Cobalt")).id, "Writes C and Clojure.")
    bracket = store.add(make_draft("[/] Eve", company="Sprocket")).id
    store.add(make_draft("Plain Person", company="Acme"))

    def found(query: str) -> set[int]:
        return {s.id for s in store.summaries(Filter(query=query), 0, 100)}

    assert found("c++") == {plus}
    assert found("C++ legacy") == {plus}
    assert found("[/]") == {bracket}
    assert plus in found("c")  # a plain word prefix still matches by words, "C++" among them
    assert len(found("c")) >= 2
    assert store.count(Filter(query="c++")) == 1


def test_a_card_step_from_a_stale_board_is_refused(store: Store) -> None:
    from infoint_tui.domain.errors import Conflict

    ada = store.add(make_draft("Ada"))
    store.move(ada.id, Stage.SCHEDULED)
    store.move(ada.id, Stage.MET)  # another window, after this board was read in scheduled
    with pytest.raises(Conflict, match="moved to met in another window"):
        store.step_card(ada.id, 1, Filter(), seen=Stage.SCHEDULED)
    assert store.contact(ada.id).stage is Stage.MET
    card, _, _ = store.step_card(ada.id, 1, Filter(), seen=Stage.MET)
    assert card.stage is Stage.THANKED
