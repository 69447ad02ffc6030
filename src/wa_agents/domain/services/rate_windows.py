"""``LocalHitWindows``: sliding windows of hits in this process (one replica, or a fallback)."""

from __future__ import annotations

from collections import defaultdict, deque

from wa_agents.ports.rate_limits import HitWindows


class LocalHitWindows(HitWindows):
    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = defaultdict(deque)

    def _live(self, key: str, seconds: float, now: float) -> deque[float]:
        hits = self._hits[key]
        while hits and hits[0] <= now - seconds:
            hits.popleft()
        if not hits:
            del self._hits[key]
            return deque()
        return hits

    async def recent(self, key: str, *, seconds: float, now: float) -> list[float]:
        return list(self._live(key, seconds, now))

    async def add(self, key: str, *, seconds: float, now: float) -> None:
        self._live(key, seconds, now)
        self._hits[key].append(now)
