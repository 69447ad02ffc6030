"""Builders for entities with sensible defaults: ``make_message(content="hi")``."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from wa_agents.domain.model.agent import Agent
from wa_agents.domain.model.auth import RefreshToken
from wa_agents.domain.model.documents import (
    DocumentSource,
    KnowledgeChunk,
    KnowledgeDocument,
)
from wa_agents.domain.model.log import AuditEntry, LogEntry, LogLevel
from wa_agents.domain.model.message import Direction, Message, MessageStatus
from wa_agents.domain.model.session import Session
from wa_agents.domain.model.user import Role, User

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
_counter = itertools.count(1)


def new_id(prefix: str = "x") -> str:
    return f"{prefix}{next(_counter):08d}"


def at(seconds: float) -> datetime:
    """``T0`` plus ``seconds``: readable timestamps in tests."""
    return T0 + timedelta(seconds=seconds)


def make_user(**overrides: Any) -> User:
    n = next(_counter)
    fields: dict[str, Any] = {
        "id": new_id("u"),
        "username": f"user{n}",
        "email": f"user{n}@example.com",
        "hashed_password": "hash",
        "role": Role.OPERATOR,
        "created_at": at(n),
        "updated_at": at(n),
    }
    return User(**{**fields, **overrides})


def make_agent(**overrides: Any) -> Agent:
    n = next(_counter)
    fields: dict[str, Any] = {
        "id": new_id("a"),
        "name": f"Agent {n}",
        "model": "gpt-4o-mini",
        "system_prompt": "You are helpful.",
        "created_at": at(n),
        "updated_at": at(n),
    }
    return Agent(**{**fields, **overrides})


def make_session(**overrides: Any) -> Session:
    n = next(_counter)
    fields: dict[str, Any] = {"id": f"s{n}", "created_at": at(n), "updated_at": at(n)}
    return Session(**{**fields, **overrides})


def make_message(**overrides: Any) -> Message:
    n = next(_counter)
    fields: dict[str, Any] = {
        "id": new_id("m"),
        "session_id": "s1",
        "contact_jid": "15551230000@s.whatsapp.net",
        "direction": Direction.INBOUND,
        "content": f"message {n}",
        "timestamp": at(n),
        "wa_message_id": f"WA{n}",
        "status": MessageStatus.RECEIVED,
    }
    return Message(**{**fields, **overrides})


def make_log(**overrides: Any) -> LogEntry:
    n = next(_counter)
    fields: dict[str, Any] = {
        "id": new_id("l"),
        "level": LogLevel.INFO,
        "source": "test",
        "message": f"log {n}",
        "timestamp": at(n),
    }
    return LogEntry(**{**fields, **overrides})


def make_audit(**overrides: Any) -> AuditEntry:
    n = next(_counter)
    fields: dict[str, Any] = {
        "id": new_id("au"),
        "actor": "admin",
        "action": "agent.create",
        "target": "agent:1",
        "timestamp": at(n),
    }
    return AuditEntry(**{**fields, **overrides})


def make_refresh_token(**overrides: Any) -> RefreshToken:
    n = next(_counter)
    fields: dict[str, Any] = {
        "id": new_id("rt"),
        "user_id": "u1",
        "token_hash": f"hash{n}",
        "family_id": "f1",
        "expires_at": at(n + 3600),
        "created_at": at(n),
    }
    return RefreshToken(**{**fields, **overrides})


def make_document(**overrides: Any) -> KnowledgeDocument:
    n = next(_counter)
    fields: dict[str, Any] = {
        "id": new_id("d"),
        "agent_id": "a1",
        "title": f"Document {n}",
        "source": DocumentSource.TEXT,
        "media_type": "text/markdown",
        "size_bytes": 100,
        "created_at": at(n),
        "updated_at": at(n),
    }
    return KnowledgeDocument(**{**fields, **overrides})


def make_chunks(document: KnowledgeDocument, *texts: str) -> list[KnowledgeChunk]:
    return [
        KnowledgeChunk(
            id=f"{document.id}-c{i}",
            document_id=document.id,
            agent_id=document.agent_id,
            position=i,
            text=text,
        )
        for i, text in enumerate(texts)
    ]
