"""The prompt database: numbering, scoping, durability, migrations and broken databases."""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import os
import shutil
import signal
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

import pytest

from bot.core.errors import InvalidInput, NotFound, StorageError
from bot.core.prompt_store import Migration, PromptStore, load_migrations, text_key
from tests.core.conftest import OpenStore

ROOT = Path(__file__).resolve().parents[2]
LATEST = len(load_migrations())


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


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
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST == 3
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


async def test_every_write_is_on_disk_before_it_is_confirmed(store: PromptStore) -> None:
    """WAL with synchronous=FULL: a commit returns after its fsync, so a confirmed prompt
    survives a power cut. A crash test cannot see a missing fsync (the page cache
    outlives a killed process), so this asks the live connection what it does."""
    await add(store, "A", "a write to make the connection do real work")
    assert await store.durability() == {"journal_mode": "wal", "synchronous": "FULL"}


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
    tmp_path: Path, open_store: OpenStore
) -> None:
    path = tmp_path / "p.sqlite3"
    store = await open_store(path)
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
    with raw(path) as conn:
        rows = conn.execute("SELECT guild, number, text FROM prompts").fetchall()
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


async def test_two_stores_on_one_file_share_gapless_numbering(
    tmp_path: Path, open_store: OpenStore
) -> None:
    """The bot and the CLI may write at the same time from two processes."""
    path = tmp_path / "p.sqlite3"
    first, second = await open_store(path), await open_store(path)
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


def test_confirmed_prompts_survive_sigkill_and_the_file_stays_sound(tmp_path: Path) -> None:
    path = tmp_path / "crash.sqlite3"
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.core._prompt_child", str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    confirmed: list[str] = []
    deadline = time.monotonic() + 30
    while len(confirmed) < 400 and time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        confirmed.append(line)
    child.send_signal(signal.SIGKILL)
    confirmed += child.stdout.readlines()  # printed before the kill: confirmed too
    child.wait()
    assert child.returncode == -signal.SIGKILL
    assert len(confirmed) >= 400, "the writer stopped early"
    with raw(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {(g, n, t) for g, n, t in conn.execute("SELECT guild, number, text FROM prompts")}
        per_guild: dict[str, list[int]] = defaultdict(list)
        for guild, number, _ in stored:
            per_guild[guild].append(number)
    for line in confirmed:
        guild, number, slug = line.split()
        assert (guild, int(number), f"prompt {slug} in a loop") in stored
    assert all(sorted(n) == list(range(1, len(n) + 1)) for n in per_guild.values())


# --- migrations ---------------------------------------------------------------------------


async def test_a_version_1_database_with_data_upgrades_in_place(
    tmp_path: Path, open_store: OpenStore
) -> None:
    path = tmp_path / "old.sqlite3"
    old = await open_store(path, migrations=load_migrations()[:1])
    await add(old, "A", "an old prompt from version one")
    await add(old, "A", "another old prompt, later removed")
    await add(old, "B", "a prompt in a second server")
    await old.remove(guild="A", number=2, actor="9", channel="5")
    await old.close()
    with raw(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1

    store = await open_store(path)
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
    await store.close()
    with raw(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


async def test_a_failing_migration_changes_nothing(tmp_path: Path, open_store: OpenStore) -> None:
    path = tmp_path / "p.sqlite3"
    store = await open_store(path)
    await add(store, "A", "data that must survive a bad upgrade")
    await store.close()
    broken = Migration(
        LATEST + 1, "999-broken.sql", ("CREATE TABLE half (x)", "INSERT INTO missing VALUES (1)")
    )
    with pytest.raises(StorageError):
        await open_store(path, migrations=(*load_migrations(), broken))
    with raw(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert "half" not in tables
        assert conn.execute("SELECT count(*) FROM prompts").fetchone()[0] == 1


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


async def test_a_closed_store_refuses_politely(tmp_path: Path, open_store: OpenStore) -> None:
    store = await open_store(tmp_path / "p.sqlite3")
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
