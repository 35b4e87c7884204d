"""``/prompt`` and ``/prompts-admin``: the per-server discussion prompts, over ``PromptService``.

Behaviour (validation, linking, permissions on removal, logging) lives in the
service; this module turns its results into replies and its checks into Discord's
cooldowns and permission checks. The console calls the same ``*_reply`` functions.

Discord hides commands from members by ``default_permissions``, which it applies
per top-level command only; so what moderators do (export, removing or restoring
anyone's prompt) is its own top-level ``/prompts-admin``, still checked in the
callbacks, while ``/prompt remove|restore`` act on the member's own prompts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.errors import Forbidden, UserError
from bot.core.prompts import MAX_LENGTH, MIN_LENGTH, Prompt, SimilarPrompt
from bot.core.search import MAX_CHOICE_CHARS
from bot.services import Caller, Services
from bot.ui.host import Host
from bot.ui.render import (
    COLOUR,
    EMBED_DESCRIPTION,
    EMBED_TITLE,
    FIELD_VALUE,
    Attachment,
    Button,
    LaterUpdate,
    Pager,
    Reply,
    Screen,
    Where,
    choices,
    citation,
    cut,
    escape,
    notice,
    plural,
)
from bot.ui.views import deferred

PER_SERVER = "Prompts are kept per server: use /prompt in a server channel, not in a DM."
PER_PAGE = 5
ChoiceList = list[app_commands.Choice[str]]  # spelled here: in the cog, ``list`` is a command


def require_guild(caller: Caller) -> str:
    if caller.guild is None:
        raise UserError(PER_SERVER)
    return caller.guild


def _who(prompt: Prompt) -> str:
    if prompt.builtin:
        return "essay-bot (built in)"
    # A mention in an embed shows the member's name and never pings.
    return f"<@{prompt.author}>" if prompt.author.isdigit() else escape(prompt.author)


def _link(services: Services, prompt: Prompt) -> str | None:
    if prompt.section is None:
        return None
    doc = services.document(prompt.document) if prompt.document else None
    if doc is None and len(services.index.library.documents) == 1:
        doc = services.index.library.documents[0]
    title = ""
    if doc is not None and 1 <= prompt.section <= len(doc.sections):
        title = doc.section(prompt.section).title
    return citation(doc, prompt.section, title, prompt.paragraph)


def _passage(services: Services, prompt: Prompt) -> str | None:
    if prompt.section is None or prompt.paragraph is None or prompt.document is None:
        return None
    doc = services.document(prompt.document)
    if doc is None or not 1 <= prompt.section <= len(doc.sections):
        return None
    paragraphs = doc.section(prompt.section).paragraphs
    if not 1 <= prompt.paragraph <= len(paragraphs):
        return None
    return paragraphs[prompt.paragraph - 1].text


def prompt_embed(services: Services, prompt: Prompt, *, passage: bool = False) -> discord.Embed:
    title = "Built-in prompt" if prompt.builtin else f"Prompt #{prompt.number}"
    embed = discord.Embed(
        title=cut(title, EMBED_TITLE)[0],
        description=cut(escape(prompt.text), EMBED_DESCRIPTION)[0],
        colour=COLOUR,
    )
    link = _link(services, prompt)
    if link is not None:
        text = _passage(services, prompt) if passage else None
        value = cut(escape(text), FIELD_VALUE - len(link) - 2)[0] + f"\n{link}" if text else link
        embed.add_field(name="About", value=cut(value, FIELD_VALUE)[0], inline=False)
    embed.add_field(name="Proposed by", value=_who(prompt))
    if prompt.status == "removed":
        embed.add_field(name="Status", value="removed")
    return embed


def _added(services: Services, prompt: Prompt, created: bool) -> tuple[str, discord.Embed]:
    if created:
        message = f"Added as prompt #{prompt.number}."
    else:
        message = f"That prompt is already here, as #{prompt.number}."
    return message, prompt_embed(services, prompt)


async def add_reply(
    services: Services, caller: Caller, text: str, section: str | None, *, force: bool = False
) -> Reply:
    """Add, or ask first when it is nearly the same as one here (unless ``force``)."""
    guild = require_guild(caller)
    essay = await current_scope(services, caller)
    try:
        prompt, created = await services.prompts.add(
            guild=guild,
            channel=caller.channel,
            author=caller.user,
            text=text,
            section=section,
            essay=essay,
            force=force,
        )
    except SimilarPrompt as similar:
        screen = SimilarScreen(services, caller, text, (section, essay), similar)
        return Reply.of(screen, ephemeral=True)
    message, embed = _added(services, prompt, created)
    return Reply(content=message, embed=embed, ephemeral=True)


class SimilarScreen(Screen):
    """ "Similar to #12: …" with "Add anyway" and "Cancel": the member decides, once."""

    def __init__(
        self,
        services: Services,
        caller: Caller,
        text: str,
        where: tuple[str | None, str | None],
        similar: SimilarPrompt,
    ) -> None:
        self.services = services
        self.caller = caller
        self.text = text
        self.section, self.essay = where  # as typed, and the essay it was looked up in
        self.similar = similar
        self.outcome: discord.Embed | None = None  # set once the member has decided

    def embed(self) -> discord.Embed:
        if self.outcome is not None:
            return self.outcome
        embed = prompt_embed(self.services, self.similar.similar)
        embed.title = cut(f"Similar to #{self.similar.similar.number}", EMBED_TITLE)[0]
        embed.set_footer(text="Add yours anyway, or cancel and use that one.")
        return embed

    def buttons(self) -> list[Button]:
        if self.outcome is not None:
            return []
        return [Button("add", "Add anyway", primary=True), Button("cancel", "Cancel")]

    def press(self, key: str) -> LaterUpdate | None:
        if self.outcome is not None:
            return None  # decided already (a second, late press): show the outcome
        if key == "cancel":
            self.outcome = discord.Embed(description="Not added.", colour=COLOUR)
            return None
        # Decided now, so a second press while the add runs adds nothing more.
        self.outcome = discord.Embed(description="Adding…", colour=COLOUR)
        return LaterUpdate(self._add)

    async def _add(self, where: Where) -> None:
        try:
            prompt, created = await self.services.prompts.add(
                guild=require_guild(self.caller),
                channel=self.caller.channel,
                author=self.caller.user,
                text=self.text,
                section=self.section,
                essay=self.essay,
                force=True,
            )
        except UserError as exc:
            self.outcome = discord.Embed(description=cut(str(exc), 4000)[0], colour=COLOUR)
            return
        message, embed = _added(self.services, prompt, created)
        embed.title = cut(message, EMBED_TITLE)[0]
        self.outcome = embed


async def current_scope(services: Services, caller: Caller) -> str | None:
    """The server's current essay: where ``section:`` names are looked up and what
    ``/prompt random`` draws from (``None``: no plan chose one, so every essay)."""
    return await services.plans.scope(caller.guild, None)


async def random_reply(services: Services, caller: Caller, section: str | None) -> Reply:
    guild = require_guild(caller)
    essay = await current_scope(services, caller)
    prompt = await services.prompts.random(
        guild=guild, channel=caller.channel, actor=caller.user, section=section, essay=essay
    )
    name = prompt.text if prompt.builtin else f"#{prompt.number} {prompt.text}"
    return Reply(
        embed=prompt_embed(services, prompt, passage=True),
        thread_name=cut(name, 100)[0],
    )


class PromptListScreen(Pager):
    def __init__(self, services: Services, prompts: Sequence[Prompt], title: str) -> None:
        super().__init__()
        self.services = services
        self.prompts = list(prompts)
        self.title = title

    def page_count(self) -> int:
        return max(1, -(-len(self.prompts) // PER_PAGE))

    def page(self, number: int) -> discord.Embed:
        embed = discord.Embed(title=cut(self.title, EMBED_TITLE)[0], colour=COLOUR)
        for prompt in self.prompts[number * PER_PAGE : (number + 1) * PER_PAGE]:
            where = f" · § {prompt.section}" if prompt.section is not None else ""
            state = " · removed" if prompt.status == "removed" else ""
            value = f"{cut(escape(prompt.text), 600)[0]}\n— {_who(prompt)}"
            embed.add_field(name=f"#{prompt.number}{where}{state}", value=value, inline=False)
        embed.set_footer(
            text=f"{plural(len(self.prompts), 'prompt')} · page {number + 1} of {self.page_count()}"
        )
        return embed


async def list_reply(
    services: Services,
    caller: Caller,
    section: str | None = None,
    author: str | None = None,
    include_removed: bool = False,
) -> Reply:
    guild = require_guild(caller)
    prompts = await services.prompts.list(
        guild=guild,
        section=section,
        essay=await current_scope(services, caller),
        author=author,
        include_removed=include_removed,
    )
    if not prompts:
        return notice("No prompts match yet. Propose one with /prompt add.")
    return Reply.of(PromptListScreen(services, prompts, "Discussion prompts"), ephemeral=True)


async def remove_reply(services: Services, caller: Caller, number: int) -> Reply:
    guild = require_guild(caller)
    prompt = await services.prompts.remove(
        guild=guild,
        number=number,
        actor=caller.user,
        can_moderate=caller.can_moderate,
        channel=caller.channel,
    )
    return notice(
        f"Prompt #{prompt.number} removed. /prompt restore {prompt.number} brings it back."
    )


async def restore_reply(services: Services, caller: Caller, number: int) -> Reply:
    guild = require_guild(caller)
    prompt = await services.prompts.restore(
        guild=guild,
        number=number,
        actor=caller.user,
        can_moderate=caller.can_moderate,
        channel=caller.channel,
    )
    return notice(f"Prompt #{prompt.number} restored.")


async def export_reply(services: Services, caller: Caller) -> Reply:
    guild = require_guild(caller)
    if not caller.can_manage_guild:
        raise Forbidden("Only members with Manage Server can export the prompts.")
    csv_data, json_data = await services.prompts.export(guild=guild)
    return Reply(
        content="This server's prompts and their history.",
        files=(
            Attachment(f"prompts-{guild}.csv", csv_data),
            Attachment(f"prompts-{guild}.json", json_data),
        ),
        ephemeral=True,
    )


def caller_of(interaction: discord.Interaction[Any]) -> Caller:
    perms = interaction.permissions
    return Caller(
        user=str(interaction.user.id),
        guild=str(interaction.guild_id) if interaction.guild_id is not None else None,
        channel=str(interaction.channel_id) if interaction.channel_id is not None else None,
        can_moderate=perms.manage_messages,
        can_manage_guild=perms.manage_guild,
    )


def as_member(caller: Caller) -> Caller:
    """The caller acting on their own prompts only, whatever their permissions."""
    return Caller(user=caller.user, guild=caller.guild, channel=caller.channel)


def _per_member(interaction: discord.Interaction[Any]) -> tuple[int | None, int]:
    return (interaction.guild_id, interaction.user.id)


SectionOption = app_commands.Range[str, 1, MAX_CHOICE_CHARS]
PromptNumber = app_commands.Range[int, 1, None]


@app_commands.allowed_installs(guilds=True, users=False)
@app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
class Prompts(
    commands.GroupCog,
    group_name="prompt",
    group_description="Discussion prompts for this server.",
):
    def __init__(self, services: Services) -> None:
        self.services = services
        super().__init__()

    @app_commands.command(name="add", description="Propose a discussion prompt.")
    @app_commands.describe(
        text=f"The question to discuss ({MIN_LENGTH}-{MAX_LENGTH} characters)",
        section="The section it is about (default: the best matching passage)",
    )
    @app_commands.checks.cooldown(3, 60.0, key=_per_member)
    async def add(
        self,
        interaction: discord.Interaction[Any],
        text: app_commands.Range[str, MIN_LENGTH, MAX_LENGTH],
        section: SectionOption | None = None,
    ) -> None:
        caller = caller_of(interaction)
        await deferred(
            interaction, lambda: add_reply(self.services, caller, text, section), ephemeral=True
        )

    @app_commands.command(name="random", description="Post a prompt here and open a thread on it.")
    @app_commands.describe(section="Only prompts about this section")
    @app_commands.checks.cooldown(1, 30.0, key=_per_member)
    async def random(
        self, interaction: discord.Interaction[Any], section: SectionOption | None = None
    ) -> None:
        caller = caller_of(interaction)
        guild = require_guild(caller)

        async def check() -> None:  # refusals are said privately, before deferring publicly
            essay = await current_scope(self.services, caller)
            await self.services.prompts.check_random(guild=guild, section=section, essay=essay)

        await deferred(
            interaction,
            lambda: random_reply(self.services, caller, section),
            ephemeral=False,
            check=check,
        )

    @app_commands.command(name="list", description="This server's prompts, newest first.")
    @app_commands.describe(
        section="Only prompts about this section", author="Only prompts by this member"
    )
    async def list(
        self,
        interaction: discord.Interaction[Any],
        section: SectionOption | None = None,
        author: discord.User | None = None,
    ) -> None:
        caller = caller_of(interaction)
        who = str(author.id) if author is not None else None
        await deferred(
            interaction, lambda: list_reply(self.services, caller, section, who), ephemeral=True
        )

    @app_commands.command(name="remove", description="Remove one of your prompts.")
    @app_commands.describe(number="The prompt's number in this server")
    async def remove(self, interaction: discord.Interaction[Any], number: PromptNumber) -> None:
        caller = as_member(caller_of(interaction))
        await deferred(
            interaction, lambda: remove_reply(self.services, caller, number), ephemeral=True
        )

    @app_commands.command(name="restore", description="Bring back one of your removed prompts.")
    @app_commands.describe(number="The prompt's number in this server")
    async def restore(self, interaction: discord.Interaction[Any], number: PromptNumber) -> None:
        caller = as_member(caller_of(interaction))
        await deferred(
            interaction, lambda: restore_reply(self.services, caller, number), ephemeral=True
        )

    @add.autocomplete("section")
    @random.autocomplete("section")
    @list.autocomplete("section")
    async def complete_section(
        self, interaction: discord.Interaction[Any], current: str
    ) -> ChoiceList:
        """The sections of the server's current essay (where the command looks them up)."""
        scope = await current_scope(self.services, caller_of(interaction))
        return choices(self.services.index.complete_sections(current, document=scope))


