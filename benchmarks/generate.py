"""Generate a benchmark database of N people (with companies, history and a ~400-byte note each).

Writes through raw SQL in one transaction for speed; the schema comes from Store.open, so the
file is a normal infoint database. Usage: python benchmarks/generate.py N PATH
"""

from __future__ import annotations

import random
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from infoint_tui.store import Store

WORDS = ("analytics product roadmap data platform dbt airflow team hiring advice growth strategy experiment "
         "metrics dashboard python sql stakeholder research design customer insight portfolio mentor").split()
STAGES = ("to-contact", "scheduled", "met", "thanked")


def generate(n: int, path: Path, seed: int = 7) -> Path:
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
    con.executemany("INSERT INTO note_fts (rowid, text) VALUES (?,?)", fts_n)
    con.execute("COMMIT")
    con.close()
    return path


if __name__ == "__main__":
    start = time.perf_counter()
    out = generate(int(sys.argv[1]), Path(sys.argv[2]))
    print(f"{out} in {time.perf_counter() - start:.1f} s")
