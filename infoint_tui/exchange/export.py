"""Exporting by format name: one place for the command line and the app."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from typing import Any, TypeVar

from ..store import Store
from . import writers
from .markdown import dossier, people_list

T = TypeVar("T")

STREAMED = ("json", "csv")
"""Formats :func:`export_chunks` writes as the rows are read (the others are built whole)."""


def export_text(store: Store, fmt: str, company: str = "") -> str:
    """Everything (or, for ``md`` with ``company``, one company's dossier) in format ``fmt``."""
    if fmt in STREAMED:
        return "".join(export_chunks(store, fmt))
    if fmt == "vcard":
        return writers.to_vcard(store.iter_contacts())
    now = store.clock()
    if fmt == "ics":
        return writers.to_ics(store.meetings_between(now - timedelta(days=1), now + timedelta(days=3650)),
                              store.followups(), now)
    if company:
        name, people = store.company_people(company)
        return dossier(name, people, store.followups([d.contact.id for d in people]), now)
    return people_list([store.detail(i) for i in store.all_ids()], now)


def export_chunks(store: Store, fmt: str, progress: Callable[[int, int], None] | None = None) -> Iterator[str]:
    """The text :func:`export_text` gives for ``fmt`` (json or csv), in pieces as the rows are read:
    memory stays flat however many people there are (100,000: the JSON export held ~840 MiB whole).

    ``progress(done, total)``, when given, is told the rows written so far (json: the rows of every
    table; csv: the people), every 500 rows and at the end.
    """
    if fmt == "json":
        pairs: Iterable[tuple[str, Any]] = store.export_stream()
        if progress is not None:
            pairs = _counted_pairs(pairs, _Counter(progress, store.export_size()))
        return writers.json_chunks(pairs)
    if fmt == "csv":
        people: Iterable[Any] = store.iter_contacts()
        if progress is not None:
            people = _counted(people, _Counter(progress, store.export_size(people_only=True)))
        return writers.csv_chunks(people)
    raise ValueError(f"{fmt} is not streamed; use export_text")


class _Counter:
    """Rows written so far, told to ``progress`` every 500."""

    def __init__(self, progress: Callable[[int, int], None], total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def step(self) -> None:
        self.done += 1
        if self.done % 500 == 0 or self.done == self.total:
            self.progress(self.done, self.total)


def _counted(rows: Iterable[T], counter: _Counter) -> Iterator[T]:
    for row in rows:
        counter.step()
        yield row


def _counted_pairs(pairs: Iterable[tuple[str, Any]], counter: _Counter) -> Iterator[tuple[str, Any]]:
    for key, value in pairs:
        yield key, (_counted(value, counter) if isinstance(value, Iterator) else value)
