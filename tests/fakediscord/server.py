"""A fake Discord: REST API and gateway on 127.0.0.1, for end-to-end tests.

discord.py talks to it exactly as it talks to Discord: REST under ``/api/v10``
with the bot token, a gateway websocket that says HELLO, takes IDENTIFY or
RESUME and dispatches events with sequence numbers (zlib-stream compressed
when asked). Every request is recorded, bodies are checked against Discord's
documented limits (``validate``), and a missing route answers 404 and is
listed in ``unhandled`` so a gap in the fake is visible rather than silent.

Timings use ``time.monotonic()``; ``Interaction.latency`` is the time from
the gateway frame being written to the callback request being received.

What Discord does beyond checking bodies, modelled here so that tests see it:
interaction tokens expire (``token_lifetime``, 15 minutes by default; a test
shortens it instead of waiting); a follow-up sent directly after a type-5
deferral edits the loading message and ignores its flags; each route accepts
its own message flags; administrators hold every permission bit; and an
optional ``round_trip`` delays every REST request and answer by half each, as
an ordinary connection to Discord does (about 80 ms).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import logging
import math
import re
import time
import zlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import BodyPartReader, WSMsgType, web

from tests.fakediscord import validate
from tests.fakediscord.objects import (
    ADMINISTRATOR,
    ALL_PERMISSIONS,
    JSON,
    Channel,
    Guild,
    Snowflakes,
    User,
    iso_now,
    new_token,
)

log = logging.getLogger(__name__)

API = "/api/v10"
EPHEMERAL = 1 << 6
LOADING = 1 << 7
# Permission bits the message routes check for the bot (Discord's "Permissions" table).
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
READ_MESSAGE_HISTORY = 1 << 16
CREATE_PUBLIC_THREADS = 1 << 35
CREATE_PRIVATE_THREADS = 1 << 36
#: How long Discord refuses a repeated nonce with enforce_nonce ("a few minutes").
NONCE_WINDOW = 5 * 60.0
#: How long an interaction token stays valid (receiving-and-responding).
TOKEN_LIFETIME = 15 * 60.0
# Which callback types Discord accepts for each interaction type
# (receiving-and-responding, "Interaction Callback Type").
CALLBACKS_FOR = {2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}


class FakeUsageError(AssertionError):
    """The test asked the fake for something a Discord user could not do."""


@dataclass(slots=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    files: list[tuple[str, bytes]]
    at: float
    status: int = 0
    route: str = ""


@dataclass(slots=True)
class Interaction:
    """One dispatched interaction and what the client did with it."""

    id: str
    token: str
    type: int
    payload: JSON
    dispatched_at: float = 0.0
    responded_at: float | None = None
    response_type: int | None = None
    response: JSON | None = None
    rejected: list[Request] = field(default_factory=list)
    original_id: str | None = None
    followups: list[str] = field(default_factory=list)
    late: bool = False
    # After a type-5 deferral, until the first edit or follow-up: that follow-up edits
    # the loading message instead of creating one.
    deferral_pending: bool = False

    @property
    def latency(self) -> float | None:
        return None if self.responded_at is None else self.responded_at - self.dispatched_at


@dataclass(slots=True)
class _Session:
    id: str
    seq: int = 0
    events: list[tuple[int, str]] = field(default_factory=list)
    connection: _Connection | None = None
    intents: int = 0
    shard: tuple[int, int] | None = None  # [id, count] from IDENTIFY

    def owns(self, guild_id: str | None) -> bool:
        """Discord sends a server's events to shard ``(id >> 22) % count``; DMs to shard 0."""
        if self.shard is None:
            return True
        number, count = self.shard
        return (int(guild_id) >> 22) % count == number if guild_id else number == 0


class _Connection:
    """One websocket; frames go through a lock so the zlib stream stays in order."""

    def __init__(self, ws: web.WebSocketResponse, compress: bool) -> None:
        self.ws = ws
        self.zlib = zlib.compressobj() if compress else None
        self.lock = asyncio.Lock()
        self.session: _Session | None = None

    async def send(self, raw: str) -> None:
        async with self.lock:
            if self.ws.closed:
                return
            # A socket the client is closing drops the frame; the session keeps the
            # event for a RESUME, as Discord does.
            with contextlib.suppress(ConnectionResetError):
                if self.zlib is None:
                    await self.ws.send_str(raw)
                else:
                    frame = self.zlib.compress(raw.encode()) + self.zlib.flush(zlib.Z_SYNC_FLUSH)
                    await self.ws.send_bytes(frame)


@dataclass(slots=True)
class _Fault:
    method: str
    path: re.Pattern[str]
    status: int
    times: int
    retry_after: float = 0.0


Handler = Callable[["_Call"], Awaitable[web.StreamResponse]]


@dataclass(slots=True)
class _Call:
    request: Request
    params: dict[str, str]
    http: web.Request


def _shard(value: object) -> tuple[int, int] | Literal[False] | None:
    """IDENTIFY's ``shard`` (``[id, count]``): ``None`` if absent, ``False`` if invalid."""
    if value is None:
        return None
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) for v in value)
        and 0 <= value[0] < value[1]
    ):
        return value[0], value[1]
    return False


