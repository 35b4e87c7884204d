from __future__ import annotations

import json

import pytest

from bot.core.errors import NotFound
from bot.core.prompts import MAX_LENGTH, MIN_LENGTH, PromptService
from tests.exts.harness import (
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    DEFERRED_UPDATE_MESSAGE,
    EPHEMERAL,
    UPDATE_MESSAGE,
    Harness,
    buttons,
)
from tests.fakediscord import FakeUsageError
from tests.fakediscord.objects import JSON, MANAGE_MESSAGES, MEMBER_PERMISSIONS


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


async def test_members_remove_their_own_prompts_and_moderators_anyones(
    harness: Harness, prompts: PromptService
) -> None:
    guild = guild_of(harness)
    author = harness.member
    await prompts.add(guild=guild, channel=None, author=author.id, text="A question here?")
    await prompts.add(guild=guild, channel=None, author="5", text="Another question?")
    other = harness.fake.add_member("other")
    refused = await harness.answer(harness.slash("prompt remove", {"number": 1}, user=other))
    assert (await harness.final(refused))["content"] == (
        "Only the author of prompt #1 or a moderator can remove it."
    )
    # /prompt acts on one's own prompts only, even for a moderator.
    moderator = harness.fake.moderator
    own_only = await harness.answer(harness.slash("prompt remove", {"number": 2}, user=moderator))
    assert (await harness.final(own_only))["content"].startswith("Only the author of prompt #2")
    assert [p.status for p in await prompts.list(guild=guild)] == ["open", "open"]
    removed = await harness.answer(
        harness.slash("prompts-admin remove", {"number": 1}, user=moderator)
    )
    assert (await harness.final(removed))["content"].startswith("Prompt #1 removed.")
    back = await harness.answer(harness.slash("prompt restore", {"number": 1}))
    assert (await harness.final(back))["content"] == "Prompt #1 restored."
    events = await prompts.store.events(guild)
    assert [(e.kind, e.actor) for e in events if e.number == 1] == [
        ("submitted", author.id),
        ("removed", moderator.id),
        ("restored", author.id),
    ]


async def test_moderator_commands_are_hidden_from_members(harness: Harness) -> None:
    for path in ("prompts-admin export", "prompts-admin remove"):
        with pytest.raises(FakeUsageError, match="not shown to"):
            harness.slash(path, {"number": 1} if path.endswith("remove") else {})
    assert harness.slash("prompt remove", {"number": 1})  # members keep their own


async def test_manage_messages_moderates_but_export_needs_manage_server(
    harness: Harness, prompts: PromptService
) -> None:
    guild = guild_of(harness)
    await prompts.add(guild=guild, channel=None, author="5", text="A question here?")
    helper = harness.fake.add_member("helper", permissions=MEMBER_PERMISSIONS | MANAGE_MESSAGES)
    removed = await harness.answer(
        harness.slash("prompts-admin remove", {"number": 1}, user=helper)
    )
    assert (await harness.final(removed))["content"].startswith("Prompt #1 removed.")
    refused = await harness.answer(harness.slash("prompts-admin export", user=helper))
    assert refused.data["flags"] & EPHEMERAL
    assert refused.data["content"] == "You need the Manage Server permission for that."


async def test_list_pages_this_servers_prompts(harness: Harness, prompts: PromptService) -> None:
    guild = guild_of(harness)
    for n in range(7):
        await prompts.add(
            guild=guild,
            channel=None,
            author="5",
            text=f"Question number {n}?",
            section="1",
            force=True,  # near-duplicates of each other on purpose
        )
    await prompts.add(guild="999", channel=None, author="5", text="Elsewhere only?")
    shown = await harness.final(await harness.answer(harness.slash("prompt list")))
    embed = shown["embeds"][0]
    assert [f["name"] for f in embed["fields"]][:2] == ["#7 · § 1", "#6 · § 1"]
    assert len(embed["fields"]) == 5
    assert "Elsewhere" not in json.dumps(shown)
    assert shown["components"]


async def test_export_gives_the_server_its_prompts_as_files(
    harness: Harness, prompts: PromptService
) -> None:
    guild = guild_of(harness)
    await prompts.add(guild=guild, channel=None, author="5", text="Exported question?")
    answer = await harness.answer(
        harness.slash("prompts-admin export", user=harness.fake.moderator)
    )
    shown = await harness.final(answer)
    assert shown["flags"] & EPHEMERAL
    files = dict(harness.uploads(answer))
    assert list(files) == [f"prompts-{guild}.csv", f"prompts-{guild}.json"]
    exported = json.loads(files[f"prompts-{guild}.json"])
    assert exported["guild"] == guild
    assert [p["text"] for p in exported["prompts"]] == ["Exported question?"]
    assert b"Exported question?" in files[f"prompts-{guild}.csv"]


