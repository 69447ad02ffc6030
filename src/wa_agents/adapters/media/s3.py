"""``S3MediaStore``: media in S3-compatible object storage (AWS S3, MinIO, Ceph, …), for
several replicas sharing one store.

Objects are ``<prefix><sha256>`` with the time they were stored in their metadata
(``stored-at``, from the clock), which retention reads. boto3 is synchronous: every call runs
in a thread. An upload is spooled to a temporary file first (its key is its hash), then sent
with boto3's managed (multipart past 8 MiB) upload, so memory stays flat whatever the size.
Library errors become ``MediaStoreUnavailable``; a missing object is ``NotFound``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from wa_agents.adapters.media.spool import spool
from wa_agents.domain.model.errors import NotFound
from wa_agents.domain.model.media import MediaStoreUnavailable, valid_key
from wa_agents.ports.clock import Clock
from wa_agents.ports.media import MediaStore, StoredMedia

T = TypeVar("T")
CHUNK = 256 * 1024
_MISSING = {"404", "NoSuchKey", "NotFound"}


class S3MediaStore(MediaStore):
    def __init__(
        self,
        bucket: str,
        clock: Clock,
        *,
        prefix: str = "media/",
        endpoint_url: str | None = None,
        region: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
    ) -> None:
        self._bucket, self._prefix, self._clock = bucket, prefix, clock
        self._client: Any = boto3.session.Session().client(
            "s3",
            endpoint_url=endpoint_url,
            region_name=region,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            config=Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5),
        )

    async def _call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        try:
            return await asyncio.to_thread(fn, *args, **kwargs)
        except ClientError as exc:
            if str(exc.response.get("Error", {}).get("Code")) in _MISSING:
                raise NotFound("media", kwargs.get("Key", "?")) from None
            raise MediaStoreUnavailable(f"S3 bucket {self._bucket}: {exc}") from exc
        except BotoCoreError as exc:
            raise MediaStoreUnavailable(f"S3 bucket {self._bucket}: {exc}") from exc

    def _name(self, key: str) -> str:
        if not valid_key(key):
            raise NotFound("media", key)
        return self._prefix + key

    async def put(self, chunks: AsyncIterable[bytes], *, max_bytes: int) -> StoredMedia:
        spooled = await spool(chunks, max_bytes)
        now = self._clock.now()
        with spooled.file:
            await self._call(
                self._client.upload_fileobj,
                spooled.file,
                self._bucket,
                self._name(spooled.key),
                ExtraArgs={"Metadata": {"stored-at": now.isoformat()}},
            )
        return StoredMedia(spooled.key, spooled.size, now)

    async def open(self, key: str) -> AsyncIterator[bytes]:
        answer = await self._call(self._client.get_object, Bucket=self._bucket, Key=self._name(key))
        return self._chunks(answer["Body"])

    async def _chunks(self, body: Any) -> AsyncIterator[bytes]:
        try:
            while chunk := await self._call(body.read, CHUNK):
                yield chunk
        finally:
            body.close()

    async def stat(self, key: str) -> StoredMedia | None:
        try:
            head = await self._call(
                self._client.head_object, Bucket=self._bucket, Key=self._name(key)
            )
        except NotFound:
            return None
        return StoredMedia(key, int(head["ContentLength"]), _stored_at(head))

    async def delete(self, key: str) -> bool:
        if await self.stat(key) is None:
            return False
        await self._call(self._client.delete_object, Bucket=self._bucket, Key=self._name(key))
        return True

    async def purge(self, before: datetime) -> list[str]:
        """Reads each object's ``stored-at`` (one HEAD per object): for millions of files an
        S3 lifecycle rule on the bucket is cheaper (see docs/media.md)."""
        deleted: list[str] = []
        token: dict[str, str] = {}
        while True:
            page = await self._call(
                self._client.list_objects_v2, Bucket=self._bucket, Prefix=self._prefix, **token
            )
            for item in page.get("Contents", []):
                key = str(item["Key"])[len(self._prefix) :]
                found = await self.stat(key) if valid_key(key) else None
                if found is not None and found.stored_at < before and await self.delete(key):
                    deleted.append(key)
            if not page.get("IsTruncated"):
                return deleted
            token = {"ContinuationToken": page["NextContinuationToken"]}


def _stored_at(head: dict[str, Any]) -> datetime:
    raw = head.get("Metadata", {}).get("stored-at")
    try:
        return datetime.fromisoformat(raw) if raw else _utc(head["LastModified"])
    except ValueError:
        return _utc(head["LastModified"])


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
