from __future__ import annotations

import json
from typing import Any

import discord
import pytest

from bot.core.prompts import PromptService
from tests.exts.conftest import Harness
from tests.exts.harness import (
    CHANNEL_MESSAGE,
    DEFERRED_CHANNEL_MESSAGE,
    EPHEMERAL,
    GUILD_ID,
    OTHER_ID,
    USER_ID,
    option,
    slash,
)

MODERATOR = str(discord.Permissions(manage_messages=True).value)
ADMIN = str(discord.Permissions(manage_guild=True).value)


def prompt_slash(sub: str, *options: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return slash("prompt", *options, sub=sub, **kw)


async def test_add_defers_privately_then_shows_the_numbered_prompt(
    harness: Harness, prompts: PromptService
) -> None:
    payload = prompt_slash("add", option("text", "What would the **river** say? `#` > <#1>"))
    callback = await harness.answer(payload)
    assert callback.body["type"] == DEFERRED_CHANNEL_MESSAGE
    assert callback.data["flags"] & EPHEMERAL
    edit = await harness.edit(payload)
    assert edit.body["content"] == "Added as prompt #1."
    embed = edit.body["embeds"][0]
    assert embed["title"] == "Prompt #1"
    assert "\\*\\*river\\*\\*" in embed["description"]  # markdown shown, not applied
    assert "\\`#\\`" in embed["description"]
    assert embed["fields"][-1]["value"] == f"<@{USER_ID}>"
    assert edit.body["allowed_mentions"] == {"parse": []}
    (stored,) = await prompts.list(guild=str(GUILD_ID))
    assert (stored.number, stored.author) == (1, str(USER_ID))
    assert stored.text == "What would the **river** say? `#` > <#1>"  # kept as typed


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("short", "A prompt needs at least 10 characters (this one has 5)."),
        ("What would the river say, @everyone?", "A prompt can't mention anyone"),
    ],
)
async def test_a_refused_prompt_stays_private(
    harness: Harness, prompts: PromptService, text: str, refusal: str
) -> None:
    payload = prompt_slash("add", option("text", text))
    callback = await harness.answer(payload)
    assert callback.data["flags"] & EPHEMERAL
    edit = await harness.edit(payload)
    assert edit.body["content"].startswith(refusal)
    assert edit.body["allowed_mentions"] == {"parse": []}  # the refusal may name @everyone
    assert await prompts.list(guild=str(GUILD_ID), include_removed=True) == []


async def test_in_a_dm_prompts_say_they_are_per_server(harness: Harness) -> None:
    payload = prompt_slash("list", guild=False)
    await harness.answer(payload)
    edit = await harness.edit(payload)
    assert "per server" in edit.body["content"]


async def test_random_posts_publicly_opens_a_thread_and_logs(
    harness: Harness, prompts: PromptService
) -> None:
    await prompts.add(
        guild=str(GUILD_ID), channel=None, author="1", text="Who asked the river?", section="1"
    )
    payload = prompt_slash("random")
    callback = await harness.answer(payload)
    assert callback.body["type"] == DEFERRED_CHANNEL_MESSAGE
    assert not callback.data.get("flags", 0) & EPHEMERAL
    edit = await harness.edit(payload)
    about = edit.body["embeds"][0]["fields"][0]
    assert about["name"] == "About"
    assert "Rivers carry salt to the sea. Nobody asked the river." in about["value"]
    assert about["value"].endswith("A Tale of Two Rivers · § 1 Opening Moves · ¶ 1")
    (thread,) = await harness.http.wait_for("POST", "/threads")
    assert thread.body["name"] == "#1 Who asked the river?"
    events = await prompts.store.events(str(GUILD_ID))
    assert [(e.kind, e.number, e.actor) for e in events][-1] == ("posted", 1, str(USER_ID))


async def test_random_has_a_per_member_cooldown(harness: Harness, prompts: PromptService) -> None:
    await prompts.add(
        guild=str(GUILD_ID), channel=None, author="1", text="Who asked the river?", section=None
    )
    await harness.answer(prompt_slash("random"))
    again = await harness.answer(prompt_slash("random"))
    assert again.body["type"] == CHANNEL_MESSAGE
    assert again.data["flags"] & EPHEMERAL
    assert again.data["content"].startswith("Slow down: try again in ")


async def test_random_refusal_is_not_left_public(harness: Harness) -> None:
    payload = prompt_slash("random")
    await harness.answer(payload)
    (followup,) = await harness.http.wait_for("POST", f"/webhooks/{payload['application_id']}/")
    assert followup.body["flags"] & EPHEMERAL
    assert followup.body["content"] == "There are no prompts for that section yet."
    deleted = [r for r in harness.http.requests if r.method == "DELETE"]
    assert deleted


async def test_remove_needs_the_author_or_manage_messages(
    harness: Harness, prompts: PromptService
) -> None:
    await prompts.add(
        guild=str(GUILD_ID),
        channel=None,
        author=str(USER_ID),
        text="A question here?",
        section=None,
    )
    other = prompt_slash("remove", option("number", 1, kind=4), user_id=OTHER_ID)
    await harness.answer(other)
    refused = (await harness.edit(other)).body["content"]
    assert refused == "Only the author of prompt #1 or a moderator can remove it."
    (still,) = await prompts.list(guild=str(GUILD_ID))
    assert still.status == "open"
    mod = prompt_slash(
        "remove", option("number", 1, kind=4), user_id=OTHER_ID, permissions=MODERATOR
    )
    await harness.answer(mod)
    assert (await harness.edit(mod)).body["content"].startswith("Prompt #1 removed.")
    back = prompt_slash("restore", option("number", 1, kind=4))
    await harness.answer(back)
    assert (await harness.edit(back)).body["content"] == "Prompt #1 restored."
    events = await prompts.store.events(str(GUILD_ID))
    assert [(e.kind, e.actor) for e in events] == [
        ("submitted", str(USER_ID)),
        ("removed", str(OTHER_ID)),
        ("restored", str(USER_ID)),
    ]


async def test_list_pages_this_servers_prompts(harness: Harness, prompts: PromptService) -> None:
    for n in range(7):
        await prompts.add(
            guild=str(GUILD_ID),
            channel=None,
            author="5",
            text=f"Question number {n}?",
            section="1",
        )
    await prompts.add(guild="999", channel=None, author="5", text="Elsewhere only?", section=None)
    payload = prompt_slash("list")
    await harness.answer(payload)
    edit = await harness.edit(payload)
    embed = edit.body["embeds"][0]
    assert [f["name"] for f in embed["fields"]][:2] == ["#7 · § 1", "#6 · § 1"]
    assert len(embed["fields"]) == 5
    assert "Elsewhere" not in json.dumps(edit.body)
    assert edit.body["components"]


async def test_export_needs_manage_server(harness: Harness, prompts: PromptService) -> None:
    refused = await harness.answer(prompt_slash("export"))
    assert refused.data["flags"] & EPHEMERAL
    assert refused.data["content"] == "You need the Manage Server permission for that."
    await prompts.add(
        guild=str(GUILD_ID), channel=None, author="5", text="Exported question?", section=None
    )
    payload = prompt_slash("export", permissions=ADMIN)
    await harness.answer(payload)
    edit = await harness.edit(payload)
    names = [name for name, _ in edit.files]
    assert names == [f"prompts-{GUILD_ID}.csv", f"prompts-{GUILD_ID}.json"]
    exported = json.loads(edit.files[1][1])
    assert exported["guild"] == str(GUILD_ID)
    assert [p["text"] for p in exported["prompts"]] == ["Exported question?"]
    assert b"Exported question?" in edit.files[0][1]
