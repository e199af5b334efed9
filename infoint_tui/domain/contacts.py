"""Validating what a user types for a person, field by field."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from . import text
from .errors import Invalid
from .model import ContactDraft
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


def clean_field(field: str, value: object) -> object:
    """Clean and check one field; returns the value to store.

    Raises:
        Invalid: naming the field, what is wrong and what to do.
    """
    if field == "name":
        return text.valid_name(str(value))
    if field in ("title", "company", "address"):
        return text.check_length(field, text.clean_line(str(value or "")))
    if field == "email":
        return text.valid_email(str(value or ""))
    if field == "phone":
        return text.valid_phone(str(value or ""))
    if field == "url":
        return text.valid_url(str(value or ""))
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
