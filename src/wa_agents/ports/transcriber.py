"""Speech to text: the ``Transcriber`` (voice notes and audio files).

``transcribe`` streams ``audio`` (``size`` bytes of ``mime_type``) to the service and returns
the text (possibly empty: silence). It raises ``LLMUnavailable`` (an infrastructure error,
retried under the model's circuit breaker) when the service is unreachable, times out or
fails with 429/5xx, and ``ValidationError`` when the service refuses the file itself (4xx):
retrying that cannot help. It changes nothing, so it is safe to repeat.
"""

from __future__ import annotations

from collections.abc import AsyncIterable
from typing import Protocol


class Transcriber(Protocol):
    async def transcribe(
        self, audio: AsyncIterable[bytes], *, size: int, mime_type: str, filename: str
    ) -> str: ...
