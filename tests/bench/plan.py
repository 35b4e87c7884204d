"""Reading-plan posts against the fake Discord: lateness, and exactly once across SIGKILLs.

Lateness is the time Discord (the fake) created a session's post minus the time it was
due, for sessions falling due while the bot runs (goal: p99 < 1 s), over an 80 ms round
trip to the fake as to Discord. The restart run
kills ``python -m bot run`` with SIGKILL at random moments 50 times while sessions fall
due among the restarts, then lets one last run finish: duplicates and sessions neither
posted nor marked (goal: 0 and 0). The issue names no baseline: the feature is new.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import signal
import sqlite3
import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.bench._common import ms, percentile, table
from tests.e2e._bot import bot_process, bot_running
from tests.e2e._plan import lateness, plant, posts_by_key, spread, statuses, stopped
from tests.fakediscord import FakeDiscord

GUILDS = 5
SESSIONS_PER_GUILD = 7
RESTARTS = 50
RESTART_GUILDS = 10
SECONDS_PER_BOOT = 5.0  # about: start-up, READY, then a kill at a random moment
BOOT = 60.0
ACCOUNTED = {"posted", "late", "missed", "skipped"}
#: An ordinary connection to Discord (the fake delays each request and answer by half).
ROUND_TRIP = 0.08


async def _lateness() -> list[float]:
    rng = random.Random(7)
    async with FakeDiscord(guilds=GUILDS, round_trip=ROUND_TRIP) as fake:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp)
            count = GUILDS * SESSIONS_PER_GUILD
            start = datetime.now(UTC) + timedelta(seconds=8)  # after the bot is READY
            planted = await plant(data / "essay-bot.sqlite3", fake, spread(count, start, 20, rng))
            async with bot_running(fake, data):
                last = planted[-1].due
                await fake.wait_until(
                    lambda: len(lateness(fake, planted)) == len(planted),
                    within=(last - datetime.now(UTC)).total_seconds() + 30,
                )
            return lateness(fake, planted)


async def _restarts() -> tuple[int, int, int, int, str]:
    """(restarts, sessions, duplicates, neither posted nor marked, final statuses)."""
    rng = random.Random(11)
    async with FakeDiscord(guilds=RESTART_GUILDS, round_trip=ROUND_TRIP) as fake:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp)
            database = data / "essay-bot.sqlite3"
            span = RESTARTS * SECONDS_PER_BOOT
            count = min(RESTART_GUILDS * SESSIONS_PER_GUILD, int(span / 3))
            start = datetime.now(UTC) + timedelta(seconds=3)
            planted = await plant(database, fake, spread(count, start, span, rng))
            for boot in range(RESTARTS):
                with bot_process(fake, data, data / "bot.log") as process:
                    await asyncio.sleep(rng.uniform(0.5, SECONDS_PER_BOOT))
                    process.send_signal(signal.SIGKILL)
                    process.wait(10)
                if boot % 10 == 9:
                    print(f"  {boot + 1} restarts", flush=True)
            with bot_process(fake, data, data / "final.log") as process:
                ready = fake.ready_count
                await fake.wait_ready(BOOT, after=ready)
                wait = max(0.0, (planted[-1].due - datetime.now(UTC)).total_seconds())
                done = {p.key for p in planted}

                def settled() -> bool:
                    final = statuses(database)
                    return all(final[key] in ACCOUNTED for key in done)

                # A session still open after this is counted as neither posted nor marked.
                with contextlib.suppress(TimeoutError):
                    await fake.wait_until(settled, within=wait + 30)
                assert await stopped(process) == 0
            counts = posts_by_key(fake)
            final = statuses(database)
            duplicates = sum(max(0, counts[p.key] - 1) for p in planted)
            lost = sum(
                1
                for p in planted
                if final[p.key] not in ACCOUNTED
                or (final[p.key] in ("posted", "late") and counts[p.key] == 0)
            )
            tally = Counter(final[p.key] for p in planted)
            outcome = ", ".join(f"{n} {status}" for status, n in sorted(tally.items()))
            with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as conn:
                (again,) = conn.execute(
                    "SELECT count(*) FROM plan_sessions WHERE attempts > 1"
                ).fetchone()
            outcome += f"; {again} claimed again after a kill between intent and record"
            outcome += " (late = posted a minute or more after due)"
            return RESTARTS, len(planted), duplicates, lost, outcome


def run() -> None:
    late = asyncio.run(_lateness())
    print(
        table(
            ["lateness of scheduled posts", "n", "p50", "p99", "max", "goal", "baseline"],
            [
                [
                    "posted minus due",
                    len(late),
                    ms(percentile(late, 50)),
                    ms(percentile(late, 99)),
                    ms(max(late)),
                    "p99 < 1 s",
                    "none (new)",
                ]
            ],
        ),
        flush=True,
    )
    restarts, sessions, duplicates, lost, outcome = asyncio.run(_restarts())
    print(
        table(
            ["SIGKILL restarts", "sessions", "value", "goal", "baseline"],
            [
                [f"{restarts} restarts: duplicate posts", sessions, duplicates, 0, "none (new)"],
                [f"{restarts} restarts: neither posted nor marked", sessions, lost, 0, "none"],
            ],
        )
    )
    print(f"sessions after the restarts: {outcome}")
