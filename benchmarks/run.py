"""Benchmarks of infoint as a whole process on a real pseudo-terminal (not part of the test suite).

    python benchmarks/run.py                 # 1k, 10k and 100k people, 7 paired runs
    python benchmarks/run.py --quick         # 1k and 10k, 3 runs
    python benchmarks/run.py --only cli      # the command line at 100k (--quick: 10k), beside raw sqlite3
    python benchmarks/run.py --backend postgresql --sizes 10000,100000   # the app on PostgreSQL (pgserver)

Every first-frame time is paired run by run with a minimal Textual app (one Label)
launched the same way, alternating, because absolute times on shared machines drift by
±30% (shared/PERFORMANCE.md). Interactions are timed from writing the key to the pty to
the last byte of the repaint (quiet for 120 ms), and the bytes in between are counted:
that is what a user over SSH waits for and pays for. Terminal: 120x40, xterm-256color,
truecolor, cursor blink off (INFOINT_NO_BLINK=1).

The command line's rows (list, search, agenda, stats, export, import of a generated LinkedIn file
and the same import again) are whole processes timed to their exit and to their first byte out,
with their own peak RSS (wait4), each alternating with a raw-sqlite3 script doing the same work:
the ratio is what the store, Peewee and the domain records add.

With ``--backend postgresql`` the app's rows (first frame, interactions) run with ``--db
postgresql://...``: each generated SQLite file is copied into a database of its own on the server with
``infoint copy`` (once: a database already there at the same schema and count is reused), on the server
at ``--pg-url`` or on one started from pip's ``pgserver`` in benchmarks/.data/pg (stopped on exit). The
100 KB note is typed into a fresh ``CREATE DATABASE ... TEMPLATE`` copy each run.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import signal
import statistics
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
SIZE = (120, 40)
QUIET_S = 0.12
ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.")

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Label
class Minimal(App):
    def compose(self):
        yield Label("HELLO-READY")
Minimal().run()
"""


class Term:
    """A process on its own pty; a reader thread timestamps every chunk it writes."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.chunks: list[tuple[float, int]] = []
        self.buf = bytearray()
        self.lock = threading.Lock()
        self.t0 = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:
            os.environ.update(env)
            os.execv(argv[0], argv)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return
            if not data:
                return
            with self.lock:
                self.chunks.append((time.perf_counter(), len(data)))
                self.buf.extend(data)

    def text(self) -> str:
        with self.lock:
            return ANSI.sub(b"", bytes(self.buf)).decode("utf-8", "replace")

    def wait_for(self, needle: str, timeout: float = 60) -> float:
        """Seconds from launch until ``needle`` is on screen."""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            if needle in self.text():
                return time.perf_counter() - self.t0
            time.sleep(0.002)
        raise RuntimeError(f"{needle!r} never appeared")

    def settle(self, quiet: float = 0.4, timeout: float = 10) -> None:
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            with self.lock:
                last = self.chunks[-1][0] if self.chunks else self.t0
            if time.perf_counter() - last > quiet:
                return
            time.sleep(0.02)

    def key(self, data: str, until: str | None = None) -> tuple[float, int]:
        """Write a key; (ms until the last byte of the repaint, bytes written).

        ``until``: text that the answer must show before the quiet period counts (a search's list
        comes after the typed letter's echo, and could come later than the quiet period)."""
        with self.lock:
            start_index, start_byte = len(self.chunks), len(self.buf)
        sent = time.perf_counter()
        os.write(self.fd, data.encode())
        deadline = sent + 3
        while time.perf_counter() < deadline:
            time.sleep(0.005)
            with self.lock:
                new = self.chunks[start_index:]
                shown = until is None or until in ANSI.sub(b"", bytes(self.buf[start_byte:])).decode("utf-8", "replace")
            if new and shown and time.perf_counter() - new[-1][0] > QUIET_S:
                break
        with self.lock:
            new = self.chunks[start_index:]
        if not new:
            return 0.0, 0
        return (new[-1][0] - sent) * 1000, sum(n for _, n in new)

    def idle_bytes(self, seconds: float = 3.0) -> float:
        with self.lock:
            start = len(self.chunks)
        time.sleep(seconds)
        with self.lock:
            return sum(n for _, n in self.chunks[start:]) / seconds

    def rss_peak_mib(self) -> float:
        return _status(self.pid, "VmHWM")

    def rss_mib(self) -> float:
        return _status(self.pid, "VmRSS")

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        try:
            os.close(self.fd)
        except OSError:
            pass


def _status(pid: int, key: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


ENV = {"TERM": "xterm-256color", "COLORTERM": "truecolor", "TEXTUAL_ANIMATION": "none", "INFOINT_NO_BLINK": "1"}


def infoint(db: Path | str, *args: str) -> Term:
    return Term([sys.executable, "-m", "infoint_tui", "--db", str(db), *args], {**ENV})


def minimal() -> Term:
    return Term([sys.executable, "-c", MINIMAL_APP], {**ENV})


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)] if values else float("nan")


