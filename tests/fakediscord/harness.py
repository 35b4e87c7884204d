"""Point an in-process discord.py client at a ``FakeDiscord`` and run it for a test.

discord.py takes its REST root from ``Route.BASE``, but since 2.4 it dials its
built-in gateway address instead of asking ``/gateway``, so the harness points
both, and puts both back afterwards so no later test can reach the internet
by accident through a stale value.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
from collections.abc import AsyncIterator, Iterator

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from tests.fakediscord.objects import JSON
from tests.fakediscord.server import LOADING, FakeDiscord, Interaction


@contextlib.contextmanager
def pointed_at(fake: FakeDiscord) -> Iterator[None]:
    old_base, old_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = fake.api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = old_base, old_gateway


@contextlib.asynccontextmanager
async def running(
    client: discord.Client, fake: FakeDiscord, ready_within: float = 10.0
) -> AsyncIterator[asyncio.Task[None]]:
    """Start ``client`` against ``fake``; yield once the gateway sent READY; close it after."""
    with pointed_at(fake):
        sessions = fake.ready_count  # a client started before this one has been READY
        task = asyncio.create_task(client.start(fake.token))
        try:
            ready = asyncio.create_task(fake.wait_ready(ready_within, after=sessions))
            done, _ = await asyncio.wait({task, ready}, return_when=asyncio.FIRST_COMPLETED)
            if task in done:
                ready.cancel()
                task.result()
                raise AssertionError("the client stopped before the gateway sent READY")
            ready.result()
            yield task
        finally:
            await client.close()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(task, 10)


async def final_message(fake: FakeDiscord, record: Interaction, within: float = 10.0) -> JSON:
    """The message the member ends up seeing: after a deferral, the edited original.

    When the bot sent follow-ups of their own (after the original was settled),
    the last of them is what the member sees last.
    """
    await fake.wait_response(record, within=3.0)

    def settled() -> bool:
        if record.followups:
            return True
        message = fake.messages.get(record.original_id or "")
        return message is not None and not message["flags"] & LOADING

    await fake.wait_until(settled, within)
    if record.followups:
        return copy.deepcopy(fake.messages[record.followups[-1]])
    return fake.original(record)
