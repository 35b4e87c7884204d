"""Typed stand-ins for the search index and the prompt service, over hand-made documents.

They follow the agreed interfaces (``bot.services.Index`` / ``Prompts``) with the
simplest honest behaviour, so the Discord layer's tests control every text the bot
shows (long paragraphs, markdown, mentions) without depending on the real ranking.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal

from bot.core.errors import Forbidden, InvalidInput, NotFound
from bot.core.model import Document, Library, Paragraph, Quote, Section
from bot.core.text import clean_user_text


def paragraph(number: int, *sentences: str) -> Paragraph:
    return Paragraph(number, " ".join(sentences), tuple(sentences))


def make_document(doc_id: str = "doc", *, extra: tuple[Section, ...] = ()) -> Document:
    sections = (
        Section(
            1,
            "Opening Moves",
            (
                paragraph(1, "Rivers carry salt to the sea.", "Nobody asked the river."),
                paragraph(2, "A bridge was built of old stones.", "It still stands."),
            ),
        ),
        Section(2, "Harbour Lights", (paragraph(1, "Ships came at night.", "Lamps guided them."),)),
        *extra,
    )
    quotes = (
        Quote("q1", "spoken", "Ada Lovell", "Nobody asked the river.", 1, 1),
        Quote("q2", "pull", None, "Lamps guided them.", 2, 1),
    )
    return Document(doc_id, "A Tale of Two Rivers", None, "Jo Author", sections, quotes)


@dataclass(frozen=True, slots=True)
class FakeChoice:
    name: str
    value: str


@dataclass(frozen=True, slots=True)
class FakeQuoteHit:
    kind: Literal["spoken", "pull", "passage"]
    speaker: str | None
    text: str
    document: str
    section: int
    section_title: str
    paragraph: int


@dataclass(frozen=True, slots=True)
class FakeSectionHit:
    document: str
    number: int
    title: str


@dataclass(frozen=True, slots=True)
class FakePassageHit:
    document: str
    section: int
    section_title: str
    paragraph: int
    text: str


def _words(text: str) -> set[str]:
    return {w.strip(".,;:!?“”\"'").casefold() for w in text.split()} - {""}


class FakeIndex:
    """Word-overlap search: a hit shares at least one word with the query."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.choice_count = 3

    def _docs(self) -> tuple[Document, ...]:
        return self.library.documents

    def quotes(
        self, query: str, *, speaker: str | None = None, limit: int = 10
    ) -> list[FakeQuoteHit]:
        if speaker is not None and speaker not in self.speakers():
            raise NotFound(f"No speaker called “{speaker}” in the essay.")
        hits = []
        for doc in self._docs():
            for q in doc.quotes:
                if speaker is not None and q.speaker != speaker:
                    continue
                if _words(query) & _words(q.text):
                    title = doc.section(q.section).title
                    hits.append(
                        FakeQuoteHit(
                            q.kind, q.speaker, q.text, doc.id, q.section, title, q.paragraph
                        )
                    )
            for s in doc.sections:
                for p in s.paragraphs:
                    if _words(query) & _words(p.text) and speaker is None:
                        hits.append(
                            FakeQuoteHit(
                                "passage", None, p.text, doc.id, s.number, s.title, p.number
                            )
                        )
        return hits[:limit]

    def sections(self, query: str, *, limit: int = 10) -> list[FakeSectionHit]:
        hits = []
        for doc in self._docs():
            for s in doc.sections:
                if query == str(s.number) or _words(query) & _words(s.title):
                    hits.append(FakeSectionHit(doc.id, s.number, s.title))
        return hits[:limit]

    def passages(
        self,
        query: str,
        *,
        document: str | None = None,
        section: int | None = None,
        limit: int = 10,
    ) -> list[FakePassageHit]:
        hits = []
        for doc in self._docs():
            for s in doc.sections:
                for p in s.paragraphs:
                    if _words(query) & _words(p.text):
                        hits.append(FakePassageHit(doc.id, s.number, s.title, p.number, p.text))
        return hits[:limit]

    def suggestions(self, query: str, *, limit: int = 3) -> list[str]:
        return [s.title for doc in self._docs() for s in doc.sections][:limit]

    def speakers(self) -> list[str]:
        return sorted({q.speaker for d in self._docs() for q in d.quotes if q.speaker})

    def complete_sections(self, typed: str) -> list[FakeChoice]:
        return [
            FakeChoice(f"§ {s.number} {s.title}", str(s.number))
            for d in self._docs()
            for s in d.sections
        ][: self.choice_count]

    def complete_speakers(self, typed: str) -> list[FakeChoice]:
        return [FakeChoice(s, s) for s in self.speakers() if typed.casefold() in s.casefold()]

    def complete_quotes(self, typed: str) -> list[FakeChoice]:
        texts = [q.text for d in self._docs() for q in d.quotes] * self.choice_count
        return [FakeChoice(t + " " + typed * 50, t) for t in texts]


