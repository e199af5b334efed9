"""Cleaning and checking text on its way in.

Every text field is cleaned before it is stored: terminal escape sequences and
control characters are removed (they could retitle the terminal, write the
clipboard or inject keys; see shared/RELIABILITY.md §2.2), bidi overrides are
removed (they reorder what is shown), and single-line fields lose their line
breaks. Notes keep newlines and tabs.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import urlsplit

from .errors import Invalid

# Terminal escape sequences, 7- and 8-bit. A sequence is removed whole only when it is complete: CSI
# with its final byte, OSC ended by BEL or ST, DCS/SOS/PM/APC ended by ST, any other escape with its
# final byte. An unterminated one loses only its introducer (``ESC X``, ``ESC ]``, ``ESC [``, a C1
# byte: the two-byte rule takes them), never the text after it: ``P4 ESC X after`` keeps
# ``P4  after``. Whatever is left holds no ESC and no C1 introducer, so it can never form a sequence
# again. A space is not taken as an intermediate byte: ``ESC`` then `` more`` keeps the word.
# Linear time on a 2 MB note full of introducers: possessive quantifiers, and a string's body stops
# at the next introducer (else each of N unterminated ones would scan to the end: N² steps).
_ST = r"(?:\x1b\\|\x9c)"
_ESCAPES = re.compile(
    rf"""
    \x1b\[[0-?]*+[ -/]*+[@-~]                     # CSI ... final byte
  | \x1b\][^\x07\x1b\x9c]*+(?:\x07|{_ST})         # OSC ... BEL or ST
  | \x1b[PX^_][^\x1b\x9c]*+{_ST}                  # DCS, SOS, PM, APC ... ST
  | \x1b[!-/]*+[0-~]                             # any other complete escape (nF, Fp, Fe, Fs)
  | \x1b                                         # a lone ESC (before a newline, a non-ASCII letter...)
  | \x9b[0-?]*+[ -/]*+[@-~]                       # 8-bit CSI
  | \x9d[^\x07\x1b\x90\x98\x9c-\x9f]*+(?:\x07|{_ST})  # 8-bit OSC
  | [\x90\x98\x9e\x9f][^\x1b\x90\x98\x9c-\x9f]*+{_ST}  # 8-bit DCS, SOS, PM, APC
  | [\x90\x98\x9b\x9d\x9e\x9f]                      # an unterminated 8-bit introducer
    """,
    re.VERBOSE,
)
# C0 except tab and newline, DEL, C1, and the bidi embedding/override/isolate controls.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"[\t\n\u2028\u2029]+")
_SPACES = re.compile(r"[ \u00a0]{2,}")

_PUNCT = re.compile(r"[^\w\s]|_")

MAX_LINE = 500
"""Longest single-line field (name, title, company...)."""
MAX_NOTE = 2_000_000
"""Longest note, in characters (about 2 MB of typing: far more than any call)."""

_EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\].]{2,}$")


def people(count: int) -> str:
    """"1 person", "2 people", "1,204 people"."""
    return f"{count:,} {'person' if count == 1 else 'people'}"


def strip_escapes(text: str) -> str:
    """Remove terminal escape sequences (7- and 8-bit) from ``text``."""
    return _ESCAPES.sub("", text)


def clean_note(text: str) -> str:
    """Clean multi-line text: escapes and controls out, newlines and tabs kept, CRLF → LF."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", strip_escapes(text))


def clean_line(text: str) -> str:
    """Clean a single-line field: like :func:`clean_note`, then line breaks become spaces, trimmed."""
    if text.isprintable():  # no escape, control or line break (the common case, ~3x faster): only spaces
        return (_SPACES.sub(" ", text) if "  " in text else text).strip()
    text = clean_note(text)
    text = _LINE_BREAKS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def check_length(field: str, value: str, limit: int = MAX_LINE) -> str:
    """Return ``value`` or raise :class:`Invalid` when it is longer than ``limit``."""
    if len(value) > limit:
        raise Invalid(field, f"is {len(value):,} characters long; the limit is {limit:,}. Shorten it.")
    return value


def valid_name(value: str) -> str:
    """Clean and check a person's name (required)."""
    return name_checked(check_length("name", clean_line(value)))


def name_checked(name: str) -> str:
    """A cleaned name (:func:`valid_name` after :func:`clean_line` and :func:`check_length`)."""
    if not name:
        raise Invalid("name", "is empty; give the person's name.")
    return name


def valid_email(value: str) -> str:
    """Clean and check an e-mail address; empty is allowed (no e-mail known)."""
    return email_checked(check_length("email", clean_line(value)))


def email_checked(email: str, value: str = "") -> str:
    """A cleaned e-mail address (:func:`valid_email` after :func:`clean_line` and :func:`check_length`)."""
    if email and not _EMAIL.match(email):
        raise Invalid("email", f"'{email}' is not an e-mail address; use the form name@example.com.")
    return email


