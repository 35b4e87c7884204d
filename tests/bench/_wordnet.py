"""Word bridges from WordNet 3.0's database files (Debian's ``wordnet-base``).

A bench-only step: it reads the Princeton files (``index.*`` and ``data.*``,
in ``/usr/share/wordnet`` once ``apt-get install wordnet-base`` has run) and
derives, for every single-word lemma, the Snowball stems of the words related
to it by chosen WordNet relations in its most frequent senses. The result is
keyed by stem, like the search lexicon, so a query word finds the text's
words through it whatever their inflection.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.core.search.words import is_content, stem

WORDNET_DIR = Path("/usr/share/wordnet")
POS = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}

# WordNet pointer symbols, by the relation they stand for.
RELATIONS = {
    "synonym": (),  # the other lemmas of the same synset
    "hypernym": ("@", "@i"),
    "hyponym": ("~", "~i"),
    "derivation": ("+",),
    "similar": ("&",),
    "sibling": (),  # the other hyponyms of the synset's hypernyms
}


@dataclass(frozen=True, slots=True)
class Synset:
    lemmas: tuple[str, ...]
    pointers: tuple[tuple[str, str, str], ...]  # (symbol, offset, pos)


def available(root: Path = WORDNET_DIR) -> bool:
    return all((root / f"data.{name}").is_file() for name in POS.values())


def _synsets(root: Path, pos: str) -> dict[str, Synset]:
    out: dict[str, Synset] = {}
    with (root / f"data.{POS[pos]}").open(encoding="latin-1") as f:
        for line in f:
            if line.startswith(" "):
                continue  # the licence header
            fields = line.split("|", 1)[0].split()
            count = int(fields[3], 16)
            lemmas = tuple(fields[4 + 2 * i].lower() for i in range(count))
            at = 4 + 2 * count
            n_ptr = int(fields[at])
            pointers = tuple(
                (fields[at + 1 + 4 * i], fields[at + 2 + 4 * i], fields[at + 3 + 4 * i])
                for i in range(n_ptr)
            )
            out[fields[0]] = Synset(lemmas, pointers)
    return out


def _senses(root: Path, pos: str) -> Iterator[tuple[str, list[str]]]:
    with (root / f"index.{POS[pos]}").open(encoding="latin-1") as f:
        for line in f:
            if line.startswith(" "):
                continue
            fields = line.split()
            lemma, synset_count, ptr_count = fields[0], int(fields[2]), int(fields[3])
            offsets = fields[4 + ptr_count + 2 :]
            yield lemma, offsets[:synset_count]


def bridges(
    relations: Collection[str], senses: int = 2, root: Path = WORDNET_DIR
) -> dict[str, set[str]]:
    """Stem → stems of related single words, over each lemma's first ``senses`` senses."""
    synsets = {pos: _synsets(root, pos) for pos in POS}
    symbols = {s for r in relations for s in RELATIONS[r]}
    out: dict[str, set[str]] = {}
    for pos in POS:
        for lemma, offsets in _senses(root, pos):
            if "_" in lemma or not lemma.isalpha() or not is_content(lemma):
                continue
            related: set[str] = set()
            for offset in offsets[:senses]:
                synset = synsets[pos][offset]
                if "synonym" in relations:
                    related.update(synset.lemmas)
                for symbol, target, target_pos in synset.pointers:
                    if symbol in symbols:
                        related.update(synsets[_pos(target_pos)][target].lemmas)
                    if "sibling" in relations and symbol in ("@", "@i"):
                        parent = synsets[_pos(target_pos)][target]
                        for sym, child, child_pos in parent.pointers:
                            if sym in ("~", "~i"):
                                related.update(synsets[_pos(child_pos)][child].lemmas)
            key = stem(lemma)
            stems = {stem(w) for w in related if "_" not in w and w.isalpha() and is_content(w)} - {
                key
            }
            if stems:
                out.setdefault(key, set()).update(stems)
    return out


def _pos(symbol: str) -> str:
    return "a" if symbol == "s" else symbol
