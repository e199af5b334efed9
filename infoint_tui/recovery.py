"""Notes the database could not take, kept in private files beside it until it can.

When a note cannot be saved (a full disk, an I/O error, a read-only or locked database at the moment
the app must end), its text goes into ``<db>.recovered-notes/``: a 0700 folder holding one 0600 JSON
file per note being typed, each written whole or not at all (a new file, created O_EXCL, synced,
then renamed over the old one). The app saves them into the database at its next start and removes
each file once its note is in; ``infoint info`` says how many wait.

Headless (no Textual, no Peewee): the command line uses it too.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SUFFIX = ".recovered-notes"


def folder(db_path: Path | str | object) -> Path:
    """Where the notes of the database at ``db_path`` are kept: beside its file, or, for a database on a
    server (``paths.ServerAddress``), in the user data folder under a name drawn from its address (the
    address without its password: a note is kept by this machine, for that database)."""
    if not isinstance(db_path, (str, Path)):
        import hashlib

        from .paths import data_dir

        return data_dir() / f"server-{hashlib.sha256(str(db_path).encode()).hexdigest()[:16]}{SUFFIX}"
    p = Path(db_path)
    return p.with_name(p.name + SUFFIX)


@dataclass(frozen=True)
class Recovered:
    """A note kept in a recovery file."""

    path: Path
    contact_id: int
    text: str
    note_id: int | None = None
    version: int | None = None
    meeting_id: int | None = None
    kept_at: str = ""
    """When it was kept (UTC, ISO 8601)."""
    reason: str = ""
    """Why the database did not take it: the one line the user was shown."""


def keep(db_path: Path | str, contact_id: int, text: str, *, note_id: int | None = None,
         version: int | None = None, meeting_id: int | None = None, reason: str = "",
         replace: Path | None = None) -> Path:
    """Write the note to a recovery file beside the database; returns its path.

    ``replace``: the file this note was kept in before (a draft kept again as typing went on): it is
    replaced atomically, so there is always one whole copy, the newest.

    Raises:
        OSError: the file cannot be written (the disk is full for files too, the folder is read-only).
    """
    where = folder(db_path)
    if not where.is_dir():
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
    record = {"contact_id": contact_id, "note_id": note_id, "version": version, "meeting_id": meeting_id,
              "kept_at": datetime.now(UTC).isoformat(timespec="seconds"), "reason": reason, "text": text}
    data = json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = replace if replace is not None and replace.parent == where else None
    if target is None:
        target = _fresh(where, f"note-{contact_id}-{stamp}-{os.getpid()}", ".json")
    tmp = _fresh(where, f".{target.stem}", ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_dir(where)
    return target


def _fresh(where: Path, stem: str, suffix: str) -> Path:
    """A path in ``where`` that does not exist yet."""
    n = 0
    while True:
        p = where / f"{stem}{f'-{n}' if n else ''}{suffix}"
        if not p.exists():
            return p
        n += 1


def _sync_dir(where: Path) -> None:
    try:
        fd = os.open(where, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def pending(db_path: Path | str) -> list[Recovered]:
    """The notes waiting beside the database at ``db_path``, oldest first (unreadable files skipped)."""
    where = folder(db_path)
    try:
        files = sorted(where.glob("note-*.json"))
    except OSError:
        return []
    out = []
    for path in files:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            out.append(Recovered(path=path, contact_id=int(raw["contact_id"]), text=str(raw["text"]),
                                 note_id=_int(raw.get("note_id")), version=_int(raw.get("version")),
                                 meeting_id=_int(raw.get("meeting_id")), kept_at=str(raw.get("kept_at") or ""),
                                 reason=str(raw.get("reason") or "")))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return sorted(out, key=lambda r: (r.kept_at, r.path.name))


def _int(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


def discard(path: Path | None) -> None:
    """Remove a recovery file whose note is now in the database (and the folder once empty)."""
    if path is None:
        return
    try:
        path.unlink(missing_ok=True)
        path.parent.rmdir()  # only when empty
    except OSError:
        pass
