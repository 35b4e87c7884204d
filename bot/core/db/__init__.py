"""Storage backends: SQLite (the default, one file) and PostgreSQL (several processes).

``open_database`` picks one from its target: a ``postgresql://`` URL or a file path.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bot.core.db.base import (
    Database,
    Dialect,
    Migration,
    Row,
    Rows,
    Tx,
    describe_url,
    is_postgres_url,
    load_migrations,
    split_sql,
)
from bot.core.db.sqlite import SqliteDatabase

__all__ = [
    "Database",
    "Dialect",
    "Migration",
    "Row",
    "Rows",
    "SqliteDatabase",
    "Tx",
    "describe_url",
    "is_postgres_url",
    "load_migrations",
    "open_database",
    "split_sql",
]


async def open_database(
    target: Path | str,
    *,
    busy_timeout: float = 5.0,
    migrations: Sequence[Migration] | None = None,
) -> Database:
    """The migrated database at ``target``; ``StorageError`` with a reason if unusable."""
    if is_postgres_url(target):
        # imported here: a bot on SQLite never loads the PostgreSQL driver
        from bot.core.db.postgres import PostgresDatabase

        return await PostgresDatabase.open(str(target), migrations=migrations)
    return await SqliteDatabase.open(Path(target), busy_timeout=busy_timeout, migrations=migrations)
