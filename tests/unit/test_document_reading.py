"""Reading uploads (text, Markdown, HTML, PDF) and cutting them into passages."""

from __future__ import annotations

import itertools

import pytest

from wa_agents.adapters.documents import PypdfDocumentReader
from wa_agents.adapters.memory.documents import PlainDocumentReader
from wa_agents.domain.model.chunking import chunk_text
from wa_agents.domain.model.documents import UnsupportedMediaType, media_type_of, title_from
from wa_agents.domain.model.errors import ValidationError


def tiny_pdf(*lines: str) -> bytes:
    """A one-page PDF whose content stream shows ``lines`` (xref offsets computed)."""
    text = " ".join(f"({line}) Tj 0 -20 Td" for line in lines)
    stream = f"BT /F1 12 Tf 72 720 Td {text} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def test_the_media_type_comes_from_the_declaration_or_the_extension() -> None:
    assert media_type_of("faq.MD", "application/octet-stream") == "text/markdown"
    assert media_type_of("page.htm", None) == "text/html"
    assert media_type_of("x.pdf", "application/pdf; q=1") == "application/pdf"
    assert media_type_of("notes.txt", "text/plain; charset=utf-8") == "text/plain"
    assert media_type_of("photo.png", "image/png") == "image/png"
    assert title_from("docs/Returns policy.pdf") == "Returns policy"


async def test_html_becomes_text_with_markdown_headings() -> None:
    html = (
        "<html><head><title>x</title><style>p{}</style></head><body><h1>Shop</h1>"
        "<p>We ship <b>fast</b>.</p><script>alert(1)</script><h2>Returns</h2>"
        "<ul><li>30 days</li><li>free</li></ul></body></html>"
    )
    text = await PlainDocumentReader().read(html.encode(), "text/html")
    assert text.splitlines()[0] == "# Shop"
    assert "We ship fast." in text
    assert "## Returns" in text and "- 30 days" in text
    assert "alert" not in text and "p{}" not in text


async def test_a_pdf_is_read_and_a_broken_or_unknown_file_refused() -> None:
    reader = PypdfDocumentReader()
    text = await reader.read(
        tiny_pdf("Refunds take five days.", "Call us on Monday."), "application/pdf"
    )
    assert "Refunds take five days." in text and "Call us on Monday." in text
    with pytest.raises(ValidationError, match="PDF"):
        await reader.read(b"%PDF-1.4 not really", "application/pdf")
    with pytest.raises(UnsupportedMediaType, match="image/png"):
        await reader.read(b"\x89PNG", "image/png")
    with pytest.raises(UnsupportedMediaType):
        await PlainDocumentReader().read(tiny_pdf("x"), "application/pdf")


def test_passages_follow_headings_and_overlap_on_sentences() -> None:
    sentences = " ".join(f"Sentence number {n} says something useful." for n in range(40))
    text = f"# Guide\n## Setup\n{sentences}\n## Usage\nShort part."
    passages = chunk_text(text, max_chars=300, overlap_chars=100)
    setup = [p for p in passages if p.heading == "Guide > Setup"]
    assert len(setup) > 3 and all(len(p.text) <= 300 for p in passages)
    assert passages[-1].heading == "Guide > Usage" and passages[-1].text.endswith("Short part.")
    for before, after in itertools.pairwise(setup):
        last = before.text.rsplit("Sentence", 1)[-1]
        assert last in after.text  # the last sentence is repeated: the overlap
    assert not any("Usage" in p.text and "Sentence" in p.text for p in passages)  # no crossing
    assert chunk_text("   \n\n  ") == []
    [long] = chunk_text("word " * 10, max_chars=20)[:1]
    assert len(long.text) <= 20
