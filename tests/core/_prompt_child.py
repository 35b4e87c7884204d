"""A writer to kill: ``python -m tests.core._prompt_child DB`` adds prompts from several
tasks forever, printing ``guild number slug`` after each add returns (once it is confirmed).
A separate process is the only honest way to test a crash.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.core.prompt_store import PromptStore


async def _crash(path: Path) -> None:
    store = await PromptStore.open(path)

    async def writer(task: int) -> None:
        for i in range(1_000_000):
            guild = str(task % 3)
            slug = f"t{task}-{i}"
            prompt, _ = await store.add(
                guild=guild, channel=None, author=str(task), text=f"prompt {slug} in a loop"
            )
            sys.stdout.write(f"{guild} {prompt.number} {slug}\n")
            sys.stdout.flush()

    await asyncio.gather(*(writer(t) for t in range(8)))


def main(argv: list[str]) -> int:
    asyncio.run(_crash(Path(argv[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