@app_commands.allowed_installs(guilds=True, users=False)
@app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
@app_commands.default_permissions(manage_messages=True)
class PromptsAdmin(
    commands.GroupCog,
    group_name="prompts-admin",
    group_description="Moderate this server's discussion prompts.",
):
    """Shown only to members with Manage Messages (a server may change that in its settings)."""

    def __init__(self, services: Services) -> None:
        self.services = services
        super().__init__()

    @app_commands.command(name="remove", description="Remove any prompt in this server.")
    @app_commands.describe(number="The prompt's number in this server")
    @app_commands.checks.has_permissions(manage_messages=True)
    async def remove(self, interaction: discord.Interaction[Any], number: PromptNumber) -> None:
        caller = caller_of(interaction)
        await deferred(
            interaction, lambda: remove_reply(self.services, caller, number), ephemeral=True
        )

    @app_commands.command(name="restore", description="Bring back any removed prompt.")
    @app_commands.describe(number="The prompt's number in this server")
    @app_commands.checks.has_permissions(manage_messages=True)
    async def restore(self, interaction: discord.Interaction[Any], number: PromptNumber) -> None:
        caller = caller_of(interaction)
        await deferred(
            interaction, lambda: restore_reply(self.services, caller, number), ephemeral=True
        )

    @app_commands.command(name="export", description="Download this server's prompts (CSV, JSON).")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def export(self, interaction: discord.Interaction[Any]) -> None:
        caller = caller_of(interaction)
        await deferred(interaction, lambda: export_reply(self.services, caller), ephemeral=True)


async def setup(bot: Host) -> None:
    await bot.add_cog(Prompts(bot.services))
    await bot.add_cog(PromptsAdmin(bot.services))
