"""Command line: one sub-command per front-end action, all calling the core.

Each feature module in ``FEATURES`` adds its own sub-commands (``add_parsers``), so
features stay independent and a new one is one line here. ``main`` owns what every
command shares: settings errors, user errors, ``--json`` errors, Ctrl-C, a closed
pipe. Exit codes are in ``bot.cli._output``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

from bot import __version__
from bot.cli import _output, content, db, plan, prompts, run
from bot.core.errors import StorageError, UserError
from bot.settings import SettingsError

#: The modules that add sub-commands, in the order ``--help`` lists them.
FEATURES: tuple[Any, ...] = (run, content, prompts, plan, db)


def build_parser() -> _output.Parser:
    parser = _output.Parser(
        prog="python -m bot",
        description="essay-bot: read and discuss an essay, on Discord or offline.",
    )
    parser.add_argument("--version", action="version", version=f"essay-bot {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for feature in FEATURES:
        feature.add_parsers(sub)
    # No sub-command means: start the bot.
    parser.set_defaults(func=run.cmd_run, sync=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in arguments
    token = _output.json_errors.set(as_json)
    try:
        args = build_parser().parse_args(arguments)
        return _run(args.func, args, as_json)
    finally:
        _output.json_errors.reset(token)


def _run(func: Any, args: Any, as_json: bool) -> int:
    try:
        result: int = func(args)
    except _output.Failure as exc:
        _output.report_error(str(exc), as_json=as_json)
        return exc.code
    except SettingsError as exc:
        _output.report_error(str(exc), as_json=as_json)
        return _output.REFUSED
    except StorageError as exc:  # before UserError: a database problem is a failure
        _output.report_error(str(exc), as_json=as_json)
        return _output.FAILED
    except UserError as exc:
        _output.report_error(str(exc), as_json=as_json)
        return _output.REFUSED
    except KeyboardInterrupt:
        sys.stderr.write("\ninterrupted\n")
        return 130
    except BrokenPipeError:
        # The reader went away (``... --json | head``): not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return result
