"""Running the real bot against the fake: in-process, or as ``python -m bot run``.

In-process runs build ``EssayBot`` exactly as ``bot.cli.run.serve`` does and
share the test's event loop, so a test reads the bot's state directly; the
subprocess run is for what only a process has (signals, exit status).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

from bot.app import EssayBot
from bot.runtime import open_services
from bot.settings import Settings
from tests.fakediscord import JSON, FakeDiscord, Interaction, running
from tests.fakediscord.harness import final_message as final_message  # where tests found it

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


def environment(fake: FakeDiscord, data_dir: Path) -> dict[str, str]:
    """What ``make run`` reads from ``.env``, aimed at the fake and a scratch database."""
    return {
        "DISCORD_TOKEN": fake.token,
        "DEV_GUILD_ID": fake.guild.id,
        "DATABASE_PATH": str(data_dir / "essay-bot.sqlite3"),
        "SEEDS_DIR": str(SEEDS),
        "LOG_LEVEL": "INFO",
        "DISCORD_API_BASE": fake.api_base,
    }


def settings_for(fake: FakeDiscord, data_dir: Path) -> Settings:
    return Settings.load(env_file=data_dir / "no.env", environ=environment(fake, data_dir))


@contextlib.asynccontextmanager
async def bot_running(
    fake: FakeDiscord, data_dir: Path, *, sync: bool = False
) -> AsyncIterator[EssayBot]:
    bot = EssayBot(settings_for(fake, data_dir), open_services=open_services, force_sync=sync)
    async with running(bot, fake, ready_within=60):
        yield bot


@contextlib.contextmanager
def bot_process(
    fake: FakeDiscord, data_dir: Path, log_path: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """``python -m bot run``, unchanged, with its log in ``log_path``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DEV_GUILD"))}
    env.update(environment(fake, data_dir))
    env["PYTHONPATH"] = str(ROOT)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=data_dir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait(10)


def stored_texts(database: Path) -> list[str]:
    """Every text value in every table of the bot's SQLite file, read as a separate client."""
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        texts: list[str] = []
        for table in tables:
            quoted = '"' + table.replace('"', '""') + '"'
            for row in connection.execute(f"SELECT * FROM {quoted}"):
                texts.extend(v for v in row if isinstance(v, str))
        return texts
    finally:
        connection.close()


def rendered(message: JSON) -> str:
    """All the text a member sees in a message: content, embed text, button labels."""
    parts = [message.get("content") or ""]
    for embed in message.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [(embed.get("author") or {}).get("name") or ""]
        parts += [(embed.get("footer") or {}).get("text") or ""]
        for item in embed.get("fields") or []:
            parts += [item.get("name") or "", item.get("value") or ""]
    return "\n".join(parts)


def labels(message: JSON) -> list[str]:
    return [
        c.get("label") or ""
        for row in message.get("components") or []
        for c in row.get("components") or []
    ]


async def run(fake: FakeDiscord, payload: JSON, within: float = 10.0) -> tuple[Interaction, JSON]:
    record = await fake.send_interaction(payload)
    return record, await final_message(fake, record, within)
