"""SQLite and PostgreSQL side by side: confirmed adds per second (one process; three
processes on PostgreSQL), list p99 on a server with 10,000 prompts, and start-up time.

PostgreSQL is a real server started here (``tests.pgserver``) with its default
durability (fsync on, synchronous_commit on): an add is confirmed once committed.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg

from bot.core.prompt_store import PromptStore
from bot.runtime import open_services
from bot.settings import Settings
from tests import pgserver
from tests.bench._common import ms, percentile, table

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 50
ADDS = 3000
PROCESSES = 3
BIG_SERVER = 10_000
LIST_RUNS = 500
PAGE = 25


async def _adds_per_second(target: Path | str) -> float:
    store = await PromptStore.open(target)
    jobs = iter(range(ADDS))

    async def writer(task: int) -> None:
        for i in jobs:
            await store.add(guild=str(i % 30), channel="1", author=str(task), text=f"add {i}")

    started = time.perf_counter()
    await asyncio.gather(*(writer(t) for t in range(WRITERS)))
    elapsed = time.perf_counter() - started
    await store.close()
    return ADDS / elapsed


def _three_processes(target: str) -> float:
    """Confirmed adds per second of three writer processes started together."""
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.bench._adder", target, f"p{n}", str(ADDS)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(PROCESSES)
    ]
    try:
        for child in children:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "ready"
        started = time.perf_counter()
        for child in children:
            assert child.stdin is not None
            child.stdin.write("go\n")
            child.stdin.flush()
        for child in children:
            assert child.stdout is not None
            child.stdout.readline()
        elapsed = time.perf_counter() - started
    finally:
        for child in children:
            child.wait(60)
    return PROCESSES * ADDS / elapsed


async def _list_p99(target: Path | str) -> float:
    store = await PromptStore.open(target)
    jobs = iter(range(BIG_SERVER))

    async def filler(task: int) -> None:
        for i in jobs:
            await store.add(
                guild="424242",
                channel="1",
                author=str(i % 97),
                text=f"a prompt among many, number {i}",
                document="essay",
                section=1 + i % 7,
            )

    await asyncio.gather(*(filler(t) for t in range(WRITERS)))
    await store.list("424242", limit=PAGE)
    samples = []
    for _ in range(LIST_RUNS):
        started = time.perf_counter()
        await store.list("424242", limit=PAGE)
        samples.append(time.perf_counter() - started)
    await store.close()
    return percentile(samples, 99)


async def _startup(environ: dict[str, str]) -> tuple[float, float]:
    """Seconds to open the store alone, and the bot's whole start-up before the gateway."""
    settings = Settings.load(env_file="/nonexistent/.env", environ=environ)
    started = time.perf_counter()
    store = await PromptStore.open(settings.database)
    opened = time.perf_counter() - started
    await store.close()
    started = time.perf_counter()
    _, close = await open_services(settings)
    whole = time.perf_counter() - started
    await close()
    return opened, whole


async def _fresh(server: pgserver.Server, name: str) -> str:
    conn = await asyncpg.connect(server.url)
    await conn.execute(f"CREATE DATABASE {name}")
    await conn.close()
    return server.url_for(name)


def run() -> None:
    figures: dict[str, dict[str, float]] = {"SQLite": {}, "PostgreSQL": {}}
    with tempfile.TemporaryDirectory() as folder, pgserver.running() as server:
        lite = Path(folder)
        targets: dict[str, dict[str, Path | str]] = {
            "SQLite": {k: lite / f"{k}.sqlite3" for k in ("adds", "many", "list", "boot")},
            "PostgreSQL": {
                k: asyncio.run(_fresh(server, k)) for k in ("adds", "many", "list", "boot")
            },
        }
        for backend, where in targets.items():
            row = figures[backend]
            row["adds"] = asyncio.run(_adds_per_second(where["adds"]))
            if backend == "PostgreSQL":
                row["adds3"] = _three_processes(str(where["many"]))
            row["list"] = asyncio.run(_list_p99(where["list"]))
            env = {"SEEDS_DIR": str(ROOT / "seeds")}
            if backend == "PostgreSQL":
                env["DATABASE_URL"] = str(where["boot"])
            else:
                env["DATABASE_PATH"] = str(where["boot"])
            asyncio.run(_startup(env))  # first start creates the schema
            row["open"], row["boot"] = asyncio.run(_startup(env))
    lite_row, pg_row = figures["SQLite"], figures["PostgreSQL"]
    rows: list[list[object]] = [
        [
            f"confirmed adds/s, 1 process ({WRITERS} tasks)",
            f"{lite_row['adds']:8.0f} /s",
            f"{pg_row['adds']:8.0f} /s",
            "",
            "",
        ],
        [
            f"confirmed adds/s, {PROCESSES} processes",
            "(one writer file)",
            f"{pg_row['adds3']:8.0f} /s",
            ">= 1000 /s",
            _ok(pg_row["adds3"] >= 1000),
        ],
        [
            f"list p99, page of {PAGE} at {BIG_SERVER:,} prompts",
            ms(lite_row["list"]),
            ms(pg_row["list"]),
            "< 10 ms",
            _ok(max(lite_row["list"], pg_row["list"]) < 0.010),
        ],
        ["start-up: open the store", ms(lite_row["open"]), ms(pg_row["open"]), "", ""],
        [
            "start-up: index + store (before the gateway)",
            ms(lite_row["boot"]),
            ms(pg_row["boot"]),
            "",
            "",
        ],
    ]
    print(f"{ADDS} adds per process over 30 servers; PostgreSQL {server_version()}, fsync on")
    print(table(["measure", "SQLite", "PostgreSQL", "goal", ""], rows))


def server_version() -> str:
    return pgserver.find_binaries().parent.name


def _ok(passed: bool) -> str:
    return "ok" if passed else "MISSED"
