"""MediaService: an inbound file fetched, understood and handed to the turn — once.

The ``media`` job runs after the message committed (never on the webhook path). Each step
commits its result on the message before the next one starts, so a retried job resumes where
it stopped (a stored file is not fetched again, a transcript is not made again):

PENDING --download--> STORED --transcribe / read--> READY, then the conversation's turn.

Refusals (too large, unavailable, not what it claims) end the media's path at once; the turn
then answers with the caption, a polite reply or the "please type" reply. A transcription
that keeps failing retries under the model's circuit breaker; when its job gives up
(``gave_up``) the message still gets its answer. Whatever is retried, the turn's claim on the
message (``mark_processed``) keeps the answer to one.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import timedelta

from wa_agents.domain.model.circuit import CircuitBreaker
from wa_agents.domain.model.conversation import conversation_key
from wa_agents.domain.model.errors import NotFound, ValidationError
from wa_agents.domain.model.job import JobKind
from wa_agents.domain.model.media import (
    WAITING,
    MediaInfo,
    MediaLimits,
    MediaStatus,
    media_of,
    with_media,
)
from wa_agents.domain.model.message import Message, MessageType
from wa_agents.domain.services.circuit_breakers import guarded
from wa_agents.domain.services.indexing import schedule_conversation
from wa_agents.domain.services.live_events import LiveEvents
from wa_agents.domain.services.media_fetch import MediaDownloader
from wa_agents.ports.clock import Clock
from wa_agents.ports.documents import DocumentReader
from wa_agents.ports.media import MediaStore
from wa_agents.ports.media_source import MediaSource
from wa_agents.ports.transcriber import Transcriber
from wa_agents.ports.unit_of_work import UnitOfWorkFactory

log = logging.getLogger("wa_agents.media")
MAX_DOCUMENT_CHARS = 200_000  # what is kept of a document's text on the message


@dataclass(frozen=True, slots=True, kw_only=True)
class MediaSettings:
    limits: MediaLimits = field(default_factory=MediaLimits)
    retention_days: int = 30  # 0 keeps files forever
    retention_every: timedelta = field(default_factory=lambda: timedelta(hours=1))  # workers


class MediaService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        store: MediaStore,
        source: MediaSource,
        clock: Clock,
        *,
        settings: MediaSettings | None = None,
        transcriber: Transcriber | None = None,
        reader: DocumentReader | None = None,
        breaker: CircuitBreaker | None = None,
        live: LiveEvents | None = None,
    ) -> None:
        self._uow, self.store, self._clock = uow, store, clock
        self.settings = settings or MediaSettings()
        self._downloader = MediaDownloader(source, store, self.settings.limits)
        self._transcriber, self._reader = transcriber, reader
        self._breaker = breaker or CircuitBreaker("the transcription service")
        self._live = live or LiveEvents()

    async def run(self, message_id: str) -> None:
        """The media job: download, understand, then let the turn answer."""
        message = await self._message(message_id)
        media = media_of(message) if message is not None else None
        if message is None or media is None or media.status not in WAITING:
            return  # deleted, or done already (a retried job): nothing more to do
        if media.status == MediaStatus.PENDING:
            media = await self._downloader.download(message, media)
            message = await self._save(message, media, ready=media.status != MediaStatus.STORED)
        if media.status == MediaStatus.STORED:
            media = await self._understand(message, media)
            await self._save(message, media, ready=True)

    async def gave_up(self, message_id: str, error: str) -> None:
        """The job is dead: the media failed, and the message is answered without it."""
        message = await self._message(message_id)
        media = media_of(message) if message is not None else None
        if message is not None and media is not None and media.status in WAITING:
            log.error("media of message %s failed for good: %s", message_id, error)
            await self._save(message, media.moved(MediaStatus.FAILED, error=error[:500]), True)

    async def _message(self, message_id: str) -> Message | None:
        async with self._uow() as uow:
            return await uow.messages.find(message_id)

    async def _understand(self, message: Message, media: MediaInfo) -> MediaInfo:
        if message.message_type == MessageType.AUDIO and self._transcriber is not None:
            try:
                text = await self._transcribe(media)
            except ValidationError as exc:
                return media.moved(MediaStatus.FAILED, error=str(exc)[:500])
            return media.moved(MediaStatus.READY, transcript=text)
        if message.message_type == MessageType.DOCUMENT and self._reader is not None:
            read = await self._read(media)
            return replace(read, memory=bool(read.text) and await self._to_memory(message))
        return media.moved(MediaStatus.READY)

    async def _to_memory(self, message: Message) -> bool:
        """Whether the session's agent adds contacts' documents to their own memory."""
        async with self._uow() as uow:
            session = await uow.sessions.find(message.session_id)
            if session is None or session.agent_id is None:
                return False
            agent = await uow.agents.get(session.agent_id)
        return agent.media.documents_to_memory

    async def _transcribe(self, media: MediaInfo) -> str:
        assert self._transcriber is not None and media.key is not None
        transcriber, key = self._transcriber, media.key

        async def call() -> str:
            return await transcriber.transcribe(
                await self.store.open(key),
                size=media.size or 0,
                mime_type=media.mime_type or "audio/ogg",
                filename=media.filename or _audio_name(media.mime_type),
            )

        return await guarded(self._breaker, self._clock, call)

    async def _read(self, media: MediaInfo) -> MediaInfo:
        assert self._reader is not None and media.key is not None
        mime = media.mime_type or ""
        if mime not in self._reader.media_types:
            return media.moved(MediaStatus.READY, error=f"cannot read {mime or 'this'} files")
        data = b"".join([chunk async for chunk in await self.store.open(media.key)])
        try:
            text = await self._reader.read(data, mime)
        except ValidationError as exc:
            return media.moved(MediaStatus.READY, error=str(exc)[:500])
        return media.moved(MediaStatus.READY, text=text[:MAX_DOCUMENT_CHARS])

    async def _save(self, message: Message, media: MediaInfo, ready: bool) -> Message:
        """Write the media's new state; once it is settled, schedule the conversation's turn."""
        now = self._clock.now()
        async with self._uow() as uow:
            try:
                current = await uow.messages.get(message.id)
            except NotFound:
                return message
            updated = with_media(current, media)
            await uow.messages.update(updated)
            if ready:  # searchable now (the transcript, a document's text) and answerable
                await schedule_conversation(uow, current.session_id, current.contact_jid, now)
                await uow.jobs.enqueue(
                    JobKind.TURN,
                    {"session_id": current.session_id, "contact_jid": current.contact_jid},
                    key=conversation_key(current.session_id, current.contact_jid),
                    run_at=now,
                    coalesce=True,
                )
            await uow.commit()
        await self._live.message(updated, kind="message.media")
        return updated

    async def file(self, message_id: str) -> tuple[MediaInfo, AsyncIterator[bytes]]:
        """A message's stored file, to serve it; ``NotFound`` (with why) when there is none."""
        async with self._uow() as uow:
            message = await uow.messages.get(message_id)
        media = media_of(message)
        if media is None or not media.key:
            state = media.status.value if media is not None else "none"
            raise NotFound("stored media of message", f"{message_id} (media: {state})")
        try:
            return media, await self.store.open(media.key)
        except NotFound:
            raise NotFound("media file (expired: deleted by retention)", message_id) from None

    async def purge_expired(self) -> int:
        """Retention: delete the files stored more than ``retention_days`` ago."""
        days = self.settings.retention_days
        if days <= 0:
            return 0
        deleted = await self.store.purge(self._clock.now() - timedelta(days=days))
        if deleted:
            log.info("media retention deleted %d file(s) older than %d days", len(deleted), days)
        return len(deleted)


def _audio_name(mime_type: str | None) -> str:
    ext = {"audio/ogg": "ogg", "audio/mpeg": "mp3", "audio/mp4": "m4a", "audio/wav": "wav"}
    return "audio." + ext.get((mime_type or "").split(";")[0].strip(), "ogg")
