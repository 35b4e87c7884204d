"""The corpus's source markup, and the ground truth derived from it by construction.

An essay is written once, as ``essays/<id>/essay.md``::

    ---
    title: The Title
    subtitle: A deck under the title (optional)
    author: Ann Author
    end_mark: ■
    source: where the text comes from
    licence: its licence
    ---
    An opening paragraph, before any heading (an untitled opening section).

    # A Section Heading

    A paragraph with a quotation, “Hereafter,”{Henry Halleck} he said.

    > A sentence of the paragraph above, repeated as a pull quote.

Blocks are separated by blank lines. ``# `` starts a section; ``> `` is a pull quote
of the paragraph just before it (its text must occur in that paragraph); anything
else is a paragraph, one per block. ``{Name}`` right after a closing ``”`` names the
speaker of that quotation; a quotation without it has no speaker (document wording,
a scare quote, or words whose speaker the text does not name). The typesetting
scripts and the truth both read this one file, so the truth cannot drift from the PDFs.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

_QUOTATION = re.compile(r"“([^“”]*)”(?:\{([^{}]*)\})?")
_ANNOTATION = re.compile(r"”\{[^{}]*\}")
_REQUIRED = ("title", "author", "end_mark", "source", "licence")


class MarkupError(ValueError):
    """The essay file breaks one of the markup's rules."""


@dataclass(frozen=True, slots=True)
class PullQuote:
    text: str
    section: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class Quotation:
    text: str
    speaker: str | None
    section: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class TruthSection:
    #: ``None`` for an untitled opening section.
    title: str | None
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Essay:
    id: str
    title: str
    subtitle: str | None
    author: str
    end_mark: str
    source: str
    licence: str
    sections: tuple[TruthSection, ...]
    pull_quotes: tuple[PullQuote, ...]
    quotations: tuple[Quotation, ...]

    def paragraph(self, section: int, paragraph: int) -> str:
        return self.sections[section - 1].paragraphs[paragraph - 1]

    def paragraphs(self) -> list[str]:
        return [p for s in self.sections for p in s.paragraphs]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["sections"] = [
            {"title": s.title, "paragraphs": list(s.paragraphs)} for s in self.sections
        ]
        return data


def _front_matter(lines: list[str], name: str) -> tuple[dict[str, str], list[str]]:
    if not lines or lines[0].strip() != "---":
        raise MarkupError(f"{name}: expected front matter starting with ---")
    try:
        end = lines.index("---", 1)
    except ValueError:
        raise MarkupError(f"{name}: front matter has no closing ---") from None
    meta: dict[str, str] = {}
    for line in lines[1:end]:
        key, sep, value = line.partition(":")
        if not sep:
            raise MarkupError(f"{name}: front matter line without a colon: {line!r}")
        meta[key.strip()] = value.strip()
    missing = [k for k in _REQUIRED if not meta.get(k)]
    if missing:
        raise MarkupError(f"{name}: front matter lacks {missing}")
    return meta, lines[end + 1 :]


def _blocks(lines: list[str]) -> list[str]:
    blocks: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(" ".join(current))
            current = []
    return blocks


def plain(paragraph: str) -> str:
    """A paragraph as printed: the speaker annotations removed."""
    return _ANNOTATION.sub("”", paragraph)


def parse(text: str, essay_id: str, name: str = "<essay>") -> Essay:
    meta, body = _front_matter(text.splitlines(), name)
    sections: list[tuple[str | None, list[str]]] = [(None, [])]
    pulls: list[PullQuote] = []
    quotations: list[Quotation] = []
    for block in _blocks(body):
        if block.startswith("# "):
            sections.append((block[2:].strip(), []))
            continue
        opening_kept = bool(sections[0][1]) or len(sections) == 1
        s_number = len(sections) - (0 if opening_kept else 1)
        if block.startswith("> "):
            pull = block[2:].strip()
            paragraphs = sections[-1][1]
            if not paragraphs or pull not in paragraphs[-1]:
                raise MarkupError(f"{name}: pull quote not in the paragraph before it: {pull!r}")
            pulls.append(PullQuote(pull, s_number, len(paragraphs)))
            continue
        if "{" in _ANNOTATION.sub("", block) or "}" in _ANNOTATION.sub("", block):
            raise MarkupError(f"{name}: a speaker annotation must follow a closing ”: {block!r}")
        printed = plain(block)
        sections[-1][1].append(printed)
        for match in _QUOTATION.finditer(block):
            speaker = match.group(2).strip() if match.group(2) else None
            quotations.append(
                Quotation(match.group(1), speaker or None, s_number, len(sections[-1][1]))
            )
    if not sections[0][1]:
        sections.pop(0)
    for title, paragraphs in sections:
        if not paragraphs:
            raise MarkupError(f"{name}: section {title!r} has no paragraphs")
    return Essay(
        id=essay_id,
        title=meta["title"],
        subtitle=meta.get("subtitle") or None,
        author=meta["author"],
        end_mark=meta["end_mark"],
        source=meta["source"],
        licence=meta["licence"],
        sections=tuple(TruthSection(t, tuple(ps)) for t, ps in sections),
        pull_quotes=tuple(pulls),
        quotations=tuple(quotations),
    )


def load_markup(folder: Path) -> Essay:
    path = folder / "essay.md"
    return parse(path.read_text(encoding="utf-8"), folder.name, str(path))


def load_truth(path: Path) -> Essay:
    """The committed truth.json (which a test checks equals what the markup gives)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return Essay(
        id=data["id"],
        title=data["title"],
        subtitle=data["subtitle"],
        author=data["author"],
        end_mark=data["end_mark"],
        source=data["source"],
        licence=data["licence"],
        sections=tuple(TruthSection(s["title"], tuple(s["paragraphs"])) for s in data["sections"]),
        pull_quotes=tuple(PullQuote(**q) for q in data["pull_quotes"]),
        quotations=tuple(Quotation(**q) for q in data["quotations"]),
    )


def truth_text(essay: Essay) -> str:
    return json.dumps(essay.to_json(), ensure_ascii=False, indent=1) + "\n"
