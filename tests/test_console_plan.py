"""The console's /plan commands: the cog's replies, printed, over the real plan service."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.console import Console, parse
from bot.services import Caller, Services
from tests.exts.documents import make_document
from tests.exts.harness import open_services


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    async with open_services(tmp_path / "prompts.sqlite3", make_document()) as opened:
        yield opened


def console_for(services: Services, *, moderator: bool) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    caller = Caller(
        user="7", guild="1", channel=None, can_moderate=moderator, can_manage_guild=moderator
    )
    return Console(services, caller, out=out, exports=Path("unused-exports")), out


def test_plan_set_parses_its_options() -> None:
    assert parse("/plan set 55 every: week day: thu at: 19:00 tz: Europe/Paris") == (
        "plan set",
        {"channel": "55", "every": "week", "day": "thu", "at": "19:00", "tz": "Europe/Paris"},
    )


async def test_a_moderator_runs_the_plan_from_the_console(services: Services) -> None:
    console, out = console_for(services, moderator=True)
    await console.handle("/plan set 55 every: day at: 19:00 tz: Europe/Paris per-session: 2")
    text = out.getvalue()
    assert "Reading plan started: " in text
    assert "every day at 19:00 (Europe/Paris) in <#55>" in text
    assert "**1.** § 1, § 2 · <t:" in text
    assert ":R>) · scheduled" in text
    await console.handle("/plan due 2100-01-01T00:00")
    assert "would be marked missed" in out.getvalue()
    await console.handle("/plan skip")
    assert "Session 1 (§ 1, § 2) skipped" in out.getvalue()
    await console.handle("/plan pause")
    assert "Reading plan paused" in out.getvalue()
    await console.handle("/plan resume")
    assert "remaining sessions moved" in out.getvalue()
    await console.handle("/plan guard off")
    assert "Spoiler guard off" in out.getvalue()
    await console.handle("/plan show")
    assert "Spoiler guard: off" in out.getvalue()
    await console.handle("/plan stop")
    assert "Reading plan stopped" in out.getvalue()


async def test_members_see_the_plan_but_cannot_change_it(services: Services) -> None:
    moderator, _ = console_for(services, moderator=True)
    await moderator.handle("/plan set 55 every: weekday at: 08:00 tz: Asia/Tokyo")
    member, out = console_for(services, moderator=False)
    await member.handle("/plan show")
    assert "every weekday (Mon–Fri) at 08:00 (Asia/Tokyo)" in out.getvalue()
    for line in (
        "/plan pause",
        "/plan stop",
        "/plan guard off",
        "/plan set 1 every: day at: 1:00 tz: UTC",
    ):
        await member.handle(line)
    assert out.getvalue().count("Only moderators (Manage Server)") == 4
    await moderator.handle("/plan set 1 every: day at: 1:00 tz: Paris")
    await moderator.handle("/plan set 1 every: day at: 1:00 tz: UTC per-session: two")
    await member.handle("/plan show")
    assert out.getvalue().count("every weekday (Mon–Fri) at 08:00 (Asia/Tokyo)") == 2
