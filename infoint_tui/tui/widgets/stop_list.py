"""A list of options that stops at its ends: Today's list and a person's history."""

from __future__ import annotations

from textual.widgets import OptionList


class StopList(OptionList):
    """Stops at its ends (Textual's OptionList wraps round from the last item to the first, which loses
    one's place in a long list); the screens bind ``g``/``G`` (and Home/End) to the first and last item."""

    def _enabled(self) -> list[int]:
        return [i for i, option in enumerate(self.options) if not option.disabled]

    def action_cursor_down(self) -> None:
        enabled = self._enabled()
        if self.highlighted is None or (enabled and self.highlighted < enabled[-1]):
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        enabled = self._enabled()
        if self.highlighted is None or (enabled and self.highlighted > enabled[0]):
            super().action_cursor_up()
