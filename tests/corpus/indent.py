"""What the lost indent leaves in an extraction's line widths, measured on the corpus.

    .venv/bin/python -m tests.corpus.indent [--all]

The text path ends a paragraph where a sentence-final line stops short of the column's
measure (``_textflow``); it cannot see a paragraph whose last line ran full, nor tell a
column break after a full stop from a paragraph's end. The printed indent would: a
paragraph's first line is set in the measure less the indent. So its shortfall (the
measure less its estimated width) is the indent plus the room the next word lacked,
where any other line's is that room alone. Two rules could read it:

1. **split**: after a full sentence-final line, the next line opens a paragraph if the
   word after it would have fitted on it but for about an indent;
2. **veto**: where the rules split, the next line opens no paragraph if it leaves no room
   for an indent.

The indent is estimated from each document (the shortfall of the lines after its clear
paragraph ends, less that of the other lines). Each line is labelled from the truth,
so the figures say how often each rule would be right, and how noisy the widths are.
This is a measurement, not a rule of the ingest: these figures are why neither rule is
in it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from statistics import median
from typing import Literal
from unittest import mock

from bot.core.ingest import _textflow, ingest_text
from bot.core.ingest._hyphen import Evidence
from bot.core.ingest._layout import Line, ends_sentence, starts_paragraph, strip_end_mark
from bot.core.ingest._measure import Measure, printed_width
from tests.corpus import Case, cases
from tests.corpus.score import key

Label = Literal["end", "inside", "heading", "unknown"]
#: How far past a line's own letters its key is looked for in the truth (extractors
#: drop a stray letter or a pull quote's remains).
_REACH = 200
#: Tolerances tried, in ems of the estimate.
_TOLERANCES = (0.0, 0.3, 0.6)
#: A line shorter than this share of its measure was cut or wrapped: no first line.
_CUT_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class Reading:
    """One case's running text as the paragraph rule reads it, labelled from the truth."""

    case: Case
    lines: list[Line]
    measure: Measure
    rules: _textflow._Sections
    labels: list[Label]

    def shortfall(self, index: int) -> float:
        """How far the line stopped short of the measure (its last printed line's)."""
        return self.measure.measures[index] - self.measure.last_run(index)

    def next_word(self, index: int) -> float:
        """The width of a space and the next line's first word."""
        return printed_width(" " + self.lines[index + 1].text.split()[0])

    def body_pairs(self) -> Iterator[int]:
        """Each line of running text followed by one (headings and unknowns aside)."""
        body = ("end", "inside")
        for index in range(len(self.lines) - 2):
            if self.labels[index] in body and self.labels[index + 1] in body:
                yield index

    def plain(self, index: int) -> bool:
        """The line is one printed line, not a piece of a cut or wrapped one."""
        measure = self.measure
        return not measure.joined(index) and self.shortfall(index) < (
            _CUT_SHARE * measure.measures[index]
        )


def read(case: Case) -> Reading:
    """The lines ``sections`` receives from the real pipeline, and their labels."""
    seen: list[tuple[Sequence[Line], Evidence]] = []
    real = _textflow.sections

    def record(lines: Sequence[Line], evidence: Evidence) -> list[tuple[str | None, list[str]]]:
        seen.append((lines, evidence))
        return real(lines, evidence)

    with mock.patch("bot.core.ingest.sections", record):
        ingest_text(case.text(), doc_id=case.essay_id, name=case.name, meta=case.meta())
    lines, evidence = seen[0]
    # As ``sections`` itself starts:
    measure = Measure([line.text for line in lines])
    lines = _textflow.reopen_compounds(lines, measure, evidence)
    rules = _textflow._Sections(lines, evidence, measure)
    return Reading(case, lines, measure, rules, labels(case, lines))


def labels(case: Case, lines: Sequence[Line]) -> list[Label]:
    """Each line's place in the truth: a paragraph's last line, inside one, a heading's,
    or not found (an end mark alone, text the extractor reordered)."""
    stream, ends, headings = "", set(), []
    for section in case.truth.sections:
        if section.title:
            headings.append((len(stream), len(stream) + len(key(section.title))))
            stream += key(section.title)
        for paragraph in section.paragraphs:
            stream += key(paragraph)
            ends.add(len(stream))
    cursor, out = 0, list[Label]()
    for line in lines:
        letters, at = _found(stream, line.text, cursor)
        if at < 0:
            out.append("unknown")
            continue
        cursor = at + len(letters)
        if any(start <= at < end for start, end in headings):
            out.append("heading")
        else:
            out.append("end" if cursor in ends else "inside")
    return out


