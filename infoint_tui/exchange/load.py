"""Reading an import file: its text, its format (given or detected) and what it holds.

One home for ``infoint import`` and the app's import (``MainScreen.action_import``). Every error is
a :class:`~infoint_tui.exchange.readers.FormatError` that names the file and, where the format has
lines, the line. Nothing here writes: the store decides what the records change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain.model import PersonRecord
from . import readers
from .readers import FormatError


@dataclass(frozen=True)
class Loaded:
    """An import file, read: ``fmt`` is ``"json"`` (an infoint JSON export, whole in ``data``, for
    ``Store.load_export``) or a people format (``records``, for ``Store.import_people``)."""

    fmt: str
    records: list[PersonRecord] = field(default_factory=list)
    data: Any = None
    ignored_columns: tuple[str, ...] = ()
    """Columns of a CSV that held values infoint does not keep (shown in the import summary)."""
    encoding: str = "utf-8"
    """The encoding the file was read in (detected when it is not UTF-8)."""


def load_file(path: Path, fmt: str | None = None, encoding: str | None = None) -> Loaded:
    """Read ``path`` as ``fmt`` (linkedin, google, vcard, csv or json; detected when None), in
    ``encoding`` (detected when None: UTF-8, UTF-16 with a BOM, or a clear 8-bit guess).

    Raises:
        FormatError: the file cannot be read, its format is not recognised, or it is not valid in
            its format; the message starts with the file's path and says the line where there is one.
    """
    read = readers.read_file_text(path, encoding)  # its errors already name the file
    text = read.text
    try:
        fmt = fmt or readers.detect(text)
    except FormatError as err:
        raise FormatError(f"{path}: {err}") from err
    if fmt == "json":
        try:
            return Loaded(fmt, data=json.loads(text), encoding=read.encoding)
        except json.JSONDecodeError as exc:
            raise FormatError(f"{path} line {exc.lineno}: {exc.msg}; is this an infoint JSON export?") \
                from exc
    if fmt not in readers.READERS:
        raise FormatError(f"{path}: '{fmt}' is not a format; use linkedin, google, vcard, csv or json.")
    try:
        table = readers.read_people(text, fmt)
        return Loaded(fmt, records=table.records, ignored_columns=table.ignored_columns, encoding=read.encoding)
    except FormatError as err:
        raise FormatError(f"{path}: {err}") from err
