"""Issue 18, fourth round: an import reads, matches and writes its file a chunk at a time
(``store.importing``), and matches as one pass over the whole file did."""

from __future__ import annotations

import csv
import io
import random
import re
import sqlite3
from pathlib import Path

import pytest

from infoint_tui.domain import contacts as contact_rules
from infoint_tui.domain.contacts import make_draft
from infoint_tui.domain.errors import Invalid, NothingImported
from infoint_tui.domain.model import Filter, PersonRecord
from infoint_tui.exchange import readers
from infoint_tui.exchange.load import load_file
from infoint_tui.paths import ServerAddress
from infoint_tui.store import Store, importing

from .conftest import NOW

pytestmark = pytest.mark.both_backends  # every test with a database runs on SQLite and on PostgreSQL

HEADER = ["Name", "Email", "Phone", "Company", "Title", "URL", "Tags", "Notes"]


def _csv(path: Path, rows: list[list[str]]) -> Path:
    buf = io.StringIO()
    csv.writer(buf).writerows([HEADER, *rows])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def _people(store: Store) -> list[tuple[object, ...]]:
    """Everyone, as the store gives them, with their notes: what an import leaves."""
    out = []
    for s in store.summaries(Filter(), limit=10_000):
        c = store.contact(s.id)
        notes = tuple(n.text for n in store.detail(s.id).notes)
        out.append((c.id, c.name, c.title, c.company, c.email, c.phone, c.url, c.tags, notes, c.version))
    return sorted(out)


def _messy(n: int, seed: int = 3) -> list[list[str]]:
    """Rows with look-alikes, the same person again further on (written differently), and bad cells."""
    rng = random.Random(seed)
    rows: list[list[str]] = []
    for i in range(n):
        name = rng.choice(["Ada Lee", "Bo Kim", "Cy Ng", f"Person {i}"])
        email = f"p{i}@example.com" if rng.random() < 0.5 else ""
        url = f"https://www.linkedin.com/in/p-{i}" if rng.random() < 0.5 else ""
        rows.append([name, email, "", rng.choice(["Acme", "Globex", ""]), rng.choice(["", "PM"]), url,
                     rng.choice(["", "warm"]), rng.choice(["", "met at a fair"])])
        if rows and rng.random() < 0.3:  # someone from before, again: by e-mail, by URL or by name alone
            old = list(rng.choice(rows))
            old[1] = old[1].upper()
            old[5] = old[5].replace("https://www.", "http://") + ("/" if old[5] else "")
            old[4] = rng.choice(["", "CTO"])
            old[6] = rng.choice(["", "fintech"])
            rows.append(old)
        if rng.random() < 0.05:
            rows.append([name, "not-an-email", "abc", "", "", "", "", ""])
    return rows


