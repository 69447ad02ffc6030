"""Contract of ``MediaStore``. Fixture: ``media_store`` (a ``MediaStoreHarness``)."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import timedelta

import pytest

from wa_agents.adapters.memory.clock import ManualClock
from wa_agents.domain.model.errors import NotFound
from wa_agents.domain.model.media import MediaTooLarge
from wa_agents.ports.media import MediaStore

MiB = 1024 * 1024


@dataclass
class MediaStoreHarness:
    """The store under test and the clock it was given (retention follows it)."""

    store: MediaStore
    clock: ManualClock


async def stream(parts: Iterable[bytes]) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def generated(size: int, chunk: int = 64 * 1024) -> AsyncIterator[bytes]:
    """``size`` bytes (byte i is i % 251) made while they are read: never all in memory."""
    pattern = bytes(i % 251 for i in range(251 * 64))
    sent = 0
    while sent < size:
        take = min(chunk, size - sent)
        offset = sent % 251
        yield (pattern[offset:] + pattern)[:take]
        sent += take


async def read_all(store: MediaStore, key: str) -> bytes:
    return b"".join([chunk async for chunk in await store.open(key)])


class MediaStoreContract:
    async def test_put_then_open_gives_the_bytes_back_under_their_hash(
        self, media_store: MediaStoreHarness
    ) -> None:
        data = b"voice note \x00\x01\x02" * 1000
        stored = await media_store.store.put(stream([data[:7], data[7:]]), max_bytes=MiB)
        assert stored.key == hashlib.sha256(data).hexdigest()
        assert stored.size == len(data)
        assert await read_all(media_store.store, stored.key) == data
        stat = await media_store.store.stat(stored.key)
        assert stat is not None and stat.size == len(data)

    async def test_the_same_content_is_kept_once_and_its_time_refreshed(
        self, media_store: MediaStoreHarness
    ) -> None:
        first = await media_store.store.put(stream([b"same"]), max_bytes=MiB)
        media_store.clock.advance(timedelta(days=3))
        second = await media_store.store.put(stream([b"sa", b"me"]), max_bytes=MiB)
        assert first.key == second.key
        stat = await media_store.store.stat(first.key)
        assert stat is not None
        assert abs(stat.stored_at - media_store.clock.now()) < timedelta(seconds=2)

    async def test_more_than_the_cap_is_refused_and_nothing_kept(
        self, media_store: MediaStoreHarness
    ) -> None:
        data = b"x" * (MiB + 1)
        with pytest.raises(MediaTooLarge):
            await media_store.store.put(stream([data[:MiB], data[MiB:]]), max_bytes=MiB)
        assert await media_store.store.stat(hashlib.sha256(data).hexdigest()) is None
        exact = await media_store.store.put(stream([data[:MiB]]), max_bytes=MiB)
        assert exact.size == MiB

    async def test_a_large_file_streams_in_and_out_in_chunks(
        self, media_store: MediaStoreHarness
    ) -> None:
        size = 6 * MiB + 123
        stored = await media_store.store.put(generated(size), max_bytes=8 * MiB)
        digest, chunks, largest = hashlib.sha256(), 0, 0
        async for chunk in await media_store.store.open(stored.key):
            digest.update(chunk)
            chunks += 1
            largest = max(largest, len(chunk))
        assert digest.hexdigest() == stored.key
        assert chunks > 1 and largest <= 2 * MiB

    async def test_unknown_and_malformed_keys_are_not_found(
        self, media_store: MediaStoreHarness
    ) -> None:
        with pytest.raises(NotFound):
            await media_store.store.open("0" * 64)
        with pytest.raises(NotFound):
            await media_store.store.open("../../etc/passwd")
        assert await media_store.store.stat("../x") is None
        assert await media_store.store.delete("0" * 64) is False

    async def test_delete_removes_once(self, media_store: MediaStoreHarness) -> None:
        stored = await media_store.store.put(stream([b"bye"]), max_bytes=MiB)
        assert await media_store.store.delete(stored.key) is True
        assert await media_store.store.delete(stored.key) is False
        with pytest.raises(NotFound):
            await media_store.store.open(stored.key)

    async def test_purge_deletes_what_was_stored_before_the_cutoff(
        self, media_store: MediaStoreHarness
    ) -> None:
        old = await media_store.store.put(stream([b"old photo"]), max_bytes=MiB)
        media_store.clock.advance(timedelta(days=10))
        new = await media_store.store.put(stream([b"new photo"]), max_bytes=MiB)
        cutoff = media_store.clock.now() - timedelta(days=5)
        assert await media_store.store.purge(cutoff) == [old.key]
        assert await media_store.store.stat(old.key) is None
        assert await read_all(media_store.store, new.key) == b"new photo"
        assert await media_store.store.purge(cutoff) == []
