"""Hand a note to the user's own editor ($VISUAL, $EDITOR, else vi) and take back what was written.

Used by call mode (Ctrl+O edits the note being typed) and by the earlier notes (Ctrl+O opens a note
too large to show whole). The app is suspended while the editor runs; the note goes through a file
that only the user can read, in a private folder removed afterwards.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.text import clean_note

if TYPE_CHECKING:
    from textual.app import App


def editor_command() -> str:
    """The editor the user asked for."""
    return os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"


def edit_externally(app: App[object], text: str) -> str | None:
    """Run the user's editor on ``text`` (the app suspended) and return what it left, cleaned like any typed
    note; None if it could not run (the app has told the user why)."""
    command = editor_command()
    with tempfile.TemporaryDirectory(prefix="infoint-") as tmp:  # 0700: the note is private
        path = Path(tmp) / "note.md"
        path.write_text(text, encoding="utf-8")
        os.chmod(path, 0o600)
        try:
            with app.suspend():
                subprocess.run([*shlex.split(command), str(path)], check=False)
        except Exception as exc:  # no terminal to hand over (headless, or no such editor)
            app.notify(f"Could not open {command}: {exc}", severity="error", markup=False)
            return None
        return clean_note(path.read_text(encoding="utf-8", errors="replace"))
