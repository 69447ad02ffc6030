"""An httpx2 transport (what the MCP SDK speaks through) whose connections obey the outbound
rules: the host must be the MCP server's own, and every address it resolves to must be public
or inside an admin-allowed CIDR, checked at connect time and then connected to. Proxy
variables are ignored (a proxy would connect on our behalf, unchecked)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import httpcore2
import httpx2

from wa_agents.adapters.outbound.addresses import Unresolvable, checked_addresses
from wa_agents.domain.model.outbound import Network, OutboundRules, check_url
from wa_agents.ports.outbound import OutboundRefused


class CheckedBackend(httpcore2.AsyncNetworkBackend):
    def __init__(self, allowed: Sequence[Network]) -> None:
        self._inner = httpcore2.AnyIOBackend()
        self._allowed = tuple(allowed)

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109  (httpcore2's signature)
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore2.AsyncNetworkStream:
        try:
            addresses = await checked_addresses(host, port, self._allowed)
        except Unresolvable as exc:
            raise httpcore2.ConnectError(str(exc)) from None
        error: Exception = httpcore2.ConnectError(f"{host} has no address")
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except httpcore2.ConnectError as exc:
                error = exc
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore2.AsyncNetworkStream:
        raise OutboundRefused("unix sockets are not an outbound destination")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class CheckedTransport(httpx2.AsyncHTTPTransport):
    """Only ``host`` (the MCP server's URL host) may be requested, over a checked pool."""

    def __init__(self, host: str, allowed: Sequence[Network]) -> None:
        super().__init__(trust_env=False)
        # httpx2 builds its pool without a way to pass a network backend: replace it.
        self._pool = httpcore2.AsyncConnectionPool(
            ssl_context=httpx2.create_ssl_context(trust_env=False),
            network_backend=CheckedBackend(allowed),
        )
        self._rules = OutboundRules(allowed_hosts=(host,))

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        check_url(str(request.url), self._rules)
        return await super().handle_async_request(request)
