"""Layers: the command line, the store and the domain never load Textual or Rich."""

import subprocess
import sys
from pathlib import Path


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True, timeout=60).stdout
    return set(out.split())


def test_core_modules_do_not_import_the_ui_toolkit() -> None:
    mods = _modules_after("import infoint_tui.cli, infoint_tui.store, infoint_tui.store.demo, infoint_tui.domain."
                          "dates, infoint_tui.domain.contacts, infoint_tui.exchange.readers, "
                          "infoint_tui.exchange.writers")
    assert not {m for m in mods if m.split(".")[0] in {"textual", "rich"}}
    assert "infoint_tui.tui" not in mods
    assert "dateparser" not in mods  # natural dates are parsed lazily
    assert "vobject" not in mods and "icalendar" not in mods  # file formats load only when used


def test_domain_is_pure() -> None:
    mods = _modules_after("import infoint_tui.domain.pipeline, infoint_tui.domain.model, infoint_tui.domain.text,"
                          " infoint_tui.domain.dates, infoint_tui.domain.contacts")
    assert not {m for m in mods if m.split(".")[0] in {"peewee", "playhouse", "platformdirs", "textual", "rich"}}


def test_running_list_does_not_import_textual(tmp_path: Path) -> None:
    db = tmp_path / "x.sqlite3"
    mods = _modules_after(f"from infoint_tui.cli import main\nmain(['--db', {str(db)!r}, 'add', 'Ada'])\n"
                          f"main(['--db', {str(db)!r}, 'list'])")
    assert "textual" not in mods and "rich" not in mods
