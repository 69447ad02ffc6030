"""``OpenAITranscriber``: ``POST {base_url}/audio/transcriptions`` (OpenAI's Whisper models, or
a self-hosted faster-whisper server / LocalAI speaking the same API).

The multipart body (``file``, ``model``, ``response_format=json``) is streamed from the
media store as it is sent, with its exact ``Content-Length``, so a large file is never held
in memory. 429/5xx, time-outs and connection failures are ``LLMUnavailable``; other 4xx
answers are ``ValidationError`` (the service refused this file).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterable, AsyncIterator

import httpx

from wa_agents.domain.model.errors import LLMUnavailable, ValidationError
from wa_agents.ports.transcriber import Transcriber

DEFAULT_BASE_URL = "https://api.openai.com/v1"


class OpenAITranscriber(Transcriber):
    def __init__(
        self,
        api_key: str | None,
        *,
        base_url: str | None = None,
        model: str = "whisper-1",
        timeout: float = 120.0,
    ) -> None:
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._url = (base_url or DEFAULT_BASE_URL).rstrip("/") + "/audio/transcriptions"
        self._model = model
        self._client = httpx.AsyncClient(headers=headers, timeout=timeout)

    async def aclose(self) -> None:
        await self._client.aclose()

    async def transcribe(
        self, audio: AsyncIterable[bytes], *, size: int, mime_type: str, filename: str
    ) -> str:
        boundary = uuid.uuid4().hex
        head, tail = _frame(boundary, self._model, mime_type, filename)
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(len(head) + size + len(tail)),
        }
        try:
            response = await self._client.post(
                self._url, content=_body(head, audio, tail), headers=headers
            )
        except httpx.HTTPError as exc:
            raise LLMUnavailable(f"the transcription service failed: {exc!r}") from exc
        if response.status_code == 429 or response.status_code >= 500:
            raise LLMUnavailable(f"the transcription service answered HTTP {response.status_code}")
        if response.status_code >= 400:
            raise ValidationError(
                f"the transcription service refused the audio: HTTP {response.status_code} "
                f"{response.text[:200]}"
            )
        try:
            return str(json.loads(response.content)["text"]).strip()
        except (ValueError, KeyError, TypeError) as exc:
            raise LLMUnavailable("the transcription service answered without a text") from exc


def _frame(boundary: str, model: str, mime_type: str, filename: str) -> tuple[bytes, bytes]:
    safe_name = filename.replace('"', "").replace("\r", "").replace("\n", "") or "audio"
    fields = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in (("model", model), ("response_format", "json"))
    )
    head = (
        f"{fields}--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{safe_name}"\r\n'
        f"Content-Type: {mime_type}\r\n\r\n"
    )
    return head.encode(), f"\r\n--{boundary}--\r\n".encode()


async def _body(head: bytes, audio: AsyncIterable[bytes], tail: bytes) -> AsyncIterator[bytes]:
    yield head
    async for chunk in audio:
        yield chunk
    yield tail
