"""``/section``: a section of the essay, its paragraphs paged with Previous/Next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.errors import NotFound
from bot.core.model import Document, Paragraph, Section
from bot.core.search import MAX_CHOICE_CHARS, validate_query
from bot.services import Services
from bot.ui.host import Host
from bot.ui.render import (
    COLOUR,
    EMBED_DESCRIPTION,
    EMBED_TITLE,
    Button,
    Pager,
    Reply,
    Screen,
    choices,
    cut,
    escape,
    no_match,
    notice,
    paragraph_reply,
)
from bot.ui.spoilers import REVEAL, Guard, guard_for, scheduled_note
from bot.ui.views import send_reply

PAGE_BUDGET = 1800  # a comfortable screenful; one long paragraph may still use the full 4096


@dataclass(frozen=True, slots=True)
class Shown:
    paragraph: Paragraph
    text: str
    cut: bool


def paginate(paragraphs: tuple[Paragraph, ...], budget: int = PAGE_BUDGET) -> list[list[Shown]]:
    """Whole paragraphs packed into pages; a paragraph too long for any page is cut."""
    pages: list[list[Shown]] = []
    current: list[Shown] = []
    size = 0
    for para in paragraphs:
        head = f"**¶ {para.number}** "
        text, was_cut = cut(escape(para.text), EMBED_DESCRIPTION - len(head))
        block = head + text
        if current and size + 2 + len(block) > budget:
            pages.append(current)
            current, size = [], 0
        current.append(Shown(para, block, was_cut))
        size += len(block) + (2 if size else 0)
    if current:
        pages.append(current)
    return pages


class SectionScreen(Pager):
    def __init__(self, doc: Document, section: Section) -> None:
        super().__init__()
        self.doc = doc
        self.section = section
        self.pages = paginate(section.paragraphs) or [[]]

    def page_count(self) -> int:
        return len(self.pages)

    def page(self, number: int) -> discord.Embed:
        shown = self.pages[number]
        title = cut(f"§ {self.section.number} {self.section.title}", EMBED_TITLE)[0]
        body = "\n\n".join(s.text for s in shown) or "(This section has no paragraphs.)"
        embed = discord.Embed(title=title, description=body, colour=COLOUR)
        footer = f"{self.doc.title} · page {number + 1} of {len(self.pages)}"
        embed.set_footer(text=cut(footer, 512)[0])
        return embed

    def page_extra(self, number: int) -> list[Button]:
        if any(s.cut for s in self.pages[number]):
            return [Button("context", "Context", owner_only=False)]
        return []

    def on_extra(self, key: str, number: int) -> Reply | None:
        for s in self.pages[number]:
            if s.cut:
                return paragraph_reply(self.doc, self.section.number, s.paragraph.number)
        return None


class AheadScreen(Screen):
    """A section the group has not reached: when it is scheduled, and a private reveal."""

    def __init__(self, doc: Document, section: Section, due: datetime) -> None:
        self.doc = doc
        self.section = section
        self.due = due

    def embed(self) -> discord.Embed:
        title = cut(f"§ {self.section.number} {self.section.title}", EMBED_TITLE)[0]
        note = scheduled_note(self.section.number, self.due)
        text = f"{note} The group has not reached it yet; reveal it to read it privately."
        embed = discord.Embed(title=title, description=text, colour=COLOUR)
        embed.set_footer(text=cut(self.doc.title, 512)[0])
        return embed

    def buttons(self) -> list[Button]:
        return [Button("reveal", REVEAL, owner_only=False)]

    def press(self, key: str) -> Reply | None:
        return Reply.of(SectionScreen(self.doc, self.section), ephemeral=True)


def section_reply(services: Services, name: str, guard: Guard | None = None) -> Reply:
    """What ``/section`` answers; the console calls this too."""
    text = validate_query(name, limit=MAX_CHOICE_CHARS)
    try:
        hit = services.index.resolve_section(text)
    except NotFound:
        suggestions = services.index.suggestions(text)
        if not suggestions:
            raise  # the core's own words: "There is no section 9; sections run from 1 to 7."
        return no_match("section", text, suggestions)
    doc = services.document(hit.document)
    if doc is None or not 1 <= hit.number <= len(doc.sections):
        return notice("That section is no longer in the index.")
    due = guard.ahead(doc.id, hit.number) if guard is not None else None
    if due is not None:
        return Reply.of(AheadScreen(doc, doc.section(hit.number), due))
    return Reply.of(SectionScreen(doc, doc.section(hit.number)))


class Sections(commands.Cog):
    def __init__(self, services: Services) -> None:
        self.services = services

    @app_commands.allowed_installs(guilds=True, users=False)
    @app_commands.allowed_contexts(guilds=True, dms=True, private_channels=False)
    @app_commands.command(name="section", description="Read a section of the essay.")
    @app_commands.describe(name="The section's number or title")
    async def section(
        self,
        interaction: discord.Interaction[Any],
        name: app_commands.Range[str, 1, MAX_CHOICE_CHARS],
    ) -> None:
        guild = str(interaction.guild_id) if interaction.guild_id is not None else None
        guard = await guard_for(self.services, guild)
        await send_reply(interaction, section_reply(self.services, name, guard))

    @section.autocomplete("name")
    async def complete_name(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        return choices(self.services.index.complete_sections(current))


async def setup(bot: Host) -> None:
    await bot.add_cog(Sections(bot.services))
