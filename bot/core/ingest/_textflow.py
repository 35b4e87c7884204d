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
- **paragraphs**: the printed indent is lost (what it leaves in the line widths is
  too faint to read, ``tests/corpus/indent.py`` measures it), but a paragraph's last
  line is the one a justified column lets stop short: the next line's first word
  would have fitted on it (widths estimated from the letters, see ``_measure``).
  Two pieces of one printed line that an extractor cut apart at a wide space fit on
  one line together, where a paragraph's first line runs to the measure by itself.
  A blank line of the text's own (a new text frame) after a finished sentence ends
  the paragraph too; a gap left by page furniture or a pull quote taken out is the
  page's, not the paragraph's: a page or column break there is told by the length
  alone;
- **pulled-up lines**: a line far wider than the column is two printed lines an
  extractor joined to undo a line-end hyphen; its last printed line is what counts
  for the paragraph, and a compound it closed up where the first one ended gets its
  hyphen back.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from statistics import median

from wordfreq import zipf_frequency

from bot.core.ingest._hyphen import Evidence, join_break
from bot.core.ingest._layout import (
    Line,
    blocks,
    ends_sentence,
    join_lines,
    looks_like_heading,
    starts_paragraph,
)
from bot.core.ingest._measure import Measure, printed_width

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
#: A line this much shorter than those around it is short.
_SHORT = 0.7
#: Share of the measure a line must leave free for the next word to have fitted: char
#: widths are estimates, and justified lines run a little under or over.
_ROOM = 0.07
#: Two pieces of one printed line together stay this share under the measure at least.
_CUT = 0.03
#: A heading glued to its paragraph ends on a line at most this long, against the body's.
_GLUED_HEADING = 0.85
#: How far from a whole measure into a pulled-together line the printed line's end may
#: fall (justified lines run a little under or over).
_AT_LINE_END = 0.08
#: Shortest half of a closed-up compound the word list alone may vouch for.
_MIN_HALF = 3
_PUNCTUATION = "“‘\"'([”’)],.;:!?…"
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
    dropped = False
    for index, line in enumerate(lines):
        if index in folios:
            dropped = True  # a number on a line of its own, at a break: a page number
            continue
        if _standalone(lines, index):
            key = _furniture_key(line.text)
            if counts[key] >= 2 and len(line.text) <= _HEAD_MAX_CHARS and not ends_sentence(key):
                dropped = True
                continue
        if dropped:  # the page turned here: the gap before this line is the page's
            line, dropped = replace(line, interrupted=True), False
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
    gap = interrupted = False
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
            pending, gap, interrupted = cap, line.gap_before, line.interrupted
            continue
        if pending:
            line = replace(
                line,
                text=cap_joined(pending, line.text) + line.text,
                gap_before=gap or line.gap_before,
                interrupted=interrupted or line.interrupted,
            )
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


# --- compounds closed up where a line was pulled up -------------------------------


def reopen_compounds(lines: Sequence[Line], measure: Measure, evidence: Evidence) -> list[Line]:
    """Lines an extractor pulled up onto the one before, with the hyphen of a compound
    it broke at the line end put back ("self-" / "command" is not "selfcommand").

    Undoing a line-end hyphen, ``pdftotext`` drops it even from a compound. The word
    where the printed line ended stands about one measure into the pulled-together
    line; there, a form that is no word, of two words the document or the word list
    would write with a hyphen at a break, is given its hyphen back.
    """
    out = list(lines)
    for index, line in enumerate(lines):
        if measure.joined(index):
            text = _reopened(line.text, measure.measures[index], evidence)
            out[index] = replace(line, text=text)
    return out


