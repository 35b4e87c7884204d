"""The bot: its start-up (index, database, extensions, command sync) and its shutdown."""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import logging
import math
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.core.shards import ShardRange
from bot.services import Services
from bot.settings import Settings
from bot.ui.views import ScreenRegistry, answer_unclaimed

log = logging.getLogger(__name__)

EXTENSIONS = (
    "bot.exts.errors",
    "bot.exts.quotes",
    "bot.exts.sections",
    "bot.exts.search",
    "bot.exts.prompts",
    "bot.exts.about",
    "bot.exts.plan",
)
SCHEMA_FILE = "command-schema.sha256"
#: How long shutdown waits for interactions already being answered.
DRAIN_SECONDS = 10.0
RESTARTING = "The bot is restarting; try again in a moment."

Closer = Callable[[], Awaitable[None]]
ServicesOpener = Callable[[Settings], Awaitable[tuple[Services, Closer]]]


def intents() -> discord.Intents:
    """Slash commands need no privileged intent; ``guilds`` keeps channels and permissions."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    return wanted


def sharding(settings: Settings) -> dict[str, Any]:
    """``AutoShardedBot``'s shard arguments: none (discord.py decides) unless configured."""
    if settings.shards is None:
        return {}
    return {"shard_count": settings.shards.count, "shard_ids": list(settings.shards.ids)}


class EssayTree(app_commands.CommandTree["EssayBot"]):
    """Every slash command and autocomplete passes ``EssayBot.admit`` first."""

    async def interaction_check(self, interaction: discord.Interaction[EssayBot], /) -> bool:
        return await self.client.admit(interaction)


