"""Calling an operator's HTTP tool: arguments checked, URL filled, secrets resolved and then
kept out of everything the model or a log reads.

Every failure is a ``ToolResult`` with ``is_error``: bad arguments (no request is made), a host
off the allow-list, an address that is not public, a redirect to one, a timeout, a response
larger than the tool's cap, a missing secret.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

from wa_agents.domain.model import json_schema
from wa_agents.domain.model.agent_tools import (
    CONTEXT_PLACEHOLDERS,
    PLACEHOLDER,
    HttpTool,
    redact,
    resolve_headers,
)
from wa_agents.domain.model.errors import ValidationError
from wa_agents.domain.model.outbound import OutboundRules
from wa_agents.domain.model.tools import ToolResult
from wa_agents.ports.outbound import (
    OutboundFailed,
    OutboundHttp,
    OutboundRefused,
    OutboundRequest,
)

MAX_RESULT_CHARS = 20_000  # what the model reads of a body (the byte cap is the tool's own)


def build_request(
    tool: HttpTool, args: dict[str, Any], context: Mapping[str, str]
) -> tuple[str, bytes | None]:
    """The URL and body: template placeholders take URL-encoded values (they cannot leave
    their path segment), the other arguments go to the query or a JSON body."""
    used: set[str] = set()

    def fill(match: Any) -> str:
        name = match.group(1)
        used.add(name)
        value = context[name] if name in CONTEXT_PLACEHOLDERS else args.get(name, "")
        return quote(str(value), safe="")

    url = PLACEHOLDER.sub(fill, tool.url)
    rest = {k: v for k, v in args.items() if k not in used}
    if tool.method in ("GET", "DELETE"):
        if rest:
            query = urlencode(
                {k: v if isinstance(v, str) else json.dumps(v) for k, v in rest.items()}
            )
            url = f"{url}{'&' if '?' in url else '?'}{query}"
        return url, None
    return url, json.dumps(rest).encode()


async def call_http_tool(
    tool: HttpTool,
    args: dict[str, Any],
    context: Mapping[str, str],
    outbound: OutboundHttp | None,
    secrets: Mapping[str, str],
) -> ToolResult:
    if outbound is None:
        return ToolResult("error: HTTP tools are not available on this server", is_error=True)
    try:
        json_schema.check(args, tool.parameters)
        headers, used = resolve_headers(tool.headers, secrets)
    except ValidationError as exc:
        return ToolResult(f"error: {exc}", is_error=True)
    url, body = build_request(tool, args, context)
    if body is not None:
        headers = {"Content-Type": "application/json", **headers}
    rules = OutboundRules(
        allowed_hosts=tool.hosts,
        timeout_seconds=tool.timeout_seconds,
        max_bytes=tool.max_response_bytes,
    )
    try:
        response = await outbound.request(
            OutboundRequest(method=tool.method, url=url, headers=headers, body=body), rules
        )
    except OutboundRefused as exc:
        return ToolResult(redact(f"error: refused: {exc}", used), is_error=True)
    except OutboundFailed as exc:
        return ToolResult(redact(f"error: the request failed: {exc}", used), is_error=True)
    text = response.body.decode("utf-8", errors="replace")[:MAX_RESULT_CHARS]
    return ToolResult(
        redact(f"HTTP {response.status}\n{text}", used), is_error=response.status >= 400
    )
