"""Fixtures for the Discord layer: the real services over hand-made documents, and the bot
connected to the fake Discord (``tests/exts/harness.py``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.prompts import PromptService
from bot.core.search import SearchIndex
from bot.services import Services
from tests.exts.documents import crowded_document, make_document
from tests.exts.harness import Harness, bot_over, bot_serving, open_services
from tests.fakediscord import FakeDiscord


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


@pytest.fixture
async def harness(tmp_path: Path, services: Services, fake: FakeDiscord) -> AsyncIterator[Harness]:
    async with bot_serving(tmp_path, services, fake) as h:
        yield h


@pytest.fixture
async def crowded_harness(tmp_path: Path, fake: FakeDiscord) -> AsyncIterator[Harness]:
    """A bot over more sections and quotes than autocomplete may offer."""
    async with bot_over(tmp_path / "crowded", fake, crowded_document()) as h:
        yield h
