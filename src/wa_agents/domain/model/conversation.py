"""A conversation: one contact on one session, with who answers it."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime


class HandoffMode(enum.StrEnum):
    AI = "ai"  # the agent answers
    HUMAN = "human"  # an operator answers from the dashboard; the agent stays quiet
    PAUSED = "paused"  # nobody answers; messages are stored only


@dataclass(frozen=True, slots=True, kw_only=True)
class Conversation:
    session_id: str
    contact_jid: str
    mode: HandoffMode = HandoffMode.AI
    memory_reset_at: datetime | None = None  # history before this is forgotten (/reset)
    last_activity_at: datetime
    created_at: datetime

    @property
    def key(self) -> str:
        return conversation_key(self.session_id, self.contact_jid)

    def with_mode(self, mode: HandoffMode) -> Conversation:
        return replace(self, mode=mode)

    def reset_memory(self, now: datetime) -> Conversation:
        return replace(self, memory_reset_at=now)

    def touched(self, now: datetime) -> Conversation:
        return replace(self, last_activity_at=max(now, self.last_activity_at))


def conversation_key(session_id: str, contact_jid: str) -> str:
    """The serialisation key of a conversation: its jobs run one at a time, in order."""
    return f"{session_id}/{contact_jid}"
