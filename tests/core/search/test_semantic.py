"""The optional semantic ranker: loading, the vector cache, fusion, and every way it stays off.

All against a tiny encoder the tests build (``tinymodel``): a real ONNX file run
by onnxruntime and a real tokenizer file, so nothing is mocked on the path a
query takes and nothing is downloaded.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.core.model import Library
from bot.core.search import SCORE_FLOOR, SearchIndex
from bot.core.search.semantic import (
    Encoder,
    SemanticRanker,
    SemanticUnavailable,
    fuse,
    load_ranker,
    pairs,
    resolve_model_dir,
    whole_paragraphs,
)
from tests.core.search import tinymodel
from tests.core.search.factories import document, library

DIPLOMACY = "The ministers met at the border."
PIPELINE = "The pipeline carries gas west across the mountains."
WAR = "The soldiers fought and lost the war."
TRUST = "After the talks they lost trust. Doubt was built."


def make_library(*, pipeline: str = PIPELINE) -> Library:
    return library(document([("Diplomacy", [DIPLOMACY, pipeline]), ("War", [WAR, TRUST])]))


def make_index(*, pipeline: str = PIPELINE) -> SearchIndex:
    return SearchIndex.build(make_library(pipeline=pipeline))


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tinymodel.build(tmp_path_factory.mktemp("model") / "tiny")


@pytest.fixture(scope="module")
def encoder(model: Path) -> Encoder:
    return Encoder.load(model)


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.npy"))


# ----------------------------------------------------------------- loading


def test_vectors_are_unit_length_and_carry_meaning(encoder: Encoder) -> None:
    vectors = encoder.embed([DIPLOMACY, "officials", PIPELINE])
    assert vectors.shape == (3, tinymodel.DIMENSION)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    officials = vectors[1]
    assert officials @ vectors[0] > 0.8  # ministers
    assert officials @ vectors[2] < 0.1  # pipelines


def test_a_batch_gives_what_one_text_at_a_time_gives(encoder: Encoder) -> None:
    texts = [WAR, "officials", TRUST, PIPELINE * 3]  # lengths differ: padding is masked
    together = encoder.embed(texts)
    alone = np.stack([encoder.embed([t])[0] for t in texts])
    assert np.allclose(together, alone, atol=1e-6)


def test_a_model_id_is_looked_up_in_the_data_folder(tmp_path: Path, model: Path) -> None:
    data = tmp_path / "data"
    assert resolve_model_dir("owner/tiny", data) == data / "models" / "tiny"
    assert resolve_model_dir(str(model), data) == model
    assert resolve_model_dir(str(model / "model.onnx"), data) == model


def test_a_model_that_pools_its_own_output_gives_the_same_vectors(
    tmp_path: Path, encoder: Encoder
) -> None:
    # Its graph averages over every position, padding too: the same as
    # pooling here when each text is run alone.
    pooled = Encoder.load(tinymodel.build(tmp_path / "pooled", pooled=True))
    texts = [DIPLOMACY, "officials", PIPELINE]
    alone = np.stack([pooled.embed([t])[0] for t in texts])
    assert np.allclose(alone, encoder.embed(texts), atol=1e-6)


# ----------------------------------------------------------------- the cache


def test_a_second_start_reads_the_vectors_from_the_cache(
    tmp_path: Path, encoder: Encoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = SemanticRanker.build(encoder, make_index(), tmp_path)
    (written,) = cache_files(tmp_path)

    def no_embedding(texts: object, **kw: object) -> None:
        raise AssertionError("the cached vectors should have been read")

    monkeypatch.setattr(encoder, "embed", no_embedding)
    second = SemanticRanker.build(encoder, make_index(), tmp_path)
    assert cache_files(tmp_path) == [written]
    assert np.array_equal(first.passages, second.passages)
    assert np.array_equal(first.sentences, second.sentences)


def test_a_changed_text_is_embedded_anew(tmp_path: Path, encoder: Encoder) -> None:
    before = SemanticRanker.build(encoder, make_index(), tmp_path)
    (old,) = cache_files(tmp_path)
    after = SemanticRanker.build(encoder, make_index(pipeline="The army fought."), tmp_path)
    (new,) = cache_files(tmp_path)  # the stale file of this model is gone
    assert new != old
    assert not np.allclose(before.passages[1], after.passages[1])
    assert np.allclose(before.passages[0], after.passages[0])


def test_a_changed_model_is_not_served_the_old_vectors(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = SemanticRanker.build(Encoder.load(tinymodel.build(tmp_path / "m")), make_index(), cache)
    tinymodel.write_model(tmp_path / "m" / "model.onnx", seed=1)  # same folder, new weights
    second = SemanticRanker.build(Encoder.load(tmp_path / "m"), make_index(), cache)
    assert len(cache_files(cache)) == 2
    assert not np.allclose(first.passages, second.passages)


def test_an_unreadable_cache_is_recomputed(tmp_path: Path, encoder: Encoder) -> None:
    first = SemanticRanker.build(encoder, make_index(), tmp_path)
    (written,) = cache_files(tmp_path)
    written.write_bytes(b"not an array")
    second = SemanticRanker.build(encoder, make_index(), tmp_path)
    assert np.allclose(first.passages, second.passages)
    assert np.load(written).shape == (4 + 5, tinymodel.DIMENSION)  # rewritten


def test_a_cache_that_cannot_be_written_costs_only_time(
    tmp_path: Path, encoder: Encoder, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="bot.core.search.semantic"):
        ranker = SemanticRanker.build(encoder, make_index(), blocked)
    assert ranker.passages.shape == (4, tinymodel.DIMENSION)
    (record,) = caplog.records
    assert "semantic cache not written" in record.getMessage()


# ----------------------------------------------------------------- fusion


def test_fusion_lifts_the_lexical_score_by_meaning_and_never_sinks_it() -> None:
    lexical = np.array([80.0, 0.0, 40.0, 60.0])
    # SIM_ZERO (0.15) and below count 0, SIM_FULL (0.75) and above 100, linear between.
    similarity = np.array([0.9, 0.45, 0.15, 0.0], dtype=np.float32)
    eligible = np.array([True, True, True, False])
    fused = fuse(lexical, similarity, eligible)
    # 0.3 of the lexical score plus 0.7 of the semantic one, or the lexical score if higher.
    assert np.allclose(fused, [0.3 * 80 + 70, 0.7 * 50, 40.0, 60.0])
    with pytest.raises(ValueError, match="unknown fusion mode"):
        fuse(lexical, similarity, eligible, mode="sum")  # type: ignore[arg-type]


def test_rank_fusion_reads_as_weak_as_the_best_of_its_two_scores() -> None:
    lexical = np.array([30.0, 0.0, 20.0])
    similarity = np.array([0.2, 0.3, 0.1], dtype=np.float32)
    fused = fuse(lexical, similarity, np.ones(3, dtype=np.bool_), mode="rrf")
    assert fused.argmax() == 0
    assert fused.max() == pytest.approx(30.0)


@pytest.fixture
def index(tmp_path: Path, encoder: Encoder) -> SearchIndex:
    index = make_index()
    index.use_ranker(SemanticRanker.build(encoder, index, tmp_path))
    return index


def test_a_question_worded_unlike_its_answer_finds_it(index: SearchIndex) -> None:
    # Its only content word of the text, "talks", is in another paragraph.
    question = "what did the officials discuss after the talks"
    hits = index.passages(question)
    assert [(h.section, h.paragraph) for h in hits][:2] == [(1, 1), (2, 2)]
    assert index.ranker_name == "tiny"
    index.use_ranker(None)
    assert [(h.section, h.paragraph) for h in index.passages(question)] == [(2, 2)]


def test_a_lexical_answer_the_encoder_agrees_with_stays_first(index: SearchIndex) -> None:
    hits = index.passages("soldiers fought the war")
    assert (hits[0].section, hits[0].paragraph) == (2, 1)
    assert hits[0].score > SCORE_FLOOR


def test_off_topic_questions_still_find_nothing(index: SearchIndex) -> None:
    assert index.passages("how do I reset my password") == []
    assert index.passages("what would you cook for dinner") == []


def test_the_section_filter_holds_for_semantic_answers(index: SearchIndex) -> None:
    hits = index.passages("what did the officials discuss after the talks", section=2)
    assert hits
    assert all(h.section == 2 for h in hits)


# ----------------------------------------------------------------- passages

# The question asks for officials and troops: ARMY names them in two sentences
# of a paragraph that goes on about gas and oil; ENVOYS speaks of officials
# alone. "Ankara" is a word the tiny model does not know (both hold it).
QUESTION = "who were the officials and the troops in ankara"
ENVOYS = "The diplomats met the minister in Ankara."
ARMY = (
    "The ministers met in Ankara. The army was there. "
    "The pipeline carries gas west. The pipeline carries oil east."
)


def test_a_paragraph_is_compared_by_each_two_sentences_in_a_row() -> None:
    index = SearchIndex.build(library(document([("Talks", [ENVOYS, ARMY])])))
    texts, owners = pairs(index)
    assert texts == [
        ENVOYS,
        "The ministers met in Ankara. The army was there.",
        "The army was there. The pipeline carries gas west.",
        "The pipeline carries gas west. The pipeline carries oil east.",
    ]
    assert owners.tolist() == [0, 1, 1, 1]
    assert whole_paragraphs(index)[0] == [ENVOYS, ARMY]


def test_an_answer_in_two_sentences_of_a_long_paragraph_is_found(
    tmp_path: Path, encoder: Encoder
) -> None:
    index = SearchIndex.build(library(document([("Talks", [ENVOYS, ARMY])])))
    index.use_ranker(SemanticRanker.build(encoder, index, tmp_path))  # pairs, by default
    assert [h.paragraph for h in index.passages(QUESTION)] == [2, 1]
    # Compared as a whole, the paragraph's talk of gas and oil hides the answer.
    index.use_ranker(SemanticRanker.build(encoder, index, tmp_path, whole_paragraphs))
    assert [h.paragraph for h in index.passages(QUESTION)] == [1, 2]


def test_autocomplete_never_asks_the_ranker(
    index: SearchIndex, encoder: Encoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow(texts: object, **kw: object) -> None:
        raise AssertionError("autocomplete must not embed")

    monkeypatch.setattr(encoder, "embed", slow)
    with pytest.raises(AssertionError):
        index.passages("soldiers")  # the ranker is attached: /search does embed
    assert index.complete_quotes("soldiers")
    assert index.complete_sections("war")


# ----------------------------------------------------------------- start-up


def test_loading_attaches_the_ranker_and_says_so(
    tmp_path: Path, model: Path, caplog: pytest.LogCaptureFixture
) -> None:
    index = make_index()
    with caplog.at_level(logging.INFO, logger="bot.core.search.semantic"):
        ranker = load_ranker(index, model, tmp_path)
    assert ranker is not None
    assert index.ranker_name == "tiny"
    (record,) = caplog.records
    assert "semantic ranker on: tiny, 4 paragraphs (4 passages, 5 sentences)" in record.getMessage()


# ----------------------------------------------------------------- staying off


def test_without_the_extra_one_line_says_how_to_install_it(
    tmp_path: Path,
    model: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    index = make_index()
    with caplog.at_level(logging.INFO, logger="bot.core.search.semantic"):
        assert load_ranker(index, model, tmp_path) is None
    assert index.ranker_name is None
    (record,) = caplog.records
    assert record.levelno == logging.WARNING
    assert "searching by words only" in record.getMessage()
    assert "essay-bot[semantic]" in record.getMessage()


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("no folder", "does not exist"),
        ("no model", "no model.onnx"),
        ("no tokenizer", "no tokenizer.json"),
        ("garbage model", "cannot load"),
        ("garbage tokenizer", "cannot read"),
    ],
)
def test_a_missing_or_broken_model_leaves_search_lexical(
    tmp_path: Path, damage: str, reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tinymodel.build(tmp_path / "model")
    if damage == "no folder":
        folder = tmp_path / "elsewhere"
    elif damage == "no model":
        (folder / "model.onnx").unlink()
    elif damage == "no tokenizer":
        (folder / "tokenizer.json").unlink()
    elif damage == "garbage model":
        (folder / "model.onnx").write_bytes(b"\x00garbage")
    else:
        (folder / "tokenizer.json").write_text("{", encoding="utf-8")
    with pytest.raises(SemanticUnavailable, match=reason):
        Encoder.load(folder)
    index = make_index()
    with caplog.at_level(logging.INFO, logger="bot.core.search.semantic"):
        assert load_ranker(index, folder, tmp_path / "cache") is None
    assert len(caplog.records) == 1
    assert index.ranker_name is None
    assert [(h.section, h.paragraph) for h in index.passages("soldiers fought")] == [(2, 1)]


def test_a_model_that_loads_but_cannot_run_is_refused_at_start(tmp_path: Path) -> None:
    folder = tinymodel.build(tmp_path / "model")
    tinymodel.write_model(folder / "model.onnx", rows=1)  # token ids past 0 are out of range
    with pytest.raises(SemanticUnavailable, match="fails on a sentence"):
        Encoder.load(folder)
