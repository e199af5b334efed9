"""The interview pipeline: stages, interaction kinds, and what each interaction does to a stage.

Pure rules, no storage. The store records every stage change and interaction as
an event; these functions decide what those events mean.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final, Literal, TypeVar

from .errors import IllegalMove, Invalid


class Stage(StrEnum):
    """The four columns of the board. Values are the command-line spellings."""

    TO_CONTACT = "to-contact"
    SCHEDULED = "scheduled"
    MET = "met"
    THANKED = "thanked"

    @property
    def label(self) -> str:
        """How the stage is written for people ("to contact")."""
        return self.value.replace("-", " ")

    @property
    def index(self) -> int:
        """Position on the board, 0 to 3."""
        return ORDER.index(self)


ORDER: Final = (Stage.TO_CONTACT, Stage.SCHEDULED, Stage.MET, Stage.THANKED)


class Kind(StrEnum):
    """Interactions a user logs (``infoint log ID KIND``) plus the events the store writes itself."""

    OUTREACH = "outreach"
    """Outreach sent: asked for a conversation (channel: email, linkedin, phone...)."""
    REPLY = "reply"
    """They replied."""
    DECLINED = "declined"
    """They declined (ask them for someone else)."""
    MEETING = "meeting"
    """A meeting was scheduled (when, minutes, medium, location)."""
    CALL = "call"
    """A call or meeting was held (duration)."""
    THANK_YOU = "thank-you"
    """A thank-you note was sent."""
    FOLLOW_UP = "follow-up"
    """A follow-up was sent (a nudge, or news of how their advice helped)."""
    REFERRAL = "referral"
    """They referred the user to someone."""
    # Written by the store, never logged by hand:
    CREATED = "created"
    STAGE = "stage"
    EDITED = "edited"
    ARCHIVED = "archived"
    RESTORED = "restored"


LOGGABLE: Final = (
    Kind.OUTREACH,
    Kind.REPLY,
    Kind.DECLINED,
    Kind.MEETING,
    Kind.CALL,
    Kind.THANK_YOU,
    Kind.FOLLOW_UP,
    Kind.REFERRAL,
)
"""Kinds accepted by ``infoint log``, in the order of the method."""

KIND_LABELS: Final = {
    Kind.OUTREACH: "outreach sent",
    Kind.REPLY: "reply received",
    Kind.DECLINED: "declined",
    Kind.MEETING: "meeting scheduled",
    Kind.CALL: "call held",
    Kind.THANK_YOU: "thank-you sent",
    Kind.FOLLOW_UP: "follow-up sent",
    Kind.REFERRAL: "referral given",
    Kind.CREATED: "added",
    Kind.STAGE: "moved",
    Kind.EDITED: "edited",
    Kind.ARCHIVED: "archived",
    Kind.RESTORED: "restored",
}


class Medium(StrEnum):
    """How a meeting happens."""

    PHONE = "phone"
    VIDEO = "video"
    IN_PERSON = "in-person"
    EMAIL = "email"


class Source(StrEnum):
    """Where the user found the person."""

    REFERRAL = "referral"
    LINKEDIN = "linkedin"
    DIRECTORY = "directory"
    """A company directory."""
    PHONE_CALL = "phone-call"
    """A call to the company."""
    ALUMNI = "alumni"
    EVENT = "event"
    OTHER = "other"


class ArchiveReason(StrEnum):
    """Why a person left the board."""

    DECLINED = "declined"
    NO_REPLY = "no-reply"
    OTHER = "other"


class Channel(StrEnum):
    """How an outreach or follow-up was sent."""

    EMAIL = "email"
    LINKEDIN = "linkedin"
    PHONE = "phone"
    IN_PERSON = "in-person"
    OTHER = "other"


DEFAULT_MINUTES: Final = 30
"""Default planned length of an informational interview."""


E = TypeVar("E", bound=StrEnum)


def parse_enum(enum: type[E], field: str, value: str) -> E:
    """Read a user-typed enum value, forgiving case, spaces and underscores.

    Raises:
        Invalid: naming the field and the accepted values.
    """
    key = value.strip().lower().replace("_", "-").replace(" ", "-")
    for member in enum:
        if key == member.value or key == member.name.lower().replace("_", "-"):
            return member
    accepted = ", ".join(m.value for m in enum)
    raise Invalid(field, f"'{value}' is not one of: {accepted}.")


def step(stage: Stage, delta: Literal[-1, 1]) -> Stage:
    """The neighbouring stage on the board.

    Raises:
        IllegalMove: past either end of the board.
    """
    i = stage.index + delta
    if not 0 <= i < len(ORDER):
        where = "first" if delta < 0 else "last"
        raise IllegalMove(f"'{stage.label}' is the {where} stage; there is nowhere to move.")
    return ORDER[i]


def stage_after(stage: Stage, kind: Kind) -> Stage:
    """The stage a person reaches when an interaction is logged.

    Interactions only ever move a person forward, never back: scheduling a
    meeting makes a "to contact" person "scheduled", holding the call makes
    them "met", a thank-you makes them "thanked".
    """
    target = {Kind.MEETING: Stage.SCHEDULED, Kind.CALL: Stage.MET, Kind.THANK_YOU: Stage.THANKED}.get(kind)
    if target is None or target.index <= stage.index:
        return stage
    return target
