"""Every press gets an answer, and greyed-out buttons stay truthful, over a real round trip.

Discord shows a message as soon as it has the bot's answer, while the bot learns
that Discord took it only a round trip later; members press in between. These
tests run the bot against the fake with an 80 ms round trip on every REST call.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.ui import views
from tests.conftest import ROUND_TRIP
from tests.exts.documents import long_document
from tests.exts.harness import EPHEMERAL, UPDATE_MESSAGE, Answer, Harness, bot_over, buttons
from tests.fakediscord import JSON, FakeDiscord, Interaction


@pytest.fixture
async def slow(tmp_path: Path) -> AsyncIterator[Harness]:
    """The bot over the long document, an ordinary round trip away from Discord."""
    async with (
        FakeDiscord(round_trip=ROUND_TRIP) as fake,
        bot_over(tmp_path / "slow", fake, long_document()) as harness,
    ):
        yield harness


async def answered(fake: FakeDiscord, record: Interaction, within: float = 3.0) -> bool:
    try:
        await fake.wait_response(record, within)
    except TimeoutError:
        return False
    return True


async def settled(harness: Harness, payload: JSON) -> Answer:
    """Answer ``payload``, and give Discord's confirmation time to reach the bot too."""
    answer = await harness.answer(payload)
    await asyncio.sleep(ROUND_TRIP)
    return answer


async def test_two_members_pressing_within_20_ms_are_both_answered(
    slow: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    first = await settled(slow, slow.slash("quote", {"query": "river"}))
    message = slow.message(first)
    turn = await slow.fake.send_interaction(slow.press(message, "More"))
    await asyncio.sleep(0.02)
    other = slow.fake.add_member("other")
    context = await slow.fake.send_interaction(slow.press(message, "Context", user=other))
    assert await answered(slow.fake, turn)
    assert await answered(slow.fake, context)
    assert turn.response_type == UPDATE_MESSAGE
    assert context.response is not None
    assert context.response["data"]["flags"] & EPHEMERAL
    assert "Nobody asked the river." in context.response["data"]["embeds"][0]["description"]
    # discord.py itself routed both presses: the page turn kept the button objects.
    assert not [r for r in caplog.records if "unknown view" in r.getMessage()]


async def test_a_press_right_after_a_page_turn_is_answered(slow: Harness) -> None:
    first = await settled(slow, slow.slash("section", {"name": "deep"}))
    message = slow.message(first)
    turns = []
    for _ in range(2):
        turns.append(await slow.fake.send_interaction(slow.press(message, "Next")))
        await asyncio.sleep(0.02)
    assert [await answered(slow.fake, t) for t in turns] == [True, True]
    await slow.fake.wait_until(lambda: "page 3 of" in str(slow.message(first)["embeds"]))


async def test_a_press_right_after_the_answer_appears_is_answered(slow: Harness) -> None:
    record = await slow.fake.send_interaction(slow.slash("quote", {"query": "river"}))
    await slow.fake.wait_response(record)  # Discord shows the message now
    await asyncio.sleep(0.01)
    other = slow.fake.add_member("other")
    context = await slow.fake.send_interaction(
        slow.press(slow.fake.original(record), "Context", user=other)
    )
    assert await answered(slow.fake, context)
    assert context.response is not None
    assert context.response["data"]["flags"] & EPHEMERAL


@pytest.fixture
async def short_lived(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Harness]:
    """Tokens that live 1.5 s instead of 15 minutes, in Discord and in the bot's reckoning."""
    monkeypatch.setattr(views, "TOKEN_LIFETIME", 1.5)
    monkeypatch.setattr(views, "TOKEN_MARGIN", 0.2)
    async with (
        FakeDiscord(round_trip=ROUND_TRIP, token_lifetime=1.5) as fake,
        bot_over(tmp_path / "short", fake, long_document()) as harness,
    ):
        yield harness


async def greyed_out(harness: Harness, message_of: Interaction, within: float) -> bool:
    def done() -> bool:
        shown = buttons(harness.fake.original(message_of))
        return bool(shown) and all(b["disabled"] for b in shown)

    try:
        await harness.fake.wait_until(done, within)
    except TimeoutError:
        return False
    return True


async def test_a_page_turn_late_in_the_tokens_life_still_greys_out_on_timeout(
    short_lived: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "VIEW_TIMEOUT", 1.0)
    h = short_lived
    first = await settled(h, h.slash("section", {"name": "deep"}))
    await asyncio.sleep(0.7)  # past the middle of the command token's life
    await h.answer(h.press(h.message(first), "Next"))
    assert await greyed_out(h, first.record, within=3.0)
    assert h.fake.expired == []


async def test_the_timeout_never_outlives_the_token_it_edits_with(
    short_lived: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "VIEW_TIMEOUT", 30.0)
    h = short_lived
    first = await settled(h, h.slash("section", {"name": "deep"}))
    other = h.fake.add_member("other")
    await h.answer(h.press(h.message(first), "Context", user=other))  # a press that edits nothing
    assert await greyed_out(h, first.record, within=3.0)
    assert h.fake.expired == []


async def test_buttons_from_before_a_restart_say_they_expired(tmp_path: Path) -> None:
    async with FakeDiscord(round_trip=ROUND_TRIP) as fake:
        async with bot_over(tmp_path / "before", fake, long_document()) as before:
            first = await before.answer(before.slash("section", {"name": "deep"}))
            message = before.message(first)
        async with bot_over(tmp_path / "after", fake, long_document()) as after:
            pressed = await after.answer(after.press(message, "Next"))
    assert pressed.data["flags"] & EPHEMERAL
    assert pressed.data["content"] == views.EXPIRED
