"""``Platform``: every use case wired from a set of ports, plus the job runner.

This is what a host embeds: hand it adapters (the memory ones, or your own) and call its
services. It imports no concrete adapter; ``wa_agents.entrypoints.container`` builds one from
settings, and ``docs/embedding.md`` builds one by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from wa_agents.domain.model.governor import SendPolicy
from wa_agents.domain.model.usage import PriceTable
from wa_agents.domain.services.agent_tools import AgentToolService
from wa_agents.domain.services.agent_turn import AgentService
from wa_agents.domain.services.agents import AgentCatalog
from wa_agents.domain.services.approvals import ApprovalService
from wa_agents.domain.services.auth import AuthService
from wa_agents.domain.services.bridge_events import BridgeEventService
from wa_agents.domain.services.circuit_breakers import (
    CircuitBreakers,
    GuardedChatModel,
    GuardedGateway,
)
from wa_agents.domain.services.command_usage import UsageRecorder
from wa_agents.domain.services.commands import CommandService
from wa_agents.domain.services.contact_data import ContactDataService
from wa_agents.domain.services.conversations import ConversationService
from wa_agents.domain.services.documents import DocumentService
from wa_agents.domain.services.governor import LocalGovernorStore, SendGovernor
from wa_agents.domain.services.governor_admin import GovernorAdmin
from wa_agents.domain.services.group_commit import GroupCommit, GroupCommitSettings
from wa_agents.domain.services.handoff import HandoffService
from wa_agents.domain.services.inbound import InboundService
from wa_agents.domain.services.indexing import IndexingService
from wa_agents.domain.services.job_bell import BelledJobQueue, JobBell, ring_on_commit
from wa_agents.domain.services.job_runner import JobRunner, RunnerSettings
from wa_agents.domain.services.jobs import JobAdmin
from wa_agents.domain.services.live_events import LiveEvents
from wa_agents.domain.services.logs import LogService
from wa_agents.domain.services.media import MediaService, MediaSettings
from wa_agents.domain.services.media_send import MediaSendService
from wa_agents.domain.services.metrics import MetricsSnapshot
from wa_agents.domain.services.pipeline import Pipeline
from wa_agents.domain.services.sandbox import SandboxService
from wa_agents.domain.services.search import SearchService
from wa_agents.domain.services.sending import SendService
from wa_agents.domain.services.sessions import SessionService
from wa_agents.domain.services.stats import StatsService
from wa_agents.domain.services.streams import StreamAccess
from wa_agents.domain.services.threads import Offloader
from wa_agents.domain.services.toolbox import ToolCatalog
from wa_agents.domain.services.turns import TurnService
from wa_agents.domain.services.usage import UsageService
from wa_agents.domain.services.users import UserService
from wa_agents.ports.chat_model import ChatModel
from wa_agents.ports.clock import Clock, IdGenerator
from wa_agents.ports.documents import DocumentReader
from wa_agents.ports.embeddings import VectorIndex
from wa_agents.ports.events import EventBus
from wa_agents.ports.governor import GovernorStore
from wa_agents.ports.jobs import JobQueue
from wa_agents.ports.mcp import McpClient
from wa_agents.ports.media import MediaStore
from wa_agents.ports.media_source import MediaSource
from wa_agents.ports.messaging import MessagingGateway
from wa_agents.ports.outbound import OutboundHttp
from wa_agents.ports.sandbox import SandboxPhone
from wa_agents.ports.security import PasswordHasher, TokenService
from wa_agents.ports.telemetry import Telemetry
from wa_agents.ports.transcriber import Transcriber
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
    breakers: CircuitBreakers = field(default_factory=CircuitBreakers)
    offloader: Offloader = field(default_factory=Offloader)  # the one pool for blocking work
    reader: DocumentReader | None = None  # knowledge uploads: text, Markdown, HTML (+ PDF)
    outbound: OutboundHttp | None = None  # fetching operator-given URLs (knowledge, HTTP tools)
    mcp: McpClient | None = None  # MCP tools
    tool_secrets: Mapping[str, str] = field(default_factory=dict)  # WA_TOOL_SECRET_* values
    approval_expiry_seconds: float = 3600
    bell: JobBell | None = None  # wakes idle workers (a process-wide one is made when None)
    prices: PriceTable = field(default_factory=PriceTable)  # USD per 1M tokens, per model
    media_store: MediaStore | None = None  # inbound and outbound files; None: no media
    media_source: MediaSource | None = None  # where inbound files come from (the bridge)
    transcriber: Transcriber | None = None  # voice notes; None: the "please type" reply
    media_settings: MediaSettings = field(default_factory=MediaSettings)
    governor_store: GovernorStore | None = None  # each number's send budgets (Redis: shared)
    send_policy: SendPolicy | None = None  # the governor's defaults (min_interval_ms: pacing)
    telemetry: Telemetry | None = None  # counters and timings for metrics
    # webhooks sharing transactions (the default: off, each commits alone)
    group_commit: GroupCommitSettings = field(default_factory=GroupCommitSettings)

    def __post_init__(self) -> None:
        clock, ids = self.clock, self.ids
        # Idle workers sleep until a job may be due: every commit with jobs and every queue
        # call that makes one due again rings the bell (see job_bell).
        self.bell = self.bell or JobBell(clock)
        uow = ring_on_commit(self.uow, self.bell)
        self.belled_queue = BelledJobQueue(self.queue, self.bell, clock)
        live = LiveEvents(self.events)
        self.logs = LogService(uow, clock, ids)
        self.handoff = HandoffService(uow, clock, ids, live)
        fetch_media = self.media_store is not None and self.media_source is not None
        self.inbound = InboundService(uow, clock, ids, self.debounce_ms, live, fetch_media)
        self.media = (
            MediaService(
                uow,
                self.media_store,
                self.media_source,
                clock,
                settings=self.media_settings,
                transcriber=self.transcriber,
                reader=self.reader,
                breaker=self.breakers.transcriber,
                live=live,
            )
            if self.media_store is not None and self.media_source is not None
            else None
        )
        # Circuit breakers: while the model or the bridge is down, jobs wait instead of failing.
        self.guarded_model = GuardedChatModel(self.model, clock, self.breakers.model, self.logs)
        self.guarded_gateway = GuardedGateway(self.gateway, clock, self.breakers.gateway)
        # Knowledge and search: None without a vector index (a host may embed without one).
        index = self.knowledge  # (an empty memory index is falsy: compare with None)
        self.search = SearchService(uow, index) if index is not None else None
        self.indexing = IndexingService(uow, index, clock) if index is not None else None
        self.documents = DocumentService(
            uow, clock, ids, self.reader, self.knowledge, self.outbound
        )
        fixed_model = getattr(self.model, "fixed_model", None)  # see ports/chat_model.py
        self.command_usage = UsageRecorder(uow, clock, ids, self.prices)
        self.commands = CommandService(
            uow, self.guarded_model, clock, self.search, fixed_model, self.command_usage
        )
        self.agent_turns = AgentService(self.guarded_model, prices=self.prices)
        self.tool_catalog = ToolCatalog(uow, clock, self.outbound, self.mcp, self.tool_secrets)
        self.agent_tools = AgentToolService(uow, clock, ids, self.tool_catalog)
        self.approvals = ApprovalService(
            uow,
            self.agent_turns,
            self.tool_catalog,
            clock,
            ids,
            live,
            self.approval_expiry_seconds,
            self.knowledge,
        )
        self.turns = TurnService(
            uow,
            self.agent_turns,
            self.commands,
            clock,
            ids,
            self.knowledge,
            live,
            self.guarded_gateway,
            self.tool_catalog,
            self.approvals,
            self.handoff,
            self.logs,
            self.media_store,
            telemetry=self.telemetry,
        )
        self.governor = SendGovernor(
            self.governor_store or LocalGovernorStore(),
            clock,
            self.send_policy or SendPolicy(min_interval_ms=self.send_min_interval_ms),
            telemetry=self.telemetry,
        )
        self.sender = SendService(
            uow,
            self.guarded_gateway,
            self.governor,
            clock,
            live,
            self.telemetry,
            self.media_store,
        )
        self.sessions = SessionService(
            uow,
            self.gateway,
            clock,
            live,
            self.belled_queue,
            self.indexing.forget if self.indexing is not None else None,
        )
        self.commits = GroupCommit(uow, self.group_commit)  # close() it on shut-down
        self.bridge_events = BridgeEventService(
            uow, self.inbound, self.sessions, clock, ids, live, self.handoff, self.commits
        )
        self.conversations = ConversationService(uow, clock, ids, live, self.handoff)
        self.agents = AgentCatalog(uow, clock, ids, index)
        self.auth = AuthService(uow, self.hasher, self.tokens, clock, ids, offload=self.offloader)
        self.users = UserService(uow, self.hasher, clock, ids, offload=self.offloader)
        self.streams = StreamAccess(self.auth, uow, clock)
        self.jobs = JobAdmin(self.belled_queue, uow, clock, ids)
        self.stats = StatsService(uow, self.belled_queue, clock)
        self.usage = UsageService(uow, clock)
        self.contact_data = ContactDataService(uow, clock, ids, self.knowledge)
        self.sandbox = (
            SandboxService(self.phone, self.sessions, self.inbound, ids) if self.phone else None
        )
        self.media_sends = (
            MediaSendService(uow, self.media_store, clock, ids, self.outbound, live)
            if self.media_store is not None
            else None
        )
        self.governor_admin = GovernorAdmin(uow, self.governor, self.sessions)
        self.metrics = MetricsSnapshot(uow, self.belled_queue, clock, self.breakers, self.governor)
        self.pipeline = Pipeline(
            self.turns,
            self.sender,
            self.indexing,
            self.approvals,
            self.handoff,
            self.logs,
            self.media,
            lease=self.runner_settings.lease,
        )
        self.runner = self.runner_for(self.runner_settings.worker_id)

    def runner_for(self, worker_id: str) -> JobRunner:
        """A job runner of its own for one worker (each worker holds its leases by its id)."""
        return JobRunner(
            self.belled_queue,
            self.pipeline.handlers,
            self.clock,
            replace(self.runner_settings, worker_id=worker_id),
            on_dead=self.pipeline.on_dead,
        )
