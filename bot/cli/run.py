"""``python -m bot [run [--sync]]`` starts the bot; ``python -m bot console`` runs offline.

discord.py and aiohttp are imported where the bot starts, not at the top: every
one-shot command (``export``, ``quote``, ``prompt``...) builds this module's parser,
and should not pay for a Discord client it never opens.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import logging
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import urlsplit

from bot.cli._output import FAILED, REFUSED
from bot.cli._terminal import ask
from bot.core.errors import StorageError
from bot.services import Caller, Services
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.app import Closer
    from bot.console import Console

log = logging.getLogger(__name__)

DISCORD_API = "https://discord.com/api/v10"
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
#: The server the console's prompts belong to unless ``--guild`` says otherwise.
CONSOLE_GUILD = "0"


def add_parsers(sub: Any) -> None:
    run = sub.add_parser("run", help="start the bot (the default)")
    run.add_argument(
        "--sync", action="store_true", help="sync slash commands even if they look unchanged"
    )
    run.set_defaults(func=cmd_run)
    console = sub.add_parser("console", help="try the commands offline, in this terminal")
    console.add_argument(
        "--guild", default=CONSOLE_GUILD, help="server id the prompts belong to (default: 0)"
    )
    console.add_argument(
        "--user", default=None, help="your name, as the prompts' author (default: your login)"
    )
    console.add_argument(
        "--moderator",
        action="store_true",
        help="act with moderator rights: remove anyone's prompts, export",
    )
    console.add_argument(
        "--exports",
        type=Path,
        default=None,
        help="folder for /prompts-admin export files (default: exports/ beside the database)",
    )
    console.set_defaults(func=cmd_console)


def setup_logging(settings: Settings) -> None:
    import discord

    discord.utils.setup_logging(level=settings.log_level_number, root=True)
    logging.getLogger("discord.http").setLevel(logging.WARNING)


# --- the bot --------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace) -> int:
    settings = Settings.load()
    setup_logging(settings)
    if not settings.discord_token:
        if sys.stdin.isatty() and sys.stdout.isatty():
            return _offer_console(settings)
        print(NO_TOKEN_LINE, file=sys.stderr)
        return REFUSED
    return asyncio.run(serve(settings, sync=bool(getattr(args, "sync", False))))


def _offer_console(settings: Settings) -> int:
    print(NO_TOKEN)
    try:
        answer = ask("Open the offline console instead? [Y/n] ").strip().lower()
    except (EOFError, KeyboardInterrupt):
        print()
        return REFUSED
    if answer not in ("", "y", "yes"):
        return REFUSED
    return run_console(settings, console_caller(None, CONSOLE_GUILD, moderator=False), None)


def api_base(settings: Settings) -> str:
    """Where discord.py's REST calls go: Discord, or ``DISCORD_API_BASE`` (a fake Discord)."""
    import discord

    if settings.discord_api_base is not None:
        discord.http.Route.BASE = settings.discord_api_base
    return str(discord.http.Route.BASE)


async def reach_discord(base: str, seconds: float, *, point_gateway: bool) -> None:
    """Ask ``<base>/gateway`` where the gateway is: proof that Discord can be reached.

    Done before anything else, with a time limit, so an unreachable Discord is one
    line at start-up instead of a traceback minutes later. With a fake Discord the
    answer also points discord.py's gateway there (since 2.4 it dials its built-in
    address, so an API base alone would send the websocket to the real Discord).
    """
    import aiohttp
    import yarl
    from discord.gateway import DiscordWebSocket

    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=seconds)) as session,
        session.get(f"{base}/gateway") as response,
    ):
        if not point_gateway:
            return  # any answer at all: Discord is there; the login says the rest
        response.raise_for_status()
        try:
            url = str((await response.json(content_type=None))["url"])
        except (ValueError, KeyError, TypeError) as exc:
            raise aiohttp.ClientPayloadError(f"no gateway address in the answer ({exc})") from exc
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
    log.warning("using a non-Discord gateway at %s", url)


def unreachable(exc: BaseException, base: str, timeout: float) -> str | None:
    """One line saying why Discord could not be reached and what to check, or ``None``."""
    import aiohttp

    where = urlsplit(base).netloc or base
    custom = base != DISCORD_API
    check_base = ", and DISCORD_API_BASE" if custom else ""
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return (
            f"cannot reach Discord: the name {urlsplit(base).hostname} could not be resolved; "
            f"check the network connection and DNS{check_base}"
        )
    if isinstance(exc, aiohttp.ClientConnectorError) and isinstance(
        exc.os_error, ConnectionRefusedError
    ):
        return (
            f"cannot reach Discord: {where} refused the connection; "
            f"check the network connection, proxy or firewall{check_base}"
        )
    if isinstance(exc, TimeoutError):
        return (
            f"cannot reach Discord: {where} did not answer within {timeout:g} s; "
            "check the network connection, or raise DISCORD_TIMEOUT"
        )
    if isinstance(exc, aiohttp.ClientResponseError):
        return f"Discord answered {exc.status} {exc.message} at {base}/gateway; try again later"
    if isinstance(exc, aiohttp.ClientError | OSError):
        return f"cannot reach Discord at {where} ({exc}); check the network connection{check_base}"
    return None


