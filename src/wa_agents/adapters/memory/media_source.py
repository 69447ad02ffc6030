"""``MemoryMediaSource`` and ``MemoryTranscriber``: media without a bridge or a speech server.

``MemoryMediaSource.files`` maps (session id, media id) to (bytes, content type); anything
else is ``MediaUnavailable`` (like a plain zapw, which has no media route).
``MemoryTranscriber`` answers ``transcripts[sha256 of the audio]``, else ``default``, and
records what it heard in ``heard``; ``fail_times`` makes the next calls raise ``LLMUnavailable``.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterable, AsyncIterator
from contextlib import asynccontextmanager

from wa_agents.domain.model.errors import LLMUnavailable
from wa_agents.domain.model.media import MediaUnavailable
from wa_agents.ports.media_source import MediaDownload, MediaSource
from wa_agents.ports.transcriber import Transcriber


class MemoryMediaSource(MediaSource):
    def __init__(self) -> None:
        self.files: dict[tuple[str, str], tuple[bytes, str]] = {}
        self.downloads = 0

    @asynccontextmanager
    async def download(self, session_id: str, media_id: str) -> AsyncIterator[MediaDownload]:
        found = self.files.get((session_id, media_id))
        if found is None:
            raise MediaUnavailable(f"no media {media_id} in session {session_id}")
        self.downloads += 1
        data, content_type = found
        yield MediaDownload(_chunks(data), content_type, len(data))


async def _chunks(data: bytes, size: int = 64 * 1024) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


class MemoryTranscriber(Transcriber):
    def __init__(self, default: str = "(transcribed audio)") -> None:
        self.default = default
        self.transcripts: dict[str, str] = {}
        self.heard: list[str] = []  # sha256 of each audio transcribed
        self.fail_times = 0

    async def transcribe(
        self, audio: AsyncIterable[bytes], *, size: int, mime_type: str, filename: str
    ) -> str:
        digest = hashlib.sha256()
        async for chunk in audio:
            digest.update(chunk)
        if self.fail_times > 0:
            self.fail_times -= 1
            raise LLMUnavailable("the memory transcriber was told to fail")
        self.heard.append(digest.hexdigest())
        return self.transcripts.get(digest.hexdigest(), self.default)
