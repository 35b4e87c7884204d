"""Turning an essay's raw PDF text into a clean ``Document``.

The steps, in order: read and validate the file; split off the front matter (title,
author); cut out the pull quotes; find the section headings; rebuild paragraphs
across column breaks, undoing line-end hyphenation; split sentences; find the
quotations and their speakers; link each pull quote to the paragraph it repeats.
An optional sidecar ``<name>.meta.json`` beside the text supplies what only an
editor knows (how the title splits into title and subtitle, say).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from bot.core.ingest._hyphen import Evidence
from bot.core.ingest._layout import (
    Line,
    blocks,
    ends_sentence,
    find_pull_quotes,
    join_lines,
    looks_like_heading,
    parse_lines,
    strip_end_mark,
)
from bot.core.ingest._quotes import find_quotations
from bot.core.ingest._reader import read_seed
from bot.core.ingest.errors import IngestError
from bot.core.model import Document, Paragraph, Quote, Section
from bot.core.text import sentence_spans, split_sentences

__all__ = ["IngestError", "ingest_file", "ingest_text"]

#: The name of the untitled opening section.
OPENING_TITLE = "Introduction"
_META_KEYS = {"title", "subtitle", "author"}
#: Besides a capital, how the first line after a heading can start.
_OPENING_MARKS = "“‘\"'("


def ingest_file(path: Path) -> Document:
    text = read_seed(path)
    meta = _read_meta(path.with_suffix(".meta.json"))
    return ingest_text(text, doc_id=path.stem, name=str(path), meta=meta)


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
    meta = meta or {}
    lines = parse_lines(text)
    if not lines:
        raise IngestError(f"{name}: the file is empty")
    groups = blocks(lines)
    if len(groups) < 3:
        raise IngestError(f"{name}: expected a title, an author and the text; found too little")
    title_block, author_block = groups[0], groups[1]
    if len(author_block) != 1 or ends_sentence(author_block[0].text):
        raise IngestError(f"{name}: the second block should be the author's name alone")
    body = [line for group in groups[2:] for line in group]

    evidence = Evidence.from_lines(line.text for line in lines)
    pulls = find_pull_quotes(body)
    pull_lines = {i for q in pulls for i in range(q.first, q.last + 1)}
    pull_texts = [
        join_lines((body[i].text for i in range(q.first, q.last + 1)), evidence) for q in pulls
    ]
    running = [line for i, line in enumerate(body) if i not in pull_lines]

    sections = _sections(running, evidence, name)
    if len(sections) < 2:
        raise IngestError(f"{name}: no section headings found")
    last_paragraphs = sections[-1][1]
    if last_paragraphs:
        last_paragraphs[-1] = strip_end_mark(last_paragraphs[-1])

    built: list[Section] = []
    for number, (title, paragraphs) in enumerate(sections, start=1):
        built.append(
            Section(
                number,
                title,
                tuple(
                    Paragraph(p_number, p_text, split_sentences(p_text))
                    for p_number, p_text in enumerate(paragraphs, start=1)
                ),
            )
        )

    quotes = _spoken_quotes(built, doc_id) + _pull_quotes(built, pull_texts, doc_id, name)
    quotes.sort(key=lambda q: (q.section, q.paragraph, q.kind != "pull"))
    title = meta.get("title") or join_lines((line.text for line in title_block), evidence)
    return Document(
        id=doc_id,
        title=title,
        subtitle=meta.get("subtitle"),
        author=meta.get("author") or author_block[0].text,
        sections=tuple(built),
        quotes=tuple(quotes),
    )


def _sections(lines: list[Line], evidence: Evidence, name: str) -> list[tuple[str, list[str]]]:
    sections: list[tuple[str, list[str]]] = [(OPENING_TITLE, [])]
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            sections[-1][1].append(join_lines(paragraph, evidence))
            paragraph.clear()

    groups = blocks(lines)
    for index, group in enumerate(groups):
        previous_ended = index == 0 or ends_sentence(groups[index - 1][-1].text)
        follower = groups[index + 1][0].text[:1] if index + 1 < len(groups) else ""
        starts_paragraph = follower.isupper() or (bool(follower) and follower in _OPENING_MARKS)
        if previous_ended and starts_paragraph and looks_like_heading(group):
            flush()
            sections.append((join_lines((line.text for line in group), evidence), []))
            continue
        first = group[0].text
        if paragraph and ends_sentence(paragraph[-1]) and not first[:1].islower():
            flush()
        paragraph.extend(line.text for line in group)
    flush()
    if not sections[0][1]:
        sections.pop(0)
    for title, paragraphs in sections:
        if not paragraphs:
            raise IngestError(f"{name}: the section {title!r} has no text")
    return sections


def _spoken_quotes(sections: list[Section], doc_id: str) -> list[Quote]:
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


def _key(text: str) -> str:
    return _NOT_ALNUM.sub("", text.casefold())


def _pull_quotes(sections: list[Section], texts: list[str], doc_id: str, name: str) -> list[Quote]:
    keyed = [(s.number, p.number, _key(p.text)) for s in sections for p in s.paragraphs]
    quotes: list[Quote] = []
    for text in texts:
        needle = _key(text)
        home = next(((s, p) for s, p, key in keyed if needle in key), None)
        if home is None:
            raise IngestError(f"{name}: a pull quote matches no paragraph: {text[:60]!r}")
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
