"""Validating what a user types for a person, field by field."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Final

from . import text
from .errors import Invalid
from .model import ContactDraft, PersonRecord
from .pipeline import Source, parse_enum

EDITABLE: Final = ("name", "title", "company", "email", "phone", "address", "url", "source", "referred_by",
                   "tags")
"""Fields ``infoint edit`` and the edit form may change."""


def clean_tags(values: Iterable[str]) -> tuple[str, ...]:
    """Cleaned, de-duplicated tags in first-seen order; ``"a, b"`` counts as two."""
    seen: dict[str, None] = {}
    for value in values:
        for part in value.split(","):
            if part.strip():
                seen.setdefault(text.valid_tag(part), None)
    return tuple(seen)


def _line_field(field: str) -> Callable[[object], object]:
    def clean(value: object) -> object:
        return text.check_length(field, text.clean_line(str(value or "")))
    return clean


FIELD_CLEANERS: Final[Mapping[str, Callable[[object], object]]] = {
    "name": lambda value: text.valid_name(str(value)),
    "title": _line_field("title"), "company": _line_field("company"), "address": _line_field("address"),
    "email": lambda value: text.valid_email(str(value or "")),
    "phone": lambda value: text.valid_phone(str(value or "")),
    "url": lambda value: text.valid_url(str(value or "")),
}
""":func:`clean_field` of the text fields, one function each: what an import calls for every cell
(without the field's name compared to each in turn)."""


_CHECKED: Final[Mapping[str, Callable[[str, str], str]]] = {
    "email": text.email_checked, "phone": text.phone_checked, "url": text.url_checked,
}
"""The checks a field's cleaned line goes through (the other text fields: none but its length)."""

IMPORTED: Final = ("title", "company", "email", "phone", "address", "url")
"""The fields of an import record kept beside the name."""


def import_values(record: PersonRecord) -> tuple[dict[str, str], list[str]]:
    """What an import keeps of ``record``: its name and each of :data:`IMPORTED` that is not empty once
    cleaned, each as :data:`FIELD_CLEANERS` cleans it; a warning for each value that fails its check
    (the value is dropped, not the person). A cell of control characters only counts as empty.

    The same as the cleaners, faster for a plain cell (printable, no double space: nearly every one),
    whose cleaned line is the cell without its outer spaces: an import cleans ~600,000 cells.

    Raises:
        Invalid: the record has no name (or one too long).
    """
    values = {"name": text.name_checked(_line("name", record.name))}
    warned: list[str] = []
    checked = _CHECKED
    for field in IMPORTED:
        raw = getattr(record, field)
        if not raw:
            continue
        if type(raw) is not str:
            raw = str(raw)
        try:
            if raw.isprintable() and "  " not in raw:  # (_line, inline: ~430,000 cells an import)
                line = raw.strip()
                if len(line) > text.MAX_LINE:
                    text.check_length(field, line)
            elif raw.isspace():
                continue
            else:
                line = _line(field, raw)
            if not line:
                continue
            check = checked.get(field)
            value = check(line, raw) if check is not None else line
        except Invalid as err:
            warned.append(f"{err.field} dropped: {err.reason}")
            continue
        if value:
            values[field] = value
    return values, warned


def _line(field: str, value: str) -> str:
    """``check_length(field, clean_line(value))``, without clean_line's work for a plain cell."""
    line = value.strip() if value.isprintable() and "  " not in value else text.clean_line(str(value))
    return line if len(line) <= text.MAX_LINE else text.check_length(field, line)


def clean_field(field: str, value: object) -> object:
    """Clean and check one field; returns the value to store.

    Raises:
        Invalid: naming the field, what is wrong and what to do.
    """
    cleaner = FIELD_CLEANERS.get(field)
    if cleaner is not None:  # name, title, company, address, email, phone, url
        return cleaner(value)
    if field == "source":
        return parse_enum(Source, "source", str(value)) if value else None
    if field == "referred_by":
        if value in (None, ""):
            return None
        try:
            return int(str(value).lstrip("#"))
        except ValueError:
            raise Invalid("referred by", f"'{value}' is not a contact id; give the number shown by 'infoint list'."
                          ) from None
    if field == "tags":
        if isinstance(value, str):
            value = [value]
        return clean_tags(value)  # type: ignore[arg-type]
    raise Invalid(field, f"is not a field of a person; use one of {', '.join(EDITABLE)}.")


def clean_changes(changes: Mapping[str, object]) -> dict[str, object]:
    """Clean every field of an edit."""
    return {f: clean_field(f, v) for f, v in changes.items()}


def make_draft(name: str, **fields: object) -> ContactDraft:
    """A validated draft for a new person."""
    values = clean_changes({"name": name, **{k: v for k, v in fields.items() if v not in (None, "", ())}})
    return ContactDraft(**values)  # type: ignore[arg-type]
