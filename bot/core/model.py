"""The clean index of an essay: what every front end shows, and what search ranks.

Numbers are 1-based because they are citations a reader sees (§ 3, ¶ 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

QuoteKind = Literal["spoken", "pull"]


@dataclass(frozen=True, slots=True)
class Paragraph:
    number: int
    text: str
    sentences: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Section:
    number: int
    title: str
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True, slots=True)
class Quote:
    id: str
    kind: QuoteKind
    speaker: str | None
    text: str
    section: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    title: str
    subtitle: str | None
    author: str
    sections: tuple[Section, ...]
    quotes: tuple[Quote, ...]

    def section(self, number: int) -> Section:
        return self.sections[number - 1]

    def paragraph(self, section: int, paragraph: int) -> Paragraph:
        return self.sections[section - 1].paragraphs[paragraph - 1]

    def to_json(self) -> dict[str, Any]:
        """The export shape promised by ``python -m bot export --json``."""
        return {
            "id": self.id,
            "title": self.title,
            "subtitle": self.subtitle,
            "author": self.author,
            "sections": [
                {
                    "number": s.number,
                    "title": s.title,
                    "paragraphs": [p.text for p in s.paragraphs],
                }
                for s in self.sections
            ],
            "quotes": [
                {
                    "id": q.id,
                    "kind": q.kind,
                    "speaker": q.speaker,
                    "text": q.text,
                    "section": q.section,
                    "paragraph": q.paragraph,
                }
                for q in self.quotes
            ],
        }


@dataclass(frozen=True, slots=True)
class SeedProblem:
    """A seed file that could not be ingested; the other documents still load."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Library:
    documents: tuple[Document, ...]
    problems: tuple[SeedProblem, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {"documents": [d.to_json() for d in self.documents]}
