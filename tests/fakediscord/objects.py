"""Discord's JSON objects, shaped as the API documentation shows them.

The fake builds every user, guild, channel, member and message it hands to the
client from here, so that discord.py parses the same shapes it would parse from
the real API; a missing required key surfaces as a parse error in the client,
just as it would against Discord.
"""

from __future__ import annotations

import itertools
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

JSON = dict[str, Any]

DISCORD_EPOCH_MS = 1_420_070_400_000

# Permissions a member of the fake guild holds: view channel, send messages,
# embed links, attach files, read history, use application commands.
MEMBER_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 31)
ADMINISTRATOR = 1 << 3
# Discord computes an administrator's permissions as every bit ("ADMINISTRATOR ...
# implicitly has all permissions"), and sends them so in an interaction's member.
ALL_PERMISSIONS = (1 << 53) - 1
MANAGE_MESSAGES = 1 << 13
MANAGE_GUILD = 1 << 5
# What an invited bot usually holds: the member set plus threads.
BOT_PERMISSIONS = MEMBER_PERMISSIONS | (1 << 34) | (1 << 35) | (1 << 38)


class Snowflakes:
    """Snowflake ids that increase with time, as Discord's do."""

    def __init__(self) -> None:
        self._counter = itertools.count()

    def next(self) -> str:
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return str((ms << 22) | (next(self._counter) & 0x3FFFFF))

    def earlier(self, ms_ago: int) -> str:
        """An id made ``ms_ago`` milliseconds ago (a server that existed before the bot)."""
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS - ms_ago
        return str((ms << 22) | (next(self._counter) & 0x3FFFFF))


def iso_now() -> str:
    return datetime.now(UTC).isoformat()


@dataclass(slots=True)
class User:
    id: str
    username: str
    bot: bool = False

    def to_json(self) -> JSON:
        return {
            "id": self.id,
            "username": self.username,
            "discriminator": "0",
            "global_name": None if self.bot else self.username.title(),
            "avatar": None,
            "bot": self.bot,
            "system": False,
            "public_flags": 0,
            "flags": 0,
        }


@dataclass(slots=True)
class Channel:
    id: str
    name: str
    guild_id: str | None
    type: int = 0  # GUILD_TEXT; 1 is DM, 11 a public thread
    parent_id: str | None = None
    # Permission overwrites, as Discord sends them: {"id", "type" (0 role, 1 member),
    # "allow", "deny"} (FakeDiscord.deny_bot adds one for the bot).
    overwrites: list[JSON] = field(default_factory=list)
    owner_id: str | None = None  # a thread's creator; Discord always sends it for threads
    archived: bool = False  # a thread's state (thread_metadata)
    locked: bool = False

    def denied(self, user_id: str, guild_id: str | None) -> int:
        """Bits this channel's overwrites take away from ``user_id`` (for @everyone too)."""
        bits = 0
        for overwrite in self.overwrites:
            if overwrite["id"] in (user_id, guild_id):
                bits |= int(overwrite["deny"])
        return bits

    def to_json(self) -> JSON:
        data: JSON = {"id": self.id, "type": self.type, "last_message_id": None, "flags": 0}
        if self.type == 1:
            data["recipients"] = []
            return data
        data.update(
            {
                "name": self.name,
                "guild_id": self.guild_id,
                "position": 0,
                "permission_overwrites": list(self.overwrites),
                "nsfw": False,
                "parent_id": self.parent_id,
                "topic": None,
                "rate_limit_per_user": 0,
            }
        )
        if self.type in (11, 12):
            data["owner_id"] = self.owner_id
            data["message_count"] = 0
            data["member_count"] = 1
            data["thread_metadata"] = {
                "archived": self.archived,
                "auto_archive_duration": 1440,
                "archive_timestamp": iso_now(),
                "locked": self.locked,
            }
        return data


@dataclass(slots=True)
class Guild:
    id: str
    name: str
    owner_id: str
    channels: list[Channel] = field(default_factory=list)
    members: list[User] = field(default_factory=list)
    moderators: set[str] = field(default_factory=set)
    granted: dict[str, int] = field(default_factory=dict)  # members with their own bits
    # The role Discord creates for a bot when it joins ("managed", holding the bits it
    # was invited with), so the client's own permission sums match the app's.
    bot_role: str | None = None

    def member_json(self, user: User) -> JSON:
        return {
            "user": user.to_json(),
            "nick": None,
            "avatar": None,
            "roles": [self.bot_role] if user.bot and self.bot_role else [],
            "joined_at": iso_now(),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "permissions": str(self.permissions_of(user)),
        }

    def permissions_of(self, user: User) -> int:
        if user.bot:
            return BOT_PERMISSIONS
        if user.id == self.owner_id or user.id in self.moderators:
            bits = ADMINISTRATOR
        else:
            bits = self.granted.get(user.id, MEMBER_PERMISSIONS)
        return ALL_PERMISSIONS if bits & ADMINISTRATOR else bits

    def everyone_role(self) -> JSON:
        return {
            "id": self.id,
            "name": "@everyone",
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": 0,
            "permissions": str(MEMBER_PERMISSIONS),
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }

    def bot_role_json(self, bot_id: str) -> JSON:
        return self.everyone_role() | {
            "id": self.bot_role,
            "name": "essay-bot",
            "position": 1,
            "permissions": str(BOT_PERMISSIONS),
            "managed": True,
            "tags": {"bot_id": bot_id},
        }

    def roles_json(self) -> list[JSON]:
        roles = [self.everyone_role()]
        bot = next((m for m in self.members if m.bot), None)
        if self.bot_role and bot is not None:
            roles.append(self.bot_role_json(bot.id))
        return roles

    def to_json(self) -> JSON:
        """The GUILD_CREATE payload: the guild object plus the gateway-only extras."""
        return {
            "id": self.id,
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": self.owner_id,
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 1,
            "explicit_content_filter": 0,
            "roles": self.roles_json(),
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": "en-US",
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "safety_alerts_channel_id": None,
            "joined_at": iso_now(),
            "large": False,
            "unavailable": False,
            "member_count": len(self.members),
            "voice_states": [],
            "members": [self.member_json(m) for m in self.members],
            "channels": [c.to_json() for c in self.channels if c.type == 0],
            "threads": [c.to_json() for c in self.channels if c.type in (11, 12)],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }


def new_token() -> str:
    """An interaction token: opaque, URL-safe, long, like Discord's."""
    return "aW50ZXJhY3Rpb24" + secrets.token_urlsafe(48)
