"""A real MCP server built with the official SDK, served over streamable HTTP by uvicorn on a
loopback address in a background thread. It demands a bearer token and records the calls."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecuritySettings

TOKEN = "mcp-token-9a8b7c6d5e4f"


@dataclass
class McpSite:
    url: str = ""
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    unauthorised: int = 0
    planted: str = "Order 42 has shipped."  # what the lookup tool answers


def _app(site: McpSite, host: str) -> Any:
    server = MCPServer("crm")

    @server.tool()
    def lookup_order(order_id: str) -> str:
        """Look up an order by its id."""
        site.calls.append(("lookup_order", {"order_id": order_id}))
        return site.planted.replace("{order_id}", order_id)

    @server.tool()
    def delete_all_orders() -> str:
        """Delete every order (never offered to the agent)."""
        site.calls.append(("delete_all_orders", {}))
        return "deleted"

    security = TransportSecuritySettings(enable_dns_rebinding_protection=False)
    inner = server.streamable_http_app(
        stateless_http=True, json_response=True, transport_security=security, host=host
    )

    async def app(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = dict(scope.get("headers") or [])
            if headers.get(b"authorization") != f"Bearer {TOKEN}".encode():
                site.unauthorised += 1
                await send({"type": "http.response.start", "status": 401, "headers": []})
                await send({"type": "http.response.body", "body": b"unauthorised"})
                return
        await inner(scope, receive, send)

    return app


@contextmanager
def mcp_server(host: str = "127.0.0.1") -> Iterator[McpSite]:
    site = McpSite()
    config = uvicorn.Config(_app(site, host), host=host, port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the MCP server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    site.url = f"http://{host}:{port}/mcp"
    try:
        yield site
    finally:
        server.should_exit = True
        thread.join(timeout=20)
