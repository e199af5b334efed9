"""Two TUIs and a command-line loop on one database for N minutes: is every character typed saved?

    python scripts/soak.py [--minutes 10] [--seed N] [--keep]

Each TUI (``python -m infoint_tui`` on its own pty, as sshd would run it) types scripted notes about
its own person, in bursts of words at typing speed with pauses (the autosave's idle and two-second
saves both fire), while a command-line loop writes to the same database all the time: notes on other
people, card moves (``infoint move``), imports of 1,000 new people (each one write transaction of a few
seconds: the TUIs' saves wait for it), ``list``, ``show`` and ``search`` (these must never wait). At
the end both TUIs quit with Ctrl+Q. Reported: characters typed vs saved for each TUI (they must be
equal, the saved note exactly the typed text), the TUIs' exit codes, errors (a command's non-zero
exit other than a refused move; "NOT saved" or an error toast on a TUI's screen), how often a
TUI said it was waiting for the database, and the peak memory (VmHWM) of each TUI and of the
largest command. Exit 1 if anything was lost or failed. Not collected by pytest.

Figures (the busy shared machine, ``--minutes 2``, seed 1):

    typed vs saved: tui-1 1,433 / 1,433 chars (equal), tui-2 1,179 / 1,179 (equal); exit codes 0, 0
    commands: 307 (notes 75, moves 99 of which 13 refused: archived people, imports 26 x 1,000 people,
    list/show/search 107), errors 0; reads slower than 1 s: 0 (slowest 0.48 s)
    the TUIs said "waiting for the database" 0 times (an import of 1,000 people holds the lock well
    under the 5 s busy timeout: saves simply waited inside it); 'NOT saved' 0 times
    peak memory (VmHWM): tui-1 52 MiB, tui-2 51 MiB, largest command 56 MiB (an import)
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.terminal import PtyApp  # noqa: E402

WORDS = ("advice", "hiring", "team", "data", "platform", "referral", "coffee", "roadmap", "python",
         "interview", "manager", "culture", "remote", "salary", "mentor", "intro", "follow", "up")
IMPORT_ROWS = 1000


def vm_hwm_kib(pid: int) -> int:
    """Peak resident memory of a live process (KiB), from /proc."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class Typist:
    """One TUI typing notes about one person."""

    name: str
    app: PtyApp
    typed: list[str] = field(default_factory=list)

    def type_burst(self, rng: random.Random) -> None:
        words = [rng.choice(WORDS) for _ in range(rng.randint(3, 12))]
        text = " ".join(words) + rng.choice((" ", " ", ". ", "\r"))
        self.app.write(text, per_key=rng.uniform(0.01, 0.06))
        self.typed.append(text.replace("\r", "\n"))


@dataclass
class Loop:
    """The command-line loop's counts."""

    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    refused_moves: int = 0
    peak_kib: int = 0
    peak_what: str = ""
    slowest_read: float = 0.0
    slow_reads: int = 0


def run_cli(db: Path, loop: Loop, kind: str, *args: str) -> None:
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "infoint_tui", "--db", str(db), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    took = time.monotonic() - start
    loop.counts[kind] = loop.counts.get(kind, 0) + 1
    if usage.ru_maxrss > loop.peak_kib:
        loop.peak_kib, loop.peak_what = usage.ru_maxrss, kind
    if kind == "read":
        loop.slowest_read = max(loop.slowest_read, took)
        loop.slow_reads += took > 1.0
    if proc.returncode != 0:
        if kind == "move" and ("archived" in err or "cannot" in err or "already" in err):
            loop.refused_moves += 1
        else:
            loop.errors.append(f"{' '.join(args[:2])}: exit {proc.returncode}: {err.strip()[:200]}")


def cli_loop(db: Path, tmp: Path, until: float, rng: random.Random, loop: Loop, people: list[int]) -> None:
    n_import = 0
    stages = ("to-contact", "scheduled", "met", "thanked")
    while time.monotonic() < until:
        what = rng.choice(("note", "move", "read", "read", "note", "move", "note", "move", "read", "import"))
        if what == "note":
            run_cli(db, loop, "note", "note", str(rng.choice(people)), " ".join(rng.sample(WORDS, 5)))
        elif what == "move":
            run_cli(db, loop, "move", "move", str(rng.choice(people)), rng.choice(stages))
        elif what == "read":
            cmd = rng.choice((["list"], ["show", str(rng.choice(people))], ["search", rng.choice(WORDS)]))
            run_cli(db, loop, "read", *cmd)
        else:
            n_import += 1
            path = tmp / f"import-{n_import}.csv"
            with path.open("w", newline="") as f:
                w = csv.writer(f)
                w.writerow(["Name", "Company", "Email", "Notes"])
                for i in range(IMPORT_ROWS):
                    w.writerow([f"Zz Import {n_import}-{i}", f"Company {i % 97}", f"imp{n_import}.{i}@example.org",
                                " ".join(rng.sample(WORDS, 4))])
            run_cli(db, loop, "import", "import", str(path))
        time.sleep(rng.uniform(0.05, 0.3))


