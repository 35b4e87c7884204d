"""Matching behaviour of the search index, on small hand-made documents."""

from __future__ import annotations

import pytest

from bot.core.errors import InvalidInput, NotFound
from bot.core.search import MAX_CHOICE_CHARS, MAX_CHOICES, SCORE_FLOOR, SearchIndex, validate_query
from tests.core.search.factories import document, library

FILLER = (
    "Turkey and Azerbaijan met again. Azerbaijan and Turkey talked. "
    "Turkey, Azerbaijan, Turkey and Azerbaijan agreed that Turkey and Azerbaijan are close."
)

DOC = document(
    [
        (
            "Introduction",
            [
                "The relationship between the two countries is special. "
                "Atatürk famously said, “Azerbaijan’s joy is our joy; its sorrow is our sorrow.”",
                FILLER,
            ],
        ),
        (
            "A Period of Turbulence",
            [
                "The Zurich Protocols were signed in October 2009 between the foreign ministers.",
                "Football diplomacy began when Abdullah Gül visited Yerevan for a qualifier match.",
            ],
        ),
        (
            "Educational and Cultural Cooperation",
            [
                "More than 3,650 Azerbaijanis received scholarships of the Great Student Project.",
                "The Azerbaijan-Turkey High-level Strategic Cooperation Council met in 2011.",
                "Scholars of the fin-de-siècle period shared a vision. Şəki and Gəncə hosted them.",
            ],
        ),
        (
            "The Conflict",
            [
                "Foreign Minister Mevlüt Çavuşoğlu said: “We stand with Azerbaijan in the field "
                "and on the table.” He added that the two are "
                "“counted as one state when necessary.”",
                "Heydar Aliyev first said “one nation, two states”; Ilham Aliyev spoke of an "
                "alliance. Hulusi Akar promised support until the end.",
            ],
        ),
    ],
    quotes=[
        ("spoken", "Atatürk", "Azerbaijan’s joy is our joy; its sorrow is our sorrow.", 1, 1),
        (
            "spoken",
            "Mevlüt Çavuşoğlu",
            "We stand with Azerbaijan in the field and on the table.",
            4,
            1,
        ),
        ("spoken", "Mevlüt Çavuşoğlu", "counted as one state when necessary.", 4, 1),
        ("spoken", "Heydar Aliyev", "one nation, two states", 4, 2),
        ("spoken", "Ilham Aliyev", "an alliance", 4, 2),
        (
            "pull",
            None,
            "The Zurich Protocols were signed in October 2009 between the foreign ministers.",
            2,
            1,
        ),
    ],
)


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(library(DOC))


def top_passage(index: SearchIndex, query: str) -> tuple[int, int]:
    hits = index.passages(query)
    assert hits, query
    return hits[0].section, hits[0].paragraph


# ----------------------------------------------------------------- query rules


def test_validate_query_cleans_and_refuses() -> None:
    assert validate_query("  zurich \u200b protocols\n") == "zurich protocols"
    with pytest.raises(InvalidInput):
        validate_query("   ")
    with pytest.raises(InvalidInput):
        validate_query("\u200b")
    assert validate_query("x" * 300) == "x" * 300
    with pytest.raises(InvalidInput, match="300"):
        validate_query("x" * 301)


@pytest.mark.parametrize("limit", [0, -1, 51])
def test_limit_out_of_range_is_refused(index: SearchIndex, limit: int) -> None:
    with pytest.raises(InvalidInput):
        index.passages("zurich", limit=limit)


def test_limit_is_respected(index: SearchIndex) -> None:
    assert len(index.passages("azerbaijan", limit=2)) == 2


# ----------------------------------------------------------------- matching