def _reopened(text: str, width: float, evidence: Evidence) -> str:
    """The line with each token that stands where a printed line ended (a whole number
    of measures in) reopened if it closes up a compound."""
    ends = [k * width for k in range(1, int(printed_width(text) // width) + 1)]
    tokens = text.split(" ")
    start = 0.0
    for position, token in enumerate(tokens):
        end = start + printed_width(token)
        if any(start < at * (1 + _AT_LINE_END) and end > at * (1 - _AT_LINE_END) for at in ends):
            tokens[position] = _reopened_token(token, evidence)
        start = end + printed_width(" ")
    return " ".join(tokens)


_LETTERS = re.compile(r"[^\W\d_]{4,}")


def _reopened_token(token: str, evidence: Evidence) -> str:
    """The token with the hyphen of the compound it closes up, if it is one."""
    match = _LETTERS.fullmatch(token.strip(_PUNCTUATION))
    if match is None or is_word(match.group()):
        return token  # (``join_break`` would join a word anyway: this spares the search)
    word = match.group()
    # The closed-up form itself is no evidence of how the document writes it.
    others = replace(evidence, joined=evidence.joined - Counter({word.casefold(): 1}))
    splits = [
        (min(_zipf(word[:i].casefold()), _zipf(word[i:].casefold())), i)
        for i in range(2, len(word) - 1)
        if _compound_halves(word[:i], word[i:], evidence)
        and join_break(word[:i] + "-", word[i:], others) == f"{word[:i]}-{word[i:]}"
    ]
    if not splits:
        return token
    _, cut = max(splits)
    offset = token.index(word) + cut
    return f"{token[:offset]}-{token[offset:]}"


def _compound_halves(left: str, right: str, evidence: Evidence) -> bool:
    """Two words a compound could be made of. A two-letter half ("so-called", "ex-
    slaves") only where the document writes the compound so: any word glued to "of"
    or "to" would pass otherwise."""
    if not (is_word(left) and is_word(right)):
        return False
    short = min(len(left), len(right)) < _MIN_HALF
    return not short or bool(evidence.hyphenated[left.casefold(), right.casefold()])


# --- sections and paragraphs ------------------------------------------------------


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

    def __init__(self, lines: Sequence[Line], evidence: Evidence, measure: Measure) -> None:
        self.lines = lines
        self.evidence = evidence
        self.width = float(median(len(line.text) for line in lines)) if lines else 0.0
        self.measure = measure
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
        if self.paragraph and self.ends_paragraph(start - 1):
            self.flush()
        end = start + len(group)
        for offset, line in enumerate(group, start=start):
            self.paragraph.append(line.text)
            if offset + 1 < end and self.ends_paragraph(offset):
                self.flush()

    def ends_paragraph(self, index: int) -> bool:
        """Line ``index`` is its paragraph's last: a sentence ends on it, the next line
        can open a paragraph, and either a gap of the text's own comes between (a new
        text frame) or the line stops short of the column's measure."""
        line, nxt = self.lines[index], self.lines[index + 1]
        if not ends_sentence(line.text) or not starts_paragraph(nxt.text):
            return False
        if nxt.gap_before and not nxt.interrupted:
            return True
        return self.stops_short(index) and not self.cut_in_two(index)

    def stops_short(self, index: int) -> bool:
        """The next line's first word would have fitted on this one: the typesetter
        ended the line on purpose. (A justified line runs on while the next word, or a
        piece of it before a hyphen, fits.)"""
        word = self.lines[index + 1].text.split()[0]
        room = self.measure.measures[index] * (1 - _ROOM)
        return self.measure.last_run(index) + printed_width(" " + word) <= room

    def cut_in_two(self, index: int) -> bool:
        """This line and the next fit on one printed line together: an extractor cut it
        at a wide space ("ter." / "It was rather a choice be-"), where a paragraph's
        first line would have run to the measure by itself."""
        if self.measure.joined(index):
            return False
        both = self.measure.widths[index] + printed_width(" " + self.lines[index + 1].text)
        return both <= self.measure.measures[index] * (1 - _CUT)


def sections(lines: Sequence[Line], evidence: Evidence) -> list[tuple[str | None, list[str]]]:
    """(heading, paragraphs) in order; the untitled opening's heading is ``None``."""
    measure = Measure([line.text for line in lines])
    lines = reopen_compounds(lines, measure, evidence)
    built = _Sections(lines, evidence, measure)
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
