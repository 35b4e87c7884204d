"""Prompts against the real essay and the real search index: links land where readers expect."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.errors import NotFound
from bot.core.model import Document, Library
from bot.core.prompts import PromptService, PromptStore, load_builtin_prompts
from bot.core.search import SearchIndex

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def index(library: Library) -> SearchIndex:
    return SearchIndex.build(library)


@pytest.fixture
def service(store: PromptStore, index: SearchIndex) -> PromptService:
    builtins, _ = load_builtin_prompts(SEEDS)
    return PromptService(store, index, builtins)


async def test_every_built_in_prompt_is_kept_and_linked(
    service: PromptService, essay: Document
) -> None:
    builtins, _ = load_builtin_prompts(SEEDS)
    assert len(service.builtins) == len(builtins)
    for prompt in service.builtins:
        assert prompt.paragraph is not None
        assert prompt.paragraph <= len(essay.section(prompt.section).paragraphs)


async def test_a_prompt_links_to_the_passage_it_is_about(
    service: PromptService, essay: Document
) -> None:
    # the words come from the essay itself, so the test holds for any essay
    section = essay.sections[-2]
    paragraph = section.paragraphs[1]
    text = f"What do you make of this: {paragraph.sentences[0][:200]}?"
    prompt, created = await service.add(guild="1", channel=None, author="2", text=text)
    assert created
    assert (prompt.document, prompt.section, prompt.paragraph) == (
        essay.id,
        section.number,
        paragraph.number,
    )


def test_sections_resolve_by_number_and_by_title(service: PromptService, essay: Document) -> None:
    last = essay.sections[-1]
    assert service.resolve_section(str(last.number)) == (essay.id, last.number)
    assert service.resolve_section(last.title.lower()) == (essay.id, last.number)
    with pytest.raises(NotFound, match=f"sections run from 1 to {len(essay.sections)}"):
        service.resolve_section(str(len(essay.sections) + 1))
