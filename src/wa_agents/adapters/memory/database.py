"""The in-memory database behind every memory repository.

Entities are immutable, so a snapshot is a shallow copy of each table: cheap enough for tests,
demos and embedding hosts. One asyncio lock serialises units of work (the strictest isolation).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.agent_tools import HttpTool, McpServer, ToolPolicy
from wa_agents.domain.model.approval import Approval
from wa_agents.domain.model.auth import RefreshToken
from wa_agents.domain.model.conversation import Conversation
from wa_agents.domain.model.documents import KnowledgeChunk, KnowledgeDocument
from wa_agents.domain.model.job import Job
from wa_agents.domain.model.log import AuditEntry, LogEntry
from wa_agents.domain.model.message import Message
from wa_agents.domain.model.session import Session
from wa_agents.domain.model.usage import TurnUsage
from wa_agents.domain.model.user import User


@dataclass
class MemoryDatabase:
    users: dict[str, User] = field(default_factory=dict)
    agents: dict[str, Agent] = field(default_factory=dict)
    sessions: dict[str, Session] = field(default_factory=dict)
    conversations: dict[tuple[str, str], Conversation] = field(default_factory=dict)
    messages: dict[str, Message] = field(default_factory=dict)
    message_keys: dict[tuple[str, str, str], str] = field(default_factory=dict)
    indexed_messages: dict[str, bool] = field(default_factory=dict)  # ids of indexed messages
    documents: dict[str, KnowledgeDocument] = field(default_factory=dict)
    chunks: dict[str, KnowledgeChunk] = field(default_factory=dict)
    logs: dict[str, LogEntry] = field(default_factory=dict)
    audit: dict[str, AuditEntry] = field(default_factory=dict)
    refresh_tokens: dict[str, RefreshToken] = field(default_factory=dict)
    deliveries: dict[str, datetime] = field(default_factory=dict)  # webhook-id -> received
    jobs: dict[str, Job] = field(default_factory=dict)
    http_tools: dict[str, HttpTool] = field(default_factory=dict)
    mcp_servers: dict[str, McpServer] = field(default_factory=dict)
    tool_policies: dict[tuple[str, str], ToolPolicy] = field(default_factory=dict)
    approvals: dict[str, Approval] = field(default_factory=dict)
    usage: dict[str, TurnUsage] = field(default_factory=dict)
    contact_aliases: dict[tuple[str, str], str] = field(default_factory=dict)
    job_seq: int = 0
    commits: int = 0  # inspection: how many units of work committed
    lock: asyncio.Lock = field(default_factory=asyncio.Lock, repr=False)

    def snapshot(self) -> dict[str, Any]:
        return {
            f.name: (dict(value) if isinstance(value, dict) else value)
            for f in fields(self)
            if f.name not in ("lock", "commits")
            for value in [getattr(self, f.name)]
        }

    def restore(self, snapshot: dict[str, Any]) -> None:
        for name, value in snapshot.items():
            setattr(self, name, value)
