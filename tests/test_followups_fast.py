"""Issue 18: the follow-ups of everyone (``Store.followups()``: Today, ``infoint agenda``, the ICS
export) are read in one pass over the people who can have one (``CAN_FOLLOW_UP``); they must be
exactly those the rules give when every person's history is read (``followups(ids)``)."""

from __future__ import annotations

import io
import json
import random
from contextlib import redirect_stdout
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from infoint_tui.domain.followups import FollowUp
from infoint_tui.domain.followups import agenda as make_agenda
from infoint_tui.domain.model import Filter, PersonRecord
from infoint_tui.domain.pipeline import ORDER, Kind, Stage
from infoint_tui.store import Store

from .conftest import NOW

pytestmark = pytest.mark.both_backends  # every test with a database runs on SQLite and on PostgreSQL

_KINDS = [Kind.OUTREACH, Kind.REPLY, Kind.DECLINED, Kind.MEETING, Kind.CALL, Kind.THANK_YOU, Kind.FOLLOW_UP,
          Kind.REFERRAL, Kind.EDITED, Kind.STAGE, Kind.STAGE, Kind.STAGE]


def _key(f: FollowUp) -> tuple[object, ...]:
    return (f.due, f.name, f.contact_id, f.rule, f.anchor, f.title, f.log, f.company)


def _everyone(store: Store) -> list[FollowUp]:
    """The rules over every active person's whole history, as the page path reads them."""
    ids = store.all_ids()
    found: list[FollowUp] = []
    for i in range(0, len(ids), 500):
        found += store.followups(ids[i:i + 500])
    return sorted(found, key=lambda f: (f.due, f.name))


def _same(store: Store) -> None:
    fast, full = store.followups(), _everyone(store)
    assert sorted(fast, key=_key) == sorted(full, key=_key)
    assert [(f.due, f.name) for f in fast] == [(f.due, f.name) for f in full]
    now = store.clock()
    a, b = store.agenda(), make_agenda(full, store.meetings_between(now - timedelta(days=1),
                                                                    now + timedelta(days=9)), now)
    for section in ("overdue", "today", "upcoming"):
        assert sorted(getattr(a, section), key=_key) == sorted(getattr(b, section), key=_key)
    assert a.meetings_today == b.meetings_today


def test_the_demo_follow_ups_are_those_of_every_history(demo_path: Path) -> None:
    store = Store.open(demo_path, lambda: NOW)
    assert store.followups()
    _same(store)
    store.close()


