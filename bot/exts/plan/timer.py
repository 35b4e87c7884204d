"""The plan timer and the Discord side of posting a session.

RoboDanny's reminder cog is the model: one task sleeps until the next due time it reads
from the database (``discord.utils.sleep_until``) and is woken early when a plan changes;
there is no polling loop and no schedule held only in memory. What to do when it wakes
is ``bot.core.plan.scheduler``'s business.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import aiohttp
import discord

from bot.core.plan.model import Plan, Session
from bot.core.plan.scheduler import PostFailed, Scheduler, utc_now
from bot.core.plan.service import PlanService, SessionPost
from bot.exts.plan.render import is_session_post, session_embed
from bot.ui.views import admit, send_reply

log = logging.getLogger(__name__)

#: After an unexpected error the timer waits this long rather than spinning.
ERROR_PAUSE = timedelta(seconds=30)
#: On shutdown, how long a post under way may take to finish before it is cut short.
STOP_GRACE = 10.0
#: How far back from a session's time a restart looks for a post it did not record.
LOOK_BACK = timedelta(minutes=1)
LOOK_LIMIT = 200
THREAD_EXISTS = 160004
#: What the bot needs in a plan's channel, with the names Discord shows.
NEEDED = {
    "view_channel": "View Channel",
    "send_messages": "Send Messages",
    "embed_links": "Embed Links",
    "create_public_threads": "Create Public Threads",
    "read_message_history": "Read Message History",
}


def missing_permissions(perms: discord.Permissions) -> list[str]:
    return [label for name, label in NEEDED.items() if not getattr(perms, name)]


def lacking_note(channel: discord.TextChannel | discord.Thread) -> str | None:
    """ "I lack Send Messages, … in #channel." for what the bot misses there, or ``None``.

    The one wording for a plan's permission problem: said when the plan starts, kept
    when a post is refused, and updated when the channel or the bot's roles change.
    """
    me = channel.guild.me
    lacking = missing_permissions(channel.permissions_for(me)) if me is not None else []
    return f"I lack {', '.join(lacking)} in <#{channel.id}>." if lacking else None


class PlanTimer:
    """One task: run what is due, then sleep until the next due time or a wake-up."""

    def __init__(self, scheduler: Scheduler, ready: Callable[[], Awaitable[Any]]) -> None:
        self.scheduler = scheduler
        self._ready = ready
        self._changed = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="plan-timer")

    def wake(self) -> None:
        """A plan changed: look at the database again now."""
        self._changed.set()

    async def stop(self) -> None:
        """Let a post under way finish (up to ``STOP_GRACE``), then stop.

        A post cut short all the same keeps its recorded intent, and the next start
        looks for it in the channel before sending it again.
        """
        self._stopping = True
        if self._task is not None:
            try:
                await asyncio.wait_for(self._idle.wait(), STOP_GRACE)
            except TimeoutError:
                log.warning("a session post was still under way at shutdown")
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        await self._ready()
        while not self._stopping:
            self._changed.clear()
            self._idle.clear()
            try:
                await self.scheduler.run_due()
                when = await self.scheduler.next_wake()
            except Exception:
                log.exception("the plan timer failed; trying again in %s", ERROR_PAUSE)
                when = utc_now() + ERROR_PAUSE
            finally:
                self._idle.set()
            await self._sleep(when)

    async def _sleep(self, when: datetime | None) -> None:
        waits: set[asyncio.Future[Any]] = {asyncio.ensure_future(self._changed.wait())}
        if when is not None:
            waits.add(asyncio.ensure_future(discord.utils.sleep_until(when)))
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiting in waits:
                waiting.cancel()


class DiscordPoster:
    """Posts sessions with discord.py; every failure becomes a ``PostFailed`` with a reason."""

    def __init__(self, client: discord.Client, plans: PlanService) -> None:
        self.client = client
        self.plans = plans

    async def post(self, plan: Plan, session: Session, content: SessionPost) -> str:
        channel = await self._channel(plan)
        view = discord.ui.View(timeout=None)
        view.add_item(ReadButton(session.plan, session.number, session.sections))
        try:
            message = await channel.send(
                embed=session_embed(content),
                view=view,
                nonce=session.key,  # discord.py adds enforce_nonce: Discord refuses repeats
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.Forbidden as exc:
            problem = lacking_note(channel) or f"Discord refused my post in <#{plan.channel}>."
            await self.plans.note_problem(plan.id, problem)
            raise PostFailed(problem) from exc
        except discord.HTTPException as exc:
            raise PostFailed(f"Discord answered {exc.status} ({exc.text or exc.code})") from exc
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise PostFailed(f"Discord could not be reached ({type(exc).__name__})") from exc
        if plan.problem is not None:
            await self.plans.note_problem(plan.id, None)
        return str(message.id)

    async def find(self, plan: Plan, session: Session) -> str | None:
        channel = await self._channel(plan)
        me = self.client.user
        after = discord.Object(discord.utils.time_snowflake(session.due_at - LOOK_BACK))
        try:
            async for message in channel.history(limit=LOOK_LIMIT, after=after, oldest_first=True):
                if me is None or message.author.id != me.id:
                    continue
                if str(message.nonce) == session.key or any(
                    is_session_post(embed, session.key) for embed in message.embeds
                ):
                    return str(message.id)
        except discord.HTTPException as exc:
            raise PostFailed(f"cannot read the channel's history ({exc.status})") from exc
        return None

    async def open_thread(self, plan: Plan, session: Session, message: str, name: str) -> str:
        channel = await self._channel(plan)
        if not isinstance(channel, discord.TextChannel):
            raise PostFailed("threads open only in text channels")
        try:
            thread = await channel.get_partial_message(int(message)).create_thread(
                name=name, auto_archive_duration=1440
            )
        except discord.HTTPException as exc:
            if exc.code == THREAD_EXISTS:  # a restart opened it already: same id as the post
                return message
            raise PostFailed(f"Discord answered {exc.status} ({exc.text or exc.code})") from exc
        return str(thread.id)

    async def _channel(self, plan: Plan) -> discord.TextChannel | discord.Thread:
        channel: Any = self.client.get_channel(int(plan.channel))
        if channel is None:
            try:
                channel = await self.client.fetch_channel(int(plan.channel))
            except discord.NotFound as exc:
                raise PostFailed("the plan's channel no longer exists") from exc
            except discord.Forbidden as exc:
                raise PostFailed("I cannot see the plan's channel") from exc
            except discord.HTTPException as exc:
                raise PostFailed(f"Discord answered {exc.status}") from exc
        if not isinstance(channel, discord.TextChannel | discord.Thread):
            raise PostFailed("the plan's channel is not a text channel")
        return channel


class ReadButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"plan-read:(?P<plan>\d+):(?P<number>\d+):(?P<first>\d+)-(?P<last>\d+)",
):
    """ "Read § 3" under a session's post: the whole section, privately, paged.

    Dynamic, so it keeps working after a restart: the ids it needs are in its custom id.
    """

    def __init__(self, plan: int, number: int, sections: list[int]) -> None:
        first, last = sections[0], sections[-1]
        label = f"Read § {first}" if first == last else f"Read §§ {first}–{last}"
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.primary,
                custom_id=f"plan-read:{plan}:{number}:{first}-{last}",
            )
        )
        self.plan = plan
        self.number = number

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> ReadButton:
        first, last = int(match["first"]), int(match["last"])
        return cls(int(match["plan"]), int(match["number"]), list(range(first, last + 1)))

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        return await admit(interaction)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        from bot.exts.plan.actions import read_reply

        services = getattr(interaction.client, "services", None)
        if services is None:  # pragma: no cover - only the essay bot sends these buttons
            return
        await send_reply(interaction, await read_reply(services, self.plan, self.number))
