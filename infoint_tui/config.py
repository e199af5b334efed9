"""The user's config file: ``config.toml`` in the platform's config folder (REACH.md, "Config files").

Where: ``--config PATH``, else ``$INFOINT_CONFIG``, else platformdirs' user config folder
(``~/.config/infoint/config.toml`` on Linux). Sections:

- ``[keys]``: binding id → key(s), as Textual's keymaps take them (``"app.help" = "f1"``); the app
  applies them with ``App.set_keymap`` and reports unknown ids and clashes (the ids are the app's, so
  only the app can check them);
- ``[rules]``: the follow-up timings (:class:`infoint_tui.domain.followups.Rules`) and holidays;
- ``[call]``: the default call length and when the timer turns amber and red;
- ``[ui]``: theme, date format, first day of the week, and whether the privacy mask reduces names to
  initials.

Reading never refuses: a file that cannot be read or parsed, a wrong value or an unknown key each
becomes one line in :attr:`Config.problems` (naming the file, the line, the key and what is allowed)
and the default stands. The app shows the lines in a note; the command line prints them on stderr.

Headless and light: no Textual, no Peewee, and not the domain's follow-up module either (the app's
first frame comes before it: tests/test_import_hygiene.py); :meth:`Config.followup_rules` imports it
when the store needs it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .domain.followups import Rules

FILENAME = "config.toml"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class RulesConfig:
    """``[rules]``: the follow-up timings (the names and defaults of domain.followups.Rules, written again
    here because the app reads its config before the first frame, which must not import the rules;
    tests/test_config.py checks the defaults agree)."""

    next_contact_bdays: int = 3
    nudge_bdays: int = 7
    thank_you_hours: int = 24
    thank_introducer_days: int = 1
    report_back_days: int = 14
    keep_in_touch_days: int = 45
    holidays: tuple[date, ...] = ()


@dataclass(frozen=True)
class CallConfig:
    """``[call]``: minutes. The timer turns amber at ``amber_minutes`` and red at ``red_minutes`` when the
    meeting has no planned length (with one: at 2/3 of it and at its end)."""

    default_minutes: int = 30
    amber_minutes: int = 20
    red_minutes: int = 30


@dataclass(frozen=True)
class UiConfig:
    """``[ui]``: ``theme`` is used when the app has not saved one of its own (the palette's choice wins);
    ``date_format`` (strftime) writes the dates more than a week away (empty: "Dec 3")."""

    theme: str = ""
    date_format: str = ""
    first_day_of_week: str = "monday"
    mask_names: bool = False


@dataclass(frozen=True)
class Config:
    """Every value in force, defaults included, and what was wrong with the file."""

    path: Path
    exists: bool = False
    keys: tuple[tuple[str, str], ...] = ()
    rules: RulesConfig = field(default_factory=RulesConfig)
    call: CallConfig = field(default_factory=CallConfig)
    ui: UiConfig = field(default_factory=UiConfig)
    problems: tuple[str, ...] = ()
    """One line each: errors (the default stands) and warnings (unknown keys)."""

    @property
    def keymap(self) -> dict[str, str]:
        """``[keys]`` as ``App.set_keymap`` takes it."""
        return dict(self.keys)

    def followup_rules(self) -> Rules:
        """The configured timings as the domain's :class:`Rules` (imported only now)."""
        from .domain.followups import Rules

        r = self.rules
        return Rules(next_contact_bdays=r.next_contact_bdays, nudge_bdays=r.nudge_bdays,
                     thank_you_hours=r.thank_you_hours, thank_introducer_days=r.thank_introducer_days,
                     report_back_days=r.report_back_days, keep_in_touch_days=r.keep_in_touch_days,
                     holidays=frozenset(r.holidays))


    @property
    def first_weekday(self) -> int:
        """``[ui] first_day_of_week`` as date.weekday() counts (0 Monday … 6 Sunday)."""
        return WEEKDAYS.index(self.ui.first_day_of_week)

    def apply_to(self, store: StoreSettings) -> None:
        """Give an open store the follow-up rules and the first day of the week."""
        store.rules = self.followup_rules()
        store.first_weekday = self.first_weekday


class StoreSettings(Protocol):
    """What :meth:`Config.apply_to` sets on a store (infoint_tui.store.Store; named here, not imported)."""

    rules: Rules
    first_weekday: int


def default_path() -> Path:
    """``config.toml`` in the per-user config folder (``~/.config/infoint`` on Linux)."""
    from platformdirs import PlatformDirs

    from .paths import APP_NAME

    return PlatformDirs(APP_NAME, appauthor=False).user_config_path / FILENAME


def resolve_path(cli_value: str | None = None, env: Mapping[str, str] | None = None) -> Path:
    """The config file the user asked for, by precedence: ``--config``, ``$INFOINT_CONFIG``, default."""
    env = os.environ if env is None else env
    if cli_value:
        return Path(cli_value).expanduser()
    if env.get("INFOINT_CONFIG"):
        return Path(env["INFOINT_CONFIG"]).expanduser()
    return default_path()


_SECTIONS: dict[str, type] = {"rules": RulesConfig, "call": CallConfig, "ui": UiConfig}
_LIMITS: dict[str, tuple[int, int]] = {
    "next_contact_bdays": (1, 60), "nudge_bdays": (1, 90), "thank_you_hours": (1, 24 * 14),
    "thank_introducer_days": (0, 60), "report_back_days": (1, 365), "keep_in_touch_days": (1, 730),
    "default_minutes": (5, 240), "amber_minutes": (1, 240), "red_minutes": (1, 480),
}


def load(path: Path | None = None) -> Config:
    """The config at ``path`` (default: :func:`resolve_path`); a missing file is all defaults. Never
    raises: what is wrong is in :attr:`Config.problems`."""
    import tomllib

    path = resolve_path() if path is None else path
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(path)
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        return Config(path, exists=True, problems=(f"{path}: cannot read the config file ({why}); "
                                                   "using the defaults.",))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # its message names the line and column
        return Config(path, exists=True, problems=(f"{path}: {exc}; using the defaults.",))
    problems: list[str] = []
    where = _Lines(path, text)
    values: dict[str, Any] = {}
    for section, table in data.items():
        if section == "keys":
            values["keys"] = _keys(table, where, problems)
        elif section in _SECTIONS:
            if not isinstance(table, dict):
                problems.append(f"{where(None, section)}: [{section}] must be a table; using its defaults.")
                continue
            values[section] = _section(section, table, where, problems)
        else:
            problems.append(f"{where(None, section)}: warning: unknown section or key '{section}' "
                            f"(known: keys, {', '.join(_SECTIONS)}); ignored.")
    return Config(path, exists=True, problems=tuple(problems), **values)


class _Lines:
    """Finds the line a key is set on (tomllib reports lines for syntax errors only)."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def __call__(self, section: str | None, key: str) -> str:
        current: str | None = None
        pattern = re.compile(rf"""^\s*(["']?){re.escape(key)}\1\s*=""")
        for n, line in enumerate(self.lines, 1):
            header = re.match(r"^\s*\[\s*([^\]]+?)\s*\]", line)
            if header:
                current = header.group(1).strip("\"'")
                if section is None and current == key:
                    return f"{self.path}:{n}"
                continue
            if current == section and pattern.match(line):
                return f"{self.path}:{n}"
        return str(self.path)


def _keys(table: Any, where: _Lines, problems: list[str]) -> tuple[tuple[str, str], ...]:
    if not isinstance(table, dict):
        problems.append(f"{where(None, 'keys')}: [keys] must be a table of binding id = \"key\"; ignored.")
        return ()
    out = []
    for binding_id, keys in table.items():
        if isinstance(keys, list) and keys and all(isinstance(k, str) for k in keys):
            keys = ",".join(keys)
        if not isinstance(keys, str) or not keys.strip():
            problems.append(f"{where('keys', binding_id)}: keys.{binding_id} must be a key such as \"f2\" or "
                            "\"ctrl+e\" (several: \"f2,ctrl+e\"); ignored.")
            continue
        out.append((binding_id, keys.replace(" ", "")))
    return tuple(out)


def _section(name: str, table: dict[str, Any], where: _Lines, problems: list[str]) -> Any:
    cls = _SECTIONS[name]
    known = {f.name: f for f in fields(cls)}
    defaults = cls()
    good: dict[str, Any] = {}
    for key, value in table.items():
        at = where(name, key)
        if key not in known:
            problems.append(f"{at}: warning: unknown key {name}.{key} (known: {', '.join(known)}); ignored.")
            continue
        default = getattr(defaults, key)
        error = _check(key, value, default)
        if error:
            problems.append(f"{at}: {name}.{key} = {value!r} is not allowed: {error}; using {default!r}.")
            continue
        good[key] = tuple(value) if key == "holidays" else value.lower() if key == "first_day_of_week" else value
    result = cls(**good)
    if name == "call" and result.amber_minutes >= result.red_minutes:
        problems.append(f"{where(name, 'amber_minutes')}: call.amber_minutes must be less than call.red_minutes; "
                        "using the defaults for both.")
        result = cls(**{k: v for k, v in good.items() if k not in ("amber_minutes", "red_minutes")})
    return result


def _check(key: str, value: Any, default: Any) -> str | None:
    """Why ``value`` is not allowed for ``key`` (None when it is)."""
    if isinstance(default, bool):
        return None if isinstance(value, bool) else "true or false"
    if isinstance(default, int):
        low, high = _LIMITS[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            return f"a whole number from {low} to {high}"
        return None
    if key == "holidays":
        ok = isinstance(value, list) and all(isinstance(d, date) and not hasattr(d, "hour") for d in value)
        return None if ok else "a list of dates such as [2026-12-25, 2027-01-01]"
    if key == "first_day_of_week":
        return None if isinstance(value, str) and value.lower() in WEEKDAYS else ", ".join(WEEKDAYS)
    if key == "date_format":
        if value == "":
            return None
        if not isinstance(value, str) or "%" not in value:
            return "a strftime format such as \"%Y-%m-%d\" or \"%d/%m/%Y\""
        try:
            date(2026, 1, 2).strftime(value)
        except ValueError:
            return "a strftime format such as \"%Y-%m-%d\" or \"%d/%m/%Y\""
        return None
    return None if isinstance(value, str) else "text"


def show(config: Config) -> str:
    """Every value in force, defaults included, as TOML (``infoint config show``)."""
    out = [f"# {config.path}" + ("" if config.exists else " (not there: all defaults)")]
    out.append("[keys]")
    out += [f"{_toml_key(k)} = {_toml(v)}" for k, v in config.keys] or ["# none remapped"]
    for name in _SECTIONS:
        out.append(f"\n[{name}]")
        section = getattr(config, name)
        out += [f"{f.name} = {_toml(getattr(section, f.name))}" for f in fields(section)]
    return "\n".join(out) + "\n"


def template() -> str:
    """A new config file: every setting commented out at its default (``infoint config edit``)."""
    body = show(Config(Path(FILENAME))).splitlines()[1:]
    lines = ["# infoint's settings. Uncomment a line to change it; 'infoint config show' prints what is in force.",
             "# [keys] remaps a key by its binding id, e.g. \"app.help\" = \"f1\" (the help screen, ?, lists them).",
             ""]
    for line in body:
        if line.startswith("[") or line.startswith("\n[") or not line:
            lines.append(line)
        elif line.startswith("#"):
            lines.append('# "app.help" = "f1,question_mark"')
        else:
            lines.append("# " + line)
    return "\n".join(lines) + "\n"


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml(key)


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, date):
        return value.isoformat()
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def create(path: Path) -> bool:
    """Write :func:`template` to ``path`` (0600, its folder 0700) unless it exists; True when written."""
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(template())
    return True
