"""The prompt database: numbering, scoping, durability, migrations and broken databases.

Every guarantee is tested on both backends (``db_target``: a SQLite file, and a schema on
a real PostgreSQL server); what only a file can suffer (locks, damage, permissions) is
tested on SQLite alone.
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from bot.core.db import Dialect, is_postgres_url
from bot.core.errors import InvalidInput, NotFound, StorageError
from bot.core.plan.store import PlanStore
from bot.core.prompt_store import Migration, PromptStore, load_migrations, text_key
from tests import pgserver
from tests.core.conftest import OpenStore

ROOT = Path(__file__).resolve().parents[2]
LATEST = len(load_migrations())
Target = str | Path


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def dialect(target: Target) -> Dialect:
    return "postgresql" if is_postgres_url(target) else "sqlite"


async def query(target: Target, sql: str) -> list[tuple[Any, ...]]:
    """Rows straight from the database, past the store (``?``-free SQL)."""
    if isinstance(target, str):
        conn = await asyncpg.connect(target)
        try:
            return [tuple(row) for row in await conn.fetch(sql)]
        finally:
            await conn.close()
    with raw(target) as lite:
        return [tuple(row) for row in lite.execute(sql)]


async def add(store: PromptStore, guild: str, text: str, author: str = "100") -> int:
    prompt, created = await store.add(guild=guild, channel="7", author=author, text=text)
    assert created
    return prompt.number


# --- schema and basics --------------------------------------------------------------------


async def test_open_creates_the_folder_and_the_latest_schema_in_wal_mode(
    tmp_path: Path, open_store: OpenStore
) -> None:
    path = tmp_path / "deep" / "er" / "prompts.sqlite3"
    store = await open_store(path)
    await store.close()
    with raw(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST == 4
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


async def test_every_write_is_on_disk_before_it_is_confirmed(
    store: PromptStore, db_target: Target
) -> None:
    """SQLite: WAL with synchronous=FULL; PostgreSQL: fsync and synchronous_commit on. A
    commit then returns after its fsync, so a confirmed prompt survives a power cut. A
    crash test cannot see a missing fsync, so this asks the live database what it does."""
    await add(store, "A", "a write to make the connection do real work")
    expected = (
        {"journal_mode": "wal", "synchronous": "FULL"}
        if isinstance(db_target, Path)
        else {"fsync": "on", "synchronous_commit": "on"}
    )
    assert await store.durability() == expected
    await store.close()
    await store.close()  # a second close is harmless


async def test_numbers_are_per_server_start_at_one_and_are_never_reused(
    store: PromptStore,
) -> None:
    assert [await add(store, "A", f"first server prompt {i}") for i in range(3)] == [1, 2, 3]
    assert await add(store, "B", "second server prompt zero") == 1
    await store.remove(guild="A", number=3, actor="100")
    assert await add(store, "A", "after a removal the count goes on") == 4
    assert [p.number for p in await store.list("A")] == [4, 2, 1]


async def test_duplicates_ignore_case_and_spacing_and_return_the_existing_prompt(
    store: PromptStore,
) -> None:
    first = await add(store, "A", "What holds two neighbours together?")
    again, created = await store.add(
        guild="A", channel=None, author="200", text="what  holds two NEIGHBOURS together?"
    )
    assert (again.number, again.author, created) == (first, "100", False)
    assert await store.count("A") == 1
    assert await add(store, "B", "What holds two neighbours together?") == 1
    assert text_key(" A\u200b  b ") == text_key("a B")


async def test_a_server_never_sees_or_changes_another_servers_prompts(
    store: PromptStore,
) -> None:
    await add(store, "A", "a prompt that belongs to server A")
    assert await store.get("B", 1) is None
    assert await store.list("B", include_removed=True) == []
    assert await store.count("B", include_removed=True) == 0
    with pytest.raises(NotFound, match="no prompt #1"):
        await store.remove(guild="B", number=1, actor="100")
    with pytest.raises(NotFound, match="no prompt #1"):
        await store.restore(guild="B", number=1, actor="100")
    prompt = await store.get("A", 1)
    assert prompt is not None
    assert prompt.status == "open"
    assert [e.kind for e in await store.events("A")] == ["submitted"]
    assert await store.events("B") == []


async def test_remove_and_restore_are_soft_and_logged_with_who_where_when(
    store: PromptStore,
) -> None:
    await add(store, "A", "is this relationship between equals?")
    removed = await store.remove(guild="A", number=1, actor="300", channel="9")
    assert removed.status == "removed"
    assert removed.updated_at > removed.created_at
    assert await store.list("A") == []
    assert [p.number for p in await store.list("A", include_removed=True)] == [1]
    with pytest.raises(InvalidInput, match="removed already"):
        await store.remove(guild="A", number=1, actor="300")
    restored = await store.restore(guild="A", number=1, actor="400")
    assert restored.status == "open"
    with pytest.raises(InvalidInput, match="not removed"):
        await store.restore(guild="A", number=1, actor="400")
    await store.log_posted(guild="A", number=1, actor="500", channel="8")
    await store.log_posted(guild="A", builtin="essay/one", actor="500", channel="8")
    events = await store.events("A")
    assert [(e.kind, e.actor, e.channel, e.number, e.builtin) for e in events] == [
        ("submitted", "100", "7", 1, None),
        ("removed", "300", "9", 1, None),
        ("restored", "400", None, 1, None),
        ("posted", "500", "8", 1, None),
        ("posted", "500", "8", None, "essay/one"),
    ]
    assert all(a.at <= b.at for a, b in itertools.pairwise(events))
    with pytest.raises(ValueError, match="exactly one"):
        await store.log_posted(guild="A", actor="1", channel=None)


async def test_list_filters_and_pages_newest_first(store: PromptStore) -> None:
    for i in range(6):
        await store.add(
            guild="A",
            channel=None,
            author="1" if i % 2 else "2",
            text=f"prompt number {i} for paging",
            document="doc",
            section=1 + i % 3,
        )
    await store.remove(guild="A", number=6, actor="1")
    assert [p.number for p in await store.list("A", limit=2)] == [5, 4]
    assert [p.number for p in await store.list("A", limit=2, offset=2)] == [3, 2]
    assert [p.number for p in await store.list("A", author="1")] == [4, 2]
    assert [p.number for p in await store.list("A", document="doc", section=2)] == [5, 2]
    assert [p.number for p in await store.list("A", section=3, document="doc")] == [3]
    assert await store.count("A", include_removed=True, section=3, document="doc") == 2
    assert await store.count("A", author="1") == 2


# --- concurrency --------------------------------------------------------------------------


async def test_500_concurrent_adds_from_20_servers_are_each_stored_once_without_gaps(
    db_target: Target, open_store: OpenStore
) -> None:
    store = await open_store(db_target)
    jobs = [(f"g{i % 20}", f"u{i % 50}", f"proposal {i} from a busy day") for i in range(500)]
    results = await asyncio.gather(
        *(store.add(guild=g, channel=None, author=u, text=t) for g, u, t in jobs)
    )
    await store.close()
    assert all(created for _, created in results)
    numbers: dict[str, list[int]] = defaultdict(list)
    for (guild, author, text), (prompt, _) in zip(jobs, results, strict=True):
        assert (prompt.guild, prompt.author, prompt.text) == (guild, author, text)
        numbers[guild].append(prompt.number)
    assert all(sorted(n) == list(range(1, 26)) for n in numbers.values())
    rows = await query(db_target, "SELECT guild, number, text FROM prompts")
    assert sorted((g, t) for g, _, t in rows) == sorted((g, t) for g, _, t in jobs)
    for guild, number, text in rows:  # no prompt landed in, or took a number from, another
        assert (guild, text) in {(g, t) for g, _, t in jobs if g == guild}
        assert results[int(text.split()[1])][0].number == number


async def test_the_same_text_proposed_at_once_becomes_one_prompt(store: PromptStore) -> None:
    await add(store, "A", "an earlier, different prompt")
    results = await asyncio.gather(
        *(
            store.add(guild="A", channel=None, author=str(i), text="Same QUESTION, asked twice")
            for i in range(20)
        )
    )
    assert [new for _, new in results].count(True) == 1
    assert {prompt.number for prompt, _ in results} == {2}
    assert await store.count("A") == 2


async def test_two_stores_on_one_database_share_gapless_numbering(
    db_target: Target, open_store: OpenStore
) -> None:
    """The bot and the CLI (or two bot processes) may write at the same time."""
    first, second = await open_store(db_target), await open_store(db_target)
    results = await asyncio.gather(
        *(
            (first if i % 2 else second).add(
                guild="A", channel=None, author="1", text=f"shared file prompt {i}"
            )
            for i in range(200)
        )
    )
    await first.close()
    await second.close()
    assert sorted(p.number for p, _ in results) == list(range(1, 201))


async def test_a_write_that_breaks_a_constraint_fails_alone(store: PromptStore) -> None:
    """Writes share a transaction; one that fails must not take its neighbours with it."""
    results = await asyncio.gather(
        *(store.add(guild="A", channel=None, author="1", text=f"neighbour {i}") for i in range(10)),
        store.log_posted(guild="A", number=999, actor="1", channel=None),  # no such prompt
        *(store.add(guild="A", channel=None, author="1", text=f"later {i}") for i in range(10)),
        return_exceptions=True,
    )
    failed = [r for r in results if isinstance(r, BaseException)]
    assert len(failed) == 1
    assert isinstance(failed[0], StorageError)
    assert results[10] is failed[0]
    assert [p.number for p in await store.list("A")] == list(range(20, 0, -1))
    assert [e.kind for e in await store.events("A")] == ["submitted"] * 20


def _writers(target: Target, count: int) -> list[subprocess.Popen[str]]:
    return [
        subprocess.Popen(
            [sys.executable, "-m", "tests.core._prompt_child", str(target), str(n)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(count)
    ]


def _read_until_killed(children: list[subprocess.Popen[str]], wanted: int) -> list[str]:
    """Lines each writer printed (each one a confirmed add) until ``wanted``, then SIGKILL."""
    confirmed: list[str] = []
    deadline = time.monotonic() + 60
    streams = itertools.cycle(children)
    while len(confirmed) < wanted and time.monotonic() < deadline:
        child = next(streams)
        assert child.stdout is not None
        line = child.stdout.readline()
        if not line:
            break
        confirmed.append(line)
    for child in children:
        child.send_signal(signal.SIGKILL)
    for child in children:
        assert child.stdout is not None
        confirmed += child.stdout.readlines()  # printed before the kill: confirmed too
        child.wait()
        assert child.returncode == -signal.SIGKILL
    assert len(confirmed) >= wanted, "the writers stopped early"
    return confirmed


def test_confirmed_prompts_survive_sigkill_of_three_writers_with_gapless_numbers(
    db_target: Target,
) -> None:
    """Three processes add to the same servers at once and are killed mid-stream."""
    if isinstance(db_target, Path):
        asyncio.run(_fill(db_target))  # the file exists before three processes race to it
    confirmed = _read_until_killed(_writers(db_target, 3), 600)
    if isinstance(db_target, Path):
        with raw(db_target) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = asyncio.run(query(db_target, "SELECT guild, number, text FROM prompts"))
    stored = set(rows)
    per_guild: dict[str, list[int]] = defaultdict(list)
    for guild, number, _ in stored:
        per_guild[guild].append(number)
    for line in confirmed:
        guild, number, slug = line.split()
        assert (guild, int(number), f"prompt {slug} in a loop") in stored
    assert all(sorted(n) == list(range(1, len(n) + 1)) for n in per_guild.values())
    writers = {text.split()[1].split("t")[0] for _, _, text in stored if "loop" in text}
    assert len(writers) == 3  # every process really wrote


# --- migrations ---------------------------------------------------------------------------


async def schema_version(target: Target) -> int:
    if isinstance(target, Path):
        return int((await query(target, "PRAGMA user_version"))[0][0])
    return int((await query(target, "SELECT max(version) FROM essay_bot_schema"))[0][0])


async def test_a_version_1_database_with_data_upgrades_in_place(
    db_target: Target, open_store: OpenStore
) -> None:
    steps = load_migrations(dialect=dialect(db_target))
    old = await open_store(db_target, migrations=steps[:1])
    await add(old, "A", "an old prompt from version one")
    await add(old, "A", "another old prompt, later removed")
    await add(old, "B", "a prompt in a second server")
    await old.remove(guild="A", number=2, actor="9", channel="5")
    await old.close()
    assert await schema_version(db_target) == 1

    store = await open_store(db_target)
    assert [(p.number, p.status) for p in await store.list("A", include_removed=True)] == [
        (2, "removed"),
        (1, "open"),
    ]
    assert [(e.kind, e.actor, e.channel) for e in await store.events("A")] == [
        ("submitted", "100", "7"),
        ("submitted", "100", "7"),
        ("removed", "9", "5"),
    ]
    assert await add(store, "A", "a new prompt after the upgrade") == 3
    await store.log_posted(guild="B", builtin="essay/x", actor="1", channel=None)  # new in v2
    assert [e.builtin for e in await store.events("B")] == [None, "essay/x"]
    with pytest.raises(StorageError):  # v2's rule: an event names a prompt or a built-in
        await store.db.transact(
            lambda tx: tx.execute(
                "INSERT INTO prompt_events (guild, number, builtin, kind, actor, at) "
                "VALUES ('B', 1, 'essay/x', 'posted', '1', 'now')"
            )
        )
    await store.close()
    assert await schema_version(db_target) == LATEST
    if isinstance(db_target, Path):
        with raw(db_target) as conn:
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_both_dialects_have_the_same_migration_numbers_and_names() -> None:
    """Version N means the same tables on either backend (``db copy`` relies on it)."""
    lite, pg = load_migrations(dialect="sqlite"), load_migrations(dialect="postgresql")
    assert [(m.version, m.name) for m in lite] == [(m.version, m.name) for m in pg]


async def tables(target: Target) -> set[str]:
    if isinstance(target, Path):
        return {r[0] for r in await query(target, "SELECT name FROM sqlite_master")}
    return {
        r[0]
        for r in await query(
            target, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        )
    }


async def test_a_version_3_database_keeps_its_settings_and_gains_the_current_essay(
    tmp_path: Path, open_store: OpenStore
) -> None:
    path = tmp_path / "v3.sqlite3"
    old = await open_store(path, migrations=load_migrations()[:3])
    await PlanStore(old).set_spoiler_guard("A", False)
    await add(old, "A", "a prompt from version three")
    await old.close()
    with raw(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 3

    store = await open_store(path)
    plans = PlanStore(store)
    assert await plans.spoiler_guard("A") is False
    assert await plans.essay("A") is None
    await plans.set_essay("A", "essay-two")
    assert (await plans.essay("A"), await plans.spoiler_guard("A")) == ("essay-two", False)
    assert [p.number for p in await store.list("A")] == [1]
    await store.close()
    with raw(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST


async def test_a_failing_migration_changes_nothing(
    db_target: Target, open_store: OpenStore
) -> None:
    store = await open_store(db_target)
    await add(store, "A", "data that must survive a bad upgrade")
    await store.close()
    broken = Migration(
        LATEST + 1,
        "999-broken.sql",
        ("CREATE TABLE half (x INTEGER)", "INSERT INTO missing VALUES (1)"),
    )
    steps = load_migrations(dialect=dialect(db_target))
    with pytest.raises(StorageError):
        await open_store(db_target, migrations=(*steps, broken))
    assert await schema_version(db_target) == LATEST
    assert "half" not in await tables(db_target)
    assert (await query(db_target, "SELECT count(*) FROM prompts"))[0][0] == 1


def test_migration_files_must_be_numbered_without_gaps(tmp_path: Path) -> None:
    (tmp_path / "001-a.sql").write_text("CREATE TABLE a (x);\n")
    (tmp_path / "003-c.sql").write_text("CREATE TABLE c (x);\n")
    with pytest.raises(RuntimeError, match="without gaps"):
        load_migrations(tmp_path)


def test_migration_statements_are_split_by_sqlite_so_triggers_stay_whole(tmp_path: Path) -> None:
    (tmp_path / "001-a.sql").write_text(
        "-- a comment; with a semicolon\nCREATE TABLE a (x);\n"
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  SELECT 1;\n  SELECT 2;\nEND;\n"
    )
    (migration,) = load_migrations(tmp_path)
    assert len(migration.statements) == 2
    assert migration.statements[1].startswith("CREATE TRIGGER")
    assert migration.statements[1].endswith("SELECT 2;\nEND;")


# --- databases that cannot be used ------------------------------------------------------


async def test_a_newer_database_is_refused_and_left_untouched(
    tmp_path: Path, open_store: OpenStore
) -> None:
    path = tmp_path / "new.sqlite3"
    with raw(path) as conn:
        conn.execute("CREATE TABLE future (x)")
        conn.execute(f"PRAGMA user_version = {LATEST + 5}")
    before = path.read_bytes()
    with pytest.raises(StorageError, match=rf"newer essay-bot \(schema {LATEST + 5}"):
        await open_store(path)
    assert path.read_bytes() == before


async def test_a_newer_postgresql_database_is_refused_and_left_untouched(
    pg_url: str, open_store: OpenStore
) -> None:
    conn = await asyncpg.connect(pg_url)
    await conn.execute(
        "CREATE TABLE essay_bot_schema (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
    )
    await conn.execute(
        f"INSERT INTO essay_bot_schema (version, name) VALUES ({LATEST + 5}, 'future.sql')"
    )
    await conn.close()
    with pytest.raises(StorageError, match=rf"newer essay-bot \(schema {LATEST + 5}"):
        await open_store(pg_url)
    assert await tables(pg_url) == {"essay_bot_schema"}
    assert await query(pg_url, "SELECT version, name FROM essay_bot_schema") == [
        (LATEST + 5, "future.sql")
    ]


async def test_an_unreachable_or_missing_postgresql_database_is_reported(
    postgres: pgserver.Server, open_store: OpenStore
) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    with pytest.raises(StorageError, match=r"Cannot reach the PostgreSQL database at 127\.0\.0\.1"):
        await open_store(f"postgresql://bot:secret@127.0.0.1:{closed}/essays")
    with pytest.raises(StorageError, match="does not exist") as missing:
        await open_store(postgres.url_for("no_such_database"))
    assert "secret" not in str(missing.value)


async def test_a_file_that_is_not_a_database_is_refused(
    tmp_path: Path, open_store: OpenStore
) -> None:
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is a text file, not a database\n" * 200)
    before = path.read_bytes()
    with pytest.raises(StorageError, match="damaged or not a database"):
        await open_store(path)
    assert path.read_bytes() == before


async def test_a_database_with_damaged_pages_is_refused_at_startup(
    tmp_path: Path, open_store: OpenStore
) -> None:
    path = tmp_path / "p.sqlite3"
    store = await open_store(path)
    for i in range(300):
        await add(store, "A", f"a prompt to fill a few pages {i} " + "x" * 200)
    await store.close()
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 6 * page
    data[3 * page : 5 * page] = b"\xff" * (2 * page)
    path.write_bytes(bytes(data))
    with pytest.raises(StorageError, match="damaged"):
        await open_store(path)


@contextmanager
def write_lock(path: Path) -> Iterator[None]:
    """Another program holding the write lock, as a long transaction would."""
    conn = raw(path)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


async def test_a_lock_held_past_the_timeout_fails_the_command_and_writes_nothing(
    tmp_path: Path, open_store: OpenStore
) -> None:
    path = tmp_path / "p.sqlite3"
    store = await open_store(path, busy_timeout=0.1)
    await add(store, "A", "the one prompt before the lock")
    with write_lock(path):
        with pytest.raises(StorageError, match="locked by another program"):
            await store.add(guild="A", channel=None, author="1", text="blocked by the lock")
        with pytest.raises(StorageError, match="locked"):
            await store.remove(guild="A", number=1, actor="1")
        assert await store.count("A") == 1  # reads still work
    assert await add(store, "A", "after the lock is released") == 2
    assert [e.kind for e in await store.events("A")] == ["submitted", "submitted"]
    await store.close()


async def test_a_lock_held_at_startup_is_reported_at_startup(
    tmp_path: Path, open_store: OpenStore
) -> None:
    path = tmp_path / "p.sqlite3"
    await (await open_store(path)).close()
    with write_lock(path), pytest.raises(StorageError, match="locked"):
        await open_store(path, busy_timeout=0.1)


def _open_unprivileged(path: Path, migrations: tuple[Migration, ...], reply: Connection) -> None:
    """In a forked child: drop root (root may write any file), try to open, report.

    The migrations come from the parent: once unprivileged, the child may not read
    the checkout at all (a clone in a folder only its owner can read), and it needs
    nothing from it, since every module it runs was imported before the fork.
    """
    if os.geteuid() == 0:
        os.setgid(65534)
        os.setuid(65534)
    try:
        asyncio.run(PromptStore.open(path, busy_timeout=0.2, migrations=migrations))
    except StorageError as exc:
        reply.send(str(exc))
        os._exit(3)
    except BaseException as exc:  # anything else: say what, for the assertion message
        reply.send(f"unexpected {exc!r}")
        os._exit(4)
    reply.send("")
    os._exit(0)


async def _fill(path: Path) -> None:
    store = await PromptStore.open(path)
    try:
        await add(store, "A", "written while the file was writable")
    finally:
        await store.close()


def test_a_read_only_database_is_reported_at_startup() -> None:
    # pytest's tmp_path may be private to its owner; the unprivileged child must reach the file
    folder = Path(tempfile.mkdtemp(prefix="prompts-ro-"))
    try:
        folder.chmod(0o777)  # only the file is read-only, not the folder
        path = folder / "ro.sqlite3"
        asyncio.run(_fill(path))
        path.chmod(0o444)
        before = path.read_bytes()
        receive, send = multiprocessing.Pipe(duplex=False)
        child = multiprocessing.get_context("fork").Process(
            target=_open_unprivileged, args=(path, load_migrations(), send)
        )
        child.start()
        child.join(30)
        message = receive.recv() if receive.poll(1) else "(no answer)"
        assert child.exitcode == 3, message
        assert "read-only" in message
        assert "\n" not in message
        assert path.read_bytes() == before
    finally:
        shutil.rmtree(folder)


async def test_a_closed_store_refuses_politely(db_target: Target, open_store: OpenStore) -> None:
    store = await open_store(db_target)
    await store.close()
    with pytest.raises(StorageError, match="closed"):
        await store.add(guild="A", channel=None, author="1", text="too late for this one")
    with pytest.raises(StorageError, match="closed"):
        await store.list("A")


async def test_an_unwritable_folder_is_reported(tmp_path: Path, open_store: OpenStore) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError, match="Cannot create the folder"):
        await open_store(blocker / "sub" / "p.sqlite3")