def first_frames(db: Path | str, runs: int) -> dict[str, float]:
    """Paired first-frame times and memory at the first frame."""
    ours, base, ratios, mem = [], [], [], []
    for i in range(runs):
        pair = {}
        for kind in (("min", "app") if i % 2 == 0 else ("app", "min")):
            term = minimal() if kind == "min" else infoint(db)
            try:
                t = term.wait_for("HELLO-READY" if kind == "min" else "Person 000001")
                pair[kind] = t
                if kind == "app":
                    mem.append(term.rss_peak_mib())
            finally:
                term.close()
        ours.append(pair["app"] * 1000)
        base.append(pair["min"] * 1000)
        ratios.append(pair["app"] / pair["min"])
    return {"app_ms": med(ours), "min_ms": med(base), "ratio": med(ratios), "mem_mib": med(mem)}


def interactions(db: Path | str, fresh_note: Callable[[], Path | str]) -> dict[str, tuple[float, float, float]]:
    """(median ms, p95 ms, median bytes) per kind of interaction, plus idle and memory; ``fresh_note`` gives
    a fresh copy of the database with the 100 KB note (see :func:`fresh_note_file`)."""
    out: dict[str, tuple[float, float, float]] = {}
    term = infoint(db)
    try:
        term.wait_for("Person 000001")
        term.settle()
        in_view = [term.key("j") for _ in range(20)]
        out["list move, in view"] = (med([t for t, _ in in_view]), p95([t for t, _ in in_view]),
                                     med([b for _, b in in_view]))
        for _ in range(20):
            term.key("j")
        scrolling = [term.key("j") for _ in range(20)]
        out["list move, scrolling"] = (med([t for t, _ in scrolling]), p95([t for t, _ in scrolling]),
                                       med([b for _, b in scrolling]))
        term.settle()
        out["idle, bytes per second"] = (0, 0, term.idle_bytes(3.0))
        term.key("/")
        # Each keystroke is timed until the list shows its result: the top bar, repainted with the
        # list, says "filter: “ro”" (the typed letter's echo alone is not the answer).
        searches = [term.key(ch, until=f"filter: “{'road'[:i + 1]}”") for i, ch in enumerate("road")]
        out["search keystroke"] = (med([t for t, _ in searches]), p95([t for t, _ in searches]),
                                   med([b for _, b in searches]))
        term.key("\x1b")
        term.key("\x1b")
        term.settle()
        term.key("2")
        term.settle()
        for _ in range(3):  # to the first column, whichever had the focus
            term.key("h")
        term.key("l")  # then scheduled: every move below is a real one, and none asks for a meeting's date
        term.settle()
        moves = []
        for i in range(6):
            moves.append(term.key("\x1b[1;2C" if i % 2 == 0 else "\x1b[1;2D"))  # shift+right / shift+left
            term.settle(0.3)
        out["move a card"] = (med([t for t, _ in moves]), p95([t for t, _ in moves]), med([b for _, b in moves]))
        out["memory, steady (MiB)"] = (0, 0, term.rss_mib())
    finally:
        term.close()
    term = infoint(fresh_note())
    try:
        term.wait_for("Person 000001")
        term.settle()
        term.key("3")
        term.key("\x0f")  # Ctrl+O: go on typing in the latest note (100 KB)
        term.settle()
        typed = [term.key(ch) for ch in "the quick brown fox jumps over the lazy dog again"]
        out["typing in a 100 KB note"] = (med([t for t, _ in typed]), p95([t for t, _ in typed]),
                                          med([b for _, b in typed]))
    finally:
        term.close()
    return out


# --- The command line as whole processes, each beside raw sqlite3 doing the same work ---------------

