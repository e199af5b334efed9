"""Benchmarks of infoint as a whole process on a real pseudo-terminal (not part of the test suite).

    python benchmarks/run.py                 # 1k, 10k and 100k people, 7 paired runs
    python benchmarks/run.py --quick         # 1k and 10k, 3 runs

Every first-frame time is paired run by run with a minimal Textual app (one Label)
launched the same way, alternating, because absolute times on shared machines drift by
±30% (shared/PERFORMANCE.md). Interactions are timed from writing the key to the pty to
the last byte of the repaint (quiet for 120 ms), and the bytes in between are counted:
that is what a user over SSH waits for and pays for. Terminal: 120x40, xterm-256color,
truecolor, cursor blink off (INFOINT_NO_BLINK=1).
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
from pathlib import Path

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


def infoint(db: Path, *args: str) -> Term:
    return Term([sys.executable, "-m", "infoint_tui", "--db", str(db), *args], {**ENV})


def minimal() -> Term:
    return Term([sys.executable, "-c", MINIMAL_APP], {**ENV})


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)] if values else float("nan")


def first_frames(db: Path, runs: int) -> dict[str, float]:
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


def interactions(db: Path, note_db: Path) -> dict[str, tuple[float, float, float]]:
    """(median ms, p95 ms, median bytes) per kind of interaction, plus idle and memory."""
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
        for _ in range(3):  # to the first column, whichever had the focus: every move below is a real one
            term.key("h")
        term.settle()
        moves = []
        for i in range(6):
            moves.append(term.key("\x1b[1;2C" if i % 2 == 0 else "\x1b[1;2D"))  # shift+right / shift+left
            term.settle(0.3)
        out["move a card"] = (med([t for t, _ in moves]), p95([t for t, _ in moves]), med([b for _, b in moves]))
        out["memory, steady (MiB)"] = (0, 0, term.rss_mib())
    finally:
        term.close()
    # A fresh copy each run: the text typed below is autosaved, and a note that grew with every run
    # would change what a keystroke repaints.
    import shutil

    fresh = note_db.with_name(note_db.stem + "-run.sqlite3")
    for leftover in (fresh, Path(f"{fresh}-wal"), Path(f"{fresh}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copy(note_db, fresh)
    term = infoint(fresh)
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


def cli(db: Path, runs: int = 5) -> dict[str, float]:
    res = {}
    for name, args in (("infoint list", ["list"]), ("infoint search roadmap", ["search", "roadmap"])):
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "infoint_tui", "--db", str(db), *args], stdout=subprocess.DEVNULL,
                           check=True)
            times.append((time.perf_counter() - start) * 1000)
        res[name] = med(times)
    return res


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
    args = parser.parse_args()
    sys.path.insert(0, str(HERE.parent))
    from generate import generate  # type: ignore[import-not-found]

    # Byte-compile the app as `pip install` does (Textual's own modules are compiled at install): with
    # PYTHONDONTWRITEBYTECODE set, an editable install would otherwise recompile ~35 modules from source
    # on every launch (~75 ms here), which no installed copy does.
    import compileall

    compileall.compile_dir(str(HERE.parent / "infoint_tui"), quiet=1)

    sizes = (1_000, 10_000) if args.quick else (1_000, 10_000, 100_000)
    if args.sizes:
        sizes = tuple(int(n) for n in args.sizes.split(","))
    runs = 3 if args.quick else args.runs
    DATA.mkdir(exist_ok=True)
    dbs = {n: generate(n, DATA / f"{n}.sqlite3") for n in sizes}

    if args.only in (None, "first-frame"):
        print_first_frames(dbs, runs)
    if args.only in (None, "interactions"):
        print_interactions(dbs)
    if args.only in (None, "cli"):
        print_cli(dbs)
    return 0


def print_first_frames(dbs: dict[int, Path], runs: int) -> None:
    print(f"## First frame, paired with a minimal Textual app (median of {runs}, 120x40)\n")
    print("| people | infoint | minimal app | ratio | memory at first frame |")
    print("|---:|---:|---:|---:|---:|")
    for n, db in dbs.items():
        r = first_frames(db, runs)
        print(f"| {n:,} | {r['app_ms']:.0f} ms | {r['min_ms']:.0f} ms | {r['ratio']:.2f}x | {r['mem_mib']:.1f} MiB |",
              flush=True)


def print_interactions(dbs: dict[int, Path]) -> None:
    for n in (10_000, 100_000):
        if n not in dbs:
            continue
        print(f"\n## Interactions at {n:,} people (key → last byte of the repaint, bytes on the wire)\n")
        print("| what | median | p95 | bytes (median) |")
        print("|---|---:|---:|---:|")
        for what, (m, p, b) in interactions(dbs[n], note_db(dbs[n])).items():
            if what.startswith(("idle", "memory")):
                unit = "B/s" if what.startswith("idle") else "MiB"
                print(f"| {what} | | | {b:.1f} {unit} |")
            else:
                print(f"| {what} | {m:.1f} ms | {p:.1f} ms | {b:,.0f} B |", flush=True)


def print_cli(dbs: dict[int, Path]) -> None:
    big = dbs[max(dbs)]
    print(f"\n## Command line on {max(dbs):,} people (wall time, median of 5)\n")
    print("| command | time |")
    print("|---|---:|")
    for name, t in cli(big).items():
        print(f"| {name} | {t:.0f} ms |")


if __name__ == "__main__":
    sys.exit(main())
