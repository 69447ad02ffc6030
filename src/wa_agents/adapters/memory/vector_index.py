"""In-memory ``VectorIndex``: exact cosine search over an embedder's vectors."""

from __future__ import annotations

import math
from collections.abc import Sequence

from wa_agents.domain.model.knowledge import VectorHit, VectorItem
from wa_agents.ports.embeddings import Embedder, VectorIndex, Where


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norms = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norms if norms else 0.0


def _matches(item: VectorItem, where: Where | None) -> bool:
    return where is None or all(item.metadata.get(k) == v for k, v in where.items())


class MemoryVectorIndex(VectorIndex):
    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._items: dict[str, tuple[VectorItem, list[float]]] = {}

    async def upsert(self, items: Sequence[VectorItem]) -> None:
        vectors = await self._embedder.embed([i.text for i in items])
        for item, vector in zip(items, vectors, strict=True):
            self._items[item.id] = (item, vector)

    async def query(self, text: str, k: int, where: Where | None = None) -> list[VectorHit]:
        if k <= 0:
            return []
        [probe] = await self._embedder.embed([text])
        scored = [
            VectorHit(item.id, item.text, _cosine(probe, vector), dict(item.metadata))
            for item, vector in self._items.values()
            if _matches(item, where)
        ]
        scored.sort(key=lambda h: (-h.score, h.id))
        return scored[:k]

    async def delete(self, where: Where) -> int:
        doomed = [key for key, (item, _) in self._items.items() if _matches(item, where)]
        for key in doomed:
            del self._items[key]
        return len(doomed)

    def __len__(self) -> int:
        return len(self._items)
