"""Rows to entities and back. The only place that knows both shapes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any, cast

from sqlalchemy import Table

from wa_agents.adapters.sqlalchemy.agent_runtime import runtime_document, runtime_fields
from wa_agents.adapters.sqlalchemy.tables import (
    AgentRow,
    AuditRow,
    ContactAliasRow,
    ConversationRow,
    DeliveryRow,
    JobRow,
    LogRow,
    MessageRow,
    RefreshTokenRow,
    SessionRow,
    TurnUsageRow,
    UserRow,
)
from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.auth import RefreshToken
from wa_agents.domain.model.conversation import Conversation, HandoffMode, Memory, MemoryPolicy
from wa_agents.domain.model.documents import KnowledgePolicy
from wa_agents.domain.model.job import Job, JobStatus
from wa_agents.domain.model.log import AuditEntry, LogEntry, LogLevel
from wa_agents.domain.model.media import MediaPolicy
from wa_agents.domain.model.message import Direction, Message, MessageStatus, MessageType
from wa_agents.domain.model.session import Session, SessionStatus
from wa_agents.domain.model.usage import Budget, TurnUsage
from wa_agents.domain.model.user import Role, User

Row = Mapping[str, Any] | Any  # a RowMapping
users: Table = cast(Table, UserRow.__table__)
agents: Table = cast(Table, AgentRow.__table__)
sessions: Table = cast(Table, SessionRow.__table__)
conversations: Table = cast(Table, ConversationRow.__table__)
messages: Table = cast(Table, MessageRow.__table__)
logs: Table = cast(Table, LogRow.__table__)
audit: Table = cast(Table, AuditRow.__table__)
refresh_tokens: Table = cast(Table, RefreshTokenRow.__table__)
jobs: Table = cast(Table, JobRow.__table__)
deliveries: Table = cast(Table, DeliveryRow.__table__)
turn_usage: Table = cast(Table, TurnUsageRow.__table__)
contact_aliases: Table = cast(Table, ContactAliasRow.__table__)


def _fields(entity: object, *names: str) -> dict[str, Any]:
    return {name: getattr(entity, name) for name in names}


def user_values(user: User) -> dict[str, Any]:
    values = _fields(
        user,
        "id",
        "username",
        "email",
        "hashed_password",
        "is_active",
        "failed_login_attempts",
        "last_failed_login",
        "locked_until",
        "token_generation",
        "created_at",
        "updated_at",
    )
    return {**values, "role": user.role.value}


def to_user(row: Row) -> User:
    return User(**{**row, "role": Role(row["role"])})


def agent_values(agent: Agent) -> dict[str, Any]:
    values = _fields(
        agent,
        "id",
        "name",
        "description",
        "model",
        "system_prompt",
        "temperature",
        "max_history_tokens",
        "unsupported_media_reply",
        "debounce_ms",
        "is_active",
        "created_at",
        "updated_at",
    )
    functions = {
        "tools": list(agent.tools),
        "knowledge": asdict(agent.knowledge),
        **runtime_document(agent),
        "memory": asdict(agent.memory),
        "budget": asdict(agent.budget),
        "media": asdict(agent.media),
    }
    return {**values, "functions": functions}


def to_agent(row: Row) -> Agent:
    values = {k: v for k, v in row.items() if k != "functions"}
    functions = row["functions"]
    knowledge = KnowledgePolicy(**functions.get("knowledge", {}))
    media = MediaPolicy(**functions.get("media", {}))
    return Agent(
        **values,
        tools=tuple(functions.get("tools", ())),
        knowledge=knowledge,
        **runtime_fields(functions),
        memory=MemoryPolicy(**functions.get("memory", {})),
        budget=Budget(**functions.get("budget", {})),
        media=media,
    )


def session_values(session: Session) -> dict[str, Any]:
    values = _fields(
        session,
        "id",
        "phone_number",
        "display_name",
        "qr_code",
        "qr_expires_at",
        "agent_id",
        "connected_at",
        "disconnected_at",
        "send_min_interval_ms",
        "status_reported_at",
        "send_policy",
        "created_at",
        "updated_at",
    )
    return {**values, "status": session.status.value}


def to_session(row: Row) -> Session:
    return Session(**{**row, "status": SessionStatus(row["status"])})


def conversation_values(conversation: Conversation) -> dict[str, Any]:
    values = _fields(
        conversation,
        "session_id",
        "contact_jid",
        "memory_reset_at",
        "mode_changed_at",
        "mode_by",
        "last_activity_at",
        "created_at",
    )
    memory = conversation.memory
    return {
        **values,
        "mode": conversation.mode.value,
        "summary": memory.summary,
        "summary_through_at": memory.through_at,
        "summary_through_id": memory.through_id,
        "summary_updated_at": memory.updated_at,
    }


SUMMARY_COLUMNS = ("summary", "summary_through_at", "summary_through_id", "summary_updated_at")


def to_conversation(row: Row) -> Conversation:
    values = {k: v for k, v in row.items() if k not in SUMMARY_COLUMNS}
    memory = Memory(
        row["summary"] or "",
        row["summary_through_at"],
        row["summary_through_id"],
        row["summary_updated_at"],
    )
    return Conversation(**{**values, "mode": HandoffMode(row["mode"])}, memory=memory)


def message_values(message: Message) -> dict[str, Any]:
    values = _fields(
        message,
        "id",
        "session_id",
        "contact_jid",
        "content",
        "media_url",
        "wa_message_id",
        "timestamp",
    )
    return {
        **values,
        "direction": message.direction.value,
        "message_type": message.message_type.value,
        "status": message.status.value,
        "metadata": message.metadata,
    }


def to_message(row: Row) -> Message:
    values = {k: v for k, v in row.items() if k not in ("metadata", "indexed_at")}
    return Message(
        **{
            **values,
            "direction": Direction(row["direction"]),
            "message_type": MessageType(row["message_type"]),
            "status": MessageStatus(row["status"]),
        },
        metadata=row["metadata"] or {},
    )


def log_values(entry: LogEntry) -> dict[str, Any]:
    values = _fields(entry, "id", "source", "message", "details", "session_id", "timestamp")
    return {**values, "level": entry.level.value}


def to_log(row: Row) -> LogEntry:
    return LogEntry(**{**row, "level": LogLevel(row["level"])})


def audit_values(entry: AuditEntry) -> dict[str, Any]:
    return _fields(entry, "id", "actor", "action", "target", "details", "timestamp")


def to_audit(row: Row) -> AuditEntry:
    return AuditEntry(**row)


def token_values(token: RefreshToken) -> dict[str, Any]:
    return _fields(
        token,
        "id",
        "user_id",
        "token_hash",
        "family_id",
        "expires_at",
        "created_at",
        "revoked_at",
        "replaced_by",
    )


def to_token(row: Row) -> RefreshToken:
    return RefreshToken(**row)


def job_values(job: Job) -> dict[str, Any]:
    values = _fields(
        job,
        "id",
        "kind",
        "payload",
        "key",
        "attempts",
        "max_attempts",
        "run_at",
        "lease_until",
        "worker_id",
        "last_error",
        "created_at",
    )
    return {**values, "status": job.status.value}


def to_job(row: Row) -> Job:
    return Job(**{**row, "status": JobStatus(row["status"])})


def usage_values(usage: TurnUsage) -> dict[str, Any]:
    values = _fields(
        usage,
        "id",
        "agent_id",
        "session_id",
        "contact_jid",
        "message_id",
        "model",
        "prompt_version",
        "tokens_in",
        "tokens_out",
        "latency_ms",
        "cost_usd",
        "created_at",
    )
    return {**values, "day": usage.day, "tool_calls": {"calls": usage.tool_calls}}


def to_usage(row: Row) -> TurnUsage:
    values = {k: v for k, v in row.items() if k not in ("day", "tool_calls")}
    return TurnUsage(**values, tool_calls=list((row["tool_calls"] or {}).get("calls", [])))
