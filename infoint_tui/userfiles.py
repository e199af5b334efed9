"""The user's own question bank and outreach templates: plain files beside ``config.toml``.

- ``questions.txt``: one question per line. A line ``# Category`` starts a category (the call mode's
  checklist groups by it; questions before the first one go under "Questions"); a question starting with
  ``!`` is always asked (pinned above the checklist, like "Who else should I talk to?"); blank lines and
  lines starting with ``//`` are ignored.
- ``templates/<name>.txt``: one file per outreach template (``referral``, ``cold``, ``follow-up``,
  ``thank-you``), the same placeholders as the shipped ones (:data:`infoint_tui.domain.outreach.PLACEHOLDERS`).

A file that exists replaces the shipped default for that item; a missing one leaves the default in force.
infoint writes a file only when it is missing (``infoint config edit-questions`` / ``edit-template``),
never over the user's. A bad file (unreadable, empty, an unknown placeholder) gives one line naming the
file and line, and the default stands.

Headless like :mod:`infoint_tui.config`: no Textual, no Peewee; the domain is imported only when needed.
"""

from __future__ import annotations

import os
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")

QUESTIONS_FILE = "questions.txt"
TEMPLATES_DIR = "templates"
DEFAULT_GROUP = "Questions"
_HEADER = ("// infoint's question bank for the call mode. One question per line; '# Category' starts a category;\n"
           "// a question starting with '!' is always asked; blank lines and '//' lines are ignored.\n"
           "// Delete this file to go back to the shipped questions.\n")


@dataclass(frozen=True)
class Loaded(Generic[T]):
    """What is in force (None: the shipped default) and what was wrong, one line each."""

    value: T | None
    problems: tuple[str, ...] = ()


def folder(config_path: Path) -> Path:
    """The folder the config file is in: where the user's files live."""
    return config_path.parent


def questions_path(config_path: Path) -> Path:
    """``questions.txt`` beside the config file."""
    return folder(config_path) / QUESTIONS_FILE


def template_path(config_path: Path, name: str) -> Path:
    """``templates/<name>.txt`` beside the config file."""
    return folder(config_path) / TEMPLATES_DIR / f"{name}.txt"


def _read(path: Path) -> tuple[str | None, str | None]:
    """The file's text (None when missing) or why it cannot be read."""
    try:
        return path.read_text(encoding="utf-8"), None
    except FileNotFoundError:
        return None, None
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        return None, f"{path}: cannot read it ({why}); using the shipped default."


def parse_questions(text: str) -> list[tuple[str, str, bool]]:
    """``questions.txt`` as (category, question, always) in order (the shape of SEED_QUESTIONS)."""
    group, out = DEFAULT_GROUP, []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("//"):
            continue
        if line.startswith("#"):
            group = line.lstrip("#").strip() or DEFAULT_GROUP
            continue
        always = line.startswith("!")
        question = line[1:].strip() if always else line
        if question:
            out.append((group, question, always))
    return out


def format_questions(questions: list[tuple[str, str, bool]] | tuple[tuple[str, str, bool], ...]) -> str:
    """The text of ``questions.txt`` for ``questions`` (the inverse of :func:`parse_questions`)."""
    lines, group = [_HEADER], None
    for g, text, always in questions:
        if g != group:
            lines.append(f"\n# {g}\n")
            group = g
        lines.append(("! " if always else "") + text + "\n")
    return "".join(lines)


def load_questions(config_path: Path) -> Loaded[list[tuple[str, str, bool]]]:
    """The user's question bank, when ``questions.txt`` exists and holds at least one question."""
    path = questions_path(config_path)
    text, problem = _read(path)
    if problem:
        return Loaded(None, (problem,))
    if text is None:
        return Loaded(None)
    questions = parse_questions(text)
    if not questions:
        return Loaded(None, (f"{path}: no questions in it; using the shipped questions.",))
    return Loaded(questions)


def check_template(text: str) -> str | None:
    """Why ``text`` cannot be a template ("line N: ..."), None when it can."""
    from .domain.outreach import PLACEHOLDERS

    if not text.strip():
        return "it is empty"
    for n, line in enumerate(text.splitlines(), 1):
        try:
            fields = [f for _, f, _, _ in string.Formatter().parse(line) if f is not None]
        except ValueError:
            return f"line {n}: a lone '{{' or '}}' (write {{{{ or }}}} for a brace)"
        for name in fields:
            if name not in PLACEHOLDERS:
                return (f"line {n}: unknown placeholder {{{name}}} "
                        f"(known: {', '.join('{' + p + '}' for p in PLACEHOLDERS)})")
    return None


def load_templates(config_path: Path) -> Loaded[dict[str, str]]:
    """Every template in force by name: the user's file where it exists and is good, else the shipped one.
    ``value`` is never None here; ``problems`` names each bad file."""
    from .domain.outreach import TEMPLATES

    out, problems = dict(TEMPLATES), []
    for name in TEMPLATES:
        path = template_path(config_path, name)
        text, problem = _read(path)
        if problem:
            problems.append(problem)
        if text is None:
            continue
        why = check_template(text)
        if why:
            problems.append(f"{path}: {why}; using the shipped template.")
            continue
        out[name] = text.rstrip("\n")
    return Loaded(out, tuple(problems))


def in_force(config_path: Path) -> list[tuple[Path, bool]]:
    """Each user file infoint looks for and whether it is there (``infoint config show``)."""
    from .domain.outreach import TEMPLATES

    paths = [questions_path(config_path), *(template_path(config_path, n) for n in TEMPLATES)]
    return [(p, p.is_file()) for p in paths]


def shipped_questions() -> tuple[tuple[str, str, bool], ...]:
    """The questions infoint ships (the database's seed)."""
    from .store.questions import SEED_QUESTIONS

    return SEED_QUESTIONS


def create(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` (0600, its folders 0700) unless it exists; True when written."""
    if path.exists():
        return False
    for parent in reversed(path.parents):  # each folder infoint makes is private (0700), not just the last
        if not parent.exists():
            parent.mkdir(mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    return True


def create_questions(config_path: Path) -> Path:
    """``questions.txt`` from the shipped questions, unless it exists; its path."""
    path = questions_path(config_path)
    create(path, format_questions(shipped_questions()))
    return path


def create_template(config_path: Path, name: str) -> Path:
    """``templates/<name>.txt`` from the shipped template, unless it exists; its path. ``name`` must be one
    of the shipped templates (KeyError otherwise)."""
    from .domain.outreach import TEMPLATES

    text = TEMPLATES[name]
    path = template_path(config_path, name)
    create(path, text + "\n")
    return path
