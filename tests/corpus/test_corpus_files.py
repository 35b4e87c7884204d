"""The committed corpus is complete and consistent: truth from the markup, PDFs and
extractions present and matching the truth, break records true to the text layer,
fairness verdicts reproducible, and the whole small enough to keep in the repository."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter

import pytest

from tests.corpus import ESSAYS, MANIFEST, ROOT, Case, cases, manifest, truth
from tests.corpus.build.extract import extract_pdfminer
from tests.corpus.markup import load_markup, truth_text
from tests.corpus.order import extracted_words, fairness, key, source_words

ESSAY_IDS = sorted(p.name for p in ESSAYS.iterdir() if (p / "essay.md").exists())
ENTRIES = manifest()["pdfs"]
ENTRY_IDS = [f"{e['essay']}/{e['producer']}" for e in ENTRIES]
PRODUCERS = {"reportlab", "latex"}
MAX_BYTES = 5 * 1024 * 1024


@pytest.mark.parametrize("essay_id", ESSAY_IDS)
def test_truth_is_what_the_markup_gives(essay_id: str) -> None:
    folder = ESSAYS / essay_id
    assert (folder / "truth.json").read_text(encoding="utf-8") == truth_text(load_markup(folder))


@pytest.mark.parametrize("essay_id", ESSAY_IDS)
def test_essay_is_magazine_shaped(essay_id: str) -> None:
    essay = truth(essay_id)
    words = sum(len(p.split()) for p in essay.paragraphs())
    assert 2500 <= words <= 5000
    assert 5 <= len(essay.sections) <= 10
    assert sum(1 for q in essay.quotations if q.speaker) >= 3
    assert any(q.speaker is None for q in essay.quotations)
    assert len(essay.pull_quotes) >= 2
    assert essay.source
    assert essay.licence


def test_headings_vary_as_the_issue_asks() -> None:
    titles = [s.title for e in ESSAY_IDS for s in truth(e).sections if s.title]
    assert any(re.match(r"\d+[:.]? ", t) for t in titles), "a heading led by a number or year"
    assert any(t.startswith("“") for t in titles), "a heading in quotation marks"
    small = re.compile(r" (?!(?:a|an|the|of|in|on|and|or|to|for|by|at)\b)[a-z]")
    assert any(small.search(t) for t in titles), "a heading not in title case"
    assert any(len(t) > 45 for t in titles), "a heading long enough to wrap"


def test_every_essay_has_every_producer() -> None:
    made = Counter(e["essay"] for e in ENTRIES)
    assert set(made) == set(ESSAY_IDS)
    for essay_id in ESSAY_IDS:
        producers = {e["producer"] for e in ENTRIES if e["essay"] == essay_id}
        assert producers == PRODUCERS, essay_id


@pytest.mark.parametrize("entry", ENTRIES, ids=ENTRY_IDS)
def test_files_present(entry: dict[str, object]) -> None:
    folder = ESSAYS / str(entry["essay"])
    pdf = folder / f"{entry['producer']}.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-")
    for kind in ("pdfminer", "pdftotext"):
        text = (folder / f"{entry['producer']}.{kind}.txt").read_text(encoding="utf-8")
        assert len(text) > 5000


#: Where an extractor interleaves lines it can glue words of two lines together.
WHOLE_WORD_CASES = cases("pdfminer", fair_only=True) + cases("pdftotext", fair_only=True)
TEXT_CASES = cases("pdfminer") + cases("pdftotext")


@pytest.mark.parametrize("case", WHOLE_WORD_CASES, ids=lambda c: c.name)
def test_extraction_holds_every_word_of_the_truth(case: Case) -> None:
    """The text layer says what the truth says: no word of the truth is missing from it
    (only the drop-capped first word, and a word broken at a line end with a page number
    or a pull quote between its halves, may come apart)."""
    wanted = Counter(source_words(case.truth))
    got = Counter(extracted_words(case.text()))
    missing = wanted - got
    first = key(case.truth.paragraphs()[0].split()[0])
    broken = {key(b.word) for b in case.breaks}
    assert set(missing) <= {first, key(case.truth.end_mark), *broken}, sorted(missing)[:20]


@pytest.mark.parametrize("case", TEXT_CASES, ids=lambda c: c.name)
def test_extraction_holds_every_letter_of_the_truth(case: Case) -> None:
    """Fair or not, an extraction loses no text: the truth's letters are all in it."""
    wanted = Counter("".join(source_words(case.truth)))
    got = Counter("".join(extracted_words(case.text())))
    assert not wanted - got


