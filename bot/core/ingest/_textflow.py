"""The text path's steps between the extracted lines and the sections.

An extractor's text has lost the type, so each step reads what evidence the lines
still carry, the same way whichever extractor made them:

- **furniture**: page numbers and running heads stand as lines of their own (or,
  glued into a broken word, as ``compli-113 cated``); a running head recurs;
- **drop caps**: a letter on a line of its own (before its line, or set down after
  the lines beside it), or split from its word (``A merican``), and the small
  capitals after it (``THE problem``);
- **headings**: short lines that stand alone, have no sentence-final punctuation and
  are followed by a paragraph's start, whether or not a blank line follows them; in
  title case, or in sentence case when plainly shorter than the body's lines;
- **paragraphs**: a paragraph's last line is short. A sentence that ends on a short
  line, before a line that can start a paragraph, ends the paragraph even with no
  blank line after it. At a blank line, a finished sentence before a line that can
  start one ends it too: a column break that falls after a full stop cannot be told
  from a paragraph's end in the text (the indent that tells them apart is lost).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from statistics import median

from wordfreq import zipf_frequency

from bot.core.ingest._hyphen import Evidence
from bot.core.ingest._layout import (
    Line,
    blocks,
    ends_sentence,
    join_lines,
    looks_like_heading,
    starts_paragraph,
)

_FOLIO = re.compile(r"^(?:page\s+)?(?:\d{1,4}|[ivxlc]{1,6})$", re.IGNORECASE)
#: A page number an extractor glued between the halves of a broken word.
_GLUED_FOLIO = re.compile(r"(?<=[^\W\d_])-(\d{1,4}) (?=[a-z])")
_NAME_PARTICLES = frozenset("de del della der di du da dos la le van von bin al ibn y".split())
_BY = re.compile(r"^by\s+", re.IGNORECASE)
#: Page numbers enough to show their run, and how far from the others one may stand.
_FOLIO_RUN = 3
_FOLIO_REACH = 10
#: Longest running head, in characters.
_HEAD_MAX_CHARS = 80
#: A line this much shorter than those around it ends a paragraph (with a full stop).
_SHORT = 0.7
#: A line this much longer than those around it is two printed lines.
_DOUBLE = 1.4
#: A heading glued to its paragraph ends on a line at most this long, against the body's.
_GLUED_HEADING = 0.85
#: How many lines each side give the local measure.
_AROUND = 4
#: Zipf frequency from which a form is an English word (as in ``_hyphen``).
_WORD = 2.5
#: Zipf frequency from which a single letter is a word ("a", "I" are near 7; letters
#: the word list knows as abbreviations, "t", "s", "o", near 5).
_LETTER_WORD = 6.5


@lru_cache(maxsize=4096)
def _zipf(word: str) -> float:
    return float(zipf_frequency(word, "en"))


def is_word(text: str) -> bool:
    """An English word (the word list knows it well enough), case aside."""
    letters = re.sub(r"[^\w’']", "", text).casefold()
    return bool(letters) and _zipf(letters) >= _WORD


# --- front matter -----------------------------------------------------------------


def looks_like_name(text: str) -> bool:
    """An author's name: two to six capitalised words or initials, perhaps after "By"."""
    words = _BY.sub("", text.strip()).split()
    if not 2 <= len(words) <= 6 or any(ch.isdigit() for ch in text):
        return False
    if text.rstrip()[-1:] in ",;:!?" or (text.rstrip().endswith(".") and len(words[-1]) > 2):
        return False
    return all(w[:1].isupper() or w.casefold() in _NAME_PARTICLES for w in words)


def author_name(text: str) -> str:
    return _BY.sub("", text.strip())


# --- furniture --------------------------------------------------------------------


def _standalone(lines: Sequence[Line], index: int) -> bool:
    after = lines[index + 1] if index + 1 < len(lines) else None
    return lines[index].gap_before and (after is None or after.gap_before)


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.casefold()))


