"""The error hierarchy. Adapters translate library errors into these; HTTP maps them once."""

from __future__ import annotations

from datetime import datetime


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


class LeaseLost(WaAgentsError):
    """A job's lease went to another worker while this one ran it: it must not settle the
    job, nor commit what the job wrote."""


class AuthenticationFailed(DomainError):
    """Credentials were wrong, the user unknown, or the account locked: deliberately one error."""


class PermissionDenied(DomainError):
    """The actor may not do this."""


class InfrastructureError(WaAgentsError):
    """Something outside the domain failed; usually worth a retry."""


class LLMUnavailable(InfrastructureError):
    """The chat model could not be reached or answered with an error."""


class LLMRejected(LLMUnavailable):
    """The chat model is up but refused this request (a bad request, an unknown model name):
    asking again unchanged will not help, so it is no outage and the job's attempts count."""


class Unavailable(InfrastructureError):
    """A dependency is down for everyone: the work waits, without using an attempt, until
    ``retry_at`` (an aware datetime)."""

    def __init__(self, message: str, retry_at: datetime) -> None:
        super().__init__(message)
        self.retry_at = retry_at


class BridgeUnavailable(InfrastructureError):
    """The WhatsApp bridge could not be reached or refused the call."""


class SessionNotConnected(InfrastructureError):
    """The WhatsApp session cannot send right now; the message waits for a reconnect."""


class ShuttingDown(InfrastructureError):
    """The process is stopping and refused the work before writing anything (a webhook
    gets a 503 and is delivered again, here or to another process)."""


class NumberRestricted(WaAgentsError):
    """WhatsApp limits the number (the bridge said ``rate-limited``, ``restricted`` or
    ``banned``). Not an outage of the bridge: the send governor pauses that one number."""

    def __init__(self, reason: str, detail: str = "", retry_after: float | None = None) -> None:
        super().__init__(f"the number is {reason}" + (f": {detail}" if detail else ""))
        self.reason = reason
        self.retry_after = retry_after


class SendDeferred(WaAgentsError):
    """The send governor holds this send until ``retry_at`` (a budget, pacing or a pause);
    the job waits in the queue without using an attempt."""

    def __init__(self, reason: str, retry_at: datetime) -> None:
        super().__init__(f"send deferred until {retry_at:%Y-%m-%d %H:%M:%S} ({reason})")
        self.reason = reason
        self.retry_at = retry_at
