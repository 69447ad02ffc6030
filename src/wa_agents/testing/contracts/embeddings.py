"""Contracts of ``Embedder`` and ``VectorIndex``.

Fixtures: ``embedder`` -> ``Embedder``; ``index`` -> an empty ``VectorIndex``.
"""

from __future__ import annotations

import math

from wa_agents.domain.model.knowledge import VectorItem
from wa_agents.ports.embeddings import Embedder, VectorIndex


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


class EmbedderContract:
    async def test_one_vector_per_text_of_the_declared_dimension(self, embedder: Embedder) -> None:
        vectors = await embedder.embed(["one", "two words", "três palavras aqui"])
        assert len(vectors) == 3
        assert all(len(v) == embedder.dimension for v in vectors)
        assert await embedder.embed([]) == []

    async def test_the_same_text_gives_the_same_vector(self, embedder: Embedder) -> None:
        [a] = await embedder.embed(["refund my order"])
        [b, _] = await embedder.embed(["refund my order", "other"])
        assert all(math.isclose(x, y, abs_tol=1e-6) for x, y in zip(a, b, strict=True))

    async def test_related_texts_are_closer_than_unrelated(self, embedder: Embedder) -> None:
        base, near, far = await embedder.embed(
            [
                "where is my order delivery",
                "my order delivery is late",
                "the cat sleeps on the sofa",
            ]
        )
        assert _cosine(base, near) > _cosine(base, far)


class VectorIndexContract:
    async def test_query_returns_best_first_within_k(self, index: VectorIndex) -> None:
        await index.upsert(
            [
                VectorItem("1", "opening hours are 9 to 5 on weekdays", {"agent_id": "a"}),
                VectorItem("2", "we ship orders with express delivery", {"agent_id": "a"}),
                VectorItem("3", "refunds take five days", {"agent_id": "a"}),
            ]
        )
        hits = await index.query("when do you deliver my order", 2)
        assert len(hits) == 2
        assert hits[0].id == "2"
        assert hits[0].score >= hits[1].score
        assert hits[0].metadata == {"agent_id": "a"}

    async def test_where_restricts_by_metadata(self, index: VectorIndex) -> None:
        await index.upsert(
            [
                VectorItem("a1", "price list", {"agent_id": "a"}),
                VectorItem("b1", "price list", {"agent_id": "b"}),
            ]
        )
        hits = await index.query("price", 5, {"agent_id": "b"})
        assert [h.id for h in hits] == ["b1"]

    async def test_upsert_replaces_and_delete_counts(self, index: VectorIndex) -> None:
        await index.upsert(
            [VectorItem("x", "old text", {"doc": "d1"}), VectorItem("y", "keep", {"doc": "d2"})]
        )
        await index.upsert([VectorItem("x", "new text", {"doc": "d1"})])
        hits = await index.query("new text", 5, {"doc": "d1"})
        assert [(h.id, h.text) for h in hits] == [("x", "new text")]
        assert await index.delete({"doc": "d1"}) == 1
        assert await index.query("new text", 5, {"doc": "d1"}) == []
        assert [h.id for h in await index.query("keep", 5)] == ["y"]

    async def test_empty_index_and_zero_k(self, index: VectorIndex) -> None:
        assert await index.query("anything", 3) == []
        await index.upsert([VectorItem("1", "text")])
        assert await index.query("text", 0) == []