@dataclass(frozen=True, slots=True)
class FakePrompt:
    number: int
    guild: str
    channel: str | None
    author: str
    text: str
    document: str | None
    section: int | None
    paragraph: int | None
    status: Literal["open", "removed"]
    created_at: datetime
    updated_at: datetime
    builtin: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "guild": self.guild,
            "author": self.author,
            "text": self.text,
            "section": self.section,
            "paragraph": self.paragraph,
            "status": self.status,
            "created_at": self.created_at.isoformat(),
        }


@dataclass
class FakePrompts:
    """In-memory prompt log with the service's rules that the Discord layer relies on."""

    index: FakeIndex
    prompts: list[FakePrompt] = field(default_factory=list)
    events: list[tuple[str, str, int, str]] = field(default_factory=list)

    def _section(self, typed: str | None) -> tuple[str | None, int | None, int | None]:
        if typed is None:
            doc = self.index.library.documents[0]
            return doc.id, 1, 1
        hits = self.index.sections(typed, limit=1)
        if not hits:
            raise NotFound(f"No section matches “{typed}”.")
        return hits[0].document, hits[0].number, 1

    async def add(
        self, *, guild: str, channel: str | None, author: str, text: str, section: str | None
    ) -> tuple[FakePrompt, bool]:
        clean = clean_user_text(text)
        if not 10 <= len(clean) <= 1000:
            raise InvalidInput("A prompt needs 10 to 1000 characters.")
        for p in self.prompts:
            if p.guild == guild and p.text == clean:
                return p, False
        doc, sec, para = self._section(section)
        now = datetime.now(UTC)
        number = 1 + sum(1 for p in self.prompts if p.guild == guild)
        prompt = FakePrompt(number, guild, channel, author, clean, doc, sec, para, "open", now, now)
        self.prompts.append(prompt)
        self.events.append(("submitted", guild, number, author))
        return prompt, True

    async def random(
        self, *, guild: str, channel: str | None, actor: str, section: str | None
    ) -> FakePrompt:
        pool = [p for p in self.prompts if p.guild == guild and p.status == "open"]
        if not pool:
            raise NotFound("No prompts yet.")
        self.events.append(("posted", guild, pool[0].number, actor))
        return pool[0]

    async def list(
        self,
        *,
        guild: str,
        section: str | None = None,
        author: str | None = None,
        include_removed: bool = False,
    ) -> list[FakePrompt]:
        return [
            p
            for p in reversed(self.prompts)
            if p.guild == guild
            and (include_removed or p.status == "open")
            and (author is None or p.author == author)
        ]

    async def _set(
        self, guild: str, number: int, actor: str, can_moderate: bool, status: str
    ) -> FakePrompt:
        for i, p in enumerate(self.prompts):
            if p.guild == guild and p.number == number:
                if p.author != actor and not can_moderate:
                    raise Forbidden("Only its author or a moderator can change that prompt.")
                new = replace(p, status="removed" if status == "removed" else "open")
                self.prompts[i] = new
                self.events.append((status, guild, number, actor))
                return new
        raise NotFound(f"There is no prompt #{number} in this server.")

    async def remove(
        self, *, guild: str, number: int, actor: str, can_moderate: bool, channel: str | None
    ) -> FakePrompt:
        return await self._set(guild, number, actor, can_moderate, "removed")

    async def restore(
        self, *, guild: str, number: int, actor: str, can_moderate: bool, channel: str | None
    ) -> FakePrompt:
        return await self._set(guild, number, actor, can_moderate, "restored")

    async def export(self, *, guild: str) -> tuple[bytes, bytes]:
        rows = [p.to_json() for p in self.prompts if p.guild == guild]
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]) if rows else ["number"])
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue().encode(), json.dumps(rows).encode()
