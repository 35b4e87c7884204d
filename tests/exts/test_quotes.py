from __future__ import annotations

from tests.exts.harness import (
    AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE,
    EPHEMERAL,
    UPDATE_MESSAGE,
    Harness,
    button,
)


async def test_quote_answers_publicly_with_speaker_citation_and_buttons(harness: Harness) -> None:
    answer = await harness.answer(harness.slash("quote", {"query": "river"}))
    assert answer.type == CHANNEL_MESSAGE
    data = answer.data
    assert data["allowed_mentions"] == {"parse": []}
    assert not data.get("flags", 0) & EPHEMERAL
    (embed,) = data["embeds"]
    assert embed["description"] == "“Nobody asked the river.”"
    assert embed["author"]["name"] == "Ada Lovell"
    assert embed["footer"]["text"] == "A Tale of Two Rivers · § 1 Opening Moves · ¶ 1"
    assert button(data, "Context")["disabled"] is False
    assert button(data, "More")["label"] == "More (1/2)"


async def test_more_steps_to_the_next_result_and_back(harness: Harness) -> None:
    first = await harness.answer(harness.slash("quote", {"query": "river"}))
    update = await harness.answer(harness.press(harness.message(first), "More"))
    assert update.type == UPDATE_MESSAGE
    (embed,) = update.data["embeds"]
    assert embed["author"]["name"] == "the author"  # a passage, not a quote by someone
    assert button(update.data, "More")["disabled"] is True
    back = await harness.answer(harness.press(harness.message(first), "Previous"))
    assert back.data["embeds"][0]["author"]["name"] == "Ada Lovell"


async def test_only_the_invoker_pages_but_anyone_reads_the_context(harness: Harness) -> None:
    first = await harness.answer(harness.slash("quote", {"query": "river"}))
    message = harness.message(first)
    other = harness.fake.add_member("other")
    refused = await harness.answer(harness.press(message, "More", user=other))
    assert refused.type == CHANNEL_MESSAGE
    assert refused.data["flags"] & EPHEMERAL
    assert "Only the person who ran the command" in refused.data["content"]
    context = await harness.answer(harness.press(message, "Context", user=other))
    assert context.data["flags"] & EPHEMERAL
    assert context.data["embeds"][0]["description"] == (
        "Rivers carry salt to the sea. Nobody asked the river."
    )


async def test_pull_quote_is_labelled_as_such(harness: Harness) -> None:
    answer = await harness.answer(harness.slash("quote", {"query": "lamps"}))
    assert answer.data["embeds"][0]["author"]["name"] == "pull quote"


async def test_no_match_is_private_with_suggestions_and_escapes_the_query(
    harness: Harness,
) -> None:
    payload = harness.slash("quote", {"query": "**opening movs** @everyone"})
    data = (await harness.answer(payload)).data
    assert data["flags"] & EPHEMERAL
    assert data["content"].startswith("No passage matches")
    assert "Did you mean “Opening Moves”" in data["content"]
    assert "@everyone" not in data["content"]  # escaped with a zero-width space
    assert "\\*\\*opening movs\\*\\*" in data["content"]
    assert data["allowed_mentions"] == {"parse": []}


async def test_unknown_speaker_is_a_clear_private_refusal(harness: Harness) -> None:
    payload = harness.slash("quote", {"query": "river", "speaker": "Nobody Known"})
    answer = await harness.answer(payload)
    assert answer.data["flags"] & EPHEMERAL
    assert answer.data["content"] == 'No speaker matches "Nobody Known".'


async def test_autocomplete_respects_discords_limits(crowded_harness: Harness) -> None:
    answer = await crowded_harness.answer(
        crowded_harness.typing("quote", "query", {"query": "riv"})
    )
    assert answer.type == AUTOCOMPLETE_RESULT
    found = answer.data["choices"]
    assert len(found) == 25  # of 30 matching quotes
    assert all(1 <= len(c["name"]) <= 100 and 1 <= len(c["value"]) <= 100 for c in found)
    assert all("…" in (c["name"][0], c["name"][-1]) for c in found)  # cut, and visibly so
    assert all("river" in c["name"] for c in found)  # around the word typed


async def test_speaker_autocomplete_comes_from_the_index(harness: Harness) -> None:
    payload = harness.typing("quote", "speaker", {"query": "river", "speaker": "ada"})
    answer = await harness.answer(payload)
    assert answer.data["choices"] == [{"name": "Ada Lovell", "value": "Ada Lovell"}]