def _found(stream: str, text: str, cursor: int) -> tuple[str, int]:
    """The line's letters and where they stand in the truth from ``cursor`` on (-1: not
    there), without the end mark if that is what keeps them from matching."""
    for letters in (key(text), key(strip_end_mark(text))):
        at = stream.find(letters, cursor, cursor + len(letters) + _REACH) if letters else -1
        if at >= 0:
            return letters, at
    return "", -1


def document_indent(reading: Reading) -> float | None:
    """The indent as the document shows it: how much shorter the lines after its clear
    paragraph ends (short sentence-final lines) fall than its other lines. None with
    fewer than three such ends."""
    after: list[float] = []
    other: list[float] = []
    rules, lines = reading.rules, reading.lines
    for index in range(len(lines) - 2):
        if not reading.plain(index + 1):
            continue
        clear_end = (
            ends_sentence(lines[index].text)
            and starts_paragraph(lines[index + 1].text)
            and rules.stops_short(index)
            and not rules.cut_in_two(index)
        )
        (after if clear_end else other).append(reading.shortfall(index + 1))
    if len(after) < 3 or not other:
        return None
    return float(median(after) - median(other))


# --- the figures --------------------------------------------------------------------


def _quantiles(values: Sequence[float]) -> str:
    ordered = sorted(values)
    if not ordered:
        return "-"
    picks = (0.05, 0.25, 0.5, 0.75, 0.95)
    return " ".join(f"{ordered[round(p * (len(ordered) - 1))]:5.2f}" for p in picks)


def noise(readings: Sequence[Reading]) -> list[str]:
    """Shortfalls of first lines and of other (not last) lines, and how often a first
    line shows the word after it would have fitted but for the indent."""
    firsts: list[float] = []
    others: list[float] = []
    shows = 0
    for reading in readings:
        for index in reading.body_pairs():
            if index == 0 or reading.labels[index] == "end" or not reading.plain(index):
                continue
            shortfall = reading.shortfall(index)
            if reading.labels[index - 1] in ("end", "heading"):
                firsts.append(shortfall)
                shows += shortfall >= reading.next_word(index)
            else:
                others.append(shortfall)
    return [
        "  shortfall (ems), quantiles 5/25/50/75/95 %",
        f"    first lines ({len(firsts):4d}): {_quantiles(firsts)}",
        f"    other lines ({len(others):4d}): {_quantiles(others)}",
        f"  first lines whose next word fits but for the indent: {shows}/{len(firsts)}",
    ]


def true_noise(readings: Sequence[Reading]) -> list[str]:
    """Against the reportlab PDFs' own metrics: how far the estimated widths stray once
    scaled to the face, how far the estimated shortfall strays from the true one (the
    column's width less the line's; lines set beside a pull quote are narrower than the
    column and make the low tail), and what the rules could see with exact widths."""
    # The typesetter's modules are imported here only: the rest needs no reportlab.
    from reportlab.pdfbase import pdfmetrics

    from tests.corpus.build.layouts import reportlab_layouts

    try:
        layouts = reportlab_layouts()
    except OSError as exc:  # the DejaVu faces are the system's
        return [f"  true metrics unavailable: {exc}"]
    out = ["  against the true metrics (ems of the estimate), quantiles 5/25/50/75/95 %"]
    for reading in readings:
        if reading.case.producer != "reportlab":
            continue
        layout = layouts[reading.case.essay_id][0]
        face = layout.fonts.body
        inner = layout.page[0] - 2 * layout.margin - (layout.columns - 1) * layout.gutter
        column = inner / layout.columns / layout.size  # in ems of the face

        def true_width(text: str, face: str = face) -> float:
            return float(pdfmetrics.stringWidth(text, face, 1.0))

        plain = [i for i in reading.body_pairs() if reading.plain(i)]
        if not plain:  # an extraction too far out of order to label
            continue
        true = [true_width(reading.lines[i].text) for i in plain]
        scale = median(
            printed_width(reading.lines[i].text) / w for i, w in zip(plain, true, strict=True)
        )
        letters = [
            printed_width(reading.lines[i].text) - scale * w
            for i, w in zip(plain, true, strict=True)
        ]
        shortfall = [
            reading.shortfall(i) - scale * (column - w) for i, w in zip(plain, true, strict=True)
        ]
        indent = layout.indent / layout.size
        out += [
            f"    {reading.case.name:44s} {face}, indent {scale * indent:.2f}",
            f"      width error     {_quantiles(letters)}",
            f"      shortfall error {_quantiles(shortfall)}",
            "      "
            + _exact(reading, dict(zip(plain, true, strict=True)), true_width, column, indent),
        ]
    return out


