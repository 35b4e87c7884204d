"""Shard ranges from SHARD_COUNT/SHARD_IDS, DATABASE_URL, and which servers a range owns."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.shards import ShardRange, shard_of
from bot.settings import Settings, SettingsError


def load(tmp_path: Path, **environ: str) -> Settings:
    return Settings.load(env_file=tmp_path / "none.env", environ=environ)


def test_shard_settings_are_parsed_and_checked(tmp_path: Path) -> None:
    assert load(tmp_path).shards is None
    assert load(tmp_path, SHARD_COUNT="6", SHARD_IDS="2,3").shards == ShardRange(6, (2, 3))
    assert load(tmp_path, SHARD_COUNT="6", SHARD_IDS="0-2").shards == ShardRange(6, (0, 1, 2))
    assert load(tmp_path, SHARD_COUNT="3").shards == ShardRange(3, (0, 1, 2))
    for bad, message in [
        ({"SHARD_IDS": "0"}, "needs SHARD_COUNT"),
        ({"SHARD_COUNT": "0"}, "1 or more"),
        ({"SHARD_COUNT": "two"}, "whole number"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "3,4"}, "between 0 and 3"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "a"}, "look like 0,1"),
    ]:
        with pytest.raises(SettingsError, match=message):
            load(tmp_path, **bad)


def test_database_url_picks_postgresql_and_is_never_shown(tmp_path: Path) -> None:
    assert load(tmp_path).database == Path("data/essay-bot.sqlite3")
    settings = load(tmp_path, DATABASE_URL="postgresql://bot:hunter2@db:5432/essays")
    assert settings.database == "postgresql://bot:hunter2@db:5432/essays"
    assert "hunter2" not in repr(settings)
    with pytest.raises(SettingsError, match="postgresql://"):
        load(tmp_path, DATABASE_URL="mysql://db/essays")


def test_a_range_owns_the_servers_discord_sends_it() -> None:
    shards = ShardRange(6, (2, 3))
    assert [shard_of(n << 22, 6) for n in range(8)] == [0, 1, 2, 3, 4, 5, 0, 1]
    assert [n for n in range(12) if shards.owns(n << 22 | 12345)] == [2, 3, 8, 9]
    assert str(shards) == "shards 2–3 of 6"
    assert str(ShardRange(6, (0, 4))) == "shards 0,4 of 6"
    assert not shards.everything
    assert ShardRange(2, (0, 1)).everything
