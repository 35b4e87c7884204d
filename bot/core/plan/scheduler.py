"""Posting due sessions exactly once, through restarts and failures.

The order of steps is the guarantee:

0. ``PlanStore.hold`` keeps other processes on the same database off the session from
   claim to record (a lock that ends with the process that holds it).
1. ``PlanStore.claim`` records the intent (status ``posting``) before anything is sent.
2. A session claimed before (``attempts > 1``: a crash or a failed try) is first looked
   for in its channel (``Poster.find``); if it is there, it is recorded, not sent again.
3. The post carries the session's key as nonce with ``enforce_nonce``, so Discord itself
   refuses a duplicate sent within a few minutes.
4. Only then is the message recorded (``posted`` or ``late``) and its thread opened; a
   post recorded without its thread (a crash in between) gets it on the next pass.

A failed post keeps its intent and is retried with backoff until the grace period ends;
then it is marked missed with the reason, never dropped silently. This module knows
nothing of Discord: the Discord layer implements ``Poster`` and runs the timer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot.core.plan.model import Plan, Session
from bot.core.plan.service import PlanService, SessionPost, decide

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
FIRST_RETRY = timedelta(seconds=5)
LAST_RETRY = timedelta(minutes=10)


class PostFailed(Exception):
    """The post (or a look into the channel) did not work; the message says why."""


class Poster(Protocol):
    """What the scheduler needs from a chat service."""

    async def post(self, plan: Plan, session: Session, content: SessionPost) -> str:
        """Send the session's post (nonce = ``session.key``); the message id."""

    async def find(self, plan: Plan, session: Session) -> str | None:
        """The id of this session's post if it is already in the channel."""

    async def open_thread(self, plan: Plan, session: Session, message: str, name: str) -> str:
        """Open the discussion thread on the post; the thread id."""


@dataclass(frozen=True, slots=True)
class Outcome:
    plan: int
    number: int
    result: str  # "posted", "late", "found", "missed", "retry"
    lateness: timedelta | None = None


