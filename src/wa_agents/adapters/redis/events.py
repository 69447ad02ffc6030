"""``RedisEventBus``: live events fan out to every replica through Redis pub/sub.

``publish`` sends to one channel; each process that has subscribers listens to it and hands
every event to its local ``MemoryEventBus`` (which keeps each stream bounded). While this
process is not listening (no subscriber yet, or Redis down) its own events are also delivered
locally, so a dashboard on the replica that caused an event still sees it during an outage.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

import redis.asyncio as aioredis

from wa_agents.adapters.memory.events import MemoryEventBus, MemoryEventStream
from wa_agents.adapters.redis.connection import FAILURES, Degradation
from wa_agents.ports.events import Event, EventBus

log = logging.getLogger("wa_agents.redis")
CHANNEL = "wa:events"
RETRY_SECONDS = 1.0


class RedisEventBus(EventBus):
    def __init__(self, client: aioredis.Redis, channel: str = CHANNEL) -> None:
        self._redis, self._channel = client, channel
        self.local = MemoryEventBus()
        self.health = Degradation("live events")
        self._listening = False
        self._task: asyncio.Task[None] | None = None

    async def publish(self, event: Event) -> None:
        payload = json.dumps({"kind": event.kind, "data": event.data})
        try:
            await self._redis.publish(self._channel, payload)
        except FAILURES as exc:
            self.health.failed(exc)
            await self.local.publish(event)
            return
        if not self._listening:
            await self.local.publish(event)

    def subscribe(self) -> MemoryEventStream:
        if self._task is None:  # the first subscriber starts this process's listener
            self._task = asyncio.get_running_loop().create_task(self._listen())
        return self.local.subscribe()

    async def aclose(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _listen(self) -> None:
        while True:
            try:
                async with self._redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(self._channel)
                    self._listening = True
                    self.health.recovered()
                    while True:
                        message = await pubsub.get_message(timeout=0.25)
                        if message is not None and message.get("type") == "message":
                            await self._deliver(message["data"])
            except FAILURES as exc:
                self._listening = False
                self.health.failed(exc)
                await asyncio.sleep(RETRY_SECONDS)
            finally:
                self._listening = False

    async def _deliver(self, raw: bytes) -> None:
        try:
            decoded = json.loads(raw)
            event = Event(str(decoded["kind"]), dict(decoded["data"]))
        except (ValueError, KeyError, TypeError):
            log.warning("ignored a malformed live event on %s", self._channel)
            return
        await self.local.publish(event)
