"""A thread per passage: the "Discuss" button under ``/quote`` and ``/search`` answers.

Pressing it opens a public thread about the passage in that channel, with the passage
and its citation as the first message, or links to the one already there: one thread
per passage per channel, recorded by the plan service. A recorded thread that was
deleted, or archived and locked (nobody can post there any more), is replaced.

Only Discord has channels, so the button is offered in servers only (not in DMs,
not in the console).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from datetime import UTC, datetime
from typing import Any, Literal

import discord

from bot.core.plan.service import Passage
from bot.services import Services
from bot.ui.render import (
    COLOUR,
    EMBED_DESCRIPTION,
    Button,
    LaterReply,
    Reply,
    citation,
    cut,
    escape,
    notice,
)

log = logging.getLogger(__name__)

DISCUSS = Button("discuss", "Discuss", owner_only=False)
NO_THREADS = (
    "I can't open a thread here: I need the Create Public Threads and Send Messages in "
    "Threads permissions in this channel. Ask a moderator to grant them."
)
NOT_HERE = "Passage threads open in a server's text channel."
GONE = "That passage is no longer in the index."
#: Threads about a passage stay open a week without messages (Discord's longest choice).
ARCHIVE_MINUTES: Literal[10080] = 10080

# One opening at a time per passage and channel, so two quick presses open one thread.
_locks: weakref.WeakValueDictionary[tuple[str, str, str], asyncio.Lock] = (
    weakref.WeakValueDictionary()
)


def discuss(services: Services, passage: Passage) -> LaterReply:
    """What pressing "Discuss" does: find or open the passage's thread, then say where."""

    async def run(where: Any) -> Reply:
        if not isinstance(where, discord.Interaction):
            return notice(NOT_HERE)
        return await passage_thread_reply(services, where, passage)

    return LaterReply(run)


async def passage_thread_reply(
    services: Services, interaction: discord.Interaction[Any], passage: Passage
) -> Reply:
    """The passage's thread in the interaction's channel, opened if there is none in reach."""
    channel = interaction.channel
    if interaction.guild_id is None or not isinstance(channel, discord.TextChannel):
        return notice(NOT_HERE)
    perms = interaction.app_permissions
    if not (perms.create_public_threads and perms.send_messages_in_threads):
        return notice(NO_THREADS)
    first = _first_message(services, passage)
    if first is None:
        return notice(GONE)
    guild, where = str(interaction.guild_id), str(channel.id)
    key = (guild, where, passage.key)
    lock = _locks.get(key)
    if lock is None:
        lock = _locks[key] = asyncio.Lock()
    async with lock:
        known = await services.plans.passage_thread(guild, where, passage)
        if known is not None:
            thread = await _in_reach(interaction.client, int(known))
            if thread is not None:
                return notice(f"This passage is discussed in {thread.mention}.")
        try:
            thread = await channel.create_thread(
                name=cut(first.footer.text or passage.key, 100)[0],
                type=discord.ChannelType.public_thread,
                auto_archive_duration=ARCHIVE_MINUTES,
            )
        except discord.Forbidden:
            return notice(NO_THREADS)
        await services.plans.record_passage_thread(
            guild, where, passage, str(thread.id), datetime.now(UTC)
        )
    try:
        await thread.send(embed=first, allowed_mentions=discord.AllowedMentions.none())
    except discord.Forbidden:
        return notice(NO_THREADS)
    return notice(f"Opened {thread.mention} to discuss this passage.")


def _first_message(services: Services, passage: Passage) -> discord.Embed | None:
    """The passage and its citation, as the thread's first message."""
    doc = services.document(passage.document)
    if doc is None or not 1 <= passage.section <= len(doc.sections):
        return None
    section = doc.section(passage.section)
    if not 1 <= passage.paragraph <= len(section.paragraphs):
        return None
    text = section.paragraphs[passage.paragraph - 1].text
    embed = discord.Embed(description=cut(escape(text), EMBED_DESCRIPTION)[0], colour=COLOUR)
    embed.set_footer(text=citation(doc, section.number, section.title, passage.paragraph))
    return embed


async def _in_reach(client: discord.Client, thread_id: int) -> discord.Thread | None:
    """The thread, if it still exists and members can still post in it.

    Fetched, not taken from the cache: a deleted or archived thread may linger there.
    An archived thread that is not locked comes back when someone posts in it.
    """
    try:
        channel = await client.fetch_channel(thread_id)
    except (discord.NotFound, discord.Forbidden):
        return None
    if not isinstance(channel, discord.Thread) or (channel.archived and channel.locked):
        return None
    return channel
