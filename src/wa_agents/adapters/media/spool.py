"""Reading a stream once: hashing, counting and spooling it to a temporary file.

The key of a content-addressed object is only known at the end, so the bytes wait in a file
(on disk past ``in_memory`` bytes), never all in memory. Over ``max_bytes`` the read stops
and ``MediaTooLarge`` is raised.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import AsyncIterable
from dataclasses import dataclass
from typing import IO

from wa_agents.domain.model.media import MediaTooLarge


@dataclass
class Spooled:
    file: IO[bytes]
    key: str
    size: int


def too_large(max_bytes: int) -> MediaTooLarge:
    return MediaTooLarge(f"the file is larger than the {max_bytes:,} bytes allowed")


async def spool(
    chunks: AsyncIterable[bytes],
    max_bytes: int,
    *,
    into: IO[bytes] | None = None,
    in_memory: int = 1024 * 1024,
) -> Spooled:
    """Copy ``chunks`` into ``into`` (a new spooled temporary file by default), rewound."""
    target: IO[bytes] = into or tempfile.SpooledTemporaryFile(max_size=in_memory)  # noqa: SIM115
    digest, size = hashlib.sha256(), 0
    try:
        async for chunk in chunks:
            size += len(chunk)
            if size > max_bytes:
                raise too_large(max_bytes)
            digest.update(chunk)
            target.write(chunk)
        target.flush()
        target.seek(0)
    except BaseException:
        target.close()
        raise
    return Spooled(target, digest.hexdigest(), size)
