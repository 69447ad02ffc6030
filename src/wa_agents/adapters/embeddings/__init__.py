"""Offline embedders behind the ``Embedder`` port: MiniLM on ONNX, and hashing."""

from wa_agents.adapters.embeddings.minilm import OnnxMiniLMEmbedder
from wa_agents.adapters.memory.embedder import HashingEmbedder

__all__ = ["HashingEmbedder", "OnnxMiniLMEmbedder"]
