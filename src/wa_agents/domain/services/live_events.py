"""LiveEvents: turns domain changes into live events (for the dashboard's event stream)."""

from __future__ import annotations

import logging
from datetime import datetime

from wa_agents.domain.model.approval import Approval
from wa_agents.domain.model.conversation import Conversation
from wa_agents.domain.model.message import Message
from wa_agents.domain.model.session import Session
from wa_agents.ports.events import Event, EventBus

log = logging.getLogger("wa_agents.events")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


class LiveEvents:
    """Publishes to ``bus`` when there is one; a failing bus never fails the use case."""

    def __init__(self, bus: EventBus | None = None) -> None:
        self._bus = bus

    async def _publish(self, kind: str, data: dict[str, object]) -> None:
        if self._bus is None:
            return
        try:
            await self._bus.publish(Event(kind, data))
        except Exception:  # an event is a courtesy; the record is already committed
            log.exception("could not publish %s", kind)

    async def session(self, session: Session, *, deleted: bool = False) -> None:
        await self._publish(
            "session.deleted" if deleted else "session.status",
            {
                "id": session.id,
                "status": session.status.value,
                "qr_code": session.qr_code,
                "qr_expires_at": _iso(session.qr_expires_at),
                "phone_number": session.phone_number,
            },
        )

    async def message(self, message: Message, *, kind: str = "message.new") -> None:
        await self._publish(
            kind,
            {
                "id": message.id,
                "session_id": message.session_id,
                "contact_jid": message.contact_jid,
                "direction": message.direction.value,
                "content": message.content,
                "status": message.status.value,
                "timestamp": _iso(message.timestamp),
            },
        )

    async def conversation(
        self, conversation: Conversation, *, by: str | None = None, reason: str = ""
    ) -> None:
        """``conversation.mode``: who answers it now, who switched it and why."""
        await self._publish(
            "conversation.mode",
            {
                "session_id": conversation.session_id,
                "contact_jid": conversation.contact_jid,
                "mode": conversation.mode.value,
                "by": by if by is not None else conversation.mode_by,
                "reason": reason,
            },
        )

    async def approval(self, approval: Approval, *, kind: str) -> None:
        """``approval.requested`` or ``approval.decided``; data is the approval as the API
        shows it."""
        await self._publish(kind, approval_data(approval))


def approval_data(approval: Approval) -> dict[str, object]:
    return {
        "id": approval.id,
        "agent_id": approval.agent_id,
        "session_id": approval.session_id,
        "contact_jid": approval.contact_jid,
        "conversation_id": approval.conversation_id,
        "tool": approval.tool,
        "arguments": approval.arguments,
        "status": approval.status.value,
        "reason": approval.reason,
        "created_at": _iso(approval.created_at),
        "expires_at": _iso(approval.expires_at),
        "decided_at": _iso(approval.decided_at),
        "decided_by": approval.decided_by,
    }
