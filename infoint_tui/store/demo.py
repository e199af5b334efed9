"""A realistic demo network for ``infoint demo``, ``infoint --demo``, the tests and the screenshots.

About 40 people at 12 companies across every stage, with outreach, replies,
meetings, notes, referral chains and archived people. Some names are hostile on
purpose (markup-like brackets, quotes, emoji, CJK, right-to-left text): every
screen must show them literally. Dates are relative to the store's clock, so a
fixed clock gives the same database every time.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from ..domain.contacts import make_draft
from ..domain.pipeline import ArchiveReason, Kind, Medium, Stage
from .store import Store

PITCH = (
    "I'm a data analyst with five years in logistics, moving towards product analytics. "
    "I'm curious how analytics teams shape product decisions, what skills matter most, "
    "and which teams and people are doing this well."
)

# name, title, company, source, referred_by (index into this table or None), tags
PEOPLE: tuple[tuple[str, str, str, str, int | None, str], ...] = (
    ("Maya Okafor", "Head of Product Analytics", "Northwind Analytics", "linkedin", None, "analytics,target"),
    ("Jonas Berg", "Senior Data Scientist", "Northwind Analytics", "referral", 0, "analytics"),
    ("Priya Raman", "Analytics Manager", "Northwind Analytics", "referral", 1, "analytics"),
    ("Tom Whitaker", "VP Operations", "Harbor Freight Labs", "alumni", None, "logistics"),
    ("Lena Fischer", "Product Manager", "Harbor Freight Labs", "referral", 3, "product"),
    ("Carlos Mendes", "Data Engineer", "Harbor Freight Labs", "directory", None, "engineering"),
    ("Aiko Tanaka", "Staff Analyst", "Kumo Cloud", "event", None, "analytics"),
    ("山田 太郎", "Engineering Manager", "Kumo Cloud", "referral", 6, "engineering"),
    ("Sara Lindqvist", "Director of Data", "Fjord Health", "linkedin", None, "health,target"),
    ("David Cohen", "Product Analyst", "Fjord Health", "referral", 8, "health"),
    ("دانا الحسيني", "Research Lead", "Fjord Health", "event", None, "research"),
    ("Ben O'Neill", "Operations Analyst", "Bluebird Logistics", "phone-call", None, "logistics"),
    ("Grace Liu", "Head of BI", "Bluebird Logistics", "referral", 11, "analytics"),
    ("Omar Haddad", "Growth Lead", "Sprocket & Sons", "linkedin", None, "growth"),
    ("Ada [bold]Lovelace[/bold]", "Principal Engineer", "Sprocket & Sons", "alumni", None, "engineering"),
    ("[/] Eve \"the Tester\"", "Security Analyst", "Sprocket & Sons", "other", None, "security"),
    ("Zoë Martin 🚀", "Product Designer", "Lumen Retail", "event", None, "design"),
    ("Felix Wagner", "Data Platform Lead", "Lumen Retail", "referral", 16, "engineering"),
    ("Hannah Brooks", "Customer Insights Manager", "Lumen Retail", "linkedin", None, "analytics"),
    ("Ravi Shah", "Analytics Engineer", "Tidewater Bank", "alumni", None, "fintech,analytics"),
    ("Emily Carter", "Risk Analytics Lead", "Tidewater Bank", "referral", 19, "fintech"),
    ("Marco Rossi", "Quant Developer", "Tidewater Bank", "directory", None, "fintech"),
    ("Chloe Dubois", "UX Researcher", "Orbit Mobility", "event", None, "research"),
    ("Samuel Adeyemi", "Product Lead", "Orbit Mobility", "linkedin", None, "product,target"),
    ("Nina Petrova", "Data Scientist", "Orbit Mobility", "referral", 23, "analytics"),
    ("Lucas Silva", "BI Developer", "Greenline Energy", "directory", None, "energy"),
    ("Olivia Novak", "Head of Strategy", "Greenline Energy", "alumni", None, "energy,strategy"),
    ("ZRANK [b + Kim", "Analyst", "Greenline Energy", "other", None, ""),
    ("Isabel Ortiz", "People Partner", "Cobalt Games", "linkedin", None, "people"),
    ("Kenji Watanabe", "Game Analytics Lead", "Cobalt Games", "referral", 28, "analytics,games"),
    ("Mei Chen", "Product Analyst", "Cobalt Games", "referral", 29, "analytics,games"),
    ("Noah Fischer", "Supply Chain Lead", "Pioneer Foods", "phone-call", None, "logistics"),
    ("Amara Nwosu", "Director of Analytics", "Pioneer Foods", "referral", 31, "analytics,target"),
    ("Jack Thompson", "Data Analyst", "Pioneer Foods", "linkedin", None, "analytics"),
    ("Sofia García", "Analytics Consultant", "", "event", None, "freelance"),
    ("Peter [@click=app.quit]Smith[/]", "Recruiter", "Vantage Partners", "linkedin", None, ""),
    ("Laura Jensen", "Partner", "Vantage Partners", "alumni", None, "consulting"),
    ("Yusuf Demir", "Data Lead", "Kumo Cloud", "linkedin", None, "analytics"),
    ("Rachel Green", "Ops Manager", "Bluebird Logistics", "linkedin", None, "logistics"),
    ("Tariq Aziz", "Head of Data", "Harbor Freight Labs", "event", None, "analytics"),
)

# index → (final stage, days ago the story ends, archived reason or None)
STORIES: dict[int, tuple[Stage, int, ArchiveReason | None]] = {
    0: (Stage.THANKED, 20, None), 1: (Stage.THANKED, 9, None), 2: (Stage.SCHEDULED, -2, None),
    3: (Stage.MET, 1, None), 4: (Stage.SCHEDULED, 0, None), 5: (Stage.TO_CONTACT, 4, None),
    6: (Stage.THANKED, 40, None), 7: (Stage.MET, 2, None), 8: (Stage.SCHEDULED, 3, None),
    9: (Stage.TO_CONTACT, 2, None), 10: (Stage.MET, 3, None), 25: (Stage.TO_CONTACT, 8, ArchiveReason.NO_REPLY),
    11: (Stage.THANKED, 15, None), 12: (Stage.TO_CONTACT, 6, None), 13: (Stage.TO_CONTACT, 1, None),
    14: (Stage.MET, 0, None), 15: (Stage.TO_CONTACT, 3, None), 16: (Stage.THANKED, 30, None),
    17: (Stage.SCHEDULED, 5, None), 18: (Stage.TO_CONTACT, 10, ArchiveReason.DECLINED),
    19: (Stage.MET, 3, None), 20: (Stage.TO_CONTACT, 0, None), 21: (Stage.TO_CONTACT, 12, ArchiveReason.OTHER),
    22: (Stage.SCHEDULED, 1, None), 23: (Stage.THANKED, 25, None), 24: (Stage.TO_CONTACT, 5, None),
    26: (Stage.SCHEDULED, 4, None), 28: (Stage.THANKED, 50, None), 29: (Stage.MET, 6, None),
    30: (Stage.TO_CONTACT, 0, None), 31: (Stage.THANKED, 18, None), 32: (Stage.SCHEDULED, 2, None),
    33: (Stage.TO_CONTACT, 9, ArchiveReason.NO_REPLY), 35: (Stage.TO_CONTACT, 7, None),
    36: (Stage.MET, 4, None), 37: (Stage.TO_CONTACT, 3, None), 39: (Stage.TO_CONTACT, 2, None),
}

NOTES = (
    "Advice: learn dbt properly; their analysts own the models end to end.\n"
    "Trend: product teams want analysts embedded, not a central queue.\n"
    "Names: talk to {next} — runs the experimentation platform.",
    "Insight: a typical week is 60% stakeholder work, 40% analysis.\n"
    "Resources: Locally Optimistic Slack, 'Trustworthy Online Controlled Experiments'.",
    "[12:04] Asked about the move from logistics; said it's an asset for marketplace teams.\n"
    "Follow up in two weeks with the SQL portfolio piece.",
    "Small talk: we both studied in Rotterdam. Prefers e-mail over LinkedIn.",
    "Warned that the c++ (legacy) pipeline team is not hiring analysts — don't ask about openings anyway.",
)


class _Clock:
    """A clock the demo moves back and forth while it writes the history."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.at = now

    def __call__(self) -> datetime:
        return self.at


