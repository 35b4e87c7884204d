"""One settings object, built in ``main()`` from ``.env`` plus the environment.

Nothing reads the environment at import time, so tests and tools can import any
module without a token. The environment wins over ``.env``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values

from bot.core.shards import ShardRange


class SecretStr:
    """Holds the token so that printing or logging settings never shows it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "SecretStr('**********')" if self._value else "SecretStr('')"

    __str__ = __repr__


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names it."""


_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
#: Seconds to wait for Discord to answer at start-up before saying it cannot be reached.
DEFAULT_DISCORD_TIMEOUT = 20.0


@dataclass(frozen=True, slots=True)
class Settings:
    discord_token: SecretStr
    dev_guild_id: int | None
    database_path: Path
    seeds_dir: Path
    log_level: str
    #: ``postgresql://…``: share one PostgreSQL database between processes (else SQLite)
    database_url: SecretStr | None = None
    #: the bot's total shards and the ones this process runs; None: discord.py decides
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None
    #: Another Discord API (e.g. the fake Discord of the end-to-end tests); ``None``: the real one.
    discord_api_base: str | None = None
    discord_timeout: float = DEFAULT_DISCORD_TIMEOUT
    # Optional semantic ranker: a model folder or id (see bot.core.search.semantic).
    semantic_model: str | None = None

    @classmethod
    def load(
        cls, env_file: str | Path = ".env", environ: Mapping[str, str] | None = None
    ) -> Settings:
        values: dict[str, str | None] = {}
        if Path(env_file).is_file():
            values.update(dotenv_values(env_file))
        values.update(os.environ if environ is None else environ)

        def get(name: str, default: str = "") -> str:
            value = values.get(name)
            return default if value is None or not value.strip() else value.strip()

        guild_raw = get("DEV_GUILD_ID")
        if guild_raw and not guild_raw.isdigit():
            raise SettingsError(f"DEV_GUILD_ID must be a server id (digits), got {guild_raw!r}")
        level = get("LOG_LEVEL", "INFO").upper()
        if level not in _LEVELS:
            raise SettingsError(f"LOG_LEVEL must be one of {', '.join(_LEVELS)}, got {level!r}")
        url = get("DATABASE_URL")
        if url and not url.startswith(("postgresql://", "postgres://")):
            raise SettingsError(
                "DATABASE_URL must start with postgresql:// (or be unset for SQLite)"
            )
        count, ids = get("SHARD_COUNT"), get("SHARD_IDS")
        if ids and not count:
            raise SettingsError("SHARD_IDS needs SHARD_COUNT (the bot's total number of shards)")
        try:
            shards = ShardRange.parse(count, ids) if count else None
        except ValueError as exc:
            raise SettingsError(str(exc)) from exc
        return cls(
            discord_token=SecretStr(get("DISCORD_TOKEN")),
            dev_guild_id=int(guild_raw) if guild_raw else None,
            database_path=Path(get("DATABASE_PATH", "data/essay-bot.sqlite3")),
            seeds_dir=Path(get("SEEDS_DIR", "seeds")),
            log_level=level,
            database_url=SecretStr(url) if url else None,
            shard_count=shards.count if shards else None,
            shard_ids=shards.ids if shards else None,
            discord_api_base=_api_base(get("DISCORD_API_BASE")),
            discord_timeout=_seconds("DISCORD_TIMEOUT", get("DISCORD_TIMEOUT")),
            semantic_model=get("SEMANTIC_MODEL") or None,
        )

    @property
    def shards(self) -> ShardRange | None:
        """This process's shards, when ``SHARD_COUNT`` is set."""
        if self.shard_count is None:
            return None
        return ShardRange(self.shard_count, self.shard_ids or tuple(range(self.shard_count)))

    @property
    def database(self) -> Path | str:
        """What ``PromptStore.open`` takes: the PostgreSQL URL if set, else the SQLite file."""
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return self.database_path

    @property
    def log_level_number(self) -> int:
        return logging.getLevelNamesMapping()[self.log_level]


def _api_base(raw: str) -> str | None:
    if not raw:
        return None
    if not raw.startswith(("http://", "https://")):
        raise SettingsError(f"DISCORD_API_BASE must be an http(s) URL, got {raw!r}")
    return raw.rstrip("/")


def _seconds(name: str, raw: str) -> float:
    if not raw:
        return DEFAULT_DISCORD_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 0 < value <= 600:
        raise SettingsError(f"{name} must be a number of seconds (0-600), got {raw!r}")
    return value