def _exact(
    reading: Reading,
    widths: dict[int, float],
    true_width: Callable[[str], float],
    column: float,
    indent: float,
) -> str:
    """What the two rules could see with exact widths: first lines whose next word
    fits but for the indent, other lines that leave no room for one."""
    shows = firsts = full = others = 0
    for index, width in widths.items():
        if index == 0 or reading.labels[index] == "end":
            continue
        room = column - width
        if reading.labels[index - 1] in ("end", "heading"):
            firsts += 1
            shows += room >= true_width(" " + reading.lines[index + 1].text.split()[0])
        else:
            others += 1
            full += room < indent
    return (
        f"exact widths: {shows}/{firsts} first lines show the indent, "
        f"{full}/{others} other lines leave no room for one"
    )


def split_rule(readings: Sequence[Reading], indents: dict[str, float]) -> list[str]:
    """Rule 1 on every sentence end the rules keep joined."""
    out = []
    for tolerance in _TOLERANCES:
        right = wrong = missed = 0
        for reading in readings:
            indent = indents.get(reading.case.name)
            for index in reading.body_pairs():
                lines, nxt = reading.lines, index + 1
                if not (ends_sentence(lines[index].text) and starts_paragraph(lines[nxt].text)):
                    continue
                if reading.rules.ends_paragraph(index):
                    continue
                over = reading.shortfall(nxt) - reading.next_word(nxt)
                fires = (
                    indent is not None
                    and reading.plain(nxt)
                    and -tolerance <= over <= indent + tolerance
                )
                truth = reading.labels[index] == "end"
                right += fires and truth
                wrong += fires and not truth
                missed += truth and not fires
        out.append(
            f"  tolerance {tolerance:.1f}: {right} paragraphs split right, "
            f"{wrong} split wrong, {missed} still merged"
        )
    return out


def veto_rule(readings: Sequence[Reading], indents: dict[str, float]) -> list[str]:
    """Rule 2 on every split the rules make."""
    out = []
    for tolerance in _TOLERANCES:
        saved = lost = 0
        for reading in readings:
            indent = indents.get(reading.case.name)
            for index in reading.body_pairs():
                if indent is None or not reading.rules.ends_paragraph(index):
                    continue
                if not reading.plain(index + 1):
                    continue
                if reading.shortfall(index + 1) < indent - tolerance:
                    saved += reading.labels[index] != "end"
                    lost += reading.labels[index] == "end"
        out.append(
            f"  tolerance {tolerance:.1f}: {saved} wrong splits undone, {lost} right splits lost"
        )
    return out


def main(argv: list[str]) -> int:
    for kind in ("pdfminer", "pdftotext"):
        readings = [read(case) for case in cases(kind, fair_only="--all" not in argv)]
        estimated = {r.case.name: document_indent(r) for r in readings}
        indents = {name: value for name, value in estimated.items() if value is not None}
        print(f"{kind}: {len(readings)} cases")
        print("\n".join(noise(readings)))
        print("\n".join(true_noise(readings)))
        print("  indent estimated from the document (ems):")
        for name, value in estimated.items():
            print(f"    {name:44s} {'-' if value is None else f'{value:.2f}'}")
        print("  rule 1, split where the next line is short by about an indent:")
        print("\n".join(split_rule(readings, indents)))
        print("  rule 2, no split where the next line leaves no room for an indent:")
        print("\n".join(veto_rule(readings, indents)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
