"""The scorer: a flawless document scores full marks, and each kind of damage costs what
the issue's measure says it should, no more and no less."""

from __future__ import annotations

import dataclasses

import pytest

from bot.core.model import Document, Paragraph, Quote, Section
from tests.corpus import Case, LineBreak, cases
from tests.corpus.score import Score, measure, perfect_document, same_speaker, score, unmet


@pytest.fixture(scope="module")
def case() -> Case:
    return cases("pdfminer")[0]


def _replace_paragraph(doc: Document, s: int, p: int, text: str) -> Document:
    section = doc.sections[s - 1]
    paragraphs = list(section.paragraphs)
    paragraphs[p - 1] = Paragraph(p, text, (text,))
    sections = list(doc.sections)
    sections[s - 1] = dataclasses.replace(section, paragraphs=tuple(paragraphs))
    return dataclasses.replace(doc, sections=tuple(sections))


def _full(case: Case) -> Score:
    return score(perfect_document(case.truth), case.truth, case.breaks)


def test_perfect_document_scores_full_marks(case: Case) -> None:
    result = _full(case)
    assert result.paragraphs_exact == result.paragraphs == len(case.truth.paragraphs())
    assert result.sections_right == result.sections
    assert result.pulls_cut == result.pulls_linked == result.pulls > 0
    assert result.pulls_left == 0
    assert result.hyphen_errors == 0
    assert result.speakers_right == result.speakers_given == result.speakers_truth > 0
    assert result.end_marks_left == 0


def test_glued_paragraph_is_not_exact_but_whitespace_is_forgiven(case: Case) -> None:
    doc = perfect_document(case.truth)
    first, second = doc.sections[0].paragraphs[:2]
    merged = _replace_paragraph(doc, 1, 1, first.text + " " + second.text)
    assert score(merged, case.truth, case.breaks).paragraphs_exact == _full(case).paragraphs - 1
    spaced = _replace_paragraph(doc, 1, 1, first.text.replace(" ", "  \n"))
    assert score(spaced, case.truth, case.breaks).paragraphs_exact == _full(case).paragraphs


def test_pull_quote_left_in_body_is_counted(case: Case) -> None:
    doc = perfect_document(case.truth)
    pull = case.truth.pull_quotes[-1]
    text = doc.paragraph(pull.section, pull.paragraph).text
    middle = text.index(" ", len(text) // 2)
    damaged = _replace_paragraph(
        doc, pull.section, pull.paragraph, text[:middle] + " " + pull.text + text[middle:]
    )
    damaged = dataclasses.replace(
        damaged, quotes=tuple(q for q in damaged.quotes if q.text != pull.text)
    )
    result = score(damaged, case.truth, case.breaks)
    assert result.pulls_left == 1
    assert result.pulls_cut == result.pulls - 1


def test_pull_quote_linked_to_wrong_paragraph(case: Case) -> None:
    doc = perfect_document(case.truth)
    pull = next(q for q in case.truth.pull_quotes if len(doc.section(q.section).paragraphs) > 1)
    elsewhere = 2 if pull.paragraph == 1 else 1
    moved = tuple(
        dataclasses.replace(q, paragraph=elsewhere)
        if q.kind == "pull" and q.text == pull.text
        else q
        for q in doc.quotes
    )
    result = score(dataclasses.replace(doc, quotes=moved), case.truth, case.breaks)
    assert result.pulls_cut == result.pulls
    assert result.pulls_linked == result.pulls - 1


def test_hyphenation_errors_at_recorded_breaks() -> None:
    text = "a so-called peace, including all"
    doc = Document("x", "T", None, "A", (Section(1, "S", (Paragraph(1, text, (text,)),)),), ())
    truth_breaks = (
        LineBreak("so-called", "so-", "called", 1, 1),
        LineBreak("including,", "includ-", "ing,", 1, 1),
    )
    assert _hyphen(doc, truth_breaks) == 0
    bad = "a socalled peace, includ- ing, all"
    doc = Document("x", "T", None, "A", (Section(1, "S", (Paragraph(1, bad, (bad,)),)),), ())
    assert _hyphen(doc, truth_breaks) == 2


def _hyphen(doc: Document, breaks: tuple[LineBreak, ...]) -> int:
    from tests.corpus.score import _hyphen_errors

    return _hyphen_errors(doc, breaks)


def test_wrong_and_invented_speakers_cost_precision(case: Case) -> None:
    doc = perfect_document(case.truth)
    spoken = [q for q in doc.quotes if q.kind == "spoken"]
    unnamed = next(q for q in case.truth.quotations if q.speaker is None)
    quotes = [
        dataclasses.replace(spoken[0], speaker="Nobody Inparticular"),
        *spoken[1:],
        Quote("x:s99", "spoken", "Someone Else", unnamed.text, unnamed.section, unnamed.paragraph),
        *(q for q in doc.quotes if q.kind == "pull"),
    ]
    result = score(dataclasses.replace(doc, quotes=tuple(quotes)), case.truth, case.breaks)
    assert result.speakers_right == len(spoken) - 1
    assert result.speakers_given == len(spoken) + 1
    assert result.speaker_recall == pytest.approx((len(spoken) - 1) / len(spoken))


def test_surname_names_the_speaker() -> None:
    assert same_speaker("General Howard", "Oliver O. Howard")
    assert not same_speaker("Sherman", "Oliver O. Howard")


def test_a_first_name_names_the_speaker_only_where_the_essay_uses_no_other() -> None:
    # The essay calls him "Sandy" and nothing else: that is the name an ingest can give.
    text = "Sandy, one of our number, gave up. I turned to Sandy and said so."
    assert same_speaker("Sandy", "Sandy Jenkins", text)
    # Two Henrys: "Henry" alone is neither of them.
    two = "Our company: Henry Harris, John Harris, Henry Bailey. Henry Bailey was my uncle."
    assert not same_speaker("Henry", "Henry Harris", two)
    assert not same_speaker("Sandy", "Tom Jenkins", text)


def test_end_mark_left_in_last_paragraph(case: Case) -> None:
    doc = perfect_document(case.truth)
    last_s = len(doc.sections)
    last_p = len(doc.sections[-1].paragraphs)
    text = doc.paragraph(last_s, last_p).text + " " + case.truth.end_mark
    result = score(_replace_paragraph(doc, last_s, last_p, text), case.truth, case.breaks)
    assert result.end_marks_left == 1
    assert result.paragraphs_exact == result.paragraphs - 1


def test_measure_scores_a_failing_ingest_as_nothing_found() -> None:
    def broken(_case: Case) -> Document:
        raise ValueError("cannot read")

    some = cases("pdftotext")[:2]
    total, failures = measure(some, broken)
    assert total.failed == total.cases == len(some)
    assert total.paragraphs_exact == 0
    assert total.pulls_left == total.pulls
    assert all("cannot read" in reason for reason in failures.values())


def test_targets_met_by_a_flawless_ingest_and_missed_by_damage(case: Case) -> None:
    full = _full(case)
    assert unmet(full, pdf=True) == []
    assert unmet(full, pdf=False) == []
    one_error = dataclasses.replace(full, hyphen_errors=1)
    assert unmet(one_error, pdf=False) == []
    assert unmet(one_error, pdf=True) == ["hyphenation errors 1"]
    lost = dataclasses.replace(full, paragraphs_exact=full.paragraphs - 1, speakers_given=99)
    assert len(unmet(lost, pdf=True)) == 2
