"""The plan cog against the fake Discord: commands, the timer's posts, threads, permissions."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import discord
import pytest

from bot.core.db import Tx
from bot.core.plan.store import ts
from bot.exts.plan.timer import PlanTimer
from bot.services import Services
from tests.exts.harness import EPHEMERAL, Harness
from tests.fakediscord import JSON, FakeUsageError
from tests.fakediscord.server import CREATE_PUBLIC_THREADS, SEND_MESSAGES

START = {"every": "day", "time": "19:00", "timezone": "Europe/Paris"}


def channel_of(harness: Harness) -> str:
    return harness.fake.guild.channels[0].id


async def start_plan(harness: Harness, **options: Any) -> JSON:
    payload = harness.slash(
        "plan-admin start",
        {"channel": channel_of(harness), **START, **options},
        user=harness.fake.moderator,
    )
    return await harness.final(await harness.answer(payload))


async def due_in(services: Services, *seconds: float) -> None:
    """Make the plan's sessions fall due ``seconds`` from now: times are data."""
    now = datetime.now(UTC)

    async def op(conn: Tx) -> None:
        for number, delay in enumerate(seconds, start=1):
            when = ts(now + timedelta(seconds=delay))
            await conn.execute(
                "UPDATE plan_sessions SET due_at = ?, next_at = ? WHERE number = ? "
                "AND plan = (SELECT max(id) FROM plans)",
                (when, when, number),
            )

    await services.prompts.store.transact(op)


def timer_of(harness: Harness) -> PlanTimer:
    """The loaded cog's timer (``load_extension`` imports the module afresh)."""
    timer = getattr(harness.bot.get_cog("PlanCog"), "timer", None)
    assert type(timer).__name__ == "PlanTimer"
    return timer  # type: ignore[return-value]


async def test_a_moderator_starts_a_plan_and_everyone_sees_it(harness: Harness) -> None:
    shown = await start_plan(harness)
    assert shown["flags"] & EPHEMERAL
    assert shown["content"].startswith("Reading plan started: 2 sessions, the first <t:")
    embed = shown["embeds"][0]
    assert embed["title"] == "Reading plan: A Tale of Two Rivers"
    assert "every day at 19:00 (Europe/Paris)" in embed["description"]
    listed = await harness.final(await harness.answer(harness.slash("plan show")))
    lines = [line for line in listed["embeds"][0]["description"].splitlines() if "**" in line]
    assert len(lines) == 2
    assert lines[0].startswith("**1.** § 1 · <t:")
    assert ":F> (<t:" in lines[0]
    assert lines[0].endswith(":R>) · scheduled")


async def test_the_moderator_actions_are_hidden_from_members(harness: Harness) -> None:
    # Discord hides /plan-admin (default permission Manage Server); the service checks
    # again in case a server shows it to more members (tests/core/plan/test_service.py).
    for action in ("start", "pause", "stop", "skip"):
        options = {"channel": channel_of(harness), **START} if action == "start" else {}
        with pytest.raises(FakeUsageError, match="not shown to"):
            harness.slash(f"plan-admin {action}", options, user=harness.member)
    assert harness.slash("plan show", user=harness.member)


async def test_a_bad_time_zone_is_refused_with_suggestions(harness: Harness) -> None:
    shown = await start_plan(harness, timezone="Paris")
    assert "Did you mean Europe/Paris?" in shown["content"]
    choices = await harness.answer(
        harness.typing(
            "plan-admin start",
            "timezone",
            {"channel": channel_of(harness), **START, "timezone": "new_yo"},
            user=harness.fake.moderator,
        )
    )
    assert [c["value"] for c in choices.data["choices"]] == ["America/New_York"]


async def test_sessions_are_posted_on_time_with_a_thread_and_a_reading_button(
    harness: Harness, services: Services
) -> None:
    await start_plan(harness)
    await harness.bot.wait_until_ready()  # the timer starts once the gateway is ready
    await due_in(services, 0.5, 1.5)
    timer_of(harness).wake()
    channel = channel_of(harness)
    fake = harness.fake
    await fake.wait_until(lambda: len(fake.channel_posts(channel)) == 2, within=10)
    first, second = fake.channel_posts(channel)
    embed = first["embeds"][0]
    assert embed["title"] == "Session 1 of 2 · § 1 Opening Moves"
    assert embed["description"].startswith("> Rivers carry salt to the sea.")
    assert embed["fields"][0]["name"] == "Length"
    assert embed["fields"][0]["value"].endswith("words · about 1 min")
    assert first["nonce"] == "plan1-s1"
    assert first["mentions"] == []
    assert second["embeds"][0]["title"] == "Session 2 of 2 · § 2 Harbour Lights"
    await fake.wait_until(lambda: second["id"] in fake.channels)
    assert fake.channels[first["id"]].name == "Session 1 of 2 · § 1 Opening Moves"
    view = await services.plans.show(fake.guild.id)
    assert [s.status for s in view.sessions] == ["posted", "posted"]
    assert [s.message for s in view.sessions] == [first["id"], second["id"]]
    lateness = [s.posted_at - s.due_at for s in view.sessions if s.posted_at]
    assert all(timedelta(0) <= late < timedelta(seconds=1) for late in lateness), lateness
    listed = await harness.final(await harness.answer(harness.slash("plan show")))
    link = f"https://discord.com/channels/{fake.guild.id}/{channel}/{first['id']}"
    assert f"[posted]({link})" in listed["embeds"][0]["description"]

    pressed = await harness.answer(harness.press(first, "Read § 1"))
    assert pressed.data["flags"] & EPHEMERAL
    assert pressed.data["embeds"][0]["title"] == "§ 1 Opening Moves"
    assert "Nobody asked the river." in pressed.data["embeds"][0]["description"]


