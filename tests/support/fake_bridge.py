"""A fake WhatsApp bridge over real HTTP: the zapw core plus our extensions (bridge.md).

``FakeBridge(zapw_only=True)`` behaves like an unmodified zapw: extension routes answer Express'
404 page, ``Idempotency-Key`` is ignored and "not connected" is a 400. Play the phone with ``scan``
and ``disconnect``; break it with ``delay``, ``fail_sends`` and ``answer_sends_late`` (the message
goes out, the answer comes after the client gave up). ``sends`` records every WhatsApp message.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.support.http_server import LocalServer, Response, Route, json_response

API_KEY = "bridge-test-key"
QR = "data:image/png;base64,iVBORw0KGgo="
ROUTE = re.compile(r"^/sessions/(?P<id>[^/]+)(?:/(?P<action>[a-z-]+))?$")
RECIPIENT = re.compile(r"^(\d{5,20}|\d{5,20}@s\.whatsapp\.net|[\d-]{5,40}@g\.us|\d{5,25}@lid)$")
EXTENSIONS = {"reconnect", "logout", "presence", "read", "pairing-code"}
PHONE = re.compile(r"^\+?\d{6,20}$")


@dataclass(frozen=True)
class FakeSend:
    session_id: str
    to: str
    text: str
    idempotency_key: str | None
    message_id: str
    received_at: float = field(default_factory=time.time)  # when the bridge took it


def _forget_qr(session: dict[str, Any]) -> None:
    session.pop("qrCode", None)
    session.pop("qrExpiresAt", None)


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


@dataclass
class FakeBridge:
    zapw_only: bool = False
    api_key: str | None = API_KEY
    delay: float = 0.0  # seconds before every answer
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    sends: list[FakeSend] = field(default_factory=list)
    presence: list[tuple[str, str, str]] = field(default_factory=list)
    reads: list[tuple[str, str, list[str]]] = field(default_factory=list)
    pairing: list[tuple[str, str]] = field(default_factory=list)  # pairing codes asked
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    _failures: list[int] = field(default_factory=list)
    _restrictions: list[str] = field(default_factory=list)
    _late: list[float] = field(default_factory=list)
    _by_key: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.RLock = field(default_factory=threading.RLock)

    # -- the phone and the failures ---------------------------------------------------------
    def scan(self, session_id: str, phone: str = "15550001111", name: str = "Shop") -> None:
        with self._lock:
            session = self.sessions[session_id]
            session.update(status="connected", phoneNumber=phone, name=name, connectedAt=_now())
            _forget_qr(session)

    def disconnect(self, session_id: str, *, logged_out: bool = False) -> None:
        with self._lock:
            status = "logged_out" if logged_out and not self.zapw_only else "disconnected"
            self.sessions[session_id]["status"] = status

    def fail_sends(self, times: int = 1, status: int = 500) -> None:
        self._failures.extend([status] * times)

    def restrict_sends(self, reason: str = "rate-limited", times: int = 1) -> None:
        """Answer sends as our bridge does when WhatsApp limits the number (docs/bridge.md)."""
        self._restrictions.extend([reason] * times)

    def answer_sends_late(self, seconds: float, times: int = 1) -> None:
        self._late.extend([seconds] * times)

    def sent(self, session_id: str) -> list[tuple[str, str]]:
        return [(s.to, s.text) for s in self.sends if s.session_id == session_id]

    # -- the wire -------------------------------------------------------------------------
    def route(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Response:
        self.requests.append((method, path, headers))
        if self.delay:
            time.sleep(self.delay)
        if (method, path) == ("GET", "/health"):
            return json_response(200, {"status": "ok", "timestamp": _now(), "uptime": 1})
        if self.api_key and self._key(headers) != self.api_key:
            return json_response(401, {"status": "error", "error": "unauthorized"})
        request = json.loads(body) if body else {}
        if path == "/sessions":
            return self._list() if method == "GET" else self._create(request)
        match = ROUTE.match(path)
        action = match["action"] if match else None
        if not match or (self.zapw_only and action in EXTENSIONS):
            page = f"<pre>Cannot {method} {path}</pre>".encode()
            return 404, {"Content-Type": "text/html; charset=utf-8"}, page
        with self._lock:
            session = self.sessions.get(match["id"])
            if session is None:
                prefix = "Session" if self.zapw_only else "session"
                return self._error(404, f"{prefix} {match['id']} not found")
            return self._session_call(method, action, session, request, headers)

    def _key(self, headers: dict[str, str]) -> str | None:
        auth = headers.get("authorization", "")
        return auth[7:] if auth.lower().startswith("bearer ") else headers.get("x-api-key")

    def _error(self, status: int, text: str) -> Response:
        return json_response(status, {"status": "error", "error": text})

    def _view(self, session: dict[str, Any]) -> Response:
        return json_response(200, {"status": "success", "data": dict(session)})

    def _list(self) -> Response:
        return json_response(200, {"status": "success", "data": list(self.sessions.values())})

    def _waiting(self, session: dict[str, Any]) -> None:
        session.update(status="qr_waiting", qrCode=QR)
        if not self.zapw_only:
            expires = datetime.now(UTC) + timedelta(seconds=60)
            session["qrExpiresAt"] = expires.isoformat().replace("+00:00", "Z")

    def _create(self, request: dict[str, Any]) -> Response:
        session_id = str(request.get("sessionId", ""))
        with self._lock:
            if session_id in self.sessions:
                return self._error(409, f"session {session_id} already exists")
            session: dict[str, Any] = {"id": session_id, "createdAt": _now()}
            self._waiting(session)
            self.sessions[session_id] = session
            return json_response(201, {"status": "success", "data": dict(session)})

    def _session_call(
        self,
        method: str,
        action: str | None,
        session: dict[str, Any],
        request: dict[str, Any],
        headers: dict[str, str],
    ) -> Response:
        session_id, connected = session["id"], session["status"] == "connected"
        if action is None and method == "GET":
            return self._view(session)
        if action is None and method == "DELETE":
            del self.sessions[session_id]
            self._by_key = {k: v for k, v in self._by_key.items() if k[0] != session_id}
            return 204, {}, b""
        if action == "messages":
            return self._send(session_id, connected, request, headers.get("idempotency-key"))
        if action == "logout":
            session.update(status="logged_out")
            _forget_qr(session)
            return self._view(session)
        if action == "reconnect":
            if session["status"] == "logged_out":
                self._waiting(session)
            elif session["status"] == "disconnected":
                session["status"] = "connected"
            return self._view(session)
        if action == "pairing-code":
            return self._pairing_code(session, request)
        if not connected:
            return self._error(409, "session is not connected")
        if action == "presence":
            self.presence.append((session_id, request["to"], request["state"]))
            return json_response(200, {"status": "success", "data": request})
        if action == "read":
            self.reads.append((session_id, request["from"], request["messageIds"]))
            return json_response(200, {"status": "success", "data": request})
        return self._error(404, f"route {method} {action} not found")

    def _pairing_code(self, session: dict[str, Any], request: dict[str, Any]) -> Response:
        phone = str(request.get("phoneNumber", ""))
        if not PHONE.match(phone):
            return self._error(400, "body/phoneNumber must match pattern")
        if session["status"] != "qr_waiting":
            return self._error(409, f"cannot pair: session is {session['status']}")
        self.pairing.append((session["id"], phone.lstrip("+")))
        code = f"FAKE{len(self.pairing):04d}"
        return json_response(200, {"status": "success", "data": {"pairingCode": code}})

    def _send(
        self, session_id: str, connected: bool, request: dict[str, Any], key: str | None
    ) -> Response:
        key = None if self.zapw_only else key
        if key and (session_id, key) in self._by_key:
            return json_response(200, {"status": "success", "data": self._by_key[session_id, key]})
        if self._failures:
            return self._error(self._failures.pop(0), "injected failure")
        if self._restrictions:
            reason = self._restrictions.pop(0)
            body: dict[str, Any] = {"status": "error", "error": reason, "detail": "simulated"}
            if reason == "rate-limited":
                body["retryAfter"] = 30
            return json_response(429 if reason == "rate-limited" else 403, body)
        if not RECIPIENT.match(str(request.get("to", ""))):
            return self._error(400, "to must be a phone number (digits) or a JID")
        if not connected:
            if self.zapw_only:
                return self._error(400, "Session not connected")
            return self._error(409, "session is not connected")
        result = {"messageId": f"3EB0{next(self._ids):06d}", "timestamp": 0, "status": "sent"}
        self.sends.append(
            FakeSend(session_id, request["to"], request["text"], key, str(result["messageId"]))
        )
        if key:
            self._by_key[session_id, key] = result
        late = self._late.pop(0) if self._late else 0.0
        if late:
            self._lock.release()  # the message is out; let a retry in while this answer waits
            try:
                time.sleep(late)
            finally:
                self._lock.acquire()
        return json_response(200, {"status": "success", "data": result})


class _QuickLocalServer(LocalServer):
    """Polls for shutdown every 10 ms (``serve_forever``'s 0.5 s default slows every test)."""

    def __init__(self, route: Route) -> None:
        super().__init__(route)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )


def serve(fake: FakeBridge) -> LocalServer:
    return _QuickLocalServer(fake.route)
