"""From the extracted lines back to the printed layout.

A magazine PDF's text arrives as lines of narrow columns. Blank lines (and, in some
extractions, a line that starts with a space) mark column and frame breaks as well
as paragraph ends; no rule here needs either. The pull quotes are sentences of the
body set again in large type, so they are found as whole frames whose words stand a
second time elsewhere in the text (a short one: a whole sentence there too; the copy
may hold a stray line the extractor set inside it, which goes back after it), set
apart from the sentences around them. Where a pull quote repeats a whole paragraph,
both copies are such frames; the one set off from the column (a frame of its own, lines
short of the column's measure) is the quote.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache

from bot.core.ingest._hyphen import Evidence, join_break
from bot.core.ingest._measure import Measure, last_run_of, printed_width
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
#: Shortest pull quote worth the name, in letters and digits; shorter where it is a
#: whole sentence, in the body too (a short phrase repeated could be a heading, or a
#: chance; a whole sentence set again on its own is not).
_MIN_PULL_CHARS = 40
_MIN_PULL_SENTENCE_CHARS = 20
#: Stray letters an extractor may drop inside a pull quote's body copy.
_MAX_STRAY = 12
#: How many of a passage's first (or last) letters are looked up to find its copies
#: (at most half the shortest pull quote).
_GRAM = _MIN_PULL_SENTENCE_CHARS // 2
#: How many of a passage's first (or last) letters make sure a copy is worth looking
#: for: the most of these that fit in half of it (few lengths, so the lookups repeat).
_SURE = (40, 20, _GRAM)

#: Besides a capital or a digit, how a paragraph's first line can start.
_OPENING_MARKS = "“‘\"'([…"
_HEADING_MAX_LINES = 5
#: Longest pull quote, in lines of the extraction.
_PULL_MAX_LINES = 30
_HEADING_MAX_CHARS = 100
#: A heading not in title case: its longest line and its last line, against the body's.
_SENTENCE_HEADING_MAX = 1.0
_SENTENCE_HEADING_LAST = 0.85
_GLUED_SENTENCE_HEADING_MAX = 0.8
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


_SENTENCE_END = re.compile(r"[.?!…][”’\"')\]]*(?=\s|$)")


def _sentence_bounds(lines: Sequence[Line], offsets: Sequence[int]) -> tuple[set[int], set[int]]:
    """Where sentences start and end, as offsets into the lines' letters laid end to end."""
    starts, ends = {0}, set()
    for index, line in enumerate(lines):
        text = line.text
        for match in _SENTENCE_END.finditer(text):
            if ends_sentence(text[: match.end()]):
                at = offsets[index] + len(_key(text[: match.end()]))
                ends.add(at)
                starts.add(at)
    return starts, ends


def _all(text: str, part: str) -> list[int]:
    """Every place ``part`` stands in ``text``."""
    found = []
    pos = text.find(part)
    while pos != -1:
        found.append(pos)
        pos = text.find(part, pos + 1)
    return found


def _interrupted_copies(
    needle: str, text: str, heads: Iterable[int], tails: Iterable[int]
) -> list[tuple[int, int, int, int]]:
    """Where ``needle`` stands in ``text`` with a few stray letters inside it, as
    (start, end, stray start, stray end).

    One half of the needle stands whole (at one of ``heads``, where the needle's first
    letters stand, or ending at one of ``tails``, where its last ones end); from there
    the match runs on as far as it goes, and the rest resumes a little further on.
    """
    half = len(needle) // 2
    found = []
    for pos in heads:
        if not text.startswith(needle[:half], pos):
            continue
        k = _common_prefix(needle, text, pos, half)
        if k < len(needle):
            resume = text.find(needle[k:], pos + k + 1, pos + len(needle) + _MAX_STRAY)
            if resume != -1:
                found.append((pos, resume + len(needle) - k, pos + k, resume))
    for end in tails:
        if not text.endswith(needle[half:], 0, end):
            continue
        k = _common_suffix(needle, text, end, len(needle) - half)
        if k < len(needle):
            head = needle[: len(needle) - k]
            # (bounds kept positive: a negative one would count from the text's end)
            low, high = max(0, end - len(needle) - _MAX_STRAY), max(0, end - k - 1)
            resume = text.rfind(head, low, high)
            if resume != -1:
                found.append((resume, end, resume + len(head), end - k))
    return found


