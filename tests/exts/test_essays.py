"""One essay at a time per server: look-ups answer from the server's current essay, an
``essay`` option looks elsewhere, and /about and /plan show say which is current."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.model import Document
from tests.core.search.factories import document
from tests.exts.documents import make_document
from tests.exts.harness import AUTOCOMPLETE_RESULT, EPHEMERAL, Harness, bot_over
from tests.exts.test_plan import START, channel_of
from tests.fakediscord import FakeDiscord
from tests.fakediscord.objects import JSON

HILLS = "Songs of the Hills"


def hills() -> Document:
    return document(
        [
            ("Upland Farms", ["Sheep graze on the high hills. Shepherds sing at dusk."]),
            ("Winter Roads", ["Snow closes the passes. The river freezes for a month."]),
            ("Spring Markets", ["Wool is sold in the valley towns each spring."]),
        ],
        doc_id="hills",
        title=HILLS,
    )


@pytest.fixture
async def shelf(tmp_path: Path, fake: FakeDiscord) -> AsyncIterator[Harness]:
    """A bot with two essays loaded: the rivers (2 sections) and the hills (3)."""
    async with bot_over(tmp_path / "shelf", fake, make_document(), hills()) as h:
        yield h


async def ask(
    harness: Harness, path: str, options: dict[str, object] | None = None, **kw: object
) -> JSON:
    return await harness.final(await harness.answer(harness.slash(path, options, **kw)))


async def test_without_a_current_essay_a_shared_number_is_ambiguous_then_the_choice_answers(
    shelf: Harness,
) -> None:
    refused = await ask(shelf, "section", {"name": "1"})
    assert refused["flags"] & EPHEMERAL
    assert "Several essays have a section 1" in refused["content"]
    about = await ask(shelf, "about")
    assert "None chosen" in _field(about, "Current essay here")

    chosen = await ask(shelf, "plan-admin essay", {"essay": "hills"}, user=shelf.fake.moderator)
    assert chosen["content"] == f"This server now reads “{HILLS}”: look-ups answer from it."

    section = await ask(shelf, "section", {"name": "1"})
    assert "Upland Farms" in section["embeds"][0]["title"]
    other = await ask(shelf, "section", {"name": "1", "essay": "doc"})
    assert "Opening Moves" in other["embeds"][0]["title"]
    assert _field(await ask(shelf, "about"), "Current essay here") == f"{HILLS} (hills)"

    # /quote and /search look in the current essay only, unless asked elsewhere.
    searched = await ask(shelf, "search", {"query": "river"})
    assert "Winter Roads" in searched["embeds"][0]["title"]
    searched = await ask(shelf, "search", {"query": "river", "essay": "doc"})
    assert "Opening Moves" in searched["embeds"][0]["title"]
    quoted = await ask(shelf, "quote", {"query": "river"})
    assert quoted["embeds"][0]["footer"]["text"].startswith(HILLS)


async def test_starting_a_plan_makes_its_essay_current_and_plan_show_says_so(
    shelf: Harness,
) -> None:
    payload = shelf.slash(
        "plan-admin start",
        {"channel": channel_of(shelf), **START, "essay": "hills"},
        user=shelf.fake.moderator,
    )
    await shelf.final(await shelf.answer(payload))
    section = await ask(shelf, "section", {"name": "3"})
    assert "Spring Markets" in section["embeds"][0]["title"]
    listed = await ask(shelf, "plan show")
    assert "Current essay here: hills" in listed["embeds"][0]["description"]


async def test_the_essay_option_is_autocompleted_and_an_unknown_one_refused(
    shelf: Harness,
) -> None:
    typed = await shelf.answer(shelf.typing("section", "essay", {"name": "1", "essay": "hil"}))
    assert typed.type == AUTOCOMPLETE_RESULT
    assert typed.data["choices"] == [{"name": HILLS, "value": "hills"}]
    # The section names offered are the current essay's, or those of the essay typed.
    await ask(shelf, "plan-admin essay", {"essay": "hills"}, user=shelf.fake.moderator)
    offered = await shelf.answer(shelf.typing("section", "name", {"name": ""}))
    assert [c["value"] for c in offered.data["choices"]] == [
        "Upland Farms",
        "Winter Roads",
        "Spring Markets",
    ]
    elsewhere = await shelf.answer(shelf.typing("section", "name", {"name": "", "essay": "doc"}))
    assert [c["value"] for c in elsewhere.data["choices"]] == ["Opening Moves", "Harbour Lights"]
    quotes = await shelf.answer(shelf.typing("quote", "query", {"query": "river"}))
    assert quotes.data["choices"]
    assert all("Shepherds" in c["value"] or "river" in c["value"] for c in quotes.data["choices"])
    assert not any("Nobody asked" in c["value"] for c in quotes.data["choices"])  # other essay
    refused = await ask(shelf, "quote", {"query": "river", "essay": "moon"})
    assert refused["flags"] & EPHEMERAL
    assert refused["content"].startswith("No essay is called 'moon'")


async def test_prompt_sections_are_the_current_essays(shelf: Harness) -> None:
    """``/prompt add|random|list section:`` name a section of the server's current essay."""
    text = "Why would shepherds sing rather than shout?"
    refused = await ask(shelf, "prompt add", {"text": text, "section": "1"})
    assert "Several essays have a section 1" in refused["content"]
    await ask(shelf, "plan-admin essay", {"essay": "hills"}, user=shelf.fake.moderator)
    offered = await shelf.answer(
        shelf.typing("prompt add", "section", {"text": text, "section": ""})
    )
    assert [c["value"] for c in offered.data["choices"]] == [
        "Upland Farms",
        "Winter Roads",
        "Spring Markets",
    ]
    added = await ask(shelf, "prompt add", {"text": text, "section": "1"})
    assert added["content"] == "Added as prompt #1."
    assert "Upland Farms" in _field(added, "About")
    listed = await ask(shelf, "prompt list", {"section": "1"})
    assert [f["name"] for f in listed["embeds"][0]["fields"]] == ["#1 · § 1"]


def _field(message: JSON, name: str) -> str:
    (field,) = [f for f in message["embeds"][0]["fields"] if f["name"] == name]
    return str(field["value"])
