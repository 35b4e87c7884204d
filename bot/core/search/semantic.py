"""The optional semantic ranker: a small sentence encoder, run with onnxruntime.

Words alone cannot tell that "officials" asks for the ministers a paragraph
names; a sentence encoder can. The ranker is off by default and costs nothing
then: ``pip install essay-bot[semantic]`` brings onnxruntime and ``tokenizers``
(no torch), and ``SEMANTIC_MODEL`` names a folder holding ``model.onnx`` (a
sentence-transformers encoder whose output is per-token vectors, mean-pooled
here) and its ``tokenizer.json``. ``tests/bench/_convert_model.py`` makes one
from all-MiniLM-L6-v2.

Every sentence and every passage of two consecutive sentences is embedded
once, at start-up, and the vectors are cached on disk under a name made of
hashes of the model files and of the texts, so a restart reads them back and a
changed essay or model computes them anew. A query is embedded once; its
similarity to each paragraph's best passage, mixed with that of its best
sentence, ranks the paragraphs, and ``fuse`` mixes that similarity into the
lexical score.

Anything that goes wrong here (extra not installed, folder or file missing, a
file onnxruntime cannot load) raises ``SemanticUnavailable`` with one line fit
for the log, and the bot runs lexical only.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from bot.core.search.ranking import PassageScores, reciprocal_rank_fusion

if TYPE_CHECKING:
    from bot.core.search.index import SearchIndex

log = logging.getLogger(__name__)

MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
# Longer inputs are cut: sentence encoders are trained on short texts, and a
# paragraph's best sentence is scored on its own anyway.
MAX_TOKENS = 256
# Texts are embedded in batches of similar length, so padding costs little;
# small batches keep onnxruntime's memory arena small (measured on the essay:
# batches of 32 left it 350 MiB larger than batches of 8, for no gain in time).
BATCH = 8
# onnxruntime threads: one. A second one bought nothing measurable on a shared
# two-core machine, and it competes with the event loop for the other core.
THREADS = 1
# Bumped whenever the way vectors are made changes, so old caches are not read.
CACHE_FORMAT = "1"
# A paragraph's similarity to a query mixes its best passage's (``pairs``) and
# its best sentence's.
W_PASSAGE = 0.5
# Cosine similarities of a MiniLM-family encoder, put on the 0..100 scale: at
# SIM_ZERO two texts share little but their language ("how do I reset my
# password" against the essay), at SIM_FULL one is a paraphrase of the other.
# These and W_LEXICAL were chosen on the tuning questions and both keyword
# sets (tests/core/search/questions_tuning.toml, queries*.toml), and checked on
# the other essays' questions (questions_other/), never on the held-out ones.
SIM_ZERO = 0.15
SIM_FULL = 0.75
# The lexical score's share of the mixed one.
W_LEXICAL = 0.3

FloatArray = npt.NDArray[np.float32]
IndexArray = npt.NDArray[np.int64]
# How the lexical and semantic scores are combined: see ``fuse``.
Fusion = Literal["lift", "rrf"]
# The texts a paragraph is compared by, beside its sentences, and the paragraph
# each belongs to: ``pairs`` (the one used) or ``whole_paragraphs``.
Passages = Callable[["SearchIndex"], tuple[list[str], IndexArray]]


def pairs(index: SearchIndex) -> tuple[list[str], IndexArray]:
    """Every two consecutive sentences of a paragraph as one passage, and each one's paragraph.

    A question's answer is often a claim and its reason, two sentences: one
    sentence holds half of it, and a long paragraph's single vector dilutes it
    with all else the paragraph says (and is cut at ``MAX_TOKENS``). A paragraph
    of one sentence is one passage. Measured against ``whole_paragraphs`` by
    ``make bench``: it lifted the other essays' questions (54 of 67 top-1
    against 50, lexical alone 52) and left the seed essay's even (tuning 60 of
    70 against 61, held-out 48 of 71 against 50, top-3 60 against 59).
    Windows of three sentences did no better than two.
    """
    sentences = index.sentence_texts()
    bounds = np.searchsorted(
        index.sentence_paragraphs(), np.arange(len(index.paragraph_texts()) + 1)
    )
    texts: list[str] = []
    owners: list[int] = []
    for paragraph, text in enumerate(index.paragraph_texts()):
        own = sentences[bounds[paragraph] : bounds[paragraph + 1]]
        found = [f"{a} {b}" for a, b in pairwise(own)] or [text]
        texts.extend(found)
        owners.extend([paragraph] * len(found))
    return texts, np.array(owners, dtype=np.int64)


def whole_paragraphs(index: SearchIndex) -> tuple[list[str], IndexArray]:
    """Each paragraph whole, as one passage (the ranker's first design, kept for the bench)."""
    texts = index.paragraph_texts()
    return texts, np.arange(len(texts), dtype=np.int64)


class SemanticUnavailable(Exception):
    """The semantic ranker cannot run; the message says why, in one line."""


def resolve_model_dir(setting: str, data_dir: Path) -> Path:
    """Where ``SEMANTIC_MODEL`` points: a folder, a ``model.onnx`` in one, or a model id.

    A model id (``all-MiniLM-L6-v2``, or with its owner,
    ``sentence-transformers/all-MiniLM-L6-v2``) names a folder under
    ``<data dir>/models/``, where ``tests/bench/_convert_model.py`` writes: models
    cannot be downloaded at run time.
    """
    path = Path(setting).expanduser()
    if path.is_file():
        return path.parent
    if path.is_dir() or path.is_absolute() or setting.startswith("."):
        return path
    return data_dir / "models" / setting.rsplit("/", 1)[-1]


def _file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _model_file(folder: Path) -> Path:
    """``model.onnx`` in the folder, or in its ``onnx/`` subfolder (the Hub's layout)."""
    for candidate in (folder / MODEL_FILE, folder / "onnx" / MODEL_FILE):
        if candidate.is_file():
            return candidate
    raise SemanticUnavailable(f"no {MODEL_FILE} in {folder}")


class Encoder:
    """Texts to unit-length vectors: tokenizer, ONNX encoder, mean pooling.

    Use ``Encoder.load``. ``key`` identifies the model (its files' hashes and the
    way vectors are made), for the vector cache.
    """

    def __init__(
        self, session: Any, tokenizer: Any, key: str, name: str, release: Any = None
    ) -> None:
        self._session = session
        self._tokenizer = tokenizer
        self._inputs = {i.name for i in session.get_inputs()}
        # Run options that hand the arena's memory back after a run: for the
        # start-up batches, whose peak a one-sentence query never needs again.
        self._release = release
        self.key = key
        self.name = name

    @classmethod
    def load(cls, folder: Path) -> Encoder:
        """Open the model in ``folder``; ``SemanticUnavailable`` if anything is missing."""
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise SemanticUnavailable(
                f"the semantic extra is not installed ({exc.name} missing): "
                "pip install 'essay-bot[semantic]'"
            ) from None
        if not folder.is_dir():
            raise SemanticUnavailable(f"model folder {folder} does not exist")
        model = _model_file(folder)
        tokenizer_file = folder / TOKENIZER_FILE
        if not tokenizer_file.is_file():
            raise SemanticUnavailable(f"no {TOKENIZER_FILE} in {folder}")
        try:
            tokenizer = Tokenizer.from_file(str(tokenizer_file))
        except Exception as exc:  # the library raises bare Exceptions on bad files
            raise SemanticUnavailable(f"cannot read {tokenizer_file}: {exc}") from None
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.no_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = THREADS
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        try:
            session = onnxruntime.InferenceSession(
                str(model), options, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnxruntime's own exception types are not public
            raise SemanticUnavailable(f"cannot load {model}: {exc}") from None
        names = {i.name for i in session.get_inputs()}
        if not {"input_ids", "attention_mask"} <= names:
            raise SemanticUnavailable(
                f"{model} takes {sorted(names)}, not input_ids and attention_mask"
            )
        key = hashlib.sha256(
            f"{CACHE_FORMAT}:{MAX_TOKENS}:{_file_digest(model)}:{_file_digest(tokenizer_file)}".encode()
        ).hexdigest()
        release = onnxruntime.RunOptions()
        release.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
        encoder = cls(session, tokenizer, key, folder.name, release)
        encoder._probe(model)
        return encoder

    def _probe(self, model: Path) -> None:
        """Embed one text now, so a model that loads but cannot run fails at start-up."""
        try:
            vector = self.embed(["probe"])
        except Exception as exc:  # onnxruntime's own exception types are not public
            raise SemanticUnavailable(f"{model} fails on a sentence: {exc}") from None
        if vector.ndim != 2 or vector.shape[1] == 0 or not np.isfinite(vector).all():
            raise SemanticUnavailable(f"{model} gives no usable sentence vector")

    def embed(self, texts: Sequence[str], *, bulk: bool = False) -> FloatArray:
        """One unit-length row per text, in the order given.

        ``bulk``: many texts at once (start-up), whose working memory is handed
        back afterwards; a query keeps it for the next query.
        """
        encodings = self._tokenizer.encode_batch(list(texts))
        lengths = [len(e.ids) for e in encodings]
        order = sorted(range(len(texts)), key=lambda i: lengths[i])
        rows: dict[int, FloatArray] = {}
        for start in range(0, len(order), BATCH):
            batch = order[start : start + BATCH]
            vectors = self._run([encodings[i] for i in batch], self._release if bulk else None)
            for i, row in zip(batch, vectors, strict=True):
                rows[i] = row
        if not rows:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([rows[i] for i in range(len(texts))])

    def _run(self, encodings: Sequence[Any], options: Any) -> FloatArray:
        width = max(1, *(len(e.ids) for e in encodings))
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        output = np.asarray(self._session.run(None, feed, options)[0], dtype=np.float32)
        if output.ndim != 2 and output.ndim != 3:
            raise ValueError(f"the model's output has {output.ndim} dimensions, not 2 or 3")
        if output.ndim == 3:  # per-token vectors: mean over the real tokens
            weights = mask[:, :, None].astype(np.float32)
            output = (output * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
        norms = np.linalg.norm(output, axis=1, keepdims=True)
        unit: FloatArray = (output / np.maximum(norms, 1e-12)).astype(np.float32)
        return unit


def cached_vectors(encoder: Encoder, texts: Sequence[str], cache_dir: Path) -> FloatArray:
    """The texts' vectors, read from ``cache_dir`` when this model already embedded them.

    The file name holds a hash of the model and one of the texts, so a changed
    essay or model never reads stale vectors; older files of the same model are
    removed when a new one is written. A cache that cannot be read or written is
    logged and bypassed: it only saves time.
    """
    digest = hashlib.sha256()
    for text in texts:
        digest.update(text.encode("utf-8"))
        digest.update(b"\0")
    path = cache_dir / f"{encoder.key[:16]}-{digest.hexdigest()[:24]}.npy"
    try:
        vectors = np.load(path, allow_pickle=False)
        if vectors.dtype == np.float32 and vectors.ndim == 2 and len(vectors) == len(texts):
            log.debug("semantic vectors read from %s", path)
            return np.asarray(vectors)
        log.warning("semantic cache %s has the wrong shape; recomputing", path)
    except (FileNotFoundError, NotADirectoryError):
        pass  # not computed yet
    except (OSError, ValueError) as exc:
        log.warning("semantic cache %s unreadable (%s); recomputing", path, exc)
    vectors = encoder.embed(texts, bulk=True)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                np.save(handle, vectors, allow_pickle=False)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)  # written and renamed, or a failed half
        for old in cache_dir.glob(f"{encoder.key[:16]}-*.npy"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("semantic cache not written to %s: %s", cache_dir, exc)
    return vectors


@dataclass(frozen=True, slots=True)
class SemanticRanker:
    """Passage and sentence vectors of an index, and the encoder for queries.

    A ``PassageRanker`` (``bot.core.search.ranking``): attached to the index with
    ``use_ranker``, it re-scores /search's paragraphs from their lexical scores
    and their similarity to the query.
    """

    encoder: Encoder
    passages: FloatArray
    sentences: FloatArray
    # Each paragraph's passages, and its sentences, are one run of
    # ``passages`` and of ``sentences``, starting here.
    passage_starts: IndexArray
    starts: IndexArray
    # How the two scores are fused (see ``fuse``); the bench compares them.
    mode: Fusion = "lift"

    @classmethod
    def build(
        cls, encoder: Encoder, index: SearchIndex, cache_dir: Path, passages: Passages = pairs
    ) -> SemanticRanker:
        """Embed (or read back) every passage and sentence: seconds on a small CPU."""
        count = len(index.paragraph_texts())
        texts, passage_owners = passages(index)
        vectors = cached_vectors(encoder, texts + index.sentence_texts(), cache_dir)
        return cls(
            encoder,
            vectors[: len(texts)],
            vectors[len(texts) :],
            np.searchsorted(passage_owners, np.arange(count)).astype(np.int64),
            np.searchsorted(index.sentence_paragraphs(), np.arange(count)).astype(np.int64),
        )

    @property
    def name(self) -> str:
        return self.encoder.name

    @property
    def nbytes(self) -> int:
        return int(self.passages.nbytes + self.sentences.nbytes)

    @property
    def paragraphs(self) -> int:
        return len(self.starts)

    def similarity(self, query: str) -> FloatArray:
        """Each paragraph's cosine similarity to the query: its best passage's and sentence's."""
        if not self.paragraphs:
            return np.zeros(0, dtype=np.float32)
        q = self.encoder.embed([query])[0]
        passage = np.maximum.reduceat(self.passages @ q, self.passage_starts)
        sentence = np.maximum.reduceat(self.sentences @ q, self.starts)
        mixed: FloatArray = (W_PASSAGE * passage + (1.0 - W_PASSAGE) * sentence).astype(np.float32)
        return mixed

    def score(self, lexical: PassageScores) -> npt.NDArray[np.float64]:
        """Lexical scores and similarities fused: see ``fuse``."""
        return fuse(
            lexical.paragraphs, self.similarity(lexical.query), lexical.eligible, mode=self.mode
        )


def fuse(
    lexical: npt.NDArray[np.float64],
    similarity: FloatArray,
    eligible: npt.NDArray[np.bool_],
    *,
    mode: Fusion = "lift",
) -> npt.NDArray[np.float64]:
    """The final 0..100 score of each paragraph.

    The similarity is put on the lexical scale first: ``SIM_ZERO`` (what any two
    sentences of a language share) maps to 0 and ``SIM_FULL`` (a paraphrase) to
    100. Then, by ``mode``:

    - ``lift`` (the one used): a mix, ``W_LEXICAL`` of the lexical score plus
      the rest of the semantic one, that never falls below the lexical score.
      Meaning lifts a paragraph the words missed, but never sinks an exact
      keyword or name match (a mix alone lost keyword answers under the floor),
      and an off-topic question stays under the floor;
    - ``rrf``: reciprocal rank fusion of the two orders, scaled to the better of
      the two best scores, so a weak best answer still reads as weak. Measured
      beside ``lift`` by ``make bench``: it loses keyword answers.

    ``eligible`` (the caller's document or section filter) matters to rank
    fusion only; the index zeroes every other paragraph's final score itself.
    """
    scaled = np.clip((similarity - SIM_ZERO) / (SIM_FULL - SIM_ZERO), 0.0, 1.0)
    semantic: npt.NDArray[np.float64] = 100.0 * scaled.astype(np.float64)
    if mode == "lift":
        mixed = W_LEXICAL * lexical + (1.0 - W_LEXICAL) * semantic
        lifted: npt.NDArray[np.float64] = np.maximum(lexical, mixed)
        return lifted
    if mode != "rrf":
        raise ValueError(f"unknown fusion mode {mode!r}")
    fused = reciprocal_rank_fusion([lexical, semantic], eligible)
    best = max(float(lexical.max(initial=0.0)), float(semantic.max(initial=0.0)))
    return fused * (best / 100.0)


def load_ranker(index: SearchIndex, folder: Path, cache_dir: Path) -> SemanticRanker | None:
    """Load the model, embed the index and attach the ranker; log one line either way.

    Meant for a worker thread at start-up: until it returns, /search is lexical;
    a missing or broken model leaves it so for good (None), never an exception.
    """
    started = time.perf_counter()
    try:
        ranker = SemanticRanker.build(Encoder.load(folder), index, cache_dir)
    except SemanticUnavailable as exc:
        log.warning("semantic ranker off, searching by words only: %s", exc)
        return None
    index.use_ranker(ranker)
    log.info(
        "semantic ranker on: %s, %d paragraphs (%d passages, %d sentences) in %.1f s",
        folder.name,
        ranker.paragraphs,
        len(ranker.passages),
        len(ranker.sentences),
        time.perf_counter() - started,
    )
    return ranker
