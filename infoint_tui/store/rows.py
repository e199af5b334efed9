"""Raw database rows into the records the list and the board show, without Peewee.

Shared by the store and by :func:`sqlite.first_screen`, which reads the app's first page before
Peewee is imported (the first frame does not wait for it), so both build a Summary the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from ..domain.listing import Summary
from ..domain.pipeline import Kind, Stage

BADGE_FACTS: tuple[tuple[str, tuple[Kind, ...]], ...] = (
    ("stage_since", (Kind.STAGE, Kind.CREATED)),
    ("outreach", (Kind.OUTREACH,)),
    ("answer", (Kind.REPLY, Kind.DECLINED, Kind.MEETING, Kind.CALL)),
    ("call", (Kind.CALL,)),
    ("thanks", (Kind.THANK_YOU,)),
    ("moved", (Kind.STAGE,)),
)
"""For each fact a card's badges need: the kinds of event whose latest date it is."""


def dicts(cursor: Any) -> list[dict[str, Any]]:
    """A DB-API cursor's rows as dicts of raw column values, by column name (or alias)."""
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def dt(value: object) -> datetime | None:
    """A UTC datetime from a raw column or an aggregate (text on SQLite)."""
    if value is None:
        return None
    if type(value) is str:
        try:  # fast path: how the store writes them (~0.1 µs, against ~0.7 with a replace() after)
            return datetime.fromisoformat(value + "+00:00")
        except ValueError:
            pass
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)
    except ValueError:
        from .tables import ContactRow  # Peewee's own parsing, for any other form

        parsed: datetime = ContactRow.last_activity.python_value(value)
        return parsed


def iso_z(value: object) -> str | None:
    """A raw column's moment as the command line's JSON writes it ("2026-11-25T09:00:00Z", UTC, whole
    seconds): the stored form rearranged, without parsing it; anything else through :func:`dt`."""
    if value is None:
        return None
    if type(value) is str and value[10:11] == " " and (len(value) == 19 or (len(value) == 26 and value[19] == ".")):
        return f"{value[:10]}T{value[11:19]}Z"
    moment = dt(value)
    return None if moment is None else moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def may_owe_thanks(facts: Mapping[str, Any]) -> bool:
    """Whether a person's facts leave room for an open thank-you (a call, or a stage change, since the
    last thank-you): only their follow-ups need reading to know (domain.followups decides)."""
    thanks = dt(facts.get("thanks"))
    return any(at is not None and (thanks is None or at >= thanks)
               for at in (dt(facts.get("call")), dt(facts.get("moved"))))


def summaries(rows: Sequence[Mapping[str, Any]], facts: Mapping[int, Mapping[str, Any]],
              due_ids: set[int] | frozenset[int] = frozenset(),
              thank_ids: set[int] | frozenset[int] = frozenset()) -> list[Summary]:
    """Summaries from contact rows (id, name, title, stage, archived, last_activity, updated,
    company_name), each person's facts (the latest date of each of :data:`BADGE_FACTS`, and
    "next": their next planned meeting) and who has follow-ups: ``due_ids`` one due now (not a
    thank-you), ``thank_ids`` an open thank-you. Both come from domain.followups, as Today's do; the
    first frame (:func:`sqlite.first_screen`) has neither yet: its badges come with the next read."""
    out = []
    for r in rows:
        f = facts.get(r["id"], {})
        stage = Stage(r["stage"])
        outreach, answer = dt(f.get("outreach")), dt(f.get("answer"))
        asked = outreach if (stage is Stage.TO_CONTACT and outreach and (answer is None or answer < outreach)) \
            else None
        out.append(Summary(
            id=r["id"], name=r["name"], company=r["company_name"] or "", title=r["title"], stage=stage,
            archived=bool(r["archived"]), last_activity=dt(r["last_activity"]) or dt(r["updated"]),  # type: ignore[arg-type]
            stage_since=dt(f.get("stage_since")), asked_on=asked, next_meeting=dt(f.get("next")),
            thank_you_due=r["id"] in thank_ids,
            follow_up_due=r["id"] in due_ids,
        ))
    return out
