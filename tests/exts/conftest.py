"""A logged-in bot that never opens a gateway, talking to ``FakeHTTP``.

Its services are the real ones: ``SearchIndex`` over hand-made documents
(``tests/exts/documents.py``) and ``PromptService`` over a SQLite file in the test's
temporary directory.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.app import Closer, EssayBot
from bot.core.model import Document, Library
from bot.core.plan.service import PlanService
from bot.core.plan.store import PlanStore
from bot.core.prompts import PromptService, PromptStore
from bot.core.search import SearchIndex
from bot.services import Services
from bot.settings import SecretStr, Settings
from tests.exts.documents import crowded_document, make_document
from tests.exts.harness import FakeHTTP, Request


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


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    async with open_services(tmp_path / "prompts.sqlite3", make_document()) as opened:
        yield opened


@pytest.fixture
def index(services: Services) -> SearchIndex:
    return services.index


@pytest.fixture
def prompts(services: Services) -> PromptService:
    return services.prompts


class Harness:
    """The bot plus its fake HTTP: send a payload, read back what the bot answered."""

    def __init__(self, bot: EssayBot, http: FakeHTTP) -> None:
        self.bot = bot
        self.http = http
        self.closed = 0

    def dispatch(self, payload: dict[str, Any]) -> set[asyncio.Task[Any]]:
        """Hand the payload to the bot as the gateway would; the tasks it starts to handle it."""
        before = asyncio.all_tasks()
        self.bot._connection.parse_interaction_create(payload)  # type: ignore[arg-type]
        return asyncio.all_tasks() - before

    async def run(self, payload: dict[str, Any]) -> None:
        """Dispatch and wait until the bot has finished handling the interaction."""
        tasks = self.dispatch(payload)
        if tasks:
            await asyncio.wait(tasks, timeout=5)

    async def answer(self, payload: dict[str, Any]) -> Request:
        """Dispatch, let the bot finish, and return the interaction's callback request."""
        await self.run(payload)
        token = payload["token"]
        found = await self.http.wait_for("POST", f"/{token}/callback")
        return found[0]

    async def edit(self, payload: dict[str, Any]) -> Request:
        """The edit of a deferred response (after its callback)."""
        found = await self.http.wait_for("PATCH", f"/{payload['token']}/messages/@original")
        return found[0]

    def message(self, payload: dict[str, Any]) -> dict[str, Any]:
        """The message the bot posted in answer to ``payload``, as the fake stored it."""
        return self.http.messages[payload["token"]]


async def start_bot(tmp_path: Path, services: Services, http: FakeHTTP, **kw: Any) -> Harness:
    holder: dict[str, int] = {"closed": 0}

    async def close() -> None:
        holder["closed"] += 1

    async def opener(settings: Settings) -> tuple[Services, Closer]:
        return services, close

    bot = EssayBot(make_settings(tmp_path, **kw), open_services=opener)
    await bot.__aenter__()
    await bot.login("test-token")
    harness = Harness(bot, http)
    harness.closed_counter = holder  # type: ignore[attr-defined]
    return harness


@pytest.fixture
async def harness(
    tmp_path: Path, services: Services, fake_http: FakeHTTP
) -> AsyncIterator[Harness]:
    h = await start_bot(tmp_path, services, fake_http)
    yield h
    await h.bot.close()


@asynccontextmanager
async def bot_over(tmp_path: Path, http: FakeHTTP, *documents: Document) -> AsyncIterator[Harness]:
    """A bot whose real services search ``documents`` instead of the usual one."""
    async with open_services(tmp_path / "prompts.sqlite3", *documents) as services:
        h = await start_bot(tmp_path, services, http)
        try:
            yield h
        finally:
            await h.bot.close()


@pytest.fixture
async def crowded_harness(tmp_path: Path, fake_http: FakeHTTP) -> AsyncIterator[Harness]:
    """A bot over more sections and quotes than autocomplete may offer."""
    async with bot_over(tmp_path, fake_http, crowded_document()) as h:
        yield h
