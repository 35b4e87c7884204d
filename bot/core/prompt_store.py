"""The prompt database: schema migrations, transactions, durability, server scoping.

WAL with ``synchronous=FULL``, so a write is on disk before ``add`` returns; writes
queued at the same moment share one transaction and one fsync (group commit), which
is what keeps that affordable. Every statement names the server, so nothing here can
reach another server's prompts. Behaviour (validation, linking, permissions) lives in
``bot.core.prompts``.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal, TypeVar

import aiosqlite

from bot.core.errors import InvalidInput, NotFound, StorageError, UserError
from bot.core.text import clean_user_text

log = logging.getLogger(__name__)

_MAX_BATCH = 256  # bounds how long one caller waits behind others' writes in one commit
_MIGRATION_NAME = re.compile(r"^(\d{3})-[a-z0-9-]+\.sql$")

Status = Literal["open", "removed"]
EventKind = Literal["submitted", "posted", "removed", "restored"]
T = TypeVar("T")


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
_Rows = list[sqlite3.Row]
_Outcomes = list[tuple[bool, Any]]


def text_key(text: str) -> str:
    """What two prompts must share to count as the same prompt (case and spacing ignored)."""
    return " ".join(clean_user_text(text).casefold().split())


# --- migrations --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


def load_migrations(directory: Traversable | Path | None = None) -> tuple[Migration, ...]:
    """The numbered SQL files, checked to run 1, 2, 3… without gaps or repeats.

    A gap would leave some databases at a version no file describes, so it is a
    packaging bug and fails loudly rather than being skipped.
    """
    folder = directory if directory is not None else resources.files("bot.core") / "migrations"
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            statements = tuple(_split_sql(entry.read_text(encoding="utf-8")))
            found.append(Migration(int(match.group(1)), entry.name, statements))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 001, 002, … without gaps: {versions}")
    return tuple(found)


def _split_sql(script: str) -> list[str]:
    """Statements of a script, split by SQLite's own tokenizer (so triggers stay whole).

    ``executescript`` would be simpler but commits any open transaction first, and the
    migrations must run inside one.
    """
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statement = _strip_comments(buffer)
            if statement:
                statements.append(statement)
            buffer = ""
    if _strip_comments(buffer):
        raise RuntimeError(f"unterminated SQL statement in migration: {buffer.strip()[:80]!r}")
    return statements


def _strip_comments(sql: str) -> str:
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return "\n".join(lines).strip()


# --- storage -----------------------------------------------------------------------------

_COLUMNS = (
    "number, guild, channel, author, text, document, section, paragraph, status, "
    "created_at, updated_at"
)
_EVENT_COLUMNS = "guild, number, builtin, kind, actor, channel, at"
_SYSTEMIC = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_READONLY", "SQLITE_FULL", "SQLITE_IOERR")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _prompt(row: sqlite3.Row) -> Prompt:
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


def _event(row: sqlite3.Row) -> PromptEvent:
    return PromptEvent(
        guild=row["guild"],
        number=row["number"],
        builtin=row["builtin"],
        kind=row["kind"],
        actor=row["actor"],
        channel=row["channel"],
        at=datetime.fromisoformat(row["at"]),
    )


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


@dataclass(slots=True)
class _Job:
    op: Callable[[aiosqlite.Connection], Awaitable[Any]]
    future: asyncio.Future[Any]


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
        if self.author is not None:
            clauses.append("author = ?")
            params.append(self.author)
        return " AND ".join(clauses), params


class PromptStore:
    """The prompt database: one writer connection (group commit) and one reader.

    Reads go to their own connection so they only ever see committed data, and never wait
    behind a write. Writes are queued; whatever is queued when the writer is free runs in
    one ``BEGIN IMMEDIATE`` transaction and one fsync, and each caller is answered only
    after that commit.
    """

    def __init__(
        self, path: Path, writer: aiosqlite.Connection, reader: aiosqlite.Connection
    ) -> None:
        self.path = path
        self._writer = writer
        self._reader = reader
        self._pending: list[_Job] = []
        self._flusher: asyncio.Task[None] | None = None
        self._closing = False
        self._closed = False

    # -- lifecycle --

    @classmethod
    async def open(
        cls,
        path: Path,
        *,
        busy_timeout: float = 5.0,
        migrations: Sequence[Migration] | None = None,
    ) -> PromptStore:
        """Open (creating if needed) and upgrade the database; ``StorageError`` if unusable.

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
        log.info("prompt database %s ready (schema version %d)", path, len(steps))
        return cls(path, writer, reader)

    async def close(self) -> None:
        """Finish queued writes, then close; later calls fail with ``StorageError``.

        Closing twice is harmless, so every owner (the bot, a test fixture) may close.
        """
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

        "Confirmed means on disk" rests on WAL with ``synchronous=FULL``; a crash test
        cannot see a missing fsync, so the test suite asks the live connection instead.
        """
        (mode,) = await self._writer.execute_fetchall("PRAGMA journal_mode")
        (level,) = await self._writer.execute_fetchall("PRAGMA synchronous")
        names = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}
        return {"journal_mode": str(mode[0]).lower(), "synchronous": names[int(level[0])]}

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
        identical proposals at once yield one prompt and numbers never skip.
        """
        key = text_key(text)

        async def op(conn: aiosqlite.Connection) -> tuple[Prompt, bool]:
            found = await conn.execute_fetchall(
                f"SELECT {_COLUMNS} FROM prompts WHERE guild = ? AND text_key = ?", (guild, key)
            )
            if found:
                return _prompt(next(iter(found))), False
            now = _now()
            (counter,) = await conn.execute_fetchall(
                "INSERT INTO guild_counters (guild, last_number) VALUES (?, 1) "
                "ON CONFLICT (guild) DO UPDATE SET last_number = last_number + 1 "
                "RETURNING last_number",
                (guild,),
            )
            number = counter[0]
            (row,) = await conn.execute_fetchall(
                "INSERT INTO prompts (guild, number, channel, author, text, text_key, document, "
                "section, paragraph, status, created_at, updated_at) "
                f"VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?) RETURNING {_COLUMNS}",
                (guild, number, channel, author, text, key, document, section, paragraph, now, now),
            )
            await conn.execute_fetchall(
                "INSERT INTO prompt_events (guild, number, kind, actor, channel, at) "
                "VALUES (?, ?, 'submitted', ?, ?, ?)",
                (guild, number, author, channel, now),
            )
            return _prompt(row), True

        return await self._write(op)

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

        async def op(conn: aiosqlite.Connection) -> Prompt:
            now = _now()
            changed = await conn.execute_fetchall(
                "UPDATE prompts SET status = ?, updated_at = ? "
                f"WHERE guild = ? AND number = ? AND status <> ? RETURNING {_COLUMNS}",
                (status, now, guild, number, status),
            )
            if not changed:
                found = await conn.execute_fetchall(
                    "SELECT 1 FROM prompts WHERE guild = ? AND number = ?", (guild, number)
                )
                if not found:
                    raise NotFound(f"This server has no prompt #{number}.")
                state = "removed already" if status == "removed" else "not removed"
                raise InvalidInput(f"Prompt #{number} is {state}.")
            await conn.execute_fetchall(
                "INSERT INTO prompt_events (guild, number, kind, actor, channel, at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (guild, number, kind, actor, channel, now),
            )
            return _prompt(next(iter(changed)))

        return await self._write(op)

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

        async def op(conn: aiosqlite.Connection) -> None:
            await conn.execute_fetchall(
                "INSERT INTO prompt_events (guild, number, builtin, kind, actor, channel, at) "
                "VALUES (?, ?, ?, 'posted', ?, ?, ?)",
                (guild, number, builtin, actor, channel, _now()),
            )

        await self._write(op)

    # -- reads --

    async def get(self, guild: str, number: int) -> Prompt | None:
        rows = await self._read(
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
        rows = await self._read(
            f"SELECT {_COLUMNS} FROM prompts WHERE {where} ORDER BY number DESC LIMIT ? OFFSET ?",
            (*params, -1 if limit is None else limit, offset),
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
        rows = await self._read(f"SELECT count(*) FROM prompts WHERE {where}", params)
        return int(rows[0][0])

    async def events(self, guild: str) -> EventList:
        """A server's whole log, oldest first."""
        rows = await self._read(
            f"SELECT {_EVENT_COLUMNS} FROM prompt_events WHERE guild = ? ORDER BY id", (guild,)
        )
        return [_event(row) for row in rows]

    # -- the same database for other repositories (reading plans) --

    async def transact(self, op: Callable[[aiosqlite.Connection], Awaitable[T]]) -> T:
        """Run ``op`` in the next group commit and return once it is durable.

        For repositories that share this file (``bot.core.plan.store``), so every write
        has one writer, one transaction discipline and one error mapping.
        """
        return await self._write(op)

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> _Rows:
        """Rows of a read on the reader connection (committed data only)."""
        return await self._read(sql, params)

    # -- machinery --

    async def _read(self, sql: str, params: Sequence[Any]) -> _Rows:
        if self._closing:
            raise StorageError("The prompt database is closed.")
        try:
            return list(await self._reader.execute_fetchall(sql, params))
        except sqlite3.Error as exc:
            if _is_bug(exc):
                raise
            log.error("prompt database read failed: %s", exc)
            raise _storage_error(exc) from exc

    async def _write(self, op: Callable[[aiosqlite.Connection], Awaitable[T]]) -> T:
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
        outcomes: _Outcomes = []
        await conn.execute("BEGIN IMMEDIATE")
        try:
            for job in batch:
                try:
                    outcomes.append((True, await job.op(conn)))
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
    _refuse_newer(version, latest, path)
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
        _refuse_newer(version, latest, path)
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


def _refuse_newer(version: int, latest: int, path: Path) -> None:
    if version > latest:
        raise StorageError(
            f"The prompt database ({path}) is from a newer essay-bot (schema {version}; "
            f"this version knows up to {latest}). Upgrade the bot or use another file."
        )


async def _close_quietly(*conns: aiosqlite.Connection | None) -> None:
    for conn in conns:
        if conn is None:
            continue
        try:
            await conn.close()
        except sqlite3.Error as exc:
            log.warning("closing the prompt database failed: %s", exc)
