"""``python -m bot [run [--sync]]`` starts the bot; ``python -m bot console`` runs offline.

discord.py and aiohttp are imported where the bot starts, not at the top: every
one-shot command (``export``, ``quote``, ``prompt``...) builds this module's parser,
and should not pay for a Discord client it never opens.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from typing import Any, TextIO

from bot.core.errors import StorageError
from bot.services import Caller
from bot.settings import Settings, SettingsError

log = logging.getLogger(__name__)

NO_TOKEN = (
    "No Discord token is set. To get one: open https://discord.com/developers/applications, "
    "create an application, open its Bot tab, press Reset Token, and put it in .env as "
    "DISCORD_TOKEN=... (see .env.example). Invite the bot with the applications.commands "
    "and bot scopes."
)
NO_TOKEN_LINE = (
    "error: DISCORD_TOKEN is not set (see .env.example); `python -m bot console` works without one"
)
REJECTED = "error: Discord rejected the token in DISCORD_TOKEN; reset it in the developer portal"


def add_parsers(sub: Any) -> None:
    run = sub.add_parser("run", help="start the bot (the default)")
    run.add_argument(
        "--sync", action="store_true", help="sync slash commands even if they look unchanged"
    )
    run.set_defaults(func=cmd_run)
    console = sub.add_parser("console", help="try the commands offline, in this terminal")
    console.add_argument("--guild", default="0", help="server id the prompts belong to")
    console.add_argument("--user", default="0", help="your user id, as the prompts' author")
    console.set_defaults(func=cmd_console)


def load_settings() -> Settings | None:
    try:
        return Settings.load()
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


def setup_logging(settings: Settings) -> None:
    import discord

    discord.utils.setup_logging(level=settings.log_level_number, root=True)
    logging.getLogger("discord.http").setLevel(logging.WARNING)


def apply_api_base(environ: dict[str, str] | None = None) -> str | None:
    """Point discord.py at another API base (``DISCORD_API_BASE``): for end-to-end tests only."""
    import discord

    base = (os.environ if environ is None else environ).get("DISCORD_API_BASE", "").strip()
    if not base:
        return None
    if not base.startswith(("http://", "https://")):
        raise SettingsError(f"DISCORD_API_BASE must be an http(s) URL, got {base!r}")
    discord.http.Route.BASE = base.rstrip("/")
    return discord.http.Route.BASE


def cmd_run(args: argparse.Namespace) -> int:
    settings = load_settings()
    if settings is None:
        return 2
    try:
        base = apply_api_base()
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    setup_logging(settings)
    if base is not None:
        log.warning("using a non-Discord API at %s (DISCORD_API_BASE)", base)
    if not settings.discord_token:
        if sys.stdin.isatty() and sys.stdout.isatty():
            print(NO_TOKEN)
            answer = input("Open the offline console instead? [Y/n] ").strip().lower()
            if answer in ("", "y", "yes"):
                return asyncio.run(
                    console_session(settings, Caller(user="0", guild="0", channel=None))
                )
            return 2
        print(NO_TOKEN_LINE, file=sys.stderr)
        return 2
    return asyncio.run(serve(settings, sync=bool(getattr(args, "sync", False)), api_base=base))


async def point_gateway(api_base: str) -> None:
    """Ask ``<api_base>/gateway`` where the gateway is, as discord.py did before 2.4.

    discord.py now dials its built-in gateway address, so an API base alone would send
    the REST calls to the fake Discord and the websocket to the real one.
    """
    import aiohttp
    import yarl
    from discord.gateway import DiscordWebSocket

    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session,
            session.get(f"{api_base}/gateway") as response,
        ):
            response.raise_for_status()
            url = (await response.json())["url"]
    except (aiohttp.ClientError, TimeoutError, ValueError, KeyError, TypeError) as exc:
        log.warning("could not ask %s/gateway for the gateway: %s", api_base, exc)
        return
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
    log.warning("using a non-Discord gateway at %s", url)


async def serve(settings: Settings, *, sync: bool, api_base: str | None = None) -> int:
    import discord

    from bot.app import EssayBot
    from bot.runtime import open_services

    if api_base is not None:
        await point_gateway(api_base)

    bot = EssayBot(settings, open_services=open_services, force_sync=sync)
    loop = asyncio.get_running_loop()
    closing: list[asyncio.Task[None]] = []

    def stop(name: str) -> None:
        log.info("%s received: shutting down", name)
        closing.append(loop.create_task(bot.close()))

    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not on every platform
            loop.add_signal_handler(sig, stop, sig.name)
    try:
        async with bot:
            await bot.start(settings.discord_token.get_secret_value())
    except discord.LoginFailure:
        print(REJECTED, file=sys.stderr)
        return 1
    except discord.PrivilegedIntentsRequired:
        print(
            "error: the bot asked for an intent the developer portal has not enabled",
            file=sys.stderr,
        )
        return 1
    except StorageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        if closing:
            await asyncio.gather(*closing, return_exceptions=True)
    return 0


def cmd_console(args: argparse.Namespace) -> int:
    settings = load_settings()
    if settings is None:
        return 2
    setup_logging(settings)
    caller = Caller(
        user=args.user, guild=args.guild, channel=None, can_moderate=True, can_manage_guild=True
    )
    return asyncio.run(console_session(settings, caller))


async def console_session(
    settings: Settings, caller: Caller, stdin: TextIO | None = None, out: TextIO | None = None
) -> int:
    from bot.console import HELP, Console
    from bot.runtime import open_services

    if settings.log_level_number > logging.DEBUG:
        # Start-up INFO lines would land in the middle of the conversation.
        logging.getLogger().setLevel(max(settings.log_level_number, logging.WARNING))
    try:
        services, close = await open_services(settings)
    except StorageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    source = sys.stdin if stdin is None else stdin
    console = Console(services, caller, out=sys.stdout if out is None else out)
    interactive = source.isatty()
    try:
        console.print(HELP)
        while True:
            if interactive:
                try:
                    line = await asyncio.to_thread(input, "> ")
                except EOFError:
                    break
            else:
                line = source.readline()
                if not line:
                    break
            if not await console.handle(line):
                break
    finally:
        await close()
    return 0
