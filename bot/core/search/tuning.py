"""Every tuned number of the search engine, in one place.

Each was set by measurement, not by taste: ``make bench`` (tests/bench/search.py)
prints the accuracy they reach on the keyword and name query sets
(tests/core/search/queries.toml, queries_second.toml) and on the tuning
questions (questions_tuning.toml), next to the held-out questions and the
baselines; tests/core/search/test_quality.py fails if a change loses what
they won. Change one, run ``make bench``, and keep it only if the figures say so.
The reader questions on other essays (questions_other/) may be looked at too,
so a number is not fitted to one text; the held-out questions
(questions_heldout.toml) must never be used to choose them.
"""

from __future__ import annotations

# ------------------------------------------- what a typed word may stand for (lexicon)

# Words this short are matched exactly or as a prefix only: one edit turns
# "war" into "was" or "far", which is a different word, not a typo.
MIN_FUZZY_LEN = 4

# Typing two letters of a word is not yet a word to look for.
MIN_PREFIX_LEN = 3

# The shortest prefix that may itself carry a typo (`cavus` → `çavuşoglu`).
MIN_FUZZY_PREFIX_LEN = 5

# Cap on the expansions of one word, so a short prefix cannot flood a query.
MAX_EXPANSIONS = 12

# How sure a reading by stem is ("trusting" for "trust"): below the word itself,
# above most typo readings.
STEM_SIMILARITY = 0.9

# How sure a reading by word family is ("leadership" for "leaders"), at most:
# below an inflection; the shorter root's share of the longer scales it down.
DERIVATION_SIMILARITY = 0.7

# The shortest root that finds its family by beginning other words: shorter
# ones begin unrelated words too ("part" → "partnership").
MIN_ROOT_LEN = 6

# How sure a reading through a word bridge is ("crisis" for "turbulence"):
# well below any literal reading, so a bridge only decides between passages
# that the literal words leave level.
BRIDGE_SIMILARITY = 0.5

# What a word absent from the text weighs, as a share of the rarest word's idf.
UNKNOWN_WORD_WEIGHT = 0.75

# A word's idf is measured on one essay, where "how", "should" or "know" may
# occur once or never: an essay states, it does not ask. So a word frequent in
# the language at large weighs less: from COMMON_FROM up it loses weight, down
# to COMMON_FLOOR of its idf at COMMON_TO ("the", "of").
COMMON_FROM = 4.5
COMMON_TO = 7.0
COMMON_FLOOR = 0.1

# A typed word at least this frequent in the language is a word, not a typo,
# even if the text lacks it: "cook" is no misspelt "took", nor "your" "four".
# Its typo readings must keep its first letter (variants such as "defence" →
# "defense" or "centres" → "centers" do; real-word confusions mostly do not).
REAL_WORD_ZIPF = 3.0

# ------------------------------------------- scoring a passage (corpus)

# BM25's term-frequency saturation and length normalisation (the usual values).
K1 = 1.2
B = 0.75

# How the final 0-100 score is made up; coverage dominates so that a passage
# missing a rare query word cannot win on phrasing alone.
W_COVERAGE = 0.70
W_DENSITY = 0.15
W_PHRASE = 0.15

# When a unit is made of finer ones (a paragraph of sentences), this share of
# its coverage is that of its best part: words found together in one sentence
# answer a question better than the same words scattered over a paragraph.
W_FOCUS = 0.5

# ------------------------------------------- reading a query and answering it (index)

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

# A query of this many words or more (or with a question mark) is a question
# or prompt: never left empty-handed if it shares a content word with the text.
QUESTION_WORDS = 4

# A confident answer to a question also offers the runners-up down to this
# score: a question's words are spread thinner than a keyword query's.
QUESTION_FLOOR = 30.0

# How many passages a weak match offers.
WEAK_HITS = 3

# How many lexical candidates get the (costlier) phrase score.
RERANK = 30

# How closely a title or speaker must resemble a failed query to be suggested.
SUGGEST_CUTOFF = 70.0