_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:[/?#][!-~]*)?")
"""A web address :func:`valid_url` accepts at a glance: http(s), a host of letters, digits and hyphens with a
dot (no user, no port), then printable ASCII without spaces."""


def valid_url(value: str) -> str:
    """Clean and check a profile URL; a bare ``linkedin.com/in/x`` gets ``https://``. Empty is allowed."""
    return url_checked(check_length("url", clean_line(value)), value)


def url_checked(url: str, value: str) -> str:
    """A cleaned profile URL (:func:`valid_url` after :func:`clean_line` and :func:`check_length`);
    ``value`` is what was given, for the message."""
    if not url:
        return ""
    if "://" not in url:
        url = "https://" + url
    if _PLAIN_URL.fullmatch(url):  # what urlsplit accepts below, told without it (an import's every row)
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or "." not in host or " " in url:
        raise Invalid("url", f"'{value.strip()}' is not a web address; use https://www.linkedin.com/in/name.")
    return url


def valid_phone(value: str) -> str:
    """Clean and check a phone number: digits with + ( ) - . / spaces and an optional extension."""
    return phone_checked(check_length("phone", clean_line(value)))


_PHONE = re.compile(r"[0-9+()\-./ ]+(?:\s*(?:x|ext\.?)\s*[0-9]+)?", re.IGNORECASE)


def phone_checked(phone: str, value: str = "") -> str:
    """A cleaned phone number (:func:`valid_phone` after :func:`clean_line` and :func:`check_length`)."""
    if phone and (sum(c.isdigit() for c in phone) < 3 or not _PHONE.fullmatch(phone)):
        raise Invalid("phone", f"'{phone}' is not a phone number; use digits, spaces and + ( ) - only.")
    return phone


def valid_tag(value: str) -> str:
    """Clean a tag: one word-ish label, lower-cased, no commas."""
    tag = check_length("tag", clean_line(value).replace(",", " ").strip().lower(), 60)
    if not tag:
        raise Invalid("tag", "is empty; give a short label such as 'fintech'.")
    return tag


@lru_cache(maxsize=8192)
def company_key(name: str) -> str:
    """The key under which company names are matched: case, accents, punctuation, spacing and legal
    suffixes folded ("Northwind Analytics, Inc.", "NORTHWIND ANALYTICS" and "Northwind Analytics LLC" are
    one company; "Société Générale S.A." is "societe generale").

    The suffixes are cleanco's table (Inc., LLC, Ltd, GmbH, S.A., Corp., Co., PLC, AG, SAS, B.V., Pty Ltd
    and the like in many countries), imported on first use. A name that is nothing but a suffix ("Inc")
    keeps it. Keys are stored (company.key): a change here needs a schema step that re-keys companies
    (migrations._v7 is the one for this rule).
    """
    from cleanco import basename  # lazy: only when a company is named, not on the app's start-up path

    text = clean_line(name)
    try:
        base = basename(text) or text
    except Exception:  # cleanco on odd input (only punctuation...): the name as it is
        base = text
    return fold(base) or fold(text) or " ".join(text.casefold().split())  # "!!!" is a name too


def fold(text: str) -> str:
    """Case, accents and punctuation folded, runs of spaces made one: "  Émile-Zola, " → "emile zola"."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(_PUNCT.sub(" ", plain.casefold()).split())


_LINKEDIN_PROFILE = re.compile(r"https?://(?:www\.)?linkedin\.com/(?:in|pub)/([^/?#\s]+)(?:[/?#]|$)")
"""A plain LinkedIn profile URL (no port, no user, no odd characters), as :func:`url_key` reads it."""


def url_key(url: str) -> str:
    """The identity of a profile URL: a LinkedIn profile is ``linkedin:/in/<slug>`` however it is written
    (http or https, www or not, a trailing slash, a query); other URLs by host and path, lower-cased."""
    text = url.strip().lower()
    if not text:
        return ""
    plain = _LINKEDIN_PROFILE.match(text)
    if plain:  # how LinkedIn writes them (an import's every row): the same key without urlsplit
        return f"linkedin:/in/{plain.group(1)}"
    if "://" not in text:
        text = "https://" + text
    parts = urlsplit(text)
    host = (parts.hostname or "").removeprefix("www.")
    path = parts.path.rstrip("/")
    if host.endswith("linkedin.com"):
        m = re.match(r"^/(in|pub)/([^/]+)", path)
        if m:
            return f"linkedin:/in/{m.group(2)}"
    return f"{host}{path}"


def first_name(name: str) -> str:
    """The first word of a name, for greetings in templates."""
    parts = name.split()
    return parts[0] if parts else name
