"""The connect-time address check every outbound network backend shares (httpcore for
``OutboundHttp``, httpcore2 under the MCP SDK's httpx2): resolve once, refuse the connection
when ANY address is not allowed, and hand back the addresses to connect to (the ones checked)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Sequence

from wa_agents.domain.model.outbound import Network, address_allowed
from wa_agents.ports.outbound import OutboundRefused


class Unresolvable(OSError):
    """The host name has no address."""


async def resolve(host: str, port: int) -> list[str]:
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise Unresolvable(f"could not resolve {host}: {exc}") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


async def checked_addresses(host: str, port: int, allowed: Sequence[Network]) -> list[str]:
    """``OutboundRefused`` when any address ``host`` resolves to is not public (or allowed);
    ``Unresolvable`` when it resolves to nothing."""
    addresses = await resolve(host, port)
    refused = [a for a in addresses if not address_allowed(a, allowed)]
    if refused:
        raise OutboundRefused(f"{host} resolves to a non-public address ({refused[0]})")
    if not addresses:
        raise Unresolvable(f"{host} has no address")
    return addresses
