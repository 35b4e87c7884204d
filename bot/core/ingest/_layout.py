"""From the extracted lines back to the printed layout.

A magazine PDF's text arrives as lines of narrow columns. Blank lines (and, in some
extractions, a line that starts with a space) mark column and frame breaks as well
as paragraph ends; no rule here needs either. The pull quotes are sentences of the
body set again in large type, so they are found as whole frames whose words stand a
second time elsewhere in the text, set apart from the sentences around them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from bot.core.ingest._hyphen import Evidence, join_break
from bot.core.text import is_abbreviation

_SPACES = re.compile(r"\s+")
#: Three full stops set as an ellipsis (LaTeX's \ldots, a spaced ". . .").
_ELLIPSIS = re.compile(r"\.\s?\.\s?\.")
_TERMINAL = re.compile(r"[.?!…][”’\"')\]]*$")
#: A magazine's end mark: a symbol, or the author's initials, after the last sentence.
END_SYMBOLS = "■□▪▫◼◻◾●○◆◇♦❖✦✧★☐⬛"
_END_MARK = re.compile(
    r"(?:(?<=[.?!…”’\"')\]])|^)\s*(?:[" + END_SYMBOLS + r"]+"
    r"|(?:^|(?<=\s))[—–]?\s?(?:[A-Z]{1,4}|(?:[A-Z]\.\s?){1,4}))\s*$"
)
_BREAK = re.compile(r"[^\s-]-$")
#: Shortest pull quote worth the name, in letters and digits.
_MIN_PULL_CHARS = 40

#: Besides a capital or a digit, how a paragraph's first line can start.
_OPENING_MARKS = "“‘\"'([…"
_HEADING_MAX_LINES = 5
#: Longest pull quote, in lines of the extraction.
_PULL_MAX_LINES = 30
_HEADING_MAX_CHARS = 100
#: Words a title-case heading leaves in lower case.
_MINOR_WORDS = frozenset(
    "a an and as at but by for from in into nor of on onto or over per the to upon via vs "
    "with through without within about against between after before under among across "
    "during beyond toward towards".split()
)


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    #: A blank line or a new text frame comes before this line.
    gap_before: bool
    #: The line starts a new text frame (it began with a space in the extraction).
    new_frame: bool = False
    #: Page furniture or a pull quote stood right before this line and was taken out:
    #: a gap here is the page's (a page or column break, a frame), not a paragraph's end.
    interrupted: bool = False


def parse_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    gap = True
    for raw in text.split("\n"):
        stripped = raw.strip()
        if not stripped:
            gap = True
            continue
        new_frame = raw[:1] in (" ", "\t")
        lines.append(Line(_SPACES.sub(" ", stripped), gap or new_frame, new_frame))
        gap = False
    return lines


def blocks(lines: Sequence[Line]) -> list[list[Line]]:
    """Runs of lines with no gap between them."""
    out: list[list[Line]] = []
    for line in lines:
        if line.gap_before or not out:
            out.append([])
        out[-1].append(line)
    return out


def ends_sentence(text: str) -> bool:
    """The text ends a sentence: a full stop that is no abbreviation's ("Mr.")."""
    if not _TERMINAL.search(text):
        return False
    last = text.rsplit(None, 1)[-1].rstrip("”’\"')]").lstrip("“‘\"'([")
    return not (last.endswith(".") and is_abbreviation(last[:-1]))


def is_broken(text: str) -> bool:
    """The line ends in a hyphen or dash that the next line completes."""
    return bool(_BREAK.search(text)) or text.endswith(("—", "–"))


def join_lines(lines: Iterable[str], evidence: Evidence) -> str:
    text = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not text:
            text = line
        elif is_broken(text):
            text = join_break(text, line, evidence)
        else:
            text = f"{text} {line}"
    return _ELLIPSIS.sub("…", _SPACES.sub(" ", text)).strip()


def strip_end_mark(text: str) -> str:
    """Drop the magazine's end mark (a symbol or a few capitals after the last sentence).

    The text that is nothing but an end mark (set on a line of its own) becomes empty.
    """
    return _END_MARK.sub("", text).strip()


# --- pull quotes --------------------------------------------------------------


_NOT_ALNUM = re.compile(r"[\W_]+")


def _key(text: str) -> str:
    """Letters and digits only: how a pull quote and its body copy are compared."""
    return _NOT_ALNUM.sub("", text.casefold())


@dataclass(frozen=True, slots=True)
class PullQuote:
    first: int
    last: int


