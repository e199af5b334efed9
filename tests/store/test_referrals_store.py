"""Referrals over the store: a person's lineage (introducers, the person, whom they referred)."""

import pytest

from infoint_tui.domain.contacts import make_draft
from infoint_tui.domain.errors import NotFound
from infoint_tui.domain.model import Contact
from infoint_tui.domain.pipeline import ArchiveReason, Kind, Stage
from infoint_tui.store import Store

pytestmark = pytest.mark.both_backends  # every test with a database runs on SQLite and on PostgreSQL


def _as_cmd_tree_builds(store: Store, contact_id: int) -> list[tuple[int, int, str, str, str]]:
    """The rows `infoint tree ID` builds from the store, one `contact` per person (cli.cmd_tree)."""
    chain = store.referral_chain(contact_id)
    c = store.contact(contact_id)
    rows = [(i, cid, name, "", "") for i, (cid, name) in enumerate(reversed(chain))]
    rows.append((len(chain), c.id, c.name, c.stage.value, c.company))
    rows += [(len(chain) + 1, cid, name, "", "") for cid, name in store.detail(contact_id).referrals]
    return [(d, i, n, s or store.contact(i).stage.value, co or store.contact(i).company)
            for d, i, n, s, co in rows]


def _chain(store: Store, length: int) -> list[Contact]:
    """``length`` people, each referred by the one before."""
    people = [store.add(make_draft("P00", company="Co 0"))]
    for n in range(1, length):
        people.append(store.add(make_draft(f"P{n:02}", company=f"Co {n % 3}" if n % 2 else "",
                                           referred_by=people[-1].id)))
    return people


def test_a_lineage_is_the_introducers_the_person_and_whom_they_referred(store: Store) -> None:
    ada = store.add(make_draft("Ada", company="Acme"))
    bob = store.add(make_draft("Bob", referred_by=ada.id))
    cy = store.add(make_draft("Cy", company="Initech", referred_by=bob.id))
    dee = store.add(make_draft("Dee", company="Globex", referred_by=cy.id))
    finn = store.add(make_draft("finn", referred_by=dee.id))  # sorted by name whatever the case
    eve = store.add(make_draft("Eve", company="Acme", referred_by=dee.id))
    store.add(make_draft("Gus", referred_by=eve.id))  # two levels down: not in Dee's lineage
    store.log(bob.id, Kind.MEETING)
    store.log(dee.id, Kind.CALL)
    store.archive(finn.id, ArchiveReason.NO_REPLY)  # the stage they are in, archived or not
    assert store.referral_lineage(dee.id) == [
        (0, ada.id, "Ada", "to-contact", "Acme"),
        (1, bob.id, "Bob", "scheduled", ""),
        (2, cy.id, "Cy", "to-contact", "Initech"),
        (3, dee.id, "Dee", "met", "Globex"),
        (4, eve.id, "Eve", "to-contact", "Acme"),
        (4, finn.id, "finn", "to-contact", ""),
    ]
    assert store.referral_lineage(dee.id) == _as_cmd_tree_builds(store, dee.id)
    assert store.contact(finn.id).stage is Stage.TO_CONTACT


@pytest.mark.parametrize(("length", "at"), [(1, 0), (2, 0), (2, 1), (5, 2), (23, 22), (23, 21)])
def test_a_lineage_is_what_the_tree_command_builds_one_person_at_a_time(store: Store, length: int,
                                                                         at: int) -> None:
    """Chains longer than 20 introducers are cut where referral_chain cuts them."""
    people = _chain(store, length)
    store.add(make_draft("Zed", referred_by=people[at].id))
    assert store.referral_lineage(people[at].id) == _as_cmd_tree_builds(store, people[at].id)


def test_a_cycle_of_introducers_is_cut_as_the_chain_cuts_it(store: Store) -> None:
    a, b, c = _chain(store, 3)
    store.edit(a.id, {"referred_by": c.id})  # a introduced b, who introduced c, who introduced a
    rows = store.referral_lineage(a.id)
    assert [(d, i) for d, i, *_ in rows] == [(0, b.id), (1, c.id), (2, a.id), (3, b.id)]
    for person in (a, b, c):
        assert store.referral_lineage(person.id) == _as_cmd_tree_builds(store, person.id)


@pytest.mark.sqlite_only  # counts statements with SQLite's trace callback
def test_a_lineage_takes_two_queries_however_long_the_chain(store: Store) -> None:
    short, long = _chain(store, 2), _chain(store, 15)
    for p in (*short, *long):
        store.add(make_draft(f"Referred by {p.name}", referred_by=p.id))
    statements: list[str] = []
    store.db.connection().set_trace_callback(statements.append)
    try:
        store.referral_lineage(short[-1].id)
        shorts = len(statements)
        statements.clear()
        store.referral_lineage(long[-1].id)
    finally:
        store.db.connection().set_trace_callback(None)
    assert shorts == len(statements) == 2, statements


def test_the_lineage_of_nobody_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match="no contact #42"):
        store.referral_lineage(42)