async def serve(settings: Settings, *, sync: bool) -> int:
    """The bot's whole life: local checks, then Discord, then run until a signal.

    The essays and the database are opened first, so a bad ``DATABASE_PATH`` or an
    empty seeds folder is reported before any connection is made.
    """
    from bot.runtime import StartupError, open_services

    try:
        services, close = await open_services(settings)
    except (StorageError, StartupError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return FAILED
    close_once = _once(close)
    try:
        return await _connect(settings, sync, services, close_once)
    finally:
        await close_once()


def _once(close: Closer) -> Closer:
    """The bot closes the services on shutdown, ``serve`` when it never got that far."""
    done = False

    async def run() -> None:
        nonlocal done
        if not done:
            done = True
            await close()

    return run


async def _connect(settings: Settings, sync: bool, services: Services, close: Closer) -> int:
    import discord

    from bot.app import EssayBot

    base = api_base(settings)
    if settings.discord_api_base is not None:
        log.warning("using a non-Discord API at %s (DISCORD_API_BASE)", base)
    try:
        await reach_discord(
            base, settings.discord_timeout, point_gateway=settings.discord_api_base is not None
        )
    except Exception as exc:
        message = unreachable(exc, base, settings.discord_timeout)
        if message is None:
            raise
        print(f"error: {message}", file=sys.stderr)
        return FAILED

    async def opened(_: Settings) -> tuple[Services, Closer]:
        return services, close

    bot = EssayBot(settings, open_services=opened, force_sync=sync)
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
        return FAILED
    except discord.PrivilegedIntentsRequired:
        print(
            "error: the bot asked for an intent the developer portal has not enabled",
            file=sys.stderr,
        )
        return FAILED
    except Exception as exc:
        message = unreachable(exc, base, settings.discord_timeout)
        if message is None:
            raise
        print(f"error: {message}", file=sys.stderr)
        return FAILED
    finally:
        if closing:
            await asyncio.gather(*closing, return_exceptions=True)
    return 0


# --- the console ----------------------------------------------------------------------


def console_caller(user: str | None, guild: str, *, moderator: bool) -> Caller:
    """The console's member: a name, not an id, so nobody mistakes it for a Discord user."""
    name = (user or _login_name()).strip() or "console"
    return Caller(
        user=name, guild=guild, channel=None, can_moderate=moderator, can_manage_guild=moderator
    )


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in this environment
        return "console"


def cmd_console(args: argparse.Namespace) -> int:
    settings = Settings.load()
    setup_logging(settings)
    caller = console_caller(args.user, args.guild, moderator=args.moderator)
    return run_console(settings, caller, args.exports)


def banner(caller: Caller, exports: Path, settings: Settings) -> str:
    """Who the console acts as, with which rights, and where its files go."""
    if caller.can_moderate:
        rights = (
            "with moderator rights (--moderator): /prompts-admin removes any prompt and exports"
        )
    else:
        rights = (
            "without moderator rights: /prompt remove takes only your own prompts "
            "(start with --moderator for /prompts-admin)"
        )
    return (
        f"essay-bot console: you are {caller.user}, a local member of server {caller.guild}, "
        f"{rights}.\nPrompts are kept in {settings.database_path}; "
        f"/prompts-admin export writes to {exports.resolve()}/.\n"
        "Ctrl-D or /quit leaves."
    )


def run_console(
    settings: Settings,
    caller: Caller,
    exports: Path | None,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
) -> int:
    """The console, however it was started: the same banner, rights and exits.

    Lines are read in the main thread, outside the event loop, so Ctrl-C interrupts
    the prompt at once (a reader thread would hold the process until Enter); each
    command then runs to completion on one long-lived loop.
    """
    from bot.console import HELP, Console
    from bot.runtime import StartupError, open_services

    if settings.log_level_number > logging.DEBUG:
        # Start-up INFO lines would land in the middle of the conversation.
        logging.getLogger().setLevel(max(settings.log_level_number, logging.WARNING))
    folder = exports if exports is not None else settings.database_path.parent / "exports"
    source = sys.stdin if stdin is None else stdin
    with asyncio.Runner() as runner:
        try:
            services, close = runner.run(open_services(settings))
        except (StorageError, StartupError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return FAILED
        except KeyboardInterrupt:
            return 130
        console = Console(services, caller, out=sys.stdout if out is None else out, exports=folder)
        try:
            console.print(banner(caller, folder, settings))
            console.print(HELP)
            _converse(runner, console, source)
        finally:
            runner.run(_call(close))
    return 0


async def _call(close: Closer) -> None:
    await close()


def _converse(runner: asyncio.Runner, console: Console, source: TextIO) -> None:
    interactive = source is sys.stdin and source.isatty()
    try:
        while True:
            line = ask("> ") if interactive else source.readline()
            if not line and not interactive:
                break
            if not runner.run(console.handle(line)):
                break
    except EOFError:  # Ctrl-D at the prompt
        console.print("")
    except KeyboardInterrupt:  # Ctrl-C at the prompt, or during a command
        console.print("")