@pytest.mark.parametrize("case", TEXT_CASES, ids=lambda c: c.name)
def test_every_pull_quote_is_printed(case: Case) -> None:
    """Each pull quote is printed besides the body it repeats (the LaTeX build once lost
    the one in the drop cap's paragraph): the letters of body and pull quotes are all in
    the text layer."""
    pulls = [key(word) for pull in case.truth.pull_quotes for word in pull.text.split()]
    wanted = Counter("".join(source_words(case.truth) + pulls))
    got = Counter("".join(extracted_words(case.text())))
    assert not wanted - got


def _lines(text: str) -> list[str]:
    return [
        unicodedata.normalize("NFKC", line).strip() for line in text.splitlines() if line.strip()
    ]


@pytest.mark.parametrize("entry", ENTRIES, ids=ENTRY_IDS)
def test_recorded_breaks_are_in_the_text_layer(entry: dict[str, object]) -> None:
    """Each recorded break is a line ending in its first half and a line starting with the
    rest, in the pdfminer extraction: most often the next line, but a page number or a
    pull quote may come between (reportlab's records are the typesetter's own)."""
    folder = ESSAYS / str(entry["essay"])
    lines = _lines((folder / f"{entry['producer']}.pdfminer.txt").read_text(encoding="utf-8"))
    pairs = Counter((a.split()[-1], b.split()[0]) for a, b in itertools.pairwise(lines))
    ends = Counter(line.split()[-1] for line in lines)
    starts = Counter(line.split()[0] for line in lines)
    breaks = entry["breaks"]
    assert isinstance(breaks, list)
    assert len(breaks) >= 20
    adjacent = 0
    for b in breaks:
        left = unicodedata.normalize("NFKC", b["left"])
        right = unicodedata.normalize("NFKC", b["right"])
        assert ends[left] > 0, b
        assert starts[right] > 0, b
        adjacent += pairs[(left, right)] > 0
        assert b["word"] in truth(str(entry["essay"])).paragraph(b["section"], b["paragraph"])
    assert adjacent >= 0.9 * len(breaks)


@pytest.mark.parametrize("entry", ENTRIES, ids=ENTRY_IDS)
def test_fairness_verdicts_reproduce(entry: dict[str, object]) -> None:
    folder = ESSAYS / str(entry["essay"])
    essay = truth(str(entry["essay"]))
    verdicts = entry["extractions"]
    assert isinstance(verdicts, dict)
    for kind in ("pdfminer", "pdftotext"):
        text = (folder / f"{entry['producer']}.{kind}.txt").read_text(encoding="utf-8")
        assert fairness(essay, text, str(entry["running_head"])).to_json() == verdicts[kind]


@pytest.mark.parametrize("entry", ENTRIES, ids=ENTRY_IDS)
def test_pdfminer_extraction_is_the_committed_one(entry: dict[str, object]) -> None:
    """The committed text is what pdfminer.six (pinned in the dev extra) reads from the PDF."""
    folder = ESSAYS / str(entry["essay"])
    committed = (folder / f"{entry['producer']}.pdfminer.txt").read_text(encoding="utf-8")
    assert extract_pdfminer(folder / f"{entry['producer']}.pdf") == committed


def test_corpus_is_small() -> None:
    total = sum(p.stat().st_size for p in ROOT.rglob("*") if p.is_file())
    assert total < MAX_BYTES
    assert MANIFEST.exists()