# Each baseline is a Python process with the standard library's sqlite3 and nothing else: what the
# same output costs with no store, no Peewee and no domain records. argv: the database, then the
# command's own arguments. The ratio infoint / baseline is what the CLI adds.
RAW_LIST = r"""
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
out = sys.stdout.write
for row in con.execute("SELECT c.id, c.name, coalesce(co.name, ''), c.stage, "
        "(SELECT max(at) FROM event e WHERE e.contact_id = c.id AND e.kind = 'outreach') "
        "FROM contact c LEFT JOIN company co ON co.id = c.company_id WHERE c.archived = 0 "
        "ORDER BY c.name_key, c.id"):
    out(f"{row[0]:>6}  {row[1]:<28}  {row[2]:<22}  {row[3]:<10}  {row[4] or ''}\n")
"""
RAW_LIST_JSON = r"""
import json, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
out = sys.stdout.write
keys = ("id", "name", "title", "company", "stage", "archived", "last_activity", "asked_on")
out("[")
for i, row in enumerate(con.execute("SELECT c.id, c.name, c.title, coalesce(co.name, ''), c.stage, c.archived, "
        "c.last_activity, (SELECT max(at) FROM event e WHERE e.contact_id = c.id AND e.kind = 'outreach') "
        "FROM contact c LEFT JOIN company co ON co.id = c.company_id WHERE c.archived = 0 "
        "ORDER BY c.name_key, c.id")):
    out(("," if i else "") + "\n  " + json.dumps(dict(zip(keys, row)), ensure_ascii=False, indent=2)
        .replace("\n", "\n  "))
out("\n]\n")
"""
RAW_SEARCH = r"""
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
q = '"' + sys.argv[2] + '"*'
for row in con.execute("SELECT c.id, c.name, coalesce(co.name, ''), c.stage FROM contact c "
        "LEFT JOIN company co ON co.id = c.company_id WHERE c.id IN (SELECT rowid FROM person_notes_fts "
        "WHERE person_notes_fts MATCH ? UNION ALL SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?) "
        "ORDER BY c.archived, c.name_key, c.id LIMIT 400", (q, q)):
    sys.stdout.write(f"{row[0]:>6}  {row[1]:<28}  {row[2]:<22}  {row[3]:<10}\n")
"""
RAW_FACTS = r"""
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
n = 0
for row in con.execute("SELECT contact_id, kind, max(at) FROM event GROUP BY contact_id, kind"):
    n += 1
for row in con.execute("SELECT stage, count(*) FROM contact WHERE archived = 0 GROUP BY stage"):
    print(*row)
print(n)
"""
RAW_EXPORT_JSON = r"""
import json, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.row_factory = sqlite3.Row
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write('{\n "format": "infoint"')
    for table in ("company", "contact", "tag", "meeting", "event", "note", "setting", "question", "followup"):
        f.write(f',\n "{table}": [')
        for i, row in enumerate(con.execute(f"SELECT * FROM {table}")):
            f.write(("," if i else "") + "\n  " + json.dumps(dict(row), ensure_ascii=False))
        f.write("\n ]")
    f.write("\n}\n")
"""
RAW_EXPORT_CSV = r"""
import csv, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f, lineterminator="\r\n")
    w.writerow(("id", "name", "title", "company", "email", "phone", "address", "url", "source", "referred_by",
                "referred_by_name", "tags", "stage", "archived", "archive_reason", "created", "last_activity"))
    w.writerows(con.execute(
        "SELECT c.id, c.name, c.title, coalesce(co.name, ''), c.email, c.phone, c.address, c.url, "
        "coalesce(c.source, ''), coalesce(c.referred_by_id, ''), coalesce(r.name, ''), "
        "coalesce((SELECT group_concat(name, ', ') FROM tag t WHERE t.contact_id = c.id), ''), c.stage, "
        "CASE c.archived WHEN 1 THEN 'yes' ELSE 'no' END, coalesce(c.archive_reason, ''), c.created, "
        "c.last_activity FROM contact c LEFT JOIN company co ON co.id = c.company_id "
        "LEFT JOIN contact r ON r.id = c.referred_by_id ORDER BY c.name_key, c.id"))
"""
RAW_IMPORT = r"""
import csv, sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
with open(sys.argv[2], encoding="utf-8-sig", newline="") as f:
    lines = f.read().splitlines()
start = next(i for i, line in enumerate(lines) if line.startswith("First Name,"))
rows = list(csv.DictReader(lines[start:]))
con.execute("BEGIN")
known = {u for (u,) in con.execute("SELECT url FROM contact")}
companies = {k: i for k, i in con.execute("SELECT key, id FROM company")}
for r in rows:
    key = r["Company"].casefold()
    if key not in companies:
        companies[key] = con.execute("INSERT INTO company (name, key, created) VALUES (?, ?, datetime())",
                                     (r["Company"], key)).lastrowid
new = [r for r in rows if r["URL"] not in known]
con.executemany("INSERT INTO contact (name, name_key, title, company_id, email, phone, address, url, source, "
                "stage, archived, version, created, updated, last_activity) VALUES "
                "(?, ?, ?, ?, ?, '', '', ?, 'linkedin', 'to-contact', 0, 1, datetime(), datetime(), datetime())",
                [(f"{r['First Name']} {r['Last Name']}", f"{r['First Name']} {r['Last Name']}".casefold(),
                  r["Position"], companies[r["Company"].casefold()], r["Email Address"], r["URL"]) for r in new])
con.execute("INSERT INTO event (contact_id, kind, at, created, channel, detail) SELECT id, 'created', created, "
            "created, '', 'imported' FROM contact WHERE id NOT IN (SELECT contact_id FROM event)")
con.execute("INSERT INTO contact_fts (rowid, name, company, title, tags) SELECT c.id, c.name, co.name, "
            "c.title, '' FROM contact c JOIN company co ON co.id = c.company_id "
            "WHERE c.id NOT IN (SELECT rowid FROM contact_fts)")
con.execute("COMMIT")
print(len(new))
"""


