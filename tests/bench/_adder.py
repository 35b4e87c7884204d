"""One of several writer processes for the scale bench: ``python -m tests.bench._adder
TARGET NAME ADDS``. Opens the store, prints ``ready``, waits for a line on stdin, adds
``ADDS`` prompts from 50 tasks (each confirmed: committed), then prints the seconds it took."""

from __future__ import annotations

import asyncio
import sys
import time

from bot.core.prompt_store import PromptStore

WRITERS = 50


async def _main(target: str, name: str, adds: int) -> None:
    store = await PromptStore.open(target)
    print("ready", flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    jobs = iter(range(adds))

    async def writer(task: int) -> None:
        for i in jobs:
            await store.add(
                guild=str(i % 30), channel="1", author=str(task), text=f"{name} bench prompt {i}"
            )

    started = time.perf_counter()
    await asyncio.gather(*(writer(t) for t in range(WRITERS)))
    print(f"{time.perf_counter() - started:.6f}", flush=True)
    await store.close()


if __name__ == "__main__":
    asyncio.run(_main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
