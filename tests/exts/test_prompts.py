from __future__ import annotations

import json

import pytest

from bot.core.prompts import PromptService
from tests.exts.harness import CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, EPHEMERAL, Harness
from tests.fakediscord import FakeUsageError


def guild_of(harness: Harness) -> str:
    return harness.fake.guild.id


async def test_add_defers_privately_then_shows_the_numbered_prompt(
    harness: Harness, prompts: PromptService
) -> None:
    text = "What would the **river** say? `#` > <#1>"
    answer = await harness.answer(harness.slash("prompt add", {"text": text}))
    assert answer.type == DEFERRED_CHANNEL_MESSAGE
    assert answer.data["flags"] & EPHEMERAL
    shown = await harness.final(answer)
    assert shown["flags"] & EPHEMERAL
    assert shown["content"] == "Added as prompt #1."
    embed = shown["embeds"][0]
    assert embed["title"] == "Prompt #1"
    assert "\\*\\*river\\*\\*" in embed["description"]  # markdown shown, not applied
    assert "\\`#\\`" in embed["description"]
    assert embed["fields"][-1]["value"] == f"<@{harness.member.id}>"
    assert shown["mentions"] == []
    (stored,) = await prompts.list(guild=guild_of(harness))
    assert (stored.number, stored.author) == (1, harness.member.id)
    assert stored.text == text  # kept as typed


async def test_a_refused_prompt_stays_private(harness: Harness, prompts: PromptService) -> None:
    text = "What would the river say, @everyone?"
    answer = await harness.answer(harness.slash("prompt add", {"text": text}))
    assert answer.data["flags"] & EPHEMERAL
    shown = await harness.final(answer)
    assert shown["flags"] & EPHEMERAL
    assert shown["content"].startswith("A prompt can't mention anyone")
    assert shown["mention_everyone"] is False  # the refusal may name @everyone
    assert await prompts.list(guild=guild_of(harness), include_removed=True) == []


async def test_prompts_are_not_offered_in_dms(harness: Harness) -> None:
    with pytest.raises(FakeUsageError, match="not offered in DMs"):
        harness.slash("prompt list", dm=True)


async def test_random_posts_publicly_opens_a_thread_and_logs(
    harness: Harness, prompts: PromptService
) -> None:
    guild = guild_of(harness)
    await prompts.add(
        guild=guild, channel=None, author="1", text="Who asked the river?", section="1"
    )
    answer = await harness.answer(harness.slash("prompt random"))
    assert answer.type == DEFERRED_CHANNEL_MESSAGE
    assert not answer.data.get("flags", 0) & EPHEMERAL
    shown = await harness.final(answer)
    assert not shown["flags"] & EPHEMERAL
    about = shown["embeds"][0]["fields"][0]
    assert about["name"] == "About"
    assert "Rivers carry salt to the sea. Nobody asked the river." in about["value"]
    assert about["value"].endswith("A Tale of Two Rivers · § 1 Opening Moves · ¶ 1")
    await harness.fake.wait_until(lambda: shown["id"] in harness.fake.channels)
    assert harness.fake.channels[shown["id"]].name == "#1 Who asked the river?"
    events = await prompts.store.events(guild)
    assert [(e.kind, e.number, e.actor) for e in events][-1] == ("posted", 1, harness.member.id)


async def test_random_has_a_per_member_cooldown(harness: Harness, prompts: PromptService) -> None:
    await prompts.add(
        guild=guild_of(harness), channel=None, author="1", text="Who asked the river?"
    )
    await harness.final(await harness.answer(harness.slash("prompt random")))
    again = await harness.answer(harness.slash("prompt random"))
    assert again.type == CHANNEL_MESSAGE
    assert again.data["flags"] & EPHEMERAL
    assert again.data["content"].startswith("Slow down: try again in ")


async def test_remove_needs_the_author_or_manage_messages(
    harness: Harness, prompts: PromptService
) -> None:
    guild = guild_of(harness)
    author = harness.member
    await prompts.add(guild=guild, channel=None, author=author.id, text="A question here?")
    other = harness.fake.add_member("other")
    refused = await harness.answer(harness.slash("prompt remove", {"number": 1}, user=other))
    assert (await harness.final(refused))["content"] == (
        "Only the author of prompt #1 or a moderator can remove it."
    )
    (still,) = await prompts.list(guild=guild)
    assert still.status == "open"
    moderator = harness.fake.moderator
    removed = await harness.answer(harness.slash("prompt remove", {"number": 1}, user=moderator))
    assert (await harness.final(removed))["content"].startswith("Prompt #1 removed.")
    back = await harness.answer(harness.slash("prompt restore", {"number": 1}))
    assert (await harness.final(back))["content"] == "Prompt #1 restored."
    events = await prompts.store.events(guild)
    assert [(e.kind, e.actor) for e in events] == [
        ("submitted", author.id),
        ("removed", moderator.id),
        ("restored", author.id),
    ]


async def test_list_pages_this_servers_prompts(harness: Harness, prompts: PromptService) -> None:
    guild = guild_of(harness)
    for n in range(7):
        await prompts.add(
            guild=guild, channel=None, author="5", text=f"Question number {n}?", section="1"
        )
    await prompts.add(guild="999", channel=None, author="5", text="Elsewhere only?")
    shown = await harness.final(await harness.answer(harness.slash("prompt list")))
    embed = shown["embeds"][0]
    assert [f["name"] for f in embed["fields"]][:2] == ["#7 · § 1", "#6 · § 1"]
    assert len(embed["fields"]) == 5
    assert "Elsewhere" not in json.dumps(shown)
    assert shown["components"]


async def test_export_needs_manage_server(harness: Harness, prompts: PromptService) -> None:
    guild = guild_of(harness)
    refused = await harness.answer(harness.slash("prompt export"))
    assert refused.data["flags"] & EPHEMERAL
    assert refused.data["content"] == "You need the Manage Server permission for that."
    await prompts.add(guild=guild, channel=None, author="5", text="Exported question?")
    answer = await harness.answer(harness.slash("prompt export", user=harness.fake.moderator))
    await harness.final(answer)
    files = dict(harness.uploads(answer))
    assert list(files) == [f"prompts-{guild}.csv", f"prompts-{guild}.json"]
    exported = json.loads(files[f"prompts-{guild}.json"])
    assert exported["guild"] == guild
    assert [p["text"] for p in exported["prompts"]] == ["Exported question?"]
    assert b"Exported question?" in files[f"prompts-{guild}.csv"]
