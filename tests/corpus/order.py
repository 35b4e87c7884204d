"""Did an extractor keep the reading order? Every word of the source, in order, nothing else
inserted but pull-quote text, running heads, page numbers and the drop cap.

Words are compared by their letters and digits only (case folded, ligatures expanded), and
a word broken at a line end is rejoined first, so hyphenation and a split drop cap do not
count against the extractor. Anything else out of place (columns interleaved, a line
taken from the wrong column) makes the extraction unfair: no ingest can undo it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from tests.corpus.markup import Essay

_ALNUM = re.compile(r"[\W_]+")
_LINE_BREAK = ("-", "\u2010", "—")


def key(text: str) -> str:
    return _ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())


def source_words(essay: Essay) -> list[str]:
    """The essay's words in reading order: title block, headings, paragraphs, end mark."""
    parts = [essay.title, essay.subtitle or "", essay.author]
    for section in essay.sections:
        if section.title:
            parts.append(section.title)
        parts.extend(section.paragraphs)
    parts.append(essay.end_mark)
    return [k for word in " ".join(parts).split() if (k := key(word))]


def extracted_words(text: str) -> list[str]:
    """The extraction's words; a word ending a line in a hyphen is joined to the next
    line's first word (a page number alone on a line between them is passed over)."""
    words: list[str] = []
    carry = ""
    for line in text.splitlines():
        tokens = line.split()
        if carry and len(tokens) == 1 and tokens[0].isdigit():
            words.append(tokens[0])
            continue
        for index, token in enumerate(tokens):
            token = carry + token
            carry = ""
            if index == len(tokens) - 1 and token.endswith(_LINE_BREAK):
                carry = token
                continue
            if k := key(token):
                words.append(k)
    if carry and (k := key(carry)):
        words.append(k)
    return words


def _removable(essay: Essay, furniture: str) -> list[str]:
    """Text an extractor may put anywhere: pull quotes and running heads (longest first)."""
    keys = {key(q.text) for q in essay.pull_quotes} | {key(furniture)}
    return sorted(keys - {""}, key=len, reverse=True)


def _explained(lost: list[str], extra: list[str], removable: list[str]) -> bool:
    """Whether ``extra`` is ``lost`` with only allowed text dropped into it (even mid-word)."""
    target = "".join(lost)
    kept = [w for w in extra if not (w.isdigit() and len(w) <= 3 and w not in lost)]
    joined = "".join(kept)
    for text in removable:
        while joined.count(text) > target.count(text):
            joined = joined.replace(text, "", 1)
    return joined == target


@dataclass(frozen=True, slots=True)
class Fairness:
    fair: bool
    #: Source words not found in their place (columns interleaved, text lost).
    misplaced: int
    #: Extracted words that are neither source text in order nor allowed furniture.
    foreign: int
    source: int

    def to_json(self) -> dict[str, Any]:
        return {
            "fair": self.fair,
            "misplaced": self.misplaced,
            "foreign": self.foreign,
            "source_words": self.source,
        }


def fairness(essay: Essay, text: str, furniture: str = "") -> Fairness:
    """Check one extraction; ``furniture`` is the running head's text (page numbers, and
    single letters such as a drop cap's, are always allowed)."""
    src = source_words(essay)
    got = extracted_words(text)
    removable = _removable(essay, furniture)
    allowed = {key(w) for q in essay.pull_quotes for w in q.text.split()}
    allowed |= {key(w) for w in furniture.split()}
    misplaced = foreign = 0
    matcher = SequenceMatcher(None, src, got, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        lost, extra = src[i1:i2], got[j1:j2]
        if _explained(lost, extra, removable):
            continue
        misplaced += len(lost)
        foreign += sum(1 for w in extra if not (w in allowed or w.isdigit() or len(w) == 1))
    return Fairness(misplaced == 0 and foreign == 0, misplaced, foreign, len(src))
