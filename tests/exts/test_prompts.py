from __future__ import annotations

import json
from typing import Any

import discord

from tests.exts.conftest import Harness
from tests.exts.fakes import FakePrompts
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
    harness: Harness, prompts: FakePrompts
) -> None:
    payload = prompt_slash("add", option("text", "What would the river say, @everyone?"))
    callback = await harness.answer(payload)
    assert callback.body["type"] == DEFERRED_CHANNEL_MESSAGE
    assert callback.data["flags"] & EPHEMERAL
    edit = await harness.edit(payload)
    assert edit.body["content"] == "Added as prompt #1."
    embed = edit.body["embeds"][0]
    assert embed["title"] == "Prompt #1"
    assert "@everyone" not in embed["description"]  # escaped
    assert embed["fields"][-1]["value"] == f"<@{USER_ID}>"
    assert edit.body["allowed_mentions"] == {"parse": []}
    assert prompts.prompts[0].guild == str(GUILD_ID)


async def test_a_refused_prompt_stays_private(harness: Harness, prompts: FakePrompts) -> None:
    payload = prompt_slash("add", option("text", "short"))
    await harness.answer(payload)
    edit = await harness.edit(payload)
    assert edit.body["content"] == "A prompt needs 10 to 1000 characters."
    assert prompts.prompts == []


async def test_in_a_dm_prompts_say_they_are_per_server(harness: Harness) -> None:
    payload = prompt_slash("list", guild=False)
    await harness.answer(payload)
    edit = await harness.edit(payload)
    assert "per server" in edit.body["content"]


async def test_random_posts_publicly_opens_a_thread_and_logs(
    harness: Harness, prompts: FakePrompts
) -> None:
    await prompts.add(
        guild=str(GUILD_ID), channel=None, author="1", text="Who owns a river?", section="1"
    )
    payload = prompt_slash("random")
    callback = await harness.answer(payload)
    assert callback.body["type"] == DEFERRED_CHANNEL_MESSAGE
    assert not callback.data.get("flags", 0) & EPHEMERAL
    edit = await harness.edit(payload)
    about = edit.body["embeds"][0]["fields"][0]
    assert about["name"] == "About"
    assert "Rivers carry salt to the sea." in about["value"]
    (thread,) = await harness.http.wait_for("POST", "/threads")
    assert thread.body["name"].startswith("#1 Who owns a river?")
    assert prompts.events[-1][0] == "posted"


async def test_random_has_a_per_member_cooldown(harness: Harness, prompts: FakePrompts) -> None:
    await prompts.add(
        guild=str(GUILD_ID), channel=None, author="1", text="Who owns a river?", section=None
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
    assert followup.body["content"] == "No prompts yet."
    deleted = [r for r in harness.http.requests if r.method == "DELETE"]
    assert deleted


async def test_remove_needs_the_author_or_manage_messages(
    harness: Harness, prompts: FakePrompts
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
    assert "Only its author or a moderator" in (await harness.edit(other)).body["content"]
    assert prompts.prompts[0].status == "open"
    mod = prompt_slash(
        "remove", option("number", 1, kind=4), user_id=OTHER_ID, permissions=MODERATOR
    )
    await harness.answer(mod)
    assert (await harness.edit(mod)).body["content"].startswith("Prompt #1 removed.")
    back = prompt_slash("restore", option("number", 1, kind=4))
    await harness.answer(back)
    assert (await harness.edit(back)).body["content"] == "Prompt #1 restored."


async def test_list_pages_this_servers_prompts(harness: Harness, prompts: FakePrompts) -> None:
    for n in range(7):
        await prompts.add(
            guild=str(GUILD_ID),
            channel=None,
            author="5",
            text=f"Question number {n}?",
            section=None,
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


async def test_export_needs_manage_server(harness: Harness, prompts: FakePrompts) -> None:
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
    assert json.loads(edit.files[1][1])[0]["text"] == "Exported question?"
