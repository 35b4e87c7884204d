"""Sharding: each process identifies with its shards and serves only its servers' events.

The fake Discord sends a server's events to shard ``(guild_id >> 22) % count``, as
Discord does; two bots run shards 0 and 1 of 2 side by side, and a bot with no shard
settings runs what Discord recommends (``/gateway/bot``) in one process.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import EssayBot
from bot.runtime import open_services
from bot.settings import Settings
from tests.e2e._bot import SEEDS, run
from tests.fakediscord import FakeDiscord, running

GUILDS = 6


def sharded_settings(fake: FakeDiscord, data_dir: Path, shards: dict[str, str]) -> Settings:
    environ = {
        "DISCORD_TOKEN": fake.token,
        "DATABASE_PATH": str(data_dir / "essay-bot.sqlite3"),
        "SEEDS_DIR": str(SEEDS),
        **shards,
    }
    return Settings.load(env_file=data_dir / "no.env", environ=environ)


@contextlib.asynccontextmanager
async def bot_on(fake: FakeDiscord, data_dir: Path, **shards: str) -> AsyncIterator[EssayBot]:
    bot = EssayBot(sharded_settings(fake, data_dir, shards), open_services=open_services)
    async with running(bot, fake, ready_within=60):
        await fake.wait_until(bot.is_ready, within=30)
        yield bot


def shard(guild_id: str, count: int) -> int:
    return (int(guild_id) >> 22) % count


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(guilds=GUILDS, shards=2) as fake:
        yield fake


async def test_two_processes_split_the_servers_by_shard_and_answer_only_their_own(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    owned = [{g.id for g in fake.guilds if shard(g.id, 2) == n} for n in (0, 1)]
    assert all(owned), "the fake's servers should spread over both shards"
    async with (
        bot_on(fake, tmp_path / "a", SHARD_COUNT="2", SHARD_IDS="0") as first,
        bot_on(fake, tmp_path / "b", SHARD_COUNT="2", SHARD_IDS="1") as second,
    ):
        identified = [f["d"]["shard"] for _, kind, f in fake.gateway_log if kind == "in:2"]
        assert sorted(identified) == [[0, 2], [1, 2]]
        assert len(fake.syncs) == 1  # commands are the application's: shard 0's process syncs
        assert {str(g.id) for g in first.guilds} == owned[0]
        assert {str(g.id) for g in second.guilds} == owned[1]
        for guild in fake.guilds:
            _, answer = await run(fake, fake.slash("about", guild=guild))
            fields = {f["name"]: f["value"] for f in answer["embeds"][0]["fields"]}
            assert fields["Shards"] == f"shards {shard(guild.id, 2)} of 2"


async def test_without_shard_settings_one_process_runs_what_discord_recommends(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    async with bot_on(fake, tmp_path / "a") as bot:
        assert (bot.shard_count, sorted(bot.shards)) == (2, [0, 1])
        assert {str(g.id) for g in bot.guilds} == {g.id for g in fake.guilds}
        _, answer = await run(fake, fake.slash("about", guild=fake.guilds[-1]))
        fields = {f["name"]: f["value"] for f in answer["embeds"][0]["fields"]}
        assert fields["Shards"] == "shards 0–1 of 2"


async def test_an_invalid_shard_is_refused_by_the_gateway(fake: FakeDiscord) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as http, http.ws_connect(fake.gateway_url) as ws:
        await ws.receive_json()  # HELLO
        await ws.send_json(
            {"op": 2, "d": {"token": fake.token, "intents": 1, "properties": {}, "shard": [2, 2]}}
        )
        closed = await ws.receive()
        assert ws.close_code == 4010, closed