@pytest.mark.parametrize(
    "query",
    [
        "Ataturk joy",  # no diacritics
        "ATATÜRK JOY",  # case
        "atatürk joy",
        "azerbaijans joy sorow",  # typo
        "sorrow joy ataturk",  # word order
    ],
)
def test_diacritics_case_typos_and_order(index: SearchIndex, query: str) -> None:
    hits = index.quotes(query)
    assert hits[0].speaker == "Atatürk"


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ("cavusoglu table", (4, 1)),
        ("Çavuşoğlu table", (4, 1)),
        ("CAVUSOGLU TABLE", (4, 1)),
        ("seki gence", (3, 3)),  # Azerbaijani ə and ş
        ("ŞƏKİ", (3, 3)),
        ("gul yerevan", (2, 2)),
        ("fin de siecle", (3, 3)),
        ("fin-de-siècle", (3, 3)),
        ("findesiecle", (3, 3)),
    ],
)
def test_folding_works_both_ways(index: SearchIndex, query: str, where: tuple[int, int]) -> None:
    assert top_passage(index, query) == where


@pytest.mark.parametrize(
    "query",
    [
        "zurich protocls",  # one letter missing
        "zuirch protocols",  # transposition
        "zurich protokolls",  # two edits in a long word
        "protocols zurich",  # order
        "zur protoc",  # partial words
        "the zurich protocols signed secretly by nobody",  # extra words
    ],
)
def test_typos_partial_words_order_and_extra_words(index: SearchIndex, query: str) -> None:
    assert top_passage(index, query) == (2, 1)


@pytest.mark.parametrize("query", ["3650", "3,650", "3.650 azerbaijanis", "scholarships 3650"])
def test_numbers_match_with_or_without_separators(index: SearchIndex, query: str) -> None:
    assert top_passage(index, query) == (3, 1)


@pytest.mark.parametrize("query", ["high level council", "highlevel", "High-level", "high-lvel"])
def test_hyphens_are_ignored(index: SearchIndex, query: str) -> None:
    assert top_passage(index, query) == (3, 2)


def test_rare_words_outweigh_repeated_common_ones(index: SearchIndex) -> None:
    hits = index.passages("turkey azerbaijan zurich protocols october 2009")
    assert (hits[0].section, hits[0].paragraph) == (2, 1)
    filler = [h for h in hits if (h.section, h.paragraph) == (1, 2)]
    assert not filler or filler[0].score < hits[0].score


def test_scores_are_between_0_and_100_and_ordered(index: SearchIndex) -> None:
    for query in ("zurich", "turkey azerbaijan", "joy", "cavusoglu"):
        hits = index.quotes(query)
        scores = [h.score for h in hits]
        assert scores == sorted(scores, reverse=True)
        assert all(SCORE_FLOOR <= s <= 100 for s in scores)


def test_exact_match_scores_higher_than_a_typo(index: SearchIndex) -> None:
    exact = index.passages("zurich protocols")[0].score
    typo = index.passages("zurich protocls")[0].score
    assert exact > typo


# ----------------------------------------------------------------- floor and did-you-mean


@pytest.mark.parametrize("query", ["qwertyuiop", "pizza recipe", "?!", "xyzzy plugh"])
def test_nothing_above_the_floor_gives_an_empty_result(index: SearchIndex, query: str) -> None:
    assert index.passages(query) == []
    assert index.quotes(query) == []
    assert index.sections(query) == []


def test_suggestions_respell_a_hopeless_query(index: SearchIndex) -> None:
    query = "skolarshipz"  # three edits: beyond the typo tolerance
    assert index.passages(query) == []
    suggestions = index.suggestions(query)
    assert suggestions == ["scholarships"]
    assert index.passages(suggestions[0])[0].paragraph == 1


def test_suggestions_offer_a_speaker_and_never_nonsense(index: SearchIndex) -> None:
    assert "Mevlüt Çavuşoğlu" in index.suggestions("mevlut cavsuglou")
    assert index.suggestions("qwertyuiop") == []
    assert index.suggestions("pizza recipe") == []
    assert index.suggestions("") == []


# ----------------------------------------------------------------- quotes


def test_quote_ranks_above_the_sentence_holding_it(index: SearchIndex) -> None:
    hits = index.quotes("we stand with azerbaijan in the field")
    assert hits[0].kind == "spoken"
    assert hits[0].speaker == "Mevlüt Çavuşoğlu"
    assert any(h.kind == "passage" for h in hits)


def test_pull_quote_replaces_the_identical_sentence(index: SearchIndex) -> None:
    hits = index.quotes("zurich protocols signed in october 2009")
    assert hits[0].kind == "pull"
    assert all(h.text != hits[0].text or h is hits[0] for h in hits)


