from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.ui import views
from tests.exts.documents import long_document
from tests.exts.harness import (
    CHANNEL_MESSAGE,
    EPHEMERAL,
    UPDATE_MESSAGE,
    Harness,
    bot_over,
    button,
    buttons,
)
from tests.fakediscord import FakeDiscord


@pytest.fixture
async def long_harness(tmp_path: Path, fake: FakeDiscord) -> AsyncIterator[Harness]:
    async with bot_over(tmp_path / "long", fake, long_document()) as h:
        yield h


async def test_section_by_number_shows_its_paragraphs(harness: Harness) -> None:
    answer = await harness.answer(harness.slash("section", {"name": "2"}))
    assert answer.type == CHANNEL_MESSAGE
    (embed,) = answer.data["embeds"]
    assert embed["title"] == "§ 2 Harbour Lights"
    assert embed["description"] == "**¶ 1** Ships came at night. Lamps guided them."
    assert buttons(answer.data) == []  # one page: nothing to press


async def test_long_section_pages_within_limits_and_cuts_at_a_sentence(
    long_harness: Harness,
) -> None:
    h = long_harness
    first = await h.answer(h.slash("section", {"name": "deep"}))
    (embed,) = first.data["embeds"]
    assert len(embed["description"]) <= 4096
    assert embed["description"].endswith("salt.…")  # a whole sentence, then the ellipsis
    assert button(first.data, "Context")["disabled"] is False
    assert button(first.data, "Previous")["disabled"] is True
    pages = 1
    data = first.data
    while not button(data, "Next")["disabled"]:
        update = await h.answer(h.press(h.message(first), "Next"))
        assert update.type == UPDATE_MESSAGE
        data = update.data
        pages += 1
        size = sum(len(data["embeds"][0].get(k, "")) for k in ("title", "description"))
        assert size + len(data["embeds"][0]["footer"]["text"]) <= 6000
    assert pages > 2
    assert f"page {pages} of {pages}" in data["embeds"][0]["footer"]["text"]


async def test_context_shows_the_whole_cut_paragraph_privately(long_harness: Harness) -> None:
    h = long_harness
    first = await h.answer(h.slash("section", {"name": "deep"}))
    other = h.fake.add_member("other")
    context = await h.answer(h.press(h.message(first), "Context", user=other))
    assert context.data["flags"] & EPHEMERAL
    assert len(context.data["embeds"][0]["description"]) <= 4096


async def test_unknown_section_suggests_names(harness: Harness) -> None:
    answer = await harness.answer(harness.slash("section", {"name": "nowhere"}))
    assert answer.data["flags"] & EPHEMERAL
    assert answer.data["content"].startswith("No section matches “nowhere”.")


async def test_a_section_number_out_of_range_says_which_exist(harness: Harness) -> None:
    answer = await harness.answer(harness.slash("section", {"name": "§ 9"}))
    assert answer.data["flags"] & EPHEMERAL
    assert answer.data["content"] == "There is no section 9; sections run from 1 to 2."


async def test_a_live_view_answers_its_own_press_once(long_harness: Harness) -> None:
    h = long_harness
    first = await h.answer(h.slash("section", {"name": "deep"}))
    turn = await h.answer(h.press(h.message(first), "Next"))
    assert turn.type == UPDATE_MESSAGE
    # Another page turn answered means every task of the first one has run its course.
    await h.answer(h.press(h.message(first), "Next"))
    callbacks = [r for r in h.fake.requests if r.path.endswith(f"/{turn.record.token}/callback")]
    assert len(callbacks) == 1
    assert h.fake.rejected == []


async def test_buttons_are_disabled_when_the_view_times_out(
    long_harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "VIEW_TIMEOUT", 0.2)
    h = long_harness
    first = await h.answer(h.slash("section", {"name": "deep"}))
    await h.fake.wait_until(lambda: all(b["disabled"] for b in buttons(h.message(first))))
    assert buttons(h.message(first))
    assert h.fake.rejected == []


async def test_section_autocomplete(harness: Harness) -> None:
    answer = await harness.answer(harness.typing("section", "name", {"name": "har"}))
    (choice,) = answer.data["choices"]
    assert choice == {"name": "§ 2 · Harbour Lights", "value": "Harbour Lights"}
    chosen = await harness.answer(harness.slash("section", {"name": choice["value"]}))
    assert chosen.data["embeds"][0]["title"] == "§ 2 Harbour Lights"


async def test_section_autocomplete_respects_discords_limits(crowded_harness: Harness) -> None:
    answer = await crowded_harness.answer(crowded_harness.typing("section", "name", {"name": ""}))
    found = answer.data["choices"]
    assert len(found) == 25  # of 30 sections
    assert all(1 <= len(c["name"]) <= 100 and 1 <= len(c["value"]) <= 100 for c in found)
    assert found[0]["name"].startswith("§ 1 · Crossing number 1,")
    assert found[0]["name"].endswith("…")
