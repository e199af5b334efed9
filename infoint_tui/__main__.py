"""``python -m infoint_tui`` and the ``infoint`` command."""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: the command line, which starts the app when no subcommand is given."""
    # Start-up allocates hundreds of thousands of long-lived objects (modules, classes, styles) and
    # Python's collector would walk them all several times before the first frame (~25 ms here).
    # It is switched back on, with those objects frozen out of its way, once the first frame is out
    # (tui.screens.main) or when the command turns out not to start the app (cli.main).
    gc.disable()
    from .cli import main as cli_main

    try:
        return cli_main(argv)
    finally:
        gc.enable()


if __name__ == "__main__":
    sys.exit(main())
