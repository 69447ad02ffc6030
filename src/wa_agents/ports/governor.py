"""Shared state of the send governor, one JSON object per WhatsApp number.

``update`` is atomic per number across every process that uses the same store: it reads the
number's state (None: never seen), calls ``change`` with it, writes the state ``change``
returns and gives back its result. ``change`` is pure and synchronous and may be called more
than once when two processes race (optimistic concurrency). ``read`` never writes. A store
that loses its backend (Redis down) keeps working on local state and says so in the log.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
State = dict[str, Any]


class GovernorStore(Protocol):
    async def update(self, number: str, change: Callable[[State | None], tuple[State, T]]) -> T: ...
    async def read(self, number: str) -> State | None: ...
