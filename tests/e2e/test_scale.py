"""Three ``python -m bot run`` processes, shards 0–1, 2–3 and 4–5 of six, one PostgreSQL.

Against the fake Discord (30 servers spread over the six shards): 20 members add a
prompt each in every server at once (600 adds) while one process is SIGKILLed and
restarted; each server then lists exactly its own prompts, numbered 1..20. Then the
first sessions of 30 plans fall due together and are each posted once; the second
sessions fall due while one process is down, and are posted once, late, when it is back.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import pytest

from bot.core.library import load_library
from bot.core.plan.service import PlanService
from bot.core.plan.store import PlanStore, ts
from bot.core.prompts import PromptService, PromptStore
from bot.core.search import SearchIndex
from tests import pgserver
from tests.e2e._bot import ROOT, SEEDS
from tests.e2e._plan import posts_by_key
from tests.fakediscord import FakeDiscord, Interaction, User
from tests.fakediscord.harness import final_message

SERVERS = 30
MEMBERS = 20
RANGES = ("0-1", "2-3", "4-5")
BOOT = 90.0
ADDED = re.compile(r"(?:Added as prompt|That prompt is already here, as) #(\d+)")


@pytest.fixture
async def database(postgres: pgserver.Server) -> str:
    name = f"scale_{os.getpid()}"
    conn = await asyncpg.connect(postgres.url)
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {name}")
        await conn.execute(f"CREATE DATABASE {name}")
    finally:
        await conn.close()
    return postgres.url_for(name)


@contextmanager
def bot(
    fake: FakeDiscord, url: str, shards: str, folder: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """``python -m bot run`` for one shard range; SIGKILLed if still running at the end."""
    folder.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DEV_GUILD"))}
    env.update(
        DISCORD_TOKEN=fake.token,
        DISCORD_API_BASE=fake.api_base,
        DATABASE_URL=url,
        DATABASE_PATH=str(folder / "essay-bot.sqlite3"),  # only the command-sync note
        SEEDS_DIR=str(SEEDS),
        SHARD_COUNT="6",
        SHARD_IDS=shards,
        LOG_LEVEL="INFO",
        PYTHONPATH=str(ROOT),
    )
    with (folder / "bot.log").open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], cwd=folder, env=env, stdout=log, stderr=log
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait(10)


def shard(guild_id: str) -> int:
    return (int(guild_id) >> 22) % 6


def proposals() -> list[str]:
    """Twenty different questions, each about a different passage of the essay."""
    essay = load_library(SEEDS).documents[0]
    paragraphs = [p for s in essay.sections for p in s.paragraphs]
    return [f"What is meant here: {p.sentences[0][:140]}?" for p in paragraphs[:MEMBERS]]


async def answer(fake: FakeDiscord, record: Interaction) -> int | None:
    """The prompt number the member was shown, or None if no answer came in time."""
    try:
        message = await final_message(fake, record, within=fake.callback_deadline + 3)
    except TimeoutError:
        return None
    found = ADDED.search(message.get("content") or "")
    return int(found.group(1)) if found else None


async def add_everywhere(
    fake: FakeDiscord, members: list[User], texts: list[str], todo: set[tuple[int, int]]
) -> list[tuple[tuple[int, int], asyncio.Task[int | None]]]:
    sent = []
    for g, m in sorted(todo):
        payload = fake.slash(
            "prompt add",
            {"text": f"{texts[m]} (group {g})"},
            user=members[m],
            guild=fake.guilds[g],
        )
        record = await fake.send_interaction(payload)
        sent.append(((g, m), asyncio.create_task(answer(fake, record))))
    return sent


async def plant_plans(url: str, fake: FakeDiscord) -> None:
    index = SearchIndex.build(load_library(SEEDS))
    store = await PromptStore.open(url)
    try:
        plans = PlanService(PlanStore(store), index, PromptService(store, index))
        for guild in fake.guilds:
            await plans.set_plan(
                guild=guild.id,
                user=fake.moderator.id,
                moderator=True,
                channel=guild.channels[0].id,
                every="day",
                at="19:00",
                tz="Europe/Paris",
                now=datetime.now(UTC),
            )
    finally:
        await store.close()


async def set_dues(url: str, first: datetime, second: datetime) -> None:
    """Sessions 1 and 2 of every plan fall due at ``first`` and ``second``; the rest skip."""
    conn = await asyncpg.connect(url)
    try:
        for number, due in ((1, first), (2, second)):
            await conn.execute(
                "UPDATE plan_sessions SET due_at = $1, next_at = $1 WHERE number = $2",
                ts(due),
                number,
            )
        await conn.execute("UPDATE plan_sessions SET status = 'skipped' WHERE number > 2")
    finally:
        await conn.close()


async def wake_timers(fake: FakeDiscord) -> None:
    """A moderator command in every server wakes the timer of the process that owns it."""
    records = [
        await fake.send_interaction(
            fake.slash("plan-admin spoiler-guard", {"on": True}, user=fake.moderator, guild=g)
        )
        for g in fake.guilds
    ]
    for record in records:
        await final_message(fake, record, within=15)


def session_posts(fake: FakeDiscord, key_suffix: str) -> Counter[str]:
    return Counter({k: n for k, n in posts_by_key(fake).items() if k.endswith(key_suffix)})


async def test_three_processes_share_one_postgresql_through_a_sigkill(
    tmp_path: Path, database: str
) -> None:
    texts = proposals()
    async with FakeDiscord(guilds=SERVERS, shards=6) as fake:
        members = [fake.add_member(f"reader{i}") for i in range(MEMBERS)]
        await plant_plans(database, fake)
        with ExitStack() as running:
            procs = [
                running.enter_context(bot(fake, database, r, tmp_path / f"bot{n}"))
                for n, r in enumerate(RANGES)
            ]
            await fake.wait_until(lambda: fake.ready_count >= 6 and None in fake.commands, BOOT)

            # 600 concurrent adds; process 1 is killed once it has answered a few of its own
            todo = {(g, m) for g in range(SERVERS) for m in range(MEMBERS)}
            sent = await add_everywhere(fake, members, texts, todo)
            ones = [t for (g, _), t in sent if shard(fake.guilds[g].id) in (2, 3)]
            await fake.wait_until(lambda: sum(t.done() for t in ones) >= 10, 60)
            procs[1].send_signal(signal.SIGKILL)
            procs[1].wait(10)
            shown = {key: await task for key, task in sent}
            confirmed = {key: n for key, n in shown.items() if n is not None}
            lost = todo - confirmed.keys()
            assert lost, "the kill came too late to cut anything off"

            with bot(fake, database, RANGES[1], tmp_path / "bot1") as again:
                procs[1] = again
                await fake.wait_until(lambda: fake.ready_count >= 8, BOOT)
                retried = await add_everywhere(fake, members, texts, lost)
                shown.update({key: await task for key, task in retried})
                assert all(n is not None for n in shown.values())
                for key, was in confirmed.items():  # nothing confirmed was lost or moved
                    assert shown[key] == was

                numbers: dict[int, list[int]] = {}
                for (g, _), now_shown in shown.items():
                    numbers.setdefault(g, []).append(int(now_shown or 0))
                assert all(sorted(n) == list(range(1, MEMBERS + 1)) for n in numbers.values())
                await check_lists(fake, members, database)

                # plans: 30 first sessions due together, second ones while process 1 is down
                now = datetime.now(UTC)
                first, second = now + timedelta(seconds=4), now + timedelta(seconds=10)
                await set_dues(database, first, second)
                await wake_timers(fake)
                await fake.wait_until(lambda: len(session_posts(fake, "-s1")) == SERVERS, 30)
                again.send_signal(signal.SIGKILL)
                again.wait(10)
            await fake.wait_until(lambda: len(session_posts(fake, "-s2")) >= SERVERS * 2 // 3, 40)
            with bot(fake, database, RANGES[1], tmp_path / "bot1"):
                await fake.wait_until(lambda: len(session_posts(fake, "-s2")) == SERVERS, BOOT)
                await asyncio.sleep(2)  # time for a second post, were there one
            counts = posts_by_key(fake)
            assert sum(counts.values()) == 2 * SERVERS
            assert set(counts.values()) == {1}, "a session was posted twice"
            final = await statuses(database)
            assert set(final) <= {"posted", "late"}
            assert sum(final.values()) == 2 * SERVERS
            for proc in procs:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)
                    proc.wait(30)


async def statuses(url: str) -> dict[str, int]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT status, count(*) FROM plan_sessions WHERE number <= 2 GROUP BY status"
        )
    finally:
        await conn.close()
    return {r[0]: r[1] for r in rows}


async def check_lists(fake: FakeDiscord, members: list[User], url: str) -> None:
    """Every server lists its own 20 prompts, newest first; none of another server's."""
    for g, guild in enumerate(fake.guilds):
        record = await fake.send_interaction(
            fake.slash("prompt list", {}, user=members[0], guild=guild)
        )
        message = await final_message(fake, record, within=15)
        embed = message["embeds"][0]
        assert embed["footer"]["text"].startswith(f"{MEMBERS} prompts")
        names = [f["name"].split()[0] for f in embed["fields"]]
        assert names == [f"#{n}" for n in range(MEMBERS, MEMBERS - len(names), -1)]
        assert all(f"(group {g})" in f["value"] for f in embed["fields"])
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT guild, number, text FROM prompts")
    finally:
        await conn.close()
    ids = {guild.id: g for g, guild in enumerate(fake.guilds)}
    assert len(rows) == SERVERS * MEMBERS
    for guild, _, text in rows:
        assert text.endswith(f"(group {ids[guild]})")
