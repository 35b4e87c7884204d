"""``/about``: what is indexed, and which build has been running for how long."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import __version__
from bot.core.model import Document
from bot.services import Services
from bot.ui.host import Host
from bot.ui.render import COLOUR, EMBED_FIELDS, FIELD_NAME, FIELD_VALUE, Reply, cut, plural
from bot.ui.views import send_reply


def format_uptime(seconds: float) -> str:
    minutes, _ = divmod(round(seconds), 60)  # monotonic clock sums are not exact
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min" if minutes else "less than a minute"


def about_reply(
    services: Services,
    *,
    now: float | None = None,
    current: Document | None = None,
    health: Sequence[tuple[str, str]] = (),
) -> Reply:
    """What ``/about`` answers; the console calls this too (without the process's health).

    ``current``: the essay the asking server reads now (look-ups answer from it).
    """
    docs = services.index.library.documents
    embed = discord.Embed(
        title="essay-bot",
        description="Read and discuss the essay together: /quote, /section, /search, /prompt.",
        colour=COLOUR,
    )
    room = EMBED_FIELDS - 5 - len(health)  # the rest: …, current essay, ranker, version, uptime
    for doc in docs[:room]:
        paragraphs = sum(len(s.paragraphs) for s in doc.sections)
        speakers = len({q.speaker for q in doc.quotes if q.speaker})
        value = (
            f"by {doc.author}\n{plural(len(doc.sections), 'section')} · "
            f"{plural(paragraphs, 'paragraph')} · {plural(len(doc.quotes), 'quote')} · "
            f"{plural(speakers, 'speaker')}"
        )
        embed.add_field(
            name=cut(doc.title, FIELD_NAME)[0], value=cut(value, FIELD_VALUE)[0], inline=False
        )
    if len(docs) > room:
        embed.add_field(name="…", value=f"and {len(docs) - room} more essays")
    if not docs:
        embed.add_field(name="Essays", value="None indexed: check the seeds folder.")
    if current is not None and len(docs) > 1:
        embed.add_field(
            name="Current essay here",
            value=cut(f"{current.title} ({current.id})", FIELD_VALUE)[0],
            inline=False,
        )
    elif len(docs) > 1:
        embed.add_field(
            name="Current essay here",
            value="None chosen: look-ups search every essay (/plan-admin essay picks one).",
            inline=False,
        )
    elapsed = (time.monotonic() if now is None else now) - services.started
    ranker = services.index.ranker_name
    embed.add_field(
        name="Semantic ranker", value=cut(f"on: {ranker}" if ranker else "off", FIELD_VALUE)[0]
    )
    embed.add_field(name="Version", value=__version__)
    embed.add_field(name="Uptime", value=format_uptime(elapsed))
    for name, value in health:
        embed.add_field(name=name, value=value)
    return Reply(embed=embed, ephemeral=True)


class About(commands.Cog):
    def __init__(self, services: Services, health: Callable[[], list[tuple[str, str]]]) -> None:
        self.services = services
        self.health = health

    @app_commands.allowed_installs(guilds=True, users=False)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
    @app_commands.command(name="about", description="What this bot has indexed, and its version.")
    async def about(self, interaction: discord.Interaction[Any]) -> None:
        guild = str(interaction.guild_id) if interaction.guild_id is not None else None
        current = await self.services.plans.current_essay(guild)
        reply = about_reply(self.services, current=current, health=self.health())
        await send_reply(interaction, reply)


async def setup(bot: Host) -> None:
    await bot.add_cog(About(bot.services, bot.health))
