"""In-memory ``VectorIndex``: exact cosine search over an embedder's vectors.

Vectors are kept L2-normalised in one numpy matrix (rebuilt after a change), so a query is
one matrix-vector product: exact, and fast enough for tens of thousands of items.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from wa_agents.domain.model.knowledge import (
    DimensionMismatch,
    VectorHit,
    VectorItem,
    Where,
    matches,
)
from wa_agents.ports.embeddings import Embedder, VectorIndex


@dataclass
class MemoryVectorStorage:
    """What a ``MemoryVectorIndex`` holds; two indexes may share one (a "reopened" store)."""

    items: dict[str, VectorItem] = field(default_factory=dict)
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    dimension: int | None = None
    _matrix: tuple[list[str], np.ndarray] | None = None

    def matrix(self) -> tuple[list[str], np.ndarray]:
        if self._matrix is None:
            ids = list(self.vectors)
            rows = [self.vectors[i] for i in ids]
            width = self.dimension or 0
            self._matrix = (ids, np.vstack(rows) if rows else np.zeros((0, width), np.float32))
        return self._matrix

    def changed(self) -> None:
        self._matrix = None


def _unit(vector: Sequence[float]) -> np.ndarray:
    array = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(array))
    return array / norm if norm else array


class MemoryVectorIndex(VectorIndex):
    def __init__(self, embedder: Embedder, storage: MemoryVectorStorage | None = None) -> None:
        self._embedder = embedder
        self._storage = storage if storage is not None else MemoryVectorStorage()

    def _check(self, width: int) -> None:
        expected = self._storage.dimension
        if expected is not None and expected != width:
            raise DimensionMismatch(expected, width)

    async def _vectors(self, items: Sequence[VectorItem]) -> list[Sequence[float]]:
        missing = [i.text for i in items if i.vector is None]
        made = iter(await self._embedder.embed(missing) if missing else [])
        return [i.vector if i.vector is not None else next(made) for i in items]

    async def upsert(self, items: Sequence[VectorItem]) -> None:
        if not items:
            return
        vectors = await self._vectors(items)
        for vector in vectors:
            self._check(len(vector))
        store = self._storage
        store.dimension = len(vectors[0])
        for item, vector in zip(items, vectors, strict=True):
            store.items[item.id] = item
            store.vectors[item.id] = _unit(vector)
        store.changed()

    async def query(self, text: str, k: int, where: Where | None = None) -> list[VectorHit]:
        if k <= 0 or not self._storage.items:
            return []
        [probe] = await self._embedder.embed([text])
        self._check(len(probe))
        ids, matrix = self._storage.matrix()
        scores = matrix @ _unit(probe)
        hits: list[VectorHit] = []
        for position in np.argsort(-scores, kind="stable"):
            item = self._storage.items[ids[position]]
            if matches(item.metadata, where):
                hits.append(
                    VectorHit(item.id, item.text, float(scores[position]), dict(item.metadata))
                )
                if len(hits) == k:
                    break
        return hits

    async def delete(self, where: Where) -> int:
        if not where:
            raise ValueError("delete needs a non-empty where (use clear to remove everything)")
        store = self._storage
        doomed = [key for key, item in store.items.items() if matches(item.metadata, where)]
        for key in doomed:
            del store.items[key], store.vectors[key]
        if not store.items:
            store.dimension = None  # an empty index takes any embedder's vectors
        store.changed()
        return len(doomed)

    async def count(self, where: Where | None = None) -> int:
        return sum(1 for item in self._storage.items.values() if matches(item.metadata, where))

    async def clear(self) -> None:
        self._storage.items.clear()
        self._storage.vectors.clear()
        self._storage.dimension = None
        self._storage.changed()

    def __len__(self) -> int:
        return len(self._storage.items)
