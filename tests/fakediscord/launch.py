"""``python -m tests.fakediscord.launch ARGS``: ``python -m bot ARGS`` with the gateway on the fake.

The bot honours ``DISCORD_API_BASE`` for REST, but discord.py (since 2.4)
dials its built-in gateway address instead of asking ``/gateway``. This asks
the fake's ``/gateway`` (as discord.py once did) and points the gateway there,
then runs the bot's own entry point unchanged.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request

import yarl
from discord.gateway import DiscordWebSocket


def main() -> int:
    base = os.environ["DISCORD_API_BASE"]
    if not base.startswith("http://127.0.0.1:"):
        raise SystemExit("the launcher only talks to a local fake Discord")
    with urllib.request.urlopen(base + "/gateway", timeout=5) as response:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(json.load(response)["url"])
    from bot.cli import main as bot_main

    return bot_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
