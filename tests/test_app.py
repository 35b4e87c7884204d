"""The bot as a whole: every extension loads, the schema fits Discord, sync only on change."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import EXTENSIONS, EssayBot
from bot.services import Services
from tests.exts.documents import make_document
from tests.exts.harness import bot_serving, open_services
from tests.fakediscord import FakeDiscord

NAME = re.compile(r"^[-_a-z0-9]{1,32}$")


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    async with open_services(tmp_path / "prompts.sqlite3", make_document()) as opened:
        yield opened


def check_options(options: list[dict[str, Any]], where: str) -> None:
    assert len(options) <= 25, where
    seen_optional = False
    for opt in options:
        here = f"{where} {opt['name']}"
        assert NAME.match(opt["name"]), here
        assert 1 <= len(opt["description"]) <= 100, here
        assert len(opt.get("choices") or []) <= 25, here
        if opt["type"] in (1, 2):
            check_options(opt.get("options") or [], here)
            continue
        if opt.get("required"):
            assert not seen_optional, f"{here}: required after optional"
        else:
            seen_optional = True
        if opt.get("max_length") is not None:
            assert 1 <= opt["max_length"] <= 6000, here


def size(command: dict[str, Any]) -> int:
    total = len(command["name"]) + len(command.get("description", ""))
    for opt in command.get("options") or []:
        total += size(opt)
    return total


async def test_every_extension_loads_and_the_schema_fits_discords_limits(
    tmp_path: Path, services: Services, fake: FakeDiscord
) -> None:
    async with bot_serving(tmp_path, services, fake) as h:
        assert set(h.bot.extensions) == set(EXTENSIONS)
        schema = h.bot.command_schema()
        names = {c["name"] for c in schema}
        assert names == {"quote", "section", "search", "prompt", "about", "plan", "plan-admin"}
        for command in schema:
            assert NAME.match(command["name"])
            assert 1 <= len(command["description"]) <= 100
            check_options(command.get("options") or [], command["name"])
            assert size(command) <= 4000
        prompt = next(c for c in schema if c["name"] == "prompt")
        subs = {o["name"] for o in prompt["options"]}
        assert subs == {"add", "random", "list", "remove", "restore", "export"}
        assert prompt["contexts"] == [0]  # server only
        admin = next(c for c in schema if c["name"] == "plan-admin")
        assert admin["default_member_permissions"] == 1 << 5  # Manage Server: hidden
        assert {o["name"] for o in admin["options"]} == {
            "start",
            "pause",
            "resume",
            "skip",
            "stop",
            "spoiler-guard",
        }
        plan = next(c for c in schema if c["name"] == "plan")
        assert plan["default_member_permissions"] is None  # everyone sees /plan show
        synced = fake.commands[None]
        assert [
            {k: c.get(k) for k in declared} for c, declared in zip(synced, schema, strict=True)
        ] == (json.loads(json.dumps(schema)))  # what was synced is what is declared
        assert fake.rejected == []
        assert allowed_mentions_none(h.bot)


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
    assert names == {"quote", "section", "search", "prompt", "about", "plan", "plan-admin"}


async def test_close_closes_the_services_once(
    tmp_path: Path, services: Services, fake: FakeDiscord
) -> None:
    async with bot_serving(tmp_path, services, fake) as h:
        await h.bot.close()
        await h.bot.close()
    assert h.closed == 1
