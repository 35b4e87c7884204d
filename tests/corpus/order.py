"""Did an extractor keep the reading order? Every word of the source, in order, nothing else
inserted but pull-quote text, running heads, page numbers and the drop cap.

Text is compared by its letters and digits only (case folded, ligatures expanded), so
hyphenation and a split drop cap do not count against the extractor. The verdict is
exact: once the allowed insertions are taken out (a pull quote wherever it landed, even
mid-word; running heads; page numbers; the drop cap on its own), the extraction's letters
must be the source's, in order. Anything else out of place (columns interleaved, a line
taken from the wrong column) makes the extraction unfair: no ingest can undo it. How
much is out of place is counted word by word, for the report.
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
        for index, token in enumerate(tokens):
            if carry and token.isdigit():  # a page number between a word's halves
                words.append(token)
                continue
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


def _explained(lost: list[str], extra: list[str], removable: list[str], drop: str) -> bool:
    """Whether ``extra`` is ``lost`` with only allowed text dropped into it (even mid-word),
    or the opening word without its drop cap (``drop``), which may be anywhere."""
    target = "".join(lost)
    if lost and drop and target == drop + "".join(extra):
        return True
    kept = [w for w in extra if not (w.isdigit() and len(w) <= 3 and w not in lost)]
    joined = "".join(kept)
    for text in removable:
        while joined.count(text) > target.count(text):
            joined = joined.replace(text, "", 1)
    return joined == target


@dataclass(frozen=True, slots=True)
class Fairness:
    fair: bool
    #: Source words not found in their place (columns interleaved, text lost), counted
    #: word by word after the exact verdict; at least 1 when the verdict is unfair.
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


#: The shortest piece of an allowed text taken out on its own (a pull quote's last line,
#: set apart from the rest of it by the extractor).
_MIN_PIECE = 8


def _drop_extra(got: str, src: str, texts: list[str]) -> str:
    """``got`` with allowed text taken out wherever it stands in the way of ``src``.

    Working from the front: where ``got`` first departs from ``src``, the allowed text (or
    the longest piece of it) that stands there is taken out, if that makes ``got`` agree
    with the source for longer; a piece's remainder stays allowed further on. A pull quote
    dropped into its own sentence, mid-word, or in two pieces is thus taken out, while
    text of the source itself never is.
    """
    allowed = [t for t in texts if t]
    while True:
        depart = _common_prefix(got, src)
        if depart == len(got) == len(src):
            return got
        best: tuple[int, str, str] | None = None
        for text in allowed:
            for place in range(max(0, depart - len(text)), depart + 1):
                length = len(_common(got[place : place + len(text)], text))
                if place + length <= depart or length < min(len(text), _MIN_PIECE):
                    continue
                trial = got[:place] + got[place + length :]
                agree = _common_prefix(trial, src)
                if agree >= place and (best is None or agree > best[0]):
                    best = (agree, trial, text[length:])
        if best is None:
            return got
        _, got, rest = best
        if len(rest) >= _MIN_PIECE:
            allowed.append(rest)


def _common(a: str, b: str) -> str:
    return a[: _common_prefix(a, b)]


def _common_prefix(a: str, b: str) -> int:
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )


def _is_page_number(word: str) -> bool:
    return word.isdigit() and len(word) <= 3


def in_order(essay: Essay, text: str, furniture: str = "") -> bool:
    """The exact verdict: the source's letters, in order, once the allowed text is out."""
    src_words = [w for w in source_words(essay) if not _is_page_number(w)]
    got_words = [w for w in extracted_words(text) if not _is_page_number(w)]
    for got_variant, src_variant in _drop_cap_variants(essay, got_words, src_words):
        src = "".join(src_variant)
        if _drop_extra("".join(got_variant), src, _removable(essay, furniture)) == src:
            return True
    return False


#: How far into the extraction a drop cap set apart from its word is looked for.
_DROP_CAP_REACH = 300


def _drop_cap_variants(
    essay: Essay, got: list[str], src: list[str]
) -> list[tuple[list[str], list[str]]]:
    """As extracted; and, when the drop cap stands alone somewhere, without it on both sides
    (the source's opening word then lacks its first letter)."""
    drop = key(essay.paragraphs()[0])[:1]
    variants = [(got, src)]
    opening = len(source_words_front(essay))
    if opening < len(src) and src[opening].startswith(drop):
        trimmed = [*src[:opening], src[opening][len(drop) :], *src[opening + 1 :]]
        lone = [i for i, word in enumerate(got[:_DROP_CAP_REACH]) if word == drop]
        variants.extend((got[:i] + got[i + 1 :], trimmed) for i in lone)
    return variants


def source_words_front(essay: Essay) -> list[str]:
    """The title block's words, which come before the opening paragraph's."""
    parts = [essay.title, essay.subtitle or "", essay.author]
    if essay.sections[0].title:
        parts.append(essay.sections[0].title)
    return [k for word in " ".join(parts).split() if (k := key(word)) and not _is_page_number(k)]


def fairness(essay: Essay, text: str, furniture: str = "") -> Fairness:
    """Check one extraction; ``furniture`` is the running head's text (page numbers, and
    single letters such as a drop cap's, are always allowed)."""
    src = source_words(essay)
    got = extracted_words(text)
    if in_order(essay, text, furniture):
        return Fairness(True, 0, 0, len(src))
    removable = _removable(essay, furniture)
    drop = key(essay.paragraphs()[0])[:1]
    allowed = {key(w) for q in essay.pull_quotes for w in q.text.split()}
    allowed |= {key(w) for w in furniture.split()}
    misplaced = foreign = 0
    matcher = SequenceMatcher(None, src, got, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        lost, extra = src[i1:i2], got[j1:j2]
        if _explained(lost, extra, removable, drop):
            continue
        misplaced += len(lost)
        foreign += sum(1 for w in extra if not (w in allowed or w.isdigit() or len(w) == 1))
    return Fairness(False, max(misplaced, 1), foreign, len(src))
