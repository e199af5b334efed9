"""The help screen, built from the bindings the widgets really have (so it cannot drift from the keys)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


def bindings_of(cls: type) -> list[Binding]:
    """Every binding a class declares, its bases' first, later ones overriding earlier ones by key."""
    merged: dict[str, Binding] = {}
    for klass in reversed(cls.__mro__):
        declared = klass.__dict__.get("BINDINGS")
        if declared:
            for key, bindings in BindingsMap(declared).key_to_bindings.items():
                merged[key] = bindings[-1]
    # one entry per action: "down,j" declared together should show together
    by_action: dict[str, Binding] = {}
    for b in merged.values():
        if b.action in by_action:
            prev = by_action[b.action]
            by_action[b.action] = Binding(f"{prev.key},{b.key}", b.action, b.description, show=b.show,
                                          key_display=prev.key_display or b.key_display, tooltip=b.tooltip)
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
            for b in bindings_of(cls):
                label = b.description or b.action
                keys = b.key_display or ", ".join(self.app.get_key_display(Binding(k, b.action))
                                                  for k in b.key.split(","))
                if (keys, label) in seen or not label:
                    continue
                seen.add((keys, label))
                rows.append(Content.assemble((f"  {keys:<22}", "bold $accent"), label,
                                             (f" — {b.tooltip}" if b.tooltip else "", "$text-muted")))
            if rows:
                parts.append(Content.styled(title, "bold underline"))
                parts.extend(rows)
                parts.append(Content(""))
        parts.append(Content.styled("Ctrl+P opens the command palette: every action, and 'go to person…'.",
                                    "$text-muted"))
        with VerticalScroll(id="help-body"):
            yield Static(Content("\n").join(parts))
