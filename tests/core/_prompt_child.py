"""A writer to kill: ``python -m tests.core._prompt_child TARGET [NAME]`` adds prompts from
several tasks forever, printing ``guild number slug`` after each add returns (once it is
confirmed). TARGET is a SQLite file or a ``postgresql://`` URL. A separate process is the
only honest way to test a crash, and several at once the only way to test their races.
"""

from __future__ import annotations

import asyncio
import sys

from bot.core.prompt_store import PromptStore


async def _crash(target: str, name: str) -> None:
    store = await PromptStore.open(target)

    async def writer(task: int) -> None:
        for i in range(1_000_000):
            guild = str(task % 3)
            slug = f"w{name}t{task}-{i}"
            prompt, _ = await store.add(
                guild=guild, channel=None, author=str(task), text=f"prompt {slug} in a loop"
            )
            sys.stdout.write(f"{guild} {prompt.number} {slug}\n")
            sys.stdout.flush()

    await asyncio.gather(*(writer(t) for t in range(8)))


def main(argv: list[str]) -> int:
    asyncio.run(_crash(argv[0], argv[1] if len(argv) > 1 else "0"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
