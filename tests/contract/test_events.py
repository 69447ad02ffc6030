"""The EventBus contract, over every adapter in conftest.py."""

from wa_agents.testing.contracts.events import EventBusContract


class TestEventBus(EventBusContract):
    pass
