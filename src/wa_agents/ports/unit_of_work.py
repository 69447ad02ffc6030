"""The unit of work: one transaction over every repository.

Use as ``async with uow_factory() as uow: ...; await uow.commit()``. Leaving the block without
``commit`` rolls back. A unit of work is single-use and belongs to one task; never nest one
inside another in the same task, and never hold one open across a slow call (LLM, bridge).
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Protocol

from wa_agents.ports.agents import AgentRepository
from wa_agents.ports.conversations import ConversationRepository
from wa_agents.ports.jobs import JobOutbox
from wa_agents.ports.logs import AuditRepository, LogRepository
from wa_agents.ports.messages import MessageRepository
from wa_agents.ports.refresh_tokens import RefreshTokenRepository
from wa_agents.ports.sessions import SessionRepository
from wa_agents.ports.users import UserRepository


class UnitOfWork(Protocol):
    users: UserRepository
    agents: AgentRepository
    sessions: SessionRepository
    conversations: ConversationRepository
    messages: MessageRepository
    logs: LogRepository
    audit: AuditRepository
    refresh_tokens: RefreshTokenRepository
    jobs: JobOutbox

    async def __aenter__(self) -> UnitOfWork: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
