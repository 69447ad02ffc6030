"""The MediaStore contract over memory, the file system and S3 (a local moto server)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.moto_s3 import CREDENTIALS, S3Server, s3_server  # noqa: F401
from wa_agents.adapters.media import FileSystemMediaStore, S3MediaStore
from wa_agents.adapters.memory import ManualClock, MemoryMediaStore
from wa_agents.testing.contracts.media_store import MediaStoreContract, MediaStoreHarness


@pytest.fixture(params=["memory", "filesystem", "s3"])
async def media_store(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[MediaStoreHarness]:
    clock = ManualClock()
    if request.param == "memory":
        yield MediaStoreHarness(MemoryMediaStore(clock), clock)
    elif request.param == "filesystem":
        yield MediaStoreHarness(FileSystemMediaStore(tmp_path / "media", clock), clock)
    else:
        server: S3Server = request.getfixturevalue("s3_server")
        store = S3MediaStore(
            server.new_bucket(),
            clock,
            endpoint_url=server.url,
            region=CREDENTIALS["region"],
            access_key=CREDENTIALS["access_key"],
            secret_key=CREDENTIALS["secret_key"],
        )
        yield MediaStoreHarness(store, clock)


class TestMediaStore(MediaStoreContract):
    pass
