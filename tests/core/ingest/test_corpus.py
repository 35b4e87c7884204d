"""Issue 9's targets on the real-PDF corpus (tests/corpus): the ingest of each input kind.

Where the ingest meets a target, the test asserts the target itself. Where it does not
yet, the test holds the line where the ingest stands (a floor it must not fall below),
named as such beside the target it falls short of; ``make bench`` prints every figure.
Text inputs are judged on the extractions that kept the reading order: no ingest can
undo an extractor's interleaving of two columns.
"""

from __future__ import annotations

import pytest

from bot.core.ingest import ingest_file, ingest_text
from bot.core.model import Document
from tests.corpus import Case, InputKind, cases
from tests.corpus.score import HYPHEN_ERRORS, SPEAKER_PRECISION, SPEAKER_RECALL, Score, measure


def _ingest(case: Case) -> Document:
    if case.kind == "pdf":
        return ingest_file(case.path)
    return ingest_text(case.text(), doc_id=case.essay_id, name=case.name, meta=case.meta())


def _measured(kind: InputKind) -> Score:
    total, failures = measure(cases(kind, fair_only=True), _ingest)
    assert not failures, failures
    return total


@pytest.fixture(scope="module")
def pdf() -> Score:
    return _measured("pdf")


@pytest.fixture(scope="module")
def pdfminer() -> Score:
    return _measured("pdfminer")


@pytest.fixture(scope="module")
def pdftotext() -> Score:
    return _measured("pdftotext")


def test_the_corpus_is_there() -> None:
    assert len({c.essay_id for c in cases("pdf")}) >= 6
    assert {c.producer for c in cases("pdf")} >= {"latex", "reportlab"}


# --- from the PDF --------------------------------------------------------------------


def test_pdf_sections_pull_quotes_end_marks_meet_their_targets(pdf: Score) -> None:
    assert pdf.failed == 0
    assert pdf.sections_right == pdf.sections
    assert pdf.pulls_left == 0
    assert pdf.end_marks_left == 0


def test_pdf_paragraphs(pdf: Score) -> None:
    # Target 99 % (met); the miss is a line-end break of a compound the word list
    # cannot tell from a word ("notice-boards" reads like "slaveholder").
    assert pdf.paragraphs_exact >= 0.99 * pdf.paragraphs, pdf


def test_pdf_pull_quotes_cut_and_linked(pdf: Score) -> None:
    # Target: all (met).
    assert pdf.pulls_cut == pdf.pulls, pdf
    assert pdf.pulls_linked == pdf.pulls, pdf


def test_pdf_hyphenation(pdf: Score) -> None:
    # Target 0 (floor: 1 of about 1,100 breaks): "notice-"/"boards" is undecided by
    # the essay (it writes the word once) and the word list rates "noticeboards" as it
    # rates "slaveholder", which must join.
    assert pdf.hyphen_errors <= HYPHEN_ERRORS["pdf"] + 1, pdf


def test_pdf_speakers(pdf: Score) -> None:
    assert pdf.speaker_precision >= SPEAKER_PRECISION, pdf
    # Target 80 % (met; floor 87 %): a speaker is given only where the text says who
    # it is. Left empty: "said Henry" where the essay names two Henrys (4 per PDF).
    assert pdf.speaker_recall >= 0.87, pdf


# --- from pdfminer's text ------------------------------------------------------------


def test_text_end_marks_and_hyphenation_meet_their_targets(pdfminer: Score) -> None:
    assert pdfminer.failed == 0
    assert pdfminer.end_marks_left == 0
    assert pdfminer.hyphen_errors <= HYPHEN_ERRORS["text"], pdfminer


def test_text_structure(pdfminer: Score) -> None:
    # Target: 97 % of paragraphs (floor). Paragraphs the text cannot tell apart: a
    # last line that ran to the measure with no gap after it, or a column break (no
    # page furniture) right after a full stop.
    assert pdfminer.paragraphs_exact >= 0.92 * pdfminer.paragraphs, pdfminer


@pytest.mark.parametrize("kind", ["pdfminer", "pdftotext"])
def test_text_sections_and_pull_quotes(kind: InputKind, request: pytest.FixtureRequest) -> None:
    total: Score = request.getfixturevalue(kind)
    # Targets: every section, every pull quote cut, none left in the body (met).
    assert total.sections_right == total.sections, total
    assert total.pulls_cut == total.pulls, total
    assert total.pulls_left == 0, total


def test_text_pull_quotes_linked(pdfminer: Score, pdftotext: Score) -> None:
    # Target: all (met; from pdftotext's text since its paragraphs are told apart by
    # how far their last lines ran, so a quote's paragraph starts where it should).
    assert pdfminer.pulls_linked == pdfminer.pulls, pdfminer
    assert pdftotext.pulls_linked == pdftotext.pulls, pdftotext


def test_text_speakers_are_precise(pdfminer: Score) -> None:
    assert pdfminer.speaker_precision >= SPEAKER_PRECISION, pdfminer
    # Target 80 % (met on the fair extractions; floor).
    assert pdfminer.speaker_recall >= 0.94, pdfminer


# --- from pdftotext's text -----------------------------------------------------------


def test_pdftotext_paragraphs(pdftotext: Score) -> None:
    # Target 97 % (floor). pdftotext leaves no gap at a paragraph's end, so one whose
    # last line ran to the measure cannot be told from the text.
    assert pdftotext.failed == 0
    assert pdftotext.paragraphs_exact >= 0.78 * pdftotext.paragraphs, pdftotext


def test_pdftotext_hyphenation(pdftotext: Score) -> None:
    # Target met: pdftotext's undoing of a compound's line-end hyphen ("self-" /
    # "command" as "selfcommand") is put back where the printed line ended.
    assert pdftotext.hyphen_errors <= HYPHEN_ERRORS["text"], pdftotext


def test_pdftotext_speakers(pdftotext: Score) -> None:
    # Targets met on the fair extractions.
    assert pdftotext.speaker_precision >= SPEAKER_PRECISION, pdftotext
    assert pdftotext.speaker_recall >= SPEAKER_RECALL, pdftotext
