"""The bot: its start-up (index, database, extensions, command sync) and its shutdown."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import discord
from discord.ext import commands

from bot.services import Services
from bot.settings import Settings

log = logging.getLogger(__name__)

EXTENSIONS = (
    "bot.exts.errors",
    "bot.exts.quotes",
    "bot.exts.sections",
    "bot.exts.search",
    "bot.exts.prompts",
    "bot.exts.about",
)
SCHEMA_FILE = "command-schema.sha256"

Closer = Callable[[], Awaitable[None]]
ServicesOpener = Callable[[Settings], Awaitable[tuple[Services, Closer]]]


def intents() -> discord.Intents:
    """Slash commands need no privileged intent; ``guilds`` keeps channels and permissions."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    return wanted


class EssayBot(commands.Bot):
    def __init__(
        self,
        settings: Settings,
        *,
        open_services: ServicesOpener,
        force_sync: bool = False,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents(),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
        )
        self.settings = settings
        self.force_sync = force_sync
        self._open_services = open_services
        self._services: Services | None = None
        self._close_services: Closer | None = None

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("services are opened in setup_hook, before any extension loads")
        return self._services

    async def setup_hook(self) -> None:
        self._services, self._close_services = await self._open_services(self.settings)
        for name in EXTENSIONS:
            await self.load_extension(name)
        await self.sync_commands()

    # -- command sync --------------------------------------------------------------------

    def _target(self) -> discord.Object | None:
        guild_id = self.settings.dev_guild_id
        return discord.Object(id=guild_id) if guild_id is not None else None

    def command_schema(self) -> list[dict[str, Any]]:
        """The commands as Discord receives them on sync (global ones; copied to a dev guild)."""
        return [command.to_dict(self.tree) for command in self.tree.get_commands()]

    def schema_hash(self) -> str:
        target = self._target()
        payload = {
            "target": f"guild:{target.id}" if target is not None else "global",
            "commands": self.command_schema(),
        }
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def schema_file(self) -> Path:
        return self.settings.database_path.parent / SCHEMA_FILE

    def _synced_hash(self) -> str | None:
        try:
            return self.schema_file.read_text(encoding="utf-8").strip() or None
        except OSError:
            return None

    async def sync_commands(self) -> bool:
        """Sync only when the schema changed (Discord allows 200 creates a day) or on request."""
        digest = self.schema_hash()
        if not self.force_sync and digest == self._synced_hash():
            log.info("command schema unchanged (%s…): not syncing", digest[:12])
            return False
        target = self._target()
        if target is not None:
            self.tree.copy_global_to(guild=target)
        synced = await self.tree.sync(guild=target)
        where = f"guild {target.id}" if target is not None else "globally"
        log.info("synced %d commands %s", len(synced), where)
        try:
            self.schema_file.parent.mkdir(parents=True, exist_ok=True)
            self.schema_file.write_text(digest + "\n", encoding="utf-8")
        except OSError as exc:
            log.warning("could not record the synced command schema: %s", exc)
        return True

    # -- shutdown ------------------------------------------------------------------------

    async def close(self) -> None:
        """Stop taking interactions first, then close the database."""
        try:
            await super().close()
        finally:
            closer, self._close_services = self._close_services, None
            if closer is not None:
                await closer()
                log.info("database closed")