# Peak RSS comes from wait4 on the process, but Linux carries the high-water mark across fork and exec:
# spawned from this harness (~30 MiB by now) every command would show at least that. So a small
# Python (-S, ~8 MiB, less than any command) forks and execs it and reports its rusage on a pipe.
RSS_WRAPPER = r"""
import os, sys
fd = int(sys.argv[1])
pid = os.fork()
if pid == 0:
    os.close(fd)
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
os.write(fd, str(usage.ru_maxrss).encode())
sys.exit(os.waitstatus_to_exitcode(status))
"""


class Run:
    """One whole process: wall time, time to its first byte on stdout, peak RSS (its own: see RSS_WRAPPER)."""

    def __init__(self, argv: list[str]) -> None:
        read_end, write_end = os.pipe()
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-S", "-c", RSS_WRAPPER, str(write_end), *argv],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, pass_fds=(write_end,))
        os.close(write_end)
        assert proc.stdout is not None
        first = proc.stdout.read1(65536)  # type: ignore[attr-defined]
        self.first_s = time.perf_counter() - start
        self.bytes = len(first)
        while chunk := proc.stdout.read1(65536):  # type: ignore[attr-defined]
            self.bytes += len(chunk)
        err = proc.stderr.read() if proc.stderr else b""
        code = proc.wait()
        self.wall_s = time.perf_counter() - start
        with os.fdopen(read_end, "rb") as f:
            maxrss = f.read()
        if code:
            raise RuntimeError(f"{argv[3:]} exited {code}: {err.decode(errors='replace')[-500:]}")
        self.rss_mib = int(maxrss) / 1024  # KiB on Linux


def _py(code: str, *args: str) -> list[str]:
    return [sys.executable, "-c", code, *args]


def _ours(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "infoint_tui", "--db", str(db), *args]


def _empty_db(path: Path) -> Path:
    """A new, empty infoint database at ``path`` (replacing any), with the schema of Store.open."""
    from infoint_tui.store import Store

    for old in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        old.unlink(missing_ok=True)
    Store.open(path).close()
    return path


def _computed_ahead(db: Path) -> None:
    """Everyone's follow-ups computed ahead (the state of a database after any write or look)."""
    from infoint_tui.store import Store

    store = Store.open(db)
    store.followups()
    store.close()


def _forget_followups(db: Path) -> None:
    """As if the follow-ups computed ahead were on another basis (another config's [rules], an upgrade)."""
    import sqlite3

    con = sqlite3.connect(db)
    with con:
        con.execute("DELETE FROM followup_basis")
    con.close()


