"""The schema, as SQLAlchemy 2.0 typed models. Migrations live in ``migrations/``."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from wa_agents.adapters.sqlalchemy.types import JsonDocument, UtcDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
ID = String(40)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime(),
        dict[str, Any]: JsonDocument,
    }


class UserRow(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    email: Mapped[str] = mapped_column(String(320))
    hashed_password: Mapped[str] = mapped_column(String(512))
    role: Mapped[str] = mapped_column(String(16))
    is_active: Mapped[bool] = mapped_column(Boolean)
    failed_login_attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_login: Mapped[datetime | None]
    locked_until: Mapped[datetime | None]
    token_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    __table_args__ = (
        Index("uq_users_username_lower", func.lower(username), unique=True),
        Index("uq_users_email_lower", func.lower(email), unique=True),
        Index("ix_users_created", "created_at", "id"),
    )


class AgentRow(Base):
    __tablename__ = "agents"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    model: Mapped[str] = mapped_column(String(200))
    system_prompt: Mapped[str] = mapped_column(Text)
    functions: Mapped[dict[str, Any]]  # {"tools": [...]}: the enabled tools
    temperature: Mapped[float] = mapped_column(Float)
    max_history_tokens: Mapped[int] = mapped_column(Integer)
    unsupported_media_reply: Mapped[str] = mapped_column(Text)
    debounce_ms: Mapped[int | None] = mapped_column(Integer)
    is_active: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # bumped in SQL by the tool repository; never written from an ``Agent`` (see agent_values)
    tools_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    __table_args__ = (Index("ix_agents_created", "created_at", "id"),)


class SessionRow(Base):
    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    phone_number: Mapped[str | None] = mapped_column(String(32))
    display_name: Mapped[str | None] = mapped_column(String(200))
    qr_code: Mapped[str | None] = mapped_column(Text)
    qr_expires_at: Mapped[datetime | None]
    agent_id: Mapped[str | None] = mapped_column(ForeignKey("agents.id", ondelete="SET NULL"))
    connected_at: Mapped[datetime | None]
    disconnected_at: Mapped[datetime | None]
    send_min_interval_ms: Mapped[int | None] = mapped_column(Integer)
    status_reported_at: Mapped[datetime | None]
    send_policy: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ConversationRow(Base):
    __tablename__ = "conversations"
    session_id: Mapped[str] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    contact_jid: Mapped[str] = mapped_column(String(128), primary_key=True)
    mode: Mapped[str] = mapped_column(String(16))
    memory_reset_at: Mapped[datetime | None]
    mode_changed_at: Mapped[datetime | None]
    mode_by: Mapped[str | None] = mapped_column(String(120))
    last_activity_at: Mapped[datetime]
    created_at: Mapped[datetime]
    summary: Mapped[str | None] = mapped_column(Text)  # the rolling summary (managed memory)
    summary_through_at: Mapped[datetime | None]
    summary_through_id: Mapped[str | None] = mapped_column(ID)
    summary_updated_at: Mapped[datetime | None]
    __table_args__ = (Index("ix_conversations_activity", "session_id", "last_activity_at"),)


class MessageRow(Base):
    __tablename__ = "messages"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    contact_jid: Mapped[str] = mapped_column(String(128))
    direction: Mapped[str] = mapped_column(String(8))
    message_type: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    media_url: Mapped[str | None] = mapped_column(Text)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata")
    wa_message_id: Mapped[str | None] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16))
    timestamp: Mapped[datetime]
    indexed_at: Mapped[datetime | None]  # when the vector index took it (None: not yet)
    __table_args__ = (
        UniqueConstraint("session_id", "direction", "wa_message_id", name="uq_messages_wa_id"),
        Index("ix_messages_history", "session_id", "contact_jid", "timestamp", "id"),
        Index("ix_messages_pending", "session_id", "contact_jid", "direction", "status"),
        Index("ix_messages_unindexed", "session_id", "contact_jid", "indexed_at"),
    )


class LogRow(Base):
    __tablename__ = "logs"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    level: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]]
    session_id: Mapped[str | None] = mapped_column(ForeignKey("sessions.id", ondelete="SET NULL"))
    timestamp: Mapped[datetime]
    __table_args__ = (
        Index("ix_logs_time", "timestamp", "id"),
        Index("ix_logs_level_time", "level", "timestamp"),
        Index("ix_logs_session_time", "session_id", "timestamp"),
    )


class AuditRow(Base):
    __tablename__ = "audit"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    actor: Mapped[str] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(256))
    details: Mapped[dict[str, Any]]
    timestamp: Mapped[datetime]
    __table_args__ = (
        Index("ix_audit_time", "timestamp", "id"),
        Index("ix_audit_actor_time", "actor", "timestamp"),
    )


class RefreshTokenRow(Base):
    __tablename__ = "refresh_tokens"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    family_id: Mapped[str] = mapped_column(ID, index=True)
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    replaced_by: Mapped[str | None] = mapped_column(ID)


class DeliveryRow(Base):
    __tablename__ = "webhook_deliveries"
    id: Mapped[str] = mapped_column(String(256), primary_key=True)  # the sender's webhook-id
    received_at: Mapped[datetime]
    __table_args__ = (Index("ix_webhook_deliveries_received", "received_at"),)


class JobRow(Base):
    __tablename__ = "jobs"
    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    id: Mapped[str] = mapped_column(ID, unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]]
    key: Mapped[str | None] = mapped_column(String(256))
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer)
    max_attempts: Mapped[int] = mapped_column(Integer)
    run_at: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    worker_id: Mapped[str | None] = mapped_column(String(128))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    __table_args__ = (
        Index("ix_jobs_due", "status", "run_at"),
        Index("ix_jobs_key", "key", "seq"),
    )


class KnowledgeDocumentRow(Base):
    __tablename__ = "knowledge_documents"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    agent_id: Mapped[str] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(16))
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    chunk_count: Mapped[int] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    filename: Mapped[str | None] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    indexed_at: Mapped[datetime | None]
    __table_args__ = (
        UniqueConstraint("agent_id", "title", name="uq_knowledge_documents_title"),
        Index("ix_knowledge_documents_created", "agent_id", "created_at", "id"),
    )


class KnowledgeChunkRow(Base):
    __tablename__ = "knowledge_chunks"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("knowledge_documents.id", ondelete="CASCADE")
    )
    agent_id: Mapped[str] = mapped_column(ID)
    position: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    __table_args__ = (Index("ix_knowledge_chunks_document", "document_id", "position"),)


class HttpToolRow(Base):
    __tablename__ = "agent_http_tools"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    agent_id: Mapped[str] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))
    definition: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    __table_args__ = (UniqueConstraint("agent_id", "name", name="uq_agent_http_tools_name"),)


class McpServerRow(Base):
    __tablename__ = "agent_mcp_servers"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    agent_id: Mapped[str] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))
    definition: Mapped[dict[str, Any]]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    __table_args__ = (UniqueConstraint("agent_id", "name", name="uq_agent_mcp_servers_name"),)


class ToolPolicyRow(Base):
    __tablename__ = "agent_tool_policies"
    agent_id: Mapped[str] = mapped_column(
        ForeignKey("agents.id", ondelete="CASCADE"), primary_key=True
    )
    tool_name: Mapped[str] = mapped_column(String(128), primary_key=True)
    requires_approval: Mapped[bool] = mapped_column(Boolean)


class ApprovalRow(Base):
    __tablename__ = "approvals"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    agent_id: Mapped[str] = mapped_column(ID)
    session_id: Mapped[str] = mapped_column(String(64))
    contact_jid: Mapped[str] = mapped_column(String(128))
    tool: Mapped[str] = mapped_column(String(128))
    arguments: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(128))
    state: Mapped[dict[str, Any]]
    result: Mapped[dict[str, Any] | None]
    finished_at: Mapped[datetime | None]
    __table_args__ = (Index("ix_approvals_status", "status", "created_at", "id"),)


class TurnUsageRow(Base):
    """One agent turn's cost record (``GET /api/v1/usage`` sums these)."""

    __tablename__ = "turn_usage"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    agent_id: Mapped[str | None] = mapped_column(ID)  # kept when the agent is deleted
    session_id: Mapped[str] = mapped_column(String(64))
    contact_jid: Mapped[str] = mapped_column(String(128))
    message_id: Mapped[str | None] = mapped_column(ID)
    model: Mapped[str] = mapped_column(String(200))
    prompt_version: Mapped[str] = mapped_column(String(32))
    tokens_in: Mapped[int] = mapped_column(Integer)
    tokens_out: Mapped[int] = mapped_column(Integer)
    latency_ms: Mapped[int] = mapped_column(Integer)
    cost_usd: Mapped[float] = mapped_column(Float)
    tool_calls: Mapped[dict[str, Any]]
    day: Mapped[str] = mapped_column(String(10))  # UTC date, for grouping by day
    created_at: Mapped[datetime]
    __table_args__ = (
        Index("ix_turn_usage_time", "created_at"),
        Index("ix_turn_usage_agent_time", "agent_id", "created_at"),
        Index("ix_turn_usage_contact", "session_id", "contact_jid"),
    )


class ContactAliasRow(Base):
    """Another JID of a contact (its phone or ``@lid`` form), pointing at the one we keep."""

    __tablename__ = "contact_aliases"
    session_id: Mapped[str] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True
    )
    alias_jid: Mapped[str] = mapped_column(String(128), primary_key=True)
    contact_jid: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]
