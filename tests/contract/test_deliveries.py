"""The DeliveryLog contract, over every adapter in conftest.py."""

from wa_agents.testing.contracts.deliveries import DeliveryLogContract


class TestDeliveryLog(DeliveryLogContract):
    pass
