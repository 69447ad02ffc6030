"""DOCX text with the standard library: the paragraphs of ``word/document.xml``.

A DOCX is a zip; only its main part is read, and only up to ``MAX_XML_BYTES`` uncompressed
(a zip bomb stops there). Headings (``Heading1``… styles) become Markdown ``#`` lines, so
chunking can follow the sections. A file that is not a readable DOCX is a ``ValidationError``.
"""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

from wa_agents.domain.model.errors import ValidationError

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_XML_BYTES = 20 * 1024 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_XML_BYTES:
                raise ValidationError("the DOCX is too large to read")
            with archive.open(info) as part:
                xml = part.read(MAX_XML_BYTES + 1)
        root = ElementTree.fromstring(xml)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError) as exc:
        raise ValidationError(f"could not read the DOCX: {exc}") from exc
    lines = []
    for paragraph in root.iter(f"{_W}p"):
        text = "".join(t.text or "" for t in paragraph.iter(f"{_W}t")).strip()
        if not text:
            continue
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        name = style.get(f"{_W}val", "") if style is not None else ""
        level = name[len("Heading") :] if name.startswith("Heading") else ""
        lines.append(f"{'#' * int(level)} {text}" if level.isdigit() else text)
    return "\n\n".join(lines)
