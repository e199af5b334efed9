"""Reading the files people keep their network in: LinkedIn's Connections.csv and Imported Contacts,
Google Contacts CSV (current and legacy dialects), Outlook CSV, vCard 2.1/3.0/4.0 and generic CSV.
Shapes from shared/DOMAIN.md §2 and issue 17.

Readers return PersonRecords with raw text; the store cleans, checks, matches and writes them.
vobject is imported only when a vCard is read, charset-normalizer only when a file is not UTF-8.
"""

from __future__ import annotations

import codecs
import csv
import io
import operator
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..domain.errors import InfointError
from ..domain.model import PersonRecord
from ..domain.text import MAX_NOTE

FIELD_LIMIT = 4 * MAX_NOTE
"""Longest CSV field read. Python's csv refuses fields over 131,072 characters by default, and the
whole file with them, while a note may hold 2,000,000: room for the longest note and then some, so
that an overlong one is refused alone, by the store, saying the limit."""
csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))



class FormatError(InfointError):
    """The file cannot be read as the format; says which line and what is wrong."""


@dataclass(frozen=True)
class Text:
    """A file's text and the encoding it was read with (``utf-8`` unless the file said or showed otherwise)."""

    text: str
    encoding: str = "utf-8"


_PREFERRED_8BIT = "cp1252"
"""When several 8-bit encodings read a file equally well, Windows' Western code page wins: it is what
Outlook and Excel write on most machines, and Latin-1 files decode the same way (bar 0x80-0x9f)."""


