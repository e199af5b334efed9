"""Layers: the command line, the store and the domain never load Textual or Rich."""

import subprocess
import sys
from pathlib import Path


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True, timeout=60).stdout
    return set(out.split())


def test_core_modules_do_not_import_the_ui_toolkit() -> None:
    mods = _modules_after("import infoint_tui.cli, infoint_tui.store.store, infoint_tui.store.demo, infoint_tui.domain."
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


def test_the_app_reaches_its_first_frame_without_peewee_or_the_command_line(demo_path: Path) -> None:
    """`infoint --db PATH` reads the first page with plain sqlite3: Peewee, the store, the rest of the
    model and the command line's parser are imported after the first frame (~40 ms of start-up)."""
    heavy = ["peewee", "infoint_tui.store.store", "infoint_tui.domain.model", "infoint_tui.domain.followups",
             "infoint_tui.cli", "argparse"]
    code = (
        "import sys\n"
        "import infoint_tui.tui.app as tui_app\n"
        f"heavy = {heavy!r}\n"
        "def run(self):\n"
        "    print('RUN', self._first_page[0], [m for m in heavy if m in sys.modules])\n"
        "tui_app.InfointApp.run = run\n"
        "from infoint_tui.__main__ import main\n"
        f"main(['--db', {str(demo_path)!r}])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60).stdout
    assert "RUN 36 []" in out, out


def test_only_a_database_argument_takes_the_short_way() -> None:
    from infoint_tui.__main__ import _only_a_database

    assert _only_a_database([]) == (None,)
    assert _only_a_database(["--db", "x.sqlite3"]) == ("x.sqlite3",)
    assert _only_a_database(["--db=x.sqlite3"]) == ("x.sqlite3",)
    for args in (["--demo"], ["--db"], ["--db", "--demo"], ["list"], ["--db", "x", "list"], ["--help"],
                 ["--version"], ["--db="]):
        assert _only_a_database(args) is None, args
