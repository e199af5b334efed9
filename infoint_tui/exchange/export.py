"""Exporting by format name: one place for the command line and the app."""

from __future__ import annotations

from datetime import timedelta

from ..store import Store
from . import writers
from .markdown import dossier, people_list

def export_text(store: Store, fmt: str, company: str = "") -> str:
    """Everything (or, for ``md`` with ``company``, one company's dossier) in format ``fmt``."""
    if fmt == "json":
        return writers.to_json(store.export_all())
    if fmt in ("csv", "vcard"):
        people = [store.contact(i) for i in store.all_ids()]
        return writers.to_csv(people) if fmt == "csv" else writers.to_vcard(people)
    now = store.clock()
    if fmt == "ics":
        return writers.to_ics(store.meetings_between(now - timedelta(days=1), now + timedelta(days=3650)),
                              store.followups(), now)
    if company:
        name, people = store.company_people(company)
        return dossier(name, people, store.followups([d.contact.id for d in people]), now)
    return people_list([store.detail(i) for i in store.all_ids()], now)
