"""``PlainDocumentReader``: text, Markdown and HTML, with the standard library only.

HTML becomes plain text with its headings as Markdown ``#`` lines, list items as ``- `` lines
and block elements on lines of their own; scripts, styles and the head are dropped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from wa_agents.domain.model.documents import UnsupportedMediaType
from wa_agents.ports.documents import DocumentReader

TEXT_TYPES = frozenset({"text/plain", "text/markdown", "text/html"})
_BLOCKS = frozenset(
    {"p", "div", "section", "article", "br", "tr", "table", "ul", "ol", "blockquote", "pre"}
)
_SKIPPED = frozenset({"script", "style", "head", "noscript", "template", "svg"})


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skipping += 1
        elif len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.parts.append("\n\n" + "#" * int(tag[1]) + " ")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif (len(tag) == 2 and tag[0] == "h" and tag[1] in "123456") or tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def decode_text(data: bytes) -> str:
    """UTF-8 (a BOM is dropped); bytes that are not UTF-8 are replaced, never refused."""
    return data.decode("utf-8-sig", errors="replace")


class PlainDocumentReader(DocumentReader):
    @property
    def media_types(self) -> frozenset[str]:
        return TEXT_TYPES

    async def read(self, data: bytes, media_type: str) -> str:
        if media_type not in self.media_types:
            raise UnsupportedMediaType(
                f"cannot read {media_type}: upload one of {', '.join(sorted(self.media_types))}"
            )
        text = decode_text(data)
        return html_to_text(text) if media_type == "text/html" else text