def test_sentences_are_quotable(index: SearchIndex) -> None:
    hit = index.quotes("football diplomacy qualifier")[0]
    assert hit.kind == "passage"
    assert hit.text.startswith("Football diplomacy")
    assert (hit.section, hit.paragraph, hit.section_title) == (2, 2, "A Period of Turbulence")


@pytest.mark.parametrize(
    "name", ["cavusoglu", "Çavuşoğlu", "Mevlut Cavusoglu", "mevlüt", "CAVUSOGLU", "cavusoglo"]
)
def test_speaker_is_matched_fuzzily(index: SearchIndex, name: str) -> None:
    hits = index.quotes("state", speaker=name)
    assert hits
    assert {h.speaker for h in hits} == {"Mevlüt Çavuşoğlu"}


def test_speaker_filter_excludes_everyone_else(index: SearchIndex) -> None:
    assert index.quotes("joy sorrow", speaker="cavusoglu") == []
    assert [h.speaker for h in index.quotes("joy sorrow", speaker="ataturk")] == ["Atatürk"]


def test_speaker_alone_lists_their_quotes(index: SearchIndex) -> None:
    hits = index.quotes("", speaker="cavusoglu")
    assert [h.text for h in hits] == [
        "We stand with Azerbaijan in the field and on the table.",
        "counted as one state when necessary.",
    ]


def test_unknown_or_ambiguous_speaker(index: SearchIndex) -> None:
    with pytest.raises(NotFound, match="No speaker"):
        index.quotes("joy", speaker="Napoleon")
    with pytest.raises(NotFound, match="Heydar Aliyev or Ilham Aliyev"):
        index.quotes("nation", speaker="aliyev")
    assert {h.speaker for h in index.quotes("", speaker="heydar")} == {"Heydar Aliyev"}


def test_speakers_in_order_of_appearance(index: SearchIndex) -> None:
    assert index.speakers() == ["Atatürk", "Mevlüt Çavuşoğlu", "Heydar Aliyev", "Ilham Aliyev"]


# ----------------------------------------------------------------- sections


@pytest.mark.parametrize(
    ("query", "number"),
    [
        ("2", 2),
        ("§ 3", 3),
        ("section 4", 4),
        ("turbulance", 2),
        ("period of turbulence", 2),
        ("zurich protocols", 2),
        ("educational", 3),
        ("cooperation cultural", 3),
        ("introduction", 1),
        ("intro", 1),
        ("great student project", 3),
    ],
)
def test_sections_by_number_title_and_content(index: SearchIndex, query: str, number: int) -> None:
    assert index.sections(query)[0].number == number


def test_section_title_beats_content(index: SearchIndex) -> None:
    hits = index.sections("conflict")
    assert hits[0].title == "The Conflict"


def test_section_number_out_of_range_is_a_text_query(index: SearchIndex) -> None:
    assert index.sections("9") == []
    assert index.sections("2009")[0].number == 2


# ----------------------------------------------------------------- passages filters


def test_passages_within_a_section_or_document(index: SearchIndex) -> None:
    hits = index.passages("azerbaijan", section=3)
    assert hits
    assert {h.section for h in hits} == {3}
    assert index.passages("zurich", document="doc")
    with pytest.raises(NotFound):
        index.passages("zurich", document="nope")
    with pytest.raises(NotFound):
        index.passages("zurich", section=99)


# ----------------------------------------------------------------- JSON shapes


def test_to_json_shapes(index: SearchIndex) -> None:
    quote = index.quotes("ataturk")[0].to_json()
    assert set(quote) == {
        "kind",
        "speaker",
        "text",
        "section",
        "section_title",
        "paragraph",
        "score",
    }
    section = index.sections("2")[0].to_json()
    assert section == {"number": 2, "title": "A Period of Turbulence", "score": 100.0}
    passage = index.passages("zurich")[0].to_json()
    assert set(passage) == {
        "kind",
        "section",
        "section_title",
        "paragraph",
        "text",
        "score",
        "confident",
    }
    assert passage["kind"] == "passage"


# ----------------------------------------------------------------- autocomplete


