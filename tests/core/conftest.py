"""Prompt stores for the core tests, always closed, even when a test fails.

An aiosqlite connection left open keeps its thread, and so pytest, alive: every store
a test opens goes through ``open_store`` (or the ``store`` fixtures built on it).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.core.prompt_store import PromptStore

OpenStore = Callable[..., Awaitable[PromptStore]]


@pytest.fixture
async def open_store() -> AsyncIterator[OpenStore]:
    """``await open_store(target, **options)``: ``PromptStore.open``, closed at teardown."""
    opened: list[PromptStore] = []

    async def open_(path: Path | str, **options: Any) -> PromptStore:
        store = await PromptStore.open(path, **options)
        opened.append(store)
        return store

    try:
        yield open_
    finally:
        for store in reversed(opened):
            await store.close()  # harmless if the test closed it already


@pytest.fixture
async def store(open_store: OpenStore, db_target: Path | str) -> PromptStore:
    """A store on each backend in turn: a SQLite file, then a real PostgreSQL."""
    return await open_store(db_target)
