"""``RedisGovernorStore``: each number's governor state as one JSON value, updated with
WATCH/MULTI (optimistic concurrency), so every worker of every host keeps one number's budget.
While Redis is unreachable the governor runs on this process's state (logged)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TypeVar

import redis.asyncio as aioredis
from redis.exceptions import WatchError

from wa_agents.adapters.redis.connection import FAILURES, Degradation
from wa_agents.domain.services.governor import LocalGovernorStore
from wa_agents.ports.governor import GovernorStore, State

T = TypeVar("T")
KEEP_SECONDS = 8 * 86400  # a week of quiet and a number's state may go: it is all windows


class RedisGovernorStore(GovernorStore):
    def __init__(self, client: aioredis.Redis, prefix: str = "wa:governor:") -> None:
        self._redis, self._prefix = client, prefix
        self._local = LocalGovernorStore()
        self.health = Degradation("send budgets and pacing")

    async def update(self, number: str, change: Callable[[State | None], tuple[State, T]]) -> T:
        try:
            result = await self._update(self._prefix + number, change)
        except FAILURES as exc:
            self.health.failed(exc)
            return await self._local.update(number, change)
        self.health.recovered()
        return result

    async def _update(self, key: str, change: Callable[[State | None], tuple[State, T]]) -> T:
        async with self._redis.pipeline(transaction=True) as pipe:
            while True:
                try:
                    await pipe.watch(key)
                    raw = await pipe.get(key)
                    state, result = change(json.loads(raw) if raw else None)
                    pipe.multi()  # type: ignore[no-untyped-call]
                    pipe.set(key, json.dumps(state), ex=KEEP_SECONDS)
                    await pipe.execute()
                    return result
                except WatchError:  # another process changed it meanwhile: read again
                    continue

    async def read(self, number: str) -> State | None:
        try:
            raw = await self._redis.get(self._prefix + number)
        except FAILURES as exc:
            self.health.failed(exc)
            return await self._local.read(number)
        value: State | None = json.loads(raw) if raw else None
        return value
