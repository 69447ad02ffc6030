"""Reading an uploaded document as text.

``media_types`` lists what ``read`` accepts. ``read`` returns the text, with headings as
Markdown ``#`` lines where the format has them (Markdown, HTML), so chunking can follow the
sections. An unsupported media type raises ``UnsupportedMediaType``; a file that cannot be
parsed (a broken or encrypted PDF, say) raises ``ValidationError``.
"""

from __future__ import annotations

from typing import Protocol


class DocumentReader(Protocol):
    @property
    def media_types(self) -> frozenset[str]: ...
    async def read(self, data: bytes, media_type: str) -> str: ...
