"""Dispatch-to-initial-response time of the real bot against the fake Discord, per command.

``make bench`` prints p50/p99 for each command sent one after another, then for
a burst of 200 interactions over 10 s (the deadline scenario). The initial
response is the callback Discord must receive within 3 s: a reply or a deferral.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

from bot.core.library import load_library
from tests.bench._common import ms, percentile, table
from tests.e2e._bot import SEEDS, bot_running, final_message
from tests.fakediscord import JSON, FakeDiscord, User

ROUNDS = 30
BURST = 200
BURST_SECONDS = 10.0


def _words(text: str, count: int) -> str:
    return " ".join(re.findall(r"\w+", text)[:count])


async def _measure() -> None:
    essay = load_library(SEEDS).documents[0]
    section = max(essay.sections, key=lambda s: len(s.paragraphs))
    async with FakeDiscord() as fake:
        with tempfile.TemporaryDirectory() as tmp:
            async with bot_running(fake, Path(tmp)):
                users = [fake.add_member(f"bench{n}") for n in range(ROUNDS)]
                pages: list[JSON] = []
                for user in users[:ROUNDS]:
                    record = await fake.send_interaction(
                        fake.slash("section", {"name": section.title}, user=user)
                    )
                    pages.append(await final_message(fake, record))
                kinds: dict[str, Callable[[int, User], JSON]] = {
                    "/quote": lambda n, u: fake.slash(
                        "quote",
                        {"query": _words(essay.quotes[n % len(essay.quotes)].text, 5)},
                        user=u,
                    ),
                    "/section": lambda n, u: fake.slash("section", {"name": section.title}, user=u),
                    "Next press": lambda n, u: fake.press(pages[n], "Next", user=u),
                    "/search": lambda n, u: fake.slash(
                        "search",
                        {"query": _words(section.paragraphs[n % len(section.paragraphs)].text, 6)},
                        user=u,
                    ),
                    "/prompt add": lambda n, u: fake.slash(
                        "prompt add",
                        {"text": f"Bench question {uuid.uuid4().hex}, is it clear?"},
                        user=u,
                    ),
                    "/about": lambda n, u: fake.slash("about", user=u),
                    "autocomplete": lambda n, u: fake.autocomplete(
                        "quote", "query", {"query": ""}, user=u
                    ),
                }
                rows = []
                for name, make in kinds.items():
                    latencies = []
                    for n, user in enumerate(users):
                        record, _ = await fake.interact(make(n, user), within=10)
                        assert record.latency is not None
                        latencies.append(record.latency)
                    rows.append(_row(name, latencies))

                burst_users = [fake.add_member(f"burst{n}") for n in range(20)]
                makers = list(kinds.values())
                records = []
                loop = asyncio.get_running_loop()
                started = loop.time()
                for n in range(BURST):
                    delay = started + n * BURST_SECONDS / BURST - loop.time()
                    if delay > 0:
                        await asyncio.sleep(delay)
                    make = makers[n % len(makers)]
                    if make is kinds["Next press"] or make is kinds["/prompt add"]:
                        make = kinds["/about"]
                    records.append(
                        await fake.send_interaction(make(n % ROUNDS, burst_users[n % 20]))
                    )
                await fake.wait_until(
                    lambda: all(r.response is not None or r.late for r in records), 10
                )
                burst = [r.latency if r.latency is not None else float("inf") for r in records]
                rows.append(_row(f"burst {BURST}/{BURST_SECONDS:.0f} s", burst))
    print(table(["interaction", "n", "p50", "p99", "max", "> 3 s"], rows))


def _row(name: str, latencies: list[float]) -> list[object]:
    late = sum(1 for x in latencies if x > 3.0)
    return [
        name,
        len(latencies),
        ms(percentile(latencies, 50)),
        ms(percentile(latencies, 99)),
        ms(max(latencies)),
        late,
    ]


def run() -> None:
    asyncio.run(_measure())
