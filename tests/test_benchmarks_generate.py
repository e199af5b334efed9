"""The benchmark generator writes a database the store opens as its own (issue 18).

benchmarks/ is not part of the test suite, and its generator writes raw SQL for speed: when schema 5
replaced ``note_fts`` with ``person_notes_fts`` it went on inserting into the old table, and the
harness stopped on a fresh clone. This runs it on a small N so that it cannot rot again.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from infoint_tui.domain.model import Filter
from infoint_tui.exchange.readers import read_linkedin, read_text
from infoint_tui.store import Store

GENERATE = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmarks_generate", GENERATE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generated_database_opens_with_the_store_and_is_searchable(tmp_path: Path) -> None:
    path = _generator().generate(200, tmp_path / "200.sqlite3")
    store = Store.open(path, check=True)
    try:
        info = store.info()
        assert info["integrity"] == "ok"
        assert (info["contacts"], info["notes"], info["companies"]) == (200, 200, 10)
        assert store.count(Filter()) == 200
        # Every note is 55 of the generator's words: a word from it finds people through their notes,
        # and a name finds its person through the contact index.
        note_word = store.detail(1).notes[0].text.split()[0]
        assert store.count(Filter(query=note_word)) > 0
        name = store.contact(17).name
        assert [s.id for s in store.summaries(Filter(query=name.split()[1]))] == [17]
        assert store.summaries(Filter(), 0, 1)[0].name.startswith("Person 000001")
    finally:
        store.close()


def test_the_generated_linkedin_file_reads_as_linkedin(tmp_path: Path) -> None:
    path = _generator().linkedin_csv(200, tmp_path / "Connections.csv")
    records = read_linkedin(read_text(path))
    assert len(records) == 200
    assert len({r.url for r in records}) == 200
    assert all(r.name and r.company and r.url for r in records)
