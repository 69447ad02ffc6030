"""``FileSystemMediaStore``: media files under a folder of the data dir (the default).

``<root>/<first two hex digits>/<sha256>``, folders 0700 and files 0600 (owner only). A file
is written to ``<root>/.incoming`` first and renamed into place once complete and fsynced,
so a crash never leaves a half file under a real key. ``stored_at`` is the file's mtime (set
from the clock, so retention follows the same time as everything else).
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterable, AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from wa_agents.adapters.media.spool import spool
from wa_agents.domain.model.errors import NotFound
from wa_agents.domain.model.media import valid_key
from wa_agents.ports.clock import Clock
from wa_agents.ports.media import MediaStore, StoredMedia

CHUNK = 64 * 1024


class FileSystemMediaStore(MediaStore):
    def __init__(self, root: Path, clock: Clock) -> None:
        self._root, self._clock = Path(root), clock

    def _path(self, key: str) -> Path:
        if not valid_key(key):
            raise NotFound("media", key)
        return self._root / key[:2] / key

    async def put(self, chunks: AsyncIterable[bytes], *, max_bytes: int) -> StoredMedia:
        incoming = self._root / ".incoming"
        incoming.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self._root, 0o700)
        temp = incoming / uuid.uuid4().hex
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        try:
            with os.fdopen(fd, "wb") as file:
                spooled = await spool(chunks, max_bytes, into=file)
                await asyncio.to_thread(os.fsync, file.fileno())
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        final = self._path(spooled.key)
        final.parent.mkdir(mode=0o700, exist_ok=True)
        os.replace(temp, final)
        now = self._clock.now()
        os.utime(final, (now.timestamp(), now.timestamp()))
        return StoredMedia(spooled.key, spooled.size, now)

    async def open(self, key: str) -> AsyncIterator[bytes]:
        path = self._path(key)
        try:
            file = path.open("rb")
        except FileNotFoundError:
            raise NotFound("media", key) from None
        return _chunks(file)

    async def stat(self, key: str) -> StoredMedia | None:
        try:
            info = self._path(key).stat()
        except (FileNotFoundError, NotFound):
            return None
        return StoredMedia(key, info.st_size, datetime.fromtimestamp(info.st_mtime, UTC))

    async def delete(self, key: str) -> bool:
        try:
            self._path(key).unlink()
        except (FileNotFoundError, NotFound):
            return False
        return True

    async def purge(self, before: datetime) -> list[str]:
        return await asyncio.to_thread(self._purge, before.timestamp())

    def _purge(self, before: float) -> list[str]:
        deleted: list[str] = []
        if not self._root.is_dir():
            return deleted
        for folder in self._root.iterdir():
            if len(folder.name) != 2 or not folder.is_dir():
                continue
            for path in folder.iterdir():
                if valid_key(path.name) and path.stat().st_mtime < before:
                    path.unlink(missing_ok=True)
                    deleted.append(path.name)
        return deleted


async def _chunks(file: BinaryIO) -> AsyncIterator[bytes]:
    with file:
        while chunk := file.read(CHUNK):
            yield chunk
