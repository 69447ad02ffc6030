"""Webhook delivery ids: one statement records and dedups; old ids are dropped once a minute."""

from __future__ import annotations

from datetime import timedelta

from wa_agents.adapters.memory import ManualClock, MemoryUnitOfWorkFactory
from wa_agents.domain.services.bridge_events import DELIVERY_MEMORY
from wa_agents.domain.services.bridge_reports import MessageEvent
from wa_agents.domain.services.inbound import InboundMessage
from wa_agents.domain.services.platform import Platform


def message(n: int) -> MessageEvent:
    return MessageEvent(
        InboundMessage(
            session_id="shop",
            from_jid=f"55119{n:08d}@s.whatsapp.net",
            content=f"hello {n}",
            wa_message_id=f"WA-{n}",
        )
    )


async def test_a_delivery_id_is_applied_once_and_forgotten_after_its_memory(
    platform: Platform, clock: ManualClock
) -> None:
    await platform.sessions.create("shop")
    events = platform.bridge_events
    assert await events.deliver("evt-1", message(1)) != "duplicate"
    assert await events.deliver("evt-1", message(1)) == "duplicate"
    assert isinstance(platform.uow, MemoryUnitOfWorkFactory)
    db = platform.uow.db
    clock.advance(DELIVERY_MEMORY + timedelta(seconds=1))
    await events.deliver("evt-2", message(2))
    assert set(db.deliveries) == {"evt-2"}  # evt-1 is past its memory and the last sweep is old
    clock.advance(DELIVERY_MEMORY + timedelta(seconds=1))
    await events.deliver("evt-3", message(3))
    assert set(db.deliveries) == {"evt-3"}
    clock.advance(timedelta(seconds=10))
    await events.deliver("evt-4", message(4))
    assert set(db.deliveries) == {"evt-3", "evt-4"}  # a sweep ran 10 s ago: none now


async def test_old_ids_are_swept_at_most_once_a_minute(
    platform: Platform, clock: ManualClock
) -> None:
    await platform.sessions.create("shop")
    events = platform.bridge_events
    assert isinstance(platform.uow, MemoryUnitOfWorkFactory)
    db = platform.uow.db
    await events.deliver("evt-a", message(1))  # sweeps (the first one)
    clock.advance(DELIVERY_MEMORY - timedelta(seconds=30))
    await events.deliver("evt-b", message(2))  # sweeps: nothing is old yet
    clock.advance(timedelta(seconds=40))  # evt-a is now past its memory
    await events.deliver("evt-c", message(3))  # no sweep: the last was 40 s ago
    assert "evt-a" in db.deliveries
    clock.advance(timedelta(seconds=30))
    await events.deliver("evt-d", message(4))
    assert set(db.deliveries) == {"evt-b", "evt-c", "evt-d"}
