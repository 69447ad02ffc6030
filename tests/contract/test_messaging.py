"""The MessagingGateway contract, over every adapter in conftest.py."""

from wa_agents.testing.contracts.messaging import (
    MessagingGatewayContract,
)


class TestMessagingGateway(MessagingGatewayContract):
    pass
