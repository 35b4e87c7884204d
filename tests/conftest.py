"""Session fixtures: the real index, built once from the real seed; a real PostgreSQL."""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest

from bot.core.library import load_library
from bot.core.model import Document, Library
from tests import pgserver
from tests.fakediscord import FakeDiscord

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ROUND_TRIP = 0.08  # seconds: an ordinary connection to Discord


@pytest.fixture(scope="session")
def library() -> Library:
    lib = load_library(SEEDS)
    assert not lib.problems, lib.problems
    return lib


@pytest.fixture(scope="session")
def essay(library: Library) -> Document:
    return library.documents[0]


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    """The one fake Discord (REST and gateway on 127.0.0.1), for a test of its own.

    An ordinary round trip away, as Discord is: what the bot does while its
    requests are on their way is part of what the tests see.
    """
    async with FakeDiscord(round_trip=ROUND_TRIP) as fake:
        yield fake


# --- databases: every store test runs on SQLite and on a real PostgreSQL ---------------


@pytest.fixture(scope="session")
def postgres() -> Iterator[pgserver.Server]:
    """One real PostgreSQL server for the whole session (``tests.pgserver``)."""
    try:
        server = pgserver.start()
    except pgserver.Unavailable as exc:
        pytest.skip(f"PostgreSQL tests need a server: {exc}")
    yield server
    server.stop()


_schemas = itertools.count(1)


@pytest.fixture
async def pg_url(postgres: pgserver.Server) -> str:
    """A URL whose connections see only a fresh, empty schema of the session's server."""
    name = f"test_{os.getpid()}_{next(_schemas)}"
    conn = await asyncpg.connect(postgres.url)
    try:
        await conn.execute(f"CREATE SCHEMA {name}")
    finally:
        await conn.close()
    return f"{postgres.url}?search_path={name}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """Where a store under test keeps its data: a SQLite file, or a PostgreSQL URL."""
    if request.param == "sqlite":
        return tmp_path / "prompts.sqlite3"
    return str(request.getfixturevalue("pg_url"))