def cli_rows(db: Path, csv_path: Path, runs: int) -> list[tuple[str, list[Run], list[Run]]]:
    """Each command ``runs`` times, alternating with its raw-sqlite3 baseline (when it has one)."""
    out_dir = DATA / "out"
    out_dir.mkdir(exist_ok=True)
    word = "roadmap"
    # (what, our argv, baseline argv or None, set-up before each of our runs, set-up before each baseline run)
    imported = out_dir / "imported.sqlite3"
    raw_imported = out_dir / "raw-imported.sqlite3"
    cases: list[tuple[str, Any, Any, Any, Any]] = [
        ("list", lambda: _ours(db, "list"), lambda: _py(RAW_LIST, str(db)), None, None),
        ("list --json", lambda: _ours(db, "list", "--json"), lambda: _py(RAW_LIST_JSON, str(db)), None, None),
        (f"search {word}", lambda: _ours(db, "search", word), lambda: _py(RAW_SEARCH, str(db), word), None, None),
        ("agenda", lambda: _ours(db, "agenda"), lambda: _py(RAW_FACTS, str(db)), lambda: _computed_ahead(db), None),
        # After an upgrade, or with other [rules]: everyone's follow-ups computed and stored again, once.
        ("agenda, computed again", lambda: _ours(db, "agenda"), lambda: _py(RAW_FACTS, str(db)),
         lambda: _forget_followups(db), None),
        ("stats", lambda: _ours(db, "stats"), lambda: _py(RAW_FACTS, str(db)), None, None),
        ("export json", lambda: _ours(db, "export", "json", "--force", "-o", str(out_dir / "all.json")),
         lambda: _py(RAW_EXPORT_JSON, str(db), str(out_dir / "raw.json")), None, None),
        ("export csv", lambda: _ours(db, "export", "csv", "--force", "-o", str(out_dir / "all.csv")),
         lambda: _py(RAW_EXPORT_CSV, str(db), str(out_dir / "raw.csv")), None, None),
        (f"import {csv_path.name} (new db)", lambda: _ours(imported, "import", str(csv_path)),
         lambda: _py(RAW_IMPORT, str(raw_imported), str(csv_path)),
         lambda: _empty_db(imported), lambda: _empty_db(raw_imported)),
        # The databases the last import runs left: every row is already there.
        ("the same import again (unchanged)", lambda: _ours(imported, "import", str(csv_path)),
         lambda: _py(RAW_IMPORT, str(raw_imported), str(csv_path)), None, None),
    ]
    results = []
    for what, ours, raw, setup, raw_setup in cases:
        mine: list[Run] = []
        theirs: list[Run] = []
        for i in range(runs):
            for kind in (("ours", "raw") if i % 2 == 0 else ("raw", "ours")):
                if kind == "ours":
                    if setup:
                        setup()
                    mine.append(Run(ours()))
                elif raw is not None:
                    if raw_setup:
                        raw_setup()
                    theirs.append(Run(raw()))
        results.append((what, mine, theirs))
        _print_cli_row(what, mine, theirs)
    return results


