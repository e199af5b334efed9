from datetime import UTC, datetime

import pytest

from infoint_tui.domain.model import Contact
from infoint_tui.domain.outreach import TEMPLATES, lint, render, variables
from infoint_tui.domain.pipeline import Stage

NOW = datetime(2026, 11, 25, tzinfo=UTC)


def contact(**kw: object) -> Contact:
    base = dict(id=1, name="Maya Okafor", title="Head of Analytics", company="Northwind", email="", phone="",
                address="", url="", source=None, referred_by=None, referred_by_name="", tags=(),
                stage=Stage.TO_CONTACT, archived=False, archive_reason=None, version=1, created=NOW, updated=NOW,
                last_activity=NOW)
    base.update(kw)
    return Contact(**base)  # type: ignore[arg-type]


def test_templates_fill_placeholders() -> None:
    text = render(TEMPLATES["referral"], variables(contact(referred_by=2, referred_by_name="Jonas Berg"),
                                                   "I analyse data.", "Ada"))
    assert text.startswith("Hi Maya,\n\nJonas Berg suggested I get in touch. I analyse data.")
    assert "Northwind" in text
    assert text.endswith("Ada\n")


def test_unknown_placeholders_stay_visible_and_braces_are_safe() -> None:
    assert render("Hi {first_name} {unknown} {{literal}}", {"first_name": "Ada"}) == "Hi Ada {unknown} {literal}\n"


@pytest.mark.parametrize(("text", "connection", "failing"), [
    ("Hi Maya,\n\nJonas suggested I write. Could we talk for 20 minutes?\n\nAda", "Jonas Berg", []),
    ("Hi Maya,\n\nI run data teams. Jonas suggested I write. Could we talk?\n\nAda", "Jonas Berg", ["names"]),
    ("Hi Maya,\n\nI'd love to chat about your team.\n\nAda", "", ["question"]),
    ("Hi,\n\nAre you hiring? I attached my resume. Any openings?\n\nAda", "", ["job"]),
    ("Hi,\n\n" + "word " * 80 + "ok?\n\nAda", "", ["words"]),
])
def test_lint(text: str, connection: str, failing: list[str]) -> None:
    checks = lint(text, connection)
    bad = [c.message for c in checks if not c.ok]
    assert len(bad) == len(failing), bad
    says = {"question": "end with a question", "job": "job ask", "names": "name the connection first",
            "words": "keep it under 75"}
    for word, message in zip(failing, bad, strict=True):
        assert says[word] in message


def test_job_words_are_named() -> None:
    [msg] = [c.message for c in lint("Hi,\nAre you hiring for the open position?\nA", "") if not c.ok]
    assert "hiring" in msg
    assert "position" in msg
