"""Reading the files people keep their network in: LinkedIn's Connections.csv, Google Contacts CSV
(current and legacy dialects), vCard 3.0/4.0 and generic CSV. Shapes from shared/DOMAIN.md §2.

Readers return PersonRecords with raw text; the store cleans, checks, matches and writes them.
vobject is imported only when a vCard is read.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from ..domain.errors import InfointError
from ..domain.model import PersonRecord

class FormatError(InfointError):
    """The file cannot be read as the format; says which line and what is wrong."""


def read_text(path: Path) -> str:
    """The file as text: UTF-8 (with or without BOM), falling back to Latin-1; CRLF kept for csv."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FormatError(f"cannot read {path}: {exc.strerror}.") from exc
    for enc in ("utf-8-sig", "utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            pass
    return raw.decode("latin-1")


def detect(text: str) -> str:
    """Which format ``text`` is in.

    Raises:
        FormatError: when it is none of them.
    """
    head = text.lstrip()[:4096]
    if head.upper().startswith("BEGIN:VCARD"):
        return "vcard"
    if head.upper().startswith("BEGIN:VCALENDAR"):
        raise FormatError("this is an iCalendar file; infoint imports people (LinkedIn or Google CSV, vCard, "
                          "CSV, infoint JSON).")
    if head[:1] in "{[":
        return "json"
    header = _find_header(text.splitlines()[:20])
    if header is None:
        raise FormatError("the format is not recognised; give --format linkedin, google, vcard, csv or json.")
    cols = {c.strip().lower() for c in header}
    if {"first name", "connected on"} <= cols:
        return "linkedin"
    if {"given name", "family name"} <= cols or "organization name" in cols or "e-mail 1 - value" in cols:
        return "google"
    return "csv"


def _find_header(lines: list[str]) -> list[str] | None:
    """The first line that looks like a header naming people's fields."""
    for line in lines:
        try:
            row = next(csv.reader([line]))
        except (csv.Error, StopIteration):
            continue
        cols = {c.strip().lower() for c in row}
        if cols & {"name", "first name", "given name", "full name", "last name", "family name"} and len(row) > 1:
            return row
    return None


def _rows(text: str, header_test: Callable[[list[str]], bool], what: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows as dicts keyed by lower-cased header, with their 1-based line numbers, after any preamble."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    try:
        for row in reader:
            if header is None:
                if header_test([c.strip().lower() for c in row]):
                    header = [c.strip().lower() for c in row]
                continue
            if not any(cell.strip() for cell in row):
                continue
            yield reader.line_num, dict(zip(header, row, strict=False))
    except csv.Error as exc:
        raise FormatError(f"line {reader.line_num}: {exc}; is this really a {what} file?") from exc
    if header is None:
        raise FormatError(f"no header row found; a {what} file starts with a line naming its columns.")


def _join(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def read_linkedin(text: str) -> list[PersonRecord]:
    """LinkedIn's Connections.csv: optional 'Notes:' preamble, optional URL column, columns by name."""
    out = []
    for line, r in _rows(text, lambda cols: "first name" in cols and "connected on" in cols, "LinkedIn"):
        out.append(PersonRecord(line, _join(r.get("first name", ""), r.get("last name", "")),
                                title=r.get("position", ""), company=r.get("company", ""),
                                email=r.get("email address", ""), url=r.get("url", ""), source="linkedin"))
    return out


def _multi(value: str) -> list[str]:
    """Google's ' ::: ' multi-values, with the '* ' primary marker removed."""
    return [v.strip().lstrip("* ").strip() for v in value.split(":::") if v.strip()]


def _numbered(r: dict[str, str], prefix: str, field: str) -> list[str]:
    """Values of 'E-mail 1 - Value', 'E-mail 2 - Value'... in order, split on ' ::: '."""
    keys = sorted((k for k in r if re.fullmatch(rf"{re.escape(prefix)} \d+ - {field}", k)),
                  key=lambda k: int(re.findall(r"\d+", k)[0]))
    return [v for k in keys for v in _multi(r.get(k, ""))]


def read_google(text: str) -> list[PersonRecord]:
    """Google Contacts CSV, current ("First Name", "Organization Name") or legacy ("Given Name")."""
    out = []
    for line, r in _rows(text, lambda cols: ("first name" in cols or "given name" in cols or "name" in cols),
                         "Google Contacts"):
        name = r.get("name", "") or _join(r.get("first name", "") or r.get("given name", ""),
                                          r.get("middle name", "") or r.get("additional name", ""),
                                          r.get("last name", "") or r.get("family name", ""))
        company = r.get("organization name", "") or r.get("organization 1 - name", "")
        title = r.get("organization title", "") or r.get("organization 1 - title", "")
        emails = _numbered(r, "e-mail", "value")
        phones = _numbered(r, "phone", "value")
        sites = _numbered(r, "website", "value")
        address = (_multi(r.get("address 1 - formatted", "")) or [""])[0]
        labels = _multi(r.get("labels", "") or r.get("group membership", ""))
        tags = tuple(t for t in labels if t.lower() not in ("mycontacts", "starred", "my contacts"))
        url = next((s for s in sites if "linkedin.com" in s.lower()), sites[0] if sites else "")
        notes = (r["notes"],) if r.get("notes", "").strip() else ()
        out.append(PersonRecord(line, name or (emails[0] if emails else ""), title=title, company=company,
                                email=emails[0] if emails else "", phone=phones[0] if phones else "",
                                address=address.replace("\n", ", "), url=url, tags=tags, notes=notes,
                                source="other"))
    return out


_GENERIC = {
    "name": ("name", "full name", "display name", "contact"),
    "first": ("first name", "first", "given name", "firstname"),
    "last": ("last name", "last", "surname", "family name", "lastname"),
    "email": ("email", "e-mail", "email address", "mail"),
    "phone": ("phone", "phone number", "mobile", "telephone", "tel"),
    "company": ("company", "organization", "organisation", "employer", "org"),
    "title": ("title", "job title", "position", "role"),
    "url": ("url", "linkedin", "profile", "profile url", "website", "linkedin url"),
    "address": ("address", "location", "city"),
    "tags": ("tags", "labels", "groups"),
    "notes": ("notes", "note", "comments"),
}


def read_csv(text: str) -> list[PersonRecord]:
    """Any CSV with a header row: name (or first/last), email, phone, company, title, url... by header."""
    out = []
    for line, r in _rows(text, lambda cols: bool(set(cols) & set(_GENERIC["name"] + _GENERIC["first"])), "CSV"):
        def get(key: str) -> str:
            return next((r[h] for h in _GENERIC[key] if r.get(h, "").strip()), "")

        name = get("name") or _join(get("first"), get("last"))
        tags = tuple(t.strip() for t in re.split(r"[,;]", get("tags")) if t.strip())
        notes = (get("notes"),) if get("notes").strip() else ()
        out.append(PersonRecord(line, name, title=get("title"), company=get("company"), email=get("email"),
                                phone=get("phone"), address=get("address"), url=get("url"), tags=tags, notes=notes))
    return out


def read_vcard(text: str) -> list[PersonRecord]:
    """vCard 3.0 and 4.0, one or many cards, Apple's item1. groups included (vobject)."""
    import vobject  # lazy: ~100 ms, only for vCards

    out = []
    starts = [i + 1 for i, ln in enumerate(text.splitlines()) if ln.strip().upper() == "BEGIN:VCARD"]
    try:
        for n, card in enumerate(vobject.readComponents(text, validate=False, ignoreUnreadable=False)):
            line = starts[n] if n < len(starts) else 0
            c = card.contents

            def first(key: str, card: object = card) -> str:
                items = getattr(card, "contents", {}).get(key) or []
                for item in items:
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
            urls = [str(u.value) for u in c.get("url", [])]
            url = next((u for u in urls if "linkedin.com" in u.lower()), urls[0] if urls else "")
            notes = (first("note"),) if first("note") else ()
            out.append(PersonRecord(line, name, title=first("title"), company=org, email=first("email"),
                                    phone=first("tel"), address=address, url=url, tags=tags, notes=notes))
    except Exception as exc:  # vobject raises several kinds; all mean the file is not a readable vCard
        where = getattr(exc, "lineNumber", None)
        raise FormatError(f"line {where}: {exc}" if where else f"not a readable vCard: {exc}") from exc
    return out


READERS: dict[str, Callable[[str], list[PersonRecord]]] = {
    "linkedin": read_linkedin, "google": read_google, "vcard": read_vcard, "csv": read_csv,
}