def fresh_note_file(note: Path) -> Path:
    """A fresh copy of the note database for one run: the text typed is autosaved, and a note that grew
    with every run would change what a keystroke repaints."""
    import shutil

    fresh = note.with_name(note.stem + "-run.sqlite3")
    for leftover in (fresh, Path(f"{fresh}-wal"), Path(f"{fresh}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copy(note, fresh)
    return fresh


class Postgres:
    """The PostgreSQL server the app's rows run on with ``--backend postgresql``: the one at ``url``, or one
    started from pip's pgserver (PostgreSQL 16) in benchmarks/.data/pg, stopped when the harness exits (its
    databases stay for the next run)."""

    def __init__(self, url: str | None) -> None:
        import psycopg

        if url is None:
            import warnings

            import pgserver  # type: ignore[import-not-found]  # the test extras

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # platformdirs: XDG_RUNTIME_DIR not set
                self.server = pgserver.get_server(DATA / "pg", cleanup_mode="stop")
            url = self.server.get_uri()
        self.url = url
        self.admin = psycopg.connect(url, autocommit=True)
        self.version = self.admin.execute("SHOW server_version").fetchone()[0]

    def url_of(self, name: str) -> str:
        """The server's address with database ``name`` in place of the one given."""
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(path="/" + name))

    def _exists(self, name: str) -> bool:
        return self.admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None

    def _drop(self, name: str) -> None:
        self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _holds(self, name: str, source: Path) -> bool:
        """Whether database ``name`` has the SQLite file's schema version and number of people."""
        import sqlite3

        import psycopg

        con = sqlite3.connect(source)
        try:
            want = (con.execute("PRAGMA user_version").fetchone()[0],
                    con.execute("SELECT count(*) FROM contact").fetchone()[0])
        finally:
            con.close()
        try:
            with psycopg.connect(self.url_of(name)) as pg:
                have = (pg.execute("SELECT version FROM infoint_schema").fetchone()[0],
                        pg.execute("SELECT count(*) FROM contact").fetchone()[0])
        except psycopg.Error:
            return False
        return have == want

    def copy_of(self, source: Path, name: str) -> str:
        """The address of database ``name`` holding ``source`` (an infoint SQLite file), copied into it with
        ``infoint copy`` unless it holds it already."""
        import psycopg

        if self._exists(name) and self._holds(name, source):
            return self.url_of(name)
        self._drop(name)
        self.admin.execute(f'CREATE DATABASE "{name}"')
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "infoint_tui", "copy", "--from", str(source), "--to", self.url_of(name)],
                       check=True, stdout=subprocess.DEVNULL)
        # The planner's statistics and the visibility map, as autovacuum leaves them a minute after a copy
        # (infoint copy runs no ANALYZE): the runs then do not depend on whether autovacuum came by yet.
        with psycopg.connect(self.url_of(name), autocommit=True) as pg:
            pg.execute("VACUUM ANALYZE")
        print(f"(copied {source.name} into PostgreSQL database {name} in {time.perf_counter() - start:.1f} s)",
              file=sys.stderr, flush=True)
        return self.url_of(name)

    def fresh(self, template: str) -> str:
        """A fresh copy of database ``template`` (``CREATE DATABASE ... TEMPLATE``), for one run."""
        name = template + "_run"
        self._drop(name)
        self.admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return self.url_of(name)

    def close(self) -> None:
        self.admin.close()
        if getattr(self, "server", None) is not None:
            self.server.cleanup()


def note_db(base: Path) -> Path:
    """The 10k database plus one person (first in the list) with a 100 KB note."""
    path = DATA / f"{base.stem}-note.sqlite3"
    if path.exists():
        return path
    import shutil

    from infoint_tui.domain.contacts import make_draft
    from infoint_tui.store import Store

    shutil.copy(base, path)
    store = Store.open(path)
    c = store.add(make_draft("Person 000000 Note"))
    store.add_note(c.id, ("Advice and names from a long call, line after line. " * 2 + "\n") * 950)
    store.close()
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1k and 10k only, 3 runs")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", help="comma-separated numbers of people (default 1000,10000,100000)")
    parser.add_argument("--only", choices=("first-frame", "interactions", "cli"),
                        help="run one part of the benchmark only")
    parser.add_argument("--cli-runs", type=int, help="runs of each command line row (default 5; 3 with --quick)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite",
                        help="the database the app's rows run on (postgresql: each generated file copied to a "
                             "server with 'infoint copy'; the command line rows are SQLite's only)")
    parser.add_argument("--pg-url", metavar="URL",
                        help="with --backend postgresql: a server (postgresql://user@host/db, a user allowed to "
                             "create databases) instead of starting pip's pgserver in benchmarks/.data/pg")
    args = parser.parse_args()
    if args.backend == "postgresql" and args.only == "cli":
        parser.error("the command line rows compare infoint with raw sqlite3: run them with --backend sqlite")
    if args.pg_url and args.backend != "postgresql":
        parser.error("--pg-url is for --backend postgresql")
    sys.path.insert(0, str(HERE.parent))
    # Byte-compile the app as `pip install` does (Textual's own modules are compiled at install): with
    # PYTHONDONTWRITEBYTECODE set, an editable install would otherwise recompile ~35 modules from source
    # on every launch (~75 ms here), which no installed copy does.
    import compileall

    from generate import generate  # type: ignore[import-not-found]

    compileall.compile_dir(str(HERE.parent / "infoint_tui"), quiet=1)

    sizes = (1_000, 10_000) if args.quick else (1_000, 10_000, 100_000)
    if args.sizes:
        sizes = tuple(int(n) for n in args.sizes.split(","))
    runs = 3 if args.quick else args.runs
    DATA.mkdir(exist_ok=True)
    dbs = {n: generate(n, DATA / f"{n}.sqlite3") for n in sizes}

    if args.backend == "postgresql":
        pg = Postgres(args.pg_url)
        try:
            print(f"(PostgreSQL {pg.version}: every database below is a copy of the SQLite file of its size)\n")
            # What the app is given: the address of each size's copy; the note's database is a template.
            where = {n: pg.copy_of(db, f"infoint_bench_{n}") for n, db in dbs.items()}

            def fresh_note(n: int) -> Callable[[], Path | str]:
                template = f"infoint_bench_{n}_note"
                pg.copy_of(note_db(dbs[n]), template)
                return lambda: pg.fresh(template)

            if args.only in (None, "first-frame"):
                print_first_frames(where, runs, " on PostgreSQL")
            if args.only in (None, "interactions"):
                print_interactions(where, fresh_note, " on PostgreSQL")
        finally:
            pg.close()
        return 0

    if args.only in (None, "first-frame"):
        print_first_frames(dbs, runs)
    if args.only in (None, "interactions"):
        print_interactions(dbs, lambda n: lambda: fresh_note_file(note_db(dbs[n])))
    if args.only in (None, "cli"):
        print_cli(dbs, args.cli_runs or (3 if args.quick else 5))
    return 0