def drop_furniture(lines: Sequence[Line]) -> list[Line]:
    """The body without page numbers and running heads, however they were extracted.

    A page number is a number standing alone; a running head is a short line standing
    alone that recurs (its page number aside). A page number glued into a broken
    word splits the line where the word broke.
    """
    counts = Counter(
        _furniture_key(line.text) for i, line in enumerate(lines) if _standalone(lines, i)
    )
    folios = _folios(lines)
    kept: list[Line] = []
    for index, line in enumerate(lines):
        if index in folios:
            continue  # a number on a line of its own, at a break: a page number
        if _standalone(lines, index):
            key = _furniture_key(line.text)
            if counts[key] >= 2 and len(line.text) <= _HEAD_MAX_CHARS and not ends_sentence(key):
                continue
        kept.extend(_split_glued_folio(line))
    return kept


def _folios(lines: Sequence[Line]) -> set[int]:
    """The lines that are page numbers: a number on a line of its own, at a break.

    Page numbers run in a sequence; a number far from all the others (a year that
    ends a heading's last line, "1869", against pages 41 to 50) is text.
    """
    found = {
        i
        for i, line in enumerate(lines)
        if _FOLIO.match(line.text)
        and (line.gap_before or i + 1 == len(lines) or lines[i + 1].gap_before)
    }
    numbers = {i: int(lines[i].text) for i in found if lines[i].text.isdigit()}
    if len(numbers) < _FOLIO_RUN:
        return found
    reach = max(_FOLIO_REACH, 2 * len(numbers))
    return {
        i
        for i in found
        if i not in numbers
        or any(abs(numbers[i] - n) <= reach for j, n in numbers.items() if j != i)
    }


def _split_glued_folio(line: Line) -> list[Line]:
    match = _GLUED_FOLIO.search(line.text)
    if not match:
        return [line]
    head, tail = line.text[: match.start()] + "-", line.text[match.end() :]
    return [replace(line, text=head), Line(tail, gap_before=False)]


# --- drop caps --------------------------------------------------------------------


def join_drop_caps(lines: Sequence[Line]) -> list[Line]:
    """A drop cap extracted as a line of its own, put back before its line.

    Its line is the next one, where that one can take it (see ``_fits``) and does not
    go on with an unfinished sentence. Otherwise the extractor set the cap down after
    the lines beside it, or further on: its line is the nearest one before it that
    opens a paragraph without its first letter, in lower case where a sentence has
    ended (or the text begins), and can take it.
    """
    out: list[Line] = []
    pending = ""
    gap = False
    for index, line in enumerate(lines):
        nxt = lines[index + 1].text if index + 1 < len(lines) else ""
        if _is_drop_cap(line.text) and nxt[:1].isalpha():
            cap = line.text
            if _continues(out, nxt) or not _fits(cap, nxt):
                orphan = _orphan_opening(out, cap)
                if orphan is not None:
                    target = out[orphan]
                    out[orphan] = replace(target, text=cap_joined(cap, target.text) + target.text)
                    continue
            pending, gap = cap, line.gap_before
            continue
        if pending:
            text = cap_joined(pending, line.text) + line.text
            line = replace(line, text=text, gap_before=gap or line.gap_before)
            pending = ""
        out.append(line)
    return out


def _is_drop_cap(text: str) -> bool:
    return len(text) <= 2 and text[-1:].isalpha() and text[-1:].isupper()


def _continues(before: Sequence[Line], text: str) -> bool:
    """``text`` goes on with the sentence the lines ``before`` left unfinished."""
    return bool(before) and text[:1].islower() and not ends_sentence(before[-1].text)


def _fits(cap: str, text: str) -> bool:
    """The cap can open ``text``: with it, the first word is a word (``his`` is This,
    small capitals ``HE`` are THE), or the cap is a word of its own before a word in
    lower case (``A critic``). Never before a capitalised word ("TAnd")."""
    first = text.split(" ", 1)[0]
    if first[:1].islower():
        return is_word(cap + first) or _word_alone(cap)
    return first.isupper() and is_word(cap + first)


