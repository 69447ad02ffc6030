"""Getting an inbound file from the bridge into the media store: capped, sniffed, streamed.

``MediaDownloader.download`` returns the message's ``MediaInfo`` moved on: STORED (with its
key, size and checked media type), or TOO_LARGE / UNAVAILABLE / REJECTED with a reason. Only
``BridgeUnavailable`` (and store outages) escape, for the job to retry.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from wa_agents.domain.model.media import (
    MediaInfo,
    MediaLimits,
    MediaStatus,
    MediaTooLarge,
    MediaUnavailable,
)
from wa_agents.domain.model.message import Message
from wa_agents.domain.model.sniff import HEAD_BYTES, acceptable, sniff
from wa_agents.ports.media import MediaStore
from wa_agents.ports.media_source import MediaSource

log = logging.getLogger("wa_agents.media")


class Rejected(Exception):
    def __init__(self, sniffed: str | None) -> None:
        super().__init__(sniffed)
        self.sniffed = sniffed


class MediaDownloader:
    def __init__(self, source: MediaSource, store: MediaStore, limits: MediaLimits) -> None:
        self._source, self._store, self._limits = source, store, limits

    async def download(self, message: Message, media: MediaInfo) -> MediaInfo:
        cap = self._limits.cap(media.kind)
        if media.size is not None and media.size > cap:
            return self._too_large(message, media, media.size, cap)
        if not media.source_id:
            return media.moved(MediaStatus.UNAVAILABLE, error="the bridge gave no media id")
        try:
            async with self._source.download(message.session_id, media.source_id) as got:
                if got.length is not None and got.length > cap:
                    return self._too_large(message, media, got.length, cap)
                checked = _Sniffed(got.chunks, media.kind)
                stored = await self._store.put(checked, max_bytes=cap)
        except MediaTooLarge:
            return self._too_large(message, media, None, cap)
        except MediaUnavailable as exc:
            log.warning("media of message %s is unavailable: %s", message.id, exc)
            return media.moved(MediaStatus.UNAVAILABLE, error=str(exc))
        except Rejected as exc:
            log.warning(
                "media of message %s refused: declared %s %s, the bytes are %s",
                message.id,
                media.kind,
                media.mime_type,
                exc.sniffed or "unknown",
            )
            return media.moved(
                MediaStatus.REJECTED,
                error=f"the file is not a {media.kind} (its bytes read as {exc.sniffed})",
            )
        mime = _media_type(media.mime_type or got.content_type, checked.sniffed)
        return media.moved(MediaStatus.STORED, key=stored.key, size=stored.size, mime_type=mime)

    @staticmethod
    def _too_large(message: Message, media: MediaInfo, size: int | None, cap: int) -> MediaInfo:
        shown = f"{size:,} bytes" if size is not None else "more than the cap"
        log.warning(
            "media of message %s refused: %s %s is %s, the cap for %s is %s bytes",
            message.id,
            media.kind,
            media.filename or media.source_id,
            shown,
            media.kind,
            f"{cap:,}",
        )
        return media.moved(MediaStatus.TOO_LARGE, error=f"{shown}; the cap is {cap:,} bytes")


def _media_type(declared: str | None, sniffed: str | None) -> str | None:
    """The declared type when the bytes agree with its family, else what the bytes are."""
    base = (declared or "").split(";")[0].strip().lower() or None
    if sniffed is None or sniffed in ("text/plain", "application/zip"):
        return base or sniffed
    if base is None or base.split("/")[0] != sniffed.split("/")[0]:
        return sniffed
    return base


class _Sniffed:
    """The download's chunks, checked against the message's kind before anything is kept."""

    def __init__(self, chunks: AsyncIterator[bytes], kind: str) -> None:
        self._chunks, self._kind = chunks, kind
        self.sniffed: str | None = None

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._read()

    async def _read(self) -> AsyncIterator[bytes]:
        head = b""
        async for chunk in self._chunks:
            if len(head) < HEAD_BYTES:
                head += chunk
                if len(head) < HEAD_BYTES:
                    continue
                self._check(head)
                yield head
                continue
            yield chunk
        if len(head) < HEAD_BYTES:  # a tiny file: check what there is
            self._check(head)
            yield head

    def _check(self, head: bytes) -> None:
        self.sniffed = sniff(head)
        if not acceptable(self._kind, self.sniffed):
            raise Rejected(self.sniffed)
