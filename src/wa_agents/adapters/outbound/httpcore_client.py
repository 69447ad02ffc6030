"""``HttpcoreOutboundHttp``: the real outbound client, checking addresses at connect time.

The connection pool's network backend resolves each host itself, refuses the connection when
any resolved address is not public (``address_allowed``), and connects to the address it
checked, so a DNS answer cannot change between the check and the connection. TLS still
verifies the certificate against the URL's host name. Proxy variables are ignored (a proxy
would connect on our behalf, unchecked).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import httpcore

from wa_agents.adapters.outbound.addresses import Unresolvable, checked_addresses
from wa_agents.adapters.outbound.redirects import Hop, HopResult, follow, too_large
from wa_agents.domain.model.outbound import Network, parse_networks
from wa_agents.ports.outbound import (
    OutboundFailed,
    OutboundHttp,
    OutboundRefused,
    OutboundRequest,
    OutboundResponse,
    OutboundRules,
)

USER_AGENT = "wa_agents"


class _CheckedBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, allowed: Sequence[Network]) -> None:
        self._inner = httpcore.AnyIOBackend()
        self._allowed = tuple(allowed)

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109  (httpcore's signature)
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await checked_addresses(host, port, self._allowed)
        except Unresolvable as exc:
            raise httpcore.ConnectError(str(exc)) from None
        error: Exception = httpcore.ConnectError(f"{host} has no address")
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                error = exc
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109  (httpcore's signature)
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise OutboundRefused("unix sockets are not an outbound destination")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def _host_header(hop: Hop) -> str:
    host = f"[{hop.target.host}]" if ":" in hop.target.host else hop.target.host
    default = 443 if hop.target.scheme == "https" else 80
    return host if hop.target.port == default else f"{host}:{hop.target.port}"


class HttpcoreOutboundHttp(OutboundHttp):
    """``allow_cidrs``: networks an admin allows although they are not public
    (``WA_OUTBOUND_ALLOW_CIDRS``; tests allow their local fake servers this way)."""

    def __init__(self, allow_cidrs: Sequence[str] = (), *, max_connections: int = 20) -> None:
        self._pool = httpcore.AsyncConnectionPool(
            max_connections=max_connections,
            network_backend=_CheckedBackend(parse_networks(allow_cidrs)),
        )

    async def request(self, request: OutboundRequest, rules: OutboundRules) -> OutboundResponse:
        try:
            return await follow(self._send_once, request, rules)
        except httpcore.TimeoutException:
            raise OutboundFailed(f"timed out after {rules.timeout_seconds:g} s") from None
        except (httpcore.NetworkError, httpcore.ProtocolError) as exc:
            raise OutboundFailed(f"{type(exc).__name__}: {exc}") from None

    async def _send_once(self, hop: Hop, max_bytes: int) -> HopResult:
        headers = {"User-Agent": USER_AGENT, **hop.headers, "Host": _host_header(hop)}
        if hop.body is not None:
            headers["Content-Length"] = str(len(hop.body))
        async with self._pool.stream(
            hop.method, hop.target.url, headers=list(headers.items()), content=hop.body
        ) as response:
            got = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in response.headers}
            if 300 <= response.status < 400 and "location" in got:
                return HopResult(response.status, got, b"")
            return HopResult(response.status, got, await _read_capped(response, got, max_bytes))

    async def aclose(self) -> None:
        await self._pool.aclose()


async def _read_capped(response: httpcore.Response, headers: dict[str, str], cap: int) -> bytes:
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise too_large(cap)
    chunks, size = [], 0
    async for chunk in response.aiter_stream():
        size += len(chunk)
        if size > cap:
            raise too_large(cap)
        chunks.append(chunk)
    return b"".join(chunks)
