"""``/search``: the paragraphs that best match a query, one per page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.plan.service import Passage
from bot.core.search import (
    MAX_CHOICE_CHARS,
    MAX_QUERY_CHARS,
    WEAK_MATCH,
    PassageHit,
    absent_words_note,
    validate_query,
)
from bot.services import Services
from bot.ui.essays import ESSAY_HELP, essay_choices, scope_of
from bot.ui.host import Host
from bot.ui.render import (
    COLOUR,
    EMBED_DESCRIPTION,
    EMBED_TITLE,
    Button,
    LaterReply,
    Pager,
    Reply,
    citation,
    cut,
    escape,
    no_match,
    notice,
    paragraph_reply,
)
from bot.ui.spoilers import REVEAL, Guard, guard_for, scheduled_note, spoilered
from bot.ui.threads import DISCUSS, discuss
from bot.ui.views import send_reply


class SearchScreen(Pager):
    def __init__(
        self,
        services: Services,
        query: str,
        hits: Sequence[PassageHit],
        guard: Guard | None = None,
        *,
        threads: bool = False,
    ) -> None:
        super().__init__()
        self.services = services
        self.query = query
        self.hits = list(hits)
        self.guard = guard
        self.threads = threads  # offer "Discuss" (in a server's channel only)
        self.shown = [cut(escape(h.text), EMBED_DESCRIPTION) for h in self.hits]
        # Room for the spoiler bars and the note, for hits the group has not reached.
        self.hidden = [cut(escape(h.text), EMBED_DESCRIPTION - 80) for h in self.hits]

    def page_count(self) -> int:
        return len(self.hits)

    def _ahead(self, number: int) -> datetime | None:
        hit = self.hits[number]
        return self.guard.ahead(hit.document, hit.section) if self.guard else None

    def page(self, number: int) -> discord.Embed:
        embed = self._embed(number)
        due = self._ahead(number)
        if due is not None:
            note = scheduled_note(self.hits[number].section, due)
            embed.description = f"{spoilered(self.hidden[number][0])}\n\n{note}"
        return embed

    def _embed(self, number: int) -> discord.Embed:
        hit = self.hits[number]
        title = cut(f"§ {hit.section} {hit.section_title} · ¶ {hit.paragraph}", EMBED_TITLE)[0]
        embed = discord.Embed(title=title, description=self.shown[number][0], colour=COLOUR)
        doc = self.services.document(hit.document)
        footer = citation(doc, hit.section, hit.section_title, hit.paragraph)
        embed.set_footer(text=f"{footer} · result {number + 1} of {len(self.hits)}")
        if not hit.confident:
            embed.set_author(name=WEAK_MATCH)
        return embed

    def page_extra(self, number: int) -> list[Button]:
        buttons = []
        if self._ahead(number) is not None:
            buttons.append(Button("reveal", REVEAL, owner_only=False))
        if self.shown[number][1]:
            buttons.append(Button("context", "Context", owner_only=False))
        if self.threads and self._ahead(number) is None:  # a thread would spoil for everyone
            buttons.append(DISCUSS)
        return buttons

    def on_extra(self, key: str, number: int) -> Reply | LaterReply | None:
        hit = self.hits[number]
        if key == "reveal":
            return Reply(embed=self._embed(number), ephemeral=True)
        if key == DISCUSS.key:
            return discuss(self.services, Passage(hit.document, hit.section, hit.paragraph))
        return paragraph_reply(self.services.document(hit.document), hit.section, hit.paragraph)


def search_reply(
    services: Services,
    query: str,
    guard: Guard | None = None,
    *,
    threads: bool = False,
    essay: str | None = None,
) -> Reply:
    """What ``/search`` answers; the console calls this too (without ``threads``).

    ``essay``: the id of the one essay to search (``None``: all loaded).
    """
    text = validate_query(query)
    hits = services.index.passages(text, document=essay, limit=10)
    if not hits:
        absent = services.index.absent_words(text)
        if absent:
            return notice(absent_words_note(absent))
        return no_match("passage", text, services.index.suggestions(text))
    return Reply.of(SearchScreen(services, text, hits, guard, threads=threads))


class Search(commands.Cog):
    def __init__(self, services: Services) -> None:
        self.services = services

    @app_commands.allowed_installs(guilds=True, users=False)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
    @app_commands.command(name="search", description="Find the paragraphs that best match.")
    @app_commands.describe(query="Words or a topic to look for", essay=ESSAY_HELP)
    async def search(
        self,
        interaction: discord.Interaction[Any],
        query: app_commands.Range[str, 1, MAX_QUERY_CHARS],
        essay: app_commands.Range[str, 1, MAX_CHOICE_CHARS] | None = None,
    ) -> None:
        guild = str(interaction.guild_id) if interaction.guild_id is not None else None
        scope = await scope_of(self.services, interaction, essay)
        guard = await guard_for(self.services, guild)
        reply = search_reply(self.services, query, guard, threads=guild is not None, essay=scope)
        await send_reply(interaction, reply)

    @search.autocomplete("essay")
    async def complete_essay(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return essay_choices(self.services, current)


async def setup(bot: Host) -> None:
    await bot.add_cog(Search(bot.services))
