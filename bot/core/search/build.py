"""The named builders of a ``SearchIndex``: each part of the index from the library.

Every builder is a pure function of the library (and of the parts built
before it), run once at start-up:

- ``speakers``: the speakers of spoken quotes, in order of first appearance;
- ``quote_units``, ``paragraph_units``, ``section_units``: the units each
  command ranks (quotes then body sentences; paragraphs; sections);
- ``corpora``: the shared lexicon and the four ranked corpora over those units;
- ``containing_sentences``: which quotes come from which body sentences;
- ``surface_forms``: a printed spelling of every term, for did-you-mean;
- ``section_choices`` and ``PrefixIndex``: what autocomplete offers.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.core.model import Document, Library
from bot.core.search.corpus import Corpus
from bot.core.search.hits import MAX_CHOICE_CHARS, Choice, HitKind
from bot.core.search.lexicon import Lexicon
from bot.core.search.text import analyse, fold, terms
from bot.core.text import shorten

PUNCTUATION = "\"'“”‘’()[]{}.,;:!?—–-…"


@dataclass(frozen=True, slots=True)
class QuoteUnit:
    kind: HitKind
    speaker: int  # index into Speakers.names, -1 for none
    text: str
    doc: int
    section: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class ParagraphUnit:
    doc: int
    section: int
    paragraph: int
    text: str


@dataclass(frozen=True, slots=True)
class SectionUnit:
    doc: int
    number: int
    title: str


@dataclass(frozen=True, slots=True)
class Speakers:
    names: list[str]
    ids: dict[str, int]
    # Each name's folded terms, and those joined by spaces.
    terms: list[list[str]]
    folded: list[str]


def speakers(docs: Sequence[Document]) -> Speakers:
    """Every speaker of a spoken quote, in order of first appearance."""
    ids: dict[str, int] = {}
    for doc in docs:
        for quote in doc.quotes:
            if quote.speaker and quote.speaker not in ids:
                ids[quote.speaker] = len(ids)
    names = list(ids)
    name_terms = [terms(s, compounds=False) for s in names]
    return Speakers(names, ids, name_terms, [" ".join(t) for t in name_terms])


def body_sentences(text: str, sentences: tuple[str, ...]) -> tuple[str, ...]:
    """A paragraph's sentences, or the paragraph itself when it has none."""
    return sentences if sentences else (text,)


def quote_units(docs: Sequence[Document], who: Speakers) -> tuple[list[QuoteUnit], int]:
    """Quote candidates (every quote, then every body sentence) and where the sentences start.

    Body sentences follow the paragraphs' order, so each paragraph's sentences
    are one run of units (see ``sentence_counts``).
    """
    units: list[QuoteUnit] = []
    for d, doc in enumerate(docs):
        for quote in doc.quotes:
            speaker = -1 if quote.speaker is None else who.ids[quote.speaker]
            units.append(
                QuoteUnit(quote.kind, speaker, quote.text, d, quote.section, quote.paragraph)
            )
    first_sentence = len(units)
    for d, doc in enumerate(docs):
        for section in doc.sections:
            for para in section.paragraphs:
                for sentence in body_sentences(para.text, para.sentences):
                    units.append(QuoteUnit("passage", -1, sentence, d, section.number, para.number))
    return units, first_sentence


def paragraph_units(docs: Sequence[Document]) -> list[ParagraphUnit]:
    return [
        ParagraphUnit(d, s.number, p.number, p.text)
        for d, doc in enumerate(docs)
        for s in doc.sections
        for p in s.paragraphs
    ]


def section_units(docs: Sequence[Document]) -> list[SectionUnit]:
    return [SectionUnit(d, s.number, s.title) for d, doc in enumerate(docs) for s in doc.sections]


def sentence_counts(docs: Sequence[Document]) -> list[int]:
    """How many body sentences each paragraph has, in the paragraphs' order."""
    return [
        len(body_sentences(p.text, p.sentences))
        for d in docs
        for s in d.sections
        for p in s.paragraphs
    ]


@dataclass(frozen=True, slots=True)
class Corpora:
    lexicon: Lexicon
    quotes: Corpus
    paragraphs: Corpus
    titles: Corpus
    sections: Corpus
    # Each quote candidate's own folded words (without its speaker's name).
    quote_folded: list[str]


def corpora(
    quotes: Sequence[QuoteUnit],
    first_sentence: int,
    paragraphs: Sequence[ParagraphUnit],
    sections: Sequence[SectionUnit],
    who: Speakers,
    bridges: Mapping[str, Collection[str]] | None,
) -> Corpora:
    """The lexicon and the four corpora; each text is tokenised once.

    A quote is also found by its speaker's name; a section by its title and
    every paragraph in it. Rarity is judged over body sentences: the finest
    unit, so a word common in every paragraph but in few sentences still
    counts as fairly specific.
    """
    quote_analysis = [analyse(u.text) for u in quotes]
    paragraph_analysis = [analyse(p.text) for p in paragraphs]
    title_analysis = [analyse(s.title) for s in sections]
    quote_terms = [
        found + (who.terms[u.speaker] if u.speaker >= 0 else [])
        for (found, _), u in zip(quote_analysis, quotes, strict=True)
    ]
    paragraph_terms = [t for t, _ in paragraph_analysis]
    title_terms = [t for t, _ in title_analysis]
    section_terms, section_folded = _section_texts(
        sections, title_analysis, paragraphs, paragraph_analysis
    )
    lexicon = Lexicon(
        quote_terms[first_sentence:],
        extra_terms=_flatten(quote_terms[:first_sentence] + title_terms + paragraph_terms),
        bridges=bridges,
    )
    lexicon.precompute()
    quote_folded = [f for _, f in quote_analysis]
    spoken_folded = [
        (who.folded[u.speaker] + " " + f) if u.speaker >= 0 else f
        for u, f in zip(quotes, quote_folded, strict=True)
    ]
    return Corpora(
        lexicon=lexicon,
        quotes=Corpus(lexicon, quote_terms, spoken_folded),
        paragraphs=Corpus(lexicon, paragraph_terms, [f for _, f in paragraph_analysis]),
        titles=Corpus(lexicon, title_terms, [f for _, f in title_analysis]),
        sections=Corpus(lexicon, section_terms, section_folded),
        quote_folded=quote_folded,
    )


