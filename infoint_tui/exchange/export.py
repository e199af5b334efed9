"""Exporting by format name: one place for the command line and the app."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from ..store import Store
from . import writers
from .markdown import dossier, people_list

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


def export_chunks(store: Store, fmt: str) -> Iterator[str]:
    """The text :func:`export_text` gives for ``fmt`` (json or csv), in pieces as the rows are read:
    memory stays flat however many people there are (100,000: the JSON export held ~840 MiB whole)."""
    if fmt == "json":
        return writers.json_chunks(store.export_stream())
    if fmt == "csv":
        return writers.csv_chunks(store.iter_contacts())
    raise ValueError(f"{fmt} is not streamed; use export_text")
