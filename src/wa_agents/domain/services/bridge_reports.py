"""What the bridge reports, as the domain events ``BridgeEventService`` applies, and what
applying one did (``Applied``: the outcome the webhook answers, and the effects to publish
once the transaction holding it committed)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from wa_agents.domain.model.message import MessageStatus
from wa_agents.domain.model.session import SessionStatus
from wa_agents.domain.services.inbound import AcceptResult, InboundMessage


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionReport:
    status: SessionStatus | None  # None: nothing to record (e.g. "connecting" before first link)
    qr_code: str | None = None
    qr_expires_at: datetime | None = None
    phone_number: str | None = None
    display_name: str | None = None
    reported_at: datetime | None = None  # the bridge's clock: an older report is stale


@dataclass(frozen=True, slots=True)
class MessageEvent:
    inbound: InboundMessage
    from_me: bool = False  # the owner wrote from the phone


@dataclass(frozen=True, slots=True)
class ReceiptEvent:
    session_id: str
    wa_message_id: str
    status: MessageStatus | None  # None: a status we do not track (ignored)


@dataclass(frozen=True, slots=True)
class SessionEvent:
    session_id: str
    report: SessionReport


BridgeEvent = MessageEvent | ReceiptEvent | SessionEvent | None  # None: a kind we ignore
Effect = Callable[[], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Applied:
    """What one event did inside a unit of work, and what to publish once it committed."""

    outcome: str  # "stored", "duplicate", "applied", "stale", "unknown" or "ignored"
    after: Effect | None = None
    accepted: AcceptResult | None = None  # a message event's result

    async def publish(self) -> None:
        if self.after is not None:
            await self.after()


def lock_key(event: BridgeEvent) -> str | None:
    """What an event's transaction locks: its conversation, or the message a receipt moves."""
    if isinstance(event, MessageEvent):
        return f"{event.inbound.session_id}/{event.inbound.from_jid}"
    if isinstance(event, ReceiptEvent):
        return f"{event.session_id}/{event.wa_message_id}"
    return None
