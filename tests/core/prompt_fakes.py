"""A small stand-in for ``SearchIndex`` and a hand-made essay, for the prompt tests.

The fake ranks by shared words, which is enough to check that the service asks the
index the right questions and stores what it answers. It refuses queries over 300
characters, as the agreed ``validate_query`` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.errors import InvalidInput
from bot.core.model import Document, Library, Paragraph, Section

_WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.casefold()) if len(w) > 2}


@dataclass(frozen=True, slots=True)
class FakeSectionHit:
    document: str
    number: int
    title: str
    score: float


@dataclass(frozen=True, slots=True)
class FakePassageHit:
    document: str
    section: int
    section_title: str
    paragraph: int
    text: str
    score: float


class FakeIndex:
    def __init__(self, library: Library) -> None:
        self.library = library
        self.passage_queries: list[str] = []

    def sections(self, query: str, *, limit: int = 10) -> list[FakeSectionHit]:
        wanted = _words(query)
        hits = [
            FakeSectionHit(doc.id, s.number, s.title, len(wanted & _words(s.title)))
            for doc in self.library.documents
            for s in doc.sections
            if wanted & _words(s.title)
        ]
        return sorted(hits, key=lambda h: -h.score)[:limit]

    def passages(
        self,
        query: str,
        *,
        document: str | None = None,
        section: int | None = None,
        limit: int = 10,
    ) -> list[FakePassageHit]:
        if len(query) > 300:
            raise InvalidInput("A search can be at most 300 characters.")
        self.passage_queries.append(query)
        wanted = _words(query)
        hits = [
            FakePassageHit(
                doc.id, s.number, s.title, p.number, p.text, len(wanted & _words(p.text))
            )
            for doc in self.library.documents
            if document is None or doc.id == document
            for s in doc.sections
            if section is None or s.number == section
            for p in s.paragraphs
            if wanted & _words(p.text)
        ]
        return sorted(hits, key=lambda h: -h.score)[:limit]


def _paragraphs(*texts: str) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(i, text, (text,)) for i, text in enumerate(texts, start=1))


def make_library() -> Library:
    """Three sections with distinct vocabularies, so each query has one right answer."""
    doc = Document(
        id="test-essay",
        title="Rivers and Bridges",
        subtitle=None,
        author="A. Writer",
        sections=(
            Section(
                1,
                "Opening Remarks",
                _paragraphs(
                    "Two towns share a river and a bridge built by their grandparents.",
                    "Their festivals mirror each other every summer.",
                ),
            ),
            Section(
                2,
                "Trade and Energy",
                _paragraphs(
                    "A pipeline carries gas under the mountains to the coast.",
                    "The railway line opened markets for farmers in both valleys.",
                ),
            ),
            Section(
                3,
                "A Time of Trouble",
                _paragraphs(
                    "Talks with a distant rival broke the old trust for a while.",
                    "Signed protocols were never ratified and the border stayed closed.",
                ),
            ),
        ),
        quotes=(),
    )
    return Library((doc,))
