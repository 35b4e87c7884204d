"""The PostgreSQL backend (asyncpg): one database shared by several bot processes.

Each operation runs in its own transaction on a pooled connection and returns once
PostgreSQL has committed it (``synchronous_commit`` as the server has it: on by
default, so the commit is on disk). Concurrent commits share WAL flushes inside the
server, which is PostgreSQL's own group commit. Migrations run under an advisory lock,
so processes starting together upgrade the schema once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import asyncpg

from bot.core.db.base import (
    Migration,
    Rows,
    T,
    Tx,
    UniqueConflict,
    describe_url,
    load_migrations,
    numbered_placeholders,
    refuse_newer,
)
from bot.core.errors import StorageError, UserError

log = logging.getLogger(__name__)

#: The advisory lock (one 64-bit key) that serialises migrations across processes.
_MIGRATION_LOCK = 0x65737361  # "essa"
#: The first half of every ``exclusive`` lock key, so they never meet other users' locks.
_LOCK_SPACE = 0x6573
_COMMAND_TIMEOUT = 60.0  # a statement taking longer is treated as a lost server
_LOCK_POLL = 0.25  # seconds between tries for a lock another process holds
_RETRIES = 5  # a deadlock or serialisation failure is retried; more in a row is a bug
_LEDGER = "essay_bot_schema"

_UNREACHABLE: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.ConnectionDoesNotExistError,
    asyncpg.CannotConnectNowError,
    asyncpg.TooManyConnectionsError,
    asyncpg.AdminShutdownError,
)
if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

_Conn: TypeAlias = "PoolConnectionProxy[asyncpg.Record]"
_TRANSIENT = (asyncpg.SerializationError, asyncpg.DeadlockDetectedError)


class _PgTx:
    """A pooled connection inside a transaction, as a ``Tx`` (``?`` → ``$n``)."""

    __slots__ = ("_conn",)

    def __init__(self, conn: _Conn) -> None:
        self._conn = conn

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        return list(await self._conn.fetch(numbered_placeholders(sql), *params))

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        await self._conn.execute(numbered_placeholders(sql), *params)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self._conn.executemany(numbered_placeholders(sql), [tuple(r) for r in rows])


class PostgresDatabase:
    """A pool of connections to one PostgreSQL database, migrated on open."""

    dialect: Literal["postgresql"] = "postgresql"

    def __init__(
        self, pool: asyncpg.Pool, url: str, where: str, version: int, lock_wait: float
    ) -> None:
        self._pool = pool
        self._url = url
        self._lock_conn: asyncpg.Connection | None = None
        self._lock_guard = asyncio.Lock()
        self._local_locks: dict[int, asyncio.Lock] = {}
        self._where = where
        self._version = version
        self._lock_wait = lock_wait
        self._closing = False

    @property
    def where(self) -> str:
        return self._where

    @property
    def schema_version(self) -> int:
        return self._version

    # -- lifecycle --

    @classmethod
    async def open(
        cls,
        url: str,
        *,
        migrations: Sequence[Migration] | None = None,
        pool_size: int = 4,
        connect_timeout: float = 10.0,
        lock_wait: float = 60.0,
    ) -> PostgresDatabase:
        """Connect, upgrade the schema, and prove writes work; ``StorageError`` if not."""
        steps = load_migrations(dialect="postgresql") if migrations is None else tuple(migrations)
        where = describe_url(url)
        try:
            pool = await asyncpg.create_pool(
                url,
                min_size=pool_size,
                max_size=pool_size,
                timeout=connect_timeout,
                command_timeout=_COMMAND_TIMEOUT,
            )
        except _UNREACHABLE as exc:
            raise StorageError(
                f"Cannot reach the PostgreSQL database at {where}: {_reason(exc)}."
            ) from exc
        except asyncpg.InvalidCatalogNameError as exc:
            raise StorageError(f"The PostgreSQL database {where} does not exist.") from exc
        except (
            asyncpg.InvalidPasswordError,
            asyncpg.InvalidAuthorizationSpecificationError,
        ) as exc:
            raise StorageError(f"PostgreSQL at {where} refused the login: {exc}.") from exc
        try:
            async with pool.acquire() as conn:
                await _migrate(conn, where, steps)
        except BaseException as exc:
            await pool.close()
            if isinstance(exc, _UNREACHABLE):
                raise StorageError(
                    f"Lost the PostgreSQL database at {where}: {_reason(exc)}."
                ) from exc
            if isinstance(
                exc, asyncpg.InsufficientPrivilegeError | asyncpg.ReadOnlySQLTransactionError
            ):
                raise StorageError(f"PostgreSQL at {where} refused a write: {exc}.") from exc
            if isinstance(exc, asyncpg.PostgresError):
                log.error("migrating %s failed: %s", where, exc)
                raise StorageError(
                    f"The prompt database ({where}) could not be upgraded: {exc}."
                ) from exc
            raise
        log.info("prompt database %s ready (PostgreSQL, schema version %d)", where, len(steps))
        return cls(pool, url, where, len(steps), lock_wait)

    async def durability(self) -> dict[str, str]:
        """``fsync`` and ``synchronous_commit``: "on" for both means a commit is on disk."""
        rows = await self.fetch(
            "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit')"
        )
        return {str(r[0]): str(r[1]) for r in rows}

    async def close(self) -> None:
        """Wait for operations under way, then close every connection."""
        if self._closing:
            return
        self._closing = True
        if self._lock_conn is not None:
            try:
                await self._lock_conn.close()
            except _UNREACHABLE as exc:
                log.warning("closing the lock connection failed: %s", exc)
        try:
            await asyncio.wait_for(self._pool.close(), timeout=10)
        except TimeoutError:
            log.warning("PostgreSQL connections did not close in time; terminating them")
            self._pool.terminate()

    # -- the Database interface --

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        self._check_open()
        try:
            async with self._pool.acquire() as conn:
                return list(await conn.fetch(numbered_placeholders(sql), *params))
        except _UNREACHABLE as exc:
            raise _unreachable(exc) from exc

    async def transact(self, op: Callable[[Tx], Awaitable[T]], *, single: bool = False) -> T:
        """Run ``op`` in its own transaction, retrying what PostgreSQL asks to retry.

        ``single``: ``op`` runs one statement, atomic by itself, so no BEGIN/COMMIT.
        """
        self._check_open()
        for attempt in range(1, _RETRIES + 1):
            try:
                async with self._pool.acquire() as conn:
                    if single:
                        return await op(_PgTx(conn))
                    async with conn.transaction():
                        return await op(_PgTx(conn))
            except UserError:
                raise
            except _TRANSIENT as exc:
                if attempt == _RETRIES:
                    log.error("prompt database write kept conflicting: %s", exc)
                    raise StorageError("The prompt database is busy; try again.") from exc
                await asyncio.sleep(0.005 * attempt)
            except _UNREACHABLE as exc:
                raise _unreachable(exc) from exc
            except asyncpg.UniqueViolationError as exc:
                raise UniqueConflict(
                    f"The prompt database refused a duplicate ({exc.constraint_name}).",
                    exc.detail,
                ) from exc
            except asyncpg.IntegrityConstraintViolationError as exc:
                log.error("prompt database refused a write: %s", exc)
                raise StorageError(
                    f"The prompt database refused a write ({exc.sqlstate})."
                ) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    async def notify(self, channel: str) -> None:
        """``NOTIFY``: delivered to every listening process once the change is committed."""
        await self.fetch("SELECT pg_notify(?, '')", (channel,))

    async def subscribe(
        self, channel: str, callback: Callable[[], None]
    ) -> Callable[[], Awaitable[None]]:
        """``LISTEN`` on a connection of its own, kept for as long as the subscription."""
        self._check_open()
        try:
            conn = await asyncpg.connect(self._url)
        except _UNREACHABLE as exc:
            raise _unreachable(exc) from exc

        def heard(*_: object) -> None:
            callback()

        await conn.add_listener(channel, heard)
        conn.add_termination_listener(
            lambda _: log.warning("stopped hearing %s: the connection was lost", channel)
        )

        async def undo() -> None:
            if not conn.is_closed():
                await conn.close()

        return undo

    async def write(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        """A single statement needs no BEGIN/COMMIT: PostgreSQL commits it on its own."""
        return await self.transact(lambda tx: tx.fetch(sql, params), single=True)

    @asynccontextmanager
    async def exclusive(self, first: int, second: int) -> AsyncIterator[bool]:
        """A session-level advisory lock, taken on the process's one lock connection.

        Not on a pooled connection: many sessions may be held at once, each doing its own
        queries, and holds must never starve the pool. If the process dies, PostgreSQL
        ends its connection and with it every lock, so a crash never leaves a session
        held. Within the process an asyncio lock keeps two tasks off the same key (an
        advisory lock is re-entrant for the connection that holds it).
        """
        self._check_open()
        key = (_LOCK_SPACE << 48) | ((first & 0xFFFFFFFF) << 16) | (second & 0xFFFF)
        local = self._local_locks.setdefault(key, asyncio.Lock())
        try:
            async with local:
                got = await self._try_lock(key)
                try:
                    yield got
                finally:
                    if got:
                        await self._lock_call("SELECT pg_advisory_unlock($1)", key)
        finally:
            if not local.locked() and self._local_locks.get(key) is local:
                del self._local_locks[key]

    async def _try_lock(self, key: int) -> bool:
        """Poll for the lock (another process holds it only while it posts) up to a limit."""
        deadline = asyncio.get_running_loop().time() + self._lock_wait
        while True:
            if await self._lock_call("SELECT pg_try_advisory_lock($1)", key):
                return True
            if asyncio.get_running_loop().time() >= deadline:
                log.warning("lock %x still held elsewhere after %.0f s", key, self._lock_wait)
                return False
            await asyncio.sleep(_LOCK_POLL)

    async def _lock_call(self, sql: str, key: int) -> bool:
        async with self._lock_guard:
            try:
                if self._lock_conn is None or self._lock_conn.is_closed():
                    self._lock_conn = await asyncpg.connect(self._url)
                return bool(await self._lock_conn.fetchval(sql, key))
            except _UNREACHABLE as exc:  # the locks went with the connection
                raise _unreachable(exc) from exc

    def _check_open(self) -> None:
        if self._closing:
            raise StorageError("The prompt database is closed.")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _unreachable(exc: BaseException) -> StorageError:
    log.error("prompt database unreachable: %s", exc)
    return StorageError("The prompt database cannot be reached; try again in a moment.")


async def _migrate(conn: _Conn, where: str, steps: Sequence[Migration]) -> None:
    """Bring the schema to the newest version in one transaction, or change nothing.

    The ledger is read before anything is created, so a newer database stays untouched.
    """
    latest = len(steps)
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
        exists = await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", _LEDGER)
        version = 0
        if exists:
            version = int(await conn.fetchval(f"SELECT coalesce(max(version), 0) FROM {_LEDGER}"))
        refuse_newer(version, latest, where)
        if not exists:
            await conn.execute(
                f"CREATE TABLE {_LEDGER} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
        for step in steps[version:]:
            log.info("applying prompt database migration %s", step.name)
            for statement in step.statements:
                await conn.execute(statement)
            await conn.execute(
                f"INSERT INTO {_LEDGER} (version, name) VALUES ($1, $2)", step.version, step.name
            )
        # A write even when nothing changed: a read-only server is found at start-up.
        await conn.execute(f"UPDATE {_LEDGER} SET name = name WHERE version = $1", latest)
