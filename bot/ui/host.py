"""What an extension's ``setup`` needs from the bot: no extension imports the bot's module."""

from __future__ import annotations

from typing import Protocol

from discord.ext import commands

from bot.services import Services


class Host(Protocol):
    """The bot as extensions see it: its services, and a place for their cogs."""

    @property
    def services(self) -> Services: ...

    async def add_cog(self, cog: commands.Cog, /) -> None: ...

    def health(self) -> list[tuple[str, str]]:
        """This process's shards, gateway latency and database, as label and value."""
        ...
