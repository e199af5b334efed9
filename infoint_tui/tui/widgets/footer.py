"""KeyFooter: Textual's Footer, rebuilt only when the keys it shows change.

The stock Footer recomposes (some twenty FooterKey widgets, each styled anew) on
every focus change, even when the focused widget offers exactly the same keys,
as the board's columns do: on a card move that cost ~30 ms per frame, over an
SSH link a repainted footer line each time. Here a focus change that keeps the
same keys does nothing; one that only greys or un-greys a key (the first and
last columns cannot move a card further) updates that key in place.
"""

from __future__ import annotations

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
        if before is not None and before[0] == shown[0] and self._bindings_ready:
            if before[1] != shown[1]:
                self._grey(shown)
            return
        super().bindings_changed(screen)

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