def _common_prefix(needle: str, text: str, at: int, known: int) -> int:
    """How many of ``needle``'s first letters stand at ``at`` (``known`` of them do)."""
    low, high = known, min(len(needle), len(text) - at)
    while low < high:  # the longest length that still matches
        mid = (low + high + 1) // 2
        if text.startswith(needle[:mid], at):
            low = mid
        else:
            high = mid - 1
    return low


def _common_suffix(needle: str, text: str, end: int, known: int) -> int:
    """How many of ``needle``'s last letters end at ``end`` (``known`` of them do)."""
    low, high = known, min(len(needle), end)
    while low < high:
        mid = (low + high + 1) // 2
        if text.endswith(needle[len(needle) - mid :], 0, end):
            low = mid
        else:
            high = mid - 1
    return low


def _ends_a_phrase(text: str) -> bool:
    """The line can end a pull quote: not on a word that needs the next one ("the",
    "and", a title such as "Mr.")."""
    words = text.split()
    last = words[-1].strip("”’\"')],;:") if words else ""
    if last.endswith(".") and is_abbreviation(last[:-1]):
        return False
    return last.casefold() not in _MINOR_WORDS


#: A possible pull quote: (letters, first line, last line, where the body says it).
_Candidate = tuple[int, int, int, list[tuple[int, int]]]


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
        self.line_starts = set(self.offsets)
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
        self.sentence_starts, self.sentence_ends = _sentence_bounds(lines, self.offsets)
        self.repeated_run = cache(self._repeated_run)
        self.hits = cache(self._hits)

    def elsewhere(self, start: int, end: int, *, framed: bool = False) -> list[tuple[int, int]]:
        """Where else the letters ``full[start:end]`` stand, whole.

        A pull quote may be set in the middle of its own body copy, which is whole
        once the quote is cut out (that copy's span, in the full text, then holds the
        quote). Any copy repeats the needle's first letters, or (split by the quote
        near its start) its last ones: only there is it looked for. A copy a stray
        line interrupts counts only for a candidate ``framed`` by gaps before and after
        it (two things out of place are not taken on the strength of one seam).
        """
        full, needle = self.full, self.full[start:end]
        size = len(needle)
        # Every kind of copy below has one half of the needle standing whole somewhere
        # else; where neither half's outer letters stand twice, there is none (and the
        # lookups of the common short grams are spared).
        half = size // 2
        head, tail = needle[: _sure(half)], needle[-_sure(size - half) :]
        if len(self.hits(head)) == 1 and len(self.hits(tail)) == 1:
            return []
        found = set()
        for a in self.hits(needle[:_GRAM]):
            if a + size <= start or a >= end:
                if full.startswith(needle, a):
                    found.add((a, a + size))
            elif a < start:  # split by the candidate
                before = start - a
                if full.startswith(needle[:before], a) and full.startswith(needle[before:], end):
                    found.add((a, end + size - before))
        for last in self.hits(needle[-_GRAM:]):
            b = last + _GRAM
            after = b - end
            if 0 < after < size:  # split by the candidate near its start
                before = size - after
                if (
                    start >= before
                    and full.startswith(needle[:before], start - before)
                    and full.startswith(needle[before:], end)
                ):
                    found.add((start - before, b))
        if not found and framed and size >= _MIN_PULL_CHARS:
            found.update(self._interrupted(needle, start, end))
        return sorted(found)

    def _interrupted(self, needle: str, start: int, end: int) -> list[tuple[int, int]]:
        """Copies of ``needle`` (the letters ``start..end``) that a stray line
        interrupts, away from the needle itself. The stray letters are whole lines:
        the extractor put a line's words in the wrong place, not the essay a word more.
        """
        heads = [p for p in self.hits(needle[:_GRAM]) if not start <= p < end]
        tails = [p + _GRAM for p in self.hits(needle[-_GRAM:]) if not start <= p < end]
        return [
            (a, b)
            for a, b, stray_a, stray_b in _interrupted_copies(needle, self.full, heads, tails)
            if (b <= start or a >= end) and {stray_a, stray_b} <= self.line_starts
        ]

    def _hits(self, gram: str) -> list[int]:
        """Every place the letters ``gram`` stand in the full text."""
        return _all(self.full, gram)

    def framed(self, first: int, last: int) -> bool:
        """Lines ``first..last`` are a frame of their own: a gap before and after."""
        after = last + 1
        return self.lines[first].gap_before and (
            after == len(self.lines) or self.lines[after].gap_before
        )

    def _repeated_run(self, first: int, last: int) -> bool:
        """Lines ``first..last`` could be a pull quote of their own, context aside."""
        start, end = self.offsets[first], self.offsets[last + 1]
        if not (
            first in self.starts
            and last in self.ends
            and end - start >= _MIN_PULL_SENTENCE_CHARS
            and starts_paragraph(self.lines[first].text)
            and _ends_a_phrase(self.lines[last].text)
            and not looks_like_heading(self.lines[first : last + 1])
        ):
            return False
        copies = self.elsewhere(start, end, framed=self.framed(first, last))
        if end - start >= _MIN_PULL_CHARS:
            return bool(copies)
        # Short: a whole sentence, here and in the body.
        return ends_sentence(self.lines[last].text) and any(
            a in self.sentence_starts and b in self.sentence_ends for a, b in copies
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

    def candidates(self) -> list[_Candidate]:
        """Every possible pull quote."""
        found = []
        for first in sorted(self.starts):  # only where a pull quote can start and end
            for last in range(first, min(first + _PULL_MAX_LINES, len(self.lines))):
                if (
                    last in self.ends
                    and self.repeated_run(first, last)
                    and self.stands_apart(first, last)
                ):
                    start, end = self.offsets[first], self.offsets[last + 1]
                    copies = self.elsewhere(start, end, framed=self.framed(first, last))
                    found.append((end - start, first, last, copies))
        return found

    def set_off(
        self, first: int, last: int, twins: Sequence[tuple[int, int]]
    ) -> tuple[bool, float]:
        """How plainly lines ``first..last`` are set off from the running text, to tell
        a pull quote from its ``twins`` (runs of lines with the same letters).

        A frame of its own (a gap before and after) counts first: a pull quote has one,
        where a paragraph set in the column often runs on into the next one without a
        gap. Then the lines' length: the paragraph's run to the column's measure as the
        text around does; a pull quote's are set narrower, or across a gutter.
        """
        return self.framed(first, last), self.off_measure(first, last, twins)

    def off_measure(self, first: int, last: int, twins: Iterable[tuple[int, int]]) -> float:
        """How far lines ``first..last`` stray from the column's measure, on average
        (a paragraph's last line aside): nothing for a justified paragraph's lines, a
        good share of it for a pull quote's (set narrower, or wider, though a line as
        wide as two of the column's reads as two pulled into one, see ``last_run_of``).

        The measure is the running text's where the lines stand, read without them
        and without their ``twins`` (line runs with the same letters), so that neither
        copy sets the measure it is judged by.
        """
        if first == last:
            return 0.0
        out = set(range(first, last + 1)).union(*(range(a, b + 1) for a, b in twins))
        kept = [i for i in range(len(self.lines)) if i not in out]
        if not kept:
            return 0.0
        column = Measure([self.lines[i].text for i in kept])
        at = bisect_left(kept, first)
        near = [column.measures[j] for j in (at - 1, at) if 0 <= j < len(kept)]
        measure = sum(near) / len(near)
        if measure <= 0:
            return 0.0
        runs = [last_run_of(printed_width(self.lines[i].text), measure) for i in range(first, last)]
        return sum(abs(run / measure - 1) for run in runs) / len(runs)

    def lines_over(self, a: int, b: int) -> set[int]:
        return {
            index
            for index in range(len(self.lines))
            if self.offsets[index] < b and a < self.offsets[index + 1]
        }


def _pull_quote_round(lines: Sequence[Line], keys: Sequence[str]) -> list[PullQuote]:
    """The longest candidates first; each one's body copy is body for good.

    Where a pull quote repeats a whole paragraph, the paragraph is a candidate too
    (a whole block that repeats the body and stands apart), and each is the other's
    copy: of such twins the one set off from the running text goes first (see
    ``_PullSearch.set_off``).
    """
    search = _PullSearch(lines, keys)
    offsets = search.offsets
    found = search.candidates()
    spans = {(offsets[first], offsets[last + 1]): (first, last) for _, first, last, _ in found}

    def order(candidate: _Candidate) -> tuple[int, bool, float, int]:
        letters, first, last, copies = candidate
        twins = [spans[copy] for copy in copies if copy in spans]
        framed, off = search.set_off(first, last, twins) if twins else (False, 0.0)
        return (-letters, not framed, -off, first)

    accepted: list[PullQuote] = []
    taken: set[int] = set()
    for _, first, last, copies in sorted(found, key=order):
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


def restore_stray_lines(lines: Sequence[Line], quotes: Sequence[Sequence[Line]]) -> list[Line]:
    """The running text with lines an extractor set inside a pull quote's body copy
    put back after it.

    A pull quote's body copy is one run of the essay's words; where a whole line or
    two of other words interrupt it, the extractor split a printed line and set its
    end first. When the copy ends at a line's end, the stray lines are that line's
    end and go after it. (The copy that ends inside a line gives no such place.)
    """
    out = list(lines)
    keys = [_key(line.text) for line in out]
    for quote in quotes:
        needle = _key(" ".join(line.text for line in quote))
        full = "".join(keys)
        if len(needle) < _MIN_PULL_CHARS or needle in full:
            continue
        starts: dict[int, int] = {}  # line start offset -> the line (one with letters)
        offset = 0
        for index, key in enumerate(keys):
            if key:
                starts.setdefault(offset, index)
            offset += len(key)
        starts.setdefault(offset, len(out))
        heads = _all(full, needle[:_GRAM])
        tails = [p + _GRAM for p in _all(full, needle[-_GRAM:])]
        for _, end, stray_a, stray_b in _interrupted_copies(needle, full, heads, tails):
            if {stray_a, stray_b, end} <= starts.keys():
                first, after, resume = starts[stray_a], starts[stray_b], starts[end]
                stray = [replace(line, gap_before=False) for line in out[first:after]]
                out = out[:first] + out[after:resume] + stray + out[resume:]
                keys = keys[:first] + keys[after:resume] + keys[first:after] + keys[resume:]
                break
    return out


def _sure(letters: int) -> int:
    return next((n for n in _SURE if n <= letters), letters)


# --- headings and paragraphs ------------------------------------------------------


def looks_like_heading(
    block: Sequence[Line], body_width: float = 0.0, *, glued: bool = False
) -> bool:
    """A short block that reads as a title, not as running text.

    It has no sentence-final or continuing punctuation at its end, no sentence end
    inside it, and does not end on a minor word ("of", "and": a broken line may). Then
    either it is set in title case (most of its words capitalised, allowing lower-case
    words: "The World in the mid-19th Century") and starts like a title (a capital, a
    digit or year, an opening quotation mark), its lines no longer than the body's; or,
    in sentence case or even all in lower case ("a disease of amateurs"), it is plainly
    shorter than the body's lines (a heading's larger type wraps sooner, and a line of
    running text only falls short at its paragraph's end, after a full stop). The
    second needs the body's measure, ``body_width``; without it only title case counts.
    A sentence-case heading ``glued`` to the paragraph under it (no blank line between)
    has less to set it apart, so its lines must be shorter still: a paragraph's first
    line falls short of the measure by its indent.
    """
    if not 1 <= len(block) <= _HEADING_MAX_LINES:
        return False
    text = " ".join(line.text for line in block)
    bare = text.rstrip("”’\"'")
    if len(text) > _HEADING_MAX_CHARS or not bare or bare[-1] in ".,;:!?-—–…(":
        return False
    if _sentence_break_inside(text) or bare.split()[-1].casefold() in _MINOR_WORDS:
        return False
    if _DIALOGUE_TAG.search(text):
        return False  # “…,” he said: a quotation and who says it, a sentence
    longest = max(len(line.text) for line in block)
    if starts_paragraph(text) and _title_case(text):
        return not body_width or longest <= body_width * 1.2
    return bool(body_width) and _short_of_measure(block, body_width, glued)


def _title_case(text: str) -> bool:
    words = [w for w in text.split() if w[:1].isalpha() and w.casefold() not in _MINOR_WORDS]
    return bool(words) and sum(1 for w in words if w[:1].isupper()) * 2 >= len(words)


def _short_of_measure(block: Sequence[Line], body_width: float, glued: bool) -> bool:
    """A sentence-case heading's lines: none as long as the body's, the last well short,
    and it starts as a title or a lower-case word (no punctuation that runs on)."""
    head = block[0].text[:1]
    longest = _GLUED_SENTENCE_HEADING_MAX if glued else _SENTENCE_HEADING_MAX
    return (
        (starts_paragraph(head) or head.isalpha())
        and max(len(line.text) for line in block) <= body_width * longest
        and len(block[-1].text) <= body_width * _SENTENCE_HEADING_LAST
    )


#: A quotation closed on a comma and its speaker's tag after it (“No,” said he).
_DIALOGUE_TAG = re.compile(r",[”’\"']\s+[a-z]")
_INNER_END = re.compile(r"(\S+)[.?!][”’\"')]*\s+[“‘\"'(]?[A-Z]")


def _sentence_break_inside(text: str) -> bool:
    """A full stop (not an abbreviation's) followed by a new sentence."""
    for match in _INNER_END.finditer(text):
        word = match.group(1)
        if "." not in word and len(word.strip("“‘\"'(")) > 2:
            return True
    return False
