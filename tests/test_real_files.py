"""Issue 17: what phones, Outlook, Google and LinkedIn really write, and exports that never clobber.

Fixtures in tests/fixtures are written from the published formats and the quirks the issue lists
(no one's real data): android_21.vcf (vCard 2.1, quoted-printable with soft line breaks, CHARSET
UTF-8 and ISO-8859-1, bare type params, a broken card, a base64 photo), gmail_apple.vcf (escaped
URL colons, 4.0 tel: URIs), outlook.csv and outlook_utf16.csv, linkedin_imported_contacts*.csv,
latin1.csv.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from infoint_tui.cli import main
from infoint_tui.domain.contacts import make_draft
from infoint_tui.domain.model import Filter, PersonRecord
from infoint_tui.exchange import readers, writers
from infoint_tui.exchange.files import OutputError, OutputExists, write_private
from infoint_tui.exchange.load import load_file
from infoint_tui.exchange.markdown import dossier
from infoint_tui.store import Store
from infoint_tui.store.demo import seed_demo

pytestmark = pytest.mark.both_backends  # every test with a database runs on SQLite and on PostgreSQL

FIX = Path(__file__).parent / "fixtures"


# --- vCard ---------------------------------------------------------------------------------------

def test_vcard_21_quoted_printable_charsets_and_bare_params() -> None:
    loaded = load_file(FIX / "android_21.vcf")
    jose, rene, broken, dana = loaded.records
    assert loaded.fmt == "vcard"
    assert (jose.name, jose.company, jose.title) == ("José Núñez", "Café Sistemas S.L.", "Data Lead")
    assert jose.phone == "+34 600 000 001"  # TEL;CELL;PREF wins over the later work phone
    assert jose.email == "jose@cafe-sistemas.example"
    assert jose.notes == ("Met at the Ñuñoa meetup; asked about\r\nthe data team. Follow up in Márch.",)
    assert jose.url == "http://www.linkedin.com/in/jose-nunez-example"  # http\:// unescaped
    assert (rene.name, rene.phone) == ("René Müller", "030 0000 0003")  # CHARSET=ISO-8859-1
    assert (dana.name, dana.email, dana.line) == ("Dana Lee", "dana@lotus.example", 27)  # after a base64 photo
    assert broken.line == 21
    assert "line 25: '=20=C3=91this line has no pr" in broken.error


def test_a_broken_card_is_skipped_and_the_rest_come_in(db_path: Path, capsys) -> None:
    assert main(["--db", str(db_path), "import", str(FIX / "android_21.vcf"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["added"] == 3
    [skip] = out["skipped"]
    assert skip["line"] == 21
    assert skip["reason"].startswith("the card cannot be read (line 25")


def test_vcard_4_tel_uris_and_escaped_urls() -> None:
    sam, ola = load_file(FIX / "gmail_apple.vcf").records
    assert (sam.phone, sam.email, sam.url) == ("+1-555-0105", "sam@gmail-example.example",
                                               "https://www.linkedin.com/in/samrivera-example")
    assert ola.url == "http://ola.example/blog"
    assert readers._tel("tel:+1-555-0106;ext=12") == "+1-555-0106 ext 12"


def test_vcard_export_splits_names_properly_and_round_trips_without_changes(store: Store) -> None:
    store.add(make_draft("Dr. Jane van der Berg Jr.", company="Acme", phone="+1 555 0100", tags=["x;y", "pm"]))
    store.add(make_draft("Madonna"))
    text = writers.to_vcard([store.contact(i) for i in store.all_ids()])
    assert "N:van der Berg;Jane;;Dr.;Jr." in text
    assert "N:;Madonna;;;" in text
    records = readers.read_vcard(text)
    report = store.import_people(records)
    assert (report.added, report.updated, report.unchanged) == (0, 0, 2)
    assert all(not store.detail(i).notes for i in store.all_ids())  # the stage NOTE is not read back as a note


# --- CSV dialects --------------------------------------------------------------------------------

def test_outlook_csv() -> None:
    loaded = load_file(FIX / "outlook.csv")
    harriet, omar = loaded.records
    assert (harriet.name, harriet.title, harriet.company) == ("Harriet Quill", "VP Research", "Fabrikam Example Ltd")
    assert (harriet.email, harriet.phone) == ("harriet.quill@fabrikam.example", "+44 113 496 0000")
    assert harriet.address == "1 Harbour Way, Leeds, United Kingdom"
    assert harriet.url == "https://www.linkedin.com/in/harriet-quill-example"
    assert harriet.tags == ("Research", "Target")
    assert harriet.notes == ("Prefers mornings",)
    assert (omar.phone, omar.email) == ("+1 555 0107", "omar@contoso.example")  # Mobile Phone, E-mail Address
    assert loaded.ignored_columns == ("Birthday", "Assistant's Name")  # "Title" (Dr.) is known, not kept


def test_linkedin_imported_contacts_both_spellings() -> None:
    lena, kofi = load_file(FIX / "linkedin_imported_contacts.csv").records
    assert (lena.name, lena.title, lena.email, lena.phone) == ("Lena Vogel", "Product Designer",
                                                               "lena@vogel.example", "+49 30 000000")
    assert kofi.phone == "+233 20 000 0000"
    old = load_file(FIX / "linkedin_imported_contacts_old.csv")
    [lena2] = old.records
    assert (lena2.company, lena2.phone) == ("Vogel Design Example", "+49 30 000000")
    assert old.ignored_columns == ("Created At",)


def test_google_current_has_no_ignored_columns_and_import_lists_them(db_path: Path, capsys) -> None:
    assert load_file(FIX / "google_current.csv").ignored_columns == ()
    assert main(["--db", str(db_path), "import", str(FIX / "outlook.csv")]) == 0
    out = capsys.readouterr().out
    assert "2 added" in out
    assert "ignored columns: Birthday, Assistant's Name" in out


def test_alias_table_is_one_table_without_duplicates() -> None:
    seen: dict[str, str] = {}
    for field, aliases in readers.ALIASES.items():
        for alias in aliases:
            assert seen.setdefault(alias, field) == field, (alias, field, seen[alias])


# --- encodings -----------------------------------------------------------------------------------

def test_utf16_and_latin1_files_are_read_and_say_how(db_path: Path, capsys) -> None:
    utf16 = load_file(FIX / "outlook_utf16.csv")
    assert utf16.encoding == "utf-16"
    assert next(iter(utf16.records)).name == "Hérmione Quill"
    latin = load_file(FIX / "latin1.csv")
    assert latin.encoding == "cp1252"
    assert [(r.name, r.company) for r in latin.records] == [("José Núñez", "Café Zürich"),
                                                            ("René Müller", "Straße Example GmbH")]
    assert main(["--db", str(db_path), "import", str(FIX / "latin1.csv"), "--dry-run"]) == 0
    assert "(csv, read as cp1252)" in capsys.readouterr().out


def test_a_wrong_encoding_is_refused_with_a_message(tmp_path: Path) -> None:
    with pytest.raises(readers.FormatError, match=r"latin1.csv: is not utf-8 .*give another --encoding"):
        load_file(FIX / "latin1.csv", encoding="utf-8")
    with pytest.raises(readers.FormatError, match="'klingon' is not an encoding"):
        load_file(FIX / "latin1.csv", encoding="klingon")
    assert next(iter(load_file(FIX / "latin1.csv", encoding="latin-1").records)).name == "José Núñez"


def test_unclear_encodings_are_refused_naming_the_likely_one(monkeypatch: pytest.MonkeyPatch) -> None:
    class Guess:
        def __init__(self, enc: str, text: str) -> None:
            self.encoding, self.chaos, self._text = enc, 0.0, text

        def __str__(self) -> str:
            return self._text

    import charset_normalizer

    monkeypatch.setattr(charset_normalizer, "from_bytes",
                        lambda raw: [Guess("cp1250", "a"), Guess("cp1257", "b")])
    with pytest.raises(readers.FormatError, match=r"x.csv: is not UTF-8 \(line 1\); it looks like cp1250, cp1257. "
                                                  r"Save it as UTF-8, or give --encoding cp1250."):
        readers.decode(b"Name\xe9", "x.csv")


# --- round trips ---------------------------------------------------------------------------------

def test_csv_export_imports_back_with_zero_changes(tmp_path: Path, db_path: Path, capsys) -> None:
    store = Store.open(db_path)
    seed_demo(store)
    store.add(make_draft("Ada Guard", phone="+44 20 7946 0001", title="-Lead", tags=["x;y", "z"]))
    store.close()
    out = tmp_path / "people.csv"
    assert main(["--db", str(db_path), "export", "csv", "-o", str(out)]) == 0
    assert "'+44 20 7946 0001" in out.read_text()
    assert main(["--db", str(db_path), "import", str(out), "--json"]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_path), "import", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["added"], report["updated"], report["warnings"], report["skipped"]) == (0, 0, [], [])
    other = Store.open(tmp_path / "other.sqlite3")
    assert other.import_people(load_file(out).records).warnings == ()
    [ada] = other.summaries(Filter(query="guard"))
    c = other.contact(ada.id)
    assert (c.phone, c.title, c.tags) == ("+44 20 7946 0001", "-Lead", ("x;y", "z"))
    other.close()


def test_import_json_prints_the_same_keys_as_other_imports(tmp_path: Path, db_path: Path, capsys) -> None:
    src = tmp_path / "src.sqlite3"
    assert main(["--db", str(src), "demo"]) == 0
    assert main(["--db", str(src), "export", "json", "-o", str(tmp_path / "all.json")]) == 0
    assert main(["--db", str(db_path), "import", str(FIX / "generic.csv"), "--json"]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_path), "import", str(FIX / "generic.csv"), "--json"]) == 0
    csv_keys = set(json.loads(capsys.readouterr().out))
    assert main(["--db", str(tmp_path / "new.sqlite3"), "import", str(tmp_path / "all.json"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == csv_keys
    assert data["added"] == 40
    assert "ignored_columns" in data


# --- export safety -------------------------------------------------------------------------------

def test_write_private_refuses_existing_files_links_missing_folders_and_folders(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    assert write_private(f, "one") == f
    assert stat.S_IMODE(f.stat().st_mode) == 0o600
    with pytest.raises(OutputExists, match=r"a.txt already exists; add --force"):
        write_private(f, "two")
    assert f.read_text() == "one"
    write_private(f, "two", force=True)
    assert f.read_text() == "two"
    assert stat.S_IMODE(f.stat().st_mode) == 0o600
    target = tmp_path / "target.txt"
    target.write_text("keep")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    for force in (False, True):
        with pytest.raises(OutputError, match="is a symbolic link"):
            write_private(link, "evil", force=force)
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "nowhere.txt")
    with pytest.raises(OutputError, match="is a symbolic link"):
        write_private(dangling, "evil")
    assert target.read_text() == "keep"
    assert not (tmp_path / "nowhere.txt").exists()
    with pytest.raises(OutputError, match=r"the folder .*missing does not exist"):
        write_private(tmp_path / "missing" / "x.txt", "x")
    with pytest.raises(OutputError, match="is a folder; give a file name"):
        write_private(tmp_path, "x")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


@pytest.mark.parametrize("argv", [["export", "csv"], ["dossier", "Northwind Analytics"], ["draft", "1"]])
def test_cli_outputs_refuse_to_clobber_and_write_stdout_with_a_dash(tmp_path: Path, argv: list[str],
                                                                    monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    db = ["--db", str(tmp_path / "d.sqlite3")]
    assert main([*db, "demo"]) == 0
    out = tmp_path / "out.txt"
    out.write_text("precious")
    capsys.readouterr()
    assert main([*db, *argv, "-o", str(out)]) == 1
    assert "out.txt already exists; add --force" in capsys.readouterr().err
    assert out.read_text() == "precious"
    assert main([*db, *argv, "-o", str(out), "--force"]) == 0
    assert out.read_text() != "precious"
    assert main([*db, *argv, "-o", str(tmp_path / "no" / "x.txt")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "the folder" in err
    assert "does not exist" in err
    assert main([*db, *argv, "-o", str(tmp_path)]) == 1
    assert "is a folder" in capsys.readouterr().err
    monkeypatch.chdir(tmp_path)
    assert main([*db, *argv, "-o", "-"]) == 0
    assert capsys.readouterr().out.strip()
    assert not (tmp_path / "-").exists()


# --- Markdown ------------------------------------------------------------------------------------

def test_a_note_line_starting_with_hash_is_not_a_heading(store: Store) -> None:
    c = store.add(make_draft("Ada", company="Engines"))
    store.add_note(c.id, "# not a heading\nplain\n---\n```")
    name, people = store.company_people("Engines")
    md = dossier(name, people, [], store.clock())
    assert "> \\# not a heading" in md
    assert "> \\---" in md
    assert "> \\```" in md
    assert "\n# not" not in md
    assert "\n> # " not in md


# --- matching on re-import -----------------------------------------------------------------------

def _rec(line: int, name: str, **kw: str) -> PersonRecord:
    return PersonRecord(line, name, **kw)


def test_case_and_format_only_differences_are_not_updates(store: Store) -> None:
    first = [_rec(2, "Sol Reyes", company="Self-Employed", title="Data  Consultant", phone="+1 415-555-0100")]
    assert store.import_people(first).added == 1
    [sol] = store.all_ids()
    events = len(store.detail(sol).history)
    again = [_rec(2, "Sol Reyes", company="Self-employed", title="data consultant", phone="+1 (415) 555 0100")]
    for _ in range(3):
        report = store.import_people(again)
        assert (report.added, report.updated, report.unchanged) == (0, 0, 1)
    assert len(store.detail(sol).history) == events
    assert store.contact(sol).company == "Self-Employed"


def test_same_name_different_people_are_not_merged_and_phones_do_not_flip(store: Store) -> None:
    rows = [_rec(2, "Alex Kim", phone="+1 555 0101"), _rec(3, "Alex Kim", phone="+1 555 0102")]
    report = store.import_people(rows)
    assert report.added == 2
    assert report.warnings == ((3, "added as a new person: possible duplicate of line 2 (same name, nothing "
                                   "shared); merge by hand if it is one person"),)
    for _ in range(3):
        again = store.import_people(rows)
        assert (again.added, again.updated, again.unchanged, again.warnings) == (0, 0, 2, ())
    phones = sorted(store.contact(i).phone for i in store.all_ids())
    assert phones == ["+1 555 0101", "+1 555 0102"]
    assert all(e.kind.value != "edited" for i in store.all_ids() for e in store.detail(i).history)


def test_a_namesake_with_another_email_is_someone_new_with_a_warning(store: Store) -> None:
    known = store.add(make_draft("Sam Lee", company="Acme", email="sam@acme.example"))
    report = store.import_people([_rec(4, "Sam Lee", company="Acme", email="sam.lee@other.example")])
    assert report.added == 1
    assert report.warnings == (
        (4, f"added as a new person: possible duplicate of #{known.id} (same name, nothing shared); merge by "
            "hand if it is one person"),)
    # nothing to tell them apart and the same company: the same person, filled in
    report = store.import_people([_rec(5, "Sam Lee", company="ACME", title="CTO")])
    assert (report.added, report.updated) == (0, 1)
    assert store.contact(known.id).title == "CTO"
