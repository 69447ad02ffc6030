"""A conversation: one contact on one session, with who answers it."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime

from wa_agents.domain.model.errors import InvalidTransition


class HandoffMode(enum.StrEnum):
    AI = "ai"  # the agent answers
    HUMAN = "human"  # an operator answers from the dashboard; the agent stays quiet
    PAUSED = "paused"  # nobody answers; messages are stored only


@dataclass(frozen=True, slots=True)
class Memory:
    """The rolling summary of a conversation's older turns (made by the model).

    ``through`` is the (timestamp, message id) of the newest message folded into it: the
    agent sees the summary plus the messages after that point."""

    summary: str = ""
    through_at: datetime | None = None
    through_id: str | None = None
    updated_at: datetime | None = None

    def covers(self, timestamp: datetime, message_id: str) -> bool:
        """Whether the message at (timestamp, id) is already folded into the summary."""
        if self.through_at is None or self.through_id is None:
            return False
        return (timestamp, message_id) <= (self.through_at, self.through_id)


@dataclass(frozen=True, slots=True)
class MemoryPolicy:
    """How an agent remembers: with ``summarize``, history past its token budget is folded
    into the conversation's rolling summary (by the model) instead of being dropped."""

    summarize: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Conversation:
    session_id: str
    contact_jid: str
    mode: HandoffMode = HandoffMode.AI
    memory_reset_at: datetime | None = None  # history before this is forgotten (/reset)
    mode_changed_at: datetime | None = None  # when ``mode`` last changed (None: never)
    mode_by: str | None = None  # who changed it: "operator:alice", "owner", "user", "timeout"…
    memory: Memory = field(default_factory=Memory)  # the rolling summary
    last_activity_at: datetime
    created_at: datetime

    @property
    def key(self) -> str:
        return conversation_key(self.session_id, self.contact_jid)

    def with_mode(self, mode: HandoffMode) -> Conversation:
        """The bare field change (tests and repositories); live code uses ``switched``."""
        return replace(self, mode=mode)

    def switched(self, mode: HandoffMode, *, by: str, now: datetime) -> Conversation:
        """The one handoff transition: every edge between ai, human and paused is allowed;
        switching to the mode it is already in is ``InvalidTransition`` (nothing to record)."""
        if mode == self.mode:
            raise InvalidTransition(f"conversation {self.key} is already in {mode} mode")
        return replace(self, mode=mode, mode_changed_at=now, mode_by=by)

    def hand_off(self, *, by: str, now: datetime) -> Conversation:
        return self.switched(HandoffMode.HUMAN, by=by, now=now)

    def resume(self, *, by: str, now: datetime) -> Conversation:
        return self.switched(HandoffMode.AI, by=by, now=now)

    def reset_memory(self, now: datetime) -> Conversation:
        """Forget the history before ``now``, and the summary of it."""
        return replace(self, memory_reset_at=now, memory=Memory())

    def remembering(self, memory: Memory) -> Conversation:
        return replace(self, memory=memory)

    def touched(self, now: datetime) -> Conversation:
        return replace(self, last_activity_at=max(now, self.last_activity_at))


def conversation_key(session_id: str, contact_jid: str) -> str:
    """The serialisation key of a conversation: its jobs run one at a time, in order."""
    return f"{session_id}/{contact_jid}"
