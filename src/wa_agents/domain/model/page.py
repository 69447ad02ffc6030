"""Pagination shared by every list query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from wa_agents.domain.model.errors import ValidationError

T = TypeVar("T")
MAX_LIMIT = 500


@dataclass(frozen=True, slots=True)
class PageRequest:
    limit: int = 50
    offset: int = 0

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise ValidationError(f"limit must be between 1 and {MAX_LIMIT}")
        if self.offset < 0:
            raise ValidationError("offset must not be negative")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int
