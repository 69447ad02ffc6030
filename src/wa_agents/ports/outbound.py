"""Outbound HTTP to URLs that come from operators or tools, never trusted (SSRF-safe).

``OutboundHttp.request`` makes one HTTP request under ``OutboundRules`` and returns the whole
response, or raises:

- ``OutboundRefused`` (a ``DomainError``: the request itself is not allowed) when the URL is not
  http(s), its host is not on ``rules.allowed_hosts``, ANY address the host resolves to is
  loopback, private, link-local, multicast, reserved, unspecified or a cloud metadata address
  (unless inside a CIDR the adapter was told to allow by an admin), a redirect leads to such a
  place, there are more than ``rules.max_redirects`` redirects, or the body is larger than
  ``rules.max_bytes`` (the read stops there; nothing larger is held in memory);
- ``OutboundFailed`` (an ``InfrastructureError``: worth a retry) on a timeout or a connection
  failure.

Every redirect hop is checked like the first URL. The address that was checked is the address
connected to (no second DNS lookup an attacker could answer differently). Adapters never log
header values (they may hold secrets).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from wa_agents.domain.model.errors import InfrastructureError
from wa_agents.domain.model.outbound import OutboundRefused, OutboundRules

__all__ = [
    "OutboundFailed",
    "OutboundHttp",
    "OutboundRefused",
    "OutboundRequest",
    "OutboundResponse",
    "OutboundRules",
]


class OutboundFailed(InfrastructureError):
    """The request was allowed but did not complete (timeout, connection refused, reset)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboundRequest:
    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboundResponse:
    status: int
    headers: Mapping[str, str]  # lower-cased names
    body: bytes
    url: str  # the final URL, after redirects

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


class OutboundHttp(Protocol):
    async def request(self, request: OutboundRequest, rules: OutboundRules) -> OutboundResponse: ...
