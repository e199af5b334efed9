"""``infoint config path|show|edit``: the config file (infoint_tui.config)."""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys

from ..domain.errors import InfointError
from .db import configured


def cmd_config(args: argparse.Namespace) -> int:
    """``path`` prints where the file is (existing or not); ``show`` every value in force, defaults
    included; ``edit`` opens it in ``$VISUAL``/``$EDITOR`` (default vi), creating it first (0600)
    with every setting commented out at its default."""
    from .. import config

    found = configured(args)
    if args.action == "path":
        print(found.path)
        return 0
    if args.action == "show":
        print(config.show(found), end="")
        return 0
    config.create(found.path)
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        code = subprocess.call([*shlex.split(editor), str(found.path)])
    except OSError as exc:
        raise InfointError(f"cannot start the editor '{editor}' ({exc.strerror}); set $EDITOR, "
                           f"or edit {found.path} by hand.") from exc
    for line in config.load(found.path).problems:  # what the edit left wrong, said at once
        print(f"infoint: {line}", file=sys.stderr)
    return code
