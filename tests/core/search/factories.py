"""Hand-made documents for search unit tests: small, explicit, and independent of the essay."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.model import Document, Library, Paragraph, Quote, QuoteKind, Section
from bot.core.text import split_sentences


def paragraph(number: int, text: str) -> Paragraph:
    return Paragraph(number, text, split_sentences(text))


def document(
    sections: Sequence[tuple[str, Sequence[str]]],
    quotes: Sequence[tuple[QuoteKind, str | None, str, int, int]] = (),
    *,
    doc_id: str = "doc",
    title: str = "A Test Essay",
) -> Document:
    """``sections`` as (title, [paragraph text, ...]); ``quotes`` as
    (kind, speaker, text, section, paragraph)."""
    return Document(
        id=doc_id,
        title=title,
        subtitle=None,
        author="A. Writer",
        sections=tuple(
            Section(n, t, tuple(paragraph(i, p) for i, p in enumerate(paras, 1)))
            for n, (t, paras) in enumerate(sections, 1)
        ),
        quotes=tuple(
            Quote(f"q{i}", kind, speaker, text, s, p)
            for i, (kind, speaker, text, s, p) in enumerate(quotes, 1)
        ),
    )


def library(*documents: Document) -> Library:
    return Library(tuple(documents))
