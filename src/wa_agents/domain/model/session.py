"""A linked WhatsApp number and its status machine."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from wa_agents.domain.model.errors import InvalidTransition, ValidationError

SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class SessionStatus(enum.StrEnum):
    PENDING = "pending"
    QR_WAITING = "qr_waiting"
    CONNECTED = "connected"
    DISCONNECTED = "disconnected"
    RECONNECTING = "reconnecting"
    LOGGED_OUT = "logged_out"


_S = SessionStatus
TRANSITIONS: dict[SessionStatus, frozenset[SessionStatus]] = {
    _S.PENDING: frozenset({_S.QR_WAITING, _S.CONNECTED, _S.DISCONNECTED, _S.LOGGED_OUT}),
    _S.QR_WAITING: frozenset({_S.QR_WAITING, _S.CONNECTED, _S.DISCONNECTED, _S.LOGGED_OUT}),
    _S.CONNECTED: frozenset({_S.DISCONNECTED, _S.RECONNECTING, _S.LOGGED_OUT}),
    _S.DISCONNECTED: frozenset({_S.RECONNECTING, _S.CONNECTED, _S.QR_WAITING, _S.LOGGED_OUT}),
    _S.RECONNECTING: frozenset({_S.CONNECTED, _S.DISCONNECTED, _S.QR_WAITING, _S.LOGGED_OUT}),
    _S.LOGGED_OUT: frozenset({_S.PENDING, _S.QR_WAITING}),
}


def validate_session_id(session_id: str) -> str:
    if not SESSION_ID.fullmatch(session_id):
        raise ValidationError("session id must match ^[A-Za-z0-9_-]{1,64}$")
    return session_id


@dataclass(frozen=True, slots=True, kw_only=True)
class Session:
    id: str
    status: SessionStatus = SessionStatus.PENDING
    phone_number: str | None = None
    display_name: str | None = None
    qr_code: str | None = None
    qr_expires_at: datetime | None = None
    agent_id: str | None = None
    connected_at: datetime | None = None
    disconnected_at: datetime | None = None
    send_min_interval_ms: int | None = None
    status_reported_at: datetime | None = None  # the bridge's time of the last status applied
    send_policy: dict[str, Any] | None = None  # the send governor's overrides for this number
    created_at: datetime
    updated_at: datetime

    def __post_init__(self) -> None:
        validate_session_id(self.id)

    def can_move_to(self, target: SessionStatus) -> bool:
        return target == self.status or target in TRANSITIONS[self.status]

    def move_to(self, target: SessionStatus, now: datetime) -> Session:
        """Return this session in ``target``; staying put is allowed, other illegal moves raise."""
        if target == self.status and target != SessionStatus.QR_WAITING:
            return self
        if target not in TRANSITIONS[self.status]:
            raise InvalidTransition(f"session {self.id}: {self.status} -> {target} is not allowed")
        changes: dict[str, object] = {"status": target, "updated_at": now}
        if target == SessionStatus.CONNECTED:
            changes.update(connected_at=now, qr_code=None, qr_expires_at=None)
        elif target in (SessionStatus.DISCONNECTED, SessionStatus.LOGGED_OUT):
            changes["disconnected_at"] = now
        if target == SessionStatus.LOGGED_OUT:
            changes.update(qr_code=None, qr_expires_at=None)
        return replace(self, **changes)  # type: ignore[arg-type]

    def with_qr(self, qr_code: str, expires_at: datetime | None, now: datetime) -> Session:
        moved = self.move_to(SessionStatus.QR_WAITING, now)
        return replace(moved, qr_code=qr_code, qr_expires_at=expires_at)

    def connected(
        self, now: datetime, phone_number: str | None = None, name: str | None = None
    ) -> Session:
        moved = self.move_to(SessionStatus.CONNECTED, now)
        return replace(
            moved,
            phone_number=phone_number or moved.phone_number,
            display_name=name or moved.display_name,
        )

    @property
    def can_send(self) -> bool:
        return self.status == SessionStatus.CONNECTED
