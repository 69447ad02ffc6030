"""MCP client adapters (``wa_agents.ports.mcp``)."""

from wa_agents.adapters.mcp.sdk_client import SdkMcpClient

__all__ = ["SdkMcpClient"]
