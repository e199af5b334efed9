"""Close the app's terminal at random moments of start-up, many times; report processes left running.

    python scripts/hangup_soak.py [RUNS] [--seed N] [--show-log]

Each run starts ``python -m infoint_tui`` on its own pty (as sshd would) on a throw-away demo database,
closes the pty master at a random moment (0-800 ms after the spawn, or 0-300 ms after the first byte
the app draws), and waits 3 s for the process to end. A process still running then is counted as
left, killed (SIGKILL) and reported with its moment. Exit 1 if any was left. Not collected by pytest;
tests/test_lifecycle.py runs a short fixed version of this on every test run.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.terminal import PtyApp  # noqa: E402

WAIT = 3.0
"""Seconds a process has to end after its terminal closed."""


def demo_database(folder: Path) -> Path:
    from infoint_tui.store import Store
    from infoint_tui.store.demo import seed_demo

    path = folder / "demo.sqlite3"
    store = Store.open(path)
    seed_demo(store)
    store.close()
    return path


def one(db: Path, env: dict[str, str], rng: random.Random) -> tuple[str, int | None, float]:
    """One start and close: (the moment, the exit status or None if left running, seconds to end)."""
    app = PtyApp(db=db, env=env)
    if rng.random() < 0.5:
        delay = rng.uniform(0, 0.8)
        moment = f"{delay * 1000:4.0f} ms after the spawn"
    else:
        deadline = time.monotonic() + 20
        while not app.output and app.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
        delay = rng.uniform(0, 0.3)
        moment = f"{delay * 1000:4.0f} ms after the first byte"
    time.sleep(delay)
    app.close_terminal()
    closed = time.monotonic()
    while app.poll() is None and time.monotonic() - closed < WAIT:
        time.sleep(0.02)
    took = time.monotonic() - closed
    status = app.poll()
    if status is None:
        app.signal(signal.SIGKILL)
        app.wait()
    return moment, status, took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="?", type=int, default=50)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--show-log", action="store_true", help="print the crash log the runs wrote")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="infoint-soak-") as tmp:
        folder = Path(tmp)
        db = demo_database(folder)
        env = {"XDG_DATA_HOME": str(folder / "xdg")}  # crash logs stay in the throw-away folder
        statuses: Counter[str] = Counter()
        left: list[str] = []
        slow = 0
        for i in range(args.runs):
            moment, status, took = one(db, env, rng)
            statuses["left running" if status is None else f"exit {status}"] += 1
            slow += status is not None and took > 1.0
            if status is None:
                left.append(moment)
                print(f"run {i + 1}: LEFT RUNNING, terminal closed {moment}", flush=True)
        log = folder / "xdg" / "infoint" / "infoint.log"
        errors = log.read_text(encoding="utf-8").count("\n--- ") + 1 if log.exists() else 0
        if log.exists() and args.show_log:
            print(log.read_text(encoding="utf-8"))
    print(f"{args.runs} runs (seed {seed}): {len(left)} left running; "
          + ", ".join(f"{n} x {s}" for s, n in sorted(statuses.items()))
          + f"; {slow} ended after more than 1 s (the watchdog's work); {errors} crash-log entries")
    return 1 if left else 0


if __name__ == "__main__":
    os.environ.setdefault("TEXTUAL_ANIMATION", "none")
    sys.exit(main())
