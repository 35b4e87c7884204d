"""How far each extracted line ran on the page, against how far it could have run.

Plain text has lost the type, but not the letters, and a line's letters say how wide
it was printed: an ``m`` takes three times the room of an ``i`` in any proportional
face. So widths are estimated from one face's metrics (Times Roman's, a fair stand-in
for any book face) rather than counted in characters, which would make a line of
capitals look as short as one of ``ill``.

A justified column's lines all run to its measure, except a paragraph's last one. The
measure is read off the lines around (the second widest, so that one stray wide line
does not set it); lines wider than it by far are two printed lines an extractor has
pulled into one (``pdftotext`` does so to undo a line-end hyphen), and what counts for
them is how far the second one ran.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from math import floor

#: Widths of the ASCII characters from the space to the tilde, in thousandths of an em,
#: as Times Roman sets them (Adobe's published font metrics).
_ASCII_WIDTHS = (
    (250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278)
    + (500,) * 10
    + (278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722, 722, 333)
    + (389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722)
    + (611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278)
    + (278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500)
    + (444, 480, 200, 480, 541)
)
#: Typographic marks the text keeps, in the same units.
_MARK_WIDTHS = {"‘": 333, "’": 333, "“": 444, "”": 444, "–": 500, "—": 1000, "…": 1000}
_AVERAGE = 500
#: How many lines each side give the local measure.
_AROUND = 4
#: Neighbours this much wider than the median around are pulled-together lines, left out
#: of the measure.
_OUTLIER = 1.3
#: A line this much wider than the measure is two (or more) printed lines as one.
_JOINED = 1.15
#: How many lines on one side, all as wide as a line, show the column widening there.
_WIDENS = 4
#: What is left of a joined line after its full lines, below this share of the measure,
#: cannot be told from the full lines' own spread: it counts as a full line.
_MIN_REST = 0.2


class _Widths(dict[str, int]):
    """Each character's width, worked out on first sight."""

    def __missing__(self, char: str) -> int:
        base = unicodedata.normalize("NFD", char)[:1]  # é counts as e
        if char in _MARK_WIDTHS:
            width = _MARK_WIDTHS[char]
        elif base and 32 <= ord(base) < 127:
            width = _ASCII_WIDTHS[ord(base) - 32]
        else:
            width = _AVERAGE
        self[char] = width
        return width


_WIDTHS = _Widths()


def printed_width(text: str) -> float:
    """The text's width as printed, in ems of its type."""
    return sum(map(_WIDTHS.__getitem__, text)) / 1000


class Measure:
    """The printed width of each line, and the measure of the column around it."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.widths = [printed_width(text) for text in texts]
        self.measures = [self._measure_at(index) for index in range(len(texts))]

    def _measure_at(self, index: int) -> float:
        widths = self.widths
        around = sorted(
            widths[i]
            for i in range(max(0, index - _AROUND), min(len(widths), index + _AROUND + 1))
            if i != index
        )
        if not around:
            return widths[index]
        half = len(around) // 2
        middle = around[half] if len(around) % 2 else (around[half - 1] + around[half]) / 2
        single = [w for w in around if w <= _OUTLIER * middle] or around
        return single[-2] if len(single) >= 2 else single[-1]

    def last_run(self, index: int) -> float:
        """How far the last printed line of extracted line ``index`` ran."""
        width = self.widths[index]
        return last_run_of(width, self.measures[index]) if self.joined(index) else width

    def joined(self, index: int) -> bool:
        """Wider than the column by far, unless the lines on one side are all as wide:
        there the column widens (the text wrapping around a pull quote ends), where a
        run of pulled-together lines is broken by lines of the column's own width."""
        width, widths = self.widths[index], self.widths
        if width <= _JOINED * self.measures[index]:
            return False
        before = widths[max(0, index - _WIDENS) : index]
        after = widths[index + 1 : index + 1 + _WIDENS]
        return not any(
            len(side) == _WIDENS and all(_JOINED * w >= width for w in side)
            for side in (before, after)
        )


def last_run_of(width: float, measure: float) -> float:
    """How far the last printed line of an extracted line ``width`` wide ran in a column
    ``measure`` wide: a line much wider than the column is printed lines pulled into one
    (without the lines around to tell a widening column, see ``Measure.joined``)."""
    if width <= _JOINED * measure:
        return width
    rest = width - floor(width / measure) * measure
    return rest if rest >= _MIN_REST * measure else measure
