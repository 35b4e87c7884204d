"""Sending a ``Reply`` through Discord, and the view that drives a ``Screen``'s buttons.

Every press on a screen's buttons gets an answer. discord.py routes a press to the
button object it registered when the message was last sent, and registers a
message's buttons only once Discord's answer to that send has come back; so a view
keeps its button objects for its whole life and updates them in place, and the bot
hands any press that no view took (one that arrived before the registration, or on
a button that left the screen, or after a restart) to ``answer_unclaimed``.

On timeout the buttons are greyed out by editing the message with the token of the
latest interaction that edited it, and the timeout never outlives that token.
"""

from __future__ import annotations

import asyncio
import io
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, runtime_checkable

import aiohttp
import discord

from bot.ui.errors import report_error
from bot.ui.render import BUTTON_LABEL, Button, LaterReply, LaterUpdate, Reply, Screen

log = logging.getLogger(__name__)

#: custom_id scheme of screen buttons: ``screen:<view prefix>:<button key>``.
SCREEN_PREFIX = "screen"
EXPIRED = "These buttons have expired (the bot restarted or time ran out); run the command again."
NOT_YOURS = "Only the person who ran the command can turn these pages."
#: How long buttons stay live after the last page turn.
VIEW_TIMEOUT = 600.0
#: An interaction token is valid for 15 minutes (Discord, receiving-and-responding).
TOKEN_LIFETIME = 15 * 60.0
#: The greying-out edit lands at least this long before the token it uses expires.
TOKEN_MARGIN = 60.0
#: Key in ``Interaction.extras``: a live view has taken this press.
_CLAIMED = "screen-view-claimed"


@runtime_checkable
class ScreenHost(Protocol):
    """What a view needs from the bot: its admission of interactions, and the live screens."""

    screens: ScreenRegistry

    async def admit(self, interaction: discord.Interaction[Any], /) -> bool: ...


class ScreenRegistry:
    """The live views by custom_id prefix, so a press no view took can still reach its view."""

    def __init__(self) -> None:
        self._views: dict[str, ScreenView] = {}

    def add(self, view: ScreenView) -> None:
        self._views[view.prefix] = view

    def discard(self, view: ScreenView) -> None:
        self._views.pop(view.prefix, None)

    def get(self, prefix: str) -> ScreenView | None:
        view = self._views.get(prefix)
        return view if view is not None and not view.is_finished() else None


async def admit(interaction: discord.Interaction[Any]) -> bool:
    """The bot's admission (counted in for shutdown, or turned away while it drains)."""
    client = interaction.client
    return await client.admit(interaction) if isinstance(client, ScreenHost) else True


class ScreenButton(discord.ui.Button["ScreenView"]):
    """One button of a screen; its object and custom id stay the same while the view lives."""

    def __init__(self, owner: ScreenView, spec: Button) -> None:
        super().__init__(custom_id=f"{SCREEN_PREFIX}:{owner.prefix}:{spec.key}"[:100])
        self.owner = owner
        self.spec = spec
        self.show(spec)

    def show(self, spec: Button) -> None:
        """Take the label and state the screen wants now, in place."""
        self.spec = spec
        self.label = spec.label[:BUTTON_LABEL]
        self.disabled = spec.disabled
        self.style = discord.ButtonStyle.primary if spec.primary else discord.ButtonStyle.secondary

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await self.owner.pressed(interaction, self.spec)


class ScreenView(discord.ui.View):
    """Buttons for a ``Screen``: only the invoker pages, and on timeout they grey out."""

    def __init__(self, screen: Screen, interaction: discord.Interaction[Any]) -> None:
        super().__init__(timeout=VIEW_TIMEOUT)
        self.screen = screen
        self.owner_id = interaction.user.id
        self.prefix = uuid.uuid4().hex
        self._buttons: dict[str, ScreenButton] = {}
        self._registry: ScreenRegistry | None = None
        # The interaction whose token edits the message: the command's, then each page
        # turn's. Editing through a token needs no message fetch and works when ephemeral.
        self.editor = interaction
        self._token_deadline = 0.0
        self.renew(interaction)
        self.refresh()

    def refresh(self) -> None:
        """Show the screen's buttons now, reusing each key's button object.

        Re-adding happens without a pause, so no press can find a button detached;
        a button whose key left the screen is detached, and a late press on it goes
        to ``answer_unclaimed``, which still brings it here.
        """
        specs = self.screen.buttons()[:25]
        for spec in specs:
            button = self._buttons.get(spec.key)
            if button is None:
                self._buttons[spec.key] = ScreenButton(self, spec)
            else:
                button.show(spec)
        wanted = [self._buttons[spec.key] for spec in specs]
        if self.children != wanted:
            for child in self.children:
                self.remove_item(child)
            for button in wanted:
                self.add_item(button)

    def renew(self, interaction: discord.Interaction[Any]) -> None:
        """``interaction`` (just received) now edits the message: its token lives longer."""
        self.editor = interaction
        self._token_deadline = time.monotonic() + TOKEN_LIFETIME - TOKEN_MARGIN
        self._arm()

    def _arm(self) -> None:
        """Time out after ``VIEW_TIMEOUT``, but never after the editing token's deadline.

        discord.py restarts the timeout on every press it routes and on every send of
        the view; this puts the limit back after each.
        """
        remaining = self._token_deadline - time.monotonic()
        self.timeout = max(0.001, min(VIEW_TIMEOUT, remaining))

    def listen(self, registry: ScreenRegistry | None) -> None:
        """Register with the bot, so presses no view took still reach this view."""
        self._registry = registry
        if registry is not None:
            registry.add(self)

    async def pressed(self, interaction: discord.Interaction[Any], spec: Button) -> None:
        try:
            if spec.owner_only and interaction.user.id != self.owner_id:
                await interaction.response.send_message(NOT_YOURS, ephemeral=True)
                return
            result = self.screen.press(spec.key)
            if isinstance(result, LaterUpdate):
                self.renew(interaction)
                await interaction.response.defer()  # acknowledged; the message is edited after
                await result.run(interaction)
                self.refresh()
                await interaction.edit_original_response(embed=self.screen.embed(), view=self)
            elif isinstance(result, LaterReply):
                await interaction.response.defer(ephemeral=True, thinking=True)
                await send_reply(interaction, await result.run(interaction))
            elif result is None:
                self.refresh()
                self.renew(interaction)
                await interaction.response.edit_message(embed=self.screen.embed(), view=self)
            else:
                await send_reply(interaction, result)
        finally:
            self._arm()

    async def take(self, interaction: discord.Interaction[Any], key: str) -> None:
        """A press discord.py did not route to this view: handle it as if it had."""
        button = self._buttons.get(key)
        if button is None:
            await interaction.response.send_message(EXPIRED, ephemeral=True)
            return
        try:
            await self.pressed(interaction, button.spec)
        except Exception as exc:
            await self.on_error(interaction, exc, button)

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        interaction.extras[_CLAIMED] = True
        return await admit(interaction)

    async def on_timeout(self) -> None:
        if self._registry is not None:
            self._registry.discard(self)
        for button in self._buttons.values():
            button.disabled = True
        try:
            await self.editor.edit_original_response(view=self)
        except discord.HTTPException as exc:  # a deleted message: nothing to grey out
            log.debug("could not disable buttons on timeout: %s", exc)

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await report_error(interaction, error)


