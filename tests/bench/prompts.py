"""Prompt store speed: add throughput and latency under 50 concurrent writers (durable
commits, synchronous=FULL), and list latency on a server with 10,000 prompts."""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.core.prompt_store import PromptStore
from tests.bench._common import ms, percentile, table

WRITERS = 50
ADDS = 5000
BIG_SERVER = 10_000
LIST_RUNS = 500
PAGE = 25  # what /prompt list shows per page (at most; Discord caps an embed at 25 fields)


async def _add_throughput(path: Path) -> tuple[float, list[float]]:
    store = await PromptStore.open(path)
    jobs = iter(range(ADDS))
    latencies: list[float] = []

    async def writer(task: int) -> None:
        for i in jobs:
            started = time.perf_counter()
            await store.add(
                guild=str(i % 20), channel="1", author=str(task), text=f"bench prompt {i} text"
            )
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(writer(t) for t in range(WRITERS)))
    elapsed = time.perf_counter() - started
    await store.close()
    return ADDS / elapsed, latencies


async def _timed(runs: int, call: Callable[[], Awaitable[object]]) -> list[float]:
    """Wall-clock seconds of ``runs`` awaited calls, after one warm-up call."""
    await call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - started)
    return samples


async def _list_latency(path: Path) -> dict[str, list[float]]:
    store = await PromptStore.open(path)
    jobs = iter(range(BIG_SERVER))

    async def filler(task: int) -> None:
        for i in jobs:
            await store.add(
                guild="big",
                channel="1",
                author=str(i % 97),
                text=f"a prompt among many, number {i}",
                document="essay",
                section=1 + i % 7,
                paragraph=1,
            )

    await asyncio.gather(*(filler(t) for t in range(WRITERS)))
    for number in range(1, BIG_SERVER + 1, 10):  # some removed, as in a real server
        await store.remove(guild="big", number=number, actor="0")
    results = {
        f"list page ({PAGE}) newest first": await _timed(
            LIST_RUNS, lambda: store.list("big", limit=PAGE)
        ),
        f"list page ({PAGE}) of a section": await _timed(
            LIST_RUNS, lambda: store.list("big", document="essay", section=3, limit=PAGE)
        ),
        f"list page ({PAGE}) of an author": await _timed(
            LIST_RUNS, lambda: store.list("big", author="5", limit=PAGE)
        ),
        f"list page ({PAGE}) deep (offset 8000)": await _timed(
            LIST_RUNS, lambda: store.list("big", limit=PAGE, offset=8000)
        ),
        "count (for 'page x of y')": await _timed(LIST_RUNS, lambda: store.count("big")),
        "list all 10,000 (export)": await _timed(
            20, lambda: store.list("big", include_removed=True)
        ),
    }
    await store.close()
    return results


def run() -> None:
    with tempfile.TemporaryDirectory() as folder:
        rate, latencies = asyncio.run(_add_throughput(Path(folder) / "adds.sqlite3"))
        lists = asyncio.run(_list_latency(Path(folder) / "lists.sqlite3"))
    rows: list[list[object]] = [
        [f"add, {WRITERS} concurrent tasks", f"{rate:8.0f} /s", ">= 1000 /s", _ok(rate >= 1000)],
        ["add p50 latency", ms(percentile(latencies, 50)), "", ""],
        ["add p99 latency", ms(percentile(latencies, 99)), "", ""],
    ]
    for name, samples in lists.items():
        p99 = percentile(samples, 99)
        paged = name.startswith(("list page", "count"))
        rows.append(
            [f"{name} p99", ms(p99), "< 10 ms" if paged else "", _ok(p99 < 0.010) if paged else ""]
        )
    print(f"synchronous=FULL, WAL; {ADDS} adds over 20 servers; list on {BIG_SERVER:,} prompts")
    print(table(["measure", "value", "target", ""], rows))


def _ok(passed: bool) -> str:
    return "ok" if passed else "MISSED"
