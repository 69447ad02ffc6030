"""The Embedder and VectorIndex contract, over every adapter in conftest.py."""

from wa_agents.testing.contracts.embeddings import (
    EmbedderContract,
    VectorIndexContract,
)


class TestEmbedder(EmbedderContract):
    pass


class TestVectorIndex(VectorIndexContract):
    pass
