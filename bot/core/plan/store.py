"""The reading-plan tables: one repository class, parameterised SQL, UTC times.

It shares the prompt database (``PromptStore.transact`` / ``fetch``), so plans, sessions
and prompts have one writer and one migration sequence. Claiming a due session (the
recorded intent before a post) happens in ``claim`` and nowhere else: a storage backend
with several processes changes that one statement.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from bot.core.db import Row, Tx
from bot.core.plan.model import Plan, PlanState, Session
from bot.core.plan.times import Every
from bot.core.prompt_store import PromptStore
from bot.core.shards import ShardRange

#: What processes sharing a database hear when a plan's schedule changes.
PLANS_CHANGED = "essay_bot_plans"

_PLAN_COLUMNS = (
    "id, guild, document, channel, every, day, at_local, timezone, start_date, per_session, "
    "state, created_by, problem"
)
_SESSION_COLUMNS = (
    "plan, number, first_section, last_section, due_at, next_at, status, nonce, attempts, "
    "message, thread, posted_at, error"
)


def ts(instant: datetime) -> str:
    """The stored form of an instant: UTC, fixed width, so text order is time order."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime: plan times must carry a zone")
    return instant.astimezone(UTC).isoformat(timespec="microseconds")


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text is not None else None


def _plan(row: Row) -> Plan:
    return Plan(
        id=row["id"],
        guild=row["guild"],
        document=row["document"],
        channel=row["channel"],
        every=row["every"],
        day=row["day"],
        at=time.fromisoformat(row["at_local"]),
        zone=ZoneInfo(row["timezone"]),
        start=date.fromisoformat(row["start_date"]),
        per_session=row["per_session"],
        state=row["state"],
        created_by=row["created_by"],
        problem=row["problem"],
    )


def _session(row: Row) -> Session:
    return Session(
        plan=row["plan"],
        number=row["number"],
        first_section=row["first_section"],
        last_section=row["last_section"],
        due_at=datetime.fromisoformat(row["due_at"]),
        next_at=datetime.fromisoformat(row["next_at"]),
        status=row["status"],
        nonce=row["nonce"],
        attempts=row["attempts"],
        message=row["message"],
        thread=row["thread"],
        posted_at=_when(row["posted_at"]),
        error=row["error"],
    )


@dataclass(frozen=True, slots=True)
class NewPlan:
    """What ``replace_plan`` stores: the settings and the computed sessions."""

    guild: str
    document: str
    channel: str
    every: Every
    day: int | None
    at: time
    zone: ZoneInfo
    start: date
    per_session: int
    created_by: str
    sessions: Sequence[tuple[int, int, datetime]]  # first section, last section, due


