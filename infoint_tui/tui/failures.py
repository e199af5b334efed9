"""A background task (a Textual worker) that failed: one line for the user, the details in the log.

The app's workers run with ``exit_on_error=False`` so that one failed read or write does not end the
session; without this, such a failure went unseen. Textual posts ``Worker.StateChanged`` to the node
that runs the worker and does not bubble it, so the app and every screen that runs workers hand it
here (:class:`WorkerFailures`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.worker import Worker, WorkerState

from ..domain.errors import InfointError

if TYPE_CHECKING:
    from textual.app import App

NOTE_SAVES = frozenset({"save-note", "call-save"})
"""Worker groups that save a note: when they fail, the text is not saved (it stays in the editor)."""


def what_failed(worker: Worker[object]) -> str:
    """What the worker was doing, for people: ``action_delete_person`` → "delete person"."""
    name = worker.name or worker.group or "a background task"
    for prefix in ("action_", "_"):
        name = name.removeprefix(prefix)
    return name.replace("_", " ").replace("-", " ").strip() or "a background task"


def failure_line(worker: Worker[object], where: object) -> str:
    """The one line the user reads about a failed worker: what, that nothing was lost (or what was), where
    the details are."""
    error = worker.error
    kind = type(error).__name__ if error is not None else "error"
    if worker.group in NOTE_SAVES:
        kept = "your note was NOT saved; it stays in the editor (Ctrl+S tries again)"
    else:
        kept = "nothing was lost (a change it was making was not saved)"
    return f"Could not {what_failed(worker)} ({kind}); {kept}. Details in {where}."


def report(app: App[object], worker: Worker[object]) -> None:
    """Log a failed worker's error and tell the user in one line (user errors: their own message)."""
    error = worker.error
    if error is None:
        return
    if isinstance(error, InfointError):  # a message written for the user: no bug to log
        app.notify(str(error), severity="error", markup=False)
        return
    from ..crash import write_crash_log

    app.notify(failure_line(worker, write_crash_log(error)), severity="error", markup=False, timeout=12)


class WorkerFailures:
    """Mixed into the app and the screens that run workers: a failed one is reported (see :func:`report`)."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            report(self.app, event.worker)  # type: ignore[attr-defined]