class FakeDiscord:
    """Start with ``await fake.start()`` (or ``async with``); ``url`` is the API root."""

    def __init__(
        self,
        *,
        token: str = "fake-bot-token.NOT.REAL",
        guilds: int = 1,
        heartbeat_interval_ms: int = 41_250,
        callback_deadline: float = 3.0,
        token_lifetime: float = TOKEN_LIFETIME,
        round_trip: float = 0.0,
        shards: int = 1,
    ) -> None:
        self.token = token
        self.recommended_shards = shards
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.callback_deadline = callback_deadline
        self.token_lifetime = token_lifetime
        self.round_trip = round_trip
        self.ids = Snowflakes()
        self.application_id = self.ids.next()
        self.owner = User(self.ids.next(), "owner")
        self.bot = User(self.application_id, "essay-bot", bot=True)
        self.member = User(self.ids.next(), "reader")
        self.moderator = User(self.ids.next(), "moderator")
        self.guilds: list[Guild] = []
        for n in range(guilds):
            # servers made one after another, a millisecond apart: they spread over shards
            guild = Guild(self.ids.earlier(guilds - n), f"Reading group {n + 1}", self.owner.id)
            guild.channels.append(Channel(self.ids.next(), "general", guild.id))
            guild.members.extend([self.owner, self.bot, self.member, self.moderator])
            guild.moderators.add(self.moderator.id)
            guild.bot_role = self.ids.next()
            self.guilds.append(guild)
        self.channels: dict[str, Channel] = {c.id: c for g in self.guilds for c in g.channels}
        self.dm_channels: dict[str, Channel] = {}

        self.requests: list[Request] = []
        self.gateway_log: list[tuple[float, str, JSON]] = []
        self.gateway_queries: list[dict[str, str]] = []
        self.commands: dict[str | None, list[JSON]] = {}
        self.syncs: list[tuple[str | None, float]] = []
        self.messages: dict[str, JSON] = {}
        self.interactions: dict[str, Interaction] = {}
        self._by_token: dict[str, Interaction] = {}
        self._faults: list[_Fault] = []
        self._sessions: dict[str, _Session] = {}
        self._session: _Session | None = None
        self._shards: dict[int, _Session] = {}  # live sessions of a sharded bot, by shard id
        self._connections: set[_Connection] = set()
        self._changed = asyncio.Condition()
        self._routes: list[tuple[str, re.Pattern[str], str, Handler, bool]] = []
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._add_routes()

    # ------------------------------------------------------------------ life
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return self.url + API

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    @property
    def guild(self) -> Guild:
        return self.guilds[0]

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", API + "/{tail:.*}", self._rest)
        app.router.add_route("*", "/{tail:.*}", self._outside_api)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server  # aiohttp exposes the bound port only here
        assert isinstance(server, asyncio.base_events.Server)
        self.port = server.sockets[0].getsockname()[1]
        log.debug("fake Discord listening on %s", self.url)

    async def stop(self) -> None:
        for conn in list(self._connections):
            with contextlib.suppress(Exception):
                await conn.ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ------------------------------------------------------------ waiting
    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_until(self, predicate: Callable[[], bool], within: float = 5.0) -> None:
        """Wait for ``predicate`` (about the fake or the client) to hold, or TimeoutError.

        Woken by every request and gateway frame, and every 50 ms for state
        that changes on the client's side only.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        async with self._changed:
            while not predicate():
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise TimeoutError(f"condition not met within {within} s")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), min(remaining, 0.05))

    async def wait_ready(self, within: float = 10.0, *, after: int = 0) -> None:
        """Until a session has been sent READY and its GUILD_CREATEs (more than ``after``)."""
        await self.wait_until(lambda: self.ready_count > after, within)

    @property
    def ready_count(self) -> int:
        return sum(1 for _, kind, _ in self.gateway_log if kind == "out:READY")

    @property
    def resumed_count(self) -> int:
        return sum(1 for _, kind, _ in self.gateway_log if kind == "out:RESUMED")

    @property
    def heartbeats(self) -> int:
        return sum(1 for _, kind, _ in self.gateway_log if kind == "in:1")

    @property
    def connected(self) -> bool:
        return self._session is not None and self._session.connection is not None

    @property
    def unhandled(self) -> list[Request]:
        return [r for r in self.requests if r.route == "unhandled"]

    @property
    def rejected(self) -> list[Request]:
        """Requests the fake refused with a 4xx other than a deliberate fault."""
        return [r for r in self.requests if 400 <= r.status < 500 and r.route != "fault"]

    def add_member(self, username: str, *, permissions: int | None = None) -> User:
        """Another member of every guild (each member has their own cooldowns).

        ``permissions`` replaces the ordinary member's bits (say, Manage Messages
        without Administrator).
        """
        user = User(self.ids.next(), username)
        for guild in self.guilds:
            guild.members.append(user)
            if permissions is not None:
                guild.granted[user.id] = permissions
        return user

    @property
    def expired(self) -> list[Request]:
        """Requests refused because their interaction token had expired."""
        return [r for r in self.requests if r.status == 401 and r.route != "fault"]

    # ------------------------------------------------------------- faults
    def rate_limit_once(self, method: str, path: str, retry_after: float = 0.5) -> None:
        """The next ``method`` request whose API path matches ``path`` gets a 429."""
        self._faults.append(_Fault(method, re.compile(path), 429, 1, retry_after))

    def fail_next_callbacks(self, status: int = 500, times: int = 1) -> None:
        """The next ``times`` interaction callbacks answer ``status`` and are not applied."""
        self._faults.append(
            _Fault("POST", re.compile(r"^/interactions/\d+/[^/]+/callback$"), status, times)
        )

    def fail_next_posts(self, status: int = 500, times: int = 1) -> None:
        """The next ``times`` channel messages the bot sends answer ``status``, unsent."""
        self._faults.append(_Fault("POST", re.compile(r"^/channels/\d+/messages$"), status, times))

    async def deny_bot(self, channel_id: str, bits: int) -> None:
        """Take permissions from the bot in one channel (a member overwrite), and say so."""
        channel = self.channels[channel_id]
        channel.overwrites = [o for o in channel.overwrites if o["id"] != self.bot.id]
        if bits:
            channel.overwrites.append(
                {"id": self.bot.id, "type": 1, "allow": "0", "deny": str(bits)}
            )
        if self._session is not None:
            await self.dispatch("CHANNEL_UPDATE", channel.to_json())

    def channel_posts(self, channel_id: str) -> list[JSON]:
        """Messages the bot posted in a channel itself (not interaction responses), oldest first."""
        return [
            m
            for m in self.messages.values()
            if m["channel_id"] == channel_id and "interaction_metadata" not in m
        ]

    async def close_gateway(self, code: int = 4000) -> None:
        """Close the live gateway socket, as Discord does now and then; the session survives."""
        session = self._session
        if session is None or session.connection is None:
            raise FakeUsageError("no live gateway connection to close")
        await session.connection.ws.close(code=code, message=b"fake: closed by test")

    # ------------------------------------------------------------ gateway
    async def _gateway(self, http: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(http)
        self.gateway_queries.append(dict(http.query))
        conn = _Connection(ws, compress=http.query.get("compress") == "zlib-stream")
        self._connections.add(conn)
        try:
            await self._send(
                conn, {"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}}
            )
            async for msg in ws:
                if msg.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
                    break
                await self._on_frame(conn, json.loads(msg.data))
        finally:
            self._connections.discard(conn)
            if conn.session is not None and conn.session.connection is conn:
                conn.session.connection = None
            await self._notify()
        return ws

    async def _send(self, conn: _Connection, payload: JSON) -> None:
        payload.setdefault("s", None)
        payload.setdefault("t", None)
        self.gateway_log.append((time.monotonic(), f"out:{payload['t'] or payload['op']}", payload))
        await conn.send(json.dumps(payload))

    async def _on_frame(self, conn: _Connection, frame: JSON) -> None:
        op = frame.get("op")
        data = frame.get("d")
        self.gateway_log.append((time.monotonic(), f"in:{op}", frame))
        if op == 1:
            await self._send(conn, {"op": 11})
        elif op == 2 and isinstance(data, dict):
            await self._identify(conn, data)
        elif op == 6 and isinstance(data, dict):
            await self._resume(conn, data)
        elif op == 8 and isinstance(data, dict):
            await self._members_chunk(conn, data)
        elif op in (3, 4):
            pass  # presence and voice state: nothing to do
        else:
            await conn.ws.close(code=4001, message=b"Unknown opcode.")
        await self._notify()

    async def _identify(self, conn: _Connection, data: JSON) -> None:
        if data.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        if "intents" not in data:
            await conn.ws.close(code=4013, message=b"Invalid intent(s).")
            return
        shard = _shard(data.get("shard"))
        if shard is False:
            await conn.ws.close(code=4010, message=b"Invalid shard.")
            return
        session = _Session(
            self.ids.next().encode().hex()[:32], intents=int(data["intents"]), shard=shard or None
        )
        self._sessions[session.id] = session
        self._session = session
        if session.shard is not None:
            self._shards[session.shard[0]] = session
        session.connection = conn
        conn.session = session
        ready: JSON = {
            "v": 10,
            "user_settings": {},
            "user": self.bot.to_json() | {"verified": True, "mfa_enabled": False},
            "guilds": [
                {"id": g.id, "unavailable": True} for g in self.guilds if session.owns(g.id)
            ],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": self.application_id, "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "geo_ordered_rtc_regions": [],
            "auth": {},
        }
        if "shard" in data:
            ready["shard"] = data["shard"]
        await self.dispatch("READY", ready, session=session)
        for guild in self.guilds:
            if session.owns(guild.id):
                await self.dispatch("GUILD_CREATE", guild.to_json(), session=session)

    async def _resume(self, conn: _Connection, data: JSON) -> None:
        session = self._sessions.get(str(data.get("session_id")))
        if data.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        if session is None or not isinstance(data.get("seq"), int) or data["seq"] > session.seq:
            await self._send(conn, {"op": 9, "d": False})
            return
        session.connection = conn
        conn.session = session
        self._session = session
        if session.shard is not None:
            self._shards[session.shard[0]] = session
        for seq, raw in session.events:
            if seq > data["seq"]:
                await conn.send(raw)
        await self.dispatch("RESUMED", {}, session=session)

    async def _members_chunk(self, conn: _Connection, data: JSON) -> None:
        guild = next((g for g in self.guilds if g.id == str(data.get("guild_id"))), None)
        if guild is None:
            return
        chunk = {
            "guild_id": guild.id,
            "members": [guild.member_json(m) for m in guild.members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        await self.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    def session_for(self, guild_id: str | None) -> _Session | None:
        """The session that receives a server's events: its shard's, or the only one."""
        if not self._shards:
            return self._session
        return next((s for s in self._shards.values() if s.owns(guild_id)), None)

    async def dispatch(self, event: str, data: JSON, *, session: _Session | None = None) -> None:
        """Send a dispatch (op 0) on the session that owns the event's server (sharded: the
        shard ``(guild_id >> 22) % count``); kept for replay if the socket is down."""
        if session is None:
            session = self.session_for(data.get("guild_id"))
        if session is None:
            raise FakeUsageError(f"cannot dispatch {event}: no session has identified")
        session.seq += 1
        payload = {"op": 0, "t": event, "s": session.seq, "d": data}
        raw = json.dumps(payload)
        session.events.append((session.seq, raw))
        self.gateway_log.append((time.monotonic(), f"out:{event}", payload))
        if session.connection is not None:
            await session.connection.send(raw)

    # ---------------------------------------------------------------- REST
    def _add_routes(self) -> None:
        app = r"(?P<app>\d+)"
        tok = r"(?P<token>[^/]+)"
        scope = rf"/applications/{app}(?:/guilds/(?P<guild>\d+))?/commands"
        table: list[tuple[str, str, Handler, bool]] = [
            ("GET", r"/users/@me", self._get_me, True),
            ("GET", r"/oauth2/applications/@me", self._get_application, True),
            ("GET", r"/applications/@me", self._get_application, True),
            ("GET", r"/gateway", self._get_gateway, False),
            ("GET", r"/gateway/bot", self._get_gateway, True),
            ("GET", scope, self._list_commands, True),
            ("PUT", scope, self._put_commands, True),
            ("POST", scope, self._post_command, True),
            ("GET", scope + r"/(?P<cid>\d+)", self._get_command, True),
            ("DELETE", scope + r"/(?P<cid>\d+)", self._delete_command, True),
            ("POST", rf"/interactions/(?P<iid>\d+)/{tok}/callback", self._callback, False),
            ("GET", rf"/webhooks/{app}/{tok}/messages/(?P<mid>@original|\d+)", self._wh_get, False),
            (
                "PATCH",
                rf"/webhooks/{app}/{tok}/messages/(?P<mid>@original|\d+)",
                self._wh_edit,
                False,
            ),
            (
                "DELETE",
                rf"/webhooks/{app}/{tok}/messages/(?P<mid>@original|\d+)",
                self._wh_delete,
                False,
            ),
            ("POST", rf"/webhooks/{app}/{tok}", self._followup, False),
            ("GET", r"/channels/(?P<cid>\d+)", self._get_channel, True),
            ("POST", r"/channels/(?P<cid>\d+)/messages", self._post_message, True),
            ("GET", r"/channels/(?P<cid>\d+)/messages", self._history, True),
            ("GET", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)", self._get_message, True),
            ("PATCH", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)", self._edit_message, True),
            ("DELETE", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)", self._delete_message, True),
            ("POST", r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)/threads", self._thread, True),
            ("POST", r"/channels/(?P<cid>\d+)/threads", self._thread, True),
        ]
        for method, pattern, handler, auth in table:
            self._routes.append((method, re.compile(f"^{pattern}$"), pattern, handler, auth))

    async def _outside_api(self, http: web.Request) -> web.StreamResponse:
        self.requests.append(
            Request(
                http.method,
                http.path,
                dict(http.query),
                None,
                [],
                time.monotonic(),
                404,
                "unhandled",
            )
        )
        return _error(404, 0, "404: Not Found")

    async def _rest(self, http: web.Request) -> web.StreamResponse:
        path = "/" + http.match_info["tail"]
        body, files = await _read_body(http)
        if self.round_trip:  # the request's way to Discord
            await asyncio.sleep(self.round_trip / 2)
        request = Request(http.method, path, dict(http.query), body, files, time.monotonic())
        self.requests.append(request)
        try:
            response = await self._route(request, http)
        except _Reject as exc:
            response = exc.response
        request.status = response.status
        await self._notify()
        if self.round_trip:  # and the answer's way back
            await asyncio.sleep(self.round_trip / 2)
        return response

    async def _route(self, request: Request, http: web.Request) -> web.StreamResponse:
        for fault in self._faults:
            if (
                fault.times > 0
                and fault.method == request.method
                and fault.path.search(request.path)
            ):
                fault.times -= 1
                request.route = "fault"
                return _fault_response(fault)
        for method, regex, pattern, handler, auth in self._routes:
            match = regex.match(request.path)
            if match is None or method != request.method:
                continue
            request.route = pattern
            if auth and http.headers.get("Authorization") != f"Bot {self.token}":
                return _error(401, 0, "401: Unauthorized")
            params = {k: v for k, v in match.groupdict().items() if v is not None}
            response = await handler(_Call(request, params, http))
            response.headers.update(_ratelimit_headers(pattern))
            return response
        request.route = "unhandled"
        log.warning("fake Discord has no route for %s %s", request.method, request.path)
        return _error(404, 0, "404: Not Found")

    async def _get_me(self, call: _Call) -> web.StreamResponse:
        return _ok(self.bot.to_json() | {"verified": True, "mfa_enabled": False})

    async def _get_application(self, call: _Call) -> web.StreamResponse:
        return _ok(
            {
                "id": self.application_id,
                "name": self.bot.username,
                "icon": None,
                "description": "",
                "summary": "",
                "type": None,
                "bot_public": True,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                "owner": self.owner.to_json(),
                "team": None,
                "flags": 0,
                "rpc_origins": [],
                "tags": [],
                "bot": self.bot.to_json(),
                "approximate_guild_count": len(self.guilds),
                "redirect_uris": [],
                "interactions_endpoint_url": None,
                "integration_types_config": {"0": {}},
            }
        )

    async def _get_gateway(self, call: _Call) -> web.StreamResponse:
        data: JSON = {"url": self.gateway_url}
        if call.request.path.endswith("/bot"):
            data["shards"] = self.recommended_shards
            data["session_start_limit"] = {
                "total": 1000,
                "remaining": 999,
                "reset_after": 86_400_000,
                "max_concurrency": 1,
            }
        return _ok(data)

    # ------------------------------------------------------------ commands
    def _scope(self, call: _Call) -> str | None:
        if call.params["app"] != self.application_id:
            raise _Reject(_error(403, 50001, "Missing Access"))
        guild = call.params.get("guild")
        if guild is not None and all(g.id != guild for g in self.guilds):
            raise _Reject(_error(403, 50001, "Missing Access"))
        return guild

    def _stored_command(self, body: JSON, guild: str | None, existing: list[JSON]) -> JSON:
        kind = body.get("type", 1)
        old = next(
            (c for c in existing if c["name"] == body.get("name") and c["type"] == kind), None
        )
        command = {
            "type": kind,
            "description": "",
            "options": [],
            "default_member_permissions": None,
            "nsfw": False,
            "contexts": None,
            "integration_types": [0],
            **body,
            "id": old["id"] if old else self.ids.next(),
            "application_id": self.application_id,
            "version": self.ids.next(),
        }
        if guild is not None:
            command["guild_id"] = guild
        return command

    async def _list_commands(self, call: _Call) -> web.StreamResponse:
        return _ok(self.commands.get(self._scope(call), []))

    async def _put_commands(self, call: _Call) -> web.StreamResponse:
        guild = self._scope(call)
        body = call.request.body
        if not isinstance(body, list):
            raise _Reject(_error(400, 50109, "The request body contains invalid JSON."))
        errors = validate.Errors()
        validate.check_commands(body, errors)
        _raise_if(errors)
        existing = self.commands.get(guild, [])
        self.commands[guild] = [self._stored_command(c, guild, existing) for c in body]
        self.syncs.append((guild, time.monotonic()))
        return _ok(self.commands[guild])

    async def _post_command(self, call: _Call) -> web.StreamResponse:
        guild = self._scope(call)
        body = _require_object(call.request.body)
        errors = validate.Errors()
        validate.check_command(body, errors, ())
        _raise_if(errors)
        existing = self.commands.setdefault(guild, [])
        command = self._stored_command(body, guild, existing)
        existing[:] = [c for c in existing if c["id"] != command["id"]] + [command]
        return _ok(command, status=201)

    async def _get_command(self, call: _Call) -> web.StreamResponse:
        for command in self.commands.get(self._scope(call), []):
            if command["id"] == call.params["cid"]:
                return _ok(command)
        return _error(404, 10063, "Unknown application command")

    async def _delete_command(self, call: _Call) -> web.StreamResponse:
        commands = self.commands.get(self._scope(call), [])
        kept = [c for c in commands if c["id"] != call.params["cid"]]
        if len(kept) == len(commands):
            return _error(404, 10063, "Unknown application command")
        commands[:] = kept
        return web.Response(status=204)

    # -------------------------------------------------------- interactions
    def _interaction_base(self, kind: int, user: User | None, guild: Guild | None) -> JSON:
        user = user or self.member
        iid = self.ids.next()
        data: JSON = {
            "id": iid,
            "application_id": self.application_id,
            "type": kind,
            "token": new_token(),
            "version": 1,
            "locale": "en-US",
            "entitlements": [],
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if guild is not None:
            channel = guild.channels[0]
            data["guild_id"] = guild.id
            data["guild_locale"] = "en-US"
            data["guild"] = {"id": guild.id, "locale": "en-US", "features": []}
            data["member"] = guild.member_json(user)
            # "Bitwise set of permissions the app has within the channel": overwrites apply.
            held = guild.permissions_of(self.bot) & ~channel.denied(self.bot.id, guild.id)
            data["app_permissions"] = str(held)
            data["authorizing_integration_owners"] = {"0": guild.id}
            data["context"] = 0
        else:
            channel = self.dm_channels.setdefault(
                user.id, Channel(self.ids.next(), "", None, type=1)
            )
            self.channels.setdefault(channel.id, channel)
            data["user"] = user.to_json()
            data["app_permissions"] = str((1 << 11) | (1 << 14) | (1 << 15))
            data["authorizing_integration_owners"] = {"0": self.application_id}
            data["context"] = 1
        data["channel_id"] = channel.id
        data["channel"] = channel.to_json()
        return data

    def _find_command(self, name: str, guild: Guild | None) -> JSON:
        scopes = ([guild.id] if guild else []) + [None]
        for scope in scopes:
            for command in self.commands.get(scope, []):
                if command["name"] == name and command["type"] == 1:
                    return command
        raise FakeUsageError(f"/{name} was never synced, so no Discord user could run it")

    def _command_data(
        self,
        path: str,
        options: Mapping[str, object],
        guild: Guild | None,
        focused: str | None,
        user: User,
    ) -> JSON:
        names = path.split()
        command = self._find_command(names[0], guild)
        if guild is None and command.get("contexts") is not None and 1 not in command["contexts"]:
            raise FakeUsageError(f"/{names[0]} is not offered in DMs")
        if (
            guild is not None
            and command.get("contexts") is not None
            and 0 not in command["contexts"]
        ):
            raise FakeUsageError(f"/{names[0]} is not offered in servers")
        needed = command.get("default_member_permissions")
        if guild is not None and needed is not None and not _listed(guild, user, int(needed)):
            raise FakeUsageError(f"/{names[0]} is not shown to {user.username}")
        data: JSON = {"id": command["id"], "name": command["name"], "type": 1}
        if "guild_id" in command:
            data["guild_id"] = command["guild_id"]
        schema: list[JSON] = command.get("options") or []
        holder = data
        for sub in names[1:]:
            option = next((o for o in schema if o["name"] == sub and o["type"] in (1, 2)), None)
            if option is None:
                raise FakeUsageError(f"/{path}: no sub-command {sub!r}")
            inner: JSON = {"name": sub, "type": option["type"], "options": []}
            holder.setdefault("options", []).append(inner)
            holder = inner
            schema = option.get("options") or []
        if any(o["type"] in (1, 2) for o in schema):
            raise FakeUsageError(f"/{path} needs a sub-command")
        filled: list[JSON] = []
        known = {o["name"]: o for o in schema}
        for name, value in options.items():
            if name not in known:
                raise FakeUsageError(f"/{path} has no option {name!r} (has {sorted(known)})")
            filled.append(_option_value(known[name], value, focused == name))
        if focused is not None and focused not in options:
            raise FakeUsageError(f"the focused option {focused!r} needs its typed text")
        if focused is not None and not known[focused].get("autocomplete"):
            raise FakeUsageError(f"/{path} option {focused!r} has no autocomplete")
        if focused is None:
            missing = [o["name"] for o in schema if o.get("required") and o["name"] not in options]
            if missing:
                raise FakeUsageError(f"/{path} is missing required options {missing}")
        holder["options"] = filled
        channels = [o["value"] for o in filled if o["type"] == 7 and not o.get("focused")]
        if channels:
            data["resolved"] = {"channels": {cid: self._resolved_channel(cid) for cid in channels}}
        return data

    def _resolved_channel(self, channel_id: str) -> JSON:
        """A channel option's partial channel: id, name, type and the member's permissions."""
        channel = self.channels.get(channel_id)
        if channel is None:
            raise FakeUsageError(f"no channel {channel_id} to pick")
        return {
            "id": channel.id,
            "name": channel.name,
            "type": channel.type,
            "permissions": str(ALL_PERMISSIONS),
            "parent_id": channel.parent_id,
        }

    def slash(
        self,
        path: str,
        options: Mapping[str, object] | None = None,
        *,
        user: User | None = None,
        dm: bool = False,
        guild: Guild | None = None,
    ) -> JSON:
        """An INTERACTION_CREATE for ``/path`` ("prompt add"), checked against the synced schema.

        In ``guild`` (default: the first one), or in a DM with ``dm``.
        """
        guild = None if dm else (guild or self.guild)
        payload = self._interaction_base(2, user, guild)
        payload["data"] = self._command_data(path, options or {}, guild, None, user or self.member)
        return payload

    def autocomplete(
        self,
        path: str,
        focused: str,
        options: Mapping[str, object],
        *,
        user: User | None = None,
        dm: bool = False,
    ) -> JSON:
        """An autocomplete interaction: ``options[focused]`` is what the user has typed so far."""
        guild = None if dm else self.guild
        payload = self._interaction_base(4, user, guild)
        payload["data"] = self._command_data(path, options, guild, focused, user or self.member)
        return payload

    def press(
        self,
        message: JSON,
        label: str | None = None,
        *,
        custom_id: str | None = None,
        user: User | None = None,
    ) -> JSON:
        """A button press on ``message``, as Discord sends it.

        The button is found by custom_id or label; a label also matches a longer
        one that starts with it and a space ("Next" finds "Next (1/4)").
        """
        buttons = [
            c
            for row in message.get("components") or []
            for c in row.get("components") or []
            if c.get("type") == 2
        ]
        button = next(
            (
                b
                for b in buttons
                if (label is not None and _label_matches(b.get("label"), label))
                or (custom_id is not None and b.get("custom_id") == custom_id)
            ),
            None,
        )
        if button is None:
            labels = [b.get("label") for b in buttons]
            raise FakeUsageError(f"no button {label or custom_id!r} on the message (has {labels})")
        if button.get("disabled"):
            raise FakeUsageError(
                f"button {label or custom_id!r} is disabled; Discord would not send a press"
            )
        guild_id = message.get("guild_id")
        guild = next((g for g in self.guilds if g.id == guild_id), None)
        payload = self._interaction_base(3, user, guild)
        payload["channel_id"] = message["channel_id"]
        payload["message"] = message
        payload["data"] = {"custom_id": button["custom_id"], "component_type": 2}
        return payload

    async def send_interaction(self, payload: JSON) -> Interaction:
        """Dispatch INTERACTION_CREATE; the returned record fills in as the client answers."""
        record = Interaction(payload["id"], payload["token"], payload["type"], payload)
        self.interactions[record.id] = record
        self._by_token[record.token] = record
        record.dispatched_at = time.monotonic()
        await self.dispatch("INTERACTION_CREATE", payload)
        return record

    async def wait_response(self, record: Interaction, within: float = 3.0) -> JSON:
        """The initial response (``{"type", "data"}``) the client sent, or TimeoutError."""
        await self.wait_until(lambda: record.response is not None, within)
        assert record.response is not None
        return record.response

    async def interact(self, payload: JSON, within: float = 3.0) -> tuple[Interaction, JSON]:
        record = await self.send_interaction(payload)
        return record, await self.wait_response(record, within)

    def original(self, record: Interaction) -> JSON:
        """A snapshot of the message the interaction's response created or updated."""
        if record.original_id is None or record.original_id not in self.messages:
            raise FakeUsageError("the interaction has no response message")
        return copy.deepcopy(self.messages[record.original_id])

    async def _callback(self, call: _Call) -> web.StreamResponse:
        record = self.interactions.get(call.params["iid"])
        if record is None or record.token != call.params["token"]:
            return _error(404, 10062, "Unknown interaction")
        if record.response is not None:
            return _error(400, 40060, "Interaction has already been acknowledged.")
        if call.request.at - record.dispatched_at > min(
            self.callback_deadline, self.token_lifetime
        ):
            record.late = True
            return _error(404, 10062, "Unknown interaction")
        body = _require_object(call.request.body)
        kind = body.get("type")
        errors = validate.Errors()
        data = body.get("data") or {}
        if kind not in CALLBACKS_FOR.get(record.type, set()):
            errors.add(
                ("type",), "INTERACTION_RESPONSE_TYPE_INVALID", "Invalid interaction response type"
            )
        elif kind in (4, 7):
            allowed = validate.RESPONSE_FLAGS if kind == 4 else validate.EDIT_FLAGS
            validate.check_message(data, errors, ("data",), allowed_flags=allowed)
            if kind == 4 and _is_empty(data, call.request.files):
                raise _Reject(_error(400, 50006, "Cannot send an empty message"))
        elif kind == 8:
            validate.check_autocomplete(data, errors, ("data",))
        elif kind == 5 and (data.get("flags") or 0) & ~EPHEMERAL:
            errors.add(("data", "flags"), "MESSAGE_FLAGS_INVALID", "Invalid flags")
        if errors:
            record.rejected.append(call.request)
            raise _Reject(_error_body(400, errors.body()))
        record.response = {"type": kind, "data": data}
        record.response_type = kind
        record.responded_at = call.request.at
        if call.request.at - record.dispatched_at > self.callback_deadline:
            record.late = True
        message: JSON | None = None
        if kind in (4, 5):
            flags = (data.get("flags") or 0) | (LOADING if kind == 5 else 0)
            fields = data if kind == 4 else {}
            message = self._new_message(record.payload["channel_id"], fields, record, flags, call)
            record.original_id = message["id"]
            record.deferral_pending = kind == 5
        elif kind in (6, 7):
            message = self.messages.get(record.payload["message"]["id"])
            if message is None:
                return _error(404, 10008, "Unknown Message")
            record.original_id = message["id"]
            if kind == 7:
                self._apply_edit(message, data, call, edited=True)
        if call.request.query.get("with_response") not in ("1", "true", "True"):
            return web.Response(status=204)
        answer: JSON = {
            "interaction": {
                "id": record.id,
                "type": record.type,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool((data.get("flags") or 0) & EPHEMERAL),
            }
        }
        if message is not None:
            answer["interaction"]["response_message_id"] = message["id"]
            answer["resource"] = {"type": kind, "message": message}
        return _ok(answer)

    def _record_for(self, call: _Call) -> Interaction:
        record = self._by_token.get(call.params["token"])
        if record is None or call.params["app"] != self.application_id:
            raise _Reject(_error(404, 10015, "Unknown Webhook"))
        if call.request.at - record.dispatched_at > self.token_lifetime:
            raise _Reject(_error(401, 50027, "Invalid Webhook Token"))
        return record

    def _webhook_message(self, call: _Call, record: Interaction) -> JSON:
        mid = call.params["mid"]
        if mid == "@original":
            if record.original_id is None:
                raise _Reject(_error(404, 10008, "Unknown Message"))
            mid = record.original_id
        elif mid not in record.followups and mid != record.original_id:
            raise _Reject(_error(404, 10008, "Unknown Message"))
        message = self.messages.get(mid)
        if message is None:
            raise _Reject(_error(404, 10008, "Unknown Message"))
        return message

    async def _wh_get(self, call: _Call) -> web.StreamResponse:
        return _ok(self._webhook_message(call, self._record_for(call)))

    async def _wh_edit(self, call: _Call) -> web.StreamResponse:
        record = self._record_for(call)
        message = self._webhook_message(call, record)
        body = _require_object(call.request.body)
        errors = validate.Errors()
        validate.check_message(body, errors, allowed_flags=validate.EDIT_FLAGS)
        _raise_if(errors)
        loading = bool(message["flags"] & LOADING)
        self._apply_edit(message, body, call, edited=not loading)
        if message["id"] == record.original_id:
            record.deferral_pending = False
        return _ok(message)

    async def _wh_delete(self, call: _Call) -> web.StreamResponse:
        message = self._webhook_message(call, self._record_for(call))
        del self.messages[message["id"]]
        return web.Response(status=204)

    async def _followup(self, call: _Call) -> web.StreamResponse:
        record = self._record_for(call)
        if record.response is None or record.type == 4:
            return _error(404, 10015, "Unknown Webhook")
        body = _require_object(call.request.body)
        errors = validate.Errors()
        validate.check_message(body, errors, allowed_flags=validate.RESPONSE_FLAGS)
        _raise_if(errors)
        if _is_empty(body, call.request.files):
            return _error(400, 50006, "Cannot send an empty message")
        if record.deferral_pending:
            return self._followup_after_deferral(call, record, body)
        message = self._new_message(
            record.payload["channel_id"], body, record, body.get("flags") or 0, call
        )
        record.followups.append(message["id"])
        if call.request.query.get("wait") in ("1", "true", "True"):
            return _ok(message)
        return web.Response(status=204)

    def _followup_after_deferral(
        self, call: _Call, record: Interaction, body: JSON
    ) -> web.Response:
        """Discord edits the loading message instead, keeping its ephemeral state.

        "When using this endpoint directly after responding to an interaction with
        DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE, this endpoint will function as Edit
        Original Interaction Response": the follow-up's flags are ignored, and a
        loading message that was deleted means nothing is shown.
        """
        record.deferral_pending = False
        message = self.messages.get(record.original_id or "")
        if message is None:
            return _error(404, 10008, "Unknown Message")
        self._apply_edit(
            message, {k: v for k, v in body.items() if k != "flags"}, call, edited=False
        )
        if call.request.query.get("wait") in ("1", "true", "True"):
            return _ok(message)
        return web.Response(status=204)

    # ------------------------------------------------------------ messages
    def _new_message(
        self, channel_id: str, body: JSON, record: Interaction | None, flags: int, call: _Call
    ) -> JSON:
        channel = self.channels.get(channel_id)
        message: JSON = {
            "id": self.ids.next(),
            "channel_id": channel_id,
            "author": self.bot.to_json(),
            "content": "",
            "timestamp": iso_now(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "components": [],
            "pinned": False,
            "type": 0,
            "flags": flags,
        }
        if channel is not None and channel.guild_id is not None:
            message["guild_id"] = channel.guild_id
        if record is not None:
            message["webhook_id"] = self.application_id
            message["application_id"] = self.application_id
            message["type"] = 20 if record.type == 2 and not record.followups else 0
            user = record.payload.get("member", {}).get("user") or record.payload.get("user")
            message["interaction_metadata"] = {
                "id": record.id,
                "type": record.type,
                "user": user,
                "authorizing_integration_owners": record.payload["authorizing_integration_owners"],
            }
        self._apply_edit(message, body, call, edited=False)
        message["flags"] |= flags & LOADING
        self.messages[message["id"]] = message
        return message

    def _apply_edit(self, message: JSON, body: JSON, call: _Call, *, edited: bool) -> None:
        for key in ("content", "embeds", "components", "poll"):
            if key in body:
                value = body[key]
                message[key] = value if value is not None else ([] if key != "content" else "")
        message["embeds"] = [{"type": "rich", **e} for e in message["embeds"]]
        if "attachments" in body or call.request.files:
            uploaded = {name: len(data) for name, data in call.request.files}
            message["attachments"] = [
                {
                    "id": self.ids.next(),
                    "filename": a.get("filename", "file"),
                    "size": uploaded.get(a.get("filename", ""), 0),
                    "url": f"{self.url}/attachments/{a.get('filename', 'file')}",
                    "proxy_url": f"{self.url}/attachments/{a.get('filename', 'file')}",
                    "content_type": "application/octet-stream",
                }
                for a in body.get("attachments") or []
            ]
        if "flags" in body and body["flags"] is not None:
            message["flags"] = (message["flags"] & EPHEMERAL) | (body["flags"] & ~EPHEMERAL)
        message["flags"] &= ~LOADING
        if edited:
            message["edited_timestamp"] = iso_now()
        _apply_mentions(message, body.get("allowed_mentions"), self)

    def _channel(self, call: _Call) -> Channel:
        channel = self.channels.get(call.params["cid"])
        if channel is None:
            raise _Reject(_error(404, 10003, "Unknown Channel"))
        return channel

    def _channel_message(self, call: _Call) -> JSON:
        self._channel(call)
        message = self.messages.get(call.params["mid"])
        if message is None or message["channel_id"] != call.params["cid"]:
            raise _Reject(_error(404, 10008, "Unknown Message"))
        return message

    async def _get_channel(self, call: _Call) -> web.StreamResponse:
        return _ok(self._channel(call).to_json())

    async def _post_message(self, call: _Call) -> web.StreamResponse:
        channel = self._channel(call)
        body = _require_object(call.request.body)
        errors = validate.Errors()
        validate.check_message(body, errors, allowed_flags=validate.CREATE_FLAGS)
        _raise_if(errors)
        if _is_empty(body, call.request.files):
            return _error(400, 50006, "Cannot send an empty message")
        needed = SEND_MESSAGES | VIEW_CHANNEL | (EMBED_LINKS if body.get("embeds") else 0)
        if not self._bot_may(channel, needed):
            return _error(403, 50013, "Missing Permissions")
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce"):
            # "checked for uniqueness in the past few minutes": the earlier message comes back.
            for earlier in self.messages.values():
                recent = time.time() - earlier.get("_sent", 0) < NONCE_WINDOW
                if earlier.get("nonce") == str(nonce) and recent:
                    return _ok(_public(earlier))
        message = self._new_message(channel.id, body, None, body.get("flags") or 0, call)
        if nonce is not None:
            message["nonce"] = str(nonce)
            message["_sent"] = time.time()
        return _ok(_public(message))

    async def _history(self, call: _Call) -> web.StreamResponse:
        """GET channel messages: newest first, ``limit`` (≤ 100) around ``before``/``after``."""
        channel = self._channel(call)
        if not self._bot_may(channel, VIEW_CHANNEL | READ_MESSAGE_HISTORY):
            return _error(403, 50013, "Missing Permissions")
        query = call.request.query
        limit = int(query.get("limit", "50"))
        if not 1 <= limit <= 100:
            return _error(400, 50035, "Invalid Form Body")
        found = sorted(
            (m for m in self.messages.values() if m["channel_id"] == channel.id),
            key=lambda m: int(m["id"]),
        )
        if "after" in query:
            found = [m for m in found if int(m["id"]) > int(query["after"])][:limit]
        else:
            if "before" in query:
                found = [m for m in found if int(m["id"]) < int(query["before"])]
            found = found[-limit:]
        # Discord sends the nonce only on create, never in a channel's history.
        listed = [{k: v for k, v in _public(m).items() if k != "nonce"} for m in found]
        return _ok(listed[::-1])

    def _bot_may(self, channel: Channel, bits: int) -> bool:
        guild = next((g for g in self.guilds if g.id == channel.guild_id), None)
        if guild is None:
            return True
        have = guild.permissions_of(self.bot) & ~channel.denied(self.bot.id, guild.id)
        return have & bits == bits

    async def _get_message(self, call: _Call) -> web.StreamResponse:
        return _ok(self._channel_message(call))

    async def _edit_message(self, call: _Call) -> web.StreamResponse:
        message = self._channel_message(call)
        if message["author"]["id"] != self.bot.id:
            return _error(403, 50005, "Cannot edit a message authored by another user")
        body = _require_object(call.request.body)
        errors = validate.Errors()
        validate.check_message(body, errors, allowed_flags=validate.EDIT_FLAGS)
        _raise_if(errors)
        self._apply_edit(message, body, call, edited=True)
        return _ok(message)

    async def _delete_message(self, call: _Call) -> web.StreamResponse:
        message = self._channel_message(call)
        del self.messages[message["id"]]
        return web.Response(status=204)

    async def _thread(self, call: _Call) -> web.StreamResponse:
        parent = self._channel(call)
        mid = call.params.get("mid")
        if mid is not None:
            self._channel_message(call)
            if any(c.id == mid for c in self.channels.values()):
                return _error(400, 160004, "A thread has already been created for this message")
        body = _require_object(call.request.body)
        name = body.get("name")
        if not isinstance(name, str) or not 1 <= len(name) <= 100:
            errors = validate.Errors()
            errors.bad_length(("name",), 1, 100)
            raise _Reject(_error_body(400, errors.body()))
        if parent.guild_id is None or parent.type != 0:
            return _error(400, 50024, "Cannot execute action on this channel type")
        # From a message a thread is public; without one, "type" says (private by default).
        kind = 11 if mid is not None else body.get("type", 12)
        if kind not in (11, 12):
            return _error(400, 50035, "Invalid Form Body")
        if not self._bot_may(
            parent, CREATE_PUBLIC_THREADS if kind == 11 else CREATE_PRIVATE_THREADS
        ):
            return _error(403, 50013, "Missing Permissions")
        thread = Channel(
            mid or self.ids.next(),
            name,
            parent.guild_id,
            type=kind,
            parent_id=parent.id,
            owner_id=self.bot.id,
        )
        self.channels[thread.id] = thread
        for guild in self.guilds:
            if guild.id == parent.guild_id:
                guild.channels.append(thread)
        data = thread.to_json() | {"owner_id": self.bot.id}
        if self._session is not None:
            await self.dispatch("THREAD_CREATE", data | {"newly_created": True})
        return _ok(data, status=201)


def _public(message: JSON) -> JSON:
    """A stored message without the fake's own bookkeeping (keys starting with "_")."""
    return {k: v for k, v in message.items() if not k.startswith("_")}


def _listed(guild: Guild, user: User, needed: int) -> bool:
    """Discord lists a command only for members holding all of its default permissions.

    Administrators hold every bit; ``"0"`` hides the command from everyone else.
    """
    held = guild.permissions_of(user)
    return bool(held & ADMINISTRATOR) or (needed != 0 and held & needed == needed)


def _label_matches(actual: Any, wanted: str) -> bool:
    return isinstance(actual, str) and (actual == wanted or actual.startswith(wanted + " "))


_OPTION_TYPES: dict[int, type] = {3: str, 4: int, 5: bool, 10: float}


def _option_value(schema: JSON, value: object, focused: bool) -> JSON:
    """One filled option as Discord sends it; a value the client UI would refuse is an error."""
    kind = schema["type"]
    option: JSON = {"name": schema["name"], "type": kind}
    if focused:
        option["value"] = str(value)
        option["focused"] = True
        return option
    if kind in (6, 7):  # a user or a channel: its id
        option["value"] = str(value)
        return option
    expected = _OPTION_TYPES.get(kind)
    if expected is None:
        raise FakeUsageError(f"option type {kind} is not supported by the fake")
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise FakeUsageError(f"option {schema['name']!r} takes {expected.__name__}, got {value!r}")
    choices = schema.get("choices")
    if choices and value not in [c["value"] for c in choices]:
        raise FakeUsageError(f"option {schema['name']!r} must be one of its choices")
    if isinstance(value, str):
        low, high = schema.get("min_length", 0), schema.get("max_length", 6000)
        if not low <= len(value) <= high:
            raise FakeUsageError(f"option {schema['name']!r} must be {low}-{high} characters")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        low_v, high_v = schema.get("min_value"), schema.get("max_value")
        if (low_v is not None and value < low_v) or (high_v is not None and value > high_v):
            raise FakeUsageError(f"option {schema['name']!r} is out of range")
    option["value"] = value
    return option


class _Reject(Exception):
    """Ends a handler early with the error response Discord would give."""

    def __init__(self, response: web.Response) -> None:
        super().__init__(response.status)
        self.response = response


def _json(data: Any, status: int) -> web.Response:
    # discord.py parses a body only when Content-Type is exactly "application/json",
    # as Discord sends it; aiohttp's json_response would add a charset.
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


def _ok(data: Any, status: int = 200) -> web.Response:
    return _json(data, status)


def _error(status: int, code: int, message: str) -> web.Response:
    return _error_body(status, {"message": message, "code": code})


def _error_body(status: int, body: JSON) -> web.Response:
    return _json(body, status)


def _raise_if(errors: validate.Errors) -> None:
    if errors:
        log.warning("fake Discord refused a body: %s", "; ".join(errors.flat))
        raise _Reject(_error_body(400, errors.body()))


def _require_object(body: Any) -> JSON:
    if not isinstance(body, dict):
        raise _Reject(_error(400, 50109, "The request body contains invalid JSON."))
    return body


def _is_empty(body: JSON, files: list[tuple[str, bytes]]) -> bool:
    return not (
        body.get("content")
        or body.get("embeds")
        or body.get("components")
        or body.get("poll")
        or files
    )


def _ratelimit_headers(bucket: str) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": "50",
        "X-RateLimit-Remaining": "49",
        "X-RateLimit-Reset": f"{time.time() + 1:.3f}",
        "X-RateLimit-Reset-After": "1.000",
        "X-RateLimit-Bucket": format(abs(hash(bucket)), "x")[:16],
    }


