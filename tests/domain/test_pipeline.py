import pytest

from infoint_tui.domain.errors import IllegalMove, Invalid
from infoint_tui.domain.pipeline import Kind, Medium, Stage, parse_enum, stage_after, step

S = Stage


@pytest.mark.parametrize(
    ("stage", "delta", "expected"),
    [
        (S.TO_CONTACT, 1, S.SCHEDULED), (S.SCHEDULED, 1, S.MET), (S.MET, 1, S.THANKED),
        (S.SCHEDULED, -1, S.TO_CONTACT), (S.MET, -1, S.SCHEDULED), (S.THANKED, -1, S.MET),
    ],
)
def test_step_moves_to_the_neighbour(stage: Stage, delta: int, expected: Stage) -> None:
    assert step(stage, delta) is expected  # type: ignore[arg-type]


@pytest.mark.parametrize(("stage", "delta"), [(S.TO_CONTACT, -1), (S.THANKED, 1)])
def test_step_past_either_end_is_refused_with_a_reason(stage: Stage, delta: int) -> None:
    with pytest.raises(IllegalMove, match="nowhere to move"):
        step(stage, delta)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("stage", "kind", "expected"),
    [
        (S.TO_CONTACT, Kind.MEETING, S.SCHEDULED),
        (S.TO_CONTACT, Kind.CALL, S.MET),
        (S.SCHEDULED, Kind.CALL, S.MET),
        (S.MET, Kind.THANK_YOU, S.THANKED),
        (S.TO_CONTACT, Kind.OUTREACH, S.TO_CONTACT),
        (S.TO_CONTACT, Kind.REPLY, S.TO_CONTACT),
        # never backwards: a new meeting with someone already met keeps them met
        (S.MET, Kind.MEETING, S.MET),
        (S.THANKED, Kind.CALL, S.THANKED),
        (S.THANKED, Kind.FOLLOW_UP, S.THANKED),
    ],
)
def test_interactions_only_move_forward(stage: Stage, kind: Kind, expected: Stage) -> None:
    assert stage_after(stage, kind) is expected


@pytest.mark.parametrize(("typed", "expected"), [
    ("to-contact", S.TO_CONTACT), ("To Contact", S.TO_CONTACT), ("to_contact", S.TO_CONTACT), ("MET", S.MET),
])
def test_stage_spellings(typed: str, expected: Stage) -> None:
    assert parse_enum(Stage, "stage", typed) is expected


def test_unknown_value_names_the_field_and_the_choices() -> None:
    with pytest.raises(Invalid) as err:
        parse_enum(Medium, "medium", "pigeon")
    assert err.value.field == "medium"
    assert "phone, video, in-person, email" in str(err.value)


def test_labels_are_human() -> None:
    assert [s.label for s in Stage] == ["to contact", "scheduled", "met", "thanked"]
