"""Rows to entities and back. The only place that knows both shapes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import Table

from wa_agents.adapters.sqlalchemy.tables import (
    AgentRow,
    AuditRow,
    ConversationRow,
    JobRow,
    LogRow,
    MessageRow,
    RefreshTokenRow,
    SessionRow,
    UserRow,
)
from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.auth import RefreshToken
from wa_agents.domain.model.conversation import Conversation, HandoffMode
from wa_agents.domain.model.job import Job, JobStatus
from wa_agents.domain.model.log import AuditEntry, LogEntry, LogLevel
from wa_agents.domain.model.message import Direction, Message, MessageStatus, MessageType
from wa_agents.domain.model.session import Session, SessionStatus
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
    return {**values, "functions": {"tools": list(agent.tools)}}


def to_agent(row: Row) -> Agent:
    values = {k: v for k, v in row.items() if k != "functions"}
    return Agent(**values, tools=tuple(row["functions"].get("tools", ())))


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
        "last_activity_at",
        "created_at",
    )
    return {**values, "mode": conversation.mode.value}


def to_conversation(row: Row) -> Conversation:
    return Conversation(**{**row, "mode": HandoffMode(row["mode"])})


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
    values = {k: v for k, v in row.items() if k != "metadata"}
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
