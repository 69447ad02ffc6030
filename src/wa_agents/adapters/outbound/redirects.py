"""The redirect loop every ``OutboundHttp`` adapter shares: each hop checked like the first."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from wa_agents.domain.model.outbound import Target, check_url, redirect_target
from wa_agents.ports.outbound import (
    OutboundFailed,
    OutboundRefused,
    OutboundRequest,
    OutboundResponse,
    OutboundRules,
)

REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class Hop:
    """One request on the wire: ``read_body`` is False for a redirect (its body is dropped)."""

    method: str
    target: Target
    headers: Mapping[str, str]
    body: bytes | None


@dataclass(frozen=True, slots=True)
class HopResult:
    status: int
    headers: Mapping[str, str]  # lower-cased names
    body: bytes


SendOnce = Callable[[Hop, int], Awaitable[HopResult]]  # (hop, max_bytes) -> result


async def follow(
    send_once: SendOnce, request: OutboundRequest, rules: OutboundRules
) -> OutboundResponse:
    """Send ``request``, following at most ``rules.max_redirects`` redirects, all within
    ``rules.timeout_seconds``. The caller's headers never travel to another origin (they may
    carry secrets); a 303, or a 301/302 after a POST, continues as a GET without a body."""
    hop = Hop(request.method.upper(), check_url(request.url, rules), request.headers, request.body)
    try:
        async with asyncio.timeout(rules.timeout_seconds):
            return await _loop(send_once, hop, rules)
    except TimeoutError:
        raise OutboundFailed(
            f"{hop.target.host} did not answer within {rules.timeout_seconds:g} s"
        ) from None


async def _loop(send_once: SendOnce, hop: Hop, rules: OutboundRules) -> OutboundResponse:
    for redirects in range(rules.max_redirects + 1):
        result = await send_once(hop, rules.max_bytes)
        location = result.headers.get("location")
        if result.status not in REDIRECTS or not location:
            return OutboundResponse(
                status=result.status, headers=result.headers, body=result.body, url=hop.target.url
            )
        if redirects == rules.max_redirects:
            break
        target = redirect_target(hop.target, location, rules)
        headers = hop.headers if target.origin == hop.target.origin else {}
        method, body = hop.method, hop.body
        if result.status == 303 or (result.status in (301, 302) and method == "POST"):
            method, body = "GET", None
        hop = Hop(method, target, headers, body)
    raise OutboundRefused(f"more than {rules.max_redirects} redirects")


def too_large(max_bytes: int) -> OutboundRefused:
    return OutboundRefused(f"the response is larger than {max_bytes} bytes")
