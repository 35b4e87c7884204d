from __future__ import annotations

from tests.exts.conftest import Harness
from tests.exts.harness import (
    AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE,
    EPHEMERAL,
    OTHER_ID,
    UPDATE_MESSAGE,
    button,
    option,
    press,
    slash,
)


async def test_quote_answers_publicly_with_speaker_citation_and_buttons(harness: Harness) -> None:
    callback = await harness.answer(slash("quote", option("query", "river")))
    assert callback.body["type"] == CHANNEL_MESSAGE
    data = callback.data
    assert data["allowed_mentions"] == {"parse": []}
    assert not data.get("flags", 0) & EPHEMERAL
    (embed,) = data["embeds"]
    assert embed["description"] == "“Nobody asked the river.”"
    assert embed["author"]["name"] == "Ada Lovell"
    assert embed["footer"]["text"] == "A Tale of Two Rivers · § 1 Opening Moves · ¶ 1"
    assert button(data, "Context")["disabled"] is False
    assert button(data, "More")["label"] == "More (1/2)"


async def test_more_steps_to_the_next_result_and_back(harness: Harness) -> None:
    payload = slash("quote", option("query", "river"))
    first = (await harness.answer(payload)).data
    message = harness.message(payload)
    step = press(message, button(first, "More")["custom_id"])
    update = await harness.answer(step)
    assert update.body["type"] == UPDATE_MESSAGE
    (embed,) = update.data["embeds"]
    assert embed["author"]["name"] == "the author"  # a passage, not a quote by someone
    assert button(update.data, "More")["disabled"] is True
    back = await harness.answer(press(message, button(update.data, "Previous")["custom_id"]))
    assert back.data["embeds"][0]["author"]["name"] == "Ada Lovell"


async def test_only_the_invoker_pages_but_anyone_reads_the_context(harness: Harness) -> None:
    payload = slash("quote", option("query", "river"))
    first = (await harness.answer(payload)).data
    message = harness.message(payload)
    refused = await harness.answer(
        press(message, button(first, "More")["custom_id"], user_id=OTHER_ID)
    )
    assert refused.body["type"] == CHANNEL_MESSAGE
    assert refused.data["flags"] & EPHEMERAL
    assert "Only the person who ran the command" in refused.data["content"]
    context = await harness.answer(
        press(message, button(first, "Context")["custom_id"], user_id=OTHER_ID)
    )
    assert context.data["flags"] & EPHEMERAL
    assert context.data["embeds"][0]["description"] == (
        "Rivers carry salt to the sea. Nobody asked the river."
    )


async def test_pull_quote_is_labelled_as_such(harness: Harness) -> None:
    callback = await harness.answer(slash("quote", option("query", "lamps")))
    assert callback.data["embeds"][0]["author"]["name"] == "pull quote"


async def test_no_match_is_private_with_suggestions_and_escapes_the_query(
    harness: Harness,
) -> None:
    callback = await harness.answer(slash("quote", option("query", "**opening movs** @everyone")))
    data = callback.data
    assert data["flags"] & EPHEMERAL
    assert data["content"].startswith("No passage matches")
    assert "Did you mean “Opening Moves”" in data["content"]
    assert "@everyone" not in data["content"]  # escaped with a zero-width space
    assert "\\*\\*opening movs\\*\\*" in data["content"]
    assert data["allowed_mentions"] == {"parse": []}


async def test_unknown_speaker_is_a_clear_private_refusal(harness: Harness) -> None:
    callback = await harness.answer(
        slash("quote", option("query", "river"), option("speaker", "Nobody Known"))
    )
    assert callback.data["flags"] & EPHEMERAL
    assert callback.data["content"] == 'No speaker matches "Nobody Known".'


async def test_autocomplete_respects_discords_limits(crowded_harness: Harness) -> None:
    payload = slash("quote", option("query", "riv", focused=True), autocomplete=True)
    callback = await crowded_harness.answer(payload)
    assert callback.body["type"] == AUTOCOMPLETE_RESULT
    found = callback.data["choices"]
    assert len(found) == 25  # of 30 matching quotes
    assert all(1 <= len(c["name"]) <= 100 and 1 <= len(c["value"]) <= 100 for c in found)
    assert all("…" in (c["name"][0], c["name"][-1]) for c in found)  # cut, and visibly so
    assert all("river" in c["name"] for c in found)  # around the word typed


async def test_speaker_autocomplete_comes_from_the_index(harness: Harness) -> None:
    payload = slash(
        "quote",
        option("query", "river"),
        option("speaker", "ada", focused=True),
        autocomplete=True,
    )
    callback = await harness.answer(payload)
    assert callback.data["choices"] == [{"name": "Ada Lovell", "value": "Ada Lovell"}]
