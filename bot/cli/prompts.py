"""``python -m bot prompt add|random|list|remove|restore|export``: the prompt log offline.

The same ``PromptService`` as the bot, on the database named by ``DATABASE_PATH``
(environment or ``.env``), acting as ``--user`` in ``--guild``. Exit codes: 0 done,
2 refused (one line on stderr, nothing stored), 1 the database or the essays failed.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bot.cli._output import REFUSED, Failure, print_json
from bot.cli.content import load_for_cli, require_essays
from bot.commands import SPECS, add_cli_arguments
from bot.core.errors import InvalidInput
from bot.core.model import Library
from bot.core.plan.service import essay_scope
from bot.core.plan.store import PlanStore
from bot.core.prompts import (
    Prompt,
    PromptService,
    PromptStore,
    SimilarPrompt,
    load_builtin_prompts,
)
from bot.core.search import SearchIndex
from bot.settings import Settings

Action = Callable[[PromptService, argparse.Namespace], Awaitable[int]]


def add_parsers(sub: Any) -> None:
    prompt = sub.add_parser("prompt", help="discussion prompts: add, random, list, remove, …")
    actions = prompt.add_subparsers(dest="prompt_action", metavar="ACTION", required=True)
    handlers: dict[str, Action] = {
        "add": _add,
        "random": _random,
        "list": _list,
        "remove": _change,
        "restore": _change,
        "export": _export,
    }
    for name, handler in handlers.items():
        parser = _action(actions, name, handler)
        if name in ("remove", "restore"):
            parser.add_argument(
                "--moderator", action="store_true", help="act with moderator rights (any author)"
            )
        if name == "export":
            parser.add_argument("--output", type=Path, help="write to this file instead of stdout")


def _action(actions: Any, name: str, run: Action) -> argparse.ArgumentParser:
    """One ``prompt`` action: its options from the registry, then who acts and where.

    ``export`` is a moderator's command on Discord (``/prompts-admin export``); here,
    where nobody needs hiding from, it is a ``prompt`` action like the others.
    """
    spec = SPECS.get(f"prompt {name}") or SPECS[f"prompts-admin {name}"]
    parser: argparse.ArgumentParser = actions.add_parser(name, help=spec.help)
    add_cli_arguments(parser, spec)
    parser.add_argument("--guild", required=True, help="server id")
    parser.add_argument("--user", required=True, help="id of the member acting")
    parser.add_argument("--channel", help="channel id, for the log")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--seeds", type=Path, help="folder of essays (default: $SEEDS_DIR)")
    parser.set_defaults(func=lambda args: _run(args, run))
    return parser


def _run(args: argparse.Namespace, action: Action) -> int:
    """Check what can be checked before the database opens; ``main`` reports refusals."""
    settings = Settings.load()
    args.guild = _snowflake(args.guild, "--guild")
    args.user = _snowflake(args.user, "--user")
    if args.channel is not None:
        args.channel = _snowflake(args.channel, "--channel")
    if getattr(args, "output", None) is not None:
        _check_output(args.output)
    return asyncio.run(_with_service(settings, args, action))


def load_reading(seeds: Path) -> tuple[Library, SearchIndex]:
    """The essays and their index, as the bot loads them (tests swap in a prebuilt one)."""
    library = load_for_cli(seeds)
    require_essays(seeds, library)
    return library, SearchIndex.build(library)


async def _with_service(settings: Settings, args: argparse.Namespace, action: Action) -> int:
    seeds = args.seeds or settings.seeds_dir
    _, index = load_reading(seeds)
    builtins, problems = load_builtin_prompts(seeds)
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    store = await PromptStore.open(settings.database)
    try:
        # Section names and random draws are of the server's current essay, as on Discord.
        documents = index.library.documents
        args.essay = await essay_scope(PlanStore(store), documents, args.guild, None)
        return await action(PromptService(store, index, builtins), args)
    finally:
        await store.close()


async def _add(service: PromptService, args: argparse.Namespace) -> int:
    try:
        prompt, created = await service.add(
            guild=args.guild,
            channel=args.channel,
            author=args.user,
            text=args.text,
            section=args.section,
            essay=args.essay,
            force=args.force,
        )
    except SimilarPrompt as similar:  # refused (exit 2); the flag is the "Add anyway" button
        raise SimilarPrompt(similar.similar, hint="add it anyway with --force") from None
    if not created:
        print(f"note: already there as {_name(prompt)}; nothing added", file=sys.stderr)
    _show(args, prompt, f"Added {_name(prompt)}{_cite(prompt)}." if created else None)
    return 0


async def _random(service: PromptService, args: argparse.Namespace) -> int:
    prompt = await service.random(
        guild=args.guild,
        channel=args.channel,
        actor=args.user,
        section=args.section,
        essay=args.essay,
    )
    _show(args, prompt, f"{_name(prompt)}{_cite(prompt)}: {prompt.text}")
    return 0


async def _list(service: PromptService, args: argparse.Namespace) -> int:
    prompts = await service.list(
        guild=args.guild,
        section=args.section,
        essay=args.essay,
        author=args.author,
        include_removed=args.all,
    )
    if args.json:
        print_json([p.to_json() for p in prompts])
        return 0
    if not prompts:
        print("No prompts.")
    for prompt in prompts:
        status = "" if prompt.status == "open" else " [removed]"
        print(f"#{prompt.number}{status}{_cite(prompt)} by {prompt.author}: {prompt.text}")
    return 0


async def _change(service: PromptService, args: argparse.Namespace) -> int:
    number = _number(args.number)
    change = service.remove if args.prompt_action == "remove" else service.restore
    prompt = await change(
        guild=args.guild,
        number=number,
        actor=args.user,
        can_moderate=args.moderator,
        channel=args.channel,
    )
    done = "Removed" if prompt.status == "removed" else "Restored"
    _show(args, prompt, f"{done} {_name(prompt)}.")
    return 0


async def _export(service: PromptService, args: argparse.Namespace) -> int:
    as_csv, as_json = await service.export(guild=args.guild)
    data = as_json if args.json else as_csv
    if args.output is None:
        sys.stdout.write(data.decode("utf-8"))
        return 0
    try:
        args.output.write_bytes(data)
    except OSError as exc:
        raise Failure(f"cannot write {args.output}: {exc.strerror or exc}", REFUSED) from None
    return 0


def _check_output(path: Path) -> None:
    """Refuse an ``--output`` that cannot be a file before anything else is done."""
    if path.is_dir():
        raise Failure(f"--output {path} is a folder; name a file in it", REFUSED)
    if not path.parent.is_dir():
        raise Failure(f"--output {path}: the folder {path.parent} does not exist", REFUSED)


def _show(args: argparse.Namespace, prompt: Prompt, line: str | None) -> None:
    if args.json:
        print_json(prompt.to_json())
    elif line is not None:
        print(line)


def _name(prompt: Prompt) -> str:
    return "a built-in prompt" if prompt.builtin else f"prompt #{prompt.number}"


def _cite(prompt: Prompt) -> str:
    if prompt.section is None:
        return ""
    paragraph = f" ¶ {prompt.paragraph}" if prompt.paragraph is not None else ""
    return f" (§ {prompt.section}{paragraph})"


def _snowflake(raw: str, option: str) -> str:
    """Discord ids are digits; anything else is a typo that would silently match nothing."""
    value = raw.strip()
    if not (value.isascii() and value.isdigit() and len(value) <= 20):
        raise InvalidInput(f"{option} must be a Discord id (digits), got {raw!r}.")
    return value


def _number(raw: str) -> int:
    value = raw.strip().removeprefix("#")
    if not (value.isascii() and value.isdigit()):
        raise InvalidInput(f"A prompt number is digits, like 12; got {raw!r}.")
    return int(value)