def test_autocomplete_limits(index: SearchIndex) -> None:
    for complete in (index.complete_quotes, index.complete_sections, index.complete_speakers):
        for typed in ("", "a", "zur", "cavus", "joy sorr", "x" * 500):
            choices = complete(typed)
            assert len(choices) <= MAX_CHOICES
            for choice in choices:
                assert 0 < len(choice.name) <= MAX_CHOICE_CHARS
                assert 0 < len(choice.value) <= MAX_CHOICE_CHARS


def test_autocomplete_sections(index: SearchIndex) -> None:
    assert [c.value for c in index.complete_sections("")] == [
        "Introduction",
        "A Period of Turbulence",
        "Educational and Cultural Cooperation",
        "The Conflict",
    ]
    first = index.complete_sections("turb")[0]
    assert first.value == "A Period of Turbulence"
    assert first.name.startswith("§ 2")
    assert index.sections(first.value)[0].number == 2
    assert index.complete_sections("3")[0].value == "Educational and Cultural Cooperation"


def test_autocomplete_speakers(index: SearchIndex) -> None:
    assert [c.value for c in index.complete_speakers("cavu")] == ["Mevlüt Çavuşoğlu"]
    assert {c.value for c in index.complete_speakers("aliyev")} == {"Heydar Aliyev", "Ilham Aliyev"}
    assert len(index.complete_speakers("")) == 4


def test_autocomplete_quotes_previews_lead_back_to_the_quote(index: SearchIndex) -> None:
    choices = index.complete_quotes("stand with azer")
    assert choices[0].name.startswith("Mevlüt Çavuşoğlu: ")
    assert index.quotes(choices[0].value)[0].text == (
        "We stand with Azerbaijan in the field and on the table."
    )


def test_autocomplete_quotes_trim_long_text_around_the_match() -> None:
    long_sentence = (
        "At the start of a very long sentence that goes on and on about many unrelated matters "
        "of weather, harvest and trade, there finally comes the unforgettable phrase about "
        "pomegranates blooming in winter, and after it yet more words trail away slowly."
    )
    ix = SearchIndex.build(library(document([("Only", [long_sentence])])))
    (choice,) = ix.complete_quotes("pomegranates")
    assert "pomegranates" in choice.name
    assert choice.name.startswith("…")
    assert len(choice.name) <= MAX_CHOICE_CHARS
    assert ix.quotes(choice.value)[0].text == long_sentence


# ----------------------------------------------------------------- several documents


def test_several_documents() -> None:
    other = document(
        [("Harbours", ["The harbour of Baku handles ferries."]), ("Rails", ["Rails run east."])],
        quotes=[("spoken", "Heydar Aliyev", "build the railway", 2, 1)],
        doc_id="other",
        title="Another Essay",
    )
    ix = SearchIndex.build(library(DOC, other))
    assert ix.passages("harbour ferries")[0].document == "other"
    assert ix.passages("harbour ferries", document="doc") == []
    numbered = ix.sections("2")
    assert {(h.document, h.title) for h in numbered} == {
        ("doc", "A Period of Turbulence"),
        ("other", "Rails"),
    }
    assert [h.text for h in ix.quotes("railway", speaker="heydar aliyev")] == ["build the railway"]
    assert any("Another Essay" in c.name for c in ix.complete_sections(""))


def test_empty_library_finds_nothing() -> None:
    ix = SearchIndex.build(library())
    assert ix.quotes("anything") == []
    assert ix.sections("1") == []
    assert ix.passages("anything") == []
    assert ix.suggestions("anything") == []
    assert ix.complete_quotes("") == []
    assert ix.complete_sections("") == []
    assert ix.speakers() == []


def test_autocomplete_shows_something_for_a_first_letter(index: SearchIndex) -> None:
    # "A" alone is no search (too common), but a member typing it should see options.
    assert index.quotes("A") == []
    assert index.complete_quotes("A")
    # Titles with a word starting with "a": "A Period…" and "…and Cultural…".
    assert [c.value for c in index.complete_sections("A")] == [
        "A Period of Turbulence",
        "Educational and Cultural Cooperation",
    ]
    assert index.complete_quotes("qwertyuiop") == []
