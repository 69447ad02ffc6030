"""The MiniLM model as onnxruntime runs it fastest on a CPU: int8 weights AND int8 kernels.

The packaged ``model.onnx`` stores its weights as int8 but turns them back into float32 on
load, so every matrix product runs in float32 (~17 ms of CPU for a 55-token text). Dynamic
quantization (int8 weights per channel, activations quantized per call, reduced range so
CPUs without VNNI do not saturate) runs the same products on int8 kernels: about half the
CPU time, with the same recall@5 on ``benchmarks/search_quality.py``.

The quantized file is built once from the packaged model, written atomically into a cache
folder (``WA_MODELS_DIR``; by default ``$XDG_CACHE_HOME/wa-agents/models``, else
``~/.cache/wa-agents/models``) and named by a digest of the source and the recipe, so a new
model or recipe builds a new file and several processes starting together agree on one. When
it cannot be built (the ``onnx`` package is missing, the folder is read-only), the packaged
model is used and a warning says why: the vectors differ only by quantization noise, so
search keeps working either way.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

RECIPE = "fold-basic;dynamic;qint8;per-channel;reduce-range"  # change it to rebuild the files


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "wa-agents" / "models"


def _digest(source: Path) -> str:
    sha = hashlib.sha256(RECIPE.encode())
    with source.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()[:16]


class _QuietAdvice(logging.Filter):
    """Drops onnxruntime's root-logger advice to pre-process first (it changes nothing here)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "pre-processing before quantization" not in record.getMessage()


def _build(source: Path, target: Path) -> None:
    quiet = _QuietAdvice()
    logging.getLogger().addFilter(quiet)
    try:
        _fold_and_quantize(source, target)
    finally:
        logging.getLogger().removeFilter(quiet)


def _fold_and_quantize(source: Path, target: Path) -> None:
    import onnxruntime
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        folded = Path(work) / "folded.onnx"
        options = onnxruntime.SessionOptions()
        # constant-fold the packaged model's int8 -> float32 weight casts into plain weights
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
        options.optimized_model_filepath = str(folded)
        onnxruntime.InferenceSession(str(source), options, providers=["CPUExecutionProvider"])
        built = Path(work) / "quantized.onnx"
        quantize_dynamic(
            folded, built, weight_type=QuantType.QInt8, per_channel=True, reduce_range=True
        )
        os.replace(built, target)  # atomic: a reader sees no file or the whole file


def quantized_model(source: Path, cache_dir: Path | None = None) -> Path:
    """The int8-kernel model built from ``source`` (cached), or ``source`` when it cannot be."""
    folder = cache_dir or default_cache_dir()
    try:
        target = folder / f"minilm-l6-dynamic-int8-{_digest(source)}.onnx"
        if target.is_file():
            return target
        folder.mkdir(parents=True, exist_ok=True)
        log.info("building the int8 embedding model in %s (once; a few seconds)", folder)
        _build(source, target)
        return target
    except Exception as exc:  # no onnx package, a read-only folder, a full disk
        log.warning("using the packaged embedding model, slower on a CPU: %s", exc)
        return source