class EssayBot(commands.AutoShardedBot):
    """Sharded always: ``SHARD_COUNT``/``SHARD_IDS`` choose this process's shards; unset,
    discord.py asks Discord how many one process needs (one, for a bot in few servers)."""

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
            tree_cls=EssayTree,
            **sharding(settings),
        )
        self.settings = settings
        self.force_sync = force_sync
        self._open_services = open_services
        self._services: Services | None = None
        self._close_services: Closer | None = None
        self._draining = False
        self._in_flight: set[asyncio.Task[Any]] = set()
        self.screens = ScreenRegistry()

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("services are opened in setup_hook, before any extension loads")
        return self._services

    async def setup_hook(self) -> None:
        self._services, self._close_services = await self._open_services(self.settings)
        # The index lives as long as the bot: keep its objects out of the collector's
        # generations so a full collection never pauses an autocomplete for long.
        gc.collect()
        gc.freeze()
        for name in EXTENSIONS:
            await self.load_extension(name)
        shards = self.settings.shards
        if shards is not None and 0 not in shards.ids:
            # Commands are the application's, not a shard's: one process syncs them.
            log.info("%s: the process running shard 0 syncs the commands", shards)
        else:
            await self.sync_commands()

    # -- health --------------------------------------------------------------------------

    def shard_range(self) -> ShardRange | None:
        """The shards this process runs, once discord.py knows them (after login)."""
        if self.shard_count is None:
            return None
        ids = self.shard_ids if self.shard_ids is not None else range(self.shard_count)
        return ShardRange(self.shard_count, tuple(sorted(ids)))

    def health(self) -> list[tuple[str, str]]:
        """What ``/about`` and the log say about this process: shards, latency, database."""
        shards = self.shard_range()
        latency = self.latency
        db = self.services.prompts.store.db
        return [
            ("Shards", str(shards) if shards is not None else "starting"),
            (
                "Latency",
                f"{latency * 1000:.0f} ms" if math.isfinite(latency) else "no heartbeat yet",
            ),
            ("Database", db.dialect),
        ]

    async def on_ready(self) -> None:
        log.info(
            "ready: %s; %d servers; latency %s; database %s at %s",
            self.shard_range(),
            len(self.guilds),
            dict(self.health())["Latency"],
            self.services.prompts.store.db.dialect,
            self.services.prompts.store.db.where,
        )

    async def on_shard_ready(self, shard_id: int) -> None:
        log.info("shard %d ready", shard_id)

    async def on_shard_disconnect(self, shard_id: int) -> None:
        log.warning("shard %d disconnected", shard_id)

    async def on_shard_resumed(self, shard_id: int) -> None:
        log.info("shard %d resumed", shard_id)

    # -- command sync --------------------------------------------------------------------

    def _target(self) -> discord.Object | None:
        guild_id = self.settings.dev_guild_id
        return discord.Object(id=guild_id) if guild_id is not None else None

    @staticmethod
    def _target_name(target: discord.Object | None) -> str:
        return f"guild:{target.id}" if target is not None else "global"

    def command_schema(self) -> list[dict[str, Any]]:
        """The commands as Discord receives them on sync (global ones; copied to a dev guild)."""
        return [command.to_dict(self.tree) for command in self.tree.get_commands()]

    def schema_hash(self) -> str:
        target = self._target()
        payload = {"target": self._target_name(target), "commands": self.command_schema()}
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def schema_file(self) -> Path:
        return self.settings.database_path.parent / SCHEMA_FILE

    def _last_sync(self) -> tuple[str | None, str | None]:
        """The schema hash and target of the last sync: ``<hash> <target>`` in the file."""
        try:
            parts = self.schema_file.read_text(encoding="utf-8").split()
        except OSError:
            return None, None
        return (parts[0] if parts else None), (parts[1] if len(parts) > 1 else None)

    async def sync_commands(self) -> bool:
        """Sync only when the schema changed (Discord allows 200 creates a day) or on request.

        When the target changed (``DEV_GUILD_ID`` set, unset or changed), the commands
        synced to the old target are deleted: a member would otherwise see each twice.
        """
        digest = self.schema_hash()
        last_hash, last_target = self._last_sync()
        if not self.force_sync and digest == last_hash:
            log.info("command schema unchanged (%s…): not syncing", digest[:12])
            return False
        target = self._target()
        if target is not None:
            self.tree.copy_global_to(guild=target)
        synced = await self.tree.sync(guild=target)
        name = self._target_name(target)
        log.info("synced %d commands to %s", len(synced), name)
        if last_target is not None and last_target != name:
            await self._clear(last_target)
        try:
            self.schema_file.parent.mkdir(parents=True, exist_ok=True)
            self.schema_file.write_text(f"{digest} {name}\n", encoding="utf-8")
        except OSError as exc:
            log.warning("could not record the synced command schema: %s", exc)
        return True

    async def _clear(self, name: str) -> None:
        """Delete the commands a previous sync left at ``name`` ("global" or "guild:<id>")."""
        try:
            guild = None if name == "global" else discord.Object(int(name.removeprefix("guild:")))
            stale = await self.tree.fetch_commands(guild=guild)
            for command in stale:
                await command.delete()
        except (discord.HTTPException, ValueError) as exc:  # e.g. the bot left that server
            log.warning("could not clear the commands synced to %s before: %s", name, exc)
            return
        log.info("cleared %d commands synced to %s before", len(stale), name)

    # -- shutdown ------------------------------------------------------------------------

    async def admit(self, interaction: discord.Interaction[Any]) -> bool:
        """Count an interaction in, or turn it away politely once shutdown has begun.

        Called at the start of the task that answers the interaction, so shutdown can
        wait for exactly those tasks before it unloads the commands and closes HTTP.
        """
        if self._draining:
            await self._turn_away(interaction)
            return False
        task = asyncio.current_task()
        if task is not None and task not in self._in_flight:
            self._in_flight.add(task)
            task.add_done_callback(self._in_flight.discard)
        return True

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """Answer every press on screen buttons that no view took, instead of letting it fail.

        Live views answer their own presses; a press that reached none (it came before
        discord.py registered the view's message, or after a restart or a timeout)
        would otherwise show "This interaction failed".
        """
        if interaction.type is discord.InteractionType.component:
            await answer_unclaimed(interaction, self.screens)

    async def _turn_away(self, interaction: discord.Interaction[Any]) -> None:
        if self.is_closed():  # disconnecting: HTTP is going away, nothing can be sent
            log.debug("interaction %s arrived while disconnecting", interaction.id)
            return
        try:
            if interaction.type is discord.InteractionType.autocomplete:
                await interaction.response.autocomplete([])
            else:
                await interaction.response.send_message(RESTARTING, ephemeral=True)
        except (discord.HTTPException, aiohttp.ClientError, RuntimeError) as exc:
            # RuntimeError: aiohttp's "Session is closed", if HTTP closed meanwhile.
            log.debug("could not turn away interaction %s: %s", interaction.id, exc)

    async def close(self) -> None:
        """Refuse new interactions, finish those in flight, then disconnect and close the store."""
        if not self._draining:
            self._draining = True
            current = asyncio.current_task()
            pending = {t for t in self._in_flight if t is not current and not t.done()}
            if pending:
                log.info("waiting for %d interaction(s) in flight", len(pending))
                _, late = await asyncio.wait(pending, timeout=DRAIN_SECONDS)
                if late:
                    log.warning(
                        "%d interaction(s) unfinished after %.0f s", len(late), DRAIN_SECONDS
                    )
        try:
            await super().close()
        finally:
            closer, self._close_services = self._close_services, None
            if closer is not None:
                await closer()
                log.info("database closed")
