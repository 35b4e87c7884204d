"""The reading plan's spoiler guard, for the look-up commands (not an extension).

While a plan runs, an answer from a section the group has not reached is shown inside
spoiler bars with the date its session is scheduled for, and a "Reveal" button shows it
to whoever presses it, privately. ``/plan-admin spoiler-guard`` turns this off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.core.plan.service import ReadingPoint
from bot.services import Services

REVEAL = "Reveal (only you)"


@dataclass(frozen=True, slots=True)
class Guard:
    """A server's reading point at the moment a command was answered."""

    point: ReadingPoint
    now: datetime

    def ahead(self, document: str, section: int) -> datetime | None:
        """When the section is scheduled, if the group has not reached it; else ``None``."""
        return self.point.scheduled(document, section, self.now)

    def hides(self, document: str, section: int) -> bool:
        return self.ahead(document, section) is not None


async def guard_for(services: Services, guild: str | None) -> Guard | None:
    """The guard for a command in ``guild``; ``None`` in DMs, without a plan or turned off."""
    if guild is None:
        return None
    point = await services.plans.reading_point(guild)
    return Guard(point, datetime.now(UTC)) if point is not None else None


def scheduled_note(section: int, due: datetime) -> str:
    return f"§ {section} is scheduled for <t:{int(due.timestamp())}:D>."


def spoilered(text: str) -> str:
    """Markdown-escaped text inside spoiler bars (escaping keeps a "||" in it inert)."""
    return f"||{text}||"
