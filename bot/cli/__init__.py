"""Command line: one sub-command per front-end action, all calling the core.

Each feature module adds its own sub-commands, so features stay independent;
``main`` only wires them together. Exit codes: 0 ok, 2 refused input, 1 failure.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from bot.cli import content, db, plan, prompts, run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="essay-bot: read and discuss an essay, on Discord or offline.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    content.add_parsers(sub)
    run.add_parsers(sub)
    prompts.add_parsers(sub)
    plan.add_parsers(sub)
    db.add_parsers(sub)
    # No sub-command means: start the bot.
    parser.set_defaults(func=run.cmd_run, sync=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result: int = args.func(args)
    except BrokenPipeError:
        # The reader went away (``... --json | head``): not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return result
