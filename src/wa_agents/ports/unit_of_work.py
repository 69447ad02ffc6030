"""The unit of work: one transaction over every repository.

Use as ``async with uow_factory() as uow: ...; await uow.commit()``. Leaving the block without
``commit`` rolls back. A unit of work is single-use and belongs to one task; never nest one
inside another in the same task, and never hold one open across a slow call (LLM, bridge).
The repositories are read-only attributes: an adapter may build them on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Protocol

from wa_agents.ports.agent_tools import ToolRepository
from wa_agents.ports.agents import AgentRepository
from wa_agents.ports.approvals import ApprovalRepository
from wa_agents.ports.contacts import ContactRepository
from wa_agents.ports.conversations import ConversationRepository
from wa_agents.ports.deliveries import DeliveryLog
from wa_agents.ports.jobs import JobOutbox
from wa_agents.ports.knowledge import KnowledgeRepository
from wa_agents.ports.logs import AuditRepository, LogRepository
from wa_agents.ports.messages import MessageRepository
from wa_agents.ports.refresh_tokens import RefreshTokenRepository
from wa_agents.ports.sessions import SessionRepository
from wa_agents.ports.usage import UsageRepository
from wa_agents.ports.users import UserRepository


class UnitOfWork(Protocol):
    @property
    def users(self) -> UserRepository: ...
    @property
    def agents(self) -> AgentRepository: ...
    @property
    def sessions(self) -> SessionRepository: ...
    @property
    def conversations(self) -> ConversationRepository: ...
    @property
    def messages(self) -> MessageRepository: ...
    @property
    def logs(self) -> LogRepository: ...
    @property
    def audit(self) -> AuditRepository: ...
    @property
    def refresh_tokens(self) -> RefreshTokenRepository: ...
    @property
    def deliveries(self) -> DeliveryLog: ...
    @property
    def jobs(self) -> JobOutbox: ...
    @property
    def knowledge(self) -> KnowledgeRepository: ...
    @property
    def tools(self) -> ToolRepository: ...
    @property
    def approvals(self) -> ApprovalRepository: ...
    @property
    def usage(self) -> UsageRepository: ...
    @property
    def contacts(self) -> ContactRepository: ...

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
