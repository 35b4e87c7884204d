"""Sending a ``Reply`` through Discord, and the view that drives a ``Screen``'s buttons."""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import discord

from bot.app import SCREEN_PREFIX, EssayBot, admit
from bot.core.errors import UserError
from bot.exts.errors import report_error
from bot.exts.render import Button, Reply, Screen

log = logging.getLogger(__name__)

VIEW_TIMEOUT = 600.0  # well inside the 15 minutes an interaction token stays valid
NOT_YOURS = "Only the person who ran the command can turn these pages."


class ScreenButton(discord.ui.Button["ScreenView"]):
    def __init__(self, owner: ScreenView, spec: Button) -> None:
        super().__init__(
            label=spec.label[:80],
            custom_id=f"{SCREEN_PREFIX}:{owner.prefix}:{spec.key}"[:100],
            disabled=spec.disabled,
            style=discord.ButtonStyle.primary if spec.primary else discord.ButtonStyle.secondary,
        )
        self.owner = owner
        self.spec = spec

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await self.owner.pressed(interaction, self.spec)


class ScreenView(discord.ui.View):
    """Buttons for a ``Screen``: only the invoker pages, and on timeout they grey out."""

    def __init__(self, screen: Screen, owner_id: int, *, timeout: float | None) -> None:
        super().__init__(timeout=timeout)
        self.screen = screen
        self.owner_id = owner_id
        # The interaction whose original response carries this view: editing it through
        # the interaction token needs no message fetch and works for ephemeral messages.
        self.origin: discord.Interaction[Any] | None = None
        self.prefix = uuid.uuid4().hex
        self.client: EssayBot | None = None
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the buttons from the screen, keeping custom ids stable per key."""
        self.clear_items()
        for spec in self.screen.buttons()[:25]:
            self.add_item(ScreenButton(self, spec))

    async def pressed(self, interaction: discord.Interaction[Any], spec: Button) -> None:
        if spec.owner_only and interaction.user.id != self.owner_id:
            await interaction.response.send_message(NOT_YOURS, ephemeral=True)
            return
        result = self.screen.press(spec.key)
        if result is None:
            self.refresh()
            await interaction.response.edit_message(embed=self.screen.embed(), view=self)
        else:
            await send_reply(interaction, result)

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        return await admit(interaction)

    def listen(self, client: Any) -> None:
        """Tell the bot this view answers its own presses (see ``EssayBot.on_interaction``)."""
        if isinstance(client, EssayBot):
            self.client = client
            client.live_screens.add(self.prefix)

    async def on_timeout(self) -> None:
        if self.client is not None:
            self.client.live_screens.discard(self.prefix)
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.origin is None:
            return
        try:
            await self.origin.edit_original_response(view=self)
        except discord.HTTPException as exc:  # deleted message, expired token: nothing to grey out
            log.debug("could not disable buttons on timeout: %s", exc)

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any]
    ) -> None:
        await report_error(interaction, error)


def _files(reply: Reply) -> list[discord.File]:
    return [discord.File(io.BytesIO(a.data), filename=a.filename) for a in reply.files]


async def send_reply(interaction: discord.Interaction[Any], reply: Reply) -> None:
    """Answer ``interaction`` with ``reply``: as the response, or by editing a deferral."""
    view = None
    if reply.screen is not None:
        view = ScreenView(reply.screen, interaction.user.id, timeout=VIEW_TIMEOUT)
        view.listen(interaction.client)
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
    if view is not None:
        view.origin = interaction
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
) -> None:
    """Defer (the work may pass Discord's 3 s), build the reply, then send it.

    A public deferral would turn a refusal into a public message, so on a
    ``UserError`` the "thinking" message is deleted and the refusal sent privately.
    """
    await interaction.response.defer(ephemeral=ephemeral, thinking=True)
    try:
        reply = await make()
    except UserError as exc:
        if ephemeral:
            await interaction.edit_original_response(content=str(exc))
        else:
            await interaction.delete_original_response()
            await interaction.followup.send(str(exc), ephemeral=True)
        return
    await send_reply(interaction, reply)
