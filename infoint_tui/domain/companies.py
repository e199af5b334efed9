"""Companies as things: which company a typed name means, and which people look like one person.

A company is named by its key (:func:`.text.company_key`: case, accents, punctuation and legal suffixes
folded). Wherever a company is asked for (``--company``, the dossier, the filter form), any part of the
name that names one company is enough: "northwind" is "Northwind Analytics, Inc." when no other company's
name holds it. Several companies holding it is an error naming them, never a guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .errors import Invalid, NotFound
from .matching import phone_key
from .text import company_key, fold, url_key

CHOICES_SHOWN = 8
"""How many companies an ambiguous name lists before "and N more"."""


@dataclass(frozen=True, slots=True)
class CompanyRef:
    """A company as the store knows it."""

    id: int
    name: str
    key: str


def pick_company(text: str, companies: Iterable[CompanyRef]) -> CompanyRef | None:
    """The company ``text`` names: the one whose key is ``text``'s key, else the only one whose key holds
    it (a part of the name, at any place). None when none does.

    Raises:
        Invalid: several companies hold it; the message names them (the first few, by name).
    """
    key = company_key(text)
    if not key:
        return None
    found: list[CompanyRef] = []
    for c in companies:
        if c.key == key:
            return c
        if key in c.key:
            found.append(c)
    if len(found) == 1:
        return found[0]
    if not found:
        return None
    names = sorted({c.name for c in found}, key=str.casefold)
    shown = ", ".join(f"'{n}'" for n in names[:CHOICES_SHOWN])
    more = f" and {len(names) - CHOICES_SHOWN} more" if len(names) > CHOICES_SHOWN else ""
    raise Invalid("company", f"'{text.strip()}' could be {len(names)} companies: {shown}{more}; "
                             "give more of the name.")


def need_company(text: str, companies: Iterable[CompanyRef]) -> CompanyRef:
    """:func:`pick_company`, but no company is an error too.

    Raises:
        NotFound: no company's name holds ``text``.
        Invalid: several do.
    """
    found = pick_company(text, companies)
    if found is None:
        raise NotFound(f"there is no company '{text.strip()}'; 'infoint companies' lists them.")
    return found


# --- duplicate people -------------------------------------------------------------------------

def person_key(name: str) -> str:
    """A name as compared for duplicates: case, accents, punctuation and spacing folded."""
    return fold(name)


def _ids(person: Mapping[str, object]) -> dict[str, str]:
    """The keys one person is known by: e-mail, profile URL, phone, and name at a company."""
    email = str(person.get("email") or "").strip().casefold()
    url = url_key(str(person.get("url") or ""))
    phone = phone_key(str(person.get("phone") or ""))
    name = person_key(str(person.get("name") or ""))
    company = company_key(str(person.get("company") or "")) if person.get("company") else ""
    keys = {"email": email, "url": url, "phone": phone if len(phone.lstrip("+")) >= 7 else ""}
    keys["name"] = f"{name}\x00{company}" if name else ""
    return keys


REASONS = {"email": "same e-mail", "url": "same profile URL", "phone": "same phone",
           "name": "same name at the same company"}
"""Why two people look like one, as said to the user."""


def look_alikes(person: Mapping[str, object], others: Iterable[Mapping[str, object]]
                ) -> list[tuple[int, str]]:
    """The people among ``others`` (each with an ``id``) that ``person`` looks like: (id, reason),
    the first reason found per person, in the order given."""
    mine = _ids(person)
    out: list[tuple[int, str]] = []
    for other in others:
        theirs = _ids(other)
        for field in ("email", "url", "phone", "name"):
            if mine[field] and mine[field] == theirs[field]:
                out.append((int(str(other["id"])), REASONS[field]))
                break
    return out


def duplicate_pairs(people: Sequence[Mapping[str, object]]) -> list[tuple[int, int, str]]:
    """Likely duplicate pairs among ``people`` (each with an ``id``): (lower id, higher id, reason), for
    a shared e-mail, profile URL or phone, or the same name (folded) at the same company. Grouped by key,
    so linear in the number of people, not quadratic."""
    seen: dict[tuple[str, str], list[int]] = {}
    for p in people:
        for field, key in _ids(p).items():
            if key:
                seen.setdefault((field, key), []).append(int(str(p["id"])))
    pairs: dict[tuple[int, int], str] = {}
    for (field, _), ids in seen.items():
        ids = sorted(set(ids))
        for i, a in enumerate(ids[:50]):  # a shared switchboard number must not make thousands of pairs
            for b in ids[i + 1:50]:
                pairs.setdefault((a, b), REASONS[field])
    return [(a, b, why) for (a, b), why in sorted(pairs.items())]

