"""The optional semantic ranker: a small sentence encoder, run with onnxruntime.

Words alone cannot tell that "officials" asks for the ministers a paragraph
names; a sentence encoder can. The ranker is off by default and costs nothing
then: ``pip install essay-bot[semantic]`` brings onnxruntime and ``tokenizers``
(no torch), and ``SEMANTIC_MODEL`` names a folder holding ``model.onnx`` (a
sentence-transformers encoder whose output is per-token vectors, mean-pooled
here) and its ``tokenizer.json``. ``tests/bench/_convert_model.py`` makes one
from all-MiniLM-L6-v2.

Every paragraph and every sentence is embedded once, at start-up, and the
vectors are cached on disk under a name made of hashes of the model files and
of the texts, so a restart reads them back and a changed essay or model
computes them anew. A query is embedded once, and two similarities come of it:

- the pooled one: the cosine of the query's vector and each paragraph's (mixed
  with that of the paragraph's best sentence), for every paragraph;
- the token one (late interaction, as ColBERT scores): each content word of
  the query finds its most similar word, in context, among a paragraph's, and
  their similarities are averaged. One vector per text says what a paragraph is
  about on the whole and is diluted by a long one; the token vectors find the
  one clause that answers a question. Only the best few paragraphs by the
  pooled score are scored so, which keeps a query's cost flat in the size of
  the library.

``fuse`` mixes the two into the lexical score.

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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from bot.core.search.ranking import PassageScores, reciprocal_rank_fusion
from bot.core.search.text import terms
from bot.core.search.words import is_content

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
CACHE_FORMAT = "2"
# A paragraph's similarity to a query mixes its own and its best sentence's.
W_PARAGRAPH = 0.5
# Cosine similarities of a MiniLM-family encoder, put on the 0..100 scale: at
# SIM_ZERO two texts share little but their language ("how do I reset my
# password" against the essay), at SIM_FULL one is a paraphrase of the other.
# These and W_LEXICAL were chosen on the tuning questions and both keyword
# sets (tests/core/search/questions_tuning.toml, queries*.toml), never on the
# held-out questions.
SIM_ZERO = 0.15
SIM_FULL = 0.75
# The lexical score's share of the mixed one.
W_LEXICAL = 0.3
# Token similarities (the mean over the query's content words of the best
# cosine with any word of a paragraph) on the same 0..100 scale: at TOKEN_ZERO
# the words are as alike as unrelated words of one language, at TOKEN_FULL each
# query word has its own or a synonym in the paragraph. The token similarity's
# share of the semantic score, and how many paragraphs (the best by the pooled
# score) get one. Chosen like the constants above.
TOKEN_ZERO = 0.3
TOKEN_FULL = 0.8
W_TOKENS = 1 / 3
CANDIDATES = 20

FloatArray = npt.NDArray[np.float32]
# How the lexical and semantic scores are combined: see ``fuse``.
Fusion = Literal["lift", "rrf"]


@dataclass(frozen=True, slots=True)
class Embedded:
    """Texts' vectors: one pooled row per text, and the texts' token vectors.

    The token vectors (special tokens left out) of text ``i`` are the rows
    ``tokens[offsets[i]:offsets[i + 1]]``; they are kept as float16, which
    halves their memory and changes no ranking. A model that gives only pooled
    vectors gives no token vectors (``tokens`` has no rows).
    """

    vectors: FloatArray
    tokens: npt.NDArray[np.float16]
    offsets: npt.NDArray[np.int64]


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
        """One unit-length pooled row per text, in the order given."""
        return self.encode(texts, bulk=bulk).vectors

    def encode(self, texts: Sequence[str], *, bulk: bool = False) -> Embedded:
        """Pooled vectors and token vectors of the texts, in the order given.

        ``bulk``: many texts at once (start-up), whose working memory is handed
        back afterwards; a query keeps it for the next query.
        """
        encodings = self._tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        pooled: dict[int, FloatArray] = {}
        tokens: dict[int, FloatArray] = {}
        for start in range(0, len(order), BATCH):
            batch = order[start : start + BATCH]
            rows, per_token = self._run(
                [encodings[i] for i in batch], self._release if bulk else None
            )
            for n, i in enumerate(batch):
                pooled[i] = rows[n]
                if per_token is not None:
                    keep = np.flatnonzero(np.array(encodings[i].special_tokens_mask) == 0)
                    tokens[i] = per_token[n, keep]
        if not pooled:
            return Embedded(
                np.zeros((0, 0), np.float32), np.zeros((0, 0), np.float16), np.zeros(1, np.int64)
            )
        vectors = np.stack([pooled[i] for i in range(len(texts))])
        runs = [tokens.get(i, vectors[:0]) for i in range(len(texts))]
        offsets = np.concatenate([[0], np.cumsum([len(r) for r in runs])]).astype(np.int64)
        return Embedded(vectors, np.concatenate(runs).astype(np.float16), offsets)

    def query(self, query: str) -> tuple[FloatArray, FloatArray]:
        """A query's pooled vector, and the token vectors of its content words.

        Question and function words ("why did the") would match their like in
        any paragraph, so their tokens are left out, as they are from the
        lexical score (all words count if none is a content word). No token
        vectors (no rows) from a model that gives only pooled vectors.
        """
        encoding = self._tokenizer.encode(query)
        pooled, per_token = self._run([encoding], None)
        if per_token is None:
            return pooled[0], np.zeros((0, pooled.shape[1]), np.float32)
        spans: dict[int, tuple[int, int]] = {}
        for word, (start, end) in zip(encoding.word_ids, encoding.offsets, strict=True):
            if word is not None:
                spans[word] = (spans.get(word, (start, end))[0], end)
        content = {w for w, (a, b) in spans.items() if any(map(is_content, terms(query[a:b])))}
        wanted = content or set(spans)
        keep = [
            i
            for i, (word, special) in enumerate(
                zip(encoding.word_ids, encoding.special_tokens_mask, strict=True)
            )
            if word in wanted and not special
        ]
        return pooled[0], per_token[0, keep]

    def _run(self, encodings: Sequence[Any], options: Any) -> tuple[FloatArray, FloatArray | None]:
        """Pooled unit vectors of a batch, and unit token vectors if the model gives them."""
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
        per_token = None
        if output.ndim == 3:  # per-token vectors: mean over the real tokens
            per_token = _unit(output)
            weights = mask[:, :, None].astype(np.float32)
            output = (output * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
        return _unit(output), per_token


def _unit(vectors: FloatArray) -> FloatArray:
    """The vectors (along the last axis) scaled to length 1."""
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    unit: FloatArray = (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
    return unit


def cached_vectors(encoder: Encoder, texts: Sequence[str], cache_dir: Path) -> Embedded:
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
    path = cache_dir / f"{encoder.key[:16]}-{digest.hexdigest()[:24]}.npz"
    try:
        cached = _read_cache(path, len(texts))
        if cached is not None:
            log.debug("semantic vectors read from %s", path)
            return cached
        log.warning("semantic cache %s has the wrong shape; recomputing", path)
    except (FileNotFoundError, NotADirectoryError):
        pass  # not computed yet
    except (OSError, ValueError, KeyError) as exc:  # KeyError: an array missing
        log.warning("semantic cache %s unreadable (%s); recomputing", path, exc)
    embedded = encoder.encode(texts, bulk=True)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                np.savez(
                    handle,
                    vectors=embedded.vectors,
                    tokens=embedded.tokens,
                    offsets=embedded.offsets,
                )
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)  # written and renamed, or a failed half
        for old in cache_dir.glob(f"{encoder.key[:16]}-*.np[yz]"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("semantic cache not written to %s: %s", cache_dir, exc)
    return embedded


def _read_cache(path: Path, count: int) -> Embedded | None:
    """The vectors stored at ``path``; None if they do not fit ``count`` texts."""
    with np.load(path, allow_pickle=False) as stored:
        embedded = Embedded(stored["vectors"], stored["tokens"], stored["offsets"])
    fits = (
        embedded.vectors.dtype == np.float32
        and embedded.vectors.ndim == 2
        and len(embedded.vectors) == count
        and embedded.tokens.dtype == np.float16
        and embedded.tokens.ndim == 2
        and len(embedded.offsets) == count + 1
        and int(embedded.offsets[-1]) == len(embedded.tokens)
    )
    return embedded if fits else None


@dataclass(frozen=True, slots=True)
class SemanticRanker:
    """Paragraph and sentence vectors of an index, and the encoder for queries.

    A ``PassageRanker`` (``bot.core.search.ranking``): attached to the index with
    ``use_ranker``, it re-scores /search's paragraphs from their lexical scores
    and their similarity to the query.
    """

    encoder: Encoder
    paragraphs: FloatArray
    sentences: FloatArray
    # Each paragraph's sentences are one run of ``sentences``, starting here.
    starts: npt.NDArray[np.int64]
    # The token vectors of every body sentence, paragraph after paragraph:
    # paragraph i's are rows token_starts[i]:token_starts[i + 1]. Taken from the
    # sentences (each encoded alone), not the paragraphs, so no word of a long
    # paragraph is cut off by MAX_TOKENS. No rows: the model gives none.
    tokens: npt.NDArray[np.float16]
    token_starts: npt.NDArray[np.int64]
    # How the two scores are fused (see ``fuse``); the bench compares them.
    mode: Fusion = "lift"

    @classmethod
    def build(cls, encoder: Encoder, index: SearchIndex, cache_dir: Path) -> SemanticRanker:
        """Embed (or read back) every paragraph and sentence: seconds on a small CPU."""
        paragraphs = index.paragraph_texts()
        owners = index.sentence_paragraphs()
        embedded = cached_vectors(encoder, paragraphs + index.sentence_texts(), cache_dir)
        vectors = embedded.vectors
        starts = np.searchsorted(owners, np.arange(len(paragraphs))).astype(np.int64)
        # Sentence j's tokens start at offsets[len(paragraphs) + j]; paragraph
        # i's at those of its first sentence (its sentences are consecutive).
        sentence_offsets = embedded.offsets[len(paragraphs) :]
        first = int(sentence_offsets[0])
        token_starts = (np.append(sentence_offsets[starts], sentence_offsets[-1]) - first).astype(
            np.int64
        )
        tokens = embedded.tokens[first:]
        return cls(
            encoder,
            vectors[: len(paragraphs)],
            vectors[len(paragraphs) :],
            starts,
            tokens,
            token_starts,
        )

    @property
    def name(self) -> str:
        return self.encoder.name

    @property
    def nbytes(self) -> int:
        return int(self.paragraphs.nbytes + self.sentences.nbytes + self.tokens.nbytes)

    def similarity(self, q: FloatArray) -> FloatArray:
        """Cosine similarity of each paragraph to the query vector, its best sentence's mixed in."""
        if not len(self.paragraphs):
            return np.zeros(0, dtype=np.float32)
        own = self.paragraphs @ q
        best = np.maximum.reduceat(self.sentences @ q, self.starts)
        mixed: FloatArray = (W_PARAGRAPH * own + (1.0 - W_PARAGRAPH) * best).astype(np.float32)
        return mixed

    def token_similarity(self, q: FloatArray, units: npt.NDArray[np.int64]) -> FloatArray:
        """For each paragraph in ``units``: the mean, over the query's token vectors
        ``q``, of the best cosine with any of the paragraph's tokens (0 without any)."""
        found = np.zeros(len(units), dtype=np.float32)
        lengths = self.token_starts[units + 1] - self.token_starts[units]
        has = lengths > 0
        if not len(q) or not has.any():
            return found
        rows = np.concatenate(
            [np.arange(self.token_starts[u], self.token_starts[u + 1]) for u in units[has]]
        )
        similarities = self.tokens[rows].astype(np.float32) @ q.T  # [paragraph tokens, query]
        starts = np.concatenate([[0], np.cumsum(lengths[has])[:-1]])
        found[has] = np.maximum.reduceat(similarities, starts, axis=0).mean(axis=1)
        return found

    def score(self, lexical: PassageScores) -> npt.NDArray[np.float64]:
        """Lexical scores and similarities fused: see ``semantic_scores`` and ``fuse``."""
        semantic = self.semantic_scores(lexical)
        return fuse(lexical.paragraphs, semantic, lexical.eligible, mode=self.mode)

    def semantic_scores(self, lexical: PassageScores) -> npt.NDArray[np.float64]:
        """Each paragraph's 0..100 semantic score: pooled and token similarity mixed.

        The token similarity is computed for the ``CANDIDATES`` paragraphs (of
        those the caller may be shown) that the pooled similarity would rank
        first with the lexical score; every other paragraph counts it as 0.
        """
        vector, words = self.encoder.query(lexical.query)
        pooled = scaled(self.similarity(vector), SIM_ZERO, SIM_FULL)
        if not len(self.tokens) or not len(words):
            return pooled
        first = fuse(lexical.paragraphs, pooled, lexical.eligible)
        eligible = np.flatnonzero(lexical.eligible)
        units = eligible[np.argsort(-first[eligible], kind="stable")[:CANDIDATES]]
        tokens = np.zeros_like(pooled)
        tokens[units] = scaled(
            self.token_similarity(words, units.astype(np.int64)), TOKEN_ZERO, TOKEN_FULL
        )
        mixed: npt.NDArray[np.float64] = (1.0 - W_TOKENS) * pooled + W_TOKENS * tokens
        return mixed


def scaled(similarity: FloatArray, zero: float, full: float) -> npt.NDArray[np.float64]:
    """Similarities on the 0..100 scale of the lexical scores: ``zero`` is 0, ``full`` 100."""
    clipped = np.clip((similarity.astype(np.float64) - zero) / (full - zero), 0.0, 1.0)
    result: npt.NDArray[np.float64] = 100.0 * clipped
    return result


def fuse(
    lexical: npt.NDArray[np.float64],
    semantic: npt.NDArray[np.float64],
    eligible: npt.NDArray[np.bool_],
    *,
    mode: Fusion = "lift",
) -> npt.NDArray[np.float64]:
    """The final 0..100 score of each paragraph, from its lexical and semantic scores.

    By ``mode``:

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
        "semantic ranker on: %s, %d paragraphs and %d sentences in %.1f s",
        folder.name,
        len(ranker.paragraphs),
        len(ranker.sentences),
        time.perf_counter() - started,
    )
    return ranker
