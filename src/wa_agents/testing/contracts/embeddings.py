"""Contracts of ``Embedder`` and ``VectorIndex``.

Fixtures: ``embedder`` -> ``Embedder``; ``index`` -> an empty ``VectorIndex`` over
``HashingEmbedder(64)``; ``reopen_index`` -> a callable taking an ``Embedder`` and returning
another ``VectorIndex`` over the same storage as ``index`` (as a restarted process would open it).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable

import pytest

from wa_agents.domain.model.knowledge import AtLeast, DimensionMismatch, VectorItem
from wa_agents.ports.embeddings import Embedder, VectorIndex

Reopen = Callable[[Embedder], VectorIndex]


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


def _message(item_id: str, text: str, session: str, contact: str, **extra: object) -> VectorItem:
    meta = {"kind": "message", "session_id": session, "contact_jid": contact, "agent_id": "a1"}
    return VectorItem(item_id, text, {**meta, **extra})  # type: ignore[dict-item]


class EmbedderContract:
    async def test_one_vector_per_text_of_the_declared_dimension(self, embedder: Embedder) -> None:
        vectors = await embedder.embed(["one", "two words", "três palavras aqui"])
        assert len(vectors) == 3
        assert all(len(v) == embedder.dimension for v in vectors)
        assert await embedder.embed([]) == []

    async def test_vectors_are_unit_length(self, embedder: Embedder) -> None:
        for vector in await embedder.embed(["refund my order", "x"]):
            assert math.isclose(math.sqrt(sum(v * v for v in vector)), 1.0, abs_tol=1e-3)

    async def test_a_batch_gives_what_one_by_one_gives(self, embedder: Embedder) -> None:
        texts = ["refund my order", "a much longer sentence about opening hours on sundays", "ok"]
        together = await embedder.embed(texts)
        for text, vector in zip(texts, together, strict=True):
            [alone] = await embedder.embed([text])
            assert all(math.isclose(x, y, abs_tol=1e-5) for x, y in zip(alone, vector, strict=True))

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
        everything = await index.query("when do you deliver my order", 10)
        assert [h.id for h in everything][:1] == ["2"] and len(everything) == 3
        assert all(a.score >= b.score for a, b in itertools.pairwise(everything))

    async def test_an_exact_text_scores_about_one(self, index: VectorIndex) -> None:
        await index.upsert([VectorItem("1", "price list for the summer"), VectorItem("2", "cats")])
        [best] = await index.query("price list for the summer", 1)
        assert best.id == "1" and math.isclose(best.score, 1.0, abs_tol=1e-3)

    async def test_where_restricts_by_session_contact_agent_and_kind(
        self, index: VectorIndex
    ) -> None:
        await index.upsert(
            [
                _message("m1", "price list", "s1", "c1"),
                _message("m2", "price list", "s1", "c2"),
                _message("m3", "price list", "s2", "c1"),
                VectorItem("k1", "price list", {"kind": "chunk", "agent_id": "a2"}),
            ]
        )

        async def ids(where: dict[str, object]) -> set[str]:
            return {h.id for h in await index.query("price", 10, where)}  # type: ignore[arg-type]

        assert await ids({"session_id": "s1"}) == {"m1", "m2"}
        assert await ids({"session_id": "s1", "contact_jid": "c1"}) == {"m1"}
        assert await ids({"agent_id": "a2"}) == {"k1"}
        assert await ids({"kind": "message"}) == {"m1", "m2", "m3"}
        assert await ids({"session_id": "nobody"}) == set()

    async def test_at_least_filters_numbers(self, index: VectorIndex) -> None:
        await index.upsert(
            [
                _message("old", "my address is 5 main street", "s", "c", timestamp=100.0),
                _message("new", "my address is 7 side road", "s", "c", timestamp=200.0),
            ]
        )
        hits = await index.query("address", 5, {"session_id": "s", "timestamp": AtLeast(150.0)})
        assert [h.id for h in hits] == ["new"]
        assert await index.count({"timestamp": AtLeast(100.0)}) == 2

    async def test_upsert_is_idempotent_by_id(self, index: VectorIndex) -> None:
        items = [VectorItem("x", "old text", {"doc": "d1"}), VectorItem("y", "keep", {"doc": "d2"})]
        await index.upsert(items)
        await index.upsert(items)
        assert await index.count() == 2
        await index.upsert([VectorItem("x", "new text", {"doc": "d1"})])
        hits = await index.query("new text", 5, {"doc": "d1"})
        assert [(h.id, h.text) for h in hits] == [("x", "new text")]
        assert await index.count() == 2

    async def test_delete_by_filter_counts_and_keeps_the_rest(self, index: VectorIndex) -> None:
        await index.upsert(
            [
                _message("m1", "hello", "s1", "c1"),
                _message("m2", "hello again", "s1", "c1"),
                _message("m3", "hello", "s1", "c2"),
                _message("m4", "hello", "s2", "c1"),
            ]
        )
        assert await index.delete({"session_id": "s1", "contact_jid": "c1"}) == 2
        assert await index.count({"session_id": "s1"}) == 1
        assert await index.delete({"session_id": "s2"}) == 1
        assert await index.delete({"session_id": "s2"}) == 0
        assert [h.id for h in await index.query("hello", 5)] == ["m3"]
        with pytest.raises(ValueError):
            await index.delete({})

    async def test_empty_index_and_zero_k(self, index: VectorIndex) -> None:
        assert await index.query("anything", 3) == []
        assert await index.count() == 0
        await index.upsert([])
        await index.upsert([VectorItem("1", "text")])
        assert await index.query("text", 0) == []

    async def test_a_given_vector_is_used_and_a_wrong_length_refused(
        self, index: VectorIndex
    ) -> None:
        probe = await index.query("x", 1)  # the embedder's dimension is what the index holds
        assert probe == []
        await index.upsert([VectorItem("t", "some text")])
        [hit] = await index.query("some text", 1)
        with pytest.raises(DimensionMismatch, match="reindex"):
            await index.upsert([VectorItem("v", "short", vector=(1.0, 0.0, 0.0))])
        assert await index.count() == 1 and hit.id == "t"

    async def test_a_store_built_with_another_dimension_is_refused_until_cleared(
        self, index: VectorIndex, reopen_index: Reopen
    ) -> None:
        from wa_agents.adapters.memory import HashingEmbedder

        await index.upsert([VectorItem("1", "built with 64 dimensions", {"kind": "chunk"})])
        other = reopen_index(HashingEmbedder(32))
        with pytest.raises(DimensionMismatch) as refused:
            await other.query("built", 1)
        assert (refused.value.expected, refused.value.got) == (64, 32)
        with pytest.raises(DimensionMismatch):
            await other.upsert([VectorItem("2", "new")])
        await other.clear()
        await other.upsert([VectorItem("2", "rebuilt with 32 dimensions")])
        assert [h.id for h in await other.query("rebuilt", 5)] == ["2"]
