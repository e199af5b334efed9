"""``infoint config path|show|edit|edit-questions|edit-template``: the config file (infoint_tui.config)
and the user's own question bank and templates beside it (infoint_tui.userfiles)."""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
from pathlib import Path

from ..domain.errors import InfointError, Invalid
from .db import configured


def cmd_config(args: argparse.Namespace) -> int:
    """``path`` prints where the file is (existing or not); ``show`` every value in force, defaults
    included; ``edit`` opens it in ``$VISUAL``/``$EDITOR`` (default vi), creating it first (0600)
    with every setting commented out at its default. ``edit-questions`` and ``edit-template NAME`` open
    the user's question bank or template the same way, created from the shipped one when missing."""
    from .. import config, userfiles

    found = configured(args)
    if args.action == "path":
        print(found.path)
        return 0
    if args.action == "show":
        print(config.show(found), end="")
        print("\n# Your own files (infoint config edit-questions | edit-template NAME):")
        for path, there in userfiles.in_force(found.path):
            print(f"#   {path}: " + ("in force" if there else "not there, the shipped default"))
        return 0
    if args.action == "edit-questions":
        path = userfiles.create_questions(found.path)
        code = _edit(path)
        problems = userfiles.load_questions(found.path).problems
    elif args.action == "edit-template":
        from ..domain.outreach import TEMPLATES

        if args.name not in TEMPLATES:
            raise Invalid("NAME", f"edit-template needs one of: {', '.join(TEMPLATES)}.")
        path = userfiles.create_template(found.path, args.name)
        code = _edit(path)
        problems = tuple(p for p in userfiles.load_templates(found.path).problems if p.startswith(f"{path}:"))
    else:
        config.create(found.path)
        code = _edit(found.path)
        problems = config.load(found.path).problems
    for line in problems:  # what the edit left wrong, said at once
        print(f"infoint: {line}", file=sys.stderr)
    return code


def _edit(path: Path) -> int:
    """Open ``path`` in ``$VISUAL``/``$EDITOR`` (default vi); the editor's exit status."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        return subprocess.call([*shlex.split(editor), str(path)])
    except OSError as exc:
        raise InfointError(f"cannot start the editor '{editor}' ({exc.strerror}); set $EDITOR, "
                           f"or edit {path} by hand.") from exc
