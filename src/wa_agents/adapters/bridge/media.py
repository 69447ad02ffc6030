"""``BridgeHttpMediaSource``: inbound media bytes from ``GET /sessions/{id}/media/{mediaId}``.

Our bridge streams the file; the body is read chunk by chunk while the caller stores it, so
memory stays flat whatever the size. A plain zapw has no such route: its 404 (and our
bridge's 404 for an unknown message) is ``MediaUnavailable``; 413 is ``MediaTooLarge``;
unreachable, time-outs, 429 and 5xx are ``BridgeUnavailable``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import quote

import httpx

from wa_agents.adapters.bridge.wire import error_text
from wa_agents.domain.model.errors import BridgeUnavailable
from wa_agents.domain.model.media import MediaTooLarge, MediaUnavailable
from wa_agents.ports.media_source import MediaDownload, MediaSource

CHUNK = 64 * 1024


class BridgeHttpMediaSource(MediaSource):
    def __init__(self, base_url: str, api_key: str | None = None, *, timeout: float = 30.0):
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), headers=headers, timeout=timeout
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    @asynccontextmanager
    async def download(self, session_id: str, media_id: str) -> AsyncIterator[MediaDownload]:
        path = f"/sessions/{quote(session_id, safe='')}/media/{quote(media_id, safe='')}"
        try:
            async with self._client.stream("GET", path) as response:
                await _check(response, path)
                length = response.headers.get("content-length")
                yield MediaDownload(
                    _body(response, path),
                    response.headers.get("content-type"),
                    int(length) if length and length.isdigit() else None,
                )
        except httpx.TimeoutException as exc:
            raise BridgeUnavailable(f"bridge did not answer GET {path} in time") from exc
        except httpx.HTTPError as exc:
            raise BridgeUnavailable(f"bridge failed GET {path}: {exc!r}") from exc


async def _check(response: httpx.Response, path: str) -> None:
    status = response.status_code
    if status < 300:
        return
    text = error_text(await response.aread())
    if status == 404:
        raise MediaUnavailable(f"the bridge has no media for {path} ({text or 'no media route'})")
    if status == 413:
        raise MediaTooLarge(f"the bridge refused a file above its download limit ({text})")
    if status in (401, 403):
        raise BridgeUnavailable(f"the bridge refused our API key on GET {path}: {text}")
    if status in (400, 405, 410):
        raise MediaUnavailable(f"the bridge cannot give {path}: HTTP {status} {text}")
    raise BridgeUnavailable(f"bridge answered HTTP {status} on GET {path}: {text}")


async def _body(response: httpx.Response, path: str) -> AsyncIterator[bytes]:
    try:
        async for chunk in response.aiter_bytes(CHUNK):
            yield chunk
    except httpx.HTTPError as exc:
        raise BridgeUnavailable(f"the download of {path} broke off: {exc!r}") from exc
