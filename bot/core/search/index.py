"""The in-memory search index behind /quote, /section, /search and their autocomplete.

Built once from the library at start-up; every query afterwards is a few numpy
operations over precomputed postings plus rapidfuzz on a handful of candidates.
Scores are 0-100; below ``SCORE_FLOOR`` nothing is returned, and
``suggestions`` offers did-you-mean strings instead.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from rapidfuzz.utils import default_process

from bot.core.errors import InvalidInput, NotFound
from bot.core.model import Document, Library
from bot.core.search.corpus import BoolArray, Corpus, FloatArray, Query
from bot.core.search.hits import (
    MAX_CHOICE_CHARS,
    MAX_CHOICES,
    Choice,
    HitKind,
    PassageHit,
    QuoteHit,
    SectionHit,
    validate_query,
)
from bot.core.search.lexicon import MIN_PREFIX_LEN, Expansion, Lexicon, max_edits
from bot.core.search.preview import shorten, trim_around
from bot.core.search.text import Token, analyse, fold, terms, tokens
from bot.core.text import clean_user_text

log = logging.getLogger(__name__)

# Below this a hit is a guess, not an answer; see ``suggestions``.
SCORE_FLOOR = 45.0
# Autocomplete shows weaker candidates: the user is still typing.
COMPLETE_FLOOR = 20.0
# A section found by its content ranks below one found by its title.
CONTENT_FACTOR = 0.85
# A query whose most specific word has an idf below this (a word in more than
# about one sentence in eight) is scored down in proportion: "the" or "of the
# and" match everything equally, which is no answer; words of one or two
# letters never count as specific (numbers do). In a very short text every
# word is common, so the bar is lowered to a share of the rarest word's idf.
SPECIFIC_IDF = 2.0
SPECIFIC_SHARE = 0.35
# A long query (a question, a discussion prompt) counts as fully covered by a
# passage holding as much weight as its this-many weightiest words: past that,
# its other words are ways of asking, not words the passage must contain. Words
# absent from the text weigh most, so off-topic chatter still falls short.
ENOUGH_WORDS = 4
# How many lexical candidates get the (costlier) phrase score.
RERANK = 30
MAX_LIMIT = 50
# Quote candidates whose token spans are kept for autocomplete previews.
SPAN_CACHE = 4096
# How closely a title or speaker must resemble a failed query to be suggested.
SUGGEST_CUTOFF = 70.0

_SECTION_NUMBER = re.compile(r"(?:§|sec(?:tion)?\.?|part|chapter|ch\.?)?\s*(\d{1,4})\.?")
PUNCTUATION = "\"'“”‘’()[]{}.,;:!?—–-…"
_KIND_ORDER: dict[HitKind, int] = {"spoken": 0, "pull": 1, "passage": 2}


@dataclass(frozen=True, slots=True)
class _QuoteUnit:
    kind: HitKind
    speaker: int  # index into SearchIndex._speakers, -1 for none
    text: str
    doc: int
    section: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class _ParagraphUnit:
    doc: int
    section: int
    paragraph: int
    text: str


def _sentences(text: str, sentences: tuple[str, ...]) -> tuple[str, ...]:
    return sentences if sentences else (text,)


class _PrefixIndex:
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


def _check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"The number of results must be between 1 and {MAX_LIMIT}.")


class SearchIndex:
    """Fuzzy, rarity-weighted retrieval over every document of a library."""

    library: Library

    def __init__(self, library: Library) -> None:
        """Use ``SearchIndex.build``; this precomputes everything a query needs."""
        self.library = library
        docs = library.documents
        self._doc_ids = [d.id for d in docs]

        # Speakers, in order of first appearance.
        self._speakers: list[str] = []
        speaker_ids: dict[str, int] = {}
        for doc in docs:
            for quote in doc.quotes:
                if quote.speaker and quote.speaker not in speaker_ids:
                    speaker_ids[quote.speaker] = len(self._speakers)
                    self._speakers.append(quote.speaker)
        self._speaker_terms = [terms(s, compounds=False) for s in self._speakers]
        self._speaker_folded = [" ".join(t) for t in self._speaker_terms]

        # Quote candidates: every quote, then every sentence of the body.
        quotes: list[_QuoteUnit] = []
        for d, doc in enumerate(docs):
            for quote in doc.quotes:
                speaker = -1 if quote.speaker is None else speaker_ids[quote.speaker]
                kind: HitKind = quote.kind
                quotes.append(
                    _QuoteUnit(kind, speaker, quote.text, d, quote.section, quote.paragraph)
                )
        first_sentence = len(quotes)
        for d, doc in enumerate(docs):
            for section in doc.sections:
                for para in section.paragraphs:
                    for sentence in _sentences(para.text, para.sentences):
                        quotes.append(
                            _QuoteUnit("passage", -1, sentence, d, section.number, para.number)
                        )
        paragraphs = [
            _ParagraphUnit(d, s.number, p.number, p.text)
            for d, doc in enumerate(docs)
            for s in doc.sections
            for p in s.paragraphs
        ]
        sections = [(d, s) for d, doc in enumerate(docs) for s in doc.sections]
        self._quote_units = quotes
        self._paragraph_units = paragraphs
        self._section_units = [(d, s.number, s.title) for d, s in sections]

        # Each text is tokenised once; sections reuse their paragraphs' terms.
        quote_analysis = [analyse(u.text) for u in quotes]
        paragraph_analysis = [analyse(p.text) for p in paragraphs]
        title_analysis = [analyse(s.title) for _, s in sections]
        quote_terms = [
            terms_ + (self._speaker_terms[u.speaker] if u.speaker >= 0 else [])
            for (terms_, _), u in zip(quote_analysis, quotes, strict=True)
        ]
        paragraph_terms = [t for t, _ in paragraph_analysis]
        title_terms = [t for t, _ in title_analysis]
        section_terms: list[list[str]] = [list(t) for t in title_terms]
        section_folded: list[list[str]] = [[f] for _, f in title_analysis]
        section_of = {(d, s.number): i for i, (d, s) in enumerate(sections)}
        for p, (terms_, folded) in zip(paragraphs, paragraph_analysis, strict=True):
            i = section_of[(p.doc, p.section)]
            section_terms[i].extend(terms_)
            section_folded[i].append(folded)
        # Rarity is judged over sentences: the finest unit, so a word common in
        # every paragraph but in few sentences still counts as fairly specific.
        self.lexicon = Lexicon(
            quote_terms[first_sentence:],
            extra_terms=[t for ts in quote_terms[:first_sentence] + title_terms for t in ts]
            + [t for ts in paragraph_terms for t in ts],
        )
        self.lexicon.precompute()
        self._surface = self._surface_forms()

        self._quote_folded = [f for _, f in quote_analysis]
        self._quotes = Corpus(
            self.lexicon,
            quote_terms,
            [
                (self._speaker_folded[u.speaker] + " " + f) if u.speaker >= 0 else f
                for u, f in zip(quotes, self._quote_folded, strict=True)
            ],
        )
        self._paragraphs = Corpus(self.lexicon, paragraph_terms, [f for _, f in paragraph_analysis])
        self._titles = Corpus(self.lexicon, title_terms, [f for _, f in title_analysis])
        self._sections = Corpus(self.lexicon, section_terms, [" ".join(f) for f in section_folded])
        self._q_doc = np.array([u.doc for u in quotes], dtype=np.int32)
        self._q_speaker = np.array([u.speaker for u in quotes], dtype=np.int32)
        self._p_doc = np.array([p.doc for p in paragraphs], dtype=np.int32)
        self._p_section = np.array([p.section for p in paragraphs], dtype=np.int32)
        self._containing = self._containing_sentences(first_sentence)
        # Body sentences were listed in the paragraphs' order, so each paragraph's
        # sentences are one run of quote candidates, starting at these offsets.
        per_paragraph = [
            len(_sentences(p.text, p.sentences))
            for d in docs
            for s in d.sections
            for p in s.paragraphs
        ]
        self._first_sentence = first_sentence
        self._sentence_starts = np.cumsum([0, *per_paragraph[:-1]], dtype=np.int64)
        self._title_choices = self._section_choices()
        self._title_prefixes = _PrefixIndex([folded for folded, _ in self._title_choices])
        self._quote_ids = [i for i, u in enumerate(quotes) if u.kind != "passage"]
        self._quote_prefixes = _PrefixIndex([self._quotes.folded[i] for i in self._quote_ids])
        # Spans of the first quote candidates (all of them for an essay or
        # two) are computed now; beyond that, for whichever autocomplete shows.
        self._prebuilt_spans = [tokens(u.text.strip()) for u in quotes[:SPAN_CACHE]]
        self._span_cache: OrderedDict[int, list[Token]] = OrderedDict()
        log.info(
            "search index: %d documents, %d quote candidates, %d paragraphs, %d terms",
            len(docs),
            len(quotes),
            len(paragraphs),
            len(self.lexicon),
        )

    @classmethod
    def build(cls, library: Library) -> SearchIndex:
        return cls(library)

    # ----------------------------------------------------------------- building

    def _surface_forms(self) -> dict[str, str]:
        """A printed spelling of each term, so a did-you-mean reads like the essay."""
        surface: dict[str, str] = {}
        printed = dict.fromkeys(w for text in self._all_texts() for w in text.split())
        for raw in printed:
            word = raw.strip(PUNCTUATION)
            if word:
                found = terms(word, compounds=False)
                if len(found) == 1 and found[0] not in surface and fold(word) == found[0]:
                    surface[found[0]] = word
        return surface

    def _all_texts(self) -> Iterator[str]:
        for doc in self.library.documents:
            for section in doc.sections:
                yield section.title
                for para in section.paragraphs:
                    yield para.text
        yield from self._speakers

    def _containing_sentences(self, first_sentence: int) -> dict[int, list[int]]:
        """For each body sentence, the quotes that share words with it.

        A quote and the sentences it was taken from share their words, and a
        match on the quote should come first; this map lets ranking enforce that.
        A quote may sit inside one sentence or span several, so the relation is
        an overlap of their places in the paragraph's folded text.
        """
        paragraph_text = {
            (p.doc, p.section, p.paragraph): self._paragraphs.folded[i]
            for i, p in enumerate(self._paragraph_units)
        }
        spans: dict[tuple[int, int, int], list[tuple[int, int, int]]] = {}
        cursor: dict[tuple[int, int, int], int] = {}
        for i in range(first_sentence, len(self._quote_units)):
            u = self._quote_units[i]
            place = (u.doc, u.section, u.paragraph)
            text = self._quote_folded[i]
            at = paragraph_text[place].find(text, cursor.get(place, 0))
            if at >= 0:
                cursor[place] = at + len(text)
                spans.setdefault(place, []).append((at, at + len(text), i))
        containing: dict[int, list[int]] = {}
        for q in range(first_sentence):
            u = self._quote_units[q]
            place = (u.doc, u.section, u.paragraph)
            text = self._quote_folded[q]
            at = paragraph_text.get(place, "").find(text) if text else -1
            if at < 0:
                continue
            for start, end, sentence in spans.get(place, ()):
                if start < at + len(text) and at < end:
                    containing.setdefault(sentence, []).append(q)
        return containing

    def _section_choices(self) -> list[tuple[str, Choice]]:
        several = len(self.library.documents) > 1
        out = []
        for d, number, title in self._section_units:
            label = f"§ {number} · {title}"
            if several:
                label += f" ({self.library.documents[d].title})"
            out.append(
                (
                    fold(title),
                    Choice(shorten(label, MAX_CHOICE_CHARS), shorten(title, MAX_CHOICE_CHARS)),
                )
            )
        return out

    # ----------------------------------------------------------------- queries

    def _query(self, text: str) -> Query:
        words = list(dict.fromkeys(terms(text, compounds=False)))
        expansions = tuple(
            tuple(self._expand(w, still_typing=i == len(words) - 1)) for i, w in enumerate(words)
        )
        weights = tuple(
            self.lexicon.weight(w, list(e)) for w, e in zip(words, expansions, strict=True)
        )
        matched = frozenset(self.lexicon.terms[e.term] for ex in expansions for e in ex)
        known = max(
            (
                weight
                for word, weight, ex in zip(words, weights, expansions, strict=True)
                if ex and (len(word) >= MIN_PREFIX_LEN or word.isdigit())
            ),
            default=0.0,
        )
        bar = min(SPECIFIC_IDF, SPECIFIC_SHARE * self.lexicon.max_idf)
        specificity = min(1.0, known / bar)
        enough = sum(sorted(weights, reverse=True)[:ENOUGH_WORDS])
        return Query(" ".join(words), expansions, weights, matched, specificity, enough)

    def _expand(self, word: str, *, still_typing: bool) -> list[Expansion]:
        """A query word's readings; a finished, common word keeps only itself.

        Only the last word may be half-typed, so an earlier word found exactly
        needs no longer words that start with it, bar inflections ("state" →
        "states"); and a very common word (idf below 1) needs none at all:
        its variants cannot change the ranking, only slow it down.
        """
        expansions = self.lexicon.expand(word)
        exact = self.lexicon.ids.get(word)
        if still_typing or exact is None:
            return expansions
        if self.lexicon.idf[exact] < 1.0:
            return [e for e in expansions if e.term == exact]
        return [e for e in expansions if len(self.lexicon.terms[e.term]) - len(word) <= 2]

    def _doc(self, index: int) -> Document:
        return self.library.documents[index]

    def _section_title(self, doc: int, section: int) -> str:
        return self._doc(doc).section(section).title

    def _quote_hit(self, unit: int, score: float) -> QuoteHit:
        u = self._quote_units[unit]
        return QuoteHit(
            kind=u.kind,
            speaker=self._speakers[u.speaker] if u.speaker >= 0 else None,
            text=u.text,
            document=self._doc_ids[u.doc],
            section=u.section,
            section_title=self._section_title(u.doc, u.section),
            paragraph=u.paragraph,
            score=min(100.0, score),
        )

    def _rank_quotes(
        self, query: Query, mask: BoolArray | None, keep: int
    ) -> list[tuple[int, float]]:
        """Quote candidates best first, with quotes lifted above the sentences they come from."""
        ranked = self._quotes.rank(query, mask=mask, keep=keep)
        scores: dict[int, float] = {
            int(u): float(s) for u, s in zip(ranked.units, ranked.scores, strict=True)
        }
        strength: dict[int, float] = {
            int(u): float(s) for u, s in zip(ranked.units, ranked.strength, strict=True)
        }
        coverage: dict[int, float] = {
            int(u): float(c) for u, c in zip(ranked.units, ranked.coverage, strict=True)
        }
        dropped: set[int] = set()
        for sentence, sentence_score in list(scores.items()):
            for quote in self._containing.get(sentence, ()):
                if mask is not None and not mask[quote]:
                    continue
                quote_coverage = coverage.get(quote)
                if quote_coverage is None:
                    quote_coverage = float(self._quotes.coverage_of(query, quote))
                if quote_coverage + 1e-9 >= coverage[sentence]:
                    scores[quote] = max(scores.get(quote, 0.0), sentence_score)
                    strength[quote] = max(strength.get(quote, 0.0), strength[sentence])
                    coverage[quote] = quote_coverage
                    if self._quote_folded[quote] == self._quote_folded[sentence]:
                        dropped.add(sentence)
        ordered = sorted(
            (item for item in scores.items() if item[0] not in dropped),
            key=lambda item: (
                -round(item[1], 6),
                _KIND_ORDER[self._quote_units[item[0]].kind],
                -strength[item[0]],
                item[0],
            ),
        )
        return ordered

    def quotes(self, query: str, *, speaker: str | None = None, limit: int = 10) -> list[QuoteHit]:
        """Best matching quotations: spoken and pull quotes, and sentences of the body.

        With ``speaker`` only that speaker's quotes are searched (``NotFound`` if
        no speaker matches, or several do); an empty query then lists them all.
        """
        _check_limit(limit)
        mask: BoolArray | None = None
        if speaker is not None:
            who = self._one_speaker(speaker)
            mask = self._q_speaker == who
            if not clean_user_text(query):
                units = np.flatnonzero(mask)
                return [self._quote_hit(int(u), 100.0) for u in units[:limit]]
        q = self._query(validate_query(query))
        if q.empty:
            return []
        ranked = self._rank_quotes(q, mask, max(RERANK, 3 * limit))
        return [self._quote_hit(u, s) for u, s in ranked if s >= SCORE_FLOOR][:limit]

    def sections(self, query: str, *, limit: int = 10) -> list[SectionHit]:
        """Best matching sections: a number, then by title, then by content."""
        _check_limit(limit)
        text = validate_query(query)
        numbered = self._numbered_sections(text)
        if numbered:
            return numbered[:limit]
        return [h for h in self._rank_sections(self._query(text)) if h.score >= SCORE_FLOOR][:limit]

    def resolve_section(self, typed: str) -> SectionHit:
        """The one section a member means by "3", "§ 3" or a (misspelt) title.

        The single place for that rule: ``/section``, ``/prompt ... section:`` and the
        CLI all resolve through it, so they accept and refuse the same things.
        """
        text = validate_query(typed, limit=MAX_CHOICE_CHARS)  # names are autocomplete values
        match = _SECTION_NUMBER.fullmatch(fold(text).strip())
        if match:
            number = int(match.group(1))
            owners = self._numbered_sections(text)
            if len(owners) > 1:
                raise InvalidInput(f"Several essays have a section {number}; type its title.")
            if not owners:
                most = max((len(d.sections) for d in self.library.documents), default=0)
                raise NotFound(f"There is no section {number}; sections run from 1 to {most}.")
            return owners[0]
        hits = self.sections(text, limit=1)
        if not hits:
            shown = text if len(text) <= 60 else text[:59] + "…"
            raise NotFound(f"No section matches “{shown}”.")
        return hits[0]

    def _numbered_sections(self, text: str) -> list[SectionHit]:
        match = _SECTION_NUMBER.fullmatch(fold(text).strip())
        if not match:
            return []
        number = int(match.group(1))
        return [
            SectionHit(doc.id, number, doc.section(number).title, 100.0)
            for doc in self.library.documents
            if 1 <= number <= len(doc.sections)
        ]

    def _rank_sections(self, query: Query) -> list[SectionHit]:
        """Sections by title first, content second.

        A title match scores as itself; a content match is scaled down by
        ``CONTENT_FACTOR`` and topped up by whatever the title matched, so when
        every section mentions the words, the one whose title does too wins.
        """
        if query.empty:
            return []
        titles = self._titles.rank(query, keep=RERANK)
        content = self._sections.rank(query, keep=RERANK)
        title_score = {int(u): float(s) for u, s in zip(titles.units, titles.scores, strict=True)}
        strength = {int(u): float(s) for u, s in zip(content.units, content.strength, strict=True)}
        best = dict(title_score)
        for unit, score in zip(content.units, content.scores, strict=True):
            u = int(unit)
            by_title = title_score.get(u, 0.0)
            combined = CONTENT_FACTOR * float(score) + (1.0 - CONTENT_FACTOR) * by_title
            best[u] = max(by_title, combined)
        ordered = sorted(
            best.items(),
            key=lambda item: (-round(item[1], 6), -strength.get(item[0], 0.0), item[0]),
        )
        hits = []
        for unit, score in ordered:
            d, number, title = self._section_units[unit]
            hits.append(SectionHit(self._doc_ids[d], number, title, min(100.0, score)))
        return hits

    def passages(
        self,
        query: str,
        *,
        document: str | None = None,
        section: int | None = None,
        limit: int = 10,
    ) -> list[PassageHit]:
        """Best matching paragraphs of the body, optionally within one document or section."""
        _check_limit(limit)
        q = self._query(validate_query(query))
        mask: BoolArray | None = None
        if document is not None:
            if document not in self._doc_ids:
                raise NotFound(f'There is no document "{document}".')
            mask = self._p_doc == self._doc_ids.index(document)
        if section is not None:
            docs = (
                self.library.documents
                if document is None
                else [self._doc(self._doc_ids.index(document))]
            )
            if not any(1 <= section <= len(doc.sections) for doc in docs):
                raise NotFound(f"There is no section {section}.")
            in_section = self._p_section == section
            mask = in_section if mask is None else mask & in_section
        if q.empty:
            return []
        ranked = self._paragraphs.rank(
            q, mask=mask, keep=max(RERANK, 3 * limit), focus=self._sentence_focus(q)
        )
        hits = []
        for unit, score in zip(ranked.units, ranked.scores, strict=True):
            if score < SCORE_FLOOR:
                break
            p = self._paragraph_units[int(unit)]
            hits.append(
                PassageHit(
                    document=self._doc_ids[p.doc],
                    section=p.section,
                    section_title=self._section_title(p.doc, p.section),
                    paragraph=p.paragraph,
                    text=p.text,
                    score=min(100.0, float(score)),
                )
            )
        return hits[:limit]

    def _sentence_focus(self, query: Query) -> FloatArray | None:
        """Each paragraph's coverage by its best sentence (see ``corpus.W_FOCUS``)."""
        if not self._paragraph_units:
            return None
        coverage, _ = self._quotes.lexical(query)
        sentences = coverage[self._first_sentence :]
        return np.maximum.reduceat(sentences, self._sentence_starts)

    # ----------------------------------------------------------------- speakers

    def speakers(self) -> list[str]:
        """Every speaker of a spoken quote, in order of first appearance."""
        return list(self._speakers)

    def _speaker_matches(self, name: str) -> list[int]:
        """Speakers whose name holds every word typed (exactly, as a prefix, or misspelt)."""
        words = terms(name, compounds=False)
        if not words:
            return []
        folded = " ".join(words)
        exact = [i for i, s in enumerate(self._speaker_folded) if s == folded]
        if exact:
            return exact

        def word_matches(word: str, parts: list[str]) -> bool:
            for part in parts:
                if part == word or (len(word) >= MIN_PREFIX_LEN and part.startswith(word)):
                    return True
                edits = max_edits(len(word))
                if edits and OSA.distance(word, part, score_cutoff=edits) <= edits:
                    return True
            return False

        matches = [
            i
            for i, parts in enumerate(self._speaker_terms)
            if all(word_matches(w, parts) for w in words)
        ]
        if matches:
            return matches
        best = process.extractOne(folded, self._speaker_folded, scorer=fuzz.WRatio, score_cutoff=85)
        return [] if best is None else [best[2]]

    def resolve_speaker(self, name: str) -> str | None:
        """The one speaker ``name`` means, or None if it means none or several."""
        matches = self._speaker_matches(name)
        return self._speakers[matches[0]] if len(matches) == 1 else None

    def _one_speaker(self, name: str) -> int:
        cleaned = clean_user_text(name)
        matches = self._speaker_matches(cleaned)
        if len(matches) == 1:
            return matches[0]
        if matches:
            names = " or ".join(self._speakers[i] for i in matches[:5])
            raise NotFound(f'"{cleaned}" could be {names}; please give the full name.')
        near = process.extract(
            fold(cleaned), self._speaker_folded, scorer=fuzz.WRatio, limit=3, score_cutoff=50
        )
        hint = ""
        if near:
            hint = " Did you mean " + " or ".join(self._speakers[i] for _, _, i in near) + "?"
        raise NotFound(f'No speaker matches "{cleaned}".{hint}')

    # ----------------------------------------------------------------- did you mean

    def suggestions(self, query: str, *, limit: int = 3) -> list[str]:
        """Up to ``limit`` strings that do find something, for a query that did not.

        First section titles and speakers that resemble the query as a whole,
        then the query with every word respelt as the nearest word of the text
        (only if every word has one: dropping words would change the question).
        Each is checked to find something; near-duplicates are skipped.
        """
        text = clean_user_text(query)
        if not text or limit < 1:
            return []
        candidates: list[str] = []
        corrected: list[str] = []
        for word in dict.fromkeys(terms(text, compounds=False)):
            expansions = self.lexicon.expand(word)
            term = (
                self.lexicon.terms[expansions[0].term] if expansions else self.lexicon.closest(word)
            )
            if term is None:
                corrected = []
                break
            corrected.append(self._surface.get(term, term))
        folded = fold(text)
        names = [f for f, _ in self._title_choices] + self._speaker_folded
        labels = [c.value for _, c in self._title_choices] + self._speakers
        for _, _, i in process.extract(
            folded,
            names,
            scorer=fuzz.token_sort_ratio,
            processor=default_process,
            limit=6,
            score_cutoff=SUGGEST_CUTOFF,
        ):
            candidates.append(labels[i])
        if corrected:
            candidates.append(" ".join(corrected))
        out: list[str] = []
        typed = set(terms(text, compounds=False))
        seen: list[set[str]] = []
        for candidate in candidates:
            words = set(terms(candidate, compounds=False))
            if words == typed or any(words <= other or other <= words for other in seen):
                continue
            if self._finds_anything(candidate):
                out.append(candidate)
                seen.append(words)
            if len(out) == limit:
                break
        return out

    def _finds_anything(self, text: str) -> bool:
        if len(text) > 300:
            return False
        q = self._query(text)
        if q.empty:
            return False
        if any(s >= SCORE_FLOOR for _, s in self._rank_quotes(q, None, RERANK)[:1]):
            return True
        return any(h.score >= SCORE_FLOOR for h in self._rank_sections(q)[:1])

    # ----------------------------------------------------------------- autocomplete

    def complete_sections(self, typed: str) -> list[Choice]:
        """Section titles for what has been typed so far (all of them when nothing is)."""
        text = clean_user_text(typed)[:MAX_CHOICE_CHARS]
        if not text:
            return [c for _, c in self._title_choices[:MAX_CHOICES]]
        numbered = self._numbered_sections(text)
        units: list[int] = []
        if numbered:
            units = [
                i
                for i, (d, n, _) in enumerate(self._section_units)
                if any(h.number == n and h.document == self._doc_ids[d] for h in numbered)
            ]
        else:
            ranked = self._rank_sections(self._query(text))
            keyed = {(self._doc_ids[d], n): i for i, (d, n, _) in enumerate(self._section_units)}
            units = [keyed[(h.document, h.number)] for h in ranked if h.score >= COMPLETE_FLOOR]
        if not units:
            units = self._title_prefixes.matching(text)
        return [self._title_choices[i][1] for i in units[:MAX_CHOICES]]

    def complete_speakers(self, typed: str) -> list[Choice]:
        """Speaker names for what has been typed so far."""
        text = clean_user_text(typed)[:MAX_CHOICE_CHARS]
        if not text:
            indices = list(range(len(self._speakers)))
        else:
            indices = self._speaker_matches(text)
            folded = fold(text)
            for _, _, i in process.extract(
                folded, self._speaker_folded, scorer=fuzz.WRatio, limit=MAX_CHOICES, score_cutoff=60
            ):
                if i not in indices:
                    indices.append(i)
        return [
            Choice(
                shorten(self._speakers[i], MAX_CHOICE_CHARS),
                shorten(self._speakers[i], MAX_CHOICE_CHARS),
            )
            for i in indices[:MAX_CHOICES]
        ]

    def complete_quotes(
        self, typed: str, *, hide: Callable[[str, int], bool] | None = None
    ) -> list[Choice]:
        """Previews of the best quotes for what has been typed, trimmed around the matched words.

        ``hide(document, section)`` leaves out quotes from sections a reader should not
        see previewed yet (a reading plan's spoiler guard).
        """

        def shown(unit: int) -> bool:
            u = self._quote_units[unit]
            return hide is None or not hide(self._doc_ids[u.doc], u.section)

        text = clean_user_text(typed)[:MAX_CHOICE_CHARS]
        if not text:
            units = [i for i, u in enumerate(self._quote_units) if u.kind != "passage"]
            units = [i for i in units if shown(i)]
            return [self._quote_choice(i, frozenset()) for i in units[:MAX_CHOICES]]
        q = self._query(text)
        if q.empty:
            return []
        ranked = [(u, s) for u, s in self._rank_quotes(q, None, RERANK) if shown(u)]
        choices = [
            self._quote_choice(u, q.matched_terms)
            for u, s in ranked[:MAX_CHOICES]
            if s >= COMPLETE_FLOOR
        ]
        if not choices:
            prefixed = [self._quote_ids[i] for i in self._quote_prefixes.matching(text)]
            choices = [
                self._quote_choice(u, q.matched_terms)
                for u in [u for u in prefixed if shown(u)][:MAX_CHOICES]
            ]
        return choices

    def _spans(self, unit: int) -> list[Token]:
        """Token spans of a quote candidate, kept for the units autocomplete shows.

        Bounded, so a large library does not hold the spans of every sentence;
        consecutive keystrokes keep showing the same few quotes.
        """
        if unit < len(self._prebuilt_spans):
            return self._prebuilt_spans[unit]
        spans = self._span_cache.get(unit)
        if spans is None:
            spans = tokens(self._quote_units[unit].text.strip())
            if len(self._span_cache) >= SPAN_CACHE:
                self._span_cache.popitem(last=False)
            self._span_cache[unit] = spans
        else:
            self._span_cache.move_to_end(unit)
        return spans

    def clear_caches(self) -> None:
        """Forget memoised word expansions and preview spans.

        Results never depend on these caches; benchmarks clear them to time a
        query as if it were the first. The spans computed at build time stay:
        they are part of the index, not a memo of past queries.
        """
        self.lexicon.clear_cache()
        self._span_cache.clear()

    def _quote_choice(self, unit: int, matched: frozenset[str]) -> Choice:
        u = self._quote_units[unit]
        prefix = f"{self._speakers[u.speaker]}: " if u.speaker >= 0 else ""
        room = MAX_CHOICE_CHARS - len(prefix)
        if room < 40:
            prefix, room = "", MAX_CHOICE_CHARS
        preview = trim_around(u.text, matched, room, self._spans(unit))
        value = preview.strip("…").strip() or shorten(u.text, MAX_CHOICE_CHARS)
        return Choice(prefix + preview, value)
