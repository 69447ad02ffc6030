"""What the vector index stores and returns, and how it is filtered.

Metadata keys every writer uses: ``kind`` ("message" | "chunk"), ``session_id``,
``contact_jid``, ``agent_id``, ``message_id`` and ``direction`` (messages), ``document_id`` +
``chunk_id`` + ``title`` (chunks), ``timestamp`` (epoch seconds, float).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from wa_agents.domain.model.errors import DomainError, InfrastructureError

Scalar = str | int | float | bool


@dataclass(frozen=True, slots=True)
class VectorItem:
    """One text to index under ``id``. ``vector``, when given, is used as is (it must have
    the index's dimension); otherwise the index embeds ``text`` with its embedder."""

    id: str
    text: str
    metadata: dict[str, Scalar] = field(default_factory=dict)
    vector: tuple[float, ...] | None = None


@dataclass(frozen=True, slots=True)
class VectorHit:
    id: str
    text: str
    score: float  # higher is closer, in [-1, 1] for cosine
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AtLeast:
    """A ``where`` condition: the metadata value is a number ``>= value``."""

    value: float


Where = Mapping[str, Scalar | AtLeast]


def matches(metadata: Mapping[str, Any], where: Where | None) -> bool:
    """Whether ``metadata`` satisfies every condition of ``where`` (None: everything does)."""
    if where is None:
        return True
    for key, condition in where.items():
        value = metadata.get(key)
        if isinstance(condition, AtLeast):
            if not isinstance(value, int | float) or value < condition.value:
                return False
        elif value != condition:
            return False
    return True


class DimensionMismatch(DomainError):
    """Vectors of one length were offered to an index that holds vectors of another: the
    embedder changed since the index was built. ``wa-agents reindex`` rebuilds it."""

    def __init__(self, expected: int, got: int) -> None:
        super().__init__(
            f"the vector index holds {expected}-dimensional vectors but got {got}: the embedder "
            "changed since it was built; run `wa-agents reindex` to rebuild it"
        )
        self.expected = expected
        self.got = got


class VectorStoreUnavailable(InfrastructureError):
    """The vector store could not be reached or failed."""


class EmbedderUnavailable(InfrastructureError):
    """The embedder could not run (a remote service down, a model that failed to load)."""