def _word_alone(cap: str) -> bool:
    """A drop cap that is a word of its own: "A", "I", not a letter ("T") that the
    word list knows as an abbreviation."""
    letters = re.sub(r"\W", "", cap).casefold()
    return (len(letters) > 1 and is_word(letters)) or _zipf(letters) >= _LETTER_WORD


#: How far back a drop cap's line may be, in lines.
_CAP_REACH = 60


def _orphan_opening(lines: Sequence[Line], cap: str) -> int | None:
    """The last of ``lines`` (within reach) that opens a paragraph in lower case and
    can take the cap."""
    for index in range(len(lines) - 1, max(-1, len(lines) - 1 - _CAP_REACH), -1):
        text = lines[index].text
        if (
            text[:1].islower()
            and (index == 0 or ends_sentence(lines[index - 1].text))
            and _fits(cap, text)
        ):
            return index
    return None


def cap_joined(cap: str, line: str) -> str:
    """The drop cap as it joins its line: with a space when the cap is a word of its
    own and the line's first word is one while the two together are none ("A critic").
    (The PDF path joins its drop caps by this rule too.)"""
    first = line.split(" ", 1)[0]
    if is_word(cap + first) or not (_word_alone(cap) and is_word(first)):
        return cap
    return cap + " "


_SPLIT_CAP = re.compile(r"^([“‘\"']?)([A-Z]) ([a-z]+)")
_SMALL_CAPS = re.compile(r"^([“‘\"']?)([A-Z])([A-Z]+)(?=[\s,;:’']+[a-z])")


def mend_opening(text: str, evidence: Evidence) -> str:
    """A paragraph's first word as printed: ``A merican`` is American, ``THE`` is The.

    A letter split from the rest of its word joins it when together they make a word
    and the rest alone does not; a first word in capitals before lower-case words
    (a drop cap's small capitals) is set in lower case after its first letter, unless
    the document writes it in capitals elsewhere (an acronym).
    """
    split = _SPLIT_CAP.match(text)
    if split:
        mark, letter, rest = split.groups()
        joined = (letter + rest).casefold()
        if (evidence.joined[joined] or _zipf(joined) >= _WORD) and (
            # (the split form itself counts once in the document's own words)
            len(rest) == 1 or (evidence.joined[rest] <= 1 and _zipf(rest) < _WORD)
        ):
            return f"{mark}{letter}{rest}{text[split.end() :]}"
    caps = _SMALL_CAPS.match(text)
    if caps:
        mark, letter, rest = caps.groups()
        word = letter + rest
        if not evidence.capitals[word] and _zipf(word.casefold()) >= _WORD:
            return f"{mark}{letter}{rest.lower()}{text[caps.end() :]}"
    return text


# --- sections and paragraphs ------------------------------------------------------


def _local_measure(lengths: Sequence[int], index: int) -> float:
    around = [
        lengths[i]
        for i in range(max(0, index - _AROUND), min(len(lengths), index + _AROUND + 1))
        if i != index
    ]
    return median(around) if around else float(lengths[index])


def _heading_lines(group: Sequence[Line], width: float) -> int:
    """How many of a block's first lines are a heading glued to its paragraph (0: none)."""
    for size in range(min(3, len(group) - 1), 0, -1):  # the longest heading that fits
        head, rest = group[:size], group[size]
        if (
            looks_like_heading(head, width, glued=True)
            and len(head[-1].text) <= _GLUED_HEADING * width
            and _opens_under_heading(rest.text)
            and (size + 1 == len(group) or len(rest.text) >= _SHORT * width)
        ):
            return size
    return 0


def _opens_under_heading(text: str) -> bool:
    """The line can open a section's first paragraph: not a number, which as often
    goes on a title-case line ("Between July and September" / "2020, the two")."""
    return starts_paragraph(text) and not text[:1].isdigit()


