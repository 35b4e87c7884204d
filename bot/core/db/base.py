"""What every storage backend offers the repositories, and the migrations they share.

Repositories (``bot.core.prompt_store``, ``bot.core.plan.store``) write their SQL once,
with ``?`` placeholders and the subset of SQL that SQLite and PostgreSQL both speak
(``ON CONFLICT … DO UPDATE``, ``RETURNING``, partial indexes). A backend runs it: SQLite
as written, PostgreSQL with ``$1, $2, …``. Times are stored as fixed-width UTC ISO-8601
text in both, so one statement serves both and ``db copy`` moves values verbatim.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar
from urllib.parse import urlsplit

from bot.core.errors import StorageError

Dialect = Literal["sqlite", "postgresql"]
T = TypeVar("T")

_MIGRATION_NAME = re.compile(r"^(\d{3})-[a-z0-9-]+\.sql$")


class UniqueConflict(StorageError):
    """A write broke a uniqueness rule; ``detail`` names the key when the backend says."""

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.detail = detail


class Row(Protocol):
    """A result row: by column name or position (``sqlite3.Row`` and ``asyncpg.Record``)."""

    def __getitem__(self, key: int | str, /) -> Any: ...


Rows = list[Row]


class Tx(Protocol):
    """One open transaction; every statement of an operation goes through it."""

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> Rows: ...

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...


class Database(Protocol):
    """A migrated database: durable transactions, committed reads, and a cross-process lock."""

    @property
    def dialect(self) -> Dialect: ...

    @property
    def where(self) -> str:
        """Where the data lives, for logs and ``/about`` (never a password)."""

    @property
    def schema_version(self) -> int: ...

    async def transact(self, op: Callable[[Tx], Awaitable[T]]) -> T:
        """Run ``op`` in one transaction; return only once it is committed and durable.

        ``op`` may raise ``UserError`` only before it has written anything.
        """

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        """A read of committed data."""

    async def write(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        """One statement as its own durable transaction (one round trip where it can be)."""

    def exclusive(self, first: int, second: int) -> AbstractAsyncContextManager[bool]:
        """Hold the lock named by the two numbers across every process on this database.

        Yields ``False`` if it could not be had in reasonable time. The lock ends with the
        block or with the process, so a crash never leaves it held.
        """

    async def notify(self, channel: str) -> None:
        """Tell every process on this database (subscribed to ``channel``) that it changed."""

    async def subscribe(
        self, channel: str, callback: Callable[[], None]
    ) -> Callable[[], Awaitable[None]]:
        """Call ``callback`` whenever any process notifies ``channel``; returns the undo."""

    async def durability(self) -> dict[str, str]:
        """The settings that make a commit durable, as the database reports them now."""

    async def close(self) -> None:
        """Finish what is under way, then close; closing twice is harmless."""


# --- migrations --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


def load_migrations(
    directory: Traversable | Path | None = None, dialect: Dialect = "sqlite"
) -> tuple[Migration, ...]:
    """The numbered SQL files of one dialect, checked to run 1, 2, 3… without gaps.

    A gap would leave some databases at a version no file describes, so it is a
    packaging bug and fails loudly rather than being skipped. Both dialects carry the
    same numbers: version N means the same tables in either.
    """
    folder = (
        directory if directory is not None else resources.files("bot.core") / "migrations" / dialect
    )
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            statements = tuple(split_sql(entry.read_text(encoding="utf-8")))
            found.append(Migration(int(match.group(1)), entry.name, statements))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 001, 002, … without gaps: {versions}")
    return tuple(found)


def split_sql(script: str) -> list[str]:
    """Statements of a script, split by SQLite's own tokenizer (so triggers stay whole).

    ``executescript`` would be simpler but commits any open transaction first, and the
    migrations must run inside one. The PostgreSQL files use no dollar quoting, so the
    same tokenizer splits them too.
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


def refuse_newer(version: int, latest: int, where: str) -> None:
    if version > latest:
        raise StorageError(
            f"The prompt database ({where}) is from a newer essay-bot (schema {version}; "
            f"this version knows up to {latest}). Upgrade the bot or use another database."
        )


@lru_cache(maxsize=512)
def numbered_placeholders(sql: str) -> str:
    """``?`` → ``$1, $2, …`` outside quoted text, for PostgreSQL."""
    out: list[str] = []
    count = 0
    quote: str | None = None
    for char in sql:
        if quote is not None:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "?":
            count += 1
            out.append(f"${count}")
            continue
        out.append(char)
    return "".join(out)


def describe_url(url: str) -> str:
    """``host:port/database``: where the data is, without user or password."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    port = f":{parts.port}" if parts.port else ""
    return f"{host}{port}{parts.path or '/'}"


def is_postgres_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))
