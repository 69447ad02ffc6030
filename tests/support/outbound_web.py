"""Harnesses for the OutboundHttp contract: real local servers, and the memory adapter's web.

The real adapter is allowed 127.0.0.1 (as an admin would allow a CIDR) and must refuse
127.0.0.2, which is just as local but not allowed: a server listens there too, so a leak
would be seen.
"""

from __future__ import annotations

import socket
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import ExitStack, asynccontextmanager
from urllib.parse import urlsplit

from tests.support.http_server import LocalServer, Response
from wa_agents.adapters.memory import MemoryOutboundHttp
from wa_agents.adapters.outbound import HttpcoreOutboundHttp
from wa_agents.testing import OutboundHarness, SeenRequest


class _Site:
    """One origin: path -> (response, delay), and the requests that reached it."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[Response, float]] = {}
        self.seen: list[SeenRequest] = []

    def route(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Response:
        self.seen.append(SeenRequest(method, path, headers, body))
        response, delay = self.pages.get(path, ((404, {}, b"not found"), 0.0))
        if delay:
            time.sleep(delay)
        return response


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _path(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


@asynccontextmanager
async def httpcore_harness() -> AsyncIterator[OutboundHarness]:
    sites = {"public": _Site(), "other": _Site(), "private": _Site()}
    hosts = {"public": "127.0.0.1", "other": "127.0.0.1", "private": "127.0.0.2"}
    with ExitStack() as stack:
        servers = {
            name: stack.enter_context(LocalServer(site.route, hosts[name]))
            for name, site in sites.items()
        }
        by_base = {servers[name].url: site for name, site in sites.items()}

        def serve(
            url: str,
            status: int = 200,
            body: bytes = b"",
            headers: Mapping[str, str] | None = None,
            delay: float = 0.0,
        ) -> None:
            base = next(b for b in by_base if url.startswith(b))
            by_base[base].pages[_path(url)] = ((status, dict(headers or {}), body), delay)

        http = HttpcoreOutboundHttp(["127.0.0.1/32"])
        try:
            yield OutboundHarness(
                http=http,
                public=servers["public"].url,
                other=servers["other"].url,
                private=servers["private"].url,
                closed=f"http://127.0.0.1:{_closed_port()}",
                serve=serve,
                seen=lambda base: list(by_base[base].seen),
            )
        finally:
            await http.aclose()


def memory_harness() -> OutboundHarness:
    http = MemoryOutboundHttp(
        dns={
            "shop.example": ["93.184.216.34"],
            "cdn.example": ["2606:2800:220:1::1"],
            "intranet.example": ["10.1.2.3"],
            "nothing.example": ["93.184.216.99"],
        }
    )

    def seen(base: str) -> list[SeenRequest]:
        return [
            SeenRequest(
                r.method, _path(r.url), {k.lower(): v for k, v in r.headers.items()}, r.body or b""
            )
            for r in http.requests
            if r.url.startswith(base)
        ]

    return OutboundHarness(
        http=http,
        public="http://shop.example",
        other="https://cdn.example",
        private="http://intranet.example",
        closed="http://nothing.example",
        serve=http.serve,
        seen=seen,
    )
