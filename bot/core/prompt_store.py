"""The prompt repository: numbering, server scoping, the event log, on either backend.

Every statement names the server, so nothing here can reach another server's prompts;
every write is one transaction that returns only once it is durable (``bot.core.db``
says how each backend makes it so). Behaviour (validation, linking, permissions) lives
in ``bot.core.prompts``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from bot.core.db import Database, Migration, Row, Rows, Tx, load_migrations, open_database
from bot.core.db.base import T, UniqueConflict
from bot.core.errors import InvalidInput, NotFound
from bot.core.text import clean_user_text

log = logging.getLogger(__name__)

__all__ = ["Migration", "Prompt", "PromptEvent", "PromptStore", "load_migrations", "text_key"]

Status = Literal["open", "removed"]
EventKind = Literal["submitted", "posted", "removed", "restored"]


# --- values ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Prompt:
    """A prompt as every front end sees it; built-in prompts have number 0."""

    number: int
    guild: str
    channel: str | None
    author: str
    text: str
    document: str | None
    section: int | None
    paragraph: int | None
    status: Status
    created_at: datetime
    updated_at: datetime
    builtin: bool = False

    def to_json(self) -> dict[str, Any]:
        """The shape the CLI promises with ``--json``."""
        return {
            "number": self.number,
            "guild": self.guild,
            "author": self.author,
            "text": self.text,
            "section": self.section,
            "paragraph": self.paragraph,
            "status": self.status,
            "created_at": self.created_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class PromptEvent:
    """One line of a server's log: a prompt (``number``) or built-in (``builtin``) was acted on."""

    guild: str
    number: int | None
    builtin: str | None
    kind: EventKind
    actor: str
    channel: str | None
    at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "number": self.number,
            "builtin": self.builtin,
            "actor": self.actor,
            "channel": self.channel,
            "at": self.at.isoformat(),
        }


# Spelled here because inside the store and service classes ``list`` is a method.
PromptList = list[Prompt]
EventList = list["PromptEvent"]


def text_key(text: str) -> str:
    """What two prompts must share to count as the same prompt (case and spacing ignored)."""
    return " ".join(clean_user_text(text).casefold().split())


# --- storage -----------------------------------------------------------------------------

_COLUMNS = (
    "number, guild, channel, author, text, document, section, paragraph, status, "
    "created_at, updated_at"
)
_EVENT_COLUMNS = "guild, number, builtin, kind, actor, channel, at"
#: Every number a prompt can have (an INTEGER column on both backends): any other
#: number names no prompt, and is answered so without asking the database.
_NUMBERS = range(1, 2**31)
#: ``LIMIT`` when the caller wants every row: SQLite has no ``LIMIT ALL`` and refuses NULL.
_NO_LIMIT = 2**63 - 1


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _prompt(row: Row) -> Prompt:
    return Prompt(
        number=row["number"],
        guild=row["guild"],
        channel=row["channel"],
        author=row["author"],
        text=row["text"],
        document=row["document"],
        section=row["section"],
        paragraph=row["paragraph"],
        status=row["status"],
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
    )


def _event(row: Row) -> PromptEvent:
    return PromptEvent(
        guild=row["guild"],
        number=row["number"],
        builtin=row["builtin"],
        kind=row["kind"],
        actor=row["actor"],
        channel=row["channel"],
        at=datetime.fromisoformat(row["at"]),
    )


@dataclass(slots=True)
class _Filter:
    guild: str
    document: str | None = None
    section: int | None = None
    author: str | None = None
    include_removed: bool = False

    def sql(self) -> tuple[str, list[Any]]:
        clauses = ["guild = ?"]
        params: list[Any] = [self.guild]
        if not self.include_removed:
            clauses.append("status = 'open'")
        if self.section is not None:
            clauses.append("document = ? AND section = ?")
            params += [self.document, self.section]
        elif self.document is not None:  # an essay's prompts, and those about no passage
            clauses.append("(document = ? OR document IS NULL)")
            params.append(self.document)
        if self.author is not None:
            clauses.append("author = ?")
            params.append(self.author)
        return " AND ".join(clauses), params


