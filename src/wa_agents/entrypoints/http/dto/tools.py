"""HTTP tools, MCP servers, an agent's tool list, and approvals."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec

from wa_agents.domain.model.agent_tools import HttpTool, McpServer
from wa_agents.domain.model.approval import Approval
from wa_agents.domain.services.agent_tools import ToolInfo
from wa_agents.entrypoints.http.dto.common import text

Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
Headers = Annotated[dict[str, Annotated[str, text(2000)]], msgspec.Meta(max_length=20)]
Hosts = Annotated[list[Annotated[str, text(253)]], msgspec.Meta(max_length=20)]


class HttpToolIn(msgspec.Struct):
    """``url`` is a template (``{param}`` is filled with the URL-encoded argument;
    ``{session_id}``/``{contact_jid}`` with the conversation's own). Header values may name
    secrets as ``${WA_TOOL_SECRET_<NAME>}``; the values come from the server's environment."""

    name: Annotated[str, text(48, 1)]
    description: Annotated[str, text(1000, 1)]
    url: Annotated[str, text(2000, 1)]
    method: Method = "GET"
    parameters: dict[str, Any] = msgspec.field(
        default_factory=lambda: {"type": "object", "properties": {}}
    )
    headers: Headers = msgspec.field(default_factory=dict)
    allowed_hosts: Hosts = msgspec.field(default_factory=list)
    timeout_seconds: Annotated[float, msgspec.Meta(ge=0.1, le=60)] = 10.0
    max_response_bytes: Annotated[int, msgspec.Meta(ge=1, le=1_000_000)] = 100_000

    def fields(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__struct_fields__}


class HttpToolOut(msgspec.Struct):
    id: str
    agent_id: str
    name: str
    description: str
    method: str
    url: str
    parameters: dict[str, Any]
    headers: dict[str, str]  # as written: secrets appear only by name
    secrets: list[str]  # the WA_TOOL_SECRET_* names the headers use
    allowed_hosts: list[str]
    timeout_seconds: float
    max_response_bytes: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, t: HttpTool) -> HttpToolOut:
        return cls(
            t.id,
            t.agent_id,
            t.name,
            t.description,
            t.method,
            t.url,
            t.parameters,
            dict(t.headers),
            t.secrets,
            list(t.hosts),
            t.timeout_seconds,
            t.max_response_bytes,
            t.created_at,
            t.updated_at,
        )


class HttpToolPage(msgspec.Struct):
    items: list[HttpToolOut]
    total: int
    limit: int
    offset: int


class McpServerIn(msgspec.Struct):
    """A streamable-HTTP MCP server; only ``allowed_tools`` of its tools are offered."""

    name: Annotated[str, text(16, 1)]
    url: Annotated[str, text(2000, 1)]
    allowed_tools: Annotated[list[Annotated[str, text(64)]], msgspec.Meta(max_length=100)]
    headers: Headers = msgspec.field(default_factory=dict)
    timeout_seconds: Annotated[float, msgspec.Meta(ge=0.5, le=120)] = 15.0

    def fields(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__struct_fields__}


class McpServerOut(msgspec.Struct):
    id: str
    agent_id: str
    name: str
    url: str
    headers: dict[str, str]
    secrets: list[str]
    allowed_tools: list[str]
    timeout_seconds: float
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, s: McpServer) -> McpServerOut:
        return cls(
            s.id,
            s.agent_id,
            s.name,
            s.url,
            dict(s.headers),
            s.secrets,
            list(s.allowed_tools),
            s.timeout_seconds,
            s.created_at,
            s.updated_at,
        )


class McpServerPage(msgspec.Struct):
    items: list[McpServerOut]
    total: int
    limit: int
    offset: int


class ToolOut(msgspec.Struct):
    name: str
    kind: Literal["builtin", "http", "mcp"]
    description: str
    parameters: dict[str, Any]
    requires_approval: bool
    source_id: str | None

    @classmethod
    def of(cls, t: ToolInfo) -> ToolOut:
        data = asdict(t)
        return cls(**{**data, "kind": t.kind.value})


class ToolPage(msgspec.Struct):
    items: list[ToolOut]
    total: int
    limit: int
    offset: int
    unavailable: dict[str, str]  # MCP servers that could not be listed, and why


class ToolPolicyIn(msgspec.Struct):
    requires_approval: bool


class ApprovalOut(msgspec.Struct):
    id: str
    agent_id: str
    session_id: str
    contact_jid: str
    conversation_id: str
    tool: str
    arguments: dict[str, Any]
    status: Literal["pending", "approved", "rejected", "expired"]
    reason: str | None
    created_at: datetime
    expires_at: datetime
    decided_at: datetime | None
    decided_by: str | None

    @classmethod
    def of(cls, a: Approval) -> ApprovalOut:
        return cls(
            a.id,
            a.agent_id,
            a.session_id,
            a.contact_jid,
            a.conversation_id,
            a.tool,
            a.arguments,
            a.status.value,
            a.reason,
            a.created_at,
            a.expires_at,
            a.decided_at,
            a.decided_by,
        )


class ApprovalPage(msgspec.Struct):
    items: list[ApprovalOut]
    total: int
    limit: int
    offset: int


class DecisionIn(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, text(500)] | None = None
