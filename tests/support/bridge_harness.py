"""``MessagingHarness`` for the bridge gateway: over the fake bridge, or over our Node bridge
with the simulator driver (``link`` scans the QR, ``sent`` reads the simulator's outbox)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from tests.support.fake_bridge import API_KEY, FakeBridge, serve
from tests.support.node_bridge import NodeBridge
from wa_agents.adapters.bridge import BridgeHttpMessagingGateway
from wa_agents.testing import MessagingHarness


@asynccontextmanager
async def fake_bridge_harness(*, zapw_only: bool) -> AsyncIterator[MessagingHarness]:
    fake = FakeBridge(zapw_only=zapw_only)
    with serve(fake) as server:
        gateway = BridgeHttpMessagingGateway(server.url, API_KEY, timeout=5)

        async def scan(session_id: str) -> None:
            fake.scan(session_id)

        async def outbox(session_id: str) -> list[tuple[str, str]]:
            return fake.sent(session_id)

        try:
            yield MessagingHarness(gateway, scan, outbox)
        finally:
            await gateway.aclose()


@asynccontextmanager
async def node_bridge_harness(node: NodeBridge) -> AsyncIterator[MessagingHarness]:
    gateway = BridgeHttpMessagingGateway(node.url, node.api_key, timeout=10)
    phone = httpx.AsyncClient(
        base_url=node.url + "/simulator/sessions",
        headers={"Authorization": f"Bearer {node.api_key}"},
        timeout=10,
    )

    async def scan(session_id: str) -> None:
        (await phone.post(f"/{session_id}/scan")).raise_for_status()

    async def outbox(session_id: str) -> list[tuple[str, str]]:
        answer = (await phone.get(f"/{session_id}/outbox")).raise_for_status()
        return [(m["to"], m["message"]["text"]) for m in answer.json()["data"]]

    try:
        yield MessagingHarness(gateway, scan, outbox)
    finally:
        await gateway.aclose()
        await phone.aclose()
        node.reset()
