"""``ChromaVectorIndex``: the vector index on chromadb, embedded or a server.

Our embedder makes every vector (the collection has no embedding function, so chromadb's
default one, which downloads a model, is never used). Cosine space; a hit's score is
``1 - distance``. The collection records the dimension it holds in its metadata, so a store
built with another embedder is refused with ``DimensionMismatch`` instead of answering
nonsense. chromadb's calls block: they run in the platform's bounded thread pool.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from wa_agents.adapters.chroma.client import open_client, where_clause
from wa_agents.domain.model.errors import WaAgentsError
from wa_agents.domain.model.knowledge import (
    DimensionMismatch,
    VectorHit,
    VectorItem,
    VectorStoreUnavailable,
    Where,
    matches,
)
from wa_agents.domain.services.threads import Offloader
from wa_agents.ports.embeddings import Embedder, VectorIndex

T = TypeVar("T")
PIPELINE_SLICE = 64  # items per embed-then-store step of an upsert
DEFAULT_COLLECTION = "wa_agents"
OVERFETCH, MIN_WIDE = 10, 50


class ChromaVectorIndex(VectorIndex):
    def __init__(
        self,
        embedder: Embedder,
        *,
        path: Path | None = None,
        url: str | None = None,
        collection: str = DEFAULT_COLLECTION,
        offload: Offloader | None = None,
    ) -> None:
        self._embedder = embedder
        self._path, self._url, self._name = path, url, collection
        self._offload = offload or Offloader()
        self._lock = threading.Lock()
        self._client: Any = None
        self._collection: Any = None
        self._batch = 1000

    # --- blocking helpers (run in a thread) -----------------------------------------------

    def _open(self) -> Any:
        with self._lock:
            if self._collection is None:
                if self._client is None:
                    self._client = open_client(self._path, self._url)
                    self._batch = min(self._batch, self._client.get_max_batch_size())
                self._collection = self._client.get_or_create_collection(
                    self._name,
                    embedding_function=None,
                    configuration={"hnsw": {"space": "cosine"}},
                    metadata={"dimension": self._embedder.dimension},
                )
                self._adopt_if_empty(self._collection)
            return self._collection

    def _adopt_if_empty(self, collection: Any) -> None:
        held = (collection.metadata or {}).get("dimension")
        if held != self._embedder.dimension and collection.count() == 0:
            collection.modify(metadata={"dimension": self._embedder.dimension})

    def _dimension(self) -> int:
        held = (self._open().metadata or {}).get("dimension")
        return int(held) if held is not None else self._embedder.dimension

    def _check(self, width: int) -> None:
        expected = self._dimension()
        if width != expected:
            raise DimensionMismatch(expected, width)

    async def _run(self, fn: Callable[..., T], *args: object) -> T:
        def guarded() -> T:
            try:
                return fn(*args)
            except WaAgentsError:
                raise
            except Exception as exc:  # chromadb's own errors, and the HTTP client's
                with self._lock:
                    self._collection = None  # reopen next time (a server may have restarted)
                raise VectorStoreUnavailable(
                    f"chromadb failed: {type(exc).__name__}: {exc}"
                ) from exc

        return await self._offload(guarded)

    # --- the port ------------------------------------------------------------------------

    async def upsert(self, items: Sequence[VectorItem]) -> None:
        """Embedded and stored in slices, each slice stored while the next is embedded (the
        store and the embedder then share the cores instead of taking turns); in order."""
        storing: asyncio.Future[None] | None = None
        try:
            for start in range(0, len(items), PIPELINE_SLICE):
                part = list(items[start : start + PIPELINE_SLICE])
                vectors = await self._vectors(part)
                if storing is not None:
                    await storing
                storing = asyncio.ensure_future(self._run(self._upsert, part, vectors))
        finally:
            if storing is not None:
                await storing

    async def _vectors(self, items: list[VectorItem]) -> list[list[float]]:
        missing = [i.text for i in items if i.vector is None]
        made = iter(await self._embedder.embed(missing) if missing else [])
        return [list(i.vector) if i.vector is not None else next(made) for i in items]

    def _upsert(self, items: list[VectorItem], vectors: list[list[float]]) -> None:
        for vector in vectors:
            self._check(len(vector))
        collection = self._open()
        for start in range(0, len(items), self._batch):
            part = items[start : start + self._batch]
            collection.upsert(
                ids=[i.id for i in part],
                embeddings=vectors[start : start + self._batch],
                documents=[i.text for i in part],
                metadatas=[dict(i.metadata) or None for i in part],
            )

    async def query(self, text: str, k: int, where: Where | None = None) -> list[VectorHit]:
        if k <= 0:
            return []
        [probe] = await self._embedder.embed([text])
        return await self._run(self._query, probe, k, where)

    def _query(self, probe: list[float], k: int, where: Where | None) -> list[VectorHit]:
        """chromadb's metadata filter is slow when it matches many items (~1 s at 20k), its
        plain HNSW search fast (~6 ms). So: the nearest ``OVERFETCH``-fold neighbours unfiltered,
        filtered here; only when fewer than ``k`` of them match (a selective filter, which is
        cheap for chromadb) is the filtered query asked. Either way the hits are the best ``k``
        of the matching items."""
        self._check(len(probe))
        collection = self._open()
        wide = max(k * OVERFETCH, MIN_WIDE)
        hits = [
            h for h in self._search(collection, probe, wide, None) if matches(h.metadata, where)
        ]
        if len(hits) < k and where:
            hits = self._search(collection, probe, k, where)
        return hits[:k]

    def _search(
        self, collection: Any, probe: list[float], n: int, where: Where | None
    ) -> list[VectorHit]:
        found = collection.query(
            query_embeddings=[probe],
            n_results=n,
            where=where_clause(where),
            include=["documents", "metadatas", "distances"],
        )
        rows = zip(
            found["ids"][0],
            found["documents"][0],
            found["metadatas"][0],
            found["distances"][0],
            strict=True,
        )
        hits = [
            VectorHit(i, doc or "", 1.0 - float(d), dict(meta or {})) for i, doc, meta, d in rows
        ]
        hits.sort(key=lambda h: (-h.score, h.id))
        return hits

    async def delete(self, where: Where) -> int:
        if not where:
            raise ValueError("delete needs a non-empty where (use clear to remove everything)")
        return await self._run(self._delete, where)

    def _ids(self, where: Where | None) -> list[str]:
        ids: list[str] = self._open().get(where=where_clause(where), include=[])["ids"]
        return ids

    def _delete(self, where: Where) -> int:
        doomed = self._ids(where)
        for start in range(0, len(doomed), self._batch):
            self._open().delete(ids=doomed[start : start + self._batch])
        return len(doomed)

    async def count(self, where: Where | None = None) -> int:
        if not where:
            return int(await self._run(lambda: self._open().count()))
        return len(await self._run(self._ids, where))

    async def clear(self) -> None:
        await self._run(self._clear)

    def _clear(self) -> None:
        self._open()
        with self._lock:
            self._client.delete_collection(self._name)
            self._collection = None
        self._open()