async def test_missing_permissions_are_reported_at_start_and_when_they_change(
    harness: Harness, services: Services
) -> None:
    channel = channel_of(harness)
    bot = harness.bot

    def bot_may_open_threads() -> bool:
        text = bot.get_channel(int(channel))
        assert isinstance(text, discord.TextChannel)
        return text.permissions_for(text.guild.me).create_public_threads

    await harness.fake.deny_bot(channel, CREATE_PUBLIC_THREADS)
    await harness.fake.wait_until(lambda: not bot_may_open_threads())
    shown = await start_plan(harness)
    assert f"⚠ I lack Create Public Threads in <#{channel}>." in shown["content"]

    async def noted() -> str | None:
        return (await services.plans.show(harness.fake.guild.id)).plan.problem

    async def wait_noted(expected: str | None) -> None:
        for _ in range(100):
            if await noted() == expected:
                return
            await asyncio.sleep(0.05)
        assert await noted() == expected

    # The channel changes later: logged and shown in /plan show without waiting for a post.
    await harness.fake.deny_bot(channel, SEND_MESSAGES)
    expected = f"I lack Send Messages, Embed Links in <#{channel}>."
    await wait_noted(expected)
    listed = await harness.final(await harness.answer(harness.slash("plan show")))
    assert f"⚠ {expected}" in listed["embeds"][0]["description"]

    # A post refused meanwhile keeps its intent and says why.
    await due_in(services, 0.2, 3600)
    timer_of(harness).wake()
    for _ in range(100):
        if (await services.plans.show(harness.fake.guild.id)).sessions[0].error:
            break
        await asyncio.sleep(0.05)
    view = await services.plans.show(harness.fake.guild.id)
    assert view.sessions[0].status == "posting"  # kept, to be retried with backoff
    assert view.sessions[0].error == expected
    assert harness.fake.channel_posts(channel) == []

    await harness.fake.deny_bot(channel, 0)
    await wait_noted(None)


async def test_show_without_a_plan_says_how_to_get_one(harness: Harness) -> None:
    shown = await harness.final(await harness.answer(harness.slash("plan show")))
    assert shown["flags"] & EPHEMERAL
    assert shown["content"] == "This server has no reading plan; a moderator can start one."


async def test_a_moderator_pauses_skips_resumes_and_stops(harness: Harness) -> None:
    await start_plan(harness)
    moderator = harness.fake.moderator

    async def act(action: str) -> JSON:
        payload = harness.slash(f"plan-admin {action}", user=moderator)
        return await harness.final(await harness.answer(payload))

    assert (await act("pause"))["content"].startswith("Reading plan paused")
    assert (await act("skip"))["content"] == "Session 1 (§ 1) skipped; it will not be posted."
    resumed = await act("resume")
    assert resumed["content"] == "Reading plan resumed; the remaining sessions moved."
    assert "· skipped" in resumed["embeds"][0]["description"]
    assert (await act("stop"))["content"].startswith("Reading plan stopped")
    assert (await act("pause"))["content"] == "This server has no running reading plan."


async def test_shutdown_lets_a_post_under_way_finish(harness: Harness, services: Services) -> None:
    await start_plan(harness)
    await harness.bot.wait_until_ready()
    fake = harness.fake
    fake.round_trip = 0.6  # each request takes 0.3 s each way from here on
    await due_in(services, 0.1, 86_400)
    timer_of(harness).wake()
    channel = channel_of(harness)
    posting = f"/channels/{channel}/messages"
    await fake.wait_until(lambda: any(r.path == posting for r in fake.requests), within=5)
    await harness.bot.unload_extension("bot.exts.plan")  # what closing the bot does first
    first = (await services.plans.show(fake.guild.id)).sessions[0]
    assert first.status == "posted"
    assert first.message == fake.channel_posts(channel)[0]["id"]
