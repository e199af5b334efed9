"""The command line's list, search and exports are streamed (issue 18): the same bytes as when they
were built whole, read page by page."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from infoint_tui.cli import main, summary_json
from infoint_tui.cli.render import print_summaries
from infoint_tui.domain.contacts import make_draft
from infoint_tui.domain.model import Filter
from infoint_tui.domain.pipeline import ArchiveReason, Kind, Stage
from infoint_tui.exchange import writers
from infoint_tui.exchange.export import export_chunks, export_text
from infoint_tui.store import Store
from infoint_tui.store.demo import seed_demo

from .conftest import NOW

pytestmark = pytest.mark.both_backends  # every test with a database runs on SQLite and on PostgreSQL


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo network, plus people whose fields and notes are hard to write as JSON or CSV (built once:
    the tests below only read it)."""
    path = tmp_path_factory.mktemp("streaming") / "demo.sqlite3"
    store = Store.open(path, lambda: NOW)
    seed_demo(store)
    odd = store.add(make_draft('Zoë "Q" Ńowak\nline two', company="=HYPERLINK(\"x\")", title="\u2028lead\x7f",
                               tags=["a, b", "ünï"]))
    store.add_note(odd.id, 'quotes " and \\ backslashes\n\ttab, emoji 🎉, nul-free')
    store.log(odd.id, Kind.OUTREACH, channel="email")
    archived = store.add(make_draft("Archie Ved", company="Gone Inc"))
    store.archive(archived.id, next(iter(ArchiveReason)), "")
    store.close()
    return path


@pytest.fixture
def demo(demo_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """The demo store; the command line opens it with the same fixed clock (its badges depend on it)."""
    store = Store.open(demo_path, lambda: NOW)
    monkeypatch.setattr("infoint_tui.cli.people._open", lambda args: Store.open(args.db, lambda: NOW))
    yield store
    store.close()


def test_the_streamed_json_export_is_the_one_built_whole_and_imports_back(demo: Store, tmp_path: Path) -> None:
    streamed = "".join(export_chunks(demo, "json"))
    assert streamed == writers.to_json(demo.export_all())
    # The export's time stamp comes from the store's clock: fixed in tests, so the whole text is equal.
    path = tmp_path / "all.json"
    path.write_text(streamed, encoding="utf-8")
    assert main(["--db", str(tmp_path / "back.sqlite3"), "import", str(path)]) == 0
    back = Store.open(tmp_path / "back.sqlite3", lambda: NOW)
    try:
        again = back.export_all()
        original = demo.export_all()
        for key in ("companies", "contacts", "tags", "meetings", "events", "notes", "followups"):
            assert again[key] == original[key], key
    finally:
        back.close()


def test_the_streamed_csv_and_vcard_exports_read_every_person_as_contact_does(demo: Store) -> None:
    people = [demo.contact(i) for i in demo.all_ids()]
    assert list(demo.iter_contacts(batch=3)) == people
    assert "".join(writers.csv_chunks(demo.iter_contacts(), batch=4)) == writers.to_csv(people)
    assert export_text(demo, "csv") == writers.to_csv(people)
    assert export_text(demo, "vcard") == writers.to_vcard(people)


@pytest.mark.parametrize("flt", [
    Filter(), Filter(sort="activity"), Filter(archived=True), Filter(stage=Stage.MET), Filter(query="data"),
    Filter(query="zzzz-nobody"), Filter(tag="analytics"), Filter(company="Kumo Cloud", sort="activity"),
])
@pytest.mark.parametrize("limit", [None, 5])
def test_streamed_summaries_are_the_pages_summaries_gives(demo: Store, flt: Filter, limit: int | None) -> None:
    whole = demo.summaries(flt, 0, limit or 10_000, follow_ups=False)
    # Pages smaller than the list: the rows cross page boundaries.
    assert list(demo.iter_summaries(flt, limit, first_page=2, page=3)) == whole
    assert demo.max_id(flt, limit) == max((s.id for s in whole), default=None)


def _run(db: Path, *args: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--db", str(db), *args]) == 0
    return out.getvalue()


@pytest.mark.parametrize("args", [("list",), ("list", "--sort", "activity"), ("list", "--archived"),
                                  ("list", "--stage", "met"), ("search", "data"), ("search", "gone")])
def test_list_and_search_print_what_they_printed_built_whole(demo: Store, demo_path: Path,
                                                              args: tuple[str, ...]) -> None:
    if args[0] == "search":
        query = args[1]
        rows = (demo.summaries(Filter(query=query), 0, 200, follow_ups=False)
                + demo.summaries(Filter(query=query, archived=True), 0, 200, follow_ups=False))
    else:
        flt = Filter(archived="--archived" in args, stage=Stage.MET if "met" in args else None,
                     sort="activity" if "activity" in args else "name")
        rows = demo.summaries(flt, 0, 10_000, follow_ups=False)
    assert rows
    text = io.StringIO()
    with redirect_stdout(text):
        print_summaries(rows)
    assert _run(demo_path, *args) == text.getvalue()
    assert _run(demo_path, *args, "--json") == json.dumps([summary_json(r) for r in rows], ensure_ascii=False,
                                                        indent=2) + "\n"


def test_empty_lists_say_so_as_before(db_path: Path) -> None:
    assert _run(db_path, "list", "--json") == "[]\n"
    assert _run(db_path, "list").startswith("No people yet.")
    assert _run(db_path, "search", "x", "--json") == "[]\n"


@pytest.mark.parametrize("value", [
    {"id": 1, "s": 'q"\\\n\u2028é🎉\x01', "n": None, "t": True, "f": False}, {}, {"nested": [1, {"a": []}]},
    {"x": 1.5}, {1: "int key"}, [], [1, "a"], "text", 7, None,
])
def test_json_pieces_are_what_json_dumps_writes(value: object) -> None:
    for indent in (1, 2):
        for level in (0, 1, 3):
            assert writers.json_item(value, level, indent) == json.dumps(value, ensure_ascii=False, indent=indent
                                                                         ).replace("\n", "\n" + " " * level * indent)
    for items in ([], [value], [value, value]):
        assert "".join(writers.json_array_chunks(iter(items))) == json.dumps(items, ensure_ascii=False, indent=2)
    doc = {"a": value, "rows": [value, value], "empty": []}
    pairs = [(k, iter(v) if k != "a" else v) for k, v in doc.items()]
    assert "".join(writers.json_chunks(pairs)) == writers.to_json(doc)


def test_a_streamed_export_that_fails_halfway_leaves_no_file(tmp_path: Path) -> None:
    """Chunks go to a private part-file that takes the name only when whole: Ctrl+C or a full disk
    halfway through a 100k export leaves neither a truncated export nor a part-file."""

    from infoint_tui.exchange.files import write_private

    def chunks():  # type: ignore[no-untyped-def]
        yield "first half\n"
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_private(tmp_path / "all.json", chunks())
    assert list(tmp_path.iterdir()) == []
    written = write_private(tmp_path / "all.json", iter(["a", "b"]))
    assert written.read_text() == "ab"
    assert (written.stat().st_mode & 0o777) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["all.json"]
