"""SessionService: link numbers, follow their status, assign agents."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import datetime

from wa_agents.domain.model.conversation import conversation_key
from wa_agents.domain.model.errors import AlreadyExists, InvalidTransition, NotFound
from wa_agents.domain.model.job import JobKind
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.domain.model.session import Session, SessionStatus, validate_session_id
from wa_agents.domain.services.notify import Notifier
from wa_agents.ports.clock import Clock
from wa_agents.ports.jobs import JobQueue
from wa_agents.ports.messaging import MessagingGateway, SessionInfo
from wa_agents.ports.unit_of_work import UnitOfWorkFactory


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
        notify: Notifier | None = None,
        queue: JobQueue | None = None,
    ) -> None:
        self._uow = uow
        self._gateway = gateway
        self._clock = clock
        self._notify = notify or Notifier()
        self._queue = queue  # to release a number's held replies the moment it reconnects

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
            await self._notify.session(current)
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

    async def _store(self, session_id: str, info: SessionInfo) -> Session:
        async with self._uow() as uow:
            before = await uow.sessions.get(session_id)
            session = apply_info(before, info, self._clock.now())
            await uow.sessions.update(session)
            await uow.commit()
        if self._queue is not None and session.can_send and not before.can_send:
            await self._queue.wake(  # only sends: a debounced turn keeps its window
                conversation_key(session_id, ""), now=self._clock.now(), kind=JobKind.SEND
            )
        await self._notify.session(session)
        return session

    async def refresh(self, session_id: str) -> Session:
        """Ask the gateway for the current status and QR."""
        await self.get(session_id)
        return await self._store(session_id, await self._gateway.get_session(session_id))

    async def reconnect(self, session_id: str) -> Session:
        await self.get(session_id)
        return await self._store(session_id, await self._gateway.reconnect(session_id))

    async def logout(self, session_id: str) -> Session:
        await self.get(session_id)
        await self._gateway.logout(session_id)
        return await self.apply_status(session_id, SessionStatus.LOGGED_OUT)

    async def delete(self, session_id: str) -> None:
        session = await self.get(session_id)
        with contextlib.suppress(NotFound):  # the gateway forgot it already: fine
            await self._gateway.delete_session(session_id)
        async with self._uow() as uow:
            await uow.sessions.delete(session_id)
            await uow.commit()
        await self._notify.session(session, deleted=True)

    async def assign_agent(self, session_id: str, agent_id: str | None) -> Session:
        async with self._uow() as uow:
            session = await uow.sessions.get(session_id)
            if agent_id is not None:
                await uow.agents.get(agent_id)
            session = replace(session, agent_id=agent_id, updated_at=self._clock.now())
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
    ) -> Session:
        """Record what the bridge reports about a session (webhooks call this)."""
        info = SessionInfo(
            id=session_id,
            status=status,
            qr_code=qr_code,
            qr_expires_at=qr_expires_at,
            phone_number=phone_number,
            display_name=display_name,
        )
        return await self._store(session_id, info)
