"""Moving a server's data from the SQLite file to PostgreSQL (``python -m bot db copy``).

Every row keeps its key (ids included), so a second run finds the rows of the first and
brings them up to date instead of adding them again; a row whose key already names
something else in the target (a prompt #3 with other words, a plan of another server)
is a conflict, and the whole copy is rolled back. It all happens in one transaction of
the target, and is verified before it commits: every source row is in the target as
it is in the source, and every copied server's prompts are numbered 1..n with the
server's counter at n.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.core.db.base import Database, Row, Tx, UniqueConflict
from bot.core.errors import StorageError


@dataclass(frozen=True, slots=True)
class Table:
    """How one table is copied: its key, and the columns that say which thing a row is."""

    name: str
    key: tuple[str, ...]
    columns: tuple[str, ...]
    #: must match for an existing target row to be taken as the same thing
    identity: tuple[str, ...]
    #: the key is a generated id whose sequence must move past the copied ids
    generated: bool = False


#: In the order foreign keys need. ``guild_counters`` is handled apart (it only grows).
TABLES = (
    Table(
        "prompts",
        ("id",),
        (
            "id",
            "guild",
            "number",
            "channel",
            "author",
            "text",
            "text_key",
            "document",
            "section",
            "paragraph",
            "status",
            "created_at",
            "updated_at",
        ),
        ("guild", "number", "text_key"),
        generated=True,
    ),
    Table(
        "prompt_events",
        ("id",),
        ("id", "guild", "number", "builtin", "kind", "actor", "channel", "at"),
        ("guild", "kind", "at"),
        generated=True,
    ),
    Table("guild_settings", ("guild",), ("guild", "spoiler_guard", "essay"), ("guild",)),
    Table(
        "plans",
        ("id",),
        (
            "id",
            "guild",
            "document",
            "channel",
            "every",
            "day",
            "at_local",
            "timezone",
            "start_date",
            "per_session",
            "state",
            "created_by",
            "created_at",
            "updated_at",
            "problem",
        ),
        ("guild", "created_at"),
        generated=True,
    ),
    Table(
        "plan_sessions",
        ("plan", "number"),
        (
            "plan",
            "number",
            "first_section",
            "last_section",
            "due_at",
            "next_at",
            "status",
            "nonce",
            "attempts",
            "message",
            "thread",
            "posted_at",
            "error",
        ),
        ("plan", "number"),
    ),
    Table(
        "passage_threads",
        ("guild", "channel", "passage"),
        ("guild", "channel", "passage", "thread", "created_at"),
        ("guild", "channel", "passage"),
    ),
)


class CopyConflict(StorageError):
    """The target holds other data under a key the source uses; nothing was copied."""


@dataclass(frozen=True, slots=True)
class CopyReport:
    rows: dict[str, int]  # table → rows in the source, all verified in the target
    servers: int  # servers whose numbering was verified

    def lines(self) -> list[str]:
        out = [f"{table}: {count} rows copied and verified" for table, count in self.rows.items()]
        out.append(f"per-server numbering verified for {self.servers} servers")
        return out


async def copy_database(source: Database, target: Database) -> CopyReport:
    """Copy every table of ``source`` into ``target`` (PostgreSQL) and verify it, atomically."""
    if target.dialect != "postgresql":
        raise StorageError("db copy writes to PostgreSQL: give a postgresql:// URL as --to.")
    if source.schema_version != target.schema_version:
        raise StorageError(
            f"The two databases are at different schema versions ({source.schema_version} and "
            f"{target.schema_version}); open both with this version of the bot first."
        )
    rows = {t.name: await source.fetch(_select(t)) for t in TABLES}
    counters = await source.fetch("SELECT guild, last_number FROM guild_counters ORDER BY guild")

    async def op(tx: Tx) -> CopyReport:
        for table in TABLES:
            await _upsert(tx, table, rows[table.name])
        await tx.executemany(
            "INSERT INTO guild_counters (guild, last_number) VALUES (?, ?) "
            "ON CONFLICT (guild) DO UPDATE SET last_number = "
            "greatest(guild_counters.last_number, excluded.last_number)",
            [(r["guild"], r["last_number"]) for r in counters],
        )
        for table in TABLES:
            await _verify(tx, table, rows[table.name])
        servers = [str(r["guild"]) for r in counters]
        await _verify_numbering(tx, servers)
        return CopyReport({t.name: len(rows[t.name]) for t in TABLES}, len(servers))

    try:
        return await target.transact(op)
    except UniqueConflict as exc:
        raise CopyConflict(
            f"The target already holds other data under a key the source uses ({exc.detail}). "
            "Nothing was copied."
        ) from exc


def _select(table: Table) -> str:
    return f"SELECT {', '.join(table.columns)} FROM {table.name} ORDER BY {', '.join(table.key)}"


async def _upsert(tx: Tx, table: Table, rows: Sequence[Any]) -> None:
    """Insert or bring up to date; a row whose identity differs is left for ``_verify``."""
    if not rows:
        return
    columns = ", ".join(table.columns)
    marks = ", ".join("?" for _ in table.columns)
    changes = ", ".join(f"{c} = excluded.{c}" for c in table.columns if c not in table.key)
    same = " AND ".join(f"{table.name}.{c} = excluded.{c}" for c in table.identity)
    overriding = " OVERRIDING SYSTEM VALUE" if table.generated else ""
    conflict = f"DO UPDATE SET {changes} WHERE {same}" if changes else "DO NOTHING"
    await tx.executemany(
        f"INSERT INTO {table.name} ({columns}){overriding} VALUES ({marks}) "
        f"ON CONFLICT ({', '.join(table.key)}) {conflict}",
        [tuple(row[c] for c in table.columns) for row in rows],
    )
    if table.generated:
        await tx.execute(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"(SELECT max(id) FROM {table.name}))"
        )


async def _verify(tx: Tx, table: Table, rows: Sequence[Any]) -> None:
    """Every source row is in the target, column for column."""
    width = len(table.columns)
    copied = {_values(r, width) for r in await tx.fetch(_select(table))}
    missing = [_values(r, width) for r in rows if _values(r, width) not in copied]
    if missing:
        key = dict(zip(table.columns, missing[0], strict=True))
        named = ", ".join(f"{c}={key[c]!r}" for c in table.key)
        raise CopyConflict(
            f"{len(missing)} {table.name} rows could not be copied: the target already holds "
            f"something else under their keys (first: {named}). Nothing was copied."
        )


def _values(row: Row, width: int) -> tuple[Any, ...]:
    return tuple(row[i] for i in range(width))


async def _verify_numbering(tx: Tx, servers: Sequence[str]) -> None:
    """Each copied server's prompts are numbered 1..n without a gap, and its counter is n."""
    found = await tx.fetch(
        "SELECT p.guild, count(*), min(p.number), max(p.number), max(c.last_number) "
        "FROM prompts p JOIN guild_counters c ON c.guild = p.guild "
        "WHERE p.guild = ANY(?) GROUP BY p.guild",
        (list(servers),),
    )
    for row in found:
        guild, count, low, high, counter = _values(row, 5)
        if (low, high, counter) != (1, count, count):
            raise CopyConflict(
                f"server {guild}: prompts numbered {low}..{high} ({count} prompts), counter at "
                f"{counter}; the numbering would not be gapless. Nothing was copied."
            )
