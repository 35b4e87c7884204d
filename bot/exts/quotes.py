"""``/quote``: the best quote for a query, with its source, context and further results."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.search import MAX_CHOICE_CHARS, MAX_QUERY_CHARS, QuoteHit, validate_query
from bot.core.text import clean_user_text, quoted
from bot.services import Services
from bot.ui.host import Host
from bot.ui.render import (
    AUTHOR_NAME,
    COLOUR,
    EMBED_DESCRIPTION,
    Button,
    Pager,
    Reply,
    choices,
    citation,
    cut,
    escape,
    no_match,
    paragraph_reply,
)
from bot.ui.spoilers import REVEAL, Guard, guard_for, scheduled_note, spoilered
from bot.ui.views import send_reply


def speaker_label(hit: QuoteHit) -> str:
    if hit.kind == "spoken" and hit.speaker:
        return hit.speaker
    return "pull quote" if hit.kind == "pull" else "the author"


def quote_embed(services: Services, hit: QuoteHit) -> discord.Embed:
    text, _ = cut(escape(hit.text.strip()), EMBED_DESCRIPTION - 2)
    embed = discord.Embed(description=quoted(text), colour=COLOUR)
    embed.set_author(name=cut(speaker_label(hit), AUTHOR_NAME)[0])
    doc = services.document(hit.document)
    embed.set_footer(text=citation(doc, hit.section, hit.section_title, hit.paragraph))
    return embed


class QuoteScreen(Pager):
    """One quote at a time; "More" steps to the next result, "Context" shows its paragraph."""

    next_label = "More"

    def __init__(
        self, services: Services, hits: Sequence[QuoteHit], guard: Guard | None = None
    ) -> None:
        super().__init__()
        self.services = services
        self.hits = list(hits)
        self.guard = guard

    def page_count(self) -> int:
        return len(self.hits)

    def _ahead(self, number: int) -> datetime | None:
        hit = self.hits[number]
        return self.guard.ahead(hit.document, hit.section) if self.guard else None

    def page(self, number: int) -> discord.Embed:
        embed = quote_embed(self.services, self.hits[number])
        due = self._ahead(number)
        if due is not None:
            note = scheduled_note(self.hits[number].section, due)
            embed.description = f"{spoilered(embed.description or '')}\n\n{note}"
        return embed

    def page_extra(self, number: int) -> list[Button]:
        buttons = [Button("context", "Context", owner_only=False)]
        if self._ahead(number) is not None:
            buttons.insert(0, Button("reveal", REVEAL, owner_only=False))
        return buttons

    def on_extra(self, key: str, number: int) -> Reply | None:
        hit = self.hits[number]
        if key == "reveal":
            return Reply(embed=quote_embed(self.services, hit), ephemeral=True)
        return paragraph_reply(self.services.document(hit.document), hit.section, hit.paragraph)


def quote_reply(
    services: Services, query: str, speaker: str | None = None, guard: Guard | None = None
) -> Reply:
    """What ``/quote`` answers; the console calls this too."""
    text = validate_query(query)
    who = clean_user_text(speaker) if speaker else None
    hits = services.index.quotes(text, speaker=who or None, limit=10)
    if not hits:
        return no_match("passage", text, services.index.suggestions(text))
    return Reply.of(QuoteScreen(services, hits, guard))


class Quotes(commands.Cog):
    def __init__(self, services: Services) -> None:
        self.services = services

    @app_commands.allowed_installs(guilds=True, users=False)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
    @app_commands.command(name="quote", description="Find a quote from the essay.")
    @app_commands.describe(
        query="Words from the quote, or what it is about",
        speaker="Only quotes by this person",
    )
    async def quote(
        self,
        interaction: discord.Interaction[Any],
        query: app_commands.Range[str, 1, MAX_QUERY_CHARS],
        speaker: app_commands.Range[str, 1, MAX_CHOICE_CHARS] | None = None,
    ) -> None:
        guard = await guard_for(self.services, _guild(interaction))
        await send_reply(interaction, quote_reply(self.services, query, speaker, guard))

    @quote.autocomplete("query")
    async def complete_query(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        guard = await guard_for(self.services, _guild(interaction))
        hide = guard.hides if guard is not None else None
        return choices(self.services.index.complete_quotes(current, hide=hide))

    @quote.autocomplete("speaker")
    async def complete_speaker(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return choices(self.services.index.complete_speakers(current))


def _guild(interaction: discord.Interaction[Any]) -> str | None:
    return str(interaction.guild_id) if interaction.guild_id is not None else None


async def setup(bot: Host) -> None:
    await bot.add_cog(Quotes(bot.services))
