"""Writing files that hold personal data: created readable by the owner only, never over an existing
file unless asked, never through a symbolic link, with a one-line error naming what is wrong."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from ..domain.errors import InfointError


class OutputError(InfointError):
    """The output path cannot be written: a missing folder, a folder, a link, no permission..."""


class OutputExists(OutputError):
    """The output file exists and replacing it was not asked for (the app asks; the shell says --force)."""


STDOUT = "-"
"""The output path that means standard output (``-o -``)."""


def check_target(path: Path) -> Path:
    """``path`` (``~`` expanded) if a file may be written there; says why not otherwise.

    Raises:
        OutputError: the folder is missing or is not a folder, or ``path`` is a folder or a link.
        OutputExists: ``path`` is an existing file (the caller decides whether to replace it).
    """
    path = Path(path).expanduser()
    parent = path.parent
    if not parent.exists():
        raise OutputError(f"{path}: the folder {parent} does not exist; create it or choose another path.")
    if not parent.is_dir():
        raise OutputError(f"{path}: {parent} is not a folder; choose another path.")
    if path.is_symlink():
        raise OutputError(f"{path} is a symbolic link; infoint does not write through links: give the real "
                          "path or another name.")
    if path.is_dir():
        raise OutputError(f"{path} is a folder; give a file name inside it, e.g. {path / 'export.txt'}.")
    if path.exists():
        raise OutputExists(f"{path} already exists; add --force to replace it, or choose another name.")
    return path


def write_private(path: Path, text: str, *, force: bool = False) -> Path:
    """Write ``text`` to a new file ``path``, mode 0600; returns the path written.

    An existing file is replaced only with ``force``, and then atomically (a private temporary file
    renamed over it), so a link put there meanwhile is replaced, never followed. A new file is
    created with O_EXCL | O_NOFOLLOW: if anything appears at the path between the check and the
    write, the write fails instead of going through it.

    Raises:
        OutputError: see :func:`check_target`; OutputExists when the file exists and not ``force``.
    """
    try:
        path = check_target(path)
    except OutputExists:
        if not force:
            raise
        path = Path(path).expanduser()
        return _replace(path, text)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError as exc:
        raise _describe(path, exc) from exc
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.chmod(path, 0o600)
    return path


def _replace(path: Path, text: str) -> Path:
    """Replace the file at ``path`` by a new one holding ``text``, atomically, mode 0600."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # mkstemp: 0600, O_EXCL
    except OSError as exc:
        raise _describe(path, exc) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _describe(path, exc) from exc
    return path


def _describe(path: Path, exc: OSError) -> OutputError:
    """An OSError met while writing ``path`` as one line for the user."""
    if exc.errno == errno.EEXIST:
        return OutputExists(f"{path} already exists; add --force to replace it, or choose another name.")
    if exc.errno == errno.ELOOP:
        return OutputError(f"{path} is a symbolic link; infoint does not write through links: give the real "
                           "path or another name.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(f"cannot write {path}: {exc.strerror}; choose a folder you can write to.")
    return OutputError(f"cannot write {path}: {exc.strerror}; choose another path.")