class PromptStore:
    """Prompts and their log on a ``Database`` (SQLite file or PostgreSQL)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # -- lifecycle --

    @classmethod
    async def open(
        cls,
        target: Path | str,
        *,
        busy_timeout: float = 5.0,
        migrations: Sequence[Migration] | None = None,
    ) -> PromptStore:
        """Open (creating if needed) and upgrade the database; ``StorageError`` if unusable.

        ``target`` is a SQLite file or a ``postgresql://`` URL (``bot.core.db``).
        """
        return cls(await open_database(target, busy_timeout=busy_timeout, migrations=migrations))

    async def close(self) -> None:
        """Finish writes under way, then close; later calls fail with ``StorageError``.

        Closing twice is harmless, so every owner (the bot, a test fixture) may close.
        """
        await self.db.close()

    async def durability(self) -> dict[str, str]:
        """What "confirmed means on disk" rests on, as the live database reports it now.

        A crash test cannot see a missing fsync, so the test suite asks the database.
        """
        return await self.db.durability()

    # -- writes --

    async def add(
        self,
        *,
        guild: str,
        channel: str | None,
        author: str,
        text: str,
        document: str | None = None,
        section: int | None = None,
        paragraph: int | None = None,
    ) -> tuple[Prompt, bool]:
        """Store a prompt with the server's next number; ``(existing, False)`` if a duplicate.

        The duplicate check, the counter bump and the insert share one transaction, so two
        identical proposals at once yield one prompt and numbers never skip. The counter
        row is the server's lock: with several writers (PostgreSQL, several processes) an
        identical proposal committed while this one waited for it is found by the second
        look, and the bump is undone under the same lock.
        """
        key = text_key(text)

        async def op(tx: Tx) -> tuple[Prompt, bool]:
            existing = await _by_key(tx, guild, key)
            if existing is not None:
                return existing, False
            now = _now()
            (counter,) = await tx.fetch(
                "INSERT INTO guild_counters (guild, last_number) VALUES (?, 1) "
                "ON CONFLICT (guild) DO UPDATE SET last_number = guild_counters.last_number + 1 "
                "RETURNING last_number",
                (guild,),
            )
            number = counter[0]
            existing = await _by_key(tx, guild, key)
            if existing is not None:
                await tx.execute(
                    "UPDATE guild_counters SET last_number = last_number - 1 WHERE guild = ?",
                    (guild,),
                )
                return existing, False
            (row,) = await tx.fetch(
                "INSERT INTO prompts (guild, number, channel, author, text, text_key, document, "
                "section, paragraph, status, created_at, updated_at) "
                f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?) RETURNING {_COLUMNS}",
                (guild, number, channel, author, text, key, document, section, paragraph, now, now),
            )
            await tx.execute(
                "INSERT INTO prompt_events (guild, number, kind, actor, channel, at) "
                "VALUES (?, ?, 'submitted', ?, ?, ?)",
                (guild, number, author, channel, now),
            )
            return _prompt(row), True

        if self.db.dialect == "postgresql":
            return await self._add_in_one_statement(
                (guild, key, guild, guild, channel, author, text, key, document, section, paragraph)
            )
        return await self.db.transact(op)

    async def _add_in_one_statement(self, params: tuple[Any, ...]) -> tuple[Prompt, bool]:
        """``add`` on PostgreSQL: the same steps in one statement (one round trip).

        The statement's snapshot cannot see an identical proposal committed while it
        waited for the counter row; its insert then breaks ``UNIQUE (guild, text_key)``,
        the statement (bump included) is undone, and the second try finds that prompt.
        """
        now = _now()
        for attempt in (1, 2):
            try:
                (row,) = await self.db.write(_ADD_IN_ONE, (*params, now, now))
            except UniqueConflict:
                if attempt == 2:
                    raise
                continue
            return _prompt(row), bool(row["created"])
        raise AssertionError("unreachable")  # pragma: no cover

    async def remove(
        self, *, guild: str, number: int, actor: str, channel: str | None = None
    ) -> Prompt:
        """Soft-delete: the prompt stays in the log and can be restored."""
        return await self._set_status(guild, number, "removed", actor, channel)

    async def restore(
        self, *, guild: str, number: int, actor: str, channel: str | None = None
    ) -> Prompt:
        return await self._set_status(guild, number, "open", actor, channel)

    async def _set_status(
        self, guild: str, number: int, status: Status, actor: str, channel: str | None
    ) -> Prompt:
        kind: EventKind = "removed" if status == "removed" else "restored"
        if number not in _NUMBERS:
            raise NotFound(f"This server has no prompt #{number}.")

        async def op(tx: Tx) -> Prompt:
            now = _now()
            changed = await tx.fetch(
                "UPDATE prompts SET status = ?, updated_at = ? "
                f"WHERE guild = ? AND number = ? AND status <> ? RETURNING {_COLUMNS}",
                (status, now, guild, number, status),
            )
            if not changed:
                found = await tx.fetch(
                    "SELECT 1 FROM prompts WHERE guild = ? AND number = ?", (guild, number)
                )
                if not found:
                    raise NotFound(f"This server has no prompt #{number}.")
                state = "removed already" if status == "removed" else "not removed"
                raise InvalidInput(f"Prompt #{number} is {state}.")
            await tx.execute(
                "INSERT INTO prompt_events (guild, number, kind, actor, channel, at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (guild, number, kind, actor, channel, now),
            )
            return _prompt(changed[0])

        return await self.db.transact(op)

    async def log_posted(
        self,
        *,
        guild: str,
        actor: str,
        channel: str | None,
        number: int | None = None,
        builtin: str | None = None,
    ) -> None:
        """Record that a prompt (by number) or a built-in one (by id) was posted."""
        if (number is None) == (builtin is None):
            raise ValueError("log_posted needs exactly one of number and builtin")

        async def op(tx: Tx) -> None:
            await tx.execute(
                "INSERT INTO prompt_events (guild, number, builtin, kind, actor, channel, at) "
                "VALUES (?, ?, ?, 'posted', ?, ?, ?)",
                (guild, number, builtin, actor, channel, _now()),
            )

        await self.db.transact(op)

    # -- reads --

    async def get(self, guild: str, number: int) -> Prompt | None:
        if number not in _NUMBERS:
            return None
        rows = await self.db.fetch(
            f"SELECT {_COLUMNS} FROM prompts WHERE guild = ? AND number = ?", (guild, number)
        )
        return _prompt(rows[0]) if rows else None

    async def list(
        self,
        guild: str,
        *,
        document: str | None = None,
        section: int | None = None,
        author: str | None = None,
        include_removed: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> PromptList:
        """A server's prompts, newest first; ``limit``/``offset`` page through them."""
        where, params = _Filter(guild, document, section, author, include_removed).sql()
        rows = await self.db.fetch(
            f"SELECT {_COLUMNS} FROM prompts WHERE {where} ORDER BY number DESC LIMIT ? OFFSET ?",
            (*params, _NO_LIMIT if limit is None else limit, offset),
        )
        return [_prompt(row) for row in rows]

    async def count(
        self,
        guild: str,
        *,
        document: str | None = None,
        section: int | None = None,
        author: str | None = None,
        include_removed: bool = False,
    ) -> int:
        where, params = _Filter(guild, document, section, author, include_removed).sql()
        rows = await self.db.fetch(f"SELECT count(*) FROM prompts WHERE {where}", params)
        return int(rows[0][0])

    async def events(self, guild: str) -> EventList:
        """A server's whole log, oldest first."""
        rows = await self.db.fetch(
            f"SELECT {_EVENT_COLUMNS} FROM prompt_events WHERE guild = ? ORDER BY id", (guild,)
        )
        return [_event(row) for row in rows]

    # -- the same database for other repositories (reading plans) --

    async def transact(self, op: Callable[[Tx], Awaitable[T]]) -> T:
        """Run ``op`` in one durable transaction on this store's database."""
        return await self.db.transact(op)

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        """Rows of a read of committed data."""
        return await self.db.fetch(sql, params)


