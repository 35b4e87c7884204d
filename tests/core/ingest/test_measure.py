"""Widths read from the letters, and the measure of the column around each line."""

from __future__ import annotations

from bot.core.ingest._measure import Measure, printed_width

COLUMN = [
    "The river ran for miles across the open plain,",
    "and its banks were green with reeds in spring.",
    "Every year the water rose and covered the low",
    "fields, and the farmers moved their herds away",
]


def test_wide_letters_take_more_room_than_narrow_ones() -> None:
    assert printed_width("mmmm") > 2 * printed_width("iiii")
    assert printed_width("WHO") > printed_width("who")
    assert printed_width("café") == printed_width("cafe")
    assert printed_width("“—”") > printed_width('"-"')


def test_the_measure_is_the_columns_not_its_pulled_up_lines() -> None:
    wide = "a line pulled up onto another one, twice as wide as the column it was set in"
    lines = [*COLUMN[:2], wide, *COLUMN[2:], COLUMN[0], wide, *COLUMN[1:]]
    measure = Measure(lines)
    column = max(printed_width(line) for line in COLUMN)
    assert all(m <= column for m in measure.measures)
    assert [i for i in range(len(lines)) if measure.joined(i)] == [2, 6]


def test_what_counts_of_a_pulled_up_line_is_its_last_printed_line() -> None:
    rest = "and went on."
    measure = Measure([*COLUMN[:2], COLUMN[2] + " " + rest, *COLUMN[3:], *COLUMN[:2]])
    assert abs(measure.last_run(2) - printed_width(rest)) < 0.15 * measure.measures[2]
