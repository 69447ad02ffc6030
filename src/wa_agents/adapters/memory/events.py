"""In-memory ``EventBus``: one bounded queue per subscriber, in this process.

A subscriber that falls ``buffer`` events behind loses its oldest ones (``dropped`` counts
them), so a stalled browser tab can never make ``publish`` wait or grow memory without end.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque

from wa_agents.ports.events import Event, EventBus, EventStream


class MemoryEventStream(EventStream):
    def __init__(self, bus: MemoryEventBus, buffer: int) -> None:
        self._bus = bus
        self._queue: asyncio.Queue[Event] = asyncio.Queue(buffer)
        self.dropped = 0

    def offer(self, event: Event) -> None:
        while True:
            try:
                self._queue.put_nowait(event)
                return
            except asyncio.QueueFull:
                self._queue.get_nowait()
                self.dropped += 1

    async def next(self, wait: float) -> Event | None:
        with contextlib.suppress(TimeoutError):
            return await asyncio.wait_for(self._queue.get(), wait)
        return None

    def close(self) -> None:
        self._bus.forget(self)


class MemoryEventBus(EventBus):
    def __init__(self, buffer: int = 256) -> None:
        self._buffer = buffer
        self._streams: set[MemoryEventStream] = set()
        self.published: deque[Event] = deque(maxlen=1_000)  # inspection: the newest events

    @property
    def subscribers(self) -> int:
        return len(self._streams)

    async def publish(self, event: Event) -> None:
        self.published.append(event)
        for stream in list(self._streams):
            stream.offer(event)

    def subscribe(self) -> MemoryEventStream:
        stream = MemoryEventStream(self, self._buffer)
        self._streams.add(stream)
        return stream

    def forget(self, stream: MemoryEventStream) -> None:
        self._streams.discard(stream)
