"""A platform on memory storage whose model is the fake OpenAI server (over real HTTP, through
the real OpenAI adapter), whose HTTP tools go through the real outbound client and whose MCP
tools go through the real MCP SDK client; 127.0.0.1 is allowed as an admin would allow a CIDR,
127.0.0.2 is not."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from tests.support.fake_openai import API_KEY, FakeOpenAI, serve
from tests.support.memory_platform import memory_platform
from wa_agents.adapters.mcp import SdkMcpClient
from wa_agents.adapters.memory import (
    HashingEmbedder,
    ManualClock,
    MemoryMessagingGateway,
    MemoryVectorIndex,
)
from wa_agents.adapters.openai import OpenAIChatModel
from wa_agents.adapters.outbound import HttpcoreOutboundHttp
from wa_agents.domain.model.message import Direction, Message
from wa_agents.domain.services.inbound import InboundMessage
from wa_agents.domain.services.platform import Platform
from wa_agents.ports.events import Event, EventStream

SESSION = "shop"
USER = "15551230000@s.whatsapp.net"
ALLOWED = ["127.0.0.1/32"]


@dataclass
class RecordingBus:
    events: list[Event] = field(default_factory=list)

    async def publish(self, event: Event) -> None:
        self.events.append(event)

    def subscribe(self) -> EventStream:
        raise NotImplementedError

    def kinds(self) -> list[str]:
        return [e.kind for e in self.events]


@dataclass
class World:
    platform: Platform
    fake: FakeOpenAI
    gateway: MemoryMessagingGateway
    clock: ManualClock
    bus: RecordingBus
    agent_id: str = ""
    _n: int = 0

    async def link(self, **agent_fields: Any) -> str:
        fields = {"name": "Helper", "model": "gpt-test", "system_prompt": "Be brief."}
        agent = await self.platform.agents.create(**{**fields, **agent_fields})
        await self.platform.sessions.create(SESSION, agent_id=agent.id)
        self.gateway.connect(SESSION)
        await self.platform.sessions.refresh(SESSION)
        self.agent_id = agent.id
        return agent.id

    async def say(self, text: str, contact: str = "15551230000@s.whatsapp.net") -> None:
        self._n += 1
        await self.platform.inbound.accept(
            InboundMessage(
                session_id=SESSION, from_jid=contact, content=text, wa_message_id=f"WA{self._n}"
            )
        )
        await self.platform.runner.run_until_idle()

    async def replies(self, contact: str = USER) -> list[Message]:
        async with self.platform.uow() as uow:
            history = await uow.messages.recent(SESSION, contact, limit=100)
        return [m for m in history if m.direction == Direction.OUTBOUND]

    def tool_messages(self) -> list[str]:
        """What the model was shown as tool results, over every request."""
        return [
            str(m.get("content"))
            for r in self.fake.requests
            for m in r.get("messages", [])
            if m.get("role") == "tool"
        ]


@asynccontextmanager
async def tool_world(
    secrets: Mapping[str, str] | None = None, approval_expiry_seconds: float = 3600
) -> AsyncIterator[World]:
    fake = FakeOpenAI()
    with serve(fake) as server:
        clock = ManualClock()
        gateway, bus = MemoryMessagingGateway(), RecordingBus()
        model = OpenAIChatModel(API_KEY, base_url=server.url + "/v1", max_retries=0)
        outbound = HttpcoreOutboundHttp(ALLOWED)
        platform = memory_platform(
            clock,
            gateway,
            model,
            knowledge=MemoryVectorIndex(HashingEmbedder()),
            events=bus,
            outbound=outbound,
            mcp=SdkMcpClient(ALLOWED),
            tool_secrets=dict(secrets or {}),
            approval_expiry_seconds=approval_expiry_seconds,
        )
        try:
            yield World(platform, fake, gateway, clock, bus)
        finally:
            await outbound.aclose()
            await model.aclose()
