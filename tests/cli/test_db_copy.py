"""``python -m bot db copy``: a SQLite file's prompts, events and plans moved to PostgreSQL,
verified, and safe to run again."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.core.plan.service import PlanService
from bot.core.plan.store import PlanStore
from bot.core.prompt_store import PromptStore
from bot.core.search import SearchIndex
from tests.core.test_prompts import make_library

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
SERVERS = ("111", "222", "333")


async def fill(target: Path | str, start: int = 0, count: int = 5) -> None:
    """Prompts (one removed, one posted), a built-in post, a plan, a setting, a thread."""
    store = await PromptStore.open(target)
    try:
        for guild in SERVERS:
            for i in range(start, start + count):
                await store.add(
                    guild=guild, channel="9", author="7", text=f"prompt {i} of server {guild}"
                )
        await store.log_posted(guild="222", number=1, actor="8", channel="9")
        await store.log_posted(guild="333", builtin="essay/1", actor="8", channel="9")
        if start == 0:
            await store.remove(guild="111", number=2, actor="7")
            plans = PlanStore(store)
            service = PlanService(plans, SearchIndex.build(make_library()), None)  # type: ignore[arg-type]
            await service.set_plan(
                guild="111",
                user="7",
                moderator=True,
                channel="9",
                every="day",
                at="19:00",
                tz="Europe/Paris",
                now=NOW,
            )
            await plans.set_spoiler_guard("222", False)
            await plans.set_essay("333", "another-essay")
            await plans.save_passage_thread("333", "9", "doc/1/2", "44", NOW)
    finally:
        await store.close()


async def snapshot(target: Path | str) -> dict[str, Any]:
    """Everything a member or the bot can read back, per server."""
    store = await PromptStore.open(target)
    try:
        plans = PlanStore(store)
        seen: dict[str, Any] = {}
        for guild in SERVERS:
            plan = await plans.current_plan(guild)
            seen[guild] = (
                [p.to_json() for p in await store.list(guild, include_removed=True)],
                [e.to_json() for e in await store.events(guild)],
                plan,
                await plans.sessions(plan.id) if plan else None,
                await plans.spoiler_guard(guild),
                await plans.essay(guild),
                await plans.passage_thread(guild, "9", "doc/1/2"),
            )
        return seen
    finally:
        await store.close()


def copy(capsys: pytest.CaptureFixture[str], source: Path, url: str) -> tuple[int, str, str]:
    code = main(["db", "copy", "--from", f"sqlite:{source}", "--to", url])
    out, err = capsys.readouterr()
    return code, out, err


def test_copy_moves_everything_verifies_it_and_can_run_again(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "bot.sqlite3"
    asyncio.run(fill(source))
    code, out, err = copy(capsys, source, pg_url)
    assert (code, err) == (0, "")
    assert "prompts: 15 rows copied and verified" in out
    assert "per-server numbering verified for 3 servers" in out
    assert asyncio.run(snapshot(pg_url)) == asyncio.run(snapshot(source))

    # Run again after the bot wrote more to the file: brought up to date, nothing doubled.
    asyncio.run(fill(source, start=5, count=2))
    assert copy(capsys, source, pg_url)[0] == 0
    copied = asyncio.run(snapshot(pg_url))
    assert copied == asyncio.run(snapshot(source))
    assert [p["number"] for p in copied["111"][0]] == list(range(7, 0, -1))

    # On PostgreSQL the numbering and the ids go on from the copied ones.
    async def add_after() -> int:
        store = await PromptStore.open(pg_url)
        try:
            prompt, _ = await store.add(guild="111", channel=None, author="1", text="new on pg")
            await store.log_posted(guild="111", number=prompt.number, actor="1", channel=None)
            return prompt.number
        finally:
            await store.close()

    assert asyncio.run(add_after()) == 8


def test_a_target_holding_other_data_under_the_same_keys_is_refused_untouched(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "bot.sqlite3"
    asyncio.run(fill(source))
    asyncio.run(fill(pg_url, start=100, count=1))  # a bot already ran on PostgreSQL
    before = asyncio.run(snapshot(pg_url))
    code, out, err = copy(capsys, source, pg_url)
    assert code == 1
    assert out == ""
    assert "already holds other data under a key" in err
    assert "Key (guild, number)=(" in err
    assert "Nothing was copied" in err
    assert asyncio.run(snapshot(pg_url)) == before


def test_bad_arguments_are_refused_with_a_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = copy(capsys, tmp_path / "missing.sqlite3", "postgresql://x/y")
    assert code == 2
    assert "no SQLite file" in err
    code = main(["db", "copy", "--from", "data.sqlite3", "--to", "postgresql://x/y"])
    assert code == 2
    assert "sqlite:PATH" in capsys.readouterr().err


def test_a_key_the_target_uses_for_another_server_stops_the_copy(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Plan 1 in the target is another server's: copying the file's plan 1 would take it."""

    async def other_servers_plan() -> None:
        store = await PromptStore.open(pg_url)
        try:
            plans = PlanService(PlanStore(store), SearchIndex.build(make_library()), None)  # type: ignore[arg-type]
            await plans.set_plan(
                guild="999",
                user="7",
                moderator=True,
                channel="9",
                every="week",
                day="mon",
                at="08:00",
                tz="UTC",
                now=NOW,
            )
        finally:
            await store.close()

    source = tmp_path / "bot.sqlite3"
    asyncio.run(fill(source))
    asyncio.run(other_servers_plan())
    before = asyncio.run(snapshot(pg_url))
    code, _, err = copy(capsys, source, pg_url)
    assert code == 1
    assert "plans rows could not be copied" in err
    assert "id=1" in err
    assert asyncio.run(snapshot(pg_url)) == before
