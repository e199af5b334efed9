"""Issue 16 in the app: the filter takes a part of a company's name (several: it says which), and a new
person who looks like someone already there is offered to open that one instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from infoint_tui.domain.contacts import make_draft
from infoint_tui.domain.model import Filter
from infoint_tui.tui.screens.forms import ConfirmModal, ContactFormModal

from .conftest import ask, main_screen, settle

pytestmark = pytest.mark.both_backends  # the app on SQLite and on PostgreSQL

SIZE = (100, 30)


async def _filter_company(pilot, app, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("f")
    await settle(pilot)
    app.screen.query_one("#f-company", Input).value = text
    await pilot.press("enter")
    await settle(pilot)


async def test_the_filter_takes_part_of_a_company_name(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await _filter_company(pilot, app, "northwind")
        assert screen.flt.company == "Northwind Analytics"
        assert screen.contact_list.total == 3
        await ask(app, app.store.add, make_draft("X [b]", company="Northwind [red]Traders[/] Ltd"))
        await _filter_company(pilot, app, "analytics inc")
        assert screen.flt.company == "Northwind Analytics"
        await _filter_company(pilot, app, "north")
        messages = [str(n.message) for n in app._notifications]
        choices = "could be 2 companies: 'Northwind [red]Traders[/] Ltd', 'Northwind Analytics'"
        assert any(choices in m for m in messages)
        assert screen.flt.company == "Northwind Analytics"  # unchanged


async def test_a_look_alike_is_offered_instead_of_a_new_person(demo_path: Path, make_app) -> None:
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        [maya] = await ask(app, app.store.summaries, Filter(query="Maya Okafor"))
        before = await ask(app, app.store.count)
        for answer, added in (("y", 0), ("n", 1)):
            await pilot.press("n")
            await settle(pilot)
            assert isinstance(app.screen, ContactFormModal)
            await pilot.press(*"maya okafor", "tab", "tab", *"Northwind Analytics, Inc.")
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmModal)
            assert f"looks like #{maya.id} Maya Okafor" in str(app.screen.question)
            await pilot.press(answer)
            await settle(pilot)
            assert await ask(app, app.store.count) == before + added
            if answer == "y":
                assert main_screen(app).selected_id == maya.id


async def test_companies_and_people_are_merged_from_the_palette(demo_path: Path, make_app) -> None:
    from infoint_tui.tui.commands import ACTIONS
    from infoint_tui.tui.screens.forms import PairModal

    assert {"company_merge", "company_rename", "merge_person"} <= {a for _, _, a in ACTIONS}
    app = make_app(demo_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        await ask(app, app.store.add, make_draft("Zed", company="Northwind Traders"))
        await screen.run_action("company_merge")
        await settle(pilot)
        assert isinstance(app.screen, PairModal)
        app.screen.query_one("#f-first", Input).value = "north"
        app.screen.query_one("#f-second", Input).value = "analytics"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PairModal)  # "north" is two companies: said under the field
        assert "could be 2 companies" in str(app.screen.query_one("#e-first").render())
        app.screen.query_one("#f-first", Input).value = "traders"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, PairModal)
        assert len(await ask(app, app.store.summaries, Filter(company="Northwind Analytics"))) == 4

        await screen.run_action("company_rename")
        await settle(pilot)
        app.screen.query_one("#f-first", Input).value = "northwind"
        app.screen.query_one("#f-second", Input).value = "Northwind Group"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [c.name for c, _, _ in await ask(app, app.store.company_counts)
                if c.name.startswith("Northwind")] == ["Northwind Group"]

        [maya] = await ask(app, app.store.summaries, Filter(query="Maya Okafor"))
        twin = await ask(app, app.store.add, make_draft("Maya Okafor", company="Northwind Group"))
        screen.go_to(maya.id)
        await settle(pilot)
        before = await ask(app, app.store.count)
        await screen.run_action("merge_person")
        await settle(pilot)
        assert isinstance(app.screen, PairModal)
        assert app.screen.query_one("#f-second", Input).value == f"#{twin.id}"  # the look-alike, offered
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert await ask(app, app.store.count) == before - 1


def test_every_palette_command_is_an_action_of_the_main_screen() -> None:
    """The palette names undo, redo and the history (keys z, Z and H, kept out of the footer) too, and
    each of its commands runs an action the main screen has."""
    from infoint_tui.tui.commands import ACTIONS
    from infoint_tui.tui.screens.main import MainScreen

    actions = [a for _, _, a in ACTIONS]
    assert {"undo", "undo(True)", "history"} <= set(actions)
    assert [a for a in actions if not callable(getattr(MainScreen, "action_" + a.split("(")[0], None))] == []
