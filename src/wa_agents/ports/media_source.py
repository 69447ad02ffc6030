"""Where inbound media bytes come from: the bridge (``GET /sessions/{id}/media/{mediaId}``).

``download`` is an async context manager yielding a ``MediaDownload`` whose ``chunks`` stream
the file (nothing is read before the caller iterates). It raises ``MediaUnavailable`` when the
bridge has no media route (a plain zapw) or no such media, ``MediaTooLarge`` when the bridge
refuses a file above its own limit, and ``BridgeUnavailable`` when the bridge is unreachable
or fails (a retry may succeed). Safe to call again: downloading changes nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class MediaDownload:
    chunks: AsyncIterator[bytes]
    content_type: str | None = None
    length: int | None = None  # Content-Length, when the bridge knows it


class MediaSource(Protocol):
    def download(
        self, session_id: str, media_id: str
    ) -> AbstractAsyncContextManager[MediaDownload]: ...
