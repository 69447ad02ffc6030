"""``PypdfDocumentReader``: what ``PlainDocumentReader`` reads, plus PDF through pypdf and
DOCX through the standard library (``docx.py``).

pypdf is pure Python and CPU-bound: a PDF is read in the platform's bounded thread pool.
A PDF that cannot be parsed, or is encrypted, is a ``ValidationError`` naming the problem.
"""

from __future__ import annotations

import io

from wa_agents.adapters.documents.docx import DOCX, docx_text
from wa_agents.adapters.memory.documents import TEXT_TYPES, PlainDocumentReader
from wa_agents.domain.model.errors import ValidationError
from wa_agents.domain.services.threads import Offloader

PDF = "application/pdf"


def pdf_text(data: bytes) -> str:
    import pypdf
    from pypdf.errors import PdfReadError

    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError("the PDF is encrypted: upload it without a password")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ValidationError(f"could not read the PDF: {exc}") from exc
    return "\n\n".join(p.strip() for p in pages if p.strip())


class PypdfDocumentReader(PlainDocumentReader):
    def __init__(self, offload: Offloader | None = None) -> None:
        self._offload = offload or Offloader()

    @property
    def media_types(self) -> frozenset[str]:
        return TEXT_TYPES | {PDF, DOCX}

    async def read(self, data: bytes, media_type: str) -> str:
        if media_type == PDF:
            return await self._offload(pdf_text, data)
        if media_type == DOCX:
            return await self._offload(docx_text, data)
        return await super().read(data, media_type)
