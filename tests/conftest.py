"""Session fixtures: the real index, built once from the real seed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest

from bot.core.library import load_library
from bot.core.model import Document, Library
from tests.exts.harness import FakeHTTP

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def library() -> Library:
    lib = load_library(SEEDS)
    assert not lib.problems, lib.problems
    return lib


@pytest.fixture(scope="session")
def essay(library: Library) -> Document:
    return library.documents[0]


@pytest.fixture
async def fake_http(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeHTTP]:
    """A recording stand-in for Discord's HTTP API, with discord.py pointed at it."""
    fake = FakeHTTP()
    await fake.start()
    monkeypatch.setattr(discord.http.Route, "BASE", fake.base)
    yield fake
    await fake.stop()
