"""Embedders and the vector index.

``Embedder.embed`` maps texts to vectors of length ``dimension``, one per text, in order; the
same text always gives the same vector. ``VectorIndex.upsert`` replaces items with the same id;
``query`` returns at most ``k`` hits, best first, restricted to items whose metadata equals every
key of ``where``; ``delete`` removes every item matching ``where`` and returns how many.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from wa_agents.domain.model.knowledge import VectorHit, VectorItem

Where = Mapping[str, str | int | float | bool]


class Embedder(Protocol):
    @property
    def dimension(self) -> int: ...
    async def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


class VectorIndex(Protocol):
    async def upsert(self, items: Sequence[VectorItem]) -> None: ...
    async def query(self, text: str, k: int, where: Where | None = None) -> list[VectorHit]: ...
    async def delete(self, where: Where) -> int: ...