def decode(raw: bytes, where: str, encoding: str | None = None) -> Text:
    """``raw`` as text: UTF-8 (with or without BOM), UTF-16 with a BOM (Outlook writes it), or another
    encoding detected by charset-normalizer when it is clear; ``encoding`` forces one.

    Raises:
        FormatError: the encoding is unclear (the message names the likely one and how to give it) or
            ``encoding`` is unknown or does not fit.
    """
    if encoding:
        try:
            return Text(raw.decode(codecs.lookup(encoding).name), codecs.lookup(encoding).name)
        except LookupError:
            raise FormatError(f"{where}: '{encoding}' is not an encoding; try utf-8, cp1252 or latin-1.") from None
        except UnicodeDecodeError as exc:
            raise FormatError(f"{where}: is not {encoding} (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
                              "give another --encoding.") from None
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    elif raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        try:
            return Text(raw.decode("utf-16"), "utf-16")
        except UnicodeDecodeError:
            raise FormatError(f"{where}: starts like UTF-16 but is not; save it as UTF-8 and import again.") \
                from None
    try:
        return Text(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        bad_line = raw.count(b"\n", 0, exc.start) + 1
    return _detect_encoding(raw, where, bad_line)


def _detect_encoding(raw: bytes, where: str, bad_line: int) -> Text:
    """A file that is not UTF-8: read it in the encoding charset-normalizer finds, when the good guesses
    agree (or one of them is Windows' Western code page); otherwise refuse, naming the likely one."""
    from charset_normalizer import from_bytes  # lazy: only for files that are not UTF-8

    results = list(from_bytes(raw))
    if not results:
        raise FormatError(f"{where}: is not text in any encoding infoint knows (line {bad_line} is not UTF-8); "
                          "save it as UTF-8 (CSV UTF-8 in Excel) and import again.")
    best = min(r.chaos for r in results)
    good = [r for r in results if r.chaos <= best + 0.01]
    texts = {str(r) for r in good}
    pick = good[0] if len(texts) == 1 else next((r for r in good if r.encoding == _PREFERRED_8BIT), None)
    if pick is None or pick.chaos > 0.2:
        names = ", ".join(dict.fromkeys(r.encoding for r in good[:3]))
        raise FormatError(f"{where}: is not UTF-8 (line {bad_line}); it looks like {names}. Save it as UTF-8, "
                          f"or give --encoding {good[0].encoding}.")
    return Text(str(pick), pick.encoding)


def read_text(path: Path, encoding: str | None = None) -> str:
    """The file as text (see :func:`read_file_text`)."""
    return read_file_text(path, encoding).text


def read_file_text(path: Path, encoding: str | None = None) -> Text:
    """The file as text, with the encoding used; CRLF kept for csv.

    Raises:
        FormatError: the file cannot be read, or its encoding is unclear.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise FormatError(f"cannot read {path}: {exc.strerror}.") from exc
    return decode(raw, str(path), encoding)


BLOCK = 1 << 20
"""Bytes read at a time when a file is checked or streamed."""


class TextFile:
    """An import file's text, read as often as asked: line by line from the disk when it decodes
    cleanly in one pass (UTF-8 with or without a BOM, UTF-16 with one, or the ``encoding`` given), so
    that memory does not grow with the file; whole, as :func:`decode` reads it, when the encoding has
    to be detected (charset-normalizer looks at all of it).

    Attributes:
        encoding: The encoding it is read in, as :func:`decode` names it.
        size: Its length in bytes (in characters when it is read whole).
    """

    def __init__(self, path: Path, encoding: str | None = None) -> None:
        """Check that ``path`` can be read and decoded (one pass over its bytes, a block at a time).

        Raises:
            FormatError: as :func:`read_file_text`.
        """
        self.path = Path(path)
        self._text: str | None = None
        self._position: Callable[[], int] = lambda: 0
        try:
            with self.path.open("rb") as f:
                self.size = os.fstat(f.fileno()).st_size
                start = f.read(4)
                name = self._streamed_as(start, encoding)
                if name is not None:
                    f.seek(0)
                    decoder = codecs.getincrementaldecoder(name)()
                    try:
                        while block := f.read(BLOCK):
                            decoder.decode(block)
                        decoder.decode(b"", final=True)
                    except UnicodeDecodeError:
                        name = None
        except OSError as exc:
            raise FormatError(f"cannot read {path}: {exc.strerror}.") from exc
        if name is None:  # to be detected, or not what it says: decode() reads it whole, or says why not
            read = read_file_text(self.path, encoding)
            self._text, self.encoding = read.text, read.encoding
            self.size = len(read.text)  # (how far :meth:`lines` is, in characters)
        else:
            self._stream_as = name
            self.encoding = "utf-8" if name == "utf-8-sig" and not encoding else name

    @staticmethod
    def _streamed_as(start: bytes, encoding: str | None) -> str | None:
        """The codec a file starting with ``start`` is streamed in (None: read it whole)."""
        if encoding:
            try:
                return codecs.lookup(encoding).name
            except LookupError:
                return None  # decode() says so
        if start[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            return "utf-16"
        return "utf-8-sig"  # UTF-8 with its BOM left out, as decode() leaves it out

    def lines(self) -> Iterator[str]:
        """The text's lines, each with its line break (LF, CR or CRLF, as csv wants them)."""
        if self._text is not None:
            text = self._text
            self._position = lambda: len(text)
            yield from io.StringIO(text, newline="")
            return
        with self.path.open(encoding=self._stream_as, newline="") as f:
            self._position = f.buffer.tell
            yield from f
            self._position = lambda: self.size

    def read(self) -> str:
        """The whole text (a vCard, a JSON export: read whole)."""
        if self._text is not None:
            return self._text
        with self.path.open(encoding=self._stream_as, newline="") as f:
            return f.read()

    def head(self, lines: int = 20) -> str:
        """The start of the text: at least 64 KiB of it and ``lines`` whole lines (all of it if shorter),
        which is all :func:`detect` reads."""
        if self._text is not None:
            return self._text
        with self.path.open(encoding=self._stream_as, newline="") as f:
            head = f.read(65536)
            while len(head.splitlines()) <= lines and (more := f.read(65536)):
                head += more
        return head

    def position(self) -> int:
        """How many bytes the current :meth:`lines` has read (about: the decoder reads ahead)."""
        return self._position()


def _first_lines(text: str, n: int) -> list[str]:
    """``text.splitlines()[:n]`` without splitting all of a large file (100,000 rows: ~0.1 s)."""
    head = text[:65536].splitlines()
    if len(head) > n:  # a line break after the n-th line inside the head: those n are whole
        return head[:n]
    return text.splitlines()[:n]


def detect(text: str) -> str:
    """Which format ``text`` is in.

    Raises:
        FormatError: when it is none of them.
    """
    head = text.lstrip("\ufeff \t\r\n")[:4096]
    if head.upper().startswith("BEGIN:VCARD"):
        return "vcard"
    if head.upper().startswith("BEGIN:VCALENDAR"):
        raise FormatError("this is an iCalendar file; infoint imports people (LinkedIn or Google CSV, vCard, "
                          "CSV, infoint JSON).")
    if head[:1] in "{[":
        return "json"
    header = _find_header(_first_lines(text, 20))
    if header is None:
        raise FormatError("the format is not recognised; give --format linkedin, google, vcard, csv or json.")
    cols = {_norm(c) for c in header}
    if {"firstname", "connectedon"} <= cols:
        return "linkedin"
    if {"givenname", "familyname"} <= cols or "organizationname" in cols or "email#value" in cols:
        return "google"
    return "csv"


# --- CSV: one alias table for every dialect -----------------------------------------------------

def _norm(header: str) -> str:
    """A header as the alias table spells it: lower case, letters and digits only, a number as '#'
    ("E-mail 2 Address" → "email#address", "FirstName" and "First Name" → "firstname")."""
    return re.sub(r"\d+", "#", re.sub(r"[^0-9a-z]+", "", header.casefold().replace("\ufeff", "")))


ALIASES: dict[str, tuple[str, ...]] = {
    # field: normalised headers, the first non-empty one wins (so the order is the preference).
    "name": ("name", "fullname", "displayname", "contact", "contactname"),
    "first": ("firstname", "first", "givenname"),
    "middle": ("middlename", "additionalname"),
    "last": ("lastname", "last", "surname", "familyname"),
    "email": ("email", "emailaddress", "email#value", "email#address", "emails", "emailaddresses", "mail",
              "primaryemail", "workemail", "personalemail"),
    "phone": ("phone", "phonenumber", "phonenumbers", "primaryphone", "mobilephone", "mobile", "cellphone",
              "businessphone", "businessphone#", "phone#value", "telephone", "tel", "homephone", "homephone#",
              "companymainphone", "otherphone", "workphone"),
    "company": ("company", "companies", "organizationname", "organization#name", "organization", "organisation",
                "employer", "org", "currentcompany"),
    "title": ("jobtitle", "title", "position", "role", "organizationtitle", "organization#title",
              "currentposition", "occupation"),
    "url": ("url", "linkedin", "linkedinurl", "profileurl", "profile", "profiles", "website", "website#value",
            "webpage", "sites", "personalwebpage"),
    "address": ("address", "address#formatted", "addresses", "location"),
    "street": ("businessstreet", "address#street", "street", "homestreet"),
    "city": ("businesscity", "address#city", "city", "homecity"),
    "region": ("businessstate", "address#region", "state", "region", "homestate"),
    "code": ("businesspostalcode", "address#postalcode", "postalcode", "zip", "zipcode", "homepostalcode"),
    "country": ("businesscountryregion", "address#country", "country", "homecountryregion"),
    "tags": ("tags", "labels", "groups", "groupmembership", "categories"),
    "notes": ("notes", "note", "comments"),
    "source": ("source",),
    # Read and deliberately not kept: the labels of values that are kept (Google's "Work", Outlook's
    # "SMTP"), and Outlook's display name, which repeats the name and the address.
    "_label": ("email#label", "email#type", "phone#label", "phone#type", "address#label", "address#type",
               "website#label", "website#type", "organization#type", "emailtype", "email#type",
               "emaildisplayname", "email#displayname"),
}
"""Every CSV dialect's headers, by field: LinkedIn Connections.csv ("First Name", "Email Address",
"Position") and Imported Contacts ("FirstName", "Emails", "PhoneNumbers"), Google current ("E-mail 1 -
Value", "Organization Name", "Labels") and legacy ("Given Name", "Organization 1 - Title", "Group
Membership"), Outlook ("E-mail Address", "Business Phone", "Mobile Phone", "Job Title", "Categories",
"Web Page"), infoint's own export, and the names people type."""

_NAME_HEADERS = frozenset(ALIASES["name"] + ALIASES["first"] + ALIASES["last"])
_GUARDED = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet runs as a formula; writers.neutralise puts an apostrophe before them."""


def _unguard(cell: str) -> str:
    """Undo the CSV formula guard (``'+1 555…`` → ``+1 555…``), ours or a spreadsheet's."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in _GUARDED else cell


def _find_header(lines: list[str]) -> list[str] | None:
    """The first line that looks like a header naming people's fields."""
    for line in lines:
        try:
            row = next(csv.reader([line]))
        except (csv.Error, StopIteration):
            continue
        if len(row) > 1 and {_norm(c) for c in row} & _NAME_HEADERS:
            return row
    return None


def _unbom(lines: Iterable[str]) -> Iterator[str]:
    """``lines`` with any byte order marks at the start of the first one left out."""
    it = iter(lines)
    for first in it:
        yield first.lstrip("\ufeff")
        break
    yield from it


def _rows(lines: Iterable[str], what: str) -> Iterator[tuple[int, list[str], list[str]]]:
    """(line, header, row) for each non-empty row after the header (any preamble before it is skipped);
    the line is where the row starts, 1-based. ``lines`` as a text file opened with ``newline=""``
    gives them."""
    reader = csv.reader(_unbom(lines), strict=True)
    header: list[str] | None = None
    start = 1
    try:
        for row in reader:
            line, start = start, reader.line_num + 1
            if header is None:
                if len(row) > 1 and {_norm(c) for c in row} & _NAME_HEADERS:
                    header = row
                continue
            if not "".join(row).strip():  # no cell holds more than white space
                continue
            yield line, header, row
    except csv.Error as exc:
        raise FormatError(f"line {start}: {exc}; is this really a {what} file?") from exc
    if header is None:
        raise FormatError(f"no header row found; a {what} file starts with a line naming its columns "
                          "(Name, or First Name and Last Name, …).")


def _split(value: str, seps: str) -> list[str]:
    """Several values in one cell: Google's ' ::: ' always, and the separators ``seps`` (a regex class);
    Google's '* ' primary marker removed."""
    if not seps and ":::" not in value:  # one value (most cells): the same result without the comprehensions
        one = value.strip().removeprefix("* ").strip()
        return [one] if one else []
    pattern = _pattern(seps) if seps else None
    parts = [p for chunk in value.split(":::") for p in (pattern.split(chunk) if pattern else [chunk])]
    return [p.strip().removeprefix("* ").strip() for p in parts if p.strip().removeprefix("* ").strip()]


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _pattern(seps: str) -> re.Pattern[str]:
    """``seps`` compiled once (``re.split(seps, …)`` looked it up in re's cache on every cell)."""
    found = _PATTERNS.get(seps)
    if found is None:
        found = _PATTERNS[seps] = re.compile(seps)
    return found


def _values(cells: list[str] | None, seps: str = "") -> list[str]:
    """Every value of a field's ``cells`` (each split by :func:`_split`), in order; one plain cell (no
    separator, no ' ::: ': most of them) without the general path."""
    if not cells:
        return []
    if len(cells) == 1:
        cell = cells[0]
        if ":::" not in cell and (not seps or _pattern(seps).search(cell) is None):
            one = cell.strip().removeprefix("* ").strip()
            return [one] if one else []
    return [v for cell in cells for v in _split(cell, seps)]


def _join(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


_SYSTEM_LABELS = frozenset({"mycontacts", "starred", "my contacts"})


@dataclass(frozen=True)
class Table:
    """A CSV file read: its people and the columns that held values infoint does not keep."""

    records: list[PersonRecord]
    ignored_columns: tuple[str, ...] = ()


def read_table(text: str, source: str = "", what: str = "CSV") -> Table:
    """Any people CSV, every dialect through :data:`ALIASES`; columns by name, never by position."""
    table = TableReader(source, what)
    return Table(list(table.records(io.StringIO(text, newline=""))), table.ignored_columns)


class TableReader:
    """A people CSV read row by row (:meth:`records`), every dialect through :data:`ALIASES`; columns by
    name, never by position.

    Attributes:
        ignored_columns: The columns that held values infoint does not keep, once :meth:`records` has
            gone through the file.
    """

    def __init__(self, source: str = "", what: str = "CSV") -> None:
        self.source, self.what = source, what
        self.ignored_columns: tuple[str, ...] = ()
        self.count = 0
        """The rows :meth:`records` has read so far (the header and empty rows left out)."""

    def records(self, lines: Iterable[str]) -> Iterator[PersonRecord]:
        """A PersonRecord for each row of the CSV whose ``lines`` are given (see :func:`_rows`).

        Raises:
            FormatError: a row cannot be read, or there is no header (when the iteration gets there).
        """
        source, own_export = self.source, False
        mapping: dict[int, str] | None = None
        header: list[str] = []
        used_unknown: dict[int, None] = {}
        plan: list[tuple[str, list[int]]] = []
        single: list[tuple[str, int]] | None = None
        plain: _PlainRows | None = None
        unknown: list[int] = []
        width = 0
        for line, header, row in _rows(lines, self.what):
            self.count += 1
            if mapping is None:
                mapping, own_export = _map_columns(header)
                width = len(header)
                # Each kept field's columns, in column order (as the cells come); the columns kept by no field.
                by_field: dict[str, list[int]] = {}
                for i in sorted(mapping):
                    if not mapping[i].startswith("_"):
                        by_field.setdefault(mapping[i], []).append(i)
                plan = list(by_field.items())
                if plan and all(len(columns) == 1 for _, columns in plan):  # (LinkedIn's, most hand-made files)
                    single = [(field, columns[0]) for field, columns in plan]
                    plain = _PlainRows(single, source, own_export)
                unknown = [i for i in range(width) if i not in mapping]
            n = len(row)
            if unknown:  # the columns kept by no field that held nothing so far
                for i in unknown:
                    if i < n and row[i].strip():
                        used_unknown[i] = None
                if used_unknown:
                    unknown = [i for i in unknown if i not in used_unknown]
            if n > width:  # cells past the header
                for i in range(width, n):
                    if i not in used_unknown and row[i].strip():
                        used_unknown[i] = None
            if single is not None and plain is not None:
                record = plain.record(line, row)
                if record is not None:
                    yield record
                    continue
                one: dict[str, str] = {}
                for field, i in single:
                    if i < n and (cell := row[i].strip()):
                        one[field] = _unguard(cell) if cell[0] == "'" else cell
                yield _record_of_cells(line, one, source, own_export)
                continue
            cells: dict[str, list[str]] = {}
            for field, columns in plan:
                for i in columns:
                    if i < n and (cell := row[i].strip()):
                        if cell[0] == "'":
                            cell = _unguard(cell)
                        found = cells.get(field)
                        if found is None:
                            cells[field] = [cell]
                        else:
                            found.append(cell)
            yield _record(line, cells, source, own_export)
        self.ignored_columns = tuple(
            header[i].strip().lstrip("\ufeff") or f"column {i + 1}" for i in sorted(used_unknown) if i < len(header)
        ) + (("columns past the header",) if any(i >= len(header) for i in used_unknown) else ())


def _map_columns(header: list[str]) -> tuple[dict[int, str], bool]:
    """Column index → field, in the preference order of :data:`ALIASES`; and whether the file is
    infoint's own CSV export."""
    normed = [_norm(h) for h in header]
    aliases = dict(ALIASES)
    if "jobtitle" in normed:
        # Outlook: "Title" is the courtesy title (Mr., Dr.) beside "Job Title"; it is not kept.
        aliases["title"] = tuple(a for a in aliases["title"] if a != "title")
        aliases["_label"] = (*aliases["_label"], "title", "suffix")
    rank: dict[str, tuple[str, int]] = {a: (f, n) for f, al in aliases.items() for n, a in enumerate(al)}
    found = [(rank[h], i) for i, h in enumerate(normed) if h in rank]
    found.sort(key=lambda t: (t[0][0], t[0][1], t[1]))  # by field, then alias preference, then column order
    own = {"referredbyname", "lastactivity", "archivereason"} <= set(normed)
    return {i: f for (f, _), i in found}, own


def _first(values: list[str] | None, seps: str = "") -> str:
    if not values:  # most fields of most rows (cheaper than an empty generator)
        return ""
    if len(values) == 1:
        found = _values(values, seps)
        return found[0] if found else ""
    return next((v for cell in values for v in _split(cell, seps)), "")


_ADDRESS_PARTS = ("street", "city", "region", "code", "country")
_ADDRESS_FIELDS = frozenset(_ADDRESS_PARTS)


def _record(line: int, cells: dict[str, list[str]], source: str, own_export: bool) -> PersonRecord:
    """One row's cells (field → values in column order) as a PersonRecord."""
    get = cells.get
    # (each field's _first only where it has cells: most rows fill a few of the fields)
    emails = _values(get("email"), r"[,;\s]+")
    name = _first(get("name"))
    if not name:
        name = " ".join([p for p in (_first(get("first")), _first(get("middle")), _first(get("last"))) if p])
    sites = _values(get("url"), r"[\s,;]+")
    url = next((s for s in sites if "linkedin.com" in s.lower()), sites[0] if sites else "")
    address = _first(get("address")).replace("\r\n", ", ").replace("\n", ", ")
    if not address and not _ADDRESS_FIELDS.isdisjoint(cells):
        address = ", ".join(_first(get(k)) for k in _ADDRESS_PARTS if get(k))
    tag_cells = get("tags")
    if tag_cells:
        labels = [t for cell in tag_cells for t in _split(cell, "," if own_export else r"[,;]")]
        tags = tuple(t for t in labels if t.casefold() not in _SYSTEM_LABELS)
    else:
        tags = ()
    notes = get("notes")
    return PersonRecord(line, name or (emails[0] if emails else ""), _first(get("title")), _first(get("company")),
                        emails[0] if emails else "", _first(get("phone"), r"[,;]"), address, url, tags,
                        tuple(notes[:1]) if notes else (), _first(get("source")) or source)


_EMAIL_SEPS, _URL_SEPS, _PHONE_SEPS = r"[,;\s]+", r"[\s,;]+", r"[,;]"


def _first_of(cell: str | None, seps: str = "") -> str:
    """``_first([cell], seps)`` of one non-empty cell (or None: ""): a plain one without lists."""
    if not cell:
        return ""
    if ":::" not in cell and (not seps or _pattern(seps).search(cell) is None):
        one = cell.strip()
        return one[2:].strip() if one[:2] == "* " else one
    found = _split(cell, seps)
    return found[0] if found else ""


class _PlainRows:
    """The records of the rows of a CSV whose fields have one column each (LinkedIn's), read fast when a
    row is plain: no ' ::: ', no formula guard or '* ' before a cell, no separator in an e-mail, URL or
    phone cell, then each value is its cell without its outer spaces. :meth:`record` gives None for
    any other row (the general path reads it): the same records either way."""

    def __init__(self, single: list[tuple[str, int]], source: str, own_export: bool) -> None:
        self.source, self.separators = source, "," if own_export else r"[,;]"
        columns = [i for _, i in single]
        self.width = max(columns) + 1
        self.cells = operator.itemgetter(*columns, columns[0])  # (always a tuple: one column more)
        at = {field: k for k, (field, _) in enumerate(single)}
        self.name, self.first, self.middle, self.last = (at.get(f) for f in ("name", "first", "middle", "last"))
        self.title, self.company, self.address, self.tags, self.notes, self.from_ = (
            at.get(f) for f in ("title", "company", "address", "tags", "notes", "source"))
        self.email, self.url, self.phone = at.get("email"), at.get("url"), at.get("phone")
        self.parts = [at[f] for f in _ADDRESS_PARTS if f in at]
        self.checks = [(at[f], _pattern(seps)) for f, seps in (("email", _EMAIL_SEPS), ("url", _URL_SEPS),
                                                                 ("phone", _PHONE_SEPS)) if f in at]

    def record(self, line: int, row: list[str]) -> PersonRecord | None:
        """The row's record, or None when the row is not plain (or short)."""
        if len(row) < self.width:
            return None
        cells = tuple(map(str.strip, self.cells(row)))
        joined = "\x1f" + "\x1f".join(cells)
        if ":::" in joined or "\x1f'" in joined or "\x1f* " in joined:
            return None
        for k, pattern in self.checks:
            if cells[k] and pattern.search(cells[k]) is not None:
                return None
        name = cells[self.name] if self.name is not None else ""
        if not name:
            name = " ".join([cells[k] for k in (self.first, self.middle, self.last) if k is not None and cells[k]])
        email = cells[self.email] if self.email is not None else ""
        address = cells[self.address].replace("\r\n", ", ").replace("\n", ", ") if self.address is not None else ""
        if not address and self.parts:
            address = ", ".join([cells[k] for k in self.parts if cells[k]])
        tags: tuple[str, ...] = ()
        if self.tags is not None and cells[self.tags]:
            tags = tuple(t for t in _split(cells[self.tags], self.separators) if t.casefold() not in _SYSTEM_LABELS)
        note = cells[self.notes] if self.notes is not None else ""
        return PersonRecord(line, name or email, cells[self.title] if self.title is not None else "",
                            cells[self.company] if self.company is not None else "", email,
                            cells[self.phone] if self.phone is not None else "", address,
                            cells[self.url] if self.url is not None else "", tags, (note,) if note else (),
                            (cells[self.from_] if self.from_ is not None else "") or self.source)


def _record_of_cells(line: int, cells: dict[str, str], source: str, own_export: bool) -> PersonRecord:
    """:func:`_record` of a row whose fields have one column each: ``cells`` holds each field's non-empty
    cell. The same record, with the work of the general path done only where a cell needs it."""
    get = cells.get
    name, email, url, phone = get("name"), get("email"), get("url"), get("phone")
    if email:
        email = _first_of(email, _EMAIL_SEPS)
    if name:
        name = _first_of(name)
    if not name:
        name = " ".join([p for p in (_first_of(get("first")), _first_of(get("middle")), _first_of(get("last"))) if p])
    if url:
        if ":::" in url or _pattern(_URL_SEPS).search(url) is not None:
            sites = _split(url, _URL_SEPS)
            url = next((s for s in sites if "linkedin.com" in s.lower()), sites[0] if sites else "")
        else:
            url = _first_of(url)
    address = get("address")
    if address:
        address = _first_of(address).replace("\r\n", ", ").replace("\n", ", ")
    if not address and not _ADDRESS_FIELDS.isdisjoint(cells):
        address = ", ".join(_first_of(get(k)) for k in _ADDRESS_PARTS if get(k))
    tag_cell = get("tags")
    tags: tuple[str, ...] = ()
    if tag_cell:
        tags = tuple(t for t in _split(tag_cell, "," if own_export else r"[,;]") if t.casefold() not in _SYSTEM_LABELS)
    title, company, note, from_ = get("title"), get("company"), get("notes"), get("source")
    return PersonRecord(line, name or email or "", _first_of(title) if title else "",
                        _first_of(company) if company else "", email or "",
                        _first_of(phone, _PHONE_SEPS) if phone else "", address or "", url or "", tags,
                        (note,) if note else (), (_first_of(from_) if from_ else "") or source)


def read_linkedin(text: str) -> list[PersonRecord]:
    """LinkedIn's Connections.csv: optional 'Notes:' preamble, optional URL column, columns by name."""
    return read_table(text, "linkedin", "LinkedIn").records


def read_google(text: str) -> list[PersonRecord]:
    """Google Contacts CSV, current ("First Name", "Organization Name") or legacy ("Given Name")."""
    return read_table(text, "other", "Google Contacts").records


def read_csv(text: str) -> list[PersonRecord]:
    """Any CSV with a header row: Outlook, LinkedIn Imported Contacts, infoint's export, hand-made..."""
    return read_table(text).records


# --- vCard ---------------------------------------------------------------------------------------

def _qp_lines(text: str) -> list[tuple[int, str]]:
    """(original line number, logical line): quoted-printable soft line breaks (a value line ending in
    '=', vCard 2.1) joined, which vobject does not do; it decodes the joined value and its CHARSET."""
    out: list[tuple[int, str]] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        start, line = i + 1, lines[i]
        i += 1
        head = line.split(":", 1)[0].upper()
        if "QUOTED-PRINTABLE" in head and ":" in line:
            while line.endswith("=") and i < len(lines):
                line = line[:-1] + lines[i]
                i += 1
        out.append((start, line))
    return out


def _cards(text: str) -> Iterator[tuple[int, list[tuple[int, str]]]]:
    """(first line, lines) of each BEGIN:VCARD … END:VCARD block; text between blocks is left out."""
    card: list[tuple[int, str]] | None = None
    depth = 0
    for n, line in _qp_lines(text):
        upper = line.strip().upper()
        if upper == "BEGIN:VCARD":
            depth += 1
            if card is None:
                card = []
        if card is not None:
            card.append((n, line))
            if upper == "END:VCARD":
                depth -= 1
                if depth == 0:
                    yield card[0][0], card
                    card = None
    if card:
        yield card[0][0], card


def _unescape(value: str) -> str:
    r"""A URL as Gmail and Apple Contacts write it: ``http\://x`` is ``http://x``."""
    return re.sub(r"\\(.)", r"\1", value)


def _tel(value: str) -> str:
    """A phone as text: a vCard 4.0 ``tel:`` URI (``tel:+1-555-0100;ext=12``) becomes ``+1-555-0100 ext 12``."""
    value = value.strip()
    if value.lower().startswith("tel:"):
        number, *params = value[4:].split(";")
        ext = next((p.split("=", 1)[1] for p in params if p.lower().startswith("ext=")), "")
        return number + (f" ext {ext}" if ext else "")
    return value


def _preferred(items: list) -> list:  # type: ignore[type-arg]
    """Properties with PREF first (2.1 bare ``PREF``, 3.0 ``TYPE=pref``, 4.0 ``PREF=1``), else in file order."""
    def pref(item: object) -> bool:
        params = getattr(item, "params", {})
        types = [t.lower() for v in params.get("TYPE", []) for t in str(v).split(",")]
        single = [str(s).lower() for s in getattr(item, "singletonparams", [])]
        return "pref" in types or "pref" in single or "PREF" in params
    return sorted(items, key=lambda it: not pref(it))


def read_vcard(text: str) -> list[PersonRecord]:
    """vCard 2.1, 3.0 and 4.0, one or many cards: Apple's item1. groups, quoted-printable values with
    soft line breaks and CHARSET, bare 2.1 type parameters (``TEL;CELL;PREF:``), 4.0 ``tel:`` URIs.
    A card that cannot be read is returned as a record with ``error`` set (the store skips it and
    says why); the others come in."""
    import vobject  # lazy: ~100 ms, only for vCards

    out = []
    found = False
    for start, lines in _cards(text):
        found = True
        try:
            card = vobject.readOne("\n".join(ln for _, ln in lines) + "\n", validate=False,
                                   ignoreUnreadable=False)
            out.append(_card_record(start, card))
        except Exception as exc:  # vobject raises several kinds; all mean this card cannot be read
            # vobject's own line numbers count wrongly (0.9.9); find the line its message quotes.
            quoted = str(getattr(exc, "msg", "")).partition("Failed to parse line: ")[2].strip()
            line, bad = next(((n, ln) for n, ln in lines if quoted and ln.strip() == quoted), (start, ""))
            shown = (bad[:40] + "…") if len(bad) > 40 else bad
            out.append(PersonRecord(start, "", error=f"the card cannot be read (line {line}"
                                    + (f": '{shown}'" if shown else "") + "); fix or remove that line"))
    if not found:
        raise FormatError("no BEGIN:VCARD … END:VCARD card found; is this really a vCard file?")
    return out


def _card_record(line: int, card: object) -> PersonRecord:
    """One parsed vobject card as a PersonRecord."""
    c = getattr(card, "contents", {})

    def first(key: str) -> str:
        for item in _preferred(c.get(key) or []):
            value = item.value
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value if v)
            if str(value).strip():
                return str(value).strip()
        return ""

    name = first("fn")
    if not name and "n" in c:
        n_val = c["n"][0].value
        name = _join(getattr(n_val, "prefix", ""), getattr(n_val, "given", ""),
                     getattr(n_val, "additional", ""), getattr(n_val, "family", ""))
    org = ""
    if "org" in c:
        val = c["org"][0].value
        org = (val[0] if isinstance(val, list) and val else str(val)).strip()
    address = ""
    if "adr" in c:
        a = c["adr"][0].value
        address = ", ".join(str(p).strip() for p in (getattr(a, "street", ""), getattr(a, "city", ""),
                                                      getattr(a, "region", ""), getattr(a, "code", ""),
                                                      getattr(a, "country", "")) if p and str(p).strip())
    tags: tuple[str, ...] = ()
    if "categories" in c:
        cats = c["categories"][0].value
        tags = tuple(str(t).strip() for t in (cats if isinstance(cats, list) else str(cats).split(","))
                     if str(t).strip())
    urls = [_unescape(str(u.value).strip()) for u in c.get("url", []) if str(u.value).strip()]
    url = next((u for u in urls if "linkedin.com" in u.lower()), urls[0] if urls else "")
    # infoint's own export writes a NOTE made from the stage; reading it back would add it as a note.
    own = "x-infoint-stage" in c
    notes = (first("note"),) if first("note") and not own else ()
    email = first("email")
    email = email[7:] if email.lower().startswith("mailto:") else email
    return PersonRecord(line, name, title=first("title"), company=org, email=email, phone=_tel(first("tel")),
                        address=address, url=url, tags=tags, notes=notes)


READERS: dict[str, Callable[[str], list[PersonRecord]]] = {
    "linkedin": read_linkedin, "google": read_google, "vcard": read_vcard, "csv": read_csv,
}

TABLE_ARGS = {"linkedin": ("linkedin", "LinkedIn"), "google": ("other", "Google Contacts"), "csv": ("", "CSV")}
"""The CSV formats: the source their people get and what the file is called in an error."""


def read_people(text: str, fmt: str) -> Table:
    """``text`` read as ``fmt`` (a key of :data:`READERS`), with the ignored columns of a CSV."""
    if fmt in TABLE_ARGS:
        return read_table(text, *TABLE_ARGS[fmt])
    return Table(READERS[fmt](text))
