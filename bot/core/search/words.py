"""What a word is, beyond its spelling: its stem, and whether it carries content.

A reader asks "why did azerbaijan stop trusting turkey"; the essay says
"trust". Snowball stemming (PyStemmer, the C build of the Snowball algorithms)
maps both onto one stem. And a question is mostly words that say how it asks
("why", "did", "the"), not what it asks about: those function words never count
as content, so they neither decide whether a question matched the essay nor
outweigh its topic.
"""

from __future__ import annotations

from functools import lru_cache

import Stemmer

# The Snowball algorithm for the library's language (see ``lexicon.LANGUAGE``).
STEMMER_LANGUAGE = "english"

_STEMMER = Stemmer.Stemmer(STEMMER_LANGUAGE)

# English function words: articles, pronouns, auxiliaries and modals,
# prepositions, conjunctions, question words and a few adverbs that a question
# wraps around its topic. Closed classes of the language, not any
# essay's vocabulary; folded (lower case, no apostrophes), as ``text.terms``
# gives them.
FUNCTION_WORDS = frozenset(
    """
    a an the this that these those there here
    i me my mine myself we us our ours ourselves you your yours yourself yourselves
    he him his himself she her hers herself it its itself they them their theirs
    themselves someone something anyone anything everyone everything
    who whom whose which what when where why how whether whatever whenever wherever
    am is are was were be been being do does did doing done have has had having
    can could shall should will would may might must ought need dare
    cant couldnt shouldnt wont wouldnt dont doesnt didnt isnt arent wasnt werent
    havent hasnt hadnt im ive id youre youve theyre theyve weve thats whats
    of in on at by for with about against between into through during before
    after above below to from up down out off over under again further then once
    upon within without across along among around behind beside besides beyond
    toward towards onto via per since until till than as like unlike despite
    and or but nor so yet if because while although though unless whereas
    not no yes all any both each few more most other some such only own same
    too very just also even ever still already really much many please
    """.split()
)


@lru_cache(maxsize=1 << 16)
def stem(term: str) -> str:
    """The Snowball stem of a folded term (``trusting`` → ``trust``); numbers stay."""
    if any(ch.isdigit() for ch in term):
        return term
    return str(_STEMMER.stemWord(term))


def is_content(term: str) -> bool:
    """Whether a folded term can say what a query is about (not a function word)."""
    return len(term) > 1 and term not in FUNCTION_WORDS


@lru_cache(maxsize=1 << 16)
def root(term: str) -> str:
    """A term's stem without a final "i" or "e" ("history" → "histor", like "historical").

    Snowball spells a stem's end by its inflections ("histori", "militari");
    the family's other words continue from the letter before.
    """
    return stem(term).rstrip("ie") or stem(term)
