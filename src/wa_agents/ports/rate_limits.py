"""Sliding windows of hits per key (login throttle, webhook rate limits).

``recent`` returns the times (POSIX seconds) of the key's hits within the last ``seconds``,
oldest first; ``add`` records a hit at ``now`` (kept for ``seconds``). Every process using the
same backend sees the same hits. Not transactional: two processes checking at once may both
pass, which a throttle tolerates. A backend that is down degrades to local windows (logged).
"""

from __future__ import annotations

from typing import Protocol


class HitWindows(Protocol):
    async def recent(self, key: str, *, seconds: float, now: float) -> list[float]: ...
    async def add(self, key: str, *, seconds: float, now: float) -> None: ...
