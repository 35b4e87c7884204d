"""``python -m bot plan set|show|due``: a server's reading plan, offline.

The same ``PlanService`` as the bot's plan cog, on the database named by
``DATABASE_PATH``. Options come from
``bot.commands.SPECS``, as for the console. Exit codes are ``bot.cli._output``'s:
0 done, 2 refused (one line on stderr, nothing stored), 1 the database failed.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.cli._output import print_json
from bot.commands import SPECS, add_cli_arguments
from bot.core.errors import InvalidInput
from bot.core.model import Library
from bot.core.plan.model import PlanView
from bot.core.plan.service import DueReport, ReadingPoint, essay_scope, sections_per_session
from bot.core.plan.service import reading_point as read_point
from bot.core.plan.store import PlanStore
from bot.core.prompt_store import PromptStore
from bot.services import Services
from bot.settings import Settings

Action = Callable[[Services, argparse.Namespace], Awaitable[int]]


def add_parsers(sub: Any) -> None:
    plan = sub.add_parser("plan", help="the server's reading plan: set, show, due")
    actions = plan.add_subparsers(dest="plan_action", metavar="ACTION", required=True)
    handlers: dict[str, Action] = {"set": _set, "show": _show, "due": _due}
    for name, handler in handlers.items():
        parser = _action(actions, name, handler)
        if name == "set":
            parser.add_argument(
                "--moderator", action="store_true", help="act with moderator rights (Manage Server)"
            )


def _action(actions: Any, name: str, run: Action) -> argparse.ArgumentParser:
    """One ``plan`` action: its options from the registry, then the server and who acts."""
    spec = SPECS[f"plan {name}"]
    parser: argparse.ArgumentParser = actions.add_parser(name, help=spec.help)
    add_cli_arguments(parser, spec)
    parser.add_argument("--guild", required=True, help="server id")
    parser.add_argument("--user", help="id of the member acting (plan set)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--seeds", type=Path, help="folder of essays (default: $SEEDS_DIR)")
    parser.set_defaults(func=lambda args: _run(args, run))
    return parser


def _run(args: argparse.Namespace, action: Action) -> int:
    """Check what can be checked before the database opens; ``main`` reports refusals."""
    settings = Settings.load()
    if args.seeds is not None:
        settings = dataclasses.replace(settings, seeds_dir=args.seeds)
    for option in ("guild", "user", "channel"):
        if getattr(args, option, None) is not None:
            setattr(args, option, snowflake(getattr(args, option), f"--{option}"))
    return asyncio.run(_with_services(settings, args, action))


async def _with_services(settings: Settings, args: argparse.Namespace, action: Action) -> int:
    from bot.runtime import open_services

    services, close = await open_services(settings)
    try:
        return await action(services, args)
    finally:
        await close()


async def _set(services: Services, args: argparse.Namespace) -> int:
    view = await services.plans.set_plan(
        guild=args.guild,
        user=_needed(args, "user"),
        moderator=args.moderator,
        channel=_needed(args, "channel"),
        every=_needed(args, "every"),
        day=args.day,
        at=_needed(args, "at"),
        tz=_needed(args, "tz"),
        start=args.start,
        per_session=sections_per_session(getattr(args, "per-session")),
        essay=args.essay,
        now=datetime.now(UTC),
    )
    _print_view(args, view)
    return 0


async def _show(services: Services, args: argparse.Namespace) -> int:
    _print_view(args, await services.plans.show(args.guild))
    return 0


async def _due(services: Services, args: argparse.Namespace) -> int:
    report = await services.plans.due(args.guild, parse_instant(_needed(args, "at")))
    if args.json:
        print_json(report.to_json())
    else:
        print(describe_due(report))
    return 0


def reading_point(guild: str) -> ReadingPoint | None:
    """The server's reading point now, from the database in ``DATABASE_PATH``."""
    settings = Settings.load()

    async def read() -> ReadingPoint | None:
        store = await PromptStore.open(settings.database)
        try:
            point = await read_point(PlanStore(store), guild)
        finally:
            await store.close()
        return point

    return asyncio.run(read())


def essay_scope_of(guild: str, library: Library, essay: str | None) -> str | None:
    """The essay a look-up in ``guild`` searches (see ``essay_scope``), from the database."""
    settings = Settings.load()

    async def read() -> str | None:
        store = await PromptStore.open(settings.database_path)
        try:
            return await essay_scope(PlanStore(store), library.documents, guild, essay)
        finally:
            await store.close()

    return asyncio.run(read())


def parse_instant(typed: str) -> datetime:
    """An ISO-8601 instant; without an offset it is read as UTC."""
    try:
        instant = datetime.fromisoformat(typed.strip())
    except ValueError:
        raise InvalidInput(
            f"{typed!r} is not an ISO-8601 instant like 2026-06-01T17:00Z."
        ) from None
    return instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)


def describe(view: PlanView) -> str:
    """The plan as lines of text: settings, then one line per session."""
    plan = view.plan
    lines = [
        f"Reading plan ({plan.state}): {view.document_title}",
        f"Current essay here: {view.current_essay or 'none chosen'}",
        f"{plan.rhythm.describe()} in channel {plan.channel}; "
        f"spoiler guard {'on' if view.spoiler_guard else 'off'}",
    ]
    if plan.problem:
        lines.append(f"problem: {plan.problem}")
    for session in view.sessions:
        local = session.due_at.astimezone(plan.zone)
        sections = ", ".join(f"§ {n}" for n in session.sections)
        when = f"{local:%a %Y-%m-%d %H:%M %Z}"
        line = f"  {session.number:>3}. {when}  {sections}  {session.public_status}"
        if session.error:
            line += f" ({session.error})"
        lines.append(line)
    return "\n".join(lines)


def describe_due(report: DueReport) -> str:
    if not report.post and not report.missed:
        return "Nothing is due then."
    lines = [
        f"post session {d.session.number}" + (" (late)" if d.late else "") for d in report.post
    ]
    lines += [f"mark session {s.number} missed" for s in report.missed]
    return "\n".join(lines)


def _print_view(args: argparse.Namespace, view: PlanView) -> None:
    if args.json:
        print_json(view.to_json())
    else:
        print(describe(view))


def snowflake(raw: str, option: str) -> str:
    """Discord ids are digits; anything else is a typo that would silently match nothing."""
    value = raw.strip()
    if not (value.isascii() and value.isdigit() and len(value) <= 20):
        raise InvalidInput(f"{option} must be a Discord id (digits), got {raw!r}.")
    return value


def _needed(args: argparse.Namespace, option: str) -> str:
    value: str | None = getattr(args, option)
    if value is None or not value.strip():
        raise InvalidInput(f"plan {args.plan_action} needs --{option}.")
    return value
