"""The ``essay`` option of the look-up commands: which essay to search, when several are loaded.

Without it a command answers from the server's current essay (see
``bot.core.plan.service.current_essay``); with it, from the one named.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.core.text import fold
from bot.services import Services
from bot.ui.render import CHOICES

ESSAY_HELP = "Another essay than this server's current one"


def essay_choices(services: Services, typed: str) -> list[app_commands.Choice[str]]:
    """Loaded essays whose title or id contains what was typed, titles shown, ids as values."""
    wanted = fold(typed)
    found = [
        app_commands.Choice(name=doc.title[:100], value=doc.id[:100])
        for doc in services.index.library.documents
        if wanted in fold(doc.title) or wanted in fold(doc.id)
    ]
    return found[:CHOICES]


async def scope_of(
    services: Services, interaction: discord.Interaction[Any], essay: str | None
) -> str | None:
    """The essay a look-up searches: the one asked for, else the server's current one."""
    guild = str(interaction.guild_id) if interaction.guild_id is not None else None
    return await services.plans.scope(guild, essay)
