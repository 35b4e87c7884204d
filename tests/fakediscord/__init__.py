"""A local fake of Discord's REST API and gateway that discord.py cannot tell from the real one."""

from tests.fakediscord.harness import pointed_at, running
from tests.fakediscord.objects import JSON, User
from tests.fakediscord.server import FakeDiscord, FakeUsageError, Interaction, Request

__all__ = [
    "JSON",
    "FakeDiscord",
    "FakeUsageError",
    "Interaction",
    "Request",
    "User",
    "pointed_at",
    "running",
]