@pytest.mark.parametrize("chunk", [1, 3, 7])
def test_a_file_of_many_chunks_imports_as_one_chunk_does(db_path: Path | ServerAddress, tmp_path: Path,
                                                         backend: str, request: pytest.FixtureRequest,
                                                         monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    path = _csv(tmp_path / "people.csv", _messy(60))
    results = []
    for size in (10_000, chunk):
        monkeypatch.setattr(importing, "CHUNK", size)
        where = db_path if size == chunk else (request.getfixturevalue("postgres").new_database()
                                               if backend == "postgresql" else tmp_path / "one.sqlite3")
        store = Store.open(where, lambda: NOW)
        store.add(make_draft("Ada Lee", company="Acme", email="ada@example.com"))
        report = store.import_people(load_file(path).records)
        again = store.import_people(load_file(path).records)
        results.append((report, again, _people(store)))
        store.close()
    assert results[0] == results[1]
    report = results[0][0]
    assert report.unchanged > 0  # people found again further on in the file
    assert any("possible duplicate of line" in m for _, m in report.warnings)
    assert results[0][1].added == 0


def test_the_same_person_in_a_later_chunk_is_one_person_with_what_both_rows_hold(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "CHUNK", 2)
    path = _csv(tmp_path / "people.csv", [
        ["Dana Cruz", "", "", "Initech", "", "https://www.linkedin.com/in/dana-cruz", "a", "first note"],
        ["Eli Moss", "", "", "", "", "", "", ""],
        ["Fay Wong", "", "", "", "", "", "", ""],
        ["Dana C.", "DANA@cruz.example", "+1 555 0100", "Other Co", "CTO", "http://linkedin.com/in/Dana-Cruz/",
         "b, a", "second note"],
        ["Gil Ray", "dana@cruz.example", "", "", "", "", "", ""],  # her e-mail, which the row above gave her
    ])
    report = store.import_people(load_file(path).records)
    assert (report.added, report.updated, report.unchanged) == (3, 0, 2)
    [dana] = store.summaries(Filter(query="dana"))
    c = store.contact(dana.id)
    # what the first row held stays; what it lacked, the later row gave; tags and notes added
    assert (c.name, c.company, c.title, c.email, c.phone) == ("Dana Cruz", "Initech", "CTO", "DANA@cruz.example",
                                                             "+1 555 0100")
    assert c.tags == ("a", "b")
    assert sorted(n.text for n in store.detail(dana.id).notes) == ["first note", "second note"]
    assert [s.id for s in store.summaries(Filter(query="cto"))] == [dana.id]  # found by what was filled in


def test_a_look_alike_in_an_earlier_chunk_is_named_by_its_line(store: Store, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "CHUNK", 2)
    ada = store.add(make_draft("Ada Lee", company="Acme", email="ada@acme.example"))
    path = _csv(tmp_path / "people.csv", [
        ["Bo Kim", "bo@one.example", "", "", "", "", "", ""],
        ["X", "", "", "", "", "", "", ""],
        ["Y", "", "", "", "", "", "", ""],
        ["Bo  Kim", "bo@two.example", "", "", "", "", "", ""],
        ["Ada Lee", "ada@other.example", "", "", "", "", "", ""],
        ["Ada\u00a0Lee", "", "", "Acme", "", "", "", ""],  # the same name, a no-break space in it: Ada at Acme
    ])
    report = store.import_people(load_file(path).records)
    assert (report.added, report.unchanged) == (5, 1)
    assert [m for _, m in report.warnings] == [
        "added as a new person: possible duplicate of line 2 (same name, nothing shared); merge by hand if it "
        "is one person",
        f"added as a new person: possible duplicate of #{ada.id} (same name, nothing shared); merge by hand if "
        "it is one person"]


def test_a_name_an_import_gave_someone_is_matched_in_the_chunks_after(store: Store, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "CHUNK", 2)
    ada = store.add(make_draft("Ada Lovelace", company="Analytical", url="https://www.linkedin.com/in/ada"))
    path = _csv(tmp_path / "people.csv", [
        ["Countess of Lovelace", "", "", "Analytical", "Countess", "https://linkedin.com/in/ada", "", ""],
        ["Z", "", "", "", "", "", "", ""],
        ["Countess of Lovelace", "", "", "Analytical", "", "", "vip", ""],  # no URL: found by that name
    ])
    report = store.import_people(load_file(path).records)
    assert (report.added, report.updated, report.unchanged) == (1, 2, 0)
    c = store.contact(ada.id)
    assert (c.name, c.title, c.tags) == ("Ada Lovelace", "Countess", ("vip",))


def test_a_company_is_found_by_its_stored_name_as_for_a_person_added_by_hand(store: Store, tmp_path: Path) -> None:
    hand = store.add(make_draft("Hal Hand", company="Acme Widgets Inc"))
    path = _csv(tmp_path / "people.csv", [["Ivy Import", "", "", "ACME WIDGETS", "", "", "", ""]])
    assert store.import_people(load_file(path).records).added == 1
    [ivy] = store.summaries(Filter(query="ivy"))
    assert store.contact(ivy.id).company == "Acme Widgets Inc"  # the company there, as stored
    assert {s.id for s in store.summaries(Filter(query="inc"))} == {hand.id, ivy.id}


def test_a_cell_of_control_characters_only_does_not_erase_a_value(store: Store, tmp_path: Path) -> None:
    ada = store.add(make_draft("Ada Lee", title="PM", company="Acme", email="ada@acme.example"))
    path = _csv(tmp_path / "people.csv", [["Ada Lee", "ada@acme.example", "", "\x07", "\x1b[31m", "", "", ""]])
    report = store.import_people(load_file(path).records)
    assert (report.updated, report.unchanged) == (0, 1)
    c = store.contact(ada.id)
    assert (c.title, c.company) == ("PM", "Acme")


def test_ctrl_c_after_some_chunks_were_written_leaves_the_database_as_it_was(
        store: Store, db_path: Path | ServerAddress, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "CHUNK", 1000)
    store.add(make_draft("Ada Lovelace", company="Analytical", email="ada@example.com"))
    before = _people(store)
    records = [PersonRecord(i + 2, f"Person {i}", company=f"Co {i % 50}", email=f"p{i}@example.com")
               for i in range(5000)]

    def stop(done: int, total: int | None) -> None:
        if done >= 3500:  # three chunks written
            raise KeyboardInterrupt

    with pytest.raises(NothingImported):
        store.import_people(iter(records), progress=stop)
    assert _people(store) == before
    assert store.import_people(iter(records)).added == 5000


def test_a_row_that_cannot_be_read_late_in_the_file_imports_nothing(store: Store, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "CHUNK", 10)
    path = tmp_path / "people.csv"
    path.write_text("Name,Email\n" + "".join(f"P{i},p{i}@x.org\n" for i in range(50)) + 'Bad,"open\n',
                    encoding="utf-8")
    with pytest.raises(readers.FormatError, match=rf"^{re.escape(str(path))}: line 52: "):
        store.import_people(load_file(path).records)
    assert store.count() == 0


@pytest.mark.sqlite_only
def test_the_keys_scratch_file_is_never_left_beside_the_database(store: Store, db_path: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "CHUNK", 3)
    path = _csv(tmp_path / "people.csv", _messy(20))
    store.import_people(load_file(path).records)
    with pytest.raises(Invalid):
        store.import_people([PersonRecord(2, "Ann", email="ann@x.org")], progress=_fail)
    assert sorted(p.name for p in db_path.parent.iterdir() if "import" in p.name) == []
    with sqlite3.connect(db_path) as c:  # and nothing of the import's own is left in the database
        assert not [n for (n,) in c.execute("SELECT name FROM sqlite_master") if "import" in n]


def _fail(done: int, total: int | None) -> None:
    raise Invalid("test", "stop")


def test_a_file_read_as_it_is_imported_can_be_read_again_and_says_how_big_it_is(tmp_path: Path) -> None:
    path = _csv(tmp_path / "people.csv", [[f"P{i}", "", "", "", "", "", "", ""] for i in range(3000)])
    loaded = load_file(path)
    people = loaded.records
    assert not isinstance(people, list)
    first = iter(people)
    next(first)
    assert people.expected() > 0  # an estimate while it is read
    assert list(people) == list(people)  # a dry run, then the import: the file read twice
    assert people.expected() == 3000
    assert loaded.ignored_columns == ()


def test_plain_rows_read_fast_are_the_rows_the_general_path_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(5)
    bits = ["", " ", "Ann", "O'Brien", "b@x.org", "* ", ":::", " ::: ", ",", ";", "'", "'+1", "'\t", "\t", "\r\n",
            "https://www.linkedin.com/in/x", "http://site.org/p", "My Contacts", "Paris", "+1 555 0100",
            "x@y.co; z@w.io", "  *  lead", "é", "\u2003", "*"]
    headers = [["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"],
               ["Name", "Email", "Phone", "Company", "Title", "URL", "Tags", "Notes", "Address", "Source"],
               ["Name", "Street", "City", "Country", "Labels", "E-mail"]]
    for _ in range(60):
        header = rng.choice(headers)
        rows = [header] + [["".join(rng.choice(bits) for _ in range(rng.randrange(3)))
                            for _ in range(len(header) + rng.choice([0, 0, -1, 1]))] for _ in range(100)]
        buf = io.StringIO()
        csv.writer(buf).writerows(rows)
        fast = list(readers.TableReader().records(io.StringIO(buf.getvalue(), newline="")))
        with monkeypatch.context() as m:
            m.setattr(readers._PlainRows, "record", lambda self, line, row: None)
            general = list(readers.TableReader().records(io.StringIO(buf.getvalue(), newline="")))
        assert fast == general


def test_import_values_are_what_the_field_cleaners_give() -> None:
    rng = random.Random(1)
    bits = ["", " ", "Ann", "b@x.org", "x@y", "  ", "\t", "\x1b[31m", "\x07", "\u00a0", "https://www.linkedin.com/in/x",
            "linkedin.com/in/y", "http://a b.com", "ftp://x.org", "+1 555 0100", "abc", "12", "ext 5", "é", "A" * 300]
    clean = contact_rules.FIELD_CLEANERS
    for _ in range(3000):
        record = PersonRecord(1, **{f: "".join(rng.choice(bits) for _ in range(rng.randrange(4)))
                                    for f in ("name", *contact_rules.IMPORTED)})
        try:
            expected: object = {"name": clean["name"](record.name)}
        except Invalid:
            expected = "no name"
        warned = []
        if isinstance(expected, dict):
            for field in contact_rules.IMPORTED:
                raw = getattr(record, field)
                if raw.strip():
                    try:
                        if value := clean[field](raw):
                            expected[field] = value
                    except Invalid as err:
                        warned.append(f"{err.field} dropped: {err.reason}")
        try:
            got: object = contact_rules.import_values(record)
        except Invalid:
            got = "no name"
        assert got == (expected if expected == "no name" else (expected, warned))
