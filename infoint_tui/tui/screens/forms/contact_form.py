"""Add or edit a person."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input

from ....domain.contacts import EDITABLE, clean_field
from ....domain.errors import Invalid
from ....domain.model import Contact
from ....domain.pipeline import Source
from ...text import safe
from .base import FormModal, Lookup


@dataclass(frozen=True)
class ContactFormResult:
    """Fields to store (all of them for a new person, only the changed ones for an edit)."""

    values: dict[str, Any]
    version: int | None = None


class ContactFormModal(FormModal[ContactFormResult]):
    """Add or edit a person."""

    HINT = "Enter or Ctrl+S saves · Esc cancels · tags: comma-separated · referred by: a name or #id"

    def __init__(self, lookup: Lookup, contact: Contact | None = None, *, referred_by: tuple[int, str] | None = None,
                 companies: Iterable[str] = ()) -> None:
        super().__init__(Content("Edit ").append(Content(safe(contact.name))) if contact else Content("New person"))
        self.contact = contact
        self.lookup = lookup
        self.companies = list(companies)
        self.referrer = referred_by

    def fields(self) -> Iterable[Widget]:
        c = self.contact
        ref = f"{c.referred_by_name} #{c.referred_by}" if c and c.referred_by else \
            f"{self.referrer[1]} #{self.referrer[0]}" if self.referrer else ""
        yield from self.row("name", "Name", c.name if c else "", "required")
        yield from self.row("title", "Title", c.title if c else "")
        yield from self.row("company", "Company", c.company if c else "", suggestions=self.companies)
        yield from self.row("email", "E-mail", c.email if c else "", "name@example.com")
        yield from self.row("phone", "Phone", c.phone if c else "")
        yield from self.row("address", "Address", c.address if c else "")
        yield from self.row("url", "Profile URL", c.url if c else "", "https://www.linkedin.com/in/…")
        yield from self.row("source", "Source", c.source.value if c and c.source else "",
                            ", ".join(s.value for s in Source), suggestions=[s.value for s in Source])
        yield from self.row("referred_by", "Referred by", ref, "name or #id")
        yield from self.row("tags", "Tags", ", ".join(c.tags) if c else "", "e.g. fintech, target")

    def on_mount(self) -> None:
        super().on_mount()
        self.remask()

    def remask(self) -> None:
        """Under the privacy mask (F4) the contact details are typed and shown as a password is."""
        from ...text import MASK

        for name in ("email", "phone", "address"):
            self.query_one(f"#f-{name}", Input).password = MASK.on

    async def validate(self) -> ContactFormResult | None:
        values: dict[str, Any] = {}
        errors: list[Invalid] = []
        for field in EDITABLE:
            raw = self.value(field)
            if field == "referred_by":
                continue
            try:
                values[field] = clean_field(field, raw)
            except Invalid as err:
                errors.append(Invalid(field, err.reason))
        ref_text = self.value("referred_by").strip()
        values["referred_by"] = None
        if ref_text:
            token = ref_text.rsplit("#", 1)[-1] if "#" in ref_text else ref_text
            found = await self.lookup(token if token.isdigit() else ref_text)
            if len(found) != 1 and not token.isdigit():
                errors.append(Invalid("referred_by", f"{len(found) or 'no'} people match '{ref_text}'; "
                                                     "type their full name or #id."))
            elif not found:
                errors.append(Invalid("referred_by", f"there is no contact {ref_text}; give a name or #id."))
            else:
                values["referred_by"] = found[0][0]
        for err in errors:
            self.error(err.field, err.reason)
        if errors:
            self.query_one(f"#f-{errors[0].field}").focus()
            return None
        if self.contact is None:
            return ContactFormResult(values)
        c = self.contact
        current = {"name": c.name, "title": c.title, "company": c.company, "email": c.email, "phone": c.phone,
                   "address": c.address, "url": c.url, "source": c.source, "referred_by": c.referred_by,
                   "tags": c.tags}
        changed = {k: v for k, v in values.items() if v != current[k]}
        return ContactFormResult(changed, c.version)
