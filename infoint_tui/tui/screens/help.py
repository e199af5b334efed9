"""The help screen, built from the bindings the widgets really have (so it cannot drift from the keys)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


def bindings_of(cls: type, keymap: Mapping[str, str] | None = None) -> list[Binding]:
    """Every binding a class declares, its bases' first, later ones overriding earlier ones by key (a key
    a class binds twice, to actions offered in different places, lists both: the board's Shift+→ moves a
    card on, or schedules it out of *to contact*); with the user's ``keymap`` (binding id → keys, as
    ``App.set_keymap`` took it) on the keys in force."""
    merged: dict[str, list[Binding]] = {}
    for klass in reversed(cls.__mro__):
        declared = klass.__dict__.get("BINDINGS")
        if declared:
            found = BindingsMap(declared)
            if keymap:
                found.apply_keymap(dict(keymap))
            for key, bindings in found.key_to_bindings.items():
                merged[key] = bindings
    # one entry per action: "down,j" declared together should show together
    by_action: dict[str, Binding] = {}
    for b in (b for bindings in merged.values() for b in bindings):
        if b.action in by_action:
            prev = by_action[b.action]
            by_action[b.action] = Binding(f"{prev.key},{b.key}", b.action, b.description, show=b.show,
                                          key_display=prev.key_display or b.key_display, tooltip=b.tooltip,
                                          id=prev.id or b.id)
        else:
            by_action[b.action] = b
    return list(by_action.values())


class HelpScreen(ModalScreen[None]):
    """Every key, grouped by where it works."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close")]

    def __init__(self, sections: list[tuple[str, type]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        parts: list[Content] = [Content.styled("infoint — keys", "bold"), Content("")]
        seen: set[tuple[str, str]] = set()
        for title, cls in self.sections:
            rows = []
            for b in bindings_of(cls, getattr(self.app, "_keymap", None)):  # Textual keeps it there
                # None: a key of Textual's own not meant to be listed (help_quit); a footer label is padded.
                label = (b.description or "").rstrip()
                keys = b.key_display or ", ".join(self.app.get_key_display(Binding(k, b.action))
                                                  for k in b.key.split(","))
                if (keys, label) in seen or not label:
                    continue
                seen.add((keys, label))
                rows.append(Content.assemble((f"  {keys:<22}", "bold $accent"), label,
                                             (f" — {b.tooltip}" if b.tooltip else "", "$text-muted"),
                                             (f"  [{b.id}]" if b.id else "", "$text-muted italic")))
            if rows:
                parts.append(Content.styled(title, "bold underline"))
                parts.extend(rows)
                parts.append(Content(""))
        parts.append(Content.styled("Ctrl+P opens the command palette: every action, and 'go to person…'.",
                                    "$text-muted"))
        parts.append(Content.styled("A key is yours to change: [keys] in the config file, by the id in brackets "
                                    "(\"app.help\" = \"f1\"); 'infoint config path' says where the file is.",
                                    "$text-muted"))
        with VerticalScroll(id="help-body"):
            yield Static(Content("\n").join(parts))