def find_pull_quotes(lines: Sequence[Line]) -> list[PullQuote]:
    """Runs of whole blocks that repeat the body's words and stand apart from it.

    A pull quote is a passage of the body set again, in its own frame: a run of
    whole blocks (a gap before and after, or the seams that show where an extractor
    left none) whose letters stand a second time elsewhere, running on within the
    lines there. Repetition alone is not enough (an extraction can repeat a passage,
    and so can an essay); the quote must also stand apart from the running text
    around it: it interrupts a sentence that goes on after it, or it stands between
    two paragraphs. Longer matches are taken first. Taking a pull quote out can make
    another one's body copy whole again (one set in the middle of another's body
    copy, or of its own), so the search repeats until nothing more is found.
    """
    found: dict[int, PullQuote] = {}
    keys = [_key(line.text) for line in lines]
    while True:
        active = [
            i for i in range(len(lines)) if not any(q.first <= i <= q.last for q in found.values())
        ]
        fresh = _pull_quote_round([lines[i] for i in active], [keys[i] for i in active])
        added = False
        for quote in fresh:
            first, last = active[quote.first], active[quote.last]
            # A pull quote is one run of lines: never one that encloses an earlier find.
            if first not in found and last - first == quote.last - quote.first:
                found[first] = PullQuote(first, last)
                added = True
        if not added:
            return sorted(found.values(), key=lambda q: q.first)


def _reads_on(lines: Sequence[Line], first: int, last: int) -> bool:
    """Taking lines ``first..last`` out leaves running text that reads on.

    Either the sentence before them goes on after them (they interrupt a sentence),
    or a paragraph (or the end) follows a finished one. A block that continues the
    sentence a heading or a full stop left off (a drop-capped opening that happens
    to repeat earlier words) does not stand apart.
    """
    before = lines[first - 1] if first > 0 else None
    after = lines[last + 1].text if last + 1 < len(lines) else ""
    finished = (
        before is None
        or ends_sentence(before.text)
        or looks_like_heading(_block_of(lines, first - 1))
    )
    if finished:
        return not after or starts_paragraph(after)
    # The sentence goes on after it: not into a heading.
    return bool(after) and not looks_like_heading(_block_from(lines, last + 1))


def _block_from(lines: Sequence[Line], index: int) -> list[Line]:
    end = index + 1
    while end < len(lines) and not lines[end].gap_before:
        end += 1
    return list(lines[index:end])


def _block_of(lines: Sequence[Line], index: int) -> list[Line]:
    start = index
    while start > 0 and not lines[start].gap_before:
        start -= 1
    return list(lines[start : index + 1])


def starts_paragraph(text: str) -> bool:
    """The line can open a paragraph: a capital, a digit or an opening mark."""
    head = text[:1]
    return head.isupper() or head.isdigit() or (bool(head) and head in _OPENING_MARKS)


