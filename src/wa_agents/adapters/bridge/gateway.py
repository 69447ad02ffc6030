"""``BridgeHttpMessagingGateway``: the ``MessagingGateway`` over a bridge's HTTP API.

Speaks the zapw-compatible core and uses our bridge's extensions when they are there. A plain
zapw bridge answers 404 for them; the gateway then remembers that and degrades: presence and
read receipts do nothing, ``logout`` deletes the session (and reports it ``logged_out`` until it
is reconnected, which creates it again), ``reconnect`` reads the session. Sends carry the
``Idempotency-Key`` header (our bridge sends nothing twice for a key); the keys of successful sends
are also remembered here, so a repeat is answered without a call even by zapw.
"""

from __future__ import annotations

import base64
from collections import OrderedDict
from collections.abc import Mapping
from urllib.parse import quote

import httpx

from wa_agents.adapters.bridge.client import BridgeHttp
from wa_agents.adapters.bridge.wire import data_of, error_text, message_id, session_info
from wa_agents.domain.model.errors import (
    AlreadyExists,
    BridgeUnavailable,
    NotFound,
    SessionNotConnected,
    ValidationError,
)
from wa_agents.domain.model.session import SessionStatus
from wa_agents.ports.messaging import MessagingGateway, OutgoingMedia, SessionInfo

REMEMBERED_SENDS = 10_000