class _Sections:
    """Sections built block by block: each block is a heading, or running text (maybe
    under a heading glued to it), whose lines join the paragraph or start one."""

    def __init__(self, lines: Sequence[Line], evidence: Evidence) -> None:
        self.lines = lines
        self.evidence = evidence
        self.lengths = [len(line.text) for line in lines]
        self.width = float(median(self.lengths)) if self.lengths else 0.0
        self.out: list[tuple[str | None, list[str]]] = [(None, [])]
        self.paragraph: list[str] = []

    def flush(self) -> None:
        if self.paragraph:
            text = join_lines(self.paragraph, self.evidence)
            self.out[-1][1].append(mend_opening(text, self.evidence))
            self.paragraph.clear()

    def heading(self, group: Sequence[Line]) -> None:
        self.flush()
        title = join_lines((line.text for line in group), self.evidence)
        last_title, last_paragraphs = self.out[-1]
        if last_title is not None and not last_paragraphs:
            # A heading an extractor broke into two blocks: no text between, one heading.
            self.out[-1] = (f"{last_title} {title}", [])
        else:
            self.out.append((title, []))

    def ended(self) -> bool:
        return not self.paragraph or ends_sentence(self.paragraph[-1])

    def takes_heading(self, head: Sequence[Line]) -> bool:
        """``head`` can be a heading here. Right under a heading with no text yet, it
        can only be that heading's tail (a section has text), so it must be as short
        as a heading's line: a full line there is the section's first text."""
        title, paragraphs = self.out[-1]
        if title is None or paragraphs or self.paragraph:
            return True
        return max(len(line.text) for line in head) <= _GLUED_HEADING * self.width

    def running_text(self, group: Sequence[Line], start: int) -> None:
        first = group[0].text
        if self.paragraph and ends_sentence(self.paragraph[-1]) and starts_paragraph(first):
            self.flush()
        end = start + len(group)
        for offset, line in enumerate(group, start=start):
            self.paragraph.append(line.text)
            nxt = self.lines[offset + 1].text if offset + 1 < len(self.lines) else ""
            if offset + 1 < end and _ends_paragraph(line.text, nxt, self.lengths, offset):
                self.flush()


def sections(lines: Sequence[Line], evidence: Evidence) -> list[tuple[str | None, list[str]]]:
    """(heading, paragraphs) in order; the untitled opening's heading is ``None``."""
    built = _Sections(lines, evidence)
    groups = blocks(lines)
    start = 0
    for index, group in enumerate(groups):
        follower = groups[index + 1][0].text if index + 1 < len(groups) else ""
        ended = built.ended()
        if (
            ended
            and _opens_under_heading(follower)
            and looks_like_heading(group, built.width)
            and built.takes_heading(group)
        ):
            built.heading(group)
        else:
            glued = _heading_lines(group, built.width) if ended else 0
            if glued and not built.takes_heading(group[:glued]):
                glued = 0
            if glued:
                built.heading(group[:glued])
            built.running_text(group[glued:], start + glued)
        start += len(group)
    built.flush()
    return built.out


def _ends_paragraph(text: str, nxt: str, lengths: Sequence[int], index: int) -> bool:
    """A sentence ends on a short line and the next line can open a paragraph."""
    # The next line, a paragraph's first, is a full one: where it is short too, the
    # extractor cut one printed line in two ("in operation." / "In fifty").
    nxt_full = index + 1 < len(lengths) and lengths[index + 1] >= _SHORT * _local_measure(
        lengths, index + 1
    )
    measure = _local_measure(lengths, index)
    length = lengths[index]
    if length > _DOUBLE * measure:
        # Two printed lines as one (an extractor that undoes a line-end hyphen by
        # pulling the next line up): what counts is how far the second one runs.
        length -= round(measure)
    return ends_sentence(text) and starts_paragraph(nxt) and nxt_full and length < _SHORT * measure
