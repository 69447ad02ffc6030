"""MediaSendService: an operator sends a file (an upload, or a URL fetched safely).

The file is stored (capped at ``OUTBOUND_MAX_BYTES``, what the bridge accepts), its kind
decided by its bytes (image, audio, video, else document; executables are refused), and the
message is queued with its ``send`` job in one unit of work: the same durable job, the same
idempotency key (the message id) and the same pacing as every text reply.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator

from wa_agents.domain.model.conversation import conversation_key
from wa_agents.domain.model.errors import ValidationError
from wa_agents.domain.model.jid import normalize_jid
from wa_agents.domain.model.job import JobKind
from wa_agents.domain.model.media import MediaInfo, MediaStatus, with_media
from wa_agents.domain.model.message import Direction, Message, MessageStatus, MessageType
from wa_agents.domain.model.outbound import OutboundRefused, OutboundRules
from wa_agents.domain.model.sniff import HEAD_BYTES, sniff
from wa_agents.domain.services.audit import record_audit
from wa_agents.domain.services.indexing import schedule_conversation
from wa_agents.domain.services.live_events import LiveEvents
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.media import MediaStore, StoredMedia
from wa_agents.ports.outbound import OutboundFailed, OutboundHttp, OutboundRequest
from wa_agents.ports.unit_of_work import UnitOfWorkFactory

OUTBOUND_MAX_BYTES = 16 * 1024 * 1024  # our bridge's MEDIA_MAX_BYTES
MAX_CAPTION = 1024
_REFUSED = frozenset({"application/x-msdownload", "application/x-executable"})


def kind_of(sniffed: str | None) -> MessageType:
    family = (sniffed or "").split("/")[0]
    kinds = {"image": MessageType.IMAGE, "audio": MessageType.AUDIO, "video": MessageType.VIDEO}
    return kinds.get(family, MessageType.DOCUMENT)


class MediaSendService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        store: MediaStore,
        clock: Clock,
        ids: IdGenerator,
        outbound: OutboundHttp | None = None,
        live: LiveEvents | None = None,
    ) -> None:
        self._uow, self._store, self._clock, self._ids = uow, store, clock, ids
        self._outbound, self._live = outbound, live or LiveEvents()

    async def send_file(
        self,
        session_id: str,
        contact_jid: str,
        chunks: AsyncIterable[bytes],
        *,
        actor: str,
        caption: str = "",
        filename: str | None = None,
        declared_type: str | None = None,
    ) -> Message:
        if len(caption) > MAX_CAPTION:
            raise ValidationError(f"caption must be at most {MAX_CAPTION} characters")
        async with self._uow() as uow:
            await uow.sessions.get(session_id)  # NotFound before anything is stored
        stored = await self._store.put(chunks, max_bytes=OUTBOUND_MAX_BYTES)
        sniffed = sniff(await self._head(stored))
        if sniffed in _REFUSED:
            await self._store.delete(stored.key)
            raise ValidationError("executable files cannot be sent")
        kind = kind_of(sniffed)
        declared = (declared_type or "").split(";")[0].strip().lower() or None
        generic = sniffed in (None, "text/plain", "application/zip")
        mime = (declared if generic else sniffed) or sniffed or "application/octet-stream"
        media = MediaInfo(
            kind=kind.value,
            status=MediaStatus.READY,
            mime_type=mime,
            size=stored.size,
            filename=filename,
            caption=caption or None,
            key=stored.key,
        )
        return await self._queue(session_id, contact_jid, kind, caption, media, actor)

    async def send_url(
        self, session_id: str, contact_jid: str, url: str, *, actor: str, caption: str = ""
    ) -> Message:
        """The URL is fetched under the outbound safety rules (public hosts only, capped)."""
        if self._outbound is None:
            raise ValidationError("sending media by URL is not available on this server")
        async with self._uow() as uow:
            await uow.sessions.get(session_id)  # NotFound before anything is fetched
        rules = OutboundRules(max_bytes=OUTBOUND_MAX_BYTES, timeout_seconds=20)
        try:
            got = await self._outbound.request(OutboundRequest(method="GET", url=url), rules)
        except OutboundRefused as exc:
            raise ValidationError(f"that URL is refused: {exc}") from exc
        except OutboundFailed as exc:
            raise ValidationError(f"could not fetch that URL: {exc}") from exc
        if not 200 <= got.status < 300:
            raise ValidationError(f"fetching that URL answered HTTP {got.status}")
        name = got.url.rstrip("/").rsplit("/", 1)[-1].split("?")[0] or None
        return await self.send_file(
            session_id,
            contact_jid,
            _once(got.body),
            actor=actor,
            caption=caption,
            filename=name,
            declared_type=got.content_type or None,
        )

    async def _head(self, stored: StoredMedia) -> bytes:
        head = b""
        async for chunk in await self._store.open(stored.key):
            head += chunk
            if len(head) >= HEAD_BYTES:
                break
        return head

    async def _queue(
        self,
        session_id: str,
        contact_jid: str,
        kind: MessageType,
        caption: str,
        media: MediaInfo,
        actor: str,
    ) -> Message:
        jid, now = normalize_jid(contact_jid), self._clock.now()
        message = Message(
            id=self._ids.new_id(),
            session_id=session_id,
            contact_jid=jid,
            direction=Direction.OUTBOUND,
            content=caption,
            timestamp=now,
            message_type=kind,
            status=MessageStatus.QUEUED,
            metadata={"operator": actor},
        )
        message = with_media(message, media)
        async with self._uow() as uow:
            conversation = await uow.conversations.get_or_create(session_id, jid, now)
            await uow.messages.add(message)
            await uow.jobs.enqueue(
                JobKind.SEND, {"message_id": message.id}, key=conversation_key(session_id, jid)
            )
            await uow.conversations.update(conversation.touched(now))
            await schedule_conversation(uow, session_id, jid, now)
            await record_audit(
                uow,
                self._ids,
                self._clock,
                actor=actor,
                action="message.send_media",
                target=f"{session_id}/{jid}",
                message_id=message.id,
                kind=kind.value,
                size=media.size,
            )
            await uow.commit()
        await self._live.message(message)
        return message


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data
