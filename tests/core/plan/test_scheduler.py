"""Exactly once, through crashes and failures: the scheduler against a recording channel."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from bot.core.plan.model import Plan, Session
from bot.core.plan.scheduler import PostFailed, Scheduler, backoff
from bot.core.plan.service import PlanService, SessionPost

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
FIRST = datetime(2026, 6, 1, 17, 0, tzinfo=UTC)  # session 1: 19:00 in Paris


class Crash(BaseException):
    """Stands for the process dying (SIGKILL): nothing after it runs."""


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Channel:
    """A channel that keeps every post; with ``enforce_nonce`` it refuses repeats like Discord."""

    enforce_nonce: bool = False
    posts: list[tuple[str, str, str]] = field(default_factory=list)  # id, key, title
    threads: dict[str, str] = field(default_factory=dict)
    crash_before_send: int = 0
    crash_after_send: int = 0
    failures: int = 0
    thread_failures: int = 0
    crash_before_thread: int = 0

    async def post(self, plan: Plan, session: Session, content: SessionPost) -> str:
        if self.crash_before_send:
            self.crash_before_send -= 1
            raise Crash
        if self.failures:
            self.failures -= 1
            raise PostFailed("503 Service Unavailable")
        if self.enforce_nonce:
            for message, key, _ in self.posts:
                if key == session.key:
                    return message
        message = str(1000 + len(self.posts))
        self.posts.append((message, session.key, content.title))
        if self.crash_after_send:
            self.crash_after_send -= 1
            raise Crash
        return message

    async def find(self, plan: Plan, session: Session) -> str | None:
        return next((m for m, key, _ in self.posts if key == session.key), None)

    async def open_thread(self, plan: Plan, session: Session, message: str, name: str) -> str:
        if self.crash_before_thread:
            self.crash_before_thread -= 1
            raise Crash
        if self.thread_failures:
            self.thread_failures -= 1
            raise PostFailed("403 Missing Permissions")
        self.threads[message] = name
        return f"t{message}"

    def posted_keys(self) -> list[str]:
        return [key for _, key, _ in self.posts]


async def start(plans: PlanService) -> None:
    await plans.set_plan(
        guild="G1",
        user="1",
        moderator=True,
        channel="55",
        every="day",
        at="19:00",
        tz="Europe/Paris",
        now=NOW,
    )


async def statuses(plans: PlanService) -> list[str]:
    return [s["status"] for s in (await plans.show("G1")).to_json()["sessions"]]


async def test_a_due_session_is_posted_once_with_its_thread(plans: PlanService) -> None:
    await start(plans)
    clock, channel = Clock(FIRST - timedelta(seconds=1)), Channel()
    scheduler = Scheduler(plans, channel, clock)
    assert await scheduler.next_wake() == FIRST
    assert await scheduler.run_due() == []
    clock.now = FIRST
    (outcome,) = await scheduler.run_due()
    assert (outcome.result, outcome.lateness) == ("posted", timedelta(0))
    assert await scheduler.run_due() == []
    assert channel.posted_keys() == ["plan1-s1"]
    assert channel.threads == {"1000": "Session 1 of 3 · § 1 Opening Remarks"}
    session = (await plans.show("G1")).sessions[0]
    assert (session.status, session.message, session.thread) == ("posted", "1000", "t1000")
    assert await scheduler.next_wake() == FIRST + timedelta(days=1)


async def test_a_crash_after_sending_is_found_in_the_channel_not_sent_again(
    plans: PlanService,
) -> None:
    await start(plans)
    clock = Clock(FIRST)
    channel = Channel(enforce_nonce=False, crash_after_send=1)  # only the look-up can save us
    with pytest.raises(Crash):
        await Scheduler(plans, channel, clock).run_due()
    assert await statuses(plans) == ["pending", "pending", "pending"]  # intent, shown pending
    clock.now = FIRST + timedelta(minutes=10)
    (outcome,) = await Scheduler(plans, channel, clock).run_due()  # the restarted process
    assert outcome.result == "found"
    assert channel.posted_keys() == ["plan1-s1"]
    session = (await plans.show("G1")).sessions[0]
    assert (session.message, session.thread) == ("1000", "t1000")


async def test_a_crash_before_sending_posts_after_the_restart(plans: PlanService) -> None:
    await start(plans)
    clock, channel = Clock(FIRST), Channel(crash_before_send=1)
    with pytest.raises(Crash):
        await Scheduler(plans, channel, clock).run_due()
    assert channel.posts == []
    (outcome,) = await Scheduler(plans, channel, clock).run_due()
    assert outcome.result == "posted"
    assert channel.posted_keys() == ["plan1-s1"]


async def test_a_crash_between_the_post_and_its_thread_opens_the_thread_after_restart(
    plans: PlanService,
) -> None:
    await start(plans)
    clock, channel = Clock(FIRST), Channel(crash_before_thread=1)
    with pytest.raises(Crash):
        await Scheduler(plans, channel, clock).run_due()
    session = (await plans.show("G1")).sessions[0]
    assert (session.status, session.thread) == ("posted", None)
    clock.now = FIRST + timedelta(minutes=1)
    assert await Scheduler(plans, channel, clock).run_due() == []  # the restarted process
    assert channel.posted_keys() == ["plan1-s1"]
    assert list(channel.threads) == ["1000"]
    session = (await plans.show("G1")).sessions[0]
    assert (session.status, session.thread) == ("posted", "t1000")


async def test_late_within_grace_is_posted_once_marked_late(plans: PlanService) -> None:
    await start(plans)
    clock, channel = Clock(FIRST + timedelta(hours=5)), Channel()
    (outcome,) = await Scheduler(plans, channel, clock).run_due()
    assert outcome.result == "late"
    assert await statuses(plans) == ["late", "pending", "pending"]
    assert await Scheduler(plans, channel, clock).run_due() == []
    assert channel.posted_keys() == ["plan1-s1"]


async def test_beyond_grace_is_marked_missed_and_not_posted(plans: PlanService) -> None:
    await start(plans)
    clock, channel = Clock(FIRST + timedelta(days=1, hours=1)), Channel()
    outcomes = await Scheduler(plans, channel, clock).run_due()
    assert [o.result for o in outcomes] == ["missed", "late"]
    assert await statuses(plans) == ["missed", "late", "pending"]
    assert channel.posted_keys() == ["plan1-s2"]


async def test_a_failed_post_is_retried_with_backoff_until_it_goes_through(
    plans: PlanService,
) -> None:
    await start(plans)
    clock, channel = Clock(FIRST), Channel(failures=2)
    scheduler = Scheduler(plans, channel, clock)
    assert [o.result for o in await scheduler.run_due()] == ["retry"]
    assert await scheduler.next_wake() == FIRST + backoff(1)
    shown = (await plans.show("G1")).sessions[0]
    assert shown.error == "503 Service Unavailable"
    assert await scheduler.run_due() == []  # not before the retry time
    clock.now = FIRST + backoff(1)
    assert [o.result for o in await scheduler.run_due()] == ["retry"]
    assert await scheduler.next_wake() == clock.now + backoff(2)
    clock.now += backoff(2)
    assert [o.result for o in await scheduler.run_due()] == ["posted"]
    assert channel.posted_keys() == ["plan1-s1"]
    assert (await plans.show("G1")).sessions[0].error is None


async def test_a_post_that_keeps_failing_ends_missed_with_its_reason(plans: PlanService) -> None:
    await start(plans)
    clock, channel = Clock(FIRST), Channel(failures=10_000)
    scheduler = Scheduler(plans, channel, clock)
    results: list[str] = []
    while (wake := await scheduler.next_wake()) is not None and wake < FIRST + timedelta(hours=7):
        clock.now = max(clock.now, wake)
        results += [o.result for o in await scheduler.run_due() if o.number == 1]
    assert results[-1] == "missed"
    assert set(results[:-1]) == {"retry"}
    session = (await plans.show("G1")).sessions[0]
    assert (session.status, session.error) == ("missed", "503 Service Unavailable")
    assert channel.posts == []


async def test_backoff_doubles_up_to_ten_minutes() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 10, 99)] == [5, 10, 20, 600, 600]


async def test_a_thread_that_cannot_be_opened_leaves_the_post_and_says_why(
    plans: PlanService,
) -> None:
    await start(plans)
    channel = Channel(thread_failures=1)
    await Scheduler(plans, channel, Clock(FIRST)).run_due()
    session = (await plans.show("G1")).sessions[0]
    assert (session.status, session.thread) == ("posted", None)
    assert session.error == "no thread: 403 Missing Permissions"


async def test_a_paused_plan_posts_nothing(plans: PlanService) -> None:
    await start(plans)
    await plans.pause(guild="G1", moderator=True, now=NOW)
    scheduler = Scheduler(plans, Channel(), Clock(FIRST))
    assert await scheduler.next_wake() is None
    assert await scheduler.run_due() == []


@dataclass
class SlowChannel(Channel):
    """Each post takes a while; records how many were under way at once, and their order."""

    in_flight: int = 0
    most: int = 0

    async def post(self, plan: Plan, session: Session, content: SessionPost) -> str:
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        await asyncio.sleep(0.05)
        self.in_flight -= 1
        return await super().post(plan, session, content)


async def test_servers_are_posted_side_by_side_and_each_plan_in_order(
    plans: PlanService,
) -> None:
    for guild in ("G1", "G2"):
        await plans.set_plan(
            guild=guild,
            user="1",
            moderator=True,
            channel="55",
            every="day",
            at="19:00",
            tz="Europe/Paris",
            now=NOW,
        )
    channel = SlowChannel()
    day_later = FIRST + timedelta(days=1, seconds=1)  # sessions 1 and 2 of each plan due
    plans.grace = timedelta(days=3)  # so that neither day's session counts as missed
    outcomes = await Scheduler(plans, channel, Clock(day_later)).run_due()
    assert len(outcomes) == 4
    assert channel.most == 2  # the two servers at once, never two of one plan
    assert [k for k in channel.posted_keys() if k.startswith("plan1")] == ["plan1-s1", "plan1-s2"]
    assert [k for k in channel.posted_keys() if k.startswith("plan2")] == ["plan2-s1", "plan2-s2"]
