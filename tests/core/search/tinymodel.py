"""A tiny sentence encoder, built by the tests themselves: no network, no download.

A WordPiece tokenizer over a few dozen words and an ONNX graph that looks each
token up in an embedding table (per-token vectors out, as a real
sentence-transformers export gives them; the ranker mean-pools). Words of one
meaning share a direction in the table, so "officials" lands on the paragraph
about ministers though the two share no letters: what a real encoder does, in
miniature, and enough to test loading, caching and fusion for real.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

SPECIAL = ["[PAD]", "[UNK]"]
# Each group of words means one thing: they share one axis of the table.
MEANINGS = [
    ["ministers", "officials", "minister", "diplomats"],
    ["pipeline", "gas", "oil", "energy"],
    ["war", "army", "soldiers", "troops", "fought"],
    ["trust", "trusting", "betrayal", "doubt"],
    ["weather", "rain", "dinner", "cook", "password"],
]
# Words that carry little meaning: a faint shared axis, so they barely count.
FILLER = [
    "the", "a", "of", "and", "to", "in", "met", "at", "border", "built", "through",
    "mountains", "who", "what", "did", "were", "was", "they", "lost", "after", "talks",
    "is", "how", "reset", "my", "i", "do", "for", "across", "carries", "west", "east",
]  # fmt: skip
DIMENSION = len(MEANINGS) + 1


def vocabulary() -> list[str]:
    return SPECIAL + [w for group in MEANINGS for w in group] + FILLER


def table(seed: int = 0) -> np.ndarray:
    """One row per vocabulary entry. ``seed`` > 0 perturbs it: a different model."""
    rows = np.zeros((len(vocabulary()), DIMENSION), dtype=np.float32)
    index = {w: i for i, w in enumerate(vocabulary())}
    for axis, group in enumerate(MEANINGS):
        for word in group:
            rows[index[word], axis] = 1.0
    for word in FILLER:
        rows[index[word], -1] = 0.1
    # Padding has a vector of its own, as in a real encoder: pooling must mask it.
    rows[index["[PAD]"], 0] = 1.0
    if seed:
        rows += np.random.default_rng(seed).normal(0, 0.05, rows.shape).astype(np.float32)
    return rows


def write_tokenizer(path: Path) -> None:
    vocab = {w: i for i, w in enumerate(vocabulary())}
    tokenizer = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.save(str(path))


def write_model(
    path: Path, seed: int = 0, rows: int | None = None, *, pooled: bool = False
) -> None:
    """An ONNX graph: Gather(table, input_ids) -> last_hidden_state [batch, tokens, dim].

    ``rows`` cuts the table short: a model that loads but fails on most tokens.
    ``pooled``: the graph averages the tokens itself ([batch, dim] out), as some
    exported encoders do.
    """
    weights = numpy_helper.from_array(table(seed)[:rows], name="table")
    nodes = [helper.make_node("Gather", ["table", "input_ids"], ["hidden"], axis=0)]
    shape: list[str | int] = ["batch", "tokens", DIMENSION]
    if pooled:
        nodes.append(helper.make_node("ReduceMean", ["hidden"], ["output"], axes=[1], keepdims=0))
        shape = ["batch", DIMENSION]
    else:
        nodes.append(helper.make_node("Identity", ["hidden"], ["output"]))
    graph = helper.make_graph(
        nodes,
        "tiny-encoder",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "tokens"]),
        ],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, shape)],
        initializer=[weights],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def build(folder: Path, seed: int = 0, *, pooled: bool = False) -> Path:
    """A model folder as ``SEMANTIC_MODEL`` expects it: model.onnx and tokenizer.json."""
    folder.mkdir(parents=True, exist_ok=True)
    write_model(folder / "model.onnx", seed, pooled=pooled)
    write_tokenizer(folder / "tokenizer.json")
    return folder
