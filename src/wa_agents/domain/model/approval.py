"""Approvals: a tool call an operator must allow before it runs.

A turn that reaches such a call stops and stores an ``Approval`` (the tool, its arguments, the
conversation, and the turn's transcript so far). It is decided once: ``approved``,
``rejected`` or ``expired`` (nobody decided by ``expires_at``); any later decision is an
``InvalidTransition``. The turn then resumes exactly once (``finished_at``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from wa_agents.domain.model.conversation import conversation_key
from wa_agents.domain.model.errors import InvalidTransition


class ApprovalStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True, kw_only=True)
class Approval:
    id: str
    agent_id: str
    session_id: str
    contact_jid: str
    tool: str
    arguments: dict[str, Any]
    status: ApprovalStatus = ApprovalStatus.PENDING
    reason: str | None = None
    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None = None
    decided_by: str | None = None
    # The suspended turn: transcript, call id, tool calls so far, usage, answered message ids.
    state: dict[str, Any] = field(default_factory=dict, compare=False)
    result: dict[str, Any] | None = None  # the tool's result once an approved call ran
    finished_at: datetime | None = None  # when the resumed turn wrote its reply

    @property
    def conversation_id(self) -> str:
        return conversation_key(self.session_id, self.contact_jid)

    def decide(
        self, status: ApprovalStatus, *, by: str, now: datetime, reason: str | None = None
    ) -> Approval:
        if self.status != ApprovalStatus.PENDING:
            raise InvalidTransition(f"approval {self.id!r} is already {self.status.value}")
        if status == ApprovalStatus.PENDING:
            raise InvalidTransition("a decision must approve, reject or expire")
        return replace(self, status=status, decided_at=now, decided_by=by, reason=reason)
