"""Fitting conversation history into a token budget."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def estimate_tokens(text: str) -> int:
    """A cheap, model-agnostic estimate: about four characters a token, plus framing."""
    return len(text) // 4 + 4


def fit_history(items: Sequence[T], budget: int, cost: Callable[[T], int]) -> list[T]:
    """The longest suffix of ``items`` (newest last) whose total cost is within ``budget``.

    Order is kept; nothing in the middle is dropped, so the model never sees a gap.
    """
    kept: list[T] = []
    spent = 0
    for item in reversed(items):
        spent += cost(item)
        if spent > budget:
            break
        kept.append(item)
    kept.reverse()
    return kept
