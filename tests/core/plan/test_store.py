"""The plan tables on a real SQLite file: one claim per session, per-server rows."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.core.plan.service import PlanService
from bot.core.plan.store import PlanStore
from bot.core.prompts import PromptStore

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


async def test_concurrent_claims_of_one_session_succeed_once(plans: PlanService) -> None:
    await plans.set_plan(
        guild="G1",
        user="1",
        moderator=True,
        channel="5",
        every="day",
        at="19:00",
        tz="UTC",
        now=NOW,
    )
    store = plans.store
    due = NOW + timedelta(days=1)
    first = await store.claim(1, 1, due)
    assert first is not None
    assert first.attempts == 1
    await store.record_posted(1, 1, message="9", posted_at=due, late=False)
    claims = await asyncio.gather(*(store.claim(1, 1, due) for _ in range(10)))
    assert claims == [None] * 10
    assert await store.claim(1, 2, NOW) is None  # not due yet


async def test_passage_threads_are_one_per_passage_per_channel(db: PromptStore) -> None:
    store = PlanStore(db)
    assert await store.passage_thread("G1", "5", "doc/1/2") is None
    await store.save_passage_thread("G1", "5", "doc/1/2", "100", NOW)
    await store.save_passage_thread("G1", "6", "doc/1/2", "200", NOW)
    assert await store.passage_thread("G1", "5", "doc/1/2") == "100"
    await store.save_passage_thread("G1", "5", "doc/1/2", "300", NOW)  # re-created
    assert await store.passage_thread("G1", "5", "doc/1/2") == "300"
    assert await store.passage_thread("G2", "5", "doc/1/2") is None
