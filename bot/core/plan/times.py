"""Local time for a reading plan: IANA zones, rhythms, and the one rule for odd local times.

Times are stored in UTC and computed here from the plan's wall-clock time, so a 19:00
session stays at 19:00 local across daylight-saving changes (the UTC instant moves).

The rule for local times that do not exist or happen twice (documented for moderators
in the README):

- a time in a spring-forward gap is moved forward by the length of the gap (02:30 on a
  night the clocks jump from 02:00 to 03:00 becomes 03:30), which is where the clock is
  that long after the last moment before the gap;
- a time that happens twice (fall-back) is the first occurrence (still daylight time).

Both follow from PEP 495's ``fold=0`` and a round trip through UTC.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo, available_timezones

from rapidfuzz import fuzz

from bot.core.errors import InvalidInput

Every = Literal["day", "weekday", "week"]
EVERY: tuple[Every, ...] = ("day", "weekday", "week")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name this machine knows (from ``tzdata`` where the OS has none)."""
    return tuple(sorted(available_timezones()))


def zone_suggestions(typed: str, limit: int = 5) -> list[str]:
    """The zone names nearest to what was typed ("paris" → "Europe/Paris"), best first."""
    typed = typed.strip()
    if not typed:
        return []
    names = zone_names()
    query = typed.replace("_", " ").casefold()
    # Scored against the whole name and against its city part, so "Europe/Pari",
    # "paris" and "new york" all find their zone.
    scores: dict[str, float] = {}
    for name in names:
        full = name.replace("_", " ").casefold()
        city = full.rsplit("/", 1)[-1]
        scores[name] = max(fuzz.ratio(query, full), fuzz.ratio(query, city))
    ranked = sorted((n for n in names if scores[n] >= 70), key=lambda n: (-scores[n], n))
    return ranked[:limit]


def parse_zone(typed: str) -> ZoneInfo:
    """The IANA zone named exactly (case-insensitively), or ``InvalidInput`` with suggestions.

    Abbreviations and offsets ("CET", "UTC+2") are refused because they do not follow
    daylight saving; only a place-based name keeps 19:00 at 19:00 all year.
    """
    wanted = typed.strip()
    exact = {n.casefold(): n for n in zone_names()}.get(wanted.casefold())
    if exact is not None and _place_based(exact):
        return ZoneInfo(exact)
    hints = [n for n in zone_suggestions(wanted) if _place_based(n)]
    message = f"{wanted!r} is not a time zone name like Europe/Paris or America/New_York."
    if hints:
        message += " Did you mean " + ", ".join(hints[:3]) + "?"
    raise InvalidInput(message)


def _place_based(name: str) -> bool:
    """Area/City names (and plain UTC); legacy abbreviations like CET or EST5EDT are not."""
    return name == "UTC" or ("/" in name and not name.startswith("Etc/"))


def parse_time(typed: str) -> time:
    """``HH:MM`` on a 24-hour clock."""
    match = _HHMM.match(typed.strip())
    if not match:
        raise InvalidInput(f"{typed!r} is not a time of day; use HH:MM on a 24-hour clock (19:00).")
    return time(int(match.group(1)), int(match.group(2)))


def parse_day(typed: str) -> int:
    """Monday is 0, as ``date.weekday()`` counts."""
    key = typed.strip().casefold()[:3]
    if key not in DAYS:
        raise InvalidInput(f"{typed!r} is not a day of the week; use mon, tue, … sun.")
    return DAYS.index(key)


def parse_every(typed: str) -> Every:
    key = typed.strip().casefold()
    for every in EVERY:
        if key == every:
            return every
    raise InvalidInput(f"{typed!r} is not a rhythm; use day, weekday or week.")


def to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock ``at`` on ``day`` in ``zone``, by the module's rule."""
    local = datetime.combine(day, at, tzinfo=zone).replace(fold=0)
    return local.astimezone(UTC)


def local(instant: datetime, zone: ZoneInfo) -> datetime:
    return instant.astimezone(zone)


@dataclass(frozen=True, slots=True)
class Rhythm:
    """When sessions happen: every day, every weekday (Mon–Fri) or every week on ``day``."""

    every: Every
    at: time
    zone: ZoneInfo
    day: int | None = None  # 0 = Monday; only for "week"

    def __post_init__(self) -> None:
        if (self.every == "week") != (self.day is not None):
            raise InvalidInput(
                "A weekly plan needs its day (--day mon..sun); other rhythms take none."
            )

    def matches(self, day: date) -> bool:
        if self.every == "day":
            return True
        if self.every == "weekday":
            return day.weekday() < 5
        return day.weekday() == self.day

    def slots(self, start: date, not_before: datetime | None = None) -> Iterator[datetime]:
        """The UTC instants of sessions from ``start`` on, skipping any before ``not_before``."""
        day = start
        while True:
            if self.matches(day):
                instant = to_utc(day, self.at, self.zone)
                if not_before is None or instant >= not_before:
                    yield instant
            day += timedelta(days=1)

    def describe(self) -> str:
        when = {"day": "every day", "weekday": "every weekday (Mon–Fri)"}.get(self.every)
        if when is None:
            when = (
                "every "
                + ("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())[
                    self.day or 0
                ]
            )
        return f"{when} at {self.at:%H:%M} ({self.zone.key})"


def today_in(zone: ZoneInfo, now: datetime | None = None) -> date:
    return (now or datetime.now(UTC)).astimezone(zone).date()
