"""Drive the real bot from Discord's JSON payloads, with only the HTTP layer faked.

``FakeHTTP`` is a tiny aiohttp server on 127.0.0.1 that answers the REST routes the
bot calls (login, application, command sync, interaction callbacks, webhook edits,
threads) and records every request. discord.py is pointed at it through
``discord.http.Route.BASE``, so its real HTTP client, webhook adapter, views and
command tree all run unchanged.

Interactions enter the way the gateway delivers them: an INTERACTION_CREATE
payload handed to the connection state's parser. That is the one place a test
touches discord.py's internals, because no public API feeds an interaction in.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import discord
from aiohttp import BodyPartReader, web

APP_ID = 900000000000000001
BOT_ID = APP_ID
GUILD_ID = 800000000000000001
CHANNEL_ID = 700000000000000001
USER_ID = 600000000000000001
OTHER_ID = 600000000000000002

EPHEMERAL = 64
CHANNEL_MESSAGE = 4
DEFERRED_CHANNEL_MESSAGE = 5
UPDATE_MESSAGE = 7
AUTOCOMPLETE_RESULT = 8

ALL_PERMISSIONS = str((1 << 50) - 1)
MEMBER_PERMISSIONS = str(discord.Permissions(send_messages=True, view_channel=True).value)

_ids: Iterator[int] = itertools.count(500000000000000001)


def snowflake() -> int:
    return next(_ids)


def user_payload(user_id: int, name: str = "member", *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": None,
        "bot": bot,
    }


@dataclass
class Request:
    method: str
    path: str
    body: Any
    query: dict[str, str] = field(default_factory=dict)
    files: list[tuple[str, bytes]] = field(default_factory=list)

    @property
    def data(self) -> dict[str, Any]:
        """The callback's ``data`` (or the webhook body itself)."""
        if isinstance(self.body, dict) and isinstance(self.body.get("data"), dict):
            inner: dict[str, Any] = self.body["data"]
            return inner
        return self.body if isinstance(self.body, dict) else {}


class FakeHTTP:
    def __init__(self) -> None:
        self.requests: list[Request] = []
        self._arrived = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.base = ""
        self.messages: dict[str, dict[str, Any]] = {}  # interaction token -> original message

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.base = f"http://{host}:{port}/api/v10"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def wait_for(
        self, method: str, fragment: str, *, count: int = 1, within: float = 3.0
    ) -> list[Request]:
        """The first ``count`` requests whose path contains ``fragment``, once they arrive."""

        def matching() -> list[Request]:
            return [r for r in self.requests if r.method == method and fragment in r.path]

        async with asyncio.timeout(within), self._arrived:
            await self._arrived.wait_for(lambda: len(matching()) >= count)
        return matching()[:count]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path.removeprefix("/api/v10")
        body: Any = None
        files: list[tuple[str, bytes]] = []
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            async for part in reader:
                if isinstance(part, BodyPartReader):
                    raw = await part.read()
                    if part.name == "payload_json":
                        body = json.loads(raw)
                    else:
                        files.append((part.filename or "", bytes(raw)))
        elif request.can_read_body:
            text = await request.text()
            body = json.loads(text) if text else None
        record = Request(request.method, path, body, dict(request.query), files)
        response = self._answer(record)
        async with self._arrived:
            self.requests.append(record)
            self._arrived.notify_all()
        return response

    # -- canned answers ---------------------------------------------------------------

    def _message(self, body: dict[str, Any], channel_id: int = CHANNEL_ID) -> dict[str, Any]:
        return {
            "id": str(snowflake()),
            "channel_id": str(channel_id),
            "author": user_payload(BOT_ID, "essay-bot", bot=True),
            "content": body.get("content") or "",
            "timestamp": "2025-01-01T00:00:00+00:00",
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds") or [],
            "pinned": False,
            "type": 0,
            "components": body.get("components") or [],
            "flags": body.get("flags") or 0,
            "application_id": str(APP_ID),
        }

    def _answer(self, r: Request) -> web.StreamResponse:
        parts = r.path.strip("/").split("/")
        if r.path == "/users/@me":
            return _json(user_payload(BOT_ID, "essay-bot", bot=True))
        if r.path == "/oauth2/applications/@me":
            return _json(
                {
                    "id": str(APP_ID),
                    "name": "essay-bot",
                    "icon": None,
                    "description": "",
                    "bot_public": True,
                    "bot_require_code_grant": False,
                    "verify_key": "0" * 64,
                    "flags": 0,
                    "owner": user_payload(USER_ID, "owner"),
                    "team": None,
                }
            )
        if parts[0] == "applications" and parts[-1] == "commands" and r.method == "PUT":
            commands = [
                {**c, "id": str(snowflake()), "application_id": str(APP_ID), "version": "1"}
                for c in (r.body or [])
            ]
            return _json(commands)
        if parts[0] == "interactions" and parts[-1] == "callback":
            interaction_id, token = parts[1], parts[2]
            kind = int(r.body["type"])
            answer: dict[str, Any] = {
                "interaction": {"id": interaction_id, "type": 2},
            }
            if kind in (CHANNEL_MESSAGE, DEFERRED_CHANNEL_MESSAGE, UPDATE_MESSAGE):
                message = self.messages.get(token) if kind == UPDATE_MESSAGE else None
                message = message or self._message(r.data)
                if kind == UPDATE_MESSAGE:
                    message = {**message, **{k: v for k, v in r.data.items() if k != "flags"}}
                self.messages.setdefault(token, message)
                answer["resource"] = {"type": kind, "message": message}
                answer["interaction"].update(
                    response_message_id=message["id"],
                    response_message_loading=kind == DEFERRED_CHANNEL_MESSAGE,
                    response_message_ephemeral=bool(r.data.get("flags", 0) & EPHEMERAL),
                )
            return _json(answer)
        if parts[0] == "webhooks" and r.path.endswith("/messages/@original"):
            token = parts[2]
            if r.method == "DELETE":
                return web.Response(status=204)
            message = self.messages.get(token) or self._message({})
            if r.method == "PATCH":
                message = {**message, **(r.body or {})}
                self.messages[token] = message
            return _json(message)
        if parts[0] == "webhooks" and r.method == "POST":
            return _json(self._message(r.body or {}))
        if parts[0] == "channels" and parts[-1] == "threads":
            return _json(
                {
                    "id": str(snowflake()),
                    "type": 11,
                    "guild_id": str(GUILD_ID),
                    "parent_id": parts[1],
                    "name": (r.body or {}).get("name", ""),
                    "owner_id": str(BOT_ID),
                    "thread_metadata": {
                        "archived": False,
                        "auto_archive_duration": 1440,
                        "archive_timestamp": "2025-01-01T00:00:00+00:00",
                        "locked": False,
                    },
                }
            )
        return _json({"message": "404: Not Found", "code": 0}, status=404)


