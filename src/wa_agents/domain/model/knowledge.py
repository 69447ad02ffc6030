"""What the vector index stores and returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class VectorItem:
    id: str
    text: str
    metadata: dict[str, str | int | float | bool] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class VectorHit:
    id: str
    text: str
    score: float  # higher is closer, in [-1, 1] for cosine
    metadata: dict[str, Any] = field(default_factory=dict)
