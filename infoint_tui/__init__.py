"""infoint: informational interviews in the terminal.

This module deliberately imports nothing: the command line must start fast and
must not pull in Textual (see tests/test_import_hygiene.py).
"""

__version__ = "0.1.0"
