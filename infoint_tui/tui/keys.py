"""The user's keymap (``[keys]`` in the config file): what is wrong with it, said in words.

Textual applies a keymap silently: an id nobody has is ignored, and a key given to two bindings of one
widget or screen leaves one of them unreachable. :func:`keymap_problems` finds both, over every class
of the app that declares bindings (imported here, after the first frame, only when there is a keymap).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from pathlib import Path

from textual.dom import DOMNode


def binding_classes() -> Iterator[type[DOMNode]]:
    """Every class of the app (infoint_tui.tui) that declares bindings, its modules imported."""
    from .. import tui

    root = Path(tui.__file__).parent
    for path in sorted(root.rglob("*.py")):  # not pkgutil: tui/screens is a namespace package, which it skips
        parts = path.relative_to(root).with_suffix("").parts
        importlib.import_module(".".join([tui.__name__, *(parts[:-1] if parts[-1] == "__init__" else parts)]))
    todo: list[type] = [DOMNode]
    seen: set[type] = set()
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
                if sub.__module__.startswith(tui.__name__ + ".") and "BINDINGS" in sub.__dict__:
                    yield sub


def keymap_problems(keymap: Mapping[str, str]) -> list[str]:
    """One line per unknown binding id and per key given to two bindings in one place."""
    if not keymap:
        return []
    classes = list(binding_classes())
    known: set[str] = set()
    for cls in classes:
        known.update(b.id for bindings in cls._merge_bindings().key_to_bindings.values() for b in bindings if b.id)
    problems = [f"keys.{i}: no key has this id (the help screen, ?, shows them); ignored."
                for i in keymap if i not in known]
    # Textual's own clash check (BindingsMap.apply_keymap) misses a key taken from a binding the keymap
    # does not name, and counts a binding declared on two keys as clashing with itself: count here.
    reported: set[tuple[str, frozenset[str]]] = set()
    for cls in classes:
        holders: dict[str, set[str]] = {}
        for bindings in cls._merge_bindings().key_to_bindings.values():
            for b in bindings:
                name = b.id or b.action
                keys = keymap[b.id].split(",") if b.id in keymap else [b.key]
                for key in keys:
                    holders.setdefault(key.strip(), set()).add(name)
        for key, names in holders.items():
            if len(names) > 1 and names & set(keymap) and (key, frozenset(names)) not in reported:
                reported.add((key, frozenset(names)))
                problems.append(f"keys: '{key}' is given to {' and '.join(sorted(names))} in {cls.__name__}; "
                                "only one of them will run.")
    return problems
