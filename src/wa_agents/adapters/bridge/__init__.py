"""The messaging gateway over a WhatsApp bridge's HTTP API (ours, or an unmodified zapw)."""

from wa_agents.adapters.bridge.gateway import BridgeHttpMessagingGateway

__all__ = ["BridgeHttpMessagingGateway"]
