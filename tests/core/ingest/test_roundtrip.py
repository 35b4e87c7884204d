"""Round trip: clean paragraphs → a simulated PDF extraction → ingest → the same paragraphs.

The simulation does what the magazine's extraction did: narrow columns, words
hyphenated at valid points (pyphen), column breaks in mid-sentence, a two-line drop
cap, and a pull quote dropped into a sentence with the body resuming in a new frame.
"""

from __future__ import annotations

import re

import pyphen
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.ingest import ingest_text
from bot.core.model import Document

_HYPHENATOR = pyphen.Pyphen(lang="en_US")
_ENDS_SENTENCE = re.compile(r"[.?!][”’)]*$")


def wrap(text: str, width: int) -> list[str]:
    """Greedy wrapping, hyphenating an overflowing plain word at its last fitting point."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= width:
            line = candidate
            continue
        if line and word.isalpha():
            room = width - len(line) - 1
            fits = [(a, b) for a, b in _HYPHENATOR.iterate(word) if len(a) + 1 <= room]
            if fits:
                head, tail = fits[0]
                lines.append(f"{line} {head}-")
                line = tail
                continue
        if line:
            lines.append(line)
        line = word
    if line:
        lines.append(line)
    return lines


def extract(paragraphs: list[list[str]], pull: str, draw: st.DrawFn) -> str:
    """The raw text as the PDF extraction would give it."""
    out = [" Simulated Essay", "For Testing", "", "Test Author", ""]
    width = draw(st.integers(min_value=26, max_value=40))
    pull_placed = False
    for section_index, section in enumerate(paragraphs):
        if section_index:
            out += ["Second Part", ""]
        for paragraph in section:
            lines = wrap(paragraph, width)
            for index, line in enumerate(lines):
                out.append(line)
                last = index == len(lines) - 1
                if last or _ENDS_SENTENCE.search(line):
                    continue
                if index == 1 or draw(st.integers(0, 9)) == 0:  # drop cap or column break
                    out.append("")
                elif not pull_placed and draw(st.booleans()):
                    out += ["", *wrap(pull, 22)]
                    lines[index + 1] = " " + lines[index + 1]
                    pull_placed = True
            out.append("")
    if not pull_placed:  # before the last paragraph, which resumes in a new frame
        at = len(out) - 2
        while at > 0 and out[at - 1]:
            at -= 1
        out[at] = " " + out[at]
        out[at:at] = [*wrap(pull, 22)]
    return "\n".join(out) + "\n"


@st.composite
def essays(draw: st.DrawFn, source: list[str]) -> tuple[str, list[list[str]], str]:
    picked = draw(st.lists(st.sampled_from(source), min_size=2, max_size=5, unique=True))
    split = draw(st.integers(min_value=1, max_value=len(picked) - 1))
    sections = [picked[:split], picked[split:]]
    sentences = [s for p in picked for s in re.split(r"(?<=[.?!])\s+(?=[A-Z])", p)]
    # A pull quote is a whole sentence of some length (the ingest ignores repeats
    # shorter than 40 letters, which ordinary prose repeats by chance).
    long_ones = [s for s in sentences if len(re.sub(r"\W", "", s)) >= 60 and "“" not in s]
    pull = draw(st.sampled_from(long_ones or sentences))
    return extract(sections, pull, draw), sections, pull


def test_roundtrip_property(essay: Document) -> None:
    source = [p.text for s in essay.sections for p in s.paragraphs]

    @settings(
        max_examples=100,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(essays(source))
    def check(case: tuple[str, list[list[str]], str]) -> None:
        raw, sections, pull = case
        doc = ingest_text(raw, doc_id="sim")
        got = [[p.text for p in s.paragraphs] for s in doc.sections]
        assert got == sections
        assert [q.text for q in doc.quotes if q.kind == "pull"] == [pull]

    check()