class BridgeHttpMessagingGateway(MessagingGateway):
    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        *,
        timeout: float = 10.0,
        session_timeout: float = 45.0,
    ) -> None:
        """``timeout`` bounds every call except creating and reconnecting a session, which
        may wait for WhatsApp's QR (zapw blocks up to 30 s) and get ``session_timeout``."""
        self._http = BridgeHttp(base_url, api_key, timeout=timeout, slow_timeout=session_timeout)
        self._missing: set[str] = set()  # extension calls this bridge lacks (a plain zapw)
        self._logged_out: set[str] = set()  # sessions "logged out" by deleting them
        self._sent: OrderedDict[tuple[str, str], str] = OrderedDict()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def health(self) -> bool:
        """True when the bridge answers ``GET /health`` (no API key needed)."""
        return await self._http.healthy()

    async def readiness(self) -> None:
        """Raises ``BridgeUnavailable`` unless the bridge answers an authenticated call."""
        self._check(await self._http.call("GET", "/sessions"), "*")

    async def create_session(self, session_id: str) -> SessionInfo:
        response = await self._http.call(
            "POST", "/sessions", body={"sessionId": session_id}, slow=True
        )
        if response.status_code == 409:
            raise AlreadyExists("session", session_id)
        self._check(response, session_id)
        self._logged_out.discard(session_id)
        return session_info(data_of(response.content), session_id)

    async def get_session(self, session_id: str) -> SessionInfo:
        response = await self._http.call("GET", _path(session_id))
        if response.status_code == 404 and session_id in self._logged_out:
            return SessionInfo(id=session_id, status=SessionStatus.LOGGED_OUT)
        self._check(response, session_id)
        return session_info(data_of(response.content), session_id)

    async def reconnect(self, session_id: str) -> SessionInfo:
        if session_id in self._logged_out:
            return await self.create_session(session_id)
        response = await self._extension(
            "reconnect", "POST", _path(session_id, "reconnect"), slow=True
        )
        if response is None:
            return await self.get_session(session_id)
        self._check(response, session_id)
        return session_info(data_of(response.content), session_id)

    async def logout(self, session_id: str) -> None:
        response = await self._extension("logout", "POST", _path(session_id, "logout"))
        if response is not None:
            self._check(response, session_id)
            return
        await self.delete_session(session_id)
        self._logged_out.add(session_id)

    async def request_pairing_code(self, session_id: str, phone_number: str) -> str:
        body = {"phoneNumber": phone_number}
        path = _path(session_id, "pairing-code")
        response = await self._extension("pairing-code", "POST", path, body)
        if response is None:
            raise NotFound("pairing code", "this bridge offers none: scan the QR code")
        self._check(response, session_id)
        data = data_of(response.content)
        code = data.get("pairingCode") if isinstance(data, dict) else None
        if not isinstance(code, str) or not code:
            raise BridgeUnavailable("the bridge answered a pairing code request without a code")
        return code

    async def delete_session(self, session_id: str) -> None:
        response = await self._http.call("DELETE", _path(session_id))
        gone_already = response.status_code == 404 and session_id in self._logged_out
        self._logged_out.discard(session_id)
        for key in [k for k in self._sent if k[0] == session_id]:
            del self._sent[key]
        if not gone_already:
            self._check(response, session_id)

    async def send_text(
        self, session_id: str, to_jid: str, text: str, *, idempotency_key: str
    ) -> str:
        return await self._send(
            session_id, {"to": to_jid, "type": "text", "text": text}, idempotency_key
        )

    async def send_media(
        self, session_id: str, to_jid: str, media: OutgoingMedia, *, idempotency_key: str
    ) -> str:
        """As ``mediaBase64`` (the bridge caps it at its ``MEDIA_MAX_BYTES``, 16 MiB)."""
        body: dict[str, object] = {
            "to": to_jid,
            "type": media.kind,
            "mediaBase64": base64.b64encode(media.data).decode(),
            "mimetype": media.mime_type,
        }
        if media.caption:
            body["caption"] = media.caption
        if media.filename:
            body["fileName"] = media.filename
        return await self._send(session_id, body, idempotency_key)

    async def _send(self, session_id: str, body: Mapping[str, object], idempotency_key: str) -> str:
        remembered = self._sent.get((session_id, idempotency_key))
        if remembered is not None:
            return remembered
        if session_id in self._logged_out:
            raise SessionNotConnected(f"session {session_id} is logged out")
        response = await self._http.call(
            "POST",
            _path(session_id, "messages"),
            body=body,
            headers={"Idempotency-Key": idempotency_key},
        )
        self._check(response, session_id)
        wa_id = message_id(data_of(response.content))
        self._sent[(session_id, idempotency_key)] = wa_id
        if len(self._sent) > REMEMBERED_SENDS:
            self._sent.popitem(last=False)
        return wa_id

    async def send_presence(self, session_id: str, jid: str, state: str) -> None:
        body = {"to": jid, "state": state}
        response = await self._extension("presence", "POST", _path(session_id, "presence"), body)
        if response is not None:
            self._check(response, session_id)

    async def mark_read(self, session_id: str, jid: str, wa_message_ids: list[str]) -> None:
        if not wa_message_ids:
            return
        body = {"from": jid, "messageIds": wa_message_ids}
        response = await self._extension("read", "POST", _path(session_id, "read"), body)
        if response is not None:
            self._check(response, session_id)

    async def _extension(
        self,
        name: str,
        method: str,
        path: str,
        body: Mapping[str, object] | None = None,
        *,
        slow: bool = False,
    ) -> httpx.Response | None:
        """The answer to an extension call, or None when this bridge lacks the call."""
        if name in self._missing:
            return None
        response = await self._http.call(method, path, body=body, slow=slow)
        if response.status_code == 405 or (
            response.status_code == 404 and not _is_session_not_found(response)
        ):
            self._missing.add(name)
            return None
        return response

    def _check(self, response: httpx.Response, session_id: str) -> None:
        status = response.status_code
        if status < 300:
            return
        text = error_text(response.content)
        if status == 404:
            raise NotFound("session", session_id)
        if status == 409 or "not connected" in text.lower():
            raise SessionNotConnected(f"session {session_id}: {text}")
        if 400 <= status < 500:
            raise ValidationError(f"the bridge refused the call (HTTP {status}): {text}")
        raise BridgeUnavailable(f"bridge answered HTTP {status}: {text}")


def _path(session_id: str, *rest: str) -> str:
    return "/".join(["/sessions", quote(session_id, safe=""), *rest])


def _is_session_not_found(response: httpx.Response) -> bool:
    """Our bridge says ``session <id> not found``; a missing route reads otherwise."""
    return error_text(response.content).lower().startswith("session")
