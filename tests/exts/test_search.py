from __future__ import annotations

from bot.core.search import WEAK_MATCH, SearchIndex, absent_words_note
from tests.exts.harness import EPHEMERAL, Harness, button, buttons


async def test_search_pages_through_matching_paragraphs(
    harness: Harness, index: SearchIndex
) -> None:
    # Each paragraph of § 1 has one of the words: the pages follow the index's ranking.
    ranked = [h.paragraph for h in index.passages("river bridge")]
    assert sorted(ranked) == [1, 2]
    first = await harness.answer(harness.slash("search", {"query": "river bridge"}))
    embed = first.data["embeds"][0]
    assert embed["title"] == f"§ 1 Opening Moves · ¶ {ranked[0]}"
    assert "result 1 of 2" in embed["footer"]["text"]
    assert all(b["label"] != "Context" for b in buttons(first.data))  # nothing was cut
    message = harness.message(first)
    other = harness.fake.add_member("other")
    refused = await harness.answer(harness.press(message, "Next", user=other))
    assert refused.data["flags"] & EPHEMERAL
    second = await harness.answer(harness.press(message, "Next"))
    assert second.data["embeds"][0]["title"] == f"§ 1 Opening Moves · ¶ {ranked[1]}"
    assert button(second.data, "Next")["disabled"] is True


async def test_search_without_match(harness: Harness) -> None:
    answer = await harness.answer(harness.slash("search", {"query": "xylophone"}))
    assert answer.data["flags"] & EPHEMERAL
    assert answer.data["content"].startswith("No passage matches “xylophone”.")


async def test_blank_query_is_refused(harness: Harness) -> None:
    answer = await harness.answer(harness.slash("search", {"query": "\u200b \u202e"}))
    assert answer.data["flags"] & EPHEMERAL
    assert answer.data["content"] == "Type a few words to search for."


async def test_a_weakly_matched_question_says_it_is_a_guess(
    harness: Harness, index: SearchIndex
) -> None:
    question = "what do you think of the bridge these days?"
    assert not index.passages(question)[0].confident
    first = (await harness.answer(harness.slash("search", {"query": question}))).data
    assert first["embeds"][0]["author"]["name"] == WEAK_MATCH


async def test_a_question_sharing_no_word_with_the_essay_names_the_absent_words(
    harness: Harness,
) -> None:
    question = "what did the soldiers eat in the trenches?"
    answer = await harness.answer(harness.slash("search", {"query": question}))
    assert answer.data["flags"] & EPHEMERAL
    assert answer.data["content"] == absent_words_note(["soldiers", "eat", "trenches"])