class _PullSearch:
    """One round of the pull-quote search over the lines still in the running text.

    Lines are compared by their letters and digits (``keys``), laid end to end in
    ``full``; ``offsets[i]`` is where line ``i`` starts there.
    """

    def __init__(self, lines: Sequence[Line], keys: Sequence[str]) -> None:
        self.lines = lines
        self.offsets = [0]
        for key in keys:
            self.offsets.append(self.offsets[-1] + len(key))
        self.full = "".join(keys)
        # A pull quote is whole blocks; where the extractor left no blank line around
        # it, the seams still show: it ends a sentence, and it starts where an
        # unfinished sentence runs into a capital.
        count = len(lines)
        self.ends = {i - 1 for i, line in enumerate(lines) if line.gap_before} | {count - 1}
        self.ends |= {i for i in range(count - 1) if ends_sentence(lines[i].text)}
        self.starts = {i for i, line in enumerate(lines) if line.gap_before}
        self.starts |= {
            i
            for i in range(1, count)
            if not ends_sentence(lines[i - 1].text)
            and not lines[i - 1].text.endswith("-")
            and starts_paragraph(lines[i].text)
        }
        self.repeated_run = cache(self._repeated_run)

    def elsewhere(self, start: int, end: int) -> list[tuple[int, int]]:
        """Where else the letters ``full[start:end]`` stand, whole.

        The text is searched with the candidate cut out: a pull quote may be set in
        the middle of its own body copy, which is whole again once the quote is gone.
        """
        needle = self.full[start:end]
        rest = self.full[:start] + self.full[end:]
        found = []
        pos = rest.find(needle)
        while pos != -1:
            at = pos if pos < start else pos + (end - start)
            found.append((at, at + len(needle)))
            pos = rest.find(needle, pos + 1)
        return found

    def _repeated_run(self, first: int, last: int) -> bool:
        """Lines ``first..last`` could be a pull quote of their own, context aside."""
        start, end = self.offsets[first], self.offsets[last + 1]
        return (
            first in self.starts
            and last in self.ends
            and end - start >= _MIN_PULL_CHARS
            and starts_paragraph(self.lines[first].text)
            and not looks_like_heading(self.lines[first : last + 1])
            and bool(self.elsewhere(start, end))
        )

    def stands_apart(self, first: int, last: int) -> bool:
        """With its own neighbours, or with those of another pull quote set right
        before or after it (two pull quotes one after the other)."""
        lines = self.lines
        if _reads_on(lines, first, last):
            return True
        for other in range(last + 1, min(last + 1 + _PULL_MAX_LINES, len(lines))):
            if self.repeated_run(last + 1, other) and _reads_on(lines, first, other):
                return True
        for other in range(max(0, first - _PULL_MAX_LINES), first):
            if self.repeated_run(other, first - 1) and _reads_on(lines, other, last):
                return True
        return False

    def candidates(self) -> list[tuple[int, int, int, list[tuple[int, int]]]]:
        """(letters, first, last, where the body says it) of every possible pull quote."""
        found = []
        for first in range(len(self.lines)):
            for last in range(first, min(first + _PULL_MAX_LINES, len(self.lines))):
                if self.repeated_run(first, last) and self.stands_apart(first, last):
                    start, end = self.offsets[first], self.offsets[last + 1]
                    found.append((end - start, first, last, self.elsewhere(start, end)))
        return found

    def lines_over(self, a: int, b: int) -> set[int]:
        return {
            index
            for index in range(len(self.lines))
            if self.offsets[index] < b and a < self.offsets[index + 1]
        }


def _pull_quote_round(lines: Sequence[Line], keys: Sequence[str]) -> list[PullQuote]:
    """The longest candidates first; each one's body copy is body for good."""
    search = _PullSearch(lines, keys)
    offsets = search.offsets
    accepted: list[PullQuote] = []
    taken: set[int] = set()
    for _, first, last, copies in sorted(search.candidates(), key=lambda c: (-c[0], c[1])):
        span = set(range(first, last + 1))
        if span & taken:
            continue
        if any(offsets[q.first] <= a < offsets[q.last + 1] for a, _ in copies for q in accepted):
            continue
        accepted.append(PullQuote(first, last))
        taken |= span
        for a, b in copies:
            taken |= search.lines_over(a, b)
    return accepted


# --- headings and paragraphs ------------------------------------------------------


def looks_like_heading(block: Sequence[Line], body_width: float = 0.0) -> bool:
    """A short block that reads as a title, not as running text.

    It starts like a title (a capital, a digit or year, an opening quotation mark),
    has no sentence-final or continuing punctuation at its end and no sentence end
    inside it, and most of its words are capitalised (title case, allowing lower-case
    words: "The World in the mid-19th Century"); its lines are no longer than the
    body's.
    """
    if not 1 <= len(block) <= _HEADING_MAX_LINES:
        return False
    text = " ".join(line.text for line in block)
    bare = text.rstrip("”’\"'")
    if len(text) > _HEADING_MAX_CHARS or not bare or bare[-1] in ".,;:!?-—–…(":
        return False
    if not starts_paragraph(text) or _sentence_break_inside(text):
        return False
    if bare.split()[-1].casefold() in _MINOR_WORDS:
        return False  # a title does not end on "a", "of" or "and"; a broken line may
    words = [w for w in text.split() if w[:1].isalpha() and w.casefold() not in _MINOR_WORDS]
    capitalised = sum(1 for w in words if w[:1].isupper())
    if not words or capitalised * 2 < len(words):
        return False
    return not body_width or max(len(line.text) for line in block) <= body_width * 1.2


_INNER_END = re.compile(r"(\S+)[.?!][”’\"')]*\s+[“‘\"'(]?[A-Z]")


def _sentence_break_inside(text: str) -> bool:
    """A full stop (not an abbreviation's) followed by a new sentence."""
    for match in _INNER_END.finditer(text):
        word = match.group(1)
        if "." not in word and len(word.strip("“‘\"'(")) > 2:
            return True
    return False