async def test_a_prompt_shorter_than_the_services_minimum_cannot_be_sent(
    harness: Harness,
) -> None:
    too_short = "x" * (MIN_LENGTH - 1)
    with pytest.raises(FakeUsageError, match=f"must be {MIN_LENGTH}-{MAX_LENGTH} characters"):
        harness.slash("prompt add", {"text": too_short})
    answer = await harness.answer(harness.slash("prompt add", {"text": "x" * MIN_LENGTH}))
    assert (await harness.final(answer))["content"] == "Added as prompt #1."


async def test_random_refuses_privately_before_deferring(harness: Harness) -> None:
    answer = await harness.answer(harness.slash("prompt random"))
    assert answer.type == CHANNEL_MESSAGE
    assert answer.data["flags"] & EPHEMERAL
    assert answer.data["content"] == "There are no prompts for that section yet."
    second = harness.fake.add_member("second")  # a member of their own: cooldowns are per member
    unknown = await harness.answer(harness.slash("prompt random", {"section": "§ 9"}, user=second))
    assert unknown.type == CHANNEL_MESSAGE
    assert unknown.data["flags"] & EPHEMERAL
    assert unknown.data["content"] == "There is no section 9; sections run from 1 to 2."


@pytest.mark.parametrize(
    ("failure", "said"),
    [
        (NotFound("That prompt was removed meanwhile."), "That prompt was removed meanwhile."),
        (RuntimeError("store exploded"), "Something went wrong (error id "),
    ],
)
async def test_after_a_public_deferral_failures_edit_the_thinking_message(
    harness: Harness,
    prompts: PromptService,
    monkeypatch: pytest.MonkeyPatch,
    failure: Exception,
    said: str,
) -> None:
    await prompts.add(guild=guild_of(harness), channel=None, author="5", text="Who asked?")

    async def fails(**_: object) -> None:
        raise failure

    monkeypatch.setattr(prompts, "random", fails)
    harness.errors_expected = not isinstance(failure, NotFound)
    answer = await harness.answer(harness.slash("prompt random"))
    assert answer.type == DEFERRED_CHANNEL_MESSAGE
    shown = await harness.final(answer)
    assert shown["content"].startswith(said)
    assert shown["embeds"] == []
    assert not any(r.method == "POST" and "/webhooks/" in r.path for r in harness.fake.requests)
    assert not any(r.method == "DELETE" for r in harness.fake.requests)


async def _similar(harness: Harness, prompts: PromptService) -> JSON:
    """``/prompt add`` of a text nearly the same as #1: the private question it gets."""
    await prompts.add(
        guild=guild_of(harness), channel=None, author="1", text="Who asked the river, and why?"
    )
    answer = await harness.answer(
        harness.slash("prompt add", {"text": "who asked the RIVER — and why, really?"})
    )
    shown = await harness.final(answer)
    assert shown["flags"] & EPHEMERAL
    assert shown["embeds"][0]["title"] == "Similar to #1"
    assert shown["embeds"][0]["description"] == "Who asked the river, and why?"
    assert [b["label"] for b in buttons(shown)] == ["Add anyway", "Cancel"]
    assert len(await prompts.list(guild=guild_of(harness))) == 1  # not added yet
    return shown


async def test_a_near_duplicate_asks_and_add_anyway_adds_it(
    harness: Harness, prompts: PromptService
) -> None:
    shown = await _similar(harness, prompts)
    other = harness.fake.add_member("other")
    refused = await harness.answer(harness.press(shown, "Add anyway", user=other))
    assert refused.data["flags"] & EPHEMERAL
    assert "Only the person who ran the command" in refused.data["content"]
    assert len(await prompts.list(guild=guild_of(harness))) == 1

    pressed = await harness.answer(harness.press(shown, "Add anyway"))
    assert pressed.type == DEFERRED_UPDATE_MESSAGE  # answered at once; the add follows
    await harness.fake.wait_until(lambda: not buttons(harness.message(pressed)))
    after = harness.message(pressed)
    assert after["embeds"][0]["title"] == "Added as prompt #2."
    assert [p.number for p in await prompts.list(guild=guild_of(harness))] == [2, 1]


async def test_a_near_duplicate_cancelled_adds_nothing(
    harness: Harness, prompts: PromptService
) -> None:
    shown = await _similar(harness, prompts)
    pressed = await harness.answer(harness.press(shown, "Cancel"))
    assert pressed.type == UPDATE_MESSAGE
    assert pressed.data["embeds"][0]["description"] == "Not added."
    assert buttons(pressed.data) == []
    assert len(await prompts.list(guild=guild_of(harness))) == 1
