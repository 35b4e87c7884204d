"""The real bot over hand-made documents, connected to the one fake Discord.

The bot logs in, opens its gateway session and syncs its commands against
``FakeDiscord`` exactly as it does against Discord; interactions are built by
the fake from the commands the bot synced (so an option the client UI would
refuse cannot be sent) and arrive over the gateway. Its services are the real
ones: ``SearchIndex`` over ``tests/exts/documents.py`` and ``PromptService`` over
a SQLite file in the test's temporary directory.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.app import Closer, EssayBot
from bot.core.model import Document, Library
from bot.core.plan.service import PlanService
from bot.core.plan.store import PlanStore
from bot.core.prompts import PromptService, PromptStore
from bot.core.search import SearchIndex
from bot.services import Services
from bot.settings import SecretStr, Settings
from bot.ui import errors
from tests.fakediscord import JSON, FakeDiscord, Interaction, User, running
from tests.fakediscord.harness import final_message

ERRORS_LOGGER = errors.__name__
EPHEMERAL = 1 << 6
CHANNEL_MESSAGE = 4
DEFERRED_CHANNEL_MESSAGE = 5
UPDATE_MESSAGE = 7
AUTOCOMPLETE_RESULT = 8


def make_settings(tmp_path: Path, *, dev_guild_id: int | None = None) -> Settings:
    return Settings(
        discord_token=SecretStr("test-token"),
        dev_guild_id=dev_guild_id,
        database_path=tmp_path / "data" / "essay-bot.sqlite3",
        seeds_dir=tmp_path / "seeds",
        log_level="INFO",
    )


@asynccontextmanager
async def open_services(database: Path, *documents: Document) -> AsyncIterator[Services]:
    """The real index over ``documents`` and the real prompt service over ``database``."""
    index = SearchIndex.build(Library(documents))
    store = await PromptStore.open(database)
    try:
        prompts = PromptService(store, index)
        plans = PlanService(PlanStore(store), index, prompts)
        yield Services(index=index, prompts=prompts, plans=plans)
    finally:
        await store.close()


@dataclass(slots=True)
class Answer:
    """An interaction's initial response, as Discord received it."""

    record: Interaction
    type: int
    data: JSON


class _Failures(logging.Handler):
    """Collects the unexpected errors the bot reported to members (each logged with an id)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class Harness:
    """The bot plus the fake: send what a member does, read what Discord received.

    A test fails if the bot met an unexpected error while it ran (an error a member
    was told about with an id), unless the test sets ``errors_expected``.
    """

    def __init__(self, bot: EssayBot, fake: FakeDiscord) -> None:
        self.bot = bot
        self.fake = fake
        self.closed = 0
        self.errors_expected = False
        self.failures = _Failures()

    def check_no_failures(self) -> None:
        if self.errors_expected:
            return
        found = [
            f"{r.getMessage()}: {r.exc_info[1]!r}" if r.exc_info else r.getMessage()
            for r in self.failures.records
        ]
        assert found == [], "the bot met unexpected errors"

    @property
    def member(self) -> User:
        return self.fake.member

    def slash(self, path: str, options: Mapping[str, object] | None = None, **kw: Any) -> JSON:
        return self.fake.slash(path, options, **kw)

    def typing(self, path: str, focused: str, options: Mapping[str, object], **kw: Any) -> JSON:
        """An autocomplete interaction while ``options[focused]`` is being typed."""
        return self.fake.autocomplete(path, focused, options, **kw)

    def press(self, message: JSON, label: str, **kw: Any) -> JSON:
        return self.fake.press(message, label, **kw)

    async def answer(self, payload: JSON, within: float = 5.0) -> Answer:
        """Dispatch ``payload``; the response the bot sent (a reply, update or deferral)."""
        record, response = await self.fake.interact(payload, within)
        return Answer(record, response["type"], response.get("data") or {})

    async def final(self, answer: Answer, within: float = 5.0) -> JSON:
        """What the member ends up seeing: after a deferral, the edited message."""
        return await final_message(self.fake, answer.record, within)

    def message(self, answer: Answer) -> JSON:
        """The message the answer created or updated, as the fake holds it now."""
        return self.fake.original(answer.record)

    def uploads(self, answer: Answer) -> list[tuple[str, bytes]]:
        """The files the bot uploaded while answering (name, content)."""
        token = answer.record.token
        return [f for r in self.fake.requests if f"/{token}/" in r.path for f in r.files]


@asynccontextmanager
async def bot_serving(
    tmp_path: Path, services: Services, fake: FakeDiscord, **settings: Any
) -> AsyncIterator[Harness]:
    """The bot over ``services``, connected to ``fake`` until the block ends."""
    harness: Harness | None = None

    async def close() -> None:
        assert harness is not None
        harness.closed += 1

    async def opener(_: Settings) -> tuple[Services, Closer]:
        return services, close

    bot = EssayBot(make_settings(tmp_path, **settings), open_services=opener)
    harness = Harness(bot, fake)
    reported = logging.getLogger(ERRORS_LOGGER)
    reported.addHandler(harness.failures)
    try:
        async with running(bot, fake):
            yield harness
    finally:
        reported.removeHandler(harness.failures)
    harness.check_no_failures()


@asynccontextmanager
async def bot_over(
    tmp_path: Path, fake: FakeDiscord, *documents: Document
) -> AsyncIterator[Harness]:
    """A bot whose real services search ``documents`` instead of the usual one."""
    await asyncio.to_thread(tmp_path.mkdir, parents=True, exist_ok=True)
    async with (
        open_services(tmp_path / "prompts.sqlite3", *documents) as services,
        bot_serving(tmp_path, services, fake) as harness,
    ):
        yield harness


def buttons(message: JSON) -> list[JSON]:
    return [c for row in message.get("components") or [] for c in row.get("components", [])]


def button(message: JSON, label_start: str) -> JSON:
    for b in buttons(message):
        if str(b.get("label", "")).startswith(label_start):
            return b
    raise AssertionError(f"no button {label_start!r} in {buttons(message)}")
