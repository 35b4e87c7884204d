"""Turning an essay's PDF, or the text an extractor made of it, into a clean ``Document``.

Both inputs are read into the same draft (title, subtitle, author, sections of
paragraphs, pull quotes), each from the evidence it has: the PDF from its glyphs'
fonts, sizes and positions (``_pdfread``, ``_pdflayout``), the text from its lines
(``_layout``, ``_textflow``: front matter, page furniture, drop caps, pull quotes,
headings, paragraphs, line-end hyphenation). From the draft, one path for both:
sections numbered and named, the end mark off, sentences split, quotations and
their speakers found, each pull quote linked to the paragraph it repeats. An
optional sidecar ``<name>.meta.json`` supplies what only an editor knows (how the
title splits into title and subtitle, say) and overrides what was found.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.core.ingest._hyphen import Evidence
from bot.core.ingest._layout import (
    Line,
    blocks,
    find_pull_quotes,
    join_lines,
    parse_lines,
    restore_stray_lines,
    strip_end_mark,
)
from bot.core.ingest._quotes import find_quotations
from bot.core.ingest._reader import normalize_glyphs, read_seed
from bot.core.ingest._textflow import (
    author_name,
    drop_furniture,
    join_drop_caps,
    looks_like_name,
    sections,
)
from bot.core.ingest.errors import IngestError
from bot.core.model import Document, Paragraph, Quote, Section
from bot.core.text import sentence_spans, split_sentences

__all__ = ["IngestError", "ingest_file", "ingest_text"]

log = logging.getLogger(__name__)

#: The name of the untitled opening section.
OPENING_TITLE = "Introduction"
_META_KEYS = {"title", "subtitle", "author"}


def ingest_file(path: Path) -> Document:
    """The essay in ``path``: a PDF (read from its layout) or its extracted text."""
    meta = _read_meta(path.with_suffix(".meta.json"))
    if path.suffix.casefold() == ".pdf":
        draft = _draft_from_pdf(path)
    else:
        draft = _draft_from_text(read_seed(path), str(path))
    return _document(draft, doc_id=path.stem, name=str(path), meta=meta)


def _read_meta(path: Path) -> dict[str, str | None]:
    if not path.exists():
        return {}
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IngestError(f"{path}: not a valid JSON metadata file ({exc})") from None
    if not isinstance(raw, dict) or not set(raw) <= _META_KEYS:
        raise IngestError(f"{path}: metadata must be an object with keys {sorted(_META_KEYS)}")
    if not all(v is None or isinstance(v, str) for v in raw.values()):
        raise IngestError(f"{path}: metadata values must be strings or null")
    return dict(raw)


def ingest_text(
    text: str, *, doc_id: str, name: str = "<text>", meta: dict[str, str | None] | None = None
) -> Document:
    """The essay in an extraction's text (title block, author, body), as a ``Document``."""
    return _document(_draft_from_text(text, name), doc_id=doc_id, name=name, meta=meta or {})


@dataclass(slots=True)
class _Draft:
    """The essay's parts as read, whichever the input: what ``_document`` indexes."""

    title: str
    subtitle: str | None
    author: str
    #: (heading, paragraphs), in order; the opening section's heading is ``None``.
    sections: list[tuple[str | None, list[str]]]
    pull_quotes: list[str]


def _draft_from_text(text: str, name: str) -> _Draft:
    lines = parse_lines(normalize_glyphs(text))
    title_block, author, body = _front_matter(lines, name)
    evidence = Evidence.from_lines(line.text for line in lines)
    body = join_drop_caps(drop_furniture(body))
    pull_blocks, running = _cut_pull_quotes(body)
    return _Draft(
        title=join_lines((line.text for line in title_block), evidence),
        subtitle=None,
        author=author,
        sections=sections(running, evidence),
        pull_quotes=[join_lines((line.text for line in b), evidence) for b in pull_blocks],
    )


def _front_matter(lines: list[Line], name: str) -> tuple[list[Line], str, list[Line]]:
    """The title block, the author's name and the body lines.

    The author stands alone after the title block, or (where the extractor left no
    blank line) as the title block's last line.
    """
    if not lines:
        raise IngestError(f"{name}: the file is empty")
    groups = blocks(lines)
    if len(groups) < 2:
        raise IngestError(f"{name}: expected a title, an author and the text; found too little")
    title_block = groups[0]
    if len(groups) >= 3 and len(groups[1]) == 1 and looks_like_name(groups[1][0].text):
        author, rest = groups[1][0].text, groups[2:]
    elif named := [i for i, line in enumerate(title_block[1:6], 1) if looks_like_name(line.text)]:
        # No blank line after the author: the body starts right under the name.
        at = named[0]
        body = [
            replace(line, gap_before=True) if i == at + 1 else line
            for i, line in enumerate(title_block)
            if i > at
        ]
        author, rest = title_block[at].text, [body, *groups[1:]] if body else groups[1:]
        title_block = title_block[:at]
    elif len(groups) < 3:
        raise IngestError(f"{name}: expected a title, an author and the text; found too little")
    else:
        raise IngestError(f"{name}: the second block should be the author's name alone")
    return title_block, author_name(author), [line for group in rest for line in group]


def _cut_pull_quotes(body: list[Line]) -> tuple[list[list[Line]], list[Line]]:
    """The pull quotes' lines, and the running text without them (the line after each
    one marked: the gap there was the pull quote's frame, not the text's)."""
    pulls = find_pull_quotes(body)
    cut = {i for q in pulls for i in range(q.first, q.last + 1)}
    quotes = [body[q.first : q.last + 1] for q in pulls]
    running = [
        replace(line, interrupted=True) if i - 1 in cut else line
        for i, line in enumerate(body)
        if i not in cut
    ]
    return quotes, restore_stray_lines(running, quotes)


