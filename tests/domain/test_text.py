import pytest

from infoint_tui.domain.contacts import clean_tags, make_draft
from infoint_tui.domain.errors import Invalid
from infoint_tui.domain.text import (
    clean_line,
    clean_note,
    company_key,
    strip_escapes,
    valid_email,
    valid_phone,
    valid_url,
)

ESC = "\x1b"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Ada   Lovelace ", "Ada Lovelace"),
        (f"Eve{ESC}]0;PWNED-TITLE\x07", "Eve"),  # OSC title change
        (f"Eve{ESC}]52;c;cHduZWQ={ESC}\\", "Eve"),  # OSC 52 clipboard write
        (f"{ESC}[31mRed{ESC}[0m", "Red"),  # CSI colour
        (f"a{ESC}]8;;https://x.example{ESC}\\link{ESC}]8;;{ESC}\\b", "alinkb"),  # hyperlink
        ("P0\x11\x03after", "P0after"),  # C0 controls from a paste
        ("x\x9b31my", "xy"),  # 8-bit CSI
        ("left\u202eright", "leftright"),  # bidi override
        ("line one\nline two\tthree", "line one line two three"),
        ("[bold]Ada[/bold] [@click=app.quit]x[/]", "[bold]Ada[/bold] [@click=app.quit]x[/]"),  # kept literally
        ("山田 太郎", "山田 太郎"),
        ("دانا الحسيني", "دانا الحسيني"),
        ("Zoë 🚀", "Zoë 🚀"),
        (f"trailing{ESC}", "trailing"),
    ],
)
def test_single_line_fields_lose_escapes_and_controls_only(raw: str, clean: str) -> None:
    assert clean_line(raw) == clean


def test_notes_keep_newlines_and_tabs_but_not_escapes() -> None:
    assert clean_note(f"one\r\ntwo\r\tthree{ESC}[2J\x07") == "one\ntwo\n\tthree"



@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        # Unterminated: the introducer goes, the text after it stays.
        (f"P4 {ESC}X\x11 after", "P4  after"),  # SOS, then Ctrl+Q, never ended
        (f"P4 {ESC}X after", "P4  after"),
        (f"a {ESC}]0;title b", "a 0;title b"),  # OSC without BEL or ST
        (f"a {ESC}]0;title{ESC}[31mb", "a 0;titleb"),  # an OSC cut short by another sequence
        (f"a {ESC}Pq#0 b", "a q#0 b"),  # DCS
        (f"a {ESC}^private b", "a private b"),  # PM
        (f"a {ESC}_app b", "a app b"),  # APC
        (f"a {ESC}[12\nb", "a 12\nb"),  # CSI without its final byte
        (f"a {ESC}\nb", "a \nb"),  # a lone ESC does not take the line break with it
        (f"a {ESC} more", "a  more"),  # nor a space and the word after it
        (f"Zo{ESC}ë", "Zoë"),
        ("a \x9d0;title b", "a 0;title b"),  # 8-bit OSC
        ("a \x90payload b", "a payload b"),  # 8-bit DCS
        # Terminated: removed whole, as before.
        (f"a{ESC}X sos {ESC}\\b", "ab"),
        (f"a{ESC}]0;PWNED\x07b", "ab"),
        (f"a{ESC}]52;c;cHduZWQ={ESC}\\b", "ab"),
        (f"a{ESC}P1$r{ESC}\\b", "ab"),
        (f"a{ESC}^pm{ESC}\\b", "ab"),
        (f"a{ESC}_apc{ESC}\\b", "ab"),
        (f"a{ESC}[1;31mb{ESC}[0m", "ab"),
        (f"a{ESC}(Bb", "ab"),  # charset designation
        ("a\x9d0;t\x07b", "ab"),
        ("a\x90dcs\x9cb", "ab"),
        (f"{ESC}" * 40 + "q", ""),
    ],
)
def test_an_unterminated_sequence_loses_its_introducer_not_the_text_after_it(raw: str, clean: str) -> None:
    assert clean_note(raw) == clean
    assert "\x1b" not in strip_escapes(raw)


def test_stripping_is_linear_on_a_note_full_of_introducers() -> None:
    import time

    text = (f"{ESC}]x" * 300_000) + ("y" * 1000 + f"{ESC}X") * 300 + "\x90" * 300_000 + "\x9dz" * 300_000
    start = time.perf_counter()
    assert clean_note(text) == "x" * 300_000 + "y" * 300_000 + "z" * 300_000
    assert time.perf_counter() - start < 2.0

@pytest.mark.parametrize("bad", ["ada", "ada@", "@x.io", "a b@x.io", "ada@x", "a@b.c"])
def test_bad_emails_are_refused_naming_the_field(bad: str) -> None:
    with pytest.raises(Invalid, match=r"^email: .*name@example.com"):
        valid_email(bad)


@pytest.mark.parametrize("good", ["ada@example.com", "a.b+tag@sub.example.co.uk", ""])
def test_good_emails_pass(good: str) -> None:
    assert valid_email(good) == good


@pytest.mark.parametrize(("raw", "url"), [
    ("linkedin.com/in/ada", "https://linkedin.com/in/ada"),
    ("https://www.linkedin.com/in/ada/", "https://www.linkedin.com/in/ada/"),
])
def test_urls_get_a_scheme(raw: str, url: str) -> None:
    assert valid_url(raw) == url


@pytest.mark.parametrize("bad", ["javascript:alert(1)", "ftp://x.example", "not a url", "https://localhost"])
def test_bad_urls_are_refused(bad: str) -> None:
    with pytest.raises(Invalid, match=r"^url: "):
        valid_url(bad)


def test_phones() -> None:
    assert valid_phone("+1 (555) 010-0199 ext 12") == "+1 (555) 010-0199 ext 12"
    with pytest.raises(Invalid, match=r"^phone: "):
        valid_phone("call me")


def test_names_are_required_and_trimmed() -> None:
    assert make_draft("  Ada  ").name == "Ada"
    with pytest.raises(Invalid, match=r"^name: is empty"):
        make_draft(" \x1b[31m ")


def test_overlong_fields_say_the_limit() -> None:
    with pytest.raises(Invalid, match=r"^title: is 501 characters long; the limit is 500"):
        make_draft("Ada", title="x" * 501)


def test_tags_split_dedupe_and_lower() -> None:
    assert clean_tags(["FinTech, ai", "ai", " Data "]) == ("fintech", "ai", "data")


def test_company_key_folds_case_and_spaces() -> None:
    assert company_key("  ACME   Corp ") == company_key("acme corp")
