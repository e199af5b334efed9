"""Generate a benchmark database of N people (with companies, history and a ~400-byte note each).

Writes through raw SQL in one transaction for speed; the schema comes from Store.open, so the
file is a normal infoint database. The full-text tables are the current schema's (``contact_fts``
and ``person_notes_fts``, one row per person, rowid = contact id); tests/test_benchmarks_generate.py
opens a small generated file with the store so that a schema change cannot break this silently
again (schema 5 dropped ``note_fts``, and the harness then stopped on a fresh clone).

Also writes a LinkedIn ``Connections.csv`` of N people for the import benchmark
(:func:`linkedin_csv`). Usage: python benchmarks/generate.py N PATH [--linkedin CSV]
"""

from __future__ import annotations

import random
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from infoint_tui.store import Store

WORDS = ("analytics", "product", "roadmap", "data", "platform", "dbt", "airflow", "team", "hiring", "advice",
         "growth", "strategy", "experiment", "metrics", "dashboard", "python", "sql", "stakeholder",
         "research", "design", "customer", "insight", "portfolio", "mentor")
STAGES = ("to-contact", "scheduled", "met", "thanked")


def generate(n: int, path: Path, seed: int = 7) -> Path:
    """A database of ``n`` people at ``path`` (kept as it is if the file exists already)."""
    rng = random.Random(seed)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    Store.open(path).close()
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA synchronous=OFF")
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

    def ts(d: datetime) -> str:
        return d.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")

    con.execute("BEGIN")
    companies = max(10, n // 40)
    con.executemany("INSERT INTO company (id, name, key, created) VALUES (?, ?, ?, ?)",
                    [(i + 1, f"Company {i:05d}", f"company {i:05d}", ts(now)) for i in range(companies)])
    contacts, events, notes, fts_c, fts_n = [], [], [], [], []
    for i in range(1, n + 1):
        name = f"Person {i:06d} {rng.choice(WORDS).title()}"
        comp = rng.randrange(companies) + 1
        stage = STAGES[rng.randrange(4)]
        created = now - timedelta(days=rng.randrange(1, 300))
        title = rng.choice(WORDS).title() + " Lead"
        contacts.append((i, name, name.casefold(), title, comp, f"p{i}@example.com", stage, ts(created), ts(created),
                         ts(created + timedelta(days=1))))
        events.append((i, "created", ts(created), ts(created), "", None, "to-contact"))
        if stage != "to-contact":
            events.append((i, "stage", ts(created + timedelta(days=1)), ts(created), "", "to-contact", stage))
        text = " ".join(rng.choice(WORDS) for _ in range(55))
        notes.append((i, i, text, ts(created), ts(created)))
        fts_c.append((i, name, f"Company {comp - 1:05d}", title, ""))
        fts_n.append((i, text))
    con.executemany("INSERT INTO contact (id, name, name_key, title, company_id, email, stage, created, updated, "
                    "last_activity, phone, address, url, archived, version) VALUES (?,?,?,?,?,?,?,?,?,?,'','','',0,1)",
                    contacts)
    con.executemany("INSERT INTO event (contact_id, kind, at, created, channel, stage_from, stage_to, detail) "
                    "VALUES (?,?,?,?,?,?,?,'')", events)
    con.executemany("INSERT INTO note (id, contact_id, text, created, updated, version) VALUES (?,?,?,?,?,1)",
                    notes)
    con.executemany("INSERT INTO contact_fts (rowid, name, company, title, tags) VALUES (?,?,?,?,?)", fts_c)
    # One index row per person for all of their notes (schema 5); here each person has one note.
    con.executemany("INSERT INTO person_notes_fts (rowid, text) VALUES (?,?)", fts_n)
    con.execute("COMMIT")
    con.close()
    return path


LINKEDIN_PREAMBLE = ('\ufeffNotes:\n"When exporting your connection data, you may notice that some of the email '
                     'addresses are missing."\n\n')


def linkedin_csv(n: int, path: Path, seed: int = 11) -> Path:
    """A LinkedIn ``Connections.csv`` of ``n`` distinct people (kept as it is if the file exists already).

    Shaped like LinkedIn's own export (a "Notes:" preamble, then First Name, Last Name, URL, Email Address,
    Company, Position, Connected On), with a profile URL each and an e-mail for about a third, as LinkedIn
    gives them. Importing it twice leaves the second import with nothing to change.
    """
    if path.exists():
        return path
    import csv

    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    companies = max(10, n // 40)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        f.write(LINKEDIN_PREAMBLE)
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(("First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"))
        for i in range(1, n + 1):
            first, last = rng.choice(WORDS).title(), f"Contact{i:06d}"
            email = f"{first.lower()}.{i}@example.org" if rng.random() < 0.33 else ""
            w.writerow((first, last, f"https://www.linkedin.com/in/{first.lower()}-{last.lower()}-{i:x}", email,
                        f"Firm {rng.randrange(companies):05d}", rng.choice(WORDS).title() + " Manager",
                        f"{rng.randrange(1, 29):02d} Mar 2026"))
    tmp.replace(path)
    return path


if __name__ == "__main__":
    start = time.perf_counter()
    if len(sys.argv) == 5 and sys.argv[3] == "--linkedin":
        print(linkedin_csv(int(sys.argv[1]), Path(sys.argv[4])))
    out = generate(int(sys.argv[1]), Path(sys.argv[2]))
    print(f"{out} in {time.perf_counter() - start:.1f} s")
