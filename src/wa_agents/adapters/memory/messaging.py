"""In-memory ``MessagingGateway``: a fake WhatsApp that records every send.

Inspection helpers: ``sent`` (every WhatsApp message actually sent), ``presence`` and ``reads``.
``connect``/``disconnect`` play the phone side; ``fail_next_sends`` makes sends fail,
``restrict_next_sends`` answers them as a restricted number.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from wa_agents.domain.model.errors import (
    AlreadyExists,
    BridgeUnavailable,
    NotFound,
    NumberRestricted,
    SessionNotConnected,
)
from wa_agents.domain.model.session import SessionStatus
from wa_agents.ports.messaging import MessagingGateway, OutgoingMedia, SessionInfo


@dataclass(frozen=True, slots=True)
class SentMessage:
    session_id: str
    to_jid: str
    text: str
    wa_message_id: str
    idempotency_key: str


class MemoryMessagingGateway(MessagingGateway):
    def __init__(self, *, auto_connect: bool = False) -> None:
        self._sessions: dict[str, SessionInfo] = {}
        self._by_key: dict[str, str] = {}
        self._auto_connect = auto_connect
        self.sent: list[SentMessage] = []
        self.presence: list[tuple[str, str, str]] = []
        self.reads: list[tuple[str, str, tuple[str, ...]]] = []
        self.pairing_requests: list[tuple[str, str]] = []
        self.fail_next_sends = 0
        self.media: dict[str, OutgoingMedia] = {}  # by WhatsApp id: the files sent
        self.restrict_next_sends: list[str] = []  # reasons: rate-limited, restricted, banned

    def _get(self, session_id: str) -> SessionInfo:
        try:
            return self._sessions[session_id]
        except KeyError:
            raise NotFound("session", session_id) from None

    async def create_session(self, session_id: str) -> SessionInfo:
        if session_id in self._sessions:
            raise AlreadyExists("session", session_id)
        info = SessionInfo(
            id=session_id, status=SessionStatus.QR_WAITING, qr_code=f"qr:{session_id}"
        )
        self._sessions[session_id] = info
        if self._auto_connect:
            self.connect(session_id)
        return self._sessions[session_id]

    def connect(self, session_id: str, phone_number: str = "15550000000") -> SessionInfo:
        info = replace(
            self._get(session_id),
            status=SessionStatus.CONNECTED,
            qr_code=None,
            phone_number=phone_number,
        )
        self._sessions[session_id] = info
        return info

    def disconnect(self, session_id: str) -> None:
        self._sessions[session_id] = replace(
            self._get(session_id), status=SessionStatus.DISCONNECTED
        )

    async def get_session(self, session_id: str) -> SessionInfo:
        return self._get(session_id)

    async def reconnect(self, session_id: str) -> SessionInfo:
        info = self._get(session_id)
        if info.status == SessionStatus.LOGGED_OUT:
            info = replace(info, status=SessionStatus.QR_WAITING, qr_code=f"qr:{session_id}")
            self._sessions[session_id] = info
        return info

    async def logout(self, session_id: str) -> None:
        self._sessions[session_id] = replace(
            self._get(session_id), status=SessionStatus.LOGGED_OUT, qr_code=None
        )

    async def request_pairing_code(self, session_id: str, phone_number: str) -> str:
        if self._get(session_id).status != SessionStatus.QR_WAITING:
            raise SessionNotConnected(f"session {session_id} is not waiting for a scan")
        self.pairing_requests.append((session_id, phone_number))
        return f"PAIR{len(self.pairing_requests):04d}"

    async def delete_session(self, session_id: str) -> None:
        self._get(session_id)
        del self._sessions[session_id]

    async def send_text(
        self, session_id: str, to_jid: str, text: str, *, idempotency_key: str
    ) -> str:
        if idempotency_key in self._by_key:
            return self._by_key[idempotency_key]
        if self._get(session_id).status != SessionStatus.CONNECTED:
            raise SessionNotConnected(f"session {session_id} is not connected")
        if self.fail_next_sends > 0:
            self.fail_next_sends -= 1
            raise BridgeUnavailable("injected send failure")
        if self.restrict_next_sends:
            raise NumberRestricted(self.restrict_next_sends.pop(0), "injected", retry_after=60)
        wa_id = f"WA{len(self.sent) + 1:08d}"
        self.sent.append(SentMessage(session_id, to_jid, text, wa_id, idempotency_key))
        self._by_key[idempotency_key] = wa_id
        return wa_id

    async def send_media(
        self, session_id: str, to_jid: str, media: OutgoingMedia, *, idempotency_key: str
    ) -> str:
        wa_id = await self.send_text(
            session_id, to_jid, media.caption, idempotency_key=idempotency_key
        )
        self.media[wa_id] = media
        return wa_id

    async def send_presence(self, session_id: str, jid: str, state: str) -> None:
        self._get(session_id)
        self.presence.append((session_id, jid, state))

    async def mark_read(self, session_id: str, jid: str, wa_message_ids: list[str]) -> None:
        self._get(session_id)
        self.reads.append((session_id, jid, tuple(wa_message_ids)))
