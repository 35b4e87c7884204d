"""The console prints the same replies the cogs send, and buttons become numbers."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.console import Console, parse
from bot.exts.quotes import quote_reply
from bot.services import Caller, Services
from tests.exts.documents import make_document
from tests.exts.harness import open_services


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    async with open_services(tmp_path / "prompts.sqlite3", make_document()) as opened:
        yield opened


def make_console(services: Services) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    caller = Caller(user="7", guild="1", channel=None, can_moderate=True, can_manage_guild=True)
    return Console(services, caller, out=out), out


def test_parse_splits_named_options() -> None:
    assert parse("/quote one nation speaker: Ada Lovell") == (
        "quote",
        {"query": "one nation", "speaker": "Ada Lovell"},
    )
    assert parse("/prompt add Why now? section: 2") == (
        "prompt add",
        {"text": "Why now?", "section": "2"},
    )


async def test_quote_prints_the_cogs_embed_and_numbered_buttons(services: Services) -> None:
    console, out = make_console(services)
    await console.handle("/quote river")
    text = out.getvalue()
    embed = quote_reply(services, "river").current_embed()
    assert embed is not None
    assert embed.description is not None
    assert embed.description in text
    assert "┌ Ada Lovell" in text
    assert "[1] Context" in text
    assert "[3] More (1/2)" in text
    await console.handle("3")
    assert "┌ the author" in out.getvalue()
    await console.handle("1")
    assert "(only you can see this)" in out.getvalue()


async def test_prompts_round_trip_and_refusals_are_shown(services: Services) -> None:
    console, out = make_console(services)
    await console.handle("/prompt add What would the river say?")
    assert "Added as prompt #1." in out.getvalue()
    (added,) = await services.prompts.list(guild="1")
    assert (added.number, added.author, added.text) == (1, "7", "What would the river say?")
    await console.handle("/prompt remove 9")
    assert "This server has no prompt #9." in out.getvalue()
    await console.handle("/prompt export")
    assert "[attachment prompts-1.csv," in out.getvalue()
    await console.handle("/nonsense")
    assert "Unknown command /nonsense." in out.getvalue()
    assert await console.handle("/quit") is False
