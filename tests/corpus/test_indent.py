"""The indent measurement's labels: its figures count right and wrong splits against
them, so each fair extraction's lines must carry every paragraph end of the truth."""

from __future__ import annotations

import pytest

from bot.core.ingest._layout import Line, strip_end_mark
from tests.corpus import Case, cases
from tests.corpus.indent import labels, read
from tests.corpus.score import key

FAIR_TEXT = [c for kind in ("pdfminer", "pdftotext") for c in cases(kind, fair_only=True)]


@pytest.mark.parametrize("case", FAIR_TEXT, ids=lambda c: c.name)
def test_every_paragraph_end_is_labelled(case: Case) -> None:
    reading = read(case)
    assert reading.labels.count("end") == len(case.truth.paragraphs())
    unknown = [
        line.text
        for line, label in zip(reading.lines, reading.labels, strict=True)
        if label == "unknown"
    ]
    assert all(not key(strip_end_mark(text)) for text in unknown)  # an end mark alone


def test_headings_and_a_glued_end_mark_are_read_as_set() -> None:
    case = FAIR_TEXT[0]
    lines: list[Line] = []
    expected: list[str] = []
    for section in case.truth.sections:
        if section.title:
            lines.append(Line(section.title, gap_before=True))
            expected.append("heading")
        for paragraph in section.paragraphs:
            lines.append(Line(paragraph, gap_before=True))
            expected.append("end")
    lines[-1] = Line(f"{lines[-1].text} {case.truth.end_mark}", gap_before=True)
    assert labels(case, lines) == expected
