"""Outreach drafts: templates filled from the person and the pitch, and checks against the method.

The checks follow the "6-point e-mail" (shared/DOMAIN.md §1.2): under 75 words,
the connection named first, a request phrased as a question, no job-ask words.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from .model import Contact
from .pipeline import Kind
from .text import first_name

MAX_WORDS: Final = 75
JOB_WORDS: Final = ("job", "jobs", "opening", "openings", "position", "positions", "hiring", "hire", "resume",
                    "résumé", "cv", "refer me", "vacancy", "vacancies", "apply")

TEMPLATES: Final[dict[str, str]] = {
    "referral": (
        "Hi {first_name},\n\n{referred_by} suggested I get in touch. {pitch}\n\n"
        "I'd value your perspective on how {company} approaches this work. "
        "Would you have 20 minutes for a short call in the next couple of weeks?\n\n{my_name}"
    ),
    "cold": (
        "Hi {first_name},\n\nI came across your work as {title} at {company}. {pitch}\n\n"
        "Could I ask you a few questions about your path and what you've learned there? "
        "Would 20 minutes next week work for you?\n\n{my_name}"
    ),
    "follow-up": (
        "Hi {first_name},\n\nI wanted to follow up on my note from last week. "
        "Would a 20-minute call in the coming weeks be possible?\n\n{my_name}"
    ),
    "thank-you": (
        "Hi {first_name},\n\nThank you for taking the time to talk with me. "
        "Your advice was really helpful, and I'll keep you posted on how I use it.\n\n{my_name}"
    ),
}
"""Built-in templates; placeholders: {first_name} {name} {title} {company} {referred_by} {pitch} {my_name}."""

PLACEHOLDERS: Final = ("first_name", "name", "title", "company", "referred_by", "via", "pitch", "my_name")
"""Every placeholder a template may use (the keys of :func:`variables`); a user's template is checked
against them."""

_SENT_AS: Final[dict[str, Kind]] = {"follow-up": Kind.FOLLOW_UP, "thank-you": Kind.THANK_YOU}


def kind_for_template(name: str) -> Kind:
    """What a draft from template ``name`` is logged as once sent: a follow-up, a thank-you, else an
    outreach (the referral and cold templates, and any other). One home for the command line's
    ``draft --sent`` and the app's draft screen."""
    return _SENT_AS.get(name, Kind.OUTREACH)


class _Lenient(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def variables(contact: Contact, pitch: str, my_name: str = "") -> dict[str, str]:
    """The placeholder values for one person."""
    return {"first_name": first_name(contact.name), "name": contact.name, "title": contact.title or "",
            "company": contact.company or "your company", "referred_by": contact.referred_by_name or "",
            "via": contact.referred_by_name or "", "pitch": pitch.strip(), "my_name": my_name}


def default_template(contact: Contact, thank_you_due: bool = False) -> str:
    """The template a draft starts from: the thank-you when one is due (after a call, the message to
    write), else the referral one for a referred person, else the cold one."""
    if thank_you_due:
        return "thank-you"
    return "referral" if contact.referred_by else "cold"


def render(template: str, values: Mapping[str, str]) -> str:
    """Fill ``template``; unknown placeholders stay visible as ``{name}`` so they can be fixed by hand."""
    out = string.Formatter().vformat(template.replace("{{", "\x00").replace("}}", "\x01"), (), _Lenient(values))
    out = re.sub(r"[ \t]+\n", "\n", out).replace("\x00", "{").replace("\x01", "}")
    # A value ending a sentence of its own ("Acme Inc.") before the template's full stop: one stop, not
    # "Inc..". An ellipsis ("...") is left alone.
    out = re.sub(r"(?<=\w\.)\.(?=\s|$)", "", out)
    return re.sub(r"\n{3,}", "\n\n", out).strip() + "\n"


@dataclass(frozen=True)
class Check:
    """One check of a draft: passed or not, and what it says."""

    ok: bool
    message: str


def _body(text: str) -> str:
    """The message without greeting and signature lines."""
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    if lines and re.match(r"^(hi|hello|dear|hey)\b", lines[0], re.I):
        lines = lines[1:]
    if len(lines) > 1 and len(lines[-1].split()) <= 3 and not lines[-1].rstrip().endswith("?"):
        lines = lines[:-1]
    return " ".join(lines)


ASKS: Final = frozenset({"referral", "cold", "follow-up"})
"""Templates that ask for a conversation: the method's checks on the request apply to them (and to a
draft of no known template). A thank-you asks for nothing: only its length and the job-ask words count."""


def lint(text: str, connection: str = "", template: str = "") -> list[Check]:
    """Check a draft against the method; ``connection`` is who referred the user, if anyone; ``template``
    the template it came from (a thank-you is not judged as a request: :data:`ASKS`)."""
    body = _body(text)
    words = re.findall(r"[\w'’-]+", body)
    asks = template in ASKS or template not in TEMPLATES
    checks = [Check(len(words) <= MAX_WORDS, f"{len(words)} words (at most {MAX_WORDS})" if len(words) <= MAX_WORDS
                    else f"{len(words)} words: cut it to {MAX_WORDS} or fewer")]
    if asks:
        checks.append(Check(body.rstrip().endswith("?"), "ends with a question" if body.rstrip().endswith("?")
                            else "end with a question, e.g. 'Would you have 20 minutes next week?'"))
    if connection and asks and template != "follow-up":
        first_sentence = re.split(r"(?<=[.!?])\s", body, maxsplit=1)[0]
        named = first_name(connection).lower() in first_sentence.lower()
        checks.append(Check(named, f"names {connection} first" if named
                            else f"name the connection first: '{connection} suggested I contact you…'"))
    low = body.lower()
    found = [w for w in JOB_WORDS if re.search(rf"\b{re.escape(w)}\b", low)]
    checks.append(Check(not found, ("asks for advice, not a job" if asks else "no job ask") if not found
                        else f"sounds like a job ask ({', '.join(found)}): ask for advice instead"))
    return checks
