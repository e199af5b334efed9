"""Settings (theme, the user's name...), the pitch and the question bank."""

from __future__ import annotations

from ..domain.model import Question
from ..domain.text import check_length, clean_note
from .base import StoreBase, _guarded
from .tables import QuestionRow, SettingRow


class SettingsMixin(StoreBase):
    """Settings, pitch and questions."""

    @_guarded
    def setting(self, key: str, default: str = "") -> str:
        """A stored setting (theme, pitch...)."""
        row = SettingRow.get_or_none(SettingRow.key == key)
        return row.value if row else default

    @_guarded
    def set_setting(self, key: str, value: str) -> None:
        """Store a setting."""
        with self._tx():
            SettingRow.insert(key=key, value=value).on_conflict(  # an upsert: SQLite and PostgreSQL alike
                conflict_target=[SettingRow.key], update={SettingRow.value: value}).execute()

    @_guarded
    def pitch(self) -> str:
        """The user's pitch: interests, experience, background."""
        return self.setting("pitch")

    @_guarded
    def set_pitch(self, text: str) -> str:
        """Replace the pitch (cleaned like a note)."""
        clean = check_length("pitch", clean_note(text).strip(), 5000)
        self.set_setting("pitch", clean)
        return clean

    @_guarded
    def questions(self) -> list[Question]:
        """The question bank, in order."""
        return [Question(q.id, q.group, q.text, q.always) for q in QuestionRow.select().order_by(QuestionRow.position)]
