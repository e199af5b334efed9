"""Follow-ups over the store: computed from the history, answered by the user, ended by doing the thing."""

from datetime import timedelta
from pathlib import Path

import pytest

from infoint_tui.domain.contacts import make_draft
from infoint_tui.domain.errors import Invalid, NotFound
from infoint_tui.domain.pipeline import Kind, Stage
from infoint_tui.exchange.markdown import dossier
from infoint_tui.store import Store

from ..conftest import NOW, Clock

pytestmark = pytest.mark.both_backends  # every test with a database runs on SQLite and on PostgreSQL


def test_logging_the_thank_you_completes_it(store: Store, clock: Clock) -> None:
    c = store.add(make_draft("Ada", company="Acme"))
    store.log(c.id, Kind.CALL, minutes=25)
    [f] = store.followups()
    assert (f.rule, f.due) == ("thank-you", NOW + timedelta(hours=24))
    clock.now += timedelta(hours=30)
    assert store.summaries()[0].thank_you_due
    store.log(c.id, Kind.THANK_YOU)
    assert [f.rule for f in store.followups()] == ["report-back"]


def test_done_snooze_dismiss(store: Store, clock: Clock) -> None:
    a = store.add(make_draft("Ada", company="Acme"))
    store.log(a.id, Kind.CALL)
    [f] = store.followups()
    store.answer_followup(f.key, "snoozed", NOW + timedelta(days=3))
    [g] = store.followups()
    assert g.due == NOW + timedelta(days=3)
    store.answer_followup(f.key, "done")  # logs the thank-you it asked for, as 'infoint log' does
    history = store.detail(a.id).history
    assert [e.kind for e in history[-2:]] == [Kind.THANK_YOU, Kind.STAGE]
    assert store.contact(a.id).stage is Stage.THANKED
    assert [x.rule for x in store.followups()] == ["report-back"]
    [h] = store.followups()
    with pytest.raises(Invalid, match="give a date to snooze to"):
        store.answer_followup(h.key, "snoozed")
    store.answer_followup(h.key, "dismissed")
    assert store.followups() == []
    with pytest.raises(NotFound):
        store.answer_followup(h.key, "done")
    with pytest.raises(Invalid, match="is not a follow-up key"):
        store.answer_followup("nonsense", "done")


def test_a_reply_at_the_company_cancels_next_contact_for_colleagues(store: Store, clock: Clock) -> None:
    a = store.add(make_draft("Ada", company="Acme"))
    b = store.add(make_draft("Bob", company="ACME"))
    store.log(a.id, Kind.OUTREACH)
    store.log(b.id, Kind.OUTREACH)
    clock.now += timedelta(hours=2)
    store.log(b.id, Kind.REPLY)
    assert {(f.name, f.rule) for f in store.followups()} == {("Ada", "nudge")}


def test_introducer_is_thanked_after_the_referral_is_met(store: Store) -> None:
    a = store.add(make_draft("Ada"))
    b = store.add(make_draft("Bob", referred_by=a.id))
    store.log(b.id, Kind.CALL)
    rules = {(f.name, f.rule) for f in store.followups()}
    assert ("Ada", "thank-introducer") in rules
    assert ("Bob", "thank-you") in rules
    assert any(s.follow_up_due is False for s in store.summaries())


def test_agenda_and_stats(store: Store, clock: Clock) -> None:
    a = store.add(make_draft("Ada", company="Acme"))
    store.schedule(a.id, NOW + timedelta(hours=5))
    b = store.add(make_draft("Bob"))
    store.log(b.id, Kind.OUTREACH)
    clock.now += timedelta(days=2)
    store.log(b.id, Kind.REPLY)
    agenda = store.agenda()
    assert [n for _, n, _ in agenda.meetings_today] == []
    assert [n for _, n, _ in agenda.upcoming_meetings] == []
    clock.now = NOW
    assert [n for _, n, _ in store.agenda().meetings_today] == ["Ada"]
    st = store.stats()
    assert (st.asked, st.replied, st.reply_rate, st.median_days_to_reply) == (1, 1, 1.0, 2.0)
    assert st.stages["scheduled"] == 1


def test_referral_tree_and_chain(store: Store) -> None:
    a = store.add(make_draft("Ada", company="Acme"))
    b = store.add(make_draft("Bob", company="Initech", referred_by=a.id))
    c = store.add(make_draft("Cy", company="Globex", referred_by=b.id))
    store.add(make_draft("Loner"))
    assert store.referral_chain(c.id) == [(b.id, "Bob"), (a.id, "Ada")]
    assert [(d, n) for d, _, n, _, _ in store.referral_tree()] == [(0, "Ada"), (1, "Bob"), (2, "Cy")]
    assert [n for _, _, n, _, _ in store.referral_tree("globex")] == ["Ada", "Bob", "Cy"]
    assert store.referral_tree("nowhere") == []
    assert store.detail(c.id).chain == ((b.id, "Bob"), (a.id, "Ada"))


def test_dossier_markdown(store: Store, clock: Clock, tmp_path: Path) -> None:
    ada = store.add(make_draft("Ada *Lovelace*", title="CTO", company="Acme", email="ada@acme.io"))
    bob = store.add(make_draft("Bob", company="acme", referred_by=ada.id))
    store.log(ada.id, Kind.OUTREACH, channel="email")
    clock.now += timedelta(days=1)
    store.log(ada.id, Kind.CALL, minutes=25, note="Advice: learn dbt.\nTrend: embedded analysts.")
    name, people = store.company_people("ACME")
    md = dossier(name, people, store.followups(), clock.now)
    assert md.startswith("# Acme\n\n2 people, 1 met.")
    assert "## Ada \\*Lovelace\\*" in md  # user text cannot inject Markdown
    assert "- **Title:** CTO" in md
    assert "- **Introduced you to:** Bob" in md
    assert "- **Met:** 2026-11-26 (25 min)" in md
    assert "- **First asked:** 2026-11-25" in md
    assert "> Advice: learn dbt.\n> Trend: embedded analysts." in md
    assert "- **Open:** Send a thank-you (due 2026-11-27)" in md
    assert "## Bob\n\n- **Stage:** to contact\n- **Introduced by:** Ada \\*Lovelace\\*" in md
    assert bob.id