def saved_text(db: Path, contact_id: int) -> str:
    con = sqlite3.connect(db)
    try:
        return "".join(t for (t,) in con.execute("SELECT text FROM note WHERE contact_id = ? ORDER BY id",
                                                 (contact_id,)))
    finally:
        con.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the database folder and print its path")
    opts = parser.parse_args()
    rng = random.Random(opts.seed)
    tmp = Path(tempfile.mkdtemp(prefix="infoint-soak-"))
    db = tmp / "soak.sqlite3"
    env = {"XDG_DATA_HOME": str(tmp / "xdg")}

    from infoint_tui.domain.model import ContactDraft
    from infoint_tui.store import Store
    from infoint_tui.store.demo import seed_demo

    store = Store.open(db)
    seed_demo(store)
    # Their names sort first: the first TUI types about the first person in the list, the second about
    # the second (one "j" down).
    ids = [store.add(ContactDraft(name=f"!Soak {n}")).id for n in ("One", "Two")]
    people = [c.id for c in store.iter_contacts() if c.id not in ids]
    store.close()

    typists = []
    for i, keys in enumerate(("3", "j3")):
        app = PtyApp(db=db, size=(80, 24), env=env)
        app.wait_for("!Soak One", timeout=30)
        time.sleep(1.0)
        app.write(keys, per_key=0.3)
        time.sleep(1.0)
        typists.append(Typist(f"tui-{i + 1}", app))

    until = time.monotonic() + opts.minutes * 60
    loop = Loop()
    worker = threading.Thread(target=cli_loop, args=(db, tmp, until, random.Random(opts.seed + 1), loop, people))
    worker.start()
    rngs = [random.Random(opts.seed + 10 + i) for i in range(len(typists))]
    while time.monotonic() < until:
        for t, r in zip(typists, rngs, strict=True):
            t.type_burst(r)
        time.sleep(rng.choice((0.2, 0.5, 1.5, 2.5)))  # pauses: the idle save fires in the longer ones
    worker.join()

    peaks = {t.name: vm_hwm_kib(t.app.pid) for t in typists}
    codes = {}
    for t in typists:
        t.app.write("\x11")  # Ctrl+Q: save and quit
    for t in typists:
        try:
            codes[t.name] = t.app.wait(timeout=30)
        except AssertionError:
            codes[t.name] = -9
        t.app.kill()

    ok = True
    print(f"soak: {opts.minutes:g} min on {db}")
    for t, cid in zip(typists, ids, strict=True):
        typed = "".join(t.typed)
        saved = saved_text(db, cid)
        screen = t.app.text()
        equal = saved == typed
        ok &= equal and codes[t.name] == 0 and "NOT saved" not in screen
        print(f"  {t.name}: typed {len(typed):,} chars, saved {len(saved):,} ({'equal' if equal else 'DIFFERENT'}); "
              f"exit {codes[t.name]}; said waiting {screen.count('Waiting for the database')} times; "
              f"'NOT saved' {screen.count('NOT saved')} times; peak {peaks[t.name] / 1024:.0f} MiB")
        if not equal:
            cut = next((i for i, (a, b) in enumerate(zip(typed, saved, strict=False)) if a != b),
                       min(len(typed), len(saved)))
            print(f"    first difference at {cut}: typed {typed[cut:cut + 40]!r} saved {saved[cut:cut + 40]!r}")
    total = sum(loop.counts.values())
    print(f"  commands: {total} ({', '.join(f'{k} {v}' for k, v in sorted(loop.counts.items()))}); "
          f"refused moves {loop.refused_moves}; errors {len(loop.errors)}")
    print(f"  reads slower than 1 s: {loop.slow_reads} (slowest {loop.slowest_read:.2f} s); "
          f"largest command peak {loop.peak_kib / 1024:.0f} MiB ({loop.peak_what})")
    for e in loop.errors[:10]:
        print(f"    error: {e}")
    ok &= not loop.errors
    if opts.keep:
        print(f"  kept: {tmp}")
    else:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
