"""The real index and prompt service, wired as the bot wires them, behind the same replies."""

from __future__ import annotations

import asyncio
import io
import logging
import threading
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.console import Console
from bot.core.model import Document
from bot.core.search import SearchIndex
from bot.core.search.semantic import load_ranker
from bot.runtime import StartupError, open_services
from bot.services import Caller, Services
from bot.settings import SecretStr, Settings
from tests.conftest import SEEDS
from tests.core.search import tinymodel


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


def test_semantic_model_is_one_optional_setting(tmp_path: Path) -> None:
    env = {"DISCORD_TOKEN": "t"}
    assert Settings.load(tmp_path / "none.env", env).semantic_model is None
    loaded = Settings.load(tmp_path / "none.env", {**env, "SEMANTIC_MODEL": " all-MiniLM-L6-v2 "})
    assert loaded.semantic_model == "all-MiniLM-L6-v2"


async def about(services: Services, tmp_path: Path) -> str:
    """What /about shows, through the console."""
    out = io.StringIO()
    caller = Caller(user="1", guild="2", channel=None)
    await Console(services, caller, out=out, exports=tmp_path / "exports").handle("/about")
    return out.getvalue()


async def wait_for_ranker(services: Services, seconds: float = 60.0) -> None:
    for _ in range(int(seconds * 20)):
        if services.index.ranker_name is not None:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the semantic ranker was never attached")


async def test_the_semantic_ranker_loads_after_start_up_and_about_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    model = tinymodel.build(tmp_path / "models" / "tiny")
    settings = replace(settings_for(tmp_path), semantic_model=str(model))
    with caplog.at_level(logging.INFO):
        services, close = await open_services(settings)
        try:
            # Start-up did not wait for the vectors: search answers at once, by words.
            assert services.index.passages("pipelines", limit=1)
            await wait_for_ranker(services)
            assert "│ Semantic ranker:\n│   on: tiny\n" in await about(services, tmp_path)
        finally:
            await close()
    assert any("semantic ranker on: tiny" in r.getMessage() for r in caplog.records)
    assert list((tmp_path / "data" / "semantic-cache").glob("*.npy"))


async def test_a_missing_model_leaves_the_bot_answering_by_words(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = replace(settings_for(tmp_path), semantic_model="no-such-model")
    with caplog.at_level(logging.INFO):
        services, close = await open_services(settings)
        await close()  # waits for the loading thread
    off = [r for r in caplog.records if "semantic ranker off" in r.getMessage()]
    assert len(off) == 1
    assert str(tmp_path / "data" / "models" / "no-such-model") in off[0].getMessage()
    assert services.index.ranker_name is None
    assert "│ Semantic ranker:\n│   off\n" in await about(services, tmp_path)


async def test_start_up_does_not_wait_for_the_vectors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real = load_ranker

    def slow(index: SearchIndex, folder: Path, cache_dir: Path) -> object:
        assert release.wait(30), "the test never released the loader"
        return real(index, folder, cache_dir)

    monkeypatch.setattr("bot.runtime.load_ranker", slow)
    model = tinymodel.build(tmp_path / "models" / "tiny")
    services, close = await open_services(
        replace(settings_for(tmp_path), semantic_model=str(model))
    )
    try:
        assert services.index.ranker_name is None  # still embedding, and the bot is up
        assert services.index.complete_quotes("pipe") is not None
        release.set()
        await wait_for_ranker(services)
    finally:
        release.set()
        await close()
