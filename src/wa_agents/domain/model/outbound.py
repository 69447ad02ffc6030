"""The rules for outbound HTTP to URLs from outside (operators, tools): pure checks, no I/O.

``check_url`` refuses what can be refused before any DNS lookup (scheme, credentials in the
URL, a host off the allow-list); ``address_allowed`` decides, after the lookup, whether one
resolved address may be connected to. Adapters of ``ports.outbound`` apply both.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from wa_agents.domain.model.errors import DomainError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SCHEMES = {"http": 80, "https": 443}


class OutboundRefused(DomainError):
    """The request is not allowed by the outbound rules (host, address, size, redirects)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboundRules:
    """``allowed_hosts``: exact host names or ``*.example.com`` (any subdomain of it, not the
    bare domain); empty means any public host."""

    allowed_hosts: tuple[str, ...] = ()
    timeout_seconds: float = 10.0
    max_bytes: int = 1_000_000
    max_redirects: int = 3


@dataclass(frozen=True, slots=True)
class Target:
    """A URL that passed ``check_url``: where to connect."""

    url: str
    scheme: str
    host: str  # lower-case, IPv6 without brackets
    port: int

    @property
    def origin(self) -> tuple[str, str, int]:
        return self.scheme, self.host, self.port


def host_allowed(host: str, patterns: Sequence[str]) -> bool:
    if not patterns:
        return True
    host = host.lower().rstrip(".")
    for pattern in patterns:
        pattern = pattern.lower().rstrip(".")
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) and len(host) > len(pattern) - 1:
                return True
        elif host == pattern:
            return True
    return False


def check_url(url: str, rules: OutboundRules) -> Target:
    """The URL's target, or ``OutboundRefused`` for a scheme, credentials or host not allowed."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise OutboundRefused(f"not a valid URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        raise OutboundRefused(f"only http and https URLs are allowed, not {scheme or 'none'!r}")
    if parts.username is not None or parts.password is not None:
        raise OutboundRefused("credentials in the URL are not allowed; use a header")
    host = (parts.hostname or "").lower()
    if not host:
        raise OutboundRefused("the URL has no host")
    if not host_allowed(host, rules.allowed_hosts):
        raise OutboundRefused(f"host {host!r} is not on this tool's allow-list")
    return Target(url, scheme, host, port or _SCHEMES[scheme])


def redirect_target(current: Target, location: str, rules: OutboundRules) -> Target:
    """Where a redirect's ``Location`` leads, checked like the first URL."""
    return check_url(urljoin(current.url, location), rules)


def parse_networks(cidrs: Sequence[str]) -> tuple[Network, ...]:
    """Admin-allowed networks (e.g. ``127.0.0.1/32`` for a local test server)."""
    try:
        return tuple(ipaddress.ip_network(c.strip(), strict=False) for c in cidrs if c.strip())
    except ValueError as exc:
        raise DomainError(f"not a CIDR: {exc}") from None


def _embedded_v4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address in _NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_allowed(address: str | IPAddress, allowed: Sequence[Network] = ()) -> bool:
    """May we connect here? Only globally routable unicast addresses, unless an admin CIDR
    allows it. Loopback, private, link-local (cloud metadata), shared (CGNAT), reserved,
    documentation and multicast ranges are refused, also when wrapped in IPv6."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if any(ip.version == net.version and ip in net for net in allowed):
        return True
    inner = _embedded_v4(ip)
    if inner is not None:
        return address_allowed(inner, allowed)
    return ip.is_global and not ip.is_multicast
