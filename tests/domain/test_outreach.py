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
            "words": "cut it to 75 or fewer"}
    for word, message in zip(failing, bad, strict=True):
        assert says[word] in message


def test_job_words_are_named() -> None:
    [msg] = [c.message for c in lint("Hi,\nAre you hiring for the open position?\nA", "") if not c.ok]
    assert "hiring" in msg
    assert "position" in msg


def test_a_thank_you_is_not_judged_as_a_request() -> None:
    text = render(TEMPLATES["thank-you"], {"first_name": "Maya", "my_name": "Ada"})
    checks = lint(text, "Jonas Berg", "thank-you")
    assert all(c.ok for c in checks), checks
    assert checks[0].message.endswith("words (at most 75)")
    assert [c.message for c in checks[1:]] == ["no job ask"]
    assert any(not c.ok for c in lint(text, "Jonas Berg", "referral"))  # as a request it would fail


def test_a_word_count_at_the_limit_passes_and_says_so() -> None:
    [count, *_] = lint("Hi,\n\n" + "word " * 74 + "ok?\n\nAda")
    assert count.ok
    assert count.message == "75 words (at most 75)"


def test_a_company_ending_in_a_full_stop_gets_one() -> None:
    text = render(TEMPLATES["cold"], {"first_name": "Maya", "title": "Lead", "company": "Acme Inc.",
                                      "pitch": "I wonder... a lot.", "my_name": "Ada"})
    assert "Acme Inc. I wonder... a lot." in text
    assert ".." not in text.replace("...", "")


def test_the_draft_starts_from_the_thank_you_when_one_is_due(store) -> None:  # type: ignore[no-untyped-def]
    from infoint_tui.domain.model import ContactDraft
    from infoint_tui.domain.outreach import default_template

    maya = store.add(ContactDraft(name="Maya Okafor"))
    jonas = store.add(ContactDraft(name="Jonas Berg", referred_by=maya.id))
    assert default_template(maya) == "cold"
    assert default_template(jonas) == "referral"
    assert default_template(jonas, thank_you_due=True) == "thank-you"
