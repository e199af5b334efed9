"""Where data lives: ``--db PATH``, else ``$INFOINT_DB``, else the platformdirs user data directory.

A ``postgresql://`` address names a PostgreSQL database instead of a file (:class:`ServerAddress`); any
other ``scheme://`` is refused in one line: it must never become a folder named ``mysql:``.

Functions only; nothing is created at import time. The user data directory is ours and kept private
(0700) even when something else created it open to others; a folder named with ``--db`` or
``$INFOINT_DB`` is the user's, and left as it is (the database and its companions are 0600 anyway).
"""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from .domain.errors import StoreError

APP_NAME = "infoint"
DB_FILENAME = "infoint.sqlite3"


def data_dir() -> Path:
    """The per-user data directory (``~/.local/share/infoint`` on Linux)."""
    from platformdirs import PlatformDirs

    return PlatformDirs(APP_NAME, appauthor=False).user_data_path


@dataclass(frozen=True)
class ServerAddress:
    """A PostgreSQL database: the address as given (a ``postgresql://`` URL or libpq's ``key=value``
    form, passed to libpq whole, so that ``sslmode`` and every other parameter pass through) and how it
    is shown. ``str()`` is the shown form, without a password: whatever prints, logs or reports a
    location prints that; :meth:`scrub` takes the password out of any other text (libpq's own error
    messages may quote what they were given)."""

    url: str = field(repr=False)
    shown: str
    secrets: tuple[str, ...] = field(default=(), repr=False)
    """The password as it stands in ``url`` (and percent-decoded): what :meth:`scrub` removes."""

    def __str__(self) -> str:
        return self.shown

    def scrub(self, text: str) -> str:
        """``text`` without the password (each of its forms replaced by ``***``)."""
        for secret in sorted(self.secrets, key=len, reverse=True):
            if len(secret) >= 4:
                text = text.replace(secret, "***")
            else:  # a very short one only where it stands alone: "p" is in every "postgresql"
                text = re.sub(rf"(?<![\w%]){re.escape(secret)}(?![\w%])", "***", text)
        return text


Location = Path | ServerAddress
"""Where a database is: a file, or a PostgreSQL server's database."""

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_POSTGRES = ("postgresql", "postgres")
_DATABASES = frozenset({*_POSTGRES, "mysql", "mariadb", "sqlite", "sqlite3", "mssql", "oracle", "redis", "mongodb",
                        "mongodb+srv", "cockroachdb", "duckdb", "libsql", "http", "https", "file"})
"""Schemes taken for a database address even without ``//`` (``postgresql:dbname``): a file of that name is
far less likely than a mistyped address."""


_KEYWORDS = re.compile(r"^\s*(host|hostaddr|port|dbname|user|password|passfile|service|sslmode|connect_timeout"
                       r"|options|application_name|target_session_attrs)\s*=", re.IGNORECASE)
"""libpq's ``key=value`` connection string ("host=db.example.org dbname=infoint")."""
_KEYWORD_PASSWORD = re.compile(r"(?i)\bpassword\s*=\s*('(?:[^'\\]|\\.)*'|\S*)")


def _secrets(address: str) -> tuple[str, ...]:
    """The password's forms in ``address``: in the URL's user part, a ``password=`` parameter, or a
    ``password=`` keyword (raw and percent-decoded, so that no echo of either shows)."""
    if _KEYWORDS.match(address):
        found = [m.strip("'") for m in _KEYWORD_PASSWORD.findall(address)]
    else:
        found = re.findall(r":/{0,2}[^/?#@:]*:([^/?#]*)@", address)  # to the last "@": "p@ss" is one password
        found += re.findall(r"(?i)[?&]password=([^&#]*)", address)
    forms = {f for f in found if f} | {unquote(f) for f in found if f}
    return tuple(sorted(f for f in forms if f))


