"""The SQLite backend: one file, zero setup, the default.

WAL with ``synchronous=FULL``, so a write is on disk before ``transact`` returns; writes
queued at the same moment share one transaction and one fsync (group commit), which is
what keeps that affordable. Reads go to their own connection so they only ever see
committed data and never wait behind a write.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import aiosqlite

from bot.core.db.base import Migration, Rows, T, Tx, load_migrations, refuse_newer
from bot.core.errors import StorageError, UserError

log = logging.getLogger(__name__)

_MAX_BATCH = 256  # bounds how long one caller waits behind others' writes in one commit
_SYSTEMIC = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_READONLY", "SQLITE_FULL", "SQLITE_IOERR")
_Outcomes = list[tuple[bool, Any]]


def _is_bug(exc: BaseException) -> bool:
    """sqlite3 errors that mean our code is wrong, not that the database is unusable."""
    return isinstance(exc, sqlite3.ProgrammingError | sqlite3.InterfaceError)


def _storage_error(exc: sqlite3.Error, path: Path | None = None) -> StorageError:
    """A message an operator (or a member, on Discord) can act on, for a database failure.

    The file path is named only at start-up (``path`` given), where the operator reads it;
    a member never sees where the bot keeps its files.
    """
    name = getattr(exc, "sqlite_errorname", "") or ""
    where = f"The prompt database ({path})" if path else "The prompt database"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        message = f"{where} is locked by another program; try again in a moment."
    elif name.startswith("SQLITE_READONLY"):
        message = f"{where} is read-only; it needs write permission (file and folder)."
    elif name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        message = f"{where} is damaged or not a database; restore a backup or use another file."
    elif name.startswith("SQLITE_FULL"):
        message = f"{where} cannot grow: the disk is full."
    elif name.startswith("SQLITE_CANTOPEN"):
        message = f"{where} cannot be opened; check the path and its permissions."
    elif name.startswith("SQLITE_IOERR"):
        message = f"{where} could not be read or written (disk error)."
    else:
        message = f"{where} failed ({name or type(exc).__name__})."
    return StorageError(message)


class _SqliteTx:
    """The writer connection inside ``BEGIN IMMEDIATE``, as a ``Tx``."""

    __slots__ = ("_conn",)

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        return list(await self._conn.execute_fetchall(sql, params))

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        await self._conn.execute_fetchall(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self._conn.executemany(sql, rows)


@dataclass(slots=True)
class _Job:
    op: Callable[[Tx], Awaitable[Any]]
    future: asyncio.Future[Any]


class SqliteDatabase:
    """One writer connection (group commit) and one reader connection on one file."""

    dialect: Literal["sqlite"] = "sqlite"

    def __init__(
        self,
        path: Path,
        writer: aiosqlite.Connection,
        reader: aiosqlite.Connection,
        version: int,
    ) -> None:
        self.path = path
        self._writer = writer
        self._reader = reader
        self._version = version
        self._pending: list[_Job] = []
        self._flusher: asyncio.Task[None] | None = None
        self._closing = False
        self._closed = False
        self._locks: dict[tuple[int, int], asyncio.Lock] = {}

    @property
    def where(self) -> str:
        return str(self.path)

    @property
    def schema_version(self) -> int:
        return self._version

    # -- lifecycle --

    @classmethod
    async def open(
        cls,
        path: Path,
        *,
        busy_timeout: float = 5.0,
        migrations: Sequence[Migration] | None = None,
    ) -> SqliteDatabase:
        """Open (creating if needed) and upgrade the file; ``StorageError`` if unusable.

        Opening always ends with a small write, so a read-only or locked database is
        reported at start-up, not on the first member's command.
        """
        steps = load_migrations() if migrations is None else tuple(migrations)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"Cannot create the folder for the prompt database ({path.parent}): "
                f"{exc.strerror or exc}."
            ) from exc
        writer: aiosqlite.Connection | None = None
        reader: aiosqlite.Connection | None = None
        try:
            writer = await _connect(path, busy_timeout)
            await _migrate(writer, path, steps)
            reader = await _connect(path, busy_timeout)
            await reader.execute("PRAGMA query_only = ON")
        except sqlite3.Error as exc:
            await _close_quietly(writer, reader)
            if _is_bug(exc):
                raise
            log.debug("cannot open prompt database %s: %s", path, exc)  # the caller reports
            raise _storage_error(exc, path) from exc
        except BaseException:
            await _close_quietly(writer, reader)
            raise
        log.info("prompt database %s ready (SQLite, schema version %d)", path, len(steps))
        return cls(path, writer, reader, len(steps))

    async def close(self) -> None:
        """Finish queued writes, then close; later calls fail with ``StorageError``."""
        if self._closed:
            return
        self._closed = self._closing = True
        if self._flusher is not None:
            await asyncio.shield(self._flusher)
        try:
            await self._writer.execute("PRAGMA optimize")
        except sqlite3.Error as exc:
            log.warning("PRAGMA optimize failed on close: %s", exc)
        await _close_quietly(self._reader, self._writer)

    async def durability(self) -> dict[str, str]:
        """The writing connection's journal mode and sync level, as SQLite reports them now.

        "Confirmed means on disk" rests on WAL with ``synchronous=FULL``.
        """
        (mode,) = await self._writer.execute_fetchall("PRAGMA journal_mode")
        (level,) = await self._writer.execute_fetchall("PRAGMA synchronous")
        names = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}
        return {"journal_mode": str(mode[0]).lower(), "synchronous": names[int(level[0])]}

    # -- the Database interface --

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        if self._closing:
            raise StorageError("The prompt database is closed.")
        try:
            return list(await self._reader.execute_fetchall(sql, params))
        except sqlite3.Error as exc:
            if _is_bug(exc):
                raise
            log.error("prompt database read failed: %s", exc)
            raise _storage_error(exc) from exc

    async def transact(self, op: Callable[[Tx], Awaitable[T]]) -> T:
        """Queue ``op`` for the next group commit and wait until it is durable.

        ``op`` may raise ``UserError`` only before it has written anything, so refusing
        one job never needs a savepoint and never touches the others in its batch.
        """
        if self._closing:
            raise StorageError("The prompt database is closed.")
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._pending.append(_Job(op, future))
        if self._flusher is None:
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def notify(self, channel: str) -> None:
        """One bot process per file: the process that changed something knows it already."""

    async def subscribe(
        self, channel: str, callback: Callable[[], None]
    ) -> Callable[[], Awaitable[None]]:
        async def undo() -> None:
            return None

        return undo

    async def write(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        return await self.transact(lambda tx: tx.fetch(sql, params))

    @asynccontextmanager
    async def exclusive(self, first: int, second: int) -> AsyncIterator[bool]:
        """A lock within this process: a SQLite file has one bot process writing to it."""
        key = (first, second)
        lock = self._locks.setdefault(key, asyncio.Lock())
        try:
            async with lock:
                yield True
        finally:
            if not lock.locked() and self._locks.get(key) is lock:
                del self._locks[key]

    # -- group commit --

    async def _flush(self) -> None:
        try:
            while self._pending:
                batch = self._pending[:_MAX_BATCH]
                del self._pending[:_MAX_BATCH]
                await self._run(batch)
        finally:
            self._flusher = None

    async def _run(self, batch: Sequence[_Job]) -> None:
        """Commit ``batch`` together; on a failure that is not systemic, retry one by one.

        The retry isolates a job that breaks a constraint (a bug) so that it alone fails,
        instead of everyone who happened to write at the same moment.
        """
        try:
            outcomes = await self._commit(batch)
        except Exception as exc:
            systemic = isinstance(exc, sqlite3.Error) and str(
                getattr(exc, "sqlite_errorname", "")
            ).startswith(_SYSTEMIC)
            if len(batch) > 1 and not systemic:
                for job in batch:
                    await self._run([job])
                return
            if isinstance(exc, sqlite3.Error) and not _is_bug(exc):
                log.error("prompt database write failed: %s", exc)
                exc = _storage_error(exc)
            else:
                log.exception("prompt write failed", exc_info=exc)
            for job in batch:
                if not job.future.done():
                    job.future.set_exception(exc)
            return
        except BaseException:
            for job in batch:
                if not job.future.done():
                    job.future.set_exception(StorageError("The prompt database was shut down."))
            raise
        for job, (ok, value) in zip(batch, outcomes, strict=True):
            if job.future.done():
                continue
            if ok:
                job.future.set_result(value)
            else:
                job.future.set_exception(value)

    async def _commit(self, batch: Sequence[_Job]) -> _Outcomes:
        conn = self._writer
        tx = _SqliteTx(conn)
        outcomes: _Outcomes = []
        await conn.execute("BEGIN IMMEDIATE")
        try:
            for job in batch:
                try:
                    outcomes.append((True, await job.op(tx)))
                except UserError as exc:
                    outcomes.append((False, exc))
            await conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                try:
                    await conn.execute("ROLLBACK")
                except sqlite3.Error as exc:
                    log.warning("rollback failed: %s", exc)
            raise
        return outcomes


async def _connect(path: Path, busy_timeout: float) -> aiosqlite.Connection:
    # When aiosqlite cannot open the file, its worker thread outlives the event loop and
    # dies with a traceback at exit; opening once here first makes that failure clean.
    await asyncio.to_thread(_open_once, path, busy_timeout)
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, the sqlite3 module never does.
    conn = await aiosqlite.connect(path, timeout=busy_timeout, isolation_level=None)
    conn.row_factory = sqlite3.Row
    try:
        await conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        await conn.execute("PRAGMA foreign_keys = ON")
        # FULL: in WAL mode, every commit is fsynced before it returns, so a confirmed
        # prompt survives a crash of the process and of the machine.
        await conn.execute("PRAGMA synchronous = FULL")
    except BaseException:
        await conn.close()
        raise
    return conn


def _open_once(path: Path, busy_timeout: float) -> None:
    sqlite3.connect(path, timeout=busy_timeout).close()


async def _migrate(conn: aiosqlite.Connection, path: Path, steps: Sequence[Migration]) -> None:
    """Bring the schema to the newest version in one transaction, or change nothing."""
    latest = len(steps)
    # The version is read before anything writes, so a newer database stays untouched.
    version = await _user_version(conn)
    refuse_newer(version, latest, str(path))
    (mode,) = await conn.execute_fetchall("PRAGMA journal_mode = WAL")
    if str(mode[0]).lower() != "wal":
        raise StorageError(f"The prompt database ({path}) cannot use WAL mode ({mode[0]}).")
    if version:
        check = [str(row[0]) for row in await conn.execute_fetchall("PRAGMA quick_check")]
        if check != ["ok"]:
            log.error("prompt database %s failed quick_check: %s", path, check[:5])
            raise StorageError(
                f"The prompt database ({path}) is damaged; restore a backup or use another file."
            )
    # Rebuilding a table (as some migrations must) needs foreign keys off; they are
    # checked explicitly before the commit instead.
    await conn.execute("PRAGMA foreign_keys = OFF")
    await conn.execute("BEGIN IMMEDIATE")
    try:
        version = await _user_version(conn)  # another process may have migrated meanwhile
        refuse_newer(version, latest, str(path))
        for step in steps[version:]:
            log.info("applying prompt database migration %s", step.name)
            for statement in step.statements:
                await conn.execute(statement)
        problems = list(await conn.execute_fetchall("PRAGMA foreign_key_check"))
        if problems:
            raise StorageError(
                f"The prompt database ({path}) has broken references; restore a backup."
            )
        # Written even when unchanged: the write proves the file is writable.
        await conn.execute(f"PRAGMA user_version = {latest}")
        await conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            await conn.execute("ROLLBACK")
        raise
    await conn.execute("PRAGMA foreign_keys = ON")


async def _user_version(conn: aiosqlite.Connection) -> int:
    (row,) = await conn.execute_fetchall("PRAGMA user_version")
    return int(row[0])


async def _close_quietly(*conns: aiosqlite.Connection | None) -> None:
    for conn in conns:
        if conn is None:
            continue
        try:
            await conn.close()
        except sqlite3.Error as exc:
            log.warning("closing the prompt database failed: %s", exc)
