"""The OutboundHttp contract over the memory web and the real client on local servers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.support.outbound_web import httpcore_harness, memory_harness
from wa_agents.testing import OutboundHarness
from wa_agents.testing.contracts.outbound import OutboundContract


@pytest.fixture(params=["memory", "httpcore"])
async def outbound(request: pytest.FixtureRequest) -> AsyncIterator[OutboundHarness]:
    if request.param == "memory":
        yield memory_harness()
        return
    async with httpcore_harness() as harness:
        yield harness


class TestOutbound(OutboundContract):
    pass
