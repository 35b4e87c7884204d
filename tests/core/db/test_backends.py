"""What the backends share: SQL written once with ``?``, and a lock that dies with its holder."""

from __future__ import annotations

import asyncio

import asyncpg

from bot.core.db.base import numbered_placeholders
from bot.core.db.postgres import PostgresDatabase


def test_placeholders_are_numbered_outside_quoted_text() -> None:
    assert numbered_placeholders("SELECT ? , '?' , \"?\", ?") == "SELECT $1 , '?' , \"?\", $2"
    assert numbered_placeholders("x IN (?, ?, ?)") == "x IN ($1, $2, $3)"


async def test_a_held_session_is_refused_elsewhere_and_freed_when_its_holder_dies(
    pg_url: str,
) -> None:
    first = await PostgresDatabase.open(pg_url, lock_wait=0.5)
    second = await PostgresDatabase.open(pg_url, lock_wait=0.5)
    try:
        async with first.exclusive(7, 1) as held:
            assert held
            async with second.exclusive(7, 1) as elsewhere:
                assert not elsewhere  # another process is posting it
            async with second.exclusive(7, 2) as other:
                assert other  # a different session is free
            # the holder's connection dies (its process was killed): the lock goes with it
            admin = await asyncpg.connect(pg_url)
            try:
                await admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks "
                    "WHERE locktype = 'advisory' AND granted AND objid = $1",
                    (7 << 16) | 1,
                )
            finally:
                await admin.close()
            await asyncio.sleep(0.2)
            async with second.exclusive(7, 1) as taken_over:
                assert taken_over
    finally:
        await second.close()
        await first.close()
