"""The real index and prompt service, wired as the bot wires them, behind the same replies."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.console import Console
from bot.core.model import Document
from bot.runtime import StartupError, open_services
from bot.services import Caller, Services
from bot.settings import SecretStr, Settings
from tests.conftest import SEEDS


def settings_for(tmp_path: Path, seeds: Path = SEEDS) -> Settings:
    return Settings(
        discord_token=SecretStr(""),
        dev_guild_id=None,
        database_path=tmp_path / "data" / "essay-bot.sqlite3",
        seeds_dir=seeds,
        log_level="INFO",
    )


@pytest.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    """Opened as the bot opens them, and always closed, even when the test fails."""
    opened, close = await open_services(settings_for(tmp_path))
    try:
        yield opened
    finally:
        await close()


async def test_console_over_the_real_services(
    tmp_path: Path, essay: Document, services: Services
) -> None:
    out = io.StringIO()
    caller = Caller(user="42", guild="7", channel=None, can_moderate=True, can_manage_guild=True)
    console = Console(services, caller, out=out, exports=tmp_path / "exports")
    spoken = next(q for q in essay.quotes if q.kind == "spoken")
    await console.handle(f"/quote {spoken.text[:80]}")
    assert f"§ {spoken.section} " in out.getvalue()
    assert "[1] Context" in out.getvalue()
    section = essay.sections[-1]
    await console.handle(f"/section {section.number}")
    assert f"│ § {section.number} {section.title}" in out.getvalue()
    await console.handle("/prompt add What does this passage ask of its readers?")
    assert "Added as prompt #1." in out.getvalue()
    await console.handle("/prompt random")
    assert "[a thread opens on this message:" in out.getvalue()
    await console.handle("/about")
    assert f"{len(essay.sections)} sections" in out.getvalue()
    assert (tmp_path / "data" / "essay-bot.sqlite3").is_file()


async def test_no_essays_is_refused_before_the_database_is_touched(tmp_path: Path) -> None:
    empty = tmp_path / "seeds"
    empty.mkdir()
    with pytest.raises(StartupError, match=f"no essay could be loaded from {empty}"):
        await open_services(settings_for(tmp_path, empty))
    assert not (tmp_path / "data").exists()
