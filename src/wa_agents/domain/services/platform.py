"""``Platform``: every use case wired from a set of ports, plus the job runner.

This is what a host embeds: hand it adapters (the memory ones, or your own) and call its
services. It imports no concrete adapter; ``wa_agents.entrypoints.container`` builds one from
settings, and ``docs/embedding.md`` builds one by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from wa_agents.domain.model.job import Job, JobKind
from wa_agents.domain.services.agent_turn import AgentService
from wa_agents.domain.services.agents import AgentCatalog
from wa_agents.domain.services.auth import AuthService
from wa_agents.domain.services.bridge_events import BridgeEventService
from wa_agents.domain.services.commands import CommandService
from wa_agents.domain.services.conversations import ConversationService
from wa_agents.domain.services.inbound import InboundService
from wa_agents.domain.services.job_runner import JobRunner, RunnerSettings
from wa_agents.domain.services.jobs import JobAdmin
from wa_agents.domain.services.logs import LogService
from wa_agents.domain.services.notify import Notifier
from wa_agents.domain.services.pacing import Pacer
from wa_agents.domain.services.resilience import GuardedChatModel, GuardedGateway
from wa_agents.domain.services.sandbox import SandboxService
from wa_agents.domain.services.sending import SendService
from wa_agents.domain.services.sessions import SessionService
from wa_agents.domain.services.stats import StatsService
from wa_agents.domain.services.turns import TurnService
from wa_agents.domain.services.users import UserService
from wa_agents.ports.chat_model import ChatModel
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.embeddings import VectorIndex
from wa_agents.ports.events import EventBus
from wa_agents.ports.jobs import JobQueue
from wa_agents.ports.messaging import MessagingGateway
from wa_agents.ports.sandbox import SandboxPhone
from wa_agents.ports.security import PasswordHasher, TokenService
from wa_agents.ports.unit_of_work import UnitOfWorkFactory


@dataclass
class Platform:
    uow: UnitOfWorkFactory
    queue: JobQueue
    gateway: MessagingGateway
    model: ChatModel
    clock: Clock
    ids: IdGenerator
    hasher: PasswordHasher
    tokens: TokenService
    knowledge: VectorIndex | None = None
    debounce_ms: int = 2000
    send_min_interval_ms: int = 0  # pacing per number; the server passes WA_SEND_MIN_INTERVAL_MS
    runner_settings: RunnerSettings = field(default_factory=RunnerSettings)
    events: EventBus | None = None  # live updates for dashboards
    phone: SandboxPhone | None = None  # only with the sandbox messaging driver

    def __post_init__(self) -> None:
        uow, clock, ids = self.uow, self.clock, self.ids
        notify = Notifier(self.events)
        self.inbound = InboundService(uow, clock, ids, self.debounce_ms, notify)
        # Circuit breakers: while the model or the bridge is down, jobs wait instead of failing.
        self.guarded_model = GuardedChatModel(self.model, clock)
        self.guarded_gateway = GuardedGateway(self.gateway, clock)
        self.commands = CommandService(uow, self.guarded_model, clock)
        self.agent_turns = AgentService(self.guarded_model)
        self.turns = TurnService(
            uow,
            self.agent_turns,
            self.commands,
            clock,
            ids,
            self.knowledge,
            notify,
            self.guarded_gateway,
        )
        self.sender = SendService(
            uow, self.guarded_gateway, notify, Pacer(self.send_min_interval_ms)
        )
        self.sessions = SessionService(uow, self.gateway, clock, notify, self.queue)
        self.bridge_events = BridgeEventService(
            uow, self.inbound, self.sessions, clock, ids, notify
        )
        self.conversations = ConversationService(uow, clock, ids, notify)
        self.agents = AgentCatalog(uow, clock, ids)
        self.auth = AuthService(uow, self.hasher, self.tokens, clock, ids)
        self.users = UserService(uow, self.hasher, clock, ids)
        self.logs = LogService(uow, clock, ids)
        self.jobs = JobAdmin(self.queue, uow, clock, ids)
        self.stats = StatsService(uow, self.queue)
        self.sandbox = (
            SandboxService(self.phone, self.sessions, self.inbound, ids) if self.phone else None
        )
        self.runner = self.runner_for(self.runner_settings.worker_id)

    def runner_for(self, worker_id: str) -> JobRunner:
        """A job runner of its own for one worker (each worker holds its leases by its id)."""
        return JobRunner(
            self.queue,
            {JobKind.TURN: self._run_turn, JobKind.SEND: self._run_send},
            self.clock,
            replace(self.runner_settings, worker_id=worker_id),
            on_dead=self._dead,
        )

    async def _run_turn(self, job: Job) -> None:
        await self.turns.handle(job.payload["session_id"], job.payload["contact_jid"])

    async def _run_send(self, job: Job) -> None:
        await self.sender.send(job.payload["message_id"])

    async def _dead(self, job: Job, error: str) -> None:
        if job.kind == JobKind.SEND:
            await self.sender.mark_failed(job.payload["message_id"], error)
