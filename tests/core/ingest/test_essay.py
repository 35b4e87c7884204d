"""The real essay: what the printed magazine shows, checked against the index."""

from __future__ import annotations

import re

from bot.core.model import Document

SECTIONS = [
    "Introduction",
    "Sources of Commonality",
    "Societal Dialogue",
    "Educational and Cultural Cooperation",
    "A Period of Turbulence",
    "The Karabakh Conflict",
    "Further Consolidation",
]


def key(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def body(essay: Document) -> list[str]:
    return [p.text for s in essay.sections for p in s.paragraphs]


def test_front_matter(essay: Document) -> None:
    assert essay.title == "Special, Exceptional, and Privileged"
    assert essay.subtitle == "Azerbaijani-Turkish Relations"
    assert essay.author == "Ayça Ergun"


def test_sections_and_paragraph_counts(essay: Document) -> None:
    assert [s.title for s in essay.sections] == SECTIONS
    assert [s.number for s in essay.sections] == list(range(1, 8))
    assert [len(s.paragraphs) for s in essay.sections] == [10, 10, 5, 3, 7, 7, 5]


def test_paragraph_boundaries(essay: Document) -> None:
    intro = essay.section(1)
    assert intro.paragraphs[0].text.startswith("The bilateral relationship between Azerbaijan")
    assert intro.paragraphs[0].text.endswith("as having “reached the level of alliance.”")
    assert intro.paragraphs[2].text == (
        "The Azerbaijan-Turkey bilateral relationship is important, perhaps crucial, for "
        "securing stability and security in the South Caucasus. It is based on mutual trust "
        "and relies on mutual interdependence. The mutuality in both support and solidarity "
        "that the two countries extend to one another is unconditional."
    )
    assert (
        essay.section(7)
        .paragraphs[0]
        .text.startswith(
            "The bilateral relationship between Azerbaijan and Turkey remains exceptional"
        )
    )
    assert essay.section(5).paragraphs[3].text.startswith("It did not help Ankara’s case")


def test_six_pull_quotes_cut_out_and_linked(essay: Document) -> None:
    pulls = [q for q in essay.quotes if q.kind == "pull"]
    assert len(pulls) == 6
    text = key(" ".join(body(essay)))
    for quote in pulls:
        assert quote.speaker is None
        home = essay.paragraph(quote.section, quote.paragraph)
        assert key(quote.text) in key(home.text)
        # Only the body copy is left in the running text.
        assert text.count(key(quote.text)) == 1, quote.text
    first = next(q for q in pulls if q.text.startswith("A strong pattern"))
    assert (first.section, first.paragraph) == (1, 1)


def test_the_interrupted_sentence_reads_whole(essay: Document) -> None:
    sentences = [s for sec in essay.sections for p in sec.paragraphs for s in p.sentences]
    assert (
        "This was soon followed by Turkey’s support to Azerbaijan in both regional and "
        "international fora and organizations."
    ) in sentences
    assert any(s.startswith("Their strong sensitivity") for s in sentences)
    assert (
        "In opinion polls, the Turkish public considers Azerbaijan its closest and most "
        "reliable ally, year in and year out."
    ) in sentences


def test_spoken_quotes_and_their_speakers(essay: Document) -> None:
    spoken = {(q.speaker, q.text) for q in essay.quotes if q.kind == "spoken"}
    expected = {
        ("Atatürk", "Azerbaijan’s joy is our joy; its sorrow is our sorrow."),
        ("Mevlüt Çavuşoglu", "We stand with Azerbaijan in the field and on the table."),
        ("Mevlüt Çavuşoglu", "counted as one state when necessary."),
        ("Hulusi Akar", None),
        ("Recep Tayyip Erdogan", "as always and with all its resources."),
        ("Ilham Aliyev", "reached the level of alliance."),
    }
    for speaker, text in expected:
        assert any(s == speaker and (text is None or t == text) for s, t in spoken), speaker
    cause = next(t for s, t in spoken if t.startswith("there is a relation of cause"))
    assert ("Recep Tayyip Erdogan", cause) in spoken
    assert cause.endswith("the gates will not be opened.")  # spans three sentences


def test_document_phrases_and_scare_quotes_are_not_spoken(essay: Document) -> None:
    texts = {q.text for q in essay.quotes}
    for phrase in ("using all possibilities", "shared memory", "shared enemy", "aggression"):
        assert phrase not in texts


def test_no_hyphen_debris(essay: Document) -> None:
    text = "\n".join(body(essay))
    leftovers = re.findall(r"\w+- \w+", text)
    assert all(re.fullmatch(r"\w+- (and|or|to|nor)", m) for m in leftovers), leftovers
    for word in (
        "exceptional",
        "Azerbaijan",
        "otherwise",
        "Baku-Tbilisi-Ceyhan",
        "goal-oriented",
        "2008-2009",
        "well-equipped",
        "nation- and state-building",
        "Turkey—especially",
    ):
        assert word in text, word
    assert "excep-" not in text
    assert "Azer-" not in text


def test_end_mark_and_furniture_are_gone(essay: Document) -> None:
    last = essay.sections[-1].paragraphs[-1].text
    assert last.endswith("so that its true potential may be revealed.")
    text = "\n".join(body(essay))
    assert "  " not in text
    assert essay.title not in text
