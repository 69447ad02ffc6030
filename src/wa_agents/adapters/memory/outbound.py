"""``MemoryOutboundHttp``: a pretend internet with the real outbound rules.

``dns`` maps host names to addresses; ``serve(url, ...)`` publishes a response at an origin
and path. Every check the real adapter makes (allow-list, addresses after the "lookup",
redirect hops, size cap, timeout) is made here too, with the same code, so a feature tested
on it is refused exactly where it would be refused in production. ``requests`` records
what reached a pretend server.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from wa_agents.adapters.outbound.redirects import Hop, HopResult, follow, too_large
from wa_agents.domain.model.outbound import address_allowed, check_url, parse_networks
from wa_agents.ports.outbound import (
    OutboundFailed,
    OutboundHttp,
    OutboundRefused,
    OutboundRequest,
    OutboundResponse,
    OutboundRules,
)


@dataclass(frozen=True, slots=True)
class Served:
    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering


@dataclass(frozen=True, slots=True)
class Received:
    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes | None


class MemoryOutboundHttp(OutboundHttp):
    def __init__(
        self, dns: Mapping[str, Sequence[str]] | None = None, allow_cidrs: Sequence[str] = ()
    ) -> None:
        self._dns = {host.lower(): list(addresses) for host, addresses in (dns or {}).items()}
        self._allowed = parse_networks(allow_cidrs)
        self._served: dict[tuple[str, str, int], dict[str, Served]] = {}
        self.requests: list[Received] = []

    def serve(
        self,
        url: str,
        status: int = 200,
        body: bytes = b"",
        headers: Mapping[str, str] | None = None,
        delay: float = 0.0,
    ) -> None:
        target = check_url(url, _ANY)
        lowered = {k.lower(): v for k, v in (headers or {}).items()}
        self._served.setdefault(target.origin, {})[_path(url)] = Served(
            status, body, lowered, delay
        )

    async def aclose(self) -> None:
        """Nothing to close (the container closes every outbound client on shut-down)."""

    async def request(self, request: OutboundRequest, rules: OutboundRules) -> OutboundResponse:
        return await follow(self._send_once, request, rules)

    async def _send_once(self, hop: Hop, max_bytes: int) -> HopResult:
        host = hop.target.host
        addresses = self._lookup(host)
        refused = [a for a in addresses if not address_allowed(a, self._allowed)]
        if refused:
            raise OutboundRefused(f"{host} resolves to a non-public address ({refused[0]})")
        paths = self._served.get(hop.target.origin)
        if paths is None:
            raise OutboundFailed(f"ConnectError: connection to {host}:{hop.target.port} refused")
        self.requests.append(Received(hop.method, hop.target.url, dict(hop.headers), hop.body))
        served = paths.get(_path(hop.target.url), Served(404, b"not found"))
        if served.delay:
            await asyncio.sleep(served.delay)
        if 300 <= served.status < 400 and "location" in served.headers:
            return HopResult(served.status, served.headers, b"")
        if len(served.body) > max_bytes:
            raise too_large(max_bytes)
        return HopResult(served.status, served.headers, served.body)

    def _lookup(self, host: str) -> list[str]:
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            pass
        if host not in self._dns:
            raise OutboundFailed(f"ConnectError: could not resolve {host}")
        return self._dns[host]


_ANY = OutboundRules()


def _path(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
