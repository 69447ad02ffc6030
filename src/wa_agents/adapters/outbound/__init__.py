"""Outbound HTTP adapters (``wa_agents.ports.outbound``)."""

from wa_agents.adapters.outbound.httpcore_client import HttpcoreOutboundHttp

__all__ = ["HttpcoreOutboundHttp"]
