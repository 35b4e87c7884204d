"""From the extracted lines back to the printed layout.

A magazine PDF's text arrives as lines of narrow columns. Blank lines mark column
and frame breaks as well as paragraph ends; a line that starts with a space opens a
new text frame (the body resuming after a pull quote, say). The pull quotes
themselves are sentences of the body set again in large type, so they are found as
whole frames whose words stand a second time elsewhere in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.core.ingest._hyphen import Evidence, join_break

_SPACES = re.compile(r"\s+")
_TERMINAL = re.compile(r"[.?!…][”’\"')\]]*$")
#: A magazine's end mark: a symbol, or the author's initials, after the last sentence.
END_SYMBOLS = "■□▪▫◼◻◾●○◆◇♦❖✦✧★☐⬛"
_END_MARK = re.compile(
    r"(?:(?<=[.?!…”’\"')\]])|^)\s*(?:[" + END_SYMBOLS + r"]+"
    r"|(?:^|(?<=\s))(?:[A-Z]{1,3}|(?:[A-Z]\.){1,3}))\s*$"
)
_BREAK = re.compile(r"[^\s-]-$")
#: Shortest pull quote worth the name, in letters and digits.
_MIN_PULL_CHARS = 40
_HEADING_MAX_LINES = 3
#: Longest pull quote, in lines of the extraction.
_PULL_MAX_LINES = 30
_HEADING_MAX_CHARS = 80
#: Words a title-case heading leaves in lower case.
_MINOR_WORDS = frozenset(
    "a an and as at but by for from in into nor of on onto or over per the to upon via vs "
    "with".split()
)


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    #: A blank line or a new text frame comes before this line.
    gap_before: bool
    #: The line starts a new text frame (it began with a space in the extraction).
    new_frame: bool = False


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
    return bool(_TERMINAL.search(text))


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
    return _SPACES.sub(" ", text).strip()


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
    """Runs of whole frames whose words also stand elsewhere in the text.

    A pull quote is set in its own frame: it starts after a gap, and the running
    text resumes right after it in a new frame (a line that starts with a space);
    where two pull quotes stand together, the first is found once the second is out.
    The body copy runs on within its lines. Longer matches are taken first. Taking a
    pull quote out can make another one's body copy whole again (one set in the
    middle of another's body copy, or of its own), so the search repeats until
    nothing more is found.
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


def _pull_quote_round(lines: Sequence[Line], keys: Sequence[str]) -> list[PullQuote]:
    offsets = [0]
    for key in keys:
        offsets.append(offsets[-1] + len(key))
    full = "".join(keys)

    def elsewhere(start: int, end: int) -> list[int]:
        # Search the text with the candidate cut out: a pull quote may be set in the
        # middle of its own body copy, which is whole again once the quote is gone.
        needle = full[start:end]
        rest = full[:start] + full[end:]
        found = []
        pos = rest.find(needle)
        while pos != -1:
            found.append(pos if pos < start else pos + (end - start))
            pos = rest.find(needle, pos + 1)
        return found

    candidates: list[tuple[int, int, int, list[int]]] = []
    for first, line in enumerate(lines):
        if not line.gap_before:
            continue
        for last in range(first, min(first + _PULL_MAX_LINES, len(lines))):
            nxt = last + 1
            if nxt < len(lines) and not lines[nxt].new_frame:
                continue
            start, end = offsets[first], offsets[nxt]
            if end - start >= _MIN_PULL_CHARS and (copies := elsewhere(start, end)):
                candidates.append((end - start, first, last, copies))

    accepted: list[PullQuote] = []
    taken: set[int] = set()
    for length, first, last, copies in sorted(candidates, key=lambda c: (-c[0], c[1])):
        span = set(range(first, last + 1))
        if span & taken:
            continue
        if any(offsets[q.first] <= pos < offsets[q.last + 1] for pos in copies for q in accepted):
            continue
        accepted.append(PullQuote(first, last))
        taken |= span
        for pos in copies:  # the body copy's lines are body for good
            taken.update(
                index
                for index in range(len(lines))
                if offsets[index] < pos + length and pos < offsets[index + 1]
            )
    return accepted


# --- headings and paragraphs ------------------------------------------------------


def looks_like_heading(block: Sequence[Line]) -> bool:
    """A short title-case block that does not end like running text."""
    if not 1 <= len(block) <= _HEADING_MAX_LINES:
        return False
    text = " ".join(line.text for line in block)
    if len(text) > _HEADING_MAX_CHARS or text[-1] in ".,;:!?-—–…”’\"')":
        return False
    words = text.split()
    if not words[0][:1].isupper():
        return False
    for word in words:
        head = word[:1]
        if not (head.isupper() or head.isdigit() or word in _MINOR_WORDS):
            return False
    return True
