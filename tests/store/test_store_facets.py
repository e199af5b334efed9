"""The Store is one class composed of facets (mixins on store.base): each name has one home, and
facets never import one another (what two of them share lives in the base)."""

import ast
from pathlib import Path

import infoint_tui.store.store as store_module
from infoint_tui.store import Store
from infoint_tui.store.base import StoreBase

FACETS = ("listing", "commands", "corrections", "followups", "transfer", "settings", "merging")


def test_facets_import_the_base_and_not_one_another() -> None:
    folder = Path(store_module.__file__).parent
    for facet in FACETS:
        tree = ast.parse((folder / f"{facet}.py").read_text(encoding="utf-8"))
        relative = [node for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 1]
        imported = {node.module for node in relative} | {a.name for node in relative if node.module is None
                                                          for a in node.names}
        assert "base" in imported, facet
        assert not imported & set(FACETS), (facet, imported & set(FACETS))


def test_every_name_of_the_store_is_defined_once() -> None:
    mixins = [c for c in Store.__mro__ if c not in (Store, object)]
    assert [c.__module__.rsplit(".", 1)[1] for c in mixins] == [*FACETS, "base"]
    assert all(issubclass(c, StoreBase) for c in mixins)
    homes: dict[str, list[str]] = {}
    for c in mixins:
        for name in vars(c):
            if not name.startswith("__"):
                homes.setdefault(name, []).append(c.__name__)
    assert {n: h for n, h in homes.items() if len(h) > 1} == {}
    assert not [n for n in vars(Store) if not n.startswith("__")]
