"""``OpenAIEmbedder``: the embeddings endpoint of OpenAI or any OpenAI-compatible server.

``dimension`` is known for OpenAI's own models and must be given for others. For the
``text-embedding-3-*`` models a smaller ``dimensions`` is asked of the server itself; any other
model must return vectors of the configured length, or the call is refused. SDK errors become
``EmbedderUnavailable``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import openai

from wa_agents.domain.model.knowledge import EmbedderUnavailable
from wa_agents.ports.embeddings import Embedder

DEFAULT_MODEL = "text-embedding-3-small"
KNOWN_DIMENSIONS = {
    "text-embedding-3-small": 1536,
    "text-embedding-3-large": 3072,
    "text-embedding-ada-002": 1536,
}
BATCH = 256  # inputs per request (the API takes up to 2048)


def dimension_of(model: str, dimensions: int | None) -> int:
    """The vector length ``model`` gives; ``ValueError`` when it is unknown and not given."""
    if dimensions is not None:
        return dimensions
    if model in KNOWN_DIMENSIONS:
        return KNOWN_DIMENSIONS[model]
    raise ValueError(f"the dimension of embedding model {model!r} is unknown: give it")


class OpenAIEmbedder(Embedder):
    def __init__(
        self,
        api_key: str,
        *,
        model: str = DEFAULT_MODEL,
        dimensions: int | None = None,
        base_url: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 2,
    ) -> None:
        self._model = model
        self._dimension = dimension_of(model, dimensions)
        self._ask_dimensions = dimensions is not None and model.startswith("text-embedding-3")
        self._client = openai.AsyncOpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries
        )

    @property
    def dimension(self) -> int:
        return self._dimension

    async def aclose(self) -> None:
        await self._client.close()

    async def _batch(self, texts: list[str]) -> list[list[float]]:
        request: dict[str, Any] = {"model": self._model, "input": texts, "encoding_format": "float"}
        if self._ask_dimensions:
            request["dimensions"] = self._dimension
        try:
            response = await self._client.embeddings.create(**request)
        except openai.OpenAIError as exc:
            raise EmbedderUnavailable(
                f"embedding call failed: {type(exc).__name__}: {exc}"
            ) from exc
        rows = sorted(response.data, key=lambda row: row.index)
        if len(rows) != len(texts) or any(len(r.embedding) != self._dimension for r in rows):
            raise EmbedderUnavailable(
                f"the embedding server answered {len(rows)} vectors for {len(texts)} texts, "
                f"or vectors that are not {self._dimension} long (set the dimension it makes)"
            )
        return [list(r.embedding) for r in rows]

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        vectors: list[list[float]] = []
        for start in range(0, len(texts), BATCH):
            # the API refuses empty strings; a space embeds as "nothing said"
            batch = [t if t.strip() else " " for t in texts[start : start + BATCH]]
            vectors += await self._batch(batch)
        return vectors
