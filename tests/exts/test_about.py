from __future__ import annotations

import re

from bot import __version__
from bot.exts.about import about_reply, format_uptime
from bot.services import Services
from tests.exts.harness import EPHEMERAL, Harness


async def test_about_lists_the_essay_counts_version_and_uptime(harness: Harness) -> None:
    answer = await harness.answer(harness.slash("about"))
    assert answer.data["flags"] & EPHEMERAL
    fields = {f["name"]: f["value"] for f in answer.data["embeds"][0]["fields"]}
    assert "2 sections · 3 paragraphs · 2 quotes · 1 speaker" in fields["A Tale of Two Rivers"]
    assert fields["Version"] == __version__
    assert fields["Uptime"] == "less than a minute"
    # the process's health: one shard (discord.py asked the fake), the gateway's latency
    assert fields["Shards"] == "shards 0 of 1"
    assert re.fullmatch(r"\d+ ms|no heartbeat yet", fields["Latency"])
    assert fields["Database"] == "sqlite"


def test_uptime_reads_naturally(services: Services) -> None:
    assert format_uptime(59) == "less than a minute"
    assert format_uptime(3 * 3600 + 12 * 60) == "3 h 12 min"
    assert format_uptime(2 * 86400 + 3600) == "2 d 1 h"
    embed = about_reply(services, now=services.started + 7200).embed
    assert embed is not None
    assert embed.fields[-1].value == "2 h 0 min"
