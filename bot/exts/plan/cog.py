"""``/plan show`` for everyone, ``/plan-admin …`` for moderators, and the timer that posts.

Discord hides commands per top-level command only, so the moderator actions live in
their own top-level command (``default_permissions``: Manage Server) and each callback
checks the permission again (a server can change who sees a command).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.core.plan.scheduler import Scheduler
from bot.core.plan.times import zone_names, zone_suggestions
from bot.exts.plan import actions
from bot.exts.plan.timer import DiscordPoster, PlanTimer, ReadButton, lacking_note
from bot.exts.prompts import caller_of
from bot.services import Services
from bot.ui.essays import essay_choices
from bot.ui.host import Host
from bot.ui.render import Reply
from bot.ui.views import deferred

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

Choices = list[app_commands.Choice[str]]
Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Every = Literal["day", "weekday", "week"]
SERVERS_ONLY = app_commands.AppCommandContext(guild=True)
SERVER_INSTALL = app_commands.AppInstallationType(guild=True)


class PlanCog(commands.Cog):
    """The reading plan on Discord: commands, the "Read" button and the timer."""

    plan = app_commands.Group(
        name="plan",
        description="This server's reading plan.",
        allowed_contexts=SERVERS_ONLY,
        allowed_installs=SERVER_INSTALL,
    )
    admin = app_commands.Group(
        name="plan-admin",
        description="Start, pause, resume, skip or stop the reading plan (moderators).",
        allowed_contexts=SERVERS_ONLY,
        allowed_installs=SERVER_INSTALL,
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: commands.Bot | commands.AutoShardedBot, services: Services) -> None:
        self.bot = bot
        self.services = services
        poster = DiscordPoster(bot, services.plans)
        self.timer = PlanTimer(Scheduler(services.plans, poster), bot.wait_until_ready)

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(ReadButton)
        # another process on the same database may change a schedule this one serves
        self._unhear = await self.services.plans.store.on_change(self.timer.wake)
        self.timer.start()

    async def cog_unload(self) -> None:
        await self._unhear()
        await self.timer.stop()
        self.bot.remove_dynamic_items(ReadButton)

    # -- permissions that change later --

    @commands.Cog.listener()
    async def on_guild_channel_update(
        self, before: discord.abc.GuildChannel, after: discord.abc.GuildChannel
    ) -> None:
        await self._recheck(after.guild)

    @commands.Cog.listener()
    async def on_guild_role_update(self, before: discord.Role, after: discord.Role) -> None:
        await self._recheck(after.guild)

    async def _recheck(self, guild: discord.Guild) -> None:
        """Record (and log) what the bot now lacks in the plan's channel, if that changed."""
        plan = await self.services.plans.store.current_plan(str(guild.id))
        if plan is None or not plan.live:
            return
        channel = guild.get_channel(int(plan.channel))
        if not isinstance(channel, discord.TextChannel):
            return
        problem = lacking_note(channel)
        if problem != plan.problem:
            if problem is not None:
                log.warning("plan in guild %s: %s", guild.id, problem)
            else:
                log.info("plan in guild %s: permissions restored", guild.id)
            await self.services.plans.note_problem(plan.id, problem)

    # -- everyone --

    @plan.command(name="show", description="The reading plan: every session and when it is.")
    async def show(self, interaction: discord.Interaction[Any]) -> None:
        caller = caller_of(interaction)
        await deferred(
            interaction, lambda: actions.show_reply(self.services, caller), ephemeral=True
        )

    # -- moderators --

    @admin.command(name="start", description="Start (or replace) the reading plan.")
    @app_commands.describe(
        channel="Where each session is posted",
        every="How often a session comes",
        time="Local time of each session, HH:MM (24-hour clock)",
        timezone="Your time zone, e.g. Europe/Paris (keeps the time right across DST)",
        day="The day, for a weekly plan",
        start="First day, YYYY-MM-DD (default: today)",
        sections="Sections per session (default 1)",
        essay="Which essay, when several are loaded",
    )
    async def start(
        self,
        interaction: discord.Interaction[Any],
        channel: discord.TextChannel,
        every: Every,
        time: app_commands.Range[str, 4, 5],
        timezone: app_commands.Range[str, 1, 64],
        day: Day | None = None,
        start: app_commands.Range[str, 10, 10] | None = None,
        sections: app_commands.Range[int, 1, 100] = 1,
        essay: app_commands.Range[str, 1, 100] | None = None,
    ) -> None:
        caller = caller_of(interaction)
        missing = lacking_note(channel)
        if missing:
            log.warning("plan in guild %s: %s", channel.guild.id, missing)

        async def make() -> Reply:
            return await actions.start_reply(
                self.services,
                caller,
                channel=str(channel.id),
                every=every,
                at=time,
                tz=timezone,
                day=day,
                start=start,
                per_session=sections,
                essay=essay,
                missing=missing,
            )

        await self._moderate(interaction, make)

    @admin.command(name="pause", description="Pause the plan; nothing is posted until resumed.")
    async def pause(self, interaction: discord.Interaction[Any]) -> None:
        caller = caller_of(interaction)
        await self._moderate(interaction, lambda: actions.pause_reply(self.services, caller))

    @admin.command(name="resume", description="Resume the plan; the remaining sessions move.")
    async def resume(self, interaction: discord.Interaction[Any]) -> None:
        caller = caller_of(interaction)
        await self._moderate(interaction, lambda: actions.resume_reply(self.services, caller))

    @admin.command(name="skip", description="Skip the next session (it is not posted).")
    async def skip(self, interaction: discord.Interaction[Any]) -> None:
        caller = caller_of(interaction)
        await self._moderate(interaction, lambda: actions.skip_reply(self.services, caller))

    @admin.command(name="stop", description="Stop the plan; nothing more is posted.")
    async def stop(self, interaction: discord.Interaction[Any]) -> None:
        caller = caller_of(interaction)
        await self._moderate(interaction, lambda: actions.stop_reply(self.services, caller))

    @admin.command(name="spoiler-guard", description="Hide answers from sections not reached.")
    @app_commands.describe(on="On: answers ahead of the plan are hidden; off: shown to all")
    async def spoiler_guard(self, interaction: discord.Interaction[Any], on: bool) -> None:
        caller = caller_of(interaction)
        await self._moderate(interaction, lambda: actions.guard_reply(self.services, caller, on))

    @admin.command(name="essay", description="Choose the essay this server reads now.")
    @app_commands.describe(essay="The essay look-ups answer from (the plan's, if not chosen)")
    async def essay(
        self, interaction: discord.Interaction[Any], essay: app_commands.Range[str, 1, 100]
    ) -> None:
        caller = caller_of(interaction)
        await self._moderate(interaction, lambda: actions.essay_reply(self.services, caller, essay))

    async def _moderate(
        self, interaction: discord.Interaction[Any], make: Callable[[], Awaitable[Reply]]
    ) -> None:
        """Answer privately, then wake the timer: the schedule may have changed."""
        try:
            await deferred(interaction, make, ephemeral=True)
        finally:
            self.timer.wake()

    @start.autocomplete("timezone")
    async def complete_zone(self, interaction: discord.Interaction[Any], current: str) -> Choices:
        typed = current.strip()
        if not typed:
            names = ["UTC", "Europe/London", "Europe/Paris", "America/New_York", "Asia/Tokyo"]
        else:
            folded = typed.casefold()
            names = [n for n in zone_names() if folded in n.casefold()][:25]
            if not names:
                names = zone_suggestions(typed)
        return [app_commands.Choice(name=n, value=n) for n in names[:25]]

    @start.autocomplete("essay")
    @essay.autocomplete("essay")
    async def complete_essay(self, interaction: discord.Interaction[Any], current: str) -> Choices:
        return essay_choices(self.services, current)


async def setup(bot: Host) -> None:
    services = bot.services
    if not isinstance(bot, commands.Bot | commands.AutoShardedBot):  # the timer needs the client
        raise TypeError("the plan extension runs inside a discord.py Bot")
    await bot.add_cog(PlanCog(bot, services))
