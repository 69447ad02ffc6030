"""``RedisHitWindows``: sliding windows as Redis sorted sets (score = hit time), shared by
every replica; local windows while Redis is unreachable."""

from __future__ import annotations

import secrets

import redis.asyncio as aioredis

from wa_agents.adapters.redis.connection import FAILURES, Degradation
from wa_agents.domain.services.rate_windows import LocalHitWindows
from wa_agents.ports.rate_limits import HitWindows


class RedisHitWindows(HitWindows):
    def __init__(self, client: aioredis.Redis, prefix: str = "wa:hits:") -> None:
        self._redis, self._prefix = client, prefix
        self._local = LocalHitWindows()
        self.health = Degradation("login and webhook rate limits")

    async def recent(self, key: str, *, seconds: float, now: float) -> list[float]:
        name = self._prefix + key
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.zremrangebyscore(name, "-inf", now - seconds)
                pipe.zrange(name, 0, -1, withscores=True)
                _, members = await pipe.execute()
        except FAILURES as exc:
            self.health.failed(exc)
            return await self._local.recent(key, seconds=seconds, now=now)
        self.health.recovered()
        return [float(score) for _, score in members]

    async def add(self, key: str, *, seconds: float, now: float) -> None:
        await self._local.add(key, seconds=seconds, now=now)  # kept for an outage to come
        name = self._prefix + key
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.zadd(name, {f"{now:.6f}:{secrets.token_hex(4)}": now})
                pipe.expire(name, max(1, int(seconds) + 1))
                await pipe.execute()
        except FAILURES as exc:
            self.health.failed(exc)