def _section_texts(
    sections: Sequence[SectionUnit],
    title_analysis: Sequence[tuple[list[str], str]],
    paragraphs: Sequence[ParagraphUnit],
    paragraph_analysis: Sequence[tuple[list[str], str]],
) -> tuple[list[list[str]], list[str]]:
    """Each section's terms and folded text: its title, then all its paragraphs."""
    section_terms = [list(t) for t, _ in title_analysis]
    section_folded = [[f] for _, f in title_analysis]
    section_of = {(s.doc, s.number): i for i, s in enumerate(sections)}
    for p, (found, folded) in zip(paragraphs, paragraph_analysis, strict=True):
        i = section_of[(p.doc, p.section)]
        section_terms[i].extend(found)
        section_folded[i].append(folded)
    return section_terms, [" ".join(f) for f in section_folded]


def _flatten(lists: Iterable[list[str]]) -> list[str]:
    return [t for ts in lists for t in ts]


def containing_sentences(
    quotes: Sequence[QuoteUnit],
    quote_folded: Sequence[str],
    first_sentence: int,
    paragraphs: Sequence[ParagraphUnit],
    paragraph_folded: Sequence[str],
) -> dict[int, list[int]]:
    """For each body sentence, the quotes that share words with it.

    A quote and the sentences it was taken from share their words, and a
    match on the quote should come first; this map lets ranking enforce that.
    A quote may sit inside one sentence or span several, so the relation is
    an overlap of their places in the paragraph's folded text.
    """
    paragraph_text = {
        (p.doc, p.section, p.paragraph): paragraph_folded[i] for i, p in enumerate(paragraphs)
    }
    spans: dict[tuple[int, int, int], list[tuple[int, int, int]]] = {}
    cursor: dict[tuple[int, int, int], int] = {}
    for i in range(first_sentence, len(quotes)):
        u = quotes[i]
        place = (u.doc, u.section, u.paragraph)
        text = quote_folded[i]
        at = paragraph_text[place].find(text, cursor.get(place, 0))
        if at >= 0:
            cursor[place] = at + len(text)
            spans.setdefault(place, []).append((at, at + len(text), i))
    containing: dict[int, list[int]] = {}
    for q in range(first_sentence):
        u = quotes[q]
        place = (u.doc, u.section, u.paragraph)
        text = quote_folded[q]
        at = paragraph_text.get(place, "").find(text) if text else -1
        if at < 0:
            continue
        for start, end, sentence in spans.get(place, ()):
            if start < at + len(text) and at < end:
                containing.setdefault(sentence, []).append(q)
    return containing


def surface_forms(library: Library, speaker_names: Iterable[str]) -> dict[str, str]:
    """A printed spelling of each term, so a did-you-mean reads like the essay."""
    texts = [
        text
        for doc in library.documents
        for section in doc.sections
        for text in (section.title, *(p.text for p in section.paragraphs))
    ]
    texts.extend(speaker_names)
    surface: dict[str, str] = {}
    for raw in dict.fromkeys(w for text in texts for w in text.split()):
        word = raw.strip(PUNCTUATION)
        if word:
            found = terms(word, compounds=False)
            if len(found) == 1 and found[0] not in surface and fold(word) == found[0]:
                surface[found[0]] = word
    return surface


def section_choices(library: Library, sections: Sequence[SectionUnit]) -> list[tuple[str, Choice]]:
    """Each section's folded title and its autocomplete choice ("§ 3 · Title")."""
    several = len(library.documents) > 1
    out = []
    for s in sections:
        label = f"§ {s.number} · {s.title}"
        if several:
            label += f" ({library.documents[s.doc].title})"
        choice = Choice(shorten(label, MAX_CHOICE_CHARS), shorten(s.title, MAX_CHOICE_CHARS))
        out.append((fold(s.title), choice))
    return out


class PrefixIndex:
    """Which labels have a word starting with the last word typed.

    Autocomplete's answer to a first letter or a common word, which the rankers
    rightly refuse: the member is still typing, so show something. The words are
    sorted once at build time, so a keystroke is a bisection, not a scan of every
    label (thousands on a shelf of essays).
    """

    def __init__(self, labels: Sequence[str]) -> None:
        pairs = sorted({(word, i) for i, label in enumerate(labels) for word in label.split()})
        self._words = [word for word, _ in pairs]
        self._ids = [i for _, i in pairs]

    def matching(self, typed: str) -> list[int]:
        words = terms(typed, compounds=False)
        if not words:
            return []
        head = words[-1]
        lo = bisect_left(self._words, head)
        hi = bisect_left(self._words, head + "\U0010ffff", lo)
        return sorted(set(self._ids[lo:hi]))
