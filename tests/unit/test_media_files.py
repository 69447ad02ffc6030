"""The file-system media store keeps files owner-only and leaves nothing behind a refusal;
sniffing tells formats apart by their bytes."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from wa_agents.adapters.media import FileSystemMediaStore
from wa_agents.adapters.memory import ManualClock
from wa_agents.domain.model.media import MediaLimits, MediaTooLarge
from wa_agents.domain.model.sniff import acceptable, sniff
from wa_agents.testing.contracts.media_store import generated, stream


async def test_files_and_folders_are_owner_only(tmp_path: Path) -> None:
    store = FileSystemMediaStore(tmp_path / "media", ManualClock())
    stored = await store.put(stream([b"%PDF-1.4 secret"]), max_bytes=1000)
    path = tmp_path / "media" / stored.key[:2] / stored.key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "media").stat().st_mode) == 0o700


async def test_a_refused_upload_leaves_no_partial_file(tmp_path: Path) -> None:
    store = FileSystemMediaStore(tmp_path / "media", ManualClock())
    with pytest.raises(MediaTooLarge):
        await store.put(generated(3 * 1024 * 1024), max_bytes=1024 * 1024)
    leftovers = [p for p in (tmp_path / "media").rglob("*") if p.is_file()]
    assert leftovers == []


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n....", "image/png"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"OggS\x00\x02", "audio/ogg"),
        (b"ID3\x04\x00", "audio/mpeg"),
        (b"\x00\x00\x00\x20ftypM4A \x00", "audio/mp4"),
        (b"\x00\x00\x00\x20ftypisom\x00", "video/mp4"),
        (b"%PDF-1.7\n", "application/pdf"),
        (b"PK\x03\x04\x14\x00", "application/zip"),
        (b"MZ\x90\x00", "application/x-msdownload"),
        ("# Título\nhello".encode(), "text/plain"),
        (bytes(range(256))[:40], None),
    ],
)
def test_sniff_reads_the_bytes(head: bytes, expected: str | None) -> None:
    assert sniff(head) == expected


def test_a_kind_accepts_only_its_own_formats() -> None:
    assert acceptable("image", "image/png")
    assert not acceptable("image", "application/pdf")  # a PDF sent as a "photo"
    assert not acceptable("audio", "text/plain")
    assert acceptable("audio", "audio/ogg")
    assert acceptable("document", "application/pdf")
    assert not acceptable("document", "application/x-msdownload")


def test_size_caps_are_per_kind() -> None:
    limits = MediaLimits(image=10, audio=20, other=5)
    assert (limits.cap("image"), limits.cap("audio"), limits.cap("location")) == (10, 20, 5)


async def test_docx_text_is_read_with_its_headings() -> None:
    from tests.support.media_files import docx_with
    from wa_agents.adapters.documents import PypdfDocumentReader
    from wa_agents.adapters.documents.docx import DOCX
    from wa_agents.domain.model.errors import ValidationError

    data = docx_with(("Heading1", "Prices"), ("", "Coffee 2 EUR"), ("", "Tea 1 EUR"))
    reader = PypdfDocumentReader()
    assert DOCX in reader.media_types
    assert await reader.read(data, DOCX) == "# Prices\n\nCoffee 2 EUR\n\nTea 1 EUR"
    with pytest.raises(ValidationError):
        await reader.read(b"PK\x03\x04 not really a zip", DOCX)
