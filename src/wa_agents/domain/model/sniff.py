"""What the first bytes of a file say it is (magic numbers), never what its sender claims.

``sniff`` returns a media type for the formats WhatsApp carries, or None. ``acceptable``
decides whether the bytes fit the message's kind: an "image" must be an image, an "audio" an
audio file, and so on; a document may be anything that is not an executable.
"""

from __future__ import annotations

HEAD_BYTES = 64  # enough for every signature below

_SIGNATURES: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"%PDF-", "application/pdf"),
    (0, b"OggS", "audio/ogg"),
    (0, b"ID3", "audio/mpeg"),
    (0, b"#!AMR", "audio/amr"),
    (0, b"fLaC", "audio/flac"),
    (0, b"\x1aE\xdf\xa3", "video/webm"),
    (0, b"PK\x03\x04", "application/zip"),  # also DOCX, XLSX, …
    (0, b"MZ", "application/x-msdownload"),
    (0, b"\x7fELF", "application/x-executable"),
)


def sniff(head: bytes) -> str | None:
    for offset, signature, media_type in _SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            return media_type
    if head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"WAVE"):
        return "image/webp" if head[8:12] == b"WEBP" else "audio/wav"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        return "audio/mp4" if brand in (b"M4A ", b"M4B ") else "video/mp4"
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        return "audio/mpeg"  # an MPEG audio frame without an ID3 tag (or AAC ADTS)
    if _looks_like_text(head):
        return "text/plain"
    return None


def _looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # a character cut at the end of the sample is fine
            return False
    return b"\x00" not in head


_EXECUTABLES = frozenset({"application/x-msdownload", "application/x-executable"})


def acceptable(kind: str, sniffed: str | None) -> bool:
    """Whether bytes sniffed as ``sniffed`` may be stored as a ``kind`` message."""
    if sniffed in _EXECUTABLES:
        return False
    if kind in ("image", "sticker"):
        return sniffed is not None and sniffed.startswith("image/")
    if kind == "audio":  # voice notes are Ogg/Opus; some phones send MP4 audio
        return sniffed is not None and sniffed.startswith(("audio/", "video/mp4", "video/webm"))
    if kind == "video":
        return sniffed is not None and sniffed.startswith("video/")
    return True  # documents: anything but an executable; readers decide what they can read
