"""The error hierarchy. Adapters translate library errors into these; HTTP maps them once."""

from __future__ import annotations


class WaAgentsError(Exception):
    """Base of every error wa_agents raises on purpose."""


class DomainError(WaAgentsError):
    """A rule of the domain was broken by the caller's input."""


class ValidationError(DomainError):
    """A value does not satisfy the domain's rules (bad name, bad range, bad id)."""


class NotFound(DomainError):
    """The entity asked for does not exist."""

    def __init__(self, kind: str, key: object) -> None:
        super().__init__(f"{kind} {key!r} not found")
        self.kind = kind
        self.key = key


class AlreadyExists(DomainError):
    """An entity with the same unique key exists already."""

    def __init__(self, kind: str, key: object) -> None:
        super().__init__(f"{kind} {key!r} already exists")
        self.kind = kind
        self.key = key


class InvalidTransition(DomainError):
    """A state machine was asked to move along an edge it does not have."""


class AuthenticationFailed(DomainError):
    """Credentials were wrong, the user unknown, or the account locked: deliberately one error."""


class PermissionDenied(DomainError):
    """The actor may not do this."""


class InfrastructureError(WaAgentsError):
    """Something outside the domain failed; usually worth a retry."""


class LLMUnavailable(InfrastructureError):
    """The chat model could not be reached or answered with an error."""


class BridgeUnavailable(InfrastructureError):
    """The WhatsApp bridge could not be reached or refused the call."""


class SessionNotConnected(InfrastructureError):
    """The WhatsApp session cannot send right now; the message waits for a reconnect."""
