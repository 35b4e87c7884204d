"""Plans for the end-to-end tests and the bench: real plans, with their times set as data.

The product computes session times from a rhythm (days apart); a test that cannot wait
days writes the times it needs into the database, which is all the timer ever reads.
"""

from __future__ import annotations

import asyncio
import random
import signal
import sqlite3
import subprocess
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.library import load_library
from bot.core.plan.service import PlanService
from bot.core.plan.store import PlanStore, ts
from bot.core.prompts import PromptService, PromptStore
from bot.core.search import SearchIndex
from tests.e2e._bot import SEEDS
from tests.fakediscord import FakeDiscord


@dataclass(frozen=True, slots=True)
class Planted:
    """A plan's session in the database: its key (nonce and footer) and when it is due."""

    key: str
    guild: str
    due: datetime


async def plant(database: Path, fake: FakeDiscord, dues: list[datetime]) -> list[Planted]:
    """Start a plan in every server of ``fake`` and spread ``dues`` over their sessions.

    Sessions beyond ``dues`` are skipped so that every planted session is accounted for.
    """
    index = SearchIndex.build(load_library(SEEDS))
    store = await PromptStore.open(database)
    try:
        plans = PlanService(PlanStore(store), index, PromptService(store, index))
        now = datetime.now(UTC)
        for guild in fake.guilds:
            await plans.set_plan(
                guild=guild.id,
                user=fake.moderator.id,
                moderator=True,
                channel=guild.channels[0].id,
                every="day",
                at="19:00",
                tz="Europe/Paris",
                now=now,
            )
    finally:
        await store.close()
    return _assign(database, dues)


def _assign(database: Path, dues: list[datetime]) -> list[Planted]:
    with sqlite3.connect(database) as conn:
        rows = conn.execute(
            "SELECT s.plan, s.number, p.guild FROM plan_sessions s JOIN plans p ON p.id = s.plan "
            "ORDER BY s.number, s.plan"
        ).fetchall()
        if len(rows) < len(dues):
            raise ValueError(f"{len(dues)} due times for {len(rows)} sessions")
        planted: list[Planted] = []
        for (plan, number, guild), due in zip(rows, sorted(dues), strict=False):
            conn.execute(
                "UPDATE plan_sessions SET due_at = ?, next_at = ? WHERE plan = ? AND number = ?",
                (ts(due), ts(due), plan, number),
            )
            planted.append(Planted(f"plan{plan}-s{number}", guild, due))
        for plan, number, _ in rows[len(dues) :]:
            conn.execute(
                "UPDATE plan_sessions SET status = 'skipped' WHERE plan = ? AND number = ?",
                (plan, number),
            )
    return planted


async def stopped(process: subprocess.Popen[bytes], within: float = 30.0) -> int:
    """SIGTERM, then wait for the exit without blocking the loop the fake Discord runs on."""
    process.send_signal(signal.SIGTERM)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while process.poll() is None:
        if loop.time() > deadline:
            raise TimeoutError(f"the bot did not exit within {within} s of SIGTERM")
        await asyncio.sleep(0.05)
    return process.returncode


def spread(count: int, start: datetime, seconds: float, rng: random.Random) -> list[datetime]:
    """``count`` instants spread at random over ``seconds`` from ``start``."""
    return sorted(start + timedelta(seconds=rng.uniform(0, seconds)) for _ in range(count))


def posts_by_key(fake: FakeDiscord) -> Counter[str]:
    """How many messages the bot posted for each session key (read from the embed footer)."""
    counts: Counter[str] = Counter()
    for message in fake.messages.values():
        for embed in message.get("embeds") or []:
            footer = (embed.get("footer") or {}).get("text") or ""
            if " · plan" in footer:
                counts[footer.rsplit(" · ", 1)[1]] += 1
    return counts


def statuses(database: Path) -> dict[str, str]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT plan, number, status FROM plan_sessions").fetchall()
    return {f"plan{plan}-s{number}": status for plan, number, status in rows}


def lateness(fake: FakeDiscord, planted: list[Planted]) -> list[float]:
    """Seconds from each session's due time to the creation of its post (Discord's clock)."""
    due = {p.key: p.due for p in planted}
    found: list[float] = []
    for message in fake.messages.values():
        for embed in message.get("embeds") or []:
            footer = (embed.get("footer") or {}).get("text") or ""
            key = footer.rsplit(" · ", 1)[-1]
            if key in due:
                posted = datetime.fromisoformat(message["timestamp"])
                found.append((posted - due[key]).total_seconds())
    return found
