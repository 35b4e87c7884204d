"""Button presses answered / presses sent, the real bot an 80 ms round trip from the fake Discord.

Issue 10's three races, each run ``ROUNDS`` times on the indexed essay:

- two members press on one public ``/quote`` message within 20 ms (the invoker
  turns to the next result, another member asks for the context);
- the invoker presses again 20 ms after a page turn of ``/section``;
- a member presses Context 10 ms after a ``/quote`` answer appears (Discord
  shows it before the bot has heard that Discord took it).

A press counts as answered when Discord received its response within 3 s.
``BASELINE`` is the same run against the bot before the fix (commit 7d8fd51).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import tempfile
from pathlib import Path

from bot.core.library import load_library
from bot.core.model import Document
from tests.bench._common import table
from tests.e2e._bot import SEEDS, bot_running, labels
from tests.fakediscord import JSON, FakeDiscord, Interaction, User

ROUND_TRIP = 0.08
ROUNDS = 10
ANSWER_WITHIN = 3.0
SCENARIOS = (
    "two members within 20 ms",
    "press right after a page turn",
    "press right after the answer appears",
)
#: answered / sent at the same round trip before the fix (commit 7d8fd51).
BASELINE = {
    "two members within 20 ms": "10 / 20",
    "press right after a page turn": "10 / 20",
    "press right after the answer appears": "0 / 10",
}


def _words(text: str, count: int) -> str:
    return " ".join(re.findall(r"\w+", text)[:count])


class _Run:
    def __init__(self, fake: FakeDiscord, essay: Document) -> None:
        self.fake = fake
        self.essay = essay
        self.sent: list[Interaction] = []
        self.members = 0

    def member(self) -> User:
        self.members += 1
        return self.fake.add_member(f"bench-press{self.members}")

    async def shown(self, payload: JSON, *, settle: bool) -> JSON:
        """The message the command posted; with ``settle``, once the bot knows it posted."""
        record = await self.fake.send_interaction(payload)
        await self.fake.wait_response(record, ANSWER_WITHIN)
        if settle:
            await asyncio.sleep(ROUND_TRIP)
        return self.fake.original(record)

    async def press(self, message: JSON, label: str, user: User) -> None:
        payload = self.fake.press(message, label, user=user)
        self.sent.append(await self.fake.send_interaction(payload))

    def quote_payload(self, n: int, user: User) -> JSON:
        quote = self.essay.quotes[n % len(self.essay.quotes)]
        return self.fake.slash("quote", {"query": _words(quote.text, 5)}, user=user)

    async def two_members(self, n: int) -> None:
        owner, other = self.member(), self.member()
        message = await self.shown(self.quote_payload(n, owner), settle=True)
        first = "More" if any(x.startswith("More") for x in labels(message)) else "Context"
        await self.press(message, first, owner)
        await asyncio.sleep(0.02)
        await self.press(message, "Context", other)

    async def after_page_turn(self, n: int) -> None:
        owner = self.member()
        section = max(self.essay.sections, key=lambda s: len(s.paragraphs))
        payload = self.fake.slash("section", {"name": section.title}, user=owner)
        message = await self.shown(payload, settle=True)
        await self.press(message, "Next", owner)
        await asyncio.sleep(0.02)
        await self.press(message, "Next", owner)

    async def after_answer(self, n: int) -> None:
        message = await self.shown(self.quote_payload(n, self.member()), settle=False)
        await asyncio.sleep(0.01)
        await self.press(message, "Context", self.member())

    async def answered(self) -> int:
        with contextlib.suppress(TimeoutError):  # the unanswered ones are what is counted
            await self.fake.wait_until(
                lambda: all(r.response is not None for r in self.sent), ANSWER_WITHIN
            )
        return sum(1 for r in self.sent if r.response is not None)


async def _measure() -> list[list[object]]:
    essay = load_library(SEEDS).documents[0]
    rows: list[list[object]] = []
    async with FakeDiscord(round_trip=ROUND_TRIP) as fake:
        with tempfile.TemporaryDirectory() as tmp:
            async with bot_running(fake, Path(tmp)):
                for name in SCENARIOS:
                    run = _Run(fake, essay)
                    scenario = {
                        SCENARIOS[0]: run.two_members,
                        SCENARIOS[1]: run.after_page_turn,
                        SCENARIOS[2]: run.after_answer,
                    }[name]
                    for n in range(ROUNDS):
                        await scenario(n)
                    answered = await run.answered()
                    sent = len(run.sent)
                    rows.append([name, f"{answered} / {sent}", f"{sent} / {sent}", BASELINE[name]])
    return rows


def run() -> None:
    rows = asyncio.run(_measure())
    print(f"round trip {ROUND_TRIP * 1000:.0f} ms, {ROUNDS} rounds each")
    print(table(["scenario", "answered / sent", "target", "baseline"], rows))
