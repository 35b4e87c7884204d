"""Several bot processes on one PostgreSQL database: each due session posted by one of them,
and each process scheduling only the servers on its own shards."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.core.plan.model import Plan, Session
from bot.core.plan.scheduler import Scheduler
from bot.core.plan.service import PlanService, SessionPost
from bot.core.plan.store import PlanStore
from bot.core.prompts import PromptService, PromptStore
from bot.core.search import SearchIndex
from bot.core.shards import ShardRange, shard_of
from tests.core.plan.test_scheduler import FIRST, NOW, Channel, Clock
from tests.core.test_prompts import BUILTINS

SERVERS = 30


class SlowChannel(Channel):
    """A shared channel whose posts take a moment, as Discord's do: the window for a race."""

    async def post(self, plan: Plan, session: Session, content: SessionPost) -> str:
        await asyncio.sleep(0.01)
        return await super().post(plan, session, content)


def guild(n: int) -> str:
    """A server id on shard ``n % count`` for any count (the shard is ``id >> 22``)."""
    return str(n << 22)


@pytest.fixture
async def stores(pg_url: str) -> AsyncIterator[list[PromptStore]]:
    """Three connections pools to one database, as three processes would have."""
    opened = [await PromptStore.open(pg_url) for _ in range(3)]
    yield opened
    for store in opened:
        await store.close()


def service(store: PromptStore, index: SearchIndex, shards: ShardRange | None) -> PlanService:
    prompts = PromptService(store, index, BUILTINS)
    return PlanService(PlanStore(store, shards=shards), index, prompts)


async def plan_everywhere(plans: PlanService) -> None:
    for n in range(SERVERS):
        await plans.set_plan(
            guild=guild(n),
            user="1",
            moderator=True,
            channel=str(500 + n),
            every="day",
            at="19:00",
            tz="Europe/Paris",
            now=NOW,
        )


async def test_three_processes_post_each_session_falling_due_together_once(
    stores: list[PromptStore], index: SearchIndex
) -> None:
    services = [service(store, index, None) for store in stores]
    await plan_everywhere(services[0])
    channel, clock = SlowChannel(), Clock(FIRST + timedelta(seconds=1))
    schedulers = [Scheduler(plans, channel, clock) for plans in services]
    outcomes = await asyncio.gather(*(s.run_due() for s in schedulers))
    assert Counter(channel.posted_keys()).most_common(1)[0][1] == 1  # nothing posted twice
    assert len(channel.posted_keys()) == SERVERS
    assert sum(len(o) for o in outcomes) == SERVERS
    assert all(o.result == "posted" for done in outcomes for o in done)
    for n in range(SERVERS):
        shown = (await services[1].show(guild(n))).to_json()
        assert shown["sessions"][0]["status"] == "posted"


async def test_each_process_schedules_only_the_servers_on_its_shards(
    stores: list[PromptStore], index: SearchIndex
) -> None:
    ranges = [ShardRange(6, (0, 1)), ShardRange(6, (2, 3)), ShardRange(6, (4, 5))]
    services = [service(s, index, r) for s, r in zip(stores, ranges, strict=True)]
    await plan_everywhere(services[0])
    channels = [SlowChannel() for _ in services]
    clock = Clock(FIRST + timedelta(seconds=1))
    for plans, channel, shards in zip(services, channels, ranges, strict=True):
        mine = {guild(n) for n in range(SERVERS) if shards.owns(n << 22)}
        assert len(mine) == SERVERS // 3
        assert {p.guild for p, _ in await plans.store.due(clock())} == mine
        await Scheduler(plans, channel, clock).run_due()
        assert len(channel.posted_keys()) == len(mine)
        assert await plans.store.due(clock()) == []
    everything = [key for channel in channels for key in channel.posted_keys()]
    assert len(everything) == len(set(everything)) == SERVERS


async def test_shard_scoping_is_the_same_sql_on_both_backends(
    db: PromptStore, index: SearchIndex
) -> None:
    everywhere = service(db, index, None)
    await plan_everywhere(everywhere)
    clock = Clock(FIRST + timedelta(seconds=1))
    assert len(await everywhere.store.due(clock())) == SERVERS
    for shards in (ShardRange(4, (1,)), ShardRange(6, (0, 5))):
        scoped = service(db, index, shards)
        due = {plan.guild for plan, _ in await scoped.store.due(clock())}
        assert due == {
            guild(n) for n in range(SERVERS) if shard_of(n << 22, shards.count) in shards.ids
        }


async def test_a_schedule_changed_by_one_process_wakes_the_others(
    stores: list[PromptStore], index: SearchIndex
) -> None:
    heard = asyncio.Event()
    listener = service(stores[1], index, None)
    undo = await listener.store.on_change(heard.set)
    try:
        await plan_everywhere(service(stores[0], index, None))
        await asyncio.wait_for(heard.wait(), timeout=5)
    finally:
        await undo()
