"""``SandboxMessagingGateway``: a simulated WhatsApp, the default when no bridge is configured.

A new session shows a real QR code (a PNG data URL, made with segno) that expires like
WhatsApp's; ``link`` plays the phone scanning it. Sends are recorded (``sent``) and never leave
the process. Replies therefore show up in the conversation exactly as with a real bridge.
"""

from __future__ import annotations

import hashlib
import itertools
import secrets
from collections import deque
from dataclasses import dataclass, replace
from datetime import timedelta

import segno

from wa_agents.domain.model.errors import AlreadyExists, NotFound, SessionNotConnected
from wa_agents.domain.model.session import SessionStatus
from wa_agents.ports.clock import Clock
from wa_agents.ports.messaging import MessagingGateway, OutgoingMedia, SessionInfo
from wa_agents.ports.sandbox import SandboxPhone

QR_LIFETIME = timedelta(seconds=60)
PAIRING_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTVWXYZ"  # Baileys' (no 0, O, I or U)


@dataclass(frozen=True, slots=True)
class SandboxSend:
    session_id: str
    to_jid: str
    text: str
    wa_message_id: str


def sandbox_phone_number(session_id: str) -> str:
    """A stable, obviously fake number (the 555 range) for a session."""
    digits = int(hashlib.sha256(session_id.encode()).hexdigest(), 16) % 10_000_000
    return f"1555{digits:07d}"


def sandbox_pairing_code(session_id: str, phone_number: str) -> str:
    """Eight characters from WhatsApp's pairing alphabet, derived from the session and phone."""
    digest = hashlib.sha256(f"{session_id}:{phone_number}".encode()).digest()
    return "".join(PAIRING_ALPHABET[b % len(PAIRING_ALPHABET)] for b in digest[:8])


class SandboxMessagingGateway(MessagingGateway, SandboxPhone):
    def __init__(self, clock: Clock, *, auto_link: bool = False) -> None:
        self._clock = clock
        self._auto_link = auto_link
        self._sessions: dict[str, SessionInfo] = {}
        self._by_key: dict[tuple[str, str], str] = {}
        self._numbers = itertools.count(1)
        self.sent: deque[SandboxSend] = deque(maxlen=10_000)  # inspection: the newest sends

    def _get(self, session_id: str) -> SessionInfo:
        try:
            return self._sessions[session_id]
        except KeyError:
            raise NotFound("session", session_id) from None

    def _waiting_for_scan(self, session_id: str) -> SessionInfo:
        payload = f"wa-agents-sandbox:{session_id}:{secrets.token_urlsafe(12)}"
        qr = segno.make(payload, error="m").png_data_uri(scale=5, border=2)
        info = SessionInfo(
            id=session_id,
            status=SessionStatus.QR_WAITING,
            qr_code=qr,
            qr_expires_at=self._clock.now() + QR_LIFETIME,
        )
        self._sessions[session_id] = info
        return info

    async def create_session(self, session_id: str) -> SessionInfo:
        if session_id in self._sessions:
            raise AlreadyExists("session", session_id)
        info = self._waiting_for_scan(session_id)
        return await self.link(session_id) if self._auto_link else info

    async def link(self, session_id: str) -> SessionInfo:
        info = replace(
            self._get(session_id),
            status=SessionStatus.CONNECTED,
            qr_code=None,
            qr_expires_at=None,
            phone_number=sandbox_phone_number(session_id),
            display_name="Sandbox",
        )
        self._sessions[session_id] = info
        return info

    async def get_session(self, session_id: str) -> SessionInfo:
        info = self._get(session_id)
        expires = info.qr_expires_at
        if info.status == SessionStatus.QR_WAITING and expires and expires <= self._clock.now():
            info = self._waiting_for_scan(session_id)  # WhatsApp rotates an unscanned QR
        return info

    async def reconnect(self, session_id: str) -> SessionInfo:
        info = self._get(session_id)
        if info.status == SessionStatus.LOGGED_OUT:
            return self._waiting_for_scan(session_id)
        if info.status == SessionStatus.DISCONNECTED:
            return await self.link(session_id)  # the phone is still linked
        return info

    async def logout(self, session_id: str) -> None:
        self._sessions[session_id] = replace(
            self._get(session_id), status=SessionStatus.LOGGED_OUT, qr_code=None, qr_expires_at=None
        )

    async def request_pairing_code(self, session_id: str, phone_number: str) -> str:
        """A fake code, the same for the same session and phone (the sandbox has no phone to
        type it on: **Scan** links the number)."""
        if self._get(session_id).status != SessionStatus.QR_WAITING:
            raise SessionNotConnected(f"session {session_id} is not waiting for a scan")
        return sandbox_pairing_code(session_id, phone_number)

    async def delete_session(self, session_id: str) -> None:
        self._get(session_id)
        del self._sessions[session_id]

    async def send_text(
        self, session_id: str, to_jid: str, text: str, *, idempotency_key: str
    ) -> str:
        if (session_id, idempotency_key) in self._by_key:
            return self._by_key[(session_id, idempotency_key)]
        if self._get(session_id).status != SessionStatus.CONNECTED:
            raise SessionNotConnected(f"session {session_id} is not connected")
        wa_id = f"SBX{next(self._numbers):08d}"
        self.sent.append(SandboxSend(session_id, to_jid, text, wa_id))
        self._by_key[(session_id, idempotency_key)] = wa_id
        return wa_id

    async def send_media(
        self, session_id: str, to_jid: str, media: OutgoingMedia, *, idempotency_key: str
    ) -> str:
        """The sandbox's phone shows a line naming the file (it keeps no bytes)."""
        shown = f"[{media.kind}: {media.filename or media.mime_type}] {media.caption}".strip()
        return await self.send_text(session_id, to_jid, shown, idempotency_key=idempotency_key)

    async def send_presence(self, session_id: str, jid: str, state: str) -> None:
        self._get(session_id)

    async def mark_read(self, session_id: str, jid: str, wa_message_ids: list[str]) -> None:
        self._get(session_id)
