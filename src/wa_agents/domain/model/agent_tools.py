"""Tools an operator defines for one agent: HTTP tools, MCP servers, and approval policies.

Definitions are checked here, once, when they are written: a name the model can call, a JSON
schema in the subset ``json_schema`` enforces, a URL template whose scheme and host are
literal (arguments only ever fill path segments and the query), an allow-list that covers
that host, and header values whose secrets are only *named* (``${WA_TOOL_SECRET_…}``): the
value lives in the environment, never in the database.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from wa_agents.domain.model.errors import ValidationError
from wa_agents.domain.model.outbound import OutboundRefused, OutboundRules, check_url, host_allowed
from wa_agents.domain.model.tools import BUILTIN_TOOLS

TOOL_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,47}$")
SERVER_NAME = re.compile(r"^[a-z][a-z0-9_]{0,15}$")
SECRET_NAME = re.compile(r"WA_TOOL_SECRET_[A-Z0-9_]{1,64}")
SECRET_REF = re.compile(r"\$\{([^}]*)\}")
HEADER_NAME = re.compile(r"^[A-Za-z0-9-]{1,64}$")
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]{0,63})\}")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# Filled from the turn's own session and contact, never by the model.
CONTEXT_PLACEHOLDERS = frozenset({"session_id", "contact_jid"})
_FORBIDDEN_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection"})
_SCHEMA_KEYWORDS = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "enum",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "items",
        "description",
        "title",
        "default",
    }
)
_SCHEMA_TYPES = frozenset({"object", "string", "integer", "number", "boolean", "array"})
MCP_SEPARATOR = "__"  # an MCP tool is offered to the model as ``<server>__<tool>``


class ToolKind(enum.StrEnum):
    BUILTIN = "builtin"
    HTTP = "http"
    MCP = "mcp"


def check_tool_name(name: str) -> None:
    if not TOOL_NAME.match(name):
        raise ValidationError("a tool name is 1-48 letters, digits, _ or -, starting with a letter")
    if name in BUILTIN_TOOLS:
        raise ValidationError(f"{name!r} is a built-in tool's name")
    if MCP_SEPARATOR in name:
        raise ValidationError(f"a tool name may not contain {MCP_SEPARATOR!r} (MCP tools do)")


def check_schema(schema: Any, path: str = "parameters", top: bool = True) -> None:
    """Only the keywords ``json_schema.check`` enforces: a constraint it would silently skip
    is refused here rather than trusted."""
    if not isinstance(schema, dict):
        raise ValidationError(f"{path} must be a JSON object")
    unknown = sorted(set(schema) - _SCHEMA_KEYWORDS)
    if unknown:
        raise ValidationError(f"{path}: unsupported JSON-schema keywords {unknown}")
    kind = schema.get("type")
    if top and kind != "object":
        raise ValidationError(f"{path} must be a schema of type object")
    if kind is not None and kind not in _SCHEMA_TYPES:
        raise ValidationError(f"{path}.type must be one of {sorted(_SCHEMA_TYPES)}")
    properties = schema.get("properties", {})
    if not isinstance(properties, dict):
        raise ValidationError(f"{path}.properties must be an object")
    for name, sub in properties.items():
        if top and name in CONTEXT_PLACEHOLDERS:
            raise ValidationError(
                f"{path}: {name!r} is filled from the conversation, not the model"
            )
        check_schema(sub, f"{path}.{name}", top=False)
    if "items" in schema:
        check_schema(schema["items"], f"{path}.items", top=False)
    required = schema.get("required", [])
    if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
        raise ValidationError(f"{path}.required must be a list of names")


def secret_names(value: str) -> list[str]:
    """The ``${WA_TOOL_SECRET_…}`` names a header value refers to."""
    names = SECRET_REF.findall(value)
    bad = [n for n in names if not SECRET_NAME.fullmatch(n)]
    if bad:
        raise ValidationError(
            f"a header may only name secrets WA_TOOL_SECRET_<NAME> (A-Z, 0-9, _), not {bad[0]!r}"
        )
    return names


def check_headers(headers: Mapping[str, str]) -> None:
    if len(headers) > 20:
        raise ValidationError("at most 20 headers")
    for name, value in headers.items():
        if not HEADER_NAME.match(name) or name.lower() in _FORBIDDEN_HEADERS:
            raise ValidationError(f"header {name!r} may not be set")
        if len(value) > 2000 or "\r" in value or "\n" in value:
            raise ValidationError(f"header {name!r}: a value of at most 2000 characters, one line")
        secret_names(value)


def check_hosts(hosts: tuple[str, ...]) -> None:
    for host in hosts:
        bare = host[2:] if host.startswith("*.") else host
        if not bare or not re.fullmatch(r"[A-Za-z0-9.:\-\[\]]{1,253}", bare):
            raise ValidationError(f"allowed host {host!r} is not a host name")


def _bounded(value: float, low: float, high: float, what: str) -> None:
    if not low <= value <= high:
        raise ValidationError(f"{what} must be between {low:g} and {high:g}")


@dataclass(frozen=True, slots=True, kw_only=True)
class HttpTool:
    """An HTTP endpoint the agent may call. ``url`` is a template: ``{name}`` is filled with
    the URL-encoded argument (or ``{session_id}``/``{contact_jid}`` from the conversation);
    arguments not in the template go to the query (GET, DELETE) or a JSON body."""

    id: str
    agent_id: str
    name: str
    description: str
    parameters: dict[str, Any]
    method: str = "GET"
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    allowed_hosts: tuple[str, ...] = ()
    timeout_seconds: float = 10.0
    max_response_bytes: int = 100_000
    created_at: datetime
    updated_at: datetime

    def __post_init__(self) -> None:
        check_tool_name(self.name)
        if not self.description.strip() or len(self.description) > 1000:
            raise ValidationError("description must be 1-1000 characters")
        check_schema(self.parameters)
        if self.method not in METHODS:
            raise ValidationError(f"method must be one of {list(METHODS)}")
        check_headers(self.headers)
        check_hosts(self.allowed_hosts)
        _bounded(self.timeout_seconds, 0.1, 60, "timeout_seconds")
        _bounded(self.max_response_bytes, 1, 1_000_000, "max_response_bytes")
        self._check_url()

    def _check_url(self) -> None:
        if len(self.url) > 2000:
            raise ValidationError("url must be at most 2000 characters")
        literal = self.url.split("{", 1)[0]
        parts = urlsplit(literal)
        if not parts.netloc or ("{" in self.url and not parts.path.startswith("/")):
            raise ValidationError("the URL's scheme and host must be written out, not templated")
        known = set(self.parameters.get("properties", {})) | CONTEXT_PLACEHOLDERS
        missing = sorted(set(PLACEHOLDER.findall(self.url)) - known)
        if missing:
            raise ValidationError(f"url placeholders {missing} are not parameters")
        try:
            target = check_url(PLACEHOLDER.sub("x", self.url), OutboundRules())
        except OutboundRefused as exc:
            raise ValidationError(f"url: {exc}") from None
        if not host_allowed(target.host, self.hosts):
            raise ValidationError(f"the URL's host {target.host!r} is not on allowed_hosts")

    @property
    def hosts(self) -> tuple[str, ...]:
        """The allow-list; without one, only the URL's own host."""
        if self.allowed_hosts:
            return self.allowed_hosts
        return ((urlsplit(self.url.split("{", 1)[0]).hostname or "").lower(),)

    @property
    def secrets(self) -> list[str]:
        return [n for value in self.headers.values() for n in secret_names(value)]


