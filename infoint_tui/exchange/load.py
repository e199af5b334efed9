"""Reading an import file: its text, its format (given or detected) and what it holds.

One home for ``infoint import`` and the app's import (``MainScreen.action_import``). Every error is
a :class:`~infoint_tui.exchange.readers.FormatError` that names the file and, where the format has
lines, the line. Nothing here writes: the store decides what the records change.

A CSV is read as it is imported, row by row (:class:`PeopleFile`), not whole: 100,000 rows held as
records took ~100 MiB. So a row that cannot be read is found when the import gets to it; the
import's one transaction then rolls back, and nothing was imported, as when it was found first.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain.model import PersonRecord
from . import readers
from .readers import FormatError


class PeopleFile:
    """The people of an import file, read from the file each time they are iterated (an import, and
    before it the app's dry run), a CSV row by row; what ``Store.import_people`` takes.

    Attributes:
        fmt: linkedin, google, csv or vcard.
    """

    def __init__(self, path: Path, text: readers.TextFile, fmt: str) -> None:
        self.path, self.fmt = path, fmt
        self._text = text
        self._table: readers.TableReader | None = None
        self._read: Callable[[], int] = lambda: 0
        """How many people the iteration going on has given (about: a CSV's are counted as they are read)."""
        self._done: int | None = None

    def __iter__(self) -> Iterator[PersonRecord]:
        """Each person in the file, in order.

        Raises:
            FormatError: a row or card cannot be read (the message names the file and the line).
        """
        self._done = None
        try:
            if self.fmt in readers.TABLE_ARGS:
                table = self._table = readers.TableReader(*readers.TABLE_ARGS[self.fmt])
                self._read = lambda: table.count
                yield from table.records(self._text.lines())
            else:
                cards = readers.READERS[self.fmt](self._text.read())
                self._read = lambda: len(cards)
                yield from cards
        except FormatError as err:
            raise FormatError(f"{self.path}: {err}") from err
        self._done = self._read()

    @property
    def ignored_columns(self) -> tuple[str, ...]:
        """Columns of a CSV that held values infoint does not keep (for the import's summary): known once
        the file was read through, read through now if it was not."""
        if self._done is None:
            for _ in self:
                pass
        return self._table.ignored_columns if self._table is not None else ()

    def expected(self) -> int:
        """How many people the file holds: exact once it was read through, an estimate while it is being
        read (the people so far, scaled by the bytes read so far), 0 before."""
        if self._done is not None:
            return self._done
        at, read = self._text.position(), self._read()
        if not read or not at:
            return 0
        return max(read, round(read * self._text.size / at))


@dataclass(frozen=True)
class Loaded:
    """An import file, opened: ``fmt`` is ``"json"`` (an infoint JSON export, whole in ``data``, for
    ``Store.load_export``) or a people format (``records``, for ``Store.import_people``: a
    :class:`PeopleFile`, read as it is iterated)."""

    fmt: str
    records: PeopleFile | list[PersonRecord] = field(default_factory=list)
    data: Any = None
    encoding: str = "utf-8"
    """The encoding the file is read in (detected when it is not UTF-8)."""

    @property
    def ignored_columns(self) -> tuple[str, ...]:
        """Columns of a CSV that held values infoint does not keep (shown in the import summary)."""
        return self.records.ignored_columns if isinstance(self.records, PeopleFile) else ()


def load_file(path: Path, fmt: str | None = None, encoding: str | None = None) -> Loaded:
    """Open ``path`` as ``fmt`` (linkedin, google, vcard, csv or json; detected when None), in
    ``encoding`` (detected when None: UTF-8, UTF-16 with a BOM, or a clear 8-bit guess). A JSON export
    is read whole; the people of the other formats as they are iterated.

    Raises:
        FormatError: the file cannot be read, its format is not recognised, or (JSON) it is not valid;
            the message starts with the file's path and says the line where there is one. A row of a
            CSV or a card of a vCard that cannot be read raises it when the records get there.
    """
    text = readers.TextFile(path, encoding)  # its errors already name the file
    try:
        fmt = fmt or readers.detect(text.head())
    except FormatError as err:
        raise FormatError(f"{path}: {err}") from err
    if fmt == "json":
        try:
            return Loaded(fmt, data=json.loads(text.read()), encoding=text.encoding)
        except json.JSONDecodeError as exc:
            raise FormatError(f"{path} line {exc.lineno}: {exc.msg}; is this an infoint JSON export?") \
                from exc
    if fmt not in readers.READERS:
        raise FormatError(f"{path}: '{fmt}' is not a format; use linkedin, google, vcard, csv or json.")
    return Loaded(fmt, records=PeopleFile(Path(path), text, fmt), encoding=text.encoding)
