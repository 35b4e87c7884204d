"""What a search returns: ranked hits with their citation, and autocomplete choices.

Every front end renders these; ``to_json`` is the CLI's machine-readable
contract (``python -m bot quote|section|search QUERY --json``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from bot.core.errors import InvalidInput
from bot.core.text import clean_user_text

MAX_QUERY_CHARS = 300
# Discord's limits on an autocomplete option, kept here so every caller obeys them.
MAX_CHOICES = 25
MAX_CHOICE_CHARS = 100

# What a front end says above passages that are a guess (``PassageHit.confident``).
WEAK_MATCH = "No passage answers this closely; these come nearest."


def absent_words_note(words: Sequence[str]) -> str:
    """What a front end says to a question none of whose words the essay uses.

    Spelling neighbours of real words would be other words ("troops" is not
    "tropes"), so no passage is offered as an answer; naming the words tells
    the reader what to change.
    """
    shown = ", ".join(f"“{w}”" for w in words[:6]) + (", …" if len(words) > 6 else "")
    return (
        f"The essay never uses {shown}, in any form, so no passage answers this by its words. "
        "Try asking with the words the essay itself would use."
    )


HitKind = Literal["spoken", "pull", "passage"]


def validate_query(raw: str, *, limit: int = MAX_QUERY_CHARS) -> str:
    """The query as searched: cleaned of invisible characters and folded whitespace.

    Raises ``InvalidInput`` for an empty query or one longer than ``limit``
    characters (300 by default), with a message meant for the person who typed it.
    """
    query = clean_user_text(raw)
    if not query:
        raise InvalidInput("Type a few words to search for.")
    if len(query) > limit:
        raise InvalidInput(
            f"That query is {len(query)} characters long; please use at most {limit}."
        )
    return query


def _score(value: float) -> float:
    return round(value, 1)


@dataclass(frozen=True, slots=True)
class QuoteHit:
    kind: HitKind
    speaker: str | None
    text: str
    document: str
    section: int
    section_title: str
    paragraph: int
    score: float

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "speaker": self.speaker,
            "text": self.text,
            "section": self.section,
            "section_title": self.section_title,
            "paragraph": self.paragraph,
            "score": _score(self.score),
        }


@dataclass(frozen=True, slots=True)
class SectionHit:
    document: str
    number: int
    title: str
    score: float

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "title": self.title, "score": _score(self.score)}


@dataclass(frozen=True, slots=True)
class PassageHit:
    document: str
    section: int
    section_title: str
    paragraph: int
    text: str
    score: float
    # False when no passage matched well and these are the best there are for
    # a question (see ``SearchIndex.passages``): front ends say it is a guess.
    confident: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "passage",
            "section": self.section,
            "section_title": self.section_title,
            "paragraph": self.paragraph,
            "text": self.text,
            "score": _score(self.score),
            "confident": self.confident,
        }


@dataclass(frozen=True, slots=True)
class Choice:
    """One autocomplete option: ``name`` is shown, ``value`` is sent back as typed."""

    name: str
    value: str

    def __post_init__(self) -> None:
        if not (0 < len(self.name) <= MAX_CHOICE_CHARS and 0 < len(self.value) <= MAX_CHOICE_CHARS):
            raise ValueError(f"choice out of Discord's 1..100 character limits: {self!r}")
