"""Company keys and names (issue 16): what folds, what a part of a name picks, what look-alikes are."""

import pytest

from infoint_tui.domain.companies import CompanyRef, duplicate_pairs, look_alikes, pick_company
from infoint_tui.domain.errors import Invalid
from infoint_tui.domain.text import company_key


@pytest.mark.parametrize(("name", "key"), [
    ("Northwind Analytics, Inc.", "northwind analytics"), ("NORTHWIND  analytics LLC", "northwind analytics"),
    ("Société Générale S.A.", "societe generale"), ("Acme GmbH", "acme"), ("Foo B.V.", "foo"),
    ("Bar Pty Ltd", "bar"), ("Baz PLC", "baz"), ("Qux AG", "qux"), ("Acme Corp.", "acme"), ("Acme Co.", "acme"),
    ("Acme SAS", "acme"), ("Inc", "inc"), ("!!!", "!!!"), ("AT&T", "at t"),
])
def test_company_keys_fold_case_accents_punctuation_and_suffixes(name: str, key: str) -> None:
    assert company_key(name) == key


def test_a_part_of_a_name_picks_one_company_or_names_the_choices() -> None:
    refs = [CompanyRef(1, "Northwind Analytics", "northwind analytics"),
            CompanyRef(2, "Northwind Traders", "northwind traders"), CompanyRef(3, "Northwind", "northwind")]
    assert pick_company("northwind", refs) == refs[2]  # the exact key wins over parts
    assert pick_company("Analytics, Inc.", refs) == refs[0]
    assert pick_company("globex", refs) is None
    with pytest.raises(Invalid, match="'Northwind Analytics', 'Northwind Traders'"):
        pick_company("north", refs[:2])


def test_look_alikes_and_pairs() -> None:
    people = [{"id": 1, "name": "Ada Lovelace", "company": "Acme", "email": "ada@x.io"},
              {"id": 2, "name": "ADA LOVELACE", "company": "Acme Inc."},
              {"id": 3, "name": "Bob", "email": "Ada@X.io"},
              {"id": 4, "name": "Ada Lovelace", "company": "Globex"}]
    assert duplicate_pairs(people) == [(1, 2, "same name at the same company"), (1, 3, "same e-mail")]
    assert look_alikes({"name": "Zed", "url": "linkedin.com/in/ada"},
                       [{"id": 9, "name": "A", "url": "https://www.linkedin.com/in/ada/"}]) == [(9, "same profile URL")]