def seed_demo(store: Store) -> int:
    """Fill ``store`` with the demo network; returns how many people were added."""
    real_clock = store.clock
    now = real_clock()
    clock = _Clock(now)
    store.clock = clock
    try:
        ids: list[int] = []
        for i, (name, title, company, source, ref, tags) in enumerate(PEOPLE):
            stage, days_ago, archived = STORIES.get(i, (Stage.TO_CONTACT, 14, None))
            start = now - timedelta(days=max(days_ago, 0) + 14)
            clock.at = start
            c = store.add(make_draft(
                name, title=title, company=company, source=source,
                referred_by=ids[ref] if ref is not None else None, tags=[tags] if tags else [],
                email=f"{name.split()[0].lower().strip('[/]')}@example.com" if name[0].isascii() and i % 3 else "",
                phone=f"+1 555 01{i:02d}" if i % 2 else "",
                url=f"https://www.linkedin.com/in/demo-{i:02d}" if source == "linkedin" else "",
            ))
            ids.append(c.id)
            _story(store, clock, c.id, i, stage, days_ago, now)
            if archived is not None:
                clock.at = now - timedelta(days=max(days_ago - 7, 0), hours=3)
                store.archive(c.id, archived)
        clock.at = now - timedelta(days=30)
        store.set_pitch(PITCH)
        return len(ids)
    finally:
        store.clock = real_clock