def _json(data: Any, status: int = 200) -> web.Response:
    # discord.py parses a body as JSON only when the content type is exactly this.
    body = json.dumps(data).encode()
    return web.Response(body=body, status=status, headers={"Content-Type": "application/json"})


# -- interaction payloads -----------------------------------------------------------------


def _context(
    *, user_id: int, guild: bool, permissions: str, app_permissions: str
) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": str(snowflake()),
        "application_id": str(APP_ID),
        "token": f"token-{snowflake()}",
        "version": 1,
        "locale": "en-US",
        "app_permissions": app_permissions,
        "attachment_size_limit": 10 * 1024 * 1024,
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(GUILD_ID)} if guild else {"1": str(user_id)},
        "context": 0 if guild else 1,
    }
    if guild:
        base.update(
            guild_id=str(GUILD_ID),
            guild_locale="en-US",
            channel_id=str(CHANNEL_ID),
            channel={
                "id": str(CHANNEL_ID),
                "type": 0,
                "guild_id": str(GUILD_ID),
                "name": "reading-room",
                "position": 0,
                "permission_overwrites": [],
                "nsfw": False,
                "parent_id": None,
            },
            member={
                "user": user_payload(user_id),
                "roles": [],
                "joined_at": "2024-01-01T00:00:00+00:00",
                "deaf": False,
                "mute": False,
                "flags": 0,
                "permissions": permissions,
            },
        )
    else:
        dm = snowflake()
        base.update(
            channel_id=str(dm),
            channel={"id": str(dm), "type": 1, "recipients": [user_payload(user_id)]},
            user=user_payload(user_id),
        )
    return base


def option(name: str, value: Any, *, kind: int = 3, focused: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {"name": name, "type": kind, "value": value}
    if focused:
        data["focused"] = True
    return data


def slash(
    name: str,
    *options: dict[str, Any],
    sub: str | None = None,
    user_id: int = USER_ID,
    guild: bool = True,
    permissions: str = MEMBER_PERMISSIONS,
    app_permissions: str = ALL_PERMISSIONS,
    autocomplete: bool = False,
) -> dict[str, Any]:
    """An APPLICATION_COMMAND (or, with ``autocomplete``, its AUTOCOMPLETE) interaction."""
    payload = _context(
        user_id=user_id, guild=guild, permissions=permissions, app_permissions=app_permissions
    )
    opts = list(options)
    if sub is not None:
        opts = [{"name": sub, "type": 1, "options": opts}]
    payload["type"] = 4 if autocomplete else 2
    payload["data"] = {"id": str(snowflake()), "name": name, "type": 1, "options": opts}
    if guild:
        payload["data"]["guild_id"] = str(GUILD_ID)
    return payload


def press(
    message: dict[str, Any],
    custom_id: str,
    *,
    user_id: int = USER_ID,
    permissions: str = MEMBER_PERMISSIONS,
) -> dict[str, Any]:
    """A MESSAGE_COMPONENT interaction: someone pressed a button on ``message``."""
    payload = _context(
        user_id=user_id, guild=True, permissions=permissions, app_permissions=ALL_PERMISSIONS
    )
    payload["type"] = 3
    payload["message"] = message
    payload["data"] = {"custom_id": custom_id, "component_type": 2}
    return payload


def buttons(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for row in body.get("components") or [] for c in row.get("components", [])]


def button(body: dict[str, Any], label_start: str) -> dict[str, Any]:
    for b in buttons(body):
        if str(b.get("label", "")).startswith(label_start):
            return b
    raise AssertionError(f"no button {label_start!r} in {buttons(body)}")
