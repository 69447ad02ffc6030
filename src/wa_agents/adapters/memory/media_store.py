"""``MemoryMediaStore``: media bytes in a dict (tests, demos, embedding hosts)."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterable, AsyncIterator
from datetime import datetime

from wa_agents.domain.model.errors import NotFound
from wa_agents.domain.model.media import MediaTooLarge
from wa_agents.ports.clock import Clock
from wa_agents.ports.media import MediaStore, StoredMedia


class MemoryMediaStore(MediaStore):
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self.objects: dict[str, tuple[bytes, datetime]] = {}

    async def put(self, chunks: AsyncIterable[bytes], *, max_bytes: int) -> StoredMedia:
        parts: list[bytes] = []
        size = 0
        async for chunk in chunks:
            size += len(chunk)
            if size > max_bytes:
                raise MediaTooLarge(f"the file is larger than the {max_bytes:,} bytes allowed")
            parts.append(chunk)
        data = b"".join(parts)
        key, now = hashlib.sha256(data).hexdigest(), self._clock.now()
        self.objects[key] = (data, now)
        return StoredMedia(key, size, now)

    async def open(self, key: str) -> AsyncIterator[bytes]:
        if key not in self.objects:
            raise NotFound("media", key)
        return _once(self.objects[key][0])

    async def stat(self, key: str) -> StoredMedia | None:
        found = self.objects.get(key)
        return StoredMedia(key, len(found[0]), found[1]) if found else None

    async def delete(self, key: str) -> bool:
        return self.objects.pop(key, None) is not None

    async def purge(self, before: datetime) -> list[str]:
        old = [key for key, (_, at) in self.objects.items() if at < before]
        for key in old:
            del self.objects[key]
        return old


async def _once(data: bytes, chunk: int = 64 * 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(data), chunk):
        yield data[start : start + chunk]
