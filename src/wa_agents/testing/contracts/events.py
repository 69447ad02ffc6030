"""Contract of ``EventBus``. Fixture: ``event_bus`` -> ``EventBus``."""

from __future__ import annotations

from wa_agents.ports.events import Event, EventBus


class EventBusContract:
    async def test_a_subscriber_sees_later_events_in_order(self, event_bus: EventBus) -> None:
        await event_bus.publish(Event("before", {}))
        stream = event_bus.subscribe()
        await event_bus.publish(Event("session.status", {"id": "s1"}))
        await event_bus.publish(Event("message.new", {"id": "m1"}))
        assert await stream.next(1.0) == Event("session.status", {"id": "s1"})
        assert await stream.next(1.0) == Event("message.new", {"id": "m1"})
        assert await stream.next(0.01) is None
        stream.close()

    async def test_every_subscriber_gets_every_event(self, event_bus: EventBus) -> None:
        first, second = event_bus.subscribe(), event_bus.subscribe()
        await event_bus.publish(Event("x", {"n": 1}))
        assert (await first.next(1.0), await second.next(1.0)) == (Event("x", {"n": 1}),) * 2
        first.close()
        second.close()

    async def test_a_closed_stream_gets_nothing_and_publish_still_works(
        self, event_bus: EventBus
    ) -> None:
        stream = event_bus.subscribe()
        stream.close()
        stream.close()
        await event_bus.publish(Event("x", {}))
        assert await stream.next(0.01) is None

    async def test_a_slow_subscriber_never_blocks_publish(self, event_bus: EventBus) -> None:
        stream = event_bus.subscribe()
        for n in range(5_000):
            await event_bus.publish(Event("x", {"n": n}))
        last = None
        while (event := await stream.next(0.01)) is not None:
            last = event
        assert last == Event("x", {"n": 4_999})
        stream.close()
