"""When two records are the same person, and when a value really changed: the rules of re-import.

An import file is read again and again (a fresh LinkedIn export every month); a value written
differently but meaning the same ("Self-Employed" / "Self-employed", "+1 555-0100" / "+1 555 0100")
is not a change, and two people who share a name are not one person unless something they hold
(an e-mail, a profile, a phone) says so. phonenumbers is imported only when two phones are compared.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from .text import company_key, url_key

IDENTIFIERS = ("url", "email", "phone")
"""The fields that tell two people with the same name apart."""


_KEPT = ("name", "company", *IDENTIFIERS)
"""What a :class:`Matcher` keeps of each person."""


def text_key(value: str) -> str:
    """A line of text as compared on import: case and runs of white space do not count."""
    return " ".join(str(value).casefold().split())


@lru_cache(maxsize=4096)
def phone_key(phone: str) -> str:
    """A phone as compared on import: E.164 (``+15550100``) when it has a country code that
    libphonenumber can read, else its digits (an extension kept after ``x``)."""
    phone = str(phone).strip()
    if not phone:
        return ""
    m = re.search(r"\s*(?:ext\.?|x)\s*(\d+)\s*$", phone, re.IGNORECASE)
    ext = m.group(1) if m else ""
    main = phone[:m.start()] if m else phone
    digits = re.sub(r"\D", "", main)
    key = digits
    if main.lstrip().startswith("+"):
        try:
            import phonenumbers  # lazy: only when phones are compared (phonenumberslite provides it)

            key = phonenumbers.format_number(phonenumbers.parse(main, None), phonenumbers.PhoneNumberFormat.E164)
        except Exception:  # not a number libphonenumber can read: its digits, with the plus
            key = "+" + digits
    return key + (f"x{ext}" if ext else "")


def same_phone(a: str, b: str) -> bool:
    """Whether two phones are one number: equal keys, or one written without the country code (the
    shorter, of at least 7 digits, ends the longer)."""
    ka, kb = phone_key(a), phone_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    da, db = ka.lstrip("+"), kb.lstrip("+")
    short, long_ = sorted((da, db), key=len)
    return len(short) >= 7 and long_.endswith(short) and "x" not in long_[:-len(short)]


def same_value(field: str, a: object, b: object) -> bool:
    """Whether ``a`` and ``b`` say the same for ``field``, as compared on import."""
    sa, sb = str(a or ""), str(b or "")
    if sa == sb:
        return True
    if field == "phone":
        return same_phone(sa, sb)
    if field == "email":
        return sa.strip().casefold() == sb.strip().casefold()
    if field == "url":
        return bool(url_key(sa)) and url_key(sa) == url_key(sb)
    if field == "company":
        return company_key(sa) == company_key(sb)
    if field in ("title", "address", "name"):
        return text_key(sa) == text_key(sb)
    return False


def verdict(row: Mapping[str, object], person: Mapping[str, object]) -> str:
    """``"same"`` when the row and the person share an identifier (URL, e-mail or phone), ``"different"``
    when they hold different values for one and share none, ``"unknown"`` when neither (one side has
    no identifier the other has)."""
    clash = False
    for field in IDENTIFIERS:
        a, b = row.get(field) or "", person.get(field) or ""
        if a and b:
            if same_value(field, a, b):
                return "same"
            clash = True
    return "different" if clash else "unknown"


class Matcher:
    """Finds the person an import row is about, among people already known (positive ids) and people
    the same file added before it (any other ids the caller picks, e.g. negative ones).

    Order: the profile URL, then the e-mail (each names one person whatever the name says); then the
    people with the same name: one who shares a phone, or, when nothing tells them apart, one at the
    same company. A same-name person who holds a different e-mail, URL or phone and shares none is
    someone else: the row is a new person, and :meth:`find` names the look-alike.

    A matcher can also be one chunk's share of a larger one (an import read a few thousand rows at a
    time): :meth:`seed` gives it who holds each key the chunk's rows hold, :meth:`know` those people's
    values, and :attr:`claims` collects the keys :meth:`add` gives someone for the first time, for the
    caller to keep for the chunks after.
    """

    def __init__(self) -> None:
        self._last_name: tuple[str, str] = ("", text_key(""))
        self._people: dict[int, dict[str, str]] = {}
        self._by_url: dict[str, int] = {}
        self._by_email: dict[str, int] = {}
        self._by_name: dict[str, list[int]] = {}
        self.claims: dict[str, list[tuple[str, int]]] = {"url": [], "email": [], "name": []}
        """(key, id) for each key given to someone by :meth:`add`, in order, by kind: ``url``
        (:func:`url_key`), ``email`` (trimmed, case folded) or ``name`` (:func:`text_key`); a URL or
        e-mail is claimed by its first holder only, a name by each of its holders."""

    def seed(self, kind: str, key: str, ids: list[int]) -> None:
        """Who held ``key`` before (``kind`` as in :attr:`claims`): the first of ``ids`` for a URL or an
        e-mail, all of them, in the order they came, for a name."""
        if kind == "name":
            self._by_name[key] = list(ids)
        elif ids:
            (self._by_url if kind == "url" else self._by_email)[key] = ids[0]

    def know(self, pid: int, values: Mapping[str, object]) -> None:
        """Person ``pid``'s values (name, company, URL, e-mail, phone), without claiming their keys."""
        self._people[pid] = {f: v if type(v) is str else str(v) for f in _KEPT if (v := values.get(f))}

    def values_of(self, pid: int) -> dict[str, str]:
        """What is known of person ``pid`` (a copy): what :meth:`know` takes back."""
        return dict(self._people.get(pid, {}))

    def add(self, pid: int, values: Mapping[str, object]) -> None:
        """Know (or know more about) person ``pid``; the first person keeps a URL or e-mail."""
        known = self._people.get(pid)
        if known is None:
            known = self._people[pid] = {}
        for field in _KEPT:
            value = values.get(field)
            if value:
                known[field] = value if type(value) is str else str(value)
        url = known.get("url")
        email = known.get("email")
        name = known.get("name")
        self.add_keys(pid, url_key(url) if url else "", email.strip().casefold() if email else "",
                      self._name_key(name) if name else "")

    def add_new(self, pid: int, values: dict[str, str], url: str, email: str, name: str) -> None:
        """:meth:`add` of a person not known before, whose keys are ``url`` (:func:`url_key`), ``email``
        and ``name`` (:func:`text_key`) already: ``values`` is kept as it is (and seen changed)."""
        self._people[pid] = values
        self.add_keys(pid, url, email, name)

    def add_keys(self, pid: int, url: str, email: str, name: str) -> None:
        """Give person ``pid`` the keys that are not empty (a URL or e-mail if nobody holds it yet)."""
        claims = self.claims
        if url and url not in self._by_url:
            self._by_url[url] = pid
            claims["url"].append((url, pid))
        if email and email not in self._by_email:
            self._by_email[email] = pid
            claims["email"].append((email, pid))
        if name:
            ids = self._by_name.get(name)
            if ids is None:
                self._by_name[name] = [pid]
                claims["name"].append((name, pid))
            elif pid not in ids:
                ids.append(pid)
                claims["name"].append((name, pid))

    def _name_key(self, name: str) -> str:
        """``text_key(name)``, the last one remembered: an import asks :meth:`find` and then :meth:`add`
        for the same row's name."""
        if self._last_name[0] != name:
            self._last_name = (name, text_key(name))
        return self._last_name[1]

    def find(self, values: Mapping[str, object]) -> tuple[int | None, int | None]:
        """(the person the row is about, or None; a same-name look-alike when the row is someone new)."""
        url, email = str(values.get("url") or ""), str(values.get("email") or "")
        return self.find_keys(url_key(url) if url else "", email.strip().casefold() if email else "",
                              self._name_key(str(values.get("name") or "")), values)

    def find_keys(self, url: str, email: str, name: str, values: Mapping[str, object]
                  ) -> tuple[int | None, int | None]:
        """:meth:`find` with the row's keys already made (as :meth:`add_new` takes them)."""
        if url:
            found = self._by_url.get(url)
            if found is not None:
                return found, None
        if email:
            found = self._by_email.get(email)
            if found is not None:
                return found, None
        namesakes = self._by_name.get(name)
        if not namesakes:  # most rows of an import: nobody of that name
            return None, None
        verdicts = [(pid, verdict(values, self._people[pid])) for pid in namesakes]
        for pid, v in verdicts:
            if v == "same":
                return pid, None
        company = company_key(str(values.get("company") or ""))
        for pid, v in verdicts:
            if v == "unknown" and company_key(self._people[pid].get("company", "")) == company:
                return pid, None
        return None, namesakes[0]
