"""Session fixtures: the real index, built once from the real seed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.core.library import load_library
from bot.core.model import Document, Library
from tests.fakediscord import FakeDiscord

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
ROUND_TRIP = 0.08  # seconds: an ordinary connection to Discord


@pytest.fixture(scope="session")
def library() -> Library:
    lib = load_library(SEEDS)
    assert not lib.problems, lib.problems
    return lib


@pytest.fixture(scope="session")
def essay(library: Library) -> Document:
    return library.documents[0]


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    """The one fake Discord (REST and gateway on 127.0.0.1), for a test of its own.

    An ordinary round trip away, as Discord is: what the bot does while its
    requests are on their way is part of what the tests see.
    """
    async with FakeDiscord(round_trip=ROUND_TRIP) as fake:
        yield fake