def _draft_from_pdf(path: Path) -> _Draft:
    # pdfminer is imported only when a PDF is read: a library of text seeds (and every
    # one-shot command) starts without it.
    from bot.core.ingest._pdflayout import FlowLine, lay_out
    from bot.core.ingest._pdfread import read_pages

    laid = lay_out(read_pages(path))
    lines = [item.text for item in laid.flow if isinstance(item, FlowLine)]
    evidence = Evidence.from_lines([*lines, *(line for q in laid.pull_quotes for line in q)])
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    paragraph: list[str] = []
    for item in [*laid.flow, ""]:
        if isinstance(item, FlowLine) and not item.starts_paragraph:
            paragraph.append(item.text)
            continue
        if paragraph:
            sections[-1][1].append(join_lines(paragraph, evidence))
        paragraph = [item.text] if isinstance(item, FlowLine) else []
        if isinstance(item, str) and item:
            sections.append((join_lines([item], evidence), []))
    if not laid.title or not lines:
        raise IngestError(f"{path}: found no title or no running text on the first page")
    return _Draft(
        title=join_lines(laid.title, evidence),
        subtitle=join_lines(laid.subtitle, evidence) or None,
        author=laid.author,
        sections=sections,
        pull_quotes=[join_lines(q, evidence) for q in laid.pull_quotes],
    )


def _document(draft: _Draft, *, doc_id: str, name: str, meta: dict[str, str | None]) -> Document:
    """Sections numbered, sentences split, quotations found and pull quotes linked."""
    title = meta.get("title") or draft.title
    sections = _named_sections(draft.sections, title, name)
    quotes = _spoken_quotes(sections, doc_id) + _pull_quotes(
        sections, draft.pull_quotes, doc_id, name
    )
    quotes.sort(key=lambda q: (q.section, q.paragraph, q.kind != "pull"))
    return Document(
        id=doc_id,
        title=title,
        subtitle=meta.get("subtitle", draft.subtitle),
        author=meta.get("author") or draft.author,
        sections=tuple(sections),
        quotes=tuple(quotes),
    )


def _named_sections(
    drafted: list[tuple[str | None, list[str]]], title: str, name: str
) -> list[Section]:
    """Empty sections out, end mark off, the opening section named.

    The untitled opening is the introduction when headings follow it; an essay with
    no headings at all is one section named after the essay.
    """
    kept = [(heading, paragraphs) for heading, paragraphs in drafted if paragraphs or heading]
    if not kept or not any(paragraphs for _, paragraphs in kept):
        raise IngestError(f"{name}: no running text found")
    for heading, paragraphs in kept:
        if not paragraphs:
            raise IngestError(f"{name}: the section {heading!r} has no text")
    last = kept[-1][1]
    last[-1] = strip_end_mark(last[-1])
    if not last[-1]:
        last.pop()
    opening = OPENING_TITLE if len(kept) > 1 else title
    return [
        Section(
            number,
            heading or opening,
            tuple(
                Paragraph(p_number, text, split_sentences(text))
                for p_number, text in enumerate(paragraphs, start=1)
            ),
        )
        for number, (heading, paragraphs) in enumerate(kept, start=1)
    ]


def _spoken_quotes(sections: Sequence[Section], doc_id: str) -> list[Quote]:
    where = [(s.number, p.number) for s in sections for p in s.paragraphs]
    texts = [p.text for s in sections for p in s.paragraphs]
    starts = [[a for a, _ in sentence_spans(t)] for t in texts]
    quotes: list[Quote] = []
    for mention in find_quotations(texts, starts):
        if mention.speaker is None:
            continue
        section, paragraph = where[mention.paragraph_index]
        quotes.append(
            Quote(
                id=f"{doc_id}:s{len(quotes) + 1}",
                kind="spoken",
                speaker=mention.speaker,
                text=mention.text,
                section=section,
                paragraph=paragraph,
            )
        )
    return quotes


_NOT_ALNUM = re.compile(r"[\W_]+")
_PIECE = 20


def _key(text: str) -> str:
    return _NOT_ALNUM.sub("", text.casefold())


def _pull_quotes(
    sections: Sequence[Section], texts: list[str], doc_id: str, name: str
) -> list[Quote]:
    """Each pull quote, tied to the paragraph that says it: the one holding it whole,
    or else the one holding most of its pieces (a pull quote may trim its words)."""
    keyed = [(s.number, p.number, _key(p.text)) for s in sections for p in s.paragraphs]
    quotes: list[Quote] = []
    for text in texts:
        needle = _key(text)
        home = next(((s, p) for s, p, key in keyed if needle in key), None)
        if home is None:
            pieces = [needle[i : i + _PIECE] for i in range(0, max(1, len(needle) - _PIECE), 10)]
            found, s_number, p_number = max(
                (sum(piece in key for piece in pieces), s, p) for s, p, key in keyed
            )
            if not found:
                log.warning("%s: a pull quote matches no paragraph: %r", name, text[:60])
                continue
            home = (s_number, p_number)
        quotes.append(
            Quote(
                id=f"{doc_id}:p{len(quotes) + 1}",
                kind="pull",
                speaker=None,
                text=re.sub(r"\s+", " ", text).strip(),
                section=home[0],
                paragraph=home[1],
            )
        )
    return quotes
