"""Prompts when several essays are loaded: a section is named in the server's current
essay, and a random draw is of that essay's prompts (and of those about no passage)."""

from __future__ import annotations

import random

import pytest

from bot.core.errors import InvalidInput
from bot.core.prompts import BuiltinPrompt, PromptService, PromptStore
from bot.core.search import SearchIndex
from tests.core.search.factories import document, library

GUILD = "1"
RIVERS, HILLS = "rivers", "hills"
BUILTINS = (
    BuiltinPrompt(f"{RIVERS}/ferry", RIVERS, 1, "Should the ferry keep running in winter?"),
    BuiltinPrompt(f"{HILLS}/shepherds", HILLS, 1, "Why do the shepherds sing at dusk?"),
)


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    rivers = document(
        [
            ("Ferries", ["A ferry crosses the wide river twice a day, even in winter."]),
            ("Floods", ["Spring floods cover the lower fields."]),
        ],
        doc_id=RIVERS,
        title="Rivers",
    )
    hills = document(
        [
            ("Upland Farms", ["Sheep graze on the high hills and shepherds sing at dusk."]),
            ("Winter Roads", ["Winter snow closes the passes for a month."]),
        ],
        doc_id=HILLS,
        title="Hills",
    )
    return SearchIndex.build(library(rivers, hills))


@pytest.fixture
def service(store: PromptStore, index: SearchIndex) -> PromptService:
    return PromptService(store, index, BUILTINS, rng=random.Random(3))


async def add(
    service: PromptService, text: str, section: str | None = None, essay: str | None = None
) -> tuple[str | None, int | None]:
    prompt, _ = await service.add(
        guild=GUILD, channel=None, author="7", text=text, section=section, essay=essay
    )
    return prompt.document, prompt.section


async def test_a_section_number_means_the_current_essays_section(service: PromptService) -> None:
    with pytest.raises(InvalidInput, match="Several essays have a section 1"):
        await add(service, "Is the crossing worth the fare?", section="1")
    assert await add(service, "Is the crossing worth the fare?", section="1", essay=HILLS) == (
        HILLS,
        1,
    )
    listed = await service.list(guild=GUILD, section="1", essay=HILLS)
    assert [p.text for p in listed] == ["Is the crossing worth the fare?"]


async def test_without_a_section_a_prompt_links_into_the_current_essay(
    service: PromptService,
) -> None:
    # Both essays mention winter: the same question links into whichever is current.
    for guild, essay in (("1", HILLS), ("2", RIVERS)):
        prompt, _ = await service.add(
            guild=guild, channel=None, author="7", text="What does winter change?", essay=essay
        )
        assert (prompt.document, prompt.section) == (essay, 2 if essay == HILLS else 1)


async def test_a_random_draw_keeps_to_the_current_essay(service: PromptService) -> None:
    await add(service, "Do floods help the fields in the end?", essay=RIVERS)
    hills_own = "Should shepherds be paid for their songs?"
    await add(service, hills_own, essay=HILLS)
    drawn = {
        (await service.random(guild=GUILD, channel=None, actor="7", essay=HILLS)).text
        for _ in range(40)
    }
    assert drawn == {hills_own, BUILTINS[1].text}
    # The log still lists every essay's prompts.
    assert len(await service.list(guild=GUILD, essay=HILLS)) == 2


async def test_prompts_about_no_passage_are_drawn_whatever_the_essay(
    service: PromptService,
) -> None:
    unlinked = "Is anything here worth arguing about at all?"
    assert await add(service, unlinked) == (None, None)
    drawn = {
        (await service.random(guild=GUILD, channel=None, actor="7", essay=RIVERS)).text
        for _ in range(40)
    }
    assert drawn == {unlinked, BUILTINS[0].text}
