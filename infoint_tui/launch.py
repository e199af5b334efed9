"""Starting the app: the entry point's side of ``infoint``, ``infoint --demo`` and ``infoint call ID``.

The command line parses those (``cli.main``) but does not start the app itself: ``__main__.main``
hands it :func:`start` as its launcher, so that the command line never imports the TUI. The TUI
(Textual) is imported here only when the app starts.
"""

from __future__ import annotations

from pathlib import Path


def start(db: Path | None = None, *, demo: bool = False, call_id: int | None = None,
          serve: tuple[str, int] | None = None) -> int:
    """Start the app on ``db`` (in call mode on ``call_id`` when given), or, with ``demo``, on a
    throw-away demo database, or, with ``serve=(host, port)``, serve it to browsers (``infoint serve``);
    returns the exit code. The command line's launcher (``cli.Launcher``)."""
    if demo:
        return run_demo_app()
    if db is None:
        raise ValueError("start() needs a database path unless demo is set")
    if serve is not None:
        from .serve import serve as serve_app  # textual-serve (and Rich) only now

        return serve_app(db, *serve)
    return run_app(db, call_id=call_id)


def run_app(path: Path, call_id: int | None = None) -> int:
    """Start the TUI on ``path`` (imported only now: the command line stays free of Textual)."""
    from .tui.run import run

    return run(path, call_id=call_id)


def run_demo_app() -> int:
    """``infoint --demo``: the app on a throw-away demo database, removed on exit."""
    import tempfile

    from .store import Store
    from .store.demo import seed_demo

    with tempfile.TemporaryDirectory(prefix="infoint-demo-") as tmp:  # created 0700
        path = Path(tmp) / "demo.sqlite3"
        store = Store.open(path)
        seed_demo(store)
        store.close()
        return run_app(path)
