"""Undoing line-end hyphenation: is ``excep-``/``tional`` one word or a real compound?

Each break is decided from evidence, strongest first: how the same word is written
elsewhere in the document (joined or hyphenated, on one line), then an English word
list (wordfreq). Only where neither speaks do we fall back to joining, because the
typesetter's breaks far outnumber compounds that happen to fall at a line end.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from wordfreq import zipf_frequency

#: Words that follow a suspended hyphen ("nation- and state-building").
_SUSPENDERS = frozenset({"and", "or", "nor", "to"})
#: Bound prefixes: joined with a word they read as one word whenever the list knows it.
_PREFIXES = frozenset(
    "anti co counter de dis extra hyper il im in inter intra ir mis multi non over post pre "
    "pro re semi sub super trans ultra un under".split()
)
#: Words that join the parts of a longer compound ("day-to-day", "up-and-coming").
_CONNECTORS = frozenset("a and at by for in of on or the to with".split())
#: Endings that are words of their own too, but after a break are a suffix.
_SUFFIXES = frozenset(
    "age ages ance ances ence ences ing ings ion ions ment ments ness ity ities able ible "
    "ive ives ous ful less ship ships dom hood ism isms ist ists ure ures".split()
)
_DASHES = ("—", "–")
_WORD = re.compile(r"[^\W_]+(?:[’'][^\W_]+)*")
_POSSESSIVE = re.compile(r"[’']s$")
#: Zipf frequency from which a joined form is simply an English word.
_COMMON = 2.5
#: Zipf frequency from which each half of a break is a word in its own right.
_STRONG_HALF = 3.5
#: Zipf frequency below which a joined form is hardly a word at all.
_RARE = 2.0
#: Zipf frequency of the commonest words ("so", "would", "old", "well").
_COMMONEST = 5.5
#: What splits a token into the pieces a line-end break is decided on.
_PIECES = re.compile(r"[-—–/]")


@lru_cache(maxsize=8192)
def _zipf(word: str) -> float:
    return float(zipf_frequency(word, "en"))


def _letters(token: str) -> str:
    match = _WORD.search(token)
    return _POSSESSIVE.sub("", match.group(0)) if match else ""


@dataclass(slots=True)
class Evidence:
    """How words are written on whole lines of the document (not at a break)."""

    joined: Counter[str] = field(default_factory=Counter)
    hyphenated: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: Words written in capitals inside a line (acronyms), not at its start.
    capitals: Counter[str] = field(default_factory=Counter)

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> Evidence:
        evidence = cls()
        previous_broken = False
        # Counted first, read once per distinct token: a text repeats its words.
        whole: Counter[str] = Counter()
        inside: Counter[str] = Counter()
        for line in lines:
            tokens = line.split()
            if not tokens:
                continue
            broken = tokens[-1].endswith("-") and not tokens[-1].startswith("-")
            start = 1 if previous_broken else 0
            stop = len(tokens) - 1 if broken else len(tokens)
            whole.update(tokens[start:stop])
            inside.update(tokens[max(start, 1) : stop])
            previous_broken = broken
        for token, count in whole.items():
            evidence.add_token(token, count)
        for token, count in inside.items():
            word = _letters(token)
            if len(word) >= 2 and word.isupper():
                evidence.capitals[word] += count
        return evidence

    def add_token(self, token: str, count: int = 1) -> None:
        parts = [_letters(p).casefold() for p in token.split("-")]
        for part in parts:
            if part:
                self.joined[part] += count
        for left, right in pairwise(parts):
            if left and right:
                self.hyphenated[left, right] += count


def join_break(left: str, right: str, evidence: Evidence) -> str:
    """Join the last token of a line (ending in a hyphen or dash) with the next line's text.

    ``left`` is the whole first line and ``right`` the whole second one; the result is
    the two as they read in print.
    """
    left = left.rstrip()
    right = right.lstrip()
    if left.endswith(_DASHES):
        return left + right
    head, _, last = left.rpartition(" ")
    prefix = f"{head} " if head else ""
    stem = last[:-1]
    first, _, rest = right.partition(" ")
    tail = f" {rest}" if rest else ""
    return prefix + _join_word(stem, first, evidence) + tail


def _join_word(stem: str, first: str, evidence: Evidence) -> str:
    left_piece = _letters(_PIECES.split(stem)[-1])
    right_piece = _letters(_PIECES.split(first)[0])
    suspended = first.rstrip(",;:").casefold() in _SUSPENDERS
    if suspended and not _is_word(left_piece + right_piece, evidence):
        return f"{stem}- {first}"  # "nation- and state-building", but "pri-"/"or" is "prior"
    if not left_piece or not right_piece:
        return f"{stem}-{first}"
    if left_piece[-1].isdigit() or right_piece[0].isdigit():
        return f"{stem}-{first}"
    seen = _document_says(left_piece, right_piece, evidence)
    if seen is not None:
        return stem + first if seen else f"{stem}-{first}"
    if right_piece[0].isupper():
        return stem + first if _is_name_prefix(left_piece, right_piece) else f"{stem}-{first}"
    if _breaks_a_compound(stem, first, left_piece, right_piece):
        return f"{stem}-{first}"
    return stem + first if _reads_as_one_word(left_piece, right_piece) else f"{stem}-{first}"


def _document_says(left: str, right: str, evidence: Evidence) -> bool | None:
    """Joined (True) or hyphenated (False) as the document writes it elsewhere, if it does."""
    left, right = left.casefold(), right.casefold()
    seen_joined = evidence.joined[left + right]
    seen_hyphenated = evidence.hyphenated[left, right]
    if seen_joined or seen_hyphenated:
        return seen_joined >= seen_hyphenated
    return None


def _is_name_prefix(left: str, right: str) -> bool:
    """ "Mc-"/"Carthyism": a capitalised prefix that names write joined to a capital."""
    return left[:1].isupper() and len(left) <= 3 and _zipf((left + right).casefold()) >= 2.0


def _breaks_a_compound(stem: str, first: str, left: str, right: str) -> bool:
    """Broken at a hyphen of a longer compound: "carrot-"/"and-stick", "day-to-"/"day".

    The next line goes on with a hyphenated word that the joined piece does not read
    as ("mod-"/"ern-day" is "modern-day"), or the line ends in a compound whose last
    piece is a connecting word ("day-to-", "state-of-the-").
    """
    if "-" in first.strip("-"):
        return _zipf(left.casefold()) >= _RARE and _zipf((left + right).casefold()) < _COMMON
    return "-" in stem and left.casefold() in _CONNECTORS


def _is_word(text: str, evidence: Evidence) -> bool:
    word = text.casefold()
    return bool(evidence.joined[word]) or _zipf(word) >= _COMMON


_VOWELS = frozenset("aeiou")


def _singular(word: str) -> str:
    """The word a plural is of ("schoolhouses": "schoolhouse"), to ask the word list."""
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _reads_as_one_word(left: str, right: str) -> bool:
    """With nothing in the document to go by: the word list decides.

    A joined form the language uses is one word; else a doubled vowel across the
    break is a written hyphen ("re-enter"); the plural of a word the language uses is
    one word ("schoolhouses"), and so are a bound prefix with a word it forms and a
    word with a suffix ("link-"/"ages"). A joined form the word list has
    never seen, of two words, is a compound ("slave-smugglers", "a-dying"). A rare
    joined form is one word ("neckties", "slaveholder") unless one half is among the
    commonest words and the other a word in its own right, as in "so-called",
    "would-be", "old-fashioned" (but "can-"/"dour" is "candour").
    """
    left, right = left.casefold(), right.casefold()
    if _zipf(left + right) >= _COMMON:
        return True
    if left[-1] == right[0] and left[-1] in _VOWELS:
        return False  # a doubled vowel is written with its hyphen: "re-enter", "Ye-es"
    frequency = max(_zipf(left + right), _zipf(_singular(left + right)))
    if frequency >= _COMMON or (left in _PREFIXES and frequency > 0):
        return True
    if right in _SUFFIXES:
        return True
    if frequency == 0:
        return not all(_zipf(p) >= _COMMON for p in (left, right))
    common, other = sorted((_zipf(left), _zipf(right)), reverse=True)
    return common < _COMMONEST or other < _STRONG_HALF
