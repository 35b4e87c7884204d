"""Shutdown: interactions in flight are finished, new ones are turned away politely."""

from __future__ import annotations

import asyncio
from typing import Any, cast

import discord

from bot.app import RESTARTING
from tests.exts.harness import EPHEMERAL, Harness


async def test_close_waits_for_work_in_flight_and_turns_new_interactions_away(
    harness: Harness,
) -> None:
    bot = harness.bot
    admitted, release = asyncio.Event(), asyncio.Event()
    order: list[str] = []

    async def in_flight() -> None:
        # The start of every interaction's task: admitted while the bot is running.
        assert await bot.admit(cast(discord.Interaction[Any], None))
        admitted.set()
        await release.wait()
        order.append("interaction finished")

    work = asyncio.create_task(in_flight())
    await admitted.wait()
    closing = asyncio.create_task(bot.close())
    closing.add_done_callback(lambda _: order.append("close finished"))

    refused = await harness.answer(harness.slash("about"))
    assert refused.type == 4
    assert refused.data["content"] == RESTARTING
    assert refused.data["flags"] & EPHEMERAL

    suggested = await harness.answer(harness.typing("quote", "query", {"query": "riv"}))
    assert suggested.type == 8
    assert suggested.data == {"choices": []}

    assert order == [], "close() did not wait for the interaction in flight"
    release.set()
    await asyncio.wait_for(closing, timeout=5)
    assert work.done()
    assert order == ["interaction finished", "close finished"]
    assert harness.closed == 1
