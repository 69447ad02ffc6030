"""Where media files are kept: the ``MediaStore``.

Content-addressed: ``put`` streams the chunks it is given (never holding the whole file),
and the key of what it stored is the SHA-256 of the bytes, so the same file stored twice is
kept once. ``put`` raises ``MediaTooLarge`` as soon as more than ``max_bytes`` arrive, and
then keeps nothing. Storing content that exists already refreshes its ``stored_at``.

``open`` returns an async iterator over the stored bytes in chunks (``NotFound`` for an
unknown key, raised by ``open`` itself). ``stat`` is the stored object's facts, or None.
``delete`` removes one object and returns whether it existed. ``purge`` deletes every object
stored before ``before`` and returns their keys (retention). All methods are safe to repeat.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class StoredMedia:
    key: str  # the hex SHA-256 of the bytes
    size: int
    stored_at: datetime


class MediaStore(Protocol):
    async def put(self, chunks: AsyncIterable[bytes], *, max_bytes: int) -> StoredMedia: ...
    async def open(self, key: str) -> AsyncIterator[bytes]: ...
    async def stat(self, key: str) -> StoredMedia | None: ...
    async def delete(self, key: str) -> bool: ...
    async def purge(self, before: datetime) -> list[str]: ...
