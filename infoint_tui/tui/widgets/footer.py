"""KeyFooter: Textual's Footer, rebuilt only when the keys it shows change.

The stock Footer recomposes (some twenty FooterKey widgets, each styled anew) on
every focus change, even when the focused widget offers exactly the same keys,
as the board's columns do: on a card move that cost ~30 ms per frame, over an
SSH link a repainted footer line each time. Here a focus change that keeps the
same keys does nothing; one that only greys or un-greys a key (the first and
last columns cannot move a card further) updates that key in place, and so does
one that gives the same keys another action (Shift+→ is "Schedule" in the
board's first column, "Move ▶" in the others).
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

Shown = tuple[tuple[tuple[str, str, str, str], ...], tuple[bool, ...]]


class KeyFooter(Footer):
    """A Footer that recomposes only when its keys or their descriptions change."""

    _shown: Shown | None = None

    def on_mount(self) -> None:
        # Mounted after the first frame (MainScreen), when the screen has published its bindings
        # already: ask again once Footer.on_mount (which Textual runs after this one) has subscribed,
        # or the footer would stay empty until the next focus change.
        self.call_next(self.screen.refresh_bindings)

    def _what_is_shown(self, screen: Screen) -> Shown:  # type: ignore[type-arg]
        keys, enabled = [], []
        palette = self.app.COMMAND_PALETTE_BINDING
        for key, (_node, binding, is_enabled, tooltip) in screen.active_bindings.items():
            if binding.show or key == palette:
                keys.append((binding.key, binding.action, binding.description,
                             self.app.get_key_display(binding) + "\0" + (tooltip or "")))
                enabled.append(bool(is_enabled))
        return tuple(keys), tuple(enabled)

    def bindings_changed(self, screen: Screen) -> None:  # type: ignore[type-arg]
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            super().bindings_changed(screen)
            return
        shown = self._what_is_shown(screen)
        before, self._shown = self._shown, shown
        if before is not None and self._bindings_ready:
            if before[0] == shown[0]:
                if before[1] != shown[1]:
                    self._grey(shown)
                return
            if self._relabel(before, shown):
                self._grey(shown)
                return
        super().bindings_changed(screen)

    def _relabel(self, before: Shown, shown: Shown) -> bool:
        """Give keys another action, label and tooltip in place, if that is all that changed (the same keys
        in the same order, each action shown before becoming one action after); False: rebuild."""
        old, new = before[0], shown[0]
        if len(old) != len(new) or any(o[0] != n[0] for o, n in zip(old, new, strict=True)):
            return False
        changes: dict[str, tuple[str, str, str]] = {}  # old action: (action, description, display + tooltip)
        for o, n in zip(old, new, strict=True):
            if changes.setdefault(o[1], n[1:]) != n[1:]:
                return False  # one action's keys went different ways
        if len({n[0] for n in changes.values()}) != len(changes):
            return False  # two actions became one: the footer would show one key fewer
        for key in self.query(FooterKey):
            change = changes.get(key.action)
            if change is not None and not key.has_class("-command-palette"):
                action, description, display = change
                key_display, _, tooltip = display.partition("\0")
                if (key.action, key.description, key.key_display) != (action, description, key_display):
                    # Labels of one width (the board pads "Move ▶" to "Schedule") need no layout, which
                    # would draw the footer again a frame later.
                    same = (cell_len(key.description), cell_len(key.key_display)) == (cell_len(description),
                                                                                     cell_len(key_display))
                    key.action, key.description, key.key_display = action, description, key_display
                    key.refresh(layout=not same)
                if key.tooltip != (tooltip or None):
                    key.tooltip = tooltip or None
        return True

    def _grey(self, shown: Shown) -> None:
        """Grey out or restore keys in place (the same keys, only their enabled state changed)."""
        enabled_by_action: dict[str, bool] = {}
        for (_key, action, _desc, _display), enabled in zip(shown[0], shown[1], strict=True):
            enabled_by_action.setdefault(action, enabled)  # the Footer shows an action's first binding
        for key in self.query(FooterKey):
            enabled = enabled_by_action.get(key.action)
            if enabled is not None and key._disabled == enabled:
                key._disabled = not enabled
                key.set_class(not enabled, "-disabled")
