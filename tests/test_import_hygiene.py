"""Layers: the command line, the store and the domain never load Textual or Rich.

The run-time checks below see what importing a module loads; the static ones read the source, so
that an import inside a function (run only on some path) counts too.
"""

import ast
import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "infoint_tui"


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sys.modules))"],
                         capture_output=True, text=True, check=True, timeout=60).stdout
    return set(out.split())


def test_core_modules_do_not_import_the_ui_toolkit() -> None:
    mods = _modules_after("import infoint_tui.cli, infoint_tui.crash, infoint_tui.launch, "
                          "infoint_tui.store.store, infoint_tui.store.demo, infoint_tui.domain.dates, "
                          "infoint_tui.domain.contacts, infoint_tui.exchange.readers, "
                          "infoint_tui.exchange.writers, infoint_tui.exchange.load")
    assert not {m for m in mods if m.split(".")[0] in {"textual", "rich"}}
    assert "infoint_tui.tui" not in mods
    assert "dateparser" not in mods  # natural dates are parsed lazily
    assert "vobject" not in mods
    assert "icalendar" not in mods


def test_domain_is_pure() -> None:
    mods = _modules_after("import infoint_tui.domain.pipeline, infoint_tui.domain.model, infoint_tui.domain.text,"
                          " infoint_tui.domain.dates, infoint_tui.domain.contacts")
    assert not {m for m in mods if m.split(".")[0] in {"peewee", "playhouse", "platformdirs", "textual", "rich"}}


def test_running_list_does_not_import_textual(tmp_path: Path) -> None:
    db = tmp_path / "x.sqlite3"
    mods = _modules_after(f"from infoint_tui.cli import main\nmain(['--db', {str(db)!r}, 'add', 'Ada'])\n"
                          f"main(['--db', {str(db)!r}, 'list'])")
    assert "textual" not in mods
    assert "rich" not in mods
    assert "psycopg" not in mods  # the PostgreSQL driver only when an address asks for it
    assert "infoint_tui.store.postgres" not in mods


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
        "import infoint_tui.tui.run as tui_run\n"
        "tui_run.not_a_terminal = lambda: None  # its output is a pipe here\n"
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


def _imports(path: Path) -> set[str]:
    """Every module that ``path`` imports anywhere (top level, functions, TYPE_CHECKING blocks), as
    absolute dotted names; ``from a import b`` counts as both ``a`` and ``a.b``."""
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
    package = parts if rel.name == "__init__" else parts[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                "import_module", "__import__"):
            found.update(a.value for a in node.args
                         if isinstance(a, ast.Constant) and isinstance(a.value, str))
    return found


def _module_names(path: Path) -> list[str]:
    """Strings in the code (docstrings aside) that look like dotted module names: a module can be named
    for importlib or a mock without an import statement."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
            and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and id(n) not in docs and re.fullmatch(r"\.*[A-Za-z_]\w*(\.\w+)*", n.value)]


def _banned_imports(path: Path, banned: tuple[str, ...]) -> list[str]:
    """What ``path`` imports from the ``banned`` modules and packages."""
    return sorted(m for m in _imports(path) if any(m == b or m.startswith(b + ".") for b in banned))


def _offenders(folder: str, banned: tuple[str, ...]) -> dict[str, list[str]]:
    """Each module under ``infoint_tui/folder`` that imports from ``banned``, with what it imports."""
    paths = sorted((PACKAGE / folder).rglob("*.py"))
    return {str(p.relative_to(PACKAGE.parent)): bad for p in paths if (bad := _banned_imports(p, banned))}


def test_the_imports_reader_resolves_relative_imports() -> None:
    found = _imports(PACKAGE / "cli" / "__init__.py")
    assert {"infoint_tui.crash", "infoint_tui.cli.parser", "infoint_tui.paths"} <= found
    assert "infoint_tui.tui.run" in _imports(PACKAGE / "launch.py")  # inside a function
    assert "infoint_tui.crash" in _imports(PACKAGE / "tui" / "app.py")  # inside a method


def test_the_command_line_never_imports_the_app_or_the_ui_toolkit_even_inside_functions() -> None:
    assert list(PACKAGE.joinpath("cli").glob("*.py")), "infoint_tui/cli/ is a package"
    assert _offenders("cli", ("infoint_tui.tui", "infoint_tui.launch", "infoint_tui.__main__", "textual",
                              "rich")) == {}
    # Nor named in a string (for importlib, or a mock): docstrings aside.
    named = {str(p.relative_to(PACKAGE.parent)): [m for m in _module_names(p)
                                                   if re.search(r"(^|\.)tui($|\.)", m)]
             for p in PACKAGE.joinpath("cli").rglob("*.py")}
    assert {p: names for p, names in named.items() if names} == {}


def test_the_app_never_imports_the_command_line() -> None:
    assert _offenders("tui", ("infoint_tui.cli", "infoint_tui.__main__")) == {}


def test_crash_reporting_is_headless() -> None:
    banned = ("infoint_tui.cli", "infoint_tui.tui", "textual", "rich")
    assert _banned_imports(PACKAGE / "crash.py", banned) == []
