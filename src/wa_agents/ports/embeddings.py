"""Embedders and the vector index.

``Embedder.embed`` maps texts to vectors of length ``dimension``, one per text, in order; the
same text always gives the same vector (batching does not change it). It may raise
``EmbedderUnavailable``.

``VectorIndex`` holds items of one dimension (fixed by the first item it stores).
``upsert`` replaces items with the same id (idempotent); an item's own ``vector`` is used as
is, other items are embedded by the index's embedder. ``query`` returns at most ``k`` hits,
best first (cosine, higher is closer), restricted to items whose metadata satisfies every
condition of ``where`` (equality, or ``AtLeast``). ``delete`` removes every item matching
``where`` (which must not be empty) and returns how many. ``count`` counts matching items;
``clear`` removes everything and forgets the dimension (before a rebuild with another embedder).
A vector of another dimension, offered or produced by the embedder, raises
``DimensionMismatch``; a store that cannot be reached raises ``VectorStoreUnavailable``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from wa_agents.domain.model.knowledge import VectorHit, VectorItem, Where

__all__ = ["Embedder", "VectorIndex", "Where"]


class Embedder(Protocol):
    @property
    def dimension(self) -> int: ...
    async def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


class VectorIndex(Protocol):
    async def upsert(self, items: Sequence[VectorItem]) -> None: ...
    async def query(self, text: str, k: int, where: Where | None = None) -> list[VectorHit]: ...
    async def delete(self, where: Where) -> int: ...
    async def count(self, where: Where | None = None) -> int: ...
    async def clear(self) -> None: ...
