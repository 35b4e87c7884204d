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
    """``await open_store(path, **options)``: ``PromptStore.open``, closed at teardown."""
    opened: list[PromptStore] = []

    async def open_(path: Path, **options: Any) -> PromptStore:
        store = await PromptStore.open(path, **options)
        opened.append(store)
        return store

    try:
        yield open_
    finally:
        for store in reversed(opened):
            await store.close()  # harmless if the test closed it already


@pytest.fixture
async def store(open_store: OpenStore, tmp_path: Path) -> PromptStore:
    return await open_store(tmp_path / "prompts.sqlite3")
