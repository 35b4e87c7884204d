"""Behaviour on the real essay that a small hand-made document cannot show."""

from __future__ import annotations

import pytest

from bot.core.model import Library
from bot.core.search import SearchIndex


@pytest.fixture(scope="module")
def index(library: Library) -> SearchIndex:
    return SearchIndex.build(library)


@pytest.mark.parametrize("query", ["the", "of the and", "in a", "qwertyuiop", "pizza recipe"])
def test_common_words_or_nonsense_find_nothing(index: SearchIndex, query: str) -> None:
    assert index.quotes(query) == []
    assert index.sections(query) == []
    assert index.passages(query) == []


def test_rare_words_beat_a_paragraph_that_repeats_the_country_names(index: SearchIndex) -> None:
    hits = index.passages("zurich protocols october 2009 turkey azerbaijan")
    assert (hits[0].section, hits[0].paragraph) == (5, 3)
    assert "Zurich Protocols in October 2009" in hits[0].text


def test_every_quote_of_a_speaker_is_found_by_name_variants(index: SearchIndex) -> None:
    for name in ("cavusoglu", "Çavuşoğlu", "Mevlut Cavusoglu", "CAVUSOGLU"):
        assert {h.speaker for h in index.quotes("", speaker=name)} == {"Mevlüt Çavuşoglu"}
    texts = [h.text for h in index.quotes("", speaker="cavusoglu", limit=50)]
    assert "We stand with Azerbaijan in the field and on the table." in texts


def test_did_you_mean_for_a_misspelt_section(index: SearchIndex) -> None:
    assert index.sections("karabak conflct")[0].title == "The Karabakh Conflict"
    assert "Zurich Protocols" in index.suggestions("zurih protocls")


def test_every_autocomplete_choice_fits_discord(index: SearchIndex) -> None:
    for typed in ("", "t", "tur", "azerbaijan's joy", "çavuş", "we stand with", "§", "9" * 120):
        for complete in (index.complete_quotes, index.complete_sections, index.complete_speakers):
            choices = complete(typed)
            assert len(choices) <= 25
            assert all(0 < len(c.name) <= 100 and 0 < len(c.value) <= 100 for c in choices)