@dataclass(frozen=True, slots=True, kw_only=True)
class McpServer:
    """A streamable-HTTP MCP server attached to an agent: only ``allowed_tools`` are offered
    (as ``<name>__<tool>``), with the schemas the server lists."""

    id: str
    agent_id: str
    name: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    allowed_tools: tuple[str, ...] = ()
    timeout_seconds: float = 15.0
    created_at: datetime
    updated_at: datetime

    def __post_init__(self) -> None:
        if not SERVER_NAME.match(self.name):
            raise ValidationError("an MCP server name is 1-16 of a-z, 0-9 and _, starting a-z")
        try:
            check_url(self.url, OutboundRules())
        except OutboundRefused as exc:
            raise ValidationError(f"url: {exc}") from None
        check_headers(self.headers)
        if not self.allowed_tools:
            raise ValidationError("allowed_tools must name at least one of the server's tools")
        for tool in self.allowed_tools:
            if not re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", tool):
                raise ValidationError(f"allowed tool {tool!r} is not a tool name")
        _bounded(self.timeout_seconds, 0.5, 120, "timeout_seconds")

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()

    def offered_name(self, tool: str) -> str:
        return f"{self.name}{MCP_SEPARATOR}{tool}"

    @property
    def secrets(self) -> list[str]:
        return [n for value in self.headers.values() for n in secret_names(value)]


@dataclass(frozen=True, slots=True)
class ToolPolicy:
    """Per agent and tool name (any kind): must an operator approve each call first?"""

    agent_id: str
    tool_name: str
    requires_approval: bool = False


def resolve_headers(
    headers: Mapping[str, str], secrets: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """The headers with ``${WA_TOOL_SECRET_…}`` filled in, and the secret values used (to
    redact them from anything the model or a log may see). ``ValidationError`` names a
    secret that is not set."""
    used: list[str] = []

    def fill(match: re.Match[str]) -> str:
        value = secrets.get(match.group(1))
        if not value:
            raise ValidationError(f"the secret {match.group(1)} is not configured on the server")
        used.append(value)
        return value

    return {name: SECRET_REF.sub(fill, value) for name, value in headers.items()}, used


def redact(text: str, secrets: list[str]) -> str:
    for value in sorted(set(secrets), key=len, reverse=True):
        if value:
            text = text.replace(value, "[redacted]")
    return text