class PlanStore:
    """Plans, sessions, the spoiler-guard setting and passage threads, per server."""

    def __init__(self, db: PromptStore, *, shards: ShardRange | None = None) -> None:
        self._db = db
        #: the servers this process schedules for: those on its own shards
        self._shards = shards

    def _scope(self) -> tuple[str, list[int]]:
        """`` AND …`` limiting plans (``p``) to this process's shards; nothing if unsharded."""
        if self._shards is None or self._shards.everything:
            return "", []
        clause, params = self._shards.sql("p.guild")
        return f" AND {clause}", params

    async def on_change(self, callback: Callable[[], None]) -> Callable[[], Awaitable[None]]:
        """Call ``callback`` when any process changes a schedule; returns the undo.

        A process learns of its own changes directly; this is for the others on the same
        database (a plan set with the command line while the bot runs, say).
        """
        return await self._db.db.subscribe(PLANS_CHANGED, callback)

    def hold(self, plan_id: int, number: int) -> AbstractAsyncContextManager[bool]:
        """Keep every other process off this session from claim to record.

        The claim alone is a committed row change, which a second process would see as an
        intent to resume; the lock says "someone alive is posting it right now". Held by
        the database connection, it ends with a crashed process, so a restart resumes.
        """
        return self._db.db.exclusive(plan_id, number)

    # -- plans --

    async def replace_plan(self, new: NewPlan, now: datetime) -> int:
        """Retire the server's live plan (if any) and store ``new``, in one transaction."""

        async def op(conn: Tx) -> int:
            stamp = ts(now)
            await conn.execute(
                "UPDATE plans SET state = 'replaced', updated_at = ? "
                "WHERE guild = ? AND state IN ('running', 'paused')",
                (stamp, new.guild),
            )
            (row,) = await conn.fetch(
                "INSERT INTO plans (guild, document, channel, every, day, at_local, timezone, "
                "start_date, per_session, state, created_by, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?) RETURNING id",
                (
                    new.guild,
                    new.document,
                    new.channel,
                    new.every,
                    new.day,
                    f"{new.at:%H:%M}",
                    new.zone.key,
                    new.start.isoformat(),
                    new.per_session,
                    new.created_by,
                    stamp,
                    stamp,
                ),
            )
            plan_id = int(row[0])
            await conn.executemany(
                "INSERT INTO plan_sessions (plan, number, first_section, last_section, due_at, "
                "next_at) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (plan_id, number, first, last, ts(due), ts(due))
                    for number, (first, last, due) in enumerate(new.sessions, start=1)
                ],
            )
            return plan_id

        result = await self._db.transact(op)
        await self._db.db.notify(PLANS_CHANGED)
        return result

    async def current_plan(self, guild: str) -> Plan | None:
        """The live plan (running or paused), else the last stopped one, else ``None``."""
        rows = await self._db.fetch(
            f"SELECT {_PLAN_COLUMNS} FROM plans WHERE guild = ? AND state <> 'replaced' "
            "ORDER BY state IN ('running', 'paused') DESC, id DESC LIMIT 1",
            (guild,),
        )
        return _plan(rows[0]) if rows else None

    async def plan(self, plan_id: int) -> Plan | None:
        rows = await self._db.fetch(f"SELECT {_PLAN_COLUMNS} FROM plans WHERE id = ?", (plan_id,))
        return _plan(rows[0]) if rows else None

    async def sessions(self, plan_id: int) -> list[Session]:
        rows = await self._db.fetch(
            f"SELECT {_SESSION_COLUMNS} FROM plan_sessions WHERE plan = ? ORDER BY number",
            (plan_id,),
        )
        return [_session(row) for row in rows]

    async def session(self, plan_id: int, number: int) -> Session | None:
        rows = await self._db.fetch(
            f"SELECT {_SESSION_COLUMNS} FROM plan_sessions WHERE plan = ? AND number = ?",
            (plan_id, number),
        )
        return _session(rows[0]) if rows else None

    async def set_state(
        self, plan_id: int, state: PlanState, now: datetime, *, expect: Sequence[PlanState]
    ) -> bool:
        """Change the plan's state if it is one of ``expect``; ``False`` if it was not."""

        async def op(conn: Tx) -> bool:
            marks = ", ".join("?" for _ in expect)
            rows = await conn.fetch(
                f"UPDATE plans SET state = ?, updated_at = ? WHERE id = ? AND state IN ({marks}) "
                "RETURNING id",
                (state, ts(now), plan_id, *expect),
            )
            return bool(rows)

        result = await self._db.transact(op)
        await self._db.db.notify(PLANS_CHANGED)
        return result

    async def resume(
        self, plan_id: int, moves: Sequence[tuple[int, datetime]], now: datetime
    ) -> bool:
        """Run the plan again with its pending sessions at their new times, in one step."""

        async def op(conn: Tx) -> bool:
            rows = await conn.fetch(
                "UPDATE plans SET state = 'running', updated_at = ? "
                "WHERE id = ? AND state = 'paused' RETURNING id",
                (ts(now), plan_id),
            )
            if not rows:
                return False
            await conn.executemany(
                "UPDATE plan_sessions SET due_at = ?, next_at = ? "
                "WHERE plan = ? AND number = ? AND status = 'pending'",
                [(ts(due), ts(due), plan_id, number) for number, due in moves],
            )
            return True

        result = await self._db.transact(op)
        await self._db.db.notify(PLANS_CHANGED)
        return result

    async def skip_next(self, plan_id: int) -> Session | None:
        """Mark the first pending session skipped; ``None`` if none is left."""

        async def op(conn: Tx) -> Session | None:
            rows = await conn.fetch(
                "UPDATE plan_sessions SET status = 'skipped' WHERE plan = ? AND number = "
                "(SELECT min(number) FROM plan_sessions WHERE plan = ? AND status = 'pending') "
                f"RETURNING {_SESSION_COLUMNS}",
                (plan_id, plan_id),
            )
            return _session(next(iter(rows))) if rows else None

        result = await self._db.transact(op)
        await self._db.db.notify(PLANS_CHANGED)
        return result

    async def set_problem(self, plan_id: int, problem: str | None) -> None:
        async def op(conn: Tx) -> None:
            await conn.execute("UPDATE plans SET problem = ? WHERE id = ?", (problem, plan_id))

        await self._db.transact(op)

    # -- server settings --

    async def spoiler_guard(self, guild: str) -> bool:
        rows = await self._db.fetch(
            "SELECT spoiler_guard FROM guild_settings WHERE guild = ?", (guild,)
        )
        return bool(rows[0][0]) if rows else True

    async def set_spoiler_guard(self, guild: str, on: bool) -> None:
        async def op(conn: Tx) -> None:
            await conn.execute(
                "INSERT INTO guild_settings (guild, spoiler_guard) VALUES (?, ?) "
                "ON CONFLICT (guild) DO UPDATE SET spoiler_guard = excluded.spoiler_guard",
                (guild, int(on)),
            )

        await self._db.transact(op)

    async def essay(self, guild: str) -> str | None:
        """The essay the server chose to read (``None``: never chosen)."""
        rows = await self._db.fetch("SELECT essay FROM guild_settings WHERE guild = ?", (guild,))
        return str(rows[0][0]) if rows and rows[0][0] is not None else None

    async def set_essay(self, guild: str, essay: str) -> None:
        async def op(conn: Tx) -> None:
            await conn.execute(
                "INSERT INTO guild_settings (guild, essay) VALUES (?, ?) "
                "ON CONFLICT (guild) DO UPDATE SET essay = excluded.essay",
                (guild, essay),
            )

        await self._db.transact(op)

    # -- the scheduler's questions and records --

    async def next_wake(self) -> datetime | None:
        """When the timer must next act: the earliest open session of a running plan here."""
        scope, params = self._scope()
        rows = await self._db.fetch(
            "SELECT min(s.next_at) FROM plan_sessions s JOIN plans p ON p.id = s.plan "
            "WHERE p.state = 'running' AND s.status IN ('pending', 'posting')" + scope,
            params,
        )
        return _when(rows[0][0]) if rows else None

    async def due(self, now: datetime) -> list[tuple[Plan, Session]]:
        """Open sessions of running plans (on this process's shards) due now, earliest first."""
        scope, params = self._scope()
        rows = await self._db.fetch(
            f"SELECT {', '.join('s.' + c.strip() for c in _SESSION_COLUMNS.split(','))} "
            "FROM plan_sessions s JOIN plans p ON p.id = s.plan "
            "WHERE p.state = 'running' AND s.status IN ('pending', 'posting') AND s.next_at <= ?"
            f"{scope} ORDER BY s.next_at, s.plan, s.number",
            (ts(now), *params),
        )
        sessions = [_session(row) for row in rows]
        plans: dict[int, Plan] = {}
        for session in sessions:
            if session.plan not in plans:
                found = await self.plan(session.plan)
                if found is not None:
                    plans[session.plan] = found
        return [(plans[s.plan], s) for s in sessions if s.plan in plans]

    async def threadless(self) -> list[tuple[Plan, Session]]:
        """Posted sessions (on this process's shards) whose thread was never opened or refused.

        A process killed between recording a post and opening its thread leaves one; the
        scheduler opens it on its next pass, so no post is left without its discussion.
        """
        scope, params = self._scope()
        rows = await self._db.fetch(
            f"SELECT {', '.join('s.' + c.strip() for c in _SESSION_COLUMNS.split(','))} "
            "FROM plan_sessions s JOIN plans p ON p.id = s.plan "
            "WHERE s.status IN ('posted', 'late') AND s.message IS NOT NULL "
            f"AND s.thread IS NULL AND s.error IS NULL{scope} ORDER BY s.plan, s.number",
            params,
        )
        found: list[tuple[Plan, Session]] = []
        for session in map(_session, rows):
            plan = await self.plan(session.plan)
            if plan is not None:
                found.append((plan, session))
        return found

    async def claim(self, plan_id: int, number: int, now: datetime) -> Session | None:
        """Record the intent to post, before posting: the one place a session is claimed.

        Succeeds only for an open session of a running plan whose time has come; each
        claim counts an attempt, so ``attempts > 1`` means an earlier attempt may have
        reached the channel and must be looked for there before sending again.
        """

        async def op(conn: Tx) -> Session | None:
            rows = await conn.fetch(
                "UPDATE plan_sessions SET status = 'posting', attempts = attempts + 1 "
                "WHERE plan = ? AND number = ? AND status IN ('pending', 'posting') "
                "AND next_at <= ? "
                "AND plan IN (SELECT id FROM plans WHERE id = ? AND state = 'running') "
                f"RETURNING {_SESSION_COLUMNS}",
                (plan_id, number, ts(now), plan_id),
            )
            return _session(next(iter(rows))) if rows else None

        return await self._db.transact(op)

    async def record_posted(
        self, plan_id: int, number: int, *, message: str, posted_at: datetime, late: bool
    ) -> None:
        async def op(conn: Tx) -> None:
            await conn.execute(
                "UPDATE plan_sessions SET status = ?, message = ?, posted_at = ?, error = NULL "
                "WHERE plan = ? AND number = ? AND status = 'posting'",
                ("late" if late else "posted", message, ts(posted_at), plan_id, number),
            )

        await self._db.transact(op)

    async def record_thread(
        self, plan_id: int, number: int, thread: str | None, error: str | None
    ) -> None:
        async def op(conn: Tx) -> None:
            await conn.execute(
                "UPDATE plan_sessions SET thread = ?, error = ? WHERE plan = ? AND number = ?",
                (thread, error, plan_id, number),
            )

        await self._db.transact(op)

    async def record_failure(
        self, plan_id: int, number: int, *, error: str, retry_at: datetime
    ) -> None:
        """Keep the intent, say why it failed, and set when to try again."""

        async def op(conn: Tx) -> None:
            await conn.execute(
                "UPDATE plan_sessions SET error = ?, next_at = ? "
                "WHERE plan = ? AND number = ? AND status = 'posting'",
                (error, ts(retry_at), plan_id, number),
            )

        await self._db.transact(op)

    async def mark_missed(self, plan_id: int, number: int, error: str | None) -> None:
        async def op(conn: Tx) -> None:
            await conn.execute(
                "UPDATE plan_sessions SET status = 'missed', error = coalesce(?, error) "
                "WHERE plan = ? AND number = ? AND status IN ('pending', 'posting')",
                (error, plan_id, number),
            )

        await self._db.transact(op)

    # -- passage threads --

    async def passage_thread(self, guild: str, channel: str, passage: str) -> str | None:
        rows = await self._db.fetch(
            "SELECT thread FROM passage_threads WHERE guild = ? AND channel = ? AND passage = ?",
            (guild, channel, passage),
        )
        return str(rows[0][0]) if rows else None

    async def save_passage_thread(
        self, guild: str, channel: str, passage: str, thread: str, now: datetime
    ) -> None:
        async def op(conn: Tx) -> None:
            await conn.execute(
                "INSERT INTO passage_threads (guild, channel, passage, thread, created_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild, channel, passage) "
                "DO UPDATE SET thread = excluded.thread, created_at = excluded.created_at",
                (guild, channel, passage, thread, ts(now)),
            )

        await self._db.transact(op)
