"""Issue 18: an import stopped with Ctrl+C changes nothing and says so; the progress bar of the long
commands (import, export) shows on a terminal only."""

from __future__ import annotations

import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from infoint_tui.cli.progress import Progress
from infoint_tui.domain.contacts import make_draft
from infoint_tui.domain.errors import NothingImported
from infoint_tui.domain.model import PersonRecord
from infoint_tui.store import Store

from .conftest import NOW


def _dump(path: Path) -> list[object]:
    with sqlite3.connect(path) as c:
        return [list(c.execute(f"SELECT * FROM {t} ORDER BY rowid"))
                for t in ("company", "contact", "event", "tag", "note", "contact_fts")]


def _linkedin(path: Path, n: int) -> Path:
    lines = ["First Name,Last Name,URL,Email Address,Company,Position,Connected On"]
    lines += [f"Person,{i:06d},https://www.linkedin.com/in/p{i},,Company {i % 997},Engineer,01 Jan 2025"
              for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_interrupted_import_rolls_back_everything(db_path: Path) -> None:
    store = Store.open(db_path)
    store.add(make_draft("Ada Lovelace", company="Analytical", email="ada@example.com"))
    before = _dump(db_path)
    records = [PersonRecord(i + 2, f"Person {i}", company=f"Co {i % 50}", email=f"p{i}@example.com")
               for i in range(5000)] + [PersonRecord(9000, "Ada Lovelace", title="Countess",
                                                     email="ada@example.com")]

    def stop(done: int, total: int) -> None:
        if done >= 3000:
            raise KeyboardInterrupt

    with pytest.raises(NothingImported):
        store.import_people(records, progress=stop)
    assert _dump(db_path) == before
    seen: list[tuple[int, int]] = []
    report = store.import_people(records, progress=lambda d, t: seen.append((d, t)))
    assert (report.added, report.updated) == (5000, 1)
    assert seen[0] == (0, 5001)
    assert seen[-1] == (5001, 5001)
    store.close()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
def test_ctrl_c_during_a_large_import_leaves_the_database_and_says_so(db_path: Path, tmp_path: Path) -> None:
    store = Store.open(db_path)
    store.add(make_draft("Ada Lovelace", company="Analytical"))
    store.close()
    before = _dump(db_path)
    csv_path = _linkedin(tmp_path / "Connections.csv", 100_000)
    proc = subprocess.Popen([sys.executable, "-m", "infoint_tui", "--db", str(db_path), "import", str(csv_path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Past Python's start-up (its SIGINT handler in place) and into the work: ~0.6 s of CPU time; the
    # whole import takes several seconds.
    stat = Path(f"/proc/{proc.pid}/stat")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        if (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK") >= 0.6:
            break
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, (out, err)
    assert "interrupted: nothing was imported" in err
    assert "Traceback" not in err
    assert _dump(db_path) == before


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_shows_after_a_second_on_a_terminal_only() -> None:
    now = [0.0]
    tty = _Tty()
    bar = Progress("importing", stream=tty, clock=lambda: now[0])
    bar.update(10, 100)
    assert tty.getvalue() == ""  # a quick command prints nothing extra
    now[0] = 2.0
    bar.update(50, 100)
    shown = tty.getvalue()
    assert "importing" in shown
    assert "50/100 rows" in shown
    assert "25/s" in shown
    assert "2s left" in shown
    bar.close()
    assert tty.getvalue().endswith("\r\x1b[K")
    pipe = io.StringIO()
    quiet = Progress("importing", stream=pipe, clock=lambda: now[0] + 5)
    quiet.update(50, 100)
    muted = Progress("importing", stream=_Tty(), enabled=False, clock=lambda: now[0] + 5)  # --json
    muted.update(50, 100)
    quiet.close()
    assert pipe.getvalue() == ""
    assert muted._stream.getvalue() == ""


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_an_export_counts_its_rows_to_the_total(demo_path: Path, fmt: str) -> None:
    from infoint_tui.exchange.export import export_chunks, export_text

    store = Store.open(demo_path, lambda: NOW)
    seen: list[tuple[int, int]] = []
    text = "".join(export_chunks(store, fmt, lambda d, t: seen.append((d, t))))
    assert text == export_text(store, fmt)
    assert seen
    assert seen[-1][0] == seen[-1][1] == store.export_size(people_only=fmt == "csv")
    store.close()


@pytest.mark.parametrize("url", [
    "https://www.linkedin.com/in/jane-doe", "http://linkedin.com/in/Jane/", "https://www.linkedin.com/in/jane?x=1",
    "https://www.linkedin.com/pub/jane/1/2", "linkedin.com/in/jane", "https://uk.linkedin.com/in/jane",
    "https://www.linkedin.com:443/in/jane", "https://u@www.linkedin.com/in/jane", "https://www.linkedin.com/in/ja\tne",
    "https://www.linkedin.com/in/jane#top", "https://www.linkedin.com//in/jane", "https://www.linkedin.com/in/",
    "https://www.linkedin.com/in/jäne", "https://www.linkedin.com/in/jane doe", "HTTPS://WWW.LINKEDIN.COM/IN/JANE",
    "https://www.linkedin.com/in/jane;x", "https://www.linkedin.com/in/jane\\x", "https://www.linkedin.com/in/j\x01",
    "https://www.linkedin.com/in/[x]", "https://www.linkedin.com/in/a@b", " https://www.linkedin.com/in/x \n"])
def test_the_plain_linkedin_url_key_is_the_one_urlsplit_gives(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    from infoint_tui.domain import text

    fast = text.url_key(url)
    monkeypatch.setattr(text, "_LINKEDIN_PROFILE", re.compile(r"(?!)"))  # never matches: urlsplit's way
    assert fast == text.url_key(url)


@pytest.mark.parametrize("url", [
    "https://www.linkedin.com/in/jane-doe", "http://example.com", "https://example.com/a?b=c#d", "example.com/x",
    "https://localhost/x", "https://exa_mple.com/", "https://example.com:8080/", "https://u@example.com/",
    "ftp://example.com/", "HTTPS://EXAMPLE.COM/", "https://example.com/a b", "https://example.com/ä",
    "https://xn--bcher-kva.example/", "https://example./", "https://.example.com/", "https://example.com/\\x",
    "https://[::1]/", "https://example.com?x", "https://example.com#", "https://-a-.b-/"])
def test_a_plain_web_address_is_accepted_as_urlsplit_accepts_it(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    from infoint_tui.domain import text
    from infoint_tui.domain.errors import Invalid

    def check() -> str:
        try:
            return text.valid_url(url)
        except Invalid as err:
            return f"invalid: {err}"

    fast = check()
    monkeypatch.setattr(text, "_PLAIN_URL", re.compile(r"(?!)"))  # never matches: urlsplit's way
    assert fast == check()


def test_a_large_import_in_chunks_leaves_the_rows_and_schema_of_one_chunk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An import writes each chunk's people from a thread of its own (``sqlite.NewPeople``), through
    temporary tables, with the people's and events' indexes kept up: the same rows as one chunk, the
    schema of a new database (nothing of the import's left), a sound file whose indexes are used."""
    from infoint_tui.exchange.load import load_file
    from infoint_tui.store import importing

    records = load_file(_linkedin(tmp_path / "Connections.csv", 12_000)).records
    dumps, schemas = [], []
    fresh = tmp_path / "fresh.sqlite3"
    Store.open(fresh).close()
    with sqlite3.connect(fresh) as c:
        schema = c.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall()
    for name, size in (("chunks", 1_000), ("one", 20_000)):
        monkeypatch.setattr(importing, "CHUNK", size)
        path = tmp_path / f"{name}.sqlite3"
        store = Store.open(path, lambda: NOW)
        assert store.import_people(records).added == 12_000
        assert not store.db.execute_sql("SELECT name FROM temp.sqlite_master").fetchall()
        store.close()
        dumps.append(_dump(path))
        with sqlite3.connect(path) as c:
            schemas.append(c.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall())
            assert c.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            plan = " ".join(r[3] for r in c.execute("EXPLAIN QUERY PLAN SELECT id FROM contact WHERE name_key = 'x'"))
            assert "INDEX" in plan
    assert dumps[0] == dumps[1]
    assert schemas[0] == schemas[1] == schema