#: ``PromptStore.add`` in one PostgreSQL statement (data-modifying CTEs; SQLite has none).
_ADD_IN_ONE = f"""
WITH found AS (
    SELECT {_COLUMNS} FROM prompts WHERE guild = ? AND text_key = ?
), counter AS (
    INSERT INTO guild_counters (guild, last_number)
    SELECT CAST(? AS TEXT), 1 WHERE NOT EXISTS (SELECT 1 FROM found)
    ON CONFLICT (guild) DO UPDATE SET last_number = guild_counters.last_number + 1
    RETURNING last_number
), added AS (
    INSERT INTO prompts (guild, number, channel, author, text, text_key, document, section,
                         paragraph, status, created_at, updated_at)
    SELECT CAST(? AS TEXT), last_number, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT),
           CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS INTEGER), 'open',
           CAST(? AS TEXT), CAST(? AS TEXT)
    FROM counter
    RETURNING {_COLUMNS}
), logged AS (
    INSERT INTO prompt_events (guild, number, kind, actor, channel, at)
    SELECT guild, number, 'submitted', author, channel, created_at FROM added
)
SELECT {_COLUMNS}, true AS created FROM added
UNION ALL
SELECT {_COLUMNS}, false AS created FROM found
"""


async def _by_key(tx: Tx, guild: str, key: str) -> Prompt | None:
    rows = await tx.fetch(
        f"SELECT {_COLUMNS} FROM prompts WHERE guild = ? AND text_key = ?", (guild, key)
    )
    return _prompt(rows[0]) if rows else None
