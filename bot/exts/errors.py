"""The one tree-level error handler: installs ``bot.ui.errors.report_error`` on the tree.

Kept as an extension so that unloading it puts the previous handler back.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.ui.errors import report_error

ErrorHandler = Callable[
    [discord.Interaction[Any], app_commands.AppCommandError], Coroutine[Any, Any, None]
]


class ErrorHandlerCog(commands.Cog):
    """Installs ``report_error`` as the tree's handler, and puts the old one back on unload."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        self._previous: ErrorHandler | None = None

    async def cog_load(self) -> None:
        tree = self.bot.tree
        self._previous = tree.on_error
        tree.on_error = report_error  # type: ignore[method-assign]

    async def cog_unload(self) -> None:
        if self._previous is not None:
            self.bot.tree.on_error = self._previous  # type: ignore[method-assign]


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(ErrorHandlerCog(bot))
