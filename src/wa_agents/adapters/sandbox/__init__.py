"""The sandbox messaging driver: an in-process WhatsApp for trying wa_agents without a phone."""

from wa_agents.adapters.sandbox.gateway import SandboxMessagingGateway

__all__ = ["SandboxMessagingGateway"]