def _random_histories(db_path: Path, seed: int) -> Store:
    """2,000 people with random histories (moves back and forth, ties in time, referrals, archived
    people, the user's dismissed and snoozed follow-ups), written straight into the tables."""
    rnd = random.Random(seed)
    store = Store.open(db_path, lambda: NOW)
    companies = [f"Company {i}" for i in range(60)]
    odd = ['Zoë "Q" \\ Ñ', "李小龙", "tab\there", "\x1b[31mred"]
    store.import_people([PersonRecord(i + 2, f"Person {i % 1700} {odd[i % 4] if i % 50 == 0 else ''}",
                                      company=rnd.choice([*companies, "", "Ünïcode “Co”"]),
                                      title=rnd.choice(["", "CTO", 'a "quoted" title'])) for i in range(2000)])
    # Straight into the tables, in one transaction, through the store's connection (either backend).
    tx = store.db.atomic()
    tx.__enter__()

    class _Con:
        @staticmethod
        def execute(sql: str, params: tuple[object, ...] = ()) -> Any:
            return store.db.execute_sql(sql, params)

        @staticmethod
        def executemany(sql: str, rows: list[tuple[object, ...]]) -> None:
            store.sql.executemany(store.db, sql, rows)

    con = _Con()
    ids = [i for (i,) in con.execute("SELECT id FROM contact")]
    events = []
    for cid in ids:
        stage = 0
        at = NOW - timedelta(days=rnd.randint(1, 150))
        for _ in range(rnd.choice([0, 0, 1, 2, 3, 4, 6, 8])):
            at += timedelta(hours=rnd.choice([0, 0, 1, 5, 30, 200]))  # ties in time too
            kind = rnd.choice(_KINDS)
            if kind is Kind.STAGE:
                to = rnd.randrange(len(ORDER))
                if to == stage:
                    continue
                events.append((cid, kind.value, at, ORDER[stage].value, ORDER[to].value))
                stage = to
            else:
                events.append((cid, kind.value, at, None, None))
        con.execute("UPDATE contact SET stage = ? WHERE id = ?", (ORDER[stage].value, cid))
        if rnd.random() < 0.1:
            con.execute("UPDATE contact SET referred_by_id = ? WHERE id = ?", (rnd.choice(ids), cid))
        if rnd.random() < 0.03:
            con.execute("UPDATE contact SET archived = TRUE, archive_reason = 'declined' WHERE id = ?", (cid,))
        if rnd.random() < 0.05:
            starts = (NOW + timedelta(hours=rnd.randint(-50, 300))).replace(tzinfo=None).isoformat(" ")
            con.execute("INSERT INTO meeting (contact_id, starts_at, minutes, medium, location, held, cancelled, "
                        "created) VALUES (?, ?, 30, 'phone', '', ?, ?, ?)",
                        (cid, starts, rnd.random() < 0.2, rnd.random() < 0.2, starts))
    con.executemany("INSERT INTO event (contact_id, kind, at, created, channel, stage_from, stage_to, detail) "
                    "VALUES (?, ?, ?, ?, '', ?, ?, '')",  # as the store writes them: naive UTC text
                    [(c, k, at.replace(tzinfo=None).isoformat(" "), at.replace(tzinfo=None).isoformat(" "), f, t)
                     for c, k, at, f, t in events])
    tx.__exit__(None, None, None)
    store.close()
    store = Store.open(db_path, lambda: NOW)
    for f in rnd.sample(store.followups(), 60):
        state = rnd.choice(["dismissed", "snoozed"])
        store.answer_followup(f.key, state, NOW + timedelta(days=rnd.randint(1, 20)) if state == "snoozed" else None)
    return store


@pytest.mark.parametrize("seed", [1, 2])
def test_random_histories_give_the_same_follow_ups_either_way(db_path: Path, seed: int) -> None:
    store = _random_histories(db_path, seed)
    assert len(store.followups()) > 300
    assert store.count(Filter()) > 1900
    _same(store)
    store.close()


@pytest.mark.parametrize("flt", [Filter(), Filter(sort="activity"), Filter(archived=True),
                                 Filter(stage=Stage.TO_CONTACT), Filter(stage=Stage.MET), Filter(query="person 12"),
                                 Filter(company="Company 7")])
def test_the_command_lines_plain_rows_are_the_lists_summaries(db_path: Path, flt: Filter) -> None:
    """``iter_list_rows`` (what ``infoint list`` and ``search`` print) says what ``summaries`` says."""
    from infoint_tui.cli.render import (
        emit_list_rows_json,
        list_row_json,
        print_summaries,
        stream_list_rows,
        summary_json,
    )

    store = _random_histories(db_path, 3)
    summaries = store.summaries(flt, 0, 10_000, follow_ups=False)
    whole = [summary_json(s) for s in summaries]
    text, lean = io.StringIO(), io.StringIO()
    with redirect_stdout(text):
        print_summaries(summaries)
    with redirect_stdout(lean):
        stream_list_rows(store.iter_list_rows(flt), max((s.id for s in summaries), default=0))
    assert lean.getvalue() == text.getvalue()
    assert whole
    assert [list_row_json(r) for r in store.iter_list_rows(flt, first_page=7, page=50)] == whole
    assert [list_row_json(r) for r in store.iter_list_rows(flt, 30)] == whole[:30]  # --limit: page by page
    out = io.StringIO()
    with redirect_stdout(out):
        emit_list_rows_json(store.iter_list_rows(flt))
    assert out.getvalue() == json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
    badges = {(w["asked_on"] is not None, w["next_meeting"] is not None, w["thank_you_due"]) for w in whole}
    if flt == Filter():
        assert {(True, False, False), (False, True, False), (False, False, True)} <= badges
    store.close()
