"""Local times of sessions: daylight saving, the gap and overlap rule, zones, rhythms."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from itertools import islice
from zoneinfo import ZoneInfo

import pytest

from bot.core.errors import InvalidInput
from bot.core.plan.times import (
    Rhythm,
    parse_day,
    parse_every,
    parse_time,
    parse_zone,
    to_utc,
    zone_suggestions,
)

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")


def test_a_19_00_session_stays_at_19_00_local_across_spring_forward() -> None:
    rhythm = Rhythm("day", time(19, 0), PARIS)
    slots = list(islice(rhythm.slots(date(2026, 3, 28)), 3))
    assert [s.astimezone(PARIS).strftime("%H:%M") for s in slots] == ["19:00"] * 3
    # The UTC instant moves by the hour the clocks moved (CET +01:00 → CEST +02:00).
    assert [s.hour for s in slots] == [18, 17, 17]


def test_a_19_00_session_stays_at_19_00_local_across_fall_back() -> None:
    rhythm = Rhythm("week", time(19, 0), NEW_YORK, day=6)  # Sundays; DST ends Sun 1 Nov 2026
    slots = list(islice(rhythm.slots(date(2026, 10, 25)), 2))
    assert [s.astimezone(NEW_YORK).strftime("%a %H:%M") for s in slots] == ["Sun 19:00"] * 2
    assert [s.hour for s in slots] == [23, 0]  # 19:00 EDT is 23:00 UTC, 19:00 EST is 00:00


def test_a_time_in_the_spring_forward_gap_moves_forward_by_the_gap() -> None:
    # Paris, 29 March 2026: 02:00 jumps to 03:00, so 02:30 does not exist.
    instant = to_utc(date(2026, 3, 29), time(2, 30), PARIS)
    assert instant == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert instant.astimezone(PARIS).strftime("%H:%M %z") == "03:30 +0200"


def test_a_time_that_happens_twice_is_its_first_occurrence() -> None:
    # Paris, 25 October 2026: 03:00 goes back to 02:00, so 02:30 happens twice.
    instant = to_utc(date(2026, 10, 25), time(2, 30), PARIS)
    assert instant == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert instant.astimezone(PARIS).strftime("%H:%M %z") == "02:30 +0200"


def test_weekdays_skip_the_weekend() -> None:
    rhythm = Rhythm("weekday", time(8, 15), PARIS)
    days = [s.astimezone(PARIS).strftime("%a") for s in islice(rhythm.slots(date(2026, 5, 1)), 6)]
    assert days == ["Fri", "Mon", "Tue", "Wed", "Thu", "Fri"]


def test_slots_before_the_given_instant_are_left_out() -> None:
    rhythm = Rhythm("day", time(19, 0), PARIS)
    after = datetime(2026, 6, 1, 18, 0, tzinfo=UTC)  # 20:00 in Paris: today's 19:00 has passed
    first = next(rhythm.slots(date(2026, 6, 1), not_before=after))
    assert first.astimezone(PARIS) == datetime(2026, 6, 2, 19, 0, tzinfo=PARIS)


@pytest.mark.parametrize("name", ["Europe/Paris", "europe/paris", " America/New_York ", "UTC"])
def test_iana_names_are_accepted(name: str) -> None:
    assert parse_zone(name).key == name.strip().replace("europe/paris", "Europe/Paris")


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [("Paris", "Europe/Paris"), ("new york", "America/New_York"), ("Europe/Pari", "Europe/Paris")],
)
def test_other_names_are_refused_with_suggestions(typed: str, suggested: str) -> None:
    with pytest.raises(InvalidInput, match="not a time zone name") as refused:
        parse_zone(typed)
    assert suggested in str(refused.value)
    assert suggested in zone_suggestions(typed)


@pytest.mark.parametrize("typed", ["CET", "EST5EDT", "UTC+2", "Etc/GMT-2", "", "Mars/Olympus"])
def test_abbreviations_and_offsets_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput, match="not a time zone name"):
        parse_zone(typed)


def test_weekly_needs_a_day_and_others_refuse_one() -> None:
    with pytest.raises(InvalidInput, match="needs its day"):
        Rhythm("week", time(19), PARIS)
    with pytest.raises(InvalidInput, match="needs its day"):
        Rhythm("day", time(19), PARIS, day=2)


def test_parsers_refuse_what_they_cannot_read() -> None:
    assert parse_time("7:05") == time(7, 5)
    assert parse_day("Thursday") == 3
    assert parse_every("Weekday") == "weekday"
    for bad in ("24:00", "19h", "19:60"):
        with pytest.raises(InvalidInput, match="HH:MM"):
            parse_time(bad)
    with pytest.raises(InvalidInput, match="day of the week"):
        parse_day("someday")
    with pytest.raises(InvalidInput, match="rhythm"):
        parse_every("monthly")
