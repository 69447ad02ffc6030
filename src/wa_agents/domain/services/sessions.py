"""SessionService: link numbers, follow their status, assign agents."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from wa_agents.domain.model.conversation import conversation_key
from wa_agents.domain.model.errors import (
    AlreadyExists,
    InvalidTransition,
    NotFound,
    SessionNotConnected,
    ValidationError,
)
from wa_agents.domain.model.governor import SendPolicy
from wa_agents.domain.model.job import JobKind
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.domain.model.session import Session, SessionStatus, validate_session_id
from wa_agents.domain.services.live_events import LiveEvents
from wa_agents.ports.clock import Clock
from wa_agents.ports.jobs import JobQueue
from wa_agents.ports.messaging import MessagingGateway, SessionInfo
from wa_agents.ports.unit_of_work import UnitOfWorkFactory

log = logging.getLogger("wa_agents.sessions")

MAX_PACING_MS = 600_000  # WA_SEND_MIN_INTERVAL_MS's own range
_PHONE = re.compile(r"^\d{6,20}$")


def apply_info(session: Session, info: SessionInfo, now: datetime) -> Session:
    """Move ``session`` to what the gateway reports.

    The gateway is the source of truth: a QR or a link it reports is real even when our
    state machine thought otherwise (a phone unlinked while we saw it connected), so such a
    report goes through ``disconnected`` first. Other refused moves raise ``InvalidTransition``.
    """
    try:
        return _apply(session, info, now)
    except InvalidTransition:
        if info.status not in (SessionStatus.QR_WAITING, SessionStatus.CONNECTED):
            raise
        return _apply(session.move_to(SessionStatus.DISCONNECTED, now), info, now)


def _apply(session: Session, info: SessionInfo, now: datetime) -> Session:
    if info.status == SessionStatus.QR_WAITING and info.qr_code:
        return session.with_qr(info.qr_code, info.qr_expires_at, now)
    if info.status == SessionStatus.CONNECTED:
        return session.connected(now, info.phone_number, info.display_name)
    return session.move_to(info.status, now)


class SessionService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        gateway: MessagingGateway,
        clock: Clock,
        live: LiveEvents | None = None,
        queue: JobQueue | None = None,
        forget: Callable[[str], Awaitable[None]] | None = None,
    ) -> None:
        self._uow = uow
        self._gateway = gateway
        self._clock = clock
        self._live = live or LiveEvents()
        self._queue = queue  # to release a number's held replies the moment it reconnects
        self._forget = forget  # removes a deleted session's vectors from the search index

    async def create(self, session_id: str, agent_id: str | None = None) -> Session:
        """Store the session, then ask the gateway for it (a QR, usually).

        The row exists *before* the gateway is called: a bridge reports the new session by
        webhook while its create call is still waiting for WhatsApp's QR, and that report must
        find our session (with its agent), not adopt a bare one of its own.
        """
        validate_session_id(session_id)
        now = self._clock.now()
        async with self._uow() as uow:
            if await uow.sessions.find(session_id) is not None:
                raise AlreadyExists("session", session_id)
            if agent_id is not None:
                await uow.agents.get(agent_id)
            await uow.sessions.add(
                Session(id=session_id, agent_id=agent_id, created_at=now, updated_at=now)
            )
            await uow.commit()
        try:
            try:
                info = await self._gateway.create_session(session_id)
            except AlreadyExists:  # the bridge knows it already (e.g. restored): adopt it
                info = await self._gateway.get_session(session_id)
        except BaseException:
            async with self._uow() as uow:  # the gateway has no such session: neither do we
                with contextlib.suppress(NotFound):
                    await uow.sessions.delete(session_id)
                await uow.commit()
            raise
        async with self._uow() as uow:
            current = await uow.sessions.get(session_id)
        if current.status != SessionStatus.PENDING:  # webhooks told us more, and more recently
            await self._live.session(current)
            return current
        return await self._store(session_id, info)

    async def get(self, session_id: str) -> Session:
        async with self._uow() as uow:
            return await uow.sessions.get(session_id)

    async def current(self, session_id: str) -> Session:
        """The session, with a fresh QR from the gateway when the shown one has expired."""
        session = await self.get(session_id)
        expires = session.qr_expires_at
        if session.status == SessionStatus.QR_WAITING and expires and expires <= self._clock.now():
            return await self.refresh(session_id)
        return session

    async def list(self, page: PageRequest) -> Page[Session]:
        async with self._uow() as uow:
            return await uow.sessions.list(page)

    async def _store(
        self, session_id: str, info: SessionInfo, reported_at: datetime | None = None
    ) -> Session:
        async with self._uow() as uow:
            before = await uow.sessions.get(session_id)
            last = before.status_reported_at
            if reported_at is not None and last is not None and reported_at < last:
                log.info("ignored a %s report for %s older than the last", info.status, session_id)
                return before
            session = apply_info(before, info, self._clock.now())
            if reported_at is not None:
                session = replace(session, status_reported_at=reported_at)
            await uow.sessions.update(session)
            await uow.commit()
        if self._queue is not None and session.can_send and not before.can_send:
            await self._queue.wake(  # only sends: a debounced turn keeps its window
                conversation_key(session_id, ""), now=self._clock.now(), kind=JobKind.SEND
            )
        await self._live.session(session)
        return session

    async def refresh(self, session_id: str) -> Session:
        """Ask the gateway for the current status and QR. A session the gateway no longer
        knows (the sandbox restarted, the bridge lost its folder) is still ours: it shows as
        disconnected, and ``reconnect`` links it again."""
        await self.get(session_id)
        try:
            info = await self._gateway.get_session(session_id)
        except NotFound:
            log.warning("the WhatsApp gateway no longer knows session %s", session_id)
            return await self.apply_status(session_id, SessionStatus.DISCONNECTED)
        return await self._store(session_id, info)

    async def reconnect(self, session_id: str) -> Session:
        """Reconnect at the gateway; one that lost the session starts it again (a new QR)."""
        await self.get(session_id)
        try:
            info = await self._gateway.reconnect(session_id)
        except NotFound:
            info = await self._gateway.create_session(session_id)
        return await self._store(session_id, info)

    async def logout(self, session_id: str) -> Session:
        await self.get(session_id)
        await self._gateway.logout(session_id)
        return await self.apply_status(session_id, SessionStatus.LOGGED_OUT)

    async def pairing_code(self, session_id: str, phone_number: str) -> str:
        """A code to type on the phone instead of scanning the QR (while the session waits
        for a scan). ``phone_number`` is the number being linked, in international format
        (``+``, spaces, dots and dashes are dropped)."""
        digits = re.sub(r"[\s().+-]", "", phone_number)
        if not _PHONE.match(digits):
            raise ValidationError(
                "phone_number: the number to link, in international format with the country "
                "code (6 to 20 digits), e.g. +55 11 98888-7777"
            )
        session = await self.get(session_id)
        if session.status != SessionStatus.QR_WAITING:
            raise InvalidTransition(
                f"session {session_id} is {session.status.value}: a pairing code is only for "
                "linking a number that waits for a scan (reconnect a logged-out one first)"
            )
        try:
            return await self._gateway.request_pairing_code(session_id, digits)
        except SessionNotConnected as exc:  # the gateway moved on since (scanned, expired)
            raise InvalidTransition(f"session {session_id}: {exc}") from None

    async def delete(self, session_id: str) -> None:
        session = await self.get(session_id)
        with contextlib.suppress(NotFound):  # the gateway forgot it already: fine
            await self._gateway.delete_session(session_id)
        async with self._uow() as uow:
            await uow.sessions.delete(session_id)
            await uow.commit()
        if self._forget is not None:
            await self._forget(session_id)
        await self._live.session(session, deleted=True)

    async def assign_agent(self, session_id: str, agent_id: str | None) -> Session:
        return await self.configure(session_id, agent_id=agent_id)

    async def configure(self, session_id: str, **changes: Any) -> Session:
        """Change ``agent_id`` (None: no agent answers), ``send_min_interval_ms`` (the
        number's pacing; None: the server's default) and/or ``send_policy`` (the send
        governor's overrides; None: the server's defaults). Raises ``NotFound`` for an
        unknown session or agent, ``ValidationError`` for a value out of range."""
        unknown = set(changes) - {"agent_id", "send_min_interval_ms", "send_policy"}
        if unknown:
            raise ValidationError(f"sessions have no setting {', '.join(sorted(unknown))}")
        pacing = changes.get("send_min_interval_ms")
        if pacing is not None and not (isinstance(pacing, int) and 0 <= pacing <= MAX_PACING_MS):
            raise ValidationError(f"send_min_interval_ms must be 0-{MAX_PACING_MS}")
        if changes.get("send_policy") is not None:
            SendPolicy().merged(changes["send_policy"])  # raises ValidationError when wrong
        async with self._uow() as uow:
            session = await uow.sessions.get(session_id)
            agent_id = changes.get("agent_id")
            if agent_id is not None:
                await uow.agents.get(str(agent_id))
            session = replace(session, **changes, updated_at=self._clock.now())
            await uow.sessions.update(session)
            await uow.commit()
        return session

    async def apply_status(
        self,
        session_id: str,
        status: SessionStatus,
        *,
        qr_code: str | None = None,
        qr_expires_at: datetime | None = None,
        phone_number: str | None = None,
        display_name: str | None = None,
        reported_at: datetime | None = None,
    ) -> Session:
        """Record what the bridge reports about a session (webhooks call this).

        ``reported_at`` is the bridge's time of the report: one older than the report already
        applied is stale (a late or replayed delivery) and leaves the session as it is.
        """
        info = SessionInfo(
            id=session_id,
            status=status,
            qr_code=qr_code,
            qr_expires_at=qr_expires_at,
            phone_number=phone_number,
            display_name=display_name,
        )
        return await self._store(session_id, info, reported_at)
