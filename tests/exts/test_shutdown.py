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
    release = asyncio.Event()

    async def in_flight() -> None:
        # The start of every interaction's task: admitted while the bot is running.
        assert await bot.admit(cast(discord.Interaction[Any], None))
        await release.wait()

    work = asyncio.create_task(in_flight())
    await asyncio.sleep(0)
    closing = asyncio.create_task(bot.close())
    await asyncio.sleep(0.05)
    assert not closing.done(), "close() did not wait for the interaction in flight"

    refused = await harness.answer(harness.slash("about"))
    assert refused.type == 4
    assert refused.data["content"] == RESTARTING
    assert refused.data["flags"] & EPHEMERAL

    suggested = await harness.answer(harness.typing("quote", "query", {"query": "riv"}))
    assert suggested.type == 8
    assert suggested.data == {"choices": []}

    release.set()
    await asyncio.wait_for(closing, timeout=5)
    assert work.done()
    assert harness.closed == 1
