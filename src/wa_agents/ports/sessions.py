"""Session (linked number) repository.

Inside a ``UnitOfWork``. ``add`` raises ``AlreadyExists`` for a taken id; ``get``/``update``/
``delete`` raise ``NotFound``. ``list`` orders by id. ``with_agent`` is ``get`` plus the
session's agent (None when it has none), in one read. ``for_turn`` is ``with_agent`` plus
the contact's conversation in that session (None when there is none yet), in one read: what
a turn starts from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.conversation import Conversation
from wa_agents.domain.model.page import Page, PageRequest
from wa_agents.domain.model.session import Session


@dataclass(frozen=True, slots=True)
class InboundContext:
    session: Session
    agent: Agent | None
    kept_jid: str  # the sender's JID resolved through its aliases (itself when it has none)
    kept_alt: str | None  # the same for the other JID; None when none was asked


class SessionRepository(Protocol):
    async def add(self, session: Session) -> None: ...
    async def get(self, session_id: str) -> Session: ...
    async def find(self, session_id: str) -> Session | None: ...
    async def with_agent(self, session_id: str) -> tuple[Session, Agent | None]: ...
    async def for_turn(
        self, session_id: str, contact_jid: str
    ) -> tuple[Session, Agent | None, Conversation | None]: ...
    async def for_inbound(
        self, session_id: str, contact_jid: str, alt_jid: str | None = None
    ) -> InboundContext | None: ...
    async def update(self, session: Session) -> None: ...
    async def delete(self, session_id: str) -> None: ...
    async def list(self, page: PageRequest) -> Page[Session]: ...