def print_first_frames(dbs: Mapping[int, Path | str], runs: int, on: str = "") -> None:
    print(f"## First frame{on}, paired with a minimal Textual app (median of {runs}, 120x40)\n")
    print("| people | infoint | minimal app | ratio | memory at first frame |")
    print("|---:|---:|---:|---:|---:|")
    for n, db in dbs.items():
        r = first_frames(db, runs)
        print(f"| {n:,} | {r['app_ms']:.0f} ms | {r['min_ms']:.0f} ms | {r['ratio']:.2f}x | {r['mem_mib']:.1f} MiB |",
              flush=True)


def print_interactions(dbs: Mapping[int, Path | str], fresh_note: Callable[[int], Callable[[], Path | str]],
                       on: str = "") -> None:
    """``fresh_note(n)``: what gives each run a fresh database of ``n`` people with the 100 KB note."""
    for n in (10_000, 100_000):
        if n not in dbs:
            continue
        fresh = fresh_note(n)  # made (or copied to the server) before the table starts
        print(f"\n## Interactions at {n:,} people{on} (key → last byte of the repaint, bytes on the wire)\n")
        print("| what | median | p95 | bytes (median) |")
        print("|---|---:|---:|---:|")
        for what, (m, p, b) in interactions(dbs[n], fresh).items():
            if what.startswith(("idle", "memory")):
                unit = "B/s" if what.startswith("idle") else "MiB"
                print(f"| {what} | | | {b:.1f} {unit} |")
            else:
                print(f"| {what} | {m:.1f} ms | {p:.1f} ms | {b:,.0f} B |", flush=True)


def print_cli(dbs: dict[int, Path], runs: int) -> None:
    """The command line on the largest database (100k; 10k with --quick), and import of as many rows."""
    from generate import linkedin_csv  # type: ignore[import-not-found]

    n = max(dbs)
    csv_path = linkedin_csv(n, DATA / f"linkedin-{n}.csv")
    print(f"\n## Command line on {n:,} people (whole processes, median of {runs}, alternating with a "
          "raw-sqlite3 baseline doing the same work)\n")
    print("| command | wall | first byte out | peak RSS | raw sqlite3 | ratio |")
    print("|---|---:|---:|---:|---:|---:|", flush=True)
    cli_rows(dbs[n], csv_path, runs)


def _print_cli_row(what: str, mine: list[Run], theirs: list[Run]) -> None:
    wall = med([r.wall_s for r in mine])
    streams = not what.startswith(("export", "import", "the same import"))  # the others print one line at the end
    first = med([r.first_s for r in mine]) if streams else float("nan")
    rss = med([r.rss_mib for r in mine])
    if theirs:
        raw = f"{med([r.wall_s for r in theirs]):.2f} s, {med([r.rss_mib for r in theirs]):.0f} MiB"
        ratio = f"{med([a.wall_s / b.wall_s for a, b in zip(mine, theirs, strict=False)]):.1f}x"
    else:
        raw = ratio = "—"
    first_text = f"{first:.2f} s" if first == first else "—"
    print(f"| infoint {what} | {wall:.2f} s | {first_text} | {rss:.0f} MiB | {raw} | {ratio} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
