"""Folding and tokenising: what makes typed text meet printed text."""

from __future__ import annotations

import pytest

from bot.core.search.text import analyse, find_terms, fold, folded_words, terms, tokens


@pytest.mark.parametrize(
    ("printed", "typed"),
    [
        ("Atatürk", "ataturk"),
        ("Çavuşoğlu", "cavusoglu"),
        ("Mevlüt", "mevlut"),
        ("İzmir", "izmir"),
        ("IZMIR", "izmir"),
        ("ılık", "ilik"),
        ("Gəncə", "gence"),
        ("ƏLİYEV", "eliyev"),
        ("Gül", "gul"),
        ("Ağdam", "agdam"),
        ("fin-de-siècle", "fin-de-siecle"),
        ("Straße", "strasse"),
        ("Łódź", "lodz"),
    ],
)
def test_fold_removes_diacritics_and_case_including_turkish_and_azerbaijani(
    printed: str, typed: str
) -> None:
    assert fold(printed) == typed
    assert fold(typed) == typed


def test_fold_dotted_capital_i_leaves_no_combining_dot() -> None:
    assert fold("İ") == "i"
    assert len(fold("İstanbul")) == len("istanbul")


def test_numbers_lose_their_separators() -> None:
    assert terms("more than 3,650 and 17.500 people") == [
        "more",
        "than",
        "3650",
        "and",
        "17500",
        "people",
    ]


def test_hyphenated_compounds_give_parts_and_the_joined_word() -> None:
    assert terms("High-level council") == ["high", "level", "highlevel", "council"]
    assert terms("High-level council", compounds=False) == ["high", "level", "council"]
    # Number ranges are not words: no joined form.
    assert terms("2008-2009") == ["2008", "2009"]


def test_possessives_apostrophes_and_ordinals() -> None:
    assert terms("Turkey’s Baku's") == ["turkey", "baku"]
    assert terms("the 10th of 1920s") == ["the", "10th", "10", "of", "1920s", "1920"]
    assert terms("the 10th", compounds=False) == ["the", "10th"]


def test_punctuation_and_quotes_are_ignored() -> None:
    assert folded_words("“Joy—and sorrow!” (he said)") == "joy and sorrow he said"


def test_token_spans_point_into_the_original_text() -> None:
    text = "Çavuşoğlu said: “Azerbaijan’s joy.”"
    for token in tokens(text):
        assert fold(text[token.start : token.end]).replace("'", "").startswith(token.term[:3])


def test_analyse_agrees_with_terms_and_folded_words() -> None:
    text = "High-level talks on the 10th: 3,650 fin-de-siècle Turks’ nation- and state-building."
    assert analyse(text) == (terms(text), folded_words(text))


def test_find_terms_finds_only_the_wanted_words() -> None:
    text = "The Zurich Protocols were signed in Zurich."
    found = find_terms(text, {"zurich"})
    assert [text[t.start : t.end] for t in found] == ["Zurich", "Zurich"]
