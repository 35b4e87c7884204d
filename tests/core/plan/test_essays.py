"""One essay at a time per server: which essay look-ups answer from, and the choice kept."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bot.core.errors import Forbidden, InvalidInput, NotFound
from bot.core.plan.service import PlanService
from bot.core.plan.store import PlanStore
from bot.core.prompts import PromptService, PromptStore
from bot.core.search import SearchIndex
from tests.core.plan.test_service import start
from tests.core.search.factories import document, library
from tests.core.test_prompts import make_library


def shelf() -> SearchIndex:
    """The test essay (three sections) and a second one (two), both with a § 1."""
    other = document(
        [
            ("Harbour Nights", ["Ships came at night and the lamps guided them home."]),
            ("Dawn Tides", ["The tide turned at dawn and the nets came up full."]),
        ],
        doc_id="harbour",
        title="The Harbour",
    )
    return SearchIndex.build(library(*make_library().documents, other))


@pytest.fixture
def plans(db: PromptStore) -> PlanService:
    index = shelf()
    return PlanService(PlanStore(db), index, PromptService(db, index, rng=random.Random(1)))


async def test_with_several_essays_none_is_current_until_chosen(plans: PlanService) -> None:
    assert await plans.current_essay("G1") is None
    assert await plans.scope("G1", None) is None  # every essay is searched
    assert await plans.scope("G1", "the harbour") == "harbour"  # by title, any case
    with pytest.raises(NotFound, match="No essay is called 'moon'"):
        await plans.scope("G1", "moon")
    with pytest.raises(Forbidden):
        await plans.choose_essay(guild="G1", moderator=False, essay="harbour")
    chosen = await plans.choose_essay(guild="G1", moderator=True, essay="harbour")
    assert chosen.id == "harbour"
    assert await plans.scope("G1", None) == "harbour"
    assert await plans.scope("G2", None) is None  # per server
    assert await plans.scope(None, None) is None  # a DM


async def test_starting_a_plan_makes_its_essay_current(plans: PlanService) -> None:
    await plans.choose_essay(guild="G1", moderator=True, essay="harbour")
    await start(plans, essay="test-essay")
    assert await plans.scope("G1", None) == "test-essay"
    view = await plans.show("G1")
    assert view.current_essay == "test-essay"
    await plans.choose_essay(guild="G1", moderator=True, essay="harbour")  # the latest wins
    assert (await plans.show("G1")).current_essay == "harbour"


async def test_with_one_essay_it_is_always_current(db: PromptStore) -> None:
    index = SearchIndex.build(make_library())
    plans = PlanService(PlanStore(db), index, PromptService(db, index))
    assert await plans.scope("G1", None) == "test-essay"
    assert await plans.scope(None, None) == "test-essay"


def test_the_index_answers_from_one_essay_when_asked() -> None:
    index = shelf()
    with pytest.raises(InvalidInput, match="Several essays have a section 1"):
        index.resolve_section("1")
    assert index.resolve_section("1", document="harbour").title == "Harbour Nights"
    assert index.resolve_section("§ 1", document="test-essay").title == "Opening Remarks"
    with pytest.raises(NotFound, match="sections run from 1 to 2"):
        index.resolve_section("3", document="harbour")
    assert {h.document for h in index.quotes("ships night lamps", document="test-essay")} <= {
        "test-essay"
    }
    assert {h.document for h in index.quotes("ships night lamps", document="harbour")} == {
        "harbour"
    }
    assert all(h.document == "harbour" for h in index.sections("tide", document="harbour"))


async def test_the_choice_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    first = await PromptStore.open(path)
    await PlanStore(first).set_essay("G1", "harbour")
    await first.close()
    again = await PromptStore.open(path)
    try:
        assert await PlanStore(again).essay("G1") == "harbour"
        assert await PlanStore(again).spoiler_guard("G1") is True  # the default, untouched
    finally:
        await again.close()