def backoff(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s, … up to 10 minutes between tries."""
    factor: int = 2 ** max(0, min(attempts - 1, 16))
    return min(LAST_RETRY, FIRST_RETRY * factor)


def utc_now() -> datetime:
    return datetime.now(UTC)


class Scheduler:
    """Acts on every due session; the timer calls ``run_due`` whenever it wakes."""

    def __init__(self, service: PlanService, poster: Poster, clock: Clock = utc_now) -> None:
        self.service = service
        self.poster = poster
        self._clock = clock
        self._totals: dict[int, int] = {}

    async def next_wake(self) -> datetime | None:
        return await self.service.store.next_wake()

    async def run_due(self) -> list[Outcome]:
        """Act on every session due now: each plan's in order, the plans side by side.

        One server's post waiting on Discord never delays another server's; within a
        plan, session 3 is never posted before session 2.
        """
        await self._open_missing_threads()
        by_plan: dict[int, list[tuple[Plan, Session]]] = {}
        for plan, session in await self.service.store.due(self._clock()):
            by_plan.setdefault(plan.id, []).append((plan, session))
        results = await asyncio.gather(
            *(self._run_plan(due) for due in by_plan.values()), return_exceptions=True
        )
        outcomes: list[Outcome] = []
        for result in results:
            if isinstance(result, BaseException):
                raise result
            outcomes.extend(result)
        return outcomes

    async def _open_missing_threads(self) -> None:
        """Open the thread of a post recorded by a process that died before opening it."""
        store = self.service.store
        for plan, listed in await store.threadless():
            async with store.hold(plan.id, listed.number) as held:
                session = await store.session(plan.id, listed.number) if held else None
                if session is None or session.message is None or session.thread is not None:
                    continue
                if session.error is None:
                    await self._thread(plan, session, session.message, None)

    async def _run_plan(self, due: list[tuple[Plan, Session]]) -> list[Outcome]:
        store = self.service.store
        outcomes: list[Outcome] = []
        for plan, listed in due:
            # Several processes may share the database: the one holding the session acts,
            # on the state it reads under the hold (another may just have posted it).
            async with store.hold(plan.id, listed.number) as held:
                session = await store.session(plan.id, listed.number) if held else None
                if session is None or session.status not in ("pending", "posting"):
                    continue
                outcome = await self._act(plan, session)
            if outcome is not None:
                outcomes.append(outcome)
        return outcomes

    async def _act(self, plan: Plan, session: Session) -> Outcome | None:
        store = self.service.store
        now = self._clock()
        if decide(session.due_at, now, self.service.grace) == "missed":
            if session.status == "posting":
                found = await self._look(plan, session)
                if found is not None:
                    return await self._record(plan, session, found, found_again=True)
            await store.mark_missed(plan.id, session.number, "more than the grace period late")
            log.warning(
                "plan %d session %d missed (due %s)", plan.id, session.number, session.due_at
            )
            return Outcome(plan.id, session.number, "missed")
        claimed = await store.claim(plan.id, session.number, now)
        if claimed is None:  # the plan changed meanwhile
            return None
        if claimed.attempts > 1:
            found = await self._look(plan, claimed)
            if found is not None:
                return await self._record(plan, claimed, found, found_again=True)
        try:
            total = await self._total(plan)
            content = await self.service.compose(plan, claimed, total)
            message = await self.poster.post(plan, claimed, content)
        except Exception as exc:  # every failure is recorded and retried
            return await self._failed(plan, claimed, exc)
        return await self._record(plan, claimed, message, found_again=False, title=content.title)

    async def _look(self, plan: Plan, session: Session) -> str | None:
        try:
            return await self.poster.find(plan, session)
        except Exception as exc:  # cannot look: treat as not found, nonce guards
            log.warning("could not look for session %s in its channel: %s", session.key, exc)
            return None

    async def _record(
        self,
        plan: Plan,
        session: Session,
        message: str,
        *,
        found_again: bool,
        title: str | None = None,
    ) -> Outcome:
        posted_at = self._clock()
        lateness = posted_at - session.due_at
        late = decide(session.due_at, posted_at, timedelta.max) == "late"
        await self.service.store.record_posted(
            plan.id, session.number, message=message, posted_at=posted_at, late=late
        )
        log.info("plan %d session %d posted (%s late)", plan.id, session.number, lateness)
        if not found_again or session.thread is None:
            await self._thread(plan, session, message, title)
        result = "found" if found_again else ("late" if late else "posted")
        return Outcome(plan.id, session.number, result, lateness)

    async def _thread(self, plan: Plan, session: Session, message: str, title: str | None) -> None:
        name = title or f"Session {session.number}"
        try:
            thread = await self.poster.open_thread(plan, session, message, name[:100])
        except Exception as exc:  # the post stands; the reason is shown
            log.warning("could not open the thread for %s: %s", session.key, exc)
            await self.service.store.record_thread(
                plan.id, session.number, None, f"no thread: {exc}"
            )
            return
        await self.service.store.record_thread(plan.id, session.number, thread, None)

    async def _failed(self, plan: Plan, session: Session, exc: Exception) -> Outcome:
        reason = str(exc) or type(exc).__name__
        if not isinstance(exc, PostFailed):
            log.exception("posting %s failed unexpectedly", session.key, exc_info=exc)
        retry_at = self._clock() + backoff(session.attempts)
        if decide(session.due_at, retry_at, self.service.grace) == "missed":
            await self.service.store.mark_missed(plan.id, session.number, reason)
            log.error("plan %d session %d missed: %s", plan.id, session.number, reason)
            return Outcome(plan.id, session.number, "missed")
        await self.service.store.record_failure(
            plan.id, session.number, error=reason, retry_at=retry_at
        )
        log.warning(
            "plan %d session %d not posted (%s); retrying at %s",
            plan.id,
            session.number,
            reason,
            retry_at,
        )
        return Outcome(plan.id, session.number, "retry")

    async def _total(self, plan: Plan) -> int:
        if plan.id not in self._totals:
            self._totals[plan.id] = len(await self.service.store.sessions(plan.id))
        return self._totals[plan.id]
