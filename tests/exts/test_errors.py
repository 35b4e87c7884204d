from __future__ import annotations

import logging
import re

import pytest
from discord import app_commands

from bot.core.search import SearchIndex
from bot.ui.errors import report_error
from tests.exts.harness import CHANNEL_MESSAGE, EPHEMERAL, Harness


async def test_an_unexpected_error_gets_an_id_shared_with_the_log(
    harness: Harness,
    index: SearchIndex,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: object, **kwargs: object) -> list[object]:
        raise RuntimeError("index exploded")

    monkeypatch.setattr(index, "passages", broken)
    harness.errors_expected = True
    with caplog.at_level(logging.ERROR, logger="bot.ui.errors"):
        answer = await harness.answer(harness.slash("search", {"query": "river"}))
    assert answer.type == CHANNEL_MESSAGE
    assert answer.data["flags"] & EPHEMERAL
    found = re.fullmatch(
        r"Something went wrong \(error id ([0-9A-F]{8})\)\. It has been logged\.",
        answer.data["content"],
    )
    assert found is not None
    (record,) = [r for r in caplog.records if found.group(1) in r.getMessage()]
    assert record.exc_info is not None
    assert "index exploded" in str(record.exc_info[1])


async def test_unloading_the_extension_restores_the_previous_handler(harness: Harness) -> None:
    # load_extension executes the module afresh, so compare by name, not identity.
    tree = harness.bot.tree
    assert tree.on_error.__qualname__ == report_error.__qualname__
    await harness.bot.unload_extension("bot.exts.errors")
    assert tree.on_error.__func__ is app_commands.CommandTree.on_error  # type: ignore[attr-defined]
    await harness.bot.load_extension("bot.exts.errors")
    assert tree.on_error.__qualname__ == report_error.__qualname__