def _fault_response(fault: _Fault) -> web.Response:
    if fault.status != 429:
        return _error(fault.status, 0, f"{fault.status}: fault injected by test")
    response = _error_body(
        429,
        {
            "message": "You are being rate limited.",
            "retry_after": fault.retry_after,
            "global": False,
        },
    )
    response.headers.update(
        {
            "Retry-After": str(math.ceil(fault.retry_after)),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + fault.retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{fault.retry_after:.3f}",
            "X-RateLimit-Bucket": "fault",
            "X-RateLimit-Scope": "user",
            "Via": "1.1 google",
        }
    )
    return response


async def _read_body(http: web.Request) -> tuple[Any, list[tuple[str, bytes]]]:
    """JSON body, or multipart ``payload_json`` plus ``files[n]`` (name, content)."""
    if not http.can_read_body:
        return None, []
    if http.content_type.startswith("multipart/"):
        body: Any = None
        files: list[tuple[str, bytes]] = []
        reader = await http.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                continue
            data = await part.read()
            if part.name == "payload_json":
                body = json.loads(data)
            else:
                files.append((part.filename or part.name or "", bytes(data)))
        return body, files
    raw = await http.read()
    if not raw:
        return None, []
    try:
        return json.loads(raw), []
    except ValueError:
        return raw.decode(errors="replace"), []


_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")


def _apply_mentions(message: JSON, allowed: Any, fake: FakeDiscord) -> None:
    """Fill ``mentions`` as Discord would: who this message actually pings."""
    content = message.get("content") or ""
    if not isinstance(allowed, dict):
        allowed = {"parse": ["users", "roles", "everyone"]}
    parse = set(allowed.get("parse") or [])
    users = {str(u) for u in allowed.get("users") or []}
    roles = {str(r) for r in allowed.get("roles") or []}
    known = {u.id: u for g in fake.guilds for u in g.members}
    pinged = [
        uid
        for uid in dict.fromkeys(_USER_MENTION.findall(content))
        if "users" in parse or uid in users
    ]
    message["mentions"] = [
        (known[uid].to_json() if uid in known else User(uid, "unknown").to_json()) for uid in pinged
    ]
    message["mention_roles"] = [
        rid
        for rid in dict.fromkeys(_ROLE_MENTION.findall(content))
        if "roles" in parse or rid in roles
    ]
    message["mention_everyone"] = "everyone" in parse and (
        "@everyone" in content or "@here" in content
    )
