"""Writing files that hold personal data: created readable by the owner only, never over an existing
file unless asked, never through a symbolic link, with a one-line error naming what is wrong."""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterable
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


def write_private(path: Path, text: str | Iterable[str], *, force: bool = False) -> Path:
    """Write ``text`` (a string, or chunks written one after the other and never held all at once) to
    a new file ``path``, mode 0600; returns the path written.

    The text goes to a private temporary file beside ``path`` first, so a write that fails halfway (a
    full disk, Ctrl+C during a streamed export) leaves nothing behind. It then takes the name: with a
    hard link for a new file, which fails if anything appeared there meanwhile (never through a link);
    with a rename over an existing file only with ``force`` (a link put there is replaced, not followed).

    Raises:
        OutputError: see :func:`check_target`; OutputExists when the file exists and not ``force``.
    """
    try:
        path = check_target(path)
        replace = False
    except OutputExists:
        if not force:
            raise
        path, replace = Path(path).expanduser(), True
    return _write_then_name(path, [text] if isinstance(text, str) else text, replace)


def _write_then_name(path: Path, chunks: Iterable[str], replace: bool) -> Path:
    """Write ``chunks`` to a private temporary file beside ``path``, then give it ``path``'s name."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)  # 0600, O_EXCL
    except OSError as exc:
        raise _describe(path, exc) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            for chunk in chunks:
                f.write(chunk)
        if replace:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails with EEXIST if anything is there now, a link included
            os.unlink(tmp)
    except OSError as exc:
        raise _describe(path, exc) from exc
    finally:
        Path(tmp).unlink(missing_ok=True)  # a write that failed leaves no part-file behind
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