def _story(store: Store, clock: _Clock, cid: int, i: int, stage: Stage, days_ago: int, now: datetime) -> None:
    """Write the history that brings person ``i`` to ``stage``, ending ``days_ago`` days before now."""
    end = now - timedelta(days=days_ago)
    if i in (12, 21, 27, 34, 38):  # listed, not yet asked
        return
    if stage is Stage.SCHEDULED:  # the meeting lies ahead, |days_ago| days from now
        end = now + timedelta(days=abs(days_ago))
        asked = now - timedelta(days=5 + i % 3)
    else:
        asked = end - timedelta(days=6) if stage is not Stage.TO_CONTACT else end
    clock.at = asked
    store.log(cid, Kind.OUTREACH, channel="linkedin" if i % 2 else "email")
    if stage is Stage.TO_CONTACT:
        return
    clock.at = asked + timedelta(days=1, hours=2)
    store.log(cid, Kind.REPLY)
    meeting_day = end if stage is Stage.SCHEDULED else end - timedelta(days=1)
    when = datetime.combine(meeting_day.astimezone().date(), time(10 + i % 6, 30)).astimezone()
    clock.at = asked + timedelta(days=1, hours=3)
    store.schedule(cid, when, minutes=(20, 30, 45)[i % 3], medium=list(Medium)[i % 3],
                   location="Café Lux, 5th Ave" if i % 3 == 2 else "")
    if stage is Stage.SCHEDULED:
        return
    clock.at = when + timedelta(minutes=28)
    store.log(cid, Kind.CALL, minutes=(20, 30, 45)[i % 3] - 2)
    text = NOTES[i % len(NOTES)].replace("{next}", "Priya Raman")
    notes = store.detail(cid).meetings
    store.add_note(cid, text, notes[-1].id if notes else None)
    if stage is Stage.MET:
        return
    clock.at = when + timedelta(hours=20)
    store.log(cid, Kind.THANK_YOU, channel="email")
    if days_ago > 16:
        clock.at = when + timedelta(days=15)
        store.log(cid, Kind.FOLLOW_UP, channel="email", note="Told them the dbt course is done; thanked again.")
