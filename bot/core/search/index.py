"""The in-memory search index behind /quote, /section, /search and their autocomplete.

Built once from the library at start-up; every query afterwards is a few numpy
operations over precomputed postings plus rapidfuzz on a handful of candidates.
Scores are 0-100; below ``SCORE_FLOOR`` nothing is returned, and
``suggestions`` offers did-you-mean strings instead.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from collections.abc import Callable, Collection, Mapping

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from rapidfuzz.utils import default_process

from bot.core.errors import InvalidInput, NotFound
from bot.core.model import Document, Library
from bot.core.search import build as builders
from bot.core.search.corpus import BoolArray, FloatArray, IntArray, Query, Ranked, order
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
from bot.core.search.lexicon import Expansion, language_frequency, max_edits
from bot.core.search.preview import trim_around
from bot.core.search.ranking import PassageRanker, PassageScores
from bot.core.search.text import Token, fold, terms, tokens
from bot.core.search.tuning import (
    COMPLETE_FLOOR,
    CONTENT_FACTOR,
    ENOUGH_WORDS,
    MIN_PREFIX_LEN,
    QUESTION_FLOOR,
    QUESTION_WORDS,
    REAL_WORD_ZIPF,
    RERANK,
    SCORE_FLOOR,
    SPECIFIC_IDF,
    SPECIFIC_SHARE,
    SUGGEST_CUTOFF,
    WEAK_HITS,
)
from bot.core.search.words import is_content, stem
from bot.core.text import clean_user_text, shorten

log = logging.getLogger(__name__)

MAX_LIMIT = 50
# Quote candidates whose token spans are kept for autocomplete previews.
SPAN_CACHE = 4096

_SECTION_NUMBER = re.compile(r"(?:§|sec(?:tion)?\.?|part|chapter|ch\.?)?\s*(\d{1,4})\.?")
_KIND_ORDER: dict[HitKind, int] = {"spoken": 0, "pull": 1, "passage": 2}


def _asks(text: str) -> bool:
    """Whether a query reads as a question or prompt rather than keywords."""
    return "?" in text or len(terms(text, compounds=False)) >= QUESTION_WORDS


def _reaches(ranked: Ranked, floor: float) -> bool:
    """Whether the best of a ranking scores at least ``floor``."""
    return bool(len(ranked.scores)) and float(ranked.scores[0]) >= floor


def _check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"The number of results must be between 1 and {MAX_LIMIT}.")


class SearchIndex:
    """Fuzzy, rarity-weighted retrieval over every document of a library."""

    library: Library

    def __init__(
        self, library: Library, bridges: Mapping[str, Collection[str]] | None = None
    ) -> None:
        """Use ``SearchIndex.build``; this precomputes everything a query needs.

        ``bridges`` (stem → related stems) let a question's words the text
        lacks read as words it has; see ``lexicon.Lexicon``.
        """
        self.library = library
        docs = library.documents
        self._doc_ids = [d.id for d in docs]
        who = builders.speakers(docs)
        self._speakers, self._speaker_terms, self._speaker_folded = who.names, who.terms, who.folded
        self._quote_units, self._first_sentence = builders.quote_units(docs, who)
        self._paragraph_units = builders.paragraph_units(docs)
        self._section_units = builders.section_units(docs)
        # (document id, section number) -> section unit, for what a typed "§ 3" names.
        self._section_unit_of = {
            (self._doc_ids[u.doc], u.number): i for i, u in enumerate(self._section_units)
        }
        self._build_corpora(who, bridges)
        self._build_filters()
        self._build_autocomplete()
        self._ranker: PassageRanker | None = None
        log.info(
            "search index: %d documents, %d quote candidates, %d paragraphs, %d terms",
            len(docs),
            len(self._quote_units),
            len(self._paragraph_units),
            len(self.lexicon),
        )

    @classmethod
    def build(
        cls, library: Library, bridges: Mapping[str, Collection[str]] | None = None
    ) -> SearchIndex:
        return cls(library, bridges)

    # ----------------------------------------------------------------- building

    def _build_corpora(
        self, who: builders.Speakers, bridges: Mapping[str, Collection[str]] | None
    ) -> None:
        """The lexicon, the four corpora, and what ranking quotes and did-you-mean need."""
        corpora = builders.corpora(
            self._quote_units,
            self._first_sentence,
            self._paragraph_units,
            self._section_units,
            who,
            bridges,
        )
        self.lexicon = corpora.lexicon
        self._quotes, self._paragraphs = corpora.quotes, corpora.paragraphs
        self._titles, self._sections = corpora.titles, corpora.sections
        self._quote_folded = corpora.quote_folded
        self._containing = builders.containing_sentences(
            self._quote_units,
            self._quote_folded,
            self._first_sentence,
            self._paragraph_units,
            self._paragraphs.folded,
        )
        self._surface = builders.surface_forms(self.library, self._speakers)

    def _build_filters(self) -> None:
        """Per-unit arrays for the speaker, document and section filters and sentence runs."""
        self._q_speaker = np.array([u.speaker for u in self._quote_units], dtype=np.int32)
        self._q_doc = np.array([u.doc for u in self._quote_units], dtype=np.int32)
        self._p_doc = np.array([p.doc for p in self._paragraph_units], dtype=np.int32)
        self._p_section = np.array([p.section for p in self._paragraph_units], dtype=np.int32)
        counts = builders.sentence_counts(self.library.documents)
        self._sentence_starts = np.cumsum([0, *counts[:-1]], dtype=np.int64)

    def _build_autocomplete(self) -> None:
        """Section choices, word prefixes, and the token spans previews are trimmed around."""
        self._title_choices = builders.section_choices(self.library, self._section_units)
        self._title_prefixes = builders.PrefixIndex([folded for folded, _ in self._title_choices])
        self._quote_ids = [i for i, u in enumerate(self._quote_units) if u.kind != "passage"]
        self._quote_prefixes = builders.PrefixIndex(
            [self._quotes.folded[i] for i in self._quote_ids]
        )
        # Spans of the first quote candidates (all of them for an essay or
        # two) are computed now; beyond that, for whichever autocomplete shows.
        self._prebuilt_spans = [tokens(u.text.strip()) for u in self._quote_units[:SPAN_CACHE]]
        self._span_cache: OrderedDict[int, list[Token]] = OrderedDict()

    # ----------------------------------------------------------------- queries

    def _query(self, text: str) -> Query:
        typed = list(dict.fromkeys(terms(text, compounds=False)))
        # Function words say how a query asks, not what about: left out when it
        # has anything else (the phrase score still sees them).
        words = [w for w in typed if is_content(w)] or typed
        # A question is typed in whole words: a real word it holds that the
        # text lacks is another word, not a typo ("promise" is not "prominent").
        question = len(typed) >= QUESTION_WORDS
        expansions = tuple(
            tuple(
                self._expand(
                    w,
                    still_typing=not question and w == typed[-1],
                    typos=not (question and language_frequency(w) >= REAL_WORD_ZIPF),
                )
            )
            for i, w in enumerate(words)
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
        return Query(
            " ".join(typed), expansions, weights, matched, specificity, enough, tuple(words)
        )

    def _expand(self, word: str, *, still_typing: bool, typos: bool = True) -> list[Expansion]:
        """A query word's readings; a finished, common word keeps only itself.

        Only the last word may be half-typed, so an earlier word found exactly
        needs no longer words that start with it, bar inflections ("state" →
        "states"); and a very common word (idf below 1) needs none at all:
        its variants cannot change the ranking, only slow it down.
        """
        expansions = self.lexicon.expand(word, typos=typos)
        exact = self.lexicon.ids.get(word)
        if still_typing or exact is None:
            return expansions
        if self.lexicon.idf[exact] < 1.0:
            return [e for e in expansions if e.term == exact]
        root = stem(word)
        return [
            e
            for e in expansions
            if not self.lexicon.terms[e.term].startswith(word)
            or len(self.lexicon.terms[e.term]) - len(word) <= 2
            or stem(self.lexicon.terms[e.term]) == root
        ]

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

    def quotes(
        self,
        query: str,
        *,
        speaker: str | None = None,
        document: str | None = None,
        limit: int = 10,
    ) -> list[QuoteHit]:
        """Best matching quotations: spoken and pull quotes, and sentences of the body.

        With ``speaker`` only that speaker's quotes are searched (``NotFound`` if
        no speaker matches, or several do); an empty query then lists them all.
        With ``document`` only that essay's.
        """
        _check_limit(limit)
        mask: BoolArray | None = None
        if document is not None:
            mask = self._q_doc == self._doc_number(document)
        if speaker is not None:
            who = self._one_speaker(speaker)
            by = self._q_speaker == who
            mask = by if mask is None else mask & by
            if not clean_user_text(query):
                units = np.flatnonzero(mask)
                return [self._quote_hit(int(u), 100.0) for u in units[:limit]]
        q = self._query(validate_query(query))
        if q.empty:
            return []
        ranked = self._rank_quotes(q, mask, max(RERANK, 3 * limit))
        return [self._quote_hit(u, s) for u, s in ranked if s >= SCORE_FLOOR][:limit]

    def sections(
        self, query: str, *, document: str | None = None, limit: int = 10
    ) -> list[SectionHit]:
        """Best matching sections (of ``document`` only, if given): a number, then by title,
        then by content."""
        _check_limit(limit)
        text = validate_query(query)
        if document is not None:
            self._doc_number(document)
        numbered = self._numbered_sections(text, document)
        if numbered:
            return numbered[:limit]
        hits = self._rank_sections(self._query(text))
        return [
            h
            for h in hits
            if h.score >= SCORE_FLOOR and (document is None or h.document == document)
        ][:limit]

    def resolve_section(self, typed: str, *, document: str | None = None) -> SectionHit:
        """The one section a member means by "3", "§ 3" or a (misspelt) title.

        The single place for that rule: ``/section``, ``/prompt ... section:`` and the
        CLI all resolve through it, so they accept and refuse the same things. With
        ``document`` (the server's current essay, or the one asked for) only its sections.
        """
        text = validate_query(typed, limit=MAX_CHOICE_CHARS)  # names are autocomplete values
        match = _SECTION_NUMBER.fullmatch(fold(text).strip())
        if match:
            number = int(match.group(1))
            owners = self._numbered_sections(text, document)
            if len(owners) > 1:
                raise InvalidInput(f"Several essays have a section {number}; type its title.")
            if not owners:
                docs = self.library.documents
                if document is not None:
                    docs = (self._doc(self._doc_number(document)),)
                most = max((len(d.sections) for d in docs), default=0)
                raise NotFound(f"There is no section {number}; sections run from 1 to {most}.")
            return owners[0]
        hits = self.sections(text, document=document, limit=1)
        if not hits:
            raise NotFound(f"No section matches “{shorten(text, 60)}”.")
        return hits[0]

    def _numbered_sections(self, text: str, document: str | None = None) -> list[SectionHit]:
        match = _SECTION_NUMBER.fullmatch(fold(text).strip())
        if not match:
            return []
        number = int(match.group(1))
        return [
            SectionHit(doc.id, number, doc.section(number).title, 100.0)
            for doc in self.library.documents
            if 1 <= number <= len(doc.sections) and document in (None, doc.id)
        ]

    def _doc_number(self, document: str) -> int:
        """The position of ``document`` among the loaded essays, or ``NotFound``."""
        if document not in self._doc_ids:
            raise NotFound(f'There is no document "{document}".')
        return self._doc_ids.index(document)

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
            s = self._section_units[unit]
            hits.append(SectionHit(self._doc_ids[s.doc], s.number, s.title, min(100.0, score)))
        return hits

    def passages(
        self,
        query: str,
        *,
        document: str | None = None,
        section: int | None = None,
        limit: int = 10,
    ) -> list[PassageHit]:
        """Best matching paragraphs of the body, optionally within one document or section.

        A question is never left empty-handed (see ``_is_question``): when no
        paragraph reaches the score floor it gets its best few, marked as not
        ``confident``. A query none of whose words the text has is still
        handed to an attached ranker: a paraphrase is what a ranker by meaning is
        for, so a question it finds at the question floor by meaning alone gets its
        best few too, weak-marked, rather than an empty hand (an off-topic one,
        under that floor, still gets nothing).
        """
        _check_limit(limit)
        text = validate_query(query)
        q = self._query(text)
        mask = self._passage_mask(document, section)
        if not any(is_content(w) for w in q.words_typed):
            return []
        if q.empty and self._ranker is None:
            return []  # no word of the text: only a ranker by meaning could answer
        keep = max(RERANK, 3 * limit)
        scores, coverage, strength = self._passage_scores(q, text, mask, keep)
        final = scores.paragraphs if self._ranker is None else self._ranker.score(scores)
        ranked = order(np.where(scores.eligible, final, 0.0), coverage, strength, keep)
        confident = _reaches(ranked, SCORE_FLOOR)
        by_meaning = self._ranker is not None and _asks(text) and _reaches(ranked, QUESTION_FLOOR)
        question = self._is_question(text, q) or by_meaning
        if not confident and not question:
            return []
        floor = QUESTION_FLOOR if question else SCORE_FLOOR
        hits = [
            self._passage_hit(int(unit), float(score), confident)
            for unit, score in zip(ranked.units, ranked.scores, strict=True)
            if not confident or score >= floor
        ]
        return hits[: limit if confident else min(limit, WEAK_HITS)]

    def _passage_mask(self, document: str | None, section: int | None) -> BoolArray | None:
        """The paragraphs a document or section filter leaves (None: all of them)."""
        mask: BoolArray | None = None
        docs = self.library.documents
        if document is not None:
            if document not in self._doc_ids:
                raise NotFound(f'There is no document "{document}".')
            mask = self._p_doc == self._doc_ids.index(document)
            docs = (self._doc(self._doc_ids.index(document)),)
        if section is not None:
            if not any(1 <= section <= len(doc.sections) for doc in docs):
                raise NotFound(f"There is no section {section}.")
            in_section = self._p_section == section
            mask = in_section if mask is None else mask & in_section
        return mask

    def _passage_hit(self, unit: int, score: float, confident: bool) -> PassageHit:
        p = self._paragraph_units[unit]
        return PassageHit(
            document=self._doc_ids[p.doc],
            section=p.section,
            section_title=self._section_title(p.doc, p.section),
            paragraph=p.paragraph,
            text=p.text,
            score=min(100.0, score),
            confident=confident,
        )

    def _is_question(self, text: str, query: Query) -> bool:
        """Whether a query is a question or prompt that shares a content word with the text.

        Such a query is never left empty-handed: below the score floor it still
        gets its best passages, marked as a weak match. A short keyword query
        that matches nothing well gets nothing (and a did-you-mean) instead.
        The word counts in any form the text has: itself, an inflection, a
        word of its family ("historical" for "history"). A question's real
        words are never read as typos of others (see ``_query``): "cook" is not
        about "took".
        """
        return _asks(text) and any(
            is_content(word) and expansions
            for word, expansions in zip(query.words_typed, query.words, strict=True)
        )

    def absent_words(self, query: str) -> list[str]:
        """A question's content words, when the text has none of them in any form; else none.

        What ``passages`` could not answer at all, for the front end to say so
        (see ``hits.absent_words_note``) rather than offer a did-you-mean.
        """
        text = validate_query(query)
        if not _asks(text):
            return []
        q = self._query(text)
        content = [w for w in q.words_typed if is_content(w)]
        if self._is_question(text, q) or not content:
            return []
        return content

    def _passage_scores(
        self, query: Query, text: str, mask: BoolArray | None, keep: int
    ) -> tuple[PassageScores, FloatArray, FloatArray]:
        """Every paragraph's lexical score (what an attached ranker starts from),
        coverage and strength (which break ties)."""
        sentences, _ = self._quotes.lexical(query)
        sentences = sentences[self._first_sentence :]
        focus = (
            np.maximum.reduceat(sentences, self._sentence_starts) if self._paragraph_units else None
        )
        paragraphs, coverage, strength = self._paragraphs.scores(
            query, mask=mask, keep=keep, focus=focus
        )
        eligible = np.ones(self._paragraphs.size, dtype=np.bool_) if mask is None else mask
        return PassageScores(text, paragraphs, sentences, eligible), coverage, strength

    # ----------------------------------------------------------------- other rankers

    def use_ranker(self, ranker: PassageRanker | None) -> None:
        """Attach (or, with None, detach) a ranker that re-scores /search's paragraphs."""
        self._ranker = ranker

    @property
    def ranker_name(self) -> str | None:
        """The attached ranker's name, for /about; None when search is lexical only."""
        return None if self._ranker is None else self._ranker.name

    def paragraph_texts(self) -> list[str]:
        """Every paragraph of the library, in the unit order of ``PassageScores``."""
        return [p.text for p in self._paragraph_units]

    def sentence_texts(self) -> list[str]:
        """Every body sentence, in the unit order of ``PassageScores.sentences``."""
        return [u.text for u in self._quote_units[self._first_sentence :]]

    def sentence_paragraphs(self) -> IntArray:
        """For each body sentence, the number of its paragraph in ``paragraph_texts``."""
        counts = np.diff(
            np.append(self._sentence_starts, len(self._quote_units) - self._first_sentence)
        )
        return np.repeat(np.arange(len(self._paragraph_units), dtype=np.int32), counts)

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

    def complete_sections(self, typed: str, *, document: str | None = None) -> list[Choice]:
        """Section titles for what has been typed so far (all of them when nothing is);
        with ``document``, of that essay only."""
        text = clean_user_text(typed)[:MAX_CHOICE_CHARS]
        mine = self._section_units_of(document)
        if not text:
            shown = [c for i, (_, c) in enumerate(self._title_choices) if i in mine]
            return shown[:MAX_CHOICES]
        units = [i for i in self._sections_for(text, document) if i in mine]
        if not units:
            units = [i for i in self._title_prefixes.matching(text) if i in mine]
        return [self._title_choices[i][1] for i in units[:MAX_CHOICES]]

    def _section_units_of(self, document: str | None) -> set[int]:
        """The section units of one essay (``None``: of every essay)."""
        if document is None:
            return set(range(len(self._section_units)))
        number = self._doc_number(document)
        return {i for i, u in enumerate(self._section_units) if u.doc == number}

    def _sections_for(self, text: str, document: str | None) -> list[int]:
        """The section units a typed number ("§ 3") names, else the best-ranked by title."""
        unit_of = self._section_unit_of
        numbered = self._numbered_sections(text, document)
        if numbered:
            return sorted(unit_of[(h.document, h.number)] for h in numbered)
        ranked = self._rank_sections(self._query(text))
        return [unit_of[(h.document, h.number)] for h in ranked if h.score >= COMPLETE_FLOOR]

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
