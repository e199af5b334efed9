"""Modal forms: add or edit a person, schedule a meeting, log an interaction, archive, pitch, filter, confirm,
merge or rename (pair).

Each form validates with the domain's own rules and shows the problem under the
field it concerns (which field, what is wrong, what to do); nothing is written
until the form is valid. Forms return plain values; the main screen writes them.
Enter submits from any one-line field, Ctrl+S from anywhere, Esc cancels.

One module per form; the names other modules use are re-exported here
(``from .forms import ConfirmModal``).
"""

from __future__ import annotations

from .archive import ArchiveModal, ArchiveResult
from .base import FormModal, Lookup
from .confirm import ConfirmModal
from .contact_form import ContactFormModal, ContactFormResult
from .dated import DatePreviewForm
from .filter import FilterModal, FilterResult
from .log import LogModal, LogResult
from .pair import PairModal
from .pitch import PitchModal
from .schedule import ScheduleModal, ScheduleResult

__all__ = [
    "ArchiveModal",
    "ArchiveResult",
    "ConfirmModal",
    "ContactFormModal",
    "ContactFormResult",
    "DatePreviewForm",
    "FilterModal",
    "FilterResult",
    "FormModal",
    "LogModal",
    "LogResult",
    "Lookup",
    "PairModal",
    "PitchModal",
    "ScheduleModal",
    "ScheduleResult",
]
