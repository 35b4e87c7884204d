"""``python -m bot db copy --from sqlite:PATH --to postgresql://…``: move to PostgreSQL.

Stop the bot first (a prompt added during the copy would be left behind); the copy can
be run again safely, for instance after an interruption.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from bot.core.db import is_postgres_url, open_database
from bot.core.db.copy import copy_database
from bot.core.errors import StorageError


def add_parsers(sub: Any) -> None:
    db = sub.add_parser("db", help="database tools")
    tools = db.add_subparsers(dest="db_command", metavar="TOOL", required=True)
    copy = tools.add_parser(
        "copy", help="copy prompts, events and plans from a SQLite file to PostgreSQL"
    )
    copy.add_argument("--from", dest="source", required=True, metavar="sqlite:PATH")
    copy.add_argument("--to", dest="target", required=True, metavar="postgresql://…")
    copy.set_defaults(func=cmd_copy)


def cmd_copy(args: argparse.Namespace) -> int:
    source: str = args.source
    if not source.startswith("sqlite:"):
        print("error: --from must be sqlite:PATH (the bot's SQLite file)", file=sys.stderr)
        return 2
    path = Path(source.removeprefix("sqlite:"))
    if not path.is_file():
        print(f"error: no SQLite file at {path}", file=sys.stderr)
        return 2
    if not is_postgres_url(args.target):
        print("error: --to must be a postgresql:// URL", file=sys.stderr)
        return 2
    try:
        lines = asyncio.run(_copy(path, args.target))
    except StorageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for line in lines:
        print(line)
    return 0


async def _copy(path: Path, url: str) -> list[str]:
    source = await open_database(path)
    try:
        target = await open_database(url)
        try:
            report = await copy_database(source, target)
        finally:
            await target.close()
    finally:
        await source.close()
    return [f"copied {path} to {target.where}:", *report.lines()]
