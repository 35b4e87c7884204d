from __future__ import annotations

from bot.core.search import WEAK_MATCH, SearchIndex
from tests.exts.conftest import Harness
from tests.exts.harness import EPHEMERAL, OTHER_ID, button, buttons, option, press, slash


async def test_search_pages_through_matching_paragraphs(
    harness: Harness, index: SearchIndex
) -> None:
    # Each paragraph of § 1 has one of the words: the pages follow the index's ranking.
    ranked = [h.paragraph for h in index.passages("river bridge")]
    assert sorted(ranked) == [1, 2]
    payload = slash("search", option("query", "river bridge"))
    first = (await harness.answer(payload)).data
    assert first["embeds"][0]["title"] == f"§ 1 Opening Moves · ¶ {ranked[0]}"
    assert "result 1 of 2" in first["embeds"][0]["footer"]["text"]
    assert all(b["label"] != "Context" for b in buttons(first))  # nothing was cut
    message = harness.message(payload)
    refused = await harness.answer(
        press(message, button(first, "Next")["custom_id"], user_id=OTHER_ID)
    )
    assert refused.data["flags"] & EPHEMERAL
    second = await harness.answer(press(message, button(first, "Next")["custom_id"]))
    assert second.data["embeds"][0]["title"] == f"§ 1 Opening Moves · ¶ {ranked[1]}"
    assert button(second.data, "Next")["disabled"] is True


async def test_search_without_match(harness: Harness) -> None:
    callback = await harness.answer(slash("search", option("query", "xylophone")))
    assert callback.data["flags"] & EPHEMERAL
    assert callback.data["content"].startswith("No passage matches “xylophone”.")


async def test_blank_query_is_refused(harness: Harness) -> None:
    callback = await harness.answer(slash("search", option("query", "\u200b \u202e")))
    assert callback.data["flags"] & EPHEMERAL
    assert callback.data["content"] == "Type a few words to search for."


async def test_a_weakly_matched_question_says_it_is_a_guess(
    harness: Harness, index: SearchIndex
) -> None:
    question = "what do you think of the bridge these days?"
    assert not index.passages(question)[0].confident
    first = (await harness.answer(slash("search", option("query", question)))).data
    assert first["embeds"][0]["author"]["name"] == WEAK_MATCH