async def answer_unclaimed(interaction: discord.Interaction[Any], registry: ScreenRegistry) -> None:
    """Answer a press on screen buttons that no view took: via its live view, or "expired".

    Called from ``on_interaction``, whose task starts after the task in which
    discord.py runs a view's checks; a view that took the press has claimed it by then.
    """
    data: Any = interaction.data or {}
    scheme, _, rest = str(data.get("custom_id", "")).partition(":")
    if interaction.type is not discord.InteractionType.component or scheme != SCREEN_PREFIX:
        return
    await asyncio.sleep(0)  # let a view that took the press claim it first
    if interaction.extras.get(_CLAIMED) or not await admit(interaction):
        return
    prefix, _, key = rest.partition(":")
    view = registry.get(prefix)
    try:
        if view is not None:
            await view.take(interaction, key)
        else:
            await interaction.response.send_message(EXPIRED, ephemeral=True)
    except (discord.HTTPException, aiohttp.ClientError) as exc:
        log.debug("could not answer a press no view took: %s", exc)


def _files(reply: Reply) -> list[discord.File]:
    return [discord.File(io.BytesIO(a.data), filename=a.filename) for a in reply.files]


async def send_reply(interaction: discord.Interaction[Any], reply: Reply) -> None:
    """Answer ``interaction`` with ``reply``: as the response, or by editing a deferral."""
    view = None
    if reply.screen is not None:
        view = ScreenView(reply.screen, interaction)
        client = interaction.client
        view.listen(client.screens if isinstance(client, ScreenHost) else None)
    embed = reply.current_embed()
    message: discord.Message | None = None
    if interaction.response.is_done():
        message = await interaction.edit_original_response(
            content=reply.content,
            embed=embed,
            view=view,
            attachments=_files(reply),
        )
    else:
        kwargs: dict[str, Any] = {"ephemeral": reply.ephemeral}
        if embed is not None:
            kwargs["embed"] = embed
        if view is not None:
            kwargs["view"] = view
        if reply.files:
            kwargs["files"] = _files(reply)
        callback = await interaction.response.send_message(reply.content, **kwargs)
        if isinstance(callback.resource, discord.InteractionMessage):
            message = callback.resource
    if reply.thread_name and message is not None:
        await open_thread(interaction, message, reply.thread_name)


async def open_thread(
    interaction: discord.Interaction[Any], message: discord.Message, name: str
) -> None:
    """A discussion thread on a posted message, where the bot may open one."""
    if not isinstance(interaction.channel, discord.TextChannel):
        return
    if not interaction.app_permissions.create_public_threads:
        return
    try:
        await message.create_thread(name=name[:100], auto_archive_duration=1440)
    except (discord.HTTPException, ValueError) as exc:
        log.warning("could not open a thread for a posted prompt: %s", exc)


async def deferred(
    interaction: discord.Interaction[Any],
    make: Callable[[], Awaitable[Reply]],
    *,
    ephemeral: bool,
    check: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Defer (the work may pass Discord's 3 s), build the reply, then send it.

    Whatever follows a deferral has the deferral's visibility, so what may be
    refused is decided first: ``check`` raises the refusal (a ``UserError``), which
    the tree's error handler answers privately since nothing was sent yet. After
    the deferral every outcome, a late refusal or a failure, is said by editing the
    "thinking" message (``report_error``).
    """
    if check is not None:
        await check()
    await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    try:
        await send_reply(interaction, await make())
    except Exception as exc:
        await report_error(interaction, exc)
