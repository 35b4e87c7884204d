"""``python -m bot run`` posts a plan's sessions once each, across SIGKILL restarts.

The sessions fall due seconds apart (their times are data in the database), and the bot
is killed at random moments among them: each session must end up posted exactly once,
late where the bot was down when it fell due, and none left behind.
"""

from __future__ import annotations

import asyncio
import random
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.e2e._bot import bot_process
from tests.e2e._plan import plant, posts_by_key, spread, statuses, stopped
from tests.fakediscord import FakeDiscord

BOOT = 60.0
DONE = {"posted", "late", "skipped"}


def logs(folder: Path) -> list[tuple[str, str]]:
    return [(p.name, p.read_text(errors="replace")) for p in sorted(folder.glob("*.log"))]


async def test_sessions_seconds_apart_are_posted_once_across_sigkill_restarts(
    tmp_path: Path,
) -> None:
    rng = random.Random(2026)
    database = tmp_path / "essay-bot.sqlite3"
    async with FakeDiscord(guilds=2) as fake:
        first = datetime.now(UTC) + timedelta(seconds=4)
        planted = await plant(database, fake, spread(10, first, 16, rng))
        last = planted[-1].due
        boots = 0
        while datetime.now(UTC) < last + timedelta(seconds=1):
            with bot_process(fake, tmp_path, tmp_path / f"boot{boots}.log") as process:
                await fake.wait_ready(BOOT, after=boots)
                await asyncio.sleep(rng.uniform(0.5, 3.0))
                process.send_signal(signal.SIGKILL)
                process.wait(10)
            boots += 1
        with bot_process(fake, tmp_path, tmp_path / "final.log") as process:

            def settled() -> bool:
                """Every session done, and every post with its thread (a kill in between
                leaves a post whose thread the restarted bot must open)."""
                return set(statuses(database).values()) <= DONE and all(
                    p["id"] in fake.channels
                    for g in fake.guilds
                    for p in fake.channel_posts(g.channels[0].id)
                )

            await fake.wait_ready(BOOT, after=boots)
            await fake.wait_until(settled, within=30)
            assert await stopped(process) == 0
        assert not [
            name for name, text in await asyncio.to_thread(logs, tmp_path) if "Traceback" in text
        ]
        counts = posts_by_key(fake)
        assert boots >= 3, "too few restarts to prove anything"
        assert {p.key: counts[p.key] for p in planted} == {p.key: 1 for p in planted}
        assert sum(counts.values()) == len(planted)
        final = statuses(database)
        assert {final[p.key] for p in planted} <= {"posted", "late"}
        assert fake.unhandled == []
        for channel in (g.channels[0].id for g in fake.guilds):
            posts = fake.channel_posts(channel)
            assert all(p["id"] in fake.channels for p in posts), "every post has its thread"
