"""SandboxService: play the WhatsApp side when no bridge is configured.

``scan`` is a person scanning the session's QR code; ``inbound`` is a WhatsApp user sending a
text to the linked number. Both go through the same use cases a real bridge's events do.
"""

from __future__ import annotations

from wa_agents.domain.model.errors import InvalidTransition
from wa_agents.domain.model.session import Session, SessionStatus
from wa_agents.domain.services.inbound import AcceptResult, InboundMessage, InboundService
from wa_agents.domain.services.sessions import SessionService
from wa_agents.ports.clock import IdGenerator
from wa_agents.ports.sandbox import SandboxPhone


class SandboxService:
    def __init__(
        self,
        phone: SandboxPhone,
        sessions: SessionService,
        inbound: InboundService,
        ids: IdGenerator,
    ) -> None:
        self._phone, self._sessions, self._inbound, self._ids = phone, sessions, inbound, ids

    async def scan(self, session_id: str) -> Session:
        session = await self._sessions.get(session_id)
        if session.status == SessionStatus.LOGGED_OUT:
            raise InvalidTransition(f"session {session_id} is logged out: reconnect it first")
        info = await self._phone.link(session_id)
        return await self._sessions.apply_status(
            session_id,
            info.status,
            phone_number=info.phone_number,
            display_name=info.display_name,
        )

    async def inbound(self, session_id: str, from_jid: str, text: str) -> AcceptResult:
        session = await self._sessions.get(session_id)
        if session.status != SessionStatus.CONNECTED:
            raise InvalidTransition(f"session {session_id} is not connected: scan it first")
        return await self._inbound.accept(
            InboundMessage(
                session_id=session_id,
                from_jid=from_jid,
                content=text,
                wa_message_id=f"SANDBOX{self._ids.new_id()}",
            )
        )
