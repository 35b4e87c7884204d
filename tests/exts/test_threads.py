"""A thread per passage: "Discuss" under /quote and /search, one thread per passage per channel."""

from __future__ import annotations

import re

from bot.core.plan.service import Passage
from bot.services import Services
from tests.exts.harness import DEFERRED_CHANNEL_MESSAGE, EPHEMERAL, Harness, buttons
from tests.fakediscord.objects import JSON
from tests.fakediscord.server import CREATE_PUBLIC_THREADS

CITATION = "A Tale of Two Rivers · § 1 Opening Moves · ¶ 1"
PARAGRAPH = "Rivers carry salt to the sea. Nobody asked the river."


async def discuss(harness: Harness, message: JSON, **kw: object) -> str:
    """Press "Discuss" on ``message``: what the presser is told, privately."""
    pressed = await harness.answer(harness.press(message, "Discuss", **kw))
    assert pressed.type == DEFERRED_CHANNEL_MESSAGE  # answered at once; the thread follows
    assert pressed.data["flags"] & EPHEMERAL
    shown = await harness.final(pressed)
    assert shown["flags"] & EPHEMERAL
    return str(shown["content"])


def thread_in(text: str) -> str:
    found = re.search(r"<#(\d+)>", text)
    assert found is not None, text
    return found.group(1)


async def quote_message(harness: Harness) -> JSON:
    first = await harness.answer(harness.slash("quote", {"query": "river"}))
    return harness.message(first)


async def test_discuss_opens_one_public_thread_per_passage_with_the_passage_first(
    harness: Harness, services: Services
) -> None:
    fake = harness.fake
    channel = fake.guild.channels[0].id
    message = await quote_message(harness)
    told = await discuss(harness, message)
    assert told.startswith("Opened <#")
    thread = fake.channels[thread_in(told)]
    assert (thread.type, thread.parent_id, thread.name) == (11, channel, CITATION)
    await fake.wait_until(lambda: bool(fake.channel_posts(thread.id)))
    (first,) = fake.channel_posts(thread.id)
    assert first["embeds"][0]["description"] == PARAGRAPH
    assert first["embeds"][0]["footer"]["text"] == CITATION
    passage = Passage(services.index.library.documents[0].id, 1, 1)
    assert await services.plans.passage_thread(fake.guild.id, channel, passage) == thread.id

    # Anyone may press it; the same passage, again or from /search, links to that thread.
    other = fake.add_member("other")
    again = await discuss(harness, message, user=other)
    assert again == f"This passage is discussed in <#{thread.id}>."
    searched = await harness.answer(harness.slash("search", {"query": "salt sea"}))
    assert searched.data["embeds"][0]["title"].endswith("¶ 1")
    assert thread_in(await discuss(harness, harness.message(searched))) == thread.id
    assert [c for c in fake.channels.values() if c.type == 11] == [thread]


async def test_a_deleted_or_locked_thread_is_replaced(harness: Harness, services: Services) -> None:
    fake = harness.fake
    message = await quote_message(harness)
    first = thread_in(await discuss(harness, message))
    del fake.channels[first]  # deleted (the bot's cache may still hold it)
    second = thread_in(await discuss(harness, message))
    assert second != first
    fake.channels[second].archived = True  # archived but open: members can post, it stays
    assert thread_in(await discuss(harness, message)) == second
    fake.channels[second].locked = True  # archived and locked: beyond reach
    third = thread_in(await discuss(harness, message))
    assert third not in (first, second)
    passage = Passage(services.index.library.documents[0].id, 1, 1)
    channel = fake.guild.channels[0].id
    assert await services.plans.passage_thread(fake.guild.id, channel, passage) == third


async def test_without_create_public_threads_the_presser_is_told_privately(
    harness: Harness,
) -> None:
    fake = harness.fake
    await fake.deny_bot(fake.guild.channels[0].id, CREATE_PUBLIC_THREADS)
    message = await quote_message(harness)
    told = await discuss(harness, message)
    assert "Create Public Threads" in told
    assert [c for c in fake.channels.values() if c.type in (11, 12)] == []


async def test_no_discuss_button_in_dms(harness: Harness) -> None:
    answer = await harness.answer(harness.slash("quote", {"query": "river"}, dm=True))
    assert "Discuss" not in [b["label"] for b in buttons(answer.data)]
    assert "Discuss" in [b["label"] for b in buttons(await quote_message(harness))]
