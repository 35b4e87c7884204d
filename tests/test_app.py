"""The bot as a whole: every extension loads, the schema fits Discord, sync only on change."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.app import EXTENSIONS, EssayBot
from bot.core.prompts import MAX_LENGTH, MIN_LENGTH
from bot.core.search import MAX_CHOICE_CHARS, MAX_QUERY_CHARS
from bot.services import Services
from tests.exts.documents import make_document
from tests.exts.harness import bot_serving, open_services
from tests.fakediscord import FakeDiscord, FakeUsageError, validate

COMMANDS = {"quote", "section", "search", "prompt", "prompts-admin", "about", "plan", "plan-admin"}
GUILD, BOT_DM = 0, 1  # interaction context types
GUILD_INSTALL = 0  # application integration type
STRING, INTEGER = 3, 4


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    async with open_services(tmp_path / "prompts.sqlite3", make_document()) as opened:
        yield opened


def leaf_options(command: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every option that takes a value, with its full path ("prompt add text")."""
    stack = [(command["name"], command)]
    while stack:
        path, node = stack.pop()
        for option in node.get("options") or []:
            where = f"{path} {option['name']}"
            if option["type"] in (1, 2):
                stack.append((where, option))
            else:
                yield where, option


async def test_every_extension_loads_and_the_schema_passes_discords_checks(
    tmp_path: Path, services: Services, fake: FakeDiscord
) -> None:
    async with bot_serving(tmp_path, services, fake) as h:
        assert set(h.bot.extensions) == set(EXTENSIONS)
        schema = h.bot.command_schema()
        assert {c["name"] for c in schema} == COMMANDS
        errors = validate.Errors()
        validate.check_commands(json.loads(json.dumps(schema)), errors)
        assert errors.flat == []
        synced = fake.commands[None]
        assert [
            {k: c.get(k) for k in declared} for c, declared in zip(synced, schema, strict=True)
        ] == (json.loads(json.dumps(schema)))  # what was synced is what is declared
        assert fake.rejected == []
        assert allowed_mentions_none(h.bot)


def schema_of(bot: EssayBot) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in bot.command_schema()}


async def test_guild_install_only_and_the_contexts_each_command_supports(
    tmp_path: Path, services: Services, fake: FakeDiscord
) -> None:
    async with bot_serving(tmp_path, services, fake) as h:
        schema = schema_of(h.bot)
        for name, command in schema.items():
            assert command["integration_types"] == [GUILD_INSTALL], name
        for name in ("quote", "section", "search", "about"):
            assert schema[name]["contexts"] == [GUILD, BOT_DM], name
        for name in ("prompt", "prompts-admin", "plan", "plan-admin"):
            assert schema[name]["contexts"] == [GUILD], name
        assert (await h.answer(h.slash("about", dm=True))).data["embeds"]
        with pytest.raises(FakeUsageError, match="not offered in DMs"):
            h.slash("prompt random", dm=True)


async def test_moderator_actions_are_a_command_of_their_own(
    tmp_path: Path, services: Services, fake: FakeDiscord
) -> None:
    async with bot_serving(tmp_path, services, fake) as h:
        schema = schema_of(h.bot)
    subs = {c: {o["name"] for o in schema[c]["options"]} for c in ("prompt", "prompts-admin")}
    assert subs == {
        "prompt": {"add", "random", "list", "remove", "restore"},
        "prompts-admin": {"export", "remove", "restore"},
    }
    assert schema["prompt"]["default_member_permissions"] is None  # every member sees it
    manage_messages = discord.Permissions(manage_messages=True).value
    assert int(schema["prompts-admin"]["default_member_permissions"]) == manage_messages
    assert {o["name"] for o in schema["plan"]["options"]} == {"show"}
    assert schema["plan"]["default_member_permissions"] is None
    plan_actions = {o["name"] for o in schema["plan-admin"]["options"]}
    assert plan_actions == {"start", "pause", "resume", "skip", "stop", "spoiler-guard"}
    manage_guild = discord.Permissions(manage_guild=True).value
    assert int(schema["plan-admin"]["default_member_permissions"]) == manage_guild


async def test_every_option_declares_the_limits_the_bot_enforces(
    tmp_path: Path, services: Services, fake: FakeDiscord
) -> None:
    async with bot_serving(tmp_path, services, fake) as h:
        schema = schema_of(h.bot)
    options = dict(opt for command in schema.values() for opt in leaf_options(command))
    text = options["prompt add text"]
    assert (text["min_length"], text["max_length"]) == (MIN_LENGTH, MAX_LENGTH)
    assert options["quote query"]["max_length"] == MAX_QUERY_CHARS
    assert options["search query"]["max_length"] == MAX_QUERY_CHARS
    assert options["section name"]["max_length"] == MAX_CHOICE_CHARS
    for where, option in options.items():
        if option["type"] == STRING and not option.get("choices"):  # choices bound it
            assert option.get("max_length") is not None, where
        if option["type"] == INTEGER:
            assert option.get("min_value") == 1, where


def allowed_mentions_none(bot: EssayBot) -> bool:
    mentions = bot.allowed_mentions
    if mentions is None:
        return False
    flags = (mentions.everyone, mentions.users, mentions.roles, mentions.replied_user)
    return flags == (False, False, False, False)


async def test_sync_happens_once_until_the_schema_changes(
    tmp_path: Path, services: Services, fake: FakeDiscord
) -> None:
    async with bot_serving(tmp_path, services, fake):
        pass
    async with bot_serving(tmp_path, services, fake) as second:
        digest = second.bot.schema_hash()
    assert len(fake.syncs) == 1
    assert (tmp_path / "data" / "command-schema.sha256").read_text().split()[0] == digest
    async with bot_serving(tmp_path, services, fake) as third:
        third.bot.force_sync = True
        assert await third.bot.sync_commands() is True
    assert len(fake.syncs) == 2


async def test_dev_guild_gets_the_commands_instantly(
    tmp_path: Path, services: Services, fake: FakeDiscord
) -> None:
    async with bot_serving(tmp_path, services, fake, dev_guild_id=int(fake.guild.id)):
        pass
    assert [guild for guild, _ in fake.syncs] == [fake.guild.id]
    names = {c["name"] for c in fake.commands[fake.guild.id]}
    assert names == COMMANDS


async def test_close_closes_the_services_once(
    tmp_path: Path, services: Services, fake: FakeDiscord
) -> None:
    async with bot_serving(tmp_path, services, fake) as h:
        await h.bot.close()
        await h.bot.close()
    assert h.closed == 1


async def test_switching_between_global_and_dev_guild_sync_clears_the_other(
    tmp_path: Path, services: Services, fake: FakeDiscord
) -> None:
    guild = fake.guild.id
    async with bot_serving(tmp_path, services, fake):
        pass
    assert {c["name"] for c in fake.commands[None]} == COMMANDS
    async with bot_serving(tmp_path, services, fake, dev_guild_id=int(guild)):
        pass
    assert {c["name"] for c in fake.commands[guild]} == COMMANDS
    assert fake.commands[None] == []  # no command listed twice in the dev guild
    async with bot_serving(tmp_path, services, fake):
        pass
    assert {c["name"] for c in fake.commands[None]} == COMMANDS
    assert fake.commands[guild] == []
    assert [target for target, _ in fake.syncs] == [None, guild, None]
    assert fake.rejected == []
