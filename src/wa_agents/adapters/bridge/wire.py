"""The bridge's wire format: the response envelope, the ``Session`` object, error texts.

Both bridges wrap answers as ``{"status":"success","data":…}`` or ``{"status":"error","error":…}``;
older zapw builds answer a bare object and ``{"error","message"}``, so both shapes are read, and
a raw QR payload (some zapw builds) is drawn as the PNG data URL the contract promises.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

import segno

from wa_agents.domain.model.errors import BridgeUnavailable
from wa_agents.domain.model.session import SessionStatus
from wa_agents.ports.messaging import SessionInfo

log = logging.getLogger("wa_agents.bridge")

_DIRECT = {
    "qr_waiting": SessionStatus.QR_WAITING,
    "connected": SessionStatus.CONNECTED,
    "disconnected": SessionStatus.DISCONNECTED,
    "logged_out": SessionStatus.LOGGED_OUT,
}


def decode(body: bytes) -> Any:
    try:
        return json.loads(body) if body else None
    except ValueError:
        return None


def data_of(body: bytes) -> Any:
    """The ``data`` of a success envelope (or the bare object an older zapw answers)."""
    payload = decode(body)
    if isinstance(payload, dict) and payload.get("status") == "success" and "data" in payload:
        return payload["data"]
    return payload


def error_text(body: bytes) -> str:
    """The bridge's error message, or the start of whatever it answered."""
    payload = decode(body)
    if isinstance(payload, dict):
        for key in ("error", "message"):
            if isinstance(payload.get(key), str):
                return str(payload[key])
    return body[:200].decode("utf-8", "replace").strip()


def status_of(raw: object, *, was_linked: bool) -> SessionStatus:
    """``initializing``/``connecting`` mean *reconnecting* for a session that was linked before."""
    if raw in ("initializing", "connecting"):
        return SessionStatus.RECONNECTING if was_linked else SessionStatus.PENDING
    if isinstance(raw, str) and raw in _DIRECT:
        return _DIRECT[raw]
    log.warning("bridge reported an unknown session status %r; treating it as pending", raw)
    return SessionStatus.PENDING


def _timestamp(raw: object) -> datetime | None:
    if not isinstance(raw, str) or not raw:
        return None
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None


def _text(raw: object) -> str | None:
    return raw if isinstance(raw, str) and raw else None


def qr_image(raw: str) -> str:
    """A PNG data URL; some zapw builds hand out WhatsApp's raw QR payload instead."""
    if raw.startswith("data:"):
        return raw
    return str(segno.make(raw, error="m").png_data_uri(scale=5, border=2))


def session_info(data: object, session_id: str) -> SessionInfo:
    """A bridge ``Session`` object as a ``SessionInfo``; a malformed one is a bridge failure."""
    if not isinstance(data, dict) or not isinstance(data.get("status"), str):
        raise BridgeUnavailable(f"bridge answered an unexpected session object for {session_id}")
    phone = _text(data.get("phoneNumber"))
    linked = bool(phone or data.get("connectedAt"))
    status = status_of(data["status"], was_linked=linked)
    raw_qr = _text(data.get("qrCode")) if status == SessionStatus.QR_WAITING else None
    qr = qr_image(raw_qr) if raw_qr else None
    return SessionInfo(
        id=_text(data.get("id")) or session_id,
        status=status,
        qr_code=qr,
        qr_expires_at=_timestamp(data.get("qrExpiresAt")) if qr else None,
        phone_number=phone,
        display_name=_text(data.get("name")),
    )


def message_id(data: object) -> str:
    if isinstance(data, dict) and isinstance(data.get("messageId"), str) and data["messageId"]:
        return str(data["messageId"])
    raise BridgeUnavailable("bridge answered a send without a messageId")
