"""What a member is told when a command or a button fails: every failure still gets an answer.

A ``UserError`` is the user's to fix, so its message is shown as it is; checks
(cooldown, permissions, server-only) get short explanations; anything else is a
bug, answered with an error id that also appears in the log beside the traceback,
so a member's report can be matched to it.

Where the answer goes depends on what was already sent: nothing yet, a private
answer, or a deferral. Discord shows the first follow-up after a deferral *as* the
"thinking" message, keeping the deferral's visibility whatever flags the follow-up
asks for, so after a deferral the error is said by editing that message; its text
names no one and nothing private, because a public deferral shows it to everyone.
"""

from __future__ import annotations

import logging
import math
import secrets
from typing import Any

import discord
from discord import app_commands

from bot.core.errors import UserError

log = logging.getLogger(__name__)


def _permission_names(perms: list[str]) -> str:
    return ", ".join(p.replace("_", " ").replace("guild", "server").title() for p in perms)


def describe(error: BaseException, where: str) -> str:
    """The short message for the user; unexpected errors are logged here with an id."""
    if isinstance(error, app_commands.CommandInvokeError):
        error = error.original
    if isinstance(error, app_commands.TransformerError):
        if not isinstance(error.__cause__, UserError):
            return (
                f"“{discord.utils.escape_markdown(str(error.value))[:100]}” is not a valid value."
            )
        error = error.__cause__
    if isinstance(error, UserError):
        return str(error)
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down: try again in {math.ceil(error.retry_after)} s."
    if isinstance(error, app_commands.MissingPermissions):
        return f"You need the {_permission_names(error.missing_permissions)} permission for that."
    if isinstance(error, app_commands.BotMissingPermissions):
        return f"I need the {_permission_names(error.missing_permissions)} permission for that."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command only works in a server."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this command here."
    if isinstance(error, app_commands.CommandNotFound):
        return "That command is no longer available; it will disappear from your list shortly."
    error_id = secrets.token_hex(4).upper()
    log.error("error id %s in %s", error_id, where, exc_info=error)
    return f"Something went wrong (error id {error_id}). It has been logged."


def _where(interaction: discord.Interaction[Any]) -> str:
    if interaction.command is not None:
        return f"/{interaction.command.qualified_name}"
    if interaction.type is discord.InteractionType.component and interaction.message is not None:
        return f"a button on message {interaction.message.id}"
    return f"interaction type {interaction.type}"


async def report_error(interaction: discord.Interaction[Any], error: BaseException) -> None:
    """Answer ``interaction`` with a short message describing ``error``.

    Private when nothing was sent yet or after an answer; after a deferral, in place
    of the "thinking" message, with the deferral's visibility (see the module's note).
    """
    message = describe(error, _where(interaction))
    response = interaction.response
    try:
        if not response.is_done():
            await response.send_message(message, ephemeral=True)
        elif response.type is discord.InteractionResponseType.deferred_channel_message:
            await interaction.edit_original_response(
                content=message, embed=None, view=None, attachments=[]
            )
        else:
            await interaction.followup.send(message, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not tell the user about an error in %s", _where(interaction))