def _without_password(url: str) -> str:
    if _KEYWORDS.match(url):
        return _KEYWORD_PASSWORD.sub("", url).strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # not a URL at all ("postgresql://u:pw@[::1/db"): the password masked by pattern
        return re.sub(r"(//[^/?#@:]*):[^@/?#]*@", r"\1@", url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hostport = netloc.rpartition("@")
        netloc = f"{userinfo.split(':', 1)[0]}@{hostport}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() != "password"],
                      safe="/:")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _scrubbed(text: str, secrets: tuple[str, ...]) -> str:
    return ServerAddress("", "", secrets).scrub(text)


def parse_location(value: str) -> Location:
    """The database ``value`` names: a file path, or a ``postgresql://`` (or ``postgres://``) address.

    Raises:
        StoreError: an address of a kind infoint does not support (``mysql://…``), in one line.
    """
    if _KEYWORDS.match(value):  # libpq's key=value form: never a file name (with a password in it)
        return ServerAddress(value, _without_password(value), _secrets(value))
    match = _SCHEME.match(value)
    scheme = match.group(1).lower() if match else ""
    if match and (value[match.end():].startswith("//") or scheme in _DATABASES) and len(scheme) > 1:
        if scheme in _POSTGRES:
            url = scheme + value[len(scheme):]  # "POSTGRESQL://" is the same scheme: libpq takes it in lower case
            secrets = _secrets(url)
            if not url[match.end():].startswith("//"):
                raise StoreError(f"the database address {_scrubbed(url, secrets)!r} is not a valid URL (no '//' "
                                 "after the scheme); write it as postgresql://user@host:port/dbname.")
            try:
                urlsplit(url)
            except ValueError as exc:
                raise StoreError(f"the database address {_scrubbed(_without_password(url), secrets)!r} is not a "
                                 f"valid URL ({exc}); write it as postgresql://user@host:port/dbname.") from exc
            return ServerAddress(url, _scrubbed(_without_password(url), secrets), secrets)
        if scheme in ("sqlite", "sqlite3", "file") and value[match.end():].startswith("///"):
            return Path(value[match.end() + 2:]).expanduser()  # sqlite:///path/to/file
        shown = _without_password(value) if "//" in value else value
        raise StoreError(f"infoint cannot use the database address {shown!r} ({scheme}): give --db the path of a "
                         "SQLite file, or a PostgreSQL address such as postgresql://user@host/dbname.")
    return Path(value).expanduser()


def resolve_db_path(cli_value: str | None, env: Mapping[str, str] | None = None) -> Location:
    """The database the user asked for, by precedence: flag, environment, default.

    Raises:
        StoreError: the flag or the environment names an address infoint does not support.
    """
    env = os.environ if env is None else env
    if cli_value:
        return parse_location(cli_value)
    if env.get("INFOINT_DB"):
        return parse_location(env["INFOINT_DB"])
    folder = data_dir()
    make_private(folder)
    return folder / DB_FILENAME


def make_private(folder: Path) -> None:
    """Tighten an existing ``folder`` that its group or others may read or enter (0755, made by hand or
    by another tool) to 0700: file names there (backups, exports, the crash log) say whom one knows.
    When that fails (not ours, a read-only mount), one warning line on stderr; nothing else changes."""
    try:
        st = folder.stat()
    except OSError:
        return  # not there yet: it is created 0700 when first needed
    if not stat.S_ISDIR(st.st_mode) or not st.st_mode & 0o077:
        return
    try:
        if st.st_uid != os.getuid():
            raise PermissionError(1, "it belongs to another user")
        os.chmod(folder, stat.S_IMODE(st.st_mode) & 0o700)
    except OSError as exc:
        try:
            sys.stderr.write(f"infoint: warning: the data folder {folder} is open to other users "
                             f"(mode {stat.S_IMODE(st.st_mode):o}) and could not be made private "
                             f"({exc.strerror}); run: chmod 700 {folder}\n")
        except (OSError, ValueError):
            pass


def log_path() -> Path:
    """Where crash details go (0600, no personal data): beside the default database."""
    return data_dir() / "infoint.log"
